/**
 * Athena in the tab, the pure half: what a user's SQL says about the catalog. Table references in relation
 * positions (`db.table`, `"db"."table"`, `awsdatacatalog.db.table`, unqualified names), the partition
 * predicates of each reference's WHERE clause, the rewrite of the references to the relations that hold
 * the tables, and the catalog statements Athena answers from the catalog itself (SHOW DATABASES, SHOW
 * TABLES, DESCRIBE, SHOW COLUMNS, SHOW PARTITIONS, SHOW CREATE TABLE, SHOW TBLPROPERTIES, USE).
 * Everything here reads tokens (engine/sql-tokens.ts), so text in a string or comment is never taken for SQL.
 */
import { tokenize, type Token } from '../engine/sql-tokens';
import { catalogKey } from '../catalog/names';
import type { Database, Partition, Table } from '../catalog/glue-types';
import { tableDdl } from '../catalog/export-ddl';
import type { QueryResult, PlainValue } from '../engine/values';
import type { PartitionPredicate } from './resolve';

export type { PartitionPredicate } from './resolve';

/** A table named where a relation goes (FROM, JOIN, a FROM list), as written. */
export interface TableReference {
  /** The database as written (catalogKey'd), or null when the name is unqualified. */
  database: string | null;
  table: string;
  /** Characters [start, end) of the name in the SQL, for the rewrite. */
  start: number;
  end: number;
  /** The alias the query gives it (`FROM db.t AS x`, `FROM db.t x`), catalogKey'd, or null. */
  alias: string | null;
  /** Which SELECT core (FROM … WHERE …) the reference is in: predicates apply within one scope only. */
  scope: number;
  /** True when the query renames its columns (`FROM db.t AS x(a, b)`): a name in WHERE may then be another column. */
  columnAliases: boolean;
}

/** The table references of a SQL text and what the partition predicates are read from. */
export interface SqlAnalysis {
  tokens: Token[];
  references: TableReference[];
  /** Names a WITH clause defines: an unqualified reference to one is the CTE, never a catalog table. */
  cteNames: Set<string>;
  /** Per scope: the tokens of its WHERE clause ([start, end) token indexes) and whether it joins by USING/NATURAL. */
  scopes: { where: [number, number] | null; merged: boolean; opaque: boolean }[];
  problem: string | null;
}

const QUERY_START = new Set(['select', 'with', 'from', 'values', 'table', 'summarize', 'pivot', 'unpivot']);
/** Words ending a FROM list (and an alias can never be one of them). */
const CLAUSE_WORDS = new Set([
  'where', 'group', 'having', 'qualify', 'window', 'order', 'limit', 'offset', 'union', 'except', 'intersect', 'fetch',
  'on', 'using', 'select', 'returning', 'join', 'inner', 'left', 'right', 'full', 'outer', 'cross', 'natural', 'positional',
  'asof', 'anti', 'semi', 'lateral', 'pivot', 'unpivot', 'tablesample', 'using', 'as', 'from', 'set', 'values', 'default',
]);
/** Words after which a WHERE clause is over (at its own parenthesis level). */
const WHERE_END = new Set(['group', 'having', 'qualify', 'window', 'order', 'limit', 'offset', 'union', 'except', 'intersect', 'fetch', 'returning']);
/** The catalog name Athena accepts before a database (`awsdatacatalog.db.table`). */
const DATA_CATALOG = 'awsdatacatalog';

const isName = (t: Token | undefined): t is Token => !!t && (t.kind === 'word' || t.kind === 'ident');
const isPunct = (t: Token | undefined, text: string) => !!t && t.kind === 'punct' && t.text === text;
const isWord = (t: Token | undefined, value: string) => !!t && t.kind === 'word' && t.value === value;

interface Context { query: boolean; scope: number; fromList: boolean; expect: boolean; whereAt: number | null }

/**
 * Find the tables a SQL text names in relation positions. Parenthesised groups are told apart: a
 * subquery (`(SELECT …)`, `(FROM …)`) has relations of its own, a call (`extract(year FROM ts)`) has none.
 */
