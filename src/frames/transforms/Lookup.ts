import { quoteIdent } from '../../engine/sql';
import { mergeTypes, renderType, type GlueType, type StructField } from '../../schema/types';
import { parsePath, renderPath } from '../paths';
import { getNode, renderNode, treeOf, typeOfNode } from '../tree';
import { defineTransform } from './def';
import { sparkPath } from './Intersect';
import { arr, obj, str } from './text';

export interface LookupKey { column: string; lookupColumn: string }
export interface LookupTake { column: string; as?: string }
/** `take` empty or unset: every lookup column that is not a lookup key and whose name the input does not have. */
export interface LookupParams { lookup: string; keys: LookupKey[]; take?: LookupTake[] }

/** The output name of a taken column: its `as`, else the names of its path (`a.b`). */
const takenName = (t: LookupTake): string => t.as || (() => { try { return parsePath(t.column).join('.'); } catch { return t.column; } })();

/** The lookup columns a step adds: given ones, or every non-key column the input does not already have. */
function takes(p: LookupParams, input: StructField[], lookup: StructField[]): { take: LookupTake[]; skipped: string[] } {
  if (p.take?.length) return { take: p.take, skipped: [] };
  const keys = new Set((p.keys ?? []).map((k) => { try { return parsePath(k.lookupColumn).join('.'); } catch { return k.lookupColumn; } }));
  const rest = lookup.filter((f) => !keys.has(f.name));
  return {
    take: rest.filter((f) => !input.some((x) => x.name === f.name)).map((f) => ({ column: renderPath([f.name]) })),
    skipped: rest.filter((f) => input.some((x) => x.name === f.name)).map((f) => f.name),
  };
}

/** Types both engines order the same way (records a key held twice come out ordered by them). */
const orderable = (t: GlueType): boolean => ['primitive', 'decimal', 'varchar', 'char'].includes(t.kind);

/** The type at a path of the lookup table, if it has one. */
function typeAt(schema: StructField[], path: string): GlueType | null {
  let parts: string[];
  try { parts = parsePath(path); } catch { return null; }
  const node = getNode(treeOf(schema), parts) ?? (parts.length > 1 ? getNode(treeOf(schema), [parts.join('.')]) : undefined);
  return node ? typeOfNode(node) : null;
}

