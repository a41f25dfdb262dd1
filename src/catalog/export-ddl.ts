import { sourceNameOf } from './names';
import { parseType, renderCatalogType } from '../schema/types';
import type { Column, Database, Partition, Table } from './glue-types';
import { HIVE, noHiveSerde } from './formats';
import { redactForExport } from './redact';
import type { Snapshot } from './changes';

/** A Hive/Athena identifier in backquotes (a backquote inside is doubled). */
export function hiveIdent(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

/** A Hive string literal: single quotes, backslash escapes, non-printing characters as \uXXXX. */
export function hiveString(value: string): string {
  const body = value.replace(/[\\'\n\r\t]|[\u0000-\u001f\u007f]/g, (ch) => {
    switch (ch) {
      case '\\': return '\\\\';
      case "'": return "\\'";
      case '\n': return '\\n';
      case '\r': return '\\r';
      case '\t': return '\\t';
      default: return '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');
    }
  });
  return `'${body}'`;
}

const props = (params: Record<string, string>) => Object.keys(params).sort().map((k) => `  ${hiveString(k)}=${hiveString(params[k]!)}`).join(',\n');

function columnLine(c: Column): string {
  // Athena has no choice/void type: normalise through the type model (the catalog validated these strings).
  const type = c.Type ? renderCatalogType(parseType(c.Type)) : 'string';
  return `  ${hiveIdent(c.Name)} ${type}${c.Comment ? ` COMMENT ${hiveString(c.Comment)}` : ''}`;
}

// LazySimpleSerDe settings that ROW FORMAT DELIMITED spells as clauses; serialization.format mirrors field.delim.
const DELIMITED: [string, string][] = [['field.delim', 'FIELDS TERMINATED BY'], ['escape.delim', 'ESCAPED BY'], ['collection.delim', 'COLLECTION ITEMS TERMINATED BY'], ['mapkey.delim', 'MAP KEYS TERMINATED BY'], ['line.delim', 'LINES TERMINATED BY']];

function rowFormat(table: Table): string[] {
  const serde = table.StorageDescriptor?.SerdeInfo;
  const lib = serde?.SerializationLibrary;
  const params = { ...(serde?.Parameters ?? {}) };
  if (lib === HIVE.lazySimple) {
    if (params['serialization.format'] !== undefined && params['serialization.format'] === (params['field.delim'] ?? params['serialization.format'])) {
      if (params['field.delim'] === undefined) params['field.delim'] = params['serialization.format'];
      delete params['serialization.format'];
    }
    const rest = Object.keys(params).filter((k) => !DELIMITED.some(([p]) => p === k));
    if (rest.length === 0) {
      const clauses = DELIMITED.filter(([p]) => params[p] !== undefined).map(([p, clause]) => `  ${clause} ${hiveString(params[p]!)}`);
      return ['ROW FORMAT DELIMITED', ...clauses];
    }
  }
  if (!lib) return [];
  const all = serde?.Parameters ?? {};
  return Object.keys(all).length
    ? [`ROW FORMAT SERDE ${hiveString(lib)}`, 'WITH SERDEPROPERTIES (', props(all), ')']
    : [`ROW FORMAT SERDE ${hiveString(lib)}`];
}

/**
 * Comment lines for columns the catalog renamed (see normalize.ts) where Athena cannot follow the rename:
 * JSON tables carry `mapping.*` SerDe properties and CSV/text is read by position, but Parquet, ORC and Avro
 * columns are found by their name in the files.
 */
function renameNotes(table: Table): string[] {
  const lib = table.StorageDescriptor?.SerdeInfo?.SerializationLibrary ?? '';
  if (!/parquet|orc|avro/i.test(lib)) return [];
  const renamed = (table.StorageDescriptor?.Columns ?? []).filter((c) => sourceNameOf(c) !== c.Name);
  if (!renamed.length) return [];
  return [`-- Renamed in the catalog; Athena reads ${lib.split('.').pop()} columns by their names in the files, so these read as NULL there:`, ...renamed.map((c) => `--   ${c.Name} (in the files: ${sourceNameOf(c).replace(/[\r\n]/g, ' ')})`)];
}

