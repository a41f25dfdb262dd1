import { describe, expect, it } from 'vitest';
import { workspaceOpenProblem } from '../../../../src/app/workspace/workspace-open';

describe('what the Workspace says about a file it does not open', () => {
  it('opens CSV, TSV and Parquet', () => {
    for (const name of ['a.csv', 'b.TSV', 'c.parquet', 'd.xlsx', 'e.arrow', 'f.feather', 'g.arrows']) expect(workspaceOpenProblem(name)).toBeNull();
  });

  it('points data formats to Transform and Crawlers', () => {
    for (const name of ['a.json', 'b.ndjson', 'c.avro', 'd.xml', 'e.orc', 'f.log', 'g.json.gz']) expect(workspaceOpenProblem(name)).toMatch(/Transform|Crawlers/);
  });

  it('tells a PNG it is not data instead of sending it to Transform (issue 15)', () => {
    const m = workspaceOpenProblem('photo.png')!;
    expect(m).toMatch(/^a \.png file is not data Epoxy reads/);
    expect(m).not.toMatch(/Transform/);
    expect(workspaceOpenProblem('Makefile')).toMatch(/without an extension/);
  });
});
