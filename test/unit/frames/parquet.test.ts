import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine';
import { openRecords } from '../../../src/frames/open-records';
import { readParquetInto } from '../../../src/frames/readers/parquet';
import { renderType } from '../../../src/schema/types';
import { engineOnce } from './helpers';

let engine: Engine;
let bytes: Uint8Array;
beforeAll(async () => {
  engine = await engineOnce();
  engine.query(`CREATE OR REPLACE TABLE pq_src AS SELECT i AS id, 'x' || i AS s, {'n': i % 3} AS nested FROM range(2500) r(i)`);
  // Row groups of 1,000 rows, so the reader has three to stream.
  const pq = engine.parquet.pq;
  const props = new pq.WriterPropertiesBuilder().setMaxRowGroupSize(1000).build();
  bytes = pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(tableFromIPC(engine.queryIPC('SELECT * FROM pq_src')), 'stream')), props);
});

describe('Parquet reader', () => {
  it('streams row group by row group into a table equal to the source', async () => {
    const r = await readParquetInto(engine, 'pq_read', { kind: 'buffer', bytes }, engine.parquet.pq);
    expect(r).toEqual({ table: 'pq_read', rows: 2500, rowGroups: 3 });
    expect(engine.query('SELECT count(*) FROM (SELECT * FROM pq_src EXCEPT SELECT * FROM pq_read)').rows).toEqual([[0]]);
  });

  it('opens a Parquet file from disk lazily (openAsBlob) through openRecords', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'epoxy-pq-'));
    writeFileSync(join(dir, 'events.parquet'), bytes);
    const r = await openRecords(engine, 'events.parquet', { kind: 'path', path: join(dir, 'events.parquet') });
    expect(r).toMatchObject({ table: 'events', rows: 2500, format: 'parquet' });
    expect(r.schema.map((f) => `${f.name}:${renderType(f.type)}`)).toEqual(['id:bigint', 's:string', 'nested:struct<n:bigint>']);
  });
});
