import 'fake-indexeddb/auto';
import { DuckDBInstance } from '@duckdb/node-api';
import { IDBFactory } from 'fake-indexeddb';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog';
import { customPatternsFor } from '../../../src/classifiers/grok';
import type { JobDefinition, JobNode, TargetSpec } from '../../../src/jobs/model';
import { duckParity, expectDuckParity, file, step, stepJob, VEGA, vega, type StepSpec } from '../../support/duck-parity';

const chain = stepJob;

let dir: string;
let catalog: Catalog;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'epoxy-parity-files-'));
  // NDJSON, Parquet and a Hive-partitioned folder, made from vega-datasets' files by native DuckDB.
  const cars = JSON.parse(readFileSync(vega('cars.json'), 'utf8')) as object[];
  writeFileSync(join(dir, 'cars.ndjson'), cars.map((c) => JSON.stringify(c)).join('\n') + '\n');
  // A folder of JSON files whose columns differ (Japan's have one more).
  mkdirSync(join(dir, 'cars_by_origin'));
  for (const origin of ['USA', 'Europe', 'Japan']) {
    const some = (cars as Record<string, unknown>[]).filter((c) => c['Origin'] === origin);
    writeFileSync(join(dir, 'cars_by_origin', `${origin}.json`), JSON.stringify(some.map((c) => (origin === 'Japan' ? { ...c, Extra: 1 } : c))));
  }
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  await conn.run(`COPY (SELECT * FROM read_csv('${vega('seattle-weather.csv')}')) TO '${join(dir, 'weather.parquet')}' (FORMAT parquet)`);
  await conn.run(`COPY (SELECT * FROM read_csv('${vega('airports.csv')}') WHERE state IN ('TX', 'CA', 'NY')) TO '${join(dir, 'airports')}' (FORMAT csv, HEADER true, PARTITION_BY (state))`);
  catalog = await Catalog.open({ factory: new IDBFactory(), name: `parity-${Math.random()}` });
  await catalog.createDatabase({ Name: 'geo' });
  // A JSON table as Glue's crawler names it (lowercase) over files with capitalised keys and ISO timestamps.
  const weather = readFileSync(vega('seattle-weather.csv'), 'utf8').trim().split('\n').slice(1, 200).map((l) => l.split(','));
  mkdirSync(join(dir, 'events'));
  writeFileSync(join(dir, 'events', 'events.json'), JSON.stringify(weather.map(([d, p, , , w, kind]) => ({ At: `${d}T06:00:00Z`, Day: d, Rain: Number(p), Wind: Number(w), Kind: kind }))));
  await catalog.createTable('geo', {
    Name: 'events', TableType: 'EXTERNAL_TABLE', Parameters: { classification: 'json' },
    StorageDescriptor: { Location: pathToFileURL(join(dir, 'events')).href + '/', Columns: [{ Name: 'at', Type: 'string' }, { Name: 'day', Type: 'date' }, { Name: 'rain', Type: 'double' }, { Name: 'wind', Type: 'double' }, { Name: 'kind', Type: 'string' }] },
  });
  await catalog.createDatabase({ Name: 'logs' });
  await catalog.createTable('logs', {
    Name: 'hadoop', TableType: 'EXTERNAL_TABLE', Parameters: { grokPattern: '%{JAVALOG}', grokCustomPatterns: customPatternsFor('%{JAVALOG}') },
    StorageDescriptor: { Location: pathToFileURL(join(process.cwd(), 'test/fixtures/logs/hadoop.log')).href, Columns: [] },
  });
  await catalog.createTable('geo', {
    Name: 'airports', TableType: 'EXTERNAL_TABLE', Parameters: { classification: 'csv' },
    PartitionKeys: [{ Name: 'state', Type: 'string' }],
    StorageDescriptor: {
      Location: pathToFileURL(join(dir, 'airports')).href + '/',
      Columns: [{ Name: 'iata', Type: 'string' }, { Name: 'name', Type: 'string' }, { Name: 'city', Type: 'string' }, { Name: 'country', Type: 'string' }, { Name: 'latitude', Type: 'double' }, { Name: 'longitude', Type: 'double' }],
      SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.serde2.OpenCSVSerde', Parameters: { separatorChar: ',', quoteChar: '"' } },
      Parameters: { 'skip.header.line.count': '1' },
    },
  });
});

