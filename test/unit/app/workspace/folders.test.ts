import { describe, expect, it } from 'vitest';
import { groupDropped } from '../../../../src/app/workspace/folders';

const f = (path: string) => ({ path, file: new File(['x'], path.split('/').pop()!) });
const shape = (items: ReturnType<typeof groupDropped>) => items.map((i) => (i.kind === 'file' ? i.path : { folder: i.name, keys: i.keys, files: i.files.map((x) => [x.path, x.values]) }));

describe('what a drop opens as tables', () => {
  it('opens a Hive folder as one table with its k=v keys (issue 19: six part_0000 tables without year/month)', () => {
    const items = groupDropped([f('trips/year=2024/month=02/part_0000.parquet'), f('trips/year=2024/month=01/part_0000.parquet'), f('airports.csv')]);
    expect(shape(items)).toEqual([
      'airports.csv',
      { folder: 'trips', keys: ['year', 'month'], files: [['trips/year=2024/month=01/part_0000.parquet', ['2024', '01']], ['trips/year=2024/month=02/part_0000.parquet', ['2024', '02']]] },
    ]);
  });

  it('names folders that are not k=v partition_<i>, as the crawler does, and stacks a flat folder of one format', () => {
    expect(shape(groupDropped([f('logs/2024/a.json'), f('logs/2025/b.json')]))).toEqual([{ folder: 'logs', keys: ['partition_0'], files: [['logs/2024/a.json', ['2024']], ['logs/2025/b.json', ['2025']]] }]);
    expect(shape(groupDropped([f('daily/a.csv'), f('daily/b.csv')]))).toEqual([{ folder: 'daily', keys: [], files: [['daily/a.csv', []], ['daily/b.csv', []]] }]);
  });

  it('opens a Hive folder of ORC files as one table too (issue 19: ORC had no reader, so its folders opened file by file)', () => {
    expect(shape(groupDropped([f('cities/year=2024/p.orc'), f('cities/year=2025/p.orc')]))).toEqual([{ folder: 'cities', keys: ['year'], files: [['cities/year=2024/p.orc', ['2024']], ['cities/year=2025/p.orc', ['2025']]] }]);
  });

  it('opens file by file a folder of mixed formats or depths, of workbooks, or of one file', () => {
    expect(shape(groupDropped([f('mix/a.csv'), f('mix/b.json')]))).toEqual(['mix/a.csv', 'mix/b.json']);
    expect(shape(groupDropped([f('deep/a.csv'), f('deep/x=1/b.csv')]))).toEqual(['deep/a.csv', 'deep/x=1/b.csv']);
    expect(shape(groupDropped([f('books/a.xlsx'), f('books/b.xlsx')]))).toEqual(['books/a.xlsx', 'books/b.xlsx']);
    expect(shape(groupDropped([f('one/a.csv')]))).toEqual(['one/a.csv']);
  });
});
