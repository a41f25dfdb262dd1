/**
 * The DuckDB compile's checks reused by a Spark body: a compiler over the schema the Spark export knows, whose
 * errors throw (the export names the step) instead of being collected.
 */
import type { SparkCtx } from './def';
import { DuckCompiler } from './kit';

/** A DuckCompiler over the Spark input's schema; an error it reports throws at once. */
export function sparkChecker(s: SparkCtx): DuckCompiler {
  const c = new DuckCompiler(s.id, { relation: s.input, schema: s.schema }, {});
  const error = c.error.bind(c);
  c.error = (message: string, column?: string) => {
    error(message, column);
    throw new Error(column ? `${column}: ${message}` : message);
  };
  return c;
}
