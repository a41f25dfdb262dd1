/**
 * Corpus of the real-file survey (issue 17): public files from npm packages and GitHub repositories, extracted
 * into a gitignored cache. `manifest.json` (committed) names every file with its source and version, so a run
 * is reproducible; this script re-extracts exactly those files.
 *
 *   npx tsx bench/survey/fetch.ts                 # extract the manifest's files into bench/.cache/survey/files
 *   npx tsx bench/survey/fetch.ts --select        # re-select files from the sources and rewrite manifest.json
 *
 * GitHub sources are read from a bare mirror: /work/.mirror/<owner>+<name>/repo when present, else a blobless
 * bare clone made here (bench/.cache/survey/mirrors), at the manifest's commit. npm sources come from `npm pack`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
export const MANIFEST_PATH = join(here, 'manifest.json');
export const CACHE_DIR = resolve(here, '../.cache/survey');
export const FILES_DIR = join(CACHE_DIR, 'files');

/** Where a file comes from: an npm package version or a GitHub repository at a commit. */
export type Source = { kind: 'npm'; spec: string } | { kind: 'github'; repo: string; commit: string };

/** One file of the corpus. `local` is its path under the cache's files/ folder. */
export interface ManifestFile {
  local: string;
  source: string;
  path: string;
  size: number;
  /** The format its name declares (the survey's grouping; Epoxy decides the classification itself). */
  format: string;
}

export interface Manifest {
  note: string;
  sources: Record<string, Source>;
  files: ManifestFile[];
}

/** The format a file's name declares. */
export function declaredFormat(name: string): string {
  const n = name.toLowerCase();
  if (n.endsWith('.gz')) return 'gzip';
  if (/\.log(\.\d{4}-\d\d-\d\d-\d\d)?$/.test(n) || n.endsWith('.log')) return 'log';
  if (n.endsWith('.geojson') || n.endsWith('.geo.json') || n.endsWith('.topo.json')) return 'json';
  const ext = n.slice(n.lastIndexOf('.') + 1);
  return ({ jsonl: 'ndjson', ndjson: 'ndjson', feather: 'arrow', arrow_file: 'arrow', stream: 'arrow' } as Record<string, string>)[ext] ?? ext;
}

// ---------------------------------------------------------------- selection (--select)

const NPM_SOURCES = ['vega-datasets@3.2.1', 'csv-spectrum@2.0.0', 'world-countries@5.1.0', 'papaparse@5.7.1'];
const GITHUB_REPOS = ['apache/parquet-testing', 'apache/orc', 'apache/avro', 'apache/arrow-testing', 'logpai/loghub', 'elastic/examples'];
const DATA_EXT = /\.(csv|tsv|json|geojson|ndjson|jsonl|xml|avro|parquet|orc|log|gz|arrow|feather|arrow_file|stream)$|\.log\.\d{4}-\d\d-\d\d-\d\d$/i;

/** Every nth of a sorted list, so a large family is represented without dominating the corpus. */
const everyNth = <T>(xs: T[], n: number) => xs.filter((_, i) => i % n === 0);