export function analyzeSql(sql: string): SqlAnalysis {
  const { tokens, problem } = tokenize(sql);
  const references: TableReference[] = [];
  const scopes: SqlAnalysis['scopes'] = [{ where: null, merged: false, opaque: false }];
  const cteNames = new Set<string>();
  const stack: Context[] = [{ query: true, scope: 0, fromList: false, expect: false, whereAt: null }];
  const newScope = () => { scopes.push({ where: null, merged: false, opaque: false }); return scopes.length - 1; };
  const closeWhere = (ctx: Context, at: number) => {
    if (ctx.whereAt !== null) scopes[ctx.scope]!.where = [ctx.whereAt, at];
    ctx.whereAt = null;
  };

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const ctx = stack[stack.length - 1]!;
    // `name AS (`, `name AS [NOT] MATERIALIZED (`, `name (cols) AS (`: a common table expression.
    if (isName(t) && isWord(tokens[i + 1], 'as')) {
      let k = i + 2;
      if (isWord(tokens[k], 'not')) k++;
      if (isWord(tokens[k], 'materialized')) k++;
      if (isPunct(tokens[k], '(') && !ctx.expect) cteNames.add(catalogKey(t.value));
    }
    if (isPunct(t, '(')) {
      const next = tokens[i + 1];
      const prev = tokens[i - 1];
      const query = (!!next && next.kind === 'word' && QUERY_START.has(next.value)) || (isPunct(next, '(') && !(isName(prev) && !CLAUSE_WORDS.has(prev.value)));
      if (ctx.expect) ctx.expect = false;
      stack.push({ query, scope: query ? newScope() : ctx.scope, fromList: false, expect: false, whereAt: null });
      continue;
    }
    if (isPunct(t, ')')) {
      if (stack.length > 1) {
        closeWhere(ctx, i);
        stack.pop();
        // `name (cols) AS (`: the CTE's name is the word before this column list.
        const open = matchingOpen(tokens, i);
        if (open > 0 && isWord(tokens[i + 1], 'as') && isPunct(tokens[i + 2], '(') && isName(tokens[open - 1])) cteNames.add(catalogKey(tokens[open - 1]!.value));
      }
      continue;
    }
    if (!ctx.query) continue;
    if (isPunct(t, ';')) {
      closeWhere(ctx, i);
      Object.assign(ctx, { scope: newScope(), fromList: false, expect: false });
      continue;
    }
    if (ctx.expect) {
      if (isWord(t, 'lateral')) continue;
      ctx.expect = false;
      if (isName(t)) {
        const parts: Token[] = [t];
        let j = i;
        while (isPunct(tokens[j + 1], '.') && isName(tokens[j + 2])) { parts.push(tokens[j + 2]!); j += 2; }
        // A table function (`range(10)`, `read_csv(…)`) is not a table.
        if (isPunct(tokens[j + 1], '(')) continue;
        const names = parts.map((p) => catalogKey(p.value));
        if (names.length === 3 && names[0] === DATA_CATALOG) names.shift();
        if (names.length <= 2) {
          let k = j + 1;
          if (isWord(tokens[k], 'as')) k++;
          const a = tokens[k];
          const alias = isName(a) && !(a.kind === 'word' && CLAUSE_WORDS.has(a.value)) ? catalogKey(a.value) : null;
          const columnAliases = alias !== null && isPunct(tokens[k + 1], '(');
          references.push({ database: names.length === 2 ? names[0]! : null, table: names[names.length - 1]!, start: t.start, end: tokens[j]!.end, alias, scope: ctx.scope, columnAliases });
        }
        i = j;
        continue;
      }
      // A string ('file.csv') or anything else: not a catalog table.
    }
    if (t.kind !== 'word') {
      if (isPunct(t, ',') && ctx.fromList && ctx.whereAt === null) ctx.expect = true;
      continue;
    }
    switch (t.value) {
      case 'from':
        ctx.fromList = true;
        ctx.expect = true;
        break;
      case 'join':
        ctx.fromList = true;
        ctx.expect = true;
        break;
      case 'natural':
        scopes[ctx.scope]!.merged = true;
        break;
      case 'pivot': case 'unpivot':
        // The WHERE then reads the pivoted rows, whose columns are not the table's.
        scopes[ctx.scope]!.opaque = true;
        break;
      case 'using':
        scopes[ctx.scope]!.merged = true;
        ctx.fromList = false;
        break;
      case 'on':
        ctx.fromList = false;
        break;
      case 'where':
        ctx.fromList = false;
        ctx.whereAt = i + 1;
        break;
      case 'union': case 'except': case 'intersect':
        closeWhere(ctx, i);
        ctx.scope = newScope();
        ctx.fromList = false;
        break;
      default:
        if (WHERE_END.has(t.value)) {
          closeWhere(ctx, i);
          ctx.fromList = false;
        }
    }
  }
  for (const ctx of stack) closeWhere(ctx, tokens.length);
  return { tokens, references, cteNames, scopes, problem };
}

