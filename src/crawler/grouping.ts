import { catalogKey } from '../catalog/names';
import { tableNameFromFile, uniqueName } from '../engine/sql';
import type { StructField } from '../schema/types';
import { partitionKeyNames, partitionValues } from './partitions';
import { versionNumber } from '../sources/versions';
import { mergeSchemas, schemaKey, schemaSimilarity } from './similarity';
import type { ClassifiedFile, PartitionCandidate, TableCandidate } from './types';

/** Options of the grouping step, named after Glue's crawler configuration. */
export interface GroupingOptions {
  /** Name of the crawl target folder; null for a set of loose dropped files (each becomes its own table). */
  rootName: string | null;
  tablePrefix?: string;
  /** Glue's CombineCompatibleSchemas: group by format alone, ignoring the similarity threshold. */
  combineCompatibleSchemas?: boolean;
  /** Minimum similarity for folders to be partitions of one table (Glue: more than 70%). */
  similarityThreshold?: number;
  /** Most distinct schemas one table may combine (Glue: 5). */
  maxSchemas?: number;
  /** Glue's TableThreshold: the crawl fails rather than create more tables than this. */
  tableThreshold?: number;
  /** Names already taken (tables in the target database from other crawls). */
  takenNames?: ReadonlySet<string>;
}

/** Thrown when a crawl would create more tables than the TableThreshold allows. */
export class TableThresholdExceeded extends Error {
  constructor(readonly found: number, readonly threshold: number) {
    super(`The crawl found ${found} tables, more than the table threshold of ${threshold}; nothing was written. Raise the threshold or crawl a narrower folder.`);
    this.name = 'TableThresholdExceeded';
  }
}

interface DirNode {
  name: string;
  path: string;
  files: ClassifiedFile[];
  dirs: Map<string, DirNode>;
}

/** A table in the making: files under `root`, each with the folders between the root and the file. */
interface Group {
  root: DirNode;
  classification: string;
  delimiter: string | undefined;
  members: { file: ClassifiedFile; folders: string[] }[];
  depth: number;
  /** A single file's table, named after the file rather than its folder. */
  singleFile?: ClassifiedFile;
}

function buildTree(files: ClassifiedFile[]): DirNode {
  const root: DirNode = { name: '', path: '', files: [], dirs: new Map() };
  for (const file of files) {
    const parts = file.path.split('/').filter(Boolean);
    let node = root;
    for (const part of parts.slice(0, -1)) {
      let child = node.dirs.get(part);
      if (!child) {
        child = { name: part, path: node.path ? `${node.path}/${part}` : part, files: [], dirs: new Map() };
        node.dirs.set(part, child);
      }
      node = child;
    }
    node.files.push(file);
  }
  return root;
}

const formatOf = (f: ClassifiedFile) => ({ classification: f.classification, delimiter: f.properties['delimiter'] });

/**
 * Group classified files into tables the way a Glue crawler does: bottom-up, sibling folders whose
 * schemas are similar enough (and few enough) become partitions of one table rooted at their parent;
 * otherwise each folder is its own table. Unclassified files are left out (the crawl reports them).
 */
