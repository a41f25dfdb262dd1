import type { EpoxyDatabase, UpgradeEvent } from '../../storage/db-upgrades';

/** A line of the app's database-upgrade banner. */
export interface UpgradeNotice {
  database: EpoxyDatabase;
  kind: 'blocked' | 'versionchange';
  message: string;
}

/**
 * The banner's lines after an upgrade event: one line per database; a blocked open's line goes when the open
 * goes through; a database another tab upgraded stays said until the page is reloaded (this tab runs old code).
 */
export function applyUpgradeEvent(notices: UpgradeNotice[], event: UpgradeEvent): UpgradeNotice[] {
  const others = notices.filter((n) => n.database !== event.database);
  const mine = notices.find((n) => n.database === event.database);
  if (event.kind === 'unblocked') return mine?.kind === 'versionchange' ? notices : others;
  if (event.kind === 'blocked' && mine?.kind === 'versionchange') return notices;
  return [...others, { database: event.database, kind: event.kind, message: event.message }];
}
