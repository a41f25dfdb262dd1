import { catalogKey, illegalNameChar } from '../catalog/names';

/** A folder name read as a partition: Hive-style `key=value`, or an unnamed value. */
export interface PartitionSegment {
  key: string | null;
  value: string;
}

/** Read one folder name as a partition segment (`year=2024` -> key year, value 2024; URL-decoded like Hive). */
export function parsePartitionSegment(folder: string): PartitionSegment {
  const eq = folder.indexOf('=');
  if (eq > 0) return { key: catalogKey(decodeHive(folder.slice(0, eq))), value: decodeHive(folder.slice(eq + 1)) };
  return { key: null, value: folder };
}

function decodeHive(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Name the partition keys of a table from the folder names seen at each partition level:
 * a level where every folder is `k=v` with the same k is named k; any other level is `partition_<i>`,
 * as Glue does. Names that would collide with a column or an earlier key, or that are not valid catalog
 * names, get the positional name.
 */
export function partitionKeyNames(levels: string[][], columnNames: ReadonlySet<string> = new Set()): string[] {
  const names: string[] = [];
  levels.forEach((folders, i) => {
    const keys = new Set(folders.map((f) => parsePartitionSegment(f).key));
    const [only] = keys;
    const named = keys.size === 1 && only ? only : null;
    // Glue keeps `my key=1` as the key "my key"; only a key the catalog would refuse (a control character,
    // over 255 characters) gets the positional name instead of failing the crawl.
    const usable = named && illegalNameChar(named) === null && [...named].length <= 255 ? named : null;
    names.push(usable && !columnNames.has(usable) && !names.includes(usable) ? usable : `partition_${i}`);
  });
  return names;
}

/** The partition values of a file's folders below the table root (`year=2024/month=01` -> [2024, 01]). */
export function partitionValues(folders: string[]): string[] {
  return folders.map((f) => parsePartitionSegment(f).value);
}
