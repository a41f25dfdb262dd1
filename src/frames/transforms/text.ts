/** Total readers for params that may come from a hand-made link: describing a step never throws. */

/** A value as text (objects as JSON). */
export const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
/** A value as a list (anything else: empty). */
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** A value as a record (anything else: empty). */
export const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
/** A list of values as text, `nothing` when empty. */
export const listText = (v: unknown): string => arr(v).map(str).join(', ') || 'nothing';

/** A value as SQL shows it: numbers and booleans bare, text in single quotes. */
export function literal(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return `'${str(v).replace(/'/g, "''")}'`;
}

/** A path as a Python/Spark-safe identifier fragment. */
export function ident(s: string): string {
  return s.replace(/[^A-Za-z0-9_]+/g, '_');
}
