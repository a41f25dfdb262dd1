import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { Catalog, type Crawler, type Table } from '../../../src/catalog';
import { runCrawl, type CrawlReport } from '../../../src/crawler/crawl';
import { inProcessClassifier } from '../../../src/crawler/in-process';
import { bufferSource } from '../../../src/sources/byte-source';
import { buildHostileCorpus, type CorpusCase, type Outcome } from '../../support/hostile-corpus';
import { writeFigures } from '../../support/figures';

/**
 * Per-file bound: the pool abandons a file after this long. An outcome check, not a performance assert:
 * the slowest file takes about a second here, so only a hang (or a real regression to minutes) trips it.
 */
const FILE_TIMEOUT_MS = 30_000;
/** Generous bound on memory a single hostile file may add to the process (10 MB lines, 1 GiB gzip bomb). */
const MEMORY_BOUND_BYTES = 512 * 1024 * 1024;

const crawler: Crawler = {
  Name: 'hostile_crawler', DatabaseName: 'hostile', Targets: { EpoxyTargets: [{ Kind: 'folder', Path: 'corpus' }] },
  SchemaChangePolicy: { UpdateBehavior: 'UPDATE_IN_DATABASE', DeleteBehavior: 'DEPRECATE_IN_DATABASE' },
};

const used = () => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };

interface FileFigure { path: string; ms: number; retainedBytes: number; outcome: Outcome }

/**
 * Crawl the corpus with the real classifiers and pool (one lane, so each progress tick closes exactly one
 * file: the time and memory between ticks belong to that file).
 */
async function crawlCorpus(cases: CorpusCase[], fullScan: boolean): Promise<{ report: CrawlReport; files: Map<string, FileFigure>; tables: Table[]; peakBytes: number; baseline: number }> {
  const catalog = await Catalog.open({ factory: new IDBFactory(), name: `hostile-${fullScan}` });
  const ticks: { at: number; mem: number }[] = [];
  const baseline = used();
  let peakBytes = baseline;
  const started = performance.now();
  const report = await runCrawl({
    crawler: { ...crawler, Epoxy: { fullScan } }, sources: cases.map((c) => bufferSource(c.path, c.bytes, 1_700_000_000_000)), rootName: 'corpus', locationPrefix: 'file:///corpus', catalog,
    classify: inProcessClassifier({ customClassifiers: [], fullScan }, 1, FILE_TIMEOUT_MS),
    onProgress: (p) => {
      if (p.phase !== 'classifying') return;
      const mem = used();
      peakBytes = Math.max(peakBytes, mem);
      ticks[p.done - 1] = { at: performance.now(), mem };
    },
  });
  const failed = new Set(report.failures.map((f) => f.path));
  const files = new Map(cases.map((c, i) => {
    const before = i === 0 ? { at: started, mem: baseline } : ticks[i - 1]!;
    const after = ticks[i]!;
    return [c.path, { path: c.path, ms: after.at - before.at, retainedBytes: after.mem - before.mem, outcome: failed.has(c.path) ? 'failure' : 'table' } satisfies FileFigure];
  }));
  const tables = await catalog.getTables('hostile');
  catalog.close();
  return { report, files, tables, peakBytes, baseline };
}

