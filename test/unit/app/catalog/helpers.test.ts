import { describe, expect, it } from 'vitest';
import type { Table } from '../../../../src/catalog';
import { filterTables } from '../../../../src/app/catalog/filter';
import { catalogRest, parseCatalogRoute } from '../../../../src/app/catalog/route';
import { expandableIds, schemaTree, visibleNodes } from '../../../../src/app/catalog/schema-tree';

const events: Table = {
  Name: 'events', DatabaseName: 'sales',
  StorageDescriptor: { Columns: [
    { Name: 'event_id', Type: 'string' },
    { Name: 'user', Type: 'struct<id:bigint,name:string,tags:array<string>>', Comment: 'who' },
    { Name: 'items', Type: 'array<struct<sku:string,qty:int>>' },
    { Name: 'attrs', Type: 'map<string,struct<v:int>>' },
  ] },
  PartitionKeys: [{ Name: 'dt', Type: 'string' }],
};
const orders: Table = { Name: 'orders', DatabaseName: 'sales', StorageDescriptor: { Columns: [{ Name: 'customer_id', Type: 'bigint' }] } };

describe('schemaTree', () => {
  it('turns nested structs, arrays of structs and maps into expandable nodes', () => {
    const nodes = schemaTree(events.StorageDescriptor!.Columns!, events.PartitionKeys);
    expect(nodes.map((n) => [n.name, n.label, n.columnIndex, n.partitionKey])).toEqual([
      ['event_id', 'string', 0, false],
      ['user', 'struct (3 fields)', 1, false],
      ['items', 'array', 2, false],
      ['attrs', 'map', 3, false],
      ['dt', 'string', undefined, true],
    ]);
    expect(nodes[1]!.children.map((c) => [c.id, c.label])).toEqual([['user.id', 'bigint'], ['user.name', 'string'], ['user.tags', 'array<string>']]);
    expect(nodes[2]!.children[0]!.children.map((c) => c.id)).toEqual(['items.[].sku', 'items.[].qty']);
    expect(nodes[3]!.children.map((c) => c.name)).toEqual(['key', 'value']);
  });

  it('shows children only under expanded nodes', () => {
    const nodes = schemaTree(events.StorageDescriptor!.Columns!);
    expect(visibleNodes(nodes, new Set()).length).toBe(4);
    expect(visibleNodes(nodes, new Set(['items'])).map((n) => n.id)).toEqual(['event_id', 'user', 'items', 'items.[]', 'attrs']);
    expect(visibleNodes(nodes, new Set(expandableIds(nodes))).length).toBe(4 + 3 + 1 + 2 + 2 + 1);
  });

  it('keeps an unparsable type visible instead of failing', () => {
    expect(schemaTree([{ Name: 'x', Type: 'uniontype<int>' }])[0]).toMatchObject({ label: 'uniontype<int>', children: [] });
  });
});

describe('filterTables', () => {
  it('matches table names, columns, partition keys and nested field paths', () => {
    expect(filterTables([events, orders], '').length).toBe(2);
    expect(filterTables([events, orders], 'ORD').map((m) => [m.table.Name, m.byName])).toEqual([['orders', true]]);
    expect(filterTables([events, orders], 'sku')).toEqual([{ table: events, byName: false, columns: ['items.sku'] }]);
    expect(filterTables([events, orders], 'id').map((m) => m.columns)).toEqual([['event_id', 'user.id'], ['customer_id']]);
    expect(filterTables([events, orders], 'dt')[0]!.columns).toEqual(['dt']);
    expect(filterTables([events, orders], 'zzz')).toEqual([]);
  });
});

describe('catalog route', () => {
  it('parses and builds #/catalog/<db>/<table>/<tab>', () => {
    expect(parseCatalogRoute('')).toEqual({ db: undefined, table: undefined, tab: 'schema' });
    expect(parseCatalogRoute('sales/orders/versions')).toEqual({ db: 'sales', table: 'orders', tab: 'versions' });
    expect(parseCatalogRoute('sales/orders/bogus').tab).toBe('schema');
    expect(catalogRest({ db: 'sales', table: 'orders', tab: 'schema' })).toBe('sales/orders');
    expect(catalogRest({ db: 'sales', table: 'orders', tab: 'export' })).toBe('sales/orders/export');
    expect(catalogRest({})).toBe('');
  });
});
