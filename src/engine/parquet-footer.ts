import { parquetMetadata, parquetSchema, type FileMetaData, type SchemaTree } from 'hyparquet';

/**
 * The one Parquet footer reader: the engine's lazy relations and the crawler's classifier both parse
 * footers here (hyparquet for decoded metadata and statistics), so a file the crawler catalogs opens the same.
 */

const MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"

/** A parsed footer: hyparquet's decoded metadata, and the raw Thrift bytes a row-group file is cut from. */
export interface ParquetFooter {
  meta: FileMetaData;
  /** The FileMetaData Thrift bytes (without the length and magic that follow them). */
  raw: Uint8Array;
  size: number;
  /** For each top-level column: the indexes of its leaf column chunks in a row group. */
  leaves: Map<string, number[]>;
}

/** Reads `length` bytes at `offset` (sync or async). */
export type RangeReader = (offset: number, length: number) => Uint8Array | Promise<Uint8Array>;

/**
 * Read and validate a Parquet footer with two small reads (the 8-byte tail, then the metadata). Throws a
 * plain sentence naming the problem (not Parquet, truncated, zero footer length, garbled metadata).
 */
export async function readParquetFooter(read: RangeReader, size: number): Promise<ParquetFooter> {
  try {
    return await footerOf(read, size);
  } catch (err) {
    throw new Error(`Not a readable Parquet file: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function footerOf(read: RangeReader, size: number): Promise<ParquetFooter> {
  if (size < 12) throw new Error(`it is ${size} bytes, too short to be a Parquet file (a Parquet file starts and ends with "PAR1")`);
  const head = await read(0, 4);
  if (!MAGIC.every((b, i) => head[i] === b)) throw new Error('it does not start with "PAR1"');
  const tail = await read(size - 8, 8);
  if (!MAGIC.every((b, i) => tail[4 + i] === b)) throw new Error('its footer is missing or the file is truncated (it does not end with "PAR1")');
  const length = new DataView(tail.buffer, tail.byteOffset, 8).getUint32(0, true);
  if (length === 0) throw new Error('its footer length is 0 (the footer was zeroed or never written)');
  if (length > size - 12) throw new Error(`its footer length (${length} bytes) is larger than the file (${size} bytes): the file is truncated or corrupt`);
  const raw = (await read(size - 8 - length, length)).slice();
  return parseFooter(raw, size);
}

/** Parse footer Thrift bytes (see readParquetFooter); throws a plain sentence when they are garbled. */
export function parseFooter(raw: Uint8Array, size: number): ParquetFooter {
  const buf = new Uint8Array(raw.length + 8);
  buf.set(raw);
  new DataView(buf.buffer).setUint32(raw.length, raw.length, true);
  buf.set(MAGIC, raw.length + 4);
  let meta: FileMetaData;
  try {
    meta = parquetMetadata(buf.buffer);
    // A garbled footer can decode to nonsense that fails only later: check what every read depends on.
    if (!Array.isArray(meta.row_groups) || !Array.isArray(meta.schema) || !meta.schema.length) throw new TypeError('no schema');
  } catch (err) {
    throw new Error(footerProblem(err));
  }
  const leaves = new Map<string, number[]>();
  let next = 0;
  const count = (n: SchemaTree): number => (n.children.length ? n.children.reduce((s, c) => s + count(c), 0) : 1);
  for (const child of parquetSchema(meta).children) {
    const n = count(child);
    leaves.set(child.element.name, Array.from({ length: n }, (_, i) => next + i));
    next += n;
  }
  return { meta, raw, size, leaves };
}

/**
 * Why a footer could not be read. hyparquet says so for what it checks (lengths, magic, Thrift types); a
 * garbled footer that passes those checks fails deeper as a TypeError/RangeError whose text ("Cannot read
 * properties of undefined") would tell the user nothing, so those are described instead.
 */
export function footerProblem(err: unknown): string {
  if (err instanceof TypeError || err instanceof RangeError) return 'its metadata is garbled (required fields are missing or malformed)';
  return err instanceof Error ? err.message : String(err);
}

// ---- Thrift compact protocol: just enough to cut one row group out of a file -------------------------------

interface Field { id: number; type: number; start: number; end: number }

class Reader {
  pos = 0;
  constructor(readonly b: Uint8Array) {}
  byte(): number {
    if (this.pos >= this.b.length) throw new RangeError('footer ends early');
    return this.b[this.pos++]!;
  }
  varint(): bigint {
    let shift = 0n, out = 0n;
    for (;;) {
      const x = this.byte();
      out |= BigInt(x & 0x7f) << shift;
      if (!(x & 0x80)) return out;
      shift += 7n;
    }
  }
  zigzag(): bigint {
    const v = this.varint();
    return (v >> 1n) ^ -(v & 1n);
  }
  skip(type: number): void {
    switch (type) {
      case 1: case 2: return;
      case 3: this.pos++; return;
      case 4: case 5: case 6: this.varint(); return;
      case 7: this.pos += 8; return;
      case 8: { const n = Number(this.varint()); this.pos += n; return; } // varint() moves pos first
      case 9: case 10: {
        const h = this.byte();
        let n = h >> 4;
        if (n === 15) n = Number(this.varint());
        const et = h & 15;
        for (let i = 0; i < n; i++) this.skip(et === 1 || et === 2 ? 3 : et);
        return;
      }
      case 11: {
        const n = Number(this.varint());
        if (!n) return;
        const kv = this.byte();
        for (let i = 0; i < n; i++) { this.skip(kv >> 4); this.skip(kv & 15); }
        return;
      }
      case 12: this.struct(); return;
      default: throw new RangeError(`Thrift type ${type}`);
    }
  }
  /** The fields of a struct, each with the byte range of its value. */
  struct(): Field[] {
    const fields: Field[] = [];
    let last = 0;
    for (;;) {
      const h = this.byte();
      if (h === 0) return fields;
      const type = h & 15;
      const id = h >> 4 ? last + (h >> 4) : Number(this.zigzag());
      last = id;
      const start = this.pos;
      this.skip(type);
      fields.push({ id, type, start, end: this.pos });
    }
  }
  /** The element ranges of a list starting at `pos`. */
  list(): { type: number; items: { start: number; end: number }[] } {
    const h = this.byte();
    let n = h >> 4;
    if (n === 15) n = Number(this.varint());
    const type = h & 15;
    const items = [];
    for (let i = 0; i < n; i++) {
      const start = this.pos;
      this.skip(type);
      items.push({ start, end: this.pos });
    }
    return { type, items };
  }
}

class Writer {
  parts: number[] = [];
  bytes(b: Uint8Array): void { for (const x of b) this.parts.push(x); }
  varint(v: bigint): void {
    do {
      let x = Number(v & 0x7fn);
      v >>= 7n;
      if (v) x |= 0x80;
      this.parts.push(x);
    } while (v);
  }
  i64(v: bigint): void { this.varint((v << 1n) ^ (v >> 63n)); }
  header(id: number, last: number, type: number): void {
    const d = id - last;
    if (d > 0 && d <= 15) this.parts.push((d << 4) | type);
    else { this.parts.push(type); this.varint(BigInt((id << 1) ^ (id >> 31))); }
  }
  listHeader(n: number, type: number): void {
    if (n < 15) this.parts.push((n << 4) | type);
    else { this.parts.push(0xf0 | type); this.varint(BigInt(n)); }
  }
}

/** A struct rewritten field by field: `edit` returns the new value bytes, null to drop the field, undefined to keep it. */
function rewriteStruct(src: Uint8Array, fields: Field[], w: Writer, edit: (f: Field) => ((w: Writer) => void) | null | undefined): void {
  let last = 0;
  for (const f of fields) {
    const e = edit(f);
    if (e === null) continue;
    w.header(f.id, last, f.type);
    last = f.id;
    if (e) e(w);
    else w.bytes(src.subarray(f.start, f.end));
  }
  w.parts.push(0);
}

function i64At(src: Uint8Array, f: Field): bigint {
  const r = new Reader(src);
  r.pos = f.start;
  return r.zigzag();
}

/**
 * A self-contained Parquet file holding one row group of the original (or none: `group` null) and only the
 * top-level `columns` (their schema subtrees and column chunks; all columns when `columns` is null).
 * parquet-wasm's synchronous readParquet decodes every column of what it is given, so projection happens
 * here, by cutting. Key-value metadata (the writer's ARROW:schema among it) is dropped: it would describe
 * columns that are no longer there, so every cut, the empty stub included, types columns from the Parquet
 * schema alone. `read` fetches byte ranges of the original file.
 */
export function rowGroupFile(footer: ParquetFooter, group: number | null, columns: string[] | null, read: (offset: number, length: number) => Uint8Array): Uint8Array {
  const raw = footer.raw;
  const top = new Reader(raw).struct();
  const w = new Writer();
  const body: Uint8Array[] = [];
  let at = 4;
  const names = [...footer.leaves.keys()];
  const keepTop = columns === null ? names : names.filter((n) => columns.includes(n));
  const keptLeaves = keepTop.flatMap((c) => footer.leaves.get(c)!);
  const keptSet = new Set(keptLeaves);
  const rgMeta = group === null ? null : footer.meta.row_groups[group]!;
  const listAt = (f: Field) => { const r = new Reader(raw); r.pos = f.start; return r.list(); };
  const structAt = (start: number) => { const r = new Reader(raw); r.pos = start; return r.struct(); };
  rewriteStruct(raw, top, w, (f) => {
    if (f.id === 3 && f.type === 6) return (o) => o.i64(BigInt(rgMeta ? rgMeta.num_rows : 0));
    if (f.id === 5) return null; // key_value_metadata
    if (f.id === 7 && f.type === 9) {
      // column_orders: one per leaf column.
      const orders = listAt(f);
      return (o) => { o.listHeader(keptLeaves.length, orders.type); for (const i of keptLeaves) o.bytes(raw.subarray(orders.items[i]!.start, orders.items[i]!.end)); };
    }
    if (f.id === 2 && f.type === 9) {
      // schema: the root, then each kept top-level column's subtree (elements in depth-first order).
      const elements = listAt(f);
      const children = elements.items.map((e) => {
        const nc = structAt(e.start).find((x) => x.id === 5);
        return nc ? Number(i64At(raw, nc)) : 0;
      });
      const subtrees: { name: string; from: number; to: number }[] = [];
      const span = (i: number): number => { let end = i + 1; for (let c = 0; c < children[i]!; c++) end = span(end); return end; };
      for (let i = 1, k = 0; i < elements.items.length && k < names.length; k++) { const end = span(i); subtrees.push({ name: names[k]!, from: i, to: end }); i = end; }
      const kept = subtrees.filter((t) => keepTop.includes(t.name));
      const count = 1 + kept.reduce((s, t) => s + t.to - t.from, 0);
      return (o) => {
        o.listHeader(count, 12);
        rewriteStruct(raw, structAt(elements.items[0]!.start), o, (r) => (r.id === 5 ? (x) => x.i64(BigInt(kept.length)) : undefined));
        for (const t of kept) o.bytes(raw.subarray(elements.items[t.from]!.start, elements.items[t.to - 1]!.end));
      };
    }
    if (f.id !== 4 || f.type !== 9) return undefined;
    const groups = listAt(f);
    return (o) => {
      if (group === null) { o.listHeader(0, 12); return; }
      o.listHeader(1, 12);
      rewriteStruct(raw, structAt(groups.items[group]!.start), o, (g) => {
        if (g.id === 5 || g.id === 6) return null; // file_offset, total_compressed_size: positions in the old file
        if (g.id === 2) return (x) => x.i64(keptLeaves.reduce((s, i) => s + BigInt(footer.meta.row_groups[group]!.columns[i]!.meta_data?.total_uncompressed_size ?? 0n), 0n));
        if (g.id !== 1) return undefined;
        const chunks = listAt(g);
        return (oc) => {
          oc.listHeader(keptLeaves.length, 12);
          chunks.items.forEach((item, leaf) => {
            if (!keptSet.has(leaf)) return;
            const cfields = structAt(item.start);
            const metaField = cfields.find((x) => x.id === 3);
            if (!metaField) throw new Error('a column chunk has no metadata (column chunks in other files are not supported)');
            const mf = structAt(metaField.start);
            const get = (id: number) => { const x = mf.find((y) => y.id === id); return x ? i64At(raw, x) : null; };
            const data = get(9)!, dict = get(11), size = get(7)!;
            const start = dict !== null && dict > 0n && dict < data ? dict : data;
            if (start < 4n || start + size > BigInt(footer.size)) throw new Error('a column chunk lies outside the file: the file is truncated or corrupt');
            const bytes = read(Number(start), Number(size));
            body.push(bytes);
            const delta = BigInt(at) - start;
            at += bytes.length;
            const shift = (x: Field) => (o2: Writer) => o2.i64(i64At(raw, x) + delta);
            rewriteStruct(raw, cfields, oc, (c) => {
              if (c.id >= 4 && c.id <= 7) return null; // page indexes: not copied
              if (c.id === 2) return shift(c);
              if (c.id !== 3) return undefined;
              return (om) => rewriteStruct(raw, mf, om, (m) => {
                if (m.id === 9 || m.id === 10 || m.id === 11) return shift(m);
                if (m.id === 14 || m.id === 15) return null; // bloom filter
                return undefined;
              });
            });
          });
        };
      });
    };
  });
  const meta = Uint8Array.from(w.parts);
  const out = new Uint8Array(at + meta.length + 8);
  out.set(MAGIC, 0);
  let p = 4;
  for (const b of body) { out.set(b, p); p += b.length; }
  out.set(meta, p);
  new DataView(out.buffer).setUint32(p + meta.length, meta.length, true);
  out.set(MAGIC, p + meta.length + 4);
  return out;
}
