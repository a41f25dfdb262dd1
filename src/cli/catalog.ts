// `epoxy catalog export|import` over a catalog file (the bundle JSON the app's "Download catalog" writes).
// Node has no IndexedDB: the file is loaded into the real Catalog store on fake-indexeddb, the command runs
// against it (same validation, versions and atomic commits as the browser), and the file is written back.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  bundleFromSnapshot, Catalog, catalogDdl, glueFiles, importGlueJson, parseJsonText, toJsonText, type ImportSummary,
} from '../catalog';

export interface CatalogExportOptions { catalogFile: string; format: 'bundle' | 'glue' | 'ddl'; database?: string; out?: string }
export interface CatalogImportOptions { catalogFile: string; inputs: string[]; database?: string }

/** Load a catalog file into a fresh in-memory Catalog (an empty one when the file does not exist yet). */
export async function loadCatalogFile(path: string): Promise<Catalog> {
  const catalog = await Catalog.open({ factory: new IDBFactory(), name: 'cli' });
  if (existsSync(path)) await importGlueJson(catalog, parseJsonText(await readFile(path, 'utf8'), path));
  return catalog;
}

/** Write the catalog back as a bundle; through a temporary file so a crash never leaves half a catalog. */
export async function saveCatalogFile(catalog: Catalog, path: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, toJsonText(bundleFromSnapshot(await catalog.snapshot())));
  await rename(tmp, path);
}

/** `epoxy catalog export`: the bundle or DDL as text (returned for stdout), or per-object Glue files written to `out`. */
export async function runCatalogExport(o: CatalogExportOptions): Promise<string> {
  if (!existsSync(o.catalogFile)) throw new Error(`catalog file ${o.catalogFile} does not exist`);
  const catalog = await loadCatalogFile(o.catalogFile);
  if (o.database) await catalog.getDatabase(o.database);
  const snap = await catalog.snapshot(o.database);
  catalog.close();
  if (o.format === 'glue') {
    if (!o.out) throw new Error('--format glue writes one file per object: give the folder with --out DIR');
    const files = glueFiles(bundleFromSnapshot(snap));
    for (const f of files) {
      const path = join(o.out, f.path);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, toJsonText(f.json));
    }
    return `Wrote ${files.length} file(s) to ${o.out} (use each with: aws glue create-table --cli-input-json file://tables/DB/TABLE.json, ...)`;
  }
  const text = o.format === 'ddl' ? catalogDdl(snap) : toJsonText(bundleFromSnapshot(snap));
  if (o.out) { await writeFile(o.out, text); return `Wrote ${o.out}`; }
  return text.replace(/\n$/, '');
}

/** `epoxy catalog import`: import Glue JSON files (get-table(s), create-table inputs, bundles) into the catalog file. */
export async function runCatalogImport(o: CatalogImportOptions): Promise<string> {
  if (!o.inputs.length) throw new Error('give at least one Glue JSON file to import');
  const catalog = await loadCatalogFile(o.catalogFile);
  const lines: string[] = [];
  for (const input of o.inputs) {
    const s: ImportSummary = await importGlueJson(catalog, parseJsonText(await readFile(input, 'utf8'), input), { database: o.database });
    lines.push(`${input}: ${s.databases} database(s) created, ${s.tablesCreated} table(s) created, ${s.tablesUpdated} updated, ${s.tablesUnchanged} unchanged, ${s.partitions} partition(s)`);
  }
  await saveCatalogFile(catalog, o.catalogFile);
  catalog.close();
  return lines.join('\n');
}
