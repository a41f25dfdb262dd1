import { describe, expect, it } from 'vitest';
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { Catalog } from '../../../src/catalog';
import { formatReport } from '../../../src/cli/crawl';
import { runCrawl } from '../../../src/crawler/crawl';
import { CancelledError, describeFailure, runPool, type PoolProgress, type PoolWorker } from '../../../src/crawler/pool';
import { classifyByteSource } from '../../../src/crawler/classify-file';
import type { ClassifiedFile } from '../../../src/crawler/types';
import { bufferSource, type ByteSource } from '../../../src/sources/byte-source';

interface Job { name: string; size: number; behaviour: 'ok' | 'throw' | 'hang' }

/** An in-process worker: the pool logic is real, the "worker" runs the job on this thread. */
function spawner(log: string[]) {
  let n = 0;
  return (): PoolWorker<Job, string> => {
    const id = ++n;
    let dead = false;
    return {
      run: async (job) => {
        if (dead) throw new Error('dead worker used');
        await new Promise((r) => setTimeout(r, 1));
        if (job.behaviour === 'throw') throw new Error(`bad bytes in ${job.name}`);
        if (job.behaviour === 'hang') return new Promise<string>(() => {});
        return `${job.name}@w${id}`;
      },
      terminate: () => { dead = true; log.push(`terminate w${id}`); },
    };
  };
}

const classify = (s: ByteSource) => classifyByteSource(s, { customClassifiers: [], fullScan: false });

const options = { size: 2, jobTimeoutMs: 200, sizeOf: (j: Job) => j.size, nameOf: (j: Job) => j.name };

describe('worker pool', () => {
  it('runs every job, keeps order, and reports progress up to the total', async () => {
    const jobs: Job[] = Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, size: 10, behaviour: 'ok' }));
    const progress: PoolProgress[] = [];
    const out = await runPool(jobs, spawner([]), { ...options, onProgress: (p) => progress.push(p) });
    expect(out.map((o) => o.ok && o.result.split('@')[0])).toEqual(['f0', 'f1', 'f2', 'f3', 'f4']);
    expect(progress.at(-1)).toMatchObject({ done: 5, total: 5, bytesDone: 50, bytesTotal: 50 });
  });

  it('reports a failing or hanging file, replaces its worker, and finishes the rest', async () => {
    const log: string[] = [];
    const jobs: Job[] = [
      { name: 'good1.csv', size: 1, behaviour: 'ok' },
      { name: 'corrupt.avro', size: 1, behaviour: 'throw' },
      { name: 'bomb.xml', size: 1, behaviour: 'hang' },
      { name: 'good2.csv', size: 1, behaviour: 'ok' },
      { name: 'good3.csv', size: 1, behaviour: 'ok' },
    ];
    const out = await runPool(jobs, spawner(log), options);
    expect(out.map((o) => (o.ok ? 'ok' : o.error))).toEqual([
      'ok',
      'bad bytes in corrupt.avro',
      'timed out after 200 ms (the worker was replaced)',
      'ok',
      'ok',
    ]);
    // 2 lanes + 2 replacements were spawned, and every one of them was terminated at the end.
    expect(log.filter((l) => l.startsWith('terminate')).length).toBe(4);
  });

  it('stops on cancel and kills its workers', async () => {
    const controller = new AbortController();
    const log: string[] = [];
    const jobs: Job[] = Array.from({ length: 50 }, (_, i) => ({ name: `f${i}`, size: 1, behaviour: 'ok' }));
    const run = runPool(jobs, spawner(log), { ...options, signal: controller.signal, onProgress: (p) => { if (p.done === 3) controller.abort(); } });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(log.length).toBeGreaterThanOrEqual(2);
  });

  it('names the file once in a crash report (bug: "t2/data.csv: t2/data.csv: the worker crashed" in the UI and `epoxy crawl`)', async () => {
    expect(describeFailure(new Error('the worker crashed (injected)'), 't2/data.csv')).toBe('the worker crashed (injected)');
    // A reader that already names its file loses the name here, so the report's own path is the only one.
    expect(describeFailure(new Error('t2/data.csv: truncated'), 't2/data.csv')).toBe('truncated');
    expect(describeFailure({ message: 'cloned error' }, 'a.csv')).toBe('cloned error');

    // The whole way: a pool whose first worker dies, a real crawl into a real catalog, the CLI's report text.
    const enc = new TextEncoder();
    const sources = Array.from({ length: 3 }, (_, i) => bufferSource(`t${i}/data.csv`, enc.encode(`id,v\n${i},a\n${i + 1},b\n`), 1_700_000_000_000));
    let spawned = 0;
    const catalog = await Catalog.open({ factory: new IDBFactory(), name: 'pool-crash' });
    const report = await runCrawl({
      crawler: { Name: 'c', DatabaseName: 'crashy', Targets: { EpoxyTargets: [{ Kind: 'folder', Path: 'crashy' }] } },
      sources, rootName: 'crashy', locationPrefix: 'file:///crashy', catalog,
      classify: (jobs, onProgress, signal) => runPool(jobs, (): PoolWorker<ByteSource, ClassifiedFile> => {
        const first = spawned++ === 0;
        return { run: async (s) => { if (first) throw new Error('the worker crashed (injected crash while classifying)'); return classify(s); }, terminate: () => {} };
      }, { size: 1, jobTimeoutMs: 10_000, sizeOf: (s) => s.size, nameOf: (s) => s.path, onProgress, ...(signal ? { signal } : {}) }),
    });
    expect(report.state).toBe('COMPLETED');
    expect(report.failures).toEqual([{ path: 't0/data.csv', error: 'the worker crashed (injected crash while classifying)' }]);
    const text = formatReport(report);
    expect(text).toContain('  ! t0/data.csv: the worker crashed (injected crash while classifying)');
    expect(text.split('t0/data.csv').length - 1).toBe(1);
    expect(report.log.filter((l) => l.includes('t0/data.csv'))).toEqual(['Could not classify t0/data.csv: the worker crashed (injected crash while classifying)']);
    catalog.close();
  });
});
