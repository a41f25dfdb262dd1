import { describe, expect, it } from 'vitest';
import { fixLabel } from '../../../../src/app/workspace/athena-fix';
import { fixActionOf } from '../../../../src/query/athena-session';

describe('the fix of an unreachable catalog table', () => {
  it('offers the button that fixes each kind of location (issue 19: a table this tab cannot reach offers the fix in one click)', () => {
    expect(fixLabel(fixActionOf('folder://trips/year=2024/'))).toBe('Allow reading the folder again');
    expect(fixLabel(fixActionOf('dropped://drop-1/trips/'))).toBe('Drop the files again (Crawlers)');
    expect(fixLabel(fixActionOf('s3://bucket/sales/'))).toBe('Paste fresh presigned URLs (Connections)');
    expect(fixLabel(fixActionOf('opfs://curated/routes/'))).toBe('Run the job that writes it (Jobs)');
    expect(fixLabel(fixActionOf('file:///tmp/x/'))).toBe('');
  });
});
