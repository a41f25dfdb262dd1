import type { Completion } from '@codemirror/autocomplete';
import { SQLDialect, type SQLNamespace } from '@codemirror/lang-sql';
import { tokenize } from '../../engine/sql-tokens';

/**
 * What the SQL editor completes: catalog databases with their tables and columns, and the tables open in
 * the tab (the Workspace model builds it; the editor never reads the catalog itself).
 */
export interface CompletionSchema {
  databases: { name: string; tables: { name: string; columns: string[] }[] }[];
  tables: { name: string; columns: string[] }[];
}

export const EMPTY_SCHEMA: CompletionSchema = { databases: [], tables: [] };

// INTERNAL_PREFIXES of engine/engine.ts, which the page must not import (it holds the DuckDB bindings).
const INTERNAL = /^(__epoxy|__job|__check_)/;

/**
 * A completion schema from the catalog (database → table → column names, partition keys included: what
 * AthenaModel.schema holds) and the tables open in the tab. Names sort; Epoxy's internal relations never show.
 */
export function completionSchemaOf(catalog: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>, open: readonly { name: string; columns: string[] }[] = []): CompletionSchema {
  const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);
  return {
    databases: Object.entries(catalog).map(([name, tables]) => ({ name, tables: Object.entries(tables).map(([t, columns]) => ({ name: t, columns: [...columns] })).sort(byName) })).sort(byName),
    tables: open.filter((t) => !INTERNAL.test(t.name)).map((t) => ({ name: t.name, columns: [...t.columns] })).sort(byName),
  };
}

// DuckDB's reserved and common non-reserved keywords (duckdb_keywords()), plus its own statements.
const KEYWORDS =
  'all alter analyze and anti any array as asc asof attach between both by case cast check collate column commit ' +
  'constraint copy create cross cube current_date current_time current_timestamp database default delete desc ' +
  'describe detach distinct drop else end except exclude exists explain export false fetch filter first following ' +
  'for foreign from full function glob grant group grouping having ilike import in inner insert install intersect ' +
  'interval into is isnull join last lateral leading left like limit load macro materialized natural not notnull ' +
  'null nulls offset on or order outer over partition pivot pivot_longer pivot_wider positional pragma preceding ' +
  'primary qualify range recursive references rename replace respect returning right rollup row rows sample schema ' +
  'select semi sequence set setof show similar some struct summarize table tables tablesample temp temporary then ' +
  'to trailing true truncate try_cast union unique unpivot update using vacuum values view when where window with ' +
  'within without columns unnest map list partitions databases';

// Types DuckDB spells (and their Hive/Athena cousins a catalog user types).
const TYPES =
  'bigint binary bit bitstring blob bool boolean bpchar bytea char date datetime decimal double enum float float4 ' +
  'float8 hugeint int int1 int2 int4 int8 integer json long numeric real short signed smallint string text time ' +
  'timestamp timestamptz timestamp_s timestamp_ms timestamp_ns tinyint ubigint uhugeint uinteger usmallint ' +
  'utinyint uuid varbinary varchar';

// Functions a DuckDB user reaches for most (aggregates, text, dates, lists, structs, table functions).
const FUNCTIONS =
  'abs any_value approx_count_distinct approx_quantile arg_max arg_min array_agg avg bit_and bit_or bool_and ' +
  'bool_or ceil ceiling coalesce concat concat_ws contains corr count count_star covar_pop cume_dist ' +
  'current_setting date_add date_diff date_part date_sub date_trunc datediff datepart datetrunc dayname dayofweek ' +
  'decode dense_rank encode ends_with epoch epoch_ms exp extract first_value floor format generate_series ' +
  'greatest hash histogram ifnull instr isfinite isinf isnan lag last_day last_value lcase lead least left ' +
  'length levenshtein list_aggregate list_concat list_contains list_distinct list_filter list_sort list_transform ' +
  'list_value ln log log10 log2 lower lpad ltrim make_date make_timestamp max max_by md5 median min min_by mode ' +
  'month monthname now nth_value ntile nullif percent_rank percentile_cont percentile_disc pow power quantile ' +
  'random range rank regexp_extract regexp_matches regexp_replace regexp_split_to_array repeat replace reverse ' +
  'right round row_number rpad rtrim sign split_part sqrt starts_with stddev stddev_pop stddev_samp strftime ' +
  'string_agg string_split strip_accents strlen strpos strptime struct_extract struct_pack substr substring sum ' +
  'time_bucket to_timestamp today trim trunc try_strptime typeof ucase unnest upper uuid var_pop var_samp ' +
  'variance week year yearweek';

/** DuckDB's SQL for CodeMirror: its keywords, types and functions; identifiers are case-insensitive. */
export const DuckDBSQL = SQLDialect.define({
  keywords: KEYWORDS,
  types: TYPES,
  builtin: FUNCTIONS,
  backslashEscapes: false,
  doubleDollarQuotedStrings: true,
  caseInsensitiveIdentifiers: true,
  operatorChars: '*+-%<>!=&|~^/:@',
});

