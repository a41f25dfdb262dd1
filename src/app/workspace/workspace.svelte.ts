import { workspaceOpenProblem } from './workspace-open';
import type { Remote } from 'comlink';
import type { BoundedResult } from '../../engine/engine';
import type { OpenedFileTable } from '../../frames/open-file';
import type { EngineInfo, EngineWorkerApi } from '../../service/protocol';
import { quoteIdent } from '../../engine/sql';
import type { DroppedFile } from '../../sources/dropped';
import { copyFileInto, entryAt, listDirectoryHandle, removeAt, workspaceRoot } from '../../sources/workspace';
import { canPickFolders, canRead, HandleStore } from '../../sources/handle-store';
import type { PageFetcher } from '../grid/row-cache';
import { errorMessage } from '../../util/errors';
import type { AthenaModel } from './athena.svelte';
import { groupDropped } from './folders';
import { rewriteFileRefs, type OpenedRef } from './file-refs';
import { explainQueryError } from './query-errors';
import { KEPT_FOLDER, loadWorkspace, pushHistory, saveWorkspace, type HistoryEntry, type SavedTable } from './persist';

/** An opened dataset as the UI shows it. */
export interface WorkspaceTable extends OpenedFileTable {
  path: string;
  size: number;
  loading: boolean;
  /** Where it came from: a drop (gone after a reload unless kept), a copy kept in the workspace, a kept folder handle, the sample. */
  origin: SavedTable['kind'];
  /** `handle` origin: the key of the folder's handle in the handle store. */
  handle?: string;
}

/** A file that could not be opened, and why. */
export interface FileProblem {
  path: string;
  message: string;
}

/**
 * A table open before the reload that did not come back by itself: a dropped one (`message` null: the view
 * says once why dropped files do not come back), a kept folder waiting for the user to grant access again
 * (kind `handle`), or a kept copy or folder that is gone, with why.
 */
export interface GoneTable extends SavedTable {
  message: string | null;
}

export const SAMPLE_URL = 'samples/sales.csv';

/** Default query offered for a freshly opened table. */
export function defaultQuery(table: string): string {
  return `SELECT *\nFROM ${/^[a-z_][a-z0-9_]*$/.test(table) ? table : quoteIdent(table)}\nLIMIT 100`;
}

const DEFAULT_QUERY = /^SELECT \*\nFROM [^\n]+\nLIMIT 100$/;

/** State of the workspace screen: the engine, opened tables, and the SQL box; the SQL, history and table list survive a reload. */
export class Workspace {
  engineState = $state<'starting' | 'ready' | 'failed'>('starting');
  engineInfo = $state<EngineInfo | null>(null);
  engineError = $state<string | null>(null);
  tables = $state.raw<WorkspaceTable[]>([]);
  selected = $state<string | null>(null);
  problems = $state.raw<FileProblem[]>([]);
  progress = $state<string | null>(null);
  result = $state.raw<BoundedResult | null>(null);
  queryError = $state<string | null>(null);
  running = $state(false);
  /** Queries run, newest first (kept across reloads). */
  history = $state.raw<HistoryEntry[]>([]);
  /** The text of the query whose result is shown (names its downloads). */
  lastRunSql = $state('');
  /** Tables open before the reload that need the user (drop them again). */
  gone = $state.raw<GoneTable[]>([]);
  /** Whether this browser can keep access to a picked folder across reloads (File System Access API). */
  readonly canKeepFolders = canPickFolders();
  #sql = $state('');
  /** The files behind each opened table, to keep a copy of them in the workspace on request. */
  private readonly files = new Map<string, DroppedFile[]>();
  private restoring = false;

  /** Athena in the tab: when given, the SQL box reads catalog tables too (db.table, SHOW TABLES, DESCRIBE …). */
  athena: AthenaModel | null = null;

