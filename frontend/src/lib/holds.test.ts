import { describe, expect, it } from 'vitest';
import { fixOf, reasonText } from './holds';
import { setLanguage } from './i18n.svelte';

describe('held orders', () => {
  it('name the setting that puts them right', () => {
    expect(fixOf('shipping_article_missing(Verzending (PostNL))')).toBe('sales.shippingArticle');
    expect(fixOf('discount_article_missing', '9% btw')).toBe('sales.discountArticleByVat');
    expect(fixOf('voucher_article_vat(KORTING)')).toBe('sales.voucherArticle');
    expect(fixOf('default_customer_unknown(1043)')).toBe('customers.defaultCode');
    expect(fixOf('difference(12,00 / 11,50)')).toBe('sales.differenceThreshold');
    expect(fixOf('tax_rate_unknown(BTW)')).toBe('');
    expect(fixOf('snelstart_unavailable()')).toBe('');
    expect(fixOf('snelstart_access()')).toBe('snelstart');
    // A reason stored before the fees had codes of their own.
    expect(fixOf('fee_article_missing(shipping)')).toBe('sales.shippingArticle');
  });
  it('say the reason in words', () => {
    setLanguage('nl');
    expect(reasonText('shipping_article_missing(Verzending (PostNL))')).toBe(
      'De order heeft verzendkosten (‘Verzending (PostNL)’) maar er is geen Artikelcode verzendkosten — kies er een op Aansluiting → Verkopen.');
    expect(reasonText('revenue_group_missing(9%)')).toBe(
      'Omzetgroep voor 9% btw ontbreekt — kies er een bij Omzetgroep per btw-tarief op Aansluiting → Artikelen.');
    expect(reasonText('fee_article_missing(shipping)')).toMatch(/verzendkosten/);
    // A Go error kept as the argument is for the log, not for the user.
    const goError = 'snelstart: decode POST verkooporders: json: cannot unmarshal string';
    expect(reasonText(`snelstart_error(${goError})`)).not.toContain('json');
    expect(reasonText('ledger(database is locked)')).not.toContain('database is locked');
    setLanguage('en');
    expect(reasonText('shipping_article_missing(Flat)')).toMatch(/Article code shipping/);
    setLanguage('nl');
  });
});
