import duckdb from '@duckdb/node-bindings';
import {
  BOOLEAN, DECIMAL, DuckDBDataChunk, DuckDBInstance, INTEGER, LIST, STRUCT, UUID, VARCHAR, decimalValue, listValue, structValue, uuidValue,
  type DuckDBConnection, type DuckDBValue,
} from '@duckdb/node-api';
import {
  DateMillisecond, DenseUnion, Dictionary, DurationMillisecond, DurationNanosecond, Field, FixedSizeBinary, FixedSizeList,
  Float16, Int32, Int64, Int8, Interval, IntervalDayTime, IntervalUnit, IntervalYearMonth, LargeBinary, LargeUtf8, List,
  Map_, Null, RecordBatch, Schema, SparseUnion, Struct, Table, TimeMillisecond, TimeNanosecond, TimeSecond,
  TimestampMillisecond, TimestampNanosecond, TimestampSecond, Uint64, Utf8, makeData, tableFromIPC, tableToIPC,
  vectorFromArray, type Data, type DataType,
} from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine';
import { arrowColumnNames, chunksToIPC, insertIPC, resultToIPC } from '../../../src/engine/native-arrow';
import { createNodeEngine } from '../../../src/engine/node';
import { ipcFileToStream } from '../../../src/engine/parquet';
import { tableToResult } from '../../../src/engine/values';

// Every case runs the same SQL on DuckDB-WASM (the engine Epoxy ships) and on native DuckDB through
// native-arrow.ts, and compares what an Engine caller sees: the Arrow schema (names, types, nullability,
// extension metadata) and the values through tableToResult.

let wasm: Engine;
let instance: DuckDBInstance;
let conn: DuckDBConnection;
let tables = 0;

beforeAll(async () => {
  wasm = await createNodeEngine();
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  await conn.run('SET threads=1');
  // The enum types of the ENUM case and of the wide mix, on both engines.
  await onBoth(`CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')`);
  await onBoth(`CREATE TYPE big_enum AS ENUM (SELECT 'v' || i FROM range(300) t(i))`);
});

afterAll(() => {
  conn?.closeSync();
  instance?.closeSync();
});

/** Run DDL or DML on both engines. */
async function onBoth(sql: string): Promise<void> {
  wasm.queryArrow(sql);
  await conn.run(sql);
}

async function nativeArrow(sql: string): Promise<Table> {
  return tableFromIPC(await resultToIPC(await conn.run(sql)));
}

interface FieldShape { name: string; type: string; nullable: boolean; metadata: Record<string, string>; children: FieldShape[] }
function fieldShape(f: Field): FieldShape {
  const children = (f.type as DataType & { children?: Field[] }).children ?? [];
  return { name: f.name, type: String(f.type), nullable: f.nullable, metadata: Object.fromEntries(f.metadata), children: children.map(fieldShape) };
}
const shape = (t: Table) => t.schema.fields.map(fieldShape);

/** The same SELECT on both engines: equal Arrow schemas and equal values. */
async function expectSame(sql: string): Promise<{ w: Table; n: Table }> {
  const w = wasm.queryArrow(sql);
  const n = await nativeArrow(sql);
  expect(shape(n)).toEqual(shape(w));
  expect(tableToResult(n)).toEqual(tableToResult(w));
  return { w, n };
}

/**
 * What DuckDB itself reads back from a stream: WASM's Arrow scan of it, every column as text. Checks the
 * bytes where apache-arrow 17 shows values poorly (intervals) and any buffer apache-arrow would not look at.
 */
function scannedByWasm(ipc: Uint8Array): unknown {
  const name = `scan_${++tables}`;
  wasm.insertArrowIPC(name, ipc, true);
  return {
    columns: tableToResult(wasm.queryArrow(`SELECT column_name, column_type FROM (DESCRIBE ${name})`)).rows,
    rows: tableToResult(wasm.queryArrow(`SELECT COLUMNS(*)::VARCHAR FROM ${name}`)).rows,
  };
}

async function expectSameBytes(sql: string): Promise<void> {
  const mine = await resultToIPC(await conn.run(sql));
  expect(scannedByWasm(mine)).toEqual(scannedByWasm(ipcFileToStream(wasm.queryIPC(sql))));
}

