import { mergeTypes, t, type GlueType } from '../schema/types';
import { Cell, DateFamily, scanCell, scanned } from './infer';

/**
 * Structural type inference for parsed records (JSON, XML): accumulate the shape of every value
 * seen at each position, then decide types once, so that rare fields, nulls and map-like objects
 * are judged on all records together. Rules: docs/classifiers.md ("Nested data").
 */

/** Objects with at least this many distinct keys (over all records) can be maps. */
export const MAP_MIN_KEYS = 20;
/** ... when an average object holds at most this share of the distinct keys (keys are data, not fields). */
export const MAP_MAX_COVERAGE = 0.5;
/** Values nested deeper than this are typed `string` (bounded recursion on hostile input). */
export const MAX_DEPTH = 64;

interface ObjShape { count: number; keysSeen: number; fields: Map<string, Shape> }

/** Stands for a fractional number whose text form was typed already (XML leaves). */
export const FLOAT: unique symbol = Symbol('float');

/** What was seen at one position of the records. */
export interface Shape {
  nulls: number;
  bools: number;
  ints: number;
  /** Integers beyond 64 bits (exact bigints from parseJsonExact): decimal(38,0), or double past 38 digits. */
  wideInts: number;
  /** Integers beyond 38 digits. */
  hugeInts: number;
  floats: number;
  strings: number;
  isoDates: number;
  isoStamps: number;
  obj: ObjShape | null;
  arr: Shape | null;
  /** Types given directly (e.g. XML text typed by the text rules). */
  other: GlueType | null;
}

const INT64_MIN = -(2n ** 63n), INT64_MAX = 2n ** 63n - 1n, DEC38 = 10n ** 38n;

/** An empty shape. */
export function newShape(): Shape {
  return { nulls: 0, bools: 0, ints: 0, wideInts: 0, hugeInts: 0, floats: 0, strings: 0, isoDates: 0, isoStamps: 0, obj: null, arr: null, other: null };
}

/**
 * Add one parsed JSON value to a shape. Parse with `parseJsonExact(text, { fraction: FLOAT })` so that
 * `10.0` counts as a fraction and integers beyond 2^53 arrive as exact bigints.
 */
export function addValue(shape: Shape, value: unknown, depth = 0): void {
  if (value === null || value === undefined) { shape.nulls++; return; }
  switch (typeof value) {
    case 'boolean': shape.bools++; return;
    case 'number': if (Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER * 1024) shape.ints++; else shape.floats++; return;
    case 'bigint':
      if (value >= INT64_MIN && value <= INT64_MAX) shape.ints++;
      else if (value > -DEC38 && value < DEC38) shape.wideInts++;
      else shape.hugeInts++;
      return;
    case 'symbol': shape.floats++; return;
    case 'string': {
      shape.strings++;
      // Only full ISO forms count: JSON SerDes read them as date/timestamp; other spellings stay strings.
      if (value.length >= 10 && value.length <= 40) {
        const kind = scanCell(value, 0, value.length);
        if (scanned.family === DateFamily.Iso && kind === Cell.Date) shape.isoDates++;
        else if (scanned.family === DateFamily.Iso && kind === Cell.Timestamp) shape.isoStamps++;
      }
      return;
    }
  }
  if (depth >= MAX_DEPTH) { shape.strings++; return; }
  if (Array.isArray(value)) {
    const el = (shape.arr ??= newShape());
    for (const v of value) addValue(el, v, depth + 1);
    if (value.length === 0) el.nulls++;
    return;
  }
  if (typeof value === 'object') {
    const obj = (shape.obj ??= { count: 0, keysSeen: 0, fields: new Map() });
    obj.count++;
    for (const key of Object.keys(value as object)) {
      let f = obj.fields.get(key);
      if (!f) obj.fields.set(key, (f = newShape()));
      obj.keysSeen++;
      addValue(f, (value as Record<string, unknown>)[key], depth + 1);
    }
    return;
  }
  shape.strings++;
}

/** Add a value whose type is already known (e.g. XML text typed by the text rules). */
export function addType(shape: Shape, type: GlueType): void {
  shape.other = shape.other ? mergeTypes(shape.other, type) : type;
}

/** Decide the type of a shape. Disagreeing kinds become a choice (never silently a string). */
export function shapeType(shape: Shape): GlueType {
  let type: GlueType = t.null;
  if (shape.bools) type = mergeTypes(type, t.boolean);
  // As in CSV: integers too wide for bigint are decimal(38,0) while they fit 38 digits; a fraction makes it double.
  if (shape.ints || shape.wideInts || shape.hugeInts || shape.floats) {
    type = mergeTypes(type, shape.floats || shape.hugeInts ? t.double : shape.wideInts ? t.decimal(38, 0) : t.bigint);
  }
  if (shape.strings) {
    const s = shape.isoDates === shape.strings ? t.date : shape.isoDates + shape.isoStamps === shape.strings ? t.timestamp : t.string;
    type = mergeTypes(type, s);
  }
  if (shape.other) type = mergeTypes(type, shape.other);
  if (shape.obj) type = mergeTypes(type, objectType(shape.obj));
  if (shape.arr) type = mergeTypes(type, t.array(shapeType(shape.arr)));
  return type;
}

function objectType(obj: ObjShape): GlueType {
  const fields = [...obj.fields].map(([name, s]) => ({ name, type: shapeType(s) }));
  const distinct = fields.length;
  // An object that is always empty (GeoJSON's `"properties": {}`) says nothing about fields: `struct<>` is no
  // valid Hive type, and DuckDB reads it as MAP(VARCHAR, VARCHAR).
  if (distinct === 0) return t.map(t.string, t.string);
  if (distinct >= MAP_MIN_KEYS && obj.keysSeen / obj.count / distinct <= MAP_MAX_COVERAGE) {
    const value = fields.reduce<GlueType>((acc, f) => mergeTypes(acc, f.type), t.null);
    if (value.kind !== 'choice') return t.map(t.string, value);
  }
  return { kind: 'struct', fields };
}

/** The fields of the records a shape holds (the top-level struct), or one `col0` for non-objects. */
export function recordFields(shape: Shape): { name: string; type: GlueType }[] {
  const type = shapeType(shape);
  if (type.kind === 'struct') return type.fields;
  if (type.kind === 'map' && shape.obj && shape.obj.fields.size === 0) return [];
  if (type.kind === 'null') return [];
  return [{ name: 'col0', type }];
}
