import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listNodeFolder } from '../../../src/sources/node-files';
import { currentVersionFiles, parseManifest, versionNumber } from '../../../src/sources/versions';

const paths = (xs: string[]) => xs.map((path) => ({ path }));

describe('versioned output folders (issue 16 #2)', () => {
  it('a folder shows its newest complete version only: no half-written one, no replaced one, no older files beside it', () => {
    const files = paths([
      'lake/sales/_epoxy_v1/region=eu/part-00000-a.parquet',
      'lake/sales/_epoxy_v2/region=eu/part-00000-b.parquet',
      'lake/sales/_epoxy_v3/region=eu/part-00000-c.parquet',
      'lake/sales/region=eu/part-00000.parquet',
      'lake/other/x.csv',
    ]);
    expect(currentVersionFiles(files, ['lake/sales/_epoxy_v1', 'lake/sales/_epoxy_v2']).map((f) => f.path)).toEqual(['lake/sales/_epoxy_v2/region=eu/part-00000-b.parquet', 'lake/other/x.csv']);
  });

  it('with no complete version, the older files stay and the half-written version is hidden', () => {
    const files = paths(['sales/_epoxy_v1/part-00000-a.csv', 'sales/part-00000.csv', '_epoxy_v1/x.csv', 'y.csv']);
    expect(currentVersionFiles(files, []).map((f) => f.path)).toEqual(['sales/part-00000.csv', 'y.csv']);
    // Once the listed folder's own version is complete, what lies beside it is the output it replaced.
    expect(currentVersionFiles(files, ['_epoxy_v1']).map((f) => f.path)).toEqual(['_epoxy_v1/x.csv']);
  });

  it('reads version numbers and markers strictly', () => {
    expect(versionNumber('_epoxy_v12')).toBe(12);
    expect(versionNumber('_epoxy_v')).toBeNull();
    expect(versionNumber('epoxy_v1')).toBeNull();
    expect(parseManifest(new Uint8Array())).toBeNull();
    expect(parseManifest(new TextEncoder().encode('{"runId":"jr_1","version":1,"files":[]}'))).toEqual({ runId: 'jr_1', version: 1, files: [] });
    expect(parseManifest(new TextEncoder().encode('{"runId":'))).toBeNull();
  });

  it('listNodeFolder (the CLI crawl) counts a version complete only when its marker holds something', async () => {
    const root = mkdtempSync(join(tmpdir(), 'epoxy-versions-'));
    for (const [path, text] of [['t/_epoxy_v1/a.csv', 'x,y\n1,2\n'], ['t/_epoxy_v1/_SUCCESS', '{}'], ['t/_epoxy_v2/b.csv', 'x,y\n3,4\n'], ['t/_epoxy_v2/_SUCCESS', '']] as const) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    expect((await listNodeFolder(root)).map((s) => s.path)).toEqual(['t/_epoxy_v1/a.csv']);
  });
});
