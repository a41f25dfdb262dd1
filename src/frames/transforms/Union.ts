import { quoteIdent } from '../../engine/sql';
import { mergeTypes, t, type StructField } from '../../schema/types';
import { frameDuckType } from '../duck-types';
import { defineTransform } from './def';
import { convertExpr } from './kit';
import { str } from './text';
import { py, refuse, sparkTypeOf } from './spark-kit';
import { renderType } from '../../schema/types';

export interface UnionParams { other: string }

export default defineTransform<'Union', UnionParams>({
  kind: 'Union',
  group: 'Combine',
  help: 'Append the records of another table (columns matched by name, types merged).',
  side: 'other',
  defaults: (_schema, others) => ({ other: others[0] ?? '' }),
  form: [{ key: 'other', label: 'Other table', widget: 'side' }],
  describe: (p, inputs) => `append the records of ${inputs[1] || str(p.other) || 'the second input'}`,
  duckdb(p, c) {
    const right = c.other(p.other, 'union with');
    if (!right) return c.none();
    const names = [...new Set([...c.input.schema.map((f) => f.name), ...right.map((f) => f.name)])];
    const typeIn = (schema: StructField[], n: string) => schema.find((f) => f.name === n)?.type;
    const merged = names.map((name) => ({ name, type: mergeTypes(typeIn(c.input.schema, name) ?? t.null, typeIn(right, name) ?? t.null) }));
    const side = (schema: StructField[]) => merged.map((m) => {
      const own = typeIn(schema, m.name);
      return `${own ? convertExpr(quoteIdent(m.name), own, m.type) : `CAST(NULL AS ${frameDuckType(m.type)})`} AS ${quoteIdent(m.name)}`;
    }).join(', ');
    return c.result(`SELECT ${side(c.input.schema)} FROM ${c.from} UNION ALL SELECT ${side(right)} FROM ${quoteIdent(p.other)}`, merged);
  },
  spark(p, s) {
    if (!s.other || !s.otherSchema) refuse('the other side of the union is missing');
    const right = s.otherSchema;
    const names = [...new Set([...s.schema.map((f) => f.name), ...right.map((f) => f.name)])];
    const typeIn = (schema: StructField[], n: string) => schema.find((f) => f.name === n)?.type;
    const merged = names.map((name) => ({ name, type: mergeTypes(typeIn(s.schema, name) ?? t.null, typeIn(right, name) ?? t.null) }));
    const side = (df: string, schema: StructField[]) => `${df}.select(${merged.map((m) => {
      const own = typeIn(schema, m.name);
      const want = sparkTypeOf(m.type);
      if (!own) return `F.lit(None).cast(${py(want)}).alias(${py(m.name)})`;
      const have = sparkTypeOf(own);
      if (have !== want && /struct</.test(have + want)) refuse(`Union: ${m.name} is ${renderType(own)} on one side and becomes ${renderType(m.type)}; Spark cannot cast structs with other fields (select the same fields on both sides first)`);
      const col = `F.col(${py('`' + m.name.replace(/`/g, '``') + '`')})`;
      return `${have === want ? col : `${col}.cast(${py(want)})`}.alias(${py(m.name)})`;
    }).join(', ')})`;
    return { lines: [`${s.id} = ${side(s.input, s.schema)}.unionByName(${side(s.other, right)})`] };
  },
  examples: [{ title: 'two weather files appended', input: 'node_modules/vega-datasets/data/seattle-weather.csv', other: 'node_modules/vega-datasets/data/weather.csv', params: { other: '' } }],
  docs: {
    tab: 'Appends the other table\'s records; columns are matched by name, missing ones are NULL, types merge (numbers widen, disagreeing types become a choice).',
    spark: 'Both sides selected in the merged column order, cast to the merged types, then unionByName.',
    glue: 'The PySpark body.',
    differences: 'Spark has no choice type: columns whose types disagree become string there; the tab keeps a choice for the steps after it (and writes it as string too). Structs whose fields differ between the sides are refused.',
  },
});
