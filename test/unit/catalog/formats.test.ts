import { describe, expect, it } from 'vitest';
import { HIVE, storageFor, tableDdl, type Table } from '../../../src/catalog';

const columns = [{ Name: 'id', Type: 'bigint' }];
const asTable = (name: string, classification: string, opts: Partial<Parameters<typeof storageFor>[1]> = {}): Table => {
  const { StorageDescriptor, Parameters } = storageFor(classification, { location: `s3://b/${name}/`, columns, ...opts });
  return { Name: name, DatabaseName: 'd', StorageDescriptor, Parameters, TableType: 'EXTERNAL_TABLE' };
};

describe('storageFor and the DDL of each format', () => {
  it('quoted CSV uses OpenCSVSerde with separatorChar/quoteChar', () => {
    const t = asTable('q', 'csv', { delimiter: '|', quoteChar: '"', header: true });
    expect(t.StorageDescriptor?.SerdeInfo).toEqual({ SerializationLibrary: HIVE.openCsv, Parameters: { separatorChar: '|', quoteChar: '"' } });
    expect(t.Parameters).toMatchObject({ areColumnsQuoted: 'true', 'skip.header.line.count': '1', delimiter: '|' });
  });

  it('tab-separated CSV stays LazySimpleSerDe with an escaped delimiter in the DDL', () => {
    expect(tableDdl(asTable('tsv', 'csv', { delimiter: '\t' }))).toContain("ROW FORMAT DELIMITED\n  FIELDS TERMINATED BY '\\t'\n");
  });

  it('Parquet, Avro and ORC use their SerDe and input/output formats', () => {
    for (const [fmt, serde, input] of [['parquet', HIVE.parquetSerde, HIVE.parquetInput], ['avro', HIVE.avroSerde, HIVE.avroInput], ['orc', HIVE.orcSerde, HIVE.orcInput]] as const) {
      const ddl = tableDdl(asTable(fmt, fmt));
      expect(ddl).toContain(`ROW FORMAT SERDE '${serde}'\nWITH SERDEPROPERTIES (\n  'serialization.format'='1'\n)`);
      expect(ddl).toContain(`STORED AS INPUTFORMAT '${input}'`);
      expect(ddl).toContain(`'classification'='${fmt}'`);
    }
  });

  it('gzip-compressed text is marked Compressed', () => {
    const t = asTable('gz', 'json', { compressionType: 'gzip' });
    expect(t.StorageDescriptor?.Compressed).toBe(true);
    expect(t.Parameters?.compressionType).toBe('gzip');
  });

  it('refuses an unknown classification', () => {
    expect(() => storageFor('bson', { location: '', columns })).toThrow(/No storage preset/);
  });
});
