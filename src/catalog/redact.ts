import { redactSecrets } from '../sources/redact';

/**
 * A copy with presigned-URL signatures, credentials and tokens replaced by REDACTED in every string. Used for
 * what leaves Epoxy for AWS (Athena DDL, --cli-input-json files): a presigned location or job argument must
 * not travel in an export. Epoxy's own catalog file keeps them, since it is the user's stored catalog.
 */
export const redactForExport = redactSecrets;
