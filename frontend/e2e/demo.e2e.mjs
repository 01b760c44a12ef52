// End-to-end: the demo on a first start. An empty settings folder gives the
// demo profile with nothing to fill in; Nu uitvoeren books its orders into
// the demo administration and brings SnelStart's stock to the demo shop
// (read from the shop's SQLite file and the administration's saved file);
// a new demo order comes in and the next scheduled run books it. New demo
// orders come every 15 s here (SCONNECT_DEMO_ORDER_EVERY), every few
// minutes in the program.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, openWindow, startServe, windowHelpers } from './harness.mjs';

process.env.SCONNECT_DEMO_ORDER_EVERY = '15s';

let serve, browser, page, w;

before(async () => {
  serve = await startServe();
  browser = await launchBrowser();
  page = await openWindow(browser, serve);
  w = windowHelpers(page);
});

after(async () => {
  await browser?.close();
  await serve?.stop();
});

/** The demo shop's products (model → quantity), read from its SQLite file. */
function shopStock() {
  let out;
  try {
    out = execFileSync('sqlite3', ['-json', join(serve.dir, 'demo', 'webshop.sqlite'),
      'SELECT p.model, p.quantity FROM oc_product p WHERE NOT EXISTS (SELECT 1 FROM oc_product_option_value v WHERE v.product_id = p.product_id)']);
  } catch (e) {
    if (e.code === 'ENOENT') throw new Error("sqlite3 not found: install Debian's 'sqlite3' package (make test does)");
    throw e;
  }
  return new Map(JSON.parse(out.toString()).map((r) => [r.model, r.quantity]));
}

/** The demo administration's free stock per artikelcode, from its saved file. */
function snelstartStock() {
  const admin = JSON.parse(readFileSync(join(serve.dir, 'demo', 'snelstart.json'), 'utf8'));
  return new Map(admin.collections.artikelen.map((a) => [a.artikelcode, Number(a.vrijeVoorraad)]));
}

function sameStock() {
  const shop = shopStock();
  let n = 0;
  for (const [code, qty] of snelstartStock()) if (shop.has(code) && shop.get(code) === qty) n++;
  return n;
}

/** Rows of the orders table: [order, klantnummer, verkoopordernummer]. */
async function bookedOrders() {
  if (!(await page.locator('[data-testid=orders]').count())) return [];
  return page.$$eval('[data-testid=orders] tbody tr[data-order]', (rows) =>
    rows.map((r) => [Number(r.dataset.order), r.cells[4].textContent.trim(), r.cells[5].textContent.trim()]));
}

describe('the demo on a first start', () => {
  test('the demo profile is there, with nothing to fill in', async () => {
    const name = await page.locator('#profile-select option:checked').innerText();
    assert.equal(name.trim(), 'Demo');
    for (const tab of ['snelstart', 'opencart']) {
      await w.tab(tab);
      assert.equal(await page.getByText('Dit veld is verplicht').count(), 0, `${tab}: a field to fill in`);
    }
    assert.equal(await page.locator('[data-action=removeBridge]').count(), 0, 'the demo shop has no bridge to remove');
    await page.click('[data-action=testOpenCart]');
    assert.match(await w.report(), /Verbinding geslaagd met de demowinkel/);
    await w.tab('snelstart');
    await page.click('[data-action=testSnelStart]');
    assert.match(await w.report(), /Verbinding geslaagd met administratie ‘Demo Wijnhandel/);
  });

  test('Nu uitvoeren books orders with verkoopordernummers and klantnummers, and the shop gets SnelStart\'s stock', async () => {
    const before = sameStock();
    await w.tab('execution');
    await page.locator('tr[data-task=ordersStock] button', { hasText: 'Nu uitvoeren' }).click();
    await page.waitForFunction(() => (document.querySelector('[data-testid=notice]')?.textContent ?? '').startsWith('Geslaagd'), null, { timeout: 120000 });
    await page.getByTestId('orders').waitFor();
    const orders = await bookedOrders();
    assert.ok(orders.length >= 3, `${orders.length} orders booked`);
    for (const [id, klant, nummer] of orders) {
      assert.match(klant, /^\d+$/, `order ${id}: klantnummer`);
      assert.match(nummer, /^\d+$/, `order ${id}: verkoopordernummer`);
    }
    assert.match(await page.getByTestId('history').innerText(), /Demo/, 'the run is marked as the demo\'s');
    const after = sameStock();
    assert.ok(before < 30 && after >= 120, `products holding SnelStart's stock: ${before} before, ${after} after`);
  });

  test('a new demo order comes in and the next scheduled run books it', async () => {
    const booked = new Set((await bookedOrders()).map(([id]) => id));
    // Voorbeeld shows it once it is in the shop.
    const deadline = Date.now() + 90000;
    let waiting = 0;
    while (waiting === 0) {
      assert.ok(Date.now() < deadline, 'no new demo order within 90 s');
      await page.waitForTimeout(5000);
      await page.locator('tr[data-task=orders] button', { hasText: 'Voorbeeld' }).click();
      await page.getByTestId('preview').waitFor({ timeout: 60000 });
      // A row of an order the first run did not book: the preview also lists
      // the orders already booked, so counting its rows proves nothing.
      waiting = await page.$$eval('[data-testid=preview] tbody tr[data-order]',
        (rows, known) => rows.filter((r) => !known.includes(Number(r.dataset.order))).length, [...booked]);
    }
    // The planning: the next run of the demo's scheduled task in two minutes.
    const at = new Date(Date.now() + 120000);
    const pad = (n) => String(n).padStart(2, '0');
    await w.tab('planning');
    await page.locator('[data-key="planning.ordersStock.nextRun"] input').fill(
      `${pad(at.getDate())}-${pad(at.getMonth() + 1)}-${at.getFullYear()} ${pad(at.getHours())}:${pad(at.getMinutes())}`);
    await page.click('[data-action=save]');
    await page.waitForFunction(() => /opgeslagen|Opgeslagen/.test(document.querySelector('[data-testid=notice]')?.textContent ?? ''));
    await w.tab('execution');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=history] tbody tr')]
      .some((r) => /Planning/.test(r.textContent) && /Geslaagd/.test(r.textContent)), null, { timeout: 240000 });
    // The orders list reloads on its own after the history: wait for it.
    await page.waitForFunction((known) => [...document.querySelectorAll('[data-testid=orders] tbody tr[data-order]')]
      .some((r) => !known.includes(Number(r.dataset.order))), [...booked], { timeout: 30000 }).catch(() => {});
    const now = await bookedOrders();
    const fresh = now.filter(([id]) => !booked.has(id));
    assert.ok(fresh.length >= 1, 'the scheduled run booked the new demo order');
    for (const [id, klant, nummer] of fresh) {
      assert.match(nummer, /^\d+$/, `order ${id}: verkoopordernummer`);
      assert.match(klant, /^\d+$/, `order ${id}: klantnummer`);
    }
  });
});
