#!/usr/bin/env node
// Generates the embedded sample dataset a new user sees (public/samples/). Deterministic: same bytes every run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'public', 'samples');

function mulberry32(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(20261125);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];

const regions = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
const products = [
  ['Glue Stick', 'office', 2.49], ['Epoxy Resin', 'hardware', 18.9], ['Wood Clamp', 'hardware', 12.5],
  ['Notebook', 'office', 4.25], ['Desk Lamp', 'home', 29.99], ['Soldering Iron', 'electronics', 34.0],
  ['USB Cable', 'electronics', 7.99], ['Coffee Mug', 'home', 9.5], ['Masking Tape', 'hardware', 3.75],
  ['Marker Set', 'office', 11.2],
];
const names = ['ana', 'bo', 'chen', 'dara', 'eli', 'fatima', 'gus', 'hana', 'ivan', 'jo', 'kofi', 'lena'];

const rows = ['order_id,order_date,region,product,category,quantity,unit_price,discount,customer_email,shipped'];
const start = Date.UTC(2024, 0, 1);
for (let i = 0; i < 4000; i++) {
  const [product, category, price] = pick(products);
  const day = new Date(start + Math.floor(rand() * 366) * 86400000).toISOString().slice(0, 10);
  const quantity = 1 + Math.floor(rand() * 12);
  const discount = rand() < 0.3 ? '' : (Math.floor(rand() * 4) * 0.05).toFixed(2);
  const email = `${pick(names)}${Math.floor(rand() * 90) + 10}@example.com`;
  const shipped = rand() < 0.85 ? 'true' : 'false';
  const name = product.includes(' ') && rand() < 0.1 ? `"${product}, ${category}"` : product;
  rows.push([100000 + i, day, pick(regions), name, category, quantity, price.toFixed(2), discount, email, shipped].join(','));
}

mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'sales.csv'), rows.join('\n') + '\n');
console.log(`wrote ${join('public', 'samples', 'sales.csv')} (${rows.length - 1} rows)`);