function matchingOpen(tokens: Token[], close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    if (isPunct(tokens[i], ')')) depth++;
    else if (isPunct(tokens[i], '(') && --depth === 0) return i;
  }
  return -1;
}

/** A partition key: its name, or its name and Hive type (a bare name is a string key, as Glue's default). */
export type PartitionKey = string | { name: string; type?: string };

const OPS = new Set(['=', '==', '<>', '!=', '<', '<=', '>', '>=']);
const FLIP: Record<string, PartitionPredicate['op']> = { '=': '=', '<>': '<>', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/**
 * The partition predicates on a reference: the top-level AND conjuncts of its scope's WHERE clause that
 * compare one of `keys` with literals (`key op literal`, `literal op key`, `key IN (…)`, `key BETWEEN a AND b`),
 * and ORs of equalities on one key (an IN). Any other top-level OR gives none (it would not bound the rows); an unqualified key counts
 * only when no other catalog reference of the scope has that key and the scope joins no columns together
 * (USING, NATURAL), and none when the scope pivots or the reference renames its columns (`AS x(a, b)`).
 * Only what surely holds for every row the query keeps is returned, so pruning is safe.
 */
export function partitionPredicates(analysis: SqlAnalysis, ref: TableReference, keys: PartitionKey[], keysOf: (other: TableReference) => string[] = () => []): PartitionPredicate[] {
  const scope = analysis.scopes[ref.scope];
  if (!scope?.where || !keys.length || scope.opaque || ref.columnAliases) return [];
  const types = new Map(keys.map((k) => (typeof k === 'string' ? [catalogKey(k), 'string'] : [catalogKey(k.name), k.type ?? 'string'])));
  const keySet = new Set(types.keys());
  const tokens = analysis.tokens.slice(scope.where[0], scope.where[1]);
  const conjuncts = splitConjuncts(tokens);
  if (!conjuncts) return [];
  const others = analysis.references.filter((r) => r !== ref && r.scope === ref.scope);
  const qualifier = ref.alias ?? ref.table;
  const column = (toks: Token[]): string | null => {
    if (toks.length === 1 && isName(toks[0])) {
      const k = catalogKey(toks[0].value);
      if (!keySet.has(k) || scope.merged || others.some((o) => keysOf(o).map(catalogKey).includes(k))) return null;
      return k;
    }
    if (toks.length === 3 && isName(toks[0]) && isPunct(toks[1], '.') && isName(toks[2])) {
      const k = catalogKey(toks[2].value);
      return catalogKey(toks[0].value) === qualifier && keySet.has(k) ? k : null;
    }
    // `db.table.key`, as Athena also accepts, when the reference has no alias and is written with its database.
    if (toks.length === 5 && !ref.alias && ref.database && isName(toks[0]) && isPunct(toks[1], '.') && isName(toks[2]) && isPunct(toks[3], '.') && isName(toks[4])) {
      const k = catalogKey(toks[4].value);
      return catalogKey(toks[0].value) === ref.database && catalogKey(toks[2].value) === ref.table && keySet.has(k) ? k : null;
    }
    return null;
  };
  const out: PartitionPredicate[] = [];
  const typeOf = (k: string) => types.get(k) ?? 'string';
  for (const c of conjuncts) {
    const p = readPredicate(c, column, typeOf) ?? readDisjunction(c, column, typeOf);
    if (p) out.push(p);
  }
  return out;
}

/** `toks` without parentheses that enclose all of it (`((a = 1))` is `a = 1`). */
function unwrap(toks: Token[]): Token[] {
  while (toks.length >= 2 && isPunct(toks[0], '(') && isPunct(toks[toks.length - 1], ')')) {
    let depth = 0;
    let closesAtEnd = true;
    for (let i = 0; i < toks.length - 1; i++) {
      if (isPunct(toks[i], '(')) depth++;
      else if (isPunct(toks[i], ')')) depth--;
      if (depth === 0) { closesAtEnd = false; break; }
    }
    if (!closesAtEnd) break;
    toks = toks.slice(1, -1);
  }
  return toks;
}

/** The parts of `toks` between top-level ORs. */
function splitDisjuncts(toks: Token[]): Token[][] {
  const out: Token[][] = [[]];
  let depth = 0;
  for (const t of toks) {
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) depth--;
    if (depth === 0 && isWord(t, 'or')) { out.push([]); continue; }
    out[out.length - 1]!.push(t);
  }
  return out;
}

