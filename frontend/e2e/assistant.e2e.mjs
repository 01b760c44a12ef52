// End-to-end: the setup assistant for a real profile, from *Nieuw profiel*
// to a working profile, against the SnelStart simulator and a hosted test
// shop (vsftpd, PHP, MariaDB): the key and its test (a wrong key first),
// the shop over FTPS with its test, the proposals of Aansluiting, a preview
// of the first orders and the planning. Then both *Verbinding testen* pass
// on the tabs, which show what the assistant saved.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { windowHelpers, launchBrowser, openWindow, startServe, startShopEnv, startSnelStartSim } from './harness.mjs';

let w, field, serve, sim, shop, browser, page;

before(async () => {
  [serve, sim, shop] = await Promise.all([startServe(), startSnelStartSim(), startShopEnv()]);
  browser = await launchBrowser();
  page = await openWindow(browser, serve);
  w = windowHelpers(page);
  ({ field } = w);
});

after(async () => {
  await browser?.close();
  await Promise.all([serve?.stop(), sim?.stop(), shop?.stop()]);
});

const step = () => page.getByTestId('assistant').getAttribute('data-step');
const notice = () => page.getByTestId('notice').innerText();

/** Runs the step's Verbinding testen; trusts the test server's certificate on first contact. */
async function testStep() {
  await page.click('[data-action=assistantTest]');
  let report = await w.report();
  if (await page.locator('[data-action=trust]').count()) {
    assert.equal(await page.locator('[data-testid=test-report] .fingerprint code').innerText(), shop.certFingerprint);
    await page.click('[data-action=trust]');
    await page.waitForFunction(() => !document.querySelector('[data-action=trust]'), null, { timeout: 60000 });
    report = await w.report();
  }
  return report;
}

