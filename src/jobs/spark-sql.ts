/**
 * DuckDB SQL → Spark SQL (Spark 3.5, the Spark of AWS Glue 5.0) for the free SQL a user writes: a Sql step's
 * query over `input`, a Derived step's expression, a Filter's SQL predicate.
 *
 * The translation works on the project's DuckDB tokens (engine/sql-tokens.ts), grouped by parentheses. It
 * rewrites what it knows to mean the same on both engines (measured on DuckDB-WASM and local Spark 3.5 in
 * test/unit/jobs/spark-sql.test.ts) and refuses everything else, naming the construct and a way around it:
 * a function it does not know is refused, never passed through, so a script never computes something else.
 */
import { tokenize, type Token } from '../engine/sql-tokens';

/** Free SQL the export cannot carry to Spark unchanged in meaning; `construct` is what was refused. */
export class SparkSqlError extends Error {
  constructor(readonly where: string, readonly construct: string, message: string) {
    super(`${where}: ${message}`);
    this.name = 'SparkSqlError';
  }
}

/** A column of the relation the SQL reads (`input`), with its DuckDB type name as the tab shows it. */
export interface SqlColumn {
  name: string;
  type: string;
}

export interface SparkSqlOptions {
  /** The columns of `input` (for a query) or of the frame (an expression); casts to integers need their types. */
  columns?: SqlColumn[];
}

/**
 * Translate DuckDB SQL to Spark SQL with the same result, or throw a SparkSqlError naming the construct and
 * `where` (the step id). `kind` 'query' is a whole SELECT; 'expression' is one value or predicate.
 */
export function toSparkSql(sql: string, kind: 'query' | 'expression', where: string, options: SparkSqlOptions = {}): { sql: string } {
  return { sql: new Translator(sql, kind, where, options.columns ?? []).run() };
}

type Op = { kind: 'tok'; tok: Token; op: string } | { kind: 'group'; open: '(' | '['; children: Op[]; start: number; end: number };

interface Item {
  text: string;
  /** atom: a complete value; name: a (qualified) column name; kw: a keyword; op: an operator; comma. */
  kind: 'atom' | 'name' | 'kw' | 'op' | 'comma';
  word?: string;
  /** For a name: the column it names (last part). For a call: the function. */
  ref?: string;
  call?: string;
  /** A call whose type is cast back after its FILTER/OVER: the call's text and the wrapper. */
  inner?: string;
  wrap?: (s: string) => string;
  /** The Spark type of the value where it is known (a column, a literal, a cast, a division). */
  type?: string;
}

const OPERATORS = ['->>', '!~~', '~~*', '!~*', '::', '||', '<=', '>=', '<>', '!=', '==', '->', '//', '**', ':=', '~~', '!~', '@>', '<@', '&&', '<<', '>>', '^@'];
const PASS_OPERATORS = new Set(['+', '-', '*', '/', '%', '=', '<', '>', '<=', '>=', '<>', '!=', '==', '.', '||']);
const OPERATOR_FIX: Record<string, string> = {
  '//': 'write CAST(trunc(a / b) AS BIGINT) style arithmetic with "/" (Spark has no "//")',
  '**': 'write power(a, b)',
  '^': 'write power(a, b) ("^" is XOR in Spark)',
  '->': 'lambdas are not translated; use a CASE expression or a Spark-only step',
  '->>': 'JSON operators are not translated',
  ':=': 'named arguments are not translated',
  '~~': 'write LIKE', '!~~': 'write NOT LIKE', '~~*': 'write ILIKE', '!~*': 'write NOT ILIKE',
  '~': 'write regexp_matches(s, pattern)', '!~': 'write NOT regexp_matches(s, pattern)',
};

/** Words that are never a column or a function name here (so `in (`, `over (` are not calls). */
const KEYWORDS = new Set([
  'select', 'from', 'where', 'group', 'by', 'having', 'order', 'limit', 'offset', 'union', 'all', 'distinct', 'except',
  'intersect', 'and', 'or', 'not', 'in', 'is', 'as', 'on', 'using', 'join', 'inner', 'left', 'right', 'full', 'outer',
  'cross', 'natural', 'case', 'when', 'then', 'else', 'end', 'exists', 'between', 'like', 'ilike', 'over', 'partition',
  'rows', 'range', 'groups', 'unbounded', 'preceding', 'following', 'current', 'row', 'filter', 'within', 'with', 'values',
  'asc', 'desc', 'nulls', 'first', 'last', 'escape', 'window', 'qualify', 'lateral', 'recursive', 'semi', 'anti', 'asof',
  'positional', 'any', 'some', 'similar', 'glob', 'interval', 'cast', 'try_cast', 'extract',
  'ignore', 'respect', 'sample', 'tablesample', 'pivot', 'unpivot', 'materialized', 'fetch', 'collate', 'lambda', 'isnull', 'notnull',
  'exclude', 'rename',
]);
/** Keywords that are also function names: `left(s, 2)`, `first(x)`. */
const CALLABLE_KEYWORDS = new Set(['left', 'right', 'first', 'last']);
const VALUE_WORDS = new Set(['null', 'true', 'false', 'current_date']);
/** Where an ORDER BY list ends. */
const ORDER_END = new Set(['limit', 'offset', 'rows', 'range', 'groups', 'union', 'except', 'intersect', 'fetch', 'window']);
/** Where a SELECT list ends. */
const SELECT_END = new Set(['from', 'where', 'group', 'having', 'order', 'limit', 'offset', 'window', 'qualify', 'union', 'except', 'intersect']);
/** Refused keywords: what DuckDB means by them Spark 3.5 has not, or means otherwise. */
const REFUSED_WORDS: Record<string, [string, string]> = {
  qualify: ['QUALIFY', 'Spark 3.5 has no QUALIFY: filter a window column in an outer query (SELECT * FROM (SELECT …, row_number() OVER (…) AS rn FROM input) WHERE rn = 1)'],
  interval: ['INTERVAL', 'DATE + INTERVAL is a TIMESTAMP in DuckDB and a DATE in Spark: add days as d + n, or use date_trunc'],
  recursive: ['WITH RECURSIVE', 'Spark 3.5 has no recursive queries'],
  asof: ['ASOF JOIN', 'Spark has no ASOF join'],
  positional: ['POSITIONAL JOIN', 'Spark has no positional join'],
  semi: ['SEMI JOIN', 'write WHERE EXISTS (SELECT …)'],
  anti: ['ANTI JOIN', 'write WHERE NOT EXISTS (SELECT …)'],
  similar: ['SIMILAR TO', 'write regexp_matches(s, pattern)'],
  glob: ['GLOB', 'write LIKE (with % and _)'],
  sample: ['USING SAMPLE', 'sampling differs between engines'],
  tablesample: ['TABLESAMPLE', 'sampling differs between engines'],
  pivot: ['PIVOT', 'use the Pivot transform'],
  unpivot: ['UNPIVOT', 'use the Unpivot transform'],
  lateral: ['LATERAL', 'LATERAL joins are not translated'],
  ignore: ['IGNORE NULLS', 'DuckDB and Spark place IGNORE NULLS differently; it is not translated'],
  respect: ['RESPECT NULLS', 'it is not translated'],
  lambda: ['lambda', 'lambdas are not translated'],
  collate: ['COLLATE', 'collations differ between engines'],
  isnull: ['ISNULL', 'write x IS NULL'],
  notnull: ['NOTNULL', 'write x IS NOT NULL'],
  fetch: ['FETCH', 'write LIMIT'],
  materialized: ['MATERIALIZED', 'write the CTE without it'],
  current_timestamp: ['CURRENT_TIMESTAMP', 'time zones differ: use current_date, or a job parameter'],
  current_time: ['CURRENT_TIME', 'Spark has no TIME type'],
  localtimestamp: ['LOCALTIMESTAMP', 'time zones differ: use current_date, or a job parameter'],
  localtime: ['LOCALTIME', 'Spark has no TIME type'],
};

