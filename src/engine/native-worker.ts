// The worker thread that owns native DuckDB: wires the bridge's port and signal (native-bridge.ts) to NativeServer.
import { workerData } from 'node:worker_threads';
import { NativeServer } from './native-server';
import { ENDED, HEARTBEAT, type NativeReply, type NativeRequest, type NativeWorkerData } from './native-protocol';

const { signal, port, config } = workerData as NativeWorkerData;
const flag = new Int32Array(signal);
// The caller blocks in Atomics.wait and can't see this thread's 'exit' event: the slots it watches instead.
const alive = () => { Atomics.add(flag, HEARTBEAT, 1); };
setInterval(alive, 250).unref();
process.on('exit', () => { Atomics.store(flag, ENDED, 1); Atomics.notify(flag, 0); });
const reply = (message: NativeReply) => {
  const ipc = message.ok ? message.ipc : undefined;
  // Moved, not copied, when the bytes own their whole buffer (a result can be hundreds of MB).
  port.postMessage(message, ipc && ipc.byteOffset === 0 && ipc.byteLength === ipc.buffer.byteLength ? [ipc.buffer as ArrayBuffer] : []);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
};
// Whatever fails outside a request still answers the blocked caller, which would otherwise wait forever.
process.on('uncaughtException', (err) => reply({ ok: false, error: `native DuckDB's worker thread failed: ${err instanceof Error ? err.message : String(err)}` }));
const server = NativeServer.open(config);
server.then(() => reply({ ok: true }), (err: unknown) => reply({ ok: false, error: err instanceof Error ? err.message : String(err) }));
let queue: Promise<unknown> = server;
port.on('message', (req: NativeRequest) => {
  queue = queue.then(async () => reply(await (await server).handle(req)), () => reply({ ok: false, error: 'native DuckDB did not open' }));
});
