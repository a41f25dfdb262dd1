import type { DroppedFile } from '../../sources/dropped';
import { openFileFormat } from '../../frames/open-file';
import { partitionKeyNames, partitionValues } from '../../crawler/partitions';

/** What a drop opens: single files, and folders that open as one table each. */
export type DropItem =
  | { kind: 'file'; path: string; file: File }
  | { kind: 'folder'; name: string; keys: string[]; files: { path: string; file: File; values: string[] }[] };

/**
 * Group a drop into what opens as a table: a top-level folder whose files share one format (not a workbook,
 * which holds a table per sheet) and sit at the same depth opens as ONE table, its subfolders read as
 * partitions the way the crawler reads them (`k=v` named, others `partition_<i>`); anything else, and a
 * folder holding a single file directly, opens file by file.
 */
export function groupDropped(files: DroppedFile[]): DropItem[] {
  const out: DropItem[] = [];
  const folders = new Map<string, DroppedFile[]>();
  for (const f of files) {
    const slash = f.path.indexOf('/');
    if (slash < 0) { out.push({ kind: 'file', path: f.path, file: f.file }); continue; }
    const root = f.path.slice(0, slash);
    folders.set(root, [...(folders.get(root) ?? []), f]);
  }
  for (const [name, members] of folders) {
    const segments = members.map((m) => m.path.split('/').slice(1, -1));
    const formats = new Set(members.map((m) => openFileFormat(m.path)));
    const [format] = formats;
    const depths = new Set(segments.map((s) => s.length));
    const one = formats.size === 1 && format && format !== 'xlsx' && format !== 'log' && depths.size === 1 && (members.length > 1 || segments[0]!.length > 0);
    if (!one) {
      for (const m of members) out.push({ kind: 'file', path: m.path, file: m.file });
      continue;
    }
    const depth = segments[0]!.length;
    const levels = Array.from({ length: depth }, (_, i) => [...new Set(segments.map((s) => s[i]!))]);
    const keys = partitionKeyNames(levels);
    const sorted = members.map((m, i) => ({ path: m.path, file: m.file, values: partitionValues(segments[i]!) })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    out.push({ kind: 'folder', name, keys, files: sorted });
  }
  return out;
}
