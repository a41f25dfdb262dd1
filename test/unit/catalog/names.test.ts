import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { athenaSafe, catalogKey, catalogName, normalizedName, ORIGINAL_NAME, storageFor, type TableInput } from '../../../src/catalog';
import { freshCatalog } from './helpers';
import { normalizedNames } from '../../../src/catalog/names';
import { athenaUnsafeNames, renamedColumn, withAthenaSafeNames } from '../../../src/catalog/normalize';
import { normalizeTableInput } from '../../../src/catalog/validate';

describe('catalog names as Glue has them (issue 17)', () => {
  it('admits the spreadsheet headers the catalog refused, lowercased as Glue stores them', () => {
    for (const [raw, stored] of [
      ['Order ID', 'order id'], ['Beak Length (mm)', 'beak length (mm)'], ['US Gross', 'us gross'], ['adjusted CO2', 'adjusted co2'],
      ['name.common', 'name.common'], ['c_customer_sk:', 'c_customer_sk:'], ['Größe', 'größe'], ['売上', '売上'], ['a\tb', 'a\tb'], ['😀', '😀'],
    ]) expect(catalogName('column', raw!)).toBe(stored);
  });

  it('refuses only what Glue\'s pattern refuses: control characters, lone surrogates, U+FFFE, over 255 characters', () => {
    expect(() => catalogName('column', 'a\nb')).toThrow('The column name "a?b" contains the control character U+000A: Glue names are single-line text (tab allowed).');
    expect(() => catalogName('column', 'a\u0000')).toThrow(/U\+0000/);
    expect(() => catalogName('table', '\ud800x')).toThrow(/U\+D800/);
    expect(() => catalogName('column', '\ufffe')).toThrow(/U\+FFFE/);
    expect(() => catalogName('column', 'x'.repeat(256))).toThrow(/256 characters long; Glue allows at most 255/);
    expect(catalogName('column', '😀'.repeat(255))).toHaveLength(510); // 255 characters, 510 UTF-16 units
    expect(() => catalogName('column', '')).toThrow('A column name is required.');
  });

  it('a table input with such columns and partition keys validates; duplicates still clash case-insensitively', () => {
    const input: TableInput = { Name: 'Orders', StorageDescriptor: { Columns: [{ Name: 'Order ID', Type: 'bigint' }, { Name: 'Unit Price ($)', Type: 'double' }] }, PartitionKeys: [{ Name: 'Order Region', Type: 'string' }] };
    const out = normalizeTableInput('db', input);
    expect(out.StorageDescriptor!.Columns!.map((c) => c.Name)).toEqual(['order id', 'unit price ($)']);
    expect(out.PartitionKeys!.map((c) => c.Name)).toEqual(['order region']);
    expect(() => normalizeTableInput('db', { Name: 't', StorageDescriptor: { Columns: [{ Name: 'A b', Type: 'int' }, { Name: 'a B', Type: 'int' }] } })).toThrow(/"a b" is used twice/);
  });
});

describe('one key for a name (issue 18: the store keyed names with catalogName in some places, a bare toLowerCase in others)', () => {
  const spellings = [['Shop', 'SHOP', 'shop'], ['Größe', 'GRÖße', 'größe'], ['ΣΑΣ', 'Σας', 'σας'], ['İstanbul', 'i̇stanbul'], ['Beak Length (mm)', 'beak LENGTH (MM)']];

  it('what a write files under (catalogName) is what a read looks up (catalogKey), for mixed-case and Unicode names', () => {
    for (const group of spellings) {
      for (const raw of group) expect(catalogKey(raw)).toBe(catalogName('table', raw));
      expect(new Set(group.map(catalogKey)).size).toBe(1);
    }
  });

  it('a database, table and partitions written under one spelling are read, changed and deleted under any other', async () => {
    const { catalog } = await freshCatalog();
    for (const [write, read] of [['ΣΑΣ', 'Σας'], ['İstanbul', 'i̇stanbul'], ['Größe', 'GRÖße']] as const) {
      await catalog.createDatabase({ Name: write });
      await catalog.createTable(write, { Name: write, PartitionKeys: [{ Name: 'Day', Type: 'string' }], StorageDescriptor: { Columns: [{ Name: 'x', Type: 'int' }] } });
      await catalog.createPartitions(read, write, [{ Values: ['1'] }]);
      await catalog.commit([{ op: 'putPartitions', databaseName: write, tableName: read, partitions: [{ Values: ['2'] }] }]);
      expect((await catalog.getDatabase(read)).Name).toBe(catalogKey(write));
      expect((await catalog.getTable(read, read)).Name).toBe(catalogKey(write));
      expect((await catalog.getPartitions(write, read)).map((p) => p.Values)).toEqual([['1'], ['2']]);
      await catalog.commit([{ op: 'deletePartitions', databaseName: read, tableName: write, values: [['1']] }]);
      expect((await catalog.getPartitions(read, read)).map((p) => p.Values)).toEqual([['2']]);
      expect((await catalog.getTableVersions(read, write)).map((v) => v.VersionId)).toEqual(['0']);
      expect((await catalog.snapshot(read)).tables.map((t) => t.Name)).toEqual([catalogKey(write)]);
      const gone = await catalog.deleteDatabase(read);
      expect([gone.databases.length, gone.tables.length, gone.partitions.length, gone.versions.length]).toEqual([1, 1, 1, 1]);
    }
    expect(await catalog.getDatabases()).toEqual([]);
  });
});

