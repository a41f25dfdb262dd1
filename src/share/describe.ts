/**
 * Readable text for what a shared pipeline does, for its review page: one line per step kind, what a source
 * names and what a target proposes, and a split of any text into plain runs and visible marks (long
 * whitespace, invisible characters) so nothing a link carries can hide off screen or out of sight.
 * Everything here is total: a hand-made link with odd parameters gets a description, never an exception.
 */
import type { Trigger } from '../catalog';
import type { Step } from '../frames/steps';
import type { SourceSpec, TargetSpec, TransformNode } from '../jobs/model';
import { parsePresignedUrl, redactUrl } from '../sources/presigned';

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** A value as SQL shows it: numbers and booleans bare, text in single quotes. */
export function literal(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return `'${str(v).replace(/'/g, "''")}'`;
}

const OPS: Record<string, string> = { '=': '=', '!=': '≠', '<': '<', '<=': '≤', '>': '>', '>=': '≥' };

/** A form-built predicate as text: `region = 'EU' and amount > 5`; a SQL predicate is shown as its own fragment. */
export function describePredicate(p: unknown): string {
  const pred = obj(p);
  if ('sql' in pred) return 'the SQL condition below is true';
  const joiner = pred['combine'] === 'or' ? ' or ' : ' and ';
  const parts = arr(pred['conditions']).map((c) => {
    const cond = obj(c);
    const path = str(cond['path']);
    const op = str(cond['op']);
    const value = cond['value'];
    switch (op) {
      case 'is_null': return `${path} is null`;
      case 'not_null': return `${path} is not null`;
      case 'contains': return `${path} contains ${literal(value)}`;
      case 'starts_with': return `${path} starts with ${literal(value)}`;
      case 'in': return `${path} in (${(Array.isArray(value) ? value : str(value).split(',')).map(literal).join(', ')})`;
      default: return `${path} ${OPS[op] ?? op} ${literal(value)}`;
    }
  });
  return parts.length ? parts.join(joiner) : 'no condition (every record passes)';
}

const list = (v: unknown): string => arr(v).map(str).join(', ') || 'nothing';

function thresholds(p: Record<string, unknown>): string {
  const t = [p['stageThreshold'] !== undefined ? `at most ${str(p['stageThreshold'])} error records here` : '', p['totalThreshold'] !== undefined ? `at most ${str(p['totalThreshold'])} in the run` : ''].filter(Boolean);
  return t.length ? ` (${t.join(', ')})` : '';
}

/**
 * One line saying what a step does, e.g. `Filter: region = 'EU' and amount > 5` or
 * `ApplyMapping: order_id → id (bigint)`. SQL text is not repeated here: the review shows each fragment in full.
 */