  constructor(readonly engine: Remote<EngineWorkerApi>, private readonly storage: Storage | null = globalThis.localStorage ?? null) {
    const saved = loadWorkspace(storage);
    this.#sql = saved.sql;
    this.history = saved.history;
    this.pending = saved.tables;
  }

  /** Tables saved by the last session, reopened once the engine is ready. */
  private pending: SavedTable[];

  /** The SQL box's text; every edit is saved, so a reload brings it back. */
  get sql(): string {
    return this.#sql;
  }
  set sql(value: string) {
    this.#sql = value;
    this.persist();
  }

  get selectedTable(): WorkspaceTable | undefined {
    return this.tables.find((t) => t.table === this.selected);
  }

  /** Wait for DuckDB to be ready and report its version and start time; then reopen the last session's tables. */
  async start(): Promise<void> {
    try {
      this.engineInfo = await this.engine.init();
      performance.mark('epoxy:engine-ready');
      this.engineState = 'ready';
    } catch (err) {
      this.engineState = 'failed';
      this.engineError = errorMessage(err);
      return;
    }
    await this.restore();
  }

  /**
   * Reopen what was open before the reload, in the same order (so tables get the same names): the sample
   * and copies kept in the workspace by themselves; dropped files are listed as gone, to be dropped again.
   */
  private async restore(): Promise<void> {
    const saved = this.pending;
    this.pending = [];
    if (!saved.length) return;
    this.restoring = true;
    const gone: GoneTable[] = [];
    try {
      const handles = new Set<string>();
      for (const t of saved) {
        if (t.kind === 'sample') { await this.loadSample(); continue; }
        if (t.kind === 'handle') {
          // A folder that opened as several tables comes back from its one handle, once.
          if (handles.has(t.handle!)) continue;
          handles.add(t.handle!);
          const handle = await this.keptHandle(t.handle!);
          if (typeof handle === 'string') gone.push({ ...t, kind: 'dropped', message: handle });
          else if (await canRead(handle, false)) await this.openHandle(handle, t.handle!);
          else gone.push({ ...t, message: null });
          continue;
        }
        if (t.kind === 'dropped') {
          gone.push({ ...t, message: null });
          continue;
        }
        const files = await this.keptFiles(t);
        if (typeof files === 'string') gone.push({ ...t, kind: 'dropped', message: files });
        else await this.openFiles(files, 'kept');
      }
    } finally {
      this.restoring = false;
      this.gone = gone;
      this.persist();
    }
  }

  /** A kept folder handle, or why there is none. */
  private async keptHandle(key: string): Promise<FileSystemDirectoryHandle | string> {
    try {
      const store = await HandleStore.open();
      try {
        return (await store.get(key)) ?? 'access to its folder is no longer kept (the site\'s data was cleared?): open the folder again';
      } finally {
        store.close();
      }
    } catch (err) {
      return `its folder's handle cannot be read (${errorMessage(err)}): open the folder again`;
    }
  }

  /**
   * Pick a folder and keep access to it (File System Access API): it opens as a drop of that folder does,
   * and after a reload it reopens once the user grants read access again (one click).
   */
  async pickFolder(): Promise<void> {
    if (!this.canKeepFolders) return;
    let handle: FileSystemDirectoryHandle;
    try {
      handle = await (globalThis as unknown as { showDirectoryPicker(o: { mode: 'read' }): Promise<FileSystemDirectoryHandle> }).showDirectoryPicker({ mode: 'read' });
    } catch (err) {
      if ((err as DOMException).name !== 'AbortError') this.problems = [{ path: 'folder', message: errorMessage(err) }];
      return;
    }
    const key = `workspace:${handle.name}`;
    try {
      const store = await HandleStore.open();
      try { await store.put(key, handle); } finally { store.close(); }
    } catch (err) {
      this.problems = [{ path: handle.name, message: `access to the folder cannot be kept (${errorMessage(err)}); it opens for this session only` }];
    }
    await this.openHandle(handle, key);
  }

