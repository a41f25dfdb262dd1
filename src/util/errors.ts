/**
 * The text of a thrown value: an Error's message, anything else as a string (never "[object Object]" for an Error).
 * JavaScript's "Maximum call stack size exceeded" (a JSON value nested thousands of levels deep walked by a
 * recursive reader) becomes what happened and what to do.
 */
export function errorMessage(err: unknown): string {
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return 'its data nests too deeply to read (a value inside a value, thousands of levels down): flatten it first, or open it as text';
  }
  if (err instanceof Error) return err.message;
  // A trap inside a WebAssembly module (DuckDB-WASM) carries no message; "[object WebAssembly.Exception]" says nothing.
  if (isWasmException(err)) return WASM_FAILURE;
  return String(err);
}

/** What a WebAssembly exception without a message is reported as. */
export const WASM_FAILURE = 'the engine failed inside its WebAssembly code without saying why (an unsupported read, or too little memory)';

function isWasmException(err: unknown): boolean {
  const Exception = (globalThis as { WebAssembly?: { Exception?: new (...args: never[]) => unknown } }).WebAssembly?.Exception;
  return !!Exception && err instanceof Exception;
}
