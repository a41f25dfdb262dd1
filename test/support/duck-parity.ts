/**
 * Native DuckDB parity: a job run in the tab's engine (as `epoxy run` runs it) against its DuckDB SQL export run
 * on native DuckDB (@duckdb/node-api). Every target's output is read back by native DuckDB on both sides and
 * compared: column names, column types, rows (EXCEPT ALL both ways, so duplicates count) and partition folders.
 *
 *   await expectDuckParity(job);                          // sources read the paths in the job
 *   await expectDuckParity(job, { inputs: { src: path } }); // or --input-style overrides
 *   await expectDuckParity(stepJob('pivot', file(vega('cars.json')), [step('Pivot', { ... })])); // one step's test
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Catalog } from '../../src/catalog/store';
import type { Engine } from '../../src/engine/engine';
import { createNodeEngine } from '../../src/engine/node';
import { exportDuckDbSql, exportFolders, exportSourcesOf } from '../../src/jobs/export-duckdb';
import type { Step } from '../../src/frames/steps';
import type { JobDefinition, JobNode, SourceSpec, TargetNode, TargetSpec } from '../../src/jobs/model';
import { resolveArguments, substitute } from '../../src/jobs/model';
import { nodeJobEnv } from '../../src/jobs/node-env';
import { executeJob, type JobRunResult } from '../../src/jobs/run';
import { serviceOf } from './service';

export interface ParityOptions {
  /** Per source node, a path replacing the job's own (what `epoxy run --input node=path` gives). */
  inputs?: Record<string, string>;
  /** Job arguments (`--name value`), for the run and the export alike. */
  arguments?: Record<string, string>;
  /** The tab's engine; by default one Node DuckDB-WASM engine shared by the test file. */
  engine?: Engine;
  /** The catalog catalog sources read (the same one for the run and the export's source plans). */
  catalog?: Catalog;
  /** Where both sides write (a fresh temp folder by default): `<root>/tab`, `<root>/native`. */
  root?: string;
  /** Accept a target that wrote no rows on either side (by default that is a problem: nothing was compared). */
  allowEmpty?: boolean;
  /** Rows shown per side in a failure message (default 5). */
  show?: number;
}

/** One column as native DuckDB reads an output back. */
export interface ParityColumn { name: string; type: string }

/** What one target wrote on each side, and how the two differ. */
export interface TargetParity {
  nodeId: string;
  tab: { columns: ParityColumn[]; rows: number; folders: string[]; files: string[] };
  native: { columns: ParityColumn[]; rows: number; folders: string[]; files: string[] };
  /** Rows (as JSON) in the tab's output but not native's, and the reverse, counting duplicates. */
  onlyInTab: string[];
  onlyInNative: string[];
  /** Differences in words (empty: the target matches). */
  problems: string[];
}

/** The whole comparison: the tab's run, the exported script, each target's parity. */
export interface ParityReport {
  run: JobRunResult;
  script: string;
  targets: TargetParity[];
  /** Every target's problems, prefixed with its node id; empty when the job matches. */
  problems: string[];
}

/** vega-datasets' files (real data every parity test can read). */
export const VEGA = join(process.cwd(), 'node_modules/vega-datasets/data');
export const vega = (name: string) => join(VEGA, name);

type FileFormat = Extract<SourceSpec, { type: 'file' }>['format'];
/** A file source (a file or a folder); with no format the tab reads each file by its name. */
export const file = (path: string, format?: FileFormat): SourceSpec => ({ type: 'file', path, ...(format ? { format } : {}) });
/** A step with its params typed by kind. */
export const step = <K extends Step['kind']>(kind: K, params: Extract<Step, { kind: K }>['params']): Step => ({ id: kind.toLowerCase(), kind, params } as Step);

/** A step in stepJob's chain; `with` names a second source node (in `extra.nodes`) a Join or Union reads. */
export type StepSpec = Step | { step: Step; with: string };

/**
 * A job of one source (node `src`), steps in a chain (nodes t0, t1 ...) and one target (`out`, a workspace
 * Parquet folder unless `target` says otherwise).
 */
export function stepJob(name: string, source: SourceSpec, steps: StepSpec[], target: Partial<TargetSpec> = {}, extra: { nodes?: JobNode[]; parameters?: JobDefinition['parameters'] } = {}): JobDefinition {
  const nodes: JobNode[] = [{ id: 'src', kind: 'source', source }, ...(extra.nodes ?? [])];
  let prev = 'src';
  steps.forEach((s, i) => {
    nodes.push({ id: `t${i}`, kind: 'transform', inputs: 'with' in s ? [prev, s.with] : [prev], step: 'step' in s ? s.step : s });
    prev = `t${i}`;
  });
  nodes.push({ id: 'out', kind: 'target', inputs: [prev], target: { type: 'workspace', path: 'lake/out', format: 'parquet', ...target } as TargetSpec });
  return { version: 1, name, bookmark: 'job-bookmark-disable', parameters: extra.parameters ?? [], nodes };
}

