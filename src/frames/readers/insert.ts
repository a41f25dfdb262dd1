import { quoteIdent } from '../../engine/sql';
import type { StructField } from '../../schema/types';
import type { ReaderEngine } from './json';
import { finalizeSelect, RecordBatcher, type ReadError } from './records';

export interface InsertResult {
  table: string;
  rows: number;
  errors: ReadError[];
  errorCount: number;
}

/**
 * Insert decoded records (plain JS objects) into a DuckDB table of the given Glue schema, in Arrow
 * batches of `batchRows` appended to a staging table, then cast to the stored types in one statement.
 */
export async function insertRecords(engine: ReaderEngine, table: string, schema: StructField[], records: AsyncIterable<unknown> | Iterable<unknown>, batchRows = 10_000, lenient = false): Promise<InsertResult> {
  if (!schema.length) throw new Error('a schema with at least one column is needed');
  const staging = `${table}__staging`;
  const batcher = new RecordBatcher(schema, { lenient });
  let created = false;
  let rows = 0;
  const flush = () => {
    if (!batcher.pending && created) return;
    engine.insertArrowIPC(staging, batcher.flush(), !created);
    created = true;
  };
  engine.query(`DROP TABLE IF EXISTS ${quoteIdent(staging)}`);
  for await (const record of records) {
    batcher.add(record, rows++);
    if (batcher.pending >= batchRows) flush();
  }
  flush();
  engine.query(`CREATE OR REPLACE TABLE ${quoteIdent(table)} AS SELECT ${finalizeSelect(schema)} FROM ${quoteIdent(staging)}`);
  engine.query(`DROP TABLE IF EXISTS ${quoteIdent(staging)}`);
  return { table, rows, errors: batcher.errors, errorCount: batcher.errorCount };
}