const DOUBLE_TEXT = 'DuckDB writes 1e+20 and 12345678.9 where Spark writes 1.0E20 and 1.23456789E7: cast it to a DECIMAL first (CAST(CAST(x AS DECIMAL(18,2)) AS VARCHAR))';

/** Integer types: a cast to one rounds in DuckDB (2.5 → 3, and half to even from DOUBLE) and truncates in Spark. */
const INTEGER_TYPES = new Set(['TINYINT', 'SMALLINT', 'INT', 'BIGINT']);

/** DuckDB's function names that Spark 3.5 has with the same arguments, result and NULL handling. */
const SAME_FUNCTIONS = new Set([
  'abs', 'sqrt', 'exp', 'ln', 'log10', 'log2', 'power', 'pow', 'greatest', 'least', 'coalesce', 'nullif', 'ifnull', 'lower', 'upper',
  'replace', 'concat_ws', 'left', 'right', 'lpad', 'rpad', 'reverse', 'repeat', 'contains', 'split_part', 'md5', 'if',
  'count', 'stddev', 'stddev_samp', 'stddev_pop', 'variance', 'var_samp', 'var_pop', 'corr',
  'covar_pop', 'covar_samp', 'bool_and', 'bool_or', 'lag', 'lead', 'first_value', 'last_value',
  'percent_rank', 'cume_dist', 'make_date', 'last_day',
]);
/** Functions that return BIGINT in DuckDB and INT in Spark: cast back so the column's type matches. */
const BIGINT_FUNCTIONS: Record<string, string> = {
  year: 'year', month: 'month', day: 'day', dayofmonth: 'dayofmonth', hour: 'hour', minute: 'minute', second: 'second',
  quarter: 'quarter', dayofyear: 'dayofyear', week: 'weekofyear', weekofyear: 'weekofyear', length: 'length',
  char_length: 'length', character_length: 'length', instr: 'instr', row_number: 'row_number', rank: 'rank', dense_rank: 'dense_rank',
  ntile: 'ntile',
};
const RENAMED: Record<string, string> = {
  lcase: 'lower', ucase: 'upper', starts_with: 'startswith', prefix: 'startswith', ends_with: 'endswith', suffix: 'endswith',
};
const FUNCTION_FIX: Record<string, string> = {
  string_agg: 'its order is not defined on Spark', list: 'its order is not defined on Spark', array_agg: 'its order is not defined on Spark',
  group_concat: 'its order is not defined on Spark', listagg: 'its order is not defined on Spark',
  any_value: 'it picks an arbitrary row', first: 'it picks an arbitrary row', last: 'it picks an arbitrary row', arbitrary: 'it picks an arbitrary row',
  now: 'time zones differ: use current_date, or a job parameter', current_timestamp: 'time zones differ: use a job parameter',
  random: 'it is random', uuid: 'it is random', gen_random_uuid: 'it is random', hash: 'the hash functions differ',
  epoch: 'write a difference of dates with date_diff', trunc: "Spark's trunc truncates dates: write CAST(x AS BIGINT) of floor/ceil",
  sign: 'its result type differs', len: 'it is ambiguous between strings and lists: write length(s)', columns: 'COLUMNS(…) is DuckDB only: list the columns',
  typeof: 'types are named differently',
  count_if: 'DuckDB answers a HUGEINT, and NULL for a group with no row: write count(*) FILTER (WHERE condition)',
};

/** Functions `call` rewrites (with some argument shapes only). */
const KNOWN_REWRITES = new Set(['sum', 'avg', 'mean', 'ceil', 'ceiling', 'floor', 'round', 'median', 'min', 'max', 'strpos', 'position', 'substring', 'substr', 'concat', 'regexp_matches', 'regexp_replace', 'regexp_extract',
  'dayofweek', 'dow', 'isodow', 'today', 'date_trunc', 'datetrunc', 'date_diff', 'datediff', 'strftime', 'strptime']);

class Translator {
  private tokens: Token[] = [];
  private top: Op[] = [];

  constructor(private sql: string, private kind: 'query' | 'expression', private where: string, private columns: SqlColumn[]) {}

  private refuse(construct: string, why: string): never {
    throw new SparkSqlError(this.where, construct, `DuckDB's ${construct} is not translated to Spark SQL: ${why}`);
  }

  run(): string {
    const { tokens, problem } = tokenize(this.sql);
    if (problem) throw new SparkSqlError(this.where, 'syntax', `the SQL cannot be read: ${problem}`);
    this.tokens = tokens;
    while (this.tokens.length && this.tokens.at(-1)!.text === ';') this.tokens.pop();
    if (!this.tokens.length) throw new SparkSqlError(this.where, 'syntax', 'the SQL is empty');
    const ops = this.group(this.operators(this.tokens));
    this.top = ops;
    if (this.kind === 'query') {
      const first = ops[0]!;
      const lead = first.kind === 'tok' ? first.op.toLowerCase() : '(';
      if (lead !== 'select' && lead !== 'with' && lead !== '(') this.refuse(`"${first.kind === 'tok' ? first.tok.text : '('} …" query`, 'write the query as SELECT … FROM input (Spark reads no FROM-first, PIVOT or bare table queries)');
    }
    return this.render(this.list(ops, this.kind === 'query' ? 'query' : 'expression'));
  }

