import type { DataSource, UrlReader } from './engine';
import type { ParquetModule } from './parquet';
import { readParquetFooter, rowGroupFile, type ParquetFooter } from './parquet-footer';
import { quoteIdent } from './sql';

/**
 * A Parquet file opened lazily. The user-visible name is a VIEW; behind it an empty stub table carries the
 * file's schema (with statistics widened so DuckDB's optimizer never proves a filter false from the stub's own
 * emptiness), and a data table holds the columns × row groups loaded so far. Before a statement runs, the
 * engine explains it against the stub (see Engine.prepare), takes each scan's projected columns and pushed
 * filters, prunes row groups with the footer's statistics, loads what is missing and re-points the view.
 */

/** Schema that holds the internal tables of lazy relations: `SHOW TABLES` (the main schema) never lists them. */
export const LAZY_SCHEMA = '__epoxy_lazy';

/** Uncompressed bytes (by the footer's sizes) a relation keeps loaded beyond what one statement needs. */
export const LAZY_CACHE_BYTES = 512 * 1024 * 1024;

/** What the engine gives a lazy relation: SQL on the engine's own connection, and Arrow inserts. */
export interface LazyHost {
  exec(sql: string): void;
  describe(sql: string): { name: string; type: string }[];
  insert(schema: string, table: string, ipc: Uint8Array, create: boolean): void;
}

/** One scan of a lazy relation's stub in a statement's plan. */
export interface ScanNeed {
  /** Projected column names; empty for count(*). */
  columns: string[];
  /** Pushed filters as DuckDB prints them (`a>=1 AND a<=4`, `(b IS NOT NULL)`), one conjunct list. */
  filters: string[];
}

type ByteReader = (offset: number, length: number) => Uint8Array;

/** Sync random access over a source: row groups are read while a (synchronous) statement is being prepared. */
async function byteReader(source: DataSource, readUrl: UrlReader | undefined): Promise<{ read: ByteReader; size: number; close: () => void }> {
  const whole = (bytes: Uint8Array) => ({ read: (o: number, n: number) => bytes.subarray(o, o + n), size: bytes.length, close: () => {} });
  switch (source.kind) {
    case 'buffer': return whole(source.bytes);
    case 'path': {
      const fs = await import('node:fs');
      const fd = fs.openSync(source.path, 'r');
      const size = fs.fstatSync(fd).size;
      return {
        size,
        read: (o, n) => { const b = new Uint8Array(n); fs.readSync(fd, b, 0, n, o); return b; },
        close: () => fs.closeSync(fd),
      };
    }
    case 'file': {
      // A worker reads slices of a dropped file synchronously; elsewhere (Node's File) the bytes are read once.
      const Sync = (globalThis as { FileReaderSync?: new () => { readAsArrayBuffer(b: Blob): ArrayBuffer } }).FileReaderSync;
      if (Sync) {
        const reader = new Sync();
        const file = source.file;
        return { size: file.size, read: (o, n) => new Uint8Array(reader.readAsArrayBuffer(file.slice(o, o + n))), close: () => {} };
      }
      return whole(new Uint8Array(await source.file.arrayBuffer()));
    }
    case 'url': {
      // Never the URL in a message: a presigned one carries its signature.
      if (!readUrl) throw new Error('this engine was started without a URL reader, so it reads no URLs');
      return whole(await readUrl(source.url));
    }
  }
}

/** Counters of what a relation has read from its file (tests prove projection and pruning with them). */
export interface LazyStats { rowGroupsRead: number; columnChunksRead: number; loads: number }

let counter = 0;

/** A lazily read Parquet file behind a view (see the module comment). */
export class LazyParquet {
  readonly stub: string;
  readonly data: string;
  private readonly page: string;
  columns: { name: string; type: string }[] = [];
  private loadedCols: string[] = [];
  private loadedGroups: number[] = [];
  readonly stats: LazyStats = { rowGroupsRead: 0, columnChunksRead: 0, loads: 0 };

