/** A run id shaped like Glue's: `jr_` and 64 hex digits for job runs (crawls use `cr_`), the same for every way a run starts. */
export function glueRunId(kind: 'job' | 'crawler'): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return (kind === 'job' ? 'jr_' : 'cr_') + [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