  /** Merge adjacent punctuation into DuckDB's operators. */
  private operators(tokens: Token[]): Op[] {
    const out: Op[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.kind !== 'punct') { out.push({ kind: 'tok', tok: t, op: t.kind === 'word' ? t.value : t.text }); continue; }
      let op = t.text;
      let end = t.end;
      let j = i;
      for (const cand of OPERATORS) {
        let k = i;
        let s = '';
        let e = t.end;
        while (k < tokens.length && s.length < cand.length && tokens[k]!.kind === 'punct' && (k === i || tokens[k]!.start === e)) {
          s += tokens[k]!.text;
          e = tokens[k]!.end;
          k++;
        }
        if (s === cand) { op = cand; end = e; j = k - 1; break; }
      }
      out.push({ kind: 'tok', tok: { ...t, text: op, end }, op });
      i = j;
    }
    return out;
  }

  /** Nest ( ) and [ ] groups. */
  private group(ops: Op[]): Op[] {
    const stack: { open: '(' | '['; children: Op[]; start: number }[] = [{ open: '(', children: [], start: 0 }];
    for (const o of ops) {
      if (o.kind === 'tok' && (o.op === '(' || o.op === '[')) { stack.push({ open: o.op, children: [], start: o.tok.start }); continue; }
      if (o.kind === 'tok' && (o.op === ')' || o.op === ']')) {
        const top = stack.pop()!;
        if (stack.length === 0 || top.open !== (o.op === ')' ? '(' : '[')) throw new SparkSqlError(this.where, 'syntax', `the SQL cannot be read: "${o.op}" at character ${o.tok.start + 1} closes nothing`);
        stack.at(-1)!.children.push({ kind: 'group', open: top.open, children: top.children, start: top.start, end: o.tok.end });
        continue;
      }
      stack.at(-1)!.children.push(o);
    }
    if (stack.length !== 1) throw new SparkSqlError(this.where, 'syntax', `the SQL cannot be read: "${stack.at(-1)!.open}" at character ${stack.at(-1)!.start + 1} is never closed`);
    return stack[0]!.children;
  }

  private text(o: Op): string {
    return o.kind === 'tok' ? this.sql.slice(o.tok.start, o.tok.end) : this.sql.slice(o.start, o.end);
  }

  private snippet(from: Op, to: Op = from): string {
    const a = from.kind === 'tok' ? from.tok.start : from.start;
    const b = to.kind === 'tok' ? to.tok.end : to.end;
    const s = this.sql.slice(a, b).replace(/\s+/g, ' ');
    return s.length > 60 ? s.slice(0, 57) + '…' : s;
  }

  /**
   * Translate one list of siblings (the whole SQL, or the inside of a parenthesis). `context` tells what the
   * list is: a query (its SELECT list needs names, its ORDER BY DuckDB's null order) or an expression.
   */
  private list(ops: Op[], context: 'query' | 'subquery' | 'expression' | 'args'): Item[] {
    const items: Item[] = [];
    const lastIsValue = () => { const l = items.at(-1); return !!l && (l.kind === 'atom' || l.kind === 'name'); };
    for (let i = 0; i < ops.length; i++) {
      const o = ops[i]!;
      const next = ops[i + 1];
      if (o.kind === 'group') {
        if (o.open === '[') {
          if (lastIsValue()) { items.push(this.subscript(items.pop()!, o)); continue; }
          items.push({ kind: 'atom', text: `array(${this.render(this.list(o.children, 'args'))})` });
          continue;
        }
        // A subquery whose columns become a relation's (FROM (…), a CTE) needs named columns; one in IN (…) does not.
        const relation = items.length === 0 ? context === 'query' : items.at(-1)!.kind === 'kw' && ['from', 'join', 'as'].includes(items.at(-1)!.word!);
        const inner = !this.isQuery(o.children) ? 'args' : relation ? 'query' : 'subquery';
        const content = this.list(o.children, inner);
        items.push({ kind: 'atom', text: `(${this.render(content)})`, type: content.length === 1 ? content[0]!.type : undefined });
        continue;
      }
      const t = o.tok;
      if (t.kind === 'string') { items.push({ kind: 'atom', text: sparkString(t.value), word: 'string', type: 'STRING' }); this.eString(o); continue; }
      if (t.kind === 'number') { const text = this.number(o); items.push({ kind: 'atom', text, word: 'number', type: literalType(text) }); continue; }
      if (t.kind === 'param') this.refuse(`parameter "${t.text}"`, 'use a job parameter ${name}');
      if (t.kind === 'ident') {
        if (next?.kind === 'group' && next.open === '(') this.refuse(`quoted function name "${t.value}"`, 'write the function name unquoted');
        items.push(this.name(ops, i, items));
        continue;
      }
      if (t.kind === 'punct') {
        const op = o.op;
        if (op === '$' && next?.kind === 'tok' && next.op === '{') {
          const name = ops[i + 2];
          const close = ops[i + 3];
          if (name?.kind === 'tok' && name.tok.kind === 'word' && close?.kind === 'tok' && close.op === '}') {
            items.push({ kind: 'atom', text: '${' + name.tok.text + '}' });
            i += 3;
            continue;
          }
        }
        if (op === ',') { items.push({ kind: 'comma', text: ',' }); continue; }
        if (op === ';') this.refuse('";" between statements', 'give one query');
        if (op === '{' || op === '}') this.refuse('struct literal {…}', 'struct literals are not translated');
        if (op === '::') { i = this.castOperator(ops, i, items); continue; }
        if (op === '*' && !lastIsValue()) {
          const after = ops[i + 1];
          if (after?.kind === 'tok' && ['exclude', 'replace', 'rename'].includes(after.op)) { i = this.starModifier(ops, i, items); continue; }
          if (items.at(-1)?.text === '.' && items.at(-2)?.kind === 'name') {
            items.pop();
            items.push({ kind: 'name', text: `${items.pop()!.text}.*` });
          } else items.push({ kind: 'name', text: '*' });
          continue;
        }
        if (op === '.') {
          items.push({ kind: 'op', text: '.' });
          continue;
        }
        if (op === '||') this.concatPrecedence(ops);
        if (!PASS_OPERATORS.has(op)) this.refuse(`operator "${op}"`, OPERATOR_FIX[op] ?? 'it has no Spark SQL translation here');
        items.push({ kind: 'op', text: op });
        continue;
      }
      // A word.
      const w = o.op;
      if (REFUSED_WORDS[w]) {
        const [construct, why] = REFUSED_WORDS[w]!;
        this.refuse(construct, why);
      }
      if (w === 'cast' || w === 'try_cast') {
        if (next?.kind !== 'group' || next.open !== '(') this.refuse(`"${t.text}" without parentheses`, 'write CAST(x AS type)');
        items.push(this.cast(next, w));
        i++;
        i = this.windowSuffix(ops, i, items);
        continue;
      }
      if (w === 'extract' && next?.kind === 'group') { items.push(this.extract(next)); i++; continue; }
      if (w === 'case') { i = this.caseExpr(ops, i, items); continue; }
      if ((w === 'date' || w === 'timestamp' || w === 'timestamptz' || w === 'time' || w === 'datetime') && next?.kind === 'tok' && next.tok.kind === 'string') {
        if (w === 'timestamptz' || w === 'time') this.refuse(`${w.toUpperCase()} literal`, `Spark has no ${w.toUpperCase()} like DuckDB's`);
        items.push({ kind: 'atom', text: `${w === 'date' ? 'DATE' : 'TIMESTAMP_NTZ'} ${sparkString(next.tok.value)}` });
        i++;
        continue;
      }
      if (w === 'by' && items.at(-1)?.word === 'union') this.refuse('UNION BY NAME', 'Spark SQL has no UNION BY NAME: list the columns in the same order');
      if (w === 'on' && items.at(-1)?.word === 'distinct') this.refuse('SELECT DISTINCT ON', 'keep one row per key with row_number() in a subquery');
      if (w === 'all' && items.at(-1)?.word === 'by' && items.at(-2)?.word === 'order') this.refuse('ORDER BY ALL', 'list the columns to order by');
      if (w === 'from' && items.at(-1)?.word === 'distinct' && (items.at(-2)?.word === 'is' || items.at(-3)?.word === 'is')) { items.push({ kind: 'kw', text: 'FROM', word: 'distinct from' }); continue; }
      if (w === 'like' || w === 'ilike') { i = this.like(ops, i, items); continue; }
      if (KEYWORDS.has(w) && !(CALLABLE_KEYWORDS.has(w) && next?.kind === 'group' && next.open === '(')) { items.push({ kind: 'kw', text: t.text.toUpperCase(), word: w }); continue; }
      if (VALUE_WORDS.has(w)) { items.push({ kind: 'atom', text: t.text.toUpperCase(), word: w }); continue; }
      if (next?.kind === 'group' && next.open === '(' && !this.isDefinition(ops, i, items)) {
        items.push(this.call(w, t.text, next));
        i++;
        i = this.windowSuffix(ops, i, items);
        continue;
      }
      items.push(this.name(ops, i, items));
    }
    this.divisions(items);
    this.doublesAsText(items);
    if (context === 'query') this.checkSelectNames(items);
    if (context === 'expression' && this.kind === 'expression' && ops === this.top) {
      const bad = items.find((x) => x.kind === 'comma' || (x.kind === 'kw' && ['select', 'from', 'where', 'order', 'group', 'limit'].includes(x.word!)));
      if (bad) this.refuse(`"${bad.text}" in an expression`, 'an expression is one value (write a query in a Sql step)');
    }
    return this.nullsLast(items);
  }

  private isQuery(children: Op[]): boolean {
    const f = children[0];
    return f?.kind === 'tok' && (f.op === 'select' || f.op === 'with');
  }

  /**
   * `* EXCLUDE (…)` and `* REPLACE (… AS c)`, which Spark 3.5 lacks, spelled out as the column list of `input`
   * when the query reads `input` alone and its columns are known; refused otherwise.
   */
  private starModifier(ops: Op[], i: number, items: Item[]): number {
    const mod = ops[i + 1] as Extract<Op, { kind: 'tok' }>;
    const construct = `"* ${mod.tok.text.toUpperCase()}"`;
    const fix = 'Spark 3.5 has no such star: list the columns you keep';
    if (mod.op === 'rename' || !this.columns.length || items.at(-1)?.text === '.') this.refuse(construct, fix);
    const from = ops.findIndex((o, k) => k > i && o.kind === 'tok' && o.op === 'from');
    const rel = ops[from + 1];
    const after = ops.slice(from + 2);
    const rest = after[0]?.kind === 'tok' && (after[0].tok.kind === 'word' || after[0].tok.kind === 'ident') && !KEYWORDS.has(after[0].op) ? after.slice(after[0].op === 'as' ? 2 : 1) : after;
    const alone = from > 0 && rel?.kind === 'tok' && rel.tok.value.toLowerCase() === 'input'
      && (rest.length === 0 || (rest[0]!.kind === 'tok' && ['where', 'group', 'having', 'order', 'limit', 'offset', 'window'].includes(rest[0]!.op)));
    if (!alone) this.refuse(construct, `${fix} (it is spelled out only in a query that reads input alone)`);
    const arg = ops[i + 2];
    const parts = arg?.kind === 'group' ? splitArgs(arg.children) : arg ? [[arg]] : [];
    const replaced = new Map<string, string>();
    const excluded = new Set<string>();
    for (const part of parts) {
      const last = part.at(-1);
      const name = last?.kind === 'tok' && (last.tok.kind === 'word' || last.tok.kind === 'ident') ? last.tok.value.toLowerCase() : null;
      if (!name) this.refuse(construct, fix);
      const col = this.column(name);
      if (!col) this.refuse(`${construct} of ${name}`, 'input has no such column');
      if (mod.op === 'exclude') {
        if (part.length !== 1) this.refuse(construct, fix);
        excluded.add(col.name);
      } else {
        if (part.length < 3 || part.at(-2)?.kind !== 'tok' || (part.at(-2) as Extract<Op, { kind: 'tok' }>).op !== 'as') this.refuse(construct, 'write * REPLACE (expression AS column)');
        replaced.set(col.name, this.render(this.list(part.slice(0, -2), 'args')));
      }
    }
    const list = this.columns.filter((c) => !excluded.has(c.name)).map((c) => (replaced.has(c.name) ? `${replaced.get(c.name)} AS ${sparkIdent(c.name)}` : sparkIdent(c.name)));
    if (!list.length) this.refuse(construct, 'it excludes every column');
    items.push({ kind: 'atom', text: list.join(', '), word: 'star list' });
    return arg?.kind === 'group' ? i + 2 : i + 2;
  }

  /** `t(a, b) AS (…)` in WITH or `AS t(a, b)`: a name with a column list, not a call. */
  private isDefinition(ops: Op[], i: number, items: Item[]): boolean {
    if (items.at(-1)?.word === 'as') return true;
    const after = ops[i + 2];
    return after?.kind === 'tok' && after.op === 'as' && ops[i + 3]?.kind === 'group';
  }

  /** A column name, with its qualifier if the previous items were `t .`. */
  private name(ops: Op[], i: number, items: Item[]): Item {
    const o = ops[i] as Extract<Op, { kind: 'tok' }>;
    const part = o.tok.kind === 'ident' ? sparkIdent(o.tok.value) : o.tok.text;
    const ref = o.tok.kind === 'ident' ? o.tok.value : o.tok.text;
    if (items.at(-1)?.text === '.' && items.at(-2)?.kind === 'name') {
      items.pop();
      const q = items.pop()!;
      return { kind: 'name', text: `${q.text}.${part}`, ref, type: this.column(ref)?.type ?? undefined };
    }
    return { kind: 'name', text: part, ref, type: this.column(ref)?.type ?? undefined };
  }

  /** The column of `input` a name refers to (DuckDB matches names case-insensitively), with its Spark type. */
  private column(ref: string): { name: string; type: string | null } | null {
    const col = this.columns.find((c) => c.name === ref) ?? this.columns.find((c) => c.name.toLowerCase() === ref.toLowerCase());
    if (!col) return null;
    const m = /^([A-Za-z ]+?)\s*(?:\(([^)]*)\))?$/.exec(col.type.trim());
    return { name: col.name, type: m ? sparkType(m[1]!, m[2]?.replace(/\s+/g, '') ?? null) : null };
  }

  private number(o: Extract<Op, { kind: 'tok' }>): string {
    const text = o.tok.text;
    if (/^0[xXbB]/.test(text)) this.refuse(`number "${text}"`, 'write the number in decimal');
    return text.replace(/_/g, '');
  }

  /** E'…' strings: the tokenizer keeps the escaped character, not what DuckDB makes of \n or \t. */
  private eString(o: Extract<Op, { kind: 'tok' }>): void {
    if (/^[eE]'/.test(o.tok.text) && o.tok.text.includes('\\')) this.refuse(`escape string ${this.snippet(o)}`, 'write the characters themselves in a plain string');
  }

  /** DuckDB gives `||` the precedence of a comparison's neighbours; Spark the one of + and -: refuse them mixed. */
  private concatPrecedence(ops: Op[]): void {
    const mixed = ops.some((x) => x.kind === 'tok' && x.tok.kind === 'punct' && (x.op === '+' || x.op === '-'));
    if (mixed) this.refuse('"||" next to "+" or "-"', 'the two engines group them differently: add parentheses around the arithmetic');
  }

  private subscript(base: Item, g: Extract<Op, { kind: 'group' }>): Item {
    const inner = g.children;
    const only = inner.length === 1 ? inner[0] : inner.length === 2 && inner[0]!.kind === 'tok' && inner[0]!.op === '-' ? inner[1] : undefined;
    if (only?.kind === 'tok' && only.tok.kind === 'string') return { kind: 'atom', text: `${base.text}[${sparkString(only.tok.value)}]` };
    if (only?.kind === 'tok' && only.tok.kind === 'number' && /^[0-9]+$/.test(only.tok.text) && Number(only.tok.text) > 0) {
      const n = (inner.length === 2 ? '-' : '') + only.tok.text;
      return { kind: 'atom', text: `element_at(${base.text}, ${n})` };
    }
    return this.refuse(`subscript ${this.snippet(g)}`, "lists count from 1 in DuckDB and from 0 in Spark: only a literal index (x[1], x[-1]) or a string key (x['k']) is translated");
  }

  /** The item that `::` applies to: the value just before it. */
  private castOperator(ops: Op[], i: number, items: Item[]): number {
    const base = items.pop();
    if (!base || (base.kind !== 'atom' && base.kind !== 'name')) return this.refuse('"::" cast', 'write CAST(x AS type)');
    const { type, next } = this.typeAt(ops, i + 1, `${base.text}::`);
    items.push(this.castItem(base, type, 'cast'));
    return next - 1;
  }

  /** Read a DuckDB type from ops[from…]; returns the Spark type and the index after it. */
  private typeAt(ops: Op[], from: number, context: string): { type: string; next: number } {
    const words: string[] = [];
    let i = from;
    while (ops[i]?.kind === 'tok' && ((ops[i] as Extract<Op, { kind: 'tok' }>).tok.kind === 'word' || (ops[i] as Extract<Op, { kind: 'tok' }>).tok.kind === 'ident')) {
      const w = (ops[i] as Extract<Op, { kind: 'tok' }>).tok.value.toLowerCase();
      if (words.length && !['precision', 'with', 'without', 'time', 'zone', 'varying'].includes(w)) break;
      words.push(w);
      i++;
    }
    if (!words.length) this.refuse(`cast ${context}`, 'write CAST(x AS type)');
    let params: string | null = null;
    const p = ops[i];
    if (p?.kind === 'group' && p.open === '(') { params = this.text(p).slice(1, -1).replace(/\s+/g, ''); i++; }
    let arrays = 0;
    while (ops[i]?.kind === 'group' && (ops[i] as Extract<Op, { kind: 'group' }>).open === '[' && (ops[i] as Extract<Op, { kind: 'group' }>).children.length === 0) { arrays++; i++; }
    let type = sparkType(words.join(' '), params);
    if (!type) this.refuse(`type ${words.join(' ').toUpperCase()}${params ? `(${params})` : ''}`, 'Spark has no such type');
    for (let k = 0; k < arrays; k++) type = `ARRAY<${type}>`;
    return { type, next: i };
  }

  private cast(g: Extract<Op, { kind: 'group' }>, fn: string): Item {
    const kids = g.children;
    let depthAs = -1;
    for (let k = kids.length - 1; k >= 0; k--) {
      const c = kids[k]!;
      if (c.kind === 'tok' && c.op === 'as') { depthAs = k; break; }
    }
    if (depthAs < 0) this.refuse(`${fn.toUpperCase()} ${this.snippet(g)}`, 'write CAST(x AS type)');
    const value = this.list(kids.slice(0, depthAs), 'args');
    const { type, next } = this.typeAt(kids, depthAs + 1, this.snippet(g));
    if (next !== kids.length) this.refuse(`${fn.toUpperCase()} ${this.snippet(g)}`, 'the type cannot be read');
    const base: Item = value.length === 1 ? value[0]! : { kind: 'atom', text: this.render(value) };
    return this.castItem(base, type, fn);
  }

  /**
   * CAST(x AS type). To an integer type DuckDB rounds (decimals and strings half away from zero, doubles half
   * to even) where Spark truncates: the value is rounded first the same way, which needs x's type.
   */
  private castItem(base: Item, type: string, fn: string): Item {
    const f = fn === 'try_cast' ? 'try_cast' : 'CAST';
    const source = this.typeOf(base);
    if (type === 'STRING' && source === 'double') this.refuse(`cast of ${base.text} (a DOUBLE) to VARCHAR`, DOUBLE_TEXT);
    if (!INTEGER_TYPES.has(type)) return { kind: 'atom', text: `${f}(${base.text} AS ${type})`, call: 'cast', type };
    if (source === 'integer') return { kind: 'atom', text: `${f}(${base.text} AS ${type})`, call: 'cast', type };
    if (source === 'double') return { kind: 'atom', text: `${f}(bround(${base.text}) AS ${type})`, call: 'cast', type };
    if (source === 'decimal' || source === 'string') return { kind: 'atom', text: `${f}(CAST(${base.text} AS DECIMAL(38,0)) AS ${type})`, call: 'cast', type };
    return this.refuse(`cast of ${base.text} to ${type}`, "DuckDB rounds (2.5 → 3) where Spark truncates, and the type of this value is not known here: cast a column, or round first (CAST(round(x) AS INT))");
  }

  /** What kind of value an item is, where it can be told: a column of a known type, a literal, an integral function. */
  private typeOf(item: Item): 'integer' | 'double' | 'decimal' | 'string' | null {
    if (item.word === 'number') return /^-?[0-9]+$/.test(item.text) ? 'integer' : /e/i.test(item.text) ? 'double' : 'decimal';
    if (item.word === 'string') return 'string';
    if (item.word === 'true' || item.word === 'false' || item.word === 'null') return 'integer';
    if (item.call && ['round', 'floor', 'ceil', 'ceiling', 'count', 'bigint'].includes(item.call)) return 'integer';
    const t = item.type;
    if (!t) return null;
    if (['TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'BOOLEAN'].includes(t)) return 'integer';
    if (t === 'DOUBLE' || t === 'FLOAT') return 'double';
    if (t.startsWith('DECIMAL')) return 'decimal';
    if (t === 'STRING') return 'string';
    return null;
  }

  /** extract(part FROM x): DuckDB answers BIGINT (seconds whole), Spark INT (seconds with fraction). */
  private extract(g: Extract<Op, { kind: 'group' }>): Item {
    const kids = g.children;
    const part = kids[0];
    const from = kids[1];
    if (part?.kind !== 'tok' || from?.kind !== 'tok' || from.op !== 'from') return this.refuse(`EXTRACT ${this.snippet(g)}`, 'write extract(part FROM x)');
    const p = part.tok.value.toLowerCase();
    const fn: Record<string, string> = { year: 'year', quarter: 'quarter', month: 'month', day: 'dayofmonth', hour: 'hour', minute: 'minute', second: 'second', doy: 'dayofyear', dayofyear: 'dayofyear', week: 'weekofyear' };
    const value = this.render(this.list(kids.slice(2), 'args'));
    if (p === 'dow' || p === 'dayofweek') return { kind: 'atom', text: `CAST(dayofweek(${value}) - 1 AS BIGINT)`, call: 'bigint', type: 'BIGINT' };
    if (!fn[p]) return this.refuse(`EXTRACT(${part.tok.text.toUpperCase()} FROM …)`, 'only year, quarter, month, day, hour, minute, second, doy, dow and week are translated');
    return { kind: 'atom', text: `CAST(${fn[p]}(${value}) AS BIGINT)`, call: 'bigint', type: 'BIGINT' };
  }

  /** CASE … END as one value, so a `::` after it applies to all of it. */
  private caseExpr(ops: Op[], i: number, items: Item[]): number {
    let depth = 0;
    let j = i;
    for (; j < ops.length; j++) {
      const o = ops[j]!;
      if (o.kind === 'tok' && o.op === 'case') depth++;
      if (o.kind === 'tok' && o.op === 'end') { depth--; if (depth === 0) break; }
    }
    if (j >= ops.length) this.refuse('CASE without END', 'close it with END');
    const inner = this.list(ops.slice(i + 1, j), 'args');
    items.push({ kind: 'atom', text: `CASE ${this.render(inner)} END` });
    return j;
  }

  /**
   * LIKE/ILIKE: DuckDB has no escape character unless ESCAPE is given; Spark's default is "\". A literal
   * pattern gets its backslashes doubled; any other pattern needs an explicit ESCAPE.
   */
  private like(ops: Op[], i: number, items: Item[]): number {
    const w = (ops[i] as Extract<Op, { kind: 'tok' }>).tok.text.toUpperCase();
    const pat = ops[i + 1];
    const esc = ops[i + 2];
    const hasEscape = esc?.kind === 'tok' && esc.op === 'escape';
    if (pat?.kind === 'tok' && (pat.op === 'any' || pat.op === 'all' || pat.op === 'some')) this.refuse(`${w} ${pat.tok.text.toUpperCase()}`, 'write the patterns joined with OR');
    if (pat?.kind === 'tok' && pat.tok.kind === 'string') {
      this.eString(pat);
      items.push({ kind: 'kw', text: w, word: w.toLowerCase() });
      items.push({ kind: 'atom', text: sparkString(hasEscape ? pat.tok.value : pat.tok.value.replace(/\\/g, '\\\\')), word: 'string' });
      return i + 1;
    }
    if (!hasEscape) {
      const end = pat ?? ops[i]!;
      this.refuse(`${w} with the pattern ${this.snippet(end)}`, 'a backslash escapes in Spark and not in DuckDB: give a literal pattern, or add ESCAPE \'!\' (any character)');
    }
    items.push({ kind: 'kw', text: w, word: w.toLowerCase() });
    return i;
  }

  /** FILTER (WHERE …) and OVER (…) / OVER name after a call belong to it (a cast around the call must wrap them). */
  private windowSuffix(ops: Op[], i: number, items: Item[]): number {
    const call = items.pop()!;
    let text = call.inner ?? call.text;
    for (;;) {
      const w = ops[i + 1];
      const g = ops[i + 2];
      if (w?.kind === 'tok' && (w.op === 'filter' || w.op === 'over') && g?.kind === 'group') {
        const inner = this.list(g.children, 'expression');
        text += ` ${w.op.toUpperCase()} (${this.render(inner)})`;
        i += 2;
        continue;
      }
      if (w?.kind === 'tok' && w.op === 'over' && g?.kind === 'tok' && (g.tok.kind === 'word' || g.tok.kind === 'ident')) {
        text += ` OVER ${g.tok.kind === 'ident' ? sparkIdent(g.tok.value) : g.tok.text}`;
        i += 2;
        continue;
      }
      break;
    }
    items.push({ kind: 'atom', text: call.wrap ? call.wrap(text) : text, call: call.call, type: call.type });
    return i;
  }

  /** A function call: the same function in Spark, a rewrite, or a refusal naming it. */
  private call(name: string, written: string, g: Extract<Op, { kind: 'group' }>): Item & { inner?: string; wrap?: (s: string) => string } {
    const known = BIGINT_FUNCTIONS[name] || SAME_FUNCTIONS.has(name) || RENAMED[name] || ['ltrim', 'rtrim', 'trim'].includes(name) || KNOWN_REWRITES.has(name);
    if (!known) {
      if (FUNCTION_FIX[name]) this.refuse(`function ${name}()`, FUNCTION_FIX[name]!);
      if (/^(list|array|struct|map|json)_/.test(name)) this.refuse(`function ${name}()`, 'list, struct, map and JSON functions are not translated');
      this.refuse(`function ${name}()`, 'Epoxy knows no Spark function that computes the same');
    }
    const raw = splitArgs(g.children);
    const args = raw.map((a) => this.render(this.list(a, 'args')));
    const joined = () => this.render(this.list(g.children, 'args'));
    const n = args.length;
    const lit = (k: number) => { const a = raw[k]; return a?.length === 1 && a[0]!.kind === 'tok' && a[0]!.tok.kind === 'string' ? a[0]!.tok.value : null; };
    const int = (k: number) => { const a = raw[k]; return a?.length === 1 && a[0]!.kind === 'tok' && a[0]!.tok.kind === 'number' && /^[0-9]+$/.test(a[0]!.tok.text) ? Number(a[0]!.tok.text) : null; };
    const cast = (inner: string, type: string): Item => ({ kind: 'atom', text: inner, inner, wrap: (s) => `CAST(${s} AS ${type})`, call: name, type });
    const bigint = (inner: string): Item => ({ ...cast(inner, 'BIGINT'), call: 'bigint' });
    /** The Spark type of argument k (after a DISTINCT), where it is known. */
    const argType = (k: number): string | undefined => {
      const items = this.list(raw[k] ?? [], 'args').filter((x) => x.word !== 'distinct');
      return items.length === 1 ? items[0]!.type : undefined;
    };
    const unknown = (what: string): never => this.refuse(`${name}() of ${args[0] ?? 'nothing'}`, `${what}, and the type of this value is not known here: give it a column, or CAST the value first (${name}(CAST(… AS DOUBLE)))`);
    const here = `${written}(${this.snippet(g).slice(1, -1)})`;
    if (BIGINT_FUNCTIONS[name]) return bigint(`${BIGINT_FUNCTIONS[name]}(${joined()})`);
    if (name === 'ltrim' || name === 'rtrim' || name === 'trim') {
      if (n !== 1) this.refuse(`${name}(s, characters)`, `write ${name}(s) (the two engines read the characters argument differently)`);
      return { kind: 'atom', text: `${name}(${args[0]})`, call: name };
    }
    switch (name) {
      case 'sum': {
        const t = argType(0);
        const c = t ? this.typeOf({ kind: 'atom', text: '', type: t }) : null;
        if (c === 'integer') return cast(`sum(${joined()})`, 'DECIMAL(38,0)');
        if (c === 'double') return { kind: 'atom', text: `sum(${joined()})`, call: name, type: 'DOUBLE' };
        if (c === 'decimal') return cast(`sum(${joined()})`, `DECIMAL(38,${/,(\d+)\)/.exec(t!)?.[1] ?? '0'})`);
        return unknown('DuckDB sums integers as HUGEINT and decimals as DECIMAL(38,s), Spark as BIGINT and DECIMAL(p+10,s)');
      }
      case 'avg': case 'mean':
        // DuckDB averages decimals as DOUBLE; Spark as DECIMAL.
        return cast(`avg(${joined()})`, 'DOUBLE');
      case 'ceil': case 'ceiling': case 'floor': {
        const t = argType(0);
        const c = t ? this.typeOf({ kind: 'atom', text: '', type: t }) : null;
        if (c === 'integer' || c === 'double') return cast(`${name}(${joined()})`, 'DOUBLE');
        if (c === 'decimal') return cast(`${name}(${joined()})`, `DECIMAL(${/\((\d+)/.exec(t!)?.[1] ?? '38'},0)`);
        return unknown('DuckDB answers a DOUBLE (a DECIMAL(p,0) for decimals), Spark a BIGINT');
      }
      case 'round': {
        const t = argType(0);
        if (t?.startsWith('DECIMAL') && (n === 1 || int(1) === 0)) return cast(`round(${args[0]})`, `DECIMAL(${/\((\d+)/.exec(t)?.[1] ?? '38'},0)`);
        return { kind: 'atom', text: `round(${joined()})`, call: name, type: t };
      }
      case 'median': {
        const t = argType(0);
        const c = t ? this.typeOf({ kind: 'atom', text: '', type: t }) : null;
        if (c === 'integer' || c === 'double') return { kind: 'atom', text: `median(${joined()})`, call: name, type: 'DOUBLE' };
        return unknown('DuckDB keeps the DECIMAL type of a median, Spark answers a DOUBLE');
      }
      case 'min': case 'max':
        return { kind: 'atom', text: `${name}(${joined()})`, call: name, type: argType(0) };
    }
    if (SAME_FUNCTIONS.has(name)) return { kind: 'atom', text: `${name}(${joined()})`, call: name };
    if (RENAMED[name]) return { kind: 'atom', text: `${RENAMED[name]}(${joined()})`, call: name };
    switch (name) {
      case 'strpos':
        if (n !== 2) break;
        return bigint(`instr(${args[0]}, ${args[1]})`);
      case 'position':
        if (n === 1 && raw[0]!.some((x) => x.kind === 'tok' && x.op === 'in')) return bigint(`position(${joined()})`);
        if (n === 2) return bigint(`instr(${args[0]}, ${args[1]})`);
        break;
      case 'substring': case 'substr': {
        const start = int(1);
        if (start === null || start < 1 || (n === 3 && raw[2]!.length === 2)) this.refuse(`${here}`, 'the engines disagree for a start below 1 or a negative length: only a literal start ≥ 1 is translated');
        return { kind: 'atom', text: `substring(${args.join(', ')})`, call: name };
      }
      case 'concat':
        for (let k = 0; k < n; k++) if (this.typeOf({ kind: 'atom', text: '', type: argType(k) }) === 'double') this.refuse(`concat() of ${args[k]} (a DOUBLE)`, DOUBLE_TEXT);
        // DuckDB's concat skips NULLs; Spark's answers NULL. concat_ws skips them in both.
        return { kind: 'atom', text: `concat_ws('', ${args.map((a) => `CAST(${a} AS STRING)`).join(', ')})`, call: name };
      case 'regexp_matches': case 'regexp_extract': case 'regexp_replace': {
        // RE2 (DuckDB) and java.util.regex (Spark) agree on the common syntax, not on POSIX classes or \Q…\E.
        const pattern = lit(1);
        if (pattern === null) this.refuse(`${here}`, 'only a literal pattern is translated (RE2 and Java regular expressions differ)');
        if (/\[:|\\[QEpPzZAG]|\(\?P?</.test(pattern)) this.refuse(`regular expression ${sparkString(pattern)} in ${here}`, 'POSIX classes ([[:alpha:]]), \\Q…\\E, \\p{…}, anchors \\A \\z and named groups mean different things in RE2 and in Java: write [A-Za-z], \\d and plain groups');
      }
    }
    switch (name) {
      case 'regexp_matches':
        if (n === 2) return { kind: 'atom', text: `(${args[0]} RLIKE ${args[1]})`, call: name };
        break;
      case 'regexp_replace': {
        const repl = lit(2);
        if (n === 4 && lit(3) === 'g' && repl !== null && !/[\\$]/.test(repl)) return { kind: 'atom', text: `regexp_replace(${args[0]}, ${args[1]}, ${args[2]})`, call: name };
        if (n === 3) this.refuse(`${here}`, "DuckDB replaces the first match only and Spark every match: add the 'g' option to replace every match (regexp_replace(s, p, r, 'g'))");
        this.refuse(`${here}`, "only regexp_replace(s, pattern, 'literal replacement', 'g') is translated (group references differ: \\1 in DuckDB, $1 in Spark)");
      }
      case 'regexp_extract':
        if (n === 2) return { kind: 'atom', text: `regexp_extract(${args[0]}, ${args[1]}, 0)`, call: name };
        if (n === 3 && int(2) !== null) return { kind: 'atom', text: `regexp_extract(${args.join(', ')})`, call: name };
        break;
      case 'dayofweek': case 'dow':
        return bigint(`dayofweek(${joined()}) - 1`);
      case 'isodow':
        return bigint(`weekday(${joined()}) + 1`);
      case 'today':
        if (n === 0) return { kind: 'atom', text: 'current_date()', call: name };
        break;
      case 'date_trunc': case 'datetrunc': {
        const part = lit(0)?.toLowerCase();
        if (n === 2 && part && ['year', 'quarter', 'month', 'week', 'day'].includes(part)) return { kind: 'atom', text: `CAST(date_trunc(${sparkString(part)}, ${args[1]}) AS DATE)`, call: name };
        if (n === 2 && part && ['hour', 'minute', 'second'].includes(part)) return { kind: 'atom', text: `CAST(date_trunc(${sparkString(part)}, ${args[1]}) AS TIMESTAMP_NTZ)`, call: name };
        this.refuse(`${here}`, "only date_trunc('year'|'quarter'|'month'|'week'|'day'|'hour'|'minute'|'second', x) is translated");
      }
      case 'date_diff': case 'datediff': {
        const part = lit(0)?.toLowerCase();
        if (n === 3 && (part === 'day' || part === 'days')) return bigint(`datediff(${args[2]}, ${args[1]})`);
        if (n === 3 && (part === 'month' || part === 'months')) return bigint(`(year(${args[2]}) - year(${args[1]})) * 12 + month(${args[2]}) - month(${args[1]})`);
        if (n === 3 && (part === 'year' || part === 'years')) return bigint(`year(${args[2]}) - year(${args[1]})`);
        this.refuse(`${here}`, "only date_diff('day'|'month'|'year', start, end) is translated");
      }
      case 'strftime': {
        const fmt = lit(1);
        if (n === 2 && fmt !== null) return { kind: 'atom', text: `date_format(${args[0]}, ${sparkString(this.javaFormat(fmt, here))})`, call: name };
        this.refuse(`${here}`, 'only strftime(x, \'literal format\') is translated');
      }
      case 'strptime': {
        const fmt = lit(1);
        if (n === 2 && fmt !== null) return { kind: 'atom', text: `to_timestamp_ntz(${args[0]}, ${sparkString(this.javaFormat(fmt, here))})`, call: name };
        this.refuse(`${here}`, 'only strptime(s, \'literal format\') is translated');
      }
    }
    return this.refuse(`function ${name}()`, `Epoxy knows no Spark function that computes the same (with ${n} argument${n === 1 ? '' : 's'})`);
  }

  /** A strftime/strptime format as a Java DateTimeFormatter pattern (letters quoted). */
  private javaFormat(fmt: string, here: string): string {
    const map: Record<string, string> = { Y: 'yyyy', y: 'yy', m: 'MM', d: 'dd', H: 'HH', M: 'mm', S: 'ss', j: 'DDD', b: 'MMM', B: 'MMMM', a: 'EEE', A: 'EEEE', I: 'hh', p: 'a', f: 'SSSSSS', e: 'd' };
    let out = '';
    let lit = '';
    const flush = () => { if (lit) { out += /^[\s\-:.,/]*$/.test(lit) ? lit : `'${lit.replace(/'/g, "''")}'`; lit = ''; } };
    for (let k = 0; k < fmt.length; k++) {
      const c = fmt[k]!;
      if (c !== '%') { lit += c; continue; }
      const s = fmt[++k];
      if (s === '%') { lit += '%'; continue; }
      if (!s || !map[s]) return this.refuse(`format "%${s ?? ''}" in ${here}`, 'only %Y %y %m %d %e %H %I %M %S %f %p %j %a %A %b %B are translated');
      flush();
      out += map[s];
    }
    flush();
    return out;
  }

  /**
   * DuckDB's "/" divides as DOUBLE and gives ±Infinity (NaN for 0/0) when dividing by zero; Spark's answers
   * NULL (and a DECIMAL for decimals). Each division becomes a DOUBLE one that says what DuckDB does at zero.
   */
  private divisions(items: Item[]): void {
    const value = (it: Item | undefined) => !!it && (it.kind === 'atom' || it.kind === 'name');
    for (let k = 0; k < items.length; k++) {
      if (items[k]!.kind !== 'op' || items[k]!.text !== '/') continue;
      let from = k - 1;
      if (!value(items[from])) this.refuse('"/" without a left operand', 'write a / b');
      while (from >= 2 && items[from - 1]!.kind === 'op' && ['*', '/', '%'].includes(items[from - 1]!.text) && value(items[from - 2])) from -= 2;
      if (from >= 1 && items[from - 1]!.kind === 'op' && ['-', '+'].includes(items[from - 1]!.text) && !value(items[from - 2])) from -= 1;
      let to = k + 1;
      if (items[to]?.kind === 'op' && ['-', '+'].includes(items[to]!.text)) to++;
      if (!value(items[to])) this.refuse('"/" without a right operand', 'write a / b');
      const left = this.render(items.slice(from, k));
      const right = this.render(items.slice(k + 1, to + 1));
      const literal = items[to]!.word === 'number' && Number(items[to]!.text) !== 0;
      const text = literal
        ? `(CAST(${left} AS DOUBLE) / ${right})`
        : `(CASE WHEN CAST(${right} AS DOUBLE) = 0 THEN CAST(${left} AS DOUBLE) * CAST('Infinity' AS DOUBLE) ELSE CAST(${left} AS DOUBLE) / CAST(${right} AS DOUBLE) END)`;
      items.splice(from, to - from + 1, { kind: 'atom', text, type: 'DOUBLE' });
      k = from;
    }
  }

  /** `||` turns a DOUBLE into text, which the engines write differently (see DOUBLE_TEXT). */
  private doublesAsText(items: Item[]): void {
    items.forEach((it, k) => {
      if (it.kind !== 'op' || it.text !== '||') return;
      for (const side of [items[k - 1], items[k + 1]]) {
        if (side && this.typeOf(side) === 'double') this.refuse(`"||" of ${side.text} (a DOUBLE)`, DOUBLE_TEXT);
      }
    });
  }

  /** Every expression a query's SELECT list returns needs a name: DuckDB and Spark name `a + 1` differently. */
  private checkSelectNames(items: Item[]): void {
    for (let i = 0; i < items.length; i++) {
      // Only the first SELECT names the columns: the branches of UNION/EXCEPT/INTERSECT take its names.
      if (items.slice(0, i).some((x) => x.kind === 'kw' && ['union', 'except', 'intersect'].includes(x.word!))) break;
      if (items[i]!.word !== 'select') continue;
      let j = i + 1;
      if (items[j]?.word === 'distinct' || items[j]?.word === 'all') j++;
      let start = j;
      for (; ; j++) {
        const it = items[j];
        const end = !it || (it.kind === 'kw' && SELECT_END.has(it.word!));
        if (end || it.kind === 'comma') {
          const part = items.slice(start, j);
          // DuckDB names a column it selects as the table spells it (ID → id); Spark as the query does.
          const only = part.length === 1 ? part[0]! : null;
          const col = only?.kind === 'name' && only.ref ? this.column(only.ref) : null;
          if (col && col.name !== only!.ref) only!.text += ` AS ${sparkIdent(col.name)}`;
          if (part.length > 1 || (part.length === 1 && part[0]!.kind !== 'name' && part[0]!.word !== 'star list')) {
            const aliased = part.at(-2)?.word === 'as' || (part.length >= 2 && part.at(-1)!.kind === 'name' && !part.at(-1)!.text.includes('.') && part.at(-2)!.kind !== 'op' && part.at(-2)!.kind !== 'kw');
            if (!aliased) this.refuse(`unnamed column "${this.render(part)}"`, 'DuckDB and Spark name it differently: name it with AS');
          }
          start = j + 1;
        }
        if (end) break;
      }
    }
  }

  /** DuckDB sorts NULLs last in both directions; Spark sorts them first when ascending: say NULLS LAST. */
  private nullsLast(items: Item[]): Item[] {
    const out: Item[] = [];
    let inOrder = false;
    let sawNulls = false;
    let any = false;
    const close = () => { if (inOrder && any && !sawNulls) out.push({ kind: 'kw', text: 'NULLS LAST', word: 'nulls last' }); sawNulls = false; any = false; };
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      if (it.word === 'by' && items[i - 1]?.word === 'order') { out.push(it); inOrder = true; sawNulls = false; any = false; continue; }
      if (inOrder) {
        if ((it.kind === 'kw' && ORDER_END.has(it.word!)) || it.text === ')') { close(); inOrder = false; }
        else if (it.kind === 'comma') { close(); out.push(it); continue; }
        else { if (it.word === 'nulls') sawNulls = true; any = true; }
      }
      out.push(it);
    }
    close();
    return out;
  }

  private render(items: Item[]): string {
    let s = '';
    for (const it of items) {
      if (it.kind === 'comma') { s += ','; continue; }
      if (it.text === '.') { s += '.'; continue; }
      s += (s && !s.endsWith('.') ? ' ' : '') + it.text;
    }
    return s;
  }
}

/** The Spark type of a number literal as DuckDB types it: INTEGER, DOUBLE (with an exponent) or DECIMAL(p,s). */
function literalType(text: string): string {
  if (/^[0-9]+$/.test(text)) return Number(text) <= 2147483647 ? 'INT' : 'BIGINT';
  if (/e/i.test(text)) return 'DOUBLE';
  const [whole = '', frac = ''] = text.split('.');
  const w = whole.replace(/^0+/, '');
  return `DECIMAL(${Math.max(w.length + frac.length, 1)},${frac.length})`;
}

/** Split the inside of a call at its top-level commas. */
function splitArgs(children: Op[]): Op[][] {
  if (!children.length) return [];
  const out: Op[][] = [[]];
  for (const c of children) {
    if (c.kind === 'tok' && c.op === ',') out.push([]);
    else out.at(-1)!.push(c);
  }
  return out;
}

/** A Spark string literal: Spark reads backslash escapes and joins adjacent literals ('it''s' is "its"). */
export function sparkString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

/** A Spark quoted identifier. */
export function sparkIdent(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

/** A DuckDB type name as Spark's, or null where Spark has none. */
export function sparkType(name: string, params: string | null): string | null {
  const n = name.toLowerCase().replace(/\s+/g, ' ');
  if (['varchar', 'text', 'string', 'char', 'bpchar', 'character varying', 'nvarchar'].includes(n)) return 'STRING';
  if (params !== null && !['decimal', 'numeric'].includes(n)) return null;
  switch (n) {
    case 'tinyint': case 'int1': return 'TINYINT';
    case 'smallint': case 'int2': case 'short': return 'SMALLINT';
    case 'integer': case 'int': case 'int4': case 'signed': return 'INT';
    case 'bigint': case 'int8': case 'long': return 'BIGINT';
    case 'double': case 'float8': case 'double precision': return 'DOUBLE';
    case 'float': case 'float4': case 'real': return 'FLOAT';
    case 'boolean': case 'bool': case 'logical': return 'BOOLEAN';
    case 'date': return 'DATE';
    case 'timestamp': case 'datetime': case 'timestamp without time zone': return 'TIMESTAMP_NTZ';
    case 'timestamptz': case 'timestamp with time zone': return 'TIMESTAMP';
    case 'blob': case 'bytea': case 'binary': case 'varbinary': return 'BINARY';
    case 'decimal': case 'numeric': {
      if (params === null) return 'DECIMAL(18,3)';
      const m = /^(\d+)(?:,(\d+))?$/.exec(params);
      if (!m || Number(m[1]) > 38) return null;
      return `DECIMAL(${m[1]},${m[2] ?? '0'})`;
    }
    default: return null;
  }
}
