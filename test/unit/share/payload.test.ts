import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodePayload, ShareLinkError } from '../../../src/share/codec';
import { makeShareLink, readShareLink, secretsIn, type TableShare } from '../../../src/share/payload';
import { findSecrets } from '../../../src/share/secrets';

const table: TableShare = {
  v: 1, kind: 'table', database: 'sales',
  table: {
    Name: 'orders', TableType: 'EXTERNAL_TABLE', PartitionKeys: [{ Name: 'year', Type: 'string' }],
    StorageDescriptor: {
      Columns: [{ Name: 'id', Type: 'bigint' }, { Name: 'user', Type: 'struct<name:string,tags:array<string>>' }],
      Location: 'https://lake.s3.amazonaws.com/orders/?X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2Fx&X-Amz-Signature=abcdef0123456789abcdef',
    },
    Parameters: { classification: 'json' },
  },
};

describe('share links', () => {
  it('round-trip a table definition, with the signature stripped by default', () => {
    const link = makeShareLink('https://epoxy.example/app/#/catalog', table);
    expect(link).toMatch(/^https:\/\/epoxy\.example\/app\/#\/share\/e1\.[A-Za-z0-9_-]+$/);
    const back = readShareLink(link.split('#/share/')[1]!) as TableShare;
    expect(back.table.StorageDescriptor!.Columns).toEqual(table.table.StorageDescriptor!.Columns);
    expect(back.table.StorageDescriptor!.Location).toContain('X-Amz-Signature=REDACTED');
    expect(findSecrets(back)).toEqual([]);
    expect(secretsIn(table)).toEqual(['presigned URL signature at $.table.StorageDescriptor.Location', 'AWS access key id at $.table.StorageDescriptor.Location']);
  });

  it('carries spreadsheet column names and a normalised table\'s original names unchanged (issue 17)', () => {
    const sheet: TableShare = { v: 1, kind: 'table', database: 'sheets', table: {
      Name: 'orders', PartitionKeys: [{ Name: 'order region', Type: 'string' }],
      StorageDescriptor: { Columns: [{ Name: 'unit price ($)', Type: 'double' }, { Name: 'beak_length_mm', Type: 'double', Parameters: { 'epoxy.originalName': 'beak length (mm)' } }, { Name: 'name.common', Type: 'string' }] },
    } };
    const back = readShareLink(makeShareLink('https://epoxy.example/#/', sheet).split('#/share/')[1]!) as TableShare;
    expect(back.table).toEqual(sheet.table);
  });

  it('keeps secrets only when asked', () => {
    const link = makeShareLink('https://x/', table, { includeSecrets: true });
    expect((readShareLink(link.split('#/share/')[1]!) as TableShare).table.StorageDescriptor!.Location).toContain('abcdef0123456789abcdef');
  });

  it('rejects well-formed links with invalid content, saying why', () => {
    const bad = (p: unknown) => () => readShareLink(encodePayload(p));
    expect(bad({ v: 2, kind: 'table' })).toThrow('unknown payload version 2');
    expect(bad({ v: 1, kind: 'macro' })).toThrow('unknown kind "macro"');
    expect(bad({ ...table, table: { ...table.table, StorageDescriptor: { Columns: [{ Name: 'x', Type: 'struct<' }] } } })).toThrow(/the columns\[0\] \(x\): a field name is missing/);
    expect(bad({ v: 1, kind: 'job', name: 'j', definition: {}, inputs: 'none' })).toThrow('the expected inputs are missing');
  });

  it('rejects every truncation of a real link with ShareLinkError only', () => {
    const text = makeShareLink('https://x/', table).split('#/share/')[1]!;
    for (let n = 0; n < text.length; n++) {
      try { readShareLink(text.slice(0, n)); } catch (err) { expect(err).toBeInstanceOf(ShareLinkError); }
    }
    fc.assert(fc.property(fc.nat({ max: text.length - 1 }), fc.constantFrom('A', '_', '-', 'z'), (i, ch) => {
      try { readShareLink(text.slice(0, i) + ch + text.slice(i + 1)); } catch (err) { expect(err).toBeInstanceOf(ShareLinkError); }
    }), { numRuns: 300 });
  });
});

describe('stripSecrets removes everything findSecrets finds (regression: bearer tokens, private keys and --password arguments survived into links)', () => {
  it('strips them from a job link', () => {
    const job = {
      v: 1 as const, kind: 'job' as const, name: 'j', inputs: [],
      definition: { name: 'j', nodes: [], DefaultArguments: { '--password': 'hunter2hunter2', '--aws_secret_access_key': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }, Notes: 'curl -H "Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123"', Key: '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----' },
    };
    expect(findSecrets(job).length).toBe(4);
    const back = readShareLink(makeShareLink('https://x/', job).split('#/share/')[1]!);
    expect(findSecrets(back)).toEqual([]);
    expect(JSON.stringify(back)).not.toMatch(/hunter2|wJalrXUtnFEMI|abcdefghijklmnop|MIIEow/);
  });
});
