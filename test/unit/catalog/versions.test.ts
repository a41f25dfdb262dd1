import { describe, expect, it } from 'vitest';
import { diffProperties, diffSchemas, tableInputOf, type TableInput } from '../../../src/catalog';
import { freshCatalog } from './helpers';

const cols = (...spec: [string, string, string?][]) => spec.map(([Name, Type, Comment]) => (Comment ? { Name, Type, Comment } : { Name, Type }));
const table = (columns: ReturnType<typeof cols>, extra: Partial<TableInput> = {}): TableInput => ({ Name: 't', StorageDescriptor: { Columns: columns, Location: 's3://a/' }, ...extra });

describe('diffSchemas', () => {
  it('aligns columns side by side: same, changed, renamed, added, removed, partition keys', () => {
    const left = table(cols(['id', 'int'], ['name', 'string'], ['gone', 'double'], ['price', 'int']), { PartitionKeys: cols(['dt', 'string']) });
    const right = table(cols(['id', 'bigint'], ['full_name', 'string'], ['price', 'int', 'in cents'], ['extra', 'date']), { PartitionKeys: cols(['dt', 'string']) });
    expect(diffSchemas(left, right).map((r) => [r.status, r.left?.Name ?? null, r.right?.Name ?? null, r.partitionKey])).toEqual([
      ['changed', 'id', 'id', false],
      ['renamed', 'name', 'full_name', false],
      ['removed', 'gone', null, false],
      ['changed', 'price', 'price', false],
      ['added', null, 'extra', false],
      ['same', 'dt', 'dt', true],
    ]);
  });

  it('shows trailing removals and is all "same" for equal schemas', () => {
    const a = table(cols(['a', 'int'], ['b', 'int']));
    expect(diffSchemas(a, a).every((r) => r.status === 'same')).toBe(true);
    expect(diffSchemas(a, table(cols(['a', 'int']))).map((r) => r.status)).toEqual(['same', 'removed']);
  });
});

describe('diffProperties', () => {
  it('lists changed properties outside the columns as dotted paths', () => {
    const a = table(cols(['a', 'int']), { Parameters: { classification: 'csv' } });
    const b = table(cols(['a', 'string']), { Parameters: { classification: 'csv', recordCount: '5' }, StorageDescriptor: { Columns: [], Location: 's3://b/' } });
    expect(diffProperties(a, b)).toEqual([
      { path: 'Parameters.recordCount', left: undefined, right: '5' },
      { path: 'StorageDescriptor.Location', left: 's3://a/', right: 's3://b/' },
    ]);
  });
});

describe('Catalog.restoreTableVersion', () => {
  it('makes an old definition current as a new version', async () => {
    const { catalog } = await freshCatalog();
    await catalog.createDatabase({ Name: 'd' });
    await catalog.createTable('d', table(cols(['a', 'int'])));
    await catalog.updateTable('d', table(cols(['a', 'bigint'])));
    expect(await catalog.restoreTableVersion('d', 't', '0')).toBe('2');
    const current = await catalog.getTable('d', 't');
    expect(current.VersionId).toBe('2');
    expect(current.StorageDescriptor?.Columns).toEqual(cols(['a', 'int']));
    expect(tableInputOf(current)).toEqual(tableInputOf((await catalog.getTableVersion('d', 't', '0')).Table));
  });
});
