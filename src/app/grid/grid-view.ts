import { quoteIdent, quoteLiteral } from '../../engine/sql';
import type { QueryResult, ResultColumn } from '../../engine/values';
import { isNumericType } from './format';

/** One column the rows are ordered by. */
export interface GridSort {
  column: string;
  dir: 'asc' | 'desc';
}

/** What a filter box of a column asks for, parsed (see parseFilter). */
export type GridFilter =
  | { column: string; op: 'contains'; value: string }
  | { column: string; op: '=' | '<>' | '<' | '<=' | '>' | '>='; value: string }
  | { column: string; op: 'is null' | 'is not null' };

/** The order and filters the user set on a grid: run as SQL over its relation, never in JS. */
export interface GridView {
  sort: GridSort[];
  filters: GridFilter[];
}

/** A relation a grid may query itself, to sort and filter (ORDER BY / WHERE run by the engine). */
export interface GridSource {
  relation: string;
  query: (sql: string, limit: number) => Promise<QueryResult>;
  /** `rowid` when the relation is a table: equal sort keys keep their order, so pages never overlap. */
  tiebreak?: 'rowid';
}

export const EMPTY_VIEW: GridView = { sort: [], filters: [] };

/** Whether a view changes nothing (the grid can page its relation as is). */
export function isPlainView(view: GridView): boolean {
  return view.sort.length === 0 && view.filters.length === 0;
}

/**
 * Parse what a user typed in a column's filter box. Text columns: words are searched case-insensitively
 * (`=abc` is exact). Every column: `>5`, `<=2024-01-01`, `<>x` (or `!=x`), `=x`, `null`, `!null`. A number
 * column takes a bare number as `=`. Returns null for an empty box, or an error message a user can act on.
 */
export function parseFilter(column: ResultColumn, text: string): GridFilter | null | { error: string } {
  const t = text.trim();
  if (!t) return null;
  if (/^(is\s+)?null$/i.test(t)) return { column: column.name, op: 'is null' };
  if (/^(!|not\s+|is\s+not\s+)null$/i.test(t)) return { column: column.name, op: 'is not null' };
  const m = /^(<>|!=|<=|>=|=|<|>)\s*(.*)$/s.exec(t);
  const numeric = isNumericType(column.type.toUpperCase());
  const op = m ? (m[1] === '!=' ? '<>' : (m[1] as '=' | '<>' | '<' | '<=' | '>' | '>=')) : numeric ? '=' : 'contains';
  const value = m ? m[2]!.trim() : t;
  if (op !== 'contains' && !value) return { error: `${column.name}: put a value after ${m?.[1]}` };
  if (numeric && op !== 'contains' && !Number.isFinite(Number(value))) {
    return { error: `${column.name} holds numbers (${column.type}): “${value}” is not a number` };
  }
  return op === 'contains' ? { column: column.name, op, value } : { column: column.name, op, value };
}

/** The SQL predicate of one filter: names quoted, values as literals (numbers checked), so nothing typed is SQL. */
export function filterPredicate(filter: GridFilter, columns: ResultColumn[]): string {
  const col = quoteIdent(filter.column);
  switch (filter.op) {
    case 'is null': return `${col} IS NULL`;
    case 'is not null': return `${col} IS NOT NULL`;
    case 'contains': return `contains(lower(CAST(${col} AS VARCHAR)), ${quoteLiteral(filter.value.toLowerCase())})`;
    default: {
      const type = columns.find((c) => c.name === filter.column)?.type.toUpperCase() ?? 'VARCHAR';
      if (isNumericType(type)) {
        const n = Number(filter.value);
        if (!Number.isFinite(n)) throw new Error(`${filter.column}: “${filter.value}” is not a number`);
        return `${col} ${filter.op} ${String(n)}`;
      }
      // DuckDB casts a string literal to the column's type (a date, a timestamp) when it compares them.
      return `${col} ${filter.op} ${quoteLiteral(filter.value)}`;
    }
  }
}

/**
 * `SELECT * FROM relation [WHERE …] [ORDER BY …]`: the rows of a grid in its view. `tiebreak` (a table's
 * `rowid`) orders equal sort keys, so that LIMIT/OFFSET pages of a sort never repeat or skip a row.
 */
export function viewSql(relation: string, columns: ResultColumn[], view: GridView, tiebreak?: 'rowid'): string {
  let sql = `SELECT * FROM ${quoteIdent(relation)}`;
  if (view.filters.length) sql += ` WHERE ${view.filters.map((f) => filterPredicate(f, columns)).join(' AND ')}`;
  const keys = view.sort.map((s) => `${quoteIdent(s.column)} ${s.dir === 'asc' ? 'ASC' : 'DESC'} NULLS LAST`);
  if (keys.length) sql += ` ORDER BY ${[...keys, ...(tiebreak ? [tiebreak] : [])].join(', ')}`;
  return sql;
}

/** One page of a view: LIMIT/OFFSET over viewSql. */
export function pageSql(relation: string, columns: ResultColumn[], view: GridView, offset: number, limit: number, tiebreak?: 'rowid'): string {
  return `${viewSql(relation, columns, view, tiebreak)} LIMIT ${Math.max(0, Math.floor(limit))} OFFSET ${Math.max(0, Math.floor(offset))}`;
}

/** How many rows pass the view's filters. */
export function countSql(relation: string, columns: ResultColumn[], view: GridView): string {
  return `SELECT count(*)::BIGINT AS n FROM (${viewSql(relation, columns, { sort: [], filters: view.filters })})`;
}

/** Clicking a column's header: none → ascending → descending → none. One sort column at a time. */
export function nextSort(view: GridView, column: string): GridView {
  const current = view.sort.find((s) => s.column === column);
  const sort: GridSort[] = !current ? [{ column, dir: 'asc' }] : current.dir === 'asc' ? [{ column, dir: 'desc' }] : [];
  return { ...view, sort };
}
