import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE_FORMAT, staleInputs, usesBundle, type BundleManifest } from '../../../scripts/cli-bundle.mjs';
import { patchDuckDbGlue } from '../../../scripts/duckdb-glue.mjs';

const manifest = (inputs: BundleManifest['inputs']): BundleManifest => ({ format: BUNDLE_FORMAT, entry: 'dist-cli/b/main.mjs', inputs });
const disk = (files: Record<string, { size: number; mtimeMs: number }>) => (path: string) => files[path] ?? null;

describe('which CLI bin/epoxy.mjs runs (issue 21: a prebuilt bundle instead of tsx, the sources when it is stale)', () => {
  it('runs the bundle only while every recorded input has the size and mtime it was built from', () => {
    const m = manifest({ 'src/cli/main.ts': { size: 10, mtimeMs: 1000.5 }, 'src/engine/node.ts': { size: 20, mtimeMs: 2000 } });
    const files = { 'src/cli/main.ts': { size: 10, mtimeMs: 1000.5 }, 'src/engine/node.ts': { size: 20, mtimeMs: 2000 }, 'dist-cli/b/main.mjs': { size: 1, mtimeMs: 3000 } };
    expect(staleInputs(m, disk(files))).toEqual([]);
    expect(staleInputs(m, disk({ ...files, 'src/engine/node.ts': { size: 20, mtimeMs: 2001 } }))).toEqual(['src/engine/node.ts']);
    // A checkout of an older commit writes the old content with a new mtime: stale as well, not "older, so fine".
    expect(staleInputs(m, disk({ ...files, 'src/cli/main.ts': { size: 10, mtimeMs: 999 } }))).toEqual(['src/cli/main.ts']);
    expect(staleInputs(m, disk({ ...files, 'src/cli/main.ts': { size: 11, mtimeMs: 1000.5 } }))).toEqual(['src/cli/main.ts']);
    const { 'src/engine/node.ts': _gone, ...deleted } = files;
    expect(staleInputs(m, disk(deleted))).toEqual(['src/engine/node.ts']);
    const { 'dist-cli/b/main.mjs': _entry, ...noEntry } = files;
    expect(staleInputs(m, disk(noEntry))).toEqual(['dist-cli/b/main.mjs']);
  });

  it('treats a missing, unreadable or older-format manifest as stale', () => {
    expect(staleInputs(null, disk({}))).toEqual(['(manifest)']);
    expect(staleInputs({ ...manifest({}), format: BUNDLE_FORMAT - 1 }, disk({ 'dist-cli/b/main.mjs': { size: 1, mtimeMs: 1 } }))).toEqual(['(manifest)']);
    expect(staleInputs({ format: BUNDLE_FORMAT } as unknown as BundleManifest, disk({}))).toEqual(['(manifest)']);
  });

  it('sends `bench` and EPOXY_CLI=tsx to the TypeScript sources, every other command to the bundle', () => {
    expect(usesBundle(['query', 'a.csv'], {})).toBe(true);
    expect(usesBundle([], {})).toBe(true);
    expect(usesBundle(['bench', '--quick'], {})).toBe(false);
    expect(usesBundle(['query', 'a.csv'], { EPOXY_CLI: 'tsx' })).toBe(false);
  });
});

describe("duckdb-wasm's Emscripten glue as the bundle patches it (issue 21: a GOT entry and a table slot per export)", () => {
  const glue = readFileSync(createRequire(import.meta.url).resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'), 'utf8');

  it('patches every copy of the main module relocation in the installed duckdb-wasm, once', () => {
    const patched = patchDuckDbGlue(glue);
    expect(patched).not.toBeNull();
    const sites = glue.split('wasmExports=relocateExports(wasmExports,1024)').length - 1;
    expect(sites).toBeGreaterThan(0);
    expect(patched!.split('__epoxyMainGOT=!0,wasmExports=relocateExports(wasmExports,1024),__epoxyMainGOT=!1').length - 1).toBe(sites);
    expect(patched!.split('!(__epoxyMainGOT&&!(t in GOT))').length - 1).toBe(sites);
    expect(patchDuckDbGlue(patched!)).toBeNull();
  });

  it('leaves a glue it does not recognise alone (another duckdb-wasm version runs unpatched)', () => {
    expect(patchDuckDbGlue('module.exports = {}')).toBeNull();
    expect(patchDuckDbGlue('wasmExports=relocateExports(wasmExports,1024)')).toBeNull();
  });

  it('keeps a side module resolvable: the patched updateGOT still fills entries already in the GOT', () => {
    // The two functions as the glue defines them, run on a toy GOT: only requested symbols get entries now.
    const run = (source: string) => new Function(`
      var GOT = { wanted: { value: 0 } }, table = [];
      var isInternalSym = (s) => s.startsWith('__');
      var addFunction = (f) => table.push(f);
      var err = (m) => { throw new Error(m); };
      var WebAssembly = { Global: function () { this.value = 0; } };
      var ${source.match(/updateGOT=\(e,r\)=>\{.*?\}\}(?=,relocateExports)/)![0]};
      var relocateExports=(e,r,t)=>{var n={};for(var a in e){var o=e[a];typeof o=="object"&&(o=o.value),typeof o=="number"&&(o+=r),n[a]=o}return updateGOT(n,t),n};
      var wasmExports = { wanted: () => 1, other: () => 2, data: 8, __internal: () => 3 };
      var __epoxyMainGOT = false;
      ${source.includes('__epoxyMainGOT=!0') ? '__epoxyMainGOT=!0,' : ''}wasmExports=relocateExports(wasmExports,1024);__epoxyMainGOT=false;
      return { got: Object.keys(GOT).sort(), slots: table.length, wanted: GOT.wanted.value };
    `)();
    expect(run(glue)).toEqual({ got: ['data', 'other', 'wanted'], slots: 2, wanted: 1 });
    expect(run(patchDuckDbGlue(glue)!)).toEqual({ got: ['wanted'], slots: 1, wanted: 1 });
  });
});

describe('bin/epoxy.mjs from the bundle and from the sources (issue 21)', () => {
  it('answers a query the same way on the patched bundle as on tsx and the unpatched glue', () => {
    const dir = mkdtempSync(join(tmpdir(), 'epoxy-bundle-'));
    const csv = join(dir, 'orders.csv');
    writeFileSync(csv, 'id,region,amount,day\n1,eu,2.50,2024-01-02\n2,us,,2024-02-03\n3,eu,7.25,2024-03-04\n');
    const root = join(import.meta.dirname, '..', '..', '..');
    const sql = 'SELECT region, count(*) AS n, sum(amount) AS total, max(day) AS last, list(id ORDER BY id) AS ids FROM orders GROUP BY region ORDER BY region';
    const run = (env: Record<string, string>) => spawnSync(process.execPath, [join(root, 'bin/epoxy.mjs'), 'query', csv, '--sql', sql, '--json'], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
    const bundled = run({});
    const sources = run({ EPOXY_CLI: 'tsx' });
    expect(bundled.stderr).toBe('');
    expect(bundled.status).toBe(0);
    expect(JSON.parse(bundled.stdout)).toEqual([
      { region: 'eu', n: 2, total: 9.75, last: '2024-03-04', ids: [1, 3] },
      { region: 'us', n: 1, total: null, last: '2024-02-03', ids: [2] },
    ]);
    expect(sources.status).toBe(0);
    expect(sources.stdout).toBe(bundled.stdout);
    // Two fresh processes, each starting DuckDB-WASM: minutes on a machine shared by many.
  }, 300_000);
});
