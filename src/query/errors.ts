import type { Reachability } from '../sources/reachability';
import { reachabilityText } from '../sources/reachability';

/** The reason and fix of a table this tab cannot read (never 'ok' or 'unknown'). */
export type Unreachable = Extract<Reachability, { state: 'gone' | 'unreachable' }>;

/**
 * A catalog table whose data this tab (or process) cannot reach: carries the reason and the one fix, so a view
 * can offer it as a button instead of printing a listing error.
 */
export class UnreachableTableError extends Error {
  readonly database: string;
  readonly table: string;
  readonly reachability: Unreachable;
  /** The table's location (what the fix is about: a kept folder, a connection's objects, a workspace folder). */
  readonly location: string;
  constructor(database: string, table: string, reachability: Unreachable, location = '') {
    super(reachabilityText(reachability, `${database}.${table}`) ?? `${database}.${table} cannot be read`);
    this.name = 'UnreachableTableError';
    this.database = database;
    this.table = table;
    this.reachability = reachability;
    this.location = location;
  }
}

/**
 * A location a LocationLister cannot list from here (files dropped before a reload, a folder whose permission
 * was not granted, expired presigned URLs): resolveTable turns it into an UnreachableTableError naming the table.
 */
export class UnreachableLocationError extends Error {
  readonly location: string;
  readonly reachability: Unreachable;
  constructor(location: string, reachability: Unreachable) {
    super(reachabilityText(reachability) ?? `${location} cannot be read`);
    this.name = 'UnreachableLocationError';
    this.location = location;
    this.reachability = reachability;
  }
}

/** The one-click fix of an unreachable table, for a view to render as a button or a link (never as HTML). */
export type UnreachableFix =
  | { kind: 'grant-folder'; location: string; label: string }
  | { kind: 'link'; href: string; label: string };

/** What a user clicks to fix it: grant a kept folder again, drop the files again, paste fresh URLs, rerun the writer. */
export function fixOf(err: UnreachableTableError): UnreachableFix {
  const loc = err.location;
  if (loc.startsWith('folder://') && err.reachability.state === 'unreachable' && /permission/.test(err.reachability.reason)) return { kind: 'grant-folder', location: loc, label: 'Grant access to the folder' };
  if (loc.startsWith('dropped://') || loc.startsWith('folder://')) return { kind: 'link', href: '#/crawlers', label: 'Drop or pick the folder again (Crawlers)' };
  if (/^(s3a?|https?):\/\//i.test(loc)) return { kind: 'link', href: '#/connections', label: 'Paste fresh presigned URLs (Connections)' };
  if (loc.startsWith('opfs://')) return { kind: 'link', href: '#/jobs', label: 'Run the job that writes it (Jobs)' };
  return { kind: 'link', href: '#/catalog', label: 'See the table in the Catalog' };
}
