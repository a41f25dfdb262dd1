import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
const PRODUCTS = ['glue', 'epoxy', 'clamp', 'tape', 'resin', 'lamp', 'cable', 'mug'];

/** A deterministic pseudo-random generator (mulberry32) so every run benchmarks the same bytes. */
export function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Generate (once, cached in bench/data) an orders CSV of `rows` rows; returns its path. */
export async function ordersCsv(dir: string, rows: number): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `orders_${rows}.csv`);
  if (existsSync(path) && statSync(path).size > 0) return path;
  const rand = prng(rows);
  const out = createWriteStream(path + '.tmp');
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write('order_id,order_ts,region,product,quantity,amount,discount,shipped\n');
  const start = Date.UTC(2024, 0, 1) / 1000;
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const ts = new Date((start + Math.floor(rand() * 31_536_000)) * 1000).toISOString().slice(0, 19).replace('T', ' ');
    const discount = rand() < 0.2 ? '' : (Math.floor(rand() * 30) / 100).toFixed(2);
    chunk += `${i},${ts},${REGIONS[Math.floor(rand() * REGIONS.length)]},${PRODUCTS[Math.floor(rand() * PRODUCTS.length)]},${1 + Math.floor(rand() * 20)},${(rand() * 500).toFixed(2)},${discount},${rand() < 0.9}\n`;
    if (chunk.length > 1 << 20) { await write(chunk); chunk = ''; }
  }
  await write(chunk);
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  const { renameSync } = await import('node:fs');
  renameSync(path + '.tmp', path);
  return path;
}
