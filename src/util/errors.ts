/**
 * The text of a thrown value: an Error's message, anything else as a string (never "[object Object]" for an Error).
 * JavaScript's "Maximum call stack size exceeded" (a JSON value nested thousands of levels deep walked by a
 * recursive reader) becomes what happened and what to do.
 */
export function errorMessage(err: unknown): string {
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return 'its data nests too deeply to read (a value inside a value, thousands of levels down): flatten it first, or open it as text';
  }
  return err instanceof Error ? err.message : String(err);
}
