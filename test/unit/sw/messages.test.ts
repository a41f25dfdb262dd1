import { describe, expect, it, vi } from 'vitest';
import { installMessageRouter, messageHandlers, type MessageHandler } from '../../../src/sw/messages';
import { SW_MESSAGE } from '../../../src/sw/protocol';

/** A stand-in for ServiceWorkerGlobalScope that records its message listener. */
function fakeScope() {
  let listener: ((event: ExtendableMessageEvent) => void) | undefined;
  const scope = {
    skipWaiting: vi.fn(async () => {}),
    addEventListener: (type: string, fn: (event: ExtendableMessageEvent) => void) => { if (type === 'message') listener = fn; },
  };
  return { scope: scope as unknown as ServiceWorkerGlobalScope, skipWaiting: scope.skipWaiting, deliver: (data: unknown, withPort = false) => {
    const replies: unknown[] = [];
    const pending: Promise<unknown>[] = [];
    const port = { postMessage: (m: unknown) => replies.push(m) };
    listener!({ data, ports: withPort ? [port] : [], waitUntil: (p: Promise<unknown>) => pending.push(p) } as unknown as ExtendableMessageEvent);
    return { replies, settled: Promise.all(pending) };
  } };
}

describe('service worker message router', () => {
  it('activates the waiting worker on SKIP_WAITING, the message workbox-window also sends', async () => {
    const { scope, skipWaiting, deliver } = fakeScope();
    installMessageRouter(scope, messageHandlers(scope));
    await deliver({ type: SW_MESSAGE.skipWaiting }).settled;
    expect(SW_MESSAGE.skipWaiting).toBe('SKIP_WAITING');
    expect(skipWaiting).toHaveBeenCalledOnce();
  });

  it('ignores unknown types and malformed data', async () => {
    const { scope, skipWaiting, deliver } = fakeScope();
    installMessageRouter(scope, messageHandlers(scope));
    const results = [deliver({ type: 'NOPE' }), deliver('SKIP_WAITING'), deliver(null), deliver({ type: 42 })];
    await Promise.all(results.map((r) => r.settled));
    expect(skipWaiting).not.toHaveBeenCalled();
    expect(results.flatMap((r) => r.replies)).toEqual([]);
  });

  it('answers on the reply port with the handler result or its error', async () => {
    for (const [handler, reply] of [
      [() => ({ activated: true }), { ok: true, result: { activated: true } }],
      [() => { throw new Error('no waiting worker'); }, { ok: false, error: 'no waiting worker' }],
    ] as const) {
      const { scope, deliver } = fakeScope();
      installMessageRouter(scope, { [SW_MESSAGE.skipWaiting]: handler as MessageHandler });
      const sent = deliver({ type: SW_MESSAGE.skipWaiting }, true);
      await sent.settled;
      expect(sent.replies).toEqual([reply]);
    }
  });

  it('has exactly one handler per page-to-worker message, and no dispatch message nobody sends (issue 18 #4)', () => {
    const { scope } = fakeScope();
    expect(Object.keys(messageHandlers(scope))).toEqual(Object.values(SW_MESSAGE));
    expect(Object.values(SW_MESSAGE)).toEqual(['SKIP_WAITING']);
  });
});
