import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Catalog } from '../catalog/store';
import type { Engine } from '../engine/engine';
import { isGuardRefusal } from '../frames/sql-guard';
import { parseJobDefinition, resolveArguments, substitute, type JobDefinition } from '../jobs/model';
import { localPath, nodeJobEnv, type NodeConfinement } from '../jobs/node-env';
import { executeJob, type JobRunResult } from '../jobs/run';
import { startJobRun } from '../jobs/runs';
import { saveJob } from '../jobs/store';
import { exportDuckDbSql, exportSourcesOf } from '../jobs/export-duckdb';
import { exportSpark, SparkExportError } from '../jobs/export-spark';
import { createEngineService } from '../service/engine-service';
import { loadCatalogFile, saveCatalogFile } from './catalog';

/** Options of `epoxy run`. */
export interface RunCommandOptions {
  jobFile: string;
  /** NODE=PATH: read this source node from a local file or folder. */
  inputs: string[];
  /** NAME=VALUE job arguments. */
  args: string[];
  out: string;
  /** A catalog file: catalog sources, bookmarks, run history and output tables live there. */
  catalogFile?: string;
  /**
   * The user's own job (`--trust`): sources may read the paths in the job file, its SQL may read files
   * (give a trusted engine too), S3 targets may PUT. Without it a run reads only --input paths and catalog
   * table locations, and writes only under --out.
   */
  trust?: boolean;
  onLog?: (line: string) => void;
  /** After a successful run, write the job as scripts for other engines (compiled against the run's schemas). */
  exports?: { sql?: string; spark?: string };
}

