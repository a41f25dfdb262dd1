import { redactSecrets, SECRET_KEYS } from '../sources/redact';

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

/** A copy without secrets, for links that must not carry them (the same redaction as exports). */
export const stripSecrets = redactSecrets;
