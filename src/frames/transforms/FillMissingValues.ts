import { quoteIdent, quoteLiteral } from '../../engine/sql';
import { isNumeric, renderType, t } from '../../schema/types';
import { frameDuckType } from '../duck-types';
import { renderPath } from '../paths';
import { renderNode, typeOfNode } from '../tree';
import { defineTransform } from './def';
import { literal, str } from './text';
import { fieldAt, py, refuse, sparkCast, sparkNode, sparkTree, sparkTypeOf } from './spark-kit';

export interface FillMissingValuesParams { path: string; strategy: 'mean' | 'median' | 'mode' | 'constant'; value?: string | number; output?: string }

export default defineTransform<'FillMissingValues', FillMissingValuesParams>({
  kind: 'FillMissingValues',
  group: 'Columns',
  help: 'Add <column>_filled with nulls replaced by the mean, median, mode or a constant.',
  defaults: (schema) => ({ path: renderPath([schema.find((f) => isNumeric(f.type))?.name ?? schema[0]?.name ?? 'column']), strategy: 'mean' }),
  form: [
    { key: 'path', label: 'Column to fill', widget: 'column' },
    { key: 'strategy', label: 'Strategy', widget: 'select', options: ['mean', 'median', 'mode', 'constant'] },
    { key: 'value', label: 'Constant', widget: 'text', when: (p) => p['strategy'] === 'constant' },
    { key: 'output', label: 'Output column', widget: 'text', optional: true, placeholder: '<column>_filled' },
  ],
  describe: (p) => `fill nulls of ${str(p.path)} with the ${p.strategy === 'constant' ? `value ${literal(p.value)}` : str(p.strategy)} into ${str(p.output ?? `${str(p.path)}_filled`)}`,
  duckdb(p, c) {
    const root = c.tree();
    const f = c.field(root, p.path);
    if (!f) return c.none();
    const type = typeOfNode(f.node);
    const expr = renderNode(f.node);
    const output = p.output || `${f.parts.at(-1)}_filled`;
    if (c.input.schema.some((x) => x.name === output)) { c.error(`a column ${output} already exists`, output); return c.none(); }
    let fill: string;
    let outType = type;
    switch (p.strategy) {
      case 'mean': case 'median':
        if (!isNumeric(type)) { c.error(`${p.strategy} needs a numeric column; ${p.path} is ${renderType(type)}`, p.path); return c.none(); }
        outType = t.double;
        fill = `coalesce(CAST(${expr} AS DOUBLE), ${p.strategy === 'mean' ? 'avg' : 'quantile_cont'}(CAST(${expr} AS DOUBLE)${p.strategy === 'median' ? ', 0.5' : ''}) OVER ())`;
        break;
      case 'mode':
        fill = `coalesce(${expr}, mode(${expr}) OVER ())`;
        break;
      case 'constant':
        if (p.value === undefined) { c.error('constant needs a value', p.path); return c.none(); }
        fill = `coalesce(${expr}, TRY_CAST(${quoteLiteral(String(p.value))} AS ${frameDuckType(type)}))`;
        break;
      default:
        c.error(`unknown strategy ${String(p.strategy)}`, p.path);
        return c.none();
    }
    return c.result(`SELECT *, ${fill} AS ${quoteIdent(output)} FROM ${c.from} ORDER BY rowid`, [...c.input.schema, { name: output, type: outType }]);
  },
  spark(p, s) {
    const f = fieldAt(sparkTree(s.schema), p.path);
    const type = typeOfNode(f.node);
    const x = sparkNode(f.node);
    const output = p.output || `${f.parts.at(-1)}_filled`;
    if (s.schema.some((c) => c.name === output)) refuse(`a column ${output} already exists`);
    const v = `${s.id}__fill`;
    const lines: string[] = [];
    let fill: string;
    switch (p.strategy) {
      case 'mean': case 'median': {
        if (!isNumeric(type)) refuse(`${p.strategy} needs a numeric column; ${p.path} is ${renderType(type)}`);
        const d = `${x}.cast("double")`;
        // DuckDB's quantile_cont is the exact interpolated percentile: Spark's percentile, not percentile_approx.
        lines.push(`${v} = ${s.input}.agg(${p.strategy === 'mean' ? `F.avg(${d})` : `F.percentile(${d}, F.lit(0.5))`}).first()[0]`);
        fill = `F.coalesce(${d}, F.lit(${v}).cast("double"))`;
        break;
      }
      case 'mode':
        if (type.kind !== 'primitive' && type.kind !== 'decimal' && type.kind !== 'varchar' && type.kind !== 'char') refuse(`mode of ${p.path} (${renderType(type)}): Spark can fill with the mode of a plain column only`);
        s.helper('_mode', [
          'def _mode(df, col):',
          '    """The most frequent non-null value of col; among equally frequent values the one met first (as DuckDB\'s mode)."""',
          '    counted = df.select(col.alias("v"), F.monotonically_increasing_id().alias("p")).where(F.col("v").isNotNull())',
          '    top = counted.groupBy("v").agg(F.count(F.lit(1)).alias("n"), F.min("p").alias("p")).orderBy(F.desc("n"), F.asc("p")).limit(1).collect()',
          '    return top[0][0] if top else None',
        ]);
        lines.push(`${v} = _mode(${s.input}, ${x})`);
        fill = `F.coalesce(${x}, F.lit(${v}).cast(${py(sparkTypeOf(type))}))`;
        break;
      case 'constant':
        if (p.value === undefined) refuse('constant needs a value');
        fill = `F.coalesce(${x}, ${sparkCast(`F.lit(${s.value(String(p.value))})`, t.string, type)})`;
        break;
      default:
        return refuse(`unknown strategy ${String(p.strategy)}`);
    }
    lines.push(`${s.id} = ${s.input}.withColumn(${py(output)}, ${fill})`);
    return { lines };
  },
  examples: [{ title: 'missing horsepower filled with the mean', input: 'node_modules/vega-datasets/data/cars.json', params: { path: 'Horsepower', strategy: 'mean' } }, { title: 'missing miles per gallon filled with a constant', input: 'node_modules/vega-datasets/data/cars.json', params: { path: 'Miles_per_Gallon', strategy: 'constant', value: 0 } }],
  docs: {
    tab: 'Adds `<column>_filled`: the column with nulls replaced by the mean or median (as double), the mode, or a constant cast to the column\'s type.',
    spark: 'The statistic computed with one aggregate first (mean: avg; median: the exact percentile(0.5), DuckDB\'s quantile_cont; mode: the most frequent value, ties to the one met first in input order; constant: the text cast to the column\'s type), then coalesce.',
    glue: 'The PySpark body (Glue\'s FillMissingValues is an ML imputation that predicts values instead).',
    differences: 'mode of a struct, array or map column is refused in Spark. The median of doubles may differ in the last digit (interpolation formula).',
  },
});
