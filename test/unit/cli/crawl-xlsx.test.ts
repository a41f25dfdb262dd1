import 'fake-indexeddb/auto';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCrawlCommand } from '../../../src/cli/crawl';

const fixture = (dir: string, name: string) => fileURLToPath(new URL(`../../fixtures/${dir}/${name}`, import.meta.url));

describe('epoxy crawl on real workbooks and Arrow files', () => {
  it('crawls a folder of real .xlsx (LibreOffice, two sheets) and Arrow C++ files, refusing the LZ4 one by name', async () => {
    const lake = join(mkdtempSync(join(tmpdir(), 'epoxy-crawl-xl-')), 'lake');
    mkdirSync(join(lake, 'primitive'), { recursive: true });
    copyFileSync(fixture('xlsx', 'multiple-sheets.xlsx'), join(lake, 'multiple-sheets.xlsx'));
    copyFileSync(fixture('arrow', 'generated_primitive.arrow_file'), join(lake, 'primitive', 'generated_primitive.arrow'));
    copyFileSync(fixture('arrow', 'generated_lz4.arrow_file'), join(lake, 'lz4.feather'));
    const { report, tables, text } = await runCrawlCommand({ database: 'lake', target: lake, exclude: [], fullScan: false, newFoldersOnly: false, combine: false });
    expect(report.state).toBe('COMPLETED');
    expect(report.tables.sort()).toEqual(['multiple_sheets_sheet_1', 'multiple_sheets_sheet_2', 'primitive']);
    expect(tables.find((t) => t.TableInput.Name === 'multiple_sheets_sheet_2')!.TableInput.Parameters).toMatchObject({ classification: 'xlsx', 'epoxy.sheet': 'sheet 2', recordCount: '1' });
    expect(tables.find((t) => t.TableInput.Name === 'primitive')!.TableInput.Parameters).toMatchObject({ classification: 'arrow', recordCount: '37' });
    expect(report.failures).toEqual([{ path: 'lz4.feather', error: expect.stringMatching(/^looks like arrow but its schema could not be read: its record batches are LZ4-compressed/) }]);
    expect(text).toMatch(/lz4\.feather/);
  });
});
