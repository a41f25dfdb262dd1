import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { findCycle } from '../../src/util/graph';

// The layering rules of docs/architecture.md that a test can hold: engine/ and the helper folders import nothing
// of ours outside themselves, the core never imports the entry points (app, cli, sw), sources/ never imports
// catalog/, no two folders import each other, and no file-level import circle.

const SRC = resolve(import.meta.dirname, '../../src');
const CORE = ['catalog', 'classifiers', 'crawler', 'engine', 'frames', 'jobs', 'query', 'scheduler', 'schema', 'service', 'share', 'sources', 'storage', 'util'];
/** Folders that import nothing of ours but their own files (engine/ hosts DuckDB; the others are the helpers). */
const SELF_CONTAINED = ['engine', 'storage', 'util'];
const ENTRY = ['app', 'cli', 'sw'];

/** One import of a file: its specifier as written, and whether it brings in types only (erased at build). */
interface Import { spec: string; typeOnly: boolean }

/** The imports of a TypeScript source (static, re-exports and dynamic `import('…')` with a literal). */
function importsOf(code: string, fileName = 'x.ts'): Import[] {
  const sf = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: Import[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : null;
      // `import { type A, type B }` is erased like `import type`; a bare `import './x'` runs the file.
      const allTypes = !!clause && !clause.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly);
      out.push({ spec: node.moduleSpecifier.text, typeOnly: !!clause?.isTypeOnly || allTypes });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : null;
      out.push({ spec: node.moduleSpecifier.text, typeOnly: node.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)) });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      out.push({ spec: node.arguments[0].text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      out.push({ spec: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** The script blocks of a Svelte component, joined (its imports are all there). */
function svelteScripts(code: string): string {
  return [...code.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
}

/** A file's imports resolved to files: relative specifiers only (packages and node: builtins are libraries). */
interface FileImports { file: string; imports: { target: string; typeOnly: boolean }[] }

const EXTENSIONS = ['', '.ts', '.svelte.ts', '.js', '.svelte', '/index.ts'];

function resolveRelative(from: string, spec: string, exists: (path: string) => boolean): string {
  const base = resolve(dirname(from), spec.replace(/\?.*$/, ''));
  for (const ext of EXTENSIONS) {
    if (exists(base + ext)) return base + ext;
  }
  return base; // unresolved: still checked against the folder rules, just never part of a circle
}

/** Every .ts and .svelte file under `dir`. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|svelte)$/.test(name) ? [path] : [];
  });
}

/** The relative imports of every source file under `root`. */
function importGraph(root: string): FileImports[] {
  const isFile = (p: string) => existsSync(p) && statSync(p).isFile();
  return sourceFiles(root).map((file) => {
    const text = readFileSync(file, 'utf8');
    const code = file.endsWith('.svelte') ? svelteScripts(text) : text;
    const imports = importsOf(code, file)
      .filter((i) => i.spec.startsWith('.'))
      .map((i) => ({ target: resolveRelative(file, i.spec, isFile), typeOnly: i.typeOnly }));
    return { file, imports };
  });
}

/** What breaks the rules, one line each (paths relative to `root`); empty when the layering holds. */
function violations(graph: FileImports[], root: string): string[] {
  const rel = (p: string) => relative(root, p).split('\\').join('/');
  const folder = (p: string) => rel(p).split('/')[0]!;
  const problems: string[] = [];
  for (const { file, imports } of graph) {
    const from = folder(file);
    for (const { target } of imports) {
      const to = rel(target).startsWith('..') ? '(outside src)' : folder(target);
      if (SELF_CONTAINED.includes(from) && to !== from) problems.push(`${rel(file)} imports ${rel(target)}: ${from}/ imports only its own files and libraries`);
      if (CORE.includes(from) && ENTRY.includes(to)) problems.push(`${rel(file)} imports ${rel(target)}: the core never imports ${to}/`);
      if (from === 'sources' && to === 'catalog') problems.push(`${rel(file)} imports ${rel(target)}: sources/ sits below catalog/`);
    }
  }
  // Two folders importing each other (types too) have no order between them: one of them holds the other's part.
  const uses = new Set(graph.flatMap(({ file, imports }) => imports.map(({ target }) => `${folder(file)}>${rel(target).startsWith('..') ? '(outside src)' : folder(target)}`)));
  for (const pair of [...uses].sort()) {
    const [a, b] = pair.split('>') as [string, string];
    if (a < b && uses.has(`${b}>${a}`)) problems.push(`${a}/ and ${b}/ import each other`);
  }
  const edges = new Map(graph.map((f) => [f.file, f.imports.filter((i) => !i.typeOnly).map((i) => i.target)]));
  const cycle = findCycle(edges.keys(), (f) => edges.get(f) ?? []);
  if (cycle) problems.push(`import circle: ${cycle.map(rel).join(' -> ')}`);
  return problems;
}

describe('the layering of src/ (docs/architecture.md)', () => {
  it('holds: engine/ imports only itself, the core never imports app/cli/sw, no folders import each other, no file-level import circle (issue 18: catalog/ and sources/ imported each other, versions.ts and store.ts closed a circle)', () => {
    const graph = importGraph(SRC);
    // A parser that found nothing would pass everything.
    expect(graph.length).toBeGreaterThan(200);
    expect(graph.find((f) => f.file === join(SRC, 'catalog/store.ts'))!.imports).toContainEqual({ target: join(SRC, 'catalog/errors.ts'), typeOnly: false });
    expect(violations(graph, SRC)).toEqual([]);
  });
});

describe('the layering checker', () => {
  const root = '/r';
  const graph = (files: Record<string, [string, boolean?][]>): FileImports[] =>
    Object.entries(files).map(([file, imports]) => ({ file: `${root}/${file}`, imports: imports.map(([t, typeOnly]) => ({ target: `${root}/${t}`, typeOnly: !!typeOnly })) }));

  it('refuses engine/ importing another folder, even for a type', () => {
    expect(violations(graph({ 'engine/engine.ts': [['sources/http.ts', true]], 'sources/http.ts': [] }), root))
      .toEqual(['engine/engine.ts imports sources/http.ts: engine/ imports only its own files and libraries']);
  });

  it('refuses a core folder importing app/, cli/ or sw/', () => {
    expect(violations(graph({ 'jobs/run.ts': [['cli/main.ts']], 'crawler/x.ts': [['app/crawlers/model.svelte.ts', true]], 'sw/a.ts': [['scheduler/q.ts']], 'app/a.ts': [['sw/b.ts']] }), root)).toEqual([
      'jobs/run.ts imports cli/main.ts: the core never imports cli/',
      'crawler/x.ts imports app/crawlers/model.svelte.ts: the core never imports app/',
    ]);
  });

  it('refuses two folders importing each other, and sources/ importing catalog/', () => {
    expect(violations(graph({ 'jobs/a.ts': [['frames/b.ts']], 'frames/b.ts': [['jobs/c.ts', true]], 'jobs/c.ts': [] }), root))
      .toEqual(['frames/ and jobs/ import each other']);
    expect(violations(graph({ 'sources/a.ts': [['catalog/b.ts', true]], 'catalog/b.ts': [] }), root))
      .toEqual(['sources/a.ts imports catalog/b.ts: sources/ sits below catalog/']);
  });

  it('finds a circle of value imports and ignores one closed only by a type import', () => {
    expect(violations(graph({ 'catalog/a.ts': [['catalog/b.ts']], 'catalog/b.ts': [['catalog/c.ts']], 'catalog/c.ts': [['catalog/a.ts']] }), root))
      .toEqual(['import circle: catalog/a.ts -> catalog/b.ts -> catalog/c.ts -> catalog/a.ts']);
    expect(violations(graph({ 'catalog/a.ts': [['catalog/b.ts']], 'catalog/b.ts': [['catalog/a.ts', true]] }), root)).toEqual([]);
  });

  it('reads value, type-only, re-exported and dynamic imports', () => {
    const code = [
      "import { a } from './a';",
      "import type { B } from './b';",
      "import { type C, type D } from './c';",
      "import { type E, f } from './e';",
      "import './side-effect';",
      "export { g } from './g';",
      "export type { H } from './h';",
      "const m = await import('./lazy');",
      "let t: import('./typed').T;",
    ].join('\n');
    expect(importsOf(code)).toEqual([
      { spec: './a', typeOnly: false },
      { spec: './b', typeOnly: true },
      { spec: './c', typeOnly: true },
      { spec: './e', typeOnly: false },
      { spec: './side-effect', typeOnly: false },
      { spec: './g', typeOnly: false },
      { spec: './h', typeOnly: true },
      { spec: './lazy', typeOnly: false },
      { spec: './typed', typeOnly: true },
    ]);
  });
});
