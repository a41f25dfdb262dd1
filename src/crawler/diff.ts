import type { Change, Crawler, PartitionInput, Table, TableInput } from '../catalog';
import { sameDefinition } from '../catalog/versions';

/** What the crawl will do to the catalog, and the log lines that explain it. */
export interface CrawlPlan {
  changes: Change[];
  log: string[];
  /** `partitionsAdded`: new partitions of tables that existed before (a new table's partitions count with it). */
  counts: { created: number; updated: number; unchanged: number; deleted: number; deprecated: number; logged: number; partitionsAdded: number };
}

/** A table the crawl found, in Glue's shape. */
export interface FoundTable {
  table: TableInput;
  partitions: PartitionInput[];
}

/**
 * Compare what a crawl found with what the catalog holds, applying the crawler's SchemaChangePolicy
 * (UpdateBehavior UPDATE_IN_DATABASE | LOG; DeleteBehavior DEPRECATE_IN_DATABASE | DELETE_FROM_DATABASE | LOG)
 * and RecrawlPolicy. New tables are always created; tables this crawler made before and no longer finds are
 * deleted, deprecated or only logged. New partitions are always added, as Glue does even under LOG.
 */
export function planCatalogChanges(crawler: Crawler, databaseName: string, found: FoundTable[], existing: Table[], nowIso: string, existingPartitions: Record<string, string[][]> = {}): CrawlPlan {
  const update = crawler.SchemaChangePolicy?.UpdateBehavior ?? 'UPDATE_IN_DATABASE';
  const del = crawler.SchemaChangePolicy?.DeleteBehavior ?? 'DEPRECATE_IN_DATABASE';
  const newFoldersOnly = crawler.RecrawlPolicy?.RecrawlBehavior === 'CRAWL_NEW_FOLDERS_ONLY';
  const byName = new Map(existing.map((t) => [t.Name, t]));
  const plan: CrawlPlan = { changes: [{ op: 'ensureDatabase', database: { Name: databaseName, Description: `Created by crawler ${crawler.Name}` } }], log: [], counts: { created: 0, updated: 0, unchanged: 0, deleted: 0, deprecated: 0, logged: 0, partitionsAdded: 0 } };

  for (const { table, partitions } of found) {
    const prior = byName.get(table.Name);
    if (!prior) {
      plan.changes.push({ op: 'putTable', databaseName, table });
      plan.counts.created++;
      plan.log.push(`Created table ${table.Name} (${table.StorageDescriptor?.Columns?.length ?? 0} columns, ${partitions.length} partitions)`);
    } else {
      const reviving = prior.Parameters?.['DEPRECATED_BY_CRAWLER'] !== undefined;
      const same = sameDefinition(stripVolatile(prior), stripVolatile(table));
      if (same && !reviving) {
        plan.counts.unchanged++;
      } else if (newFoldersOnly && !reviving) {
        plan.counts.unchanged++;
        plan.log.push(`Kept table ${table.Name} as it is (recrawl of new folders only)`);
      } else if (update === 'LOG' && !reviving) {
        plan.counts.logged++;
        plan.log.push(`Table ${table.Name} changed but the policy is LOG: the catalog keeps the old definition`);
      } else {
        plan.changes.push({ op: 'putTable', databaseName, table });
        plan.counts.updated++;
        plan.log.push(`Updated table ${table.Name}${reviving ? ' (it was deprecated; found again)' : ''} — the previous definition is kept as a version`);
      }
    }
    if (partitions.length) plan.changes.push({ op: 'putPartitions', databaseName, tableName: table.Name, partitions });
    if (prior) {
      // A new partition folder leaves the definition alone but is news: Glue's crawler reports partitions added.
      const known = new Set((existingPartitions[table.Name] ?? []).map((v) => JSON.stringify(v)));
      const added = partitions.filter((p) => !known.has(JSON.stringify(p.Values)));
      if (added.length) {
        plan.counts.partitionsAdded += added.length;
        const keys = (table.PartitionKeys ?? []).map((k) => k.Name);
        const shown = added.slice(0, 5).map((p) => p.Values.map((v, i) => `${keys[i] ?? `partition_${i}`}=${v}`).join('/'));
        plan.log.push(`Added ${added.length} partition${added.length === 1 ? '' : 's'} to table ${table.Name}: ${shown.join(', ')}${added.length > shown.length ? `, and ${added.length - shown.length} more` : ''}`);
      }
    }
  }

  const foundNames = new Set(found.map((f) => f.table.Name));
  if (!newFoldersOnly) {
    for (const t of existing) {
      if (t.Parameters?.['UPDATED_BY_CRAWLER'] !== crawler.Name || foundNames.has(t.Name)) continue;
      if (del === 'DELETE_FROM_DATABASE') {
        plan.changes.push({ op: 'deleteTable', databaseName, name: t.Name });
        plan.counts.deleted++;
        plan.log.push(`Deleted table ${t.Name}: its data was not found`);
      } else if (del === 'DEPRECATE_IN_DATABASE') {
        if (t.Parameters?.['DEPRECATED_BY_CRAWLER'] !== undefined) continue;
        const { DatabaseName: _d, CreateTime: _c, UpdateTime: _u, VersionId: _v, CreatedBy: _b, IsRegisteredWithLakeFormation: _l, CatalogId: _i, ...input } = t;
        plan.changes.push({ op: 'putTable', databaseName, table: { ...input, Parameters: { ...t.Parameters, DEPRECATED_BY_CRAWLER: nowIso } } });
        plan.counts.deprecated++;
        plan.log.push(`Deprecated table ${t.Name}: its data was not found`);
      } else {
        plan.counts.logged++;
        plan.log.push(`Table ${t.Name} was not found; the policy is LOG, so it stays`);
      }
    }
  }
  return plan;
}

/** Statistics change on every crawl; they alone should not make a new table version. */
function stripVolatile<T extends TableInput>(t: T): TableInput {
  const { recordCount: _r, sizeKey: _s, objectCount: _o, averageRecordSize: _a, recordCountEstimated: _e, ...params } = t.Parameters ?? {};
  return { Name: t.Name, TableType: t.TableType, StorageDescriptor: t.StorageDescriptor, PartitionKeys: t.PartitionKeys, Parameters: params, Description: t.Description };
}
