import { quoteLiteral } from '../../engine/sql';
import { t } from '../../schema/types';
import { firstText, intoText, needText, rewriteTo, sparkTo } from './brew';
import { defineTransform } from './def';
import { literal, str } from './text';

export interface ReplaceTextParams { path: string; pattern: string; value: string; regex?: boolean; output?: string }

/** A replacement as DuckDB's regexp_replace reads it: `$1`…`$9` become `\1`…`\9`, anything else is literal. */
export function duckReplacement(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\$(\d)/g, '\\$1');
}

/** Why a pattern cannot run the same in the tab (RE2) and Spark (java.util.regex), or null. */
export function patternProblem(pattern: string): string | null {
  try { new RegExp(pattern, 'u'); } catch (err) { return `not a valid regular expression: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`; }
  if (/\(\?<?[=!]/.test(pattern)) return 'lookahead and lookbehind ((?=, (?!, (?<=, (?<!) are not supported by the tab\'s regular expressions (RE2)';
  if (/\\[1-9]/.test(pattern)) return 'back-references (\\1) are not supported by the tab\'s regular expressions (RE2)';
  return null;
}

const QUOTE_REGEX = ['def _epoxy_quote_regex(s):', '    # java.util.regex: match s literally', '    return "\\\\Q" + s.replace("\\\\E", "\\\\E\\\\\\\\E\\\\Q") + "\\\\E"'];
const QUOTE_REPLACEMENT = ['def _epoxy_quote_replacement(s):', '    # java.util.regex replacement: s literally', '    return s.replace("\\\\", "\\\\\\\\").replace("$", "\\\\$")'];
// $1..$9 name a group (one digit, as in the tab); every other character is literal.
const REGEX_REPLACEMENT = [
  'def _epoxy_regex_replacement(s):',
  '    out, i = [], 0',
  '    while i < len(s):',
  '        ch = s[i]',
  '        if ch == "$" and i + 1 < len(s) and s[i + 1].isdigit():',
  '            out.append("$" + s[i + 1])',
  '            i += 2',
  '            if i < len(s) and s[i].isdigit():',
  '                out.append("\\\\" + s[i])',
  '                i += 1',
  '            continue',
  '        out.append("\\\\" + ch if ch in "\\\\$" else ch)',
  '        i += 1',
  '    return "".join(out)',
];

export default defineTransform<'ReplaceText', ReplaceTextParams>({
  kind: 'ReplaceText',
  group: 'Text & dates',
  help: 'Replace every occurrence of a text or a regular expression in a string column (DataBrew REPLACE_TEXT).',
  defaults: (schema) => ({ path: firstText(schema), pattern: ' ', value: '_', regex: false }),
  form: [
    { key: 'path', label: 'String column', widget: 'column' },
    { key: 'pattern', label: 'Find', widget: 'text', mono: true },
    { key: 'regex', label: 'Find is a regular expression', widget: 'checkbox' },
    { key: 'value', label: 'Replace with', widget: 'text', mono: true, optional: true, placeholder: '(nothing)' },
    { key: 'output', label: 'Output column', widget: 'text', optional: true, placeholder: '(in place)' },
  ],
  describe: (p) => `replace ${p.regex ? 'the pattern ' : ''}${literal(p.pattern)} with ${literal(p.value ?? '')} in ${str(p.path)} ${intoText(p.output)}`,
  duckdb(p, c) {
    const pattern = str(p.pattern);
    if (!pattern) { c.error('the text to find is empty', str(p.path)); return c.none(); }
    if (p.regex) {
      const problem = patternProblem(pattern);
      if (problem) { c.error(problem, str(p.path)); return c.none(); }
    }
    const value = str(p.value);
    return rewriteTo(c, p.path, p.output, (expr, type, path) => {
      if (!needText(c, 'ReplaceText', path, type)) return null;
      const sql = p.regex
        ? `regexp_replace(${expr}, ${quoteLiteral(pattern)}, ${quoteLiteral(duckReplacement(value))}, 'g')`
        : `replace(${expr}, ${quoteLiteral(pattern)}, ${quoteLiteral(value)})`;
      return { expr: sql, type: t.string };
    });
  },
  spark(p, s) {
    const value = s.value(str(p.value));
    let pattern = s.value(str(p.pattern));
    let replacement: string;
    if (p.regex) {
      s.helper('_epoxy_regex_replacement', REGEX_REPLACEMENT);
      replacement = `_epoxy_regex_replacement(${value})`;
    } else {
      // regexp_replace with a quoted pattern: Spark 3.3 (Glue 4.0) has no F.replace.
      s.helper('_epoxy_quote_regex', QUOTE_REGEX);
      s.helper('_epoxy_quote_replacement', QUOTE_REPLACEMENT);
      pattern = `_epoxy_quote_regex(${pattern})`;
      replacement = `_epoxy_quote_replacement(${value})`;
    }
    return { lines: sparkTo(s, p.path, p.output, (col) => `F.regexp_replace(${col}, ${pattern}, ${replacement})`) };
  },
  examples: [
    { title: 'dashes in airport names become spaces', input: 'node_modules/vega-datasets/data/airports.csv', params: { path: 'name', pattern: '-', value: ' ', output: 'name_spaced' } },
    { title: 'car names without digits', input: 'node_modules/vega-datasets/data/cars.json', params: { path: 'Name', pattern: '[0-9]+', value: '#', regex: true } },
    { title: 'penguin islands with groups swapped', input: 'node_modules/vega-datasets/data/penguins.json', params: { path: 'Island', pattern: '^(.)(.*)$', value: '$2$1', regex: true, output: 'island_rot' } },
  ],
  docs: {
    tab: 'Replaces every occurrence of the text (or, ticked, the regular expression) in a string column, in place or into a new column. In a regular expression\'s replacement `$1`…`$9` name groups; every other character is literal. An empty find text is an error; NULL stays NULL; a column that is not a string is an error.',
    spark: 'F.regexp_replace, the find text quoted (\\Q…\\E) for a plain replacement; the replacement escaped for java.util.regex.',
    glue: 'The PySpark body.',
    differences: 'Regular expressions are RE2 in the tab and DuckDB and java.util.regex in Spark: lookarounds and back-references are refused; character classes such as \\w follow each engine (ASCII in RE2, ASCII in Java unless flagged).',
  },
});
