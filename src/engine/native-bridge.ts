import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { ENDED, HEARTBEAT, SIGNAL_BYTES, type NativeReply, type NativeRequest, type NativeWorkerData } from './native-protocol';

// Only Node's own modules here: the CLI starts native DuckDB's worker thread before it loads the Engine and
// Arrow (~200 ms), so the two overlap.
const require = createRequire(import.meta.url);

/** How native DuckDB is started. */
export interface NativeRuntimeOptions {
  /** DuckDB's threads (default: every core). */
  threads?: number;
}

/** A started native DuckDB: its bridge, and the folders of this process's engine (removed at exit). */
export interface NativeRuntime {
  bridge: NativeBridge;
  /** Registered files live here: the root a locked engine reads. */
  files: string;
  /** COPY writes here before the bytes are read back. */
  scratch: string;
  threads: number;
}

/** Start native DuckDB in a worker thread, in temporary folders of its own (spills included). */
export async function startNativeRuntime(options: NativeRuntimeOptions = {}): Promise<NativeRuntime> {
  const base = mkdtempSync(join(tmpdir(), 'epoxy-native-'));
  const [files, scratch, spill] = ['files', 'out', 'spill'].map((d) => join(base, d)) as [string, string, string];
  for (const dir of [files, scratch, spill]) mkdirSync(dir, { recursive: true });
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const config = { threads: String(threads), temp_directory: spill, autoload_known_extensions: 'false', autoinstall_known_extensions: 'false' };
  const bridge = await NativeBridge.start(config, () => rmSync(base, { recursive: true, force: true }));
  return { bridge, files, scratch, threads };
}

/** What runs when the process exits: one listener for every engine a process starts (tests start hundreds). */
const AT_EXIT = new Set<() => void>();
let exitListener = false;
function atExit(task: () => void): void {
  if (!exitListener) process.once('exit', () => { for (const t of AT_EXIT) t(); });
  exitListener = true;
  AT_EXIT.add(task);
}

/**
 * The synchronous side of the bridge: post a request, block on the shared signal until the worker thread
 * has posted its reply, take the reply off the port without the event loop (receiveMessageOnPort).
 */
export class NativeBridge {
  private readonly flag: Int32Array;

  private constructor(readonly worker: Worker, private readonly port: MessagePort, signal: SharedArrayBuffer) {
    this.flag = new Int32Array(signal);
  }

  static async start(config: Record<string, string>, cleanup: () => void): Promise<NativeBridge> {
    const signal = new SharedArrayBuffer(SIGNAL_BYTES);
    const { port1, port2 } = new MessageChannel();
    const data: NativeWorkerData = { signal, port: port2, config };
    // The CLI bundle ships the worker as native-worker.mjs beside its chunks; from the sources (tests, tsx) the
    // worker registers tsx itself first (Node 20 takes no --import loader in a worker's execArgv).
    const worker = import.meta.url.endsWith('.ts')
      ? new Worker(`import(${JSON.stringify(pathToFileURL(require.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./native-worker.ts', import.meta.url).href)}); });`, { eval: true, workerData: data, transferList: [port2] })
      : new Worker(new URL('./native-worker.mjs', import.meta.url), { workerData: data, transferList: [port2] });
    worker.once('exit', () => {
      // Seen by a call made after this event was delivered; a call blocked meanwhile sees the worker's own
      // exit handler, or its heartbeat stop.
      Atomics.store(new Int32Array(signal), ENDED, 1);
      AT_EXIT.delete(cleanup);
      cleanup();
    });
    atExit(cleanup);
    const bridge = new NativeBridge(worker, port1, signal);
    let failed: unknown = null;
    worker.once('error', (err) => { failed = err; });
    const opened = await bridge.wait(() => failed);
    // Neither keeps the process alive once DuckDB is up (every later call is synchronous): a command ends
    // when its own work does.
    worker.unref();
    port1.unref();
    if (!opened.ok) {
      void worker.terminate();
      throw new Error(`native DuckDB did not start: ${opened.error}`);
    }
    return bridge;
  }

  /** The worker's first message (DuckDB opened or not), waited for without blocking the thread. */
  private async wait(failed: () => unknown): Promise<NativeReply> {
    const started = Date.now();
    for (;;) {
      const err = failed();
      if (err) return { ok: false, error: err instanceof Error ? err.message : String(err) };
      const got = receiveMessageOnPort(this.port);
      if (got) {
        Atomics.store(this.flag, 0, 0);
        return got.message as NativeReply;
      }
      if (Date.now() - started > 60_000) return { ok: false, error: 'its worker thread did not answer within 60 s' };
      await Atomics.waitAsync(this.flag, 0, 0, 50).value;
    }
  }

  /** Send one request and block until its reply; a DuckDB error is thrown with DuckDB's message. */
  call(req: NativeRequest): Extract<NativeReply, { ok: true }> {
    if (Atomics.load(this.flag, ENDED)) throw new Error('native DuckDB\'s worker thread ended');
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage(req);
    let beat = Atomics.load(this.flag, HEARTBEAT);
    let quiet = 0;
    for (;;) {
      Atomics.wait(this.flag, 0, 0, 1000);
      const got = receiveMessageOnPort(this.port);
      if (!got) {
        if (Atomics.load(this.flag, ENDED)) throw new Error('native DuckDB\'s worker thread ended');
        const now = Atomics.load(this.flag, HEARTBEAT);
        // DuckDB works off the worker's JS thread, which beats 4 times a second meanwhile; only a thread
        // stuck for two minutes (or gone without its exit handler) stops it.
        quiet = now === beat ? quiet + 1 : 0;
        beat = now;
        if (quiet > 120) throw new Error('native DuckDB\'s worker thread stopped answering (no sign of life for 2 minutes)');
        continue;
      }
      const reply = got.message as NativeReply;
      if (!reply.ok) throw new Error(reply.error);
      return reply;
    }
  }
}
