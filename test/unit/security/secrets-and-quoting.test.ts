import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleFromSnapshot, catalogDdl, emptySnapshot, glueFiles, partitionsDdl, tableDdl, type Partition, type Table } from '../../../src/catalog';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';
import { quoteIdent, quoteLiteral } from '../../../src/engine/sql';
import { decodePayload } from '../../../src/share/codec';
import { makeShareLink, readShareLink, type SharePayload } from '../../../src/share/payload';
import { findSecrets } from '../../../src/share/secrets';
import { writeFigures } from '../../support/figures';

const SIG = 'f00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeed';
const PRESIGNED = `https://lake.s3.amazonaws.com/orders/part-0.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=600&X-Amz-SignedHeaders=host&X-Amz-Security-Token=FwoGZXIvYXdzEXAMPLETOKEN0123456789&X-Amz-Signature=${SIG}`;
const HOSTILE = ['a"; DROP TABLE x; --', "b'); DELETE FROM t; --", 'c`; DROP DATABASE d; --', '<img src=x onerror=alert(1)>'];

/** A table with secrets planted wherever a definition can hold text. */
const table: Table = {
  DatabaseName: 'lake', Name: 'orders', TableType: 'EXTERNAL_TABLE', PartitionKeys: [{ Name: 'day', Type: 'string' }],
  StorageDescriptor: {
    Columns: [{ Name: 'id', Type: 'bigint', Comment: `from ${PRESIGNED}` }, { Name: 'inner', Type: `struct<${HOSTILE.map((h) => `\`${h.replace(/`/g, '``')}\`:string`).join(',')}>` }],
    Location: PRESIGNED, SerdeInfo: { SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe', Parameters: { source: PRESIGNED } },
  },
  Parameters: { classification: 'json', origin: PRESIGNED, note: 'Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123' },
};
const partition: Partition = { DatabaseName: 'lake', TableName: 'orders', Values: ['2026-01-01'], StorageDescriptor: { Location: PRESIGNED } };

/** Every kind of link Epoxy makes today (a job or workflow link carries its definition and its inputs). */
const payloads: SharePayload[] = [
  { v: 1, kind: 'table', database: 'lake', table },
  { v: 1, kind: 'job', name: 'daily', definition: { DefaultArguments: { '--source': PRESIGNED, '--password': 'hunter2hunter2', '--aws_secret_access_key': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }, Command: { ScriptLocation: PRESIGNED } }, inputs: [{ name: 'orders', columns: [{ Name: 'id', Type: 'bigint' }] }] },
  { v: 1, kind: 'workflow', name: 'nightly', definition: { RunProperties: { token: 'ghp_0123456789abcdefghij', url: PRESIGNED }, Nodes: [{ Arguments: { '--src': PRESIGNED } }] }, inputs: [] },
];

describe('share links never carry secrets and never run anything', () => {
  it('every kind of link, with secrets planted in locations, arguments and properties, scans clean', () => {
    const scanned: { kind: string; linkChars: number; plantedFindings: number; findingsInLink: number }[] = [];
    for (const payload of payloads) {
      const planted = findSecrets(payload);
      expect(planted.length, payload.kind).toBeGreaterThan(0); // the scan sees what was planted...
      const link = makeShareLink('https://epoxy.example/#/catalog', payload);
      const fragment = link.split('#/share/')[1]!;
      const decoded = decodePayload(fragment);
      expect(findSecrets(decoded), payload.kind).toEqual([]); // ...and none of it survives into the link
      expect(JSON.stringify(decoded)).not.toContain(SIG);
      expect(link).not.toContain(SIG);
      scanned.push({ kind: payload.kind, linkChars: link.length, plantedFindings: planted.length, findingsInLink: 0 });
    }
    writeFigures('share-links', { links: scanned });
  });

  it('opening a link only decodes data: hostile names come back as inert strings, no prototype is touched', () => {
    // A well-formed job (links are shape-checked now) carrying prototype-pollution keys and code as text.
    const evil = JSON.parse('{"v":1,"kind":"job","name":"x","definition":{"name":"x","nodes":[],"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"code":"alert(1)"},"inputs":[]}');
    const back = readShareLink(makeShareLink('https://e/', evil).split('#/share/')[1]!);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect((back as { definition: { code: string } }).definition.code).toBe('alert(1)');
  });
});

describe('presigned signatures never leave in exports', () => {
  it('Athena DDL and Glue CLI files are redacted; the catalog file itself keeps the user data', () => {
    const snap = { ...emptySnapshot(), databases: [{ Name: 'lake', LocationUri: PRESIGNED }], tables: [table], partitions: [partition] };
    snap.objects.push({ kind: 'job', value: { Name: 'daily', Role: 'r', Command: { Name: 'glueetl', ScriptLocation: PRESIGNED }, DefaultArguments: { '--source': PRESIGNED } } });
    const texts = [tableDdl(table), partitionsDdl(table, [partition]), catalogDdl(snap), ...glueFiles(bundleFromSnapshot(snap)).map((f) => JSON.stringify(f.json))];
    for (const text of texts) {
      expect(text).not.toContain(SIG);
      expect(text).not.toContain('FwoGZXIvYXdzEXAMPLETOKEN');
      expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE');
    }
    expect(tableDdl(table)).toContain('X-Amz-Signature=REDACTED');
    for (const f of glueFiles(bundleFromSnapshot(snap))) expect(findSecrets(f.json).filter((x) => x.kind !== 'bearer token'), f.path).toEqual([]);
    expect(JSON.stringify(bundleFromSnapshot(snap))).toContain(SIG);
  });

  it('names from files are quoted in the DDL: a backquote is doubled, never closing the identifier', () => {
    const ddl = tableDdl(table);
    expect(ddl).toContain('`c``; DROP DATABASE d; --`:string');
    expect(ddl).toContain('`a"; DROP TABLE x; --`:string');
  });
});