  private constructor(
    readonly view: string,
    readonly footer: ParquetFooter,
    private readonly bytes: { read: ByteReader; size: number; close: () => void },
    private readonly pq: Pick<ParquetModule, 'readParquet'>,
    private readonly host: LazyHost,
  ) {
    const n = ++counter;
    this.stub = `pq${n}_stub`;
    this.data = `pq${n}_data`;
    this.page = `pq${n}_page`;
  }

  /** Read the footer, make the stub and the view; throws a plain sentence when the file is not readable Parquet. */
  static async open(view: string, source: DataSource, pq: Pick<ParquetModule, 'readParquet'>, host: LazyHost, readUrl?: UrlReader): Promise<LazyParquet> {
    const bytes = await byteReader(source, readUrl);
    try {
      const footer = await readParquetFooter(bytes.read, bytes.size);
      const rel = new LazyParquet(view, footer, bytes, pq, host);
      rel.makeStub();
      return rel;
    } catch (err) {
      bytes.close();
      throw err;
    }
  }

  get rowCount(): number {
    return Number(this.footer.meta.num_rows);
  }

  get rowGroups(): number {
    return this.footer.meta.row_groups.length;
  }

  private q(name: string): string {
    return `${quoteIdent(LAZY_SCHEMA)}.${quoteIdent(name)}`;
  }

  private decode(group: number | null, columns: string[] | null, rows?: { offset: number; limit: number }): Uint8Array {
    const file = rowGroupFile(this.footer, group, columns, this.bytes.read);
    let table;
    try {
      table = this.pq.readParquet(file, rows ?? null);
    } catch (err) {
      throw new Error(`its data cannot be decoded (${err instanceof Error ? err.message : String(err)})`);
    }
    if (group !== null) {
      this.stats.rowGroupsRead++;
      this.stats.columnChunksRead += (columns ?? this.columns.map((c) => c.name)).length;
    }
    return table.intoIPCStream();
  }

