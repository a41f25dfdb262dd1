import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';

/**
 * One local Spark (pyspark, `local[2]`) per test file, in a long-lived python3 process
 * (test/support/spark_runner.py): start it in beforeAll (about 5 s), run scripts and queries in it,
 * close it in afterAll. python3 comes from PATH unless EPOXY_PYTHON names another.
 */

/** A table for `sql`: a Parquet file or folder, or rows under a Spark DDL schema ('a INT, d DATE'). */
export type SparkTable = { parquet: string } | { schema: string; rows: unknown[][] };

/** What a script printed. */
export interface SparkOutput {
  stdout: string;
  stderr: string;
}

/** A query's result: Spark's column types (simpleString) and rows as JSON (dates ISO, decimals as strings). */
export interface SparkResult {
  columns: { name: string; type: string }[];
  rows: unknown[][];
}

/** A script or query that failed in Spark; the message carries Python's traceback. */
export class SparkError extends Error {
  constructor(message: string, readonly traceback: string, readonly stdout = '', readonly stderr = '') {
    super(message);
    this.name = 'SparkError';
  }
}

/** Spark's Avro data source for Spark 3.5 / Scala 2.12 (pyspark's own jars), fetched from Maven Central by Ivy. */
export const SPARK_AVRO_PACKAGE = 'org.apache.spark:spark-avro_2.12:3.5.4';

export interface SparkOptions {
  /**
   * Load spark-avro (format('avro')). Ivy resolves it at startup (measured: ~1.5 s with a fresh cache, the jar
   * 200 kB), caching in ~/.ivy2; only a test file that reads or writes Avro should ask for it.
   */
  avro?: boolean;
  /** Extra Spark settings, e.g. {'spark.jars.packages': 'org.apache.spark:spark-avro_2.12:3.5.4'}. */
  conf?: Record<string, string>;
  /** Spark's master; local[2] unless given. */
  master?: string;
}

interface Reply {
  id?: number;
  ok: boolean;
  ready?: boolean;
  closed?: boolean;
  version?: string;
  stdout?: string;
  stderr?: string;
  error?: string;
  result?: SparkResult | null;
}

/** spark_runner.py sends Infinity and NaN, which JSON lacks, as {"$float": "Infinity"}. */
function isFloatMarker(v: unknown): v is { $float: string } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as { $float?: unknown }).$float === 'string';
}

const RUNNER = join(dirname(fileURLToPath(import.meta.url)), 'spark_runner.py');
const LOG_TAIL = 4000;

/** The running Spark of a test file. */
export class Spark {
  private nextId = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private waiting = new Map<number, (r: Reply) => void>();
  private exited: string | null = null;

  private constructor(private child: ChildProcess, readonly version: string, private log: () => string, answers: AsyncIterable<string>) {
    void (async () => {
      for await (const line of answers) {
        const reply = JSON.parse(line, (_k, v: unknown) => (isFloatMarker(v) ? Number(v.$float) : v)) as Reply;
        if (reply.id !== undefined) this.waiting.get(reply.id)?.(reply);
      }
    })();
    child.once('exit', (code, signal) => {
      this.exited = `Spark's python process ended (${signal ?? `exit ${code}`})\n${this.log()}`;
      for (const resolve of this.waiting.values()) resolve({ ok: false, error: this.exited });
      this.waiting.clear();
    });
  }

  /** Start python3 with one SparkSession and wait until it is ready. */
  static async start(options: SparkOptions = {}): Promise<Spark> {
    const python = process.env.EPOXY_PYTHON || 'python3';
    const conf = {
      ...(options.avro ? { 'spark.jars.packages': SPARK_AVRO_PACKAGE } : {}),
      ...(options.conf ?? {}),
      ...(options.master ? { master: options.master } : {}),
    };
    const child = spawn(python, [RUNNER, JSON.stringify(conf)], { stdio: ['pipe', 'pipe', 'pipe', 'pipe'], env: { ...process.env, PYSPARK_PYTHON: python } });
    let log = '';
    const keep = (chunk: Buffer) => { log = (log + chunk.toString()).slice(-LOG_TAIL); };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const lines = createInterface({ input: child.stdio[3] as Readable })[Symbol.asyncIterator]();
    const first = await new Promise<Reply>((resolve, reject) => {
      child.once('error', (e) => reject(new Error(`cannot start ${python} for Spark: ${e.message}`)));
      child.once('exit', (code) => reject(new Error(`Spark's python process (${python}) ended before it was ready (exit ${code}):\n${log}`)));
      void lines.next().then((r) => { if (!r.done) resolve(JSON.parse(r.value) as Reply); });
    });
    if (!first.ok || !first.ready) {
      child.kill();
      throw new Error(`Spark did not start:\n${first.error ?? ''}\n${log}`);
    }
    return new Spark(child, first.version ?? '', () => log, { [Symbol.asyncIterator]: () => lines });
  }

  private request(req: Record<string, unknown>): Promise<Reply> {
    const run = async () => {
      if (this.exited) return { ok: false, error: this.exited } as Reply;
      const id = ++this.nextId;
      const reply = new Promise<Reply>((resolve) => this.waiting.set(id, resolve));
      this.child.stdin!.write(JSON.stringify({ ...req, id }) + '\n');
      const r = await reply;
      this.waiting.delete(id);
      return r;
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private static failure(what: string, r: Reply): SparkError {
    const tb = r.error ?? 'no traceback';
    const last = tb.trim().split('\n').pop() ?? '';
    return new SparkError(`${what} failed in Spark: ${last}\n${tb}`, tb, r.stdout ?? '', r.stderr ?? '');
  }

  /** Run a Python script in the session, with sys.argv = [name, ...argv]; rejects with its traceback. */
  async run(script: string, argv: string[] = [], name = 'script.py'): Promise<SparkOutput> {
    const r = await this.request({ op: 'run', script, argv, name });
    if (!r.ok) throw Spark.failure(name, r);
    return { stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  }

  /** Run Spark SQL over tables registered as temporary views for this query only. */
  async sql(query: string, tables: Record<string, SparkTable> = {}): Promise<SparkResult> {
    const r = await this.request({ op: 'sql', query, tables });
    if (!r.ok) throw Spark.failure('the query', r);
    return r.result!;
  }

  /** Stop the session and its python process. */
  async close(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin!.write(JSON.stringify({ op: 'close' }) + '\n');
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill(), 30_000);
    await gone;
    clearTimeout(timer);
  }
}

/** Start Spark for a test file: `const spark = await startSpark()` in beforeAll (give it a minute). */
export function startSpark(options?: SparkOptions): Promise<Spark> {
  return Spark.start(options);
}
