import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCatalogExport, runCatalogImport } from '../../../src/cli/catalog';
import { FIXTURES, fixture } from '../catalog/fixtures';

const root = join(import.meta.dirname, '../../..');
const fresh = () => mkdtempSync(join(tmpdir(), 'epoxy-catalog-cli-'));

describe('epoxy catalog (functions)', () => {
  it('imports get-tables and batch-create-partition JSON into a new catalog file, then exports Glue files and DDL', async () => {
    const dir = fresh();
    const file = join(dir, 'catalog.json');
    const out = await runCatalogImport({ catalogFile: file, inputs: [join(FIXTURES, 'get-tables.sales.json'), join(FIXTURES, 'sales.orders.batch-create-partition.json')] });
    expect(out).toContain('1 database(s) created, 2 table(s) created');
    expect(JSON.parse(readFileSync(file, 'utf8')).Format).toBe('epoxy-glue-catalog');

    await runCatalogExport({ catalogFile: file, format: 'glue', out: join(dir, 'glue') });
    expect(readFileSync(join(dir, 'glue/tables/sales/orders.json'), 'utf8')).toBe(fixture('sales.orders.create-table.json'));
    expect(readFileSync(join(dir, 'glue/partitions/sales/orders.json'), 'utf8')).toBe(fixture('sales.orders.batch-create-partition.json'));
    const ddl = await runCatalogExport({ catalogFile: file, format: 'ddl', database: 'sales' });
    expect(ddl).toContain(fixture('sales.events.ddl.sql').trimEnd());
    expect(ddl).toContain(fixture('sales.orders.ddl.sql').trimEnd());
  });

  it('a second import updates tables, keeping versions in the file; the file round-trips unchanged', async () => {
    const dir = fresh();
    const file = join(dir, 'catalog.json');
    await runCatalogImport({ catalogFile: file, inputs: [join(FIXTURES, 'get-tables.sales.json')] });
    const changed = JSON.parse(fixture('sales.events.create-table.json'));
    changed.TableInput.Description = 'Clickstream events';
    writeFileSync(join(dir, 'events.json'), JSON.stringify(changed));
    expect(await runCatalogImport({ catalogFile: file, inputs: [join(dir, 'events.json')] })).toContain('0 table(s) created, 1 updated, 0 unchanged');
    expect(await runCatalogImport({ catalogFile: file, inputs: [join(dir, 'events.json')] })).toContain('0 updated, 1 unchanged');
    const text = readFileSync(file, 'utf8');
    const versions = JSON.parse(text).History.TableVersions.find((v: { TableName: string }) => v.TableName === 'events').TableVersions;
    expect(versions.map((v: { VersionId: string }) => v.VersionId)).toEqual(['1', '0']);
    expect(await runCatalogExport({ catalogFile: file, format: 'bundle' })).toBe(text.trimEnd());
  });

  it('refuses a bad document without touching the catalog file', async () => {
    const dir = fresh();
    const file = join(dir, 'catalog.json');
    await runCatalogImport({ catalogFile: file, inputs: [join(FIXTURES, 'sales.create-database.json')] });
    const before = readFileSync(file, 'utf8');
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ TableInput: { Name: 'x', StorageDescriptor: { Columns: [{ Name: 'a', Type: 'array<' }] } }, DatabaseName: 'sales' }));
    await expect(runCatalogImport({ catalogFile: file, inputs: [join(dir, 'bad.json')] })).rejects.toThrow(/column "a" has an invalid type/);
    expect(readFileSync(file, 'utf8')).toBe(before);
    await expect(runCatalogExport({ catalogFile: join(dir, 'none.json'), format: 'bundle' })).rejects.toThrow(/does not exist/);
  });
});

describe('epoxy catalog (the real command)', () => {
  it('runs import and export through bin/epoxy.mjs', () => {
    const dir = fresh();
    const file = join(dir, 'c.json');
    const run = (...args: string[]) => spawnSync(process.execPath, [join(root, 'bin/epoxy.mjs'), 'catalog', ...args], { encoding: 'utf8', cwd: root });
    const imported = run('import', '--catalog', file, join(FIXTURES, 'get-tables.sales.json'));
    expect(imported.stderr).toBe('');
    expect(imported.status).toBe(0);
    expect(existsSync(file)).toBe(true);
    const ddl = run('export', '--catalog', file, '--format', 'ddl');
    expect(ddl.status).toBe(0);
    expect(ddl.stdout).toContain('CREATE EXTERNAL TABLE `sales`.`orders`');
    const bad = run('export', '--catalog', file, '--format', 'xml');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('--format must be bundle, glue or ddl');
  });
});