  private makeStub(): void {
    this.host.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(LAZY_SCHEMA)}`);
    this.host.insert(LAZY_SCHEMA, this.stub, this.decode(null, null), true);
    this.columns = this.host.describe(`SELECT * FROM ${this.q(this.stub)}`);
    // Widen the stub's statistics (extreme values and a NULL, then deleted): on an empty table's statistics
    // DuckDB proves `a = 3` false and plans EMPTY_RESULT, which would hide the scan this relation reads by.
    const rows = [this.columns.map((c) => extremes(c.type)?.[0] ?? 'NULL'), this.columns.map((c) => extremes(c.type)?.[1] ?? 'NULL'), this.columns.map(() => 'NULL')];
    if (this.columns.length) {
      this.host.exec(`INSERT INTO ${this.q(this.stub)} VALUES ${rows.map((r) => `(${r.join(', ')})`).join(', ')}`);
      this.host.exec(`DELETE FROM ${this.q(this.stub)}`);
    }
    this.pointAtStub();
  }

  /** The view reads the stub: the state in which statements are explained. */
  pointAtStub(): void {
    this.define(`SELECT * FROM ${this.q(this.stub)}`);
  }

  private current = '';

  /** (Re)define the view, unless it already reads that. */
  private define(select: string): void {
    if (select === this.current) return;
    this.host.exec(`CREATE OR REPLACE VIEW ${quoteIdent(this.view)} AS ${select}`);
    this.current = select;
  }

  /** Row groups a scan with these pushed filters can need (the footer's min/max and null counts rule the rest out). */
  groupsFor(filters: string[]): number[] {
    const preds = filters.flatMap(splitConjuncts).map(parsePredicate).filter((p): p is Predicate => p !== null);
    const out: number[] = [];
    this.footer.meta.row_groups.forEach((rg, i) => {
      if (preds.every((p) => this.mayMatch(p, rg))) out.push(i);
    });
    return out;
  }

  private mayMatch(p: Predicate, rg: ParquetFooter['meta']['row_groups'][number]): boolean {
    const leaves = this.footer.leaves.get(p.column);
    if (!leaves || leaves.length !== 1) return true;
    const type = this.columns.find((c) => c.name === p.column)?.type ?? '';
    if (!/^(TINYINT|SMALLINT|INTEGER|BIGINT|DOUBLE|FLOAT|VARCHAR|DATE|TIMESTAMP(_S|_MS|_NS)?)$/.test(type)) return true;
    const st = rg.columns[leaves[0]!]?.meta_data?.statistics;
    if (!st) return true;
    const rows = Number(rg.num_rows);
    const nulls = st.null_count === undefined ? null : Number(st.null_count);
    if (p.op === 'is not null') return nulls === null || nulls < rows;
    if (p.op === 'is null') return nulls === null || nulls > 0;
    if (nulls !== null && nulls === rows) return false; // every value NULL: no comparison holds
    const min = comparable(st.min_value ?? st.min), max = comparable(st.max_value ?? st.max);
    const v = p.value;
    if (min === null || max === null || v === null || typeof min !== typeof v || typeof max !== typeof v) return true;
    switch (p.op) {
      case '=': return v >= min && v <= max;
      case '<': return min < v;
      case '<=': return min <= v;
      case '>': return max > v;
      case '>=': return max >= v;
      default: return true;
    }
  }

  /** Uncompressed bytes of `columns` × `groups` by the footer. */
  private cost(columns: string[], groups: number[]): number {
    let total = 0;
    for (const g of groups) for (const c of columns) for (const leaf of this.footer.leaves.get(c) ?? []) total += Number(this.footer.meta.row_groups[g]!.columns[leaf]?.meta_data?.total_uncompressed_size ?? 0);
    return total;
  }

  /**
   * Make the view show (at least) `columns` of `groups`, loading what is missing row group by row group;
   * columns not loaded read as typed NULLs, which no prepared statement reads. The cache keeps what earlier
   * statements loaded up to LAZY_CACHE_BYTES; beyond it, only this statement's needs stay loaded.
   */
  ensure(columns: string[], groups: number[]): void {
    const cols = this.columns.map((c) => c.name).filter((c) => columns.includes(c));
    const covered = cols.every((c) => this.loadedCols.includes(c)) && groups.every((g) => this.loadedGroups.includes(g));
    if (!covered && cols.length) {
      let wantCols = this.columns.map((c) => c.name).filter((c) => cols.includes(c) || this.loadedCols.includes(c));
      let wantGroups = [...new Set([...groups, ...this.loadedGroups])].sort((a, b) => a - b);
      if (this.cost(wantCols, wantGroups) > LAZY_CACHE_BYTES) {
        wantCols = cols;
        wantGroups = [...groups];
      }
      const sameCols = wantCols.length === this.loadedCols.length && wantCols.every((c) => this.loadedCols.includes(c));
      const last = this.loadedGroups.at(-1) ?? -1;
      const append = sameCols && this.loadedGroups.length > 0 && wantGroups.slice(0, this.loadedGroups.length).every((g, i) => g === this.loadedGroups[i]) && wantGroups.slice(this.loadedGroups.length).every((g) => g > last);
      const fresh = append ? wantGroups.slice(this.loadedGroups.length) : wantGroups;
      if (!append) this.host.exec(`DROP TABLE IF EXISTS ${this.q(this.data)}`);
      let created = append;
      try {
        for (const g of fresh) {
          if (Number(this.footer.meta.row_groups[g]!.num_rows) === 0) continue;
          this.host.insert(LAZY_SCHEMA, this.data, this.decode(g, wantCols), !created);
          created = true;
        }
      } catch (err) {
        // A half-loaded data table holds rows the loaded lists do not name: a later statement the lists say is
        // covered would read them twice or partly. Start again from nothing.
        this.host.exec(`DROP TABLE IF EXISTS ${this.q(this.data)}`);
        this.loadedCols = [];
        this.loadedGroups = [];
        this.pointAtStub();
        const text = err instanceof Error ? err.message : String(err);
        if (!/out of memory|could not allocate/i.test(text)) throw err;
        const mb = Math.ceil(this.cost(wantCols, wantGroups) / 2 ** 20).toLocaleString('en-US');
        throw new Error(`${this.view} is too big to load for this statement: it reads ${wantCols.length === 1 ? 'the column' : 'the columns'} ${wantCols.join(', ')} of ${wantGroups.length.toLocaleString('en-US')} row group${wantGroups.length === 1 ? '' : 's'} (about ${mb} MB uncompressed), more than the engine's memory holds. Read fewer columns, add a WHERE on a column whose row groups can be skipped (a range of dates or ids), or run it with native DuckDB (Jobs → Download → DuckDB SQL).`);
      }
      this.stats.loads++;
      this.loadedCols = created ? wantCols : [];
      this.loadedGroups = created ? wantGroups : [];
    }
    this.pointAtData(groups);
  }

  private pointAtData(groups: number[]): void {
    const covered = this.loadedCols.length > 0 && groups.every((g) => this.loadedGroups.includes(g));
    // Off the data table (count(*) over groups not loaded) every column is a typed NULL: none is read.
    const select = this.columns.map((c) => (covered && this.loadedCols.includes(c.name) ? quoteIdent(c.name) : `NULL::${c.type} AS ${quoteIdent(c.name)}`)).join(', ') || '*';
    let from: string;
    if (covered) from = this.q(this.data);
    else {
      // No column needed (count(*)): as many rows as the needed row groups hold, and no data read.
      const rows = groups.reduce((s, g) => s + Number(this.footer.meta.row_groups[g]!.num_rows), 0);
      from = `range(${rows})`;
    }
    this.define(`SELECT ${select} FROM ${from}`);
  }

  /**
   * One page of rows in file order: only the rows of the page are decoded (all columns), from the row groups
   * that cover it, into a page table of their own.
   */
  pageSql(offset: number, limit: number): string {
    this.host.exec(`DROP TABLE IF EXISTS ${this.q(this.page)}`);
    let start = 0, created = false;
    for (let g = 0; g < this.footer.meta.row_groups.length && limit > 0; g++) {
      const n = Number(this.footer.meta.row_groups[g]!.num_rows);
      const lo = Math.max(0, offset - start), hi = Math.min(n, offset + limit - start);
      if (hi > lo) {
        this.host.insert(LAZY_SCHEMA, this.page, this.decode(g, null, { offset: lo, limit: hi - lo }), !created);
        created = true;
      }
      start += n;
    }
    return created ? `SELECT * FROM ${this.q(this.page)}` : `SELECT * FROM ${this.q(this.stub)} LIMIT 0`;
  }

  /** Drop the internal tables and the file handle (the engine drops the view). */
  close(): void {
    for (const t of [this.stub, this.data, this.page]) this.host.exec(`DROP TABLE IF EXISTS ${this.q(t)}`);
    this.bytes.close();
  }
}

