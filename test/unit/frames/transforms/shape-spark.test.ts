import { describe, expect, it } from 'vitest';
import { exportSpark } from '../../../../src/jobs/export-spark';
import type { JobDefinition } from '../../../../src/jobs/model';
import { t, type StructField } from '../../../../src/schema/types';

const schema: StructField[] = [{ name: 'id', type: t.bigint }, { name: 'weather', type: t.string }, { name: 'tags', type: t.array(t.string) }];

function job(kind: string, params: unknown): JobDefinition {
  return {
    version: 1, name: 'j', bookmark: 'job-bookmark-disable', parameters: [],
    nodes: [
      { id: 'src', kind: 'source', source: { type: 'file', path: '/data/in.json' } },
      { id: 'step', kind: 'transform', inputs: ['src'], step: { id: 'step', kind, params } as never },
      { id: 'out', kind: 'target', inputs: ['step'], target: { type: 'download', name: 'out', format: 'parquet' } },
    ],
  };
}
const spark = (kind: string, params: unknown) => exportSpark(job(kind, params), { sources: { src: { location: 'file:///data/in.json', format: 'json' } }, schemas: { src: schema } });

describe('the Spark bodies of the structure transforms', () => {
  it('refuse what their DuckDB compile refuses, naming the node and the column, instead of writing a broken script', () => {
    expect(() => spark('ConditionalRouter', { groups: [{ name: 'wet days', predicate: { sql: 'true' } }] })).toThrow('step: name the group with letters, digits and _ (not "wet days")');
    expect(() => spark('ConditionalRouter', { groups: [{ name: 'a', predicate: { combine: 'and', conditions: [{ path: 'nope', op: 'is_null' }] } }] })).toThrow('step: nope: no field nope in the input');
    expect(() => spark('Pivot', { pivotColumn: 'weather', values: ['sun'], aggFunction: 'sum', aggColumn: 'weather' })).toThrow('step: weather: sum needs a numeric column; weather is string');
    expect(() => spark('Explode', { column: 'weather' })).toThrow('step: weather: weather is string: Explode needs an array or map column');
    expect(() => spark('Unpivot', { columns: ['id'], namesColumn: 'weather' })).toThrow('step: weather: the input keeps a column weather already; name the names column otherwise');
  });

  it('write each group of a ConditionalRouter as its own DataFrame and the default group as the step\'s', () => {
    const script = spark('ConditionalRouter', { groups: [{ name: 'wet', predicate: { combine: 'and', conditions: [{ path: 'weather', op: '=', value: 'rain' }] } }] });
    expect(script).toContain('step__wet = src.where((F.col("`weather`") == F.lit("rain").cast("string")))');
    expect(script).toContain('step = src.where(~F.coalesce((F.col("`weather`") == F.lit("rain").cast("string")), F.lit(False)))');
  });
});
