import {
  Bool, Field, Float32, Float64, Int16, Int32, Int64, Int8, List, makeBuilder, Struct, Table, tableToIPC, Utf8,
  type Builder, type DataType, type Vector,
} from 'apache-arrow';
import { quoteIdent, quoteLiteral } from '../../engine/sql';
import { isNumeric, renderType, type GlueType, type StructField } from '../../schema/types';
import { stringifyExact } from '../../classifiers/json-exact';
import { choiceTag, frameDuckType } from '../duck-types';

/** A value a reader could not fit into its column: it becomes null and is reported. */
export interface ReadError {
  record: number;
  column: string;
  value: string;
  reason: string;
}

/**
 * The Arrow type a Glue type is staged as before it reaches DuckDB. Types apache-arrow builds awkwardly
 * from JSON (date, timestamp, decimal, binary, map) travel as text and DuckDB casts them afterwards;
 * a choice (at any depth) travels as a struct with one child per option and becomes a UNION in SQL.
 */
export function stagedArrowType(type: GlueType): DataType {
  switch (type.kind) {
    case 'primitive':
      switch (type.name) {
        case 'bigint': return new Int64();
        case 'int': return new Int32();
        case 'smallint': return new Int16();
        case 'tinyint': return new Int8();
        case 'double': return new Float64();
        case 'float': return new Float32();
        case 'boolean': return new Bool();
        default: return new Utf8();
      }
    case 'struct': return new Struct(type.fields.map((f) => new Field(f.name, stagedArrowType(f.type), true)));
    case 'array': return new List(new Field('item', stagedArrowType(type.element), true));
    case 'choice': return new Struct(type.options.map((o) => new Field(choiceTag(o), stagedArrowType(o), true)));
    default: return new Utf8();
  }
}

/** The type a column has once in DuckDB (maps and all-null fields are stored as text). */
export function storedType(type: GlueType): GlueType {
  switch (type.kind) {
    case 'choice': return { kind: 'choice', options: type.options.map(storedType) };
    case 'struct': return { kind: 'struct', fields: type.fields.map((f) => ({ name: f.name, type: storedType(f.type) })) };
    case 'array': return { kind: 'array', element: storedType(type.element) };
    case 'map': return { kind: 'primitive', name: 'string' };
    case 'null': return { kind: 'primitive', name: 'string' };
    default: return type;
  }
}

function hasChoice(type: GlueType): boolean {
  switch (type.kind) {
    case 'choice': return true;
    case 'struct': return type.fields.some((f) => hasChoice(f.type));
    case 'array': return hasChoice(type.element);
    default: return false;
  }
}

class Coercer {
  record = 0;
  errors: ReadError[] = [];
  errorCount = 0;
  readonly fields = new FieldLookup();
  /** XML leniency: an empty element is null, a single element where an array is expected is a one-item array. */
  constructor(private readonly lenient = false, private readonly maxErrors = 1000) {}

  fail(column: string, value: unknown, reason: string): null {
    this.errorCount++;
    if (this.errors.length < this.maxErrors) this.errors.push({ record: this.record, column, value: preview(value), reason });
    return null;
  }