export function describeStep(step: Step, inputs: string[] = []): string {
  const p = obj(step.params);
  const body = ((): string => {
    switch (step.kind) {
      case 'ApplyMapping': return arr(p['mappings']).map((m) => { const x = obj(m); return `${str(x['source'])} → ${str(x['target'])} (${str(x['targetType'])})`; }).join(', ') || 'no columns';
      case 'ResolveChoice':
        if (p['choice'] === 'match_catalog') return 'cast every choice column to the catalog\'s type';
        if (p['choice'] !== undefined) return `every choice column: ${str(p['choice'])}`;
        return arr(p['specs']).map((s) => { const x = obj(s); return `${str(x['path'])}: ${str(x['action'])}`; }).join(', ') || 'nothing';
      case 'Relationalize': return `flatten into tables under ${literal(p['rootName'] ?? 'root')}`;
      case 'Unnest': return `flatten structs into columns joined by ${literal(p['separator'] ?? '.')}`;
      case 'Unbox': return `parse ${str(p['path'])} as ${str(p['format'])} into ${str(p['type'])}`;
      case 'DropFields': return `drop ${list(p['paths'])}`;
      case 'SelectFields': return `keep only ${list(p['paths'])}`;
      case 'RenameField': return `${str(p['from'])} → ${str(p['to'])}`;
      case 'SplitFields': return `${list(p['paths'])} here, the other columns to a second output`;
      case 'SplitRows': return `records where ${describePredicate(p['predicate'])} here, the others to a second output`;
      case 'Filter': return `keep records where ${describePredicate(p['predicate'])}`;
      case 'Join': {
        const left = arr(p['leftKeys']).map(str);
        const right = arr(p['rightKeys']).map(str);
        const on = left.map((k, i) => `${k} = ${right[i] ?? '?'}`).join(' and ') || 'no keys';
        return `${str(p['how'] ?? 'inner')} join with ${inputs[1] ?? 'the second input'} on ${on}`;
      }
      case 'Union': return `append the records of ${inputs[1] ?? 'the second input'}`;
      case 'DropNullFields': return 'drop columns that are null in every record';
      case 'FillMissingValues': return `fill nulls of ${str(p['path'])} with the ${p['strategy'] === 'constant' ? `value ${literal(p['value'])}` : str(p['strategy'])} into ${str(p['output'] ?? `${str(p['path'])}_filled`)}`;
      case 'Spigot': return `pass everything through and keep a sample${p['topk'] !== undefined ? ` of the first ${str(p['topk'])}` : ''}${p['prob'] !== undefined ? ` with probability ${str(p['prob'])}` : ''}`;
      case 'Aggregate': {
        const aggs = arr(p['aggregations']).map((a) => { const x = obj(a); const fn = str(x['fn']); const of = x['path'] === undefined ? '*' : str(x['path']); return `${fn === 'count_distinct' ? `count(distinct ${of})` : `${fn}(${of})`}${x['as'] ? ` as ${str(x['as'])}` : ''}`; });
        const by = arr(p['groupBy']).map(str);
        return `${by.length ? `group by ${by.join(', ')}; ` : ''}${aggs.join(', ') || 'no aggregations'}`;
      }
      case 'DropDuplicates': return arr(p['paths']).length ? `keep the first record for each ${list(p['paths'])}` : 'keep the first of each set of identical records';
      case 'Derived': return `add column ${str(p['name'])}${p['type'] ? ` (${str(p['type'])})` : ''} computed by the SQL expression below`;
      case 'Sql': return 'the SQL query below, over its input named input';
      default: return 'an unknown step';
    }
  })();
  return `${step.kind}: ${body}${thresholds(p)}`;
}

/** The one line of a transform node (for a node whose description throws on odd params, a plain fallback). */
export function describeTransform(node: TransformNode): string {
  try {
    return describeStep(node.step, node.inputs);
  } catch {
    return `${str(node.step?.kind)}: (its parameters cannot be described)`;
  }
}

