import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { IDBFactory } from 'fake-indexeddb';
import { beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';
import { createEngineService } from '../../../src/service/engine-service';
import type { JobDefinition, SourceSpec, TargetSpec } from '../../../src/jobs/model';
import { executeJob, type JobRunEnv } from '../../../src/jobs/run';
import { parseType } from '../../../src/schema/types';
import { matchInput } from '../../../src/share/pipeline';
import {
  bindSharedJob, BindingError, decideDestination, describeBinding, initialChoice, inScope, runScope, scopedCatalog, usedColumns,
  type Destination, type DestinationChoice, type InputBinding,
} from '../../../src/share/review';

const LINK_SOURCES: SourceSpec[] = [
  { type: 'table', name: 'salaries' },
  { type: 'file', path: 'opfs://private' },
  { type: 'file', path: 'dropped://shop/orders', delimiter: ';' },
  { type: 'file', path: 'http://127.0.0.1:9/leak.csv' },
  { type: 'catalog', database: 'hr', table: 'payroll' },
];
const LINK_TARGETS: TargetSpec[] = [
  { type: 's3', location: 's3://exfil/out', putUrls: 'http://127.0.0.1:9/exfil/part-00000.csv?X-Amz-Signature=evil', format: 'csv' },
  { type: 'workspace', path: 'private', database: 'default', table: 'stolen', format: 'parquet', partitionBy: ['region'] },
  { type: 'download', name: '../../etc', format: 'ndjson' },
];
const LINK_WORDS = ['salaries', 'private', 'shop/orders', '127.0.0.1', 'payroll', 'exfil', 'stolen', 'evil', '../../etc'];

function linkJob(sources: SourceSpec[], targets: TargetSpec[]): JobDefinition {
  return {
    version: 1, name: 'shared', parameters: [{ name: 'p', default: 'v' }], bookmark: 'job-bookmark-enable', maxRetries: 9,
    nodes: [
      ...sources.map((source, i) => ({ id: `s${i}`, kind: 'source' as const, source })),
      { id: 'f', kind: 'transform', inputs: ['s0'], step: { id: 'x', kind: 'Filter', params: { predicate: { combine: 'and', conditions: [{ path: 'region', op: '=', value: 'eu' }] } } } },
      ...targets.map((target, i) => ({ id: `t${i}`, kind: 'target' as const, inputs: ['f'], target })),
    ],
    ...({ extra: { source: { type: 'table', name: 'salaries' } } } as object),
  };
}

const mine = (i: number): InputBinding => (i % 3 === 0
  ? { kind: 'files', location: `dropped://shared-s${i}-1`, label: '1 dropped item', files: [{ path: 'mine.csv', size: 10 }] }
  : i % 3 === 1 ? { kind: 'workspace-table', table: 'mine', location: `handed://s${i}`, fileName: 'mine.parquet' }
    : { kind: 'catalog', database: 'me', table: 'orders', location: 'dropped://me/orders' });

describe('binding a shared job to what the user supplies (issue 14: sources read what the link named)', () => {
  it('replaces every source and target: no source, path, table or URL of the link survives', () => {
    fc.assert(fc.property(
      fc.array(fc.constantFrom(...LINK_SOURCES), { minLength: 1, maxLength: 5 }),
      fc.array(fc.constantFrom(...LINK_TARGETS), { minLength: 1, maxLength: 3 }),
      (sources, targets) => {
        const def = linkJob(sources, targets);
        const bindings = Object.fromEntries(sources.map((_, i) => [`s${i}`, mine(i)]));
        const destinations: Record<string, Destination> = Object.fromEntries(targets.map((_, i) => [`t${i}`, i % 2 ? { kind: 'download' } : { kind: 'workspace', path: 'mine/out' }]));
        const bound = bindSharedJob(def, bindings, destinations);
        const text = JSON.stringify(bound);
        for (const word of LINK_WORDS) expect(text).not.toContain(word);
        bound.nodes.forEach((n, i) => {
          if (n.kind === 'source') {
            const b = bindings[n.id]!;
            expect(n.source).toMatchObject(b.kind === 'catalog' ? { type: 'catalog', database: 'me', table: 'orders' } : { type: 'file', path: b.location });
          } else if (n.kind === 'transform') expect(n.step).toEqual(def.nodes[i]!.kind === 'transform' ? (def.nodes[i] as { step: unknown }).step : null);
        });
        expect(bound.bookmark).toBe('job-bookmark-disable');
      },
    ), { numRuns: 100 });
  });

  it('keeps the format and partitioning of a target, and the CSV options of a file source', () => {
    const bound = bindSharedJob(linkJob([LINK_SOURCES[2]!], [LINK_TARGETS[1]!]), { s0: mine(0) }, { t0: { kind: 'download' } });
    expect(bound.nodes[0]).toEqual({ id: 's0', kind: 'source', source: { type: 'file', path: 'dropped://shared-s0-1', delimiter: ';' } });
    expect(bound.nodes.at(-1)).toEqual({ id: 't0', kind: 'target', inputs: ['f'], target: { type: 'download', name: 't0', format: 'parquet', partitionBy: ['region'] } });
  });

  it('throws for an unbound source, an undecided target and a destination using ${…}', () => {
    const def = linkJob([LINK_SOURCES[0]!, LINK_SOURCES[1]!], [LINK_TARGETS[0]!]);
    expect(() => bindSharedJob(def, { s0: mine(0) }, { t0: { kind: 'download' } })).toThrow(new BindingError('Input s1 has nothing to read: drop files on it or pick one of your tables'));
    expect(() => bindSharedJob(def, { s0: mine(0), s1: mine(1) }, {})).toThrow('Output t0 has no destination chosen');
    expect(() => bindSharedJob(def, { s0: mine(0), s1: mine(1) }, { t0: { kind: 'workspace', path: 'out/${p}' } })).toThrow('cannot use ${…} parameters');
    // Inherited names are no bindings.
    expect(() => bindSharedJob({ ...def, nodes: [{ id: 'toString', kind: 'source', source: LINK_SOURCES[0]! }] }, {}, {})).toThrow(BindingError);
  });

  it('scopes the run to the bound locations and confirmed registrations', async () => {
    const bindings = { s0: mine(0), s1: mine(2) };
    const bound = bindSharedJob(linkJob([LINK_SOURCES[0]!, LINK_SOURCES[4]!], [LINK_TARGETS[1]!]), bindings, { t0: { kind: 'workspace', path: 'mine/out', register: { database: 'me', table: 'result' } } });
    const scope = runScope(bound, bindings);
    expect(scope.reads).toEqual(['dropped://shared-s0-1', 'dropped://me/orders']);
    expect(inScope(scope, 'dropped://me/orders/day=1/a.csv')).toBe(true);
    expect(inScope(scope, 'dropped://me/orders_secret')).toBe(false);
    expect(inScope(scope, 'opfs://private')).toBe(false);

    const catalog = await Catalog.open({ factory: new IDBFactory() });
    await catalog.commit([{ op: 'ensureDatabase', database: { Name: 'me' } }, { op: 'ensureDatabase', database: { Name: 'hr' } },
      { op: 'createTable', databaseName: 'me', table: { Name: 'orders', StorageDescriptor: { Location: 'dropped://me/orders' } } },
      { op: 'createTable', databaseName: 'hr', table: { Name: 'payroll', StorageDescriptor: { Location: 'dropped://hr/payroll' } } }]);
    const scoped = scopedCatalog(catalog, scope);
    expect((await scoped.getTable('me', 'orders')).Name).toBe('orders');
    await expect(scoped.getTable('hr', 'payroll')).rejects.toThrow('This run may read only the tables you picked, not hr.payroll');
    await expect(scoped.commit([{ op: 'deleteTable', databaseName: 'hr', name: 'payroll' }])).rejects.toThrow('it tried a deleteTable');
    await expect(scoped.commit([{ op: 'putTable', databaseName: 'hr', table: { Name: 'payroll' } }])).rejects.toThrow('only register the tables you confirmed');
    await scoped.commit([{ op: 'ensureDatabase', database: { Name: 'me' } }, { op: 'putTable', databaseName: 'me', table: { Name: 'result' } }]);
    expect((await catalog.getTable('me', 'result')).Name).toBe('result');
    expect((await catalog.getTable('hr', 'payroll')).StorageDescriptor?.Location).toBe('dropped://hr/payroll');
    catalog.close();
  });

  it('says exactly what each binding reads', () => {
    expect(describeBinding({ kind: 'files', location: 'dropped://x', label: '', files: [{ path: 'a.csv', size: 1000 }, { path: 'b.csv', size: 300 }] })).toBe('2 files (1.3 KB) you dropped: a.csv, b.csv');
    expect(describeBinding(mine(1))).toBe('your Workspace table mine, handed to the run as a copy (mine.parquet)');
    expect(describeBinding({ kind: 'catalog', database: 'me', table: 't', location: 'https://h/t/?X-Amz-Signature=0123456789abcdef' })).toBe('your catalog table me.t, at https://h/t/?X-Amz-Signature=REDACTED');
  });
});

describe('checking a supplied input against what the steps use (issue 14: a wrong file was accepted when the link declared no columns)', () => {
  const f = (name: string, type: string) => ({ name, type: parseType(type) });
  const def = linkJob([LINK_SOURCES[0]!, LINK_SOURCES[1]!], [LINK_TARGETS[1]!]);
  def.nodes.push({ id: 'j', kind: 'transform', inputs: ['f', 's1'], step: { id: 'j', kind: 'Join', params: { right: '', leftKeys: ['id'], rightKeys: ['`order.id`'] } } });

  it('finds the columns the steps name for each source', () => {
    expect(usedColumns(def, 's0')).toEqual(['region']);
    expect(usedColumns(def, 's1')).toEqual(['order.id']);
    expect(usedColumns(def, 'f')).toEqual(['region', 'id']); // the target's partition column, then the Join's left key
  });

  it('refuses a supplied input missing a used column, and says the link declares none', () => {
    const m = matchInput([], [f('name', 'string')], ['region']);
    expect(m.errors).toEqual(['missing column region (the steps use it)']);
    expect(m.notes).toEqual(['The link does not say which columns it expects: only the columns its steps name (region) were checked.']);
    expect(matchInput([], [f('REGION', 'string')], ['region']).errors).toEqual([]);
    expect(matchInput([{ Name: 'region', Type: 'string' }], [f('x', 'string')], ['region']).errors).toEqual(['missing column region (string)']);
  });
});

describe('deciding a destination (issue 14: a link decided where results went)', () => {
  const s3: TargetSpec = LINK_TARGETS[0]!;
  const ws: TargetSpec = LINK_TARGETS[1]!;
  const choice = (spec: TargetSpec, patch: Partial<DestinationChoice>) => ({ ...initialChoice(spec, 'shared/x'), ...patch });

  it('defaults to a download, never filling in the link\'s URLs or registration', () => {
    expect(initialChoice(s3, 'shared/x')).toMatchObject({ mode: 'download', putUrls: '', register: false });
    expect(initialChoice(ws, 'shared/x')).toMatchObject({ mode: 'download', path: 'private', register: false, database: 'default', table: 'stolen' });
    expect(decideDestination(s3, initialChoice(s3, 'x')).destination).toEqual({ kind: 'download' });
  });

  it('takes S3 only with URLs the user pasted', () => {
    expect(decideDestination(s3, choice(s3, { mode: 's3' })).problems).toEqual(['paste your own presigned PUT URLs (one per output file)']);
    expect(decideDestination(s3, choice(s3, { mode: 's3', putUrls: 'not a url' })).problems).toEqual(['not a URL: not a url']);
    expect(decideDestination(s3, choice(s3, { mode: 's3', putUrls: 'https://mine.s3.amazonaws.com/a.csv?X-Amz-Signature=x' })).destination).toEqual({ kind: 's3', location: 's3://exfil/out', putUrls: 'https://mine.s3.amazonaws.com/a.csv?X-Amz-Signature=x' });
    expect(decideDestination(ws, choice(ws, { mode: 's3', putUrls: 'https://x/y' })).problems).toEqual(['this output proposes no S3 location']);
  });

  it('never replaces an existing folder or table without the confirmation that names it', () => {
    expect(decideDestination(ws, choice(ws, { mode: 'workspace' })).problems).toEqual(['checking whether opfs://private exists…']);
    expect(decideDestination(ws, choice(ws, { mode: 'workspace', existingFiles: 12 })).problems).toEqual(['opfs://private already holds 12 files of yours: tick "replace opfs://private (12 files)" or choose another folder']);
    expect(decideDestination(ws, choice(ws, { mode: 'workspace', existingFiles: 12, confirmReplaceFolder: true })).destination).toEqual({ kind: 'workspace', path: 'private' });
    expect(decideDestination(ws, choice(ws, { mode: 'workspace', existingFiles: 0, register: true, existingTable: true })).problems).toEqual(['you already have the table default.stolen: tick "replace table default.stolen" or choose another name']);
    expect(decideDestination(ws, choice(ws, { mode: 'workspace', existingFiles: 0, register: true, existingTable: true, confirmReplaceTable: true })).destination).toEqual({ kind: 'workspace', path: 'private', register: { database: 'default', table: 'stolen' } });
    expect(decideDestination(ws, choice(ws, { mode: 'workspace', path: 'a/../b', existingFiles: 0 })).problems).toEqual(['a workspace folder cannot contain . or ..']);
  });
});

describe('a bound job at run time', () => {
  let engine: Engine;
  beforeAll(async () => { engine = await createNodeEngine(); });

  it('lists only the bound location and writes only the decided target (issue 14: a link read opfs://private and PUT to its URL)', async () => {
    const def = linkJob([{ type: 'file', path: 'opfs://private' }], [LINK_TARGETS[0]!]);
    const binding: InputBinding = { kind: 'files', location: 'dropped://shared-s0-1', label: '', files: [{ path: 'mine.csv', size: 0 }] };
    const bound = bindSharedJob(def, { s0: binding }, { t0: { kind: 'download' } });
    const listed: string[] = [];
    const written: TargetSpec[] = [];
    const env: JobRunEnv = {
      engine: createEngineService(() => Promise.resolve(engine)),
      async listFiles(location) {
        listed.push(location);
        const bytes = new TextEncoder().encode('id,region\n1,eu\n2,us\n');
        return [{ path: 'mine.csv', size: bytes.length, data: { kind: 'buffer', bytes } }];
      },
      async writeFiles(node) { written.push(node.target); return 'download://t0'; },
    };
    const result = await executeJob(bound, env);
    expect(result.state).toBe('SUCCEEDED');
    expect(result.rowsWritten).toBe(1);
    expect(listed).toEqual(['dropped://shared-s0-1']);
    expect(written).toEqual([{ type: 'download', name: 't0', format: 'csv' }]);
  });
});

describe('dry check of a shared job against the bound columns (issue 15 #7: a wrong file was accepted and failed only at Run)', () => {
  let engine: Engine;
  beforeAll(async () => { engine = await createNodeEngine(); });
  const schema = (text: string) => (parseType(`struct<${text}>`) as { fields: import('../../../src/schema/types').StructField[] }).fields;
  const sqlJob = (sql: string, extra: JobDefinition['nodes'] = []): JobDefinition => ({
    version: 1, name: 'totals', bookmark: 'job-bookmark-disable', parameters: [{ name: 'min', default: '3' }],
    nodes: [
      { id: 'orders', kind: 'source', source: { type: 'file', path: 'data/orders.csv' } },
      { id: 'by_region', kind: 'transform', inputs: ['orders'], step: { id: 'by_region', kind: 'Sql', params: { sql } } },
      ...extra,
      { id: 'out', kind: 'target', inputs: [extra.at(-1)?.id ?? 'by_region'], target: { type: 'download', format: 'csv' } },
    ],
  });

  it('a file without the column only a Sql step names is refused at that step, with the columns the file has', async () => {
    const { dryCheckJob } = await import('../../../src/share/review');
    const service = createEngineService(() => Promise.resolve(engine));
    const def = sqlJob('SELECT region, sum(amount) AS total FROM input WHERE amount >= ${min} GROUP BY region');
    const penguins = schema('species:string,island:string,bill_length_mm:double');
    expect(await dryCheckJob(service, def, { orders: penguins })).toEqual([
      { nodeId: 'by_region', column: 'amount', message: 'its SQL uses a column amount that its input does not have (it has species, island, bill_length_mm)' },
    ]);
    expect(await dryCheckJob(service, def, { orders: schema('id:bigint,region:string,amount:double') })).toEqual([]);
  });

  it('checks a Derived expression after the SQL, follows the schema SQL produced, and computes nothing', async () => {
    const { dryCheckJob } = await import('../../../src/share/review');
    const service = createEngineService(() => Promise.resolve(engine));
    const derived = { id: 'ratio', kind: 'transform' as const, inputs: ['by_region'], step: { id: 'ratio', kind: 'Derived' as const, params: { name: 'share', sql: 'total / weight' } } };
    const def = sqlJob('SELECT region, sum(amount) AS total FROM input GROUP BY region', [derived]);
    const problems = await dryCheckJob(service, def, { orders: schema('region:string,amount:double') });
    expect(problems).toEqual([{ nodeId: 'ratio', column: 'weight', message: 'its SQL uses a column weight that its input does not have (it has region, total)' }]);
    // A query over ten billion rows binds, and LIMIT 0 means it is never computed.
    const bomb = sqlJob('SELECT count(*) AS n FROM input, range(10000000000) r');
    expect(await dryCheckJob(service, bomb, { orders: schema('region:string') })).toEqual([]);
    // An input with no schema yet leaves its steps unchecked (the run will tell).
    expect(await dryCheckJob(service, def, {})).toEqual([]);
  });
});
