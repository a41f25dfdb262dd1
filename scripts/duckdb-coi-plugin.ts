import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

/** The module id src/engine/coi.ts imports DuckDB's multi-threaded (cross-origin isolated) bindings from. */
export const COI_MODULE = 'virtual:duckdb-coi-bindings';
const RESOLVED = `\0${COI_MODULE}`;

const coiWorker = fileURLToPath(new URL('../node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-coi.worker.js', import.meta.url));

// The bundle ends by wiring its async dispatcher to the worker's onmessage: the dispatcher class (postMessage +
// instantiate, which builds the bindings over the runtime), then a start function called at once.
const TAIL = /var (\w+)=class extends [\w$]+\{postMessage\(e,t\)\{globalThis\.postMessage\(e,t\)\}async instantiate\(e,t,r\)\{return await new ([\w$]+)\(this,([\w$]+),e,t\)\.instantiate\(r\)\}\};function ([\w$]+)\(\)\{let o=new \1;globalThis\.onmessage=async e=>\{await o\.onMessage\(e\.data\)\}\}\4\(\);return [\w$]+\([\w$]+\);\}\)\(\);/;
const FAIL_WITH = /function ([\w$]+)\(o,e\)\{console\.error\("FAIL WITH: "/;

/**
 * DuckDB-WASM ships its coi build only as an async worker script (a dispatcher that answers postMessage). The
 * Engine runs DuckDB synchronously inside its own worker, so this plugin serves that script as an ES module
 * that exports the bindings class, the browser runtime and its failWith, and does not install the dispatcher:
 * the engine worker then drives the coi build exactly as it drives the blocking eh bundle. A DuckDB-WASM
 * upgrade that changes the bundle's shape fails the build here, never silently at run time.
 */
export function duckdbCoiBindings(): Plugin {
  return {
    name: 'epoxy-duckdb-coi-bindings',
    resolveId: (id) => (id === COI_MODULE ? RESOLVED : null),
    load(id) {
      if (id !== RESOLVED) return null;
      const source = readFileSync(coiWorker, 'utf8').replace(/\/\/# sourceMappingURL=\S+\s*$/, '');
      const tail = TAIL.exec(source);
      const fail = FAIL_WITH.exec(source);
      if (!tail || !fail) throw new Error(`${coiWorker} no longer has the shape scripts/duckdb-coi-plugin.ts expects: update the plugin for this DuckDB-WASM version`);
      const [, , bindings, runtime] = tail;
      const body = source.replace(TAIL, `return { bindings: ${bindings}, runtime: ${runtime}, failWith: ${fail[1]} };})();`);
      return `${body}\nexport const CoiBindings = duckdb.bindings;\nexport const coiRuntime = duckdb.runtime;\nexport const coiFailWith = duckdb.failWith;\n`;
    },
  };
}
