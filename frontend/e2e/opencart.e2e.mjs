// End-to-end: Koppeling OpenCart against a hosted test shop (vsftpd, PHP,
// MariaDB), in a real browser.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { windowHelpers, launchBrowser, openWindow, startServe, startShopEnv } from './harness.mjs';

let w, field, tab, serve, shop, browser, page;

before(async () => {
  [serve, shop] = await Promise.all([startServe(), startShopEnv()]);
  browser = await launchBrowser();
  page = await openWindow(browser, serve);
  w = windowHelpers(page);
  ({ field, tab } = w);
  await page.click('[role=tablist] [data-tab=opencart]');
});

after(async () => {
  await browser?.close();
  await Promise.all([serve?.stop(), shop?.stop()]);
});


async function testConnection() {
  await page.click('[data-action=testOpenCart]');
  return w.report();
}

describe('Koppeling OpenCart', () => {
  test('Verbinding testen shows every step green', async () => {
    await w.fillShop(shop);
    const report = await testConnection();
    assert.match(report, new RegExp(`Verbinding geslaagd met de webshop ‘${shop.shopName}’`));
    const steps = await page.locator('[data-testid=test-report] li').evaluateAll((lis) =>
      lis.map((li) => (li.classList.contains('ok') ? '✓' : '✗') + li.dataset.step));
    assert.deepEqual(steps, ['✓connect', '✓security', '✓login', '✓folder', '✓shop', '✓upload', '✓url', '✓auth', '✓database', '✓orders']);
    assert.match(await field('shop.bridge.path').locator('output').innerText(), /^sc-[0-9a-f]{16}\/[0-9a-f]{16}\.php$/);
  });

  test('a wrong password stops at login with the Dutch message', async () => {
    await field('shop.ftp.password').locator('input').fill('een-fout-wachtwoord');
    const report = await testConnection();
    assert.match(report, /De server weigert de gebruikersnaam of het wachtwoord/);
    const steps = await page.locator('[data-testid=test-report] li').evaluateAll((lis) =>
      lis.map((li) => (li.classList.contains('ok') ? '✓' : '✗') + li.dataset.step));
    assert.deepEqual(steps, ['✓connect', '✓security', '✗login']);
  });

  test('Verbinding verwijderen removes the bridge', async () => {
    await field('shop.ftp.password').locator('input').fill(shop.ftpPassword);
    assert.match(await testConnection(), /geslaagd/);
    await page.click('[data-action=removeBridge]');
    await page.locator('.dialog button[type=submit]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=notice]')?.textContent?.includes('verwijderd'));
    assert.equal(await field('shop.bridge.path').locator('output').innerText(), '(nog niet bekend)');
  });
});
