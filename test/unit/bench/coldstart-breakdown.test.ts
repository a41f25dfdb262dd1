import { describe, expect, it } from 'vitest';
import { breakdownTable } from '../../../bench/suites/coldstart';

const visit = (compileEnd: number) => ({
  firstPaint: 40, ready: 900, firstQuery: 910, controlled: true,
  marks: { 'app-script': 10, 'engine-worker-created': 11, 'app-mounted': 120, 'engine-ready': 895 },
  phases: [{ name: 'duckdb wasm download + compile (streaming)', start: 30, end: compileEnd }, { name: 'db.open', start: 700, end: 800 }],
});

describe('cold start breakdown table', () => {
  it('lists the page marks and every worker phase with median start, end and duration, per visit kind', () => {
    const lines = breakdownTable([visit(300), visit(500), visit(400)], [visit(200)]);
    expect(lines).toContain('| worker: duckdb wasm download + compile (streaming) | 30 → 400 (370) | 30 → 200 (170) |');
    expect(lines).toContain('| worker: db.open | 700 → 800 (100) | 700 → 800 (100) |');
    expect(lines).toContain('| page: first contentful paint | at 40 | at 40 |');
    expect(lines).toContain('| page: engine ready (init answered) | at 895 | at 895 |');
  });

  it('a phase a visit did not record shows as a dash, not as NaN', () => {
    const old = { ...visit(300), marks: {}, phases: [] };
    const lines = breakdownTable([old], [visit(200)]);
    expect(lines).toContain('| page: app mounted | — | at 120 |');
    expect(lines).toContain('| worker: db.open | — | 700 → 800 (100) |');
  });
});
