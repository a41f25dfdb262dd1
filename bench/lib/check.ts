import { renderType, type StructField } from '../../src/schema/types';
import type { ExpectedColumn } from './crawl-data';

/** A schema as `name:type` strings (Hive spelling), the form results are compared and reported in. */
export function schemaColumns(schema: StructField[]): ExpectedColumn[] {
  return schema.map((f) => ({ name: f.name, type: renderType(f.type) }));
}

/** Describe how `actual` differs from `expected` (names and types, in order), or null when equal. */
export function columnsDiffer(actual: ExpectedColumn[], expected: ExpectedColumn[], types = true): string | null {
  const show = (c: ExpectedColumn[]) => c.map((x) => (types ? `${x.name}:${x.type}` : x.name)).join(', ');
  const a = show(actual);
  const e = show(expected);
  return a === e ? null : `expected [${e}] but got [${a}]`;
}
