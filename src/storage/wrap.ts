import { wrap, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';

// idb types a database only through openDB<Schema>, which opens with the global indexedDB. The catalog opens
// through the factory it is given (fake-indexeddb's in Node), so it wraps the raw objects itself. The claim is
// the one openDB<Schema> makes unchecked (no library can check a schema against a database on disk), made here
// once: the upgrades that build the database are typed against the same schema.

/** idb's wrapper of an open connection, typed by the schema its upgrades build. */
export function wrapDatabase<Schema extends DBSchema>(db: IDBDatabase): IDBPDatabase<Schema> {
  return wrap(db) as unknown as IDBPDatabase<Schema>;
}

/** idb's wrapper of an upgrade's versionchange transaction, typed by the schema. */
export function wrapUpgrade<Schema extends DBSchema>(tx: IDBTransaction): IDBPTransaction<Schema, StoreNames<Schema>[], 'versionchange'> {
  return wrap(tx) as unknown as IDBPTransaction<Schema, StoreNames<Schema>[], 'versionchange'>;
}
