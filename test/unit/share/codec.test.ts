import fc from 'fast-check';
import { zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodePayload, encodePayload, MAX_INFLATED_BYTES, SHARE_PREFIX, ShareLinkError } from '../../../src/share/codec';
import { findSecrets, stripSecrets } from '../../../src/share/secrets';

describe('share link codec', () => {
  it('round-trips any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      expect(decodePayload(encodePayload(value))).toEqual(JSON.parse(JSON.stringify(value)));
    }), { numRuns: 200 });
  });

  it('is URL-safe and compact', () => {
    const text = encodePayload({ steps: Array.from({ length: 5 }, (_, i) => ({ kind: 'Filter', sql: `amount > ${i} AND region = 'eu-west-1'` })) });
    expect(text).toMatch(/^e1\.[A-Za-z0-9_-]+$/);
    expect(text.length).toBeLessThan(300);
  });

  it('rejects truncated, tampered, foreign and future links with specific messages', () => {
    const good = encodePayload({ kind: 'job', name: 'daily' });
    expect(() => decodePayload(good.slice(0, good.length - 6))).toThrow(ShareLinkError);
    expect(() => decodePayload(good.slice(0, -6))).toThrow(/damaged, was cut short or was edited|not valid/);
    // One character changed in the middle: the checksum catches it.
    const mid = good.length >> 1;
    const edited = good.slice(0, mid) + (good[mid] === 'A' ? 'B' : 'A') + good.slice(mid + 1);
    expect(() => decodePayload(edited)).toThrow(ShareLinkError);
    expect(() => decodePayload(good + '!')).toThrow('it contains characters a share link never has');
    expect(() => decodePayload('hello')).toThrow('This is not an Epoxy share link');
    expect(() => decodePayload('e9.abc')).toThrow('newer Epoxy (format e9)');
    const notJson = SHARE_PREFIX + btoa(String.fromCharCode(...zlibSync(new TextEncoder().encode('{oops')))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(() => decodePayload(notJson)).toThrow('its content is not valid JSON');
  });

  it('never throws anything but ShareLinkError on fuzzed input', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      try {
        decodePayload(SHARE_PREFIX + s);
      } catch (err) {
        expect(err).toBeInstanceOf(ShareLinkError);
      }
    }), { numRuns: 500 });
  });

  it('refuses a deflate bomb', () => {
    const bomb = encodePayload({ pad: 'x'.repeat(MAX_INFLATED_BYTES + 10) });
    expect(bomb.length).toBeLessThan(5000);
    expect(() => decodePayload(bomb)).toThrow(ShareLinkError);
  });
});

describe('secrets in shared payloads', () => {
  const job = {
    source: 'https://lake.s3.amazonaws.com/a.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261125&X-Amz-Signature=0123456789abcdef0123',
    connection: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    note: 'fine',
  };

  it('finds signatures, keys and secret fields', () => {
    expect(findSecrets(job).map((f) => `${f.path}: ${f.kind}`)).toEqual([
      '$.source: presigned URL signature',
      '$.source: AWS access key id', // inside X-Amz-Credential
      '$.connection.accessKeyId: field "accessKeyId"',
      '$.connection.accessKeyId: AWS access key id',
      '$.connection.secretAccessKey: field "secretAccessKey"',
    ]);
  });

  it('strips them so a scan of the result finds nothing', () => {
    const clean = stripSecrets(job);
    expect(findSecrets(clean)).toEqual([]);
    expect(clean.source).toContain('X-Amz-Signature=REDACTED');
    expect(clean.note).toBe('fine');
    expect(JSON.stringify(clean)).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });
});