/** A message a user can act on: says something, and is not an internal error's text or a stack. */
const specific = (error: string) => error.length > 10 && !/\bundefined\b|\[object |is not a function|\n\s+at |^Error$/.test(error);

describe('a crawl of 500+ malformed and hostile files completes and loses nothing', async () => {
  const { cases, controls } = await buildHostileCorpus();

  for (const fullScan of [false, true]) {
    it(`${fullScan ? 'full scan' : 'sampled'}: every file is in a table or reported, controls come out exactly, time and memory bounded`, async () => {
      expect(cases.length).toBeGreaterThanOrEqual(500);
      const started = performance.now();
      const { report, files, tables, peakBytes, baseline } = await crawlCorpus(cases, fullScan);
      const totalMs = performance.now() - started;

      expect(report.state, report.error).toBe('COMPLETED');
      expect(report.error).toBeUndefined();
      // Nothing lost: every file is classified or listed once in the failures, each with a specific message.
      expect(report.filesClassified + report.failures.length).toBe(cases.length);
      expect(new Set(report.failures.map((f) => f.path)).size).toBe(report.failures.length);
      for (const f of report.failures) expect(specific(f.error), `${f.path}: ${f.error}`).toBe(true);
      expect(report.failures.filter((f) => /timed out/.test(f.error))).toEqual([]);
      for (const c of cases) expect(c.accept, `${c.path} came out as ${files.get(c.path)!.outcome}`).toContain(files.get(c.path)!.outcome);

      // Every classified file lies under a table's location (its folder, or itself for a one-file table).
      const locations = tables.map((t) => t.StorageDescriptor!.Location!.replace('file:///corpus', '').replace(/^\//, ''));
      for (const c of cases.filter((x) => files.get(x.path)!.outcome === 'table')) {
        expect(locations.some((l) => l === '' || c.path === l || c.path.startsWith(`${l}/`)), c.path).toBe(true);
      }
      for (const control of controls) {
        const table = tables.find((t) => t.Name === control.table);
        expect(table, control.table).toBeDefined();
        expect(table!.StorageDescriptor!.Columns).toEqual(control.columns);
        expect(table!.Parameters!['objectCount']).toBe(String(control.files));
      }

      const heavy = cases.filter((c) => c.heavy).map((c) => files.get(c.path)!);
      for (const h of heavy) expect(h.retainedBytes, h.path).toBeLessThan(MEMORY_BOUND_BYTES);
      expect(peakBytes - baseline).toBeLessThan(MEMORY_BOUND_BYTES);

      const byFamily = new Map<string, { attacks: string[]; cases: number; tables: number; failures: number; slowestMs: number; example?: string }>();
      const errorOf = new Map(report.failures.map((f) => [f.path, f.error]));
      for (const c of cases) {
        const f = files.get(c.path)!;
        const fam = byFamily.get(c.family) ?? { attacks: [], cases: 0, tables: 0, failures: 0, slowestMs: 0 };
        if (!fam.attacks.includes(c.attack)) fam.attacks.push(c.attack);
        fam.example ??= errorOf.get(c.path);
        fam.cases++;
        fam[f.outcome === 'table' ? 'tables' : 'failures']++;
        fam.slowestMs = Math.max(fam.slowestMs, Math.round(f.ms));
        byFamily.set(c.family, fam);
      }
      const slowest = [...files.values()].sort((a, b) => b.ms - a.ms).slice(0, 5).map((f) => ({ path: f.path, ms: Math.round(f.ms) }));
      writeFigures(`corpus-${fullScan ? 'full-scan' : 'sampled'}`, {
        mode: fullScan ? 'full scan' : 'sampled (Glue budgets)',
        cases: cases.length,
        hostile: cases.filter((c) => c.family !== 'control').length,
        controls: cases.filter((c) => c.family === 'control').length,
        bytes: cases.reduce((n, c) => n + c.bytes.length, 0),
        tablesWritten: tables.length,
        filesInTables: report.filesClassified,
        failures: report.failures.length,
        distinctMessages: new Set(report.failures.map((f) => f.error.replace(/\d+/g, 'N'))).size,
        crawlMs: Math.round(totalMs),
        fileTimeoutMs: FILE_TIMEOUT_MS,
        slowest,
        heavy: heavy.map((h) => ({ path: h.path, ms: Math.round(h.ms), retainedMB: +(h.retainedBytes / 1048576).toFixed(1) })),
        peakAboveBaselineMB: +((peakBytes - baseline) / 1048576).toFixed(1),
        memoryBoundMB: MEMORY_BOUND_BYTES / 1048576,
        families: Object.fromEntries(byFamily),
      });
    });
  }
});
