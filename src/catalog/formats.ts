import type { Column, Parameters, StorageDescriptor } from './glue-types';

/** Hive class names Glue and Athena use, by role. */
export const HIVE = {
  textInput: 'org.apache.hadoop.mapred.TextInputFormat',
  textOutput: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
  lazySimple: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
  openCsv: 'org.apache.hadoop.hive.serde2.OpenCSVSerde',
  openxJson: 'org.openx.data.jsonserde.JsonSerDe',
  parquetInput: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  parquetOutput: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  parquetSerde: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
  avroInput: 'org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat',
  avroOutput: 'org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat',
  avroSerde: 'org.apache.hadoop.hive.serde2.avro.AvroSerDe',
  orcInput: 'org.apache.hadoop.hive.ql.io.orc.OrcInputFormat',
  orcOutput: 'org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat',
  orcSerde: 'org.apache.hadoop.hive.ql.io.orc.OrcSerde',
  grokSerde: 'com.amazonaws.glue.serde.GrokSerDe',
} as const;

export interface StorageOptions {
  location: string;
  columns: Column[];
  /** CSV field delimiter (default ","). */
  delimiter?: string;
  /** Set when values are quoted: CSV then needs OpenCSVSerde, as LazySimpleSerDe keeps the quotes. */
  quoteChar?: string;
  escapeChar?: string;
  /** CSV has a header line to skip. */
  header?: boolean;
  compressionType?: 'none' | 'gzip' | 'bzip2' | 'snappy' | 'zstd';
  /** Grok pattern for classification "grok"/log formats. */
  grokPattern?: string;
  /** Custom grok patterns (`NAME regex` lines) the grok pattern uses: GrokSerDe's `input.grokCustomPatterns`. */
  grokCustomPatterns?: string;
}

/**
 * The StorageDescriptor and table Parameters a Glue crawler writes for a classification (csv, json, parquet,
 * avro, orc, grok), so the table is queryable by Athena as exported.
 */
export function storageFor(classification: string, o: StorageOptions): { StorageDescriptor: StorageDescriptor; Parameters: Parameters } {
  const compressionType = o.compressionType ?? 'none';
  const text = (SerializationLibrary: string, serde: Parameters): StorageDescriptor => ({
    Columns: o.columns, Location: o.location, InputFormat: HIVE.textInput, OutputFormat: HIVE.textOutput,
    Compressed: compressionType !== 'none', NumberOfBuckets: -1, SerdeInfo: { SerializationLibrary, Parameters: serde },
    BucketColumns: [], SortColumns: [], Parameters: {}, StoredAsSubDirectories: false,
  });
  const binary = (InputFormat: string, OutputFormat: string, SerializationLibrary: string): StorageDescriptor => ({
    Columns: o.columns, Location: o.location, InputFormat, OutputFormat, Compressed: false, NumberOfBuckets: -1,
    SerdeInfo: { SerializationLibrary, Parameters: { 'serialization.format': '1' } }, BucketColumns: [], SortColumns: [], Parameters: {}, StoredAsSubDirectories: false,
  });
  switch (classification) {
    case 'csv': {
      const delimiter = o.delimiter ?? ',';
      const params: Parameters = { classification: 'csv', compressionType, delimiter, typeOfData: 'file' };
      if (o.header) params['skip.header.line.count'] = '1';
      if (o.quoteChar) {
        params.areColumnsQuoted = 'true';
        const serde: Parameters = { separatorChar: delimiter, quoteChar: o.quoteChar };
        if (o.escapeChar) serde.escapeChar = o.escapeChar;
        return { StorageDescriptor: text(HIVE.openCsv, serde), Parameters: params };
      }
      return { StorageDescriptor: text(HIVE.lazySimple, { 'field.delim': delimiter }), Parameters: params };
    }
    case 'json':
      return {
        StorageDescriptor: text(HIVE.openxJson, { paths: o.columns.map((c) => c.Name).join(',') }),
        Parameters: { classification: 'json', compressionType, typeOfData: 'file' },
      };
    case 'grok':
      return {
        StorageDescriptor: text(HIVE.grokSerde, { 'input.format': o.grokPattern ?? '', ...(o.grokCustomPatterns ? { 'input.grokCustomPatterns': o.grokCustomPatterns } : {}) }),
        Parameters: { classification: 'grok', compressionType, typeOfData: 'file', grokPattern: o.grokPattern ?? '' },
      };
    case 'parquet': return { StorageDescriptor: binary(HIVE.parquetInput, HIVE.parquetOutput, HIVE.parquetSerde), Parameters: { classification: 'parquet', compressionType, typeOfData: 'file' } };
    case 'avro': return { StorageDescriptor: binary(HIVE.avroInput, HIVE.avroOutput, HIVE.avroSerde), Parameters: { classification: 'avro', compressionType, typeOfData: 'file' } };
    case 'orc': return { StorageDescriptor: binary(HIVE.orcInput, HIVE.orcOutput, HIVE.orcSerde), Parameters: { classification: 'orc', compressionType, typeOfData: 'file' } };
    default: throw new Error(`No storage preset for classification "${classification}"`);
  }
}

/** Classifications Epoxy reads that no Hive SerDe (so no Athena table) can: what each is, for messages. */
const NO_HIVE_SERDE: Record<string, string> = {
  xlsx: 'a sheet of an Excel workbook (classification xlsx)',
  arrow: 'an Arrow IPC / Feather file (classification arrow)',
};

/** Why Athena/Hive cannot read a table of this classification, or null when a SerDe exists. */
export function noHiveSerde(classification: string | undefined): string | null {
  return (classification && NO_HIVE_SERDE[classification]) || null;
}
