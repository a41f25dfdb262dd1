import { describe, expect, it } from 'vitest';
import { columnWidths, formatBytes, formatCell, isNumericType, shortType } from '../../../../src/app/grid/format';
import { RowCache } from '../../../../src/app/grid/row-cache';
import { pagesFor, visibleRange } from '../../../../src/app/grid/virtual';

describe('virtualized grid', () => {
  it('sizes columns for their values and types (issue 15: a timestamp was cut to "2001-01-…", an error reason to "cannot c…")', () => {
    const cols = [{ name: 'date', type: 'TIMESTAMP' }, { name: 'reason', type: 'VARCHAR' }, { name: 'n', type: 'INTEGER' }];
    const [date, reason, n] = columnWidths(cols, [['2001-01-01 00:00:00', 'cannot cast "abc" to bigint', 5]]);
    expect(date).toBeGreaterThanOrEqual(19 * 8);
    expect(reason).toBeGreaterThanOrEqual('cannot cast "abc" to bigint'.length * 8);
    expect(n).toBe(96);
    // Without rows the type still decides, and nothing grows past the cap.
    expect(columnWidths(cols, [])[0]).toBeGreaterThanOrEqual(19 * 8);
    expect(columnWidths(cols, [[null, 'x'.repeat(5000), 1]])[1]).toBe(420);
  });


  it('renders only the visible rows plus overscan', () => {
    expect(visibleRange(0, 280, 28, 1_000_000, 5)).toEqual({ start: 0, end: 16, offsetPx: 0, totalPx: 28_000_000 });
    expect(visibleRange(28 * 500, 280, 28, 1_000_000, 5)).toEqual({ start: 495, end: 516, offsetPx: 495 * 28, totalPx: 28_000_000 });
    expect(visibleRange(1e9, 280, 28, 100, 5)).toMatchObject({ start: 100, end: 100 });
    expect(visibleRange(0, 280, 28, 0)).toMatchObject({ start: 0, end: 0, totalPx: 0 });
  });

  it('maps a row range to pages', () => {
    expect(pagesFor(0, 200, 200)).toEqual([0]);
    expect(pagesFor(150, 450, 200)).toEqual([0, 1, 2]);
    expect(pagesFor(5, 5, 200)).toEqual([]);
  });

  it('fetches each missing page once, serves seeded rows without fetching, and bounds memory', async () => {
    const calls: number[] = [];
    const cache = new RowCache(async (offset, limit) => {
      calls.push(offset);
      return Array.from({ length: limit }, (_, i) => [offset + i]);
    }, [[0], [1]], 2, 3);
    expect(cache.row(1)).toEqual([1]);
    expect(await cache.ensure(0, 2)).toBe(false);
    expect(await cache.ensure(2, 6)).toBe(true);
    expect(calls).toEqual([2, 4]);
    expect(cache.row(5)).toEqual([5]);
    await cache.ensure(20, 22);
    expect(cache.row(21)).toEqual([21]);
    expect(cache.row(1)).toBeUndefined(); // the farthest page was evicted
  });
});

describe('cell formatting', () => {
  it('shows text, never markup, and marks nulls', () => {
    expect(formatCell('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
    expect(formatCell(null)).toBe('∅');
    expect(formatCell(0.1 + 0.2)).toBe('0.3');
    expect(formatCell({ a: [1, 2] })).toBe('{"a":[1,2]}');
    expect(formatCell(false)).toBe('false');
  });

  it('classifies and shortens types', () => {
    expect(isNumericType('DECIMAL(10,2)')).toBe(true);
    expect(isNumericType('UBIGINT')).toBe(true);
    expect(isNumericType('VARCHAR')).toBe(false);
    expect(shortType('STRUCT(a INTEGER)')).toBe('struct');
    expect(shortType('INTEGER[]')).toBe('list');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(50 * 1024 * 1024)).toBe('50 MB');
  });
});