describe('resultToIPC: a native result as the Arrow DuckDB-WASM returns', () => {
  it('booleans and every integer width, signed and unsigned, with their extremes and NULLs', async () => {
    await expectSame(`SELECT * FROM (VALUES
      (true, (-128)::TINYINT, (-32768)::SMALLINT, (-2147483648)::INTEGER, (-9223372036854775808)::BIGINT, 0::UTINYINT, 0::USMALLINT, 0::UINTEGER, 0::UBIGINT),
      (false, 127::TINYINT, 32767::SMALLINT, 2147483647::INTEGER, 9223372036854775807::BIGINT, 255::UTINYINT, 65535::USMALLINT, 4294967295::UINTEGER, 18446744073709551615::UBIGINT),
      (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)) t(b, i8, i16, i32, i64, u8, u16, u32, u64)`);
  });

  it('HUGEINT as Decimal128(38,0), UHUGEINT as 16 opaque bytes tagged like DuckDB-WASM', async () => {
    const { n } = await expectSame(`SELECT 170141183460469231731687303715884105727::HUGEINT h, -5::HUGEINT neg, NULL::HUGEINT hn,
      340282366920938463463374607431768211455::UHUGEINT uh, 258::UHUGEINT u2`);
    expect(String(n.schema.fields[0]!.type)).toBe('Decimal[38e0]');
    expect(n.schema.fields[3]!.metadata.get('ARROW:extension:name')).toBe('arrow.opaque');
  });

  it('FLOAT and DOUBLE, NaN and infinities included', async () => {
    await expectSame(`SELECT 1.5::FLOAT f, -2.25::DOUBLE d, 'nan'::DOUBLE n, 'inf'::FLOAT fi, '-inf'::DOUBLE di, NULL::FLOAT fn`);
  });

  it('DECIMAL of each storage width (4,1 / 9,2 / 18,3 / 38,10), negative and NULL', async () => {
    await expectSame(`SELECT * FROM (VALUES
      (123.4::DECIMAL(4,1), 1234567.89::DECIMAL(9,2), 123456789012345.678::DECIMAL(18,3), 1234567890123456789012345678.0123456789::DECIMAL(38,10)),
      (-0.5::DECIMAL(4,1), -1234567.89::DECIMAL(9,2), -123456789012345.678::DECIMAL(18,3), -1.5::DECIMAL(38,10)),
      (NULL, NULL, NULL, NULL)) t(d4, d9, d18, d38)`);
  });

  it('VARCHAR: unicode, empty, NULL, 12 and 13 bytes (inline and heap), in every mix across chunks', async () => {
    await expectSame(`SELECT 'héllo ✓' u, '' e, NULL::VARCHAR n, '123456789012' twelve, '1234567890123' thirteen, 'a much longer string than twelve bytes' l`);
    await expectSame(`SELECT i, CASE WHEN i % 7 = 0 THEN NULL WHEN i % 3 = 0 THEN 's' || i ELSE repeat('long text ', 1 + i % 4) || i END s
      FROM range(10000) t(i)`);
  });

  it('BLOB, BIT (DuckDB\'s own bit layout) and BIGNUM (tagged opaque), as WASM gives them', async () => {
    await expectSame(`SELECT '\\xAA\\x00'::BLOB b, ''::BLOB e, 'a blob longer than twelve bytes'::BLOB l, NULL::BLOB n,
      '10110'::BIT bits, '101010101010101010101'::BIT long_bits, 123456789012345678901234567890::VARINT v, -5::VARINT neg`);
  });

  it('DATE before 1970, at year 1 and at infinity', async () => {
    await expectSame(`SELECT DATE '2024-01-31' d, DATE '1900-03-01' past, DATE '0001-01-01' year_one, 'infinity'::DATE inf, '-infinity'::DATE ninf, NULL::DATE n`);
  });

  it('TIME and TIME WITH TIME ZONE (the local time, offset dropped, as WASM does)', async () => {
    await expectSame(`SELECT TIME '12:34:56.789' t, TIME '00:00:00' z, TIME '23:59:59.999999' late, TIMETZ '12:34:56+02' tz, NULL::TIME n`);
  });

  it('TIMESTAMP in every unit, and TIMESTAMPTZ in UTC', async () => {
    await expectSame(`SELECT TIMESTAMP '2024-01-31 12:34:56.789123' ts, TIMESTAMP '1850-01-01 00:00:01' past,
      '2024-01-31 12:34:56'::TIMESTAMP_S s, '2024-01-31 12:34:56.789'::TIMESTAMP_MS ms, '2024-01-31 12:34:56.789123456'::TIMESTAMP_NS ns,
      '2024-01-31 12:34:56+02'::TIMESTAMPTZ tz, NULL::TIMESTAMP n`);
  });

  it('TIMESTAMPTZ comes out as UTC instants whatever the native TimeZone setting (WASM has no ICU: always UTC)', async () => {
    await conn.run(`SET TimeZone = 'America/New_York'`);
    try {
      await expectSame(`SELECT '2024-07-01 12:00:00+02'::TIMESTAMPTZ summer, '2024-01-01 00:00:00+00'::TIMESTAMPTZ winter`);
    } finally {
      await conn.run(`SET TimeZone = 'UTC'`);
    }
  });

  it('an infinite TIMESTAMP holds the same raw value (tableToResult refuses it on both engines)', async () => {
    const sql = `SELECT 'infinity'::TIMESTAMP inf, '-infinity'::TIMESTAMP ninf`;
    const w = wasm.queryArrow(sql);
    const n = await nativeArrow(sql);
    expect(shape(n)).toEqual(shape(w));
    for (const i of [0, 1]) expect([...n.getChildAt(i)!.data[0]!.values]).toEqual([...w.getChildAt(i)!.data[0]!.values]);
  });

  it('INTERVAL as MONTH_DAY_NANO, all 16 bytes of it (apache-arrow 17 writes only 12 of its own)', async () => {
    const sql = `SELECT * FROM (VALUES (INTERVAL '1 year 2 months 3 days 04:05:06.789'), (INTERVAL '-1 day'), (NULL), (INTERVAL '36 hours')) t(i)`;
    await expectSame(sql);
    await expectSameBytes(sql);
  });

  it('UUID as its text', async () => {
    await expectSame(`SELECT UUID '12345678-1234-5678-1234-567812345678' u, UUID 'ffffffff-ffff-ffff-ffff-ffffffffffff' f,
      UUID '00000000-0000-0000-0000-000000000000' z, UUID '80000000-0000-0000-0000-000000000001' mid, NULL::UUID n`);
  });

  it('ENUM as a dictionary of every member, 8-bit and 16-bit codes', async () => {
    await expectSame(`SELECT * FROM (VALUES ('ok'::mood, 'v299'::big_enum), (NULL, 'v0'), ('happy', NULL)) t(m, b)`);
  });

  it('LIST, fixed-size ARRAY, STRUCT and MAP, empty and NULL ones included', async () => {
    await expectSame(`SELECT [1, 2, NULL] l, []::INTEGER[] e, NULL::INTEGER[] n, ['a', 'b', 'a longer string in a list'] s,
      [1, 2, 3]::INTEGER[3] a, NULL::INTEGER[3] an, {'a': 1, 'b': 'x'} st, NULL::STRUCT(a INTEGER) sn,
      MAP {'k1': 1, 'k2': 2} m, MAP {}::MAP(VARCHAR, INTEGER) me`);
  });

  it('nested: list of struct, struct of list, map of list, list of map, array of array, list of list', async () => {
    await expectSame(`SELECT [{'a': 1}, {'a': 2}] ls, {'l': [1, 2]} sl, MAP {'k': [1, 2]} ml, [MAP {'a': 1}] lm,
      [[1, 2], [3, 4]]::INTEGER[2][2] aa, [[1, 2], [3], NULL, []] ll, [NULL, {'a': NULL}] lsn, {'s': {'t': [UUID '12345678-1234-5678-1234-567812345678']}} deep,
      [1::UHUGEINT] lu, {'h': 1::HUGEINT, 'e': 'ok'::mood} sh`);
  });

  it('nested values over many rows and chunks, NULLs at every level', async () => {
    await expectSame(`SELECT i,
      CASE WHEN i % 5 = 0 THEN NULL ELSE [i, NULL, i * 2] END l,
      CASE WHEN i % 7 = 0 THEN NULL ELSE {'n': i, 's': CASE WHEN i % 2 = 0 THEN NULL ELSE 'text number ' || i END} END st,
      MAP {'k' || (i % 3): [i]} m,
      CAST(CASE WHEN i % 11 = 0 THEN NULL ELSE [i, i + 1] END AS BIGINT[2]) a
      FROM range(5000) t(i)`);
  });

  it('UNION as a sparse union; a NULL row has type id 0 and NULL members, as WASM writes it', async () => {
    await onBoth(`CREATE TABLE unions (u UNION(num INTEGER, str VARCHAR))`);
    await onBoth(`INSERT INTO unions VALUES (union_value(str := 'x')), (NULL), (union_value(num := 3)), (union_value(str := 'a longer union string')), (union_value(num := NULL::INTEGER))`);
    const { w, n } = await expectSame(`SELECT u FROM unions`);
    const [wd, nd] = [w.getChildAt(0)!.data[0]!, n.getChildAt(0)!.data[0]!];
    expect([...nd.typeIds.subarray(0, nd.length)]).toEqual([...wd.typeIds.subarray(0, wd.length)]);
    expect(nd.children.map((c) => [...Array(c.length).keys()].map((i) => c.getValid(i)))).toEqual(wd.children.map((c) => [...Array(c.length).keys()].map((i) => c.getValid(i))));
  });

  it('a NULL-only column, and a zero-row result that keeps its schema', async () => {
    await expectSame(`SELECT NULL AS x`);
    const { n } = await expectSame(`SELECT 1 AS a, 'x' AS b, [1] AS l WHERE false`);
    expect(n.numRows).toBe(0);
    expect(n.batches.length).toBe(1);
  });

  it('statements without rows return what WASM returns: Count for DDL and DML, Success for transactions', async () => {
    await expectSame(`CREATE TABLE stmt_t (a INTEGER, s VARCHAR)`);
    const insert = await expectSame(`INSERT INTO stmt_t VALUES (1, 'x'), (2, NULL), (3, 'y')`);
    expect(insert.n.getChild('Count')?.get(0)).toBe(3n);
    await expectSame(`UPDATE stmt_t SET a = a + 10 WHERE a > 1`);
    await expectSame(`DELETE FROM stmt_t WHERE a = 1`);
    await expectSame(`BEGIN TRANSACTION`);
    await expectSame(`COMMIT`);
    await expectSame(`CREATE VIEW stmt_v AS SELECT * FROM stmt_t`);
    await expectSame(`DROP VIEW stmt_v`);
  });

  it('EXPLAIN, DESCRIBE and duplicate or odd column names, read the way callers read them', async () => {
    const { w, n } = await expectSame(`EXPLAIN SELECT 1`);
    expect(n.getChild('explain_value')?.get(0)).toBe(w.getChild('explain_value')?.get(0));
    await onBoth(`CREATE TABLE described (id BIGINT, name VARCHAR, amount DECIMAL(9,2))`);
    await expectSame(`DESCRIBE described`);
    await expectSame(`SELECT 1 AS a, 2 AS a, 3 AS "Weird ""Name"", ok"`);
  });

  it('a 100,000-row result of mixed types (one batch here, 49 of 2,048 rows on WASM) has the same values', async () => {
    const sql = `SELECT i, i * 0.5 d, CASE WHEN i % 10 = 0 THEN NULL ELSE 'row ' || i || ' of the big result' END s,
      DATE '2000-01-01' + (i % 10000)::INTEGER dt, TIMESTAMP '2020-01-01' + to_seconds(i) ts, (i % 9)::DECIMAL(9,2) dc, i % 2 = 0 b
      FROM range(100000) t(i)`;
    const { w, n } = await expectSame(sql);
    expect(n.numRows).toBe(100000);
    expect(w.batches.length).toBeGreaterThan(1);
  });

  it('a result past one record batch (122,880 rows) stays whole and in order', async () => {
    const { n } = await expectSame(`SELECT i, 'v' || i s FROM range(250000) t(i)`);
    expect(n.batches.length).toBe(3);
  });

  it('a streaming result gives the same bytes as a materialized one, repeated and scattered strings and lists included', async () => {
    await conn.run(`CREATE TABLE scattered AS SELECT i, CASE WHEN i % 3 = 0 THEN 'a repeated long string value' ELSE 'unique long string ' || i END s FROM range(20000) t(i)`);
    for (const sql of [`SELECT * FROM scattered`, `SELECT [1, 2, 3] l, 'a constant longer string' s, i FROM range(3000) t(i)`]) {
      const materialized = await resultToIPC(await conn.run(sql));
      const streamed = await resultToIPC(await conn.stream(sql));
      expect(tableToResult(tableFromIPC(streamed))).toEqual(tableToResult(tableFromIPC(materialized)));
    }
    wasm.queryArrow(`CREATE TABLE scattered AS SELECT i, CASE WHEN i % 3 = 0 THEN 'a repeated long string value' ELSE 'unique long string ' || i END s FROM range(20000) t(i)`);
    const sql = `SELECT * FROM scattered`;
    expect(tableToResult(tableFromIPC(await resultToIPC(await conn.stream(sql))))).toEqual(tableToResult(wasm.queryArrow(sql)));
  });

  it('the stream of a wide mix is what DuckDB reads back from WASM\'s own stream', async () => {
    await expectSameBytes(WIDE);
  });

  it('lists whose entries are out of order, shared or overlapping in the child vector read as the lists they are', async () => {
    // DuckDB's C API hands out compacted chunks, so no query makes such a chunk: it is written by hand here.
    const types = [LIST(VARCHAR), LIST(INTEGER), LIST(STRUCT({ a: INTEGER, s: VARCHAR })), LIST(LIST(INTEGER)), LIST(BOOLEAN), LIST(UUID), LIST(DECIMAL(9, 2))];
    const items: DuckDBValue[][] = [
      ['first long string value', 'b', 'c', 'a fourth long string value', null],
      [1, 2, null, 4, 5],
      [structValue({ a: 1, s: 'one long struct string' }), structValue({ a: null, s: 'two' }), null, structValue({ a: 4, s: null }), structValue({ a: 5, s: 'five' })],
      [listValue([1, 2]), listValue([]), null, listValue([3]), listValue([4, 5, 6])],
      [true, false, null, true, false],
      [uuidValue(1n), uuidValue(2n ** 127n), null, uuidValue(3n), uuidValue(2n ** 128n - 1n)],
      [decimalValue(123n, 9, 2), decimalValue(-5n, 9, 2), null, decimalValue(99999n, 9, 2), decimalValue(0n, 9, 2)],
    ];
    // Stored as [x0 x1] [x2 x3] [x4] NULL; then re-pointed at x2..x3, x0..x1, x1..x3 (overlapping), NULL.
    const pick = (xs: DuckDBValue[], idx: number[]) => listValue(idx.map((i) => xs[i]!));
    const chunkOf = (lists: (number[] | null)[]) => {
      const chunk = DuckDBDataChunk.create(types, lists.length);
      types.forEach((_, c) => chunk.setColumnValues(c, lists.map((l) => (l ? pick(items[c]!, l) : null))));
      return chunk;
    };
    const scrambled = chunkOf([[0, 1], [2, 3], [4], null]);
    const entries = new BigUint64Array([2n, 2n, 0n, 2n, 1n, 3n, 0n, 0n]);
    types.forEach((_, c) => duckdb.copy_data_to_vector(duckdb.data_chunk_get_vector(scrambled.chunk, c), 0, entries.buffer, 0, entries.byteLength));
    const expected = chunkOf([[2, 3], [0, 1], [1, 2, 3], null]);
    const names = types.map((_, i) => `c${i}`);
    const read = async (chunk: DuckDBDataChunk) => tableToResult(tableFromIPC(await chunksToIPC(names, types, [chunk])));
    const mine = await read(scrambled);
    expect(mine).toEqual(await read(expected));
    expect(mine.rows[2]![0]).toEqual(['b', 'c', 'a fourth long string value']);
    expect(mine.rows[2]![3]).toEqual([[], null, [3]]);
  });

  it('refuses TIME_NS as WASM does, and VARIANT (which WASM lacks), naming the type', async () => {
    expect(() => wasm.queryArrow(`SELECT TIME_NS '12:34:56.123456789' t`)).toThrow(/TIME_NS/);
    await expect(resultToIPC(await conn.run(`SELECT TIME_NS '12:34:56.123456789' t`))).rejects.toThrow(/TIME_NS column as Arrow: DuckDB-WASM refuses it too/);
    await expect(resultToIPC(await conn.run(`SELECT 1::VARIANT v`))).rejects.toThrow(/VARIANT column as Arrow/);
  });
});

