import { quoteIdent } from '../../engine/sql';
import { renderPath } from '../paths';
import { renderNode, treeOf } from '../tree';
import { defineTransform } from './def';
import { arr, str } from './text';
import { fieldAt, py, refuse, sparkNode, sparkTree } from './spark-kit';

export interface JoinParams { right: string; leftKeys: string[]; rightKeys: string[]; how?: 'inner' | 'left' | 'right' | 'full' }

export default defineTransform<'Join', JoinParams>({
  kind: 'Join',
  group: 'Combine',
  help: 'Join with another table on keys.',
  side: 'right',
  defaults: (schema, others) => ({ right: others[0] ?? '', leftKeys: [renderPath([schema[0]?.name ?? 'column'])], rightKeys: [renderPath([schema[0]?.name ?? 'column'])], how: 'inner' }),
  form: [
    { key: 'how', label: 'Join type', widget: 'select', options: ['inner', 'left', 'right', 'full'] },
    { key: 'right', label: 'Right table', widget: 'side' },
    { key: 'leftKeys.0', label: 'Left key', widget: 'column' },
    { key: 'rightKeys.0', label: 'Right key', widget: 'column', of: 'other' },
  ],
  describe(p, inputs) {
    const left = arr(p.leftKeys).map(str);
    const right = arr(p.rightKeys).map(str);
    const on = left.map((k, i) => `${k} = ${right[i] ?? '?'}`).join(' and ') || 'no keys';
    return `${str(p.how ?? 'inner')} join with ${inputs[1] || str(p.right) || 'the second input'} on ${on}`;
  },
  columns: (p) => arr(p.leftKeys),
  duckdb(p, c) {
    const right = c.other(p.right, 'join with');
    if (!right) return c.none();
    if (!p.leftKeys?.length || p.leftKeys.length !== p.rightKeys?.length) { c.error('give as many right keys as left keys (at least one)'); return c.none(); }
    const l = treeOf(c.input.schema, null, 'l.');
    const r = treeOf(right, null, 'r.');
    const on: string[] = [];
    p.leftKeys.forEach((lk, i) => {
      const a = c.field(l, lk);
      const b = c.field(r, p.rightKeys[i]!);
      if (a && b) on.push(`${renderNode(a.node)} = ${renderNode(b.node)}`);
    });
    if (c.failed()) return c.none();
    const taken = new Set(c.input.schema.map((f) => f.name));
    const cols = c.input.schema.map((f) => `l.${quoteIdent(f.name)}`);
    const schema = [...c.input.schema];
    const sharedKeys = new Set(p.rightKeys.filter((rk, i) => rk === p.leftKeys[i] && !rk.includes('.')));
    const how = p.how ?? 'inner';
    for (const f of right) {
      // A key with the same name on both sides is kept once (from the left, or coalesced for outer joins).
      if (sharedKeys.has(f.name)) {
        if (how === 'right' || how === 'full') {
          const i = schema.findIndex((x) => x.name === f.name);
          cols[i] = `coalesce(l.${quoteIdent(f.name)}, r.${quoteIdent(f.name)}) AS ${quoteIdent(f.name)}`;
        }
        continue;
      }
      let name = f.name;
      if (taken.has(name)) {
        name = `right_${f.name}`;
        c.warn(`both sides have ${f.name}; the right one is named ${name}`, f.name);
      }
      taken.add(name);
      cols.push(`r.${quoteIdent(f.name)} AS ${quoteIdent(name)}`);
      schema.push({ name, type: f.type });
    }
    const kind = { inner: 'INNER', left: 'LEFT', right: 'RIGHT', full: 'FULL OUTER' }[how];
    return c.result(`SELECT ${cols.join(', ')} FROM ${c.from} AS l ${kind} JOIN ${quoteIdent(p.right)} AS r ON ${on.join(' AND ')}`, schema);
  },
  spark(p, s) {
    if (!s.other || !s.otherSchema) refuse('the right side of the join is missing');
    if (!p.leftKeys?.length || p.leftKeys.length !== p.rightKeys?.length) refuse('give as many right keys as left keys (at least one)');
    const right = s.otherSchema;
    // The right side's columns get names of their own first, so no condition or select is ambiguous.
    const rcol = (i: number) => `F.col(${py(`__epoxy_r${i}`)})`;
    const l = sparkTree(s.schema);
    const r = sparkTree(right, null, (n) => rcol(right.findIndex((f) => f.name === n)));
    const on = p.leftKeys.map((lk, i) => `(${sparkNode(fieldAt(l, lk).node)} == ${sparkNode(fieldAt(r, p.rightKeys[i]!).node)})`);
    const lcol = (n: string) => `F.col(${py('`' + n.replace(/`/g, '``') + '`')})`;
    const cols = s.schema.map((f) => `${lcol(f.name)}.alias(${py(f.name)})`);
    const taken = new Set(s.schema.map((f) => f.name));
    const sharedKeys = new Set(p.rightKeys.filter((rk, i) => rk === p.leftKeys[i] && !rk.includes('.')));
    const how = p.how ?? 'inner';
    right.forEach((f, i) => {
      if (sharedKeys.has(f.name)) {
        if (how === 'right' || how === 'full') {
          const at = s.schema.findIndex((x) => x.name === f.name);
          cols[at] = `F.coalesce(${lcol(f.name)}, ${rcol(i)}).alias(${py(f.name)})`;
        }
        return;
      }
      const name = taken.has(f.name) ? `right_${f.name}` : f.name;
      taken.add(name);
      cols.push(`${rcol(i)}.alias(${py(name)})`);
    });
    return {
      lines: [
        `${s.id}__right = ${s.other}.select(${right.map((f, i) => `${lcol(f.name)}.alias(${py(`__epoxy_r${i}`)})`).join(', ')})`,
        `${s.id} = ${s.input}.join(${s.id}__right, ${on.join(' & ')}, ${py(how)}).select(${cols.join(', ')})`,
      ],
    };
  },
  examples: [{ title: 'groups joined with people', input: 'node_modules/vega-datasets/data/lookup_groups.csv', other: 'node_modules/vega-datasets/data/lookup_people.csv', params: { right: '', leftKeys: ['person'], rightKeys: ['name'], how: 'inner' } }, { title: 'people joined with groups, keeping everyone', input: 'node_modules/vega-datasets/data/lookup_people.csv', other: 'node_modules/vega-datasets/data/lookup_groups.csv', params: { right: '', leftKeys: ['name'], rightKeys: ['person'], how: 'full' } }],
  docs: {
    tab: 'Joins on equal keys (inner, left, right, full). A key named the same on both sides is kept once (coalesced for right and full joins); other right columns whose name is taken become right_<name>.',
    spark: 'DataFrame.join on equal keys with the right side\'s columns renamed first, then the tab\'s select: a shared key once (coalesced for right and full joins), clashing right columns as right_<name>.',
    glue: 'The PySpark body (Glue\'s Join.apply keeps both keys).',
  },
});
