import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';

let engine: Engine;
let server: Server;
let url = '';
const requests: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'epoxy-lockdown-'));
const secret = join(dir, 'secret.txt');
writeFileSync(secret, 'hunter2\n');
writeFileSync(join(dir, 'people.csv'), 'id,name\n1,ana\n2,bo\n');

beforeAll(async () => {
  server = createServer((req, res) => { requests.push(req.url ?? ''); res.end('a,b\n1,2\n'); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  engine = await createNodeEngine();
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const refused = /disabled by configuration|does not exist|Cannot change configuration option|is refused: this engine writes no file/

describe('a locked engine (issue 14: user SQL could read host files, call out and change later runs)', () => {
  it('reads no file outside /epoxy/, however the path is spelled', () => {
    for (const path of [secret, '/etc/hostname', `/epoxy/../${secret}`, `/epoxy/1/../..${secret}`, '/epoxy/../etc/hostname', `/epoxyx/../..${secret}`]) {
      expect(() => engine.query(`SELECT * FROM read_text('${path}')`), path).toThrow(refused);
      expect(() => engine.query(`SELECT * FROM read_csv('${path}')`), path).toThrow(refused);
    }
    expect(() => engine.query(`SELECT * FROM glob('${dir}/*')`)).toThrow(refused);
    expect(() => engine.query(`SELECT * FROM '${secret}'`)).toThrow(refused);
    // The SQL box says what the boundary is, not only the setting behind it.
    expect(() => engine.query("SELECT * FROM read_text('/etc/hostname')")).toThrow('Cannot read "/etc/hostname": the engine reads only the files you open here');
  });

  it('sends nothing to a listener on 127.0.0.1', () => {
    expect(() => engine.query(`SELECT * FROM read_csv('${url}/x.csv?d=' || (SELECT 'secret'))`)).toThrow();
    expect(() => engine.query(`SELECT * FROM read_text('${url}/y')`)).toThrow(refused);
    expect(requests).toEqual([]);
  });

  it('writes nowhere outside its scratch folder, attaches no file, loads no extension', () => {
    const target = join(dir, 'stolen.csv');
    expect(() => engine.query(`COPY (SELECT 1) TO '${target}'`)).toThrow(refused);
    expect(existsSync(target)).toBe(false);
    expect(() => engine.query(`EXPORT DATABASE '${join(dir, 'dump')}'`)).toThrow(refused);
    expect(existsSync(join(dir, 'dump'))).toBe(false);
    expect(() => engine.query(`ATTACH '${join(dir, 'x.db')}' AS x`)).toThrow(refused);
    expect(() => engine.query('LOAD httpfs')).toThrow(/Loading external extensions is disabled/);
    // Native DuckDB has json built in (LOAD is then a no-op); DuckDB-WASM would download it.
    if (engine.kind === 'wasm') expect(() => engine.query('LOAD json')).toThrow(/Loading external extensions is disabled/);
    expect(() => engine.query('LOAD spatial')).toThrow(/Loading external extensions is disabled/);
  });

  it('keeps every global setting as it started: a SET cannot carry over into a later run', () => {
    const before = engine.query("SELECT value FROM duckdb_settings() WHERE name IN ('custom_extension_repository', 'threads', 'enable_external_access', 'allowed_directories', 'lock_configuration', 'autoload_known_extensions') ORDER BY name").rows;
    for (const set of [`custom_extension_repository='${url}'`, 'threads=1', 'enable_external_access=true', "allowed_directories=['/']", 'lock_configuration=false', 'autoload_known_extensions=true']) {
      expect(() => engine.query(`SET ${set}`), set).toThrow(/Cannot change configuration option/);
    }
    expect(() => engine.query('RESET enable_external_access')).toThrow(/Cannot change configuration option/);
    expect(engine.query("SELECT value FROM duckdb_settings() WHERE name IN ('custom_extension_repository', 'threads', 'enable_external_access', 'allowed_directories', 'lock_configuration', 'autoload_known_extensions') ORDER BY name").rows).toEqual(before);
    expect(requests).toEqual([]);
  });

  it('still reads the files it was given and writes CSV through its scratch folder', async () => {
    const people = await engine.open('people.csv', { kind: 'path', path: join(dir, 'people.csv') });
    expect(engine.query(`SELECT name FROM "${people.table}" ORDER BY id`).rows).toEqual([['ana'], ['bo']]);
    expect(new TextDecoder().decode(engine.copyToBytes(`SELECT * FROM "${people.table}" ORDER BY id`, 'FORMAT csv, HEADER true'))).toBe('id,name\n1,ana\n2,bo\n');
  });

  it('a trusted engine (epoxy run --trust) is not locked', async () => {
    const trusted = await createNodeEngine({ trusted: true });
    expect(trusted.trusted).toBe(true);
    expect(trusted.query(`SELECT content FROM read_text('${secret}')`).rows).toEqual([['hunter2\n']]);
  });
});