function pairs(list: string[], what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new Error(`${what} must be NAME=VALUE, got ${item}`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

/**
 * The job as a DuckDB SQL script and/or a PySpark script, compiled against the schemas this run measured, its
 * sources pointing where this run read them (--input paths, catalog locations). Returns the lines to report.
 */
async function writeExports(def: JobDefinition, result: JobRunResult, inputs: Record<string, string>, args: Record<string, string>, o: RunCommandOptions): Promise<string> {
  const catalog = o.catalogFile ? await loadCatalogFile(o.catalogFile) : undefined;
  try {
    const planned = await exportSourcesOf(def, catalog);
    const sources = Object.fromEntries(Object.entries(planned).map(([id, s]) => [id, inputs[id] ? { ...s, location: inputs[id]!, format: s.format } : s]));
    const lines: string[] = [];
    if (o.exports?.sql) {
      await writeFile(o.exports.sql, exportDuckDbSql(def, { sources, schemas: result.schemas, arguments: args }));
      lines.push(`wrote ${o.exports.sql} (DuckDB SQL: duckdb < ${o.exports.sql})`);
    }
    if (o.exports?.spark) {
      try {
        await writeFile(o.exports.spark, exportSpark(def, { sources, schemas: result.schemas }));
        lines.push(`wrote ${o.exports.spark} (PySpark: spark-submit ${o.exports.spark} --output_base DIR)`);
      } catch (err) {
        if (!(err instanceof SparkExportError)) throw err;
        lines.push(`not written: ${o.exports.spark}: ${err.message}`);
      }
    }
    return lines.join('\n');
  } finally {
    catalog?.close();
  }
}

/** A short report of a run: state, totals, per-node rows and timings, outputs. */
export function renderRunReport(result: JobRunResult): string {
  const lines = [`${result.state} in ${result.durationMs} ms · ${result.rowsRead} rows read · ${result.rowsWritten} rows written (${result.bytesWritten} bytes)`];
  for (const n of result.nodes) lines.push(`  ${n.nodeId.padEnd(20)} ${n.kind.padEnd(9)} ${n.state.padEnd(9)} ${String(n.rows).padStart(9)} rows ${String(n.elapsedMs).padStart(7)} ms${n.skippedFiles ? ` (${n.skippedFiles} files skipped by the bookmark)` : ''}`);
  for (const o of result.outputs) lines.push(`  -> ${o.location} (${o.files.length} file${o.files.length === 1 ? '' : 's'})`);
  if (result.error) lines.push(`Error: ${result.error}`);
  return lines.join('\n');
}

/**
 * What an untrusted run may read: each source's --input, else its catalog table's location. A file source
 * whose path comes only from the job file is refused, and so is a target that would PUT over the network.
 */
export async function confinement(def: JobDefinition, inputs: Record<string, string>, args: Record<string, string>, catalog?: Catalog): Promise<NodeConfinement> {
  const resolved = resolveArguments(def, args);
  const readable: string[] = [];
  for (const n of def.nodes) {
    if (n.kind === 'source') {
      if (inputs[n.id] !== undefined) { readable.push(localPath(substitute(inputs[n.id]!, resolved))); continue; }
      const s = substitute(n.source, resolved);
      if (s.type === 'file') throw new Error(`source ${n.id} reads ${s.path}, which is not an --input: give --input ${n.id}=PATH, or --trust for your own job`);
      if (s.type === 'catalog' && catalog) {
        const table = await catalog.getTable(s.database, s.table).catch(() => null);
        const location = table?.StorageDescriptor?.Location;
        // A missing table or location is reported by the run itself, at the source node.
        if (location) readable.push(localPath(location));
      }
    } else if (n.kind === 'target' && n.target.type === 's3') {
      throw new Error(`target ${n.id} sends its rows over the network to ${n.target.location} (PUT URLs in the job file): run with --trust if this is your own job`);
    }
  }
  return { readable };
}

/** `epoxy run`: run a job file headless on the same engine; returns the result and the report to print. */
export async function runJobCommand(engine: Engine, o: RunCommandOptions): Promise<{ result: JobRunResult; text: string }> {
  const def = parseJobDefinition(await readFile(o.jobFile, 'utf8'));
  const inputs = Object.fromEntries(Object.entries(pairs(o.inputs, '--input')).map(([k, v]) => [k, resolve(v)]));
  for (const id of Object.keys(inputs)) {
    if (!def.nodes.some((n) => n.id === id && n.kind === 'source')) throw new Error(`--input ${id}=...: the job has no source node ${id} (sources: ${def.nodes.filter((n) => n.kind === 'source').map((n) => n.id).join(', ')})`);
  }
  for (const n of def.nodes) {
    if (n.kind === 'source' && n.source.type === 'table' && !(n.id in inputs)) throw new Error(`source node ${n.id} reads the table ${n.source.name} that was open in the browser tab; give it a file or folder: --input ${n.id}=PATH`);
  }
  const args = pairs(o.args, '--arg');
  const onLog = (l: { level: string; nodeId?: string; message: string }) => o.onLog?.(`${l.level === 'info' ? '' : l.level.toUpperCase() + ' '}${l.nodeId ? `[${l.nodeId}] ` : ''}${l.message}`);
  const rules = async (catalog?: Catalog) => (o.trust ? { trusted: true } : { confine: await confinement(def, inputs, args, catalog) });
  // The runner drives the engine through the worker protocol, as in the browser.
  const service = createEngineService(() => Promise.resolve(engine));
  let result: JobRunResult;
  if (o.catalogFile) {
    const catalog = await loadCatalogFile(o.catalogFile);
    try {
      const env = nodeJobEnv(service, o.out, { catalog, inputs, ...(await rules(catalog)) });
      await saveJob(catalog, def);
      // The catalog file is the commit in Node: it is written before the replaced outputs are removed.
      const file = o.catalogFile;
      ({ result } = await startJobRun(catalog, def.name, env, { arguments: args, onLog, persist: () => saveCatalogFile(catalog, file) }));
      await saveCatalogFile(catalog, o.catalogFile);
    } finally {
      catalog.close();
    }
  } else {
    result = await executeJob(def, nodeJobEnv(service, o.out, { inputs, ...(await rules()) }), { arguments: args, onLog });
  }
  let text = renderRunReport(result);
  if (result.state === 'SUCCEEDED' && (o.exports?.sql || o.exports?.spark)) text += '\n' + await writeExports(def, result, inputs, args, o);
  if (!o.trust && result.error && isGuardRefusal(result.error)) text += '\nIf this is your own job and its SQL should read files, run it with --trust.';
  return { result, text };
}
