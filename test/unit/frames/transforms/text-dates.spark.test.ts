/**
 * The text and date kinds on Apache Spark: each case is exported with exportSpark as a one-step job, run in one
 * local Spark (pyspark 3.5, in a session time zone far from UTC: the results must not depend on it), and its
 * output compared with the tab's, row for row (column names, Spark types, every value). The cases are the kinds' examples on vega-datasets and an input
 * of edge values (offsets, out-of-range epochs, text of the wrong shape, empty pieces, NULLs). Spark starts once
 * (test/support/spark.ts).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SparkError, startSpark, type Spark } from '../../../support/spark';
import type { Engine } from '../../../../src/engine/engine';
import { openFile } from '../../../../src/frames/open-file';
import { runFrame } from '../../../../src/frames/run';
import type { Step } from '../../../../src/frames/steps';
import { exportSpark, sparkType } from '../../../../src/jobs/export-spark';
import { renderType } from '../../../../src/schema/types';
import { engine } from './text-kit';

const dir = mkdtempSync(join(tmpdir(), 'epoxy-text-spark-'));
const EDGE = join(dir, 'edge.json');
const edge = [
  { txt: '2022-11-02T14:40:59.915Z', pat: 'Jan 5 2012 10:30 PM', secs: 1700000000, fsecs: 1.5, tags: 'a,b,,c,', name: 'ann lee', n: 1 },
  { txt: '2022-11-02T14:40:59+02:00', pat: 'feb 29 2012 12:00 am', secs: 0, fsecs: -1.5, tags: '', name: 'bob', n: 2 },
  { txt: '2022-11-02', pat: 'Feb 30 2012 10:30 PM', secs: -62135596800, fsecs: 1700000000.1234567, tags: null, name: null, n: null },
  { txt: '11/02/2022', pat: 'Sept 5 2012 10:30 PM', secs: 253402300800, fsecs: 0.3, tags: 'x.y|z', name: 'x 2024-03-07 y', n: 4 },
  { txt: '2022', pat: '2012-01-05', secs: null, fsecs: null, tags: ',', name: 'dan', n: 5 },
  { txt: '2022-11-02T24:00', pat: null, secs: 1, fsecs: 2.0, tags: 'a', name: '2023-01-05T10', n: 6 },
  { txt: '2022-11-02 14:40:59.123456-0530', pat: 'Dec 31 1999 11:59 PM', secs: 86399, fsecs: -0.000001, tags: 'b,', name: '2023-02-06', n: 7 },
  { txt: null, pat: 'Dec 31 1999 13:59 PM', secs: 2, fsecs: 1e9, tags: 'c', name: 'e', n: 8 },
];
const EDGE_CASES: [string, string, unknown][] = [
  ['ISO text with offsets, Z, no time; the rest error records', 'ToTimestamp', { path: 'txt', format: 'iso', target: 't' }],
  ['a 12-hour pattern with month names in any case', 'ToTimestamp', { path: 'pat', format: 'pattern', pattern: 'MMM d yyyy hh:mm a', target: 't' }],
  ['epoch seconds up to the years 0001 and 9999', 'ToTimestamp', { path: 'secs', format: 'seconds', target: 't' }],
  ['fractional epoch seconds, truncated', 'ToTimestamp', { path: 'fsecs', format: 'seconds', target: 't' }],
  ['epoch milliseconds', 'ToTimestamp', { path: 'secs', format: 'milliseconds', target: 't' }],
  ['epoch microseconds from doubles, in place', 'ToTimestamp', { path: 'fsecs', format: 'microseconds' }],
  ['ISO text formatted with names, 12-hour clock, fraction, quotes', 'FormatTimestamp', { path: 'txt', pattern: "EEEE d MMMM yy, h:mm:ss.SSSSSS a 'x''y' D DDD H", target: 'f' }],
  ['a literal | (a regex metacharacter)', 'SplitString', { path: 'tags', pattern: '|' }],
  ['empty pieces kept', 'SplitString', { path: 'tags', pattern: ',', target: 'p' }],
  ['a regex character class', 'SplitString', { path: 'tags', pattern: '[.|,]', regex: true, target: 'p' }],
  ['NULLs as the null value, doubles as Java prints them', 'Concatenate', { target: 'c', columns: ['name', 'n', 'fsecs', 'tags'], spacer: ' | ', nullValue: '-' }],
  ['an optional group, a skipped group, no match', 'RegexExtract', { path: 'name', pattern: '(\\d{4})-(\\d{2})-(\\d{2})(?:T(\\d{2}))?', names: 'y,m,,h' }],
  ['an output replacing its source', 'RegexExtract', { path: 'name', pattern: '^(\\w+)', names: 'name' }],
];

interface Case { title: string; kind: string; input: string; params: unknown }
const cases: Case[] = [
  // The examples run in test/unit/jobs/spark-parity.test.ts (a UTC session); here the edge cases, in New York.
  ...EDGE_CASES.map(([title, kind, params]) => ({ title: `${kind}: ${title}`, kind, input: EDGE, params })),
];

interface Out { columns: string[]; rows: unknown[][]; error?: string }
const tab: Out[] = [];
const results: Out[] = [];
let spark: Spark;

/** Appended to each exported script: its step's output as JSON (timestamps as text, as the tab's are read). */
const MARK = '@@epoxy-rows@@';
const COLLECT = [
  '',
  'import datetime as _dt, json as _json',
  'def _norm(v):',
  '    if isinstance(v, _dt.date): return v.isoformat()',
  '    if isinstance(v, list): return [_norm(x) for x in v]',
  '    return v',
  '_cols = [F.date_format(F.col("`%s`" % f.name), "yyyy-MM-dd HH:mm:ss.SSSSSS").alias(f.name) if f.dataType.simpleString() in ("timestamp", "timestamp_ntz") else F.col("`%s`" % f.name) for f in step.schema.fields]',
  `print(${JSON.stringify(MARK)} + _json.dumps({"columns": [f.name + ":" + f.dataType.simpleString() for f in step.schema.fields], "rows": [[_norm(v) for v in r] for r in step.select(_cols).collect()]}))`,
].join('\n');

