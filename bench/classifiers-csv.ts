/**
 * Full-scan typed CSV inference (Epoxy) against papaparse with dynamicTyping, on generated data.
 * Run: npx tsx bench/classifiers-csv.ts [rows]
 */
import Papa from 'papaparse';
import { fullScan } from '../src/classifiers/full-scan';
import type { ByteSource } from '../src/classifiers/sample';

const rows = Number(process.argv[2] ?? 500_000);
const lines = ['id,name,price,day,ok,ts,score'];
for (let i = 0; i < rows; i++) {
  lines.push(`${i},name ${i % 977},${(i % 1000) + 0.5}0,2024-${String((i % 12) + 1).padStart(2, '0')}-15,${i % 2 ? 'true' : 'false'},2024-01-02 10:${String(i % 60).padStart(2, '0')}:00,${(i * 0.37).toFixed(3)}`);
}
const bytes = new TextEncoder().encode(lines.join('\n') + '\n');
const source: ByteSource = { name: 'bench.csv', size: bytes.length, read: async (o, l) => bytes.subarray(o, o + l) };

async function time(label: string, fn: () => Promise<unknown> | unknown): Promise<number> {
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    await fn();
    best = Math.min(best, performance.now() - t0);
  }
  console.log(`${label}: ${best.toFixed(0)} ms`);
  return best;
}

const epoxy = await time('epoxy fullScan (types + exact count)', () => fullScan(source));
const papa = await time('papaparse dynamicTyping', () => Papa.parse(new TextDecoder().decode(bytes), { header: true, dynamicTyping: true, skipEmptyLines: true }));
console.log(`${(bytes.length / 1e6).toFixed(1)} MB, ${rows} rows; papaparse / epoxy = ${(papa / epoxy).toFixed(2)}x`);
