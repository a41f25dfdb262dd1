/**
 * A tokenizer for DuckDB's SQL dialect, exact where it matters for telling code from data: strings
 * ('' escapes, E'' backslash escapes), "quoted identifiers", $$ and $tag$ dollar quotes, -- and nested
 * block comments (DuckDB nests them, as Postgres does). The SQL guard reads statements, functions and
 * relations from these tokens, so text hidden in a string or a comment is never mistaken for SQL and SQL
 * is never hidden from the guard by one.
 */

export type TokenKind = 'word' | 'ident' | 'string' | 'number' | 'param' | 'punct';

/** One token. `value` is the word lowercased, the identifier or string unescaped, else the text itself. */
export interface Token {
  kind: TokenKind;
  text: string;
  value: string;
  start: number;
  end: number;
}

/** The tokens of a SQL text, or the first place it cannot be read (an unterminated string or comment). */
export interface Tokens {
  tokens: Token[];
  problem: string | null;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DIGIT = /[0-9]/;

/** Split SQL into tokens; comments and whitespace are dropped. */
export function tokenize(sql: string): Tokens {
  const tokens: Token[] = [];
  const n = sql.length;
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number, value?: string) => {
    const text = sql.slice(start, end);
    tokens.push({ kind, text, value: value ?? (kind === 'word' ? text.toLowerCase() : text), start, end });
  };
  const fail = (what: string, at: number): Tokens => ({ tokens, problem: `${what} starting at character ${at + 1} is never closed` });
  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '-' && next === '-') {
      while (i < n && sql[i] !== '\n' && sql[i] !== '\r') i++;
      continue;
    }
    if (c === '/' && next === '*') {
      const start = i;
      let depth = 0;
      while (i < n) {
        if (sql[i] === '/' && sql[i + 1] === '*') { depth++; i += 2; continue; }
        if (sql[i] === '*' && sql[i + 1] === '/') { depth--; i += 2; if (depth === 0) break; continue; }
        i++;
      }
      if (depth !== 0) return fail('A /* comment', start);
      continue;
    }
    if (c === "'" || ((c === 'e' || c === 'E') && next === "'" && !prevIsWordChar(sql, i))) {
      const start = i;
      const escapes = c !== "'";
      i += escapes ? 2 : 1;
      let value = '';
      let closed = false;
      while (i < n) {
        const ch = sql[i]!;
        if (escapes && ch === '\\' && i + 1 < n) { value += sql[i + 1]; i += 2; continue; }
        if (ch === "'") {
          if (sql[i + 1] === "'") { value += "'"; i += 2; continue; }
          i++;
          closed = true;
          break;
        }
        value += ch;
        i++;
      }
      if (!closed) return fail('A string', start);
      push('string', start, i, value);
      continue;
    }
    if (c === '"') {
      const start = i++;
      let value = '';
      let closed = false;
      while (i < n) {
        if (sql[i] === '"') {
          if (sql[i + 1] === '"') { value += '"'; i += 2; continue; }
          i++;
          closed = true;
          break;
        }
        value += sql[i++];
      }
      if (!closed) return fail('A quoted name', start);
      push('ident', start, i, value);
      continue;
    }
    if (c === '$') {
      const start = i;
      if (next !== undefined && DIGIT.test(next)) {
        i++;
        while (i < n && DIGIT.test(sql[i]!)) i++;
        push('param', start, i);
        continue;
      }
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 130));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        if (close < 0) return fail(`A ${tag[0]} quoted string`, start);
        i = close + tag[0].length;
        push('string', start, i, sql.slice(start + tag[0].length, close));
        continue;
      }
      const named = /^\$[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i, i + 130));
      if (named) {
        i += named[0].length;
        push('param', start, i);
        continue;
      }
      i++;
      push('punct', start, i);
      continue;
    }
    if (DIGIT.test(c) || (c === '.' && next !== undefined && DIGIT.test(next))) {
      const start = i;
      const m = /^(0[xX][0-9A-Fa-f_]+|0[bB][01_]+|[0-9_]*\.?[0-9_]+(?:[eE][+-]?[0-9_]+)?\.?)/.exec(sql.slice(i, i + 400));
      i += m ? m[0].length : 1;
      push('number', start, i);
      continue;
    }
    if (WORD_START.test(c)) {
      const start = i++;
      while (i < n && WORD_PART.test(sql[i]!)) i++;
      push('word', start, i);
      continue;
    }
    if (c === '?') { push('param', i, i + 1); i++; continue; }
    push('punct', i, i + 1);
    i++;
  }
  return { tokens, problem: null };
}

