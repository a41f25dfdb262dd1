/**
 * The real-file survey (issue 17): crawl every file of the corpus (bench/survey/manifest.json, extracted by
 * fetch.ts) with `epoxy crawl`'s own code path, one file per crawl into a fresh in-memory catalog, and compare
 * each crawled table's columns with what native DuckDB reads from the same file.
 *
 *   nice npx tsx bench/survey/run.ts                       # sampled (the default, as Glue samples), then full scan
 *   nice npx tsx bench/survey/run.ts --mode sampled        # one mode only
 *   nice npx tsx bench/survey/run.ts --only loghub --out /tmp/r.md
 *
 * Writes bench/survey/RESULTS.md (summary) and bench/.cache/survey/results.json (every file and column).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { runCrawlCommand } from '../../src/cli/crawl';
import { describeMachine } from '../lib/machine';
import { CACHE_DIR, FILES_DIR, MANIFEST_PATH, corpusCounts, type Manifest, type ManifestFile } from './fetch';
import { compareTypes, fromDuckDb, parseGlueType, VERDICT_ORDER, type Verdict } from './types';

/** DuckDB readers available offline; Avro needs an extension that is not installed, the rest have none. */
const PEER_READERS: Record<string, string> = { csv: 'read_csv', tsv: 'read_csv', json: 'read_json', ndjson: 'read_json', parquet: 'read_parquet' };

export interface ColumnResult {
  name: string;
  epoxy: string;
  duckdb?: string;
  verdict?: Verdict;
  kind?: string;
  path?: string;
}

export interface FileResult {
  file: string;
  source: string;
  format: string;
  size: number;
  crawled: boolean;
  classification?: string;
  refusal?: string;
  ms: number;
  peer?: { reader: string; ok: boolean; error?: string; columns?: number };
  columns: ColumnResult[];
  onlyEpoxy: string[];
  onlyDuckDb: string[];
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} took over ${ms / 1000} s`)), ms).unref())]);

/** Column names match as Glue stores them: lowercased; DuckDB's `column0`/`column00` meet Epoxy's `col0`. */
const matchKey = (name: string) => {
  const generic = /^col(?:umn)?0*(\d+)$/i.exec(name);
  return generic ? `#${generic[1]}` : name.toLowerCase();
};

async function peerColumns(db: DuckDBConnection, reader: string, path: string) {
  const result = await db.run(`SELECT * FROM ${reader}('${path.replaceAll("'", "''")}') LIMIT 0`);
  const names = result.columnNames();
  const types = result.columnTypes();
  return names.map((name, i) => ({ name, type: types[i]! }));
}

