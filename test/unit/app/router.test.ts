import { describe, expect, it } from 'vitest';
import { viewFromHash } from '../../../src/app/router.svelte';

describe('hash routing', () => {
  it('takes the view from the first path segment of the hash', () => {
    expect(viewFromHash('#/catalog/sales_db/orders')).toBe('catalog');
    expect(viewFromHash('#/workspace')).toBe('workspace');
    expect(viewFromHash('')).toBe('workspace');
    expect(viewFromHash('#nonsense')).toBe('workspace');
  });
});
