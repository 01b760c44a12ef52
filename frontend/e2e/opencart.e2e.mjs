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
  // The first start's profile is the demo: the user picks the bridge for their own shop.
  await field('shop.transport').locator('select').selectOption('bridge');
});

after(async () => {
  await browser?.close();
  await Promise.all([serve?.stop(), shop?.stop()]);
});


async function testConnection() {
  await page.click('[data-action=testOpenCart]');
  return w.report();
}

const steps = () => page.locator('[data-testid=test-report] li').evaluateAll((lis) =>
  lis.map((li) => (li.classList.contains('warn') ? '!' : li.classList.contains('ok') ? '✓' : '✗') + li.dataset.step));

describe('Koppeling OpenCart', () => {
  test('FTPS is the default; the certificate is trusted once, then every step is green', async () => {
    assert.equal(await field('shop.ftp.protocol').locator('select').inputValue(), 'ftps-explicit');
    await w.fillShop(shop);
    const report = await w.testShop(shop);
    assert.match(report, new RegExp(`Verbinding geslaagd met de webshop ‘${shop.shopName}’`));
    assert.deepEqual(await steps(), ['✓connect', '✓security', '✓login', '✓folder', '✓shop', '✓upload', '✓rights', '✓url', '✓auth', '✓database', '✓orders']);
    assert.match(report, /Alleen leesbaar voor uw eigen account/);
    assert.match(await field('shop.bridge.path').locator('output').innerText(), /^sc-[0-9a-f]{16}\/[0-9a-f]{16}\.php$/);
    assert.equal(await field('shop.ftp.certFingerprint').locator('output').innerText(), shop.certFingerprint);
  });

  test('plain FTP: orange on the tab, refused until chosen, then orange in the test', async () => {
    await field('shop.ftp.protocol').locator('select').selectOption('ftp');
    await field('shop.ftp.port').locator('input').fill(String(shop.ftpPort));
    const warning = page.getByTestId('plain-warning');
    assert.equal(await warning.innerText(), 'Niet versleuteld: wachtwoord en sleutel gaan leesbaar over het netwerk.');
    assert.equal(await warning.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(232, 119, 46)');
    assert.match(await testConnection(), /Niet versleuteld: wachtwoord en sleutel gaan leesbaar over het netwerk\. Kies FTPS of SFTP/);
    assert.deepEqual(await steps(), ['✗security']);
    await field('shop.ftp.plainOK').locator('input').setChecked(true);
    assert.match(await testConnection(), /geslaagd/);
    const security = page.locator('[data-testid=test-report] li[data-step=security]');
    assert.equal(await security.evaluate((el) => getComputedStyle(el).color), 'rgb(232, 119, 46)');
    assert.deepEqual((await steps()).slice(0, 3), ['✓connect', '!security', '✓login']);
    // Back to FTPS for the rest.
    await field('shop.ftp.protocol').locator('select').selectOption('ftps-explicit');
    await field('shop.ftp.port').locator('input').fill(String(shop.ftpsPort));
    assert.match(await testConnection(), /geslaagd/);
  });

  test('a wrong password stops at login with the Dutch message', async () => {
    await field('shop.ftp.password').locator('input').fill('een-fout-wachtwoord');
    const report = await testConnection();
    assert.match(report, /De server weigert de gebruikersnaam of het wachtwoord/);
    assert.deepEqual(await steps(), ['✓connect', '✓security', '✗login']);
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
