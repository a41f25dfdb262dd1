import { parseArgs } from 'node:util';
import { createNodeEngine } from '../engine/node';
import { runCatalogExport, runCatalogImport } from './catalog';
import { runQueryCommand } from './query';

const USAGE = `epoxy — AWS Glue-style crawling, cataloging and ETL on DuckDB-WASM

Usage:
  epoxy query FILE... [--sql "SELECT ..."] [--json] [--limit N]
      Open each CSV/TSV/Parquet FILE as a table named after it (sales.csv -> sales) and run SQL.

  epoxy catalog export --catalog FILE [--format bundle|glue|ddl] [--database DB] [--out PATH]
      Export a catalog file (the JSON bundle the app downloads) as the bundle, as one
      \`aws glue create-* --cli-input-json\` file per object (--format glue --out DIR), or as Athena DDL.
  epoxy catalog import --catalog FILE [--database DB] GLUE.json...
      Import \`aws glue get-table(s)\`/get-database(s)/get-partitions output, create-* inputs or bundles
      into the catalog file (created when missing). Existing tables are updated and keep their old version.

  epoxy bench [--suite coldstart,transform,crawl,memory] [--quick] [--runs N] [--no-browser] [--out FILE]
      Run the benchmarks against DuckDB (native and WASM), papaparse and JSON.parse on generated data
      (kept in bench/data) and write bench/RESULTS.md. Same as \`npm run bench\`; see bench/run.ts.

Options:
  --sql     SQL to run (default: the first rows of the first file)
  --json    print rows as a JSON array of objects
  --limit   maximum rows to print (default 100)
  -h, --help`;

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
          options: { sql: { type: 'string' }, json: { type: 'boolean', default: false }, limit: { type: 'string', default: '100' } },
        });
        const limit = Number(values.limit);
        if (!Number.isInteger(limit) || limit < 1) throw new Error(`--limit must be a positive integer, got ${values.limit}`);
        const engine = await createNodeEngine();
        console.log(await runQueryCommand(engine, { files: positionals, sql: values.sql, json: values.json ?? false, limit }));
        return 0;
      }
      case 'catalog': {
        const [sub, ...args] = rest;
        const { values, positionals } = parseArgs({
          args,
          allowPositionals: true,
          options: { catalog: { type: 'string' }, format: { type: 'string', default: 'bundle' }, database: { type: 'string' }, out: { type: 'string' } },
        });
        if (!values.catalog) throw new Error('--catalog FILE is required');
        if (sub === 'export') {
          const format = values.format as 'bundle' | 'glue' | 'ddl';
          if (!['bundle', 'glue', 'ddl'].includes(format)) throw new Error(`--format must be bundle, glue or ddl, got ${values.format}`);
          console.log(await runCatalogExport({ catalogFile: values.catalog, format, database: values.database, out: values.out }));
        } else if (sub === 'import') {
          console.log(await runCatalogImport({ catalogFile: values.catalog, inputs: positionals, database: values.database }));
        } else throw new Error(`unknown catalog command "${sub ?? ''}": use export or import`);
        return 0;
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
    console.error(`epoxy ${command}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

const invokedDirectly = process.argv[1] && /main\.ts$/.test(process.argv[1]);
if (invokedDirectly) process.exitCode = await main(process.argv.slice(2));
