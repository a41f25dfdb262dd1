import { strToU8, zipSync } from 'fflate';
import { glueJobFacts } from '../../jobs/script-args';
import { glueScriptsOf } from '../../jobs/glue-scripts';
import { glueReadme } from './glue-readme';
import {
  bundleFromSnapshot, redactForExport, CatalogError, catalogDdl, catalogKey, glueExport, glueTableInput, importGlueJson, parseJsonText, partitionsDdl,
  normalizeStoredTable, storageFor, tableDdl, toJsonText, type Catalog, type Column, type Database,
  type Partition, type Snapshot, type Table, type TableInput, type TableVersion,
} from '../../catalog';
import { withoutDatabase } from '../../catalog/import-glue';
import type { ImportSummary } from '../../catalog';
import { conflictError, conflictOf, withColumn, type EditConflict } from './conflict';
import { checkTables } from './reachability';
import type { Reachability } from '../../sources/reachability';
import { errorMessage } from '../../util/errors';
import type { CatalogSession } from '../shared/catalog-session';

/** Something the user can undo (a deletion), shown as a toast. */
export interface UndoEntry { message: string; snapshot: Snapshot }

/** A file for the user to download. */
export interface Download { name: string; text: string; type: string }

/** A binary file for the user to download. */
export interface BinaryDownload { name: string; data: Uint8Array; type: string }

const message = errorMessage;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
/** One file's import summary in a sentence. */
function importLine(name: string, s: ImportSummary): string {
  return `${name}: ${plural(s.tablesCreated, 'table')} created, ${s.tablesUpdated} updated, ${s.tablesUnchanged} unchanged, ${plural(s.databases, 'database')} created, ${plural(s.partitions, 'partition')}.`;
}

/** State of the catalog browser; all catalog work goes through the core `Catalog`. */
export class CatalogModel {
  status = $state<'loading' | 'ready' | 'failed'>('loading');
  /** A problem to show (failed action, blocked upgrade...). */
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  /** What stays until the page is reloaded (another tab upgraded or blocks the catalog), unlike `error` and `notice`. */
  sticky = $state<string | null>(null);
  /** Imported files with tables that name no database, waiting for the user to choose one (in the order chosen). */
  pendingImport = $state.raw<{ name: string; doc: unknown; missing: string[] }[]>([]);
  // Raw (unproxied) state: these records go back into IndexedDB and structuredClone, which refuse proxies.
  databases = $state.raw<Database[]>([]);
  /** Tables of every database, by database name (catalogs are small; search needs them all). */
  tables = $state.raw<Record<string, Table[]>>({});
  partitions = $state.raw<Partition[]>([]);
  versions = $state.raw<TableVersion[]>([]);
  undo = $state.raw<UndoEntry | null>(null);
  /** A column edit another tab overtook: the user's definition and the stored one, until they choose. */
  conflict = $state.raw<(EditConflict<TableInput> & { db: string; table: string }) | null>(null);
  /** Bumped when the open column editor must close (its edit was saved, or dropped by Reload). */
  editEpoch = $state(0);
  /** Whether each table's data can be read from this tab (`db.table`), checked without reading it. */
  reach = $state.raw<Record<string, Reachability>>({});

  private catalog: Catalog | null = null;
  private stops: (() => void)[] = [];
  private detailKey = '';

  constructor(private readonly session: CatalogSession) {}

  /** Open the catalog and load it; follow changes made in other tabs (and other views). */
  async start(): Promise<void> {
    // Whichever view opened the catalog first, an upgrade another tab blocks or made is said here.
    this.sticky = this.session.notice;
    this.stops.push(this.session.onNotice((notice) => { this.sticky = notice; }));
    try {
      this.catalog = await this.session.open();
      this.stops.push(this.session.subscribe(() => void this.refresh().catch((err) => { this.error = message(err); })));
      await this.refresh();
      this.status = 'ready';
    } catch (err) {
      this.status = 'failed';
      this.error = message(err);
    }
  }

  /** Stop following changes (when the view goes away); the app's catalog stays open for the other views. */
  stop(): void {
    for (const stop of this.stops.splice(0)) stop();
    this.catalog = null;
  }

  private get cat(): Catalog {
    if (!this.catalog) throw new CatalogError('StorageError', 'The catalog is not open.');
    return this.catalog;
  }