  /** Ask again for read access to a kept folder (inside the user's click) and reopen its tables. */
  async grant(path: string): Promise<void> {
    const g = this.gone.find((x) => x.path === path);
    if (!g?.handle) return;
    const handle = await this.keptHandle(g.handle);
    if (typeof handle === 'string') { this.gone = this.gone.map((x) => (x === g ? { ...x, kind: 'dropped', message: handle } : x)); return; }
    if (!(await canRead(handle, true))) { this.problems = [{ path: handle.name, message: 'read access was not granted: the folder stays closed (grant it to reopen, or open the folder again)' }]; return; }
    this.gone = this.gone.filter((x) => x.handle !== g.handle);
    await this.openHandle(handle, g.handle);
  }

  private async openHandle(handle: FileSystemDirectoryHandle, key: string): Promise<void> {
    let files: DroppedFile[];
    try {
      files = (await listDirectoryHandle(handle)).map((s) => ({ path: `${handle.name}/${s.path}`, file: (s as { file?: File }).file! }));
    } catch (err) {
      this.problems = [...this.problems, { path: handle.name, message: `the folder cannot be listed: ${errorMessage(err)}` }];
      return;
    }
    await this.openFiles(files, 'handle', key);
  }

  /** The kept copies of a table's files in the workspace, or why they cannot be read. */
  private async keptFiles(t: SavedTable): Promise<DroppedFile[] | string> {
    try {
      const root = await workspaceRoot();
      const out: DroppedFile[] = [];
      for (const path of t.files ?? [t.path]) {
        const entry = await entryAt(root, `${KEPT_FOLDER}/${path}`);
        if (entry.kind !== 'file') return `its copy in the workspace is gone (${path}: the site's storage was cleared?): drop it again`;
        out.push({ path, file: await entry.file.getFile() });
      }
      return out;
    } catch (err) {
      return `its copy in the workspace cannot be read (${errorMessage(err)}): drop it again`;
    }
  }

  /**
   * Open dropped or picked files; a file that fails is reported and the others still open. A dropped folder
   * whose files share one format opens as one table with its partition columns (see folders.ts).
   */
  async openFiles(files: DroppedFile[], origin: SavedTable['kind'] = 'dropped', handle?: string): Promise<void> {
    const problems: FileProblem[] = [];
    const items = groupDropped(files);
    let n = 0;
    for (const item of items) {
      n++;
      const label = item.kind === 'file' ? item.path : `${item.name}/ (${item.files.length} files)`;
      this.progress = `Opening ${label} (${n} of ${items.length})`;
      try {
        if (item.kind === 'folder') {
          const parts = item.files.map((f) => ({ fileName: f.path, source: { kind: 'file' as const, file: f.file }, size: f.file.size, values: f.values }));
          const opened = await this.engine.openFolder(item.name, item.keys, parts);
          const size = item.files.reduce((s, f) => s + f.file.size, 0);
          this.addTable(opened, item.name, size, origin, item.files.map((f) => ({ path: f.path, file: f.file })), handle);
          if (opened.errorCount) problems.push({ path: item.name, message: `${opened.errorCount} records could not be read (left out)` });
          continue;
        }
        const problem = workspaceOpenProblem(item.path);
        if (problem) { problems.push({ path: item.path, message: problem }); continue; }
        // A workbook opens as a table per sheet; all parsing runs in the engine worker, off this thread.
        for (const opened of await this.engine.openFile(item.path, { kind: 'file', file: item.file }, item.file.size)) {
          this.addTable(opened, item.path, item.file.size, origin, [{ path: item.path, file: item.file }], handle);
          if (opened.errorCount) problems.push({ path: item.path, message: `${opened.errorCount} records could not be read (left out)` });
        }
      } catch (err) {
        problems.push({ path: item.kind === 'file' ? item.path : item.name, message: errorMessage(err) });
      }
    }
    this.problems = this.restoring ? [...this.problems, ...problems] : problems;
    this.progress = null;
    this.persist();
  }