export function groupIntoTables(files: ClassifiedFile[], options: GroupingOptions): TableCandidate[] {
  const threshold = options.similarityThreshold ?? 0.7;
  const maxSchemas = options.maxSchemas ?? 5;
  const usable = files.filter((f) => !f.error && f.classification !== 'UNKNOWN');

  const compatible = (groups: Group[]): boolean => {
    const first = groups[0]!;
    if (!groups.every((g) => g.classification === first.classification && g.delimiter === first.delimiter)) return false;
    const schemas = groups.flatMap((g) => g.members.map((m) => m.file.schema));
    const distinct = new Map(schemas.map((s) => [schemaKey(s), s]));
    if (distinct.size > maxSchemas) return false;
    if (options.combineCompatibleSchemas) return true;
    const merged = mergeSchemas([...distinct.values()]);
    return [...distinct.values()].every((s) => schemaSimilarity(s, merged) >= threshold);
  };

  const clusterFiles = (node: DirNode): Group[] => {
    const clusters: Group[] = [];
    const sheets: Group[] = [];
    for (const file of node.files) {
      const single: Group = { root: node, ...formatOf(file), members: [{ file, folders: [] }], depth: 0, singleFile: file };
      // A workbook's sheet is a table of its own: never merged with other files, never a folder's table.
      if (file.sheet !== undefined) { sheets.push(single); continue; }
      const home = clusters.find((c) => compatible([c, single]));
      if (home) {
        home.members.push({ file, folders: [] });
        delete home.singleFile;
      } else clusters.push(single);
    }
    // One cluster is the folder's table (named after the folder); several are named after their first file.
    if (clusters.length === 1) delete clusters[0]!.singleFile;
    return [...clusters, ...sheets];
  };

  const analyze = (node: DirNode, isVirtualRoot: boolean): Group[] => {
    const dirs = [...node.dirs.values()];
    const childGroups = dirs.map((d) => analyze(d, false));
    const fileGroups = isVirtualRoot ? node.files.map((file): Group => ({ root: node, ...formatOf(file), members: [{ file, folders: [] }], depth: 0, singleFile: file })) : clusterFiles(node);
    if (isVirtualRoot || node.dirs.size === 0) return [...childGroups.flat(), ...fileGroups];
    // Only a child folder that is wholly one table can become a partition of this folder's table.
    const children = childGroups.map((g, i) => (g.length === 1 && g[0]!.root === dirs[i] && !g[0]!.singleFile ? g[0]! : null));
    const depths = new Set(children.map((c) => c?.depth));
    // Glue folds even a lone plain folder into a partition level (lake/orders/... becomes table "lake" with
    // partition_0=orders). A lone folder named like a word rather than a value (key=value, 2024, 2024-01-02)
    // names a table, so Epoxy keeps it one.
    const loneTableFolder = dirs.length === 1 && !isValueLikeFolder(dirs[0]!.name);
    if (!loneTableFolder && fileGroups.length === 0 && children.every((c) => c !== null) && depths.size === 1 && compatible(children as Group[])) {
      const kids = children as Group[];
      return [{
        root: node,
        classification: kids[0]!.classification,
        delimiter: kids[0]!.delimiter,
        depth: kids[0]!.depth + 1,
        members: kids.flatMap((k) => k.members.map((m) => ({ file: m.file, folders: [k.root.name, ...m.folders] }))),
      }];
    }
    return [...childGroups.flat(), ...fileGroups];
  };

  const root = buildTree(usable);
  root.name = options.rootName ?? '';
  const groups = analyze(root, options.rootName === null);
  if (options.tableThreshold !== undefined && groups.length > options.tableThreshold) {
    throw new TableThresholdExceeded(groups.length, options.tableThreshold);
  }
  const taken = new Set(options.takenNames ?? []);
  return groups.map((g) => {
    const table = toCandidate(g, options.tablePrefix ?? '', taken, options.rootName);
    taken.add(table.name);
    return table;
  });
}

function toCandidate(group: Group, prefix: string, taken: Set<string>, rootName: string | null): TableCandidate {
  const files = group.members.map((m) => m.file);
  const columns = mergeSchemas(files.map((f) => f.schema));
  // A job's versioned output (lake/sales/_epoxy_v3/...) is the table of the folder the job wrote to.
  const folderName = versionNumber(group.root.name) === null ? group.root.name : (group.root.path.split('/').slice(-2, -1)[0] ?? rootName ?? '');
  const single = group.singleFile;
  const base = !single ? tableNameFromFile(`${folderName || 'data'}.dir`)
    : single.sheet !== undefined ? `${tableNameFromFile(single.path)}_${tableNameFromFile(`${single.sheet}.sheet`).replace(/^t_/, '')}`
    : tableNameFromFile(single.path);
  const name = uniqueName(catalogKey(`${prefix}${base}`), taken);
  const levels = Array.from({ length: group.depth }, (_, i) => [...new Set(group.members.map((m) => m.folders[i]!))]);
  const partitionKeys = partitionKeyNames(levels, new Set(columns.map((c) => catalogKey(c.name))));
  const partitions = new Map<string, PartitionCandidate>();
  if (group.depth > 0) {
    for (const { file, folders } of group.members) {
      const key = folders.join('/');
      let p = partitions.get(key);
      if (!p) {
        p = { values: partitionValues(folders), location: joinPath(group.root.path, key), files: [], recordCount: 0, sizeBytes: 0 };
        partitions.set(key, p);
      }
      p.files.push(file);
      p.recordCount += file.recordCount ?? 0;
      p.sizeBytes += file.size;
    }
  }
  return {
    name,
    location: group.singleFile ? group.singleFile.path : group.root.path,
    classification: group.classification,
    columns,
    partitionKeys,
    partitions: [...partitions.values()].sort((a, b) => a.location.localeCompare(b.location)),
    files,
    parameters: tableParameters(group.classification, files),
    schemaCount: new Set(files.map((f) => schemaKey(f.schema))).size,
  };
}

/** Folder names that read as a partition value rather than a table name. */
export function isValueLikeFolder(name: string): boolean {
  return name.includes('=') || /^[0-9][0-9_.:-]*$/.test(name);
}

function joinPath(a: string, b: string): string {
  return [a, b].filter(Boolean).join('/');
}

/** The table parameters a Glue crawler writes, computed over all files of the table. */
export function tableParameters(classification: string, files: ClassifiedFile[]): Record<string, string> {
  const records = files.reduce((n, f) => n + (f.recordCount ?? 0), 0);
  const bytes = files.reduce((n, f) => n + f.size, 0);
  const params: Record<string, string> = { ...files[0]?.properties, classification };
  params['objectCount'] = String(files.length);
  params['sizeKey'] = String(bytes);
  params['recordCount'] = String(records);
  params['averageRecordSize'] = String(records > 0 ? Math.round(bytes / records) : 0);
  if (files.some((f) => f.recordCountEstimated)) params['recordCountEstimated'] = 'true';
  return params;
}

