/** Hive/Glue primitive type names (lowercase, as the Glue Data Catalog stores them). */
export const PRIMITIVES = ['string', 'bigint', 'int', 'smallint', 'tinyint', 'double', 'float', 'boolean', 'date', 'timestamp', 'binary'] as const;
export type PrimitiveName = (typeof PRIMITIVES)[number];

/**
 * A Glue/Hive column type. `choice` is the DynamicFrame type of a field whose records disagree
 * (it has no Hive spelling; rendered for the catalog via `renderCatalogType`). `null` is a field seen only as null.
 */
export type GlueType =
  | { kind: 'primitive'; name: PrimitiveName }
  | { kind: 'decimal'; precision: number; scale: number }
  | { kind: 'varchar' | 'char'; length: number }
  | { kind: 'struct'; fields: StructField[] }
  | { kind: 'array'; element: GlueType }
  | { kind: 'map'; key: GlueType; value: GlueType }
  | { kind: 'choice'; options: GlueType[] }
  | { kind: 'null' };

export interface StructField {
  name: string;
  type: GlueType;
}

/** Shorthand constructors. */
export const t = {
  string: { kind: 'primitive', name: 'string' } as GlueType,
  bigint: { kind: 'primitive', name: 'bigint' } as GlueType,
  int: { kind: 'primitive', name: 'int' } as GlueType,
  double: { kind: 'primitive', name: 'double' } as GlueType,
  boolean: { kind: 'primitive', name: 'boolean' } as GlueType,
  date: { kind: 'primitive', name: 'date' } as GlueType,
  timestamp: { kind: 'primitive', name: 'timestamp' } as GlueType,
  null: { kind: 'null' } as GlueType,
  decimal: (precision: number, scale: number): GlueType => ({ kind: 'decimal', precision, scale }),
  array: (element: GlueType): GlueType => ({ kind: 'array', element }),
  map: (key: GlueType, value: GlueType): GlueType => ({ kind: 'map', key, value }),
  struct: (fields: [string, GlueType][]): GlueType => ({ kind: 'struct', fields: fields.map(([name, type]) => ({ name, type })) }),
  choice: (options: GlueType[]): GlueType => ({ kind: 'choice', options }),
};

/** A problem in a type string, with the position it was found at. */
export class TypeParseError extends Error {
  constructor(message: string, readonly input: string, readonly position: number) {
    super(`${message} at position ${position} in "${input}"`);
    this.name = 'TypeParseError';
  }
}

const ALIASES: Record<string, PrimitiveName> = { integer: 'int', long: 'bigint', short: 'smallint', byte: 'tinyint', real: 'float', bool: 'boolean' };

