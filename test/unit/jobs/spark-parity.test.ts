// Every transform kind's examples run in the tab and on local Spark (the PySpark export) with the same output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';
import { allExampleJobs } from '../../support/examples';
import { expectSparkParity, startSpark, type SparkRunner } from '../../support/spark-parity';

let engine: Engine;
let spark: SparkRunner;
beforeAll(async () => {
  [engine, spark] = await Promise.all([createNodeEngine(), startSpark()]);
}, 180_000);
afterAll(async () => { await spark?.close(); });

const ONLY = process.env['EPOXY_PARITY_KINDS']?.split(',');

/** Examples Spark cannot compute the same way: the export refuses them, naming the construct (documented in the kind's docs). */
const REFUSED: Record<string, RegExp> = {
  'ResolveChoice: movie titles split by type': /make_cols on Title: plain Spark has no choice type/,
};

describe('Spark parity of every transform kind\'s examples', () => {
  for (const ex of allExampleJobs()) {
    if (ONLY && !ONLY.includes(ex.kind)) continue;
    it(`${ex.kind}: ${ex.title}`, async () => {
      const refused = REFUSED[`${ex.kind}: ${ex.title}`];
      if (refused) {
        await expect(expectSparkParity(spark, engine, ex.job, { sources: ex.files })).rejects.toThrow(refused);
        return;
      }
      const counts = await expectSparkParity(spark, engine, ex.job, { sources: ex.files, extras: ['step'] });
      expect(counts['out']).toBeGreaterThan(0);
    }, 180_000);
  }
});
