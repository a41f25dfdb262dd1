import { workspaceOpenProblem } from './workspace-open';
import type { Remote } from 'comlink';
import type { BoundedResult, OpenedTable } from '../../engine/engine';
import type { EngineInfo, EngineWorkerApi } from '../../service/protocol';
import { quoteIdent } from '../../engine/sql';
import type { DroppedFile } from '../../sources/dropped';
import type { PageFetcher } from '../grid/row-cache';
import { errorMessage } from '../../util/errors';
import type { AthenaModel } from './athena.svelte';

/** An opened dataset as the UI shows it. */
export interface WorkspaceTable extends OpenedTable {
  path: string;
  size: number;
  loading: boolean;
}

/** A file that could not be opened, and why. */
export interface FileProblem {
  path: string;
  message: string;
}

export const SAMPLE_URL = 'samples/sales.csv';

/** Default query offered for a freshly opened table. */
export function defaultQuery(table: string): string {
  return `SELECT *\nFROM ${/^[a-z_][a-z0-9_]*$/.test(table) ? table : quoteIdent(table)}\nLIMIT 100`;
}

/** State of the workspace screen: the engine, opened tables, and the SQL box. */
export class Workspace {
  engineState = $state<'starting' | 'ready' | 'failed'>('starting');
  engineInfo = $state<EngineInfo | null>(null);
  engineError = $state<string | null>(null);
  tables = $state.raw<WorkspaceTable[]>([]);
  selected = $state<string | null>(null);
  problems = $state.raw<FileProblem[]>([]);
  progress = $state<string | null>(null);
  sql = $state('');
  result = $state.raw<BoundedResult | null>(null);
  queryError = $state<string | null>(null);
  running = $state(false);

  /** Athena in the tab: when given, the SQL box reads catalog tables too (db.table, SHOW TABLES, DESCRIBE …). */
  athena: AthenaModel | null = null;

  constructor(readonly engine: Remote<EngineWorkerApi>) {}

  get selectedTable(): WorkspaceTable | undefined {
    return this.tables.find((t) => t.table === this.selected);
  }

  /** Wait for DuckDB to be ready and report its version and start time. */
  async start(): Promise<void> {
    try {
      this.engineInfo = await this.engine.init();
      this.engineState = 'ready';
    } catch (err) {
      this.engineState = 'failed';
      this.engineError = errorMessage(err);
    }
  }

  /** Open dropped or picked files; a file that fails is reported and the others still open. */
  async openFiles(files: DroppedFile[]): Promise<void> {
    const problems: FileProblem[] = [];
    let n = 0;
    for (const { path, file } of files) {
      n++;
      this.progress = `Opening ${path} (${n} of ${files.length})`;
      const problem = workspaceOpenProblem(path);
      if (problem) {
        problems.push({ path, message: problem });
        continue;
      }
      try {
        // A workbook opens as a table per sheet; the parsing runs in the engine worker, off this thread.
        for (const opened of await this.engine.openFile(path, { kind: 'file', file }, file.size)) this.addTable(opened, path, file.size);
      } catch (err) {
        problems.push({ path, message: errorMessage(err) });
      }
    }
    this.problems = problems;
    this.progress = null;
  }

  /** Load the embedded sample dataset. */
  async loadSample(): Promise<void> {
    this.progress = 'Loading the sample dataset';
    try {
      const res = await fetch(SAMPLE_URL);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const blob = await res.blob();
      const file = new File([blob], 'sales.csv', { type: 'text/csv' });
      await this.openFiles([{ path: 'sales.csv', file }]);
    } catch (err) {
      this.problems = [{ path: SAMPLE_URL, message: `could not load the sample: ${errorMessage(err)}` }];
      this.progress = null;
    }
  }

  private addTable(opened: OpenedTable, path: string, size: number): void {
    const entry: WorkspaceTable = { ...opened, path, size, loading: opened.lazy };
    this.tables = [...this.tables, entry];
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
    if (!this.sql.trim() || /^SELECT \*\nFROM [^\n]+\nLIMIT 100$/.test(this.sql)) this.sql = defaultQuery(table);
  }

  async remove(table: string): Promise<void> {
    await this.engine.close(table);
    this.tables = this.tables.filter((t) => t.table !== table);
    this.fetchers.delete(table);
    if (this.selected === table) this.selected = this.tables[0]?.table ?? null;
  }

  /** Run the SQL box. */
  async runQuery(): Promise<void> {
    if (!this.sql.trim() || this.running) return;
    this.running = true;
    this.queryError = null;
    try {
      // Its own connection: the SQL box lists and reads the user's tables, never Transform's or a job's internal ones.
      this.result = this.athena ? await this.athena.run(this.sql, this.tables.map((t) => t.table)) : await this.engine.userQuery(this.sql);
    } catch (err) {
      this.result = null;
      this.queryError = errorMessage(err);
    } finally {
      this.running = false;
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
