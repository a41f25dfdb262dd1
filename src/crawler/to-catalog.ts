import { catalogKey, storageFor, type Column, type PartitionInput, type StorageDescriptor, type TableInput } from '../catalog';
import { renderCatalogType, renderType, type GlueType } from '../schema/types';
import type { TableCandidate } from './types';

/** Parameters kept on files for the crawler's own use that do not belong in a Glue table. */
const INTERNAL = new Set(['serde', 'quoteChar', 'escapeChar', 'epoxy.warnings']);

/** Glue column; a choice type keeps the catalog-compatible type and records the choice as a column parameter. */
export function toColumn(name: string, type: GlueType): Column {
  const rendered = renderType(type);
  const catalogType = renderCatalogType(type);
  return rendered === catalogType ? { Name: name, Type: catalogType } : { Name: name, Type: catalogType, Parameters: { 'epoxy.choice': rendered } };
}

function joinLocation(prefix: string, path: string): string {
  return path ? `${prefix.replace(/\/+$/, '')}/${path}` : prefix;
}

function storageDescriptor(candidate: TableCandidate, location: string, columns: Column[]): { sd: StorageDescriptor; params: Record<string, string> } {
  const p = candidate.parameters;
  const compressionType = (p['compressionType'] ?? 'none') as 'none' | 'gzip';
  const classification = candidate.classification;
  if (classification === 'xml') {
    return {
      sd: {
        Columns: columns, Location: location, InputFormat: 'com.ibm.spss.hive.serde2.xml.XmlInputFormat', OutputFormat: 'org.apache.hadoop.hive.ql.io.IgnoreKeyTextOutputFormat',
        Compressed: compressionType !== 'none', NumberOfBuckets: -1, SerdeInfo: { SerializationLibrary: 'com.ibm.spss.hive.serde2.xml.XmlSerDe', Parameters: { rowTag: p['rowTag'] ?? '' } },
        BucketColumns: [], SortColumns: [], Parameters: {}, StoredAsSubDirectories: false,
      },
      params: { classification: 'xml', compressionType, typeOfData: 'file', rowTag: p['rowTag'] ?? '' },
    };
  }
  if (classification === 'xlsx' || classification === 'arrow') {
    // No Hive SerDe reads these: the descriptor says where and what, and names no input format (see export-ddl).
    return {
      sd: { Columns: columns, Location: location, Compressed: false, NumberOfBuckets: -1, BucketColumns: [], SortColumns: [], Parameters: {}, StoredAsSubDirectories: false },
      params: { classification, compressionType: 'none', typeOfData: 'file' },
    };
  }
  const preset = ['csv', 'json', 'parquet', 'avro', 'orc'].includes(classification) ? classification : 'grok';
  const { StorageDescriptor: sd, Parameters: params } = storageFor(preset, {
    location,
    columns,
    delimiter: p['delimiter'],
    quoteChar: p['serde']?.includes('OpenCSV') ? (p['quoteChar'] ?? '"') : undefined,
    escapeChar: p['escapeChar'],
    header: p['skip.header.line.count'] === '1',
    compressionType,
    grokPattern: p['grokPattern'],
    grokCustomPatterns: p['grokCustomPatterns'],
  });
  return { sd, params: { ...params, classification } };
}

/**
 * The Glue TableInput and partitions a crawler writes for a table candidate: storage descriptor and SerDe for
 * its classification, columns with catalog types, string partition keys, and the statistics Glue records.
 */
export function candidateToGlue(candidate: TableCandidate, locationPrefix: string, crawlerName: string): { table: TableInput; partitions: PartitionInput[] } {
  // Lowercased here, not only by the catalog's validation of the table: partitions carry the columns too.
  const columns = candidate.columns.map((c) => toColumn(catalogKey(c.name), c.type));
  const location = joinLocation(locationPrefix, candidate.location);
  const { sd, params } = storageDescriptor(candidate, location, columns);
  const stats = Object.fromEntries(Object.entries(candidate.parameters).filter(([k]) => !INTERNAL.has(k)));
  const table: TableInput = {
    Name: candidate.name,
    TableType: 'EXTERNAL_TABLE',
    StorageDescriptor: sd,
    PartitionKeys: candidate.partitionKeys.map((Name) => ({ Name, Type: 'string' })),
    Parameters: { ...stats, ...params, UPDATED_BY_CRAWLER: crawlerName, CrawlerSchemaSerializerVersion: '1.0', CrawlerSchemaDeserializerVersion: '1.0' },
  };
  const partitions = candidate.partitions.map((p): PartitionInput => ({
    Values: p.values,
    StorageDescriptor: { ...sd, Location: joinLocation(locationPrefix, p.location) },
    Parameters: {
      ...params,
      recordCount: String(p.recordCount),
      sizeKey: String(p.sizeBytes),
      objectCount: String(p.files.length),
      averageRecordSize: String(p.recordCount ? Math.round(p.sizeBytes / p.recordCount) : 0),
    },
  }));
  return { table, partitions };
}
