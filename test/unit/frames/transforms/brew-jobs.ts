/** The DataBrew kinds' examples and hand-made edge cases as one job, run by the Spark and native DuckDB parity tests. */
import { resolve } from 'node:path';
import { transformOf } from '../../../../src/frames/transforms';
import type { ExportSource } from '../../../../src/jobs/export-duckdb';
import type { JobDefinition, JobNode } from '../../../../src/jobs/model';

const KINDS = ['Trim', 'ChangeCase', 'ReplaceText', 'Substring', 'DatePart', 'Round'];

/**
 * Hand-made edge cases over test/fixtures/brew/edge.json (NULL structs, tabs, regex escapes, ties, ISO text that
 * is not), as chains of steps (one target each, to keep the Spark run short).
 */
type Edge = { kind: string; params: Record<string, unknown> };
const EDGES: { title: string; steps: Edge[] }[] = [
  { title: 'trim both ends, a nested field and a flattened `geo.city` column too', steps: [{ kind: 'Trim', params: { paths: ['name', 'address.city', 'geo.city'] } }] },
  { title: 'trim leading and trailing', steps: [{ kind: 'Trim', params: { paths: ['name'], side: 'leading' } }, { kind: 'Trim', params: { paths: ['address.city'], side: 'trailing' } }] },
  { title: 'capital case, nested', steps: [{ kind: 'ChangeCase', params: { paths: ['name', 'address.city'], case: 'capital' } }] },
  { title: 'sentence case, nested', steps: [{ kind: 'ChangeCase', params: { paths: ['name', 'address.city'], case: 'sentence' } }] },
  { title: 'replace and substring: literal regex characters, $ and \\, \\E, groups, $10, unicode, nested', steps: [
    { kind: 'ReplaceText', params: { path: 'name', pattern: '.', value: '$1\\', output: 'r1' } },
    { kind: 'ReplaceText', params: { path: 'name', pattern: '\\c', value: '\\E$', output: 'r2' } },
    { kind: 'ReplaceText', params: { path: 'name', pattern: '([A-Za-z])([a-z]+)', value: '$2$1\\1$', regex: true, output: 'r3' } },
    { kind: 'ReplaceText', params: { path: 'iso', pattern: '([0-9])', value: '$10', regex: true, output: 'r4' } },
    { kind: 'ReplaceText', params: { path: 'address.city', pattern: '\\s+', value: '_', regex: true } },
    { kind: 'Substring', params: { path: 'name', start: 17, length: 3, output: 'cut' } },
    { kind: 'Substring', params: { path: 'address.city', start: 2 } },
    { kind: 'ChangeCase', params: { paths: ['name'], case: 'lower' } },
  ] },
  { title: 'every date part of ISO text and of timestamp text', steps: (['year', 'quarter', 'month', 'day', 'weekday', 'day_of_year', 'week_of_year', 'hour', 'minute', 'second'] as const)
    .flatMap((part) => [{ kind: 'DatePart', params: { path: 'iso', part, output: `${part}_iso` } }, { kind: 'DatePart', params: { path: 'at', part, output: `${part}_at` } }]) },
  { title: 'round, floor and ceil to 0, 1 and 2 decimals', steps: (['round', 'floor', 'ceil'] as const)
    .flatMap((mode) => [0, 1, 2].map((decimals) => ({ kind: 'Round', params: { path: 'amount', mode, decimals, output: `${mode}_${decimals}` } }))) },
];

/** Every example of the DataBrew kinds (unless `withExamples` is false) and the edge cases as one job (one Spark start for all): a source per file, a Parquet target per example. */
export function examplesJob(withExamples = true): { job: JobDefinition; targets: { title: string; path: string }[]; sources: Record<string, ExportSource> } {
  const nodes: JobNode[] = [];
  const sources: Record<string, ExportSource> = {};
  const targets: { title: string; path: string }[] = [];
  const sourceOf = (input: string) => {
    const id = `src_${input.replace(/^.*\//, '').replace(/[^A-Za-z0-9]+/g, '_')}`;
    if (!sources[id]) {
      const location = resolve(input);
      const format = input.endsWith('.json') ? 'json' as const : 'csv' as const;
      sources[id] = { location, format };
      nodes.push({ id, kind: 'source', source: { type: 'file', path: location, format } });
    }
    return id;
  };
  for (const kind of withExamples ? KINDS : []) {
    transformOf(kind)!.examples.forEach((ex, i) => {
      const id = `${kind.toLowerCase()}_${i}`;
      nodes.push({ id, kind: 'transform', inputs: [sourceOf(ex.input)], step: { id, kind, params: ex.params } as never });
      nodes.push({ id: `${id}_out`, kind: 'target', inputs: [id], target: { type: 'workspace', path: `brew/${id}`, format: 'parquet' } });
      targets.push({ title: `${kind}: ${ex.title}`, path: `brew/${id}` });
    });
  }
  EDGES.forEach((e, i) => {
    let input = sourceOf('test/fixtures/brew/edge.json');
    e.steps.forEach((step, j) => {
      const id = `edge_${i}_${j}`;
      nodes.push({ id, kind: 'transform', inputs: [input], step: { id, kind: step.kind, params: step.params } as never });
      input = id;
    });
    nodes.push({ id: `edge_${i}_out`, kind: 'target', inputs: [input], target: { type: 'workspace', path: `brew/edge_${i}`, format: 'parquet' } });
    targets.push({ title: `edge cases: ${e.title}`, path: `brew/edge_${i}` });
  });
  return { job: { version: 1, name: 'brew_examples', bookmark: 'job-bookmark-disable', parameters: [], nodes }, targets, sources };
}

