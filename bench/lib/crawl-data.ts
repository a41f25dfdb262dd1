import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { prng } from './data';

/** A column the generator wrote, with the Glue type a correct inference must find. */
export interface ExpectedColumn {
  name: string;
  type: string;
}

/** What a generated file holds, to check classifier output against. */
export interface Expected {
  classification: string;
  columns: ExpectedColumn[];
  records: number;
}

const cols = (spec: string): ExpectedColumn[] => spec.split(' ').map((s) => {
  const i = s.indexOf(':');
  return { name: s.slice(0, i), type: s.slice(i + 1) };
});

/** Columns of the mixed CSV: dates, timestamps, a money-like decimal, a float, nulls and quoted text. */
export const MIXED_CSV_COLUMNS = cols('id:bigint customer:string signup:date event_ts:timestamp amount:double ratio:double qty:bigint active:boolean country:string note:string');
const COUNTRIES = ['DE', 'FR', 'US', 'JP', 'BR', 'IN', 'GB', 'NL'];
const NOTES = ['ok', '"late, but fine"', 'gift', '"said ""thanks"""', 'returned', ''];

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const isoStamp = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const DAY = 86_400_000;
const BASE = Date.UTC(2023, 0, 1);

/** Write text produced by `next` (null when done) to `path` atomically, 1 MB at a time. */
async function streamTo(path: string, next: () => string | null): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const out = createWriteStream(path + '.tmp');
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  let chunk = '';
  for (let piece = next(); piece !== null; piece = next()) {
    chunk += piece;
    if (chunk.length > 1 << 20) { await write(chunk); chunk = ''; }
  }
  await write(chunk);
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  renameSync(path + '.tmp', path);
}

/** Reuse a generated file when its manifest says it was finished (generation is deterministic). */
function cached(path: string): Expected | null {
  const manifest = path + '.expected.json';
  if (existsSync(path) && existsSync(manifest) && statSync(path).size > 0) return JSON.parse(readFileSync(manifest, 'utf8')) as Expected;
  return null;
}

function remember(path: string, expected: Expected): Expected {
  writeFileSync(path + '.expected.json', JSON.stringify(expected));
  return expected;
}

/** One row of the mixed CSV (also used by the small-file folder); `zero` ends the amount in 0, the decimal evidence. */
function mixedRow(rand: () => number, i: number, zero = false): string {
  const signup = BASE + Math.floor(rand() * 700) * DAY;
  const ts = signup + Math.floor(rand() * DAY);
  const qty = rand() < 0.2 ? '' : String(1 + Math.floor(rand() * 50));
  const country = rand() < 0.1 ? '' : COUNTRIES[Math.floor(rand() * COUNTRIES.length)]!;
  const ratio = String(Math.round(rand() * 1e6) / 1e6 + 0.000001);
  return `${i},cust_${Math.floor(rand() * 90_000)},${isoDate(signup)},${isoStamp(ts)},${zero ? (rand() * 900 + 1).toFixed(1) + '0' : (rand() * 900 + 1).toFixed(2)},${ratio},${qty},${rand() < 0.7},${country},${NOTES[Math.floor(rand() * NOTES.length)]}\n`;
}

/** A CSV of about `bytes` bytes with mixed types (see MIXED_CSV_COLUMNS); returns its path and expectation. */
export async function mixedCsv(dir: string, bytes: number): Promise<{ path: string; expected: Expected }> {
  const path = join(dir, `mixed_${bytes}.csv`);
  const hit = cached(path);
  if (hit) return { path, expected: hit };
  const rand = prng(7);
  let written = 0, rows = 0;
  await streamTo(path, () => {
    if (written === 0) { const h = MIXED_CSV_COLUMNS.map((c) => c.name).join(',') + '\n'; written += h.length; return h; }
    if (written >= bytes) return null;
    const row = mixedRow(rand, rows++);
    written += row.length;
    return row;
  });
  return { path, expected: remember(path, { classification: 'csv', columns: MIXED_CSV_COLUMNS, records: rows }) };
}

/**
 * Schema drift of the NDJSON file, by position in the file: `device` appears at 30%, `user.email` at 70%
 * (where `score` also turns fractional: bigint widens to double), `geo` at 90%.
 */
export const DRIFT_FULL_COLUMNS = cols('id:bigint ts:timestamp user:struct<name:string,age:bigint,email:string> tags:array<string> score:double device:string geo:struct<lat:double,lon:double>');

