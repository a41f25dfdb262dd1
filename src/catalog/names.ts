import { CatalogError } from './errors';

// Glue lowercases database, table and column names (Athena and Hive are case-insensitive); Athena accepts only
// letters, digits and underscore in them, so Epoxy holds every catalog to that rule and says so when it refuses.
const IDENT = /^[a-z0-9_]+$/;
const MAX = 255;

export type NameKind = 'database' | 'table' | 'column' | 'partition key';

/** Lowercase a database/table/column name and check Glue's rule; throws InvalidInputException naming the rule. */
export function catalogName(kind: NameKind, raw: string): string {
  if (typeof raw !== 'string' || raw.length === 0) throw new CatalogError('InvalidInputException', `A ${kind} name is required.`);
  const name = raw.toLowerCase();
  if (name.length > MAX) throw new CatalogError('InvalidInputException', `The ${kind} name "${raw.slice(0, 40)}…" is ${name.length} characters long; Glue allows at most ${MAX}.`);
  if (!IDENT.test(name)) {
    const bad = [...name].find((ch) => !/[a-z0-9_]/.test(ch))!;
    throw new CatalogError('InvalidInputException', `The ${kind} name "${raw}" contains "${bad}": names may use only lowercase letters a-z, digits 0-9 and underscore _ (Glue lowercases names; Athena rejects other characters).`);
  }
  return name;
}

/** Names of crawlers, jobs, triggers, connections and classifiers: 1-255 characters on a single line (Glue's rule). */
export function objectName(kind: string, raw: string): string {
  if (typeof raw !== 'string' || raw.length === 0) throw new CatalogError('InvalidInputException', `A ${kind} name is required.`);
  if (raw.length > MAX) throw new CatalogError('InvalidInputException', `The ${kind} name is ${raw.length} characters long; Glue allows at most ${MAX}.`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) throw new CatalogError('InvalidInputException', `The ${kind} name "${raw.replace(/[\u0000-\u001f]/g, '?')}" must be a single line without control characters.`);
  return raw;
}
