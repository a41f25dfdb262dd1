import { parseArgs } from 'node:util';
import { errorMessage } from '../util/errors';

// Each command imports its own modules when it runs: a `query` never loads the crawler, the catalog store or
// the job runner, and the usage text and argument errors need no engine at all (issue 21: start-up).
/**
 * Start the command's engine before its own modules load: DuckDB's start (a worker thread loading the native
 * library) then overlaps with theirs (issue 21: start-up). A failed start rejects only when awaited.
 */
function startEngine({ inputs = [], ...options }: import('./engine').CliEngineOptions & { inputs?: string[] }) {
  const started = import('./engine').then(({ startCliEngine, inputPaths }) => startCliEngine({ ...options, readable: [...(options.readable ?? []), ...inputPaths(inputs)] }));
  started.catch(() => {});
  return started;
}

const USAGE = `epoxy — AWS Glue-style crawling, cataloging and ETL on DuckDB (native here, DuckDB-WASM in the app)

Usage:
  epoxy query FILE... [--sql "SELECT ..."] [--json] [--limit N] [--trust]
      Open each FILE (CSV/TSV, Parquet, JSON/NDJSON, Avro, ORC, XML, .xlsx sheets, Arrow, .log; gzipped too) as a table named after it (sales.csv -> sales) and run SQL. The SQL
      reads only the FILEs given; --trust lets it read other files and URLs too (read_csv('...')).
  epoxy query --catalog FILE --sql "SELECT ... FROM db.table" [--database DB] [--json] [--limit N]
      Athena over a catalog file (what \`epoxy crawl --catalog\` writes): catalog tables are read from their local
      locations, only the partitions the WHERE clause allows; SHOW TABLES, DESCRIBE db.table, SHOW PARTITIONS and
      SHOW CREATE TABLE answer from the catalog. Unqualified names are looked up in --database. Prints what each
      table read (files and bytes of the total).

  epoxy catalog export --catalog FILE [--format bundle|glue|ddl] [--database DB] [--out PATH]
        [--role ROLE_ARN] [--script-location s3://BUCKET/scripts/] [--temp-dir s3://...] [--output-base s3://...]
      Export a catalog file (the JSON bundle the app downloads) as the bundle, as one
      \`aws glue create-* --cli-input-json\` file per object (--format glue --out DIR), or as Athena DDL.
      --format glue writes databases/, tables/, partitions/, connections/, classifiers/, crawlers/, jobs/,
      workflows/ and triggers/ (create them in that order) and each job's Glue 5.0 script to scripts/.
      It needs --role (the IAM role jobs and crawlers without one run as) and, when there are jobs,
      --script-location (the S3 folder you upload scripts/ to; ScriptLocation is <it>/<job>.py): without
      them it stops and names the flag. --temp-dir (default s3://<script bucket>/temporary/) and
      --output-base (where targets write) are optional; data the tab read locally (dropped files, open
      tables, crawled folders) gets an s3://REPLACE_ME/... placeholder, listed after the export.
  epoxy catalog import --catalog FILE [--database DB] GLUE.json...
      Import \`aws glue get-table(s)\`/get-database(s)/get-partitions output, create-* inputs or bundles
      into the catalog file (created when missing). Existing tables are updated and keep their old version.

  epoxy crawl PATH... [--database DB] [--catalog FILE] [--json] [--name CRAWLER] [--prefix P] [--exclude GLOB]...
        [--full-scan] [--keep-decimals] [--update-behavior UPDATE_IN_DATABASE|LOG] [--delete-behavior DEPRECATE_IN_DATABASE|DELETE_FROM_DATABASE|LOG]
        [--new-folders-only] [--combine] [--table-threshold N] [--athena-names]
      Classify every file, group them into tables and partitions like an AWS Glue crawler (database "default"
      unless given). With --catalog the tables go into that catalog file; --json prints them as Glue
      [{DatabaseName, TableInput}]. Unreadable files are listed; the rest of the crawl still completes.
      --keep-decimals types fixed-scale numbers (12.50, 3.10) decimal(p,s); by default they are double, as in Glue.
      Column names are kept as the files write them, lowercased (as Glue does); --athena-names writes
      Athena-safe ones instead ("Beak Length (mm)" -> beak_length_mm, the original kept with the column).

  epoxy run JOB.json [--input NODE=PATH]... [--arg NAME=VALUE]... [--out DIR] [--catalog FILE] [--trust]
                [--export-sql FILE] [--export-spark FILE] [--export-glue FILE]
      Run a job exported from the app (its DAG as JSON) headless on the same engine. --input reads a source
      node from a local file or folder; targets are written under --out (default ./out). With --catalog,
      catalog sources, job bookmarks, the run history and output tables live in that catalog file.
      A run reads only --input paths and catalog table locations and writes only under --out; its SQL is
      one read-only query per step. --trust lifts this for your own job: sources may read the paths in the
      job file, SQL may read files (read_csv('...')), and S3 targets may PUT to their URLs. Outputs still
      land under --out. Never use --trust for a job someone else wrote.
      --export-sql / --export-spark / --export-glue: after a successful run, write the job as a DuckDB SQL
      script (native duckdb), a plain PySpark script (Spark 3.5 / Glue 5.0's line) and/or an AWS Glue 5.0 job
      script (the same transforms, awsglue sources and sinks), compiled against the schemas the run read; a
      step Spark cannot compute the same way is named instead.

  epoxy bench [--suite coldstart,transform,crawl,memory] [--quick] [--runs N] [--no-browser] [--out FILE]
      Run the benchmarks against DuckDB (native and WASM), papaparse and JSON.parse on generated data
      (kept in bench/data) and write bench/RESULTS.md. Same as \`npm run bench\`; see bench/run.ts.

Options:
  --sql     SQL to run (default: the first rows of the first file)
  --json    print rows as a JSON array of objects
  --limit   maximum rows to print (default 100)
  -h, --help

Environment:
  EPOXY_ENGINE=wasm   run on DuckDB-WASM, the browser's engine, instead of native DuckDB (the default; the
                      CLI falls back to WASM by itself where native DuckDB cannot start)
  EPOXY_THREADS=N     native DuckDB's threads (default: every core)`;

