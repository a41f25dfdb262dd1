/**
 * The one check every SQL fragment a user (or a link) writes goes through before it reaches the engine:
 * a Sql step is exactly one read-only query over its declared inputs, a Derived or Filter expression is one
 * expression. The engine enforces the same boundary again (single prepared statement, reads checked on the
 * bound plan, external access off, configuration locked), so this text check is where the clear message
 * comes from, not the only wall.
 */
import { excerpt, refusedFunction, startsStatement, STATEMENT_KEYWORDS, tokenize, type Token } from '../engine/sql-tokens';

export { refusedFunction };
import type { Step } from './steps';
import { transformOf } from './transforms';
import { formSqlFragments, type SqlFragment } from './transforms/form';

export type { SqlFragment } from './transforms/form';

/** Every SQL fragment a step carries as text (the form-built parts are compiled by Epoxy and quoted). */
export function sqlFragments(step: Step): SqlFragment[] {
  const def = transformOf(step.kind);
  return def ? formSqlFragments(def, step.params) : [];
}

/** Table functions a query may call in FROM: they make rows from their arguments and read nothing. */
export const ALLOWED_TABLE_FUNCTIONS = ['range', 'generate_series', 'unnest'];

/** Words that take a parenthesised group without being a function call (`IN (...)`, `OVER (...)`). */
const NOT_CALLS = new Set([
  'in', 'exists', 'any', 'all', 'some', 'array', 'as', 'not', 'and', 'or', 'on', 'using', 'select', 'where', 'having', 'when', 'then',
  'else', 'over', 'filter', 'within', 'values', 'lateral', 'is', 'like', 'ilike', 'between', 'case', 'by', 'from', 'join', 'union',
  'except', 'intersect', 'qualify', 'distinct', 'exclude', 'replace', 'rename', 'group', 'order', 'limit', 'offset', 'return', 'set',
  'pivot', 'unpivot', 'for', 'window', 'with', 'materialized', 'key', 'into', 'similar', 'glob_pattern',
]);
const QUERY_STARTS = new Set(['select', 'with', 'from', 'values', 'pivot', 'unpivot']);
const CLAUSE_ENDS_FROM = new Set(['where', 'group', 'having', 'qualify', 'window', 'order', 'limit', 'offset', 'fetch', 'returning', 'select']);
const SET_OPS = new Set(['union', 'except', 'intersect']);

type Expect = 'statement' | 'statement-or-relation' | 'relation' | 'after-relation' | 'none' | 'cte-name' | 'cte-after-name' | 'cte-as' | 'after-cte';

interface Frame {
  kind: 'query' | 'call' | 'group';
  expect: Expect;
  /** In a FROM/JOIN list, where a comma starts another relation. */
  inFrom: boolean;
  /** Token index of the closing `)` (the end of the text for the top frame), once known. */
  end: number;
  parent: Frame | null;
  /** A CTE list is being read in this frame and is RECURSIVE. */
  recursive: boolean;
}

interface Cte { name: string; frame: Frame; visibleFrom: number }

interface Walk {
  problems: string[];
  relations: { name: string; qualified: boolean; at: number; frame: Frame }[];
  ctes: Cte[];
  subquery: string | null;
  fromAtTop: boolean;
}

function isWord(t: Token | undefined, ...values: string[]): boolean {
  return !!t && t.kind === 'word' && values.includes(t.value);
}

function isPunct(t: Token | undefined, text: string): boolean {
  return !!t && t.kind === 'punct' && t.text === text;
}

const kw = (v: string) => v.toUpperCase();

/**
 * Walk the tokens with a stack of parenthesised frames, tracking just enough grammar to know where a
 * statement, a relation and a function call stand: FROM/JOIN lists, CTE lists, set operations, subqueries.
 */
