import { describe, expect, it } from 'vitest';
import { columnCountText, filterSchema, pageStatusText, SCHEMA_PAGE_ROWS, schemaPage } from '../../../../src/app/catalog/schema-page';
import { schemaTree, visibleNodes } from '../../../../src/app/catalog/schema-tree';

const wide = schemaTree(Array.from({ length: 5000 }, (_, i) => ({ Name: `c${i}`, Type: i % 2 ? 'double' : 'bigint' })));
const nested = schemaTree([
  { Name: 'event_id', Type: 'string' },
  { Name: 'user', Type: 'struct<id:bigint,name:string,tags:array<string>>' },
  { Name: 'items', Type: 'array<struct<sku:string,qty:int>>' },
], [{ Name: 'dt', Type: 'string' }]);

describe('the schema list of a catalog table (issue 21: a 5,000-column table drew all 5,000 rows at once)', () => {
  it('pages 5,000 columns in pages of 100: a bounded number of rows, the first and last reachable', () => {
    const first = schemaPage(wide, 0);
    expect(SCHEMA_PAGE_ROWS).toBe(100);
    expect(first).toMatchObject({ page: 0, pageCount: 50, first: 0, end: 100, total: 5000 });
    expect(first.rows.map((n) => n.name).slice(0, 2)).toEqual(['c0', 'c1']);
    const last = schemaPage(wide, 49);
    expect(last.rows).toHaveLength(100);
    expect(last.rows.at(-1)!.name).toBe('c4999');
    // Past the end (a filter shrank the list) shows the last page; nonsense shows the first.
    expect(schemaPage(wide, 500)).toMatchObject({ page: 49, first: 4900 });
    expect(schemaPage(wide, -3).page).toBe(0);
    expect(schemaPage(wide, Number.NaN).page).toBe(0);
    expect(schemaPage([], 0)).toMatchObject({ rows: [], page: 0, pageCount: 1, first: 0, end: 0, total: 0 });
  });

  it('filters by name, case-insensitively: c4999 is found among 5,000', () => {
    const f = filterSchema(wide, ' C4999 ');
    expect(f.nodes.map((n) => n.name)).toEqual(['c4999']);
    expect(f.matches).toBe(1);
    expect(filterSchema(wide, 'c499').nodes.map((n) => n.name)).toEqual(['c499', ...Array.from({ length: 10 }, (_, i) => `c499${i}`)]);
    expect(filterSchema(wide, 'zz')).toMatchObject({ nodes: [], matches: 0 });
    // No filter: everything, nothing to expand, no match count.
    expect(filterSchema(wide, '  ')).toMatchObject({ matches: 0 });
    expect(filterSchema(wide, '').nodes).toHaveLength(5000);
  });

  it('finds nested fields by name or dotted path and opens their parents; a matching parent keeps its children', () => {
    const bySku = filterSchema(nested, 'sku');
    expect(bySku.nodes.map((n) => n.name)).toEqual(['items']);
    expect([...bySku.expand].sort()).toEqual(['items', 'items.[]']);
    expect(visibleNodes(bySku.nodes, bySku.expand).map((n) => n.id)).toEqual(['items', 'items.[]', 'items.[].sku']);
    expect(filterSchema(nested, 'user.na').nodes[0]!.children.map((c) => c.name)).toEqual(['name']);
    const user = filterSchema(nested, 'user');
    expect(user.nodes[0]!.children).toHaveLength(3);
    expect(user.expand.size).toBe(0);
    expect(filterSchema(nested, 'dt').nodes.map((n) => [n.name, n.partitionKey])).toEqual([['dt', true]]);
  });

  it('states the column count in the header and the rows in view for screen readers', () => {
    expect(columnCountText(5000, 0)).toBe('5,000 columns');
    expect(columnCountText(1, 2)).toBe('1 column · 2 partition keys');
    expect(columnCountText(3, 1)).toBe('3 columns · 1 partition key');
    expect(pageStatusText(schemaPage(wide, 2), null)).toBe('Rows 201–300 of 5,000');
    expect(pageStatusText(schemaPage(nested, 0), null)).toBe('4 rows');
    const f = filterSchema(wide, 'c499');
    expect(pageStatusText(schemaPage(f.nodes, 0), { query: 'c499', matches: f.matches })).toBe('11 names match “c499” · 11 rows');
    expect(pageStatusText(schemaPage([], 0), { query: 'zz', matches: 0 })).toBe('No column matches “zz”');
    const one = filterSchema(wide, 'c4999');
    expect(pageStatusText(schemaPage(one.nodes, 0), { query: 'c4999', matches: 1 })).toBe('1 name matches “c4999” · 1 row');
  });
});
