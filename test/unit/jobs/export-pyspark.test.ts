import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportPySpark } from '../../../src/jobs/export-pyspark';
import type { JobDefinition, WriteMode } from '../../../src/jobs/model';
import { ordersJob } from './fixtures';

const GOLDEN = join(__dirname, '../../fixtures/jobs');

/** A job using most step kinds, a catalog source and a plain download target. */
function everyStepJob(): JobDefinition {
  return {
    version: 1, name: 'every_step', bookmark: 'job-bookmark-enable', parameters: [{ name: 'country', default: 'NO' }],
    nodes: [
      { id: 'customers', kind: 'source', source: { type: 'catalog', database: 'crm', table: 'customers' } },
      { id: 'events', kind: 'source', source: { type: 'file', path: 'dropped://events', format: 'json' } },
      { id: 'resolved', kind: 'transform', inputs: ['events'], step: { id: 'r', kind: 'ResolveChoice', params: { specs: [{ path: 'price', action: 'cast:double' }] } } },
      { id: 'flat', kind: 'transform', inputs: ['resolved'], step: { id: 'u', kind: 'Unnest', params: {} } },
      { id: 'joined', kind: 'transform', inputs: ['flat', 'customers'], step: { id: 'j', kind: 'Join', params: { right: '', leftKeys: ['customer_id'], rightKeys: ['id'], how: 'left' } } },
      { id: 'local', kind: 'transform', inputs: ['joined'], step: { id: 'f', kind: 'Filter', params: { predicate: { combine: 'or', conditions: [{ path: 'address.country', op: '=', value: '${country}' }, { path: 'vip', op: 'not_null' }] } } } },
      { id: 'renamed', kind: 'transform', inputs: ['local'], step: { id: 'n', kind: 'RenameField', params: { from: 'name', to: 'customer_name' } } },
      { id: 'dedup', kind: 'transform', inputs: ['renamed'], step: { id: 'd', kind: 'DropDuplicates', params: { paths: ['event_id'] } } },
      { id: 'total', kind: 'transform', inputs: ['dedup'], step: { id: 'a', kind: 'Aggregate', params: { groupBy: ['customer_name'], aggregations: [{ fn: 'sum', path: 'price', as: 'spent' }, { fn: 'count' }] } } },
      { id: 'ranked', kind: 'transform', inputs: ['total'], step: { id: 's', kind: 'Sql', params: { sql: 'SELECT *, rank() OVER (ORDER BY spent DESC) AS position FROM input' } } },
      { id: 'report', kind: 'target', inputs: ['ranked'], target: { type: 'download', name: 'report', format: 'csv' } },
    ],
  };
}

function python3(): string {
  for (const p of ['/usr/bin/python3', '/usr/local/bin/python3']) if (existsSync(p)) return p;
  throw new Error('python3 is needed to check the exported PySpark scripts compile (apt-get install python3); it was not found in /usr/bin or /usr/local/bin');
}

describe('PySpark export', () => {
  const cases: [string, JobDefinition][] = [['orders_daily.py', ordersJob('/data/orders')], ['every_step.py', everyStepJob()]];
  for (const [file, job] of cases) {
    it(`matches the golden ${file} and compiles with python3`, () => {
      const script = exportPySpark(job);
      if (process.env['UPDATE_GOLDEN']) writeFileSync(join(GOLDEN, file), script);
      expect(script).toBe(readFileSync(join(GOLDEN, file), 'utf8'));
      const dir = mkdtempSync(join(tmpdir(), 'epoxy-py-'));
      writeFileSync(join(dir, file), script);
      execFileSync(python3(), ['-m', 'py_compile', join(dir, file)], { stdio: 'pipe' });
    });
  }

  it('uses awsglue APIs with every node as transformation_ctx', () => {
    const script = exportPySpark(ordersJob('/data/orders'));
    expect(script).toContain('glueContext.create_dynamic_frame.from_options(');
    expect(script).toContain('ApplyMapping.apply(frame=orders, mappings=[');
    expect(script).toContain('transformation_ctx="big"');
    expect(script).toContain('args = getResolvedOptions(sys.argv, ["JOB_NAME", "input_orders", "output_base", "min_amount"])');
    expect(script).toContain('_like(args["min_amount"], _get(row, "amount"))');
    expect(exportPySpark(everyStepJob())).toContain('glueContext.create_dynamic_frame.from_catalog(database="crm", table_name="customers", transformation_ctx="customers")');
  });

  it('says a browser-tab table source has to be uploaded as Parquet', () => {
    const job: JobDefinition = { version: 1, name: 'tab_job', bookmark: 'job-bookmark-disable', parameters: [], nodes: [
      { id: 'sales_1', kind: 'source', source: { type: 'table', name: 'sales' } },
      { id: 'out_1', kind: 'target', inputs: ['sales_1'], target: { type: 'download', name: 'out', format: 'csv' } },
    ] };
    expect(exportPySpark(job)).toContain('# sales_1 read the table sales open in the browser: upload it to S3 as Parquet and pass that path as --input_sales_1.\nsales_1 = glueContext.create_dynamic_frame.from_options(');
  });

  it('writes workspace targets with Spark save modes: append under bookmarks, overwrite, dynamic partition overwrite (issue 16 #3)', () => {
    const job = (mode: WriteMode | undefined, bookmark: JobDefinition['bookmark'], table?: string): JobDefinition => ({
      version: 1, name: 'modes', bookmark, parameters: [],
      nodes: [
        { id: 'src', kind: 'source', source: { type: 'catalog', database: 'lake', table: 'raw' } },
        { id: 'out', kind: 'target', inputs: ['src'], target: { type: 'workspace', path: 'lake/orders', format: 'parquet', partitionBy: ['region'], ...(table ? { database: 'lake', table } : {}), ...(mode ? { mode } : {}) } },
      ],
    });
    const appended = exportPySpark(job(undefined, 'job-bookmark-enable'));
    expect(appended).toContain('# append: the files of earlier runs are kept (the default: the job bookmark is enabled)');
    expect(appended).toContain('src.toDF().write.mode("append").format("parquet").options(**{"compression": "snappy"}).partitionBy(*["region"]).save(args["output_base"] + "/lake/orders/")');
    expect(appended).not.toContain('partitionOverwriteMode');
    const replaced = exportPySpark(job(undefined, 'job-bookmark-disable'));
    expect(replaced).toContain('spark.conf.set("spark.sql.sources.partitionOverwriteMode", "static")\nsrc.toDF().write.mode("overwrite")');
    const dynamic = exportPySpark(job('overwrite-partitions', 'job-bookmark-enable', 'orders'));
    expect(dynamic).toContain('spark.conf.set("spark.sql.sources.partitionOverwriteMode", "dynamic")\n_write_table(src.toDF(), "lake", "orders", args["output_base"] + "/lake/orders/", "parquet", {"compression": "snappy"}, ["region"], "overwrite")');
    expect(dynamic).toContain('.write.insertInto(name, overwrite=(mode == "overwrite"))');
    const dir = mkdtempSync(join(tmpdir(), 'epoxy-py-modes-'));
    for (const [name, script] of [['appended.py', appended], ['replaced.py', replaced], ['dynamic.py', dynamic]] as const) {
      writeFileSync(join(dir, name), script);
      execFileSync(python3(), ['-m', 'py_compile', join(dir, name)], { stdio: 'pipe' });
    }
  });
});