  /** Load the embedded sample dataset. */
  async loadSample(): Promise<void> {
    this.progress = 'Loading the sample dataset';
    try {
      const res = await fetch(SAMPLE_URL);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const blob = await res.blob();
      const file = new File([blob], 'sales.csv', { type: 'text/csv' });
      await this.openFiles([{ path: 'sales.csv', file }], 'sample');
    } catch (err) {
      this.problems = [{ path: SAMPLE_URL, message: `could not load the sample: ${errorMessage(err)}` }];
      this.progress = null;
    }
  }

  private addTable(opened: OpenedFileTable, path: string, size: number, origin: SavedTable['kind'], files: DroppedFile[], handle?: string): void {
    const entry: WorkspaceTable = { ...opened, path, size, loading: opened.lazy, origin, ...(handle ? { handle } : {}) };
    this.tables = [...this.tables, entry];
    this.files.set(opened.table, files);
    // Dropped again after a reload: it is back, no longer gone.
    this.gone = this.gone.filter((g) => g.path !== path);
    this.select(opened.table);
    if (opened.lazy) void this.materialize(opened.table);
  }

  /** Load the whole file in the background so the row count is exact and scrolling is fast. */
  private async materialize(table: string): Promise<void> {
    try {
      const done = await this.engine.materialize(table);
      this.tables = this.tables.map((t) => (t.table === table ? { ...t, ...done, loading: false } : t));
    } catch (err) {
      this.tables = this.tables.map((t) => (t.table === table ? { ...t, loading: false } : t));
      this.problems = [...this.problems, { path: table, message: errorMessage(err) }];
    }
  }

  select(table: string): void {
    this.selected = table;
    if (this.restoring) return;
    if (!this.sql.trim() || DEFAULT_QUERY.test(this.sql)) this.sql = defaultQuery(table);
  }

  async remove(table: string): Promise<void> {
    const entry = this.tables.find((t) => t.table === table);
    await this.engine.close(table);
    this.tables = this.tables.filter((t) => t.table !== table);
    this.fetchers.delete(table);
    const files = this.files.get(table) ?? [];
    this.files.delete(table);
    if (this.selected === table) this.selected = this.tables[0]?.table ?? null;
    this.persist();
    // A closed table's kept copy is no longer wanted: give the space back.
    // A closed folder's handle is no longer kept once none of its tables is open.
    if (entry?.handle && !this.tables.some((t) => t.handle === entry.handle)) {
      const store = await HandleStore.open().catch(() => null);
      if (store) { await store.delete(entry.handle).catch(() => undefined); store.close(); }
    }
    if (entry?.origin === 'kept' && !this.tables.some((t) => t.path === entry.path)) {
      const root = await workspaceRoot().catch(() => null);
      if (root) await removeAt(root, `${KEPT_FOLDER}/${entry.files ? entry.path : files[0]?.path ?? entry.path}`).catch(() => undefined);
    }
  }

  /**
   * Copy a dropped table's files into the workspace (OPFS) so the table reopens by itself after a reload;
   * a failure (no OPFS, quota) is reported on the table's row and changes nothing.
   */
  async keepCopy(table: string): Promise<void> {
    const files = this.files.get(table);
    if (!files?.length) return;
    this.progress = `Keeping a copy of ${table} in the workspace`;
    try {
      const root = await workspaceRoot();
      for (const f of files) await copyFileInto(root, `${KEPT_FOLDER}/${f.path}`, f.file);
      this.tables = this.tables.map((t) => (t.table === table ? { ...t, origin: 'kept' } : t));
      this.persist();
    } catch (err) {
      this.problems = [...this.problems, { path: table, message: `could not keep a copy in the workspace: ${errorMessage(err)}` }];
    } finally {
      this.progress = null;
    }
  }

