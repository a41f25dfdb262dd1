import type { GlueType, StructField } from '../schema/types';
import { quoteIdent, quoteLiteral } from '../engine/sql';

/**
 * A record shape being rebuilt by a transform: every field is either an SQL expression (a leaf) or a
 * struct of child nodes. Untouched structs render as their original expression, so a NULL struct stays
 * NULL instead of becoming a struct of NULLs.
 */
export type Node =
  | { kind: 'leaf'; expr: string; type: GlueType }
  | { kind: 'struct'; source: string | null; fields: [string, Node][]; dirty: boolean };

/** Access a struct field of an SQL expression. */
export function fieldOf(expr: string, name: string): string {
  return `struct_extract(${expr}, ${quoteLiteral(name)})`;
}

/** The tree of a schema read from a relation (top-level names are columns). */
export function treeOf(schema: StructField[], base: string | null = null, qualifier = ''): Node {
  return {
    kind: 'struct',
    source: base,
    dirty: base === null,
    fields: schema.map((f) => {
      const expr = base === null ? qualifier + quoteIdent(f.name) : fieldOf(base, f.name);
      return [f.name, f.type.kind === 'struct' ? treeOf(f.type.fields, expr) : { kind: 'leaf', expr, type: f.type }];
    }),
  };
}

/** The node at a path, or undefined. */
export function getNode(root: Node, path: string[]): Node | undefined {
  let node: Node | undefined = root;
  for (const part of path) {
    if (!node || node.kind !== 'struct') return undefined;
    node = node.fields.find(([n]) => n === part)?.[1];
  }
  return node;
}

/** Remove the node at a path; returns it (undefined when absent). Parents become dirty. */
export function removeNode(root: Node, path: string[]): Node | undefined {
  const parent = getNode(root, path.slice(0, -1));
  if (!parent || parent.kind !== 'struct') return undefined;
  const i = parent.fields.findIndex(([n]) => n === path.at(-1));
  if (i < 0) return undefined;
  markDirty(root, path.slice(0, -1));
  return parent.fields.splice(i, 1)[0]![1];
}

/**
 * Put a node at a path, replacing a field of that name in place or appending it; missing parent
 * structs are created.
 */
export function setNode(root: Node, path: string[], node: Node): void {
  let cur = root;
  markDirty(root, path.slice(0, -1));
  for (const part of path.slice(0, -1)) {
    if (cur.kind !== 'struct') throw new Error(`${part} is inside a field that is not a struct`);
    let next = cur.fields.find(([n]) => n === part)?.[1];
    if (!next || next.kind !== 'struct') {
      next = { kind: 'struct', source: null, fields: [], dirty: true };
      const i = cur.fields.findIndex(([n]) => n === part);
      if (i >= 0) cur.fields[i] = [part, next];
      else cur.fields.push([part, next]);
    }
    cur = next;
  }
  if (cur.kind !== 'struct') throw new Error('cannot set a field inside a non-struct');
  const name = path.at(-1)!;
  const i = cur.fields.findIndex(([n]) => n === name);
  if (i >= 0) cur.fields[i] = [name, node];
  else cur.fields.push([name, node]);
}

function markDirty(root: Node, path: string[]): void {
  let node: Node | undefined = root;
  if (node.kind === 'struct') node.dirty = true;
  for (const part of path) {
    if (!node || node.kind !== 'struct') return;
    node = node.fields.find(([n]) => n === part)?.[1];
    if (node?.kind === 'struct') node.dirty = true;
  }
}

/** The SQL expression of a node. */
export function renderNode(node: Node): string {
  if (node.kind === 'leaf') return node.expr;
  if (!node.dirty && node.source) return node.source;
  if (!node.fields.length) return 'NULL';
  const packed = `struct_pack(${node.fields.map(([n, c]) => `${quoteIdent(n)} := ${renderNode(c)}`).join(', ')})`;
  return node.source ? `CASE WHEN ${node.source} IS NULL THEN NULL ELSE ${packed} END` : packed;
}

/** The Glue type of a node. */
export function typeOfNode(node: Node): GlueType {
  return node.kind === 'leaf' ? node.type : { kind: 'struct', fields: node.fields.map(([name, c]) => ({ name, type: typeOfNode(c) })) };
}

/** The SELECT list and schema of a root node. */
export function renderRoot(root: Node): { select: string; schema: StructField[] } {
  if (root.kind !== 'struct') throw new Error('root must be a struct');
  if (!root.fields.length) throw new Error('the step leaves no columns');
  return {
    select: root.fields.map(([n, c]) => `${renderNode(c)} AS ${quoteIdent(n)}`).join(', '),
    schema: root.fields.map(([name, c]) => ({ name, type: typeOfNode(c) })),
  };
}

/** Every leaf of a tree with its path (depth first, in field order). */
export function leaves(node: Node, prefix: string[] = []): { path: string[]; node: Extract<Node, { kind: 'leaf' }> }[] {
  if (node.kind === 'leaf') return [{ path: prefix, node }];
  return node.fields.flatMap(([n, c]) => leaves(c, [...prefix, n]));
}
