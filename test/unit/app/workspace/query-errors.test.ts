import { describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../../../src/engine/node';
import { errorMessage } from '../../../../src/util/errors';
import { explainQueryError } from '../../../../src/app/workspace/query-errors';

const catalog = { wx: { weather_hive: ['date', 'weather', 'year'] }, default: { kinds: ['kind', 'days'] } };

describe('explainQueryError', () => {
  it('names the open and catalog tables instead of DuckDB\'s "Did you mean "pg_enum"?" (issue 19 newcomer)', async () => {
    // The message as DuckDB-WASM gives it, not a copy typed here.
    const engine = await createNodeEngine();
    let message = '';
    try { await engine.userQuery('SELECT * FROM nope'); } catch (err) { message = errorMessage(err); }
    expect(message).toMatch(/Table with name nope does not exist/);
    const out = explainQueryError(message, { open: ['airports', 'cars'], catalog, defaultDatabase: 'wx' });
    expect(out).toBe('No table named nope in this tab. Open tables: airports, cars. Catalog tables are named db.table, e.g. wx.weather_hive (the default database wx has weather_hive); SHOW TABLES lists them.');
    expect(out).not.toMatch(/pg_|duckdb_/);
  });

  it('keeps a suggestion that is a user table, and says when nothing is open', () => {
    const out = explainQueryError('Catalog Error: Table with name airport does not exist!\nDid you mean "airports"?', { open: ['airports'], catalog: {}, defaultDatabase: null });
    expect(out).toBe('No table named airport in this tab (did you mean airports?). Open tables: airports.');
    expect(explainQueryError('Table with name x does not exist!\nDid you mean "pg_tables"?', { open: [], catalog: {}, defaultDatabase: null }))
      .toBe('No table named x in this tab. No table is open: drop a file, or name a catalog table.');
  });

  it('leaves every other message as it is', () => {
    const msg = 'Parser Error: syntax error at or near "FORM"';
    expect(explainQueryError(msg, { open: ['a'], catalog, defaultDatabase: null })).toBe(msg);
  });
});
