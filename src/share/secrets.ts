import { redactUrl } from '../sources/presigned';

/** A secret found in a payload: where, and what kind. */
export interface SecretFinding {
  path: string;
  kind: string;
}

const PATTERNS: [string, RegExp][] = [
  ['presigned URL signature', /[?&](X-Amz-Signature|Signature|X-Goog-Signature|sig)=(?!REDACTED)[^&\s"]{8,}/i],
  ['session token', /[?&](X-Amz-Security-Token|token)=(?!REDACTED)[^&\s"]{8,}/i],
  ['AWS access key id', /\b(AKIA|ASIA)[A-Z0-9]{16}\b/],
  ['AWS secret access key', /aws_secret_access_key|secretAccessKey/i],
  ['bearer token', /\bBearer\s+[A-Za-z0-9._~+/-]{16,}/],
  ['private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
];

// Field names whose value is a secret, also as job arguments (`--password`) and snake_case AWS names.
const SECRET_KEYS = /^-*(aws_)?(password|passwd|secret|secret_?access_?key|session_?token|access_?key_?id|api_?key|token|credentials|private_?key)$/i;

/** Text patterns stripSecrets removes: whatever findSecrets reports inside a string must not survive it. */
const STRIP: [RegExp, string][] = [
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, 'REDACTED'],
  [/\bBearer\s+[A-Za-z0-9._~+/-]{16,}=*/g, 'Bearer REDACTED'],
  [/-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, 'REDACTED PRIVATE KEY'],
];

/** Walk a JSON value and report every string (or key) that looks like a credential or a signature. */
export function findSecrets(value: unknown, path = '$'): SecretFinding[] {
  if (typeof value === 'string') {
    return PATTERNS.filter(([, re]) => re.test(value)).map(([kind]) => ({ path, kind }));
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => findSecrets(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [
      ...(SECRET_KEYS.test(k) && typeof v === 'string' && v !== '' && v !== 'REDACTED' ? [{ path: `${path}.${k}`, kind: `field "${k}"` }] : []),
      ...findSecrets(v, `${path}.${k}`),
    ]);
  }
  return [];
}

/** A copy with signatures stripped from URLs and secret-named fields blanked, for links that must not carry them. */
export function stripSecrets<T>(value: T): T {
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') return key && SECRET_KEYS.test(key) && v !== '' ? 'REDACTED' : STRIP.reduce((t, [re, by]) => t.replace(re, by), redactUrl(v));
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(value) as T;
}
