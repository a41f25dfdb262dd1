/**
 * The text and date kinds on Apache Spark: each case is exported with exportSpark as a one-step job, all scripts
 * run in one local Spark (pyspark 3.5, in a session time zone far from UTC: the results must not depend on it), and each output is compared with the tab's, row
 * for row (column names, types, every value). The cases are the kinds' examples on vega-datasets and an input
 * of edge values (offsets, out-of-range epochs, text of the wrong shape, empty pieces, NULLs).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../../src/engine/engine';
import { openFile } from '../../../../src/frames/open-file';
import { runFrame } from '../../../../src/frames/run';
import type { Step } from '../../../../src/frames/steps';
import { transformOf } from '../../../../src/frames/transforms';
import { exportSpark, sparkType } from '../../../../src/jobs/export-spark';
import { renderType } from '../../../../src/schema/types';
import { engine } from './text-kit';

const KINDS = ['SplitString', 'Concatenate', 'RegexExtract', 'ToTimestamp', 'FormatTimestamp'];
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
  ...KINDS.flatMap((k) => (transformOf(k)!.examples as { title: string; input: string; params: unknown }[]).map((x) => ({ title: `${k}: ${x.title}`, kind: k, input: resolve(x.input), params: x.params }))),
  ...EDGE_CASES.map(([title, kind, params]) => ({ title: `${kind}: ${title}`, kind, input: EDGE, params })),
];

interface Out { columns: string[]; rows: unknown[][]; error?: string }
const tab: Out[] = [];
let spark: Out[] = [];

/** Rows as comparable text: timestamps as yyyy-MM-dd HH:mm:ss.ffffff on both sides, numbers as JSON numbers. */
const key = (r: unknown[]) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? Number(v) : v));

beforeAll(async () => {
  writeFileSync(EDGE, edge.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const e: Engine = await engine();
  const driver = [
    'import datetime, json, sys',
    'from pyspark.sql import SparkSession',
    'SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "America/New_York").getOrCreate().sparkContext.setLogLevel("ERROR")',
    'def norm(v):',
    '    if isinstance(v, datetime.date): return v.isoformat()',
    '    if isinstance(v, list): return [norm(x) for x in v]',
    '    return v',
    'results = []',
  ];
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
    writeFileSync(join(dir, `case_${i}.py`), script);
    driver.push(
      'try:',
      `    sys.argv = ["case_${i}.py"]; g = {}`,
      `    exec(compile(open(${JSON.stringify(join(dir, `case_${i}.py`))}).read(), "case_${i}.py", "exec"), g)`,
      '    df, F = g["step"], g["F"]',
      '    cols = [F.date_format(F.col("`%s`" % f.name), "yyyy-MM-dd HH:mm:ss.SSSSSS").alias(f.name) if f.dataType.simpleString() in ("timestamp", "timestamp_ntz") else F.col("`%s`" % f.name) for f in df.schema.fields]',
      '    results.append({"columns": [f.name + ":" + f.dataType.simpleString() for f in df.schema.fields], "rows": [[norm(v) for v in r] for r in df.select(cols).collect()]})',
      'except Exception as err:',
      '    results.append({"columns": [], "rows": [], "error": str(err)[:800]})',
    );
  }
  driver.push(`json.dump(results, open(${JSON.stringify(join(dir, 'spark.json'))}, "w"))`);
  writeFileSync(join(dir, 'driver.py'), driver.join('\n'));
  try {
    execFileSync(process.env['EPOXY_PYTHON'] ?? 'python3', [join(dir, 'driver.py')], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 });
  } catch (err) {
    throw new Error(`the Spark run failed (python3 with pyspark 3.5 is needed: pip install -r requirements-test.txt): ${String((err as { stderr?: Buffer }).stderr ?? err).slice(-2000)}`);
  }
  spark = JSON.parse(readFileSync(join(dir, 'spark.json'), 'utf8')) as Out[];
}, 600_000);

describe('the text and date kinds run the same on Spark 3.5 as in the tab', () => {
  for (const [i, c] of cases.entries()) {
    it(c.title, () => {
      const s = spark[i]!;
      expect(s.error, s.error).toBeUndefined();
      expect(s.columns).toEqual(tab[i]!.columns);
      expect(s.rows.map(key).sort()).toEqual(tab[i]!.rows.map(key).sort());
    });
  }
});
