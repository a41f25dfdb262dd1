import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine';
import { quoteIdent } from '../../../src/engine/sql';
import { readOrcInto } from '../../../src/frames/readers/orc';
import { orcDecompress } from '../../../src/classifiers/orc-codec';
import { renderType } from '../../../src/schema/types';
import { engineOnce } from './helpers';

// Fixtures are written by pyarrow 18.1.0 (Apache ORC C++), an independent writer: test/fixtures/orc/make.py
// writes each .orc and, next to it, the values pyarrow reads back (integers, timestamps in epoch µs and
// decimals as text, binary as hex, floats as numbers, nested values as JSON).

const DIR = join(__dirname, '../../fixtures/orc');
interface Expected { columns: { name: string; kind: string }[]; rows: unknown[][] }
const expected = (name: string): Expected => JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as Expected;

/** The SQL that renders a stored column the way make.py renders pyarrow's values. */
function render(name: string, kind: string): string {
  const c = quoteIdent(name);
  switch (kind) {
    case 'int': case 'decimal': case 'date': case 'union': return `CAST(${c} AS VARCHAR)`;
    case 'timestamp': return `CAST(epoch_us(${c}) AS VARCHAR)`;
    case 'binary': return `lower(hex(${c}))`;
    default: return c;
  }
}

let engine: Engine;
beforeAll(async () => { engine = await engineOnce(); });

async function readAndCompare(file: string, set: string): Promise<void> {
  const want = expected(set);
  const table = file.replace(/\W/g, '_');
  const r = await readOrcInto(engine, table, { kind: 'path', path: join(DIR, `${file}.orc`) }, null, 1000);
  expect(r.errorCount).toBe(0);
  expect(r.rows).toBe(want.rows.length);
  const got = engine.query(`SELECT ${want.columns.map((c) => render(c.name, c.kind)).join(', ')} FROM ${quoteIdent(table)}`, want.rows.length + 1).rows;
  want.columns.forEach((col, k) => {
    const column = (rows: unknown[][]) => rows.map((row) => {
      const v = row[k];
      if (col.kind === 'float' && typeof v === 'number') return col.name === 'f32' ? Math.fround(v) : v;
      if (col.kind === 'nested' && col.name === 'mp' && typeof v === 'string') return JSON.parse(v) as unknown;
      return v;
    });
    expect(column(got), `column ${col.name} of ${file}.orc`).toEqual(column(want.rows));
  });
}

describe('ORC reader (files written by pyarrow)', () => {
  for (const file of ['types_zlib', 'types_snappy', 'types_uncompressed', 'types_v1']) {
    it(`reads every primitive type with nulls from ${file}.orc`, async () => {
      await readAndCompare(file, 'types');
    });
  }

  it('types columns as the classifier does (decimal(38,10) stays exact)', async () => {
    const r = await readOrcInto(engine, 'orc_types_schema', { kind: 'path', path: join(DIR, 'types_zlib.orc') });
    expect(r.schema.map((f) => `${f.name}:${renderType(f.type)}`)).toEqual([
      'b:boolean', 'i8:tinyint', 'i16:smallint', 'i32:int', 'i64:bigint', 'f32:float', 'f64:double', 's:string', 'bin:binary', 'd:date', 'ts:timestamp', 'dec:decimal(10,2)', 'wide:decimal(38,10)',
    ]);
  });

  for (const file of ['strings_stripes', 'strings_stripes_v1']) {
    it(`reads dictionary and direct strings across the stripes of ${file}.orc`, async () => {
      await readAndCompare(file, 'strings');
    });
  }

  for (const file of ['rle_v2', 'rle_v1']) {
    it(`decodes integer runs (short repeat, direct, patched base, delta) in ${file}.orc`, async () => {
      await readAndCompare(file, 'rle');
    });
  }

  it('reads struct, list and map columns with nulls at both levels', async () => {
    await readAndCompare('nested', 'nested');
  });

  it('reads a uniontype column as a choice, each row its tagged child', async () => {
    await readAndCompare('union', 'union');
  });

  it('reads TIMESTAMP as a wall clock in the writer\'s zone (America/Los_Angeles: DST differs from the ORC epoch)', async () => {
    await readAndCompare('zone_la', 'zone');
  });

  it('refuses a codec it cannot decode by name', () => {
    expect(() => orcDecompress(new Uint8Array([5, 0, 0, 1, 2]), 'zstd')).toThrow(/ORC compression ZSTD is not supported/);
  });
});

describe('ORC reader on damaged files', () => {
  it('a damaged file reads or fails with an Error, never hangs or throws a non-Error', async () => {
    const original = new Uint8Array(readFileSync(join(DIR, 'types_uncompressed.orc')));
    let seed = 19;
    const rand = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    let failed = 0;
    for (let round = 0; round < 60; round++) {
      const bytes = original.slice();
      for (let k = 0; k < 1 + rand(4); k++) bytes[rand(bytes.length)] = rand(256);
      try {
        await readOrcInto(engine, 'orc_damaged', { kind: 'buffer', bytes });
      } catch (err) {
        expect(err).toBeInstanceOf(Error);
        expect((err as Error).message.length).toBeGreaterThan(0);
        failed++;
      }
    }
    expect(failed).toBeGreaterThan(0);
  });

  it('a file cut to its magic says it is not ORC', async () => {
    await expect(readOrcInto(engine, 'orc_cut', { kind: 'buffer', bytes: new Uint8Array(readFileSync(join(DIR, 'nested.orc'))).subarray(0, 3) })).rejects.toThrow(/not an ORC file \(too short\)/);
  });
});