let shared: Promise<Engine> | null = null;
/** One tab engine per test file (each vitest file is its own module graph). */
function tabEngine(): Promise<Engine> {
  shared ??= createNodeEngine();
  return shared;
}

const EXT = { parquet: '.parquet', csv: '.csv', ndjson: '.json' } as const;

/** Data files (not markers) under a folder, relative to it, sorted. */
function filesUnder(dir: string, ext: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(ext) && !/^[_.]/.test(e.name)) out.push(relative(dir, p).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

const folderOf = (path: string) => path.split('/').slice(0, -1).join('/');

/** The native read of a target's files: the same reader and options on both sides, partition folders as VARCHAR columns. */
function readSql(format: keyof typeof EXT, paths: string[], partitioned: boolean): string {
  const list = `[${paths.map((p) => `'${p.replace(/'/g, "''")}'`).join(', ')}]`;
  const hive = partitioned ? ', hive_partitioning=true, hive_types_autocast=false' : ', hive_partitioning=false';
  if (format === 'parquet') return `read_parquet(${list}, union_by_name=true${hive})`;
  if (format === 'csv') return `read_csv(${list}, header=true, union_by_name=true${hive})`;
  return `read_json(${list}, format='newline_delimited', union_by_name=true${hive})`;
}

async function rowsOf(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Where a tab target's files are: its output location (a version folder for workspace targets). */
function tabFiles(run: JobRunResult, nodeId: string, ext: string): { dir: string; files: string[] } {
  const out = run.outputs.find((o) => o.nodeId === nodeId);
  if (!out) throw new Error(`${nodeId}: the tab's run wrote no output`);
  const dir = out.location.startsWith('file://') ? fileURLToPath(out.location) : out.location;
  return { dir, files: filesUnder(dir, ext) };
}

/** Where the exported script put a target's files (a file, or a folder of them). */
function nativeFiles(node: TargetNode, nativeOut: string): { dir: string; files: string[] } {
  const t = node.target;
  const base = t.type === 's3' ? t.location.replace(/\/+$/, '') : join(nativeOut, t.type === 'workspace' ? t.path : (t.name || node.id));
  const ext = EXT[t.format];
  const single = base + ext;
  const info = (p: string) => { try { return statSync(p); } catch { return null; } };
  if (!t.partitionBy?.length && t.type !== 'workspace' && info(single)?.isFile()) return { dir: folderOf(single), files: [single.split('/').pop()!] };
  if (!info(base)?.isDirectory()) throw new Error(`${node.id}: the native script wrote nothing at ${base}`);
  return { dir: base, files: filesUnder(base, ext) };
}

async function compareTarget(conn: DuckDBConnection, node: TargetNode, tab: { dir: string; files: string[] }, native: { dir: string; files: string[] }, show: number, allowEmpty: boolean): Promise<TargetParity> {
  const t = node.target;
  const partitioned = !!t.partitionBy?.length;
  const problems: string[] = [];
  const side = async (name: string, s: { dir: string; files: string[] }) => {
    if (!s.files.length) {
      problems.push(`${name} wrote no ${t.format} file`);
      return { columns: [] as ParityColumn[], rows: 0 };
    }
    await conn.run(`CREATE OR REPLACE TABLE ${name} AS SELECT * FROM ${readSql(t.format, s.files.map((f) => join(s.dir, f)), partitioned)}`);
    const columns = (await rowsOf(conn, `DESCRIBE ${name}`)).map((r) => ({ name: String(r['column_name']), type: String(r['column_type']) }));
    const rows = Number((await rowsOf(conn, `SELECT count(*)::BIGINT AS n FROM ${name}`))[0]!['n']);
    return { columns, rows };
  };
  const a = await side('tab_out', tab);
  const b = await side('native_out', native);
  const tabFolders = [...new Set(tab.files.map(folderOf))].sort();
  const nativeFolders = [...new Set(native.files.map(folderOf))].sort();
  const result: TargetParity = {
    nodeId: node.id,
    tab: { ...a, folders: tabFolders, files: tab.files },
    native: { ...b, folders: nativeFolders, files: native.files },
    onlyInTab: [], onlyInNative: [], problems,
  };
  if (problems.length) return result;
  const names = (cs: ParityColumn[]) => cs.map((c) => c.name);
  if (names(a.columns).join('\u0000') !== names(b.columns).join('\u0000')) problems.push(`columns differ: tab ${JSON.stringify(names(a.columns))}, native ${JSON.stringify(names(b.columns))}`);
  const common = a.columns.filter((c) => b.columns.some((d) => d.name === c.name));
  for (const c of common) {
    const other = b.columns.find((d) => d.name === c.name)!;
    if (other.type !== c.type) problems.push(`column ${c.name}: tab ${c.type}, native ${other.type}`);
  }
  if (partitioned && tabFolders.join('\n') !== nativeFolders.join('\n')) {
    const onlyTab = tabFolders.filter((f) => !nativeFolders.includes(f));
    const onlyNative = nativeFolders.filter((f) => !tabFolders.includes(f));
    problems.push(`partition folders differ: only the tab wrote ${JSON.stringify(onlyTab.slice(0, show))}, only native wrote ${JSON.stringify(onlyNative.slice(0, show))}`);
  }
  if (!allowEmpty && a.rows === 0 && b.rows === 0) problems.push('both sides wrote no rows: nothing was compared');
  if (a.rows !== b.rows) problems.push(`row counts differ: tab ${a.rows}, native ${b.rows}`);
  if (common.length) {
    // Same types: compare values as they are. Different types: as text, so the rows still say where they differ.
    const sameTypes = common.every((c) => b.columns.find((d) => d.name === c.name)!.type === c.type);
    const cols = common.map((c) => (sameTypes ? q(c.name) : `CAST(${q(c.name)} AS VARCHAR) AS ${q(c.name)}`)).join(', ');
    const diff = async (x: string, y: string) => {
      // The row's alias is one no output column has: to_json(alias) of a column's name would give that column.
      const sql = `SELECT to_json(__parity_row)::VARCHAR AS j FROM (SELECT ${cols} FROM ${x} EXCEPT ALL SELECT ${cols} FROM ${y}) AS __parity_row`;
      return (await rowsOf(conn, `SELECT j FROM (${sql}) ORDER BY j`)).map((r) => String(r['j']));
    };
    result.onlyInTab = await diff('tab_out', 'native_out');
    result.onlyInNative = await diff('native_out', 'tab_out');
    if (result.onlyInTab.length || result.onlyInNative.length) {
      problems.push(`${result.onlyInTab.length} row(s) only in the tab's output, e.g.\n      ${result.onlyInTab.slice(0, show).join('\n      ')}\n    ${result.onlyInNative.length} row(s) only in native's, e.g.\n      ${result.onlyInNative.slice(0, show).join('\n      ')}`);
    }
  }
  return result;
}

/**
 * Run `job` in the tab's engine and its DuckDB SQL export on native DuckDB, then compare every target's
 * output. Throws only when a side fails to run (with the script or the run's error); differences are in the report.
 */
export async function duckParity(job: JobDefinition, o: ParityOptions = {}): Promise<ParityReport> {
  const root = o.root ?? mkdtempSync(join(tmpdir(), `epoxy-parity-${job.name.replace(/[^A-Za-z0-9_-]/g, '_')}-`));
  const tabOut = join(root, 'tab');
  const nativeOut = join(root, 'native');
  const engine = o.engine ?? await tabEngine();
  const run = await executeJob(job, nodeJobEnv(serviceOf(engine), tabOut, { ...(o.inputs ? { inputs: o.inputs } : {}), ...(o.catalog ? { catalog: o.catalog } : {}) }), o.arguments ? { arguments: o.arguments } : {});
  if (run.state !== 'SUCCEEDED') throw new Error(`the tab's run of ${job.name} ${run.state}${run.failedNode ? ` at ${run.failedNode}` : ''}: ${run.error ?? ''}`);
  const args = resolveArguments(job, o.arguments);
  const sources = await exportSourcesOf(job, o.catalog);
  for (const [id, path] of Object.entries(o.inputs ?? {})) if (sources[id]) sources[id] = { ...sources[id]!, location: substitute(path, args) };
  const script = exportDuckDbSql(job, { sources, schemas: run.schemas, processed: run.processed, outDir: nativeOut, ...(o.arguments ? { arguments: o.arguments } : {}) });
  for (const d of exportFolders(job, nativeOut, o.arguments)) mkdirSync(d, { recursive: true });
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  try {
    await conn.run(script);
  } catch (err) {
    throw new Error(`the exported script of ${job.name} failed on native DuckDB: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n--- script ---\n${script}`);
  }
  const check = await (await DuckDBInstance.create(':memory:')).connect();
  const targets: TargetParity[] = [];
  for (const node of job.nodes) {
    if (node.kind !== 'target') continue;
    const bound = substitute(node, args);
    const tab = tabFiles(run, node.id, EXT[bound.target.format]);
    targets.push(await compareTarget(check, bound, tab, nativeFiles(bound, nativeOut), o.show ?? 5, o.allowEmpty ?? false));
  }
  return { run, script, targets, problems: targets.flatMap((t) => t.problems.map((p) => `${t.nodeId}: ${p}`)) };
}

/** duckParity, failing with every difference (and the script) when the native output is not the tab's. */
export async function expectDuckParity(job: JobDefinition, o: ParityOptions = {}): Promise<ParityReport> {
  const report = await duckParity(job, o);
  if (report.problems.length) {
    throw new Error(`native DuckDB differs from the tab for job ${job.name}:\n  ${report.problems.join('\n  ')}\n--- script ---\n${report.script}`);
  }
  return report;
}