/** Crawl one corpus file as `epoxy crawl` would and compare its columns with native DuckDB's. */
export async function surveyFile(db: DuckDBConnection, f: ManifestFile, fullScan: boolean, filesDir = FILES_DIR): Promise<FileResult> {
  const path = join(filesDir, f.local);
  const started = performance.now();
  const out: FileResult = { file: f.local, source: f.source, format: f.format, size: f.size, crawled: false, ms: 0, columns: [], onlyEpoxy: [], onlyDuckDb: [] };
  let epoxyColumns: { Name: string; Type: string }[] = [];
  try {
    const { report, tables } = await withTimeout(runCrawlCommand({ database: 'survey', target: path, exclude: [], fullScan, newFoldersOnly: false, combine: false }), 120_000, 'the crawl');
    const table = tables[0]?.TableInput;
    if (report.state !== 'COMPLETED') out.refusal = report.error ?? report.state;
    else if (!table) out.refusal = report.failures[0]?.error ?? 'no table and no reason given';
    else {
      out.crawled = true;
      out.classification = table.Parameters?.['classification'];
      epoxyColumns = (table.StorageDescriptor?.Columns ?? []).map((c) => ({ Name: c.Name, Type: c.Type ?? '' }));
    }
  } catch (err) {
    out.refusal = `crawl threw: ${err instanceof Error ? err.message : String(err)}`;
  }
  out.ms = Math.round(performance.now() - started);

  // The peer reads by what Epoxy found (a .log Epoxy calls csv is read with read_csv), else by the file's name.
  const inner = f.format === 'gzip' ? (/\.(jsn|json|ndjson)\.gz$/i.test(f.local) ? 'json' : /\.(csv|tsv)\.gz$/i.test(f.local) ? 'csv' : 'gzip') : f.format;
  const reader = PEER_READERS[out.classification ?? inner];
  if (!reader) return out;
  out.peer = { reader, ok: false };
  try {
    const peer = await withTimeout(peerColumns(db, reader, path), 60_000, 'DuckDB');
    out.peer.ok = true;
    out.peer.columns = peer.length;
    if (!out.crawled) return out;
    const byKey = new Map(peer.map((c) => [matchKey(c.name), c]));
    const seen = new Set<string>();
    for (const c of epoxyColumns) {
      const other = byKey.get(matchKey(c.Name));
      if (!other) { out.onlyEpoxy.push(c.Name); continue; }
      seen.add(matchKey(c.Name));
      const d = fromDuckDb(other.type);
      const cmp = compareTypes(parseGlueType(c.Type), d);
      out.columns.push({ name: c.Name, epoxy: c.Type, duckdb: d.raw, verdict: cmp.verdict, kind: cmp.kind, path: cmp.path || undefined });
    }
    out.onlyDuckDb = peer.filter((c) => !seen.has(matchKey(c.name))).map((c) => c.name);
  } catch (err) {
    out.peer.error = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 200);
  }
  return out;
}

/** A refusal message with its particulars (names, numbers, quoted text) blanked, so like refusals group together. */
export function refusalCategory(message: string): string {
  const catalogRule = / ?: names may use only .*$/s;
  const tail = catalogRule.test(message) ? ' (the catalog admits [a-z0-9_] only)' : '';
  return (
    message
      .replace(catalogRule, '')
      .replace(/"[^"]{0,200}"|'[^']{0,200}'|`[^`]{0,200}`/g, '"…"')
      .replace(/\btable \S+ cannot/g, 'table … cannot')
      .replace(/\d+(\.\d+)?/g, 'N')
      .slice(0, 160) + tail
  );
}

