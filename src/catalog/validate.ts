import { parseType, TypeParseError } from '../schema/types';
import { CatalogError } from './errors';
import type { Column, DatabaseInput, PartitionInput, TableInput } from './glue-types';
import { catalogName } from './names';

/** Check a column's Hive type string with the schema parser; the error names the column and the position. */
export function checkColumnType(where: string, column: Column): void {
  if (column.Type === undefined || column.Type === '') throw new CatalogError('InvalidInputException', `${where}: column "${column.Name}" has no type.`);
  try {
    parseType(column.Type);
  } catch (err) {
    if (err instanceof TypeParseError) throw new CatalogError('InvalidInputException', `${where}: column "${column.Name}" has an invalid type: ${err.message}.`);
    throw err;
  }
}

// Column names are lowercased like Glue does; letters, digits and underscore only, as Athena requires of every
// name it can query without quoting games. Struct field names inside a type are left as written.
function checkColumns(where: string, columns: Column[] | undefined, kind: 'column' | 'partition key', seen: Set<string>): Column[] | undefined {
  if (!columns) return columns;
  return columns.map((col) => {
    const Name = catalogName(kind, col.Name);
    if (seen.has(Name)) throw new CatalogError('InvalidInputException', `${where}: the ${kind} name "${Name}" is used twice (names are case-insensitive).`);
    seen.add(Name);
    const out = { ...col, Name };
    checkColumnType(where, out);
    return out;
  });
}

/** Validate a DatabaseInput and return it with its name lowercased. */
export function normalizeDatabaseInput(input: DatabaseInput): DatabaseInput {
  if (!input || typeof input !== 'object') throw new CatalogError('InvalidInputException', 'DatabaseInput must be an object.');
  const out = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as unknown as DatabaseInput;
  return { ...out, Name: catalogName('database', input.Name) };
}

/** Validate a TableInput (names, Hive types, duplicate columns) and return it with names lowercased. */
export function normalizeTableInput(databaseName: string, input: TableInput): TableInput {
  if (!input || typeof input !== 'object') throw new CatalogError('InvalidInputException', 'TableInput must be an object.');
  const Name = catalogName('table', input.Name);
  const where = `Table ${databaseName}.${Name}`;
  const seen = new Set<string>();
  const out: TableInput = { ...input, Name };
  if (input.StorageDescriptor) out.StorageDescriptor = { ...input.StorageDescriptor, Columns: checkColumns(where, input.StorageDescriptor.Columns, 'column', seen) };
  if (input.PartitionKeys) out.PartitionKeys = checkColumns(where, input.PartitionKeys, 'partition key', seen);
  return out;
}

/** Check a partition's values against the table's partition keys. */
export function checkPartitionInput(where: string, keys: Column[] | undefined, input: PartitionInput): void {
  const n = keys?.length ?? 0;
  if (!Array.isArray(input.Values) || input.Values.some((v) => typeof v !== 'string')) {
    throw new CatalogError('InvalidInputException', `${where}: partition Values must be a list of strings.`);
  }
  if (input.Values.length !== n) {
    throw new CatalogError('InvalidInputException', `${where}: a partition needs ${n} value(s) (${(keys ?? []).map((k) => k.Name).join(', ') || 'the table has no partition keys'}), got ${input.Values.length}.`);
  }
}
