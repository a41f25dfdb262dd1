import { tableFromIPC, tableToIPC, type Table } from 'apache-arrow';
import type { DuckHost, HostConnection, HostSource, InsertOptions } from './host';
import { formatFromName, type DataFormat } from './formats';
import type { FileReadStats } from './file-runtime';
import { ParquetCodec, type ParquetCompression } from './parquet';
import { LazyParquet, type LazyHost } from './parquet-table';
import { csvDialectList, quoteIdent, quoteLiteral, tableNameFromFile, uniqueName } from './sql';
import { fileWrite, nestedStatement, refusedCall, sharedMacro, tokenize } from './sql-tokens';
import { PAGE_ROWS, pageRows } from './paging';
import { tableToResult, type PlainValue, type QueryResult, type ResultColumn } from './values';

/** Where the bytes of a dataset come from. A dropped File is read lazily, never copied whole. */
export type DataSource = HostSource;

/**
 * How a CSV/TSV file is split, when a catalog says so (its SerDe parameters) instead of DuckDB's sniffer.
 * Unset fields are sniffed; `allVarchar` reads every column as text (the catalog's types are applied after).
 */
export interface CsvDialect {
  delimiter?: string;
  header?: boolean;
  quote?: string;
  escape?: string;
  /** Lines skipped before the header (or the first row, without one). */
  skip?: number;
  /** The text that stands for NULL (Hive's serialization.null.format). */
  nullstr?: string;
  allVarchar?: boolean;
  /**
   * Sniff the column types once (DuckDB's sniff_csv) and fix them in the view, so that later queries (the
   * preview, pages, materialize) read the file without sniffing it again. Each sniff of a 5,000-column file
   * costs seconds (issue 21); a narrow file sniffs in milliseconds and is left to sniff per query.
   */
  pin?: boolean;
}

/** The read_csv options of a dialect, each quoted: `, delim=';', header=true`. */
export function csvDialectOptions(d: CsvDialect): string {
  return csvDialectList(d).map((o) => `, ${o}`).join('');
}

/** A dataset opened as a DuckDB relation. */
export interface OpenedTable {
  table: string;
  fileName: string;
  format: DataFormat;
  columns: ResultColumn[];
  /** Exact row count when known (Parquet, or after `materialize`), else null. */
  rowCount: number | null;
  /** True while the table is still a view over the file (CSV before `materialize`). */
  lazy: boolean;
  /** The first rows, so a grid can show them before anything else is read. */
  preview: PlainValue[][];
  /** The workbook sheet the table holds (Excel files open as a table per sheet). */
  sheet?: string;
}

/** Rows returned with `open`, enough to fill a screen (fewer for a wide table: see pageRows). */
export const PREVIEW_ROWS = PAGE_ROWS;

/** A bounded query result: at most `limit` rows, and whether more existed. */
export interface BoundedResult extends QueryResult {
  truncated: boolean;
  totalRows: number;
  elapsedMs: number;
  /**
   * The whole result kept as a temporary table of the engine's own connection (userQuery only), so a grid
   * pages, sorts and filters it and a download writes all of it, past the rows returned here. Replaced by
   * the next userQuery; absent when the statement returned no columns.
   */
  relation?: string;
}

/** Name prefix of the kept results of userQuery (internal: the user's connection never sees them). */
export const RESULT_PREFIX = '__epoxy_result_';

/** A pinned (wide) CSV up to this size is loaded into a table by `open` itself (see CsvDialect.pin). */
export const PINNED_LOAD_BYTES = 64 * 1024 * 1024;

/** CSV files above this size stay a view over the file instead of being loaded into memory. */
export const MATERIALIZE_LIMIT_BYTES = 512 * 1024 * 1024;

/** Reads the whole body of a URL; the engine has no HTTP code of its own (see EngineOptions.readUrl). */
export type UrlReader = (url: string) => Promise<Uint8Array>;

/** How an engine is started. */
export interface EngineOptions {
  /**
   * Leave DuckDB unlocked: SQL may read and write any file or URL and change settings. Only for a user's own
   * trusted job (`epoxy run --trust`) or a benchmark; never for anything that came from a link.
   */
  trusted?: boolean;
  /**
   * How to read a `{ kind: 'url' }` source the engine decodes itself (Parquet): sources/http's `readUrlBytes`
   * (ranged GETs with retries, never HEAD, errors without the signature). Without it such a URL is refused.
   */
  readUrl?: UrlReader;
  /** Which DuckDB build runs and with how many threads, as shown to the user (e.g. `coi, 2 threads`). */
  build?: string;
  /**
   * DuckDB's memory_limit (DuckDB's own syntax, e.g. '2GB'); default DEFAULT_MEMORY_LIMIT. Set before the
   * lock-down, so a query can't raise it.
   */
  memoryLimit?: string;
  /** Counters of the runtime's reads of dropped files (file-runtime.ts), reported by `memory()`. */
  fileReads?: FileReadStats;
  /**
   * Real files and folders a locked engine may read besides its root (a native host's declared inputs: see
   * native.ts); a folder ends in '/' and is allowed with what it holds.
   */
  allowedPaths?: string[];
}

/**
 * DuckDB-WASM's heap can never grow past 4 GiB and never shrinks; DuckDB's own default limit (80% of what it
 * takes for the machine's memory: 3.1 GiB in the 4 GiB heap) leaves too little room for what its buffer pool
 * does not count (the heap allocator's own slack, query state, Arrow results being built), so a big join
 * crashed the worker instead of failing with DuckDB's out-of-memory error. 2 GiB leaves that room.
 */
export const DEFAULT_MEMORY_LIMIT = '2GiB';

