/** The catalog as the Workspace completes it: database → table → column names. */
export type CatalogNames = Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;

// DuckDB's own catalog views and Epoxy's internal relations: never a table the user means.
const INTERNAL = /^(pg_|duckdb_|sqlite_|information_schema|__epoxy|__job)/i;

/**
 * A clearer message for DuckDB's "Table with name X does not exist!": DuckDB suggests its own catalog views
 * ("Did you mean "pg_enum"?"), which tells a newcomer nothing. Say what the tab can read instead: the open
 * tables, and the catalog's tables as db.table. Any other message comes back unchanged.
 */
export function explainQueryError(message: string, ctx: { open: readonly string[]; catalog: CatalogNames; defaultDatabase: string | null }): string {
  const m = /^(?:Catalog Error: )?Table with name ("?)([^\s"!]+)\1 does not exist!(?:\s*Did you mean "([^"]+)"\?)?/.exec(message);
  if (!m) return message;
  const name = m[2]!;
  const suggestion = m[3] && !INTERNAL.test(m[3].replace(/^.*\./, '')) ? m[3] : null;
  const parts = [`No table named ${name} in this tab${suggestion ? ` (did you mean ${suggestion}?)` : ''}.`];
  parts.push(ctx.open.length ? `Open tables: ${list(ctx.open)}.` : 'No table is open: drop a file, or name a catalog table.');
  const dbs = Object.keys(ctx.catalog);
  if (dbs.length) {
    const example = dbs.flatMap((db) => Object.keys(ctx.catalog[db]!).map((t) => `${db}.${t}`))[0];
    const inDefault = ctx.defaultDatabase && ctx.catalog[ctx.defaultDatabase] ? ` (the default database ${ctx.defaultDatabase} has ${list(Object.keys(ctx.catalog[ctx.defaultDatabase]!)) || 'no tables'})` : '';
    parts.push(`Catalog tables are named db.table${example ? `, e.g. ${example}` : ''}${inDefault}; SHOW TABLES lists them.`);
  }
  return parts.join(' ');
}

function list(names: readonly string[], max = 6): string {
  return names.length > max ? `${names.slice(0, max).join(', ')} and ${names.length - max} more` : names.join(', ');
}