/** What a link's source names (it is never read: the user binds their own data instead). */
export function describeLinkSource(spec: SourceSpec): string {
  switch (spec.type) {
    case 'table': return `a Workspace table called ${spec.name}`;
    case 'catalog': return `the catalog table ${spec.database}.${spec.table}`;
    case 'file': {
      const path = redactUrl(spec.path);
      if (path.startsWith('opfs://')) return `the workspace folder ${path}`;
      if (/^https?:\/\//i.test(path)) return `the web address ${path}`;
      if (path.startsWith('dropped://')) return `files the sender dropped (${path})`;
      return `the files at ${path}`;
    }
  }
}

/** One URL a link proposes as a PUT destination: host and object key, the signature never shown. */
export interface ProposedPut {
  host: string;
  key: string;
  signed: boolean;
}

/** The hosts and keys of the PUT URLs a link carries (one per line), signatures redacted. */
export function proposedPuts(putUrls: string): ProposedPut[] {
  return putUrls.split(/\r?\n/).map((l) => l.trim().replace(/^PUT\s+/i, '')).filter((l) => l && !l.startsWith('#')).map((line) => {
    try {
      const info = parsePresignedUrl(line);
      const url = new URL(info.url);
      return { host: url.host, key: info.bucket && info.key ? `${info.bucket}/${info.key}` : decodeURIComponent(url.pathname), signed: info.signed };
    } catch {
      return { host: '(not a URL)', key: redactUrl(line), signed: false };
    }
  });
}

/** Where a link's target proposes to write, in words, e.g. `S3 bucket lake, key prefix out/` or `the workspace folder opfs://x`. */
export function describeProposal(spec: TargetSpec): string {
  switch (spec.type) {
    case 'download': return 'a download';
    case 's3': {
      const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(spec.location);
      return m ? `S3 bucket ${m[1]}, key prefix ${m[2] || '(none)'}` : `S3 at ${redactUrl(spec.location)}`;
    }
    case 'workspace': return `the workspace folder opfs://${spec.path.split('/').filter(Boolean).join('/')}${spec.table ? ` registered as the catalog table ${spec.database || 'default'}.${spec.table}` : ''}`;
  }
}

/** A trigger in one line: when it fires and what it starts. */
export function describeTrigger(t: Trigger): string {
  const when = t.Type === 'SCHEDULED' ? `on the schedule ${t.Schedule ?? '(none)'}`
    : t.Type === 'CONDITIONAL' ? `when ${(t.Predicate?.Conditions ?? []).map((c) => (c.JobName ? `job ${c.JobName} is ${c.State ?? 'SUCCEEDED'}` : `crawler ${c.CrawlerName ?? '?'} is ${c.CrawlState ?? 'SUCCEEDED'}`)).join(t.Predicate?.Logical === 'ANY' ? ' or ' : ' and ') || 'no condition'}`
      : 'on demand';
  const what = t.Actions.map((a) => {
    const args = Object.entries(a.Arguments ?? {}).map(([k, v]) => `${k} = ${v}`);
    return `${a.JobName ? `job ${a.JobName}` : `crawler ${a.CrawlerName ?? '?'}`}${args.length ? ` with ${args.join(', ')}` : ''}`;
  });
  return `${when} → ${what.join(', ') || 'nothing'}`;
}

/** A piece of text to show: plain text, or a visible mark standing for characters that would otherwise hide. */
export type Segment = { kind: 'text'; text: string } | { kind: 'mark'; text: string; title: string };

/** Horizontal whitespace runs at least this long are shown as a mark (shorter ones are ordinary spacing). */
export const SPACE_RUN = 4;
/** More consecutive line breaks than this are shown as a mark. */
export const BLANK_LINES = 2;

// Zero-width and direction-changing characters, and C0/C1 controls other than tab and line feed.
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/;
const HSPACE = /[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/;

/**
 * Split text for display so nothing in it can hide: runs of SPACE_RUN or more spaces or tabs become a mark
 * (`␣×400`), more than BLANK_LINES line breaks become one break and a mark, and invisible or direction-changing
 * characters become a mark naming their code point.
 */
export function visibleSegments(text: string): Segment[] {
  const out: Segment[] = [];
  let plain = '';
  const flush = () => { if (plain) out.push({ kind: 'text', text: plain }); plain = ''; };
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (HSPACE.test(ch)) {
      let j = i;
      while (j < text.length && HSPACE.test(text[j]!)) j++;
      const n = j - i;
      if (n >= SPACE_RUN) { flush(); out.push({ kind: 'mark', text: `␣×${n}`, title: `${n} spaces or tabs` }); } else plain += text.slice(i, j);
      i = j;
    } else if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
      let j = i;
      let lines = 0;
      while (j < text.length && (text[j] === '\n' || (text[j] === '\r' && text[j + 1] === '\n'))) { j += text[j] === '\r' ? 2 : 1; lines++; }
      if (lines > BLANK_LINES) { plain += '\n'; flush(); out.push({ kind: 'mark', text: `⏎×${lines}`, title: `${lines} line breaks` }); plain += '\n'; } else plain += '\n'.repeat(lines);
      i = j;
    } else if (INVISIBLE.test(ch)) {
      flush();
      const code = ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      out.push({ kind: 'mark', text: `U+${code}`, title: `an invisible character (U+${code})` });
      i++;
    } else {
      plain += ch;
      i++;
    }
  }
  flush();
  return out;
}
