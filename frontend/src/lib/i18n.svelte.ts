// Messages in the user's language. The strings live in ../locales/*.json —
// the same files the Go side reads for its error messages.
import nl from '../locales/nl.json';
import en from '../locales/en.json';

const catalogs: Record<string, Record<string, string>> = { nl, en };

export const i18n = $state({ lang: 'nl' });

export function setLanguage(lang: string): void {
  i18n.lang = lang in catalogs ? lang : 'nl';
  if (typeof document !== 'undefined') document.documentElement.lang = i18n.lang;
}

/** The message for key with {arg} filled in; the key itself if unknown. */
export function t(key: string, arg = ''): string {
  const msg = catalogs[i18n.lang]?.[key] ?? catalogs.nl[key];
  return msg === undefined ? key : msg.replaceAll('{arg}', arg);
}

/** Whether a message exists (for optional texts). */
export function has(key: string): boolean {
  return key in catalogs.nl;
}

// countsText says a run's counts ("3 × aangemaakt, 1 × product niet in
// SnelStart"): only the first letter is lowered, names keep theirs.
export function countsText(c: Record<string, number>): string {
  const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
  return Object.entries(c).map(([k, n]) => `${n} × ${lower(t('result.' + k))}`).join(', ') || '0';
}

/** The message for key with named placeholders ({done}, {total}) filled in. */
export function tv(key: string, vars: Record<string, string | number>): string {
  let msg = t(key);
  for (const [k, v] of Object.entries(vars)) msg = msg.replaceAll('{' + k + '}', String(v));
  return msg;
}
