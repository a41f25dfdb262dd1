import { DuckDBInstance } from '@duckdb/node-api';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { customPatternsFor } from '../../../src/classifiers/grok';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';
import { openRecords } from '../../../src/frames/open-records';
import { exportDuckDbSql } from '../../../src/jobs/export-duckdb';
import { readLogSql, re2Source } from '../../../src/jobs/export-log';

const FIXTURES = join(__dirname, '../../fixtures/logs');
let engine: Engine;
beforeAll(async () => { engine = await createNodeEngine(); });

async function nativeRows(sql: string): Promise<(string | null)[][]> {
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  const reader = await conn.runAndReadAll(`SELECT COLUMNS(*)::VARCHAR FROM (${sql})`);
  return reader.getRowsJson() as (string | null)[][];
}

describe('DuckDB SQL export of a log source (issue 17: log tables had no native reader)', () => {
  for (const [file, pattern] of [['hadoop.log', '%{JAVALOG}'], ['apache_error.log', '%{APACHEERRORLOG}'], ['linux_syslog.log', '%{SYSLOGLINE}'], ['proxifier.log', '\\[?%{LOGTIMESTAMP:timestamp}\\]?(?:,| -|\\|)? *%{GREEDYDATA:message}']] as const) {
    it(`reads ${file} on native DuckDB with the same rows as Epoxy (stack traces joined, typed fields cast)`, async () => {
      const path = join(FIXTURES, file);
      const grok = { pattern, customPatterns: customPatternsFor(pattern) };
      const opened = await openRecords(engine, file, { kind: 'path', path }, { grokPattern: grok.pattern, grokCustomPatterns: grok.customPatterns });
      const ours = engine.query(`SELECT COLUMNS(*)::VARCHAR FROM "${opened.table}"`, 10_000).rows;
      const native = await nativeRows(readLogSql(path, grok));
      expect(native.length).toBeGreaterThan(5);
      expect(native).toEqual(ours);
    });
  }

  it('drops only the digit lookarounds RE2 lacks', () => {
    expect(re2Source('(?<![0-9])1(?![0-9])(?:a)')).toBe('1(?:a)');
  });

  it('writes the log reader into the job script instead of read_csv over *.csv', () => {
    const script = exportDuckDbSql({
      version: 1, name: 'logs', bookmark: 'job-bookmark-disable', parameters: [],
      nodes: [{ id: 'src', kind: 'source', source: { type: 'catalog', database: 'logs', table: 'hadoop' } }, { id: 'out', kind: 'target', inputs: ['src'], target: { type: 'download', format: 'csv' } }],
    }, { sources: { src: { location: 'file:///data/logs/hadoop', format: null, grok: { pattern: '%{JAVALOG}' } } }, schemas: {} });
    expect(script).toContain("read_text('/data/logs/hadoop/**/*')");
    expect(script).not.toContain('read_csv(');
  });
});