/** The schema of the records in the first `fraction` of the drifting NDJSON (what a sample of that size sees). */
export function driftColumnsUpTo(fraction: number): ExpectedColumn[] {
  const late = fraction > 0.7;
  return cols([
    'id:bigint ts:timestamp',
    late ? 'user:struct<name:string,age:bigint,email:string>' : 'user:struct<name:string,age:bigint>',
    'tags:array<string>',
    late ? 'score:double' : 'score:bigint',
    fraction > 0.3 ? 'device:string' : '',
    fraction > 0.9 ? 'geo:struct<lat:double,lon:double>' : '',
  ].filter(Boolean).join(' '));
}
const TAGS = ['new', 'vip', 'churn', 'beta', 'eu', 'mobile'];

/** An NDJSON file of about `bytes` bytes whose schema drifts (fields appear, types widen). */
export async function driftingNdjson(dir: string, bytes: number): Promise<{ path: string; expected: Expected }> {
  const path = join(dir, `drift_${bytes}.ndjson`);
  const hit = cached(path);
  if (hit) return { path, expected: hit };
  const rand = prng(11);
  let written = 0, rows = 0;
  await streamTo(path, () => {
    if (written >= bytes) return null;
    const at = written / bytes;
    const user: Record<string, unknown> = { name: `user ${Math.floor(rand() * 5000)}`, age: 18 + Math.floor(rand() * 60) };
    if (at >= 0.7) user.email = `u${rows}@example.com`;
    const rec: Record<string, unknown> = {
      id: rows,
      ts: new Date(BASE + Math.floor(rand() * 400 * DAY)).toISOString(),
      user,
      tags: TAGS.filter(() => rand() < 0.3),
      score: at >= 0.7 ? Math.round(rand() * 1e4) / 100 + 0.001 : Math.floor(rand() * 100),
    };
    if (at >= 0.3) rec.device = rand() < 0.5 ? 'ios' : 'android';
    if (at >= 0.9) rec.geo = { lat: rand() * 180 - 90 + 1e-7, lon: rand() * 360 - 180 + 1e-7 };
    const line = JSON.stringify(rec) + '\n';
    written += line.length;
    rows++;
    return line;
  });
  return { path, expected: remember(path, { classification: 'json', columns: DRIFT_FULL_COLUMNS, records: rows }) };
}

