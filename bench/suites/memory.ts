import { mkdirSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { quoteLiteral } from '../../src/engine/sql';
import type { BenchPage } from '../lib/bench-page';
import { columnsDiffer } from '../lib/check';
import { ordersCsv } from '../lib/data';
import { chromiumProcesses, peakMB, resetPeak, rssMB, sampleTotal, timeVerbose } from '../lib/procmem';
import type { BenchResult, Measurement } from '../lib/report';
import { compareParquet, transformSql } from './transform';
import { FILE_READ_CHUNK_BYTES } from '../../src/engine/file-runtime';

/** Columns and types of bench/lib/data.ts's orders CSV, as a correct inference types them. */
const ORDERS_COLUMNS = 'order_id:bigint order_ts:timestamp region:string product:string quantity:bigint amount:double discount:double shipped:boolean'
  .split(' ').map((s) => ({ name: s.slice(0, s.indexOf(':')), type: s.slice(s.indexOf(':') + 1) }));
/** Rows are sized at DESIGN.md's 68 bytes each; the file comes out a little smaller (its real size is reported). */
const BYTES_PER_ROW = 68;
const GB = 2 ** 30;

type Win = { bench: import('../browser/main').BenchPageApi };

/** Options of the memory suite. */
export interface MemoryOptions {
  dataDir: string;
  /** Size of the generated CSV (2 GB in the full run). */
  bytes: number;
  /** Starts a fresh bench page (a new chromium, so its processes' peaks are this suite's own). */
  startPage: () => Promise<BenchPage>;
}

const mbOf = (name: string, value: number, note?: string): Measurement => ({ name, medianMs: value, runsMs: [value], note, unit: 'MB' });

/**
 * Peak memory of crawling (sampled and full-scan inference) and of a filter/aggregate job over a large CSV
 * dropped into chromium, against native DuckDB's process peak on the same file.
 */
export async function memoryBench(options: MemoryOptions, log: (line: string) => void = () => {}): Promise<BenchResult> {
  const rows = Math.round(options.bytes / BYTES_PER_ROW);
  const wanted = join(options.dataDir, `orders_${rows}.csv`);
  const free = statfsSync(options.dataDir).bavail * statfsSync(options.dataDir).bsize;
  const exists = (() => { try { return statSync(wanted).size > 0; } catch { return false; } })();
  let title = `Memory: peak for crawling and a job over a ~${(options.bytes / GB).toFixed(options.bytes >= GB ? 0 : 2)} GiB CSV`;
  const measures = 'The CSV is dropped on the bench page (Playwright `setInputFiles`: chromium gets a disk-backed File). Peak = the kernel\'s peak resident set (VmHWM in /proc, reset before each phase through clear_refs) of the chromium renderer process, which holds the page, its Web Workers and the DuckDB-WASM heap; "all chromium processes" is the highest sum of their RSS sampled every 100 ms (shared pages counted in each, so an upper bound). CDP\'s JSHeapUsedSize is not used: it sees neither worker heaps nor WASM memory. Peer: native DuckDB (@duckdb/node-api, default threads) in a Node process under /usr/bin/time -v, whose peak includes Node itself (see the baseline row).';
  if (!exists && free < 6 * GB) {
    return { suite: 'memory', title, measures, epoxy: '', measurements: [], goals: [{ id: 'memory-2gb-job' }], checked: `SKIPPED: only ${(free / GB).toFixed(1)} GB free on ${options.dataDir}; the suite needs 6 GB.` };
  }
  log(`memory: generating/reusing ${rows.toLocaleString('en-US')} rows (~${(options.bytes / GB).toFixed(2)} GB)`);
  const csv = await ordersCsv(options.dataDir, rows);
  const size = statSync(csv).size;
  title = `Memory: peak for crawling and a job over a ${(size / 1e9).toFixed(2)} GB CSV (${rows.toLocaleString('en-US')} rows)`;
  const problems: string[] = [];
  const measurements: Measurement[] = [];
  const notes: string[] = [];

  const bench = await options.startPage();
  let epoxyParquet: Buffer;
  try {
    const page = await bench.open();
    const procs = () => chromiumProcesses(bench.marker);
    const renderers = () => procs().filter((p) => p.type === 'renderer').map((p) => p.pid);
    await page.setInputFiles('#big', csv);
    const baseline = Math.max(...renderers().map(rssMB));
    measurements.push(mbOf('renderer baseline (page loaded, file dropped)', baseline));
    const phase = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
      for (const p of procs()) if (!resetPeak(p.pid)) problems.push(`could not reset the peak of pid ${p.pid}`);
      const total = sampleTotal(() => procs().map((p) => p.pid));
      const t0 = performance.now();
      const result = await run();
      const ms = performance.now() - t0;
      const all = total.stop();
      const peak = Math.max(...renderers().map(peakMB));
      measurements.push(mbOf(`Epoxy ${name}: renderer peak`, peak, `${(ms / 1000).toFixed(1)} s; all chromium processes ${all.toFixed(0)} MB`));
      log(`  ${name}: renderer peak ${peak.toFixed(0)} MB in ${(ms / 1000).toFixed(1)} s`);
      return result;
    };
    const sampled = await phase('sampled inference (worker)', () => page.evaluate(() => (window as unknown as Win).bench.classify('big', 'sample', 1)));
    const diff = columnsDiffer(sampled.summary.columns, ORDERS_COLUMNS);
    if (diff) problems.push(`sampled schema: ${diff}`);
    const full = await phase('full scan (worker)', () => page.evaluate(() => (window as unknown as Win).bench.classify('big', 'full', 1)));
    if (full.summary.recordCount !== rows) problems.push(`full scan counted ${full.summary.recordCount} records, the generator wrote ${rows}`);
    const fullDiff = columnsDiffer(full.summary.columns, ORDERS_COLUMNS);
    if (fullDiff) problems.push(`full-scan schema: ${fullDiff}`);
    // The engine's own start (WASM compile + heap) is a phase of its own, so the job's figure is the job's.
    await phase('engine start (DuckDB-WASM worker)', () => page.evaluate(() => (window as unknown as Win).bench.startEngine()));
    const engineMemory = () => page.evaluate(() => (window as unknown as Win).bench.engineMemory());
    const started = await engineMemory();
    const before = Math.max(...renderers().map(rssMB));
    const job = await phase('job: open + filter/aggregate -> Parquet', () => page.evaluate((sql) => (window as unknown as Win).bench.engineJob('big', sql), transformSql('__SOURCE__')));
    notes.push(`Job wall time in chromium: ${(job.ms / 1000).toFixed(1)} s (open + query + Parquet encode).`);
    const done = await engineMemory();
    const heapMB = (m: typeof done) => m.wasmHeapBytes / 2 ** 20;
    const reads = done.fileReads;
    const jobPeakMB = measurements[measurements.length - 1]!.medianMs;
    // The WASM heap only grows, so its growth over the job is DuckDB's share of the peak; the rest is JS memory
    // of the page and its workers (the dropped file's read buffers, Arrow results) and chromium's own.
    notes.push(`Where the job's renderer peak (${jobPeakMB.toFixed(0)} MB) went: ${before.toFixed(0)} MB were resident before it (page, workers, the engine's compiled code and ${heapMB(started).toFixed(0)} MB WASM heap); the WASM heap grew by ${(heapMB(done) - heapMB(started)).toFixed(0)} MB to ${heapMB(done).toFixed(0)} MB (an upper bound of DuckDB's share: pages of the heap never touched are not resident; DuckDB memory_limit ${done.memoryLimit}, threads ${done.threads}, buffer pool ${(done.duckdbBytes / 2 ** 20).toFixed(0)} MB now, ${(done.duckdbTempBytes / 2 ** 20).toFixed(0)} MB spilled); the remaining ${Math.max(0, jobPeakMB - before - (heapMB(done) - heapMB(started))).toFixed(0)} MB were JS and browser memory.${reads ? ` DuckDB read the file in ${reads.reads.toLocaleString('en-US')} reads (${(reads.bytes / 2 ** 20).toFixed(0)} MB, largest ${(reads.largestRead / 2 ** 20).toFixed(1)} MB), each read in slices of at most ${FILE_READ_CHUNK_BYTES / 2 ** 20} MB whose ArrayBuffers are dropped once copied into the heap (src/engine/file-runtime.ts), so dead read buffers no longer pile up until a collection.` : ''}`);
    // How much of the job's peak was transient (garbage collected or freed) rather than held by the engine.
    await new Promise((r) => setTimeout(r, 2000));
    const after = Math.max(...renderers().map(rssMB));
    const jobPeakNow = measurements[measurements.length - 1]!.medianMs;
    const pool = await page.evaluate(() => (window as unknown as { epoxy: { query(sql: string): Promise<{ rows: unknown[][] }> } }).epoxy.query('SELECT coalesce(sum(memory_usage_bytes), 0) // 1048576 FROM duckdb_memory()').then((r) => String(r.rows[0]?.[0])));
    notes.push(`Renderer RSS 2 s after the job: ${after.toFixed(0)} MB (peak ${jobPeakNow.toFixed(0)} MB; DuckDB's buffer pool now holds ${pool} MB).${after < jobPeakNow - 100 ? ' WASM memory cannot shrink, so what the renderer gave back after the peak was transient JS memory of the page or its workers (most likely the ArrayBuffers of BROWSER_FILEREADER\'s per-read copies; not yet confirmed with a heap profile).' : ''}`);
    epoxyParquet = Buffer.from(job.parquet, 'base64');
  } finally {
    await bench.close();
  }

  const outDir = join(options.dataDir, 'out_memory');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'epoxy_chromium.parquet'), epoxyParquet);
  const nativeOut = join(outDir, 'native.parquet');
  const native = (sql: string) => ['-e', `const {DuckDBInstance}=require('@duckdb/node-api');(async()=>{const c=await (await DuckDBInstance.create(':memory:')).connect();const r=await c.runAndReadAll(${JSON.stringify(sql)});console.log(JSON.stringify(r.getRows().map(x=>x.map(String))));})()`];
  const base = await timeVerbose(process.execPath, native('SELECT 42'));
  measurements.push(mbOf('native DuckDB baseline (Node + DuckDB, SELECT 42)', base.peakMB));
  const sniff = await timeVerbose(process.execPath, native(`DESCRIBE SELECT * FROM read_csv(${quoteLiteral(csv)})`));
  measurements.push(mbOf('native DuckDB sniffer (DESCRIBE read_csv): process peak', sniff.peakMB, `${(sniff.ms / 1000).toFixed(1)} s`));
  const nativeJob = await timeVerbose(process.execPath, native(`COPY (${transformSql(`read_csv(${quoteLiteral(csv)})`)}) TO ${quoteLiteral(nativeOut)} (FORMAT parquet)`));
  measurements.push(mbOf('native DuckDB job (filter/aggregate -> Parquet): process peak', nativeJob.peakMB, `${(nativeJob.ms / 1000).toFixed(1)} s`));
  let same = '';
  try {
    same = await compareParquet({ native: nativeOut, epoxy_chromium: join(outDir, 'epoxy_chromium.parquet') }, 'native');
  } catch (err) {
    problems.push((err as Error).message);
  }
  const jobPeak = measurements.find((m) => m.name.startsWith('Epoxy job'))!.medianMs;
  const fileMB = size / 2 ** 20;
  const lazy = jobPeak < fileMB
    ? `stayed below the file's ${fileMB.toFixed(0)} MB: the dropped file was read lazily, never held whole`
    : `is ${(jobPeak / fileMB * 100).toFixed(0)}% of the file's ${fileMB.toFixed(0)} MB (at this size that does not show whether the file was held whole)`;
  const checked = problems.length
    ? `FAILED: ${problems.join('; ')}`
    : `sampled and full-scan schemas are the generated ones, the full scan counted all ${rows.toLocaleString('en-US')} records; the job's result equals native DuckDB's (${same.replace(/\.$/, '')}); the renderer's peak during the job (${jobPeak.toFixed(0)} MB) ${lazy}.`;
  return {
    suite: 'memory',
    title,
    measures,
    epoxy: 'Epoxy job: open + filter/aggregate -> Parquet: renderer peak',
    peer: 'native DuckDB job (filter/aggregate -> Parquet): process peak',
    goals: [{ id: 'memory-2gb-job', ...(options.bytes >= 2 * GB ? {} : { at: `${(size / 1e9).toFixed(2)} GB` }) }],
    measurements,
    checked,
    details: notes,
    note: notes[1],
  };
}
