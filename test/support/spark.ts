import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { inject } from 'vitest';
import { startSparkBroker, type SparkBroker, type SparkRequestOptions } from './spark-broker';

/**
 * Local Spark (pyspark, `local[2]`) for tests: a test file opens its own SparkSession in beforeAll, runs scripts
 * and queries in it, closes it in afterAll. The sessions live in one long-lived python3 + JVM for the whole vitest
 * run (test/support/spark-broker.ts, started by test/support/spark-global-setup.ts), so only the first file waits
 * for Spark to start. python3 comes from PATH unless EPOXY_PYTHON names another.
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
  session?: string;
  version?: string;
  stdout?: string;
  stderr?: string;
  error?: string;
  result?: SparkResult | null;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** host:port of the run's Spark broker (test/support/spark-global-setup.ts). */
    sparkBroker: string;
  }
}

/** spark_runner.py sends Infinity and NaN, which JSON lacks, as {"$float": "Infinity"}. */
function isFloatMarker(v: unknown): v is { $float: string } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as { $float?: unknown }).$float === 'string';
}

/** Which Spark a file needs (start settings) and what its own session sets (spark.sql.*, changeable per session). */
function requestOptions(options: SparkOptions): SparkRequestOptions {
  const start: Record<string, string> = {};
  const session: Record<string, string> = {};
  if (options.avro) start['spark.jars.packages'] = SPARK_AVRO_PACKAGE;
  if (options.master) start.master = options.master;
  for (const [key, value] of Object.entries(options.conf ?? {})) (key.startsWith('spark.sql.') ? session : start)[key] = value;
  return { start, session };
}

/** The run's broker, from the global setup; a process without one (vitest without the config) starts its own. */
function brokerAddress(): string | undefined {
  try {
    return inject('sparkBroker');
  } catch {
    return undefined;
  }
}

/** A test file's session in the run's shared Spark. */
export class Spark {
  private nextId = 0;
  private waiting = new Map<number, (r: Reply) => void>();
  private gone: string | null = null;
  private listening = false;
  private session = '';
  /** Spark's version, e.g. 3.5.4. */
  version = '';

  private constructor(private socket: Socket, private own: SparkBroker | undefined) {}

  /** Connect to the run's Spark broker, open a session and wait until Spark is ready (the first file starts it). */
  static async start(options: SparkOptions = {}): Promise<Spark> {
    let address = brokerAddress();
    let own: SparkBroker | undefined;
    if (!address) {
      own = await startSparkBroker();
      address = own.address;
    }
    const [host, port] = address.split(':');
    const socket = connect(Number(port), host);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', (e) => reject(new Error(`cannot reach the Spark broker at ${address}: ${e.message}`)));
    });
    const spark = new Spark(socket, own);
    const opened = await spark.request({ op: 'open', options: requestOptions(options) });
    if (!opened.ok) {
      socket.destroy();
      await own?.close();
      throw new Error(`Spark did not start:\n${opened.error ?? ''}`);
    }
    spark.session = opened.session!;
    spark.version = opened.version ?? '';
    return spark;
  }

  private listen(): void {
    if (this.listening) return;
    this.listening = true;
    createInterface({ input: this.socket }).on('line', (line) => {
      const reply = JSON.parse(line, (_k, v: unknown) => (isFloatMarker(v) ? Number(v.$float) : v)) as Reply;
      if (reply.id === undefined) return;
      const answer = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      answer?.(reply);
    });
    this.socket.on('error', () => undefined);
    this.socket.once('close', () => {
      this.gone ??= 'the connection to the Spark broker closed (vitest\'s main process ended or dropped it)';
      for (const answer of this.waiting.values()) answer({ ok: false, error: this.gone });
      this.waiting.clear();
    });
  }

  private request(req: Record<string, unknown>): Promise<Reply> {
    this.listen();
    if (this.gone) return Promise.resolve({ ok: false, error: this.gone });
    const id = ++this.nextId;
    const reply = new Promise<Reply>((resolve) => this.waiting.set(id, resolve));
    this.socket.write(JSON.stringify({ ...req, session: this.session, id }) + '\n');
    return reply;
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

  /** Close the file's session (the shared Spark runs on for the other files until the run ends). */
  async close(): Promise<void> {
    if (!this.gone) {
      await this.request({ op: 'drop' });
      this.gone = 'this Spark session was closed';
    }
    this.socket.destroy();
    await this.own?.close();
  }
}

/** Start Spark for a test file: `const spark = await startSpark()` in beforeAll (give it a minute). */
export function startSpark(options?: SparkOptions): Promise<Spark> {
  return Spark.start(options);
}
