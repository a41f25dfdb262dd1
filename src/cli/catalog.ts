// `epoxy catalog export|import` over a catalog file (the bundle JSON the app's "Download catalog" writes).
// Node has no IndexedDB: the file is loaded into the real Catalog store on fake-indexeddb, the command runs
// against it (same validation, versions and atomic commits as the browser), and the file is written back.
import 'fake-indexeddb/auto';
import { glueJobFacts } from '../jobs/script-args';
import { creationOrder, definitionOf, glueScriptsOf } from '../jobs/glue-scripts';
import { IDBFactory } from 'fake-indexeddb';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  bundleFromSnapshot, Catalog, catalogDdl, glueExport, importGlueJson, parseJsonText, toJsonText,
  type CatalogBundle, type GlueExportOptions, type ImportSummary,
} from '../catalog';

export interface CatalogExportOptions extends GlueExportOptions { catalogFile: string; format: 'bundle' | 'glue' | 'ddl'; database?: string; out?: string }
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
  if (o.format === 'glue') return writeGlueFiles(bundleFromSnapshot(snap), o);
  const text = o.format === 'ddl' ? catalogDdl(snap) : toJsonText(bundleFromSnapshot(snap));
  if (o.out) { await writeFile(o.out, text); return `Wrote ${o.out}`; }
  return text.replace(/\n$/, '');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Refuse a Glue export that would need placeholders for what only the user knows: the IAM role of every job
 * and crawler without one, and the S3 folder of the job scripts. Data locations the tab read locally are
 * per source and stay placeholders (listed in the summary), since no one flag could name them.
 */
function checkGlueOptions(bundle: CatalogBundle, o: CatalogExportOptions): void {
  const jobs = bundle.Jobs ?? [];
  const crawlers = bundle.Crawlers ?? [];
  const roleless = [...jobs.filter((j) => !j.Role).map((j) => `job ${j.Name}`), ...crawlers.filter((c) => !c.Role).map((c) => `crawler ${c.Name}`)];
  if (roleless.length && !o.role?.trim()) {
    throw new Error(`--format glue needs --role ROLE_ARN: the IAM role Glue runs ${roleless.slice(0, 3).join(', ')}${roleless.length > 3 ? ` and ${roleless.length - 3} more` : ''} as (e.g. --role arn:aws:iam::123456789012:role/GlueETL)`);
  }
  if (o.role !== undefined && /\s/.test(o.role.trim()) ) throw new Error(`--role must be an IAM role ARN or name without spaces, got "${o.role}"`);
  const scripted = jobs.filter((j) => definitionOf(j) || !/^s3:\/\//.test(j.Command?.ScriptLocation ?? ''));
  if (scripted.length && !o.scriptLocation) {
    throw new Error(`--format glue needs --script-location s3://BUCKET/PREFIX/: the S3 folder you upload the job scripts to (${plural(scripted.length, 'job')}; the export writes them to scripts/ under --out)`);
  }
  for (const [flag, value] of [['--script-location', o.scriptLocation], ['--temp-dir', o.tempDir], ['--output-base', o.outputBase]] as const) {
    if (value !== undefined && !/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/|$)/.test(value)) throw new Error(`${flag} must be an S3 folder such as s3://my-bucket/prefix/, got "${value}"`);
  }
}

/** `--format glue`: one request file per object under `o.out`, the jobs' Glue scripts under scripts/, and a summary. */
async function writeGlueFiles(bundle: CatalogBundle, o: CatalogExportOptions): Promise<string> {
  if (!o.out) throw new Error('--format glue writes one file per object: give the folder with --out DIR');
  checkGlueOptions(bundle, o);
  const options: GlueExportOptions = { role: o.role?.trim(), scriptLocation: o.scriptLocation, tempDir: o.tempDir, outputBase: o.outputBase, jobFacts: glueJobFacts };
  const { files, notes } = glueExport(bundle, options);
  const { files: scripts, failed } = glueScriptsOf(bundle);
  if (failed[0]) throw new Error(`job ${failed[0].job}: its Glue script cannot be exported (${failed[0].why}); nothing was written. The catalog export knows the schemas of catalog tables only: run the job with epoxy run JOB.json --export-glue FILE, or preview it in Epoxy and download its script from the job's Export panel`);
  for (const f of [...files.map((f) => ({ path: f.path, text: toJsonText(f.json) })), ...scripts]) {
    const path = join(o.out, f.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, f.text);
  }
  const lines = [`Wrote ${plural(files.length, 'request file')}${scripts.length ? ` and ${plural(scripts.length, 'job script')}` : ''} to ${o.out}.`];
  if (scripts.length) lines.push(`Upload the scripts first: aws s3 cp ${join(o.out, 'scripts')}/ ${o.scriptLocation!.replace(/\/+$/, '')}/ --recursive`);
  lines.push('Create the objects in this order (each file with aws glue <command> --cli-input-json file://PATH):');
  lines.push(...creationOrder(files).map((c) => `  ${c}`));
  if (notes.length) {
    lines.push(`Check before creating (${plural(notes.length, 'note')}; REPLACE_ME marks a value to replace):`);
    lines.push(...notes.map((n) => `  ${n.file}: ${n.message}`));
  }
  return lines.join('\n');
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
