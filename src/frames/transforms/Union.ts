import { quoteIdent } from '../../engine/sql';
import { mergeTypes, t, type StructField } from '../../schema/types';
import { frameDuckType } from '../duck-types';
import { defineTransform } from './def';
import { convertExpr } from './kit';
import { str } from './text';

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
  examples: [{ title: 'two weather files appended', input: 'node_modules/vega-datasets/data/seattle-weather.csv', other: 'node_modules/vega-datasets/data/weather.csv', params: { other: '' } }],
  docs: {
    tab: 'Appends the other table\'s records; columns are matched by name, missing ones are NULL, types merge (numbers widen, disagreeing types become a choice).',
    spark: 'unionByName(allowMissingColumns=True) after casting both sides to the merged types.',
    glue: 'The PySpark body.',
    differences: 'Spark has no choice type: columns whose types disagree become string.',
  },
});
