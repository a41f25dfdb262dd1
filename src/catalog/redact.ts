import { redactUrl } from '../sources/presigned';

/**
 * A copy with presigned-URL signatures, credentials and tokens replaced by REDACTED in every string. Used for
 * what leaves Epoxy for AWS (Athena DDL, --cli-input-json files): a presigned location or job argument must
 * not travel in an export. Epoxy's own catalog file keeps them, since it is the user's stored catalog.
 */
export function redactForExport<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactUrl(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
