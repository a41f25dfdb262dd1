import { quoteIdent, quoteLiteral } from '../../engine/sql';
import { renderType, sameType } from '../../schema/types';
import { choiceTag } from '../duck-types';
import { renderPath } from '../paths';
import { leaves, renderRoot, setNode } from '../tree';
import { defineTransform, type Thresholds } from './def';
import { castExpr, replaceWithMany, type Check } from './kit';
import { arr, obj, str } from './text';
import { fails, fieldAt, refuse, sparkCast, sparkSelect, sparkTree, sparkTypeOf, typeOf, withoutFailures } from './spark-kit';

export type ChoiceAction = `cast:${string}` | `project:${string}` | 'make_cols' | 'make_struct';
export interface ChoiceSpec { path: string; action: ChoiceAction }
/** Per-path actions (`specs`), or one action for every choice column (`choice`), or match_catalog. */
export interface ResolveChoiceParams extends Thresholds {
  specs?: ChoiceSpec[];
  choice?: ChoiceAction | 'match_catalog';
  catalogSchema?: { name: string; type: string }[];
}

export default defineTransform<'ResolveChoice', ResolveChoiceParams>({
  kind: 'ResolveChoice',
  group: 'Columns',
  help: 'Resolve columns whose records disagree on type: cast, project, make_cols, make_struct, match_catalog.',
  canFail: true,
  defaults(schema) {
    const choice = schema.find((f) => f.type.kind === 'choice');
    return choice ? { specs: [{ path: renderPath([choice.name]), action: 'make_cols' }] } : { choice: 'cast:string' };
  },
  form: [{ key: 'specs', label: 'Choice columns', widget: 'choiceSpecs' }],
  describe(p) {
    if (p.choice === 'match_catalog') return 'cast every choice column to the catalog\'s type';
    if (p.choice !== undefined) return `every choice column: ${str(p.choice)}`;
    return arr(p.specs).map((s) => { const x = obj(s); return `${str(x['path'])}: ${str(x['action'])}`; }).join(', ') || 'nothing';
  },
  columns: (p) => arr(p.specs).map((s) => obj(s)['path']),
  duckdb(p, c) {
    const root = c.tree();
    const checks: Check[] = [];
    let specs = p.specs ?? [];
    if (p.choice) {
      const choiceLeaves = leaves(root).filter((l) => l.node.type.kind === 'choice');
      if (p.choice === 'match_catalog') {
        const catalog = new Map((p.catalogSchema ?? []).map((x) => [x.name, x.type]));
        if (!p.catalogSchema?.length) c.error('match_catalog needs the catalog table schema');
        specs = choiceLeaves.flatMap((l) => {
          const name = renderPath(l.path);
          const type = catalog.get(name);
          if (!type) { c.warn(`the catalog has no column ${name}; left as a choice`, name); return []; }
          return [{ path: name, action: `cast:${type}` as const }];
        });
      } else {
        specs = choiceLeaves.map((l) => ({ path: renderPath(l.path), action: p.choice as ChoiceAction }));
      }
    }
    if (!specs.length && !p.choice) c.error('ResolveChoice needs specs or a choice action');
    for (const spec of specs) {
      const f = c.field(root, spec.path);
      if (!f) continue;
      if (f.node.kind !== 'leaf' || f.node.type.kind !== 'choice') { c.error(`${spec.path} is not a choice type`, spec.path); continue; }
      const choice = f.node.type;
      const expr = f.node.expr;
      const [action, arg] = spec.action.split(/:(.*)/s) as [string, string | undefined];
      if (action === 'cast' || action === 'project') {
        const to = c.type(arg, spec.path);
        if (!to) continue;
        if (action === 'project' && !choice.options.some((o) => sameType(o, to) || choiceTag(o) === arg)) {
          c.error(`project:${arg} is not one of the choices ${renderType(choice)}`, spec.path);
          continue;
        }
        const cast = castExpr(expr, choice, to);
        // cast reports records it cannot convert; project (Glue) converts what it can and nulls the rest.
        if (action === 'cast') checks.push({ column: spec.path, value: expr, result: cast, reason: `cannot cast ${renderType(choice)} to ${renderType(to)}` });
        setNode(root, f.parts, { kind: 'leaf', expr: cast, type: to });
      } else if (action === 'make_cols') {
        replaceWithMany(root, f.parts, choice.options.map((o) => [`${f.parts.at(-1)}_${choiceTag(o)}`, { kind: 'leaf', expr: `union_extract(${expr}, ${quoteLiteral(choiceTag(o))})`, type: o }]));
      } else if (action === 'make_struct') {
        const packed = `struct_pack(${choice.options.map((o) => `${quoteIdent(choiceTag(o))} := union_extract(${expr}, ${quoteLiteral(choiceTag(o))})`).join(', ')})`;
        setNode(root, f.parts, {
          kind: 'leaf',
          expr: `CASE WHEN ${expr} IS NULL THEN NULL ELSE ${packed} END`,
          type: { kind: 'struct', fields: choice.options.map((o) => ({ name: choiceTag(o), type: o })) },
        });
      } else {
        c.error(`unknown action ${spec.action} (cast:T, project:T, make_cols, make_struct, match_catalog)`, spec.path);
      }
    }
    if (c.failed()) return c.none();
    const { select, schema } = renderRoot(root);
    return c.checked(select, schema, checks);
  },

  spark(p, s) {
    const root = sparkTree(s.schema);
    const failed: string[] = [];
    let specs = p.specs ?? [];
    if (p.choice) {
      const choiceLeaves = leaves(root).filter((l) => l.node.type.kind === 'choice');
      if (p.choice === 'match_catalog') {
        if (!p.catalogSchema?.length) refuse('match_catalog needs the catalog table schema');
        const catalog = new Map(p.catalogSchema.map((x) => [x.name, x.type]));
        specs = choiceLeaves.flatMap((l) => { const type = catalog.get(renderPath(l.path)); return type ? [{ path: renderPath(l.path), action: `cast:${type}` as const }] : []; });
      } else {
        specs = choiceLeaves.map((l) => ({ path: renderPath(l.path), action: p.choice as ChoiceAction }));
      }
    }
    if (!specs.length && !p.choice) refuse('ResolveChoice needs specs or a choice action');
    for (const spec of specs) {
      const f = fieldAt(root, spec.path);
      if (f.node.kind !== 'leaf' || f.node.type.kind !== 'choice') refuse(`${spec.path} is not a choice type`);
      const choice = f.node.type;
      const [action, arg] = spec.action.split(/:(.*)/s) as [string, string | undefined];
      if (action === 'cast' || action === 'project') {
        const to = typeOf(arg, spec.path);
        if (action === 'project' && !choice.options.some((o) => sameType(o, to) || choiceTag(o) === arg)) refuse(`project:${arg} is not one of the choices ${renderType(choice)}`);
        const cast = sparkCast(f.node.expr, choice, to);
        if (action === 'cast' && cast !== f.node.expr) failed.push(fails(f.node.expr, cast));
        setNode(root, f.parts, { kind: 'leaf', expr: cast, type: to });
      } else if (action === 'make_cols' || action === 'make_struct') {
        refuse(`ResolveChoice ${action} on ${spec.path}: plain Spark has no choice type (the column is read as ${sparkTypeOf(choice)}), so which type each record held is gone; use cast or project, or export the job as DuckDB SQL`);
      } else {
        refuse(`unknown action ${spec.action} (cast:T, project:T, make_cols, make_struct, match_catalog)`);
      }
    }
    return { lines: [`${s.id} = ${withoutFailures(s.input, failed)}.select(${sparkSelect(root).join(', ')})`] };
  },
  examples: [{ title: 'movie titles that are sometimes numbers, cast to string', input: 'node_modules/vega-datasets/data/movies.json', params: { specs: [{ path: 'Title', action: 'cast:string' }] } }, { title: 'movie titles split by type', input: 'node_modules/vega-datasets/data/movies.json', params: { specs: [{ path: 'Title', action: 'make_cols' }] } }],
  docs: {
    tab: 'A choice column (records disagree on its type) is cast (failures are error records), projected (failures are NULL), split into one column per type (make_cols) or a struct (make_struct); match_catalog casts to the catalog\'s types.',
    spark: 'Spark has no choice type: a choice column is read as its catalog type (string, or the widest number) and cast:T / project:T cast that; cast failures are error records left out, as in the tab. make_cols and make_struct are refused (which type each record held is gone).',
    glue: 'The PySpark body (sources are conformed to DataFrames first, so there is no choice type left for ResolveChoice.apply): cast and project export, make_cols and make_struct are refused.',
    differences: 'make_cols and make_struct: the PySpark export refuses them (use the Glue script\'s DynamicFrame ResolveChoice, or cast). A choice of numbers only is a double in Spark, so its cast to string is refused (1.0 where the tab writes 1); a number in a mixed choice is cast from its JSON text (1.50 stays "1.50" as string where the tab writes 1.5).',
  },
});