type Predicate = { column: string; op: string; value: number | string | null };

/** Split `a>=1 AND a<=4` at top-level ANDs (none inside quotes or parentheses). */
function splitConjuncts(filter: string): string[] {
  const out: string[] = [];
  let depth = 0, quote = false, from = 0;
  for (let i = 0; i < filter.length; i++) {
    const ch = filter[i];
    if (ch === "'") quote = !quote;
    else if (!quote && ch === '(') depth++;
    else if (!quote && ch === ')') depth--;
    else if (!quote && depth === 0 && filter.startsWith(' AND ', i)) { out.push(filter.slice(from, i)); from = i + 5; i += 4; }
  }
  out.push(filter.slice(from));
  return out.map((s) => s.trim());
}

const IDENT = String.raw`([A-Za-z_][A-Za-z0-9_]*|"(?:[^"]|"")+")`;
const COMPARE = new RegExp(String.raw`^${IDENT}\s*(=|<=|>=|<|>)\s*(.+)$`);
const NULLTEST = new RegExp(String.raw`^\(?${IDENT} IS (NOT )?NULL\)?$`);

/** `col op constant` or `(col IS [NOT] NULL)`; anything else is null (no pruning). */
function parsePredicate(text: string): Predicate | null {
  const unq = (s: string) => (s.startsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s);
  const n = NULLTEST.exec(text);
  if (n) return { column: unq(n[1]!), op: n[2] ? 'is not null' : 'is null', value: null };
  const m = COMPARE.exec(text);
  if (!m) return null;
  return { column: unq(m[1]!), op: m[2]!, value: constant(m[3]!) };
}

