import { renderPath } from '../paths';
import { renderRoot, renderNode, setNode, typeOfNode, type Node } from '../tree';
import { renderType, sameType } from '../../schema/types';
import { defineTransform, type Thresholds } from './def';
import { castExpr, type Check } from './kit';
import { arr, obj, str } from './text';
import { fails, fieldAt, pathOf, refuse, sparkCast, sparkNode, sparkSelect, sparkTree, typeOf, withoutFailures } from './spark-kit';

export interface Mapping { source: string; sourceType?: string; target: string; targetType: string }
export interface ApplyMappingParams extends Thresholds { mappings: Mapping[] }

export default defineTransform<'ApplyMapping', ApplyMappingParams>({
  kind: 'ApplyMapping',
  group: 'Columns',
  help: 'Map source columns to target names and types (bad casts become error records).',
  canFail: true,
  defaults: (schema) => ({ mappings: schema.map((f) => ({ source: renderPath([f.name]), target: renderPath([f.name]), targetType: renderType(f.type.kind === 'choice' ? { kind: 'primitive', name: 'string' } : f.type) })) }),
  form: [{
    key: 'mappings', label: 'Mappings', widget: 'list', addLabel: 'Add mapping',
    newItem: (schema) => ({ source: renderPath([schema[0]?.name ?? 'column']), target: 'new_field', targetType: 'string' }),
    item: [
      { key: 'source', label: 'source', widget: 'column' },
      { key: 'target', label: 'target', widget: 'text' },
      { key: 'targetType', label: 'type', widget: 'text', short: true },
    ],
  }],
  describe: (p) => arr(p.mappings).map((m) => { const x = obj(m); return `${str(x['source'])} → ${str(x['target'])} (${str(x['targetType'])})`; }).join(', ') || 'no columns',
  duckdb(p, c) {
    const input = c.tree();
    const out: Node = { kind: 'struct', source: null, fields: [], dirty: true };
    const checks: Check[] = [];
    if (!p.mappings?.length) c.error('ApplyMapping needs at least one mapping');
    for (const m of p.mappings ?? []) {
      const src = c.field(input, m.source);
      const target = c.path(m.target);
      const to = c.type(m.targetType, m.target);
      if (!src || !target || !to) continue;
      const from = typeOfNode(src.node);
      if (m.sourceType) {
        const declared = c.type(m.sourceType, m.source);
        if (declared && !sameType(declared, from)) c.warn(`source type is ${renderType(from)}, not ${m.sourceType}`, m.source);
      }
      const expr = renderNode(src.node);
      const cast = castExpr(expr, from, to);
      if (cast !== expr) checks.push({ column: m.source, value: expr, result: cast, reason: `cannot cast ${renderType(from)} to ${renderType(to)}` });
      setNode(out, target, { kind: 'leaf', expr: cast, type: to });
    }
    if (c.failed()) return c.none();
    const { select, schema } = renderRoot(out);
    return c.checked(select, schema, checks);
  },

  spark(p, s) {
    const input = sparkTree(s.schema);
    const out: Node = { kind: 'struct', source: null, fields: [], dirty: true };
    const failed: string[] = [];
    if (!p.mappings?.length) refuse('ApplyMapping needs at least one mapping');
    for (const m of p.mappings) {
      const src = fieldAt(input, m.source);
      const to = typeOf(m.targetType, m.target);
      const expr = sparkNode(src.node);
      const cast = sparkCast(expr, typeOfNode(src.node), to);
      if (cast !== expr) failed.push(fails(expr, cast));
      setNode(out, pathOf(m.target), { kind: 'leaf', expr: cast, type: to });
    }
    return { lines: [`${s.id} = ${withoutFailures(s.input, failed)}.select(${sparkSelect(out).join(', ')})`] };
  },
  examples: [{ title: 'cars renamed and cast', input: 'node_modules/vega-datasets/data/cars.json', params: { mappings: [{ source: 'Name', target: 'name', targetType: 'string' }, { source: 'Horsepower', target: 'hp', targetType: 'int' }, { source: 'Year', target: 'year', targetType: 'date' }] } }],
  docs: {
    tab: 'Keeps only the mapped fields, renamed and cast; a value that does not cast makes its record an error record.',
    spark: 'A select of casts and aliases; a value that does not cast makes its record an error record (left out of the output, as in the tab). Casts to integers round as DuckDB does (doubles half to even, decimals and text half away from zero; out of range is a failure).',
    glue: 'The PySpark body (the same casts; Glue\'s ApplyMapping.apply would keep records whose values do not cast).',
    differences: 'Spark writes no error-record frame (the records are only left out). A double or float cast to string is refused (Spark writes 1.0E7 where DuckDB writes 10000000.0). Other casts follow Spark\'s rules where they differ from DuckDB\'s on edge cases (text to date or boolean forms); a choice column is cast from its text in Spark, option by option in the tab.',
  },
});