describe('native DuckDB parity: source formats (issue 20)', () => {
  it('CSV', async () => { await expectDuckParity(chain('csv', file(vega('seattle-weather.csv')), [])); });
  it('TSV, written as CSV', async () => { await expectDuckParity(chain('tsv', file(vega('unemployment.tsv')), [], { format: 'csv' })); });
  it('a JSON array file with no format is read as JSON, not CSV (issue 20: read_csv on cars.json)', async () => {
    const report = await expectDuckParity(chain('json_array', file(vega('cars.json')), []));
    expect(report.script).toContain("read_json('");
    expect(report.targets[0]!.tab.rows).toBe(406);
  });
  it('keeps a date-like JSON string a string, as the tab reads it (issue 20: read_json(format=auto) typed it DATE)', async () => {
    const report = await expectDuckParity(chain('json_dates', file(vega('cars.json'), 'json'), []));
    expect(report.targets[0]!.native.columns.find((c) => c.name === 'Year')).toEqual({ name: 'Year', type: 'VARCHAR' });
  });
  it('NDJSON', async () => { await expectDuckParity(chain('ndjson', file(join(dir, 'cars.ndjson')), [], { format: 'ndjson' })); });
  for (const format of ['parquet', 'csv', 'ndjson'] as const) {
    it(`Parquet of many types (UINTEGER, TIMESTAMP WITH TIME ZONE, DECIMAL, FLOAT, BLOB, lists, structs) written as ${format}`, async () => {
      const path = join(dir, `types-${format}.parquet`);
      const conn = await (await DuckDBInstance.create(':memory:')).connect();
      await conn.run(`SET TimeZone='UTC'; COPY (SELECT range AS i, range::INTEGER AS i32, range::UINTEGER AS u32, (range / 7)::DECIMAL(10,3) AS dec, TIMESTAMP '2024-01-01 10:00:00' + INTERVAL (range) HOUR + INTERVAL (range * 1001) MICROSECOND AS ts,
        TIMESTAMPTZ '2024-01-01 10:00:00+00' + INTERVAL (range) MINUTE AS tstz, DATE '2024-01-01' + range::INTEGER AS d, range % 2 = 0 AS b, 'x' || range AS s, [range, range + 1] AS l, {'a': range, 'b': 'y'} AS st,
        (range * 1.5)::FLOAT AS f, '\\x01A\\x22\\x5C\\xFFz'::BLOB AS bl FROM range(50)) TO '${path}' (FORMAT parquet)`);
      await expectDuckParity(chain(`parquet_types_${format}`, file(path), [], { format }));
    });
  }
  it('Parquet', async () => { await expectDuckParity(chain('parquet', file(join(dir, 'weather.parquet')), [], { format: 'csv' })); });
  it('a Hive-partitioned folder of CSV files behind a catalog table (OpenCSVSerde, typed columns, partition key)', async () => {
    const report = await expectDuckParity(chain('hive', { type: 'catalog', database: 'geo', table: 'airports' }, []), { catalog });
    expect(report.targets[0]!.tab.columns.map((c) => c.name)).toContain('state');
  });
  it('a Hive-partitioned folder as a file source', async () => {
    // A file source reads no partition columns from k=v folders in the tab (a catalog table does), nor natively.
    const report = await expectDuckParity(chain('hive_file', file(join(dir, 'airports')), [], { format: 'csv' }));
    expect(report.script).toContain('hive_partitioning=false');
  });
  it('a JSON catalog table: lowercase names find capitalised keys, an ISO timestamp typed string stays the text', async () => {
    const report = await expectDuckParity(chain('catalog_json', { type: 'catalog', database: 'geo', table: 'events' }, [], { format: 'ndjson' }), { catalog });
    expect(report.targets[0]!.tab.rows).toBe(199);
    expect(report.script).toContain("timestampformat=");
  });
  it('a log file behind a catalog table with a grok pattern', async () => {
    const report = await expectDuckParity(chain('log', { type: 'catalog', database: 'logs', table: 'hadoop' }, [step('Aggregate', { groupBy: ['level'], aggregations: [{ fn: 'count', as: 'n' }] })], { format: 'csv' }), { catalog });
    expect(report.targets[0]!.tab.rows).toBeGreaterThan(1);
  });
  it('reads a choice column (string or bigint) into the same UNION: union_tag works natively (issue 20: union_tag failed)', async () => {
    const report = await expectDuckParity(chain('choice_tag', file(vega('movies.json')), [step('Sql', { sql: 'SELECT union_tag("Title") AS tag, count(*) AS n FROM input GROUP BY ALL' })], { format: 'csv' }));
    expect(report.script).toContain("'Title': 'JSON'");
  });
  it('writes a choice column to NDJSON as its member value, as the tab does', async () => {
    await expectDuckParity(chain('choice_ndjson', file(vega('movies.json')), [step('SelectFields', { paths: ['Title', 'Release Date', 'IMDB Rating'] })], { format: 'ndjson' }));
  });
});

