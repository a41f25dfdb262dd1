import { compileGrok, grokMatch, parseCustomPatterns, type CompiledGrok } from '../../classifiers/grok';
import type { StructField } from '../../schema/types';
import { insertRecords, type InsertResult } from './insert';
import type { ReaderEngine } from './json';

/** Lines longer than this are not matched (the classifier's bound on regex work); their text is kept whole. */
const MAX_MATCHED_LINE = 16 * 1024;

/** A grok pattern compiled for reading, and the field that takes lines it does not match. */
export interface LogPattern {
  grok: CompiledGrok;
  /** `message` when the pattern has a string field of that name, else the last string field; null if none. */
  continuation: string | null;
}

/** Compile a table's grok pattern (`grokPattern` + `grokCustomPatterns` parameters) for reading. */
export function logPattern(pattern: string, customPatterns?: string): LogPattern {
  const grok = compileGrok(pattern, parseCustomPatterns(customPatterns));
  const strings = grok.fields.filter((f) => f.type.kind === 'primitive' && f.type.name === 'string').map((f) => f.name);
  return { grok, continuation: strings.includes('message') ? 'message' : strings.at(-1) ?? null };
}

/**
 * The records of a log: one per line the pattern matches. A line it does not match (a Java stack trace, a
 * wrapped message) continues the record before it, appended to its message with a newline, so no text is
 * lost; before any record, or when the pattern has no string field, it is a record of its own that holds the
 * line in that field (or only nulls, as Glue's GrokSerDe gives).
 */
export async function* logRecords(text: AsyncIterable<string>, p: LogPattern): AsyncGenerator<Record<string, string>> {
  let pending: Record<string, string> | null = null;
  let carry = '';
  const take = (raw: string): Record<string, string> | null => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') return null;
    const m = line.length <= MAX_MATCHED_LINE ? grokMatch(p.grok, line) : null;
    if (m) { const done = pending; pending = m; return done; }
    if (pending && p.continuation) {
      pending[p.continuation] = pending[p.continuation] === undefined ? line : `${pending[p.continuation]}\n${line}`;
      return null;
    }
    const done = pending;
    pending = p.continuation ? { [p.continuation]: line } : {};
    return done;
  };
  for await (const chunk of text) {
    const parts = (carry + chunk).split('\n');
    carry = parts.pop()!;
    for (const part of parts) { const r = take(part); if (r) yield r; }
  }
  const r = take(carry);
  if (r) yield r;
  if (pending) yield pending;
}

/** Read a text log into a DuckDB table of the given Glue schema (the catalog's columns, or the pattern's fields). */
export async function readLogInto(engine: ReaderEngine, table: string, text: AsyncIterable<string>, p: LogPattern, schema: StructField[], batchRows = 10_000): Promise<InsertResult> {
  return insertRecords(engine, table, schema, logRecords(text, p), batchRows, true);
}
