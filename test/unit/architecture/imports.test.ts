import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCycle } from '../../../src/util/graph';

// The import graph of src/, read from the source text: relative imports and re-exports (static and dynamic),
// with `import type` kept apart, since a type-only import is erased and cannot close a loop at run time.
const SRC = resolve(__dirname, '../../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? sourceFiles(path) : /\.(ts|svelte)$/.test(e.name) ? [path] : [];
  });
}

function resolveImport(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.svelte.ts`, join(base, 'index.ts')]) {
    try { if (statSync(candidate).isFile()) return candidate; } catch { /* not this one */ }
  }
  return null;
}

interface Edge { to: string; typeOnly: boolean }

function importsOf(file: string): Edge[] {
  let text = readFileSync(file, 'utf8');
  if (file.endsWith('.svelte')) text = [...text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
  text = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const edges: Edge[] = [];
  const re = /(?:^|[\n;])\s*(?:import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"](\.[^'"]+)['"]/g;
  for (const m of text.matchAll(re)) {
    const to = resolveImport(file, (m[3] ?? m[4] ?? m[5])!);
    if (!to) continue;
    const names = /^\{([\s\S]*)\}$/.exec(m[2]?.trim() ?? '')?.[1]?.split(',').map((n) => n.trim()).filter(Boolean);
    edges.push({ to, typeOnly: !!m[1] || (!!names?.length && names.every((n) => n.startsWith('type '))) });
  }
  return edges;
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f)]));
const rel = (f: string) => relative(SRC, f);
const folderOf = (f: string) => rel(f).split(/[\\/]/)[0]!;

/** Folder pairs that import each other (either way, types too) and the imports that make them. */
function mutualFolders(): Map<string, string[]> {
  const uses = new Map<string, string[]>();
  for (const [from, edges] of graph) {
    for (const { to } of edges) {
      const [a, b] = [folderOf(from), folderOf(to)];
      if (a !== b) uses.set(`${a}->${b}`, [...(uses.get(`${a}->${b}`) ?? []), `${rel(from)} -> ${rel(to)}`]);
    }
  }
  const out = new Map<string, string[]>();
  for (const [pair, list] of uses) {
    const [a, b] = pair.split('->') as [string, string];
    if (a < b && uses.has(`${b}->${a}`)) out.set(`${a} <-> ${b}`, [...list, ...uses.get(`${b}->${a}`)!]);
  }
  return out;
}

// docs/architecture.md lists it under "Known exceptions, to remove": delete it here when it goes.
const KNOWN_MUTUAL = ['jobs <-> service'];

describe('the import graph of src/ (issue 18: catalog/ and sources/ imported each other, versions.ts and store.ts closed a circle)', () => {
  it('reads the imports it is meant to see (a parser that found nothing would pass everything)', () => {
    const store = graph.get(join(SRC, 'catalog/store.ts'))!.map((e) => ({ ...e, to: rel(e.to) }));
    expect(store).toContainEqual({ to: 'catalog/errors.ts', typeOnly: false });
    expect(store).toContainEqual({ to: 'catalog/glue-types.ts', typeOnly: true });
    expect(files.length).toBeGreaterThan(100);
  });

  it('has no file-level import circle through run-time (non-type) imports', () => {
    const next = (f: string) => (graph.get(f) ?? []).filter((e) => !e.typeOnly).map((e) => e.to);
    const cycle = findCycle(files, next);
    expect(cycle?.map(rel) ?? null).toBeNull();
    // The circle issue 18 named: versions.ts imported Catalog for restoreTableVersion, now a Catalog method.
    expect(graph.get(join(SRC, 'catalog/versions.ts'))!.map((e) => rel(e.to))).not.toContain('catalog/store.ts');
  });

  it('has no two folders importing each other, besides the known exceptions', () => {
    const mutual = mutualFolders();
    const unexpected = [...mutual].filter(([pair]) => !KNOWN_MUTUAL.includes(pair));
    expect(Object.fromEntries(unexpected)).toEqual({});
  });

  it('keeps catalog/, scheduler/ and sources/ off each other for IndexedDB plumbing: storage/ imports none of them', () => {
    const fromStorage = files.filter((f) => folderOf(f) === 'storage').flatMap((f) => graph.get(f)!.map((e) => folderOf(e.to)));
    expect(fromStorage.filter((folder) => folder !== 'storage')).toEqual([]);
    const sourcesToCatalog = files.filter((f) => folderOf(f) === 'sources').flatMap((f) => graph.get(f)!.filter((e) => folderOf(e.to) === 'catalog').map((e) => rel(e.to)));
    expect(sourcesToCatalog).toEqual([]);
  });
});
