/** Quote an SQL identifier for DuckDB, so names taken from files can never break out of the quotes. */
export function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** Quote an SQL string literal for DuckDB. */
export function quoteLiteral(value: string): string {
  return "'" + value.replace(/'/g, "''") + "'";
}

/**
 * Turn a file name into a table name a user can type without quotes:
 * lowercase, [a-z0-9_], not starting with a digit, never empty (Glue's naming rule).
 */
export function tableNameFromFile(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const stem = base.replace(/(\.(gz|gzip|bz2|zst|snappy))+$/i, '').replace(/\.[^.]*$/, '');
  let name = stem.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (!name) name = 'data';
  if (/^[0-9]/.test(name)) name = 't_' + name;
  return name.slice(0, 255);
}

/** Pick a name not yet in `taken` by appending _2, _3, ... */
export function uniqueName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) {
    const candidate = `${base}_${i}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** The read_csv options of a CSV dialect (engine.ts's CsvDialect), each quoted: `delim=';'`, `header=true`. */
export function csvDialectList(d: { delimiter?: string; header?: boolean; quote?: string; escape?: string; skip?: number; nullstr?: string; allVarchar?: boolean }): string[] {
  const out: string[] = [];
  if (d.delimiter !== undefined) out.push(`delim=${quoteLiteral(d.delimiter)}`);
  if (d.header !== undefined) out.push(`header=${d.header ? 'true' : 'false'}`);
  if (d.quote !== undefined) out.push(`quote=${quoteLiteral(d.quote)}`);
  if (d.escape !== undefined) out.push(`escape=${quoteLiteral(d.escape)}`);
  if (d.skip) out.push(`skip=${Math.max(0, Math.trunc(d.skip))}`);
  if (d.nullstr !== undefined) out.push(`nullstr=${quoteLiteral(d.nullstr)}`);
  if (d.allVarchar) out.push('all_varchar=true');
  return out;
}
