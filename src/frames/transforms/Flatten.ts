import { quoteIdent } from '../../engine/sql';
import type { GlueType } from '../../schema/types';
import { renderPath } from '../paths';
import { renderNode, typeOfNode, type Node } from '../tree';
import { defineTransform } from './def';
import type { DuckCompiler } from './kit';
import { sparkChecker } from './spark-check';
import { literal } from './text';

export interface FlattenParams {
  /** Joins the names of the structs and the field (Glue: "Separator", default `.`). */
  separator?: string;
  /** How many levels of structs to flatten (1: only top-level structs); unset or 0: every level. */
  maxLevels?: number;
}

interface Column { name: string; parts: string[]; expr: string; type: GlueType }

function plan(p: FlattenParams, c: DuckCompiler): Column[] | null {
  const sep = p.separator ?? '.';
  const max = p.maxLevels === undefined || p.maxLevels === null ? 0 : Math.trunc(Number(p.maxLevels));
  if (!Number.isFinite(max) || max < 0) { c.error('max levels must be a whole number, 0 or more'); return null; }
  const out: Column[] = [];
  const walk = (node: Node, parts: string[], depth: number) => {
    if (node.kind !== 'struct') return;
    for (const [name, child] of node.fields) {
      const path = [...parts, name];
      // A struct deeper than max levels stays one column of struct type.
      if (child.kind === 'struct' && child.fields.length && (max === 0 || depth < max)) walk(child, path, depth + 1);
      else out.push({ name: path.join(sep), parts: path, expr: renderNode(child), type: typeOfNode(child) });
    }
  };
  walk(c.tree(), [], 0);
  const seen = new Map<string, string>();
  for (const col of out) {
    const other = seen.get(col.name);
    if (other !== undefined) c.error(`${renderPath(col.parts)} and ${other} would both be named ${col.name}; choose another separator`, renderPath(col.parts));
    seen.set(col.name, renderPath(col.parts));
  }
  return c.failed() ? null : out;
}

export default defineTransform<'Flatten', FlattenParams>({
  kind: 'Flatten',
  group: 'Nested',
  help: 'Flatten nested structs into top-level columns, up to a number of levels, named with a separator.',
  defaults: () => ({ separator: '.' }),
  form: [
    { key: 'separator', label: 'Separator', widget: 'text', placeholder: '.', optional: true, short: true },
    { key: 'maxLevels', label: 'Max levels to flatten', widget: 'number', min: 0, step: 1, optional: true },
  ],
  describe: (p) => `flatten structs${typeof p.maxLevels === 'number' && p.maxLevels > 0 ? ` ${p.maxLevels} level${p.maxLevels === 1 ? '' : 's'} deep` : ''} into columns joined by ${literal(p.separator ?? '.')}`,
  duckdb(p, c) {
    const cols = plan(p, c);
    if (!cols) return c.none();
    return c.result(`SELECT ${cols.map((x) => `${x.expr} AS ${quoteIdent(x.name)}`).join(', ')} FROM ${c.from}`, cols.map((x) => ({ name: x.name, type: x.type })));
  },
  spark(p, s) {
    const cols = plan(p, sparkChecker(s)) ?? [];
    return { lines: [`${s.id} = ${s.input}.select(${cols.map((x) => `${s.col(renderPath(x.parts))}.alias(${s.str(x.name)})`).join(', ')})`] };
  },
  examples: [
    { title: 'weekly weather, one level', input: 'node_modules/vega-datasets/data/weekly-weather.json', params: { separator: '_', maxLevels: 1 } },
  ],
  docs: {
    tab: 'Each field of a struct becomes a top-level column named by the struct names and its own joined by the separator (default `.`), up to max levels (1: only top-level structs; unset: every level); deeper structs stay struct columns, arrays stay as they are; a NULL struct gives NULL fields. Unlike Unnest (every level, always), the depth is chosen.',
    spark: 'A select of every flattened field aliased by its joined name.',
    glue: 'The PySpark body (Glue Studio\'s Flatten takes the same max levels and separator).',
  },
});
