import { describe, expect, it } from 'vitest';
import { columnWidths, formatBytes, formatCell, isNumericType, shortType } from '../../../../src/app/grid/format';
import { RowCache } from '../../../../src/app/grid/row-cache';
import { MAX_SCROLL_PX, pagesFor, rowNumberWidth, scrollTopForRow, visibleRange, wheelScrollPx } from '../../../../src/app/grid/virtual';

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
    expect(visibleRange(0, 280, 28, 100_000, 5)).toEqual({ start: 0, end: 16, offsetPx: 0, totalPx: 2_800_000 });
    expect(visibleRange(28 * 500, 280, 28, 100_000, 5)).toEqual({ start: 495, end: 516, offsetPx: 495 * 28, totalPx: 2_800_000 });
    // A scroll past the end (a shrunk table) shows its last rows, not a blank grid.
    expect(visibleRange(1e9, 280, 28, 100, 5)).toMatchObject({ start: 85, end: 100 });
    expect(visibleRange(0, 280, 28, 0)).toMatchObject({ start: 0, end: 0, totalPx: 0 });
  });

  it('reaches the last of 10,000,000 rows under the browser\'s height cap (issue 19: the 3M-row grid stopped at row 1,198,383)', () => {
    const rows = 10_000_000;
    const view = 400;
    const top = visibleRange(0, view, 28, rows, 0);
    expect(top.totalPx).toBe(MAX_SCROLL_PX);
    expect(top).toMatchObject({ start: 0, offsetPx: 0 });
    // The end of the scroll shows the last row, its bottom at the viewport's bottom.
    const end = visibleRange(MAX_SCROLL_PX - view, view, 28, rows, 0);
    expect(end.end).toBe(rows);
    const lastRowTop = end.offsetPx + (rows - 1 - end.start) * 28;
    expect(lastRowTop + 28).toBeCloseTo(MAX_SCROLL_PX, 3);
    // Halfway down is halfway through the rows, and rows are drawn inside the viewport wherever it is.
    const mid = visibleRange((MAX_SCROLL_PX - view) / 2, view, 28, rows, 0);
    expect(Math.abs(mid.start - (rows * 28 - view) / 2 / 28)).toBeLessThan(1);
    expect(mid.offsetPx).toBeLessThanOrEqual((MAX_SCROLL_PX - view) / 2);
    expect(mid.offsetPx).toBeGreaterThan((MAX_SCROLL_PX - view) / 2 - 28);
    // Scrolling past the end (overscroll) never goes beyond the last row.
    expect(visibleRange(MAX_SCROLL_PX * 2, view, 28, rows, 0).end).toBe(rows);
  });

  it('finds the scroll position of any row, the inverse of visibleRange, scaled or not', () => {
    for (const rows of [1000, 3_000_000, 10_000_000]) {
      for (const index of [0, 1, 12345 % rows, Math.floor(rows / 2), rows - 20]) {
        const r = visibleRange(scrollTopForRow(index, 400, 28, rows), 400, 28, rows, 0);
        expect(r.start).toBe(index);
      }
    }
  });

  it('moves a scaled grid by as many rows per wheel notch as an unscaled one', () => {
    expect(wheelScrollPx(100, 400, 28, 1000)).toBe(100);
    const rows = 10_000_000;
    const from = visibleRange(MAX_SCROLL_PX / 2, 400, 28, rows, 0).start;
    const to = visibleRange(MAX_SCROLL_PX / 2 + wheelScrollPx(28 * 30, 400, 28, rows), 400, 28, rows, 0).start;
    expect(Math.abs(to - from - 30)).toBeLessThanOrEqual(1);
  });

  it('sizes the row-number column for 10,000,000 written out in full', () => {
    expect(rowNumberWidth(10_000_000)).toBeGreaterThanOrEqual('10,000,000'.length * 8 + 20);
    expect(rowNumberWidth(5)).toBe(48);
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
