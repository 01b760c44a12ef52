// End-to-end: the stock export from the window — an option value put on a
// SnelStart article on Aansluiting → Artikelen, the Voorbeeld of the
// combined task, Nu uitvoeren, the result kept in the history, and the CSV.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { windowHelpers, launchBrowser, openWindow, startServe, startShopEnv, startSnelStartSim } from './harness.mjs';

let w, field, tab, serve, sim, shop, browser, page, valueId;

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

const saved = () => page.waitForFunction(() => /opgeslagen|Opgeslagen/.test(document.querySelector('[data-testid=notice]')?.textContent ?? ''));

describe('Uitvoering: the stock export', () => {
  test('set up: SnelStart, the shop, the mapping and a licence with Voorraad', async () => {
    await w.connect(sim, shop);
    await w.mapSeededAdministration();
    await w.importLicense(shop.url, 'orders,voorraad');
  });

  test('Opties als artikel: an option value of the shop on a SnelStart article, picked from the list', async () => {
    await tab('mapping', 'articles');
    const control = field('articles.optionMap');
    await control.getByRole('button', { name: 'Opties uit de webshop laden' }).click();
    const first = control.locator('[data-testid=option-map] tbody tr').first();
    await first.waitFor({ timeout: 60000 });
    assert.match(await first.innerText(), /Maat: [SML]/);
    valueId = await first.getAttribute('data-option-value');
    await first.locator('input').fill('GLA');
    await first.getByRole('button', { name: 'Zoeken in SnelStart' }).click();
    await first.locator('[data-testid=picklist] button', { hasText: 'GLAS' }).first().click();
    assert.equal(await first.locator('input').inputValue(), 'GLAS');
    assert.match(await control.innerText(), /1 optiewaarden gekoppeld/);
    await page.click('[data-action=save]');
    await saved();
  });

  test('Voorbeeld shows the option value and its product getting the total', async () => {
    await tab('execution');
    await page.locator('tr[data-task=ordersStock] button', { hasText: 'Voorbeeld' }).click();
    await page.getByTestId('stock-rows').waitFor({ timeout: 60000 });
    const row = page.locator(`[data-testid=stock-rows] tr[data-option-value="${valueId}"]`);
    const cells = await row.locator('td').allInnerTexts();
    assert.equal(cells[0], 'GLAS');
    assert.match(cells[1], /Maat: /);
    assert.equal(cells[3], '100', 'SnelStart’s stock of GLAS');
    assert.match(await page.getByTestId('stock-rows').innerText(), /Totaal van de opties/);
  });

  test('Nu uitvoeren writes it, lists what it wrote and left alone, keeps it in the history, exports CSV', async () => {
    await page.locator('tr[data-task=ordersStock] button', { hasText: 'Nu uitvoeren' }).click();
    await page.waitForFunction(() => (document.querySelector('[data-testid=notice]')?.textContent ?? '').startsWith('Geslaagd'), null, { timeout: 120000 });
    const row = page.locator(`[data-testid=stock-rows] tr[data-option-value="${valueId}"]`);
    await row.waitFor();
    assert.match(await row.innerText(), /Geschreven/);
    assert.ok(await page.locator('details[data-reason=not_set]').count() > 0, 'the articles the import made are left alone');
    const download = page.waitForEvent('download');
    await page.getByTestId('stock-csv').click();
    const csv = readFileSync(await (await download).path(), 'utf8');
    assert.match(csv, new RegExp(`;${valueId};GLAS;[^\\n]*;100;[^\\n]*Geschreven`));
    // The same list from the history, after the page was opened anew.
    await page.reload();
    await page.waitForSelector('[data-tab]');
    await tab('execution');
    await page.getByRole('button', { name: 'Voorraad', exact: true }).first().click();
    await page.locator(`[data-testid=stock-rows] tr[data-option-value="${valueId}"]`).waitFor();
  });
});