  /** Forget a table of the last session that was not dropped again. */
  dismissGone(path: string): void {
    this.gone = this.gone.filter((g) => g.path !== path);
    this.persist();
  }

  /** What quoted file names in the SQL can name: every opened file by its path, every folder table by its name. */
  get refs(): OpenedRef[] {
    return this.tables.map((t) => ({ path: t.path, table: t.table, ...(t.files !== undefined ? { files: (this.files.get(t.table) ?? []).map((f) => f.path) } : {}) }));
  }

  /** Run the SQL box. */
  async runQuery(): Promise<void> {
    const sql = this.sql;
    if (!sql.trim() || this.running) return;
    this.running = true;
    this.queryError = null;
    this.lastRunSql = sql;
    try {
      // `FROM 'airports.csv'` names a file the user opened here, never a path DuckDB would look for.
      const rewritten = rewriteFileRefs(sql, this.refs);
      if (rewritten.problem) throw new Error(rewritten.problem);
      // Its own connection: the SQL box lists and reads the user's tables, never Transform's or a job's internal ones.
      const result = this.athena ? await this.athena.run(rewritten.sql, this.tables.map((t) => t.table)) : await this.engine.userQuery(rewritten.sql);
      this.result = result;
      // null: a catalog table this tab can't reach (the notice says why and offers the fix).
      const unreachable = this.athena?.unreachable;
      this.history = pushHistory(this.history, result ? { sql, at: Date.now(), ok: true, rows: result.totalRows } : { sql, at: Date.now(), ok: false, error: unreachable ? `${unreachable.database}.${unreachable.table}: ${unreachable.reason}` : 'no result' });
    } catch (err) {
      this.result = null;
      this.queryError = explainQueryError(errorMessage(err), { open: this.tables.map((t) => t.table), catalog: this.athena?.schema ?? {}, defaultDatabase: this.athena?.defaultDatabase ?? null });
      this.history = pushHistory(this.history, { sql, at: Date.now(), ok: false, error: this.queryError });
    } finally {
      this.running = false;
      this.persist();
    }
  }

  /** The one-click fix of a table the last query could not read; the query runs again when it worked. */
  async fixUnreachable(): Promise<void> {
    const notice = this.athena?.unreachable;
    if (!notice) return;
    try {
      if (await this.athena!.fix(notice.action)) await this.runQuery();
      else if (notice.action.kind === 'grant-folder') this.queryError = `${notice.database}.${notice.table}: the folder was not granted; pick it again in the Crawlers view`;
    } catch (err) {
      this.queryError = errorMessage(err);
    }
  }

  /** Forget every query of the history (the editor's History menu), here and in what a reload brings back. */
  clearHistory(): void {
    this.history = [];
    this.persist();
  }

  private persist(): void {
    if (this.restoring) return;
    const open: SavedTable[] = this.tables
      // A workbook's sheets come back together from their one file: keep the file once.
      .filter((t, i, all) => all.findIndex((o) => o.path === t.path) === i)
      .map((t) => ({ table: t.table, path: t.path, kind: t.origin, ...(t.handle ? { handle: t.handle } : {}), ...(t.files !== undefined ? { files: (this.files.get(t.table) ?? []).map((f) => f.path) } : {}) }));
    const gone = this.gone.map(({ message: _m, ...t }) => t);
    saveWorkspace(this.storage, { sql: this.#sql, history: this.history, tables: [...open, ...gone, ...this.pending] });
  }

  private readonly fetchers = new Map<string, PageFetcher>();

  /** A stable page fetcher per table, so the grid keeps its cache across renders. */
  fetcherFor(table: string): PageFetcher {
    let fetcher = this.fetchers.get(table);
    if (!fetcher) {
      fetcher = async (offset, limit) => (await this.engine.page(table, offset, limit)).rows;
      this.fetchers.set(table, fetcher);
    }
    return fetcher;
  }
}
