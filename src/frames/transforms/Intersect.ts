import { quoteIdent } from '../../engine/sql';
import { mergeTypes, renderType, type StructField } from '../../schema/types';
import { defineTransform, type SparkCtx, type SparkOut } from './def';
import { convertExpr, type CompiledStep, type DuckCompiler } from './kit';
import { str } from './text';

export interface IntersectParams { other: string; all?: boolean }

/** A Spark column for the names of a path, each backquoted (dots, spaces and backquotes stay part of a name). */
export const sparkPath = (s: SparkCtx, parts: string[]): string => `F.col(${s.str(parts.map((x) => `\`${x.replace(/`/g, '``')}\``).join('.'))})`;

/** The columns a set operation compares: those both inputs have, in the first input's order, at merged types. */
function shared(c: DuckCompiler, first: StructField[], second: StructField[]): StructField[] | null {
  const out: StructField[] = [];
  for (const f of first) {
    const g = second.find((x) => x.name === f.name);
    if (!g) continue;
    const type = mergeTypes(f.type, g.type);
    // A choice here means the types disagree (string vs number): Spark would coerce them its own way.
    if (type.kind === 'choice' && !(f.type.kind === 'choice' && g.type.kind === 'choice')) {
      c.error(`${f.name} is ${renderType(f.type)} in the first input and ${renderType(g.type)} in the second: cast one of them first (numbers widen on their own)`, f.name);
      continue;
    }
    out.push({ name: f.name, type });
  }
  if (!out.length && !c.failed()) c.error('the two inputs share no column name: set operations compare columns by name');
  const dropped = [...first.filter((f) => !second.some((x) => x.name === f.name)).map((f) => `${f.name} (first input)`), ...second.filter((f) => !first.some((x) => x.name === f.name)).map((f) => `${f.name} (second input)`)];
  if (out.length && dropped.length) c.warn(`compared on the columns both inputs have; not in the output: ${dropped.join(', ')}`);
  return c.failed() ? null : out;
}

/**
 * Intersect and Except in DuckDB SQL: both sides reduced to the shared columns (by name) at their merged types.
 * NULLs compare equal, as in every SQL set operation and in Spark's.
 */
export function duckSetOperation(c: DuckCompiler, otherName: string, op: 'INTERSECT' | 'EXCEPT', all: boolean): CompiledStep {
  const other = c.other(otherName, op === 'INTERSECT' ? 'intersect with' : 'subtract');
  if (!other) return c.none();
  const cols = shared(c, c.input.schema, other);
  if (!cols) return c.none();
  const side = (schema: StructField[]) => cols.map((m) => `${convertExpr(quoteIdent(m.name), schema.find((f) => f.name === m.name)!.type, m.type)} AS ${quoteIdent(m.name)}`).join(', ');
  return c.result(`SELECT ${side(c.input.schema)} FROM ${c.from} ${op}${all ? ' ALL' : ''} SELECT ${side(other)} FROM ${quoteIdent(otherName)}`, cols);
}

/** The same set operation as PySpark (`intersect`/`intersectAll`, `subtract`/`exceptAll`), over the same columns. */
export function sparkSetOperation(s: SparkCtx, method: string): SparkOut {
  const mine = s.schema;
  const theirs = s.otherSchema ?? [];
  const cols = mine.filter((f) => theirs.some((g) => g.name === f.name)).map((f) => ({ name: f.name, type: mergeTypes(f.type, theirs.find((g) => g.name === f.name)!.type) }));
  const side = (frame: string, schema: StructField[]) => `${frame}.select(${cols.map((m) => {
    const own = schema.find((f) => f.name === m.name)!.type;
    const col = sparkPath(s, [m.name]);
    return renderType(own) === renderType(m.type) ? col : `${col}.cast(${s.str(renderType(m.type))}).alias(${s.str(m.name)})`;
  }).join(', ')})`;
  return { lines: [`${s.id} = ${side(s.input, mine)}.${method}(${side(s.other ?? 'None', theirs)})`] };
}

export default defineTransform<'Intersect', IntersectParams>({
  kind: 'Intersect',
  group: 'Combine',
  help: 'Keep the records that are in both inputs (columns matched by name; distinct unless "all").',
  side: 'other',
  defaults: (_schema, others) => ({ other: others[0] ?? '', all: false }),
  form: [
    { key: 'other', label: 'Other table', widget: 'side' },
    { key: 'all', label: 'Intersect all (keep duplicates)', widget: 'checkbox' },
  ],
  describe: (p, inputs) => `keep the ${p.all === true ? '' : 'distinct '}records also in ${inputs[1] ?? (str(p.other) || 'the second input')}`,
  duckdb: (p, c) => duckSetOperation(c, p.other, 'INTERSECT', p.all === true),
  spark: (p, s) => sparkSetOperation(s, p.all === true ? 'intersectAll' : 'intersect'),
  examples: [
    { title: 'weather records of Seattle in both files', input: 'node_modules/vega-datasets/data/weather.csv', other: 'node_modules/vega-datasets/data/seattle-weather.csv', params: { other: '', all: false } },
    { title: 'Seattle weather in both files, duplicates kept', input: 'node_modules/vega-datasets/data/seattle-weather.csv', other: 'node_modules/vega-datasets/data/weather.csv', params: { other: '', all: true } },
  ],
  docs: {
    tab: 'Keeps the records of the first input that are also in the second (SQL INTERSECT; with "Intersect all", INTERSECT ALL: a record kept as often as it is in both). Columns are matched by name: the output has the columns both inputs have, in the first input\'s order, at merged types (numbers widen; other disagreeing types are an error); NULLs compare equal. The output order is unspecified.',
    spark: 'DataFrame.intersect (distinct) or intersectAll over both inputs selected to the shared columns, cast to the merged types.',
    glue: 'The PySpark body (Glue Studio\'s Intersect node offers the same distinct / "Intersect all" choice).',
    differences: 'Spark\'s intersect matches columns by position and needs the same column count; Epoxy selects the shared columns by name first, so inputs whose columns are in another order, or that have extra columns (dropped with a warning), still compare.',
  },
});
