/** Glue's error codes where Glue has one, plus Epoxy's storage failures. */
export type CatalogErrorCode =
  | 'InvalidInputException'
  | 'EntityNotFoundException'
  | 'AlreadyExistsException'
  | 'ConcurrentModificationException'
  | 'QuotaExceeded'
  | 'UpgradeBlocked'
  | 'VersionTooNew'
  | 'StorageError';

/** Every failure of the catalog: `code` is Glue's exception name so callers (and users who know Glue) can match on it. */
export class CatalogError extends Error {
  constructor(readonly code: CatalogErrorCode, message: string) {
    super(message);
    this.name = 'CatalogError';
  }
}

/**
 * Glue's ConcurrentModificationException: a save named the VersionId its editor loaded, and the stored object has
 * moved on (or was deleted, or was created meanwhile). Nothing of the commit was written. `currentVersionId` is
 * what is stored now (null when the object is gone), `expectedVersionId` what the editor held (null: it expected
 * to create the object).
 */
export class ConcurrentModificationError extends CatalogError {
  constructor(
    readonly kind: string,
    readonly objectName: string,
    readonly currentVersionId: string | null,
    readonly expectedVersionId: string | null,
    message: string,
  ) {
    super('ConcurrentModificationException', message);
    this.name = 'ConcurrentModificationError';
  }
}

/** Glue's EntityNotFoundException for `what` ("Table shop.orders"). */
export function notFound(what: string): CatalogError {
  return new CatalogError('EntityNotFoundException', `${what} not found.`);
}

/** Turn a raw IndexedDB failure into a CatalogError that says what happened and what to do. */
export function storageError(err: unknown): unknown {
  if (err instanceof CatalogError) return err;
  const name = (err as { name?: string } | null)?.name;
  if (name === 'QuotaExceededError') {
    return new CatalogError('QuotaExceeded', 'The browser refused to store more data (storage quota exceeded). Nothing from this change was saved. Free space by deleting old table versions or other site data, then try again.');
  }
  if (name === 'VersionError') {
    return new CatalogError('VersionTooNew', 'This catalog was saved by a newer version of Epoxy. Reload the page to get the newest version.');
  }
  return err;
}