/** Where the engine's memory is, for the memory benchmark and for diagnosing a heavy tab. */
export interface EngineMemory {
  /** Size of the WASM heap (it grows on demand and never shrinks): the high-water mark of DuckDB's memory. */
  wasmHeapBytes: number;
  /** What DuckDB's buffer manager holds now (duckdb_memory()), and what it spilled to its temporary files. */
  duckdbBytes: number;
  duckdbTempBytes: number;
  /** current_setting('memory_limit'), as DuckDB prints it (e.g. '1.8 GiB'). */
  memoryLimit: string;
  threads: number;
  /** The runtime's reads of dropped files, when it counts them (the browser). */
  fileReads?: FileReadStats;
}

/** Table functions a checked query may call: they make rows from their arguments and read nothing. */
export const CHECKED_TABLE_FUNCTIONS = ['RANGE', 'GENERATE_SERIES', 'UNNEST'];

/**
 * Name prefixes of the relations Epoxy makes for itself: Transform previews (`__epoxy_tf<n>_…`), job runs and
 * previews (`__job<n>_…`, `__jobpreview_…`), a shared job's dry check (`__check_…`).
 */
export const INTERNAL_PREFIXES = ['__epoxy', '__job', '__check_'];

/** Whether a relation is one Epoxy made for itself (see INTERNAL_PREFIXES) rather than one the user opened. */
export function isInternalRelation(name: string): boolean {
  return INTERNAL_PREFIXES.some((p) => name.startsWith(p));
}

// `CREATE [OR REPLACE] TABLE "<name>"` at the start of a statement, as Epoxy's own code writes it.
const CREATE_TABLE = /^(\s*CREATE\s+(?:OR\s+REPLACE\s+)?)(TABLE\s+"((?:[^"]|"")+)")/i;

/**
 * The statement with TEMP added when it creates an internal relation: temporary tables belong to the
 * connection that made them, so the user's SQL box (its own connection) never lists or touches them.
 */
function internalAsTemp(sql: string): string {
  const m = CREATE_TABLE.exec(sql);
  return m && isInternalRelation(m[3]!.replace(/""/g, '"')) ? `${m[1]}TEMP ${sql.slice(m[1]!.length)}` : sql;
}

/** Plan operators that read only what the query itself produced (VALUES, CTEs, correlated subqueries). */
const INTERNAL_SCANS = new Set(['DUMMY_SCAN', 'COLUMN_DATA_SCAN', 'CHUNK_SCAN', 'CTE_SCAN', 'REC_CTE_SCAN', 'RECURSIVE_CTE_SCAN', 'REC_REC_CTE_SCAN', 'DELIM_SCAN', 'EXPRESSION_SCAN', 'POSITIONAL_SCAN', 'EMPTY_RESULT']);

interface PlanNode { name: string; children?: PlanNode[]; extra_info?: { Table?: string; Function?: string; Projections?: string | string[]; Filters?: string | string[] } }

/** What a bound plan reads: tables scanned, table functions called, scan operators not otherwise known. */
interface PlanReads { tables: Set<string>; functions: Set<string>; unknown: Set<string> }

/**
 * A plan's table name as DuckDB 1.4 (WASM) writes it: DuckDB 1.5 (native) qualifies it with its catalog and
 * schema (`memory.main.sales`, `temp.main.__job1_x`), which a read check would take for another table.
 */
function bareTable(name: string): string {
  return name.replace(/^(?:memory|temp|system)\.[^.]+\./i, '');
}

function planReads(nodes: PlanNode[]): PlanReads {
  const out: PlanReads = { tables: new Set(), functions: new Set(), unknown: new Set() };
  const visit = (n: PlanNode) => {
    const name = n.name.trim().toUpperCase();
    const info = n.extra_info ?? {};
    if (typeof info.Table === 'string') out.tables.add(bareTable(info.Table).toLowerCase());
    else if (typeof info.Function === 'string') out.functions.add(info.Function.toUpperCase());
    else if (/SCAN$/.test(name) && !INTERNAL_SCANS.has(name)) out.unknown.add(name);
    for (const c of n.children ?? []) visit(c);
  };
  nodes.forEach(visit);
  return out;
}

/**
 * A connection whose every statement is first prepared for the engine's lazy Parquet relations (see
 * Engine.prepareLazy): the Engine holds its DuckDB connections only through this, so no statement can read
 * a lazy relation's view before the columns and row groups it needs are loaded.
 */
class GuardedConnection {
  readonly #raw: HostConnection;
  readonly #prepare: (raw: HostConnection, sql: string) => void;
  constructor(raw: HostConnection, prepare: (raw: HostConnection, sql: string) => void) {
    this.#raw = raw;
    this.#prepare = prepare;
  }
  query(sql: string): Table {
    this.#prepare(this.#raw, sql);
    return this.#raw.query(sql);
  }
  /** The result as Arrow IPC bytes. */
  queryIPC(sql: string): Uint8Array {
    this.#prepare(this.#raw, sql);
    return this.#raw.queryIPC(sql);
  }
  /** Run one prepared statement (a second statement in `sql` is refused by DuckDB, never run). */
  runPrepared(sql: string): void {
    this.#prepare(this.#raw, sql);
    this.#raw.queryPrepared(sql);
  }
  insertArrowFromIPCStream(ipc: Uint8Array, options: InsertOptions): void {
    this.#raw.insertIPC(ipc, options);
  }
  /** queryIPC in slices (HostConnection.queryIPCSliced) once `sql` is prepared. */
  queryIPCSliced(sql: string, pause: () => Promise<void>): Promise<Uint8Array> {
    this.#prepare(this.#raw, sql);
    return this.#raw.queryIPCSliced(sql, pause);
  }
}

