import { describe, expect, it } from 'vitest';
import { ISOLATION_HEADERS, withIsolation } from '../../../src/sw/isolation';

describe('service worker isolation headers (issue 21 goal 6: offline, the page must stay cross-origin isolated)', () => {
  it('adds COOP, COEP and CORP to a response and keeps its status, type and body', async () => {
    const out = withIsolation(new Response('<html>', { status: 200, headers: { 'Content-Type': 'text/html' } }));
    expect(out.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(out.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(out.headers.get('Cross-Origin-Resource-Policy')).toBe('same-origin');
    expect(out.headers.get('Content-Type')).toBe('text/html');
    expect(out.status).toBe(200);
    expect(await out.text()).toBe('<html>');
  });

  it('returns a response that already has them unchanged', () => {
    const response = new Response('x', { headers: ISOLATION_HEADERS });
    expect(withIsolation(response)).toBe(response);
  });
});