function constant(text: string): number | string | null {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  const s = /^'((?:[^']|'')*)'(::(DATE|TIMESTAMP))?$/.exec(text);
  if (!s) return null;
  const value = s[1]!.replace(/''/g, "'");
  if (s[3]) {
    const ms = Date.parse(`${value.replace(' ', 'T')}${/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? '' : 'Z'}`);
    return Number.isFinite(ms) ? ms : null;
  }
  // Strings compare as UTF-8 bytes in Parquet, as UTF-16 code units here: the same for ASCII only.
  return /^[\x20-\x7e]*$/.test(value) ? value : null;
}

function comparable(v: unknown): number | string | null {
  if (typeof v === 'number') return Number.isNaN(v) ? null : v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'string') return /^[\x20-\x7e]*$/.test(v) ? v : null;
  return null;
}

/** The least and greatest literal of a type (for widening statistics), or null. */
function extremes(type: string): [string, string] | null {
  const ints: Record<string, [string, string]> = {
    TINYINT: ['-128', '127'], SMALLINT: ['-32768', '32767'], INTEGER: ['-2147483648', '2147483647'],
    BIGINT: ['-9223372036854775808', '9223372036854775807'], HUGEINT: ['-170141183460469231731687303715884105728', '170141183460469231731687303715884105727'],
    UTINYINT: ['0', '255'], USMALLINT: ['0', '65535'], UINTEGER: ['0', '4294967295'], UBIGINT: ['0', '18446744073709551615'],
  };
  if (ints[type]) return [`'${ints[type]![0]}'::${type}`, `'${ints[type]![1]}'::${type}`]; // quoted: -x::T negates after the cast
  if (type === 'FLOAT' || type === 'DOUBLE') return [`'-inf'::${type}`, `'nan'::${type}`];
  if (type === 'BOOLEAN') return ['false', 'true'];
  if (type === 'VARCHAR') return ["''", 'repeat(chr(1114111), 16)'];
  if (type === 'BLOB') return ["''::BLOB", `'${'\\xFF'.repeat(16)}'::BLOB`];
  if (/^(DATE|TIMESTAMP(_S|_MS|_NS)?|TIMESTAMP WITH TIME ZONE)$/.test(type)) return [`'-infinity'::${type}`, `'infinity'::${type}`];
  if (type === 'TIME') return ["'00:00:00'::TIME", "'24:00:00'::TIME"];
  if (type === 'UUID') return ["'00000000-0000-0000-0000-000000000000'::UUID", "'ffffffff-ffff-ffff-ffff-ffffffffffff'::UUID"];
  const dec = /^DECIMAL\((\d+),(\d+)\)$/.exec(type);
  if (dec) {
    const p = Number(dec[1]), s = Number(dec[2]);
    const digits = '9'.repeat(p - s) || '0';
    const v = s ? `${digits}.${'9'.repeat(s)}` : digits;
    return [`'-${v}'::${type}`, `'${v}'::${type}`];
  }
  return null;
}

