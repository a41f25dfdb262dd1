import { describe, expect, it } from 'vitest';
import { RowCache } from '../../../../src/app/grid/row-cache';
import { columnOffsets, visibleColumns } from '../../../../src/app/grid/virtual';
import { PAGE_CELLS, PAGE_ROWS, pageRows } from '../../../../src/engine/paging';

describe('column windowing (issue 21: a 5,000-column CSV put 526,000 nodes in the grid and took 2.2 GB)', () => {
  const widths = Array.from({ length: 5000 }, () => 100);
  const offsets = columnOffsets(widths);

  it('keeps the left edges and the total width', () => {
    expect(Array.from(columnOffsets([96, 120, 80]))).toEqual([0, 96, 216, 296]);
    expect(offsets[5000]).toBe(500_000);
  });

  it('renders a screenful of columns plus overscan, with blanks standing for the rest', () => {
    expect(visibleColumns(0, 1000, offsets, 2)).toEqual({ start: 0, end: 12, leftPx: 0, rightPx: 500_000 - 1200 });
    const mid = visibleColumns(250_050, 1000, offsets, 2);
    // Column 2,500 holds x = 250,050; 2,510 starts at the viewport's right edge (250,050 + 1,000 is inside it).
    expect(mid).toEqual({ start: 2498, end: 2513, leftPx: 249_800, rightPx: 500_000 - 251_300 });
    // Whatever the scroll, blanks + rendered widths are the real width: the scrollbar does not jump.
    for (const x of [0, 123, 250_050, 499_000, 600_000]) {
      const v = visibleColumns(x, 1000, offsets, 2);
      expect(v.leftPx + (offsets[v.end]! - offsets[v.start]!) + v.rightPx).toBe(500_000);
    }
  });

  it('reaches the last column and copes with uneven widths, empty tables and a scroll past the end', () => {
    expect(visibleColumns(499_500, 1000, offsets, 2)).toMatchObject({ end: 5000, rightPx: 0 });
    expect(visibleColumns(10_000_000, 1000, offsets, 0)).toMatchObject({ start: 4999, end: 5000 });
    const uneven = columnOffsets([50, 400, 50, 50, 400]);
    // x 460..560 covers column 2 (450..500), 3 (500..550) and the start of 4 (550..950).
    expect(visibleColumns(460, 100, uneven, 0)).toEqual({ start: 2, end: 5, leftPx: 450, rightPx: 0 });
    expect(visibleColumns(0, 40, uneven, 0)).toEqual({ start: 0, end: 1, leftPx: 0, rightPx: 900 });
    expect(visibleColumns(0, 100, columnOffsets([]), 2)).toEqual({ start: 0, end: 0, leftPx: 0, rightPx: 0 });
  });

  it('sizes pages by values, so a wide page carries as many as a narrow one', () => {
    expect(pageRows(8)).toBe(PAGE_ROWS);
    expect(pageRows(1000)).toBe(PAGE_ROWS);
    expect(pageRows(5000)).toBe(40);
    expect(pageRows(5000) * 5000).toBeLessThanOrEqual(PAGE_CELLS);
    expect(pageRows(10_000_000)).toBe(1);
    expect(pageRows(0)).toBe(PAGE_ROWS);
  });

  it('a preview of one wide page seeds the cache as its first page, and the next page is fetched', async () => {
    const size = pageRows(5000);
    const asked: [number, number][] = [];
    const seed = Array.from({ length: size }, (_, r) => [r]);
    const cache = new RowCache(async (offset, limit) => { asked.push([offset, limit]); return Array.from({ length: limit }, (_, r) => [offset + r]); }, seed, size);
    expect(cache.row(size - 1)).toEqual([size - 1]);
    expect(cache.row(size)).toBeUndefined();
    await cache.ensure(0, size + 5);
    expect(asked).toEqual([[size, size]]);
    expect(cache.row(size + 3)).toEqual([size + 3]);
  });
});