describe('native DuckDB parity: nested JSON and folders (issue 20)', () => {
  it('a choice inside a struct and inside a list, timestamps and dates kept as strings', async () => {
    const nested = join(dir, 'nested.json');
    // Shaped like vega's movies (Title is a string or a number) with nested records, as an API export would give.
    const movies = (JSON.parse(readFileSync(vega('movies.json'), 'utf8')) as Record<string, unknown>[]).slice(0, 300);
    writeFileSync(nested, JSON.stringify(movies.map((m, i) => ({
      id: i, title: m['Title'], released: m['Release Date'], seen: `2024-01-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z`,
      money: { us: m['US Gross'], budget: i % 7 === 0 ? String(m['Production Budget']) : m['Production Budget'] },
      ratings: [m['IMDB Rating'], i % 5 === 0 ? 'n/a' : m['Rotten Tomatoes Rating']],
    }))));
    const report = await expectDuckParity(chain('nested', file(nested), [step('Sql', { sql: 'SELECT id, union_tag(title) AS t, title, money, ratings, released, seen FROM input' })], { format: 'ndjson' }));
    expect(report.run.schemas['src']!.find((f) => f.name === 'money')!.type).toMatchObject({ kind: 'struct' });
  });
  it('a folder of JSON files whose columns differ (merged by name)', async () => {
    await expectDuckParity(chain('json_folder', file(join(dir, 'cars_by_origin'), 'json'), [], { format: 'csv' }));
  });
  it('a folder of JSON files with no format named is read as JSON, the format of the files the run read', async () => {
    const report = await expectDuckParity(chain('json_folder_no_format', file(join(dir, 'cars_by_origin')), [], { format: 'csv' }));
    expect(report.script).toContain('read_json(');
  });
  it('a folder of CSV files whose columns differ, with no format named', async () => {
    const folder = join(dir, 'weather_by_year');
    mkdirSync(folder, { recursive: true });
    const [head, ...lines] = readFileSync(vega('seattle-weather.csv'), 'utf8').trim().split('\n');
    for (const year of ['2012', '2013', '2014']) {
      const rows = lines.filter((l) => l.startsWith(year));
      // 2014 lost its wind column and gained a note: the tab and native DuckDB merge the files by name.
      const cut = (l: string) => (year === '2014' ? [...l.split(',').filter((_, i) => i !== 4), 'n'].join(',') : l);
      writeFileSync(join(folder, `${year}.csv`), [cut(head!).replace(/,n$/, ',note'), ...rows.map(cut)].join('\n') + '\n');
    }
    await expectDuckParity(chain('csv_folder', file(folder), []));
  });
});

