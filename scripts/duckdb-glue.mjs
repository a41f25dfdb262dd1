// The one home of the patch to DuckDB-WASM's Emscripten glue, shared by the CLI bundler (scripts/cli-bundle.mjs,
// Node build) and the app's Vite build (vite.config.ts, the engine worker's browser build). Plain ES module with
// no imports, so vite.config.ts and the bundler load it without a TypeScript step.

const GLUE_MAIN_RELOCATE = 'wasmExports=relocateExports(wasmExports,1024)';
const GLUE_UPDATE_GOT = 'updateGOT=(e,r)=>{for(var t in e)if(!isInternalSym(t)){';

/**
 * DuckDB-WASM is an Emscripten MAIN_MODULE (so it could dlopen extensions) exporting 75,011 symbols. On
 * instantiation the glue gives every export a WebAssembly.Global in the GOT and a slot in the function table
 * (one table.grow each): ~370 ms of CPU and ~80 MB of a start spent for side modules Epoxy never loads
 * (extensions are off: autoload disabled, nothing downloadable offline). The patch lets the main module fill
 * only the GOT entries already asked for (its own GOT imports); a side module's symbols are still resolved,
 * lazily, by reportUndefinedSymbols from wasmImports (which keeps every export). Pure: returns the patched
 * source, or null when this version of the glue does not have the expected code (the caller then uses it as is).
 */
export function patchDuckDbGlue(source) {
  const count = (needle) => source.split(needle).length - 1;
  const sites = count(GLUE_MAIN_RELOCATE);
  if (sites === 0 || count(GLUE_UPDATE_GOT) !== sites || source.includes('__epoxyMainGOT')) return null;
  return 'var __epoxyMainGOT=!1;' + source
    .split(GLUE_MAIN_RELOCATE).join(`__epoxyMainGOT=!0,${GLUE_MAIN_RELOCATE},__epoxyMainGOT=!1`)
    .split(GLUE_UPDATE_GOT).join('updateGOT=(e,r)=>{for(var t in e)if(!isInternalSym(t)&&!(__epoxyMainGOT&&!(t in GOT))){');
}

/** The module the engine worker imports (vite.config.ts aliases 'duckdb-browser-blocking' to it). */
const BROWSER_GLUE = '/@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs';

/**
 * Vite plugin: the engine worker's copy of DuckDB's browser glue, patched by patchDuckDbGlue (issue 21, cold
 * start). A duckdb-wasm whose glue the patch does not recognise is built as it is, with a build warning: the
 * engine then starts slower, with the same results. The module is matched by its path inside the package,
 * because node_modules may be a symlink and Vite hands transform the real path.
 */
export function duckdbGluePlugin() {
  return {
    name: 'epoxy-duckdb-glue',
    transform(code, id) {
      if (!(id.split('?')[0] ?? id).replaceAll('\\', '/').endsWith(BROWSER_GLUE)) return null;
      const patched = patchDuckDbGlue(code);
      if (patched === null) {
        this.warn(`the DuckDB-WASM glue in ${id} is not the one scripts/duckdb-glue.mjs knows how to patch: the engine starts unpatched (slower, same results)`);
        return null;
      }
      // A prefix on the first line and a few inserted statements of minified glue: no source map worth keeping.
      return { code: patched, map: null };
    },
  };
}
