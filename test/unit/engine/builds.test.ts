import { describe, expect, it } from 'vitest';
import { buildFromWorkerName, canRunCoi } from '../../../src/engine/builds';
import { requestedBuild } from '../../../src/app/engine-client';

describe('DuckDB build choice (issue 21 goal 6)', () => {
  it('runs coi only when cross-origin isolated with SharedArrayBuffer', () => {
    expect(canRunCoi({ crossOriginIsolated: true, SharedArrayBuffer })).toBe(true);
    expect(canRunCoi({ crossOriginIsolated: false, SharedArrayBuffer })).toBe(false);
    expect(canRunCoi({ crossOriginIsolated: true })).toBe(false);
    expect(canRunCoi({})).toBe(false);
  });

  it('reads the build an engine worker is named for, eh when none', () => {
    expect(buildFromWorkerName('epoxy-engine:coi')).toBe('coi');
    expect(buildFromWorkerName('epoxy-run:auto')).toBe('auto');
    expect(buildFromWorkerName('epoxy-engine:eh')).toBe('eh');
    expect(buildFromWorkerName('epoxy-engine')).toBe('eh');
    expect(buildFromWorkerName('epoxy-engine:coi2')).toBe('eh');
  });

  it('asks for coi only when the address says ?duckdb=coi or auto', () => {
    expect(requestedBuild('')).toBe('eh');
    expect(requestedBuild('?duckdb=coi')).toBe('coi');
    expect(requestedBuild('?x=1&duckdb=auto')).toBe('auto');
    expect(requestedBuild('?duckdb=fast')).toBe('eh');
  });
});
