import { describe, expect, it } from 'vitest';
import { CancelledError, runPool, type PoolProgress, type PoolWorker } from '../../../src/crawler/pool';

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
      'corrupt.avro: bad bytes in corrupt.avro',
      'bomb.xml: timed out after 200 ms (the worker was replaced)',
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
});
