import type { Column } from '../../catalog/glue-types';
import { athenaSafe, sourceNameOf } from '../../catalog/names';
import { parseType, renderType, type GlueType } from '../../schema/types';

/** One row of the schema tree: a column, a struct field, an array element or a map key/value. */
export interface SchemaNode {
  /** Stable path, e.g. `user.tags.[]`, used for expand state and test ids. */
  id: string;
  name: string;
  /** Short type label: the full type for leaves, the container kind for nested types. */
  label: string;
  /** The full Hive type string. */
  type: string;
  comment?: string;
  depth: number;
  children: SchemaNode[];
  /** Index of the top-level column (for editing), undefined inside nested types. */
  columnIndex?: number;
  partitionKey: boolean;
  /** Top-level only: the name Athena needs quoted (spaces, punctuation, a leading digit...). */
  needsQuotes?: boolean;
  /** Top-level only: the name the files use, when the catalog renamed the column. */
  fileName?: string;
}

function label(type: GlueType): string {
  switch (type.kind) {
    case 'struct': return `struct (${type.fields.length} field${type.fields.length === 1 ? '' : 's'})`;
    case 'array': return type.element.kind === 'struct' || type.element.kind === 'array' || type.element.kind === 'map' ? 'array' : renderType(type);
    case 'map': return type.value.kind === 'struct' || type.value.kind === 'array' || type.value.kind === 'map' ? 'map' : renderType(type);
    default: return renderType(type);
  }
}

function childrenOf(type: GlueType, id: string, depth: number): SchemaNode[] {
  const node = (name: string, t: GlueType, suffix: string): SchemaNode => ({
    id: `${id}.${suffix}`, name, label: label(t), type: renderType(t), depth, children: childrenOf(t, `${id}.${suffix}`, depth + 1), partitionKey: false,
  });
  switch (type.kind) {
    case 'struct': return type.fields.map((f) => node(f.name, f.type, f.name));
    case 'array': return type.element.kind === 'struct' || type.element.kind === 'array' || type.element.kind === 'map' ? [node('[ ]', type.element, '[]')] : [];
    case 'map': return type.value.kind === 'struct' || type.value.kind === 'array' || type.value.kind === 'map' ? [node('key', type.key, 'key'), node('value', type.value, 'value')] : [];
    default: return [];
  }
}

/** Build the expandable schema tree of a table's columns and partition keys. An unparsable type shows as is. */
export function schemaTree(columns: Column[], partitionKeys: Column[] = []): SchemaNode[] {
  const top = (c: Column, i: number, partitionKey: boolean): SchemaNode => {
    let type: GlueType | undefined;
    try { type = parseType(c.Type ?? ''); } catch { type = undefined; }
    const id = (partitionKey ? 'partition:' : '') + c.Name;
    return {
      id, name: c.Name, label: type ? label(type) : c.Type ?? '', type: c.Type ?? '', comment: c.Comment, depth: 0,
      children: type ? childrenOf(type, id, 1) : [], columnIndex: partitionKey ? undefined : i, partitionKey,
      ...(athenaSafe(c.Name) ? {} : { needsQuotes: true }),
      ...(sourceNameOf(c) !== c.Name ? { fileName: sourceNameOf(c) } : {}),
    };
  };
  return [...columns.map((c, i) => top(c, i, false)), ...partitionKeys.map((c, i) => top(c, i, true))];
}

/** The rows to show: nodes in order, children only under expanded parents. */
export function visibleNodes(nodes: SchemaNode[], expanded: ReadonlySet<string>): SchemaNode[] {
  const out: SchemaNode[] = [];
  const walk = (list: SchemaNode[]) => {
    for (const n of list) {
      out.push(n);
      if (n.children.length && expanded.has(n.id)) walk(n.children);
    }
  };
  walk(nodes);
  return out;
}

/** Ids of every node that has children (for "expand all"). */
export function expandableIds(nodes: SchemaNode[]): string[] {
  return nodes.flatMap((n) => (n.children.length ? [n.id, ...expandableIds(n.children)] : []));
}