  /** Re-read databases and tables (and the open table's details). */
  async refresh(): Promise<void> {
    // One catalog for the whole refresh: stop() may run between its reads (the view went away), and the
    // shared catalog stays open, so the refresh ends quietly instead of failing half way.
    const cat = this.cat;
    const dbs = (await cat.getDatabases()).sort((a, b) => a.Name.localeCompare(b.Name));
    const tables: Record<string, Table[]> = {};
    for (const db of dbs) tables[db.Name] = (await cat.getTables(db.Name)).sort((a, b) => a.Name.localeCompare(b.Name));
    this.databases = dbs;
    this.tables = tables;
    void this.checkReach();
    if (this.detailKey) {
      const [db, table] = this.detailKey.split('\u0000') as [string, string];
      await this.loadDetails(db, table, true);
    }
  }

  private reachRound = 0;
  /** Check again where every table's data is (the workspace may have been cleared, a URL may have expired). */
  async checkReach(): Promise<void> {
    const round = ++this.reachRound;
    try {
      const [jobs, crawlers, connections] = await Promise.all([this.cat.list('job'), this.cat.list('crawler'), this.cat.list('connection')]);
      const reach = await checkTables(this.tables, { jobs, crawlers, connections });
      if (round === this.reachRound) this.reach = reach;
    } catch {
      // The marks are a help, not the catalog: a failed check leaves the previous ones.
    }
  }

  /** The table, if it exists. */
  table(db: string | undefined, name: string | undefined): Table | undefined {
    return db && name ? this.tables[db]?.find((t) => t.Name === name) : undefined;
  }

  /** Load partitions and versions of the open table (once per table unless forced). */
  async loadDetails(db: string | undefined, table: string | undefined, force = false): Promise<void> {
    const key = db && table ? `${db}\u0000${table}` : '';
    if (key === this.detailKey && !force) return;
    this.detailKey = key;
    if (!db || !table || !this.table(db, table)) { this.partitions = []; this.versions = []; return; }
    try {
      const [partitions, versions] = await Promise.all([this.cat.getPartitions(db, table), this.cat.getTableVersions(db, table)]);
      if (this.detailKey !== key) return;
      this.partitions = partitions;
      this.versions = versions;
    } catch (err) {
      this.error = message(err);
    }
  }

  // Run an action; show its error instead of throwing, and report success.
  private async act(fn: () => Promise<void>): Promise<boolean> {
    this.error = null;
    try {
      await fn();
      await this.refresh();
      return true;
    } catch (err) {
      this.error = message(err);
      return false;
    }
  }

  /** Create a database; returns its (lowercased) name, or null with `error` set. */
  async createDatabase(name: string, description: string): Promise<string | null> {
    const ok = await this.act(() => this.cat.createDatabase({ Name: name, ...(description ? { Description: description } : {}) }));
    return ok ? catalogKey(name) : null;
  }

  /**
   * Create a table from a simple form: columns as `name type [comment]` lines, a format and a location.
   * The storage descriptor and parameters are the ones a Glue crawler writes for that format.
   */
  async createTable(db: string, form: { name: string; format: 'csv' | 'json' | 'parquet' | 'avro' | 'orc'; location: string; columns: string; partitionKeys: string; delimiter?: string; header?: boolean }): Promise<string | null> {
    const parse = (text: string): Column[] => text.split('\n').map((l) => l.trim()).filter(Boolean).map((line) => {
      const m = /^(\S+)\s+(.+?)(?:\s+--\s*(.*))?$/.exec(line);
      if (!m) throw new CatalogError('InvalidInputException', `Write each column as "name type", e.g. "id bigint" (got "${line}").`);
      return m[3] ? { Name: m[1]!, Type: m[2]!, Comment: m[3] } : { Name: m[1]!, Type: m[2]! };
    });
    const ok = await this.act(async () => {
      const columns = parse(form.columns);
      if (!columns.length) throw new CatalogError('InvalidInputException', 'A table needs at least one column.');
      const { StorageDescriptor, Parameters } = storageFor(form.format, { location: form.location, columns, delimiter: form.delimiter || ',', header: form.header });
      const PartitionKeys = parse(form.partitionKeys);
      await this.cat.createTable(db, { Name: form.name, StorageDescriptor, PartitionKeys, TableType: 'EXTERNAL_TABLE', Parameters });
    });
    return ok ? catalogKey(form.name) : null;
  }