/** Every type family at once, NULLs included (`mood` is made on both engines before all tests). */
const WIDE = `SELECT * FROM (VALUES
  (true, 1::TINYINT, 2::SMALLINT, 3, 4::BIGINT, 5::UTINYINT, 6::USMALLINT, 7::UINTEGER, 8::UBIGINT, 9::HUGEINT, 10::UHUGEINT,
   1.5::FLOAT, 2.5::DOUBLE, 1.5::DECIMAL(4,1), 1.5::DECIMAL(9,2), 1.5::DECIMAL(18,3), 1.5::DECIMAL(38,10), 'héllo ✓', 'a string longer than twelve',
   '\\xAA'::BLOB, DATE '1969-07-20', TIME '01:02:03.5', TIMESTAMP '2024-01-01 01:02:03.123456', '2024-01-01 01:02:03'::TIMESTAMP_S,
   '2024-01-01 01:02:03.5'::TIMESTAMP_MS, '2024-01-01 01:02:03.123456789'::TIMESTAMP_NS, '2024-01-01 01:02:03+00'::TIMESTAMPTZ,
   INTERVAL '1 year 2 days 3 seconds', UUID '12345678-1234-5678-1234-567812345678', 'ok'::mood, '101'::BIT, [1, 2], [1, 2]::INTEGER[2],
   {'a': 1, 'b': [{'c': 'x'}]}, MAP {'k': [1]}, union_value(num := 2)::UNION(num INTEGER, str VARCHAR), 12345678901234567890123::VARINT,
   TIMETZ '01:02:03+02'),
  (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
) t(b, i8, i16, i32, i64, u8, u16, u32, u64, h, uh, f, d, d4, d9, d18, d38, v, vl, bl, dt, tm, ts, tss, tsms, tsns, tz, iv, u, en, bt, li, ar, st, mp, un, vi, ttz)`;

