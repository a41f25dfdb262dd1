import { quoteIdent } from '../../engine/sql';
import { leaves } from '../tree';
import { defineTransform } from './def';
import { literal } from './text';
import { py, sparkTree } from './spark-kit';

export interface UnnestParams { separator?: string }

export default defineTransform<'Unnest', UnnestParams>({
  kind: 'Unnest',
  group: 'Nested',
  help: 'Flatten nested structs into top-level columns named a.b.c.',
  defaults: () => ({}),
  form: [{ key: 'separator', label: 'Separator', widget: 'text', placeholder: '.', optional: true, short: true }],
  describe: (p) => `flatten structs into columns joined by ${literal(p.separator ?? '.')}`,
  duckdb(p, c) {
    const sep = p.separator ?? '.';
    const cols = leaves(c.tree()).map((l) => ({ name: l.path.join(sep), node: l.node }));
    return c.result(`SELECT ${cols.map((x) => `${x.node.expr} AS ${quoteIdent(x.name)}`).join(', ')} FROM ${c.from}`, cols.map((x) => ({ name: x.name, type: x.node.type })));
  },
  spark(p, s) {
    const sep = p.separator ?? '.';
    const cols = leaves(sparkTree(s.schema)).map((l) => `${l.node.expr}.alias(${py(l.path.join(sep))})`);
    return { lines: [`${s.id} = ${s.input}.select(${cols.join(', ')})`] };
  },
  examples: [{ title: 'weekly weather flattened', input: 'node_modules/vega-datasets/data/weekly-weather.json', params: {} }],
  docs: {
    tab: 'Every leaf of a struct becomes a top-level column named by its path joined with the separator (default `.`); arrays stay.',
    spark: 'A select of every leaf aliased by its path joined with the separator.',
    glue: 'The PySpark body (DynamicFrame.unnest takes no separator).',
  },
});
