// The CLI prebuilt as plain ES modules in dist-cli/, so `epoxy` starts without tsx compiling ~200 TypeScript
// files at run time (issue 21: that alone was ~1.5 s of CPU before any data was read). bin/epoxy.mjs runs the
// bundle when it is fresh, rebuilds it when a source changed, and falls back to tsx when it cannot build.
// Run directly (`node scripts/cli-bundle.mjs`, also `npm run build:cli`, and `--optional` as npm's `prepare`) to build it now.
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { patchDuckDbGlue } from './duckdb-glue.mjs';

/** Bump when the build's shape changes, so bundles from an older build script are rebuilt. */
export const BUNDLE_FORMAT = 3;
/** The folder of the bundle, relative to the repository root (gitignored). */
export const BUNDLE_DIR = 'dist-cli';
/** Inputs of the build other than the sources esbuild reports (the build script itself, the dependency list). */
const EXTRA_INPUTS = ['scripts/cli-bundle.mjs', 'scripts/duckdb-glue.mjs', 'package.json'];
/** Earlier builds a running process may still be loading chunks from are kept this long. */
const KEEP_OLD_BUILDS_MS = 10 * 60_000;

/**
 * The recorded inputs of a bundle manifest that no longer match the files (missing, other size or mtime), or
 * ['(manifest)'] when there is no usable manifest. Empty means the bundle was built from these exact files.
 * Pure: `statOf(path)` says what is on disk now (null when missing).
 */
export function staleInputs(manifest, statOf) {
  if (!manifest || manifest.format !== BUNDLE_FORMAT || typeof manifest.entry !== 'string' || !manifest.inputs || typeof manifest.inputs !== 'object') return ['(manifest)'];
  const stale = [];
  for (const [path, recorded] of Object.entries(manifest.inputs)) {
    const now = statOf(path);
    if (!now || now.size !== recorded.size || now.mtimeMs !== recorded.mtimeMs) stale.push(path);
  }
  if (statOf(manifest.entry) === null) stale.push(manifest.entry);
  return stale;
}

/**
 * Whether a command runs from the bundle: `bench` needs the harness's TypeScript (Vite, Playwright, bench/)
 * through tsx anyway, and EPOXY_CLI=tsx forces the sources (to debug them with their own line numbers).
 */
export function usesBundle(argv, env) {
  return env.EPOXY_CLI !== 'tsx' && argv[0] !== 'bench';
}

function statOf(root) {
  return (path) => {
    try {
      const s = statSync(join(root, path));
      return { size: s.size, mtimeMs: s.mtimeMs };
    } catch {
      return null;
    }
  };
}

function readManifest(root) {
  try {
    return JSON.parse(readFileSync(join(root, BUNDLE_DIR, 'manifest.json'), 'utf8'));
  } catch {
    return null;
  }
}

/** The file URL of the bundle's entry when it is fresh for these sources, else null. */
export function freshBundle(root) {
  const manifest = readManifest(root);
  return staleInputs(manifest, statOf(root)).length === 0 ? pathToFileURL(join(root, manifest.entry)).href : null;
}

/** duckdb-wasm's blocking Node build, whose Emscripten glue the bundle runs patched (see patchDuckDbGlue). */
const DUCKDB_GLUE = '@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs';

/** The bundle imports duckdb-wasm's blocking build from its patched copy beside the chunks, when there is one. */
function patchedDuckDb(patched) {
  return {
    name: 'duckdb-wasm-patched-glue',
    setup(build) {
      if (patched) build.onResolve({ filter: /^@duckdb\/duckdb-wasm\/blocking$/ }, () => ({ path: './duckdb-node-blocking.cjs', external: true }));
    },
  };
}

/**
 * apache-arrow comes in an ES module and a CommonJS build; duckdb-wasm's Node bundle requires the CommonJS one.
 * Importing the ES one too loads Arrow twice (~150 ms of CPU), so the bundle requires that same copy.
 */
