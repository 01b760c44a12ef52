// An explicit locale for what formats through the browser's Intl. uPlot
// (the chart) builds an Intl.NumberFormat from navigator.language the
// moment it loads. A WebView that passes on a POSIX locale as its language
// ("c", "C.UTF-8", "") makes Intl throw a RangeError — thrown while the
// bundle loads, so the whole window stays blank. (WebKitGTK 2.x here maps
// LANG=C to en-US; the guard is for the WebViews that do not.) Our own
// money and dates never ask the browser (lib/format.ts); this only keeps a
// library from failing. Imported first in main.ts, before the chart.

/** The language tag Intl is given when the browser's is not one it accepts. */
export const FALLBACK_LOCALE = 'nl-NL';

/** tag when Intl accepts it, else FALLBACK_LOCALE. */
export function usableLocale(tag: string | undefined | null): string {
  if (!tag) return FALLBACK_LOCALE;
  try {
    new Intl.NumberFormat(tag);
    return tag;
  } catch {
    return FALLBACK_LOCALE;
  }
}

/** Makes nav.language a tag Intl accepts; returns the tag in use. */
export function ensureLocale(nav: { language?: string } | undefined = globalThis.navigator): string {
  if (!nav) return FALLBACK_LOCALE;
  const tag = usableLocale(nav.language);
  if (tag !== nav.language) Object.defineProperty(nav, 'language', { value: tag, configurable: true });
  return tag;
}

ensureLocale();