/** The first quoted particular of a message (the column name a refusal names). */
const quoted = (m = '') => /"([^"]{1,80})"/.exec(m)?.[0];
const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%` : '—');
const esc = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

type Mode = { name: 'sampled' | 'full-scan'; results: FileResult[]; seconds: number };

const METHOD = [
  'Every file of `bench/survey/manifest.json` is crawled alone with `epoxy crawl`\'s code (`runCrawlCommand`: the real crawler,',
  'classifiers and catalog admission, into a fresh in-memory catalog), once sampled (the default, as Glue samples) and once',
  'with `--full-scan`. Each crawled table\'s columns are compared with the types native DuckDB (@duckdb/node-api 1.5.6: what',
  '`DESCRIBE` shows) gives the same file through `read_csv`, `read_json` or `read_parquet`, all auto-detecting; the reader',
  'follows Epoxy\'s classification (else the file name), so a `.log` Epoxy calls csv is read with `read_csv`. Avro (its',
  'extension is not installed offline), ORC, XML, grok logs and Arrow have no peer. Columns match by lowercased name (`col0` =',
  '`column0`). Verdicts: **agree** (bigint=BIGINT, int=INTEGER, double=DOUBLE, string=VARCHAR, timestamp=TIMESTAMP, date,',
  'boolean, binary=BLOB, decimal(p,s)=DECIMAL(p,s), struct/array/map field by field); **width** (same family, other size:',
  'int vs BIGINT, bigint vs HUGEINT, float vs DOUBLE, timestamp vs TIMESTAMPTZ, decimal precision, unsigned widened as Spark',
  'does); **no Glue type** (DuckDB has TIME/GEOMETRY/VARIANT/UNION, Epoxy wrote Glue\'s stand-in string/binary/struct);',
  '**decimal~double** (Epoxy\'s money rule against a float); **undecided** (DuckDB says JSON or NULL: no single type);',
  '**disagree** (the rest). A nested column takes its worst field.',
];

function renderMode(m: Mode, detail: boolean): string[] {
  const results = m.results;
  const formats = [...new Set(results.map((r) => r.format))].sort();
  const lines: string[] = [];
  const crawled = results.filter((r) => r.crawled);
  const cols = results.flatMap((r) => r.columns);
  const count = (xs: ColumnResult[], v: Verdict) => xs.filter((c) => c.verdict === v).length;
  lines.push(
    `## ${m.name === 'sampled' ? 'Sampled crawl (the default)' : 'Full-scan crawl (`--full-scan`)'}: ${crawled.length} of ${results.length} crawled, ${pct(count(cols, 'agree'), cols.length)} of ${cols.length} columns agree with DuckDB`,
    '',
    `${results.length} files in ${m.seconds.toFixed(0)} s. Formats are the ones the file names declare.`,
    '',
    '| format | files | crawled | refused | classified as | DuckDB read | columns compared | agree | agree+width+no Glue type | decimal~double | undecided | disagree |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  );
  const row = (name: string, rs: FileResult[]) => {
    const c = rs.flatMap((r) => r.columns);
    const classes = Object.entries(rs.filter((r) => r.crawled).reduce<Record<string, number>>((acc, r) => ((acc[r.classification ?? '?'] = (acc[r.classification ?? '?'] ?? 0) + 1), acc), {})).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
    const peers = rs.filter((r) => r.peer);
    const agree = count(c, 'agree');
    lines.push(`| ${name} | ${rs.length} | ${rs.filter((r) => r.crawled).length} | ${rs.filter((r) => !r.crawled).length} | ${classes || '—'} | ${peers.length ? `${peers.filter((r) => r.peer!.ok).length}/${peers.length}` : 'no peer'} | ${c.length} | ${pct(agree, c.length)} | ${pct(agree + count(c, 'width') + count(c, 'no-glue-type'), c.length)} | ${count(c, 'decimal~double')} | ${count(c, 'peer-undecided')} | ${count(c, 'disagree')} |`);
  };
  for (const format of formats) row(format, results.filter((r) => r.format === format));
  row('**all**', results);
  lines.push(
    '',
    `Overall: ${crawled.length} of ${results.length} files crawled (${pct(crawled.length, results.length)}), ${results.length - crawled.length} refused; ${cols.length} columns compared with DuckDB: ` +
      `${pct(count(cols, 'agree'), cols.length)} agree exactly, ${pct(count(cols, 'agree') + count(cols, 'width') + count(cols, 'no-glue-type'), cols.length)} counting width-only and no-Glue-type differences; ` +
      `${count(cols, 'decimal~double')} decimal~double, ${count(cols, 'peer-undecided')} undecided, ${count(cols, 'disagree')} disagree. ` +
      `${results.reduce((n, r) => n + r.onlyEpoxy.length, 0)} Epoxy columns had no DuckDB column of the same name and ${results.reduce((n, r) => n + r.onlyDuckDb.length, 0)} DuckDB columns no Epoxy one (${results.filter((r) => r.onlyEpoxy.length || r.onlyDuckDb.length).length} files where the two read another header or shape, listed below).`,
    '',
    '### Refused files, by reason',
    '',
    '| files | reason (particulars blanked) | formats | examples |',
    '|---|---|---|---|',
  );
  const refusals = new Map<string, FileResult[]>();
  for (const r of results.filter((x) => !x.crawled)) refusals.set(refusalCategory(r.refusal ?? '?'), [...(refusals.get(refusalCategory(r.refusal ?? '?')) ?? []), r]);
  for (const [reason, rs] of [...refusals].sort((a, b) => b[1].length - a[1].length)) {
    const readable = rs.filter((r) => r.peer?.ok).length;
    lines.push(`| ${rs.length} | ${esc(reason)}${readable ? ` (DuckDB reads ${readable} of them)` : ''} | ${[...new Set(rs.map((r) => r.format))].join(', ')} | ${rs.slice(0, 4).map((r) => `\`${esc(r.file)}\`${quoted(r.refusal) ? ` (${esc(quoted(r.refusal)!)})` : ''}`).join(', ')}${rs.length > 4 ? ` … (${rs.length})` : ''} |`);
  }
  lines.push('', '### Columns that differ from DuckDB, by kind', '', '| columns | verdict | Epoxy vs DuckDB | formats | examples (file: column, Epoxy / DuckDB) |', '|---|---|---|---|---|');
  const kinds = new Map<string, { verdict: Verdict; kind: string; items: { r: FileResult; c: ColumnResult }[] }>();
  for (const r of results) for (const c of r.columns) {
    if (c.verdict === 'agree') continue;
    const key = `${c.verdict}\u0000${c.kind}`;
    const k = kinds.get(key) ?? { verdict: c.verdict!, kind: c.kind ?? '', items: [] };
    k.items.push({ r, c });
    kinds.set(key, k);
  }
  for (const k of [...kinds.values()].sort((a, b) => VERDICT_ORDER.indexOf(b.verdict) - VERDICT_ORDER.indexOf(a.verdict) || b.items.length - a.items.length)) {
    const files = [...new Map(k.items.map((i) => [i.r.file, i])).values()];
    lines.push(`| ${k.items.length} | ${k.verdict} | ${esc(k.kind)} | ${[...new Set(k.items.map((i) => i.r.format))].join(', ')} | ${files.slice(0, 3).map(({ r, c }) => `\`${esc(r.file)}\`: ${esc(c.name)}${c.path ? ` at \`${esc(c.path)}\`` : ''}, ${esc(clip(c.epoxy))} / ${esc(clip(c.duckdb ?? ''))}`).join('; ')}${files.length > 3 ? ` … (${files.length} files)` : ''} |`);
  }
  if (!detail) return lines;
  const logs = results.filter((r) => r.format === 'log');
  lines.push('', '### Log files, one by one', '', '| file | Epoxy | columns | DuckDB (when Epoxy chose csv/json) |', '|---|---|---|---|');
  for (const r of logs) lines.push(`| \`${esc(r.file)}\` | ${r.crawled ? r.classification : 'refused'} | ${r.crawled ? r.columns.length + r.onlyEpoxy.length : '—'} | ${r.peer ? (r.peer.ok ? `${r.peer.reader}: ${r.peer.columns} columns` : `${r.peer.reader} fails`) : '—'} |`);
  const shape = results.filter((r) => (r.onlyEpoxy.length || r.onlyDuckDb.length) && r.format !== 'log');
  lines.push('', '### Files (other than logs) where Epoxy and DuckDB see other columns', '', '| file | Epoxy classification | Epoxy-only columns | DuckDB-only columns |', '|---|---|---|---|');
  const few = (xs: string[]) => `${esc(xs.slice(0, 6).map((x) => clip(x, 40)).join(', '))}${xs.length > 6 ? ` … (${xs.length})` : ''}`;
  for (const r of shape) lines.push(`| \`${esc(r.file)}\` | ${r.classification} | ${few(r.onlyEpoxy)} | ${few(r.onlyDuckDb)} |`);
  const peerFailed = results.filter((r) => r.peer && !r.peer.ok);
  lines.push('', '### DuckDB could not read', '', peerFailed.length ? peerFailed.map((r) => `- \`${esc(r.file)}\` (${r.peer!.reader}; Epoxy: ${r.crawled ? r.classification : 'refused'}): ${esc(r.peer!.error?.replace(/ in file "[^"]*"/, '') ?? '')}`).join('\n') : 'none.');
  return lines;
}

