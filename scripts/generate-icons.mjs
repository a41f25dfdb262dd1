#!/usr/bin/env node
// Renders the PWA icons (public/icons/*.png) from the same shapes as public/icon.svg, with a tiny PNG
// encoder on node:zlib so no image tool is needed. Deterministic: same bytes every run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'public', 'icons');

const ACCENT = [0x6d, 0x4a, 0xff];
const WHITE = [0xff, 0xff, 0xff];

// --- PNG encoding -------------------------------------------------------------------------------------
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** Encode straight (non-premultiplied) RGBA pixels as an 8-bit truecolour-with-alpha PNG. */
function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type RGBA, deflate, no filter method, no interlace
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter "None" on every row: the flat shapes compress well anyway
    rgba.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// --- Shapes (in a 64x64 design space, like icon.svg) ---------------------------------------------------
const insideRoundedRect = (x, y, size, radius) => {
  const cx = Math.min(Math.max(x, radius), size - radius);
  const cy = Math.min(Math.max(y, radius), size - radius);
  return x >= 0 && y >= 0 && x <= size && y <= size && (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
};
const insideDiamond = (x, y, cx, cy, r) => Math.abs(x - cx) + Math.abs(y - cy) <= r;

/**
 * The colour at a design-space point, or null for transparent. A maskable icon fills the whole square
 * (the platform cuts its own shape) and shrinks the mark into the central safe zone (a circle of 80%).
 */
function paint(x, y, maskable) {
  if (maskable) {
    const s = 0.85; // the diamond's corners land 22*0.85 = 18.7 units from the centre; the safe zone's radius is 25.6
    const u = 32 + (x - 32) / s;
    const v = 32 + (y - 32) / s;
    if (insideDiamond(u, v, 32, 32, 22)) return insideDiamond(u, v, 32, 32, 10) ? ACCENT : WHITE;
    return ACCENT;
  }
  if (!insideRoundedRect(x, y, 64, 14)) return null;
  if (insideDiamond(x, y, 32, 32, 22)) return insideDiamond(x, y, 32, 32, 10) ? ACCENT : WHITE;
  return ACCENT;
}

/** Rasterize with 4x4 supersampling so edges are smooth; coverage becomes alpha. */
function render(size, maskable) {
  const pixels = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, covered = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const colour = paint(((px + (sx + 0.5) / n) * 64) / size, ((py + (sy + 0.5) / n) * 64) / size, maskable);
          if (!colour) continue;
          r += colour[0]; g += colour[1]; b += colour[2]; covered++;
        }
      }
      const i = (py * size + px) * 4;
      if (covered) pixels.set([Math.round(r / covered), Math.round(g / covered), Math.round(b / covered), Math.round((covered * 255) / (n * n))], i);
    }
  }
  return encodePng(size, size, pixels);
}

const icons = [
  ['icon-192.png', 192, false],
  ['icon-512.png', 512, false],
  ['icon-maskable-512.png', 512, true],
  ['apple-touch-icon-180.png', 180, true], // iOS draws its own rounded corners over a full square
];

mkdirSync(out, { recursive: true });
for (const [name, size, maskable] of icons) {
  const png = render(size, maskable);
  writeFileSync(join(out, name), png);
  console.log(`public/icons/${name}: ${size}x${size}, ${png.length} bytes`);
}
