// Why an order is held or failed, in the user's words, and where that is
// put right: the setting (or tab) a link on Uitvoering opens.
import { t } from './i18n.svelte';

// Reasons stored before the fees had codes of their own named the kind of
// fee: fee_article_missing(shipping|discount|fee).
const legacyFee: Record<string, string> = {
  shipping: 'shipping_article_missing', discount: 'discount_article_missing', fee: 'fee_article_missing',
};

function current(code: string, arg: string): [string, string] {
  if (code === 'fee_article_missing' && legacyFee[arg]) return [legacyFee[arg], t('fee.' + arg)];
  return [code, arg];
}

/** A reason's message. */
export function holdText(code: string, arg = ''): string {
  [code, arg] = current(code, arg);
  return t('hold.' + code, arg);
}

/** A stored reason ("code(arg)") in the user's words. */
export function reasonText(r: string): string {
  const m = r.match(/^([a-z_]+)\((.*)\)$/s);
  return m ? holdText(m[1], m[2]) : r;
}

// Where a reason is put right; '' when nothing in S-Connect changes it (the
// shop's data, or SnelStart's articles).
const holdFix: Record<string, string> = {
  article_unknown: 'articles.processing',
  article_code_too_long: 'articles.codeField',
  no_article_code: 'sales.defaultArticle',
  revenue_group_missing: 'articles.revenueGroupByVat',
  default_customer_unknown: 'customers.defaultCode',
  difference: 'sales.differenceThreshold',
  difference_article_missing: 'sales.differenceArticle',
  shipping_article_missing: 'sales.shippingArticle',
  shipping_vat: 'sales.shippingArticle',
  fee_article_missing: 'sales.paymentFeeArticle',
  fee_vat: 'sales.paymentFeeArticle',
  discount_article_missing: 'sales.discountArticleByVat',
  discount_article_vat: 'sales.discountArticleByVat',
  vat_mismatch: 'sales.discountArticleByVat',
  voucher_article_missing: 'sales.voucherArticle',
  voucher_article_vat: 'sales.voucherArticle',
  no_address: 'sales.addresses',
  snelstart_refused: 'sales',
  snelstart_access: 'snelstart',
  reference_taken: 'sales.referencePrefix',
};

/** The setting (or tab) to change for a reason — code and arg, or a stored "code(arg)" — or ''. */
export function fixOf(code: string, arg?: string): string {
  if (arg === undefined) {
    const m = code.match(/^([a-z_]+)\((.*)\)$/s);
    if (!m) return '';
    [code, arg] = [m[1], m[2]];
  }
  [code] = current(code, arg);
  return holdFix[code] ?? '';
}
