// End-to-end: Uitvoering as a shop owner uses it — progress per order, held
// orders put right from the window (Opnieuw proberen, Handmatig afgehandeld,
// Negeren), search, filter and CSV export, the chart from the ledger, and
// failed runs that say why — against a hosted test shop, the SnelStart
// simulator and a licence issued with the test's own key.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { windowHelpers, launchBrowser, openWindow, startServe, startShopEnv, startSnelStartSim } from './harness.mjs';

let w, field, tab, serve, sim, shop, browser, page, redirector;

before(async () => {
  [serve, sim, shop] = await Promise.all([startServe(), startSnelStartSim(), startShopEnv()]);
  browser = await launchBrowser();
  page = await openWindow(browser, serve);
  w = windowHelpers(page);
  ({ field, tab } = w);
  // A web address that sends everything on elsewhere, as a hosting company's
  // "http://shop → https://www.shop" does.
  redirector = createServer((req, res) => res.writeHead(301, { Location: 'https://www.wijnhandel.example.nl' + req.url }).end());
  await new Promise((r) => redirector.listen(0, '127.0.0.1', r));
});

after(async () => {
  await browser?.close();
  redirector?.close();
  await Promise.all([serve?.stop(), sim?.stop(), shop?.stop()]);
});

const notice = () => page.getByTestId('notice').innerText();
const waitNotice = (re, timeout = 120000) =>
  page.waitForFunction((src) => new RegExp(src).test(document.querySelector('[data-testid=notice]')?.textContent ?? ''), re.source, { timeout });

async function save() {
  // Wait for this save's answer: the notice may still say "opgeslagen" from
  // an earlier save, and a run started before the save lands reads the old settings.
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/call') && r.request().postData()?.includes('"app.Settings.Save"'));
  await page.click('[data-action=save]');
  await answered;
  await waitNotice(/pgeslagen/);
}