function walk(sql: string, tokens: Token[], mode: 'query' | 'expression', subject: string, inputs: string[] = ['input']): Walk {
  const onlyInputs = (m: 'query' | 'expression') => readOnly(m, inputs);
  const w: Walk = { problems: [], relations: [], ctes: [], subquery: null, fromAtTop: false };
  const problem = (m: string) => { if (!w.problems.includes(m)) w.problems.push(m); };
  const root: Frame = { kind: mode === 'query' ? 'query' : 'group', expect: mode === 'query' ? 'statement' : 'none', inFrom: false, end: tokens.length, parent: null, recursive: false };
  let f = root;
  const statementKeyword = (t: Token, i: number) => {
    problem(`${subject} holds ${/^[aeiou]/i.test(t.value) ? 'an' : 'a'} ${kw(t.value)} statement (${excerpt(sql, tokens, i)}): ${mode === 'query' ? 'a Sql step is one read-only query' : 'an expression computes a value from its input columns'}.`);
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    if (t.kind === 'punct' && t.text === '(') {
      let kind: Frame['kind'];
      let expect: Expect = 'none';
      if (f.expect === 'relation') {
        kind = 'query';
        expect = 'statement-or-relation';
        f.expect = 'after-relation';
      } else if (f.expect === 'cte-as' || f.expect === 'statement' || f.expect === 'after-cte' || f.expect === 'statement-or-relation') {
        kind = 'query';
        expect = 'statement';
        f.expect = f.expect === 'cte-as' ? 'after-cte' : 'none';
      } else if (f.expect === 'cte-after-name' || f.expect === 'after-relation') {
        kind = 'group';
      } else if (next && next.kind === 'word' && (next.value === 'select' || next.value === 'with' || next.value === 'values')) {
        kind = 'query';
        expect = 'statement';
      } else if (prev && (prev.kind === 'word' || prev.kind === 'ident') && !(prev.kind === 'word' && NOT_CALLS.has(prev.value))) {
        kind = 'call';
        const why = refusedFunction(prev.value);
        if (why) problem(functionMessage(subject, prev.value, why, mode, inputs));
      } else if (isWord(next, 'from', 'pivot', 'unpivot')) {
        kind = 'query';
        expect = 'statement';
      } else {
        kind = 'group';
      }
      if (kind === 'query' && mode === 'expression') w.subquery ??= excerpt(sql, tokens, i + 1);
      if (startsStatement(tokens, i + 1)) statementKeyword(next!, i + 1);
      f = { kind, expect, inFrom: false, end: -1, parent: f, recursive: false };
      continue;
    }
    if (t.kind === 'punct' && t.text === ')') {
      if (!f.parent) { problem(`${subject} closes a parenthesis it never opened${i > 0 ? ` (after ${excerpt(sql, tokens, Math.max(0, i - 4), 4)})` : ''}.`); continue; }
      f.end = i;
      f = f.parent;
      // A CTE's body just closed: its name is visible from here on (inside its own body only when RECURSIVE).
      if (f.expect === 'after-cte') for (const c of w.ctes) if (c.frame === f && c.visibleFrom === Number.POSITIVE_INFINITY) c.visibleFrom = i;
      continue;
    }
    if (t.kind === 'punct' && t.text === ',') {
      if (f.expect === 'after-relation' && f.inFrom) f.expect = 'relation';
      else if (f.expect === 'after-cte') f.expect = 'cte-name';
      else if (f.inFrom && f.expect === 'none') f.expect = 'relation';
      continue;
    }
    if (t.kind === 'punct' && t.text === ';') continue; // statements are counted before the walk
    if (f.kind !== 'query') {
      // Inside a call or a group, FROM belongs to the function (trim(x FROM y), extract(year FROM d)).
      if (mode === 'expression' && f === root && isWord(t, 'from')) w.fromAtTop = true;
      if (t.kind === 'word' && (t.value === 'select' || t.value === 'with' || t.value === 'values') && mode === 'expression') w.subquery ??= excerpt(sql, tokens, i);
      continue;
    }
    // A query frame.
    const word = t.kind === 'word' ? t.value : null;
    switch (f.expect) {
      case 'cte-name':
        if (word === 'recursive') { f.recursive = true; continue; }
        if (t.kind === 'word' || t.kind === 'ident') {
          w.ctes.push({ name: t.value.toLowerCase(), frame: f, visibleFrom: f.recursive ? i : Number.POSITIVE_INFINITY });
          f.expect = 'cte-after-name';
          continue;
        }
        problem(`${subject} has a WITH list that does not name its query (${excerpt(sql, tokens, i)}).`);
        f.expect = 'none';
        continue;
      case 'cte-after-name':
        if (word === 'as') f.expect = 'cte-as';
        continue; // USING KEY (...) and column lists
      case 'cte-as':
        if (word === 'not' || word === 'materialized') continue;
        problem(`${subject} has a WITH list whose query is not in parentheses (${excerpt(sql, tokens, i)}).`);
        f.expect = 'none';
        continue;
      case 'after-cte':
        if (word === 'select' || word === 'values') { f.expect = 'none'; f.inFrom = false; continue; }
        if (word === 'from' || word === 'pivot' || word === 'unpivot') { f.expect = 'relation'; f.inFrom = word === 'from'; continue; }
        if (word && STATEMENT_KEYWORDS.has(word)) { problem(`${subject} has ${/^[aeiou]/.test(word) ? 'an' : 'a'} ${kw(word)} after its WITH list (${excerpt(sql, tokens, i)}): a Sql step is one read-only query.`); f.expect = 'none'; continue; }
        problem(`${subject} has ${excerpt(sql, tokens, i, 2)} after its WITH list: the query after it starts with SELECT, FROM or VALUES.`);
        f.expect = 'none';
        continue;
      case 'statement':
      case 'statement-or-relation':
        if (word === 'all' || word === 'distinct' || word === 'by' || word === 'name') continue; // UNION ALL BY NAME
        if (word === 'select' || word === 'values') { f.expect = 'none'; f.inFrom = false; continue; }
        if (word === 'from' || word === 'pivot' || word === 'unpivot') { f.expect = 'relation'; f.inFrom = word === 'from'; continue; }
        if (word === 'with') { f.expect = 'cte-name'; continue; }
        if (f.expect === 'statement-or-relation' && startsStatement(tokens, i)) { f.expect = 'none'; continue; } // reported at its `(`
        if (f.expect === 'statement-or-relation') { f.expect = 'relation'; f.inFrom = true; i--; continue; }
        if (word && STATEMENT_KEYWORDS.has(word)) { if (f !== root || i === 0) statementKeyword(t, i); f.expect = 'none'; continue; }
        if (f === root && i === 0) problem(`${subject} starts with ${excerpt(sql, tokens, 0, 2)}: a Sql step is one query that starts with SELECT, WITH, FROM or VALUES.`);
        f.expect = 'none';
        continue;
      case 'relation': {
        if (word === 'lateral' || word === 'only') continue;
        if (t.kind === 'string') {
          problem(`${subject} reads the file ${quote(t.value)} directly (FROM '…'): ${onlyInputs(mode)}.`);
          f.expect = 'after-relation';
          continue;
        }
        if (t.kind === 'word' || t.kind === 'ident') {
          // A dotted name: schema.table, catalog.schema.table, or a qualified table function.
          let j = i;
          const parts = [t.value];
          while (isPunct(tokens[j + 1], '.') && tokens[j + 2] && (tokens[j + 2]!.kind === 'word' || tokens[j + 2]!.kind === 'ident')) {
            parts.push(tokens[j + 2]!.value);
            j += 2;
          }
          const name = parts.at(-1)!;
          if (isPunct(tokens[j + 1], '(')) {
            const why = refusedFunction(name);
            if (why) problem(functionMessage(subject, name, why, mode, inputs));
            else if (!ALLOWED_TABLE_FUNCTIONS.includes(name.toLowerCase())) problem(`${subject} calls the table function ${name}(): ${onlyInputs(mode)} (table functions allowed: ${ALLOWED_TABLE_FUNCTIONS.join(', ')}).`);
            f.expect = 'after-relation';
            i = j;
            // The `(` that follows opens the call's arguments.
            f = { kind: 'call', expect: 'none', inFrom: false, end: -1, parent: f, recursive: false };
            i++;
            continue;
          }
          w.relations.push({ name: parts.join('.'), qualified: parts.length > 1, at: i, frame: f });
          f.expect = 'after-relation';
          i = j;
          continue;
        }
        if (t.kind === 'param') problem(`${subject} reads a relation named by a parameter (${t.text}): ${onlyInputs(mode)}.`);
        f.expect = 'after-relation';
        continue;
      }
      default:
        break;
    }
    if (!word) continue;
    if (word === 'from' || word === 'join') { f.expect = 'relation'; f.inFrom = true; continue; }
    if (word === 'pivot' || word === 'unpivot') { if (f.expect !== 'after-relation') { f.expect = 'relation'; f.inFrom = false; } continue; }
    if (SET_OPS.has(word)) { f.expect = 'statement'; f.inFrom = false; continue; }
    if (word === 'on' || word === 'using') { if (f.expect === 'after-relation') f.expect = 'none'; continue; }
    if (CLAUSE_ENDS_FROM.has(word)) { f.inFrom = false; f.expect = 'none'; continue; }
  }
  if (f !== root) problem(`${subject} opens a parenthesis it never closes.`);
  return w;
}

