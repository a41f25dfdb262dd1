import type { Table } from '../../catalog/glue-types';
import { schemaTree, type SchemaNode } from './schema-tree';

/** A table that matches a search, with why it matched. */
export interface TableMatch { table: Table; byName: boolean; columns: string[] }

function fieldPaths(nodes: SchemaNode[], prefix = ''): string[] {
  return nodes.flatMap((n) => {
    const path = n.name === '[ ]' ? prefix : prefix ? `${prefix}.${n.name}` : n.name;
    return [...(n.name === '[ ]' || n.name === 'key' || n.name === 'value' ? [] : [path]), ...fieldPaths(n.children, path)];
  });
}

/**
 * Filter tables by a search string: case-insensitive substring of the table name or of any column,
 * partition key or nested field path (e.g. `user.name`). An empty query matches everything.
 */
export function filterTables(tables: Table[], query: string): TableMatch[] {
  const q = query.trim().toLowerCase();
  if (!q) return tables.map((table) => ({ table, byName: false, columns: [] }));
  const out: TableMatch[] = [];
  for (const table of tables) {
    const byName = table.Name.toLowerCase().includes(q);
    const paths = fieldPaths(schemaTree(table.StorageDescriptor?.Columns ?? [], table.PartitionKeys ?? []));
    const columns = paths.filter((p) => p.toLowerCase().includes(q));
    if (byName || columns.length) out.push({ table, byName, columns });
  }
  return out;
}
