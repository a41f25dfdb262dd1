/**
 * Issue 19, the attacker's pass: hostile files dropped in the Workspace, which now opens every format the
 * crawler reads. Each is refused or read as plain data, with a message a user can act on, never a hang.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine/engine';
import { createNodeEngine } from '../../../src/engine/node';
import { openFile } from '../../../src/frames/open-file';

let engine: Engine;
beforeAll(async () => { engine = await createNodeEngine(); });

const open = (name: string, text: string) => openFile(engine, name, { kind: 'buffer', bytes: new TextEncoder().encode(text) }, text.length);

describe('hostile files in the Workspace', () => {
  it.each([
    ['JSON nested 2,000 objects deep', 'mid.json', '[{"a":' + '{"b":'.repeat(2000) + '1' + '}'.repeat(2000) + '}]'],
    ['NDJSON with an array nested 100,000 deep', 'deep.ndjson', '{"a":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}\n{"a":1}\n'],
  ])('%s says it nests too deeply, not "Maximum call stack size exceeded" (issue 19 attack)', async (_name, file, text) => {
    const err = await open(file, text).then(() => null, (e: unknown) => e as Error);
    expect(err?.message).toMatch(new RegExp(`^Cannot open ${file.replace('.', '\\.')}: its data nests too deeply to read .*flatten it first`));
    expect(err?.message).not.toMatch(/call stack/);
  });

  it('JSON nested a million arrays deep says what it found in its first MiB', async () => {
    await expect(open('deep.json', '['.repeat(1_000_000) + ']'.repeat(1_000_000))).rejects.toThrow(/^Cannot open deep\.json: no JSON records/);
  });

  it('never expands XML entities: a billion-laughs DTD and an external entity stay their literal text', async () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY x SYSTEM "file:///etc/passwd">]>' +
      '<r><row><x>&b;</x></row><row><x>&x;</x></row><row><x>&lt;b&gt;</x></row></r>';
    const [t] = await open('bomb.xml', bomb);
    expect(engine.query(`SELECT x FROM "${t!.table}"`).rows).toEqual([['&b;'], ['&x;'], ['<b>']]);
  });

  it('keeps an HTML header and HTML cells as plain text column names and values', async () => {
    const [t] = await open('evil.csv', '"<img src=x onerror=alert(1)>",b\n"<script>alert(2)</script>",1\n');
    expect(t!.columns[0]!.name).toBe('<img src=x onerror=alert(1)>');
    expect(t!.preview[0]![0]).toBe('<script>alert(2)</script>');
  });
});
