/** One query the user ran in the Workspace. */
export interface HistoryEntry {
  sql: string;
  /** Epoch ms. */
  at: number;
  ok: boolean;
  /** Rows of the result, or the error message. */
  rows?: number;
  error?: string;
}

/**
 * A table that was open: `dropped` files cannot come back by themselves after a reload (a page gets no way
 * back to a dropped file), `kept` ones were copied into the workspace (OPFS, under KEPT_FOLDER) and reopen
 * by themselves, `handle` ones came from a folder picked with the File System Access API whose handle is kept
 * (sources/handle-store, under `handle`) and reopen after the user grants read access again, `sample` is the
 * embedded sample.
 */
export interface SavedTable {
  table: string;
  path: string;
  kind: 'dropped' | 'kept' | 'handle' | 'sample';
  /** `handle`: the key of the folder's handle in the handle store. */
  handle?: string;
  /** A folder opened as one table: its files' paths as dropped (the folder name is `path`). */
  files?: string[];
}

/** What the Workspace keeps across reloads. */
export interface SavedWorkspace {
  sql: string;
  history: HistoryEntry[];
  tables: SavedTable[];
}

/** The localStorage key; a new shape gets a new key, so an old one is never misread. */
export const WORKSPACE_KEY = 'epoxy.workspace.v1';
/** The workspace folder (hidden from crawls and listings: dot names are skipped) holding kept copies. */
export const KEPT_FOLDER = '.workspace-files';
/** Queries kept in the history, newest first. */
export const HISTORY_LIMIT = 100;

const EMPTY: SavedWorkspace = { sql: '', history: [], tables: [] };

/** The saved Workspace, or an empty one when nothing (or something unreadable) is saved. */
export function loadWorkspace(storage: Pick<Storage, 'getItem'> | null): SavedWorkspace {
  let raw: string | null = null;
  try { raw = storage?.getItem(WORKSPACE_KEY) ?? null; } catch { return EMPTY; }
  if (!raw) return EMPTY;
  try {
    const v = JSON.parse(raw) as Partial<SavedWorkspace>;
    const history = Array.isArray(v.history) ? v.history.filter((h): h is HistoryEntry => !!h && typeof h.sql === 'string' && typeof h.at === 'number' && typeof h.ok === 'boolean') : [];
    const tables = Array.isArray(v.tables) ? v.tables.filter((t): t is SavedTable => !!t && typeof t.table === 'string' && typeof t.path === 'string' && ['dropped', 'kept', 'handle', 'sample'].includes(t.kind) && (t.kind !== 'handle' || typeof t.handle === 'string')) : [];
    return { sql: typeof v.sql === 'string' ? v.sql : '', history: history.slice(0, HISTORY_LIMIT), tables };
  } catch {
    return EMPTY;
  }
}

/** Save the Workspace; a full or refused storage loses only this save, never the page. */
export function saveWorkspace(storage: Pick<Storage, 'setItem'> | null, state: SavedWorkspace): void {
  try { storage?.setItem(WORKSPACE_KEY, JSON.stringify(state)); } catch { /* private mode or quota: nothing to keep */ }
}

/** The history with a new query first: running the same text again moves it up instead of repeating it. */
export function pushHistory(history: HistoryEntry[], entry: HistoryEntry, limit = HISTORY_LIMIT): HistoryEntry[] {
  return [entry, ...history.filter((h) => h.sql.trim() !== entry.sql.trim())].slice(0, limit);
}
