import { describe, expect, it } from 'vitest';
import { inputPaths, startCliEngine } from '../../../src/cli/engine';

describe('the CLI\'s engine (issue 21: native DuckDB by default, DuckDB-WASM on request)', () => {
  it('runs native DuckDB on every core by default, on N threads with EPOXY_THREADS, and DuckDB-WASM with EPOXY_ENGINE=wasm', async () => {
    const native = await startCliEngine({}, {});
    expect(native.kind).toBe('native');
    expect(native.query("SELECT current_setting('threads')::INTEGER AS t").rows[0]![0]).toBeGreaterThanOrEqual(1);
    const one = await startCliEngine({}, { EPOXY_THREADS: '1' });
    expect(one.build).toBe('native 1 thread');
    const wasm = await startCliEngine({}, { EPOXY_ENGINE: 'wasm' });
    expect(wasm.kind).toBe('wasm');
    // The same answer from both.
    const sql = "SELECT sum(range)::BIGINT AS s, '2024-02-29'::DATE + INTERVAL 1 YEAR AS d FROM range(1000)";
    expect(native.query(sql)).toMatchObject({ columns: wasm.query(sql).columns, rows: wasm.query(sql).rows });
  });

  it('refuses a misspelled setting instead of guessing', async () => {
    await expect(startCliEngine({}, { EPOXY_ENGINE: 'duckdb' })).rejects.toThrow('EPOXY_ENGINE must be native or wasm, got duckdb');
    await expect(startCliEngine({}, { EPOXY_THREADS: 'all' })).rejects.toThrow('EPOXY_THREADS must be a positive integer, got all');
  });

  it('reads the paths of --input NODE=PATH pairs', () => {
    expect(inputPaths(['orders=data/orders/', 'x=a=b.csv', 'bad='])).toEqual(['data/orders/', 'a=b.csv']);
  });
});