const arrowAsCommonJs = {
  name: 'apache-arrow-commonjs',
  setup(build) {
    build.onResolve({ filter: /^apache-arrow(\/.*)?$/ }, (args) => (args.namespace === 'arrow-cjs' ? { path: args.path, external: true } : { path: args.path, namespace: 'arrow-cjs' }));
    build.onLoad({ filter: /.*/, namespace: 'arrow-cjs' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

/** `epoxy bench` runs through tsx (see usesBundle): its harness is never part of the bundle. */
const benchExternal = {
  name: 'bench-external',
  setup(build) {
    build.onResolve({ filter: /\/bench\/run$/ }, () => ({ path: '../../bench/run.ts', external: true }));
  },
};

/**
 * Build dist-cli/<build>/ from src/cli/main.ts (one chunk per command, npm packages left to Node) and then
 * switch dist-cli/manifest.json to it in one rename, so a concurrent run sees the old build or the new one.
 * Returns the entry's file URL.
 */
export async function buildCliBundle(root) {
  const { build } = await import('esbuild');
  const dir = join(root, BUNDLE_DIR);
  const id = `build-${Date.now().toString(36)}-${process.pid}`;
  const outdir = join(dir, id);
  const gluePath = createRequire(join(root, 'package.json')).resolve(DUCKDB_GLUE);
  const patched = patchDuckDbGlue(readFileSync(gluePath, 'utf8'));
  mkdirSync(outdir, { recursive: true });
  if (patched) writeFileSync(join(outdir, 'duckdb-node-blocking.cjs'), patched);
  const result = await build({
    absWorkingDir: root,
    // The native engine's worker thread is its own entry: native.ts starts it as ./native-worker.mjs.
    entryPoints: { main: 'src/cli/main.ts', 'native-worker': 'src/engine/native-worker.ts' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outdir,
    outExtension: { '.js': '.mjs' },
    // One flat folder: the patched glue is imported as ./duckdb-node-blocking.cjs from every chunk.
    chunkNames: '[name]-[hash]',
    metafile: true,
    logLevel: 'silent',
    // The Arrow shim's require() needs a real require in an ES module.
    banner: { js: "import { createRequire as __epoxyCreateRequire } from 'node:module'; const require = __epoxyCreateRequire(import.meta.url);" },
    plugins: [patchedDuckDb(patched !== null), arrowAsCommonJs, benchExternal],
  });
  const inputs = {};
  const stat = statOf(root);
  const glue = relative(root, gluePath).split(sep).join('/');
  for (const path of [...Object.keys(result.metafile.inputs), ...EXTRA_INPUTS, glue]) {
    if (path.includes(':') || (path.startsWith('node_modules/') && path !== glue)) continue;
    const s = stat(path);
    if (s) inputs[path] = s;
  }
  const entry = relative(root, join(outdir, 'main.mjs')).split(sep).join('/');
  const manifest = { format: BUNDLE_FORMAT, entry, builtAt: new Date().toISOString(), duckdbGluePatched: patched !== null, inputs };
  const tmp = join(dir, `manifest.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(manifest, null, 1));
  renameSync(tmp, join(dir, 'manifest.json'));
  removeOldBuilds(dir, id);
  return pathToFileURL(join(root, entry)).href;
}

function removeOldBuilds(dir, keep) {
  for (const name of readdirSync(dir)) {
    if (!name.startsWith('build-') || name === keep) continue;
    const path = join(dir, name);
    try {
      if (Date.now() - statSync(path).mtimeMs > KEEP_OLD_BUILDS_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Another run removed it first.
    }
  }
}

/**
 * The bundle to run for this checkout: the fresh one, else a new build; null when it cannot be built here
 * (no esbuild, a read-only checkout, a source esbuild rejects), and bin/epoxy.mjs then runs the sources with tsx.
 */
export async function cliBundle(root) {
  const fresh = freshBundle(root);
  if (fresh) return fresh;
  try {
    mkdirSync(join(root, BUNDLE_DIR), { recursive: true });
    return await buildCliBundle(root);
  } catch {
    return null;
  }
}

const invokedDirectly = !!process.argv[1] && existsSync(process.argv[1]) && fileURLToPath(import.meta.url) === realpathSync(process.argv[1]);
if (invokedDirectly) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const t = performance.now();
  try {
    mkdirSync(join(root, BUNDLE_DIR), { recursive: true });
    const url = await buildCliBundle(root);
    console.log(`built ${relative(root, fileURLToPath(url))} in ${Math.round(performance.now() - t)} ms`);
    if (!existsSync(fileURLToPath(url))) process.exitCode = 1;
  } catch (err) {
    // --optional (npm's prepare): an install never fails for it; bin/epoxy.mjs then runs the sources with tsx.
    console.error(`epoxy: the CLI bundle was not built (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); bin/epoxy.mjs will run the sources with tsx`);
    if (!process.argv.includes('--optional')) process.exitCode = 1;
  }
}
