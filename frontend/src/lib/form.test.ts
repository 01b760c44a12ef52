import { describe, expect, it, vi } from 'vitest';

vi.mock('./api', () => ({
  call: vi.fn(async () => ({ values: { 'ui.language': 'nl' }, secretsSet: {}, missing: [] })),
  on: vi.fn(),
  CallError: class extends Error {},
}));

import { form } from './form.svelte';

describe('the settings form across profiles', () => {
  it('drops the warnings of the profile it leaves, keeps them on a reload of the same one', async () => {
    await form.select(1);
    form.warnings = { 'sales.shippingArticle': 'SnelStart kent deze artikelcode niet.' };
    await form.select(1);
    expect(form.warnings).toHaveProperty('sales.shippingArticle');
    await form.select(2);
    expect(form.warnings).toEqual({});
  });
});
