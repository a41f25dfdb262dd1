/** A file the user handed us, with its path relative to what was dropped (folders keep their structure). */
export interface DroppedFile {
  path: string;
  file: File;
}

/** Names that are never data: OS litter and hidden files. */
export function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || name === 'Thumbs.db' || name === 'desktop.ini' || name.startsWith('_SUCCESS') || name.startsWith('~$');
}

/** Read every entry of a directory (readEntries returns them in batches until an empty one). */
async function readAllEntries(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

async function walkEntry(entry: FileSystemEntry, prefix: string, out: DroppedFile[]): Promise<void> {
  if (isIgnoredName(entry.name)) return;
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ path, file });
  } else if (entry.isDirectory) {
    for (const child of await readAllEntries(entry as FileSystemDirectoryEntry)) await walkEntry(child, path, out);
  }
}

/**
 * Collect the files of a drop, descending into dropped folders. Entries must be taken synchronously
 * from the DataTransfer (it is emptied once the event handler returns), then walked.
 */
export async function filesFromDataTransfer(dt: DataTransfer): Promise<DroppedFile[]> {
  const entries: FileSystemEntry[] = [];
  const plain: File[] = [];
  for (const item of Array.from(dt.items ?? [])) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.();
    if (entry) entries.push(entry);
    else {
      const file = item.getAsFile();
      if (file) plain.push(file);
    }
  }
  if (entries.length === 0 && plain.length === 0) plain.push(...Array.from(dt.files ?? []));
  const out: DroppedFile[] = plain.filter((f) => !isIgnoredName(f.name)).map((file) => ({ path: file.name, file }));
  for (const entry of entries) await walkEntry(entry, '', out);
  return out;
}

/** Files from an <input type=file> (with webkitdirectory, their relative paths are kept). */
export function filesFromInput(list: FileList | null): DroppedFile[] {
  return Array.from(list ?? [])
    .filter((file) => !isIgnoredName(file.name))
    .map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}
