/**
 * Glue column types against native DuckDB's types, for the real-file survey: both sides are brought to one
 * shape (`Ty`) and compared structurally, so `struct<a:bigint>` meets `STRUCT(a BIGINT)`.
 */
import { DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';
import { parseType, renderType, type GlueType } from '../../src/schema/types';

/** A type on either side: a kind plus its parts. */
export interface Ty {
  kind: string;
  fields?: { name: string; type: Ty }[];
  elem?: Ty;
  key?: Ty;
  value?: Ty;
  precision?: number;
  scale?: number;
  /** How the side wrote it (Glue's string, or DuckDB's type name). */
  raw: string;
}

/** Outcome of comparing one column, worst first in `VERDICT_ORDER`. */
export type Verdict = 'agree' | 'width' | 'no-glue-type' | 'decimal~double' | 'peer-undecided' | 'disagree';
export const VERDICT_ORDER: Verdict[] = ['agree', 'width', 'no-glue-type', 'decimal~double', 'peer-undecided', 'disagree'];

/** DuckDB types Glue has no counterpart for, and what Glue writes instead. */
const NO_GLUE_TYPE: Record<string, string[]> = { time: ['string', 'int', 'bigint'], interval: ['string'], geometry: ['binary', 'string'], variant: ['struct', 'string', 'binary'], union: ['struct', 'string'] };

const INT_FAMILY = new Set(['tinyint', 'smallint', 'int', 'bigint', 'hugeint', 'unsigned']);
const FLOAT_FAMILY = new Set(['float', 'double']);

/** A Glue type string (`struct<a:bigint,b:array<map<string,int>>>`, `decimal(10,2)`), read by Epoxy's own parser. */
export function parseGlueType(text: string): Ty {
  try {
    return fromGlue(parseType(text), text);
  } catch {
    return { kind: `unparsed:${text}`, raw: text };
  }
}

function fromGlue(g: GlueType, raw: string): Ty {
  switch (g.kind) {
    case 'primitive': return { kind: g.name, raw };
    case 'decimal': return { kind: 'decimal', precision: g.precision, scale: g.scale, raw };
    case 'varchar': case 'char': return { kind: 'string', raw };
    case 'struct': return { kind: 'struct', fields: g.fields.map((f) => ({ name: f.name, type: fromGlue(f.type, renderType(f.type)) })), raw };
    case 'array': return { kind: 'array', elem: fromGlue(g.element, renderType(g.element)), raw };
    case 'map': return { kind: 'map', key: fromGlue(g.key, renderType(g.key)), value: fromGlue(g.value, renderType(g.value)), raw };
    case 'choice': return { kind: 'choice', raw };
    case 'null': return { kind: 'null', raw };
  }
}

/** A DuckDB result column type as a `Ty`. */
export function fromDuckDb(t: DuckDBType): Ty {
  const raw = t.toString();
  const any = t as unknown as { alias?: string; entryNames?: string[]; entryTypes?: DuckDBType[]; valueType?: DuckDBType; keyType?: DuckDBType; width?: number; scale?: number };
  if (any.alias === 'JSON') return { kind: 'json', raw };
  switch (t.typeId) {
    case DuckDBTypeId.BOOLEAN: return { kind: 'boolean', raw };
    case DuckDBTypeId.TINYINT: return { kind: 'tinyint', raw };
    case DuckDBTypeId.SMALLINT: return { kind: 'smallint', raw };
    case DuckDBTypeId.INTEGER: return { kind: 'int', raw };
    case DuckDBTypeId.BIGINT: return { kind: 'bigint', raw };
    case DuckDBTypeId.HUGEINT: case DuckDBTypeId.UHUGEINT: case DuckDBTypeId.BIGNUM: return { kind: 'hugeint', raw };
    case DuckDBTypeId.UTINYINT: case DuckDBTypeId.USMALLINT: case DuckDBTypeId.UINTEGER: case DuckDBTypeId.UBIGINT: return { kind: 'unsigned', raw };
    case DuckDBTypeId.FLOAT: return { kind: 'float', raw };
    case DuckDBTypeId.DOUBLE: return { kind: 'double', raw };
    case DuckDBTypeId.DECIMAL: return { kind: 'decimal', precision: any.width, scale: any.scale, raw };
    case DuckDBTypeId.VARCHAR: case DuckDBTypeId.ENUM: return { kind: 'string', raw };
    case DuckDBTypeId.UUID: return { kind: 'uuid', raw };
    case DuckDBTypeId.BLOB: case DuckDBTypeId.BIT: return { kind: 'binary', raw };
    case DuckDBTypeId.DATE: return { kind: 'date', raw };
    case DuckDBTypeId.TIMESTAMP: case DuckDBTypeId.TIMESTAMP_S: case DuckDBTypeId.TIMESTAMP_MS: case DuckDBTypeId.TIMESTAMP_NS: return { kind: 'timestamp', raw };
    case DuckDBTypeId.TIMESTAMP_TZ: return { kind: 'timestamptz', raw };
    case DuckDBTypeId.TIME: case DuckDBTypeId.TIME_TZ: case DuckDBTypeId.TIME_NS: return { kind: 'time', raw };
    case DuckDBTypeId.INTERVAL: return { kind: 'interval', raw };
    case DuckDBTypeId.SQLNULL: return { kind: 'null', raw };
    case DuckDBTypeId.LIST: case DuckDBTypeId.ARRAY: return { kind: 'array', elem: fromDuckDb(any.valueType!), raw };
    case DuckDBTypeId.MAP: return { kind: 'map', key: fromDuckDb(any.keyType!), value: fromDuckDb(any.valueType!), raw };
    case DuckDBTypeId.STRUCT: return { kind: 'struct', fields: (any.entryNames ?? []).map((name, k) => ({ name, type: fromDuckDb(any.entryTypes![k]!) })), raw };
    case DuckDBTypeId.UNION: return { kind: 'union', raw };
    case DuckDBTypeId.GEOMETRY: return { kind: 'geometry', raw };
    case DuckDBTypeId.VARIANT: return { kind: 'variant', raw };
    default: return { kind: `duckdb:${raw}`, raw };
  }
}

/** One comparison: the verdict and, when not `agree`, what differs (`bigint vs DOUBLE`, at which nested path). */
export interface Comparison {
  verdict: Verdict;
  kind?: string;
  path?: string;
}

const worst = (a: Comparison, b: Comparison) => (VERDICT_ORDER.indexOf(b.verdict) > VERDICT_ORDER.indexOf(a.verdict) ? b : a);
const label = (g: Ty, d: Ty) => `${shortKind(g)} vs ${shortKind(d).toUpperCase()}`;
const shortKind = (t: Ty) => (t.kind === 'decimal' ? 'decimal' : t.kind);

/**
 * Compare a Glue type with DuckDB's. `width`: same family, other size (int vs BIGINT, float vs DOUBLE,
 * timestamp vs TIMESTAMP WITH TIME ZONE); `decimal~double`: one side decimal, the other a float (the money
 * rule); `no-glue-type`: DuckDB has a type Glue lacks (TIME, GEOMETRY, VARIANT...) and Epoxy wrote Glue's stand-in;
 * `peer-undecided`: DuckDB says JSON or NULL (it found no single type); anything else `disagree`.
 */
export function compareTypes(g: Ty, d: Ty, path = ''): Comparison {
  if (d.kind === 'json' || d.kind === 'null') return { verdict: 'peer-undecided', kind: label(g, d), path };
  if (g.kind === d.kind) {
    if (g.kind === 'decimal') return g.precision === d.precision && g.scale === d.scale ? { verdict: 'agree' } : { verdict: 'width', kind: `decimal(${g.precision},${g.scale}) vs DECIMAL(${d.precision},${d.scale})`, path };
    if (g.kind === 'array') return compareTypes(g.elem!, d.elem!, `${path}[]`);
    if (g.kind === 'map') return worst(compareTypes(g.key!, d.key!, `${path}{key}`), compareTypes(g.value!, d.value!, `${path}{value}`));
    if (g.kind === 'struct') {
      let out: Comparison = { verdict: 'agree' };
      const byName = new Map(d.fields!.map((f) => [f.name.toLowerCase(), f.type]));
      const gNames = new Set(g.fields!.map((f) => f.name.toLowerCase()));
      for (const f of g.fields!) {
        const other = byName.get(f.name.toLowerCase());
        out = worst(out, other ? compareTypes(f.type, other, `${path}.${f.name}`) : { verdict: 'disagree', kind: 'struct field only in Epoxy', path: `${path}.${f.name}` });
      }
      const extra = d.fields!.find((f) => !gNames.has(f.name.toLowerCase()));
      if (extra) out = worst(out, { verdict: 'disagree', kind: 'struct field only in DuckDB', path: `${path}.${extra.name}` });
      return out;
    }
    return { verdict: 'agree' };
  }
  if (INT_FAMILY.has(g.kind) && INT_FAMILY.has(d.kind)) return { verdict: 'width', kind: label(g, d), path };
  if (FLOAT_FAMILY.has(g.kind) && FLOAT_FAMILY.has(d.kind)) return { verdict: 'width', kind: label(g, d), path };
  if (g.kind === 'timestamp' && d.kind === 'timestamptz') return { verdict: 'width', kind: label(g, d), path };
  if ((g.kind === 'decimal' && FLOAT_FAMILY.has(d.kind)) || (FLOAT_FAMILY.has(g.kind) && d.kind === 'decimal')) return { verdict: 'decimal~double', kind: label(g, d), path };
  if (g.kind === 'string' && d.kind === 'uuid') return { verdict: 'agree' };
  // Glue has no unsigned integers: Spark's rule widens them (uint64 -> decimal(20,0)).
  if (d.kind === 'unsigned' && (INT_FAMILY.has(g.kind) || (g.kind === 'decimal' && g.scale === 0))) return { verdict: 'width', kind: `${g.raw} vs ${d.raw}`, path };
  if (NO_GLUE_TYPE[d.kind]?.includes(g.kind)) return { verdict: 'no-glue-type', kind: label(g, d), path };
  return { verdict: 'disagree', kind: label(g, d), path };
}
