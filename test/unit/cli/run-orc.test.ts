import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runJobCommand } from '../../../src/cli/run';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';
import type { JobDefinition } from '../../../src/jobs/model';

let engine: Engine;
beforeAll(async () => { engine = await createNodeEngine(); });

const FIXTURES = join(__dirname, '../../fixtures/orc');

describe('epoxy run on ORC files (issue 19: jobs refused ORC)', () => {
  it('a job reads a folder of ORC files (written by pyarrow) through a Sql step into CSV', async () => {
    const root = mkdtempSync(join(tmpdir(), 'epoxy-orc-job-'));
    const data = join(root, 'cities');
    mkdirSync(data);
    copyFileSync(join(FIXTURES, 'strings_stripes.orc'), join(data, 'part-0.orc'));
    copyFileSync(join(FIXTURES, 'strings_stripes_v1.orc'), join(data, 'part-1.orc'));
    const def: JobDefinition = {
      version: 1, name: 'orc', parameters: [], bookmark: 'job-bookmark-disable',
      nodes: [
        { id: 'cities', kind: 'source', source: { type: 'file', path: data, format: 'orc' } },
        { id: 'q', kind: 'transform', inputs: ['cities'], step: { id: 'q', kind: 'Sql', params: { sql: "SELECT coalesce(city, '(null)') AS city, count(*) AS n FROM input GROUP BY 1 ORDER BY 1" } } },
        { id: 'out', kind: 'target', inputs: ['q'], target: { type: 'download', name: 'report', format: 'csv' } },
      ],
    };
    writeFileSync(join(root, 'job.json'), JSON.stringify(def));
    const { result } = await runJobCommand(engine, { jobFile: join(root, 'job.json'), inputs: [`cities=${data}`], args: [], out: join(root, 'out') });
    expect(result.state).toBe('SUCCEEDED');
    // What pyarrow wrote, counted from its expected values (both files hold the same rows).
    const want = JSON.parse(readFileSync(join(FIXTURES, 'strings.json'), 'utf8')) as { rows: (string | null)[][] };
    const counts = new Map<string, number>();
    for (const r of want.rows) counts.set(r[1] ?? '(null)', (counts.get(r[1] ?? '(null)') ?? 0) + 2);
    const csv = [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([c, n]) => `${c === '' ? '""' : c},${n}`);
    expect(readFileSync(join(root, 'out/report/part-00000.csv'), 'utf8').trim().split('\n')).toEqual(['city,n', ...csv]);
  });
});
