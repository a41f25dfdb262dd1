import { describe, expect, it } from 'vitest';
import type { Step } from '../../../src/frames/steps';
import { describeLinkSource, describeProposal, describeStep, describeTransform, describeTrigger, proposedPuts, visibleSegments, type Segment } from '../../../src/share/describe';

const step = (kind: string, params: unknown) => ({ id: 's', kind, params }) as Step;
const shown = (segments: Segment[]) => segments.map((s) => s.text).join('');

describe('readable steps on the review page (issue 14: steps were shown as JSON)', () => {
  it('says what each step kind does in one line', () => {
    const cases: [string, unknown, string][] = [
      ['Filter', { predicate: { combine: 'and', conditions: [{ path: 'region', op: '=', value: 'EU' }, { path: 'amount', op: '>', value: 5 }] } }, "Filter: keep records where region = 'EU' and amount > 5"],
      ['Filter', { predicate: { combine: 'or', conditions: [{ path: 'x', op: 'is_null' }, { path: 'tag', op: 'in', value: ['a', "b'c"] }] } }, "Filter: keep records where x is null or tag in ('a', 'b''c')"],
      ['Filter', { predicate: { sql: 'amount > 5' } }, 'Filter: keep records where the SQL condition below is true'],
      ['ApplyMapping', { mappings: [{ source: 'order_id', target: 'id', targetType: 'bigint' }, { source: 'amt', target: 'amount', targetType: 'double' }], stageThreshold: 3 }, 'ApplyMapping: order_id → id (bigint), amt → amount (double) (at most 3 error records here)'],
      ['ResolveChoice', { specs: [{ path: 'price', action: 'cast:double' }] }, 'ResolveChoice: price: cast:double'],
      ['ResolveChoice', { choice: 'match_catalog' }, "ResolveChoice: cast every choice column to the catalog's type"],
      ['SelectFields', { paths: ['a', 'b.c'] }, 'SelectFields: keep only a, b.c'],
      ['DropFields', { paths: ['secret'] }, 'DropFields: drop secret'],
      ['RenameField', { from: 'a', to: 'b' }, 'RenameField: a → b'],
      ['Join', { right: 'x', leftKeys: ['id'], rightKeys: ['order_id'], how: 'left' }, 'Join: left join with customers on id = order_id'],
      ['Union', { other: 'x' }, 'Union: append the records of customers'],
      ['Aggregate', { groupBy: ['region'], aggregations: [{ fn: 'count' , as: 'n' }, { fn: 'sum', path: 'amount', as: 'total' }, { fn: 'count_distinct', path: 'id' }] }, 'Aggregate: group by region; count(*) as n, sum(amount) as total, count(distinct id)'],
      ['FillMissingValues', { path: 'age', strategy: 'constant', value: 0 }, 'FillMissingValues: fill nulls of age with the value 0 into age_filled'],
      ['DropDuplicates', {}, 'DropDuplicates: keep the first of each set of identical records'],
      ['DropNullFields', {}, 'DropNullFields: drop columns that are null in every record'],
      ['Derived', { name: 'is_eu', sql: "region = 'eu'", type: 'boolean' }, 'Derived: add column is_eu (boolean) computed by the SQL expression below'],
      ['Sql', { sql: 'SELECT 1' }, 'Sql: the SQL query below, over its input named input'],
      ['Unbox', { path: 'payload', format: 'json', type: 'struct<a:int>' }, 'Unbox: parse payload as json into struct<a:int>'],
      ['Spigot', { topk: 10 }, 'Spigot: pass everything through and keep a sample of the first 10'],
    ];
    for (const [kind, params, text] of cases) expect(describeStep(step(kind, params), ['orders', 'customers'])).toBe(text);
  });

  it('describes hand-made params without throwing', () => {
    expect(describeStep(step('Filter', { predicate: 'nonsense' }))).toBe('Filter: keep records where no condition (every record passes)');
    expect(describeStep(step('ApplyMapping', { mappings: [null, 7] }))).toBe('ApplyMapping:  →  (),  →  ()');
    expect(describeTransform({ id: 'n', kind: 'transform', inputs: [], step: step('Join', {}) })).toBe('Join: inner join with the second input on no keys');
  });

  it('says what a link source names and what a target proposes, signatures hidden', () => {
    expect(describeLinkSource({ type: 'table', name: 'salaries' })).toBe('a Workspace table called salaries');
    expect(describeLinkSource({ type: 'file', path: 'opfs://private' })).toBe('the workspace folder opfs://private');
    expect(describeLinkSource({ type: 'file', path: 'https://h/x.csv?X-Amz-Signature=abcdef0123456789' })).toBe('the web address https://h/x.csv?X-Amz-Signature=REDACTED');
    expect(describeProposal({ type: 's3', location: 's3://lake/out/', putUrls: '', format: 'csv' })).toBe('S3 bucket lake, key prefix out/');
    expect(describeProposal({ type: 'workspace', path: '/reports//q1/', database: 'sales', table: 't', format: 'csv' })).toBe('the workspace folder opfs://reports/q1 registered as the catalog table sales.t');
    expect(proposedPuts('https://lake.s3.amazonaws.com/out/a.csv?X-Amz-Signature=0123456789abcdef\n\nPUT http://127.0.0.1:9/exfil/b.csv\nnot a url')).toEqual([
      { host: 'lake.s3.amazonaws.com', key: 'lake/out/a.csv', signed: true },
      { host: '127.0.0.1:9', key: 'exfil/b.csv', signed: false },
      { host: '(not a URL)', key: 'not a url', signed: false },
    ]);
  });

  it('describes triggers with their schedule, conditions and arguments', () => {
    expect(describeTrigger({ Name: 't', Type: 'SCHEDULED', Schedule: 'cron(0 2 * * ? *)', Actions: [{ JobName: 'daily', Arguments: { '--day': 'today' } }] })).toBe('on the schedule cron(0 2 * * ? *) → job daily with --day = today');
    expect(describeTrigger({ Name: 't', Type: 'CONDITIONAL', Predicate: { Logical: 'ANY', Conditions: [{ JobName: 'a', State: 'FAILED' }, { CrawlerName: 'c' }] }, Actions: [{ CrawlerName: 'c2' }] })).toBe('when job a is FAILED or crawler c is SUCCEEDED → crawler c2');
  });
});