  /** Fit a parsed JSON value to a staged type, or null (with an error when the value was not null). */
  value(v: unknown, type: GlueType, column: string): unknown {
    if (v === null || v === undefined) return null;
    if (this.lenient) {
      if (v === '') return null;
      if (type.kind === 'array' && !Array.isArray(v)) v = [v];
    }
    switch (type.kind) {
      case 'primitive':
        switch (type.name) {
          case 'bigint': case 'int': case 'smallint': case 'tinyint': {
            // Exact: digits in a string and bigints (parseJsonExact's integers beyond 2^53) never pass through a double.
            let n: bigint;
            if (typeof v === 'bigint') n = v;
            else if (typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v)) n = BigInt(v.trim());
            else if (typeof v === 'number' && Number.isInteger(v)) n = BigInt(v);
            else return this.fail(column, v, `not an integer (${type.name})`);
            const bits = { bigint: 64n, int: 32n, smallint: 16n, tinyint: 8n }[type.name];
            const limit = 2n ** (bits - 1n);
            if (n < -limit || n >= limit) return this.fail(column, v, `out of range for ${type.name}`);
            return bits === 64n ? n : Number(n);
          }
          case 'double': case 'float': {
            const n = typeof v === 'bigint' ? Number(v) : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
            return typeof n === 'number' ? n : this.fail(column, v, `not a number (${type.name})`);
          }
          case 'boolean':
            if (typeof v === 'boolean') return v;
            if (v === 'true' || v === 'false') return v === 'true';
            return this.fail(column, v, 'not a boolean');
          default:
            return typeof v === 'object' ? stringifyExact(v) : String(v);
        }
      case 'struct': {
        if (typeof v !== 'object' || Array.isArray(v)) return this.fail(column, v, 'not an object');
        const o = v as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (const f of type.fields) out[f.name] = this.value(this.fields.get(o, f.name), f.type, `${column}.${f.name}`);
        return out;
      }
      case 'array':
        if (!Array.isArray(v)) return this.fail(column, v, 'not an array');
        return v.map((x) => this.value(x, type.element, `${column}[]`));
      case 'choice': {
        const option = pickOption(v, type.options);
        if (!option) return this.fail(column, v, `matches none of ${renderType(type)}`);
        const out: Record<string, unknown> = {};
        for (const o of type.options) out[choiceTag(o)] = o === option ? this.value(v, o, column) : null;
        return out;
      }
      default:
        return typeof v === 'object' ? stringifyExact(v) : String(v);
    }
  }
}

/**
 * A record's field by its catalog name. The catalog lowercases names (Glue does) while files keep theirs
 * ("Species", "Beak Length (mm)"), so a field missing under its exact name is looked up case-insensitively,
 * as Hive's and the OpenX JSON SerDe do; the exact key wins when both exist. The key found last for a name
 * is tried first, so a file whose keys are all capitalised costs one extra lookup per field, not a key scan.
 */
export class FieldLookup {
  private readonly found = new Map<string, string>();

  /** The value of `name` in `o` (exact key, else the last key that matched, else a case-insensitive scan). */
  get(o: Record<string, unknown>, name: string): unknown {
    const own = Object.prototype.hasOwnProperty;
    const exact = o[name];
    if (exact !== undefined || own.call(o, name)) return exact;
    const known = this.found.get(name);
    if (known !== undefined && own.call(o, known)) return o[known];
    const lower = name.toLowerCase();
    for (const key in o) {
      if (key.toLowerCase() === lower && own.call(o, key)) {
        this.found.set(name, key);
        return o[key];
      }
    }
    return undefined;
  }
}

/** The choice option a JSON value belongs to (an integer prefers an integer option, then any number). */
function pickOption(v: unknown, options: GlueType[]): GlueType | undefined {
  const is = (o: GlueType, names: string[]) => o.kind === 'primitive' && names.includes(o.name);
  if (typeof v === 'number' || typeof v === 'bigint') {
    return (typeof v === 'bigint' || Number.isInteger(v) ? options.find((o) => is(o, ['bigint', 'int', 'smallint', 'tinyint'])) : undefined)
      ?? options.find((o) => is(o, ['double', 'float']) || o.kind === 'decimal')
      ?? options.find(isNumeric);
  }
  if (typeof v === 'string') return options.find((o) => is(o, ['string', 'date', 'timestamp']) || o.kind === 'varchar' || o.kind === 'char');
  if (typeof v === 'boolean') return options.find((o) => is(o, ['boolean']));
  if (Array.isArray(v)) return options.find((o) => o.kind === 'array');
  if (typeof v === 'object') return options.find((o) => o.kind === 'struct' || o.kind === 'map');
  return undefined;
}

