/**
 * Native DuckDB SQL that reads a log table as Epoxy does (src/frames/readers/log.ts): each line matched with the
 * table's grok pattern, a line it does not match appended to the record above it, typed fields cast.
 */
import { customPatternsFor } from '../classifiers/grok';
import { logPattern } from '../frames/readers/log';
import { frameDuckType } from '../frames/duck-types';
import { quoteIdent, quoteLiteral } from '../engine/sql';

/**
 * The grok regex in RE2, DuckDB's regex dialect: the only constructs the library uses that RE2 lacks are the
 * digit lookarounds of IPV4 and TIME (`(?<![0-9])`, `(?![0-9])`), dropped; the anchoring around a time still
 * comes from the characters the pattern puts next to it.
 */
export function re2Source(source: string): string {
  return source.replace(/\(\?<!\[0-9\]\)|\(\?!\[0-9\]\)/g, '');
}

/** A SELECT over the files matching `glob` (native DuckDB's read_text: plain text, not gzip) giving the log's records. */
export function readLogSql(glob: string, grok: { pattern: string; customPatterns?: string }): string {
  // A pattern of Epoxy's own library compiles here even when the table came without its custom patterns.
  const custom = [grok.customPatterns ?? '', customPatternsFor(grok.pattern)].filter(Boolean).join('\n');
  const p = logPattern(grok.pattern, custom || undefined);
  const re = quoteLiteral(re2Source(p.grok.regex.source));
  const groups = p.grok.groups.map((_, i) => quoteLiteral(`g${i + 1}`)).join(', ');
  const fieldOf = (fi: number) => {
    const caps = p.grok.groups.flatMap((x, i) => (x === fi ? [`nullif(m.g${i + 1}, '')`] : []));
    return caps.length > 1 ? `coalesce(${caps.join(', ')})` : caps[0]!;
  };
  const cols = p.grok.fields.map((f, fi) => {
    const name = quoteIdent(f.name);
    const value = f.name === p.continuation
      // Continuation lines (a stack trace) join the message with newlines; before any record a line is its own message.
      ? `CASE WHEN rec = 0 THEN string_agg(line, chr(10) ORDER BY i) ELSE concat_ws(chr(10), any_value(${fieldOf(fi)}) FILTER (WHERE matched), string_agg(line, chr(10) ORDER BY i) FILTER (WHERE NOT matched)) END`
      : `any_value(${fieldOf(fi)}) FILTER (WHERE matched)`;
    const type = frameDuckType(f.type);
    return `${type === 'VARCHAR' ? value : `TRY_CAST(${value} AS ${type})`} AS ${name}`;
  });
  const lines = `SELECT filename, i, rtrim(parts[i], chr(13)) AS line FROM (SELECT filename, string_split(content, chr(10)) AS parts FROM read_text(${quoteLiteral(glob)})), range(1, len(parts) + 1) AS r(i)`;
  const matched = `SELECT *, regexp_full_match(line, ${re}) AS matched, regexp_extract(line, ${re}, [${groups}]) AS m FROM (${lines}) WHERE line <> ''`;
  const numbered = `SELECT *, sum(matched::INTEGER) OVER (PARTITION BY filename ORDER BY i) AS rec FROM (${matched})`;
  // Lines before the first record, and unmatched lines of a pattern with no string field, are records of their own.
  const own = p.continuation ? 'rec = 0' : 'rec = 0 OR NOT matched';
  return `SELECT ${cols.join(', ')} FROM (${numbered}) GROUP BY filename, rec, CASE WHEN ${own} THEN i END ORDER BY filename, min(i)`;
}
