import type { Catalog, Connection } from '../../catalog';
import { knownSizeHttpSource } from '../../sources/http';
import { describeExpiry, redactUrl } from '../../sources/presigned';
import { expiryState, s3Connection, S3_PRESIGNED_CONNECTION } from '../../sources/s3-connection';
import { inspectPaste, type PasteInspection } from '../../sources/s3-probe';
import type { DropTarget } from './drop';
import { conflictError, conflictOf, type EditConflict } from '../catalog/conflict';
import { errorMessage } from '../../util/errors';

const message = (err: unknown) => redactUrl(errorMessage(err));

/** One row of the objects table: what the UI shows for an object (never its signature). */
export interface ObjectRow {
  bucket: string;
  key: string;
  size: number | null;
  expiry: string;
  expiryState: 'ok' | 'soon' | 'expired';
  error?: string;
  corsJson?: string;
}

/** Rows for the objects table, from an inspection. */
export function objectRows(inspection: PasteInspection, now = Date.now()): ObjectRow[] {
  return inspection.objects.map((o) => ({
    bucket: o.bucket ?? '',
    key: o.key,
    size: o.size,
    expiry: describeExpiry(o.expiresAt, now),
    expiryState: expiryState(o.expiresAt, now),
    error: o.error,
    corsJson: o.corsJson,
  }));
}

/** The Crawlers view's target made from DropTarget fields, read through ranged GETs. */
export function urlDropTarget(inspection: PasteInspection): DropTarget | null {
  const t = inspection.target;
  if (!t) return null;
  const prefix = t.locationPrefix + '/';
  return {
    rootName: t.rootName,
    label: t.label,
    locationPrefix: t.locationPrefix,
    sources: t.sources.map((s) => knownSizeHttpSource(s.url, s)),
    totalBytes: t.totalBytes,
    kind: 's3-presigned',
    unreadable: inspection.objects.filter((o) => o.error).map((o) => ({ path: o.location.startsWith(prefix) ? o.location.slice(prefix.length) : o.location, error: o.error! })),
  };
}

/** State of the "Presigned S3 URLs" panel: pasted text, its inspection, and saved connections. */
export class UrlTargetModel {
  text = $state('');
  checking = $state(false);
  inspection = $state.raw<PasteInspection | null>(null);
  error = $state<string | null>(null);
  connections = $state.raw<Connection[]>([]);
  connectionName = $state('');
  saved = $state<string | null>(null);
  /** The saved connection the text was loaded from, with its VersionId (saves under that name are checked). */
  loaded = $state.raw<{ name: string; versionId: string } | null>(null);
  /** A save another tab overtook: the user's connection and the stored one, until they choose. */
  conflict = $state.raw<EditConflict<Connection> | null>(null);

  constructor(private readonly catalog: () => Catalog, private readonly origin = typeof location === 'undefined' ? undefined : location.origin) {}

  /** Saved S3 presigned connections, by name. */
  async refresh(): Promise<void> {
    this.connections = (await this.catalog().list('connection')).filter((c) => c.ConnectionType === S3_PRESIGNED_CONNECTION).sort((a, b) => a.Name.localeCompare(b.Name));
  }

  /** Fetch listings and probe every object; returns the crawl target when something can be read. */
  async check(): Promise<DropTarget | null> {
    this.checking = true;
    this.error = null;
    this.saved = null;
    try {
      this.inspection = await inspectPaste(this.text, { origin: this.origin });
      return urlDropTarget(this.inspection);
    } catch (err) {
      this.error = message(err);
      return null;
    } finally {
      this.checking = false;
    }
  }

  /**
   * Keep the pasted URLs as a Glue Connection in the local catalog (exports redact them). A new name must not
   * be taken; the loaded connection must still be at the version it was loaded from, else `conflict` says so.
   */
  async save(overrideVersionId?: string | null): Promise<boolean> {
    const name = this.connectionName.trim();
    const urls = this.inspection?.urls ?? [];
    if (!name) { this.error = 'Name the connection first'; return false; }
    if (!urls.length) { this.error = 'Paste and check URLs first'; return false; }
    const connection = s3Connection(name, urls);
    const expectedVersionId = overrideVersionId !== undefined ? overrideVersionId : this.loaded?.name === name ? this.loaded.versionId : null;
    try {
      const versionId = await this.catalog().put('connection', connection, { expectedVersionId });
      await this.refresh();
      this.loaded = { name, versionId };
      this.saved = name;
      this.error = null;
      this.conflict = null;
      return true;
    } catch (err) {
      const conflict = conflictError(err);
      if (conflict) {
        this.conflict = await conflictOf(conflict, connection, async () => {
          const c = await this.catalog().get('connection', name).catch(() => null);
          return c ? { value: c, versionId: c.VersionId } : null;
        });
      } else this.error = message(err);
      return false;
    }
  }

  /** Resolve a conflict by loading the stored connection (the pasted text is replaced by choice). */
  reloadTheirs(): void {
    const theirs = this.conflict?.theirs;
    if (!theirs) return;
    this.conflict = null;
    this.connections = [...this.connections.filter((c) => c.Name !== theirs.Name), theirs];
    this.load(theirs.Name);
  }

  /** Resolve a conflict by saving the pasted URLs over the stored connection, which stays a version. */
  async saveMineAnyway(): Promise<boolean> {
    const c = this.conflict;
    return c ? this.save(c.theirsVersionId) : false;
  }

  /** Put a saved connection's URLs back in the text box. */
  load(name: string): void {
    const c = this.connections.find((x) => x.Name === name);
    if (!c) return;
    this.text = c.ConnectionProperties['URLS'] ?? '';
    this.connectionName = c.Name;
    this.loaded = { name: c.Name, versionId: c.VersionId ?? '0' };
    this.conflict = null;
    this.inspection = null;
  }
}
