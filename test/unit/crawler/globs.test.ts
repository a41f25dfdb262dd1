import { describe, expect, it } from 'vitest';
import { Exclusions, globToRegExp } from '../../../src/crawler/globs';
import { parsePartitionSegment, partitionKeyNames, partitionValues } from '../../../src/crawler/partitions';

describe('Glue exclusion globs', () => {
  const matches = (glob: string, path: string) => globToRegExp(glob).test(path);

  it('keeps * within one folder and lets ** cross folders', () => {
    expect(matches('*.csv', 'a.csv')).toBe(true);
    expect(matches('*.csv', 'dir/a.csv')).toBe(false);
    expect(matches('**.csv', 'dir/sub/a.csv')).toBe(true);
    expect(matches('**/_tmp/**', '_tmp/x')).toBe(true);
    expect(matches('**/_tmp/**', 'y/_tmp/x')).toBe(true);
  });

  it('supports ?, classes, negated classes and alternatives', () => {
    expect(matches('log?.txt', 'log1.txt')).toBe(true);
    expect(matches('log?.txt', 'log12.txt')).toBe(false);
    expect(matches('[ab]*.json', 'b1.json')).toBe(true);
    expect(matches('[!ab]*.json', 'b1.json')).toBe(false);
    expect(matches('*.{gz,zip}', 'x.zip')).toBe(true);
    expect(matches('*.{gz,zip}', 'x.tar')).toBe(false);
  });

  it('escapes regex characters in literal parts', () => {
    expect(matches('a+b (1).csv', 'a+b (1).csv')).toBe(true);
    expect(matches('a.csv', 'abcsv')).toBe(false);
  });

  it('excludes whole folders when a pattern names the folder', () => {
    const ex = new Exclusions(['archive/**', 'tmp', '**/*.crc']);
    expect(ex.excludes('archive/2024/a.csv')).toBe(true);
    expect(ex.excludes('tmp/a.csv')).toBe(true);
    expect(ex.excludes('data/part-0.csv.crc')).toBe(true);
    expect(ex.excludes('data/part-0.csv')).toBe(false);
    expect(() => new Exclusions([' '])).toThrow('An exclusion pattern is empty');
  });
});

describe('partition folders', () => {
  it('reads Hive key=value folders and URL-decodes them', () => {
    expect(parsePartitionSegment('Region=us%20east')).toEqual({ key: 'region', value: 'us east' });
    expect(parsePartitionSegment('2024')).toEqual({ key: null, value: '2024' });
    expect(parsePartitionSegment('=x')).toEqual({ key: null, value: '=x' });
    expect(partitionValues(['year=2024', '07'])).toEqual(['2024', '07']);
  });

  it('names levels like Glue: shared key, else partition_<i>; never a column name', () => {
    expect(partitionKeyNames([['year=2023', 'year=2024'], ['01', '02']])).toEqual(['year', 'partition_1']);
    expect(partitionKeyNames([['a=1', 'b=2']])).toEqual(['partition_0']);
    expect(partitionKeyNames([['id=1', 'id=2']], new Set(['id']))).toEqual(['partition_0']);
  });
});