/** Entry point of the `epoxy` command; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '-h' || command === '--help' || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 1;
  }
  try {
    switch (command) {
      case 'query': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: {
            sql: { type: 'string' }, json: { type: 'boolean', default: false }, limit: { type: 'string', default: '100' }, trust: { type: 'boolean', default: false },
            catalog: { type: 'string' }, database: { type: 'string' },
          },
        });
        const limit = Number(values.limit);
        if (!Number.isInteger(limit) || limit < 1) throw new Error(`--limit must be a positive integer, got ${values.limit}`);
        if (values.catalog !== undefined) {
          if (positionals.length) throw new Error('epoxy query --catalog reads catalog tables; give FILEs without --catalog (or crawl them into the catalog)');
          if (!values.sql) throw new Error('epoxy query --catalog needs --sql "SELECT ... FROM db.table" (or SHOW TABLES IN db)');
          const starting = startEngine({});
          const { runCatalogQueryCommand } = await import('./query-catalog');
          const engine = await starting;
          console.log(await runCatalogQueryCommand(engine, { catalogFile: values.catalog, sql: values.sql, database: values.database, json: values.json ?? false, limit }));
          return 0;
        }
        if (values.database !== undefined) throw new Error('--database names the default database of --catalog; give --catalog FILE too');
        const starting = startEngine({ trusted: values.trust ?? false, readable: positionals });
        const { runQueryCommand } = await import('./query');
        const engine = await starting;
        console.log(await runQueryCommand(engine, { files: positionals, sql: values.sql, json: values.json ?? false, limit }));
        return 0;
      }
      case 'catalog': {
        const [sub, ...args] = rest;
        const { values, positionals } = parseArgs({
          args,
          allowPositionals: true,
          options: {
            catalog: { type: 'string' }, format: { type: 'string', default: 'bundle' }, database: { type: 'string' }, out: { type: 'string' },
            role: { type: 'string' }, 'script-location': { type: 'string' }, 'temp-dir': { type: 'string' }, 'output-base': { type: 'string' },
          },
        });
        if (!values.catalog) throw new Error('--catalog FILE is required');
        const { runCatalogExport, runCatalogImport } = await import('./catalog');
        if (sub === 'export') {
          const format = values.format as 'bundle' | 'glue' | 'ddl';
          if (!['bundle', 'glue', 'ddl'].includes(format)) throw new Error(`--format must be bundle, glue or ddl, got ${values.format}`);
          const glueOnly = (['role', 'script-location', 'temp-dir', 'output-base'] as const).filter((k) => values[k] !== undefined);
          if (format !== 'glue' && glueOnly.length) throw new Error(`--${glueOnly[0]} applies to --format glue only`);
          console.log(await runCatalogExport({
            catalogFile: values.catalog, format, database: values.database, out: values.out,
            role: values.role, scriptLocation: values['script-location'], tempDir: values['temp-dir'], outputBase: values['output-base'],
          }));
        } else if (sub === 'import') {
          console.log(await runCatalogImport({ catalogFile: values.catalog, inputs: positionals, database: values.database }));
        } else throw new Error(`unknown catalog command "${sub ?? ''}": use export or import`);
        return 0;
      }
      case 'crawl': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: {
            catalog: { type: 'string' }, database: { type: 'string', default: 'default' }, name: { type: 'string' }, prefix: { type: 'string' },
            exclude: { type: 'string', multiple: true }, 'full-scan': { type: 'boolean', default: false }, 'keep-decimals': { type: 'boolean', default: false }, json: { type: 'boolean', default: false },
            'update-behavior': { type: 'string' }, 'delete-behavior': { type: 'string' }, 'new-folders-only': { type: 'boolean', default: false },
            combine: { type: 'boolean', default: false }, 'table-threshold': { type: 'string' }, 'athena-names': { type: 'boolean', default: false },
          },
        });
        if (positionals.length === 0) throw new Error('give at least one PATH (a folder or a file) to crawl');
        const update = values['update-behavior'];
        if (update && !['UPDATE_IN_DATABASE', 'LOG'].includes(update)) throw new Error(`--update-behavior must be UPDATE_IN_DATABASE or LOG, got ${update}`);
        const del = values['delete-behavior'];
        if (del && !['DEPRECATE_IN_DATABASE', 'DELETE_FROM_DATABASE', 'LOG'].includes(del)) throw new Error(`--delete-behavior must be DEPRECATE_IN_DATABASE, DELETE_FROM_DATABASE or LOG, got ${del}`);
        const threshold = values['table-threshold'] === undefined ? undefined : Number(values['table-threshold']);
        if (threshold !== undefined && (!Number.isInteger(threshold) || threshold < 1)) throw new Error('--table-threshold must be a positive integer');
        const { runCrawlCommand } = await import('./crawl');
        let ok = true;
        const all: unknown[] = [];
        for (const target of positionals) {
          const { text, report, tables } = await runCrawlCommand({
            catalogFile: values.catalog, database: values.database ?? 'default', target, name: values.name, tablePrefix: values.prefix,
            exclude: values.exclude ?? [], fullScan: values['full-scan'] ?? false, keepDecimals: values['keep-decimals'] ?? false, updateBehavior: update as never, deleteBehavior: del as never,
            newFoldersOnly: values['new-folders-only'] ?? false, combine: values.combine ?? false, tableThreshold: threshold, athenaNames: values['athena-names'] ?? false,
            // Progress redraws one line on a terminal; piped to a file or CI log it would run together, so it is skipped there.
            onProgress: values.json || !process.stderr.isTTY ? undefined : (line) => process.stderr.write(`\r${line}\x1b[K`),
          });
          ok &&= report.state === 'COMPLETED';
          if (values.json) {
            all.push(...tables);
            if (report.failures.length || report.error) console.error(text);
          } else {
            if (process.stderr.isTTY) process.stderr.write('\n');
            console.log(text);
          }
        }
        if (values.json) console.log(JSON.stringify(all, null, 2));
        return ok ? 0 : 1;
      }
      case 'run': {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: {
            input: { type: 'string', multiple: true }, arg: { type: 'string', multiple: true }, out: { type: 'string', default: 'out' }, catalog: { type: 'string' },
            trust: { type: 'boolean', default: false }, 'export-sql': { type: 'string' }, 'export-spark': { type: 'string' }, 'export-glue': { type: 'string' },
          },
        });
        if (positionals.length !== 1) throw new Error('give exactly one JOB.json');
        const trust = values.trust ?? false;
        const starting = startEngine({ trusted: trust, inputs: values.input ?? [] });
        const { runJobCommand } = await import('./run');
        const engine = await starting;
        const { result, text } = await runJobCommand(engine, {
          jobFile: positionals[0]!, inputs: values.input ?? [], args: values.arg ?? [], out: values.out ?? 'out', catalogFile: values.catalog, trust,
          exports: { ...(values['export-sql'] ? { sql: values['export-sql'] } : {}), ...(values['export-spark'] ? { spark: values['export-spark'] } : {}), ...(values['export-glue'] ? { glue: values['export-glue'] } : {}) },
          onLog: (line) => process.stderr.write(line + '\n'),
        });
        console.log(text);
        return result.state === 'SUCCEEDED' ? 0 : 1;
      }
      case 'bench': {
        // Loaded on demand: the harness pulls in Playwright and Vite, which no other command needs.
        const { benchOptionsFromArgs, runBenchmarks } = await import('../../bench/run');
        const results = await runBenchmarks(benchOptionsFromArgs(rest));
        return results.some((r) => r.checked.startsWith('FAILED')) ? 1 : 0;
      }
      default:
        console.error(`Unknown command: ${command}\n\n${USAGE}`);
        return 2;
    }
  } catch (err) {
    console.error(`epoxy ${command}: ${errorMessage(err)}`);
    return 1;
  }
}

const invokedDirectly = process.argv[1] && /main\.ts$/.test(process.argv[1]);
if (invokedDirectly) process.exitCode = await main(process.argv.slice(2));
