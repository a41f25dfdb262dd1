import { describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../../src/engine/node';
import { createEngineService } from '../../../src/service/engine-service';
import { renderType } from '../../../src/schema/types';

describe('engine service: frame calls', () => {
  it('opens JSON, runs steps into named relations, pages them, profiles a column and drops the run', async () => {
    const api = createEngineService(createNodeEngine);
    const text = [{ k: 1, v: 'x' }, { k: '2', v: 'y' }, { k: 3, v: null }].map((r) => JSON.stringify(r)).join('\n');
    const opened = await api.openRecords('my data.json', { kind: 'buffer', bytes: new TextEncoder().encode(text) });
    expect(opened.format).toBe('json');
    expect(opened.table).toBe('my_data');
    expect(opened.schema.map((f) => `${f.name}:${renderType(f.type)}`)).toEqual(['k:choice<bigint,string>', 'v:string']);

    const run = await api.runFrame({
      input: 'my_data', sampleRows: 10, namespace: 'svc',
      steps: [{ id: 'rc', kind: 'ResolveChoice', params: { specs: [{ path: 'k', action: 'cast:int' }] } }],
    });
    expect(run.failure).toBeNull();
    expect(run.steps[0]!.relation).toBe('svc_1');
    expect((await api.page('svc_1', 0, 10)).rows).toEqual([[1, 'x'], [2, 'y'], [3, null]]);
    const profile = await api.profileColumn('svc_1', run.steps[0]!.schema[1]!);
    expect(profile).toMatchObject({ nulls: 1, distinct: 2 });

    await expect(api.openRecords('rows.xml', { kind: 'buffer', bytes: new Uint8Array() })).rejects.toThrow('XML needs a rowTag');
    const xml = '<r><item id="1"><name>a</name><tag>x</tag><tag>y</tag></item><item id="2"><name>b</name></item></r>';
    const fromXml = await api.openRecords('items.xml', { kind: 'buffer', bytes: new TextEncoder().encode(xml) }, { rowTag: 'item' });
    expect(fromXml.schema.map((f) => `${f.name}:${renderType(f.type)}`)).toEqual(['_id:string', 'name:string', 'tag:array<string>']);
    expect((await api.page('items', 0, 10)).rows).toEqual([['1', 'a', ['x', 'y']], ['2', 'b', null]]);

    await api.dropFrame('svc');
    await expect(api.page('svc_1', 0, 1)).rejects.toThrow();
  });
});
