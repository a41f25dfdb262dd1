import { describe, expect, it } from 'vitest';
import { defaultParams, formatBound, gridColumns, histogramBars, inputLabel, newStepId, parseParams, stepSummary } from '../../../../src/app/transform/helpers';
import { STEP_KINDS, type Step } from '../../../../src/frames/steps';
import { compileStep } from '../../../../src/frames/compile';
import { parseType, type StructField } from '../../../../src/schema/types';

const schema = (parseType('struct<id:bigint,name:string,price:choice<bigint,string>>') as { fields: StructField[] }).fields;

describe('transform helpers', () => {
  it('gives unique snake_case step ids', () => {
    const steps = [{ id: 'apply_mapping_1', kind: 'ApplyMapping', params: { mappings: [] } }] as Step[];
    expect(newStepId(steps, 'ApplyMapping')).toBe('apply_mapping_2');
    expect(newStepId(steps, 'Filter')).toBe('filter_1');
  });

  it('default params of every single-input kind compile against the schema they were made for', () => {
    for (const kind of STEP_KINDS.filter((k) => k !== 'Join' && k !== 'Union' && k !== 'DropNullFields')) {
      const step = { id: 's', kind, params: defaultParams(kind, schema) } as Step;
      expect(() => compileStep(step, { relation: 't', schema }), kind).not.toThrow();
    }
  });

  it('summarizes steps and parses params', () => {
    expect(stepSummary({ id: 'f', kind: 'Filter', params: { predicate: { combine: 'or', conditions: [{ path: 'a', op: '>', value: 1 }, { path: 'b', op: 'is_null' }] } } })).toBe('keep records where a > 1 or b is null');
    expect(parseParams('{"a":1}')).toEqual({ ok: true, params: { a: 1 } });
    expect(parseParams('[1]')).toEqual({ ok: false, error: 'params must be a JSON object' });
    expect(parseParams('{').ok).toBe(false);
  });

  it('grid columns and histogram geometry', () => {
    expect(gridColumns(schema)).toEqual([{ name: 'id', type: 'BIGINT' }, { name: 'name', type: 'string' }, { name: 'price', type: 'choice<bigint,string>' }]);
    const bars = histogramBars([{ lo: 0, hi: 1, count: 2 }, { lo: 1, hi: 2, count: 0 }, { lo: 2, hi: 3, count: 4 }], 300, 100);
    expect(bars.map((b) => [b.x, b.y, b.h])).toEqual([[0, 50, 50], [100, 100, 0], [200, 0, 100]]);
    expect(formatBound(86400, true)).toBe('1970-01-02');
    expect(formatBound(1.23456, false)).toBe('1.23');
  });
});

describe('field paths', () => {
  it('lists nested struct fields and quotes dotted names', async () => {
    const { fieldPaths } = await import('../../../../src/app/transform/helpers');
    const s = (parseType('struct<a:struct<b:int,`c.d`:string>,e:array<int>>') as { fields: StructField[] }).fields;
    expect(fieldPaths(s).map((p) => p.path)).toEqual(['a', 'a.b', 'a.`c.d`', 'e']);
  });
});

describe('columns ticked in a form (issue 15 #3: the default group-by `customer.name` showed unticked and could not be unticked)', () => {
  it('a path names a top-level column written either way; toggling stores the path and removes both spellings', async () => {
    const { namesColumn, toggleColumn } = await import('../../../../src/app/transform/helpers');
    expect(namesColumn('`customer.name`', 'customer.name')).toBe(true);
    expect(namesColumn('customer.name', 'customer.name')).toBe(true);
    expect(namesColumn('`customer.city`', 'customer.name')).toBe(false);
    expect(namesColumn('region', 'region')).toBe(true);
    expect(toggleColumn(['`customer.name`', 'customer.name', 'region'], 'customer.name', false)).toEqual(['region']);
    expect(toggleColumn(['region'], 'customer.city', true)).toEqual(['region', '`customer.city`']);
    const flat = (parseType('struct<`customer.name`:string,n:bigint>') as { fields: StructField[] }).fields;
    const groupBy = toggleColumn([], 'customer.name', true);
    const out = compileStep({ id: 'a', kind: 'Aggregate', params: { groupBy, aggregations: [{ fn: 'count' }] } }, { relation: 't', schema: flat });
    expect(out.outputSchema?.map((f) => f.name)).toEqual(['customer.name', 'count']);
  });
});

describe('Join and Union sides (issue 15 #9: only workspace tables, right key free text)', () => {
  it('an extra-output reference binds to the relation of an earlier step only; catalog picks and right keys', async () => {
    const { bindSides, extraRef, parseExtraRef, extraRelation, catalogSideValue, parseCatalogSide, fitOtherColumns } = await import('../../../../src/app/transform/helpers');
    const ref = extraRef('relationalize_1', 'root_items.val.tags');
    expect(parseExtraRef(ref)).toEqual({ stepId: 'relationalize_1', name: 'root_items.val.tags' });
    expect(parseExtraRef('orders')).toBeNull();
    const steps = [
      { id: 'relationalize_1', kind: 'Relationalize', params: {} },
      { id: 'join_1', kind: 'Join', params: { right: ref, leftKeys: ['items'], rightKeys: ['id'] } },
      { id: 'union_1', kind: 'Union', params: { other: extraRef('union_1', 'rest') } },
      { id: 'join_2', kind: 'Join', params: { right: 'orders', leftKeys: ['id'], rightKeys: ['id'] } },
    ] as Step[];
    const bound = bindSides(steps, '__epoxy_tf3');
    expect((bound[1] as Extract<Step, { kind: 'Join' }>).params.right).toBe('__epoxy_tf3_1_root_items_val_tags');
    expect(extraRelation('__epoxy_tf3', 0, 'root_items.val.tags')).toBe('__epoxy_tf3_1_root_items_val_tags');
    // Its own output is not there yet when it runs: left as written, so the step says "no table …".
    expect((bound[2] as Extract<Step, { kind: 'Union' }>).params.other).toBe('union_1:rest');
    expect(bound[3]).toBe(steps[3]);
    expect(parseCatalogSide(catalogSideValue('shop', 'customers'))).toEqual({ database: 'shop', table: 'customers' });
    expect(parseCatalogSide('orders')).toBeNull();
    const right = (parseType('struct<id:bigint,`customer.id`:bigint,name:string>') as { fields: StructField[] }).fields;
    const join = (leftKeys: string[], rightKeys: string[]) => ({ id: 'j', kind: 'Join' as const, params: { right: 'r', leftKeys, rightKeys } });
    expect(fitOtherColumns(join(['id'], ['zzz']), right).params.rightKeys).toEqual(['id']);
    expect(fitOtherColumns(join(['cust'], ['`customer.id`']), right).params.rightKeys).toEqual(['`customer.id`']);
    expect(fitOtherColumns(join(['cust'], ['nope']), right).params.rightKeys).toEqual(['id']);
    expect(fitOtherColumns(join(['id', 'cust'], ['id', 'nope']), right).params.rightKeys).toEqual(['id', 'id']);
  });
});

describe('inputLabel', () => {
  it("names a catalog input by db.table, not the relation it loads into (issue 19 walk: pickers showed catalog_wx_weather_hive)", () => {
    expect(inputLabel({ table: 'catalog_wx_weather_hive', label: 'wx.weather_hive', note: '1,461 rows' })).toBe('wx.weather_hive (1,461 rows)');
    expect(inputLabel({ table: 'events', note: '12 records' })).toBe('events (12 records)');
  });
});
