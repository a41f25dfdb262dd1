// Spark parity: a job runs in the tab (executeJob on DuckDB-WASM) and, exported with exportSpark, on local Spark;
// the two Parquet outputs are compared on native DuckDB (@duckdb/node-api): column names, types as DuckDB reads
// both files, and rows with EXCEPT ALL both ways. Extra outputs of a transform (SplitRows' rest, Relationalize's
// child tables, Spigot's sample) are compared too: the tab's from the step's compiled extras, Spark's from the
// `${id}__<name>` DataFrames.
//
// Spark is test/support/spark.ts's: open the file's session once (startSpark in beforeAll; the run shares one JVM) and pass it in.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import type { Engine } from '../../src/engine/engine';
import { compileTransform, relationOf } from '../../src/jobs/compile';
import { exportSpark, frameVar, SparkExportError } from '../../src/jobs/export-spark';
import type { JobDefinition, TransformNode } from '../../src/jobs/model';
import { nodeJobEnv } from '../../src/jobs/node-env';
import { executeJob } from '../../src/jobs/run';
import { writeOutput } from '../../src/jobs/writers';
import { factsSql, readFacts } from '../../src/frames/compile';
import { extraVar } from '../../src/frames/transforms/def';
import { serviceOf } from './service';

/** What the parity check needs of a Spark (test/support/spark.ts's Spark): run a script with command-line arguments. */
export interface SparkRunner {
  run(script: string, argv: string[]): Promise<unknown>;
}

let duck: Promise<DuckDBConnection> | null = null;
const native = () => (duck ??= DuckDBInstance.create(':memory:').then((d) => d.connect()));

function lit(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** What native DuckDB reads from one output folder: its columns (name and type) and a relation over its rows. */
async function describe(folder: string): Promise<{ columns: string[]; from: string }> {
  const from = `read_parquet(${lit(join(folder, '**', '*.parquet'))})`;
  const conn = await native();
  const d = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`);
  return { columns: d.getRowObjectsJson().map((r) => `${String(r['column_name'])} ${String(r['column_type'])}`), from };
}

async function rowsOnlyIn(a: string, b: string): Promise<string[]> {
  const conn = await native();
  const r = await conn.runAndReadAll(`SELECT * FROM (SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b}) LIMIT 5`);
  return r.getRowObjectsJson().map((x) => JSON.stringify(x));
}

async function count(from: string): Promise<number> {
  const r = await (await native()).runAndReadAll(`SELECT count(*) AS n FROM ${from}`);
  return Number(r.getRowObjectsJson()[0]!['n']);
}

/** Compare two output folders: same columns and types in the same order, same rows (as multisets). */
export async function expectSameParquet(tab: string, spark: string, what: string): Promise<number> {
  const a = await describe(tab);
  const b = await describe(spark);
  expect(b.columns, `${what}: Spark's columns`).toEqual(a.columns);
  expect(await rowsOnlyIn(a.from, b.from), `${what}: rows only the tab has`).toEqual([]);
  expect(await rowsOnlyIn(b.from, a.from), `${what}: rows only Spark has`).toEqual([]);
  return count(a.from);
}

export interface ParityOptions {
  /** Where each source node's files are (absolute paths). */
  sources: Record<string, string>;
  /** Transform nodes whose extra outputs (all of them) are compared too. */
  extras?: string[];
}

/**
 * Run `job` in the tab and on Spark and expect the same outputs (every download/parquet target, and the
 * extras asked for). Returns the row counts per output, so a test can also say the output is not empty.
 */
export async function expectSparkParity(spark: SparkRunner, engine: Engine, job: JobDefinition, o: ParityOptions): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'epoxy-spark-parity-'));
  const tabDir = join(dir, 'tab');
  const sparkDir = join(dir, 'spark');
  const prefix = `__parity_${Math.random().toString(36).slice(2, 8)}_`;
  const service = serviceOf(engine);
  const result = await executeJob(job, nodeJobEnv(service, tabDir), { prefix, keepTables: true });
  expect(result.error, 'the tab run').toBeUndefined();
  const outputs: { name: string; folder: string }[] = [];
  for (const n of job.nodes) if (n.kind === 'target' && n.target.type === 'download') outputs.push({ name: n.target.name || n.id, folder: n.target.name || n.id });
  const extraLines: string[] = [];
  try {
    for (const nodeId of o.extras ?? []) {
      const node = job.nodes.find((n) => n.id === nodeId) as TransformNode;
      const inputs = node.inputs.map((id) => ({ relation: relationOf(prefix, id), schema: result.schemas[id]! }));
      const fq = factsSql(node.step, inputs[0]!);
      const facts = fq ? readFacts(node.step, inputs[0]!, engine.query(fq, 1).rows[0] ?? []) : undefined;
      const compiled = compileTransform(node, inputs, {}, facts);
      for (const e of compiled.extras) {
        const folder = `${nodeId}__${e.name}`;
        mkdirSync(join(tabDir, folder), { recursive: true });
        for (const f of writeOutput(engine, e.sql, { format: 'parquet' })) writeFileSync(join(tabDir, folder, f.path), f.bytes);
        extraLines.push(`${extraVar(frameVar(nodeId), e.name)}.write.mode("overwrite").parquet(args["output_base"] + ${JSON.stringify(`/${folder}/`)})`);
        outputs.push({ name: `${nodeId} extra ${e.name}`, folder });
      }
    }
  } finally {
    await service.dropFrame(prefix.replace(/_$/, '')).catch(() => undefined);
  }
  const script = exportSpark(job, { sources: Object.fromEntries(Object.entries(o.sources).map(([id, p]) => [id, { location: resolve(p), format: null }])), schemas: result.schemas }) + extraLines.join('\n') + '\n';
  writeFileSync(join(dir, 'job.py'), script);
  const argv = ['--output_base', sparkDir, ...Object.entries(o.sources).flatMap(([id, p]) => [`--input_${id}`, resolve(p)])];
  await spark.run(script, argv);
  const counts: Record<string, number> = {};
  for (const out of outputs) counts[out.name] = await expectSameParquet(join(tabDir, out.folder), join(sparkDir, out.folder), `${out.name} (script: ${join(dir, 'job.py')})`);
  return counts;
}

/**
 * Expect the tab to run `job` and the PySpark export to refuse it with a SparkExportError naming the node and
 * matching `why` (what Spark cannot compute the same way), rather than write a script that computes something else.
 */
export async function expectSparkRefusal(engine: Engine, job: JobDefinition, sources: Record<string, string>, nodeId: string, why: RegExp): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'epoxy-spark-refusal-'));
  const result = await executeJob(job, nodeJobEnv(serviceOf(engine), dir));
  expect(result.error, 'the tab run').toBeUndefined();
  let thrown: unknown;
  try {
    exportSpark(job, { sources: Object.fromEntries(Object.entries(sources).map(([id, p]) => [id, { location: resolve(p), format: null }])), schemas: result.schemas });
  } catch (err) { thrown = err; }
  expect(thrown).toBeInstanceOf(SparkExportError);
  expect((thrown as SparkExportError).nodeId).toBe(nodeId);
  expect((thrown as Error).message).toMatch(why);
}
