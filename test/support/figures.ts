import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where reliability tests leave their measured figures (not committed; summarised in test/RELIABILITY.md). */
export const FIGURES_DIR = join(import.meta.dirname, '..', '..', 'reliability-figures');

/** Record what a reliability test measured, as JSON named after the test, for `npm run reliability:report`. */
export function writeFigures(name: string, figures: Record<string, unknown>): void {
  mkdirSync(FIGURES_DIR, { recursive: true });
  writeFileSync(join(FIGURES_DIR, `${name}.json`), JSON.stringify({ recordedAt: new Date().toISOString(), ...figures }, null, 2) + '\n');
}
