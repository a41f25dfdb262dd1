import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportGlueScript } from '../../../src/jobs/export-pyspark';
import type { JobDefinition } from '../../../src/jobs/model';
import { t } from '../../../src/schema/types';
import { startSpark, type Spark } from '../../support/spark';

// The run's shared local Spark (test/support/spark.ts) rather than a python3 of its own: one JVM start less.
let spark: Spark;
beforeAll(async () => { spark = await startSpark(); }, 240_000);
afterAll(async () => { await spark?.close(); });

/** The Glue script's edge helpers (_conform, _shape) as exported, cut from the script text. */
function edgeHelpers(): string {
  const def: JobDefinition = { version: 1, name: 'edges', bookmark: 'job-bookmark-disable', parameters: [], nodes: [
    { id: 'src', kind: 'source', source: { type: 'file', path: '/data/x.json', format: 'json' } },
    { id: 'out', kind: 'target', inputs: ['src'], target: { type: 'download', name: 'out', format: 'csv' } },
  ] };
  const script = exportGlueScript(def, { schemas: { src: [{ name: 'id', type: t.bigint }] } });
  const start = script.indexOf('def _conform(');
  const end = script.indexOf('def _json_options(');
  if (start < 0 || end < start) throw new Error('the Glue script has no _conform helper');
  return script.slice(start, end);
}

describe('the Glue script\'s source edge on Spark 3.5', () => {
  // awsglue runs only on Glue: the two DynamicFrame calls _conform makes (resolveChoice, toDF) are stood in for by
  // a DataFrame holder; everything after them (the columns the transform body receives) is real local Spark.
  it('gives the body the tab\'s columns: names case-insensitively, struct fields by name, missing ones NULL, folder keys from the file name, a renamed catalog column by its name in the files', async () => {
    const program = [
      'import json',
      'from pyspark.sql import SparkSession, functions as F, types as T',
      'spark = SparkSession.builder.getOrCreate()',
      'class DynamicFrameStandIn:',
      '    def __init__(self, df): self.df = df',
      '    def resolveChoice(self, choice, transformation_ctx): return self',
      '    def toDF(self): return self.df',
      '',
      edgeHelpers(),
      // Glue's reader: fields in another order, other case, a struct whose fields come reversed, a file column.
      'df = spark.createDataFrame([({"city": "Oslo", "country": "NO"}, [{"b": "2", "a": 1}], "s3://b/events/day=2024-01-02/part-0.json", "7")], "addr struct<city:string,country:string>, items array<struct<b:string,a:int>>, _epoxy_file string, Id string")',
      'out = _conform(DynamicFrameStandIn(df), "`id` bigint, `addr` struct<`country`:string,`zip`:string,`city`:string>, `items` array<struct<`a`:bigint,`b`:int>>, `day` date, `gone` double", "src", ["day"])',
      'print(json.dumps({"schema": out.schema.simpleString(), "rows": [r.asDict(recursive=True) for r in out.collect()]}, default=str))',
      // A catalog table whose column the catalog renamed: the files still say "Beak Length (mm)".
      'renamed = _conform(DynamicFrameStandIn(spark.createDataFrame([("39.1",)], "`Beak Length (mm)` string")), "`beak_length_mm` double", "src", names={"beak_length_mm": "beak length (mm)"})',
      'print(json.dumps({"schema": renamed.schema.simpleString(), "rows": [r.asDict() for r in renamed.collect()]}))',
    ].join('\n');
    const { stdout } = await spark.run(program, [], 'edge.py');
    const [out, renamed] = stdout.trim().split('\n').slice(-2).map((l) => JSON.parse(l));
    expect(out.schema).toBe('struct<id:bigint,addr:struct<country:string,zip:string,city:string>,items:array<struct<a:bigint,b:int>>,day:date,gone:double>');
    expect(out.rows).toEqual([{ id: 7, addr: { country: 'NO', zip: null, city: 'Oslo' }, items: [{ a: 1, b: 2 }], day: '2024-01-02', gone: null }]);
    expect(renamed).toEqual({ schema: 'struct<beak_length_mm:double>', rows: [{ beak_length_mm: 39.1 }] });
  }, 300_000);
});