describe('native DuckDB parity: targets (issue 20)', () => {
  it('NDJSON keeps .0 on a DOUBLE column of whole numbers (issue 20: the tab wrote 0, read back BIGINT)', async () => {
    const job = chain('whole_doubles', file(vega('seattle-weather.csv')), [step('Filter', { predicate: { sql: 'precipitation = 0' } }), step('SelectFields', { paths: ['date', 'precipitation', 'weather'] })], { format: 'ndjson' });
    const report = await expectDuckParity(job);
    expect(report.targets[0]!.tab.columns.find((c) => c.name === 'precipitation')!.type).toBe('DOUBLE');
  });
  it('partition folders with spaces and slashes are named alike (issue 20: native percent-encoded, the tab did not)', async () => {
    const job = chain('spaces', file(vega('airports.csv')), [step('Filter', { predicate: { sql: "state = 'TX'" } })], { format: 'csv', partitionBy: ['city'] });
    const report = await expectDuckParity(job);
    expect(report.targets[0]!.tab.folders).toContain('city=Beaumont%2FPort%20Arthur');
  });
  it('still differs on non-ASCII partition values only in folder names: DuckDB encodes the UTF-8 bytes, the tab (as Spark) writes them raw', async () => {
    const job = chain('non_ascii', file(vega('airports.csv')), [step('Sql', { sql: "SELECT iata, CASE WHEN latitude > 35 THEN 'Zürich' ELSE 'Genève' END AS place FROM input WHERE state = 'TX'" })], { format: 'csv', partitionBy: ['place'] });
    const report = await duckParity(job);
    expect(report.targets[0]!.tab.folders).toEqual(['place=Genève', 'place=Zürich']);
    expect(report.targets[0]!.native.folders).toEqual(['place=Gen%C3%A8ve', 'place=Z%C3%BCrich']);
    expect(report.problems).toEqual([expect.stringMatching(/^out: partition folders differ/)]);
  });
  it('a partition key with a space, NDJSON partitions (DuckDB has no PARTITION_BY for JSON) and a NULL partition', async () => {
    await expectDuckParity(chain('key_space', file(vega('movies.json')), [step('SelectFields', { paths: ['Title', 'US Gross', 'Major Genre'] })], { format: 'ndjson', partitionBy: ['Major Genre'] }));
  });
  for (const mode of ['append', 'overwrite-partitions'] as const) {
    it(`NDJSON partitions written twice in ${mode} mode leave the same rows`, async () => {
      const root = mkdtempSync(join(tmpdir(), `epoxy-parity-${mode}-`));
      const days = [join(dir, `${mode}-1.csv`), join(dir, `${mode}-2.csv`)];
      writeFileSync(days[0]!, 'id,region,amount\n1,North East,10\n2,South,20\n3,West,30\n');
      writeFileSync(days[1]!, 'id,region,amount\n4,North East,40\n5,East,50\n');
      const job = chain(`modes_${mode.replace('-', '_')}`, file(days[0]!), [], { format: 'ndjson', partitionBy: ['region'], mode });
      await expectDuckParity(job, { root, inputs: { src: days[0]! } });
      const second = await expectDuckParity(job, { root, inputs: { src: days[1]! } });
      expect(second.targets[0]!.tab.rows).toBe(mode === 'append' ? 5 : 4);
    });
  }
  it('a parameter in a source path, a Parquet and a CSV source joined, two targets', async () => {
    const job: JobDefinition = {
      version: 1, name: 'two_targets', bookmark: 'job-bookmark-disable', parameters: [{ name: 'data', default: VEGA }, { name: 'kind', default: 'sun' }],
      nodes: [
        { id: 'weather', kind: 'source', source: file(join(dir, 'weather.parquet')) },
        { id: 'stocks', kind: 'source', source: file('${data}/stocks.csv') },
        { id: 'days', kind: 'transform', inputs: ['weather'], step: step('Filter', { predicate: { combine: 'and', conditions: [{ path: 'weather', op: '=', value: '${kind}' }] } }) },
        { id: 'both', kind: 'transform', inputs: ['days', 'stocks'], step: step('Join', { right: '', leftKeys: ['weather'], rightKeys: ['symbol'], how: 'full' }) },
        { id: 'by_symbol', kind: 'transform', inputs: ['stocks'], step: step('Aggregate', { groupBy: ['symbol'], aggregations: [{ fn: 'avg', path: 'price', as: 'avg_price' }, { fn: 'min', path: 'date', as: 'first' }] }) },
        { id: 'joined', kind: 'target', inputs: ['both'], target: { type: 'workspace', path: 'lake/joined', format: 'parquet' } },
        { id: 'symbols', kind: 'target', inputs: ['by_symbol'], target: { type: 'download', name: 'symbols', format: 'ndjson' } },
      ],
    };
    const report = await expectDuckParity(job, { arguments: { '--kind': 'fog' } });
    expect(report.targets.map((t) => [t.nodeId, t.tab.rows])).toEqual([['joined', report.run.nodes.find((n) => n.nodeId === 'both')!.rows], ['symbols', 5]]);
  });
  it('a download target, CSV', async () => {
    await expectDuckParity(chain('download', file(vega('cars.json')), [], { type: 'download', name: 'report', format: 'csv' } as Partial<TargetSpec>));
  });
  it('Parquet partitioned by two keys', async () => {
    await expectDuckParity(chain('two_keys', file(vega('cars.json')), [], { partitionBy: ['Origin', 'Cylinders'] }));
  });
  it('job parameters, with defaults and with arguments', async () => {
    const job = chain('params', file(vega('seattle-weather.csv')), [step('Filter', { predicate: { combine: 'and', conditions: [{ path: 'temp_max', op: '>=', value: '${min}' }, { path: 'weather', op: '=', value: '${kind}' }] } })], { format: 'csv', partitionBy: ['weather'] }, { parameters: [{ name: 'min', default: '20' }, { name: 'kind', default: 'sun' }] });
    expect((await expectDuckParity(job)).targets[0]!.tab.rows).toBeGreaterThan(0);
    expect((await expectDuckParity(job, { arguments: { '--min': '30', '--kind': 'rain' } })).targets[0]!.tab.folders).toEqual(['weather=rain']);
  });
});

