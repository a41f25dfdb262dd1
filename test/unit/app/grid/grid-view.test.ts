import { describe, expect, it } from 'vitest';
import { countSql, filterPredicate, nextSort, pageSql, parseFilter, viewSql, type GridView } from '../../../../src/app/grid/grid-view';

const cols = [{ name: 'price', type: 'DOUBLE' }, { name: 'Unit "Name"', type: 'VARCHAR' }, { name: 'day', type: 'DATE' }];

describe('grid sort and filter as SQL (issue 19: the grid could not sort or filter)', () => {
  it('parses what a user types in a filter box', () => {
    expect(parseFilter(cols[1]!, '  ')).toBeNull();
    expect(parseFilter(cols[1]!, 'Bolt')).toEqual({ column: 'Unit "Name"', op: 'contains', value: 'Bolt' });
    expect(parseFilter(cols[1]!, '=Bolt')).toEqual({ column: 'Unit "Name"', op: '=', value: 'Bolt' });
    expect(parseFilter(cols[0]!, '12.5')).toEqual({ column: 'price', op: '=', value: '12.5' });
    expect(parseFilter(cols[0]!, '>= 3')).toEqual({ column: 'price', op: '>=', value: '3' });
    expect(parseFilter(cols[0]!, '!=3')).toEqual({ column: 'price', op: '<>', value: '3' });
    expect(parseFilter(cols[2]!, '<2024-01-01')).toEqual({ column: 'day', op: '<', value: '2024-01-01' });
    expect(parseFilter(cols[0]!, 'null')).toEqual({ column: 'price', op: 'is null' });
    expect(parseFilter(cols[0]!, '!null')).toEqual({ column: 'price', op: 'is not null' });
    expect(parseFilter(cols[0]!, '>abc')).toEqual({ error: 'price holds numbers (DOUBLE): “abc” is not a number' });
    expect(parseFilter(cols[0]!, '>')).toEqual({ error: 'price: put a value after >' });
  });

  it('quotes names and values so nothing typed becomes SQL', () => {
    expect(filterPredicate({ column: 'Unit "Name"', op: 'contains', value: "O'Brien%_" }, cols)).toBe(`contains(lower(CAST("Unit ""Name""" AS VARCHAR)), 'o''brien%_')`);
    expect(filterPredicate({ column: 'day', op: '>=', value: "2024-01-01'; DROP TABLE x; --" }, cols)).toBe(`"day" >= '2024-01-01''; DROP TABLE x; --'`);
    expect(filterPredicate({ column: 'price', op: '<', value: '1e3' }, cols)).toBe('"price" < 1000');
    expect(() => filterPredicate({ column: 'price', op: '<', value: '1; DROP TABLE x' }, cols)).toThrow(/not a number/);
  });

  it('writes the view as one SELECT over the relation, pages and counts it', () => {
    const view: GridView = { sort: [{ column: 'price', dir: 'desc' }], filters: [{ column: 'price', op: '>', value: '2' }, { column: 'day', op: 'is not null' }] };
    expect(viewSql('__epoxy_result_1', cols, view)).toBe('SELECT * FROM "__epoxy_result_1" WHERE "price" > 2 AND "day" IS NOT NULL ORDER BY "price" DESC NULLS LAST');
    expect(pageSql('t', cols, view, 400.7, 200, 'rowid')).toBe('SELECT * FROM "t" WHERE "price" > 2 AND "day" IS NOT NULL ORDER BY "price" DESC NULLS LAST, rowid LIMIT 200 OFFSET 400');
    expect(countSql('t', cols, view)).toBe('SELECT count(*)::BIGINT AS n FROM (SELECT * FROM "t" WHERE "price" > 2 AND "day" IS NOT NULL)');
    expect(viewSql('t', cols, { sort: [], filters: [] })).toBe('SELECT * FROM "t"');
  });

  it('cycles a header click through ascending, descending and no order', () => {
    let view: GridView = { sort: [], filters: [] };
    view = nextSort(view, 'price');
    expect(view.sort).toEqual([{ column: 'price', dir: 'asc' }]);
    view = nextSort(view, 'price');
    expect(view.sort).toEqual([{ column: 'price', dir: 'desc' }]);
    expect(nextSort(view, 'day').sort).toEqual([{ column: 'day', dir: 'asc' }]);
    expect(nextSort(view, 'price').sort).toEqual([]);
  });
});
