import { defineTransform } from './def';
import { str } from './text';
import { extraVar } from './def';
import { refuse } from './spark-kit';

export interface SpigotParams { topk?: number; prob?: number; seed?: number }

export default defineTransform<'Spigot', SpigotParams>({
  kind: 'Spigot',
  group: 'Rows',
  help: 'Pass everything through and keep a sample as a second output.',
  defaults: () => ({ topk: 100 }),
  form: [{ key: 'topk', label: 'Keep a sample of the first (records)', widget: 'number', min: 0 }],
  describe: (p) => `pass everything through and keep a sample${p.topk !== undefined ? ` of the first ${str(p.topk)}` : ''}${p.prob !== undefined ? ` with probability ${str(p.prob)}` : ''}`,
  duckdb(p, c) {
    const whole = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isInteger(v) && v >= 0);
    if (!whole(p.topk) || (p.seed !== undefined && !(typeof p.seed === 'number' && Number.isInteger(p.seed)))) { c.error('topk and seed must be whole numbers (topk from 0)'); return c.none(); }
    const seed = Math.trunc(p.seed ?? 0);
    let sample: string;
    if (p.prob !== undefined) {
      if (!(p.prob > 0 && p.prob <= 1)) { c.error('prob must be in (0, 1]'); return c.none(); }
      // A hash of the row id, not random(): the same input always yields the same sample.
      sample = `SELECT * FROM ${c.from} WHERE hash(rowid, ${seed}) % 1000000 < ${Math.round(p.prob * 1_000_000)} ORDER BY rowid`;
    } else {
      const k = Math.max(0, Math.trunc(p.topk ?? 100));
      sample = `SELECT * FROM ${c.from} ORDER BY rowid LIMIT ${k}`;
    }
    return c.result(`SELECT * FROM ${c.from}`, c.input.schema, [{ name: 'spigot', sql: sample, schema: c.input.schema }]);
  },
  spark(p, s) {
    if (p.prob !== undefined) refuse('Spigot with prob picks records by a DuckDB hash of their position, which Spark cannot reproduce; sample the first topk records instead');
    const k = Math.max(0, Math.trunc(p.topk ?? 100));
    return {
      lines: [
        `${s.id} = ${s.input}`,
        `${extraVar(s.id, 'spigot')} = ${s.input}.withColumn("__epoxy_pos", F.monotonically_increasing_id()).orderBy("__epoxy_pos").limit(${k}).drop("__epoxy_pos")`,
      ],
      extras: ['spigot'],
    };
  },
  examples: [{ title: 'a sample of ten cars', input: 'node_modules/vega-datasets/data/cars.json', params: { topk: 10 } }],
  docs: {
    tab: 'The output is the input; the second output `spigot` is the first topk records, or each record with probability prob (a hash of its position, so the same input gives the same sample).',
    spark: 'The input passed on; the first topk records in input order (monotonically_increasing_id) as the extra `${id}__spigot`.',
    glue: 'The PySpark body (Glue\'s Spigot writes the sample to S3 instead).',
    differences: 'A prob sample is refused in Spark: the tab picks records by a DuckDB hash of their position, which Spark cannot reproduce. The first topk follow the input order: A source of several files is read in Spark\'s order (it packs the larger files first), not the tab\'s file order.',
  },
});