/** Which files of a package or repository the survey takes (paths as stored in the tarball or tree). */
function selectFrom(source: string, entries: { path: string; size: number }[]): { path: string; size: number }[] {
  const data = entries.filter((e) => DATA_EXT.test(e.path) && e.size > 0).sort((a, b) => a.path.localeCompare(b.path));
  const under = (p: string) => data.filter((e) => e.path.startsWith(p));
  switch (source) {
    case 'npm:vega-datasets@3.2.1': return under('package/data/');
    case 'npm:csv-spectrum@2.0.0': return under('package/csvs/');
    case 'npm:papaparse@5.7.1': return under('package/tests/').filter((e) => /\.csv$/.test(e.path));
    case 'npm:world-countries@5.1.0':
      return [
        ...under('package/dist/').filter((e) => /countries\.(csv|json)$/.test(e.path)),
        ...everyNth(under('package/data/').filter((e) => e.path.endsWith('.geo.json')), 8),
        ...everyNth(under('package/data/').filter((e) => e.path.endsWith('.topo.json')), 25),
      ];
    case 'github:apache/parquet-testing':
      return [
        ...under('data/').filter((e) => /\.(parquet|csv)$/.test(e.path)),
        ...under('bad_data/'),
        ...everyNth(under('shredded_variant/').filter((e) => e.path.endsWith('.parquet')), 14),
      ];
    case 'github:apache/orc':
      return [
        ...under('examples/').filter((e) => /\.(orc|csv)$/.test(e.path)),
        ...under('java/core/src/test/resources/').filter((e) => e.path.endsWith('.orc')),
        // The expected rows, gzipped JSON lines: the gzip part of the corpus.
        ...under('examples/expected/').filter((e) => e.size < 400_000),
      ];
    case 'github:apache/avro': return data.filter((e) => e.path.endsWith('.avro'));
    case 'github:apache/arrow-testing':
      return [
        ...under('data/avro/'),
        ...under('data/csv/aggregate_test_100'),
        ...under('data/parquet/').filter((e) => e.path.endsWith('.parquet') || e.path.endsWith('blogs.json')),
        // Arrow IPC files and streams (issue 17 adds Arrow): every other current file, a few 1.0 streams.
        ...everyNth(under('data/arrow-ipc-stream/integration/cpp-21.0.0/').filter((e) => e.path.endsWith('.arrow_file')), 2),
        ...everyNth(under('data/arrow-ipc-stream/integration/1.0.0-littleendian/').filter((e) => e.path.endsWith('.stream')), 4),
        ...under('data/forward-compatibility/'),
      ];
    case 'github:logpai/loghub': return data.filter((e) => /_2k\.log(_structured\.csv)?$/.test(e.path));
    case 'github:elastic/examples':
      return [
        ...data.filter((e) => /\.(csv|geojson|xml|gz)$/.test(e.path)),
        ...everyNth(data.filter((e) => /\.log(\.\d{4}-\d\d-\d\d-\d\d)?$/.test(e.path)), 4),
        ...everyNth(data.filter((e) => /^(Alerting|Search\/recipe_search_php)\/.*\.json$/.test(e.path)), 3),
      ];
    default: throw new Error(`no selection rule for ${source}`);
  }
}

// ---------------------------------------------------------------- npm and git access

