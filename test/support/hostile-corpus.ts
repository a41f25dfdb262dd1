/**
 * A deterministic corpus of malformed and hostile files, built in memory (nothing committed): every
 * format the crawler reads, each case tagged with what it attacks and which outcomes are acceptable.
 * Same seed, same bytes: a failure found here can be reproduced by its path.
 */
import { createRequire } from 'node:module';
import avro from 'avsc';
import { Field, Float64, Int64, Schema, Table, Utf8, tableToIPC, vectorFromArray } from 'apache-arrow';
import { gzipSync, strToU8 } from 'fflate';
import { avroFile } from './avro';

const require = createRequire(import.meta.url);

/** What the crawler may do with a case: put it in a table, or report it as a per-file failure. */
export type Outcome = 'table' | 'failure';

/** One file of the corpus. */
export interface CorpusCase {
  /** Path under the crawl target: `<family>/<case>.<ext>` (families are folders, so grouping stays simple). */
  path: string;
  bytes: Uint8Array;
  family: string;
  format: string;
  /** What the file attacks, in a few words (goes into RELIABILITY.md). */
  attack: string;
  accept: Outcome[];
  /** Cases whose memory use is measured on their own (10 MB lines, bombs). */
  heavy?: boolean;
}

/** Good files mixed into the corpus whose tables must come out exactly right. */
export interface ControlTable {
  table: string;
  columns: { Name: string; Type: string }[];
  files: number;
}

const enc = (s: string) => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};

/** mulberry32: a tiny seeded PRNG so the corpus is the same on every run and machine. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    bytes: (n: number) => Uint8Array.from({ length: n }, () => Math.floor(next() * 256)),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
  };
}

function corpusAvro(records: number, blockSize = 256): Promise<Uint8Array> {
  const schema = { type: 'record', name: 'Ev', fields: [{ name: 'id', type: 'long' }, { name: 'name', type: 'string' }, { name: 'score', type: 'double' }] };
  return avroFile(schema, Array.from({ length: records }, (_, i) => ({ id: i, name: `n${i}`, score: i / 3 })), { blockSize });
}

function parquetFile(rows: number): Uint8Array {
  const pq = require('parquet-wasm') as typeof import('parquet-wasm');
  const ids = Array.from({ length: rows }, (_, i) => BigInt(i));
  const table = new Table(new Schema([new Field('id', new Int64(), false), new Field('name', new Utf8(), true), new Field('score', new Float64(), true)]), {
    id: vectorFromArray(ids, new Int64()),
    name: vectorFromArray(ids.map((i) => `n${i}`), new Utf8()),
    score: vectorFromArray(ids.map((i) => Number(i) / 3), new Float64()),
  } as never);
  return pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(table, 'stream')));
}

/** Protobuf pieces for a hand-built ORC tail (no ORC writer among the dependencies). */
const pb = {
  varint(n: number): number[] { const out: number[] = []; do { let b = n % 128; n = Math.floor(n / 128); if (n > 0) b |= 128; out.push(b); } while (n > 0); return out; },
  num(field: number, v: number): number[] { return [...pb.varint(field * 8), ...pb.varint(v)]; },
  bytes(field: number, b: ArrayLike<number>): number[] { return [...pb.varint(field * 8 + 2), ...pb.varint(b.length), ...Array.from(b)]; },
  str(field: number, s: string): number[] { return pb.bytes(field, enc(s)); },
};

function orcFile(): Uint8Array {
  const type = (kind: number, subtypes: number[] = [], names: string[] = []) =>
    [...pb.num(1, kind), ...(subtypes.length ? pb.bytes(2, subtypes.flatMap((x) => pb.varint(x))) : []), ...names.flatMap((n) => pb.str(3, n))];
  const types = [type(12, [1, 2], ['id', 'name']), type(4), type(7)];
  const footer = [...pb.num(1, 3), ...types.flatMap((t) => pb.bytes(4, t)), ...pb.num(6, 7)];
  const ps = [...pb.num(1, footer.length), ...pb.num(2, 0), ...pb.num(3, 262144), ...pb.str(8000, 'ORC')];
  return new Uint8Array([0x4f, 0x52, 0x43, 0, 0, 0, 0, ...footer, ...ps, ps.length]);
}