export default defineTransform<'Lookup', LookupParams>({
  kind: 'Lookup',
  group: 'Combine',
  help: 'Add columns from a lookup table where its key columns match (a left join: unmatched records get NULLs).',
  side: 'lookup',
  defaults: (schema, others) => {
    const first = renderPath([schema[0]?.name ?? 'column']);
    return { lookup: others[0] ?? '', keys: [{ column: first, lookupColumn: first }], take: [] };
  },
  form: [
    { key: 'lookup', label: 'Lookup table', widget: 'side' },
    {
      key: 'keys', label: 'Lookup key columns to match', widget: 'list', addLabel: 'Add key', newItem: (schema) => ({ column: renderPath([schema[0]?.name ?? 'column']), lookupColumn: '' }),
      item: [
        { key: 'column', label: 'column', widget: 'column' },
        { key: 'lookupColumn', label: '= lookup column', widget: 'column', of: 'other' },
      ],
    },
    {
      key: 'take', label: 'Lookup columns to take (none: every other lookup column)', widget: 'list', addLabel: 'Add column to take', newItem: () => ({ column: '' }),
      item: [
        { key: 'column', label: 'lookup column', widget: 'column', of: 'other' },
        { key: 'as', label: 'as', widget: 'text', short: true, optional: true },
      ],
    },
  ],
  describe(p, inputs) {
    const on = arr(p.keys).map((k) => { const x = obj(k); return `${str(x['column'])} = ${str(x['lookupColumn']) || '?'}`; }).join(' and ') || 'no keys';
    const take = arr(p.take).map((t) => { const x = obj(t); return `${str(x['column'])}${x['as'] ? ` as ${str(x['as'])}` : ''}`; });
    return `add ${take.length ? take.join(', ') : 'the other columns'} of ${inputs[1] ?? (str(p.lookup) || 'the lookup table')} where ${on}`;
  },
  duckdb(p, c) {
    const lookup = c.other(p.lookup, 'look up in');
    if (!lookup) return c.none();
    if (!p.keys?.length) { c.error('add at least one key: a column of the input and the lookup column it matches'); return c.none(); }
    const l = treeOf(c.input.schema, null, 'l.');
    const r = treeOf(lookup, null, 'r.');
    // c.field would say "in the input": these paths are the lookup table's.
    const inLookup = (text: string) => {
      const parts = c.path(text);
      if (!parts) return null;
      const node = getNode(r, parts) ?? (parts.length > 1 ? getNode(r, [parts.join('.')]) : undefined);
      if (!node) c.error(`no field ${text} in the lookup table`, text);
      return node ?? null;
    };
    const on: string[] = [];
    for (const k of p.keys) {
      const a = c.field(l, k?.column);
      if (!k?.lookupColumn) { c.error(`choose the lookup column ${k?.column ?? 'the key'} matches`, k?.column); continue; }
      const b = inLookup(k.lookupColumn);
      if (!a || !b) continue;
      const ta = typeOfNode(a.node);
      const tb = typeOfNode(b);
      // Spark and DuckDB coerce a string compared with a number differently: ask for one type.
      if (mergeTypes(ta, tb).kind === 'choice') { c.error(`${k.column} is ${renderType(ta)} but the lookup column ${k.lookupColumn} is ${renderType(tb)}: cast one of them first`, k.column); continue; }
      on.push(`${renderNode(a.node)} = ${renderNode(b)}`);
    }
    const { take, skipped } = takes(p, c.input.schema, lookup);
    if (skipped.length) c.warn(`the input already has ${skipped.join(', ')}: not taken from the lookup table (take them with another name)`);
    const cols = ['l.*'];
    const schema = [...c.input.schema];
    for (const t of take) {
      if (!t?.column) { c.error('choose the lookup column to take'); continue; }
      const f = inLookup(t.column);
      if (!f) continue;
      const name = takenName(t);
      if (schema.some((x) => x.name === name)) { c.error(`the output already has a column ${name}: give the lookup column ${t.column} another name (as)`, t.column); continue; }
      cols.push(`${renderNode(f)} AS ${quoteIdent(name)}`);
      schema.push({ name, type: typeOfNode(f) });
    }
    if (!take.length && !c.failed()) c.warn('the lookup table has no other column to take');
    if (c.failed()) return c.none();
    // Input order; the records one input record gets from a key held twice, by their lookup values.
    const order = ['l.rowid', ...schema.slice(c.input.schema.length).filter((f) => orderable(f.type)).map((f) => `${quoteIdent(f.name)} NULLS LAST`)];
    return c.result(`SELECT ${cols.join(', ')} FROM ${c.from} AS l LEFT JOIN ${quoteIdent(p.lookup)} AS r ON ${on.join(' AND ')} ORDER BY ${order.join(', ')}`, schema);
  },
  spark(p, s) {
    const lookup = s.otherSchema ?? [];
    const { take } = takes(p, s.schema, lookup);
    const key = (i: number) => s.str(`__epoxy_lookup_k${i}`);
    const right = [
      ...p.keys.map((k, i) => `${sparkPath(s, parsePath(k.lookupColumn))}.alias(${key(i)})`),
      ...take.map((t) => `${sparkPath(s, parsePath(t.column))}.alias(${s.str(takenName(t))})`),
    ];
    const left = p.keys.map((k, i) => `.withColumn(${key(i)}, ${s.col(k.column)})`).join('');
    const names = p.keys.map((_, i) => key(i)).join(', ');
    // The join shuffles: sort back to the input order (ids taken before it), as the tab keeps it, so a Limit
    // after the Lookup keeps the same records.
    const seq = s.str('__epoxy_lookup_seq');
    const ties = take.map((t) => ({ name: takenName(t), type: typeAt(lookup, t.column) })).filter((x) => x.type && orderable(x.type)).map((x) => `${sparkPath(s, [x.name])}.asc_nulls_last()`);
    return { lines: [`${s.id} = ${s.input}${left}.withColumn(${seq}, F.monotonically_increasing_id()).join(${s.other ?? 'None'}.select(${right.join(', ')}), [${names}], "left").orderBy(${[`F.col(${seq})`, ...ties].join(', ')}).drop(${names}, ${seq})`] };
  },
  examples: [
    { title: 'each group member\'s age and height', input: 'node_modules/vega-datasets/data/lookup_groups.csv', other: 'node_modules/vega-datasets/data/lookup_people.csv', params: { lookup: '', keys: [{ column: 'person', lookupColumn: 'name' }], take: [{ column: 'age' }, { column: 'height', as: 'height_cm' }] } },
    { title: 'people with their group', input: 'node_modules/vega-datasets/data/lookup_people.csv', other: 'node_modules/vega-datasets/data/lookup_groups.csv', params: { lookup: '', keys: [{ column: 'name', lookupColumn: 'person' }] } },
  ],
  docs: {
    tab: 'A left join of the input with the lookup table on equal keys (NULL keys match nothing), adding the lookup columns to take (none given: every lookup column that is not a key and not already an input column); unmatched records get NULLs; records keep the input order. As in Glue, a key the lookup table holds more than once adds one record per match: make the keys unique in the lookup table (DropDuplicates) to keep one record per input record.',
    spark: 'DataFrame.join(how="left") on the key values, selecting the taken columns of the lookup frame, then sorted back to the input order (monotonically_increasing_id taken before the join).',
    glue: 'The PySpark body over the second input (Glue Studio\'s Lookup reads a catalog table; point the second input at it).',
    differences: 'Spark sorts back to the order its input frame holds (file order after a source read); after a step whose output order is unspecified in Spark (Intersect, Except, a Join), the records are the same but may come in another order.',
  },
});