function quote(text: string): string {
  const t = text.length > 60 ? text.slice(0, 57) + '…' : text;
  return `'${t.replace(/'/g, "''")}'`;
}

function readOnly(mode: 'query' | 'expression', inputs: string[]): string {
  return mode === 'query' ? `a Sql step may read only ${names(inputs)}` : 'an expression may use only the columns of its input';
}

function names(inputs: string[]): string {
  return inputs.length === 1 ? `its input \`${inputs[0]}\`` : `its inputs ${inputs.map((n) => `\`${n}\``).join(', ')}`;
}

function functionMessage(subject: string, name: string, why: 'files' | 'engine', mode: 'query' | 'expression', inputs: string[]): string {
  const what = why === 'files' ? 'which reads files or URLs' : "which reads the engine's own tables or settings";
  return `${subject} calls ${name.toLowerCase()}(), ${what}: ${readOnly(mode, inputs)}.`;
}

/** Count statements: the tokens after the first `;` that ends a statement, if any are not more `;`. */
function secondStatement(sql: string, tokens: Token[], subject: string, mode: 'query' | 'expression'): string | null {
  const semi = tokens.findIndex((t) => t.kind === 'punct' && t.text === ';');
  if (semi < 0) return null;
  if (mode === 'expression') return `${subject} holds a ";" (${excerpt(sql, tokens, Math.max(0, semi - 2))}): an expression is one value, never a statement.`;
  const rest = tokens.slice(semi + 1).findIndex((t) => !(t.kind === 'punct' && t.text === ';'));
  if (rest < 0) return null;
  return `${subject} holds a second statement after ";" (${excerpt(sql, tokens, semi + 1 + rest)}): a Sql step runs exactly one query.`;
}

/**
 * Problems with a query fragment (a Sql step): empty when it is exactly one read-only SELECT that reads only
 * `inputs` (and its own CTEs). Each problem is a sentence a user can act on.
 */
export function checkQuerySql(sql: string, inputs: string[]): string[] {
  const subject = 'The SQL';
  const { tokens, problem } = tokenize(sql ?? '');
  if (problem) return [`${subject} cannot be read: ${problem.charAt(0).toLowerCase()}${problem.slice(1)}.`];
  if (!tokens.length) return [`${subject} is empty: write one SELECT over \`input\`.`];
  const problems: string[] = [];
  const second = secondStatement(sql, tokens, subject, 'query');
  if (second) problems.push(second);
  const w = walk(sql, tokens, 'query', subject, inputs);
  problems.push(...w.problems);
  const allowed = new Set(inputs.map((n) => n.toLowerCase()));
  for (const r of w.relations) {
    const name = r.name.toLowerCase();
    if (!r.qualified && allowed.has(name)) continue;
    if (!r.qualified && w.ctes.some((c) => c.name === name && r.at >= c.visibleFrom && inScope(r.frame, c.frame))) continue;
    const m = `${subject} reads the table ${r.name}, which is not an input of this step (it may read only ${inputs.map((n) => `\`${n}\``).join(', ')}).`;
    if (!problems.includes(m)) problems.push(m);
  }
  return problems;
}

/** A CTE defined in `scope` is visible in `frame` when the frame is the scope or nested inside it. */
function inScope(frame: Frame, scope: Frame): boolean {
  for (let f: Frame | null = frame; f; f = f.parent) if (f === scope) return true;
  return false;
}

/** Problems with an expression fragment (Derived, a SQL predicate): empty when it is one plain expression. */
export function checkExpressionSql(sql: string): string[] {
  const subject = 'The expression';
  const { tokens, problem } = tokenize(sql ?? '');
  if (problem) return [`${subject} cannot be read: ${problem.charAt(0).toLowerCase()}${problem.slice(1)}.`];
  if (!tokens.length) return [`${subject} is empty.`];
  const problems: string[] = [];
  const second = secondStatement(sql, tokens, subject, 'expression');
  if (second) problems.push(second);
  if (startsStatement(tokens, 0)) {
    problems.push(`${subject} holds ${/^[aeiou]/.test(tokens[0]!.value) ? 'an' : 'a'} ${kw(tokens[0]!.value)} statement (${excerpt(sql, tokens, 0)}): an expression computes a value from its input columns.`);
  }
  const w = walk(sql, tokens, 'expression', subject);
  problems.push(...w.problems);
  if (w.subquery !== null || tokens.some((t) => isWord(t, 'select'))) problems.push(`${subject} holds a subquery (${w.subquery ?? 'SELECT …'}): an expression may use only the columns of its input.`);
  else if (w.fromAtTop) problems.push(`${subject} holds FROM outside a function call: an expression may use only the columns of its input.`);
  return problems;
}

/** Problems with every SQL fragment of a step, each prefixed with the field it sits in. */
export function stepSqlProblems(step: Step): string[] {
  return sqlFragments(step).flatMap((f) => (f.kind === 'query' ? checkQuerySql(f.sql, ['input']) : checkExpressionSql(f.sql)).map((m) => `${f.field}: ${m}`));
}

/**
 * Whether an error message is a refusal of the SQL guard, of the engine's checked path or of the locked
 * engine (DuckDB's "file system operations are disabled by configuration"), rather than a plain SQL error.
 */
export function isGuardRefusal(message: string): boolean {
  return /may read only|may use only the columns of its input|is one read-only query|runs exactly one query|never a statement|may call only|which a step may not use|read-only query over its inputs|operations are disabled by configuration/.test(message);
}
