import type { PlainValue } from '../../engine/values';
import { pagesFor } from './virtual';

/** Fetches rows [offset, offset + limit) of a dataset. */
export type PageFetcher = (offset: number, limit: number) => Promise<PlainValue[][]>;

/**
 * Pages of rows fetched on demand for a virtualized grid. Keeps a bounded number of pages so
 * scrolling through millions of rows does not grow memory without limit.
 */
export class RowCache {
  private readonly pages = new Map<number, PlainValue[][]>();
  private readonly pending = new Set<number>();

  constructor(private readonly fetch: PageFetcher, seed: PlainValue[][] = [], readonly pageSize = 200, private readonly maxPages = 50) {
    // The seed is the first rows of the dataset: a multiple of pageSize long, or the whole dataset.
    for (let p = 0; p * pageSize < seed.length; p++) this.pages.set(p, seed.slice(p * pageSize, (p + 1) * pageSize));
  }

  /** A row if its page is loaded, else undefined. */
  row(index: number): PlainValue[] | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  /** Load the pages covering [start, end); resolves true when anything new arrived. */
  async ensure(start: number, end: number): Promise<boolean> {
    const missing = pagesFor(start, end, this.pageSize).filter((p) => !this.pages.has(p) && !this.pending.has(p));
    if (missing.length === 0) return false;
    await Promise.all(missing.map(async (p) => {
      this.pending.add(p);
      try {
        this.pages.set(p, await this.fetch(p * this.pageSize, this.pageSize));
      } finally {
        this.pending.delete(p);
      }
    }));
    this.evict(Math.floor(start / this.pageSize));
    return true;
  }

  private evict(near: number): void {
    if (this.pages.size <= this.maxPages) return;
    const byDistance = [...this.pages.keys()].sort((a, b) => Math.abs(b - near) - Math.abs(a - near));
    for (const p of byDistance.slice(0, this.pages.size - this.maxPages)) this.pages.delete(p);
  }
}