/** Parse a Hive type string such as `struct<a:int,b:array<map<string,double>>>` (case-insensitive). */
export function parseType(input: string): GlueType {
  let pos = 0;
  const src = input;
  const ws = () => { while (pos < src.length && /\s/.test(src[pos]!)) pos++; };
  const expect = (ch: string) => {
    ws();
    if (src[pos] !== ch) throw new TypeParseError(`expected "${ch}"${pos < src.length ? ` but found "${src[pos]}"` : ' but the type ended'}`, src, pos);
    pos++;
  };
  const word = (): string => {
    ws();
    const start = pos;
    while (pos < src.length && /[A-Za-z0-9_]/.test(src[pos]!)) pos++;
    if (start === pos) throw new TypeParseError(pos < src.length ? `unexpected "${src[pos]}"` : 'a type is missing', src, pos);
    return src.slice(start, pos);
  };
  const fieldName = (): string => {
    ws();
    if (src[pos] === '`') {
      // Inside backquotes a doubled backquote is one backquote (Hive's escape), so any name round-trips.
      let name = '';
      let at = pos + 1;
      for (;;) {
        const end = src.indexOf('`', at);
        if (end < 0) throw new TypeParseError('unclosed backquote', src, pos);
        name += src.slice(at, end);
        if (src[end + 1] !== '`') { pos = end + 1; return name; }
        name += '`';
        at = end + 2;
      }
    }
    const start = pos;
    while (pos < src.length && !/[:<>,\s]/.test(src[pos]!)) pos++;
    if (start === pos) throw new TypeParseError('a field name is missing', src, pos);
    return src.slice(start, pos);
  };
  const int = (): number => {
    ws();
    const start = pos;
    while (pos < src.length && /[0-9]/.test(src[pos]!)) pos++;
    if (start === pos) throw new TypeParseError('expected a number', src, pos);
    return Number(src.slice(start, pos));
  };
  const type = (): GlueType => {
    const at = pos;
    const name = word().toLowerCase();
    switch (name) {
      case 'array': { expect('<'); const element = type(); expect('>'); return { kind: 'array', element }; }
      case 'map': { expect('<'); const key = type(); expect(','); const value = type(); expect('>'); return { kind: 'map', key, value }; }
      case 'struct': {
        expect('<');
        const fields: StructField[] = [];
        ws();
        if (src[pos] === '>') { pos++; return { kind: 'struct', fields }; }
        for (;;) {
          const fname = fieldName();
          expect(':');
          fields.push({ name: fname, type: type() });
          ws();
          if (src[pos] === ',') { pos++; continue; }
          expect('>');
          return { kind: 'struct', fields };
        }
      }
      case 'choice': {
        expect('<');
        const options = [type()];
        for (ws(); src[pos] === ','; ws()) { pos++; options.push(type()); }
        expect('>');
        return { kind: 'choice', options };
      }
      case 'decimal': case 'numeric': {
        ws();
        if (src[pos] !== '(') return { kind: 'decimal', precision: 10, scale: 0 };
        pos++;
        const precision = int();
        let scale = 0;
        ws();
        if (src[pos] === ',') { pos++; scale = int(); }
        expect(')');
        if (precision < 1 || precision > 38) throw new TypeParseError(`decimal precision must be 1..38, got ${precision}`, src, at);
        if (scale > precision) throw new TypeParseError(`decimal scale ${scale} exceeds precision ${precision}`, src, at);
        return { kind: 'decimal', precision, scale };
      }
      case 'varchar': case 'char': {
        expect('(');
        const length = int();
        expect(')');
        return { kind: name, length };
      }
      case 'void': case 'null': return { kind: 'null' };
      default: {
        const prim = (PRIMITIVES as readonly string[]).includes(name) ? (name as PrimitiveName) : ALIASES[name];
        if (!prim) throw new TypeParseError(`unknown type "${name}"`, src, at);
        return { kind: 'primitive', name: prim };
      }
    }
  };
  const result = type();
  ws();
  if (pos !== src.length) throw new TypeParseError(`unexpected "${src[pos]}"`, src, pos);
  return result;
}

const needsQuote = (name: string) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name);

