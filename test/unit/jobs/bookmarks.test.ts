import { describe, expect, it } from 'vitest';
import { advanceBookmark, emptyBookmark, resetBookmark, rewindBookmark, selectFiles, type FileMark } from '../../../src/jobs/bookmarks';

const f = (path: string, size = 10, lastModified = 1, etag?: string): FileMark => ({ path, size, lastModified, etag });
const paths = (xs: FileMark[]) => xs.map((x) => x.path);

describe('job bookmarks', () => {
  it('makes a second run process only new or changed files', () => {
    let bm = emptyBookmark('daily');
    const day1 = [f('a.csv'), f('b.csv')];
    expect(paths(selectFiles('job-bookmark-enable', bm, 'src0', day1).read)).toEqual(['a.csv', 'b.csv']);
    bm = advanceBookmark('job-bookmark-enable', bm, 'run-1', { src0: day1 });
    const day2 = [f('a.csv'), f('b.csv', 11), f('c.csv')];
    const second = selectFiles('job-bookmark-enable', bm, 'src0', day2);
    expect(paths(second.read)).toEqual(['b.csv', 'c.csv']);
    expect(paths(second.skipped)).toEqual(['a.csv']);
  });

  it('prefers ETags when both sides have them', () => {
    const bm = advanceBookmark('job-bookmark-enable', emptyBookmark('j'), 'r1', { s: [f('x', 1, 1, 'e1')] });
    expect(paths(selectFiles('job-bookmark-enable', bm, 's', [f('x', 1, 99, 'e1')]).read)).toEqual([]);
    expect(paths(selectFiles('job-bookmark-enable', bm, 's', [f('x', 1, 1, 'e2')]).read)).toEqual(['x']);
  });

  it('pause reads incrementally without moving; disable reads all and never moves', () => {
    const bm = advanceBookmark('job-bookmark-enable', emptyBookmark('j'), 'r1', { s: [f('a')] });
    expect(paths(selectFiles('job-bookmark-pause', bm, 's', [f('a'), f('b')]).read)).toEqual(['b']);
    expect(advanceBookmark('job-bookmark-pause', bm, 'r2', { s: [f('b')] })).toBe(bm);
    expect(paths(selectFiles('job-bookmark-disable', bm, 's', [f('a'), f('b')]).read)).toEqual(['a', 'b']);
    expect(advanceBookmark('job-bookmark-disable', bm, 'r2', { s: [f('b')] })).toBe(bm);
  });

  it('keeps sources apart by transformation_ctx', () => {
    const bm = advanceBookmark('job-bookmark-enable', emptyBookmark('j'), 'r1', { orders: [f('a')] });
    expect(paths(selectFiles('job-bookmark-enable', bm, 'customers', [f('a')]).read)).toEqual(['a']);
  });

  it('resets and rewinds to the state after an earlier run', () => {
    let bm = emptyBookmark('j');
    bm = advanceBookmark('job-bookmark-enable', bm, 'r1', { s: [f('a')] });
    bm = advanceBookmark('job-bookmark-enable', bm, 'r2', { s: [f('b')] });
    bm = advanceBookmark('job-bookmark-enable', bm, 'r3', { s: [f('c')] });
    const back = rewindBookmark(bm, 'r1');
    expect(back.runId).toBe('r1');
    expect(paths(selectFiles('job-bookmark-enable', back, 's', [f('a'), f('b'), f('c')]).read)).toEqual(['b', 'c']);
    expect(() => rewindBookmark(bm, 'r9')).toThrow('The bookmark of j has no state after run r9');
    expect(paths(selectFiles('job-bookmark-enable', resetBookmark(bm), 's', [f('a')]).read)).toEqual(['a']);
  });
});
