/** The text of a thrown value: an Error's message, anything else as a string (never "[object Object]" for an Error). */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