function npmTarball(spec: string): string {
  const dir = join(CACHE_DIR, 'npm');
  mkdirSync(dir, { recursive: true });
  const [name, version] = [spec.slice(0, spec.lastIndexOf('@')), spec.slice(spec.lastIndexOf('@') + 1)];
  const file = join(dir, `${name.replace('/', '-').replace(/^@/, '')}-${version}.tgz`);
  if (!existsSync(file)) execFileSync('npm', ['pack', spec, '--pack-destination', dir, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
  return file;
}

function npmEntries(spec: string): { path: string; size: number }[] {
  const out = execFileSync('tar', ['tzvf', npmTarball(spec)], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return out.split('\n').filter(Boolean).map((line) => {
    const parts = line.trim().split(/\s+/);
    return { path: parts.slice(5).join(' '), size: Number(parts[2]) };
  });
}

function gitDir(repo: string): string {
  const shared = `/work/.mirror/${repo.replace('/', '+')}/repo`;
  if (existsSync(shared)) return shared;
  const own = join(CACHE_DIR, 'mirrors', repo.replace('/', '+'));
  if (!existsSync(own)) execFileSync('git', ['clone', '--bare', '--filter=blob:none', `https://github.com/${repo}.git`, own], { stdio: 'inherit' });
  return own;
}

const git = (repo: string, args: string[]) => execFileSync('git', ['--git-dir', gitDir(repo), ...args], { maxBuffer: 256 << 20 });

function gitEntries(repo: string, commit: string): { path: string; size: number }[] {
  return git(repo, ['ls-tree', '-r', '-l', '-z', commit]).toString('utf8').split('\0').filter(Boolean).flatMap((row) => {
    const [meta, path] = row.split('\t') as [string, string];
    const size = Number(meta.trim().split(/\s+/)[3]);
    // A blob a partial mirror does not hold has size "-": it cannot be extracted.
    return Number.isFinite(size) && hasBlob(repo, `${commit}:${path}`) ? [{ path, size }] : [];
  });
}

function hasBlob(repo: string, spec: string): boolean {
  try {
    execFileSync('git', ['--git-dir', gitDir(repo), 'cat-file', '-e', spec], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function localName(source: string, path: string): string {
  const base = source.replace(/^npm:/, '').replace(/^github:/, '').replace(/@.*$/, '').replace('/', '+');
  return `${base}/${path.replace(/^package\//, '')}`;
}

function select(): Manifest {
  const manifest: Manifest = {
    note: 'Files of the issue-17 real-file survey. Regenerate with `npx tsx bench/survey/fetch.ts --select`; extract with `npx tsx bench/survey/fetch.ts`.',
    sources: {},
    files: [],
  };
  for (const spec of NPM_SOURCES) {
    const id = `npm:${spec}`;
    manifest.sources[id] = { kind: 'npm', spec };
    for (const e of selectFrom(id, npmEntries(spec))) manifest.files.push({ local: localName(id, e.path), source: id, path: e.path, size: e.size, format: declaredFormat(e.path) });
  }
  for (const repo of GITHUB_REPOS) {
    const id = `github:${repo}`;
    const commit = git(repo, ['rev-parse', 'HEAD']).toString().trim();
    manifest.sources[id] = { kind: 'github', repo, commit };
    for (const e of selectFrom(id, gitEntries(repo, commit))) manifest.files.push({ local: localName(id, e.path), source: id, path: e.path, size: e.size, format: declaredFormat(e.path) });
  }
  return manifest;
}

// ---------------------------------------------------------------- extraction

function extract(manifest: Manifest): void {
  let written = 0;
  const byTarball = new Map<string, ManifestFile[]>();
  for (const f of manifest.files) {
    const target = join(FILES_DIR, f.local);
    if (existsSync(target)) continue;
    mkdirSync(dirname(target), { recursive: true });
    const src = manifest.sources[f.source];
    if (!src) throw new Error(`${f.local}: unknown source ${f.source}`);
    if (src.kind === 'github') {
      writeFileSync(target, git(src.repo, ['show', `${src.commit}:${f.path}`]));
      written++;
    } else {
      byTarball.set(src.spec, [...(byTarball.get(src.spec) ?? []), f]);
    }
  }
  for (const [spec, files] of byTarball) {
    const tmp = join(CACHE_DIR, 'npm', `x-${spec.replace(/[^a-z0-9.-]/gi, '_')}`);
    mkdirSync(tmp, { recursive: true });
    execFileSync('tar', ['xzf', npmTarball(spec), '-C', tmp, ...files.map((f) => f.path)]);
    for (const f of files) {
      writeFileSync(join(FILES_DIR, f.local), readFileSync(join(tmp, f.path)));
      written++;
    }
  }
  const total = manifest.files.length;
  console.log(`${total} files in ${FILES_DIR} (${written} extracted now, ${total - written} already there)`);
}

/** Count of files per declared format and source, for the report. */
export function corpusCounts(manifest: Manifest): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const f of manifest.files) {
    const bySource = (out[f.format] ??= {});
    bySource[f.source] = (bySource[f.source] ?? 0) + 1;
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { select: { type: 'boolean', default: false } } });
  let manifest: Manifest;
  if (values.select) {
    manifest = select();
    writeFileSync(MANIFEST_PATH, JSON.stringify(manifest, null, 1) + '\n');
    console.log(`manifest.json: ${manifest.files.length} files from ${Object.keys(manifest.sources).length} sources`);
  } else {
    manifest = JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as Manifest;
  }
  extract(manifest);
  for (const [format, bySource] of Object.entries(corpusCounts(manifest)).sort()) console.log(`  ${format}: ${Object.entries(bySource).map(([s, n]) => `${n} ${s}`).join(', ')}`);
}