/**
 * The one DuckDB host: the same class runs inside the browser engine worker and in Node (CLI, unit tests),
 * over DuckDB-WASM's synchronous "blocking" bindings or native DuckDB behind a synchronous bridge (host.ts).
 */
export class Engine {
  private readonly conn: GuardedConnection;
  /** The engine's connection itself: only for explaining and for a lazy relation's own loading (prepareLazy). */
  private readonly rawConn: HostConnection;
  /** The connection the user's own SQL runs on (userQuery): it sees the user's tables, never internal ones. */
  private userConn: GuardedConnection | null = null;
  /** Parquet files opened lazily, by view name (lowercase). */
  private readonly lazy = new Map<string, LazyParquet>();
  readonly parquet: ParquetCodec;
  private readonly tables = new Map<string, OpenedTable & { path: string; size: number }>();
  private fileCounter = 0;
  /** False once DuckDB is locked down (the default): see the constructor. */
  readonly trusted: boolean;
  private readonly readUrl: UrlReader | undefined;
  /** Which DuckDB build runs and with how many threads (EngineOptions.build). */
  readonly build: string;
  private readonly fileReads: FileReadStats | undefined;

  /**
   * @param scratchDir where COPY writes before the bytes are read back: DuckDB's in-memory file system in the
   * browser ('/epoxy/out'), a real temporary folder in Node (whose runtime maps unknown paths to disk).
   */
  constructor(
    private readonly db: DuckHost,
    parquet: ParquetCodec,
    private readonly scratchDir = '/epoxy/out',
    private readonly removeScratch: (path: string) => void = () => {},
    options: EngineOptions = {},
  ) {
    this.parquet = parquet;
    this.rawConn = db.connect();
    this.trusted = options.trusted ?? false;
    this.conn = new GuardedConnection(this.rawConn, (raw, sql) => this.guard(raw, sql));
    this.readUrl = options.readUrl;
    this.build = options.build ?? 'eh, 1 thread';
    this.fileReads = options.fileReads;
    this.conn.query(`SET memory_limit=${quoteLiteral(options.memoryLimit ?? DEFAULT_MEMORY_LIMIT)}`);
    // Extensions would be downloaded from the internet on first use: offline that fails or hangs.
    this.conn.query('SET autoload_known_extensions=false');
    this.conn.query('SET autoinstall_known_extensions=false');
    // DuckDB 1.4's late-materialization pass costs seconds planning any LIMIT over thousands of columns
    // (5,000 columns: a 200-row page 3.3 s with it, 0.7 s without), though it only rewrites LIMITs of
    // <= 50 rows (late_materialization_max_rows). The grid pages with LIMIT/OFFSET: it must not pay that.
    this.conn.query("SET disabled_optimizers='late_materialization'");
    if (!this.trusted) {
      // SQL may touch only files registered under the host's root (dropped files, OPFS, presigned URLs, Node
      // inputs) and the scratch folder COPY writes to; no other path or URL, and no setting can change after
      // this, so nothing a query does carries over into a later run. DuckDB normalises `..` before checking.
      const root = `${db.root}/`;
      const dirs = [root, ...(scratchDir.startsWith(root) ? [] : [scratchDir.replace(/\/*$/, '/')])];
      const extra = options.allowedPaths ?? [];
      const folders = extra.filter((p) => p.endsWith('/'));
      const files = extra.filter((p) => !p.endsWith('/'));
      this.conn.query(`SET allowed_directories=[${[...dirs, ...folders].map(quoteLiteral).join(', ')}]`);
      if (files.length) this.conn.query(`SET allowed_paths=[${files.map(quoteLiteral).join(', ')}]`);
      this.conn.query('SET enable_external_access=false');
      this.conn.query('SET lock_configuration=true');
    }
  }

  /** Which DuckDB runs: DuckDB-WASM, or native DuckDB behind the bridge (native.ts). */
  get kind(): 'wasm' | 'native' {
    return this.db.kind;
  }

  /** An error's text without the engine's own folder: `<root>/12/x.csv` reads as `x.csv`. */
  private plainError(err: unknown): string {
    const root = this.db.root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return cleanError(err).replace(new RegExp(`${root}/\\d+/`, 'g'), '');
  }

  /** True only while copyToBytes runs its own COPY into the scratch folder. */
  private ownCopy = false;

  /**
   * What runs before every statement: on a locked engine, no COPY … TO or EXPORT DATABASE but the engine's
   * own (copyToBytes). A native engine reads the user's files in place (a link DuckDB follows to the file
   * itself), so a COPY onto a registered path would overwrite the user's own file; DuckDB's allowed paths
   * don't tell reading from writing. Then the lazy Parquet relations the statement reads are loaded.
   */
  private guard(raw: HostConnection, sql: string): void {
    // Most statements hold neither word: they are not tokenized for it.
    if (!this.trusted && !this.ownCopy && /copy|export/i.test(sql)) {
      const write = fileWrite(tokenize(sql).tokens);
      if (write) throw new Error(`${write.keyword === 'copy' ? 'COPY … TO' : 'EXPORT DATABASE'} is refused: this engine writes no file but its own outputs (a job's targets, downloads), and never over the files it reads.`);
    }
    this.prepareLazy(raw, sql);
  }

  /** Where the engine's memory is now (see EngineMemory). */
  memory(): EngineMemory {
    const heap = this.db.heapBytes();
    const row = tableToResult(this.conn.query(`SELECT current_setting('memory_limit') AS lim, current_setting('threads')::INTEGER AS threads,
      (SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory())::DOUBLE AS used,
      (SELECT coalesce(sum(temporary_storage_bytes), 0) FROM duckdb_memory())::DOUBLE AS temp`)).rows[0]!;
    return {
      wasmHeapBytes: heap,
      duckdbBytes: Number(row[2]),
      duckdbTempBytes: Number(row[3]),
      memoryLimit: String(row[0]),
      threads: Number(row[1]),
      ...(this.fileReads ? { fileReads: { ...this.fileReads } } : {}),
    };
  }

  /** DuckDB's version string, e.g. v1.4.3. */
  version(): string {
    return this.db.version();
  }

  /** Register bytes under a virtual file name DuckDB can read. */
  async registerSource(fileName: string, source: DataSource): Promise<string> {
    const path = `${this.db.root}/${++this.fileCounter}/${fileName.split(/[\\/]/).pop()}`;
    await this.db.register(path, source);
    return path;
  }

  /** Run SQL and return the whole result as an Arrow table. */
  queryArrow(sql: string): Table {
    return this.conn.query(sql);
  }

  /** Run SQL and return the whole result as an Arrow IPC stream (cheap to transfer or write as Parquet). */
  queryIPC(sql: string): Uint8Array {
    return this.conn.queryIPC(sql);
  }

  /**
   * queryIPC as a pending query DuckDB works through in slices (~100 ms each), `pause` (a turn of the worker's
   * event loop) between them. A long scan blocked the worker for its whole length: no other message, and
   * none of V8's own collection tasks, could run until it ended (issue 21: a 2 GB CSV job). The caller must
   * keep other statements off this connection until it settles (engine-service does): one would break the
   * pending query.
   */
  async queryIPCAsync(sql: string, pause: () => Promise<void> = yieldToEventLoop): Promise<Uint8Array> {
    try {
      return await this.conn.queryIPCSliced(sql, pause);
    } catch (err) {
      throw new Error(cleanError(err));
    }
  }

  /**
   * Run SQL (one or more statements) and return at most `limit` rows of the last result. A statement creating
   * an internal relation (isInternalRelation) makes it a temporary table of this connection.
   */
  query(sql: string, limit = 10_000): BoundedResult {
    return this.run(this.conn, internalAsTemp(sql), limit);
  }

  /**
   * Run the user's own SQL (the Workspace SQL box) on a connection of its own: it reads and lists the tables
   * the user opened, and none of Epoxy's internal relations (they are temporary tables of the engine's
   * connection), so `SHOW TABLES` or `duckdb_tables()` show only the user's. The lock-down is the database's,
   * so it binds this connection too.
   */
  userQuery(sql: string, limit = 10_000): BoundedResult {
    this.userConn ??= new GuardedConnection(this.db.connect(), (raw, s) => this.guard(raw, s));
    const conn = this.userConn;
    const started = performance.now();
    if (!this.trusted) {
      const { tokens } = tokenize(sql);
      // The user's connection can't see internal relations (TEMP on the engine's), but a relation it makes under
      // such a name collides with them: a view `__epoxy_result_<n>_in` broke the next result ("is of type View").
      const internal = tokens.find((t) => (t.kind === 'ident' || t.kind === 'word') && isInternalRelation(t.value.toLowerCase()));
      if (internal) {
        throw new Error(`"${internal.value}" is a name Epoxy keeps for its own tables (names starting with ${INTERNAL_PREFIXES.join(', ')}): the SQL box can't read or make one; give yours another name.`);
      }
      const write = fileWrite(tokens);
      if (write) {
        throw new Error(`${write.keyword === 'copy' ? 'COPY … TO' : 'EXPORT DATABASE'} is refused here: it would write a file inside the engine, among the files you opened, where nothing can take it out. To keep a result, use its download buttons (CSV, Parquet, NDJSON, xlsx) or "Save as table".`);
      }
      const macro = sharedMacro(tokens);
      if (macro) {
        const kw = macro.keyword.toUpperCase();
        throw new Error(`CREATE ${kw} without TEMP is refused: a ${kw.toLowerCase()} in the shared database would replace DuckDB's own functions for Epoxy's jobs, Transform and grid too. Write CREATE TEMP ${kw}: it works the same in this SQL box.`);
      }
    }
    let table: Table;
    try {
      // As IPC bytes: the same bytes become the kept result below without re-running the query.
      table = tableFromIPC(conn.queryIPC(sql));
    } catch (err) {
      throw new Error(cleanError(err));
    }
    const truncated = table.numRows > limit;
    const result = tableToResult(truncated ? table.slice(0, limit) : table);
    const relation = this.keepResult(table);
    return { ...result, truncated, totalRows: table.numRows, elapsedMs: performance.now() - started, ...(relation ? { relation } : {}) };
  }

  private resultCounter = 0;
  private keptResult: string | null = null;

  /** Keep a user result as a TEMP table of the engine's connection (see BoundedResult.relation); null if it can't be. */
  private keepResult(table: Table): string | null {
    if (this.keptResult) this.conn.query(`DROP TABLE IF EXISTS ${quoteIdent(this.keptResult)}`);
    this.keptResult = null;
    if (table.numCols === 0) return null;
    const name = `${RESULT_PREFIX}${++this.resultCounter}`;
    const staging = `${name}_in`;
    try {
      // insertArrow makes a plain table; it lives only for this synchronous call, then becomes a TEMP one.
      this.conn.insertArrowFromIPCStream(tableToIPC(table, 'stream'), { name: staging, create: true });
      this.conn.query(`CREATE TEMP TABLE ${quoteIdent(name)} AS SELECT * FROM ${quoteIdent(staging)}`);
      this.keptResult = name;
      return name;
    } catch {
      // A result Arrow can't carry back (or an empty one with no batches): the rows returned still show.
      return null;
    } finally {
      this.conn.query(`DROP TABLE IF EXISTS ${quoteIdent(staging)}`);
    }
  }

  private run(conn: GuardedConnection, sql: string, limit: number): BoundedResult {
    const started = performance.now();
    let table: Table;
    try {
      table = conn.query(sql);
    } catch (err) {
      throw new Error(cleanError(err));
    }
    const truncated = table.numRows > limit;
    const result = tableToResult(truncated ? table.slice(0, limit) : table);
    return { ...result, truncated, totalRows: table.numRows, elapsedMs: performance.now() - started };
  }

  /**
   * Create (or replace) the table `name` from one query that holds user SQL (a compiled transform step),
   * refusing anything but a query over `reads`: the text is one prepared statement wrapped so that only a
   * query parses; before it runs, its bound plan is checked — every table it scans is one of `reads` (or
   * what a read that is a view scans), every table function is range/generate_series/unnest (or called by
   * a read's own plan). A refusal throws an Error naming the table or function. A trusted engine still
   * runs exactly one statement, but skips the plan check.
   */
  createChecked(name: string, select: string, reads: string[]): void {
    const statement = `CREATE OR REPLACE ${isInternalRelation(name) ? 'TEMP ' : ''}TABLE ${quoteIdent(name)} AS (\n${select}\n)`;
    try {
      if (!this.trusted) this.checkReads(statement, select, reads);
      this.conn.runPrepared(statement);
    } catch (err) {
      throw new Error(cleanError(err));
    }
  }

  private checkReads(statement: string, select: string, reads: string[]): void {
    // What a plan cannot show: statements DuckDB turns into constants while binding (DESCRIBE, SHOW) and
    // scalar functions folded away (getvariable, current_setting). Epoxy's own SQL never holds either.
    const { tokens } = tokenize(select);
    const nested = nestedStatement(tokens);
    if (nested) throw new Error(`The query holds a ${nested.keyword.toUpperCase()} statement inside it: a step runs one read-only query over its inputs.`);
    const call = refusedCall(tokens);
    if (call) throw new Error(`The query calls ${call.name}(), which reads ${call.why === 'files' ? 'files or URLs' : "the engine's own tables or settings"}: a step may read only its inputs (${reads.join(', ') || 'none'}).`);
    const plan = planReads(this.explain(statement));
    const inputs = new Set(reads.map((r) => r.toLowerCase()));
    const names = reads.length ? reads.join(', ') : 'none';
    const stray = () => ({
      tables: [...plan.tables].filter((t) => !inputs.has(t)),
      functions: [...plan.functions].filter((f) => !CHECKED_TABLE_FUNCTIONS.includes(f)),
    });
    let { tables, functions } = stray();
    if (tables.length || functions.length) {
      // A read may be a view (a lazy CSV is one over read_csv): what its own plan reads is allowed too.
      const own = reads.map((r) => planReads(this.explain(`SELECT * FROM ${quoteIdent(r)}`)));
      tables = tables.filter((t) => !own.some((p) => p.tables.has(t)));
      functions = functions.filter((f) => !own.some((p) => p.functions.has(f)));
    }
    if (tables.length) throw new Error(`The query reads the table ${tables[0]}, which is not one of its inputs (${names}): a step may read only its inputs.`);
    if (functions.length) throw new Error(`The query calls the table function ${functions[0]!.toLowerCase()}(), which reads outside its inputs (${names}): a step may call only ${CHECKED_TABLE_FUNCTIONS.map((f) => f.toLowerCase()).join(', ')}.`);
    if (plan.unknown.size) throw new Error(`The query reads through ${[...plan.unknown][0]}, which a step may not use: a step may read only its inputs (${names}).`);
  }

  /** The bound physical plan of one statement (prepared, so a second statement is refused, never run). */
  private explain(sql: string, conn: HostConnection = this.rawConn): PlanNode[] {
    const table = conn.queryPrepared(`EXPLAIN (FORMAT json) ${sql}`);
    const json = table.getChild('explain_value')?.get(0) ?? table.getChildAt(1)?.get(0);
    return JSON.parse(String(json)) as PlanNode[];
  }

  /** Open a dataset as a table named after the file; CSV starts as a lazy view so first rows show at once. */
  async open(fileName: string, source: DataSource, size = 0, format = formatFromName(fileName), csv?: CsvDialect): Promise<OpenedTable> {
    if (format !== 'csv' && format !== 'tsv' && format !== 'parquet') throw new Error(`Cannot open ${fileName}: unknown format (expected .csv, .tsv or .parquet)`);
    // Every relation's name is taken, not only opened ones: a table the user's SQL made (`part_0`) would
    // otherwise make CREATE VIEW fail for every file named part-0.csv a job, Transform or Athena reads.
    const existing = this.conn.query('SELECT table_name FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views() WHERE NOT internal');
    const taken = new Set([...this.tables.keys(), ...tableToResult(existing).rows.map((r) => String(r[0]).toLowerCase())]);
    const table = uniqueName(tableNameFromFile(fileName), taken);
    const path = await this.registerSource(fileName, source).catch((err: unknown) => {
      throw new Error(`Cannot open ${fileName}: ${this.plainError(err)}`);
    });
    let rowCount: number | null = null;
    let width: number | null = null;
    try {
      if (format === 'parquet') {
        rowCount = this.db.kind === 'native' ? this.nativeParquetView(table, path) : (await this.openLazyParquet(table, source)).rowCount;
      } else {
        const options = csv ? csvDialectOptions({ ...(format === 'tsv' ? { delimiter: '\t' } : {}), ...csv }) : format === 'tsv' ? ", delim='\\t'" : '';
        const pinned = csv?.pin ? this.pinnedCsv(path, options) : null;
        width = pinned?.width ?? null;
        if (pinned && size > 0 && size <= PINNED_LOAD_BYTES) {
          // A wide file is loaded at once: every query on a view binds its thousands of columns again (seconds
          // each), and the preview would read the file a second time before materialize reads it a third.
          this.conn.query(`CREATE TABLE ${quoteIdent(table)} AS SELECT * ${pinned.from}`);
          rowCount = Number(this.conn.query(`SELECT count(*)::BIGINT AS n FROM ${quoteIdent(table)}`).getChildAt(0)?.get(0));
        } else {
          this.conn.query(`CREATE VIEW ${quoteIdent(table)} AS SELECT * ${pinned?.from ?? `FROM read_csv(${quoteLiteral(path)}${options})`}`);
        }
      }
    } catch (err) {
      this.db.dropFile(path);
      throw new Error(`Cannot open ${fileName}: ${this.plainError(err)}`);
    }
    const { columns, rows: preview } = this.preview(table, width);
    const opened = { table, fileName, format, columns, rowCount, lazy: format === 'parquet' || rowCount === null, preview };
    this.tables.set(table, { ...opened, path, size, preview: [] });
    return opened;
  }

  /**
   * Register a table a reader already created (an Excel sheet, an Arrow file: see frames/open-file) as opened,
   * so it is listed, paged and closed like a table `open` made.
   */
  adopt(table: string, fileName: string, format: DataFormat, sheet?: string): OpenedTable {
    const rowCount = Number(this.conn.query(`SELECT count(*)::BIGINT AS n FROM ${quoteIdent(table)}`).getChildAt(0)?.get(0));
    const { columns, rows: preview } = this.preview(table, null);
    const opened = { table, fileName, format, columns, rowCount, lazy: false, preview, ...(sheet !== undefined ? { sheet } : {}) };
    this.tables.set(table, { ...opened, path: '', size: 0, preview: [] });
    return opened;
  }

  /**
   * Load a lazy CSV view into a DuckDB table so that scrolling and queries do not re-read the file.
   * Very large files stay lazy (reading them whole would exhaust the 4 GB WASM heap); their count is still computed.
   */
  materialize(table: string): OpenedTable {
    const entry = this.tables.get(table);
    if (!entry) throw new Error(`No table named ${table}`);
    // A lazy Parquet relation stays lazy: each statement loads only what it reads.
    if (entry.lazy && entry.size <= MATERIALIZE_LIMIT_BYTES && !this.lazy.has(table.toLowerCase())) {
      const tmp = quoteIdent(`${table}__loading`);
      this.conn.query(`CREATE OR REPLACE TABLE ${tmp} AS SELECT * FROM ${quoteIdent(table)}`);
      this.conn.query(`DROP VIEW ${quoteIdent(table)}`);
      this.conn.query(`ALTER TABLE ${tmp} RENAME TO ${quoteIdent(table)}`);
      entry.lazy = false;
    }
    if (entry.rowCount === null) {
      entry.rowCount = Number(this.conn.query(`SELECT count(*)::BIGINT AS n FROM ${quoteIdent(table)}`).getChildAt(0)?.get(0));
    }
    const { path: _path, size: _size, ...opened } = entry;
    return opened;
  }

  /**
   * The first page of a relation: pageRows of its width, so a wide one never converts and posts more values
   * than a page holds. `width` when known (a pinned CSV); else one query gives both the first rows and the
   * types (every query on a sniffed CSV view sniffs again).
   */
  private preview(table: string, width: number | null): QueryResult {
    if (width !== null) return this.page(table, 0, pageRows(width));
    const first = this.page(table, 0, PREVIEW_ROWS);
    const rows = pageRows(first.columns.length);
    return rows < first.rows.length ? { columns: first.columns, rows: first.rows.slice(0, rows) } : first;
  }

  /**
   * `FROM read_csv(…)` with the types DuckDB's sniffer finds (and the dialect and formats it settles on),
   * spelled out: the prompt sniff_csv writes, so the view never sniffs again.
   */
  private pinnedCsv(path: string, options: string): { from: string; width: number } | null {
    const sniffed = this.conn.query(`SELECT Prompt, len(Columns)::INTEGER AS width FROM sniff_csv(${quoteLiteral(path)}${options})`);
    const prompt = String(sniffed.getChild('Prompt')?.get(0) ?? '').trim();
    const width = Number(sniffed.getChild('width')?.get(0) ?? 0);
    // Only a prompt that reads this very path is used as is; anything else sniffs per query, as a narrow file does.
    return prompt.startsWith(`FROM read_csv(${quoteLiteral(path)}, `) && prompt.endsWith(');') && width > 0 ? { from: prompt.slice(0, -1), width } : null;
  }

  /**
   * Open a Parquet file as the view `name` (closed with `close`) and return its row count: DuckDB's own
   * reader on a native host, a lazy relation (openLazyParquet) on DuckDB-WASM. Throws a plain sentence when
   * the file is not readable Parquet (callers prefix "Cannot open <file>:").
   */
  async openParquet(name: string, fileName: string, source: DataSource): Promise<{ rowCount: number }> {
    if (this.db.kind !== 'native') return this.openLazyParquet(name, source);
    const path = await this.registerSource(fileName, source).catch((err: unknown) => {
      throw new Error(this.plainError(err));
    });
    try {
      const rowCount = this.nativeParquetView(name, path);
      this.nativeViews.set(name.toLowerCase(), path);
      return { rowCount };
    } catch (err) {
      this.db.dropFile(path);
      throw new Error(this.plainError(err));
    }
  }

  /** Views openParquet made on a native host, by name (lowercase), with their registered file. */
  private readonly nativeViews = new Map<string, string>();

  /**
   * A view over DuckDB's own read_parquet (native hosts), and its exact row count (from the footer). A file
   * DuckDB can't read fails as on DuckDB-WASM: "Not a readable Parquet file: <DuckDB's reason>".
   */
  private nativeParquetView(name: string, path: string): number {
    try {
      this.conn.query(`CREATE VIEW ${quoteIdent(name)} AS SELECT * FROM read_parquet(${quoteLiteral(path)})`);
      return Number(this.conn.query(`SELECT count(*)::BIGINT AS n FROM ${quoteIdent(name)}`).getChildAt(0)?.get(0));
    } catch (err) {
      this.conn.query(`DROP VIEW IF EXISTS ${quoteIdent(name)}`);
      throw new Error(`Not a readable Parquet file: ${this.plainError(err).replace(/^Invalid Input Error: /, '')}`);
    }
  }

  /**
   * Open a Parquet file as the view `name`, reading only its footer now (see parquet-table.ts); every later
   * statement loads the columns and row groups it reads. Throws a plain sentence when the file is not
   * readable Parquet (callers prefix "Cannot open <file>:").
   */
  async openLazyParquet(name: string, source: DataSource): Promise<LazyParquet> {
    const raw = this.rawConn;
    const host: LazyHost = {
      exec: (sql) => { raw.query(sql); },
      describe: (sql) => tableToResult(raw.query(`DESCRIBE ${sql}`)).rows.map((r) => ({ name: String(r[0]), type: String(r[1]) })),
      insert: (schema, table, ipc, create) => { raw.insertIPC(ipc, { name: table, schema, create }); },
    };
    const rel = await LazyParquet.open(name, source, this.parquet.pq, host, this.readUrl);
    this.lazy.set(name.toLowerCase(), rel);
    return rel;
  }

  /** The lazy relation behind a view (its counters prove what was read), or undefined. */
  lazyRelation(name: string): LazyParquet | undefined {
    return this.lazy.get(name.toLowerCase());
  }

  /**
   * Load what `sql` reads of each lazy Parquet relation before it runs: explain it with every view on its
   * stub, take each stub scan's projected columns and pushed filters, prune row groups by statistics, load
   * the rest and re-point the view. A statement that cannot be explained (several statements, DDL) loads
   * every lazy relation in full; otherwise relations it does not read stay on their (empty) stub.
   */
  private prepareLazy(conn: HostConnection, sql: string): void {
    if (!this.lazy.size) return;
    for (const rel of this.lazy.values()) rel.pointAtStub();
    const { tokens } = tokenize(sql);
    // Only one statement is explained: DuckDB-WASM's prepare runs every statement before the last one.
    const semi = tokens.findIndex((t) => t.kind === 'punct' && t.text === ';');
    const single = semi < 0 || semi === tokens.length - 1;
    let plan: PlanNode[] | null = null;
    try {
      plan = single ? this.explain(sql, conn) : null;
    } catch {
      plan = null;
    }
    if (!plan) {
      // Every lazy relation, not only the ones named: a view the user made over one (or made by an earlier
      // statement of this same text) reads it without naming it, and a view left on its stub reads no rows.
      for (const rel of this.lazy.values()) rel.ensure(rel.columns.map((c) => c.name), rel.footer.meta.row_groups.map((_, i) => i));
      return;
    }
    const byStub = new Map([...this.lazy.values()].map((r) => [r.stub.toLowerCase(), r]));
    const needs = new Map<LazyParquet, { columns: Set<string>; groups: Set<number> }>();
    const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : v === '' ? [] : [v]);
    const visit = (n: PlanNode) => {
      const rel = typeof n.extra_info?.Table === 'string' ? byStub.get(n.extra_info.Table.toLowerCase()) : undefined;
      if (rel) {
        const need = needs.get(rel) ?? { columns: new Set<string>(), groups: new Set<number>() };
        needs.set(rel, need);
        const names = rel.columns.map((c) => c.name);
        const filters = list(n.extra_info!.Filters);
        for (const p of list(n.extra_info!.Projections)) {
          const bare = p.startsWith('"') ? p.slice(1, -1).replace(/""/g, '"') : p;
          const hit = names.includes(bare) ? bare : names.filter((c) => bare.startsWith(`${c}.`)).sort((a, b) => b.length - a.length)[0];
          if (hit) need.columns.add(hit);
          else names.forEach((c) => need.columns.add(c)); // a projection not understood: read every column
        }
        for (const f of filters) for (const c of names) if (f.includes(c)) need.columns.add(c);
        for (const g of rel.groupsFor(filters)) need.groups.add(g);
      }
      for (const c of n.children ?? []) visit(c);
    };
    plan.forEach(visit);
    for (const [rel, need] of needs) rel.ensure([...need.columns], [...need.groups].sort((a, b) => a - b));
  }

  /** One page of a table's rows, for a virtualized grid. */
  page(table: string, offset: number, limit: number): QueryResult {
    const rel = this.lazy.get(table.toLowerCase());
    if (rel) return tableToResult(this.rawConn.query(rel.pageSql(Math.max(0, offset | 0), Math.max(0, limit | 0))));
    return tableToResult(this.conn.query(`SELECT * FROM ${quoteIdent(table)} LIMIT ${Math.max(0, limit | 0)} OFFSET ${Math.max(0, offset | 0)}`));
  }

  /** Column names and DuckDB types of a relation. */
  describe(table: string): ResultColumn[] {
    const t = this.conn.query(`DESCRIBE ${quoteIdent(table)}`);
    const result = tableToResult(t);
    return result.rows.map((r) => ({ name: String(r[0]), type: String(r[1]) }));
  }

  /** Tables opened in this engine. */
  listTables(): OpenedTable[] {
    return [...this.tables.values()].map(({ path: _p, size: _s, ...t }) => t);
  }

  /** Run a query and encode its result as Parquet bytes. */
  toParquet(sql: string, compression: ParquetCompression = 'snappy'): Uint8Array {
    if (this.db.kind === 'native') return this.copyToBytes(sql, `FORMAT parquet, COMPRESSION ${compression}`);
    return this.parquet.fromArrowIPC(this.queryIPC(sql), compression);
  }

  /** toParquet, the query run by queryIPCAsync (the event loop runs meanwhile; see there). */
  async toParquetAsync(sql: string, compression: ParquetCompression = 'snappy'): Promise<Uint8Array> {
    if (this.db.kind === 'native') return this.toParquet(sql, compression);
    return this.parquet.fromArrowIPC(await this.queryIPCAsync(sql), compression);
  }

  /**
   * Run `COPY (sql) TO ... (options)` into DuckDB's in-memory file system and return the bytes.
   * On DuckDB-WASM only writers built into DuckDB work offline (CSV); Parquet goes through `toParquet`.
   */
  copyToBytes(sql: string, copyOptions: string): Uint8Array {
    const path = `${this.scratchDir}/copy-${++this.fileCounter}`;
    try {
      this.ownCopy = true;
      try {
        this.conn.query(`COPY (${sql}) TO ${quoteLiteral(path)} (${copyOptions})`);
      } finally {
        this.ownCopy = false;
      }
      return this.db.readFile(path);
    } finally {
      this.db.dropFile(path);
      this.removeScratch(path);
    }
  }

  /** Load Parquet bytes into a new DuckDB table. */
  importParquet(table: string, parquet: Uint8Array): void {
    if (this.db.kind === 'native') {
      const path = `${this.scratchDir}/import-${++this.fileCounter}.parquet`;
      this.db.writeFile(path, parquet);
      try {
        this.conn.query(`CREATE TABLE ${quoteIdent(table)} AS SELECT * FROM read_parquet(${quoteLiteral(path)})`);
      } finally {
        this.db.dropFile(path);
      }
      return;
    }
    this.conn.insertArrowFromIPCStream(this.parquet.toArrowIPC(parquet), { name: table, create: true });
  }

  /** Load an Arrow IPC stream into a table (created when missing). */
  insertArrowIPC(table: string, ipc: Uint8Array, create = true): void {
    this.conn.insertArrowFromIPCStream(ipc, { name: table, create });
  }

  /** Drop an opened table and its registered file. */
  close(table: string): void {
    const entry = this.tables.get(table);
    const rel = this.lazy.get(table.toLowerCase());
    const nativePath = this.nativeViews.get(table.toLowerCase());
    if (!entry && nativePath !== undefined) {
      this.conn.query(`DROP VIEW IF EXISTS ${quoteIdent(table)}`);
      this.db.dropFile(nativePath);
      this.nativeViews.delete(table.toLowerCase());
      return;
    }
    if (!entry && rel) {
      // A lazy Parquet relation openRecords made (catalog reads, jobs): its view and internal tables.
      this.rawConn.query(`DROP VIEW IF EXISTS ${quoteIdent(table)}`);
      rel.close();
      this.lazy.delete(table.toLowerCase());
      return;
    }
    if (!entry) return;
    this.conn.query(`DROP ${entry.lazy ? 'VIEW' : 'TABLE'} IF EXISTS ${quoteIdent(table)}`);
    this.lazy.get(table.toLowerCase())?.close();
    this.lazy.delete(table.toLowerCase());
    if (entry.path) this.db.dropFile(entry.path);
    this.tables.delete(table);
  }
}

/**
 * A macrotask turn of the event loop, without setTimeout's 4 ms clamp on nested timers (a 4 s query polls
 * about 40 times): setImmediate in Node, a MessageChannel message in a browser worker.
 */
export function yieldToEventLoop(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (f: () => void) => void }).setImmediate;
  if (immediate) return new Promise((resolve) => immediate(resolve));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => { channel.port1.close(); resolve(); };
    channel.port2.postMessage(null);
  });
}

/** DuckDB errors arrive with a type prefix and a long tail; keep the part a user can act on. */
export function cleanError(err: unknown): string {
  const Exception = (globalThis as { WebAssembly?: { Exception?: new (...args: never[]) => unknown } }).WebAssembly?.Exception;
  // A trap inside DuckDB-WASM carries no message: say so rather than "[object WebAssembly.Exception]".
  const text = err instanceof Error ? err.message : Exception && err instanceof Exception ? 'DuckDB failed inside its WebAssembly code without saying why (an unsupported read, or too little memory)' : String(err);
  const clean = text.replace(/^(\w+ )?Error: /, '').split('\n\nLINE')[0]!.trim();
  // The locked engine's own wording names a setting the user never set; say what the boundary is instead.
  const refused = /^Cannot access (?:file|directory) "([^"]*)" - file system operations are disabled by configuration/.exec(clean);
  if (refused) return `Cannot read "${refused[1]}": the engine reads only the files you open here (dropped, chosen, crawled or in the workspace), never other paths or the network (file system operations are disabled by configuration)`;
  return clean;
}