/** Athena/Hive `CREATE EXTERNAL TABLE` for a catalog table, with its SerDe, PARTITIONED BY, LOCATION and TBLPROPERTIES. */
export function tableDdl(stored: Table): string {
  const table = redactForExport(stored);
  const sd = table.StorageDescriptor ?? {};
  if (table.TableType === 'VIRTUAL_VIEW') return `-- ${table.DatabaseName}.${table.Name} is a view; Athena views cannot be recreated from DDL of the catalog entry.\n`;
  const unreadable = noHiveSerde(table.Parameters?.['classification']);
  if (unreadable) return `-- ${table.DatabaseName}.${table.Name} is ${unreadable}: no Hive SerDe reads it, so Athena cannot query it and no CREATE TABLE is written.\n-- Convert it with an Epoxy job (a Parquet target) and crawl the output; that table exports as Parquet.\n`;
  const lines = [...renameNotes(table)];
  lines.push(`CREATE EXTERNAL TABLE ${hiveIdent(table.DatabaseName)}.${hiveIdent(table.Name)} (`, (sd.Columns ?? []).map(columnLine).join(',\n'), ')');
  if (table.Description) lines.push(`COMMENT ${hiveString(table.Description)}`);
  if (table.PartitionKeys?.length) lines.push('PARTITIONED BY (', table.PartitionKeys.map(columnLine).join(',\n'), ')');
  lines.push(...rowFormat(table));
  if (sd.InputFormat || sd.OutputFormat) {
    lines.push(`STORED AS INPUTFORMAT ${hiveString(sd.InputFormat ?? HIVE.textInput)}`, `  OUTPUTFORMAT ${hiveString(sd.OutputFormat ?? HIVE.textOutput)}`);
  }
  if (sd.Location) lines.push(`LOCATION ${hiveString(sd.Location)}`);
  if (table.Parameters && Object.keys(table.Parameters).length) lines.push('TBLPROPERTIES (', props(table.Parameters), ')');
  return lines.join('\n') + ';\n';
}

/** `ALTER TABLE ... ADD IF NOT EXISTS PARTITION (...) LOCATION ...` for a table's partitions (empty when none). */
export function partitionsDdl(table: Table, stored: Partition[]): string {
  const partitions = redactForExport(stored);
  if (!partitions.length || !table.PartitionKeys?.length) return '';
  const keys = table.PartitionKeys;
  const parts = partitions.map((p) => {
    const spec = keys.map((k, i) => `${hiveIdent(k.Name)}=${hiveString(p.Values[i] ?? '')}`).join(', ');
    const loc = p.StorageDescriptor?.Location;
    return `  PARTITION (${spec})${loc ? ` LOCATION ${hiveString(loc)}` : ''}`;
  });
  return `ALTER TABLE ${hiveIdent(table.DatabaseName)}.${hiveIdent(table.Name)} ADD IF NOT EXISTS\n${parts.join('\n')};\n`;
}

/** `CREATE DATABASE IF NOT EXISTS` with COMMENT, LOCATION and DBPROPERTIES. */
export function databaseDdl(stored: Database): string {
  const db = redactForExport(stored);
  const lines = [`CREATE DATABASE IF NOT EXISTS ${hiveIdent(db.Name)}`];
  if (db.Description) lines.push(`COMMENT ${hiveString(db.Description)}`);
  if (db.LocationUri) lines.push(`LOCATION ${hiveString(db.LocationUri)}`);
  if (db.Parameters && Object.keys(db.Parameters).length) lines.push('WITH DBPROPERTIES (', props(db.Parameters), ')');
  return lines.join('\n') + ';\n';
}

/** The DDL script for a whole snapshot: databases, then each table and its partitions, sorted by name. */
export function catalogDdl(snap: Snapshot): string {
  const out: string[] = [];
  for (const db of [...snap.databases].sort((a, b) => a.Name.localeCompare(b.Name))) {
    out.push(databaseDdl(db));
    for (const t of snap.tables.filter((x) => x.DatabaseName === db.Name).sort((a, b) => a.Name.localeCompare(b.Name))) {
      out.push(tableDdl(t));
      const parts = partitionsDdl(t, snap.partitions.filter((p) => p.DatabaseName === t.DatabaseName && p.TableName === t.Name));
      if (parts) out.push(parts);
    }
  }
  return out.join('\n');
}
