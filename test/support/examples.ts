/**
 * Every transform kind's worked examples (the `examples` of src/frames/transforms/<Kind>.ts) as runnable jobs:
 * the example's file(s) as sources, its step, and a Parquet download target — what the parity suites run in the
 * tab, on native DuckDB and on Spark.
 */
import { resolve } from 'node:path';
import { TRANSFORMS } from '../../src/frames/transforms';
import type { TransformExample } from '../../src/frames/transforms/def';
import type { Step } from '../../src/frames/steps';
import type { JobDefinition } from '../../src/jobs/model';

export interface ExampleJob {
  kind: string;
  title: string;
  job: JobDefinition;
  /** Absolute paths of the source files, by source node id. */
  files: Record<string, string>;
}

/** One example as a job `src → step → out` (two-input kinds: `src` and `other`). */
export function exampleJob(kind: string, e: TransformExample<unknown>, i = 0): ExampleJob {
  const files: Record<string, string> = { src: resolve(e.input) };
  if (e.other) files['other'] = resolve(e.other);
  const step = { id: 'step', kind, params: e.params } as Step;
  const job: JobDefinition = {
    version: 1, name: `${kind.toLowerCase()}_${i + 1}`, bookmark: 'job-bookmark-disable', parameters: [],
    nodes: [
      ...Object.entries(files).map(([id, path]) => ({ id, kind: 'source' as const, source: { type: 'file' as const, path } })),
      { id: 'step', kind: 'transform', inputs: Object.keys(files), step },
      { id: 'out', kind: 'target', inputs: ['step'], target: { type: 'download', name: 'out', format: 'parquet' } },
    ],
  };
  return { kind, title: e.title, job, files };
}

/** Every example of every kind, in registry order. */
export function allExampleJobs(): ExampleJob[] {
  return TRANSFORMS.flatMap((d) => (d.examples as TransformExample<unknown>[]).map((e, i) => exampleJob(d.kind, e, i)));
}
