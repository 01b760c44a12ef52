// End-to-end: the order import from Uitvoering — preview, then Nu uitvoeren —
// with a hosted test shop (bridge over FTP), the SnelStart simulator and a
// licence issued with the test's own key.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { windowHelpers, launchBrowser, openWindow, startServe, startShopEnv, startSnelStartSim } from './harness.mjs';

let w, field, tab, serve, sim, shop, browser, page;

before(async () => {
  [serve, sim, shop] = await Promise.all([startServe(), startSnelStartSim(), startShopEnv()]);
  browser = await launchBrowser();
  page = await openWindow(browser, serve);
  w = windowHelpers(page);
  ({ field, tab } = w);
});

after(async () => {
  await browser?.close();
  await Promise.all([serve?.stop(), sim?.stop(), shop?.stop()]);
});


describe('Uitvoering: the order import', () => {
  test('set up: SnelStart, the shop, the mapping and a licence', async () => {
    await w.connect(sim, shop);

    await w.mapSeededAdministration();

    await w.importLicense(shop.url);
  });

  test('Voorbeeld shows what would be created, and writes nothing', async () => {
    await tab('execution');
    await page.locator('tr[data-task=orders] button', { hasText: 'Voorbeeld' }).click();
    await page.getByTestId('preview').waitFor({ timeout: 60000 });
    const rows = await page.locator('[data-testid=preview] tbody tr').count();
    assert.equal(rows, shop.sales, 'every sale of the shop in the preview');
    const text = await page.getByTestId('preview').innerText();
    assert.match(text, /Wordt aangemaakt/);
    assert.match(text, /Nieuwe klant in SnelStart/);
    assert.match(text, /VERZEND — /);
    assert.equal(await page.locator('[data-testid=orders]').count(), 0, 'nothing was booked');
  });

  test('Nu uitvoeren books the orders and lists them with the customer number', async () => {
    await page.locator('tr[data-task=orders] button', { hasText: 'Nu uitvoeren' }).click();
    await page.waitForFunction(() => (document.querySelector('[data-testid=notice]')?.textContent ?? '').startsWith('Geslaagd'), null, { timeout: 120000 });
    const notice = await page.getByTestId('notice').innerText();
    assert.match(notice, /× aangemaakt/);
    await page.getByTestId('orders').waitFor();
    const created = page.locator('[data-testid=orders] tbody tr.confirmed');
    assert.ok((await created.count()) >= 10, notice);
    const first = await created.first().locator('td').allInnerTexts();
    assert.equal(first[2], 'In SnelStart');
    assert.match(first[4], /^\d+$/, 'relatiecode shown');
    assert.match(first[5], /^\d+$/, 'verkooporder number shown');
    assert.match(first[6], /^€ [\d.]+,\d\d$/, 'total in euros');
    // Again: nothing new is booked.
    await page.locator('tr[data-task=orders] button', { hasText: 'Nu uitvoeren' }).click();
    await page.waitForFunction(() => /al verwerkt/.test(document.querySelector('[data-testid=notice]')?.textContent ?? ''), null, { timeout: 120000 });
    assert.doesNotMatch(await page.getByTestId('notice').innerText(), /aangemaakt/);
  });

  test('Voorbeeld of the combined task also shows the stock the shop would get — and never zeroes new articles', async () => {
    await page.locator('tr[data-task=ordersStock] button', { hasText: 'Voorbeeld' }).click();
    await page.getByTestId('stock-summary').waitFor({ timeout: 60000 });
    const summary = await page.getByTestId('stock-summary').innerText();
    // The articles the import created have no stock in SnelStart yet: their
    // products are left alone, and listed under that reason.
    assert.match(summary, /\d+ × voorraad nog niet ingesteld in SnelStart/, summary);
    const notSet = page.locator('details[data-reason=not_set]');
    await notSet.locator('summary').click();
    assert.ok((await notSet.locator('tbody tr').count()) > 0, summary);
    assert.equal(await page.locator('[data-testid=stock-rows] tbody tr td:nth-child(6)', { hasText: /^0$/ }).count(), 0,
      'no product goes to 0');
    // A preview writes nothing: the same is planned again.
    await page.locator('tr[data-task=ordersStock] button', { hasText: 'Voorbeeld' }).click();
    await page.waitForFunction(() => !document.querySelector('tr[data-task=ordersStock] button[disabled]'), null, { timeout: 60000 });
    assert.equal(await page.getByTestId('stock-summary').innerText(), summary);
  });
});
