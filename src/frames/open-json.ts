import type { DataSource, Engine } from '../engine/engine';
import { tableNameFromFile, uniqueName } from '../engine/sql';
import type { StructField } from '../schema/types';
import { sourceChunks, textChunks } from './readers/chunks';
import { gunzipChunks, inferRecordsSchema, readJsonInto, type JsonReadResult } from './readers/json';
import { JsonRecordSplitter } from './readers/split-json';

const SAMPLE_BYTES = 1 << 20;

/**
 * Open a JSON/NDJSON file as a frame input table named after the file. Without a schema, the first MiB
 * of records is sampled for a minimal inference (Glue samples JSON the same way; the classifiers module
 * will supply real schemas through the catalog).
 */
export async function openJson(engine: Engine, fileName: string, source: DataSource, schema: StructField[] | null): Promise<JsonReadResult & { schema: StructField[] }> {
  const gzip = /\.gz(ip)?$/i.test(fileName);
  if (!schema) {
    const sample = await sampleRecords(source, gzip);
    schema = inferRecordsSchema(sample);
    if (!schema.length) throw new Error(`Cannot open ${fileName}: no JSON object records in its first MiB`);
  }
  const taken = new Set(engine.query("SELECT table_name FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views()").rows.map((r) => String(r[0])));
  const table = uniqueName(tableNameFromFile(fileName), taken);
  const result = await readJsonInto(engine, table, source, schema, { gzip });
  return { ...result, schema };
}

async function sampleRecords(source: DataSource, gzip: boolean): Promise<unknown[]> {
  const splitter = new JsonRecordSplitter();
  const records: unknown[] = [];
  let seen = 0;
  let bytes: AsyncIterable<Uint8Array> = sourceChunks(source);
  if (gzip) bytes = gunzipChunks(bytes);
  for await (const text of textChunks(bytes)) {
    for (const r of splitter.push(text)) {
      try { records.push(JSON.parse(r)); } catch { /* invalid records are reported by the full read */ }
    }
    seen += text.length;
    if (seen >= SAMPLE_BYTES) return records;
  }
  for (const r of splitter.end()) {
    try { records.push(JSON.parse(r)); } catch { /* reported by the full read */ }
  }
  return records;
}
