import { describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../../src/engine/node';
import { StartClock } from '../../../src/engine/start-clock';
import { createEngineService } from '../../../src/service/engine-service';
import { lazyService } from '../../../src/service/lazy-service';

describe('the engine start breakdown', () => {
  it('init() reports the phases the start recorded, in order and each ending after it starts', async () => {
    const clock = new StartClock();
    const service = createEngineService(async () => {
      const engine = await clock.time('instantiate', () => createNodeEngine());
      clock.add('open', performance.timeOrigin + performance.now());
      return engine;
    }, undefined, clock);
    const info = await service.init();
    expect(info.phases.map((p) => p.name)).toEqual(['instantiate', 'open']);
    for (const p of info.phases) expect(p.end).toBeGreaterThanOrEqual(p.start);
    expect(info.phases[0]!.end - info.phases[0]!.start).toBeGreaterThan(0);
    expect((await service.query('SELECT 42 AS answer')).rows).toEqual([[42]]);
  });

  it('a phase that fails is still recorded, and the failure reaches the caller', async () => {
    const clock = new StartClock();
    await expect(clock.time('fetch wasm', () => Promise.reject(new Error('HTTP 404')))).rejects.toThrow('HTTP 404');
    expect(clock.phases.map((p) => p.name)).toEqual(['fetch wasm']);
  });

  it('without a clock init() reports no phases (the CLI and the tests start engines that way)', async () => {
    const engine = await createNodeEngine();
    expect((await createEngineService(() => Promise.resolve(engine)).init()).phases).toEqual([]);
  });
});

describe('lazyService (the engine worker exposes it before its real service has loaded)', () => {
  it('a call made before the service exists waits for it and gets its answer', async () => {
    interface Adder { add(a: number, b: number): Promise<number> }
    let resolve: (s: Adder) => void = () => {};
    const api = lazyService<Adder>(new Promise<Adder>((r) => { resolve = r; }));
    const early = api.add(2, 3);
    resolve({ add: async (a, b) => a + b });
    expect(await early).toBe(5);
  });

  it('is not thenable, and an operation the service lacks is refused by name', async () => {
    const api = lazyService<Record<string, () => Promise<unknown>>>(Promise.resolve({}));
    expect((api as { then?: unknown }).then).toBeUndefined();
    await expect(api.dropEverything!()).rejects.toThrow('the engine has no operation "dropEverything"');
  });

  it('a service that failed to load fails every call with its error', async () => {
    const api = lazyService<{ query(): Promise<unknown> }>(Promise.reject(new Error('DuckDB could not start')));
    await expect(api.query()).rejects.toThrow('DuckDB could not start');
  });
});