/**
 * A parenthesised predicate, or a disjunction of equalities (or INs) on ONE key, as an IN over all their values
 * (`year = '2014' OR year = '2015'`); null for anything else (an OR with another column keeps rows of any folder).
 */
function readDisjunction(c: Token[], column: (toks: Token[]) => string | null, typeOf: (key: string) => string): PartitionPredicate | null {
  const inner = unwrap(c);
  const parts = splitDisjuncts(inner);
  if (parts.length === 1) return inner.length < c.length ? readPredicate(inner, column, typeOf) ?? null : null;
  const preds = parts.map((part) => readPredicate(unwrap(part), column, typeOf));
  if (preds.some((p) => !p || (p.op !== '=' && p.op !== 'in'))) return null;
  const key = preds[0]!.key;
  if (preds.some((p) => p!.key !== key)) return null;
  return { key, op: 'in', values: preds.flatMap((p) => p!.values) };
}

/**
 * Top-level AND conjuncts (the AND of a BETWEEN stays inside its conjunct). A top-level OR binds looser than
 * every AND, so a WHERE holding one is one conjunct: the whole disjunction (see readDisjunction).
 */
function splitConjuncts(tokens: Token[]): Token[][] | null {
  const out: Token[][] = [];
  let cur: Token[] = [];
  let depth = 0;
  let between = false;
  for (const t of tokens) {
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) depth--;
    else if (depth === 0 && t.kind === 'word') {
      if (t.value === 'or') return [tokens];
      if (t.value === 'between') between = true;
      else if (t.value === 'and') {
        if (between) between = false;
        else { out.push(cur); cur = []; continue; }
      }
    }
    cur.push(t);
  }
  out.push(cur);
  return out;
}

/**
 * The literal at `toks[i…]`: its text, whether it is a number, and how many tokens it took; null for anything
 * else. Typed literals (`DATE '…'`) and casts (`'2024'::INT`) are not taken: DuckDB then compares after a cast
 * (`'2024-1-1' = DATE '2024-01-01'` holds), which a comparison of folder text would not follow.
 */
function literalAt(toks: Token[], i: number): { value: string; numeric: boolean; used: number } | null {
  const t = toks[i];
  let lit: { value: string; numeric: boolean; used: number } | null = null;
  if (!t) return null;
  if (t.kind === 'string') lit = { value: t.value, numeric: false, used: 1 };
  else if (t.kind === 'number') lit = { value: t.text.replace(/_/g, ''), numeric: true, used: 1 };
  else if (isPunct(t, '-') && toks[i + 1]?.kind === 'number') lit = { value: '-' + toks[i + 1]!.text.replace(/_/g, ''), numeric: true, used: 2 };
  if (lit && isPunct(toks[i + lit.used], ':')) return null;
  return lit;
}