/** Render a type as the Hive type string the Glue Data Catalog stores (choice is kept as `choice<...>`). */
export function renderType(type: GlueType): string {
  switch (type.kind) {
    case 'primitive': return type.name;
    case 'decimal': return `decimal(${type.precision},${type.scale})`;
    case 'varchar': case 'char': return `${type.kind}(${type.length})`;
    case 'array': return `array<${renderType(type.element)}>`;
    case 'map': return `map<${renderType(type.key)},${renderType(type.value)}>`;
    case 'struct': return `struct<${type.fields.map((f) => `${needsQuote(f.name) ? '`' + f.name.replace(/`/g, '``') + '`' : f.name}:${renderType(f.type)}`).join(',')}>`;
    case 'choice': return `choice<${type.options.map(renderType).join(',')}>`;
    case 'null': return 'void';
  }
}

/**
 * Render for a Glue catalog / Athena column, which has no choice or void type: a choice becomes the
 * type every option can be read as (string unless all options are numeric), void becomes string.
 */
export function renderCatalogType(type: GlueType): string {
  return renderType(toCatalogType(type));
}

/** Replace choice and null types by the catalog type that can hold every option. */
export function toCatalogType(type: GlueType): GlueType {
  switch (type.kind) {
    case 'null': return t.string;
    case 'choice': {
      const options = type.options.map(toCatalogType);
      return options.every(isNumeric) ? options.reduce((a, b) => widenNumeric(a, b)) : t.string;
    }
    case 'array': return { kind: 'array', element: toCatalogType(type.element) };
    case 'map': return { kind: 'map', key: toCatalogType(type.key), value: toCatalogType(type.value) };
    case 'struct': return { kind: 'struct', fields: type.fields.map((f) => ({ name: f.name, type: toCatalogType(f.type) })) };
    default: return type;
  }
}

/** Structural equality of two types. */
export function sameType(a: GlueType, b: GlueType): boolean {
  return renderType(a) === renderType(b);
}

const NUMERIC_RANK: Partial<Record<PrimitiveName, number>> = { tinyint: 1, smallint: 2, int: 3, bigint: 4, float: 6, double: 7 };

/** Whether a type is a number type (integers, floats, decimals). */
export function isNumeric(type: GlueType): boolean {
  return type.kind === 'decimal' || (type.kind === 'primitive' && NUMERIC_RANK[type.name] !== undefined);
}

function widenNumeric(a: GlueType, b: GlueType): GlueType {
  if (a.kind === 'decimal' && b.kind === 'decimal') {
    const scale = Math.max(a.scale, b.scale);
    const whole = Math.max(a.precision - a.scale, b.precision - b.scale);
    return whole + scale <= 38 ? t.decimal(whole + scale, scale) : t.double;
  }
  if (a.kind === 'decimal' || b.kind === 'decimal') {
    const other = a.kind === 'decimal' ? b : a;
    const dec = (a.kind === 'decimal' ? a : b) as Extract<GlueType, { kind: 'decimal' }>;
    const rank = other.kind === 'primitive' ? NUMERIC_RANK[other.name]! : 0;
    if (rank >= 6) return t.double;
    return widenNumeric(dec, t.decimal(rank === 4 ? 19 : 10, 0));
  }
  const ra = NUMERIC_RANK[(a as { name: PrimitiveName }).name]!;
  const rb = NUMERIC_RANK[(b as { name: PrimitiveName }).name]!;
  return ra >= rb ? a : b;
}

/**
 * Merge the types of one field seen in two records or files, as a crawler combining schemas does:
 * null yields to anything; numbers widen (int -> bigint -> double); date + timestamp -> timestamp;
 * structs merge field by field (union of fields); arrays and maps merge their element types;
 * anything else that disagrees becomes a choice (DynamicFrame semantics), never silently a string.
 */
export function mergeTypes(a: GlueType, b: GlueType): GlueType {
  if (a.kind === 'null') return b;
  if (b.kind === 'null') return a;
  if (sameType(a, b)) return a;
  if (a.kind === 'choice' || b.kind === 'choice') {
    let options = a.kind === 'choice' ? [...a.options] : [a];
    for (const o of b.kind === 'choice' ? b.options : [b]) options = addOption(options, o);
    return options.length === 1 ? options[0]! : { kind: 'choice', options };
  }
  if (isNumeric(a) && isNumeric(b)) return widenNumeric(a, b);
  const names = [a, b].map((x) => (x.kind === 'primitive' ? x.name : x.kind)).sort().join('+');
  if (names === 'date+timestamp') return t.timestamp;
  if ((a.kind === 'varchar' || a.kind === 'char' || (a.kind === 'primitive' && a.name === 'string')) &&
      (b.kind === 'varchar' || b.kind === 'char' || (b.kind === 'primitive' && b.name === 'string'))) return t.string;
  if (a.kind === 'struct' && b.kind === 'struct') {
    const fields = a.fields.map((f) => ({ ...f }));
    for (const f of b.fields) {
      const existing = fields.find((x) => x.name === f.name);
      if (existing) existing.type = mergeTypes(existing.type, f.type);
      else fields.push({ ...f });
    }
    return { kind: 'struct', fields };
  }
  if (a.kind === 'array' && b.kind === 'array') return { kind: 'array', element: mergeTypes(a.element, b.element) };
  if (a.kind === 'map' && b.kind === 'map') return { kind: 'map', key: mergeTypes(a.key, b.key), value: mergeTypes(a.value, b.value) };
  return { kind: 'choice', options: [a, b] };
}

function addOption(options: GlueType[], option: GlueType): GlueType[] {
  // Options of the same kind merge (two structs become one struct) so a choice never holds near-duplicates.
  const i = options.findIndex((o) => o.kind === option.kind && (o.kind !== 'primitive' || sameType(o, option) || (isNumeric(o) && isNumeric(option))));
  if (i < 0) return [...options, option];
  const merged = mergeTypes(options[i]!, option);
  return merged.kind === 'choice' ? [...options, option] : options.map((o, j) => (j === i ? merged : o));
}

/** The DuckDB SQL type for a Glue type (used when casting and when exporting DuckDB scripts). */
export function toDuckDBType(type: GlueType): string {
  switch (type.kind) {
    case 'primitive':
      return { string: 'VARCHAR', bigint: 'BIGINT', int: 'INTEGER', smallint: 'SMALLINT', tinyint: 'TINYINT', double: 'DOUBLE', float: 'FLOAT', boolean: 'BOOLEAN', date: 'DATE', timestamp: 'TIMESTAMP', binary: 'BLOB' }[type.name];
    case 'decimal': return `DECIMAL(${type.precision},${type.scale})`;
    case 'varchar': case 'char': return 'VARCHAR';
    case 'array': return `${toDuckDBType(type.element)}[]`;
    case 'map': return `MAP(${toDuckDBType(type.key)}, ${toDuckDBType(type.value)})`;
    case 'struct': return `STRUCT(${type.fields.map((f) => `"${f.name.replace(/"/g, '""')}" ${toDuckDBType(f.type)}`).join(', ')})`;
    case 'choice': return toDuckDBType(toCatalogType(type));
    case 'null': return 'VARCHAR';
  }
}
