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
  constructor(database: string, table: string, reachability: Unreachable) {
    super(reachabilityText(reachability, `${database}.${table}`) ?? `${database}.${table} cannot be read`);
    this.name = 'UnreachableTableError';
    this.database = database;
    this.table = table;
    this.reachability = reachability;
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