function prevIsWordChar(sql: string, i: number): boolean {
  return i > 0 && WORD_PART.test(sql[i - 1]!);
}

/** Statements that are not queries: one of these where a query begins is refused wherever it appears. */
export const STATEMENT_KEYWORDS = new Set([
  'insert', 'update', 'delete', 'merge', 'upsert', 'create', 'drop', 'alter', 'attach', 'detach', 'copy', 'export', 'import',
  'install', 'load', 'force', 'set', 'reset', 'pragma', 'call', 'use', 'checkpoint', 'vacuum', 'analyze', 'begin', 'commit',
  'rollback', 'abort', 'start', 'end', 'truncate', 'prepare', 'execute', 'deallocate', 'explain', 'describe', 'desc', 'show',
  'summarize', 'grant', 'revoke', 'comment', 'update_extensions',
]);

const FILE_PREFIXES = ['read_', 'parquet_', 'sniff_', 'iceberg_', 'delta_', 'sqlite_', 'postgres_', 'mysql_', 'http_', 'https_', 's3_', 'load_', 'ducklake_'];
const FILE_FUNCTIONS = new Set(['glob', 'load_aws_credentials', 'json_execute_serialized_sql']);
const ENGINE_PREFIXES = ['duckdb_', 'pragma_'];
const ENGINE_FUNCTIONS = new Set(['query', 'query_table', 'getvariable', 'current_setting', 'which_secret', 'checkpoint', 'force_checkpoint', 'enable_logging', 'disable_logging', 'truncate_duckdb_logs', 'sql_auto_complete']);

/** Why a function is refused (it reads files/URLs, or the engine's own tables and settings), or null. */
export function refusedFunction(name: string): 'files' | 'engine' | null {
  const n = name.toLowerCase();
  if (FILE_FUNCTIONS.has(n) || FILE_PREFIXES.some((p) => n.startsWith(p)) || n.endsWith('_scan')) return 'files';
  if (ENGINE_FUNCTIONS.has(n) || ENGINE_PREFIXES.some((p) => n.startsWith(p))) return 'engine';
  return null;
}

/** A call of a refused function in the tokens (`read_text(`, `"getvariable"(`), or null. */
export function refusedCall(tokens: Token[]): { name: string; why: 'files' | 'engine' } | null {
  for (let i = 0; i + 1 < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1]!;
    if ((t.kind === 'word' || t.kind === 'ident') && next.kind === 'punct' && next.text === '(') {
      const why = refusedFunction(t.value);
      if (why) return { name: t.value.toLowerCase(), why };
    }
  }
  return null;
}

/** Words that may follow a column named like a statement keyword (`(comment IS NULL)`, `(start BETWEEN 1 AND 2)`). */
const OPERATOR_WORDS = new Set([
  'is', 'isnull', 'notnull', 'and', 'or', 'not', 'between', 'like', 'ilike', 'glob', 'similar', 'in', 'as', 'collate', 'escape',
  'asc', 'desc', 'nulls', 'over', 'filter', 'then', 'when', 'else', 'end', 'at', 'within', 'from', 'for', 'if',
]);

/**
 * Whether token `i` begins a non-query statement: a statement keyword followed by a name, a string or another
 * word that is not an operator (`DROP TABLE`, `LOAD 'x'`, `SHOW TABLES`), not a column named `load` or `comment`.
 */
export function startsStatement(tokens: Token[], i: number): boolean {
  const kw = tokens[i];
  const after = tokens[i + 1];
  if (!kw || kw.kind !== 'word' || !STATEMENT_KEYWORDS.has(kw.value) || !after) return false;
  return after.kind === 'ident' || after.kind === 'string' || (after.kind === 'word' && !OPERATOR_WORDS.has(after.value));
}

/**
 * A non-query statement opening a parenthesised group (`(DESCRIBE t)`, `(SHOW TABLES)`, `(DROP TABLE x)`), or
 * null. A statement keyword followed by `)`, an operator or a comma is a column named like it (`(load + 1)`).
 */
