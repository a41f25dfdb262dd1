// Checks Glue API requests with botocore's Glue service model (test/support/botocore_validate.py), run by the
// python3 on PATH or EPOXY_PYTHON; `.ci/run` installs botocore from requirements-test.txt.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const SCRIPT = join(import.meta.dirname, 'botocore_validate.py');

/** One request to check: a name to report it by, the Glue operation (CreateJob) and its parameters. */
export interface GlueRequest { name: string; operation: string; params: unknown }
/** botocore's verdict on one request: no errors means valid. */
export interface GlueVerdict { name: string; errors: string[] }

/** The python the checks run with. */
export const python = () => process.env['EPOXY_PYTHON'] || 'python3';

/** Validate requests against botocore's Glue model; throws when python3 or botocore is missing. */
export function validateGlueRequests(requests: GlueRequest[]): { botocore: string; results: GlueVerdict[] } {
  const run = spawnSync(python(), [SCRIPT], { input: JSON.stringify(requests), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw new Error(`${python()} could not be started (${run.error.message}): install Python 3 with botocore (python3 -m pip install -r requirements-test.txt) or set EPOXY_PYTHON`);
  if (run.status !== 0) throw new Error(`${SCRIPT} failed under ${python()}${/botocore/.test(run.stderr) ? ' (is botocore installed? python3 -m pip install -r requirements-test.txt)' : ''}:\n${run.stderr}`);
  return JSON.parse(run.stdout) as { botocore: string; results: GlueVerdict[] };
}

/** The requests that botocore refuses, as "name: error" lines (empty when all are valid). */
export function glueProblems(requests: GlueRequest[]): string[] {
  return validateGlueRequests(requests).results.flatMap((r) => r.errors.map((e) => `${r.name}: ${e}`));
}
