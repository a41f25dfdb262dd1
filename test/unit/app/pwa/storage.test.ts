import { describe, expect, it } from 'vitest';
import { persistenceBadge, persistenceExplanation, summarizeUsage } from '../../../../src/app/pwa/storage';

describe('storage usage summary', () => {
  it('shows usage against the quota with a percentage', () => {
    expect(summarizeUsage(40 * 1024 * 1024, 2 * 1024 ** 3)).toEqual({ label: '40 MB of 2.0 GB (2%)', fraction: 40 / 2048 });
    expect(summarizeUsage(512 * 1024 ** 2, 1024 ** 3).label).toBe('512 MB of 1.0 GB (50%)');
  });

  it('says "<1%" rather than rounding a small non-zero share down to 0%', () => {
    expect(summarizeUsage(80 * 1024 ** 2, 300 * 1024 ** 3).label).toBe('80 MB of 300 GB (<1%)');
    expect(summarizeUsage(0, 1024 ** 3).label).toBe('0 B of 1.0 GB (0%)');
  });

  it('is honest when the browser gives no quota or no usage', () => {
    expect(summarizeUsage(2048, undefined)).toEqual({ label: '2.0 KB used', fraction: null });
    expect(summarizeUsage(2048, 0)).toEqual({ label: '2.0 KB used', fraction: null });
    expect(summarizeUsage(undefined, undefined)).toEqual({ label: 'usage unknown', fraction: null });
  });

  it('caps the fraction at 1 when usage exceeds the reported quota', () => {
    expect(summarizeUsage(3000, 2000).fraction).toBe(1);
  });
});

describe('persistence wording', () => {
  it('says plainly when persistence was denied and that data may be cleared', () => {
    expect(persistenceBadge('best-effort')).toBe('not persistent');
    expect(persistenceExplanation('best-effort')).toMatch(/denied/);
    expect(persistenceExplanation('best-effort')).toMatch(/may clear/);
    expect(persistenceExplanation('unsupported')).toMatch(/may clear/);
  });

  it('does not claim eviction risk once persistence is granted', () => {
    expect(persistenceBadge('persistent')).toBe('persistent');
    expect(persistenceExplanation('persistent')).not.toMatch(/may clear/);
  });
});
