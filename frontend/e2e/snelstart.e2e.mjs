// End-to-end: Koppeling SnelStart against the simulator, in a real browser.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { windowHelpers, launchBrowser, openWindow, startServe, startSnelStartSim } from './harness.mjs';

let w, field, tab, serve, sim, browser, page;

before(async () => {
  [serve, sim] = await Promise.all([startServe(), startSnelStartSim()]);
  browser = await launchBrowser();
  page = await openWindow(browser, serve);
  w = windowHelpers(page);
  ({ field, tab } = w);
});

after(async () => {
  await browser?.close();
  await Promise.all([serve?.stop(), sim?.stop()]);
});


async function testConnection() {
  await page.click('[data-action=testSnelStart]');
  return w.report();
}

describe('Koppeling SnelStart', () => {
  test('Verbinding testen shows the administration, with every step ticked', async () => {
    await w.fillSnelStart(sim);
    const report = await testConnection(); // saves first, then tests
    assert.match(report, /Verbinding geslaagd met administratie ‘Demo administratie’/);
    assert.equal(await page.locator('[data-testid=test-report] li.ok').count(), 4);
    assert.equal(await field('snelstart.administration').locator('output').innerText(), 'Demo administratie');
    assert.equal(await field('snelstart.clientKey').locator('.secret-state').innerText(), 'ingesteld');
  });

  test('a wrong koppelsleutel gives the Dutch message for it', async () => {
    await field('snelstart.clientKey').locator('input').fill('een-verkeerde-sleutel');
    const report = await testConnection();
    assert.match(report, /De koppelsleutel is ongeldig of ingetrokken/);
    assert.equal(await page.locator('[data-testid=test-report] li[data-step=token]:not(.ok)').count(), 1);
    // Put the right key back for the pick lists.
    await field('snelstart.clientKey').locator('input').fill(sim.clientKey);
    assert.match(await testConnection(), /geslaagd/);
  });

  test('the pick lists fill from the administration', async () => {
    await page.click('[role=tablist] [data-tab=mapping]');
    await page.click('[role=tablist] [data-tab=sales]');
    await field('sales.template').locator('input').fill('');
    await field('sales.template').getByRole('button', { name: 'Zoeken in SnelStart' }).click();
    const sjablonen = field('sales.template').getByTestId('picklist');
    await sjablonen.waitFor();
    assert.deepEqual(await sjablonen.locator('button').allInnerTexts(), ['Standaard', 'Webshop']);
    await sjablonen.getByRole('button', { name: 'Webshop' }).click();
    assert.equal(await field('sales.template').locator('input').inputValue(), 'Webshop');

    await field('sales.shippingArticle').locator('input').fill('VERZ');
    await field('sales.shippingArticle').getByRole('button', { name: 'Zoeken in SnelStart' }).click();
    await field('sales.shippingArticle').getByRole('button', { name: 'VERZEND – Verzendkosten' }).click();
    assert.equal(await field('sales.shippingArticle').locator('input').inputValue(), 'VERZEND');

    await field('sales.discountArticle').locator('input').fill('bestaat-niet');
    await field('sales.discountArticle').getByRole('button', { name: 'Zoeken in SnelStart' }).click();
    assert.equal(await field('sales.discountArticle').getByTestId('picklist').innerText(), 'Niets gevonden in SnelStart.');

    await page.click('[role=tablist] [data-tab=articles]');
    await field('articles.revenueGroup').getByRole('button', { name: 'Zoeken in SnelStart' }).click();
    await field('articles.revenueGroup').getByRole('button', { name: /Omzet laag/ }).click();
    assert.equal(await field('articles.revenueGroup').locator('input').inputValue(), 'Omzet laag');
  });
});