const clip = (s: string, n = 70) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** Columns whose verdict differs between the sampled and the full-scan crawl. */
function modeChanges(a: Mode, b: Mode): string[] {
  const byFile = new Map(b.results.map((r) => [r.file, r]));
  const out: string[] = [];
  for (const r of a.results) {
    const other = byFile.get(r.file);
    if (!other) continue;
    if (r.crawled !== other.crawled) out.push(`| \`${esc(r.file)}\` | (file) | ${r.crawled ? 'crawled' : 'refused'} | ${other.crawled ? 'crawled' : `refused: ${esc(clip(other.refusal ?? '', 80))}`} |`);
    const cols = new Map(other.columns.map((c) => [c.name, c]));
    for (const c of r.columns) {
      const o = cols.get(c.name);
      if (o && o.epoxy !== c.epoxy) out.push(`| \`${esc(r.file)}\` | ${esc(c.name)} | ${esc(clip(c.epoxy, 50))} (${c.verdict}) | ${esc(clip(o.epoxy, 50))} (${o.verdict}) |`);
    }
  }
  return out;
}

function render(modes: Mode[], manifest: Manifest): string {
  const lines = ['# Real-file survey (issue 17)', '', `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${describeMachine()} · \`nice npx tsx bench/survey/run.ts\``, '', ...METHOD, ''];
  for (const [i, m] of modes.entries()) lines.push(...renderMode(m, i === 0), '');
  if (modes.length === 2) {
    const changes = modeChanges(modes[0]!, modes[1]!);
    lines.push('### What the full scan changes', '', changes.length ? ['| file | column | sampled | full scan |', '|---|---|---|---|', ...changes].join('\n') : 'Nothing: every file and column comes out the same.', '');
  }
  lines.push('## Corpus', '', '| format | files by source |', '|---|---|');
  for (const [format, bySource] of Object.entries(corpusCounts(manifest)).sort()) lines.push(`| ${format} | ${Object.entries(bySource).map(([s, n]) => `${n} ${s}`).join(', ')} |`);
  lines.push('', `Sources: ${Object.entries(manifest.sources).map(([id, s]) => (s.kind === 'github' ? `${id}@${s.commit.slice(0, 10)}` : id)).join(', ')}. Per-file detail: \`bench/.cache/survey/results.json\`.`, '');
  return lines.join('\n');
}

