import { describe, expect, it } from 'vitest';
import { formatFromName } from '../../../src/engine/formats';
import { ipcFileToStream } from '../../../src/engine/parquet';
import { quoteIdent, quoteLiteral, tableNameFromFile, uniqueName } from '../../../src/engine/sql';

describe('SQL quoting and naming', () => {
  it('quotes identifiers and literals so hostile names stay inside the quotes', () => {
    expect(quoteIdent('a"; DROP TABLE x; --')).toBe('"a""; DROP TABLE x; --"');
    expect(quoteLiteral("it's")).toBe("'it''s'");
  });

  it('derives Glue-style table names from file names', () => {
    expect(tableNameFromFile('data/Sales Q1.csv')).toBe('sales_q1');
    expect(tableNameFromFile('2024-report.csv.gz')).toBe('t_2024_report');
    expect(tableNameFromFile('...csv')).toBe('data');
    expect(tableNameFromFile('Ünïcode—名前.tsv')).toBe('n_code');
  });

  it('picks a free name', () => {
    expect(uniqueName('sales', new Set(['sales', 'sales_2']))).toBe('sales_3');
    expect(uniqueName('x', new Set())).toBe('x');
  });

  it('knows the formats the engine opens from their names', () => {
    expect(formatFromName('a.CSV')).toBe('csv');
    expect(formatFromName('a.tsv.gz')).toBe('tsv');
    expect(formatFromName('part-0.parquet')).toBe('parquet');
    expect(formatFromName('a.json')).toBeNull();
  });

  it('leaves a stream alone and cuts the stream out of an IPC file', () => {
    const stream = new Uint8Array([1, 2, 3]);
    expect(ipcFileToStream(stream)).toBe(stream);
  });
});