describe('nothing hides in text from a link (issue 14: 400 spaces pushed "; DROP TABLE" off screen)', () => {
  it('shows a long run of spaces as one visible mark, keeping what follows', () => {
    const segments = visibleSegments(`SELECT * FROM input${' '.repeat(400)}; DROP TABLE salaries`);
    expect(segments).toEqual([
      { kind: 'text', text: 'SELECT * FROM input' },
      { kind: 'mark', text: '␣×400', title: '400 spaces or tabs' },
      { kind: 'text', text: '; DROP TABLE salaries' },
    ]);
  });

  it('keeps ordinary spacing and a blank line, collapses many line breaks and tabs', () => {
    expect(visibleSegments('a = 1\n\nb  c')).toEqual([{ kind: 'text', text: 'a = 1\n\nb  c' }]);
    expect(shown(visibleSegments(`x${'\n'.repeat(50)}; DROP`))).toBe('x\n⏎×50\n; DROP');
    expect(shown(visibleSegments(`x\r\n\r\n\r\n\r\ny`))).toBe('x\n⏎×4\ny');
    expect(shown(visibleSegments('a\t\t\t\u00a0b'))).toBe('a␣×4b');
  });

  it('names invisible and direction-changing characters', () => {
    expect(shown(visibleSegments('SELECT 1 -- \u202e;ELBAT PORD'))).toBe('SELECT 1 -- U+202E;ELBAT PORD');
    expect(shown(visibleSegments('a\u200bb\u0000c\rd\ufeff'))).toBe('aU+200BbU+0000cU+000DdU+FEFF');
  });
});
