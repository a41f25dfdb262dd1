import { t, type GlueType } from '../schema/types';
import { readMessage, repeatedVarints, type ProtoField } from './protobuf';
import { startsWith } from './text';
import type { ClassifierResult, Sample } from './types';
import { errorMessage } from '../util/errors';
import { orcCodec, orcDecompress } from './orc-codec';

const MAGIC = [0x4f, 0x52, 0x43]; // "ORC"

const dec = new TextDecoder();

/** Glue type of ORC type `id` in the flattened type list (children by `subtypes`); the frames reader maps the same way. */
export function orcType(types: ProtoField[][], id: number, depth = 0): GlueType {
  const ty = types[id];
  if (!ty || depth > 64) throw new Error(`ORC type ${id} is missing`);
  const kind = ty.find((f) => f.field === 1)?.value ?? 0;
  const sub = repeatedVarints(ty, 2);
  const num = (field: number) => ty.find((f) => f.field === field)?.value;
  switch (kind) {
    case 0: return t.boolean;
    case 1: return { kind: 'primitive', name: 'tinyint' };
    case 2: return { kind: 'primitive', name: 'smallint' };
    case 3: return t.int;
    case 4: return t.bigint;
    case 5: return { kind: 'primitive', name: 'float' };
    case 6: return t.double;
    case 7: return t.string;
    case 8: return { kind: 'primitive', name: 'binary' };
    case 9: case 18: return t.timestamp;
    case 10: return t.array(orcType(types, sub[0]!, depth + 1));
    case 11: return t.map(orcType(types, sub[0]!, depth + 1), orcType(types, sub[1]!, depth + 1));
    case 12: {
      const names = ty.filter((f) => f.field === 3).map((f) => dec.decode(f.bytes));
      return { kind: 'struct', fields: sub.map((s, i) => ({ name: names[i] ?? `_col${i}`, type: orcType(types, s, depth + 1) })) };
    }
    case 13: return t.choice(sub.map((s) => orcType(types, s, depth + 1)));
    case 14: { const p = Math.min(38, num(5) ?? 38); return t.decimal(p, Math.min(p, num(6) ?? 18)); }
    case 15: return t.date;
    case 16: return { kind: 'varchar', length: num(4) ?? 65535 };
    case 17: return { kind: 'char', length: num(4) ?? 255 };
    default: throw new Error(`unknown ORC type kind ${kind}`);
  }
}

async function tail(sample: Sample, length: number): Promise<Uint8Array | null> {
  const start = Math.max(0, sample.totalSize - length);
  if (sample.complete) return sample.bytes.subarray(start);
  if (!sample.readRange) return null;
  return sample.readRange(start, sample.totalSize - start);
}

/**
 * ORC: schema and row count from the file tail (postscript + footer; uncompressed, zlib or snappy),
 * read through `readRange`. Other codecs, or no way to read the tail, give "orc" with a warning.
 */
export async function classifyOrc(sample: Sample): Promise<ClassifierResult | null> {
  if (!startsWith(sample.bytes, MAGIC)) return null;
  const fail = (why: string): ClassifierResult => ({ classification: 'orc', certainty: 1, schema: [], properties: {}, warnings: [`ORC schema not read: ${why}`] });
  try {
    const last = await tail(sample, 256);
    if (!last) return fail('the footer is outside the sample and no range reader was given');
    const psLen = last[last.length - 1]!;
    if (psLen + 1 > last.length) return fail('the postscript is cut short');
    const ps = readMessage(last.subarray(last.length - 1 - psLen, last.length - 1));
    const footerLength = ps.find((f) => f.field === 1)?.value ?? 0;
    const codec = orcCodec(ps.find((f) => f.field === 2)?.value ?? 0);
    const end = await tail(sample, footerLength + psLen + 1);
    if (!end || end.length < footerLength + psLen + 1) return fail('the file is shorter than its footer says');
    const footer = readMessage(orcDecompress(end.subarray(0, footerLength), codec));
    const types = footer.filter((f) => f.field === 4).map((f) => readMessage(f.bytes!));
    if (types.length === 0) return fail('the footer lists no types');
    const root = orcType(types, 0);
    const rows = footer.find((f) => f.field === 6)?.value ?? 0;
    return {
      classification: 'orc',
      certainty: 1,
      schema: root.kind === 'struct' ? root.fields : [{ name: 'col0', type: root }],
      properties: { compressionType: codec },
      recordCount: rows,
      ...(rows > 0 ? { averageRecordSize: Math.max(1, Math.round(sample.totalSize / rows)) } : {}),
    };
  } catch (err) {
    return fail(errorMessage(err));
  }
}