/** The operator at `toks[i…]` (`<=` is two tokens), or null. */
function operatorAt(toks: Token[], i: number): { op: string; used: number } | null {
  const a = toks[i];
  if (!a || a.kind !== 'punct') return null;
  const b = toks[i + 1];
  if (b && b.kind === 'punct' && b.start === a.end && OPS.has(a.text + b.text)) return { op: a.text + b.text, used: 2 };
  return OPS.has(a.text) ? { op: a.text, used: 1 } : null;
}

const NUMERIC_TYPE = /^(tinyint|smallint|int|integer|bigint|float|double|real|decimal)\b/i;

/**
 * The predicate of one conjunct, or null. A number compared with a key that is not numeric in the catalog is
 * not taken: DuckDB casts the text to a number (`'02' = 2` holds), a comparison of folder text would not.
 */
function readPredicate(c: Token[], column: (toks: Token[]) => string | null, typeOf: (key: string) => string): PartitionPredicate | null {
  const p = readComparison(c, column);
  if (!p) return null;
  return p.numeric && !NUMERIC_TYPE.test(typeOf(p.predicate.key).trim()) ? null : p.predicate;
}

function readComparison(c: Token[], column: (toks: Token[]) => string | null): { predicate: PartitionPredicate; numeric: boolean } | null {
  const of = (predicate: PartitionPredicate, lits: { numeric: boolean }[]) => ({ predicate, numeric: lits.some((l) => l.numeric) });
  const norm = (op: string) => (op === '==' ? '=' : op === '!=' ? '<>' : op) as PartitionPredicate['op'];
  // key op literal
  for (const width of [1, 3, 5]) {
    const key = column(c.slice(0, width));
    if (!key) continue;
    const rest = c.slice(width);
    const op = operatorAt(rest, 0);
    if (op) {
      const lit = literalAt(rest, op.used);
      return lit && op.used + lit.used === rest.length ? of({ key, op: norm(op.op), values: [lit.value] }, [lit]) : null;
    }
    if (isWord(rest[0], 'in') && isPunct(rest[1], '(') && isPunct(rest[rest.length - 1], ')')) {
      const values: string[] = [];
      const lits: { numeric: boolean }[] = [];
      let i = 2;
      while (i < rest.length - 1) {
        const lit = literalAt(rest, i);
        if (!lit) return null;
        values.push(lit.value);
        lits.push(lit);
        i += lit.used;
        if (isPunct(rest[i], ',')) i++;
        else if (i !== rest.length - 1) return null;
      }
      return values.length ? of({ key, op: 'in', values }, lits) : null;
    }
    if (isWord(rest[0], 'between')) {
      const lo = literalAt(rest, 1);
      if (!lo || !isWord(rest[1 + lo.used], 'and')) return null;
      const hi = literalAt(rest, 2 + lo.used);
      return hi && 2 + lo.used + hi.used === rest.length ? of({ key, op: 'between', values: [lo.value, hi.value] }, [lo, hi]) : null;
    }
    return null;
  }
  // literal op key
  const lit = literalAt(c, 0);
  if (!lit) return null;
  const op = operatorAt(c, lit.used);
  if (!op) return null;
  const key = column(c.slice(lit.used + op.used));
  return key ? of({ key, op: FLIP[norm(op.op)]!, values: [lit.value] }, [lit]) : null;
}

/** Replace each reference's name with the text `nameOf` gives (the quoted relation that holds it), keeping the rest verbatim. */
export function rewriteReferences(sql: string, refs: TableReference[], nameOf: (ref: TableReference) => string | null): string {
  let out = '';
  let at = 0;
  for (const ref of [...refs].sort((a, b) => a.start - b.start)) {
    const name = nameOf(ref);
    if (name === null) continue;
    out += sql.slice(at, ref.start) + name;
    at = ref.end;
  }
  return out + sql.slice(at);
}

/** A reference resolved to a catalog table, or why it is not one. */
export type ReferenceTarget =
  | { kind: 'catalog'; database: string; table: string }
  /** Not the catalog's: a table the user opened, a CTE, or a name in no catalog database (DuckDB answers). */
  | { kind: 'other' }
  | { kind: 'missing'; message: string };

