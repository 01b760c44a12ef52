import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { ensureLocale, usableLocale, FALLBACK_LOCALE } from './locale';
import main from '../main.ts?raw';

// What a WebView on a computer with LANG=C reports, and a browser-like
// global for uPlot, which reads navigator.language when it loads.
function fakeBrowser(language: string) {
  const target = { addEventListener() {}, removeEventListener() {}, dispatchEvent: () => true };
  vi.stubGlobal('window', target);
  vi.stubGlobal('document', {});
  vi.stubGlobal('navigator', { language });
  vi.stubGlobal('devicePixelRatio', 1);
  vi.stubGlobal('matchMedia', () => ({ ...target, matches: false }));
}

describe('locale', () => {
  beforeEach(() => vi.resetModules());
  afterEach(() => vi.unstubAllGlobals());

  test('tags Intl refuses fall back to nl-NL; good ones stay', () => {
    for (const bad of ['c', 'C', 'C.UTF-8', 'c.utf8', '', undefined]) expect(usableLocale(bad)).toBe(FALLBACK_LOCALE);
    for (const good of ['nl-NL', 'en-US', 'en', 'de']) expect(usableLocale(good)).toBe(good);
  });

  test('with LANG=C the guard gives the chart library a locale, and it loads', async () => {
    fakeBrowser('c');
    expect(ensureLocale()).toBe('nl-NL');
    expect(navigator.language).toBe('nl-NL');
    const uPlot = (await import('uplot')).default;
    expect(typeof uPlot).toBe('function');
  });

  // main.ts loads the guard before anything that loads the chart library.
  test('main.ts imports the guard first', () => {
    const imports = [...main.matchAll(/^import .*'(.+)';$/gm)].map((m) => m[1]);
    expect(imports[0]).toBe('./lib/locale');
  });

  test('a language Intl knows is left alone', () => {
    fakeBrowser('en-GB');
    expect(ensureLocale()).toBe('en-GB');
    expect(navigator.language).toBe('en-GB');
  });
});
