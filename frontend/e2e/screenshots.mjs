// The README's screenshots, made from the demo so that they stay current:
// a first start of `s-connect serve` on an empty settings folder, the main
// tabs, and Uitvoering after a finished demo run. Not a test (its name does
// not end in .e2e.mjs); run it with `make screenshots`.
//   SCONNECT_BIN=bin/s-connect node e2e/screenshots.mjs ../docs/screenshots
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchBrowser, openWindow, startServe, windowHelpers } from './harness.mjs';

const out = resolve(process.argv[2] ?? '../docs/screenshots');
mkdirSync(out, { recursive: true });
const serve = await startServe();
const browser = await launchBrowser();
try {
  const page = await openWindow(browser, serve);
  const w = windowHelpers(page);
  const shot = async (name) => {
    await page.waitForTimeout(300); // let the tab settle
    await page.screenshot({ path: join(out, name + '.png'), fullPage: false });
    console.log('wrote', join(out, name + '.png'));
  };
  await w.tab('snelstart');
  await page.click('[data-action=testSnelStart]');
  await w.report();
  await shot('koppeling-snelstart');
  await w.tab('opencart');
  await page.click('[data-action=testOpenCart]');
  await w.report();
  await shot('koppeling-opencart');
  await w.tab('mapping', 'sales');
  await shot('aansluiting-verkopen');
  await w.tab('planning');
  await shot('planning');
  await w.tab('execution');
  await page.locator('tr[data-task=ordersStock] button', { hasText: 'Nu uitvoeren' }).click();
  await page.waitForFunction(() => (document.querySelector('[data-testid=notice]')?.textContent ?? '').startsWith('Geslaagd'),
    null, { timeout: 120000 });
  await page.getByTestId('orders').waitFor();
  await shot('uitvoering-demo');
} finally {
  await browser.close();
  await serve.stop();
}
