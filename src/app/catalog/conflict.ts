import { renamedColumn, tableInputOf, type Column, type ConcurrentModificationError, type Table, type TableInput } from '../../catalog';

/**
 * A save the catalog refused because another tab saved first (Glue's ConcurrentModificationException): the
 * user's edit, kept until they choose, and what is stored now.
 */
export interface EditConflict<T> {
  message: string;
  mine: T;
  /** What is stored now; null when the other tab deleted it. */
  theirs: T | null;
  /** The VersionId stored now: "Save mine anyway" saves with it. */
  theirsVersionId: string | null;
}

/** The conflict a failed save reports, or null for any other failure. */
export function conflictError(err: unknown): ConcurrentModificationError | null {
  return (err as { code?: string } | null)?.code === 'ConcurrentModificationException' ? (err as ConcurrentModificationError) : null;
}

/**
 * The conflict to show for a refused save. `readTheirs` gives the stored value with its VersionId (null when it
 * is gone); it is read after the refusal, so it is what won.
 */
export async function conflictOf<T>(err: ConcurrentModificationError, mine: T, readTheirs: () => Promise<{ value: T; versionId?: string } | null>): Promise<EditConflict<T>> {
  const theirs = await readTheirs().catch(() => null);
  return { message: err.message, mine, theirs: theirs?.value ?? null, theirsVersionId: theirs ? theirs.versionId ?? err.currentVersionId : null };
}

/** A table's definition with one top-level column replaced: name and type trimmed, an empty comment dropped. */
export function withColumn(table: Table | TableInput, index: number, column: Column): TableInput {
  const input = tableInputOf(table);
  const columns = [...(input.StorageDescriptor?.Columns ?? [])];
  // A rename keeps the name the files use in the column's Parameters, so the data still reads (renamedColumn).
  const next: Column = { ...renamedColumn(columns[index]!, column.Name.trim()), Type: column.Type?.trim() };
  if (column.Comment?.trim()) next.Comment = column.Comment.trim(); else delete next.Comment;
  columns[index] = next;
  return { ...input, StorageDescriptor: { ...input.StorageDescriptor, Columns: columns } };
}