  /**
   * Change one column's name, type and comment on the version the editor opened (`baseVersionId`): an
   * UpdateTable with that VersionId, so the old definition becomes a version and an edit another tab saved
   * meanwhile is never overwritten unseen (the save is refused and `conflict` says so).
   */
  async editColumn(db: string, tableName: string, index: number, column: Column, baseVersionId?: string): Promise<boolean> {
    this.error = null;
    let mine: TableInput | null = null;
    try {
      const base = (baseVersionId === undefined ? null : (await this.cat.getTableVersion(db, tableName, baseVersionId).catch(() => null))?.Table) ?? await this.cat.getTable(db, tableName);
      mine = withColumn(base, index, column);
      await this.cat.updateTable(db, mine, { expectedVersionId: baseVersionId ?? base.VersionId ?? '0' });
      this.conflict = null;
      await this.refresh();
      return true;
    } catch (err) {
      await this.fail(err, db, tableName, mine);
      return false;
    }
  }

  /**
   * Rename the table's columns and partition keys Athena needs quoted to Athena-safe names, as a new version
   * of the version on screen (`baseVersionId`); the files' names stay with the columns so the data still reads.
   */
  async normalizeNames(db: string, tableName: string, baseVersionId?: string): Promise<boolean> {
    this.error = null;
    try {
      const changes = await normalizeStoredTable(this.cat, db, tableName, baseVersionId);
      const shown = changes.slice(0, 4).map((c) => `${c.from} → ${c.to}`).join(', ');
      this.notice = changes.length ? `Renamed ${plural(changes.length, 'name')}: ${shown}${changes.length > 4 ? ` and ${changes.length - 4} more` : ''}. The previous definition is kept as a version.` : 'Every name is already Athena-safe.';
      this.conflict = null;
      this.editEpoch++;
      await this.refresh();
      return true;
    } catch (err) {
      this.error = conflictError(err) ? `${message(err)} Reload the table to see the other change, then normalise again.` : message(err);
      await this.refresh().catch(() => undefined);
      return false;
    }
  }

  // A refused save becomes the conflict to resolve; anything else is an error to show.
  private async fail(err: unknown, db: string, tableName: string, mine: TableInput | null): Promise<void> {
    const conflict = conflictError(err);
    if (conflict && mine) this.conflict = { ...(await conflictOf<TableInput>(conflict, mine, async () => { const t = await this.cat.getTable(db, tableName); return { value: t, versionId: t.VersionId }; })), db, table: tableName };
    else this.error = message(err);
    await this.refresh().catch(() => undefined);
  }

  /** Resolve a conflict by taking the other tab's version: the user's edit is dropped (they chose to). */
  async reloadTheirs(): Promise<void> {
    this.conflict = null;
    this.editEpoch++;
    await this.refresh();
  }

  /** Resolve a conflict by saving the user's edit over the stored version, which stays in the history. */
  async saveMineAnyway(): Promise<boolean> {
    const c = this.conflict;
    if (!c) return false;
    this.error = null;
    try {
      if (c.theirs) await this.cat.updateTable(c.db, c.mine, { expectedVersionId: c.theirsVersionId });
      else await this.cat.createTable(c.db, c.mine);
      this.conflict = null;
      this.editEpoch++;
      await this.refresh();
      return true;
    } catch (err) {
      await this.fail(err, c.db, c.table, c.mine);
      return false;
    }
  }

  /** Make an old version current (as a new version), unless the table changed since the user looked at it. */
  async restoreVersion(db: string, table: string, versionId: string): Promise<boolean> {
    const seen = this.table(db, table)?.VersionId;
    return this.act(async () => { await this.cat.restoreTableVersion(db, table, versionId, seen === undefined ? {} : { expectedVersionId: seen }); });
  }

  /** Delete a table; offers undo. */
  async deleteTable(db: string, table: string): Promise<boolean> {
    return this.act(async () => {
      const snapshot = await this.cat.deleteTable(db, table);
      this.undo = { message: `Deleted table ${db}.${table}.`, snapshot };
    });
  }

  /** Delete a database and its tables; offers undo. */
  async deleteDatabase(db: string): Promise<boolean> {
    return this.act(async () => {
      const snapshot = await this.cat.deleteDatabase(db);
      this.undo = { message: `Deleted database ${db} (${snapshot.tables.length} table${snapshot.tables.length === 1 ? '' : 's'}).`, snapshot };
    });
  }

  /** Put back what the last deletion removed. */
  async undoDelete(): Promise<boolean> {
    const entry = this.undo;
    if (!entry) return false;
    this.undo = null;
    return this.act(() => this.cat.restore(entry.snapshot));
  }

  /** Forget the last action's error and notice (on navigation: they were about the page left). */
  clearMessages(): void {
    // Why the catalog could not be opened stays: it is about every page.
    if (this.status !== 'failed') this.error = null;
    this.notice = null;
  }