describe('Athena-safe normalisation', () => {
  it('turns names into [a-z0-9_] the way a person would', () => {
    expect(normalizedName('Beak Length (mm)')).toBe('beak_length_mm');
    expect(normalizedName('Unit Price ($)')).toBe('unit_price');
    expect(normalizedName('name.common')).toBe('name_common');
    expect(normalizedName('c_customer_sk:')).toBe('c_customer_sk');
    expect(normalizedName('Größe')).toBe('grosse');
    expect(normalizedName('Café Crème')).toBe('cafe_creme');
    expect(normalizedName('2019')).toBe('col_2019');
    expect(normalizedName('売上')).toBe('col');
    expect(athenaSafe('order_id')).toBe(true);
    expect(athenaSafe('2019')).toBe(false);
    expect(athenaSafe('order id')).toBe(false);
  });

  it('keeps the results unique among themselves and the names already safe', () => {
    expect(normalizedNames(['a b', 'a-b', 'a_b', '売上', '収益'])).toEqual(['a_b_1', 'a_b_2', 'a_b', 'col', 'col_1']);
    const long = normalizedNames([`${'x'.repeat(255)} `, `${'x'.repeat(255)}-`]);
    expect(long.map((n) => n.length)).toEqual([255, 255]);
    expect(new Set(long).size).toBe(2);
  });

  it('every result is Athena-safe and unique, whatever the input (property)', () => {
    fc.assert(fc.property(fc.array(fc.string({ minLength: 1, maxLength: 20 }), { maxLength: 12 }), (names) => {
      const out = normalizedNames(names.map((n) => n.toLowerCase()));
      expect(out.every(athenaSafe)).toBe(true);
      const safeInputs = names.map((n) => n.toLowerCase()).filter(athenaSafe);
      expect(new Set(out).size).toBe(out.length - (safeInputs.length - new Set(safeInputs).size));
    }));
  });

  it('renames a JSON table\'s columns and keys, keeps the originals in Parameters and maps them in the OpenX SerDe', () => {
    const columns = [{ Name: 'species', Type: 'string' }, { Name: 'beak length (mm)', Type: 'double' }];
    const { StorageDescriptor, Parameters } = storageFor('json', { location: 's3://b/penguins/', columns });
    const table: TableInput = { Name: 'penguins', StorageDescriptor, Parameters, PartitionKeys: [{ Name: 'study site', Type: 'string' }] };
    expect(athenaUnsafeNames(table)).toEqual([{ kind: 'column', from: 'beak length (mm)', to: 'beak_length_mm' }, { kind: 'partition key', from: 'study site', to: 'study_site' }]);
    const partition = { Values: ['dream'], StorageDescriptor: { ...StorageDescriptor, Location: 's3://b/penguins/study site=dream/' } };
    const next = withAthenaSafeNames(table, [partition]);
    const cols = next.table.StorageDescriptor!.Columns!;
    expect(cols.map((c) => c.Name)).toEqual(['species', 'beak_length_mm']);
    expect(cols[1]!.Parameters).toEqual({ [ORIGINAL_NAME]: 'beak length (mm)' });
    expect(next.table.PartitionKeys).toEqual([{ Name: 'study_site', Type: 'string', Parameters: { [ORIGINAL_NAME]: 'study site' } }]);
    expect(next.table.StorageDescriptor!.SerdeInfo!.Parameters!['mapping.beak_length_mm']).toBe('beak length (mm)');
    expect(next.partitions[0]!.StorageDescriptor!.Columns!.map((c) => c.Name)).toEqual(['species', 'beak_length_mm']);
    expect(next.partitions[0]!.StorageDescriptor!.SerdeInfo!.Parameters!['mapping.beak_length_mm']).toBe('beak length (mm)');
    expect(withAthenaSafeNames(next.table).changes).toEqual([]);
  });

  it('a second rename keeps the first original, and renaming back drops it', () => {
    const once = renamedColumn({ Name: 'beak length (mm)', Type: 'double' }, 'beak_mm');
    const twice = renamedColumn(once, 'beak');
    expect(twice).toEqual({ Name: 'beak', Type: 'double', Parameters: { [ORIGINAL_NAME]: 'beak length (mm)' } });
    expect(renamedColumn(twice, 'beak length (mm)')).toEqual({ Name: 'beak length (mm)', Type: 'double' });
  });
});