/** What a reference may resolve to: the catalog's databases and tables, the default database, the opened tables. */
export interface NameScope {
  /** Table names by database (catalogKey'd both). */
  tables: Map<string, Set<string>>;
  defaultDatabase: string | null;
  /** Relations the user opened in the Workspace: an unqualified name they hold is theirs, not the catalog's. */
  opened: Set<string>;
}

/**
 * Where a reference points: `db.table` to the catalog when the catalog has database `db` (a missing table
 * there is an error that lists what is), an unqualified name to the default database unless a CTE or an
 * opened table has that name.
 */
export function targetOf(ref: TableReference, analysis: Pick<SqlAnalysis, 'cteNames'>, scope: NameScope): ReferenceTarget {
  if (ref.database === null) {
    if (analysis.cteNames.has(ref.table) || [...scope.opened].some((o) => catalogKey(o) === ref.table)) return { kind: 'other' };
    const db = scope.defaultDatabase === null ? null : catalogKey(scope.defaultDatabase);
    if (db !== null && scope.tables.get(db)?.has(ref.table)) return { kind: 'catalog', database: db, table: ref.table };
    return { kind: 'other' };
  }
  const tables = scope.tables.get(ref.database);
  if (!tables) return { kind: 'other' };
  if (tables.has(ref.table)) return { kind: 'catalog', database: ref.database, table: ref.table };
  const names = [...tables].sort();
  return {
    kind: 'missing',
    message: `Database ${ref.database} has no table ${ref.table}${names.length ? ` (its tables: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''})` : ' (it has no tables yet: crawl data into it)'}`,
  };
}

// ---- Catalog statements ---------------------------------------------------------------------------------

/** A statement Athena answers from the catalog, parsed. */
export type CatalogStatement =
  | { kind: 'databases'; like: string | null }
  | { kind: 'tables'; database: string | null; like: string | null }
  | { kind: 'columns'; database: string | null; table: string }
  | { kind: 'partitions'; database: string | null; table: string }
  | { kind: 'create'; database: string | null; table: string }
  | { kind: 'properties'; database: string | null; table: string }
  | { kind: 'use'; database: string };

/**
 * The catalog statement a SQL text is, or null for anything else (a query, or DESCRIBE of a query, which
 * DuckDB answers). `DESCRIBE name` of an unqualified name the user opened is left to DuckDB too (`opened`).
 * Throws an Error saying what is expected when the text starts like one but does not read as one.
 */
