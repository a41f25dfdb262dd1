import { defineTransform } from './def';
import type { DuckCompiler, ExtraOutput } from './kit';
import { sparkChecker } from './spark-check';
import { defaultPredicate, describePredicate, duckPredicate, sparkPredicate, type Predicate } from './predicate';
import { arr, obj, str } from './text';

/** One output group: its name (the extra output's) and the records it takes. */
export interface RouterGroup { name: string; predicate: Predicate }
export interface ConditionalRouterParams { groups: RouterGroup[] }

/** A group name that is also a relation suffix and a Python name (`${id}__${name}` in the Spark script). */
const GROUP_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The groups with their DuckDB conditions, or null with errors reported on `c` (names, columns, empty). */
function checkedGroups(p: ConditionalRouterParams, c: DuckCompiler): { name: string; cond: string }[] | null {
  const groups = p.groups ?? [];
  if (!groups.length) { c.error('add at least one output group'); return null; }
  const names = new Set<string>();
  const out: { name: string; cond: string }[] = [];
  for (const g of groups) {
    if (!g?.name || !GROUP_NAME.test(g.name)) { c.error(`name the group with letters, digits and _ (not ${JSON.stringify(g?.name ?? '')})`); continue; }
    if (names.has(g.name)) { c.error(`two groups are called ${g.name}`); continue; }
    names.add(g.name);
    const cond = duckPredicate(c, g.predicate);
    if (cond !== null) out.push({ name: g.name, cond });
  }
  return c.failed() ? null : out;
}

export default defineTransform<'ConditionalRouter', ConditionalRouterParams>({
  kind: 'ConditionalRouter',
  group: 'Rows',
  help: 'Route records to named output groups by conditions (a record goes to every group it matches); the records no group takes are this frame.',
  defaults: (schema) => ({ groups: [{ name: 'output_group_1', predicate: defaultPredicate(schema) }] }),
  form: [{
    key: 'groups', label: 'Output groups', widget: 'list', addLabel: 'Add group',
    newItem: (schema) => ({ name: 'output_group', predicate: defaultPredicate(schema) }),
    item: [
      { key: 'name', label: 'name', widget: 'text', short: true },
      { key: 'predicate', label: 'condition', widget: 'predicate' },
    ],
  }],
  describe(p) {
    const groups = arr(p.groups).map((g) => `${str(obj(g)['name']) || '?'} (${describePredicate(obj(g)['predicate'])})`);
    return groups.length ? `route records to ${groups.join(', ')}; the rest stay here` : 'no groups: every record stays here';
  },
  duckdb(p, c) {
    const groups = checkedGroups(p, c);
    if (!groups) return c.none();
    const extras: ExtraOutput[] = groups.map((g) => ({ name: g.name, sql: `SELECT * FROM ${c.from} WHERE (${g.cond}) ORDER BY rowid`, schema: c.input.schema }));
    // NULL is not a match: a record whose condition is NULL for every group is a default record.
    const rest = `SELECT * FROM ${c.from} WHERE ${groups.map((g) => `NOT coalesce((${g.cond}), false)`).join(' AND ')} ORDER BY rowid`;
    return c.result(rest, c.input.schema, extras);
  },
  spark(p, s) {
    // The same checks (names, columns) first: a bad name would be a broken Python variable.
    checkedGroups(p, sparkChecker(s));
    const conds = p.groups.map((g) => sparkPredicate(s, g.predicate));
    return {
      lines: [
        ...p.groups.map((g, i) => `${s.id}__${g.name} = ${s.input}.where(${conds[i]})`),
        `${s.id} = ${s.input}.where(${conds.map((x) => `~F.coalesce(${x}, F.lit(False))`).join(' & ')})`,
      ],
      extras: p.groups.map((g) => g.name),
    };
  },
  examples: [{
    title: 'seattle weather routed by kind of day',
    input: 'node_modules/vega-datasets/data/seattle-weather.csv',
    params: { groups: [
      { name: 'wet', predicate: { combine: 'or', conditions: [{ path: 'weather', op: 'in', value: 'rain,drizzle' }, { path: 'precipitation', op: '>', value: '10' }] } },
      { name: 'windy', predicate: { combine: 'and', conditions: [{ path: 'wind', op: '>=', value: '6' }] } },
    ] },
  }],
  docs: {
    tab: 'Each named group is an extra output holding the records its condition is true for; a record matching several groups is in each (Glue\'s semantics). The records no group takes (NULL counts as no match) are the main output, Glue\'s default group. Input order is kept in every output.',
    spark: 'One DataFrame.where per group, and the default group as the conjunction of the negated conditions (NULL as no match).',
    glue: 'The PySpark body (Glue Studio\'s Conditional Router is the same: every matching group, a default group).',
    differences: 'Group names are letters, digits and _ (they name the extra outputs and the Spark variables); Glue allows any text.',
  },
});