describe('SQL identifiers and literals from files and links are quoted (real DuckDB)', () => {
  let engine: Engine;
  beforeAll(async () => { engine = await createNodeEngine(); });

  it('any string round-trips as a literal and as a column name, and hostile ones run nothing', () => {
    engine.query('CREATE TABLE canary AS SELECT 1 AS alive', 0);
    const strings = fc.oneof(fc.constantFrom(...HOSTILE, "'; DROP TABLE canary; --", '"; DROP TABLE canary; --', '\\', "''", '""', ' '), fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !s.includes('\u0000')));
    fc.assert(fc.property(strings, (s) => {
      expect(engine.query(`SELECT ${quoteLiteral(s)} AS v`).rows[0]![0]).toBe(s);
      const r = engine.query(`SELECT 42 AS ${quoteIdent(s)}`);
      expect(r.columns[0]!.name).toBe(s);
      expect(engine.query(`SELECT ${quoteIdent(s)} FROM (SELECT 7 AS ${quoteIdent(s)})`).rows[0]![0]).toBe(7);
    }), { numRuns: 300 });
    expect(engine.query('SELECT alive FROM canary').rows).toEqual([[1]]);
  });
});

describe('no HTML sink in the app: data is only ever text', () => {
  it('no {@html}, innerHTML, outerHTML, insertAdjacentHTML, document.write, eval or new Function in src/', () => {
    const files: string[] = [];
    const walk = (dir: string) => { for (const e of readdirSync(dir)) { const p = join(dir, e); if (statSync(p).isDirectory()) walk(p); else if (/\.(ts|svelte)$/.test(p)) files.push(p); } };
    walk(join(import.meta.dirname, '..', '..', '..', 'src'));
    walk(join(import.meta.dirname, '..', '..', '..', 'workers'));
    const sinks = /\{@html|\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(/;
    const hits = files.filter((f) => sinks.test(readFileSync(f, 'utf8')));
    expect(hits).toEqual([]);
    expect(files.length).toBeGreaterThan(50);
  });
});