const SCRIPTY = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"><svg onload=alert(1)>', 'javascript:alert(1)', '{{constructor.constructor("alert(1)")()}}'];
/** Column names that try to break out of SQL identifier quoting. */
export const SQL_HOSTILE_NAMES = ['a"; DROP TABLE x; --', "b'); DELETE FROM t; --", 'c`; DROP DATABASE d; --'];

/**
 * Build the corpus. Returns the cases (hostile ones and controls) and the control tables expected.
 * `tenMegabyteLines` can be lowered by callers that only need the shapes (the default is the real size).
 */
export async function buildHostileCorpus(options: { seed?: number; hugeLineBytes?: number } = {}): Promise<{ cases: CorpusCase[]; controls: ControlTable[] }> {
  const r = prng(options.seed ?? 11);
  const huge = options.hugeLineBytes ?? 10 * 1024 * 1024;
  const cases: CorpusCase[] = [];
  const add = (family: string, name: string, format: string, attack: string, accept: Outcome[], bytes: Uint8Array | string, heavy = false) =>
    cases.push({ path: `${family}/${name}`, bytes: typeof bytes === 'string' ? enc(bytes) : bytes, family, format, attack, accept, heavy });
  const ANY: Outcome[] = ['table', 'failure'];
  const FAIL: Outcome[] = ['failure'];

  // ---- CSV / TSV ----
  for (let i = 0; i < 30; i++) {
    const cols = r.int(2, 8);
    const rows = Array.from({ length: r.int(2, 40) }, () => Array.from({ length: r.int(1, cols * 2) }, () => r.int(0, 999)).join(','));
    add('csv-ragged', `ragged-${i}.csv`, 'csv', 'rows with too few or too many fields', ANY, `${Array.from({ length: cols }, (_, k) => `c${k}`).join(',')}\n${rows.join('\n')}\n`);
  }
  for (let i = 0; i < 30; i++) {
    const body = Array.from({ length: r.int(2, 30) }, (_, k) => (k === r.int(0, 5) ? `${k},"never closed ${'x'.repeat(r.int(0, 200))}\n` : `${k},"ok ""quoted"" value"\n`)).join('');
    add('csv-quotes', `unbalanced-${i}.csv`, 'csv', 'an unbalanced quote swallowing the rest of the file', ANY, `id,text\n${body}${i % 2 ? '"' : ''}`);
  }
  for (let i = 0; i < 3; i++) {
    const line = new Uint8Array(huge).fill(i === 2 ? 0x22 : 0x61); // 10 MB of 'a' (or of quotes)
    add('csv-huge-line', `ten-mb-line-${i}.csv`, 'csv', 'a single 10 MB line', ANY, concat(enc(i === 1 ? 'id,text\n1,' : ''), line, enc('\n2,b\n')), true);
  }
  for (let i = 0; i < 25; i++) {
    const rows = Array.from({ length: r.int(2, 20) }, (_, k) => `${k},v${k}${k % 3 === 0 ? '\u0000' : ''},${r.int(0, 9)}`);
    add('csv-nul', `nul-${i}.csv`, 'csv', 'NUL bytes inside values', ANY, `id,name,n\n${rows.join('\n')}\n${'\u0000'.repeat(i)}`);
  }
  const boms: [string, Uint8Array][] = [['utf8-bom', new Uint8Array([0xef, 0xbb, 0xbf])], ['utf16le-bom', new Uint8Array([0xff, 0xfe])], ['utf16be-bom', new Uint8Array([0xfe, 0xff])], ['bom-twice', new Uint8Array([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf])]];
  for (let i = 0; i < 40; i++) {
    const [label, bom] = boms[i % boms.length]!;
    const text = `id,city,amount\n1,Zürich,1.5\n2,${i % 3 ? 'São Paulo' : 'Kraków'},2.5\n3,東京,3\n`;
    // Half the cases lie: the BOM says one encoding, the bytes are another (latin-1, or UTF-8 under a UTF-16 BOM).
    const body = i % 2 === 0 && label.startsWith('utf16')
      ? Uint8Array.from(text, (_, k) => text.charCodeAt(k) & 0xff)
      : label === 'utf16le-bom' ? new Uint8Array(new Uint16Array(Array.from(text, (c) => c.charCodeAt(0))).buffer)
        : i % 5 === 0 ? Uint8Array.from(text, (_, k) => text.charCodeAt(k) & 0xff) : enc(text);
    add('csv-encodings', `${label}-${i}.csv`, 'csv', 'mixed encodings and byte-order marks', ANY, concat(bom, body, i % 7 === 0 ? new Uint8Array([0xc3, 0x28, 0xa0, 0xa1]) : new Uint8Array()));
  }
  for (let i = 0; i < 20; i++) {
    const rows = Array.from({ length: r.int(2, 20) }, (_, k) => [k, `\t${'"'.repeat(k % 4)}`, r.int(0, 99)].join('\t'));
    add('tsv', `tsv-${i}.tsv`, 'tsv', 'tabs and stray quotes in TSV', ANY, `id\tnote\tn\n${rows.join('\n')}\n`);
  }
  const empties: [string, string | Uint8Array][] = [
    ['zero-byte.csv', new Uint8Array()], ['zero-byte.json', new Uint8Array()], ['zero-byte.parquet', new Uint8Array()], ['zero-byte.avro', new Uint8Array()], ['zero-byte.xml', new Uint8Array()], ['zero-byte.gz', new Uint8Array()],
    ['newline.csv', '\n'], ['newlines.csv', '\n\n\n\n'], ['spaces.csv', '      '], ['crlf.csv', '\r\n\r\n'], ['bom-only.csv', new Uint8Array([0xef, 0xbb, 0xbf])], ['utf16-bom-only.csv', new Uint8Array([0xff, 0xfe])],
    ['empty-object.json', '{}'], ['empty-array.json', '[]'], ['null.json', 'null'], ['just-a-number.json', '42'], ['empty-root.xml', '<root/>'], ['decl-only.xml', '<?xml version="1.0"?>'],
    ['one-char.csv', 'a'], ['one-cell.csv', 'a\n'], ['header-only.csv', 'id,name\n'], ['one-field-rows.csv', 'a\nb\nc\n'],
  ];
  // A lone scalar is a one-record JSON file of `col0` (docs/classifiers.md; issue 17), so it may become a table.
  for (const [name, bytes] of empties) add('empty', name, name.split('.').pop()!, 'empty, zero-byte or content-free file', name.includes('header-only') || name.startsWith('one-') || name === 'just-a-number.json' ? ANY : FAIL, bytes);

  // ---- JSON / NDJSON ----
  for (const depth of [64, 256, 1000, 5000, 10_000, 50_000, 100_000, 200_000, 500_000, 1_000_000]) {
    add('json-deep', `deep-object-${depth}.json`, 'json', `objects nested ${depth} deep`, ANY, `{"id":1,"v":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}\n`, depth >= 100_000);
    add('json-deep', `deep-array-${depth}.json`, 'json', `arrays nested ${depth} deep`, ANY, `[${'['.repeat(depth)}${']'.repeat(depth)}]`, depth >= 100_000);
  }
  for (let i = 0; i < 30; i++) {
    const doc = JSON.stringify(Array.from({ length: 20 }, (_, k) => ({ id: k, name: `n${k}`, tags: ['a', 'b'], nested: { x: k / 2 } })));
    add('json-truncated', `truncated-${i}.json`, 'json', 'a JSON document cut short', ANY, doc.slice(0, r.int(1, doc.length - 1)));
  }
  for (let i = 0; i < 30; i++) {
    const lines = Array.from({ length: r.int(2, 30) }, (_, k) => (k % r.int(2, 5) === 0 ? r.pick(['{"id":', 'not json', '}{', '{"id":1,,}', '\u0000\u0001', '{"id": NaN}', '[1,2', '"\\ud800"']) : JSON.stringify({ id: k, v: `v${k}` })));
    add('ndjson-garbage', `garbage-${i}.ndjson`, 'ndjson', 'JSON Lines with garbage lines', ANY, lines.join('\n') + '\n');
  }
  for (let i = 0; i < 10; i++) {
    const keys = Array.from({ length: 2000 * (i + 1) }, (_, k) => `"k${k}":${k}`).join(',');
    add('json-wide', `wide-${i}.json`, 'json', `${2000 * (i + 1)} distinct keys in one record`, ANY, `{${keys}}\n{${keys}}\n`);
  }
  for (let i = 0; i < 10; i++) {
    add('json-proto', `proto-${i}.json`, 'json', 'prototype-pollution keys', ANY, `{"__proto__":{"polluted":${i}},"constructor":{"prototype":{"x":1}},"id":${i}}\n{"id":2,"__proto__":null}\n`);
  }

  // ---- XML ----
  const laughs = (levels: number, fan: number) => {
    let dtd = '<!ENTITY lol0 "lol">';
    for (let k = 1; k <= levels; k++) dtd += `<!ENTITY lol${k} "${`&lol${k - 1};`.repeat(fan)}">`;
    return `<?xml version="1.0"?>\n<!DOCTYPE lolz [${dtd}]>\n<rows><row><v>&lol${levels};</v></row><row><v>&lol${levels};</v></row></rows>`;
  };
  for (let i = 0; i < 10; i++) add('xml-bomb', `billion-laughs-${i}.xml`, 'xml', `entity expansion bomb (${10 + i} levels)`, ANY, laughs(10 + i, 10), true);
  for (let i = 0; i < 5; i++) add('xml-bomb', `quadratic-${i}.xml`, 'xml', 'quadratic blowup: one big entity referenced many times', ANY, `<!DOCTYPE q [<!ENTITY a "${'x'.repeat(50_000)}">]><rows>${'<row><v>&a;</v></row>'.repeat(1000 * (i + 1))}</rows>`, true);
  const externals = ['file:///etc/passwd', 'http://127.0.0.1:1/steal', 'https://example.invalid/x.dtd', '/dev/random', 'php://filter/resource=index'];
  for (let i = 0; i < 15; i++) {
    const target = externals[i % externals.length]!;
    const doc = i % 3 === 0
      ? `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "${target}">]><rows><row><v>&xxe;</v></row><row><v>2</v></row></rows>`
      : i % 3 === 1 ? `<?xml version="1.0"?><!DOCTYPE r SYSTEM "${target}"><rows><row><v>1</v></row><row><v>2</v></row></rows>`
        : `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "${target}"> %p;]><rows><row><v>1</v></row><row><v>2</v></row></rows>`;
    add('xml-external', `xxe-${i}.xml`, 'xml', `external entity / DTD (${target})`, ANY, doc);
  }
  for (const depth of [100, 1000, 10_000, 100_000]) add('xml-deep', `deep-${depth}.xml`, 'xml', `elements nested ${depth} deep`, ANY, `<rows><row>${'<a>'.repeat(depth)}1${'</a>'.repeat(depth)}</row><row><b>2</b></row></rows>`, depth >= 100_000);
  for (let i = 0; i < 25; i++) {
    const doc = `<?xml version="1.0"?><catalog>${Array.from({ length: 15 }, (_, k) => `<book id="${k}"><title>T${k}</title><price>${k}.5</price><![CDATA[x<y]]><!-- c --></book>`).join('')}</catalog>`;
    add('xml-truncated', `truncated-${i}.xml`, 'xml', 'XML cut short (inside a tag, comment, CDATA or attribute)', ANY, doc.slice(0, r.int(10, doc.length - 1)));
  }
  for (let i = 0; i < 10; i++) add('xml-malformed', `malformed-${i}.xml`, 'xml', 'mismatched tags, unclosed comments, attributes without quotes', ANY, r.pick([`<a><b></a></b><a><b></a></b>`, `<rows><row a=1 b=2/><row a=3/></rows>`, `<!-- never closed <rows><row/></rows>`, `<rows><row><![CDATA[ open </row></rows>`, `<?xml version="1.0" encoding="EBCDIC"?><r><x/><x/></r>`, `<<<<>>>><r/>`]) + `<!-- ${i} -->`);

  // ---- Avro ----
  const goodAvro = await corpusAvro(200, 256);
  const syncAt = goodAvro.length - 16; // the last 16 bytes are a block's sync marker
  for (let i = 0; i < 25; i++) {
    const bad = goodAvro.slice();
    // Flip a byte of the sync marker after some block (the header's copy stays right).
    const block = r.int(0, 3);
    const at = Math.max(0, syncAt - block * 200) + r.int(0, 15);
    bad[at] = bad[at]! ^ 0xff;
    for (let k = 0; k < 16; k++) bad[syncAt + k] = bad[syncAt + k]! ^ (k === i % 16 ? 0x01 : 0);
    add('avro-sync', `wrong-sync-${i}.avro`, 'avro', 'Avro with a wrong sync marker', ANY, bad);
  }
  for (let i = 0; i < 25; i++) add('avro-truncated', `truncated-${i}.avro`, 'avro', 'Avro cut short (header, schema or block)', ANY, goodAvro.slice(0, r.int(1, goodAvro.length - 1)));
  for (let i = 0; i < 15; i++) {
    const schemaJson = r.pick(['{"type":"record"', '{"type":"record","name":"R","fields":[{"name":"a","type":"nosuch"}]}', '{"type":"record","name":"R","fields":[{"name":"a","type":"R"}]}', 'null', '[]', '{"type":"enum"}', '"string"', '{"type":"record","name":"R","fields":"x"}']);
    const meta = concat(enc('Obj\u0001'), new Uint8Array([2]), new Uint8Array([22]), enc('avro.schema'), new Uint8Array(pb.varint(schemaJson.length * 2)), enc(schemaJson), new Uint8Array([0]), r.bytes(16));
    add('avro-schema', `bad-schema-${i}.avro`, 'avro', 'Avro header with a broken or recursive schema', ANY, concat(meta, r.bytes(r.int(0, 64))));
  }
  for (let i = 0; i < 10; i++) {
    // A block header claiming billions of records / bytes after a valid file header.
    const header = goodAvro.slice(0, goodAvro.indexOf(0, 4) > 0 ? Math.min(goodAvro.length, syncAt - 200 * 3) : 64);
    add('avro-lying-blocks', `lying-block-${i}.avro`, 'avro', 'Avro block counts and sizes that lie', ANY, concat(header.slice(0, Math.min(header.length, 300)), new Uint8Array([0xfe, 0xff, 0xff, 0xff, 0x0f, 0xfe, 0xff, 0xff, 0xff, 0x0f]), r.bytes(40)));
  }

  // ---- Parquet ----
  const goodParquet = parquetFile(50);
  for (let i = 0; i < 25; i++) {
    const bad = goodParquet.slice();
    const mode = i % 5;
    const len = new DataView(bad.buffer).getUint32(bad.length - 8, true);
    if (mode === 0) new DataView(bad.buffer).setUint32(bad.length - 8, 0x7fffffff, true); // footer longer than the file
    else if (mode === 1) new DataView(bad.buffer).setUint32(bad.length - 8, 0, true);
    else if (mode === 2) for (let k = 0; k < 8; k++) bad[bad.length - 8 - len + r.int(0, len - 1)] = r.int(0, 255); // garbled thrift
    else if (mode === 3) bad.set(r.bytes(len), bad.length - 8 - len);
    else bad[bad.length - 1] = 0x30; // PAR0 trailer
    add('parquet-footer', `corrupt-footer-${i}.parquet`, 'parquet', 'Parquet with a corrupt footer', ANY, bad);
  }
  for (let i = 0; i < 15; i++) add('parquet-truncated', `truncated-${i}.parquet`, 'parquet', 'Parquet cut short', ANY, goodParquet.slice(0, r.int(1, goodParquet.length - 1)));
  for (let i = 0; i < 10; i++) add('parquet-magic', `magic-only-${i}.parquet`, 'parquet', 'PAR1 magic around junk', FAIL, concat(enc('PAR1'), r.bytes(r.int(0, 200)), enc('PAR1')));

  // ---- ORC ----
  const goodOrc = orcFile();
  for (let i = 0; i < 20; i++) {
    const bad = goodOrc.slice();
    if (i % 4 === 0) bad[bad.length - 1] = 255; // postscript length past the start
    else if (i % 4 === 1) bad[bad.length - 1] = 0;
    else if (i % 4 === 2) for (let k = 0; k < 6; k++) bad[r.int(3, bad.length - 2)] = r.int(0, 255);
    else bad.set(r.bytes(bad.length - 4), 3);
    add('orc-corrupt', `corrupt-${i}.orc`, 'orc', 'ORC with a corrupt postscript or footer', ANY, bad);
  }
  for (let i = 0; i < 10; i++) add('orc-truncated', `truncated-${i}.orc`, 'orc', 'ORC cut short', ANY, goodOrc.slice(0, r.int(1, goodOrc.length - 1)));

  // ---- Logs ----
  for (let i = 0; i < 20; i++) {
    const lines = Array.from({ length: r.int(2, 30) }, (_, k) => r.pick([
      `127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET /a${k} HTTP/1.0" 200 2326`,
      `${'a'.repeat(r.int(1000, 50_000))}!`, // long runs that make naive regexes backtrack
      `2024-01-01T00:00:00Z ERROR ${' '.repeat(r.int(100, 5000))}x`,
      `<134>1 2024-01-01T00:00:00Z host app - - - ${'%{'.repeat(200)}`,
      '\u0000\u0000',
    ]));
    add('log-hostile', `hostile-${i}.log`, 'log', 'log lines built to make patterns backtrack', ANY, lines.join('\n') + '\n');
  }

  // ---- gzip ----
  const csvText = 'id,name,amount\n' + Array.from({ length: 200 }, (_, k) => `${k},n${k},${k / 4}`).join('\n') + '\n';
  const goodGz = gzipSync(strToU8(csvText));
  for (let i = 0; i < 25; i++) add('gz-truncated', `truncated-${i}.csv.gz`, 'gz', 'truncated gzip', ANY, goodGz.slice(0, r.int(2, goodGz.length - 1)));
  for (let i = 0; i < 10; i++) {
    const bad = goodGz.slice();
    for (let k = 0; k < 4; k++) bad[r.int(10, bad.length - 9)] = r.int(0, 255);
    add('gz-corrupt', `corrupt-${i}.csv.gz`, 'gz', 'gzip with corrupted deflate data or CRC', ANY, bad);
  }
  const zeros = gzipSync(new Uint8Array(64 * 1024 * 1024), { level: 9 });
  // Concatenated gzip members are one valid stream: 16 x 64 MB inflates to 1 GiB from about 1 MB on disk.
  const gigabyte = concat(...Array.from({ length: 16 }, () => zeros));
  for (let i = 0; i < 4; i++) add('gz-bomb', `bomb-${i}.csv.gz`, 'gz', i < 2 ? 'gzip bomb (1 GiB of zeros in ~1 MB)' : 'gzip bomb cut short', ANY, i === 0 ? zeros : i === 1 ? gigabyte : concat(zeros, zeros.slice(0, i * 1000)), true);
  for (let i = 0; i < 5; i++) add('gz-nested', `nested-${i}.json.gz`, 'gz', 'gzip inside gzip', ANY, gzipSync(gzipSync(strToU8('{"a":1}\n'.repeat(100)))));
  for (const [codec, magic] of [['bzip2', [0x42, 0x5a, 0x68, 0x39]], ['zstd', [0x28, 0xb5, 0x2f, 0xfd]], ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]], ['zip', [0x50, 0x4b, 0x03, 0x04]], ['lz4', [0x04, 0x22, 0x4d, 0x18]]] as const) {
    for (let i = 0; i < 2; i++) add('compressed-other', `${codec}-${i}.csv.${codec}`, codec, `${codec} magic (not supported)`, FAIL, concat(new Uint8Array(magic), r.bytes(100)));
  }

  // ---- binary junk under every extension ----
  const exts = ['csv', 'tsv', 'json', 'ndjson', 'xml', 'avro', 'parquet', 'orc', 'log', 'gz', 'bin', 'txt'];
  for (let i = 0; i < 48; i++) {
    const ext = exts[i % exts.length]!;
    const bytes = r.bytes(r.int(1, 4096));
    // Random bytes under a text name must not come out as a table (they contain NULs or control bytes).
    bytes[0] = 0; bytes[bytes.length - 1] = 0;
    add('junk', `junk-${i}.${ext}`, ext, 'random bytes under a misleading extension', FAIL, bytes);
  }

  // ---- script-bearing and SQL-hostile names and values ----
  const q = (v: string) => `"${v.replace(/"/g, '""')}"`;
  for (let i = 0; i < 5; i++) {
    const s = SCRIPTY[i]!;
    // Values are data: these files must come out as tables (the UI must show the values as text).
    add('scripty', `values-${i}.csv`, 'csv', 'script-bearing values', ['table'], `id,note\n1,${q(s)}\n2,${q(SQL_HOSTILE_NAMES[i % 3]!)}\n`);
    add('scripty', `values-${i}.json`, 'json', 'script-bearing values', ['table'], `${JSON.stringify({ id: 1, note: s })}\n${JSON.stringify({ id: 2, note: SQL_HOSTILE_NAMES[i % 3] })}\n`);
    // Top-level names Glue's API takes (issue 17: they were refused): tables whose names the UI shows as text and SQL quotes.
    add('scripty', `names-${i}.csv`, 'csv', 'script-bearing and SQL-breaking column names', ['table'], `id,${q(s)},${q(SQL_HOSTILE_NAMES[i % 3]!)}\n1,${q(s)},x\n2,y,z\n`);
    add('scripty', `names-${i}.json`, 'json', 'script-bearing and SQL-breaking keys', ['table'], `${JSON.stringify({ id: 1, [s]: s, [SQL_HOSTILE_NAMES[i % 3]!]: 'v' })}\n`);
    // Nested field names are kept as written inside struct types: they must survive type rendering and DDL.
    add('scripty', `nested-${i}.json`, 'json', 'script-bearing and SQL-breaking nested keys', ['table', 'failure'], `${JSON.stringify({ id: 1, inner: { [s]: 1, [SQL_HOSTILE_NAMES[i % 3]!]: 'v' } })}\n`);
  }

  // ---- controls: good files that must still produce their exact tables ----
  for (let i = 0; i < 6; i++) add('control', `orders/part-${i}.csv`, 'csv', 'control', ['table'], `order_id,region,amount\n${i * 2},eu,${i}.5\n${i * 2 + 1},us,${i}.25\n`);
  for (let i = 0; i < 4; i++) add('control', `events/part-${i}.json`, 'json', 'control', ['table'], `{"id":${i},"user":{"name":"u${i}"},"ok":true}\n`);
  for (let i = 0; i < 3; i++) add('control', `metrics/part-${i}.avro`, 'avro', 'control', ['table'], await corpusAvro(10 + i));
  for (let i = 0; i < 3; i++) add('control', `facts/part-${i}.parquet`, 'parquet', 'control', ['table'], parquetFile(5 + i));
  const controls: ControlTable[] = [
    { table: 'orders', files: 6, columns: [{ Name: 'order_id', Type: 'bigint' }, { Name: 'region', Type: 'string' }, { Name: 'amount', Type: 'double' }] },
    { table: 'events', files: 4, columns: [{ Name: 'id', Type: 'bigint' }, { Name: 'user', Type: 'struct<name:string>' }, { Name: 'ok', Type: 'boolean' }] },
    { table: 'metrics', files: 3, columns: [{ Name: 'id', Type: 'bigint' }, { Name: 'name', Type: 'string' }, { Name: 'score', Type: 'double' }] },
    { table: 'facts', files: 3, columns: [{ Name: 'id', Type: 'bigint' }, { Name: 'name', Type: 'string' }, { Name: 'score', Type: 'double' }] },
  ];
  return { cases, controls };
}
