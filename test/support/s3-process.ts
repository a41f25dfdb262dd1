import { startFaultProxy, type Fault } from './fault-proxy';
import { startS3 } from './s3';

/**
 * s3rver and the fault proxy in a process of their own, for tests that block their own event loop
 * (synchronous reads, as a worker's synchronous XHR does). The parent scripts faults over IPC.
 */
const s3 = await startS3();
const proxy = await startFaultProxy(s3.endpoint);
process.on('message', (m: { faults?: Fault[]; refuseHead?: number | null; requests?: true }) => {
  if (m.faults) proxy.script(m.faults);
  if (m.refuseHead !== undefined) proxy.refuseHead(m.refuseHead);
  process.send!({ requests: proxy.requests });
});
process.on('disconnect', () => { void proxy.close().then(() => s3.close()).then(() => process.exit(0)); });
process.send!({ endpoint: s3.endpoint, bucket: s3.bucket, proxy: proxy.url });