describe('native DuckDB parity: step kinds (issue 20)', () => {
  const cars = file(vega('cars.json'));
  const cases: [string, StepSpec[], Partial<TargetSpec>?][] = [
    ['ApplyMapping', [step('ApplyMapping', { mappings: [{ source: 'Name', target: 'name', targetType: 'string' }, { source: 'Horsepower', target: 'hp', targetType: 'double' }, { source: 'Year', target: 'year', targetType: 'date' }, { source: 'Cylinders', target: 'spec.cylinders', targetType: 'int' }] })]],
    ['ResolveChoice cast', [step('ResolveChoice', { specs: [{ path: 'Title', action: 'cast:string' }] })]],
    ['ResolveChoice make_cols', [step('ResolveChoice', { choice: 'make_cols' })], { format: 'csv' }],
    ['ResolveChoice project', [step('ResolveChoice', { specs: [{ path: 'Title', action: 'project:bigint' }] })]],
    ['SelectFields', [step('SelectFields', { paths: ['Name', 'Origin'] })]],
    ['DropFields', [step('DropFields', { paths: ['Name', 'Origin'] })]],
    ['RenameField', [step('RenameField', { from: 'Miles_per_Gallon', to: 'mpg' })]],
    ['Filter (conditions)', [step('Filter', { predicate: { combine: 'or', conditions: [{ path: 'Origin', op: 'in', value: 'Europe,Japan' }, { path: 'Name', op: 'starts_with', value: 'ford' }, { path: 'Horsepower', op: 'is_null' }] } })]],
    ['Filter (SQL)', [step('Filter', { predicate: { sql: 'Cylinders > 4 AND Acceleration < 15' } })]],
    ['Derived', [step('Derived', { name: 'power', sql: 'Horsepower / Weight_in_lbs', type: 'double' })]],
    ['FillMissingValues', [step('FillMissingValues', { path: 'Horsepower', strategy: 'mean' })]],
    ['FillMissingValues constant', [step('FillMissingValues', { path: 'Miles_per_Gallon', strategy: 'constant', value: 0, output: 'mpg_filled' })]],
    ['DropNullFields', [step('Sql', { sql: 'SELECT *, NULL::VARCHAR AS nothing FROM input' }), step('DropNullFields', {})]],
    ['Aggregate', [step('Aggregate', { groupBy: ['Origin', 'Cylinders'], aggregations: [{ fn: 'count', as: 'n' }, { fn: 'avg', path: 'Horsepower', as: 'hp' }, { fn: 'max', path: 'Name', as: 'last' }, { fn: 'count_distinct', path: 'Year', as: 'years' }, { fn: 'sum', path: 'Weight_in_lbs', as: 'weight' }] })], { format: 'csv' }],
    ['Join', [{ step: step('Join', { right: '', leftKeys: ['Origin'], rightKeys: ['Origin'], how: 'left' }), with: 'origins' }]],
    ['Union', [{ step: step('Union', { other: '' }), with: 'origins' }]],
    ['Unnest', [step('Sql', { sql: "SELECT Name, {'power': {'hp': Horsepower, 'weight': Weight_in_lbs}, 'origin': Origin} AS spec FROM input" }), step('Unnest', {})]],
    ['Relationalize', [step('Sql', { sql: "SELECT Name, [Cylinders, Horsepower] AS nums, {'origin': Origin} AS spec FROM input" }), step('Relationalize', { rootName: 'root' })]],
    ['Unbox', [step('Sql', { sql: `SELECT Name, '{"c": ' || Cylinders || ', "o": "' || Origin || '"}' AS js FROM input` }), step('Unbox', { path: 'js', format: 'json', type: 'struct<c:int,o:string>' })]],
    ['SplitFields', [step('SplitFields', { paths: ['Name', 'Year'] })]],
    ['SplitRows', [step('SplitRows', { predicate: { combine: 'and', conditions: [{ path: 'Cylinders', op: '>', value: 4 }] } })]],
    ['Spigot', [step('Spigot', { topk: 25 })]],
    ['Sql', [step('Sql', { sql: 'SELECT Origin, Year, count(*) AS n, round(avg(Horsepower), 3) AS hp FROM input GROUP BY ALL ORDER BY ALL' })], { format: 'csv' }],
  ];
  const origins: JobNode = { id: 'origins', kind: 'source', source: file(vega('cars.json')) };
  for (const [name, steps, target] of cases) {
    it(name, async () => {
      const source = name.startsWith('ResolveChoice') ? file(vega('movies.json')) : cars;
      const withSecond = steps.some((s) => 'with' in s);
      const job = chain(name.replace(/\W+/g, '_'), source, steps, { format: 'ndjson', ...target }, withSecond ? { nodes: [origins] } : {});
      if (name === 'Join') job.nodes[1] = { ...origins, source: file(join(dir, 'origins.csv')) };
      if (name === 'Join') writeFileSync(join(dir, 'origins.csv'), 'Origin,continent\nUSA,America\nEurope,Europe\nJapan,Asia\n');
      await expectDuckParity(job);
    });
  }

  it('DropDuplicates keeps the first record per key on native DuckDB too (issue 20: QUALIFY … ORDER BY rowid raised an internal error on 1.5)', async () => {
    await expectDuckParity(chain('dedupe', cars, [step('DropDuplicates', { paths: ['Origin', 'Cylinders'] })]));
  });
});

describe('the parity harness', () => {
  it('reports rows that differ instead of passing', async () => {
    // random() differs in each engine: the harness must say so, with the rows.
    const report = await duckParity(chain('differs', file(vega('cars.json')), [step('Sql', { sql: 'SELECT *, random() AS r FROM input' })], { format: 'csv' }));
    expect(report.problems.join('\n')).toMatch(/406 row\(s\) only in the tab's output, e.g.\n {6}\{"Name":/);
    await expect(expectDuckParity(chain('differs', file(vega('cars.json')), [step('Sql', { sql: 'SELECT *, random() AS r FROM input' })], { format: 'csv' }))).rejects.toThrow(/--- script ---/);
  });
});

describe('choice columns in Parquet and CSV targets', () => {
  it('writes a choice column as its catalog type (issue 20: the tab\'s Parquet writer trapped on movies.json\'s Title)', async () => {
    const movies = file(vega('movies.json'));
    await expectDuckParity(chain('movies_parquet', movies, [step('SelectFields', { paths: ['Title', 'US Gross', 'IMDB Rating'] })]));
    await expectDuckParity(chain('movies_csv', movies, [step('SelectFields', { paths: ['Title', 'IMDB Rating'] })], { format: 'csv' }));
  }, 180_000);
});
