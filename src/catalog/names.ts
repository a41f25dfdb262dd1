import { CatalogError } from './errors';

// Glue's API takes any single-line string of 1-255 characters as a database, table or column name
// ([\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]*) and its crawler keeps header names as written,
// lowercased: "Beak Length (mm)" is a legal column. Refusing such names would refuse most spreadsheet exports,
// so the catalog admits them and every consumer quotes them; `athenaSafe` flags the ones Athena needs quoted.
const MAX = 255;

export type NameKind = 'database' | 'table' | 'column' | 'partition key';

/** The first character Glue's name pattern refuses (control characters other than tab, U+FFFE/U+FFFF, lone surrogates), or null. */
export function illegalNameChar(name: string): string | null {
  for (const ch of name) {
    const cp = ch.codePointAt(0)!;
    const ok = cp === 0x09 || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || cp >= 0x10000;
    if (!ok) return ch;
  }
  return null;
}

const describeChar = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * The key under which the catalog files a database, table, column or partition-key name: Glue lowercases them,
 * so "Shop" and "shop" are one database. Every lookup and every stored key goes through this one function;
 * `catalogName` also checks Glue's rule on the way in. (ETL objects' names are kept as written: see objectName.)
 */
export function catalogKey(name: string): string {
  return name.toLowerCase();
}

/** Lowercase a database/table/column name and check Glue's rule; throws InvalidInputException naming the rule. */
export function catalogName(kind: NameKind, raw: string): string {
  if (typeof raw !== 'string' || raw.length === 0) throw new CatalogError('InvalidInputException', `A ${kind} name is required.`);
  const name = catalogKey(raw);
  const length = [...name].length;
  if (length > MAX) throw new CatalogError('InvalidInputException', `The ${kind} name "${raw.slice(0, 40)}…" is ${length} characters long; Glue allows at most ${MAX}.`);
  const bad = illegalNameChar(name);
  if (bad !== null) {
    throw new CatalogError('InvalidInputException', `The ${kind} name "${[...raw].map((c) => (illegalNameChar(c) ? '?' : c)).join('')}" contains the control character ${describeChar(bad)}: Glue names are single-line text (tab allowed).`);
  }
  return name;
}

/** Whether Athena (and Hive DDL, and a DuckDB or Spark SQL reader) can use the name without quoting: [a-z_][a-z0-9_]*. */
export function athenaSafe(name: string): boolean {
  return /^[a-z_][a-z0-9_]*$/.test(name);
}

/**
 * The Athena-safe form of a name: lowercase ASCII letters, digits and `_` ("Beak Length (mm)" ->
 * "beak_length_mm", "Größe" -> "grosse"... accents dropped, other runs of characters become one `_`);
 * a leading digit gets `col_` ("2019" -> "col_2019"); nothing left gives "col".
 */
export function normalizedName(name: string): string {
  const ascii = name.replace(/ß/g, 'ss').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  let out = ascii.replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (!out) out = 'col';
  if (/^[0-9]/.test(out)) out = `col_${out}`;
  return out.slice(0, MAX);
}

/**
 * Athena-safe names for a list of names, unique among themselves and `taken` (names already safe are kept;
 * clashes get `_1`, `_2` as the CSV classifier numbers duplicate headers). Returns one name per input.
 */
export function normalizedNames(names: readonly string[], taken: Iterable<string> = []): string[] {
  const used = new Set([...taken, ...names.filter(athenaSafe)]);
  return names.map((n) => {
    if (athenaSafe(n)) return n;
    const base = normalizedName(n);
    let out = base;
    // The suffix must not push a 255-character name over Glue's limit.
    for (let i = 1; used.has(out); i++) out = `${base.slice(0, MAX - String(i).length - 1)}_${i}`;
    used.add(out);
    return out;
  });
}

/** Names of crawlers, jobs, triggers, connections and classifiers: 1-255 characters on a single line (Glue's rule). */
export function objectName(kind: string, raw: string): string {
  if (typeof raw !== 'string' || raw.length === 0) throw new CatalogError('InvalidInputException', `A ${kind} name is required.`);
  if (raw.length > MAX) throw new CatalogError('InvalidInputException', `The ${kind} name is ${raw.length} characters long; Glue allows at most ${MAX}.`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) throw new CatalogError('InvalidInputException', `The ${kind} name "${raw.replace(/[\u0000-\u001f]/g, '?')}" must be a single line without control characters.`);
  return raw;
}

/** The column parameter that keeps the name a column had in its files before it was normalised in the catalog. */
export const ORIGINAL_NAME = 'epoxy.originalName';

/** The name under which a catalog column is found in its files: the kept original name, else its own. */
export function sourceNameOf(column: { Name: string; Parameters?: Record<string, string> }): string {
  return column.Parameters?.[ORIGINAL_NAME] || column.Name;
}