describe('insertIPC: Arrow into a native table, as DuckDB-WASM\'s insertArrowFromIPCStream', () => {
  async function nativeLoaded(name: string): Promise<{ columns: unknown; rows: unknown; text: unknown }> {
    return {
      columns: tableToResult(await nativeArrow(`SELECT column_name, column_type FROM (DESCRIBE ${name})`)).rows,
      rows: tableToResult(await nativeArrow(`SELECT * FROM ${name}`)).rows,
      text: tableToResult(await nativeArrow(`SELECT COLUMNS(c -> NOT (c ILIKE 'iv%' OR c ILIKE 'dur%')) ::VARCHAR FROM ${name}`)).rows,
    };
  }
  function wasmLoaded(name: string): { columns: unknown; rows: unknown; text: unknown } {
    return {
      columns: tableToResult(wasm.queryArrow(`SELECT column_name, column_type FROM (DESCRIBE ${name})`)).rows,
      rows: tableToResult(wasm.queryArrow(`SELECT * FROM ${name}`)).rows,
      text: tableToResult(wasm.queryArrow(`SELECT COLUMNS(c -> NOT (c ILIKE 'iv%' OR c ILIKE 'dur%')) ::VARCHAR FROM ${name}`)).rows,
    };
  }
  /** Load the same bytes into both engines; equal column types and values. */
  async function expectSameLoad(ipc: Uint8Array, intervals: string[] = []): Promise<void> {
    const name = `loaded_${++tables}`;
    wasm.insertArrowIPC(name, ipc, true);
    await insertIPC(conn, ipc, { name, create: true });
    expect(await nativeLoaded(name)).toEqual(wasmLoaded(name));
    // Intervals as months, days and µs: DuckDB 1.5 prints them as 1.4.3 does, but apache-arrow 17 shows them poorly.
    for (const c of intervals) {
      const sql = `SELECT datepart('month', ${c}) + 12 * datepart('year', ${c}) mo, datepart('day', ${c}) d, epoch_us(${c}) - 86400000000 * datepart('day', ${c}) us FROM ${name}`;
      expect(tableToResult(await nativeArrow(sql))).toEqual(tableToResult(wasm.queryArrow(sql)));
    }
  }
  /** A MONTH_DAY_NANO column apache-arrow 17 writes whole (its own stride for the type is 3 words, not 4). */
  const monthDayNano = (words: Int32Array) => {
    const data = makeData({ type: new Interval(IntervalUnit.MONTH_DAY_NANO), length: words.length / 4, data: words });
    (data as unknown as { stride: number }).stride = 4;
    return data;
  };
  const streamOf = (batch: { fields: Field[]; columns: Data[] }) => {
    const schema = new Schema(batch.fields);
    const length = batch.columns[0]!.length;
    return tableToIPC(new Table([new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length, nullCount: 0, children: batch.columns }))]), 'stream');
  };

  it('the wide mix WASM itself returns (its queryIPC) loads with the same column types and values', async () => {
    await expectSameLoad(ipcFileToStream(wasm.queryIPC(WIDE)), ['iv']);
  });

  it('100,000 rows in 49 record batches load whole and in order', async () => {
    const sql = `SELECT i, i * 0.25 d, CASE WHEN i % 9 = 0 THEN NULL ELSE 'value ' || i END s, CASE WHEN i % 4 = 0 THEN 'short' ELSE 'a longer text ' || i END t,
      [i, NULL] l, {'a': i, 'b': CASE WHEN i % 2 = 0 THEN NULL ELSE 'x' || i END} st, DATE '2001-01-01' + (i % 3000)::INTEGER dt FROM range(100000) t(i)`;
    const ipc = ipcFileToStream(wasm.queryIPC(sql));
    expect(tableFromIPC(ipc).batches.length).toBe(49);
    await expectSameLoad(ipc);
  });

  it('the stream resultToIPC makes loads back into the same table (native to native)', async () => {
    const sql = `SELECT i, 'n' || i s, [i] l, i::DECIMAL(18,3) dc, TIMESTAMP '2020-01-01' + to_seconds(i) ts FROM range(3000) t(i)`;
    await insertIPC(conn, await resultToIPC(await conn.run(sql)), { name: 'native_round', create: true });
    expect(tableToResult(await nativeArrow(`SELECT * FROM native_round`))).toEqual(tableToResult(await nativeArrow(sql)));
  });

  it('Arrow types DuckDB-WASM never writes (as Arrow files and other tools carry them) read as WASM reads them', async () => {
    const n = (values: unknown[], type: DataType) => vectorFromArray(values as never, type as never).data[0]! as Data;
    const uuid = new FixedSizeBinary(16);
    const dictType = new Dictionary(new Utf8(), new Int32());
    const union = new SparseUnion([0, 1], [new Field('i', new Int32(), true), new Field('s', new Utf8(), true)]);
    const fsl = new FixedSizeList(2, new Field('x', new Int32(), true));
    const entries = new Struct([new Field('key', new Utf8(), false), new Field('value', new Int32(), true)]);
    const map = new Map_(new Field('entries', entries, false));
    const inner = new Struct([new Field('a', new Int32(), true), new Field('b', new Utf8(), true)]);
    const ipc = streamOf({
      fields: [
        new Field('d64', new DateMillisecond(), true),
        new Field('t32s', new TimeSecond(), true),
        new Field('t32ms', new TimeMillisecond(), true),
        new Field('t64ns', new TimeNanosecond(), true),
        new Field('tss', new TimestampSecond(), true),
        new Field('tsms', new TimestampMillisecond(), true),
        new Field('tsns', new TimestampNanosecond(), true),
        new Field('tznz', new TimestampNanosecond('Europe/Paris'), true),
        new Field('tzs', new TimestampSecond('UTC'), true),
        new Field('dur_ms', new DurationMillisecond(), true),
        new Field('dur_ns', new DurationNanosecond(), true),
        new Field('iv_ym', new IntervalYearMonth(), true),
        new Field('iv_dt', new IntervalDayTime(), true),
        new Field('iv_mdn', new Interval(IntervalUnit.MONTH_DAY_NANO), true),
        new Field('large', new LargeUtf8(), true),
        new Field('lbin', new LargeBinary(), true),
        new Field('fsb', new FixedSizeBinary(3), true),
        new Field('nul', new Null(), true),
        new Field('dict', dictType, true),
        new Field('dict_int', new Dictionary(new Int64(), new Int8()), true),
        new Field('uuid', uuid, true, new Map([['ARROW:extension:name', 'arrow.uuid']])),
        new Field('json', new Utf8(), true, new Map([['ARROW:extension:name', 'arrow.json']])),
        new Field('u64', new Uint64(), true),
        new Field('su', union, true),
        new Field('fsl', fsl, true),
        new Field('map', map, true),
        new Field('st', inner, true),
        new Field('', new Int32(), true),
        new Field('dup', new Int32(), true),
        new Field('DUP', new Int32(), true),
      ],
      columns: [
        makeData({ type: new DateMillisecond(), length: 3, data: new BigInt64Array([-1n, -86400001n, 1704153600000n]) as never, nullBitmap: new Uint8Array([0b011]) }),
        makeData({ type: new TimeSecond(), length: 3, data: new Int32Array([3600, 0, 59]), nullBitmap: new Uint8Array([0b101]) }),
        makeData({ type: new TimeMillisecond(), length: 3, data: new Int32Array([3600123, 1, 2]) }),
        makeData({ type: new TimeNanosecond(), length: 3, data: new BigInt64Array([3600123456789n, 999n, 1000n]) }),
        makeData({ type: new TimestampSecond(), length: 3, data: new BigInt64Array([1700000000n, -1n, 0n]) }),
        makeData({ type: new TimestampMillisecond(), length: 3, data: new BigInt64Array([1700000000123n, -1n, 0n]) }),
        makeData({ type: new TimestampNanosecond(), length: 3, data: new BigInt64Array([1700000000123456789n, -1500n, 0n]) }),
        makeData({ type: new TimestampNanosecond('Europe/Paris'), length: 3, data: new BigInt64Array([1700000000123456789n, -1500n, 1n]) }),
        makeData({ type: new TimestampSecond('UTC'), length: 3, data: new BigInt64Array([1700000000n, -1n, 0n]) }),
        makeData({ type: new DurationMillisecond(), length: 3, data: new BigInt64Array([5000n, -1n, 0n]) }),
        makeData({ type: new DurationNanosecond(), length: 3, data: new BigInt64Array([-1500n, 1999n, 0n]) }),
        makeData({ type: new IntervalYearMonth(), length: 3, data: new Int32Array([14, -1, 0]) }),
        makeData({ type: new IntervalDayTime(), length: 3, data: new Int32Array([3, 1500, 0, 1, -1, 0]) }),
        monthDayNano(new Int32Array([14, 3, 1500000, 0, 0, 0, 0, 0, -1, -2, -1000, -1])),
        n(['big', null, ''], new LargeUtf8()),
        n([new Uint8Array([1, 2]), null, new Uint8Array(20).fill(7)], new LargeBinary()),
        n([new Uint8Array([1, 2, 3]), null, new Uint8Array([0, 0, 0])], new FixedSizeBinary(3)),
        makeData({ type: new Null(), length: 3 }),
        n(['a', null, 'a dictionary value longer than twelve'], dictType),
        makeData({ type: new Dictionary(new Int64(), new Int8()), length: 3, data: new Int8Array([1, 0, 1]), dictionary: vectorFromArray([10n, 20n], new Int64()) }),
        makeData({ type: uuid, length: 3, data: new Uint8Array([...Array(16).keys(), ...new Array(16).fill(255), ...new Array(16).fill(0)]), nullBitmap: new Uint8Array([0b011]) }),
        n(['{"a": 1}', null, '[1, 2]'], new Utf8()),
        n([18446744073709551615n, null, 0n], new Uint64()),
        makeData({ type: union, length: 3, typeIds: new Int8Array([0, 1, 1]), children: [n([5, null, null], new Int32()), n([null, 'x', null], new Utf8())] }),
        makeData({ type: fsl, length: 3, nullBitmap: new Uint8Array([0b101]), child: n([1, 2, 9, 9, null, 4], new Int32()) as never }),
        makeData({ type: map, length: 3, valueOffsets: new Int32Array([0, 2, 2, 3]), nullBitmap: new Uint8Array([0b101]),
          child: makeData({ type: entries, length: 3, children: [n(['k', 'l', 'm'], new Utf8()), n([1, null, 3], new Int32())] }) }),
        makeData({ type: inner, length: 3, nullBitmap: new Uint8Array([0b110]), children: [n([1, 2, null], new Int32()), n(['hidden by the null row', 'y', null], new Utf8())] }),
        n([1, 2, 3], new Int32()),
        n([1, 2, 3], new Int32()),
        n([4, 5, 6], new Int32()),
      ],
    });
    await expectSameLoad(ipc, ['dur_ms', 'dur_ns', 'iv_ym', 'iv_dt', 'iv_mdn']);
  });

  it('a stream without rows still creates the table, with its column types', async () => {
    await expectSameLoad(ipcFileToStream(wasm.queryIPC(`SELECT 1 a, 'x' b, [1.5] l, {'k': DATE '2024-01-01'} s WHERE false`)));
  });

  it('list columns with NULL lists and several record batches load as WASM loads them', async () => {
    const list = new List(new Field('item', new Utf8(), true));
    const batch = (offset: number) => makeData({
      type: list, length: 3, valueOffsets: new Int32Array([0, 2, 2, 3]), nullBitmap: new Uint8Array([0b101]),
      child: vectorFromArray([`a${offset}`, null, `a long list element ${offset}`], new Utf8()).data[0]!,
    });
    const schema = new Schema([new Field('l', list, true)]);
    const table = new Table([0, 1, 2].map((i) => new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: 3, nullCount: 0, children: [batch(i)] }))));
    await expectSameLoad(tableToIPC(table, 'stream'));
  });

  it('appends (create: false) by position with INSERT\'s casts, and fails as WASM fails on a bad cast or a short row', async () => {
    await onBoth(`CREATE TABLE target (x VARCHAR, y INTEGER)`);
    const good = ipcFileToStream(wasm.queryIPC(`SELECT 1 a, '7' b UNION ALL SELECT 2, NULL`));
    wasm.insertArrowIPC('target', good, false);
    await insertIPC(conn, good, { name: 'target', create: false });
    const rows = async () => tableToResult(await nativeArrow(`SELECT * FROM target ORDER BY x`));
    expect(await rows()).toEqual(tableToResult(wasm.queryArrow(`SELECT * FROM target ORDER BY x`)));
    for (const bad of [`SELECT 3 a, 'not a number' b`, `SELECT 4 a`]) {
      const ipc = ipcFileToStream(wasm.queryIPC(bad));
      expect(() => wasm.insertArrowIPC('target', ipc, false)).toThrow();
      await expect(insertIPC(conn, ipc, { name: 'target', create: false })).rejects.toThrow();
    }
    expect(await rows()).toEqual(tableToResult(wasm.queryArrow(`SELECT * FROM target ORDER BY x`)));
    expect(tableToResult(await nativeArrow(`SELECT count(*) n FROM duckdb_tables() WHERE temporary`)).rows).toEqual([[0]]);
  });

  it('create: true refuses an existing table and leaves it untouched; a schema is honoured', async () => {
    await conn.run(`CREATE TABLE existing AS SELECT 42 AS keep`);
    const ipc = ipcFileToStream(wasm.queryIPC(`SELECT 1 a`));
    await expect(insertIPC(conn, ipc, { name: 'existing', create: true })).rejects.toThrow(/already exists/);
    expect(tableToResult(await nativeArrow(`SELECT * FROM existing`)).rows).toEqual([[42]]);
    await conn.run(`CREATE SCHEMA side`);
    await insertIPC(conn, ipc, { name: 'in_side', schema: 'side', create: true });
    expect(tableToResult(await nativeArrow(`SELECT * FROM side.in_side`)).rows).toEqual([[1]]);
  });

  it('refuses what WASM refuses (half floats, dense unions) with the column named, and creates nothing', async () => {
    const dense = new DenseUnion([0], [new Field('i', new Int32(), true)]);
    const cases = [
      streamOf({ fields: [new Field('h', new Float16(), true)], columns: [makeData({ type: new Float16(), length: 1, data: new Uint16Array([15360]) })] }),
      streamOf({ fields: [new Field('du', dense, true)], columns: [makeData({ type: dense, length: 1, typeIds: new Int8Array([0]), valueOffsets: new Int32Array([0]), children: [vectorFromArray([1], new Int32()).data[0]!] })] }),
    ];
    for (const [i, ipc] of cases.entries()) {
      expect(() => wasm.insertArrowIPC(`refused_${i}`, ipc, true)).toThrow(/Unsupported/);
      await expect(insertIPC(conn, ipc, { name: `refused_${i}`, create: true })).rejects.toThrow(/Cannot load column "(h|du)"/);
      expect(tableToResult(await nativeArrow(`SELECT count(*) FROM duckdb_tables() WHERE table_name = 'refused_${i}'`)).rows).toEqual([[0]]);
    }
    await expect(insertIPC(conn, new Uint8Array([1, 2, 3]), { name: 'garbage', create: true })).rejects.toThrow(/Not a readable Arrow IPC stream/);
  });

  it('refuses a MONTH_DAY_NANO column apache-arrow 17 wrote short (12 bytes a value), where WASM reads past each value', async () => {
    const type = new Interval(IntervalUnit.MONTH_DAY_NANO);
    const ipc = streamOf({ fields: [new Field('iv', type, true)], columns: [makeData({ type, length: 3, data: new Int32Array([14, 3, 1500000, 0, 0, 0, 0, 0, -1, -2, -1000, -1]) })] });
    await expect(insertIPC(conn, ipc, { name: 'short_intervals', create: true })).rejects.toThrow(/Cannot load column "iv".*12 bytes long/);
    expect(tableToResult(await nativeArrow(`SELECT count(*) FROM duckdb_tables() WHERE table_name = 'short_intervals'`)).rows).toEqual([[0]]);
  });

  it('names columns as DuckDB\'s Arrow scan does: v<i> for an empty name, repeats numbered case-insensitively', async () => {
    const names = ['a', 'a', 'A', '', 'a_1', 'b'];
    expect(arrowColumnNames(names)).toEqual(['a', 'a_1', 'A_2', 'v3', 'a_1_1', 'b']);
    const ipc = streamOf({ fields: names.map((name) => new Field(name, new Int32(), true)), columns: names.map((_, i) => vectorFromArray([i], new Int32()).data[0]!) });
    await expectSameLoad(ipc);
  });
});
