import type { SchemaNode } from './schema-tree';

/**
 * Schema rows drawn at once. A crawled 5,000-column CSV drew 5,000 table rows (each with its buttons and
 * badges) in one go: a page of this many keeps the DOM small, and the filter box finds any column by name.
 */
export const SCHEMA_PAGE_ROWS = 100;

/** The schema tree cut down to what a filter matches. */
export interface FilteredSchema {
  nodes: SchemaNode[];
  /** Parents of nested matches, to expand so every match is in view. */
  expand: Set<string>;
  /** How many nodes (columns, partition keys or nested fields) match; 0 with an empty filter. */
  matches: number;
}

/** The dotted path a user reads (`user.tags`, `items.sku`), without the tree's `[]` steps and key prefix. */
function pathOf(node: SchemaNode): string {
  return node.id.replace(/^partition:/, '').split('.').filter((s) => s !== '[]').join('.');
}

/**
 * Keep the nodes whose name (or dotted path, e.g. `user.name`) contains `query`, case-insensitively, with their
 * ancestors; a matching node keeps all its children, so it can be explored. An empty query keeps every node.
 */
export function filterSchema(nodes: readonly SchemaNode[], query: string): FilteredSchema {
  const q = query.trim().toLowerCase();
  const expand = new Set<string>();
  if (!q) return { nodes: [...nodes], expand, matches: 0 };
  let matches = 0;
  const prune = (list: readonly SchemaNode[]): SchemaNode[] => {
    const out: SchemaNode[] = [];
    for (const n of list) {
      if (n.name.toLowerCase().includes(q) || pathOf(n).toLowerCase().includes(q)) {
        matches++;
        out.push(n);
        continue;
      }
      const children = prune(n.children);
      if (children.length) {
        expand.add(n.id);
        out.push({ ...n, children });
      }
    }
    return out;
  };
  return { nodes: prune(nodes), expand, matches };
}

/** One page of the visible schema rows. */
export interface SchemaPage {
  rows: SchemaNode[];
  /** 0-based page shown (clamped into range), and how many pages there are (at least 1). */
  page: number;
  pageCount: number;
  /** 0-based index of the first row shown, and one past the last. */
  first: number;
  end: number;
  /** Rows on every page together. */
  total: number;
}

/** Page `page` of `rows`; a page past the end (the filter shrank the list) shows the last one. */
export function schemaPage(rows: readonly SchemaNode[], page: number, size = SCHEMA_PAGE_ROWS): SchemaPage {
  const pageCount = Math.max(1, Math.ceil(rows.length / size));
  const p = Math.max(0, Math.min(Math.floor(page) || 0, pageCount - 1));
  const first = p * size;
  const end = Math.min(rows.length, first + size);
  return { rows: rows.slice(first, end), page: p, pageCount, first, end, total: rows.length };
}

const count = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** "5,000 columns", "3 columns · 2 partition keys": what the table's header states. */
export function columnCountText(columns: number, partitionKeys: number): string {
  return partitionKeys ? `${count(columns, 'column', 'columns')} · ${count(partitionKeys, 'partition key', 'partition keys')}` : count(columns, 'column', 'columns');
}

/**
 * What the pager's status says (read out by screen readers as it changes): the rows in view out of how many,
 * and with a filter how many names match.
 */
export function pageStatusText(p: SchemaPage, filter: { query: string; matches: number } | null): string {
  const range = p.total === 0 ? '' : p.pageCount === 1 ? `${count(p.total, 'row', 'rows')}` : `Rows ${(p.first + 1).toLocaleString('en-US')}–${p.end.toLocaleString('en-US')} of ${p.total.toLocaleString('en-US')}`;
  if (!filter || !filter.query.trim()) return range;
  if (filter.matches === 0) return `No column matches “${filter.query.trim()}”`;
  return `${count(filter.matches, 'name matches', 'names match')} “${filter.query.trim()}” · ${range}`;
}