function preview(v: unknown): string {
  const text = typeof v === 'string' ? v : stringifyExact(v);
  return text.length > 200 ? text.slice(0, 200) + '…' : text;
}

/** Builds Arrow record batches for a Glue schema from parsed JSON records. */
export class RecordBatcher {
  private readonly coercer: Coercer;
  private builders: Builder[] = [];
  private count = 0;

  private readonly scalarColumn: boolean;

  constructor(readonly schema: StructField[], opts: { lenient?: boolean } = {}) {
    this.coercer = new Coercer(opts.lenient ?? false);
    this.scalarColumn = schema.length === 1 && schema[0]!.name === 'col0';
    this.reset();
  }

  get errors(): ReadError[] { return this.coercer.errors; }
  get errorCount(): number { return this.coercer.errorCount; }
  get pending(): number { return this.count; }

  private reset(): void {
    this.builders = this.schema.map((f) => makeBuilder({ type: stagedArrowType(f.type), nullValues: [null, undefined] }));
    this.count = 0;
  }

  /**
   * Add one record (index is its position in the file, for error reports). A record that is not an
   * object (a file of scalars or arrays) is the value of the single column `col0`, as the classifier types it.
   */
  add(record: unknown, index: number): void {
    this.coercer.record = index;
    if (this.scalarColumn && (record === null || typeof record !== 'object' || Array.isArray(record))) record = { col0: record };
    const isObject = record !== null && typeof record === 'object' && !Array.isArray(record);
    if (!isObject) this.coercer.fail('(record)', record, 'a record must be a JSON object');
    const o = (isObject ? record : {}) as Record<string, unknown>;
    this.schema.forEach((f, i) => this.builders[i]!.append(this.coercer.value(this.coercer.fields.get(o, f.name), f.type, f.name)));
    this.count++;
  }

  /** A record that is not valid JSON still counts as a (null) row, and is reported. */
  addInvalid(text: string, index: number, reason: string): void {
    this.coercer.record = index;
    this.coercer.fail('(record)', text, reason);
  }

  /** The pending records as an Arrow IPC stream; the batcher starts over. */
  flush(): Uint8Array {
    const columns: Record<string, Vector> = {};
    this.schema.forEach((f, i) => { columns[f.name] = this.builders[i]!.finish().toVector(); });
    const table = new Table(columns);
    this.reset();
    return tableToIPC(table, 'stream');
  }
}

/**
 * The SELECT list turning a staged table into the stored frame types: text becomes date/timestamp/decimal
 * (TRY_CAST), and each choice struct becomes a DuckDB UNION of its options, at any depth.
 */
export function finalizeSelect(schema: StructField[]): string {
  return schema.map((f) => `${convert(quoteIdent(f.name), f.type, 0)} AS ${quoteIdent(f.name)}`).join(', ');
}

function convert(expr: string, type: GlueType, depth: number): string {
  const stored = storedType(type);
  if (!hasChoice(type)) return `TRY_CAST(${expr} AS ${frameDuckType(stored)})`;
  switch (type.kind) {
    case 'choice': {
      const union = frameDuckType(stored);
      const arms = type.options.map((o) => {
        const member = `struct_extract(${expr}, ${quoteLiteral(choiceTag(o))})`;
        return `WHEN ${member} IS NOT NULL THEN CAST(${convert(member, o, depth + 1)} AS ${union})`;
      });
      return `CASE ${arms.join(' ')} END`;
    }
    case 'struct':
      return `CASE WHEN ${expr} IS NULL THEN NULL ELSE struct_pack(${type.fields.map((f) => `${quoteIdent(f.name)} := ${convert(`struct_extract(${expr}, ${quoteLiteral(f.name)})`, f.type, depth + 1)}`).join(', ')}) END`;
    case 'array': {
      const x = `x${depth}`;
      return `list_transform(${expr}, lambda ${x}: ${convert(x, type.element, depth + 1)})`;
    }
    default:
      return `TRY_CAST(${expr} AS ${frameDuckType(stored)})`;
  }
}
