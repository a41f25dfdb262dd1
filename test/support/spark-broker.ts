import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';

/**
 * The one Spark of a vitest run. Starting Spark's JVM costs 30-60 s on this machine, and every Spark test file
 * paid it (8 files, minutes of worker time). test/support/spark-global-setup.ts starts this broker once in
 * vitest's main process; each file's startSpark connects to it over a local TCP socket and gets a SparkSession of
 * its own (newSession: own SQL settings, temporary views, UDFs) on one shared python3 + JVM, started on the first
 * file's request (a run without Spark files never starts it). Files whose start settings differ (spark-avro's
 * packages, another master) get a Spark of their own, also shared by every file asking the same.
 *
 * Wire format, JSON lines both ways: {id, op: 'open', start, session} -> {id, ok, session, version};
 * {id, op: 'run' | 'sql' | 'drop', session, ...} -> the runner's reply. A runner that dies fails every request
 * waiting on it and every later request of its sessions with its exit status and log tail; the next file to open
 * a session starts a new one.
 */

const RUNNER = join(dirname(fileURLToPath(import.meta.url)), 'spark_runner.py');
const LOG_TAIL = 4000;

/** How a file asks for Spark: start settings decide which JVM, session settings apply to the file's session. */
export interface SparkRequestOptions {
  /** Settings Spark fixes at start (packages, master, spark.driver.*): one JVM per distinct set. */
  start: Record<string, string>;
  /** Settings of the file's own session (spark.sql.*, e.g. spark.sql.session.timeZone). */
  session: Record<string, string>;
}

interface RunnerReply {
  id?: number;
  ok: boolean;
  ready?: boolean;
  version?: string;
  error?: string;
  [k: string]: unknown;
}

/** One python3 process running spark_runner.py, with one SparkContext. */
class Runner {
  private nextId = 0;
  private waiting = new Map<number, (r: RunnerReply) => void>();
  exited: string | null = null;
  version = '';
  readonly ready: Promise<void>;
  private child: ChildProcess;
  private log = '';

  constructor(start: Record<string, string>) {
    const python = process.env.EPOXY_PYTHON || 'python3';
    this.child = spawn(python, [RUNNER, JSON.stringify(start)], { stdio: ['pipe', 'pipe', 'pipe', 'pipe'], env: { ...process.env, PYSPARK_PYTHON: python } });
    const keep = (chunk: Buffer) => { this.log = (this.log + chunk.toString()).slice(-LOG_TAIL); };
    this.child.stdout!.on('data', keep);
    this.child.stderr!.on('data', keep);
    // A dead runner's stdin errors (EPIPE) instead of taking the request; the exit handler answers it.
    this.child.stdin!.on('error', () => undefined);
    const lines = createInterface({ input: this.child.stdio[3] as Readable });
    this.ready = new Promise<void>((resolve, reject) => {
      let started = false;
      this.child.once('error', (e) => reject(new Error(`cannot start ${python} for Spark: ${e.message}`)));
      this.child.once('exit', (code, signal) => {
        this.exited = `Spark's python process ended (${signal ?? `exit ${code}`})\n${this.log}`;
        if (!started) reject(new Error(`Spark's python process (${python}) ended before it was ready (${signal ?? `exit ${code}`}):\n${this.log}`));
        for (const answer of this.waiting.values()) answer({ ok: false, error: this.exited });
        this.waiting.clear();
      });
      lines.on('line', (line) => {
        const reply = JSON.parse(line) as RunnerReply;
        if (!started) {
          started = true;
          if (reply.ok && reply.ready) {
            this.version = reply.version ?? '';
            resolve();
          } else {
            this.child.kill();
            reject(new Error(`Spark did not start:\n${reply.error ?? ''}\n${this.log}`));
          }
          return;
        }
        if (reply.id === undefined) return;
        const answer = this.waiting.get(reply.id);
        this.waiting.delete(reply.id);
        answer?.(reply);
      });
    });
    // Nobody may be waiting on it yet (it starts on the first open); the opener sees the rejection.
    this.ready.catch(() => undefined);
  }

  /** Send one request; the runner answers in order, one at a time. */
  request(req: Record<string, unknown>): Promise<RunnerReply> {
    if (this.exited) return Promise.resolve({ ok: false, error: this.exited });
    const id = ++this.nextId;
    const reply = new Promise<RunnerReply>((resolve) => this.waiting.set(id, resolve));
    this.child.stdin!.write(JSON.stringify({ ...req, id }) + '\n');
    return reply;
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin!.write(JSON.stringify({ op: 'close' }) + '\n');
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await gone;
    clearTimeout(timer);
  }
}

/** A running broker: where files connect, and how to stop it and its Sparks. */
export interface SparkBroker {
  /** host:port of the broker's socket. */
  address: string;
  close(): Promise<void>;
}

/** Start the broker (no Spark yet: the first open starts one). */
export async function startSparkBroker(): Promise<SparkBroker> {
  const runners = new Map<string, Runner>();
  const sessions = new Map<string, Runner>();
  const sockets = new Set<Socket>();
  let nextSession = 0;

  function runnerFor(start: Record<string, string>): Runner {
    const key = JSON.stringify(Object.entries(start).sort(([a], [b]) => (a < b ? -1 : 1)));
    let runner = runners.get(key);
    if (!runner || runner.exited) {
      runner = new Runner(start);
      runners.set(key, runner);
    }
    return runner;
  }

  async function handle(msg: Record<string, unknown>, mine: Set<string>): Promise<Record<string, unknown>> {
    if (msg.op === 'open') {
      const options = msg.options as SparkRequestOptions;
      const runner = runnerFor(options.start);
      try {
        await runner.ready;
      } catch (e) {
        return { ok: false, error: (e as Error).message };
      }
      const session = `s${++nextSession}`;
      const r = await runner.request({ op: 'open', session, conf: options.session });
      if (!r.ok) return r;
      sessions.set(session, runner);
      mine.add(session);
      return { ok: true, session, version: runner.version };
    }
    const session = String(msg.session);
    const runner = sessions.get(session);
    if (!runner) return { ok: false, error: `no open Spark session ${session} (it was closed)` };
    const { id: _id, ...req } = msg;
    const r = await runner.request(req);
    if (msg.op === 'drop') {
      sessions.delete(session);
      mine.delete(session);
    }
    const { id: _rid, ...reply } = r;
    return reply;
  }

  const server = createServer((socket) => {
    sockets.add(socket);
    const mine = new Set<string>();
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      // A file that ended without close() (a crashed worker): its sessions go with it.
      for (const session of mine) {
        const runner = sessions.get(session);
        sessions.delete(session);
        void runner?.request({ op: 'drop', session });
      }
    });
    createInterface({ input: socket }).on('line', (line) => {
      const msg = JSON.parse(line) as Record<string, unknown>;
      void handle(msg, mine)
        .catch((e: unknown) => ({ ok: false, error: `the Spark broker failed: ${(e as Error).stack ?? String(e)}` }))
        .then((reply) => { if (!socket.destroyed) socket.write(JSON.stringify({ ...reply, id: msg.id }) + '\n'); });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...runners.values()].map((r) => r.close()));
    },
  };
}
