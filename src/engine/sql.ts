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
