import { formatBytes } from '../grid/format';

/**
 * Whether the browser keeps Epoxy's data (catalog, workspace) under storage pressure:
 * `persistent` (granted), `best-effort` (asked and refused, or not asked yet: it may be evicted),
 * `unsupported` (no StorageManager.persist, e.g. some embedded browsers).
 */
export type Persistence = 'checking' | 'persistent' | 'best-effort' | 'unsupported';

/** The subset of `navigator.storage` Epoxy uses (a fake stands in for it in tests). */
export interface StorageHost {
  persisted?(): Promise<boolean>;
  persist?(): Promise<boolean>;
  estimate?(): Promise<{ usage?: number; quota?: number }>;
}

/** Usage as a short label and a fraction of the quota; null parts when the browser does not say. */
export interface UsageSummary {
  label: string;
  fraction: number | null;
}

/** "12 MB of 1.2 GB (1%)" from a StorageManager estimate; honest about missing numbers. */
export function summarizeUsage(usage: number | undefined, quota: number | undefined): UsageSummary {
  if (usage === undefined) return { label: 'usage unknown', fraction: null };
  if (!quota) return { label: `${formatBytes(usage)} used`, fraction: null };
  const fraction = Math.min(1, usage / quota);
  const percent = fraction > 0 && fraction < 0.01 ? '<1' : String(Math.round(fraction * 100));
  return { label: `${formatBytes(usage)} of ${formatBytes(quota)} (${percent}%)`, fraction };
}

/** A one-word badge for the header. */
export function persistenceBadge(p: Persistence): string {
  switch (p) {
    case 'checking': return 'checking…';
    case 'persistent': return 'persistent';
    case 'best-effort': return 'not persistent';
    case 'unsupported': return 'persistence unsupported';
  }
}

/** A sentence explaining what the persistence state means for the user's data. */
export function persistenceExplanation(p: Persistence): string {
  switch (p) {
    case 'checking':
      return 'Asking the browser whether Epoxy\'s data is kept…';
    case 'persistent':
      return 'Persistent storage granted: the browser will not clear Epoxy\'s catalog and workspace without asking you.';
    case 'best-effort':
      return 'The browser denied persistent storage, so it may clear Epoxy\'s catalog and workspace when disk space runs low. Installing Epoxy or bookmarking it often makes the browser grant it; you can ask again.';
    case 'unsupported':
      return 'This browser cannot grant persistent storage; it may clear Epoxy\'s data when disk space runs low.';
  }
}
