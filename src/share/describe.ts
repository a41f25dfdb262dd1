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

import { transformOf } from '../frames/transforms';
import { literal, obj, str } from '../frames/transforms/text';

export { literal };

export { describePredicate } from '../frames/transforms/predicate';

/**
 * One line saying what a step does, e.g. `Filter: region = 'EU' and amount > 5` or
 * `ApplyMapping: order_id → id (bigint)`. SQL text is not repeated here: the review shows each fragment in full.
 */
export function describeStep(step: Step, inputs: string[] = []): string {
  const p = obj(step.params);
  const def = transformOf(str(step.kind));
  const body = def ? def.describe(p, inputs) : 'an unknown step';
  return `${step.kind}: ${body}${def?.canFail ? thresholds(p) : ''}`;
}

function thresholds(p: Record<string, unknown>): string {
  const t = [p['stageThreshold'] !== undefined ? `at most ${str(p['stageThreshold'])} error records here` : '', p['totalThreshold'] !== undefined ? `at most ${str(p['totalThreshold'])} in the run` : ''].filter(Boolean);
  return t.length ? ` (${t.join(', ')})` : '';
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
