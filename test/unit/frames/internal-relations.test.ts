import { beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../../src/engine/node';
import type { Engine } from '../../../src/engine/engine';
import { createEngineService } from '../../../src/service/engine-service';
import { executeJob } from '../../../src/jobs/run';
import { runFrame } from '../../../src/frames/run';
import { createOrders } from './helpers';

let engine: Engine;
beforeAll(async () => {
  engine = await createNodeEngine();
  createOrders(engine, 'orders');
});

const names = (sql: string) => engine.userQuery(sql).rows.map((r) => String(r[0])).sort();

describe('internal relations stay out of the user\'s SQL (issue 15 #12: SHOW TABLES listed __epoxy_tf1_* and __job* tables)', () => {
  it('a Transform preview and a job run leave nothing that SHOW TABLES or duckdb_tables() show in the SQL box; the runs still read and page them', async () => {
    const run = runFrame(engine, { input: 'orders', steps: [{ id: 'r', kind: 'Relationalize', params: {} }, { id: 'f', kind: 'Filter', params: { predicate: { sql: 'id > 1' } } }], sampleRows: 100, namespace: '__epoxy_tf1' });
    expect(run.failure).toBeNull();
    const job = await executeJob({
      version: 1, name: 'j', bookmark: 'job-bookmark-disable', parameters: [],
      nodes: [
        { id: 'src', kind: 'source', source: { type: 'table', name: 'orders' } },
        { id: 'sel', kind: 'transform', inputs: ['src'], step: { id: 'sel', kind: 'SelectFields', params: { paths: ['id'] } } },
        { id: 'out', kind: 'target', inputs: ['sel'], target: { type: 'download', format: 'csv' } },
      ],
    }, { engine: createEngineService(() => Promise.resolve(engine)), listFiles: async () => [], writeFiles: async () => 'download://out' }, { prefix: '__jobpreview_', keepTables: true });
    expect(job.state).toBe('SUCCEEDED');

    // The engine's own connection holds them (temporary tables), so previews page through them…
    expect(engine.query('SELECT count(*) FROM "__epoxy_tf1_2"').rows).toEqual([[3]]);
    expect(engine.query('SELECT count(*) FROM "__jobpreview_sel"').rows).toEqual([[4]]);
    expect(engine.query("SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '\\_\\_%' ESCAPE '\\' AND NOT temporary").rows).toEqual([[0]]);
    // …and the SQL box's connection sees only the user's table.
    expect(names('SHOW TABLES')).toEqual(['orders']);
    expect(names('SELECT table_name FROM duckdb_tables()')).toEqual(['orders']);
    expect(() => engine.userQuery('SELECT * FROM "__epoxy_tf1_2"')).toThrow(/is a name Epoxy keeps for its own tables/);
    expect(() => engine.userQuery('DROP TABLE "__jobpreview_sel"')).toThrow(/is a name Epoxy keeps for its own tables/);
    // A table the user makes in the SQL box is an ordinary one: Transform and jobs read it.
    engine.userQuery('CREATE TABLE mine AS SELECT 1 AS x');
    expect(engine.query('SELECT x FROM mine').rows).toEqual([[1]]);
    // The lock-down is the database's: the SQL box's connection cannot lift it.
    expect(() => engine.userQuery('SET enable_external_access = true')).toThrow(/locked/);
  });
});

describe('a Join reads a Relationalize child table of an earlier step of the same run (issue 15 #9)', () => {
  it('the bound reference names the relation runFrame makes, and the join runs in one preview', async () => {
    const { bindSides, extraRef } = await import('../../../src/app/transform/helpers');
    const steps = bindSides([
      { id: 'rel', kind: 'Relationalize', params: {} },
      { id: 'j', kind: 'Join', params: { right: extraRef('rel', 'root_tags'), leftKeys: ['tags'], rightKeys: ['id'], how: 'inner' } },
    ], '__epoxy_tf9');
    const run = runFrame(engine, { input: 'orders', steps, sampleRows: null, namespace: '__epoxy_tf9' });
    expect(run.failure).toBeNull();
    expect(run.steps[0]!.extras.map((x) => x.relation)).toContain((steps[1] as { params: { right: string } }).params.right);
    // Orders 1 and 4 have tags (10, 20 and 30): one row per tag, its index and value from the child table.
    expect(engine.query(`SELECT id, "index", "tags.val" FROM "${run.steps[1]!.relation}" ORDER BY id, "index"`).rows).toEqual([[1, 0, 10], [1, 1, 20], [4, 0, 30]]);
  });
});