/** Rows as comparable text: timestamps as yyyy-MM-dd HH:mm:ss.ffffff on both sides, numbers as JSON numbers. */
const key = (r: unknown[]) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? Number(v) : v));

beforeAll(async () => {
  writeFileSync(EDGE, edge.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const e: Engine = await engine();
  spark = await startSpark({ conf: { 'spark.sql.session.timeZone': 'America/New_York' } });
  for (const [i, c] of cases.entries()) {
    const [t] = await openFile(e, c.input.split('/').pop()!, { kind: 'buffer', bytes: new Uint8Array(readFileSync(c.input)) });
    const r = runFrame(e, { input: t!.table, steps: [{ id: 's', kind: c.kind, params: c.params } as Step], sampleRows: null, namespace: `sp${i}` });
    if (r.failure) throw new Error(`${c.title}: ${r.failure.message}`);
    const out = r.steps[0]!;
    const cols = out.schema.map((f) => (renderType(f.type) === 'timestamp' ? `strftime("${f.name}", '%Y-%m-%d %H:%M:%S.%f')` : `"${f.name}"`));
    // Spark's names for the tab's types (a timestamp is TIMESTAMP_NTZ there).
    tab.push({ columns: out.schema.map((f) => `${f.name}:${sparkType(f.type)}`), rows: e.query(`SELECT ${cols.join(', ')} FROM "${out.relation}"`).rows });
    const format = c.input.endsWith('.csv') ? 'csv' : 'json';
    const script = exportSpark({ version: 1, name: `case_${i}`, bookmark: 'job-bookmark-disable', parameters: [], nodes: [
      { id: 'src', kind: 'source', source: { type: 'file', path: c.input, format } },
      { id: 'step', kind: 'transform', inputs: ['src'], step: { id: 's', kind: c.kind, params: c.params } as Step },
    ] }, { sources: { src: { location: `file://${c.input}`, format } }, schemas: { src: r.input.schema, step: out.schema } });
    try {
      const printed = await spark.run(script + COLLECT, [], `case_${i}.py`);
      results.push(JSON.parse(printed.stdout.split(MARK)[1]!) as Out);
    } catch (err) {
      results.push({ columns: [], rows: [], error: err instanceof SparkError ? `${err.message}\n${err.traceback.slice(-1500)}` : String(err) });
    }
  }
}, 600_000);

afterAll(async () => { await spark?.close(); });

describe('the text and date kinds run the same on Spark 3.5 as in the tab', () => {
  for (const [i, c] of cases.entries()) {
    it(c.title, () => {
      const s = results[i]!;
      expect(s.error, s.error).toBeUndefined();
      expect(s.columns).toEqual(tab[i]!.columns);
      expect(s.rows.map(key).sort()).toEqual(tab[i]!.rows.map(key).sort());
    });
  }
});
