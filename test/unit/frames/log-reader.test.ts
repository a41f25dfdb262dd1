import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { Catalog, type Crawler } from '../../../src/catalog';
import { runCrawl } from '../../../src/crawler/crawl';
import { inProcessClassifier } from '../../../src/crawler/in-process';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';
import { customPatternsFor } from '../../../src/classifiers/grok';
import { openRecords } from '../../../src/frames/open-records';
import { logPattern, logRecords } from '../../../src/frames/readers/log';
import { nodeJobEnv } from '../../../src/jobs/node-env';
import { serviceOf } from '../../support/service';
import { executeJob } from '../../../src/jobs/run';
import { listNodeFolder } from '../../../src/sources/node-files';

const FIXTURES = join(__dirname, '../../fixtures/logs');

let engine: Engine;
beforeAll(async () => { engine = await createNodeEngine(); });

async function* chunks(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}
async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('log reader', () => {
  it('cuts lines across any chunk boundary and appends a stack trace to the message of its record', async () => {
    const text = '2015-10-18 18:02:11,019 ERROR [main] org.example.App: failed\r\njava.net.ConnectException: refused\n\tat org.example.App.run(App.java:12)\n\n2015-10-18 18:02:12,000 INFO [main] org.example.App: retrying';
    for (const size of [1, 7, 1000]) {
      expect(await collect(logRecords(chunks(text, size), logPattern('%{JAVALOG}')))).toEqual([
        { timestamp: '2015-10-18 18:02:11,019', level: 'ERROR', thread: 'main', logger: 'org.example.App', message: 'failed\njava.net.ConnectException: refused\n\tat org.example.App.run(App.java:12)' },
        { timestamp: '2015-10-18 18:02:12,000', level: 'INFO', thread: 'main', logger: 'org.example.App', message: 'retrying' },
      ]);
    }
  });

  it('keeps a line the pattern does not match before any record, and gives nulls when the pattern has no string field', async () => {
    expect(await collect(logRecords(chunks('garbage first\nOct 11 22:14:15 host su[1]: ok\n', 5), logPattern('%{SYSLOGLINE}'))))
      .toEqual([{ message: 'garbage first' }, { timestamp: 'Oct 11 22:14:15', logsource: 'host', program: 'su', pid: '1', message: 'ok' }]);
    expect(await collect(logRecords(chunks('1\nx\n2\n', 2), logPattern('%{INT:n:int}')))).toEqual([{ n: '1' }, {}, { n: '2' }]);
  });
});