/** One file of the small-file folder and what its classification must say. */
export interface FolderFile extends Expected {
  path: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const REGIONS = ['emea', 'amer', 'apac'];

/** Kinds of small files, in the proportions of a messy data lake; `make` returns content and expectation. */
const KINDS: { share: number; make: (rand: () => number, i: number) => { rel: string; body: string | Uint8Array; expected: Expected } }[] = [
  { share: 0.3, make: (rand, i) => { // Hive-partitioned CSV
    const n = 20 + Math.floor(rand() * 60);
    let body = MIXED_CSV_COLUMNS.map((c) => c.name).join(',') + '\n';
    // A small file needs an amount ending in 0 to be typed decimal (a fixed-scale formatter's trailing zero).
    for (let r = 0; r < n; r++) body += mixedRow(rand, i * 1000 + r, r === 0);
    return { rel: `sales/region=${REGIONS[i % 3]}/part-${pad(i, 5)}.csv`, body, expected: { classification: 'csv', columns: MIXED_CSV_COLUMNS, records: n } };
  } },
  { share: 0.25, make: (rand, i) => { // NDJSON in year=/month= folders
    const n = 20 + Math.floor(rand() * 60);
    let body = '';
    for (let r = 0; r < n; r++) body += JSON.stringify({ event_id: i * 1000 + r, kind: rand() < 0.5 ? 'click' : 'view', at: new Date(BASE + Math.floor(rand() * 300 * DAY)).toISOString(), value: Math.floor(rand() * 1000) }) + '\n';
    return { rel: `events/year=2024/month=${pad(1 + (i % 12))}/part-${pad(i, 5)}.json`, body, expected: { classification: 'json', columns: cols('event_id:bigint kind:string at:timestamp value:bigint'), records: n } };
  } },
  { share: 0.1, make: (rand, i) => { // gzip CSV
    const n = 50 + Math.floor(rand() * 100);
    let body = 'sku,qty,price,day\n';
    for (let r = 0; r < n; r++) body += `SKU-${Math.floor(rand() * 9999)},${Math.floor(rand() * 40)},${r === 0 ? '9.90' : (rand() * 90 + 1).toFixed(2)},${isoDate(BASE + Math.floor(rand() * 90) * DAY)}\n`;
    return { rel: `orders_gz/dt=2024-${pad(1 + (i % 6))}-01/orders-${pad(i, 5)}.csv.gz`, body: gzipSync(body, { level: 6 }), expected: { classification: 'csv', columns: cols('sku:string qty:bigint price:double day:date'), records: n } };
  } },
  { share: 0.1, make: (rand, i) => { // gzip NDJSON
    const n = 30 + Math.floor(rand() * 60);
    let body = '';
    for (let r = 0; r < n; r++) body += JSON.stringify({ host: `h${Math.floor(rand() * 50)}`, cpu: Math.round(rand() * 1000) / 10 + 0.01, ok: rand() < 0.9 }) + '\n';
    return { rel: `metrics/part-${pad(i, 5)}.json.gz`, body: gzipSync(body, { level: 6 }), expected: { classification: 'json', columns: cols('host:string cpu:double ok:boolean'), records: n } };
  } },
  { share: 0.1, make: (rand, i) => { // TSV
    const n = 20 + Math.floor(rand() * 40);
    let body = 'code\tcity\tpopulation\n';
    for (let r = 0; r < n; r++) body += `C${pad(Math.floor(rand() * 999), 3)}\tCity ${Math.floor(rand() * 300)}\t${Math.floor(rand() * 1e6)}\n`;
    return { rel: `cities/cities-${pad(i, 5)}.tsv`, body, expected: { classification: 'csv', columns: cols('code:string city:string population:bigint'), records: n } };
  } },
  { share: 0.08, make: (rand, i) => { // JSON array document
    const n = 10 + Math.floor(rand() * 30);
    const items = Array.from({ length: n }, () => ({ sku: `S${Math.floor(rand() * 1e4)}`, dims: { w: Math.floor(rand() * 90), h: Math.floor(rand() * 90) }, labels: ['a', 'b'].slice(0, 1 + Math.floor(rand() * 2)) }));
    return { rel: `products/products-${pad(i, 5)}.json`, body: JSON.stringify(items, null, 1), expected: { classification: 'json', columns: cols('sku:string dims:struct<w:bigint,h:bigint> labels:array<string>'), records: n } };
  } },
  { share: 0.07, make: (rand, i) => { // Apache combined log
    const n = 30 + Math.floor(rand() * 50);
    let body = '';
    for (let r = 0; r < n; r++) {
      const d = new Date(BASE + Math.floor(rand() * 30 * DAY));
      body += `10.0.${Math.floor(rand() * 255)}.${Math.floor(rand() * 255)} - - [${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000] "GET /p/${Math.floor(rand() * 500)} HTTP/1.1" ${rand() < 0.9 ? 200 : 404} ${Math.floor(rand() * 5000)} "-" "Mozilla/5.0"\n`;
    }
    return { rel: `weblogs/access-${pad(i, 5)}.log`, body, expected: { classification: 'combined_apache', columns: [], records: n } };
  } },
];

/**
 * A folder of `count` small files (CSV, TSV, NDJSON, JSON arrays, gzip CSV/NDJSON, Apache logs) with Hive
 * partition folders. Returns the folder and each file's expected classification and columns.
 */
export async function smallFileFolder(dir: string, count: number): Promise<{ root: string; files: FolderFile[] }> {
  const root = join(dir, `folder_${count}`);
  const manifest = join(dir, `folder_${count}.expected.json`);
  if (existsSync(manifest) && existsSync(root)) return { root, files: JSON.parse(readFileSync(manifest, 'utf8')) as FolderFile[] };
  rmSync(root, { recursive: true, force: true });
  const rand = prng(count);
  const files: FolderFile[] = [];
  const total = KINDS.reduce((n, k) => n + k.share, 0);
  let i = 0;
  for (const kind of KINDS) {
    const n = kind === KINDS[KINDS.length - 1] ? count - files.length : Math.round((kind.share / total) * count);
    for (let k = 0; k < n; k++, i++) {
      const { rel, body, expected } = kind.make(rand, i);
      const full = join(root, rel);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, body);
      files.push({ path: rel, ...expected });
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : 1));
  writeFileSync(manifest, JSON.stringify(files));
  return { root, files };
}