export function parseCatalogStatement(sql: string, opened: ReadonlySet<string> = new Set()): CatalogStatement | null {
  const { tokens: all } = tokenize(sql);
  const tokens = all[all.length - 1] && isPunct(all[all.length - 1], ';') ? all.slice(0, -1) : all;
  const w = (i: number) => (tokens[i]?.kind === 'word' ? tokens[i]!.value : null);
  let i = 0;
  const name = (): { database: string | null; table: string } | null => {
    const parts: string[] = [];
    if (!isName(tokens[i])) return null;
    parts.push(catalogKey(tokens[i++]!.value));
    while (isPunct(tokens[i], '.') && isName(tokens[i + 1])) { parts.push(catalogKey(tokens[i + 1]!.value)); i += 2; }
    if (parts.length === 3 && parts[0] === DATA_CATALOG) parts.shift();
    if (parts.length > 2) return null;
    return parts.length === 2 ? { database: parts[0]!, table: parts[1]! } : { database: null, table: parts[0]! };
  };
  const like = (): string | null | undefined => {
    if (isWord(tokens[i], 'like')) i++;
    if (tokens[i]?.kind === 'string') return tokens[i++]!.value;
    return i >= tokens.length ? null : undefined;
  };
  const done = () => i >= tokens.length;
  const needTable = (what: string) => {
    const n = name();
    if (!n || !done()) throw new Error(`${what} needs one table: ${what} db.table (or a table of the default database)`);
    return n;
  };
  const first = w(0);
  if (first === 'use') {
    i = 1;
    const n = name();
    if (!n || n.database !== null || !done()) throw new Error('USE needs one database name: USE db');
    return { kind: 'use', database: n.table };
  }
  if (first === 'describe' || first === 'desc') {
    i = 1;
    if (w(i) === 'formatted' || w(i) === 'extended') i++;
    // DESCRIBE SELECT …, DESCRIBE of a query or of an opened table: DuckDB's own DESCRIBE.
    if (tokens[i]?.kind === 'word' && QUERY_START.has(w(i)!) && !isPunct(tokens[i + 1], '.') && i + 1 < tokens.length) return null;
    const n = name();
    if (!n || !done()) return null;
    if (n.database === null && [...opened].some((o) => catalogKey(o) === n.table)) return null;
    return { kind: 'columns', ...n };
  }
  if (first !== 'show') return null;
  i = 1;
  const second = w(1);
  if (second === 'databases' || second === 'schemas') {
    i = 2;
    const l = like();
    if (l === undefined) throw new Error(`SHOW ${second.toUpperCase()} takes an optional pattern: SHOW DATABASES LIKE 'sales*'`);
    return { kind: 'databases', like: l };
  }
  if (second === 'tables') {
    i = 2;
    let database: string | null = null;
    if (w(i) === 'in' || w(i) === 'from') {
      i++;
      const n = name();
      if (!n || n.database !== null) throw new Error('SHOW TABLES IN needs a database name: SHOW TABLES IN db');
      database = n.table;
    }
    const l = like();
    if (l === undefined) throw new Error("SHOW TABLES reads: SHOW TABLES [IN db] ['pattern']");
    return { kind: 'tables', database, like: l };
  }
  if (second === 'columns') {
    i = 2;
    if (w(i) !== 'in' && w(i) !== 'from') throw new Error('SHOW COLUMNS reads: SHOW COLUMNS IN db.table');
    i++;
    const n = name();
    if (!n) throw new Error('SHOW COLUMNS reads: SHOW COLUMNS IN db.table');
    if (w(i) === 'in' || w(i) === 'from') {
      i++;
      const d = name();
      if (!d || d.database !== null || n.database !== null) throw new Error('SHOW COLUMNS reads: SHOW COLUMNS IN table IN db');
      n.database = d.table;
    }
    if (!done()) throw new Error('SHOW COLUMNS reads: SHOW COLUMNS IN db.table');
    return { kind: 'columns', ...n };
  }
  if (second === 'partitions') { i = 2; return { kind: 'partitions', ...needTable('SHOW PARTITIONS') }; }
  if (second === 'tblproperties') { i = 2; return { kind: 'properties', ...needTable('SHOW TBLPROPERTIES') }; }
  if (second === 'create') {
    if (w(2) !== 'table') throw new Error('SHOW CREATE reads: SHOW CREATE TABLE db.table');
    i = 3;
    return { kind: 'create', ...needTable('SHOW CREATE TABLE') };
  }
  return null;
}

/** What answering a catalog statement reads. */
export interface CatalogReader {
  getDatabases(): Promise<Database[]>;
  getTables(database: string): Promise<Table[]>;
  getTable(database: string, table: string): Promise<Table>;
  getPartitions(database: string, table: string): Promise<Partition[]>;
}

/** The answer to a catalog statement: rows, or (USE) the new default database. */
export interface CatalogAnswer {
  result: QueryResult;
  defaultDatabase?: string;
}

/** Athena's `SHOW TABLES 'a*|b*'` pattern: `*` any characters, `|` alternatives, case-insensitive. */
export function likePattern(pattern: string): RegExp {
  const alts = pattern.split('|').map((p) => p.trim().split('*').map((s) => s.replace(/[.*+?^${}()[\]\\]/g, '\\$&')).join('.*'));
  return new RegExp(`^(?:${alts.join('|')})$`, 'i');
}

const VARCHAR = (name: string) => ({ name, type: 'VARCHAR' });