/** How many verkooporders SnelStart has with this betalingskenmerk (asked as the client asks). */
async function inSnelStart(ref) {
  const tok = await (await fetch(sim.auth + 'b2b/token', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=clientkey&clientkey=' + encodeURIComponent(sim.clientKey) })).json();
  const res = await fetch(sim.api + 'verkooporders?$filter=' + encodeURIComponent(`Betalingskenmerk eq '${ref}'`),
    { headers: { Authorization: 'Bearer ' + tok.access_token, 'Ocp-Apim-Subscription-Key': sim.subscriptionKey } });
  assert.equal(res.status, 200);
  return (await res.json()).length;
}

/**
 * Starts recording the progress events the window gets (a listener of its
 * own on the same event stream) and what the progress bar shows; returns a
 * function that stops and gives both.
 */
async function recordProgress() {
  await page.evaluate(() => {
    window.__source?.close();
    window.__observer?.disconnect();
    window.__events = [];
    window.__shown = [];
    const token = sessionStorage.getItem('s-connect-token');
    window.__source = new EventSource('/api/events?token=' + encodeURIComponent(token));
    window.__source.onmessage = (m) => {
      const ev = JSON.parse(m.data);
      if (ev.name === 'run:progress' && ev.data.done > 0) window.__events.push(ev.data);
    };
    window.__observer = new MutationObserver(() => {
      const el = document.querySelector('[data-testid=progress]');
      if (el && Number(el.dataset.done) > 0) window.__shown.push({ done: Number(el.dataset.done), text: el.textContent.trim() });
    });
    window.__observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  await page.waitForFunction(() => window.__source.readyState === 1);
  // Stops once the last order's event is in (it may come after the answer that ends the run).
  return async (orders) => {
    await page.waitForFunction((n) => window.__events.some((e) => e.done === n), orders);
    return page.evaluate(() => {
    window.__observer.disconnect();
    window.__source.close();
    return { events: window.__events, shown: window.__shown };
    });
  };
}

// Progress came order by order — done counts 1, 2, … up to all the orders
// there were, never back, each event naming the order at hand — and the
// window showed it as "Order N: x van y".
function checkProgress({ events, shown }, orders, preview) {
  let next = 1;
  for (const e of events) {
    if (e.done === next) next++;
    else assert.equal(e.done, next - 1, `progress jumped: ${JSON.stringify(events.map((x) => x.done))}`);
    assert.ok(e.total === orders && e.orderId > 0 && e.preview === preview, JSON.stringify(e));
  }
  assert.equal(next - 1, orders, 'counted to every order');
  assert.ok(shown.length > 0, 'the progress bar showed');
  for (const p of shown) assert.match(p.text, new RegExp(`^Order \\d+: ${p.done} van ${orders}$`));
}

const rows = (sel = '') => page.locator(`[data-testid=orders] tbody tr[data-order]${sel}`);

async function openOrder(id) {
  const row = page.locator(`[data-testid=orders] tr[data-order="${id}"]`);
  if (!(await row.evaluate((tr) => tr.classList.contains('open')))) await row.click();
  await page.getByTestId('order-detail').waitFor();
}

/** Shows the orders in one state; returns how many there are. */
async function filterOn(state) {
  await page.getByTestId('order-filter').selectOption(state);
  await page.waitForFunction((s) => {
    const want = { confirmed: 'In SnelStart', handled: 'Handmatig afgehandeld' }[s];
    const trs = [...document.querySelectorAll('[data-testid=orders] tbody tr[data-order]')];
    return !want || (trs.length > 0 && trs.every((tr) => tr.children[2].textContent === want));
  }, state);
  return Number((await page.getByTestId('order-count').innerText()).split(' ')[0]);
}

async function runNow(done = /^(Geslaagd|Mislukt)/) {
  await page.locator('tr[data-task=orders] button', { hasText: 'Nu uitvoeren' }).click();
  await waitNotice(done);
  await page.waitForFunction(() => !document.querySelector('tr[data-task=orders] button[disabled]'));
  return notice();
}

let held = [];

describe('Uitvoering', () => {
  test('set up, without an article for shipping costs', async () => {
    await w.connect(sim, shop);
    // Order statuses and stores are picked by name from the shop.
    const statuses = field('shop.orderStatuses').getByTestId('shop-pick');
    await statuses.waitFor();
    assert.ok((await statuses.locator('label').allInnerTexts()).map((l) => l.trim()).includes('Processing'));
    assert.match(await field('shop.orderStatuses').getByTestId('shop-pick-default').innerText(),
      /^Niets aangevinkt: standaard, de statussen van een echte verkoop: Complete, Pending, Processing, Reversed, Shipped\.$/);
    await statuses.locator('label', { hasText: 'Complete' }).locator('input').check();
    assert.equal(await field('shop.orderStatuses').getByTestId('shop-pick-default').count(), 0);
    await statuses.locator('label', { hasText: 'Complete' }).locator('input').uncheck();
    assert.ok((await field('shop.storeIDs').getByTestId('shop-pick').innerText()).includes(shop.shopName));
    if (process.env.E2E_SHOTS) await page.screenshot({ path: join(process.env.E2E_SHOTS, 'koppeling-opencart.png'), fullPage: true });
    await tab('mapping', 'sales');
    for (const [k, v] of [['sales.template', 'Webshop'], ['sales.shippingArticle', ''], ['sales.discountArticle', 'KORTING'], ['sales.paymentFeeArticle', 'BETAALKOSTEN'],
      ['sales.voucherArticle', 'CADEAUBON'], ['sales.differenceArticle', 'VERSCHIL']]) {
      await field(k).locator('input').fill(v);
    }
    await field('sales.discountArticleByVat').locator('textarea').fill('9=KORTING-LAAG\n0=KORTING-GEEN');
    await field('sales.defaultArticle').locator('input').fill('BESTAAT-NIET');
    await tab('mapping', 'articles');
    await field('articles.revenueGroup').locator('input').fill('Omzet hoog');
    await field('articles.revenueGroupByVat').locator('textarea').fill('9=Omzet laag\n0=Omzet vrijgesteld');
    await save();
    // An article SnelStart does not have: saved, with a warning beside it.
    await waitNotice(/^Opgeslagen\. Let op: SnelStart kent niet alles wat is ingevuld \(tabblad Verkopen\)/);
    await page.locator('[data-testid=notice] button.fix').click();
    assert.match(await field('sales.defaultArticle').getByTestId('warning').innerText(), /^Artikel ‘BESTAAT-NIET’ bestaat niet in SnelStart\. Toch opgeslagen/);
    await field('sales.defaultArticle').locator('input').fill('');
    await save();
    await w.importLicense(shop.url);
    await tab('execution');
    await page.getByTestId('overview').waitFor();
  });

  test('Voorbeeld shows its progress per order', async () => {
    const stop = await recordProgress();
    await page.locator('tr[data-task=orders] button', { hasText: 'Voorbeeld' }).click();
    await page.getByTestId('preview').waitFor({ timeout: 60000 });
    const orders = await page.locator('[data-testid=preview] tbody tr').count();
    checkProgress(await stop(orders), orders, true);
  });

  test('Nu uitvoeren moves per order and says Geslaagd, N vastgehouden', async () => {
    const stop = await recordProgress();
    const text = await runNow();
    const counts = [...text.matchAll(/(\d+) × /g)].reduce((n, c) => n + Number(c[1]), 0);
    checkProgress(await stop(counts), counts, false);
    const m = text.match(/^Geslaagd, (\d+) vastgehouden/);
    assert.ok(m, text);
    // The task row and the overview reload after the run: wait for them.
    await page.waitForFunction((n) => new RegExp(`^Geslaagd, ${n} vastgehouden`).test(
      document.querySelector('tr[data-task=orders] [data-testid=task-outcome]')?.innerText ?? ''), m[1]);
    await page.waitForFunction((n) => new RegExp(`\\b${n}\\b`).test(document.querySelector('[data-testid=held-now]')?.innerText ?? ''), m[1]);
    await page.getByTestId('held-now').click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=orders] tbody tr[data-order]').length === n, Number(m[1]));
    held = await rows().evaluateAll((trs) => trs.map((tr) => Number(tr.dataset.order)));
    assert.ok(held.length >= 3, `${held.length} held orders`);
    for (const id of held) assert.equal(await inSnelStart(String(id)), 0, `held order ${id} is not in SnelStart`);
  });

  test('a held order fixed by changing the setting and Opnieuw proberen lands once', async () => {
    const id = held[0];
    await openOrder(id);
    const detail = page.getByTestId('order-detail');
    assert.match(await detail.innerText(), /De order heeft verzendkosten .* maar er is geen Artikelcode verzendkosten — kies er een op Aansluiting → Verkopen\./);
    if (process.env.E2E_SHOTS) await page.screenshot({ path: join(process.env.E2E_SHOTS, 'uitvoering-vastgehouden.png'), fullPage: true });
    await detail.locator('button.fix').click(); // Naar Verkopen › Artikelcode verzendkosten
    await page.waitForFunction(() => document.activeElement?.closest('[data-key]')?.dataset.key === 'sales.shippingArticle');
    await page.keyboard.type('VERZEND');
    await save();
    await tab('execution');
    await page.getByTestId('held-now').click();
    await openOrder(id);
    await page.getByTestId('order-detail').locator('[data-action=retry]').click();
    await waitNotice(/staat in SnelStart als verkooporder \d+/);
    assert.equal(await inSnelStart(String(id)), 1);
    await page.getByTestId('order-filter').selectOption('');
    await openOrder(id);
    const attempts = page.locator('[data-testid=order-detail] ol.attempts > li');
    await attempts.first().waitFor();
    assert.equal(await attempts.count(), 1);
    assert.equal(await attempts.first().getAttribute('data-outcome'), 'confirmed');
    assert.match(await attempts.first().innerText(), /Poging 1 — \d\d-\d\d-\d{4} \d\d:\d\d — In SnelStart/);
  });

  test('Handmatig afgehandeld and Negeren stay out of later runs', async () => {
    const [, byHand, ignored] = held;
    await page.getByTestId('order-filter').selectOption('open');
    await openOrder(byHand);
    await page.getByTestId('order-detail').locator('[data-action=handled]').click();
    await page.locator('.dialog textarea').fill('Met de hand geboekt als 2026-0042');
    assert.equal(await page.locator('.dialog button[type=submit]').innerText(), 'Handmatig afgehandeld');
    await page.locator('.dialog button[type=submit]').click();
    await waitNotice(new RegExp(`Order ${byHand} staat als handmatig afgehandeld`));
    await openOrder(ignored);
    await page.getByTestId('order-detail').locator('[data-action=ignore]').click();
    assert.equal(await page.locator('.dialog button.secondary').innerText(), 'Terug');
    await page.locator('.dialog button[type=submit]').click();
    await waitNotice(new RegExp(`Order ${ignored} wordt genegeerd`));

    const text = await runNow();
    assert.match(text, /^Geslaagd: /, 'nothing held any more');
    assert.equal(await inSnelStart(String(byHand)), 0);
    assert.equal(await inSnelStart(String(ignored)), 0);
    assert.equal(await inSnelStart(String(held[0])), 1, 'the order tried again is not booked a second time');
    for (const id of held.slice(3)) assert.equal(await inSnelStart(String(id)), 1, `order ${id} booked once`);
    await page.getByTestId('order-filter').selectOption('handled');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=orders] tbody tr[data-order]').length === 1);
    assert.match(await rows().first().innerText(), /Met de hand geboekt als 2026-0042/);
  });

  test('search, filter and CSV export', async () => {
    await page.getByTestId('order-filter').selectOption('confirmed');
    await page.waitForFunction(() => document.querySelector('[data-testid=orders] tbody tr[data-order] td:nth-child(3)')?.textContent === 'In SnelStart');
    const states = await rows().evaluateAll((trs) => trs.map((tr) => tr.children[2].textContent));
    assert.ok(states.length >= 10 && states.every((s) => s === 'In SnelStart'), states.join());
    // Newest first.
    const dates = await rows().evaluateAll((trs) => trs.map((tr) => tr.children[0].textContent.replace(/(\d\d)-(\d\d)-(\d{4}) (.*)/, '$3$2$1 $4')));
    assert.deepEqual(dates, [...dates].sort().reverse());

    const [customer, klantnummer] = await rows().first().evaluate((tr) => [tr.children[3].textContent, tr.children[4].textContent]);
    const all = states.length;
    await page.getByTestId('order-search').fill(customer.split(' ')[0]);
    await page.waitForFunction(([c, n]) => { const trs = [...document.querySelectorAll('[data-testid=orders] tbody tr[data-order]')];
      return trs.length > 0 && trs.length < n && trs.every((tr) => tr.children[3].textContent.toLowerCase().includes(c.toLowerCase())); },
    [customer.split(' ')[0], all]);
    await page.getByTestId('order-search').fill(klantnummer);
    await page.waitForFunction((k) => { const trs = [...document.querySelectorAll('[data-testid=orders] tbody tr[data-order]')];
      return trs.length > 0 && trs.every((tr) => tr.children[4].textContent === k); }, klantnummer);
    // By order number: that order is found (with any whose order, klant- or
    // verkoopordernummer holds the same digits).
    await page.getByTestId('order-search').fill(String(held[0]));
    await page.waitForFunction((id) => { const trs = [...document.querySelectorAll('[data-testid=orders] tbody tr[data-order]')];
      return trs.some((tr) => tr.dataset.order === id)
        && trs.every((tr) => [tr.dataset.order, tr.children[4].textContent, tr.children[5].textContent].some((x) => x.includes(id))); },
    String(held[0]));
    await page.getByTestId('order-search').fill('');
    await page.getByTestId('order-filter').selectOption('');
    await page.waitForFunction(() => /^\d+ orders$/.test(document.querySelector('[data-testid=order-count]')?.textContent ?? ''));
    const count = Number((await page.getByTestId('order-count').innerText()).split(' ')[0]);

    const download = page.waitForEvent('download');
    await page.click('[data-action=exportCsv]');
    const file = await (await download).path();
    const csv = readFileSync(file, 'utf8');
    const lines = csv.replace(/^\ufeff/, '').trim().split('\r\n');
    assert.ok(csv.startsWith('\ufeff'), 'a byte-order mark for spreadsheets');
    assert.equal(lines[0], 'Orderdatum;Order;Status;Klant;Klantnummer;Verkooporder;Totaal;Aangemaakt in SnelStart;Reden');
    assert.equal(lines.length - 1, count, 'every order, not just the page');
    assert.ok(lines.slice(1).every((l) => /^\d\d-\d\d-\d{4};\d+;/.test(l)), lines[1]);
    assert.ok(lines.some((l) => /;In SnelStart;.*;-?\d+,\d\d;verkooporder/.test(l)), 'amounts with a decimal comma');
    assert.ok(lines.some((l) => l.includes(';Handmatig afgehandeld;') && l.endsWith(';Met de hand geboekt als 2026-0042')));
  });

  test('the overview and its chart come from the ledger', async () => {
    const booked = await filterOn('confirmed');
    assert.equal(Number(await page.getByTestId('booked-today').innerText()), booked);
    assert.equal(Number(await page.getByTestId('chart').getAttribute('data-orders')), booked);
    const today = await page.locator('[data-testid=chart-data] tbody tr').last().locator('td').allInnerTexts();
    assert.equal(Number(today[1]), booked);
    assert.match(today[2], /^€ [\d.]+,\d\d$/);
    // The bars are drawn: the canvas has pixels in the bars' blue.
    const blue = await page.locator('[data-testid=chart] canvas').evaluate((c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 2] > 150 && d[i] < 150 && d[i + 3] > 0) n++;
      return n;
    });
    assert.ok(blue > 50, `${blue} blue pixels in the chart`);
    if (process.env.E2E_SHOTS) await page.screenshot({ path: join(process.env.E2E_SHOTS, 'uitvoering.png'), fullPage: true });
  });

  async function failsWith(change, cause, fixTab) {
    await change();
    await save();
    await tab('execution');
    const text = await runNow(/^Mislukt/);
    assert.match(text, cause);
    // The task table reloads its last run after the notice shows: wait for it
    // to show this run (under load the previous run's Geslaagd was read).
    const outcome = page.locator('tr[data-task=orders] [data-testid=task-outcome]');
    for (let i = 0; i < 100 && !cause.test(await outcome.innerText()); i++) await page.waitForTimeout(100);
    assert.match(await outcome.innerText(), cause);
    await page.locator('[data-testid=notice] button.fix').click();
    await page.waitForSelector(`[role=tablist] [data-tab="${fixTab}"][aria-selected=true]`);
    return text.replace(/^Mislukt — /, '').replace(/ Naar .*$/, '');
  }

  test('a failed run names the cause Verbinding testen names: redirecting URL', async () => {
    const cause = await failsWith(async () => {
      await tab('opencart');
      await field('shop.url').locator('input').fill(`http://127.0.0.1:${redirector.address().port}/`);
    }, /^Mislukt — De webshop URL stuurt door naar https:\/\/www\.wijnhandel\.example\.nl\//, 'opencart');
    assert.equal(await page.evaluate(() => document.activeElement?.closest('[data-key]')?.dataset.key), 'shop.url');
    await page.click('[data-action=testOpenCart]');
    await w.report();
    assert.equal(await page.getByTestId('test-report').locator('.summary').innerText(), cause);
  });

  test('… a wrong Tabel-prefix', async () => {
    await failsWith(async () => {
      await tab('opencart');
      await field('shop.url').locator('input').fill(shop.url);
      await field('shop.tablePrefix').locator('input').fill('xx_');
    }, /^Mislukt — Geen OpenCart-tabellen gevonden\. Controleer de databasenaam en de Tabel-prefix/, 'opencart');
  });

  test('… a wrong password', async () => {
    await failsWith(async () => {
      await tab('opencart');
      await field('shop.tablePrefix').locator('input').fill('');
      await field('shop.transport').locator('select').selectOption('mysql');
      await field('shop.db.host').locator('input').fill(shop.dbHost);
      await field('shop.db.port').locator('input').fill(String(shop.dbPort));
      await field('shop.db.name').locator('input').fill(shop.dbName);
      await field('shop.db.user').locator('input').fill(shop.dbUser);
      await field('shop.db.tls').locator('input').setChecked(false); // TLS would stop at the certificate first
      await field('shop.db.password').locator('input').fill('een-fout-wachtwoord');
    }, /^Mislukt — De database weigert de gebruikersnaam of het wachtwoord/, 'opencart');
    assert.equal(await page.evaluate(() => document.activeElement?.closest('[data-key]')?.dataset.key), 'shop.db.password');
  });

  test('… the shop down', async () => {
    await tab('opencart');
    await field('shop.transport').locator('select').selectOption('bridge');
    await save();
    await shop.stop();
    shop = null;
    await tab('execution');
    const text = await runNow(/^Mislukt/);
    assert.match(text, /^Mislukt — De webshop is niet bereikbaar op 127\.0\.0\.1:\d+\. Controleer de Webshop URL/);
    await page.waitForFunction(() => /Mislukt — De webshop is niet bereikbaar/
      .test(document.querySelector('[data-testid=history] tbody tr')?.textContent ?? ''));
  });

  test('Logbestand openen shows where the log is', async () => {
    await page.click('[data-action=openLog]');
    assert.match(await page.getByTestId('log-path').innerText(), /s-connect\.log$/);
    assert.match(await page.getByTestId('log-tail').innerText(), /order import|started/);
  });
});
