import type { Remote } from 'comlink';
import type { Catalog, Connection } from '../../catalog';
import type { CatalogSession } from '../shared/catalog-session';
import type { EngineWorkerApi } from '../../service/protocol';
import { writeOutputsToS3 } from '../../jobs/s3-target';
import type { OutputFormat } from '../../jobs/writers';
import { describeExpiry, redactUrl } from '../../sources/presigned';
import { contentTypeFor, putPresigned, type PutResult } from '../../sources/put';
import { connectionUrls, expiryState, S3_PRESIGNED_CONNECTION, type PastedUrl } from '../../sources/s3-connection';
import { errorMessage } from '../../util/errors';

const message = (err: unknown) => redactUrl(errorMessage(err));

/** A URL of a saved connection as the list shows it: redacted, with its expiry. */
export interface ConnectionUrlRow {
  kind: PastedUrl['kind'];
  redacted: string;
  expiry: string;
  expiryState: 'ok' | 'soon' | 'expired';
}

/** Rows for a saved connection's URLs (signatures never reach the page). */
export function connectionRows(c: Connection, now = Date.now()): ConnectionUrlRow[] {
  return connectionUrls(c).urls.map((u) => ({ kind: u.kind, redacted: redactUrl(u.url), expiry: describeExpiry(u.expiresAt, now), expiryState: expiryState(u.expiresAt, now) }));
}

/** State of the Connections view: saved S3 connections, and uploads to presigned PUT URLs. */
export class ConnectionsModel {
  status = $state<'loading' | 'ready' | 'failed'>('loading');
  error = $state<string | null>(null);
  connections = $state.raw<Connection[]>([]);
  /** The upload form: a query whose result is written, its format, and the PUT URL. */
  sql = $state('SELECT 42 AS answer');
  format = $state<OutputFormat>('csv');
  putUrl = $state('');
  uploading = $state(false);
  uploadError = $state<string | null>(null);
  uploaded = $state.raw<PutResult[] | null>(null);

  private catalog: Catalog | null = null;
  private stopSync: (() => void) | null = null;

  constructor(private readonly engine: Remote<EngineWorkerApi>, private readonly session: CatalogSession) {}

  async start(): Promise<void> {
    try {
      this.catalog = await this.session.open();
      this.stopSync = this.session.subscribe(() => void this.refresh().catch((err) => { this.error = message(err); }));
      await this.refresh();
      this.status = 'ready';
    } catch (err) {
      this.status = 'failed';
      this.error = message(err);
    }
  }

  /** Stop following changes; the app's catalog stays open for the other views. */
  stop(): void {
    this.stopSync?.();
    this.stopSync = null;
    this.catalog = null;
  }

  async refresh(): Promise<void> {
    if (!this.catalog) return;
    this.connections = (await this.catalog.list('connection')).sort((a, b) => a.Name.localeCompare(b.Name));
  }

  /** PUT URLs saved in connections, to pick from (the value is the full URL; the label is redacted). */
  putChoices(): { label: string; url: string }[] {
    return this.connections.filter((c) => c.ConnectionType === S3_PRESIGNED_CONNECTION).flatMap((c) =>
      connectionUrls(c).urls.filter((u) => u.kind === 'put').map((u) => ({ label: `${c.Name}: ${u.bucket}/${u.key} (${describeExpiry(u.expiresAt)})`, url: u.url })));
  }

  /** Delete a connection as the list shows it (one changed in another tab meanwhile is not deleted unseen). */
  async deleteConnection(name: string): Promise<void> {
    const seen = this.connections.find((c) => c.Name === name)?.VersionId;
    try {
      await this.catalog?.delete('connection', name, seen === undefined ? {} : { expectedVersionId: seen });
      this.error = null;
    } catch (err) {
      this.error = message(err);
    }
    await this.refresh();
  }

  /** Run the query, write its result in the chosen format, and PUT it to the presigned URL. */
  async uploadQuery(): Promise<void> {
    await this.upload(async () => {
      const outputs = await this.engine.writeOutput(this.sql, { format: this.format });
      return writeOutputsToS3(outputs, { kind: 's3-presigned', location: 's3://upload', putUrls: this.putUrl });
    });
  }

  /** PUT a file as it is, with the Content-Type its name implies. */
  async uploadFile(file: File): Promise<void> {
    await this.upload(async () => [await putPresigned(this.putUrl.trim(), new Uint8Array(await file.arrayBuffer()), { contentType: file.type || contentTypeFor(file.name) })]);
  }

  private async upload(run: () => Promise<PutResult[]>): Promise<void> {
    this.uploading = true;
    this.uploadError = null;
    this.uploaded = null;
    try {
      if (!this.putUrl.trim()) throw new Error('Paste a presigned PUT URL first');
      this.uploaded = await run();
    } catch (err) {
      this.uploadError = message(err);
    } finally {
      this.uploading = false;
    }
  }
}