/** The text to insert for a name: as is when DuckDB reads it unquoted, else "quoted" ("" doubled). */
export function identifierText(name: string): string {
  return /^[a-z_][a-z0-9_]*$/i.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

function nameOption(name: string, type: string, detail: string, boost = 0): Completion {
  const text = identifierText(name);
  return { label: name, type, detail, boost, ...(text !== name ? { apply: text } : {}) };
}

// lang-sql reads a dot in a namespace key as a level separator.
const key = (name: string) => name.replace(/\./g, '\\.');

/**
 * The schema as lang-sql's namespace: `db` → `table` → columns, and open tables at the top. An open table
 * named like a database leaves `name.` to the database (its columns still complete: see columnsInScope).
 */
export function toNamespace(schema: CompletionSchema): SQLNamespace {
  const ns: Record<string, SQLNamespace> = {};
  for (const t of schema.tables) {
    ns[key(t.name)] = { self: nameOption(t.name, 'type', 'open table'), children: t.columns.map((c) => nameOption(c, 'property', t.name)) };
  }
  for (const db of schema.databases) {
    const children: Record<string, SQLNamespace> = {};
    for (const t of db.tables) {
      children[key(t.name)] = { self: nameOption(t.name, 'type', `table in ${db.name}`), children: t.columns.map((c) => nameOption(c, 'property', `${db.name}.${t.name}`)) };
    }
    ns[key(db.name)] = { self: nameOption(db.name, 'namespace', 'database'), children };
  }
  return ns;
}

/** The statement of `text` holding position `pos` (statements split at top-level `;`, strings respected). */
export function statementAt(text: string, pos: number): { from: number; to: number } {
  const { tokens } = tokenize(text);
  let from = 0;
  let to = text.length;
  for (const t of tokens) {
    if (t.kind !== 'punct' || t.text !== ';') continue;
    if (t.end <= pos) from = t.end;
    else { to = t.start; break; }
  }
  return { from, to };
}

/**
 * The tables a statement reads (after FROM or JOIN, `db.table` or `table`, quoted or not), as written, so
 * the editor can offer their columns without a `table.` prefix.
 */
export function tablesInStatement(sql: string): { database: string | null; table: string }[] {
  const { tokens } = tokenize(sql);
  const out: { database: string | null; table: string }[] = [];
  const name = (i: number) => (tokens[i] && (tokens[i]!.kind === 'word' || tokens[i]!.kind === 'ident') ? tokens[i]!.value : null);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'word' || (t.value !== 'from' && t.value !== 'join')) continue;
    // `FROM a, b` reads both.
    let j = i + 1;
    for (;;) {
      const first = name(j);
      if (!first) break;
      if (tokens[j + 1]?.text === '.' && name(j + 2)) {
        out.push({ database: first, table: name(j + 2)! });
        j += 3;
      } else {
        out.push({ database: null, table: first });
        j += 1;
      }
      // Skip an alias (`AS x` or `x`), then continue after a comma.
      if (tokens[j]?.kind === 'word' && tokens[j]!.value === 'as') j++;
      if (tokens[j] && (tokens[j]!.kind === 'ident' || (tokens[j]!.kind === 'word' && !KEYWORD_SET.has(tokens[j]!.value)))) j++;
      if (tokens[j]?.text !== ',') break;
      j++;
    }
  }
  return out;
}

const KEYWORD_SET = new Set(KEYWORDS.split(' '));

/**
 * Columns of the tables a statement reads, offered at the top level (`SELECT pri|` → price), boosted above
 * keywords. Names match case-insensitively, as DuckDB resolves them.
 */
export function columnsInScope(sql: string, schema: CompletionSchema, defaultDatabase?: string): Completion[] {
  const seen = new Set<string>();
  const out: Completion[] = [];
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  for (const ref of tablesInStatement(sql)) {
    let found: { name: string; columns: string[] } | undefined;
    let where = ref.table;
    if (ref.database) {
      const db = schema.databases.find((d) => same(d.name, ref.database!));
      found = db?.tables.find((t) => same(t.name, ref.table));
      where = `${db?.name ?? ref.database}.${found?.name ?? ref.table}`;
    } else {
      found = schema.tables.find((t) => same(t.name, ref.table));
      if (!found && defaultDatabase) {
        found = schema.databases.find((d) => same(d.name, defaultDatabase))?.tables.find((t) => same(t.name, ref.table));
        if (found) where = `${defaultDatabase}.${found.name}`;
      }
    }
    for (const column of found?.columns ?? []) {
      if (seen.has(column)) continue;
      seen.add(column);
      out.push(nameOption(column, 'property', where, 2));
    }
  }
  return out;
}

/**
 * One step through the query history (newest first) from the editor: `index` -1 is the text being written
 * (kept as `draft`), 0 the last query run. Returns where the step lands and the text to show.
 */
export function historyStep(history: readonly string[], index: number, dir: 'older' | 'newer', draft: string): { index: number; text: string } {
  const next = dir === 'older' ? Math.min(history.length - 1, index + 1) : Math.max(-1, index - 1);
  return { index: next, text: next === -1 ? draft : history[next]! };
}

/** What the History menu says of one past query: its first line, and how it ended (rows, or the error). */
export function historyLabel(entry: { sql: string; ok: boolean; rows?: number; error?: string }, width = 90): { text: string; outcome: string } {
  const one = entry.sql.replace(/\s+/g, ' ').trim();
  const text = one.length > width ? one.slice(0, width - 1) + '…' : one;
  if (!entry.ok) return { text, outcome: `failed: ${entry.error ?? 'no result'}` };
  return { text, outcome: entry.rows === undefined ? 'ran' : `${entry.rows.toLocaleString('en-US')} ${entry.rows === 1 ? 'row' : 'rows'}` };
}