describe('the setup assistant', () => {
  test('Nieuw profiel offers it', async () => {
    await page.getByRole('button', { name: 'Nieuw profiel' }).click();
    await page.locator('.dialog input').fill('Wijnhandel');
    await page.locator('.dialog button[type=submit]').click();
    await page.locator('.dialog', { hasText: 'installatie-assistent helpt u' }).waitFor();
    await page.getByRole('button', { name: 'Assistent starten' }).click();
    assert.equal(await step(), 'snelstart');
    assert.equal(await page.locator('#profile-select option:checked').innerText(), 'Wijnhandel');
    // The tabs stay: none is hidden while the assistant is open.
    assert.deepEqual(await page.locator('.tabs:not(.sub) [data-tab]').evaluateAll((b) => b.map((x) => x.dataset.tab)),
      ['snelstart', 'opencart', 'mapping', 'planning', 'execution', 'program']);
  });

  test('SnelStart: a wrong key is said in Dutch with what to do, the right one passes', async () => {
    await w.fillSnelStart({ ...sim, clientKey: 'een-verkeerde-sleutel' });
    const wrong = await testStep();
    assert.match(wrong, /De koppelsleutel is ongeldig/);
    assert.doesNotMatch(wrong, /geslaagd/);
    await field('snelstart.clientKey').locator('input').fill(sim.clientKey);
    assert.match(await testStep(), /Verbinding geslaagd met administratie/);
    await page.click('[data-action=next]');
    assert.equal(await step(), 'opencart');
  });

  test('Webshop: the hosted shop over FTPS with the PHP bridge', async () => {
    await w.fillShop(shop);
    const report = await testStep();
    assert.match(report, new RegExp(`Verbinding geslaagd met de webshop ‘${shop.shopName}’`));
    await page.click('[data-action=next]');
    assert.equal(await step(), 'mapping');
  });

  test('Aansluiting: what the tests found is proposed, filled in and saved', async () => {
    await page.getByTestId('suggestions').waitFor({ timeout: 60000 });
    assert.equal(await page.getByTestId('suggest-note').count(), 0, 'both connections were read');
    const value = (key) => field(key).locator('input, textarea').first().inputValue();
    assert.equal(await value('sales.template'), 'Webshop');
    assert.equal(await value('sales.shippingArticle'), 'VERZEND');
    assert.equal(await value('sales.discountArticle'), 'KORTING');
    assert.equal(await value('sales.paymentFeeArticle'), 'BETAALKOSTEN');
    assert.equal(await value('sales.differenceArticle'), 'VERSCHIL');
    assert.equal(await value('articles.revenueGroup'), 'Omzet hoog');
    assert.equal(await value('articles.revenueGroupByVat'), '21=Omzet hoog\n9=Omzet laag\n0=Omzet vrijgesteld');
    const statuses = page.locator('[data-suggest="shop.orderStatuses"]');
    assert.match(await statuses.locator('.reason').innerText(), /Op naam gekozen als verkoop: Processing, Shipped, Complete, Processed/);
    // A proposal can be declined: the voucher article stays empty.
    await page.locator('[data-suggest="sales.voucherArticle"] input[type=checkbox]').uncheck();
    assert.equal(await value('sales.voucherArticle'), '');
    await page.click('[data-action=next]');
    await page.waitForFunction(() => document.querySelector('[data-testid=assistant]')?.dataset.step === 'preview');
  });

  test('a preview of the first orders, with nothing sent', async () => {
    await page.getByTestId('preview').waitFor({ timeout: 120000 });
    const rows = await page.locator('[data-testid=preview] tbody tr').count();
    assert.ok(rows > 0, 'orders in the preview');
    const text = await page.getByTestId('preview').innerText();
    assert.match(text, /Wordt aangemaakt/);
    assert.match(text, /VERZEND — /);
    assert.match(await notice(), /Voorbeeld gemaakt: \d+ orders\. Er is niets naar SnelStart gestuurd\./);
    await page.click('[data-action=next]');
    assert.equal(await step(), 'planning');
  });

  test('the planning, then the assistant hands over to Uitvoering', async () => {
    await field('planning.orders.interval').locator('select').selectOption('15m');
    await page.click('[data-action=next]');
    await page.locator('[data-testid=assistant]').waitFor({ state: 'detached' });
    assert.match(await notice(), /installatie-assistent is klaar/);
    assert.equal(await page.locator('.tabs [data-tab=execution]').getAttribute('aria-selected'), 'true');
  });

  test('a working profile: the tabs show what the assistant saved, and both tests pass', async () => {
    await w.tab('snelstart');
    await page.click('[data-action=testSnelStart]');
    assert.match(await w.report(), /Verbinding geslaagd met administratie/);
    await w.tab('opencart');
    await page.click('[data-action=testOpenCart]');
    assert.match(await w.report(), /Verbinding geslaagd met de webshop/);
    assert.equal(await page.locator('#profile-select option:checked').innerText(), 'Wijnhandel');
    await w.tab('mapping', 'sales');
    assert.equal(await field('sales.template').locator('input').inputValue(), 'Webshop');
    assert.equal(await field('sales.voucherArticle').locator('input').inputValue(), '');
    await w.tab('planning');
    assert.equal(await field('planning.orders.interval').locator('select').inputValue(), '15m');
  });

  test('opened again, every step can be skipped and nothing changes', async () => {
    await page.click('[data-action=openAssistant]');
    assert.equal(await step(), 'snelstart');
    await field('snelstart.clientKey').locator('input').fill('weggegooid');
    const ids = ['snelstart', 'opencart', 'mapping', 'preview', 'planning'];
    for (const [i, id] of ids.entries()) {
      assert.equal(await step(), id);
      await page.click('[data-action=skip]'); // waits while the step reads (proposals, preview)
      await page.waitForFunction((next) => (document.querySelector('[data-testid=assistant]')?.dataset.step ?? 'closed') === next,
        ids[i + 1] ?? 'closed');
    }
    await page.locator('[data-testid=assistant]').waitFor({ state: 'detached' });
    await w.tab('snelstart');
    await page.click('[data-action=testSnelStart]');
    assert.match(await w.report(), /Verbinding geslaagd/, 'the skipped key was not saved');
    await w.tab('mapping', 'sales');
    assert.equal(await field('sales.voucherArticle').locator('input').inputValue(), '', 'skipping the proposals saved none');
  });
});
