import { quoteIdent } from '../../engine/sql';
import { t, type StructField } from '../../schema/types';
import { leaves, treeOf, type Node } from '../tree';
import { defineTransform } from './def';
import type { ExtraOutput } from './kit';
import { literal } from './text';
import { extraVar } from './def';
import { py, sparkTree } from './spark-kit';

export interface RelationalizeParams { rootName?: string }

export default defineTransform<'Relationalize', RelationalizeParams>({
  kind: 'Relationalize',
  group: 'Nested',
  help: 'Flatten structs and move arrays into child tables joined by id.',
  defaults: () => ({ rootName: 'root' }),
  form: [{ key: 'rootName', label: 'Root table name', widget: 'text', short: true }],
  describe: (p) => `flatten into tables under ${literal(p.rootName ?? 'root')}`,
  duckdb(p, c) {
    const rootName = p.rootName ?? 'root';
    const KEY = '__epoxy_key';
    const extras: ExtraOutput[] = [];
    // Glue replaces each array by a key into a child table `<root>_<path>` of (id, index, <path>.val...);
    // arrays inside array elements recurse into grandchild tables keyed by the child row.
    const emit = (from: string, carry: { sql: string; name: string }[], tree: Node, prefix: string[], order: string): { sql: string; schema: StructField[] } => {
      const cols = carry.map((x) => `${x.sql} AS ${quoteIdent(x.name)}`);
      const schema: StructField[] = carry.map((x) => ({ name: x.name, type: t.bigint }));
      for (const l of leaves(tree)) {
        const name = [...prefix, ...l.path].join('.');
        if (l.node.type.kind !== 'array') {
          cols.push(`${l.node.expr} AS ${quoteIdent(name)}`);
          schema.push({ name, type: l.node.type });
          continue;
        }
        cols.push(`CASE WHEN ${l.node.expr} IS NULL THEN NULL ELSE ${KEY} END AS ${quoteIdent(name)}`);
        schema.push({ name, type: t.bigint });
        const element = l.node.type.element;
        const unnested = `SELECT ${KEY} AS id, unnest(generate_series(0, len(${l.node.expr}) - 1)) AS "index", unnest(${l.node.expr}) AS v FROM (${from}) WHERE ${l.node.expr} IS NOT NULL`;
        const childFrom = `SELECT *, row_number() OVER (ORDER BY id, "index") AS ${KEY} FROM (${unnested})`;
        const valueTree: Node = element.kind === 'struct' ? treeOf(element.fields, 'v') : { kind: 'leaf', expr: 'v', type: element };
        const child = emit(childFrom, [{ sql: 'id', name: 'id' }, { sql: '"index"', name: 'index' }], valueTree, [name, 'val'], 'id, "index"');
        extras.push({ name: `${rootName}_${name}`, sql: child.sql, schema: child.schema });
      }
      return { sql: `SELECT ${cols.join(', ')} FROM (${from}) ORDER BY ${order}`, schema };
    };
    const root = emit(`SELECT *, rowid + 1 AS ${KEY} FROM ${c.from}`, [], c.tree(), [], KEY);
    // Children were pushed depth first; list them parent before child, as Glue's collection does.
    extras.sort((a, b) => a.name.split('.').length - b.name.split('.').length);
    return c.result(root.sql, root.schema, extras);
  },
  spark(p, s) {
    const rootName = p.rootName ?? 'root';
    const KEY = py('__epoxy_key');
    const lines: string[] = [];
    const extras: string[] = [];
    let n = 0;
    // As the tab: each array leaf becomes the record's key and a child table of (id, index, <path>.val...),
    // keyed in turn by its rows in (id, index) order; the root's key is the record's position, from 1.
    const emit = (from: string, carry: string[], tree: Node, prefix: string[], order: string, out: string): void => {
      const cols = carry.map((c) => `F.col(${py(c)}).cast("bigint").alias(${py(c)})`);
      for (const l of leaves(tree)) {
        const name = [...prefix, ...l.path].join('.');
        if (l.node.type.kind !== 'array') { cols.push(`${l.node.expr}.alias(${py(name)})`); continue; }
        cols.push(`F.when(${l.node.expr}.isNull(), F.lit(None)).otherwise(F.col(${KEY})).cast("bigint").alias(${py(name)})`);
        const child = `${s.id}__from${++n}`;
        lines.push(`${child} = ${from}.where(${l.node.expr}.isNotNull()).select(F.col(${KEY}).alias("id"), F.posexplode(${l.node.expr}).alias("index", "v")).withColumn(${KEY}, F.row_number().over(Window.orderBy("id", "index")))`);
        const element = l.node.type.element;
        const valueTree: Node = element.kind === 'struct' ? sparkTree(element.fields, 'F.col("v")') : { kind: 'leaf', expr: 'F.col("v")', type: element };
        const table = `${rootName}_${name}`;
        extras.push(table);
        emit(child, ['id', 'index'], valueTree, [name, 'val'], '"id", "index"', extraVar(s.id, table));
      }
      lines.push(`${out} = ${from}.orderBy(${order}).select(${cols.join(', ')})`);
    };
    lines.push(`${s.id}__from0 = ${s.input}.withColumn("__epoxy_pos", F.monotonically_increasing_id()).withColumn(${KEY}, F.row_number().over(Window.orderBy("__epoxy_pos")))`);
    emit(`${s.id}__from0`, [], sparkTree(s.schema), [], KEY, s.id);
    extras.sort((a, b) => a.split('.').length - b.split('.').length);
    return { lines, extras };
  },
  examples: [{ title: 'the characters of Les Misérables', input: 'node_modules/vega-datasets/data/miserables.json', params: { rootName: 'root' } }],
  docs: {
    tab: 'Structs are flattened (a.b); each array becomes a key into a child table `<root>_<path>` of (id, index, <path>.val…), recursively; the child tables are extra outputs.',
    spark: 'The tab\'s tables: the root keyed by the record\'s position from 1 (row_number over monotonically_increasing_id), each array a posexplode into a child table (id, index, <path>.val…) keyed by row_number over (id, index), recursively; child tables are the extras `${id}__<root>_<path>`.',
    glue: 'The PySpark body: the root and every child table as DataFrames, named as the tab names them (Glue\'s Relationalize.apply would stage them under --TempDir).',
    differences: 'Keys are positions in the frame the step reads: after a shuffle Spark\'s order is not the tab\'s (the same tables, other key values). A source of several files is read in Spark\'s order (it packs the larger files first), not the tab\'s file order.',
  },
});
