import { quoteIdent, quoteLiteral } from '../../engine/sql';
import { renderType, t } from '../../schema/types';
import { frameDuckType } from '../duck-types';
import { renderPath } from '../paths';
import { renderNode, renderRoot, setNode, typeOfNode } from '../tree';
import { defineTransform, type Thresholds } from './def';
import { castExpr, type Check } from './kit';
import { str } from './text';
import { fails, fieldAt, py, refuse, sparkCast, sparkNode, sparkSelect, sparkTree, sparkTypeOf, typeOf, withoutFailures } from './spark-kit';

export interface UnboxParams extends Thresholds { path: string; format: 'json' | 'csv'; type: string; delimiter?: string }

export default defineTransform<'Unbox', UnboxParams>({
  kind: 'Unbox',
  group: 'Nested',
  help: 'Parse a string column holding JSON or CSV into a struct.',
  canFail: true,
  defaults: (schema) => ({ path: renderPath([schema.find((f) => f.type.kind === 'primitive' && f.type.name === 'string')?.name ?? schema[0]?.name ?? 'column']), format: 'json', type: 'struct<a:string>' }),
  form: [
    { key: 'path', label: 'Column to unbox', widget: 'column' },
    { key: 'format', label: 'Format', widget: 'select', options: ['json', 'csv'] },
    { key: 'delimiter', label: 'Delimiter', widget: 'text', short: true, placeholder: ',', optional: true, when: (p) => p['format'] === 'csv' },
    { key: 'type', label: 'Unboxed type', widget: 'text', mono: true },
  ],
  describe: (p) => `parse ${str(p.path)} as ${str(p.format)} into ${str(p.type)}`,
  duckdb(p, c) {
    const root = c.tree();
    const f = c.field(root, p.path);
    const to = c.type(p.type, p.path);
    if (!f || !to) return c.none();
    const from = typeOfNode(f.node);
    if (!(from.kind === 'primitive' && from.name === 'string') && from.kind !== 'varchar') c.error(`Unbox reads a string column; ${p.path} is ${renderType(from)}`, p.path);
    const expr = renderNode(f.node);
    const checks: Check[] = [];
    let unboxed: string;
    if (p.format === 'csv') {
      if (to.kind !== 'struct') { c.error('Unbox csv needs a struct<...> type naming the fields', p.path); return c.none(); }
      const parts = `string_split(${expr}, ${quoteLiteral(p.delimiter ?? ',')})`;
      const fields = to.fields.map((fl, i) => {
        const item = `${parts}[${i + 1}]`;
        const cast = castExpr(item, t.string, fl.type);
        if (cast !== item) checks.push({ column: `${p.path}.${fl.name}`, value: `nullif(${item}, '')`, result: cast, reason: `cannot cast string to ${renderType(fl.type)}` });
        return `${quoteIdent(fl.name)} := ${cast}`;
      });
      unboxed = `CASE WHEN ${expr} IS NULL THEN NULL ELSE struct_pack(${fields.join(', ')}) END`;
    } else if (p.format === 'json') {
      // DuckDB-WASM has no json extension offline; its string-to-nested cast reads JSON objects and arrays
      // but does not decode escapes, so strings with a backslash are reported instead of silently mangled.
      unboxed = `CASE WHEN contains(${expr}, '\\') THEN NULL ELSE TRY_CAST(${expr} AS ${frameDuckType(to)}) END`;
      checks.push({ column: p.path, value: expr, result: unboxed, reason: `not JSON of type ${renderType(to)} (or holds escaped characters)` });
    } else {
      c.error(`unknown format ${String(p.format)} (json or csv)`, p.path);
      return c.none();
    }
    setNode(root, f.parts, { kind: 'leaf', expr: unboxed, type: to });
    const { select, schema } = renderRoot(root);
    return c.checked(select, schema, checks);
  },
  spark(p, s) {
    const root = sparkTree(s.schema);
    const f = fieldAt(root, p.path);
    const to = typeOf(p.type, p.path);
    const from = typeOfNode(f.node);
    if (!(from.kind === 'primitive' && from.name === 'string') && from.kind !== 'varchar') refuse(`Unbox reads a string column; ${p.path} is ${renderType(from)}`);
    const x = sparkNode(f.node);
    const failed: string[] = [];
    let unboxed: string;
    if (p.format === 'csv') {
      if (to.kind !== 'struct') refuse('Unbox csv needs a struct<...> type naming the fields');
      // split() takes a Java regex: every other character of the delimiter is escaped to stand for itself.
      const regex = (p.delimiter ?? ',').replace(/[^A-Za-z0-9]/g, (ch) => '\\' + ch);
      const parts = `F.split(${x}, ${py(regex)}, -1)`;
      const fields = to.fields.map((fl, i) => {
        const item = `${parts}.getItem(${i})`;
        const cast = sparkCast(item, t.string, fl.type);
        if (cast !== item) failed.push(fails(`F.when(${item} != "", ${item})`, cast));
        return `${cast}.alias(${py(fl.name)})`;
      });
      unboxed = `F.when(${x}.isNull(), F.lit(None)).otherwise(F.struct(${fields.join(', ')}))`;
    } else if (p.format === 'json') {
      refuse(`Unbox json of ${p.path}: the tab parses with DuckDB's text-to-${to.kind} cast (unquoted keys accepted, an unknown key refuses the record, a mistyped field becomes NULL), which Spark's from_json does not match; export the job as DuckDB SQL`);
    } else {
      return refuse(`unknown format ${String(p.format)} (json or csv)`);
    }
    setNode(root, f.parts, { kind: 'leaf', expr: unboxed, type: to });
    return { lines: [`${s.id} = ${withoutFailures(s.input, failed)}.select(${sparkSelect(root).join(', ')})`] };
  },
  examples: [{ title: 'car names split into make and model', input: 'node_modules/vega-datasets/data/cars.json', params: { path: 'Name', format: 'csv', delimiter: ' ', type: 'struct<make:string,model:string>' } }],
  docs: {
    tab: 'Parses a string column as JSON (into the given type) or CSV (split at the delimiter into a struct\'s fields); values that do not parse are error records. JSON with backslash escapes is refused (no json extension offline).',
    spark: 'CSV: split() at the delimiter (taken literally), each part cast to its field\'s type, bad values error records (left out), as the tab. JSON is refused.',
    glue: 'The PySpark body (Glue\'s Unbox infers the type; this one is given).',
    differences: 'JSON: the tab parses with DuckDB\'s text-to-nested cast (unquoted keys accepted, an unknown key refuses the record, a mistyped field becomes NULL), which Spark\'s from_json does not match: the PySpark export refuses it.',
  },
});
