// Why an order is held or failed, in the user's words, and where that is
// put right: the setting (or tab) a link on Uitvoering opens.
import { t } from './i18n.svelte';

/** A reason's message; the fee an article is missing for is named in words. */
export function holdText(code: string, arg = ''): string {
  if (code === 'fee_article_missing') arg = t('fee.' + arg);
  return t('hold.' + code, arg);
}

/** A stored reason ("code(arg)") in the user's words. */
export function reasonText(r: string): string {
  const m = r.match(/^([a-z_]+)\((.*)\)$/s);
  return m ? holdText(m[1], m[2]) : r;
}

// Where a reason is put right.
const holdFix: Record<string, string> = {
  article_unknown: 'articles.processing',
  article_code_too_long: 'articles.codeField',
  no_article_code: 'sales.defaultArticle',
  revenue_group_missing: 'articles.revenueGroupByVat',
  default_customer_unknown: 'customers.defaultCode',
  difference: 'sales.differenceThreshold',
  difference_article_missing: 'sales.differenceArticle',
  snelstart_refused: 'sales',
};
// A missing fee article depends on the fee.
const feeFix: Record<string, string> = {
  shipping: 'sales.shippingArticle', discount: 'sales.discountArticle', fee: 'sales.paymentFeeArticle',
};

/** The setting (or tab) to change for a reason — code and arg, or a stored "code(arg)" — or ''. */
export function fixOf(code: string, arg?: string): string {
  if (arg === undefined) {
    const m = code.match(/^([a-z_]+)\((.*)\)$/s);
    if (!m) return '';
    [code, arg] = [m[1], m[2]];
  }
  if (code === 'fee_article_missing') return feeFix[arg] ?? 'sales';
  return holdFix[code] ?? '';
}
