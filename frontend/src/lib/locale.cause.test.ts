import { expect, test, vi } from 'vitest';

// Why lib/locale.ts exists: with the language a WebView reports under
// LANG=C, uPlot throws while it loads (in a file of its own: a module that
// failed to load stays failed for the rest of the file).
test('with LANG=C the chart library does not load without the guard', async () => {
  const target = { addEventListener() {}, removeEventListener() {}, dispatchEvent: () => true };
  vi.stubGlobal('window', target);
  vi.stubGlobal('document', {});
  vi.stubGlobal('navigator', { language: 'c' });
  vi.stubGlobal('devicePixelRatio', 1);
  vi.stubGlobal('matchMedia', () => ({ ...target, matches: false }));
  await expect(import('uplot')).rejects.toThrow(RangeError);
  vi.unstubAllGlobals();
});
