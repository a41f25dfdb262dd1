import { renderPath } from '../paths';
import { getNode, renderRoot, setNode, type Node } from '../tree';
import { defineTransform } from './def';
import type { DuckCompiler } from './kit';
import { listText } from './text';
import { fieldAt, refuse, sparkSelect, sparkTree } from './spark-kit';
import type { StructField } from '../../schema/types';

/** The Spark select list keeping only `paths`, built as selectPaths builds the tab's. */
export function sparkSelectPaths(schema: StructField[], paths: string[]): string[] {
  const input = sparkTree(schema);
  const out: Node = { kind: 'struct', source: null, fields: [], dirty: true };
  if (!paths?.length) refuse('choose at least one field');
  for (const path of paths) {
    const f = fieldAt(input, path);
    for (let i = 1; i < f.parts.length; i++) {
      const prefix = f.parts.slice(0, i);
      const from = getNode(input, prefix);
      if (!getNode(out, prefix) && from?.kind === 'struct') setNode(out, prefix, { kind: 'struct', source: from.source, fields: [], dirty: true });
    }
    setNode(out, f.parts, f.node);
  }
  return sparkSelect(out);
}

export interface SelectFieldsParams { paths: string[] }

/** The SELECT list keeping only `paths` (nested picks keep their parents), or null with errors on `c`. */
export function selectPaths(c: DuckCompiler, paths: string[]): ReturnType<typeof renderRoot> | null {
  const input = c.tree();
  const out: Node = { kind: 'struct', source: null, fields: [], dirty: true };
  if (!paths?.length) c.error('choose at least one field');
  for (const path of paths ?? []) {
    const f = c.field(input, path);
    if (!f) continue;
    // Parents of a nested pick keep their source, so a NULL struct stays NULL rather than {city: NULL}.
    for (let i = 1; i < f.parts.length; i++) {
      const prefix = f.parts.slice(0, i);
      const from = getNode(input, prefix);
      if (!getNode(out, prefix) && from?.kind === 'struct') setNode(out, prefix, { kind: 'struct', source: from.source, fields: [], dirty: true });
    }
    setNode(out, f.parts, f.node);
  }
  return c.failed() ? null : renderRoot(out);
}

export default defineTransform<'SelectFields', SelectFieldsParams>({
  kind: 'SelectFields',
  group: 'Columns',
  help: 'Keep only the given fields (nested paths allowed).',
  defaults: (schema) => ({ paths: schema.slice(0, 2).map((f) => renderPath([f.name])) }),
  form: [{ key: 'paths', label: 'Fields to keep', widget: 'columns' }],
  describe: (p) => `keep only ${listText(p.paths)}`,
  duckdb(p, c) {
    const r = selectPaths(c, p.paths);
    return r ? c.result(`SELECT ${r.select} FROM ${c.from}`, r.schema) : c.none();
  },
  spark: (p, s) => ({ lines: [`${s.id} = ${s.input}.select(${sparkSelectPaths(s.schema, p.paths).join(', ')})`] }),

  examples: [{ title: 'two columns of cars', input: 'node_modules/vega-datasets/data/cars.json', params: { paths: ['Name', 'Origin'] } }],
  docs: {
    tab: 'Keeps the given fields in the order given; a nested path keeps its parent struct with only that field.',
    spark: 'DataFrame.select of the columns; a nested pick rebuilds its parent struct (NULL where the parent is NULL), as the tab does.',
    glue: 'The PySpark body.',
  },
});
