import type { Engine, EngineOptions } from '../engine/engine';

/** What a command asks of its engine. */
export interface CliEngineOptions extends Pick<EngineOptions, 'trusted'> {
  /** Files and folders the command reads (its FILEs, --input paths): read in place (see native.ts). */
  readable?: string[];
}

/**
 * The engine a CLI command runs on: native DuckDB (@duckdb/node-api) behind the same Engine as the browser's,
 * or DuckDB-WASM when EPOXY_ENGINE=wasm or native DuckDB cannot start here (the command still runs, and says
 * so on stderr). Native starts ~10x faster and reads Parquet with DuckDB's own reader (issue 21).
 */
export async function startCliEngine(options: CliEngineOptions = {}, env = process.env): Promise<Engine> {
  const choice = env.EPOXY_ENGINE ?? 'native';
  if (choice !== 'native' && choice !== 'wasm') throw new Error(`EPOXY_ENGINE must be native or wasm, got ${choice}`);
  if (choice === 'native') {
    const threads = cliThreads(env);
    try {
      // DuckDB's worker thread boots (~0.4 s: the native library) while this thread loads the Engine and Arrow.
      const runtime = import('../engine/native-bridge').then((m) => m.startNativeRuntime(threads ? { threads } : {}));
      runtime.catch(() => {});
      const { createNativeEngine } = await import('../engine/native');
      return await createNativeEngine(options, await runtime);
    } catch (err) {
      process.stderr.write(`epoxy: native DuckDB did not start (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); running on DuckDB-WASM\n`);
    }
  }
  const { createNodeEngine } = await import('../engine/node');
  return createNodeEngine(options.trusted !== undefined ? { trusted: options.trusted } : {});
}

/** EPOXY_THREADS: native DuckDB's threads (default: every core). */
function cliThreads(env: NodeJS.ProcessEnv): number | undefined {
  if (env.EPOXY_THREADS === undefined) return undefined;
  const n = Number(env.EPOXY_THREADS);
  if (!Number.isInteger(n) || n < 1) throw new Error(`EPOXY_THREADS must be a positive integer, got ${env.EPOXY_THREADS}`);
  return n;
}

/** The paths of `--input NODE=PATH` pairs. */
export function inputPaths(pairs: string[]): string[] {
  return pairs.map((p) => p.slice(p.indexOf('=') + 1)).filter((p) => p.length > 0);
}
