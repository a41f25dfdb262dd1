import { redactUrl } from './presigned';

// Field names whose value is a secret, also as job arguments (`--password`) and snake_case AWS names.
export const SECRET_KEYS = /^-*(aws_)?(password|passwd|secret|secret_?access_?key|session_?token|access_?key_?id|api_?key|token|credentials|private_?key)$/i;

/** Text patterns removed from every string: whatever the share links' secret scan reports must not survive. */
const STRIP: [RegExp, string][] = [
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, 'REDACTED'],
  [/\bBearer\s+[A-Za-z0-9._~+/-]{16,}=*/g, 'Bearer REDACTED'],
  [/-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, 'REDACTED PRIVATE KEY'],
];

/**
 * A copy with presigned signatures, credentials, access keys, bearer tokens and private keys replaced by REDACTED,
 * and secret-named fields blanked: for anything that leaves the browser (share links, Glue and Athena exports).
 */
export function redactSecrets<T>(value: T): T {
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') return key && SECRET_KEYS.test(key) && v !== '' ? 'REDACTED' : STRIP.reduce((t, [re, by]) => t.replace(re, by), redactUrl(v));
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(value) as T;
}
