import { renderPath } from '../paths';
import { removeNode, renderRoot } from '../tree';
import { defineTransform } from './def';
import type { DuckCompiler } from './kit';
import { listText } from './text';
import { pathOf, refuse, sparkSelect, sparkTree } from './spark-kit';
import type { StructField } from '../../schema/types';

/** The Spark select list without `paths` (a missing path is skipped, as the tab warns and goes on). */
export function sparkDropPaths(schema: StructField[], paths: string[]): string[] {
  const root = sparkTree(schema);
  for (const path of paths ?? []) removeNode(root, pathOf(path));
  if (root.kind === 'struct' && !root.fields.length) refuse('dropping every field leaves no columns');
  return sparkSelect(root);
}

export interface DropFieldsParams { paths: string[] }

/** The SELECT list without `paths`, or null with errors on `c` (a missing path is a warning). */
export function dropPaths(c: DuckCompiler, paths: string[]): ReturnType<typeof renderRoot> | null {
  const root = c.tree();
  for (const path of paths ?? []) {
    const parts = c.path(path);
    if (parts && !removeNode(root, parts)) c.warn(`no field ${path} to drop`, path);
  }
  if (root.kind === 'struct' && !root.fields.length) c.error('dropping every field leaves no columns');
  return c.failed() ? null : renderRoot(root);
}

export default defineTransform<'DropFields', DropFieldsParams>({
  kind: 'DropFields',
  group: 'Columns',
  help: 'Remove fields (nested paths allowed).',
  defaults: (schema) => ({ paths: [renderPath([schema.at(-1)?.name ?? 'column'])] }),
  form: [{ key: 'paths', label: 'Fields to drop', widget: 'columns' }],
  describe: (p) => `drop ${listText(p.paths)}`,
  duckdb(p, c) {
    const r = dropPaths(c, p.paths);
    return r ? c.result(`SELECT ${r.select} FROM ${c.from}`, r.schema) : c.none();
  },

  spark: (p, s) => ({ lines: [`${s.id} = ${s.input}.select(${sparkDropPaths(s.schema, p.paths).join(', ')})`] }),
  examples: [{ title: 'cars without their name', input: 'node_modules/vega-datasets/data/cars.json', params: { paths: ['Name'] } }],
  docs: {
    tab: 'Removes the fields; a path that is not there is a warning, dropping every field an error.',
    spark: 'A select rebuilding the input without the fields (a struct losing a field is rebuilt, NULL where it was NULL), as the tab\'s SELECT does.',
    glue: 'The PySpark body.',
  },
});
