/**
 * The text and date kinds' edge values on native DuckDB (@duckdb/node-api, with ICU and the machine's time zone):
 * the DuckDB SQL export of each step gives the tab's rows. Offsets, epochs and doubles are where the WASM build
 * (no ICU) and native DuckDB could differ.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import type { Step } from '../../../../src/frames/steps';
import type { JobDefinition } from '../../../../src/jobs/model';
import { expectDuckParity } from '../../../support/duck-parity';

const file = join(mkdtempSync(join(tmpdir(), 'epoxy-text-duck-')), 'edge.json');
writeFileSync(file, [
  { txt: '2022-11-02T14:40:59.915Z', secs: 1700000000, fsecs: 1.5, tags: 'a,b,,c,', name: '2023-01-05T10', pat: 'Jan 5 2012 10:30 PM' },
  { txt: '2022-11-02T14:40:59+02:00', secs: 0, fsecs: -0.000001, tags: '', name: 'bob', pat: 'feb 29 2012 12:00 am' },
  { txt: '2022-11-02 14:40:59.123456-0530', secs: -62135596800, fsecs: 1700000000.1234567, tags: null, name: null, pat: 'Dec 31 1999 11:59 PM' },
  { txt: '2022-11-02', secs: 86399, fsecs: 1e20, tags: 'x.y|z', name: 'x 2024-03-07 y', pat: null },
  { txt: '2022-11-02T14:40', secs: null, fsecs: null, tags: ',', name: 'e', pat: 'Jan 1 2000 01:00 PM' },
].map((r) => JSON.stringify(r)).join('\n') + '\n');

function job(kind: string, params: unknown): JobDefinition {
  return {
    version: 1, name: `edge_${kind.toLowerCase()}`, bookmark: 'job-bookmark-disable', parameters: [],
    nodes: [
      { id: 'src', kind: 'source', source: { type: 'file', path: file, format: 'json' } },
      { id: 'step', kind: 'transform', inputs: ['src'], step: { id: 'step', kind, params } as Step },
      { id: 'out', kind: 'target', inputs: ['step'], target: { type: 'download', name: 'out', format: 'parquet' } },
    ],
  };
}

const CASES: [string, string, unknown][] = [
  ['ISO text with offsets converted to UTC', 'ToTimestamp', { path: 'txt', format: 'iso', target: 't' }],
  ['ISO text formatted', 'FormatTimestamp', { path: 'txt', pattern: "EEEE d MMMM yyyy HH:mm:ss.SSSSSS 'utc'", target: 'f' }],
  ['epoch seconds down to the year 0001', 'ToTimestamp', { path: 'secs', format: 'seconds', target: 't' }],
  ['fractional epoch milliseconds', 'ToTimestamp', { path: 'fsecs', format: 'milliseconds', target: 't' }],
  ['a 12-hour pattern', 'ToTimestamp', { path: 'pat', format: 'pattern', pattern: 'MMM d yyyy hh:mm a', target: 't' }],
  ['doubles printed as Spark prints them', 'Concatenate', { target: 'c', columns: ['name', 'fsecs', 'tags'], spacer: '/', nullValue: '-' }],
  ['empty pieces kept', 'SplitString', { path: 'tags', pattern: '|', target: 'p' }],
  ['groups, no match', 'RegexExtract', { path: 'name', pattern: '(\\d{4})-(\\d{2})-(\\d{2})(?:T(\\d{2}))?', names: 'y,m,,h' }],
];

describe('native DuckDB runs the text and date kinds\' edge values the way the tab does', () => {
  for (const [title, kind, params] of CASES) {
    it(`${kind}: ${title}`, async () => {
      await expectDuckParity(job(kind, params));
    }, 120_000);
  }
});