async function main() {
  const { values } = parseArgs({ options: { mode: { type: 'string', default: 'sampled,full-scan' }, only: { type: 'string' }, out: { type: 'string' } } });
  const manifest = JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as Manifest;
  const files = manifest.files.filter((f) => !values.only || f.local.includes(values.only));
  const missing = files.filter((f) => !existsSync(join(FILES_DIR, f.local)));
  if (missing.length) throw new Error(`${missing.length} corpus files are not extracted (e.g. ${missing[0]!.local}): run npx tsx bench/survey/fetch.ts first`);
  const db = await (await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '1GB' })).connect();
  const modes: Mode[] = [];
  for (const name of values.mode.split(',') as Mode['name'][]) {
    if (name !== 'sampled' && name !== 'full-scan') throw new Error(`--mode takes sampled and/or full-scan, not ${name}`);
    const started = performance.now();
    const results: FileResult[] = [];
    for (const [i, f] of files.entries()) {
      const r = await surveyFile(db, f, name === 'full-scan');
      results.push(r);
      const bad = r.columns.filter((c) => c.verdict !== 'agree').length;
      process.stdout.write(`${name} [${i + 1}/${files.length}] ${r.crawled ? `${r.classification} ${r.columns.length} cols${bad ? `, ${bad} differ` : ''}` : `REFUSED ${r.refusal?.slice(0, 90)}`} — ${f.local} (${r.ms} ms)\n`);
    }
    modes.push({ name, results, seconds: (performance.now() - started) / 1000 });
  }
  writeFileSync(join(CACHE_DIR, 'results.json'), JSON.stringify({ date: new Date().toISOString(), modes }, null, 1));
  const out = values.out ?? join(import.meta.dirname, 'RESULTS.md');
  writeFileSync(out, render(modes, manifest));
  for (const m of modes) console.log(`${m.name}: ${m.results.filter((r) => r.crawled).length}/${m.results.length} crawled in ${m.seconds.toFixed(0)} s`);
  console.log(`wrote ${out} and ${join(CACHE_DIR, 'results.json')}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
