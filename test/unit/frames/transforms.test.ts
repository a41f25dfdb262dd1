import { describe, expect, it } from 'vitest';
import { TRANSFORMS, sideOf, transformOf, withSide } from '../../../src/frames/transforms';
import { formColumns, formSqlFragments, getAt, setAt } from '../../../src/frames/transforms/form';
import { compileStep, StepError } from '../../../src/frames/compile';
import { t } from '../../../src/schema/types';
import type { Step } from '../../../src/frames/steps';

const schema = [
  { name: 'id', type: t.bigint },
  { name: 'city', type: t.string },
  { name: 'amount', type: t.double },
];

describe('the transform registry', () => {
  it('holds every kind once, each with help, a group, docs and a DuckDB compile', () => {
    const kinds = TRANSFORMS.map((d) => d.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    for (const d of TRANSFORMS) {
      expect(d.help.length, d.kind).toBeGreaterThan(10);
      expect(d.docs.tab.length, d.kind).toBeGreaterThan(10);
      expect(d.docs.spark.length, d.kind).toBeGreaterThan(5);
      expect(d.docs.glue.length, d.kind).toBeGreaterThan(5);
      expect(transformOf(d.kind)).toBe(d);
    }
    expect(transformOf('NoSuchKind')).toBeUndefined();
  });

  it("compiles every kind's defaults against a plain schema (a new step runs at once)", () => {
    for (const d of TRANSFORMS) {
      if (d.side || d.facts) continue;
      const step = { id: 's', kind: d.kind, params: d.defaults(schema, []) } as Step;
      expect(() => compileStep(step, { relation: 'input_t', schema }), d.kind).not.toThrow();
    }
  });

  it('gives every kind a description that survives params from a hand-made link', () => {
    for (const d of TRANSFORMS) {
      for (const junk of [{}, { paths: 'x', predicate: 5, mappings: [null], specs: {}, aggregations: 'y' }]) {
        expect(() => (d.describe as (p: unknown, i: string[]) => string)(junk, []), d.kind).not.toThrow();
      }
    }
  });

  it('reads and writes params at dotted keys without touching the original', () => {
    const p = { leftKeys: ['a'], how: 'inner' };
    const next = setAt(p, 'leftKeys.0', 'b');
    expect(next).toEqual({ leftKeys: ['b'], how: 'inner' });
    expect(p.leftKeys[0]).toBe('a');
    expect(getAt(next, 'leftKeys.0')).toBe('b');
    expect(setAt({ a: 1, b: 2 }, 'b', undefined)).toEqual({ a: 1 });
    expect(getAt({}, 'x.0.y')).toBeUndefined();
  });

  it('finds SQL text and named columns through the form description', () => {
    const filter = transformOf('Filter')!;
    expect(formSqlFragments(filter, { predicate: { sql: 'amount > 1' } })).toEqual([{ field: 'predicate.sql', sql: 'amount > 1', kind: 'expression' }]);
    expect(formSqlFragments(filter, { predicate: { combine: 'and', conditions: [] } })).toEqual([]);
    expect(formColumns(filter, { predicate: { combine: 'and', conditions: [{ path: 'city', op: 'not_null' }] } })).toEqual(['city']);
    expect(formColumns(transformOf('ApplyMapping')!, { mappings: [{ source: 'a', target: 'b', targetType: 'int' }] })).toEqual(['a']);
    expect(formColumns(transformOf('Join')!, { right: 'r', leftKeys: ['a', 'b'], rightKeys: ['x', 'y'] })).toEqual(['a', 'a', 'b']);
  });

  it('names the second input of two-input kinds and points it elsewhere', () => {
    const join = { id: 'j', kind: 'Join', params: { right: 'r', leftKeys: ['id'], rightKeys: ['id'] } } as Step;
    expect(sideOf(join)).toEqual({ key: 'right', value: 'r' });
    expect(withSide(join, 'other_t').params).toMatchObject({ right: 'other_t' });
    const filter = { id: 'f', kind: 'Filter', params: { predicate: { sql: 'true' } } } as Step;
    expect(sideOf(filter)).toBeNull();
    expect(withSide(filter, 'x')).toBe(filter);
  });

  it('refuses an unknown kind with a message at the step', () => {
    expect(() => compileStep({ id: 'z', kind: 'Teleport', params: {} } as unknown as Step, { relation: 'x', schema })).toThrow(StepError);
    expect(() => compileStep({ id: 'z', kind: 'Teleport', params: {} } as unknown as Step, { relation: 'x', schema })).toThrow(/unknown step kind Teleport/);
  });
});

describe('the transform reference in docs/jobs.md', () => {
  it('is what the registry says (run `npm run docs` after changing a kind)', async () => {
    const { readFileSync } = await import('node:fs');
    const { withTransformsDocs } = await import('../../../src/frames/transforms/docs');
    const text = readFileSync(new URL('../../../docs/jobs.md', import.meta.url), 'utf8');
    expect(withTransformsDocs(text) === text, 'docs/jobs.md is out of date: npm run docs').toBe(true);
  });

  it('has examples whose input files exist', async () => {
    const { existsSync } = await import('node:fs');
    for (const d of TRANSFORMS) {
      expect(d.examples.length, d.kind).toBeGreaterThan(0);
      for (const e of d.examples) for (const f of [e.input, e.other].filter(Boolean)) expect(existsSync(f!), `${d.kind}: ${f}`).toBe(true);
    }
  });
});