  /**
   * Import Glue JSON files (get-table(s), create-table inputs, bundles); each file is one transaction. A file
   * whose tables name no database waits in `pendingImport` until the user picks one (`importPending`).
   */
  async importFiles(files: { name: string; text: () => Promise<string> }[]): Promise<void> {
    await this.act(async () => {
      const lines: string[] = [];
      const waiting: { name: string; doc: unknown; missing: string[] }[] = [];
      for (const f of files) {
        const doc = parseJsonText(await f.text(), f.name);
        const missing = withoutDatabase(doc);
        if (missing.length) { waiting.push({ name: f.name, doc, missing }); continue; }
        lines.push(importLine(f.name, await importGlueJson(this.cat, doc)));
      }
      this.pendingImport = [...this.pendingImport.filter((p) => !waiting.some((w) => w.name === p.name)), ...waiting];
      this.notice = lines.length ? `Imported ${lines.join(' ')}` : null;
    });
  }

  /** Import the waiting files, putting what names no database into `database` (an existing one or a new name). */
  async importPending(database: string): Promise<boolean> {
    const name = catalogKey(database.trim());
    if (!name) { this.error = 'Choose the database to import into, or type the name of a new one.'; return false; }
    const files = this.pendingImport;
    return this.act(async () => {
      const lines: string[] = [];
      for (const f of files) {
        lines.push(importLine(f.name, await importGlueJson(this.cat, f.doc, { fallbackDatabase: name })));
        this.pendingImport = this.pendingImport.filter((p) => p !== f);
      }
      this.notice = `Imported into ${name}: ${lines.join(' ')}`;
    });
  }

  /** Drop the files waiting for a database. */
  cancelImport(): void {
    this.pendingImport = [];
  }

  /** The whole catalog, or one database, as the bundle JSON (what `epoxy catalog` reads). */
  async bundle(db?: string): Promise<Download> {
    const text = toJsonText(bundleFromSnapshot(await this.cat.snapshot(db)));
    return { name: `${db ?? 'epoxy-catalog'}.glue.json`, text, type: 'application/json' };
  }

  /** The IAM role and the S3 folder for job scripts the Glue export fills in (placeholders when empty). */
  glueRole = $state('');
  glueScripts = $state('');

  /**
   * One `aws glue create-* --cli-input-json` file per object (databases/, tables/<db>/, partitions/<db>/, jobs/,
   * crawlers/, workflows/, triggers/...), the jobs' Glue scripts under scripts/, and README.txt with the order
   * to create them in and every placeholder to replace, zipped.
   */
  async glueZip(db?: string): Promise<BinaryDownload> {
    const bundle = bundleFromSnapshot(await this.cat.snapshot(db));
    const role = this.glueRole.trim();
    const scriptLocation = this.glueScripts.trim();
    const { files, notes } = glueExport(bundle, { jobFacts: glueJobFacts, ...(role ? { role } : {}), ...(scriptLocation ? { scriptLocation } : {}) });
    const scripts = glueScriptsOf(bundle);
    const readme = glueReadme(files, notes, scripts.failed, scriptLocation);
    const data = zipSync(Object.fromEntries([
      ...files.map((f) => [f.path, strToU8(toJsonText(f.json))] as const),
      ...scripts.files.map((f) => [f.path, strToU8(f.text)] as const),
      ['README.txt', strToU8(readme)] as const,
    ]));
    return { name: `${db ?? 'epoxy-catalog'}.glue-files.zip`, data, type: 'application/zip' };
  }

  /** Athena DDL of the whole catalog or one database. */
  async ddl(db?: string): Promise<Download> {
    return { name: `${db ?? 'epoxy-catalog'}.ddl.sql`, text: catalogDdl(await this.cat.snapshot(db)), type: 'application/sql' };
  }

  /** The create-table --cli-input-json document of a table. */
  tableJson(table: Table): Download {
    return { name: `${table.DatabaseName}.${table.Name}.create-table.json`, text: toJsonText(redactForExport({ DatabaseName: table.DatabaseName, TableInput: glueTableInput(table) })), type: 'application/json' };
  }

  /** Athena DDL of a table and its partitions. */
  tableDdl(table: Table): Download {
    const parts = partitionsDdl(table, this.partitions.filter((p) => p.DatabaseName === table.DatabaseName && p.TableName === table.Name));
    return { name: `${table.DatabaseName}.${table.Name}.ddl.sql`, text: tableDdl(table) + (parts ? '\n' + parts : ''), type: 'application/sql' };
  }
}
