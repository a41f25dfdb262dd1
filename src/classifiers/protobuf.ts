/** Minimal protobuf wire-format reading (varints, length-delimited fields), enough for ORC footers. */

/** One decoded field: varint fields carry `value`, length-delimited ones `bytes`. */
export interface ProtoField {
  field: number;
  wire: number;
  value: number;
  bytes?: Uint8Array;
}

/** Decode the fields of one message. Throws on truncated or unsupported data. */
export function readMessage(buf: Uint8Array): ProtoField[] {
  const out: ProtoField[] = [];
  let pos = 0;
  const varint = (): number => {
    let n = 0, mul = 1, b: number;
    do {
      if (pos >= buf.length) throw new RangeError('protobuf varint runs past the end');
      b = buf[pos++]!;
      n += (b & 0x7f) * mul;
      mul *= 128;
      if (mul > 2 ** 70) throw new Error('protobuf varint too long');
    } while (b & 0x80);
    return n;
  };
  while (pos < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8), wire = key & 7;
    if (wire === 0) out.push({ field, wire, value: varint() });
    else if (wire === 2) {
      const len = varint();
      if (pos + len > buf.length) throw new RangeError('protobuf field runs past the end');
      out.push({ field, wire, value: len, bytes: buf.subarray(pos, pos + len) });
      pos += len;
    } else if (wire === 1) { pos += 8; out.push({ field, wire, value: 0 }); }
    else if (wire === 5) { pos += 4; out.push({ field, wire, value: 0 }); }
    else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
  return out;
}

/** Values of a repeated varint field, packed or not. */
export function repeatedVarints(fields: ProtoField[], field: number): number[] {
  const out: number[] = [];
  for (const f of fields) {
    if (f.field !== field) continue;
    if (f.wire === 0) out.push(f.value);
    else if (f.bytes) {
      let pos = 0;
      while (pos < f.bytes.length) {
        let n = 0, mul = 1, b: number;
        do { b = f.bytes[pos++]!; n += (b & 0x7f) * mul; mul *= 128; } while (b & 0x80 && pos < f.bytes.length);
        out.push(n);
      }
    }
  }
  return out;
}
