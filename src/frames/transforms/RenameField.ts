import { renderPath } from '../paths';
import { getNode, removeNode, renderRoot, setNode } from '../tree';
import { defineTransform } from './def';
import { replaceWithMany } from './kit';
import { str } from './text';
import { pathOf, refuse, sparkSelect, sparkTree } from './spark-kit';

export interface RenameFieldParams { from: string; to: string }

export default defineTransform<'RenameField', RenameFieldParams>({
  kind: 'RenameField',
  group: 'Columns',
  help: 'Rename or move a field (nested paths allowed).',
  defaults: (schema) => ({ from: renderPath([schema[0]?.name ?? 'column']), to: renderPath([`${schema[0]?.name ?? 'column'}_renamed`]) }),
  form: [
    { key: 'from', label: 'Field to rename', widget: 'column' },
    { key: 'to', label: 'New name', widget: 'text' },
  ],
  describe: (p) => `${str(p.from)} → ${str(p.to)}`,
  duckdb(p, c) {
    const root = c.tree();
    const from = c.path(p.from);
    const to = c.path(p.to);
    if (!from || !to) return c.none();
    if (getNode(root, to)) { c.error(`a field ${p.to} already exists`, p.to); return c.none(); }
    const node = getNode(root, from);
    if (!node) { c.error(`no field ${p.from} in the input`, p.from); return c.none(); }
    const sameParent = from.length === to.length && from.slice(0, -1).every((x, i) => x === to[i]);
    if (sameParent) {
      // Renaming in place keeps the column order.
      replaceWithMany(root, from, [[to.at(-1)!, node]]);
    } else {
      removeNode(root, from);
      setNode(root, to, node);
    }
    const { select, schema } = renderRoot(root);
    return c.result(`SELECT ${select} FROM ${c.from}`, schema);
  },

  spark(p, s) {
    const root = sparkTree(s.schema);
    const from = pathOf(p.from);
    const to = pathOf(p.to);
    if (getNode(root, to)) refuse(`a field ${p.to} already exists`);
    const node = getNode(root, from) ?? refuse(`no field ${p.from} in the input`);
    if (from.length === to.length && from.slice(0, -1).every((x, i) => x === to[i])) replaceWithMany(root, from, [[to.at(-1)!, node]]);
    else { removeNode(root, from); setNode(root, to, node); }
    return { lines: [`${s.id} = ${s.input}.select(${sparkSelect(root).join(', ')})`] };
  },
  examples: [{ title: 'a penguin column with spaces renamed', input: 'node_modules/vega-datasets/data/penguins.json', params: { from: '`Beak Length (mm)`', to: 'beak_length' } }],
  docs: {
    tab: 'Renames a field in place (keeping the column order), or moves it into another struct.',
    spark: 'A select rebuilding the input with the field renamed in place (same column order) or moved into another struct, as the tab.',
    glue: 'The PySpark body.',
  },
});
