import { describe, expect, it } from 'vitest';
import { fixOf, reasonText } from './holds';
import { setLanguage } from './i18n.svelte';

describe('held orders', () => {
  it('name the setting that puts them right', () => {
    expect(fixOf('fee_article_missing(shipping)')).toBe('sales.shippingArticle');
    expect(fixOf('fee_article_missing', 'discount')).toBe('sales.discountArticle');
    expect(fixOf('default_customer_unknown(1043)')).toBe('customers.defaultCode');
    expect(fixOf('difference(12.00 / 11.50)')).toBe('sales.differenceThreshold');
    expect(fixOf('snelstart_unavailable()')).toBe('');
  });
  it('say the reason in words, the fee too', () => {
    setLanguage('nl');
    expect(reasonText('fee_article_missing(shipping)')).toBe('Er is geen artikelcode ingesteld voor verzendkosten (tabblad Verkopen).');
    setLanguage('en');
    expect(reasonText('fee_article_missing(shipping)')).toMatch(/shipping costs/);
    setLanguage('nl');
  });
});
