// The Data Catalog's public API: Glue-shaped records in IndexedDB, versions, Glue JSON and Athena DDL.
export * from './glue-types';
export { CatalogError, ConcurrentModificationError, storageError, type CatalogErrorCode } from './errors';
export { athenaSafe, catalogKey, catalogName, normalizedName, objectName, ORIGINAL_NAME, sourceNameOf } from './names';
export { athenaUnsafeNames, normalizeStoredTable, renamedColumn, withAthenaSafeNames, type NameChange } from './normalize';
export { Catalog, openDatabase, type OpenOptions } from './store';
export { emptySnapshot, type Change, type ChangeOf, type CommitCounts, type CommitResult, type Snapshot, type VersionCheck } from './changes';
export { nameOf } from './object-kinds';
export { MIGRATIONS, SCHEMA_VERSION, type ObjectVersionRecord, type VersionRecord } from './schema';
export { definitionOf, diffObjects, diffProperties, diffSchemas, sameDefinition, sameObjectDefinition, tableInputOf, type ColumnDiff, type PropertyDiff } from './versions';
export { bundleFromSnapshot, glueDatabaseInput, glueExport, glueFiles, gluePartitionInput, glueTableInput, snapshotFromBundle, toJsonText, type CatalogBundle, type ExportFile, type GlueExport, type GlueOperation } from './export-glue';
export { glueSchedule, PLACEHOLDER, ROLE_PLACEHOLDER, s3LocationOf, safeName, scriptFileName, scriptLocationOf, type ExportNote, type GlueExportOptions } from './export-glue-etl';
export { catalogDdl, databaseDdl, hiveIdent, hiveString, partitionsDdl, tableDdl } from './export-ddl';
export { redactForExport } from './redact';
export { importGlueJson, parseJsonText, type ImportSummary } from './import-glue';
export { HIVE, storageFor, type StorageOptions } from './formats';
export { syncCatalog } from './sync';
export { checkColumnType } from './validate';
