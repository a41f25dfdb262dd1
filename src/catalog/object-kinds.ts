import type { IDBPDatabase, IDBPTransaction } from 'idb';
import { CatalogError } from './errors';
import type { Classifier, ObjectKind, ObjectTypes } from './glue-types';
import { catalogName } from './names';
import { STORES, type CatalogSchema, type ObjectStoreName, type StoreName } from './schema';

// Everything the store does differently per kind of ETL object, in one table keyed by the kind: a new kind is
// a new row (and its store in schema.ts), and the table's type refuses to compile without it.

type Db = IDBPDatabase<CatalogSchema>;
type Tx = IDBPTransaction<CatalogSchema, StoreName[], 'readwrite'>;
type ReadTx = IDBPTransaction<CatalogSchema, StoreName[], 'readonly'>;

/** One kind's object store, read and written with that kind's record type (records are keyed by name). */
export interface KindStore<T> {
  get(db: Db, name: string): Promise<T | undefined>;
  getAll(db: Db): Promise<T[]>;
  /** Every record, inside a transaction over all stores (a snapshot). */
  readAll(tx: ReadTx): Promise<T[]>;
  /** The store inside a commit's transaction. */
  in(tx: Tx): { get(name: string): Promise<T | undefined>; put(value: T, name: string): Promise<string>; delete(name: string): Promise<void> };
}

// The store's record type comes from the schema through the store's name; the table below pins each kind to it.
function kindStore<S extends ObjectStoreName>(store: S): KindStore<CatalogSchema[S]['value']> {
  return {
    get: (db, name) => db.get(store, name),
    getAll: (db) => db.getAll(store),
    readAll: (tx) => tx.objectStore(store).getAll(),
    in: (tx) => {
      const s = tx.objectStore(store);
      return { get: (name) => s.get(name), put: (value, name) => s.put(value, name), delete: (name) => s.delete(name) };
    },
  };
}

/** How the store treats one kind of ETL object. */
export interface KindRules<T> {
  /** The kind in messages ("Job nightly not found"). */
  label: string;
  store: KindStore<T>;
  /** The object's name, its key. */
  name(value: T): string;
  /** What a put refuses beyond the name (a crawler's target database must be a legal name). */
  check?(value: T): void;
  /** What the store stamps on each write (a connection's times, as Glue does), after the version is decided. */
  stamp?(value: T, old: T | undefined, now: string): T;
  /** The order `list` returns (custom classifiers: their Epoxy `order`); stored order otherwise. */
  order?(a: T, b: T): number;
}

const CLASSIFIER_KINDS: ('GrokClassifier' | 'XMLClassifier' | 'JsonClassifier' | 'CsvClassifier')[] = ['GrokClassifier', 'XMLClassifier', 'JsonClassifier', 'CsvClassifier'];

function classifierName(c: Classifier): string {
  const kinds = CLASSIFIER_KINDS.filter((k) => c[k] !== undefined);
  if (kinds.length !== 1) throw new CatalogError('InvalidInputException', `A classifier must have exactly one of GrokClassifier, XMLClassifier, JsonClassifier, CsvClassifier (got ${kinds.length ? kinds.join(', ') : 'none'}).`);
  return c[kinds[0]!]!.Name;
}

/** The rules of every ETL kind. */
export const OBJECT_KINDS: { [K in ObjectKind]: KindRules<ObjectTypes[K]> } = {
  connection: {
    label: 'Connection',
    store: kindStore(STORES.connections),
    name: (c) => c.Name,
    // Glue stamps connections; keep the first CreationTime across updates.
    stamp: (c, old, now) => ({ ...c, CreationTime: old?.CreationTime ?? c.CreationTime ?? now, LastUpdatedTime: now }),
  },
  classifier: {
    label: 'Classifier',
    store: kindStore(STORES.classifiers),
    // A classifier's name sits inside its one kind.
    name: classifierName,
    order: (a, b) => (a.order ?? Infinity) - (b.order ?? Infinity),
  },
  crawler: {
    label: 'Crawler',
    store: kindStore(STORES.crawlers),
    name: (c) => c.Name,
    check: (c) => { if (c.DatabaseName) catalogName('database', c.DatabaseName); },
  },
  job: { label: 'Job', store: kindStore(STORES.jobs), name: (j) => j.Name },
  trigger: { label: 'Trigger', store: kindStore(STORES.triggers), name: (t) => t.Name },
};

/** The kinds in the order a snapshot lists their objects. */
export const OBJECT_KIND_ORDER = ['connection', 'classifier', 'crawler', 'job', 'trigger'] satisfies ObjectKind[];
// Compile-time: the order names every kind.
const everyKind: Exclude<ObjectKind, (typeof OBJECT_KIND_ORDER)[number]> extends never ? true : never = true;
void everyKind;

/** The name of an ETL object (a classifier's name sits inside its one kind). */
export function nameOf<K extends ObjectKind>(kind: K, value: ObjectTypes[K]): string {
  return OBJECT_KINDS[kind].name(value);
}
