import type { GlueType, StructField } from '../schema/types';
import { t, toDuckDBType } from '../schema/types';
import { quoteIdent } from '../engine/sql';

/**
 * The tag a choice option carries as a DuckDB UNION member (`UNION("bigint" BIGINT, "string" VARCHAR)`).
 * ResolveChoice make_cols names its columns `<field>_<tag>`, as Glue does.
 */
export function choiceTag(option: GlueType): string {
  switch (option.kind) {
    case 'primitive': return option.name;
    case 'varchar': case 'char': return 'string';
    default: return option.kind;
  }
}

/**
 * The DuckDB type that stores a frame column. Unlike `toDuckDBType`, a choice is kept as a UNION whose
 * members are its options, so ResolveChoice can still see which records held which type.
 */
export function frameDuckType(type: GlueType): string {
  switch (type.kind) {
    case 'choice': return `UNION(${type.options.map((o) => `${quoteIdent(choiceTag(o))} ${frameDuckType(o)}`).join(', ')})`;
    case 'array': return `${frameDuckType(type.element)}[]`;
    case 'map': return `MAP(${frameDuckType(type.key)}, ${frameDuckType(type.value)})`;
    case 'struct': return `STRUCT(${type.fields.map((f) => `${quoteIdent(f.name)} ${frameDuckType(f.type)}`).join(', ')})`;
    default: return toDuckDBType(type);
  }
}

/** Read the Glue type of a DuckDB type string as DESCRIBE prints it (UNION becomes a choice). */
export function parseDuckDBType(input: string): GlueType {
  let pos = 0;
  const s = input;
  const ws = () => { while (s[pos] === ' ') pos++; };
  const name = (): string => {
    ws();
    if (s[pos] === '"') {
      let out = '';
      pos++;
      while (pos < s.length) {
        if (s[pos] === '"' && s[pos + 1] === '"') { out += '"'; pos += 2; continue; }
        if (s[pos] === '"') { pos++; break; }
        out += s[pos++];
      }
      return out;
    }
    const start = pos;
    // Unquoted struct field names end at the space before their type.
    while (pos < s.length && s[pos] !== ' ' && s[pos] !== ',' && s[pos] !== ')') pos++;
    return s.slice(start, pos);
  };
  const fields = (): StructField[] => {
    const out: StructField[] = [];
    pos++; // (
    for (;;) {
      ws();
      if (s[pos] === ')') { pos++; return out; }
      const n = name();
      ws();
      out.push({ name: n, type: type() });
      ws();
      if (s[pos] === ',') pos++;
    }
  };
  const type = (): GlueType => {
    ws();
    const start = pos;
    while (pos < s.length && /[A-Za-z0-9_]/.test(s[pos]!)) pos++;
    for (const tail of [' WITH TIME ZONE', ' PRECISION']) {
      if (s.slice(pos, pos + tail.length).toUpperCase() === tail) pos += tail.length;
    }
    const word = s.slice(start, pos).trim().toUpperCase();
    let result: GlueType;
    if (word === 'STRUCT') result = { kind: 'struct', fields: fields() };
    else if (word === 'UNION') result = { kind: 'choice', options: fields().map((f) => f.type) };
    else if (word === 'MAP') {
      pos++;
      const key = type(); ws(); pos++; // ,
      const value = type(); ws(); pos++; // )
      result = t.map(key, value);
    } else if (word === 'DECIMAL') {
      const m = /^\((\d+),\s*(\d+)\)/.exec(s.slice(pos));
      if (m) { pos += m[0].length; result = t.decimal(Number(m[1]), Number(m[2])); } else result = t.decimal(18, 3);
    } else result = primitive(word);
    while (s.slice(pos, pos + 2) === '[]') { pos += 2; result = t.array(result); }
    return result;
  };
  return type();
}

function primitive(word: string): GlueType {
  switch (word) {
    case 'BIGINT': case 'UINTEGER': return t.bigint;
    case 'INTEGER': case 'USMALLINT': return t.int;
    case 'SMALLINT': case 'UTINYINT': return { kind: 'primitive', name: 'smallint' };
    case 'TINYINT': return { kind: 'primitive', name: 'tinyint' };
    case 'HUGEINT': case 'UBIGINT': case 'UHUGEINT': return t.decimal(38, 0);
    case 'DOUBLE': return t.double;
    case 'FLOAT': return { kind: 'primitive', name: 'float' };
    case 'BOOLEAN': return t.boolean;
    case 'DATE': return t.date;
    case 'TIMESTAMP': case 'TIMESTAMP WITH TIME ZONE': case 'TIMESTAMP_NS': case 'TIMESTAMP_MS': case 'TIMESTAMP_S': return t.timestamp;
    case 'BLOB': return { kind: 'primitive', name: 'binary' };
    case 'NULL': return t.null;
    default: return t.string; // VARCHAR, UUID, TIME, INTERVAL, ENUM... all read as text
  }
}

/** Column names and DuckDB types (as DESCRIBE returns them) to a Glue schema. */
export function schemaFromDuckDB(columns: { name: string; type: string }[]): StructField[] {
  return columns.map((c) => ({ name: c.name, type: parseDuckDBType(c.type) }));
}