describe('a crawled log is queryable end to end: crawl -> catalog table -> job source -> SQL (issue 17: 9 loghub logs rejected)', () => {
  it('crawls log4j, Apache error, syslog and text logs into tables a job reads with typed columns', async () => {
    const lake = mkdtempSync(join(tmpdir(), 'epoxy-logs-'));
    const put = (folder: string, fixture: string, as = fixture) => { mkdirSync(join(lake, folder), { recursive: true }); copyFileSync(join(FIXTURES, fixture), join(lake, folder, as)); };
    put('hadoop', 'hadoop.log', 'syslog.1');
    put('apache', 'apache_error.log', 'error_log');
    put('ssh', 'openssh.log', 'auth.log');
    put('proxy', 'proxifier.log');
    put('bgl', 'bgl.log');
    mkdirSync(join(lake, 'zk'));
    writeFileSync(join(lake, 'zk', 'zookeeper.log.gz'), gzipSync(readFileSync(join(FIXTURES, 'zookeeper.log'))));
    writeFileSync(join(lake, 'hadoop', '_SUCCESS'), '');

    const catalog = await Catalog.open({ factory: new IDBFactory(), name: 'log-e2e' });
    const crawler: Crawler = { Name: 'logs', DatabaseName: 'logs', Targets: { EpoxyTargets: [{ Kind: 'path', Path: pathToFileURL(lake).href }] }, SchemaChangePolicy: { UpdateBehavior: 'UPDATE_IN_DATABASE', DeleteBehavior: 'DEPRECATE_IN_DATABASE' } };
    const report = await runCrawl({ crawler, sources: await listNodeFolder(lake), rootName: 'lake', locationPrefix: pathToFileURL(lake).href, catalog, classify: inProcessClassifier({ customClassifiers: [], fullScan: false }) });
    expect(report.failures).toEqual([]);
    const tables = Object.fromEntries((await catalog.getTables('logs')).map((t) => [t.Name, t]));
    expect(Object.fromEntries(Object.entries(tables).map(([n, t]) => [n, t.Parameters?.['classification']]))).toEqual({
      hadoop: 'log4j', zk: 'log4j', apache: 'apache_error', ssh: 'syslog', proxy: 'log', bgl: 'log',
    });
    expect(tables['apache']!.StorageDescriptor!.SerdeInfo!.SerializationLibrary).toBe('com.amazonaws.glue.serde.GrokSerDe');
    // Athena/Glue know only Logstash's patterns: Epoxy's own travel with the table as GrokSerDe custom patterns.
    expect(tables['apache']!.StorageDescriptor!.SerdeInfo!.Parameters).toEqual({ 'input.format': '%{APACHEERRORLOG}', 'input.grokCustomPatterns': customPatternsFor('%{APACHEERRORLOG}') });
    expect(tables['ssh']!.StorageDescriptor!.SerdeInfo!.Parameters).toEqual({ 'input.format': '%{SYSLOGLINE}' });
    expect(tables['apache']!.StorageDescriptor!.Columns!.find((c) => c.Name === 'pid')!.Type).toBe('int');

    const query = async (table: string, sql: string) => {
      const result = await executeJob({
        version: 1, name: `read_${table}`, bookmark: 'job-bookmark-disable', parameters: [],
        nodes: [
          { id: 'src', kind: 'source', source: { type: 'catalog', database: 'logs', table } },
          { id: 'q', kind: 'transform', inputs: ['src'], step: { id: 's', kind: 'Sql', params: { sql } } },
        ],
      }, nodeJobEnv(serviceOf(engine), join(lake, '..', 'out'), { catalog }), { keepTables: true, prefix: `__log_${table}_` });
      expect(result.error, table).toBeUndefined();
      return engine.query(`SELECT * FROM "__log_${table}_q"`).rows;
    };
    // 11 records: the three stack-trace lines belong to the ERROR record; _SUCCESS is not read.
    expect(await query('hadoop', 'SELECT level, count(*)::INTEGER AS n FROM input GROUP BY level ORDER BY level')).toEqual([['ERROR', 1], ['INFO', 9], ['WARN', 1]]);
    expect((await query('hadoop', "SELECT message FROM input WHERE level = 'ERROR'"))[0]![0]).toMatch(/^ERROR IN CONTACTING RM\.\njava\.net\.ConnectException: Connection refused\n\tat /);
    expect(await query('zk', "SELECT count(*)::INTEGER, min(timestamp) FROM input WHERE level = 'INFO'")).toEqual([[7, '2015-07-29 17:41:44,747']]);
    expect(await query('apache', 'SELECT sum(pid)::INTEGER, count(clientip)::INTEGER, typeof(any_value(pid)) FROM input')).toEqual([[35708 + 1020, 3, 'INTEGER']]);
    expect(await query('ssh', "SELECT program, count(*)::INTEGER FROM input WHERE message LIKE 'Invalid user%' GROUP BY program")).toEqual([['sshd', 2]]);
    expect(await query('proxy', "SELECT timestamp, message FROM input LIMIT 1")).toEqual([['10.30 16:49:06', 'chrome.exe - proxy.example.edu:5070 open through proxy proxy.example.edu:5070 HTTPS']]);
    expect(await query('bgl', "SELECT count(*)::INTEGER FROM input WHERE message LIKE '%FATAL%'")).toEqual([[2]]);
  });
});

describe('opening a log file without a catalog table (Transform, CLI)', () => {
  it('classifies a .log by its lines and reads it with the pattern found', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'epoxy-logopen-'));
    writeFileSync(join(dir, 'spark.log.gz'), gzipSync(readFileSync(join(FIXTURES, 'spark.log'))));
    const opened = await openRecords(engine, 'spark.log.gz', { kind: 'path', path: join(dir, 'spark.log.gz') });
    expect(opened).toMatchObject({ format: 'log', rows: 10 });
    expect(opened.schema.map((f) => f.name)).toEqual(['timestamp', 'thread', 'level', 'logger', 'message']);
    expect(engine.query(`SELECT count(*)::INTEGER FROM "${opened.table}" WHERE level = 'WARN'`).rows).toEqual([[1]]);
    await expect(openRecords(engine, 'empty.log', { kind: 'buffer', bytes: new Uint8Array(0) })).rejects.toThrow('Cannot open empty.log: no text lines to read (empty or binary)');
  });
});
