import { describe, expect, it } from 'vitest';
import { HISTORY_LIMIT, loadWorkspace, pushHistory, saveWorkspace, WORKSPACE_KEY } from '../../../../src/app/workspace/persist';

function memory(): Storage {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k), clear: () => m.clear(), key: () => null, get length() { return m.size; } };
}

describe('what the Workspace keeps across a reload (issue 19: a reload lost the tables and the SQL text)', () => {
  it('saves and loads the SQL, the history and the open tables', () => {
    const s = memory();
    const state = { sql: 'SELECT 1', history: [{ sql: 'SELECT 1', at: 5, ok: true, rows: 1 }], tables: [{ table: 'trips', path: 'trips', kind: 'kept' as const, files: ['trips/a=1/x.csv'] }, { table: 'picked', path: 'picked', kind: 'handle' as const, handle: 'workspace:picked', files: ['picked/x.csv'] }] };
    saveWorkspace(s, state);
    expect(loadWorkspace(s)).toEqual(state);
  });

  it('reads nothing rather than failing on a missing, corrupt or refused store', () => {
    const s = memory();
    expect(loadWorkspace(s)).toEqual({ sql: '', history: [], tables: [] });
    s.setItem(WORKSPACE_KEY, '{nope');
    expect(loadWorkspace(s)).toEqual({ sql: '', history: [], tables: [] });
    s.setItem(WORKSPACE_KEY, JSON.stringify({ sql: 3, history: [{ sql: 'x' }], tables: [{ table: 't', path: 'p', kind: 'weird' }, { table: 'h', path: 'h', kind: 'handle' }] }));
    expect(loadWorkspace(s)).toEqual({ sql: '', history: [], tables: [] });
    const refusing = { getItem: () => { throw new Error('SecurityError'); }, setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(loadWorkspace(refusing)).toEqual({ sql: '', history: [], tables: [] });
    expect(() => saveWorkspace(refusing, { sql: '', history: [], tables: [] })).not.toThrow();
  });

  it('keeps the newest query first, a rerun moved up rather than repeated, at most HISTORY_LIMIT', () => {
    let h = pushHistory([], { sql: 'SELECT 1', at: 1, ok: true });
    h = pushHistory(h, { sql: 'SELECT 2', at: 2, ok: false, error: 'x' });
    h = pushHistory(h, { sql: ' SELECT 1 ', at: 3, ok: true });
    expect(h.map((e) => e.at)).toEqual([3, 2]);
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) h = pushHistory(h, { sql: `SELECT ${i}`, at: i, ok: true });
    expect(h.length).toBe(HISTORY_LIMIT);
  });
});
