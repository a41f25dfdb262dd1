import { describe, expect, it } from 'vitest';
import { workspaceOpenProblem } from '../../../../src/app/workspace/workspace-open';

describe('what the Workspace says about a file it does not open', () => {
  it('opens every format the crawler reads (issue 19: JSON, Avro, XML and logs were sent to Transform)', () => {
    for (const name of ['a.csv', 'b.TSV', 'c.parquet', 'd.xlsx', 'e.arrow', 'f.feather', 'g.arrows', 'a.json', 'b.ndjson', 'c.avro', 'd.xml', 'f.log', 'g.json.gz', 'h.csv.gz', 'e.orc']) expect(workspaceOpenProblem(name)).toBeNull();
  });

  it('tells a PNG it is not data instead of sending it to Transform (issue 15)', () => {
    const m = workspaceOpenProblem('photo.png')!;
    expect(m).toMatch(/^a \.png file is not data Epoxy reads/);
    expect(m).not.toMatch(/Transform/);
    expect(workspaceOpenProblem('Makefile')).toMatch(/without an extension/);
  });
});