/**
 * Answer a catalog statement from the catalog, as Athena would (one column `tab_name` for SHOW TABLES,
 * `col_name`/`data_type`/`comment` for DESCRIBE, …). Unqualified tables are looked up in `defaultDatabase`;
 * an unknown database or table throws an Error naming what exists.
 */
export async function answerCatalogStatement(stmt: CatalogStatement, catalog: CatalogReader, defaultDatabase: string | null): Promise<CatalogAnswer> {
  const databases = async () => (await catalog.getDatabases()).map((d) => d.Name).sort();
  const needDatabase = async (name: string | null): Promise<string> => {
    const names = await databases();
    const db = name ?? defaultDatabase;
    if (db === null) throw new Error(`No database chosen: name one (db.table, SHOW TABLES IN db) or pick a default database${names.length ? ` (${names.join(', ')})` : ''}`);
    const key = catalogKey(db);
    if (!names.includes(key)) throw new Error(`The catalog has no database ${db}${names.length ? ` (it has: ${names.join(', ')})` : ' (it has none yet: crawl some data first)'}`);
    return key;
  };
  const needTable = async (database: string | null, table: string): Promise<Table> => {
    const db = await needDatabase(database);
    const tables = (await catalog.getTables(db)).map((t) => t.Name).sort();
    if (!tables.includes(catalogKey(table))) throw new Error(`Database ${db} has no table ${table}${tables.length ? ` (its tables: ${tables.slice(0, 20).join(', ')})` : ''}`);
    return catalog.getTable(db, catalogKey(table));
  };
  const rows = (columns: string[], values: PlainValue[][]): CatalogAnswer => ({ result: { columns: columns.map(VARCHAR), rows: values } });
  switch (stmt.kind) {
    case 'databases': {
      const re = stmt.like === null ? null : likePattern(stmt.like);
      return rows(['database_name'], (await databases()).filter((d) => !re || re.test(d)).map((d) => [d]));
    }
    case 'tables': {
      const db = await needDatabase(stmt.database);
      const re = stmt.like === null ? null : likePattern(stmt.like);
      return rows(['tab_name'], (await catalog.getTables(db)).map((t) => t.Name).sort().filter((t) => !re || re.test(t)).map((t) => [t]));
    }
    case 'columns': {
      const table = await needTable(stmt.database, stmt.table);
      const cols = table.StorageDescriptor?.Columns ?? [];
      const parts = table.PartitionKeys ?? [];
      const out: PlainValue[][] = [...cols, ...parts].map((c) => [c.Name, c.Type ?? 'string', c.Comment ?? '']);
      // Athena's DESCRIBE lists partition keys again under a heading after the columns.
      if (parts.length) out.push(['', '', ''], ['# Partition Information', '', ''], ['# col_name', 'data_type', 'comment'], ...parts.map((c) => [c.Name, c.Type ?? 'string', c.Comment ?? '']));
      return rows(['col_name', 'data_type', 'comment'], out);
    }
    case 'partitions': {
      const table = await needTable(stmt.database, stmt.table);
      const keys = (table.PartitionKeys ?? []).map((k) => k.Name);
      if (!keys.length) throw new Error(`${table.DatabaseName}.${table.Name} is not partitioned (it has no partition keys)`);
      const parts = await catalog.getPartitions(table.DatabaseName, table.Name);
      // Athena prints each partition as its folder path: `year=2024/month=01`.
      const lines = parts.map((p) => keys.map((k, i) => `${k}=${p.Values[i] ?? ''}`).join('/')).sort();
      return rows(['partition'], lines.map((l) => [l]));
    }
    case 'create': {
      const table = await needTable(stmt.database, stmt.table);
      return rows(['createtab_stmt'], tableDdl(table).replace(/\n$/, '').split('\n').map((l) => [l]));
    }
    case 'properties': {
      const table = await needTable(stmt.database, stmt.table);
      const params = table.Parameters ?? {};
      return rows(['prpt_name', 'prpt_value'], Object.keys(params).sort().map((k) => [k, params[k]!]));
    }
    case 'use': {
      const db = await needDatabase(stmt.database);
      return { ...rows(['default_database'], [[db]]), defaultDatabase: db };
    }
  }
}
