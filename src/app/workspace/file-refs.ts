import { quoteIdent } from '../../engine/sql';
import { tokenize } from '../../engine/sql-tokens';

/** A file or folder the user opened in the Workspace, under the table it became. */
export interface OpenedRef {
  /** The path as dropped: `airports.csv`, `trips/year=2024/part_0.parquet`, or a folder's name. */
  path: string;
  table: string;
  /** For a folder opened as one table: the paths of its files. */
  files?: string[];
}

/** What a quoted name in SQL reads: an opened table, or why it is not one. */
export type RefTarget = { table: string } | { problem: string };

/**
 * Find what `'name'` in a FROM clause means among the opened files: its path as dropped ('folder/file.csv'),
 * its file name alone when only one opened file has it, a folder's name ('trips', 'trips/', 'trips/*.parquet')
 * for a folder opened as one table. Never a path on disk: anything else is a problem naming what to do.
 */
export function findRef(literal: string, opened: OpenedRef[]): RefTarget {
  const want = literal.replace(/^\.\//, '');
  const exact = (a: string, b: string) => a === b;
  const loose = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  for (const same of [exact, loose]) {
    const byPath = opened.find((o) => !o.files && same(o.path, want));
    if (byPath) return { table: byPath.table };
    const folder = opened.find((o) => o.files && (same(o.path, want.replace(/\/+$/, '')) || (want.includes('*') && same(o.path, want.split('/')[0]!))));
    if (folder) return { table: folder.table };
    const base = want.split('/').pop()!;
    const byName = opened.filter((o) => !o.files && same(o.path.split('/').pop()!, base) && !want.includes('/'));
    if (byName.length === 1) return { table: byName[0]!.table };
    if (byName.length > 1) return { problem: `'${literal}' names ${byName.length} opened files (${byName.map((o) => o.path).join(', ')}): write the path as dropped, e.g. '${byName[0]!.path}'` };
    const inFolder = opened.find((o) => o.files?.some((f) => same(f, want)));
    if (inFolder) return { problem: `'${literal}' is one file of the folder opened as the table ${inFolder.table}: query ${inFolder.table} (its partition columns select the file's folder)` };
  }
  return { problem: `'${literal}' is not a file opened in this tab: the SQL box reads files you drop or choose here (by the name they were opened under), never a path on disk — drop it, then query it as '${want.split('/').pop()}'` };
}

/** The SQL with quoted file names in relation positions replaced by their tables, or the first problem. */
export interface RewrittenSql {
  sql: string;
  /** Each literal replaced, and the table it became. */
  replaced: { literal: string; table: string }[];
  problem: string | null;
}

const FROM_ENDS = new Set(['where', 'group', 'having', 'order', 'limit', 'offset', 'qualify', 'window', 'union', 'intersect', 'except', 'select', 'on', 'using', 'returning', 'set', 'values', 'pivot', 'unpivot']);
const RELATION_BEFORE = new Set(['from', 'join', 'describe', 'summarize']);
/** Words before `(` that open a subquery or a list, not a function call (`trim(BOTH 'x' FROM s)` is a call). */
const NOT_CALLS = new Set(['from', 'join', 'in', 'exists', 'as', 'select', 'where', 'and', 'or', 'not', 'on', 'lateral', 'any', 'all', 'some', 'union', 'intersect', 'except', 'with', 'having', 'by', 'then', 'else', 'when', 'case', 'values', 'using', 'materialized', 'is', 'like', 'between']);

/**
 * Rewrite `FROM 'airports.csv'` (and after JOIN, after a comma in a FROM list, DESCRIBE/SUMMARIZE) to the
 * table the user opened from that file: DuckDB would otherwise look for the path on its own file system
 * ("No files found"). Strings anywhere else (values, function arguments) are left alone; the tokenizer
 * keeps comments and strings from being mistaken for SQL.
 */
export function rewriteFileRefs(sql: string, opened: OpenedRef[]): RewrittenSql {
  const { tokens } = tokenize(sql);
  const inFrom: boolean[] = [false];
  // Per parenthesis depth: whether it is a function call's argument list (its FROM is no FROM clause).
  const inCall: boolean[] = [false];
  const replaced: RewrittenSql['replaced'] = [];
  let out = '';
  let at = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = tokens[i - 1];
    if (t.kind === 'punct' && t.text === '(') {
      inFrom.push(false);
      inCall.push(!!prev && (prev.kind === 'ident' || (prev.kind === 'word' && !NOT_CALLS.has(prev.value))));
      continue;
    }
    if (t.kind === 'punct' && t.text === ')') { if (inFrom.length > 1) { inFrom.pop(); inCall.pop(); } continue; }
    if (t.kind === 'word') {
      if (t.value === 'from') inFrom[inFrom.length - 1] = true;
      else if (FROM_ENDS.has(t.value)) inFrom[inFrom.length - 1] = false;
      continue;
    }
    if (t.kind !== 'string' || !prev) continue;
    const relation = (prev.kind === 'word' && RELATION_BEFORE.has(prev.value)) || (prev.kind === 'punct' && prev.text === ',' && inFrom[inFrom.length - 1]);
    // A string after FROM inside a call's parentheses (`trim(BOTH 'x' FROM 'xax')`) is an argument, not a relation.
    if (!relation || inCall[inCall.length - 1] || t.text.startsWith('$')) continue;
    const target = findRef(t.value, opened);
    if ('problem' in target) return { sql, replaced, problem: target.problem };
    out += sql.slice(at, t.start) + quoteIdent(target.table);
    at = t.end;
    replaced.push({ literal: t.value, table: target.table });
  }
  return { sql: out + sql.slice(at), replaced, problem: null };
}
