import { parseArgs } from 'node:util';
import { createNodeEngine } from '../engine/node';
import { runQueryCommand } from './query';

const USAGE = `epoxy — AWS Glue-style crawling, cataloging and ETL on DuckDB-WASM

Usage:
  epoxy query FILE... [--sql "SELECT ..."] [--json] [--limit N]
      Open each CSV/TSV/Parquet FILE as a table named after it (sales.csv -> sales) and run SQL.

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