export function nestedStatement(tokens: Token[]): { keyword: string; at: number } | null {
  for (let i = 0; i + 2 < tokens.length; i++) {
    const open = tokens[i]!;
    if (open.kind === 'punct' && open.text === '(' && startsStatement(tokens, i + 1)) return { keyword: tokens[i + 1]!.value, at: i + 1 };
  }
  return null;
}

/** A short excerpt of the SQL from token `from` on, up to the end of its parenthesis (for a message that shows what was refused). */
export function excerpt(sql: string, tokens: Token[], from: number, count = 6): string {
  const first = tokens[from];
  if (!first) return '';
  let depth = 0;
  let last = from;
  let cut = false;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && t.text === ')' && depth === 0) break;
    if (i >= from + count) { cut = true; break; }
    if (t.kind === 'punct' && t.text === '(') depth++;
    if (t.kind === 'punct' && t.text === ')') depth--;
    last = i;
  }
  const text = sql.slice(first.start, tokens[last]!.end).replace(/\s+/g, ' ');
  return (text.length > 80 ? text.slice(0, 77) + '…' : text) + (cut ? ' …' : '');
}

/** Words that begin a statement able to change a table's rows, the catalog or the connection's settings. */
const WRITE_WORDS = new Set([
  'insert', 'update', 'delete', 'merge', 'upsert', 'create', 'drop', 'alter', 'attach', 'detach', 'copy', 'import', 'truncate',
  'prepare', 'execute', 'call', 'pragma', 'set', 'reset', 'load', 'install',
]);

/**
 * Whether SQL may change something (rows, tables, settings): a write keyword anywhere outside strings,
 * identifiers and comments. Conservative on purpose: a column named `set` counts too, and costs only a re-read.
 */
export function mayWrite(tokens: Token[]): boolean {
  return tokens.some((t) => t.kind === 'word' && WRITE_WORDS.has(t.value));
}

/**
 * A `CREATE [OR REPLACE] MACRO|FUNCTION` that is not TEMP, or null. Such a macro lives in the shared database,
 * where it shadows DuckDB's own functions (`sum`, `count_star`, `range`, the `~~` of LIKE) for every
 * connection, Epoxy's internal one included; a TEMP macro stays on the connection that made it.
 */
export function sharedMacro(tokens: Token[]): { keyword: string; at: number } | null {
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.kind !== 'word' || tokens[i]!.value !== 'create') continue;
    let j = i + 1;
    if (tokens[j]?.kind === 'word' && tokens[j]!.value === 'or' && tokens[j + 1]?.kind === 'word' && tokens[j + 1]!.value === 'replace') j += 2;
    if (tokens[j]?.kind === 'word' && (tokens[j]!.value === 'temp' || tokens[j]!.value === 'temporary')) continue;
    const kw = tokens[j];
    if (kw?.kind === 'word' && (kw.value === 'macro' || kw.value === 'function')) return { keyword: kw.value, at: i };
  }
  return null;
}

/**
 * A statement that writes a file (`COPY … TO`, `EXPORT DATABASE`), or null. `COPY t FROM` reads and is not one.
 * In the browser such a file lands in the engine's own file system, next to the files the user opened: it
 * could overwrite one a lazy view re-reads, and no user ever confirmed it.
 */
export function fileWrite(tokens: Token[]): { keyword: string; at: number } | null {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'word') continue;
    if (t.value === 'export' && tokens[i + 1]?.kind === 'word' && tokens[i + 1]!.value === 'database') return { keyword: 'export', at: i };
    if (t.value !== 'copy') continue;
    let depth = 0;
    for (let j = i + 1; j < tokens.length; j++) {
      const u = tokens[j]!;
      if (u.kind === 'punct' && u.text === '(') depth++;
      else if (u.kind === 'punct' && u.text === ')') depth--;
      else if (u.kind === 'punct' && u.text === ';' && depth <= 0) break;
      else if (depth === 0 && u.kind === 'word' && u.value === 'from') break;
      else if (depth === 0 && u.kind === 'word' && u.value === 'to') return { keyword: 'copy', at: i };
    }
  }
  return null;
}
