/** Tabs of the table page. */
export const TABLE_TABS = ['schema', 'partitions', 'parameters', 'versions', 'export'] as const;
export type TableTab = (typeof TABLE_TABS)[number];

/** Where the catalog browser is: `#/catalog/<db>/<table>/<tab>`, each part optional. */
export interface CatalogRoute { db?: string; table?: string; tab: TableTab }

/** Parse the part of the hash after `#/catalog/`. */
export function parseCatalogRoute(rest: string): CatalogRoute {
  const [db, table, tab] = rest.split('/').map((p) => decodeURIComponent(p)).filter(Boolean);
  return { db, table, tab: (TABLE_TABS as readonly string[]).includes(tab ?? '') ? (tab as TableTab) : 'schema' };
}

/** The `rest` for a route (inverse of parseCatalogRoute; the default tab is left out). */
export function catalogRest(route: Partial<CatalogRoute>): string {
  const parts = [route.db, route.db && route.table, route.db && route.table && route.tab !== 'schema' ? route.tab : undefined];
  return parts.filter((p): p is string => !!p).map(encodeURIComponent).join('/');
}
