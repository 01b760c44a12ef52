// End-to-end: Controle on Uitvoering — a period of the test shop's orders
// against the SnelStart simulator, before and after the import; the CSV
// export (its content) and the print view.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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

// The fixture shop's orders are from the 60 days before 28-11-2026. Days
// are typed day first, as every date in the window.
const FROM = '2026-09-01';
const TO = '2026-11-30';
const typed = (day) => day.split('-').reverse().join('-');

async function runCheck(from, to) {
  await page.getByTestId('check-from').fill(typed(from));
  await page.getByTestId('check-to').fill(typed(to));
  await page.click('[data-action=check]');
  await page.waitForFunction(() => !document.querySelector('[data-action=check][disabled]'), null, { timeout: 120000 });
}

const kinds = () => page.locator('[data-testid=check-findings] tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.kind));

describe('Uitvoering: Controle', () => {
  test('set up: SnelStart, the shop and the mapping', async () => {
    await w.connect(sim, shop);
    await w.mapSeededAdministration();
  });

  test('a period that ends before it starts gets a Dutch error', async () => {
    await tab('execution');
    await runCheck('2026-11-30', '2026-11-01');
    const notice = await page.getByTestId('notice').innerText();
    assert.match(notice, /De periode klopt niet: ‘Van’ ligt na ‘Tot en met’/);
    assert.equal(await page.getByTestId('check-counts').count(), 0, 'no report for a bad period');
    await page.getByTestId('check-from').fill('31-02-2026');
    await page.click('[data-action=check]');
    assert.match(await page.getByTestId('notice').innerText(), /‘31-02-2026’ is geen datum: typ de dag eerst/);
    assert.equal(await page.getByTestId('check-counts').count(), 0);
  });

  test('before the import every order is missing in SnelStart; the CSV says so, in Dutch', async () => {
    await runCheck(FROM, TO);
    const counts = await page.getByTestId('check-counts').innerText();
    assert.match(counts, new RegExp(`Orders in de webshop: ${shop.sales} · Verkooporders in SnelStart: 0 · Afwijkingen: ${shop.sales}`), counts);
    const found = await kinds();
    assert.equal(found.length, shop.sales);
    assert.ok(found.every((k) => k === 'missing'), found.join());
    assert.match(await page.locator('[data-testid=check-findings] tbody tr').first().innerText(), /Ontbreekt in SnelStart/);
    const totals = await page.getByTestId('check-totals').innerText();
    assert.match(totals, /21%/);
    assert.match(totals, /9%/);

    const download = page.waitForEvent('download');
    await page.click('[data-action=exportCheckCsv]');
    const file = await download;
    assert.equal(file.suggestedFilename(), `controle-${FROM}-${TO}.csv`);
    const text = readFileSync(await file.path(), 'utf8');
    assert.ok(text.startsWith('\ufeff'), 'a byte-order mark, so Excel reads UTF-8');
    const lines = text.slice(1).split('\r\n');
    assert.equal(lines[0], 'Controle webshop – SnelStart, periode 2026-09-01 – 2026-11-30');
    assert.equal(lines[1], 'Soort;Ordernummer;Betalingskenmerk;Datum;Klant;Verkoopordernummer;Webshop incl. btw;SnelStart incl. btw;Verschil;Toelichting');
    const missing = lines.filter((l) => l.startsWith('Ontbreekt in SnelStart;'));
    assert.equal(missing.length, shop.sales);
    for (const l of missing) {
      const cells = l.split(';');
      assert.match(cells[1], /^\d+$/, l);
      assert.match(cells[3], /^2026-\d\d-\d\d$/, l);
      assert.match(cells[6], /^\d+,\d\d$/, `the shop's amount with a decimal comma: ${l}`);
      assert.equal(cells[7], '', l);
    }
    const head = lines.indexOf('Btw-tarief;Omzet webshop excl. btw;Btw webshop;Omzet SnelStart excl. btw;Btw SnelStart;Verschil omzet;Verschil btw');
    assert.ok(head > 0, text);
    const rate21 = lines.find((l) => l.startsWith('21%;')).split(';');
    assert.match(rate21[1], /^\d+,\d\d$/);
    assert.equal(rate21[3], '0,00', 'nothing in SnelStart yet');
    const total = lines.find((l) => l.startsWith('Totaal;')).split(';');
    assert.equal(total[3], '0,00');
    assert.equal(total[5], '-' + total[1], 'the difference is all of the shop');
  });

  test('the print view shows the report and prints it', async () => {
    await page.click('[data-action=printCheck]');
    const view = page.getByTestId('check-print');
    await view.waitFor();
    const text = await view.innerText();
    assert.match(text, /Controle webshop – SnelStart/);
    assert.match(text, /01-09-2026 – 30-11-2026/);
    assert.equal(await view.locator('[data-testid=check-findings] tbody tr').count(), shop.sales);
    await page.evaluate(() => { window.__printed = 0; window.print = () => { window.__printed++; }; });
    await page.click('[data-action=printNow]');
    assert.equal(await page.evaluate(() => window.__printed), 1);
    // On paper only the report: the tabs and the buttons stay off.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('[data-action=printNow]').isVisible(), false);
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('[role=tablist]')).visibility), 'hidden');
    assert.equal(await view.locator('h2').evaluate((e) => getComputedStyle(e).visibility), 'visible');
    await page.emulateMedia({ media: 'screen' });
    await page.click('[data-action=closePrint]');
    assert.equal(await view.count(), 0);
  });

  test('after the import nothing is missing, and both sides have the same totals', async () => {
    await w.importLicense(shop.url);
    await tab('execution');
    await page.locator('tr[data-task=orders] button', { hasText: 'Nu uitvoeren' }).click();
    await page.waitForFunction(() => (document.querySelector('[data-testid=notice]')?.textContent ?? '').startsWith('Geslaagd'), null, { timeout: 120000 });
    const held = await page.locator('[data-testid=orders] tbody tr.held').count();
    await runCheck(FROM, TO);
    assert.equal(held, 0, 'the test shop\'s orders all book');
    await page.getByTestId('check-clean').waitFor();
    assert.match(await page.getByTestId('check-counts').innerText(),
      new RegExp(`Orders in de webshop: ${shop.sales} · Verkooporders in SnelStart: ${shop.sales} · Afwijkingen: 0`));
    const rows = await page.locator('[data-testid=check-totals] tbody tr').evaluateAll((rs) =>
      rs.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent.trim())));
    assert.ok(rows.length >= 2, 'at least two VAT rates');
    for (const r of rows) {
      assert.equal(r[1], r[3], `turnover at ${r[0]}`);
      assert.equal(r[2], r[4], `VAT at ${r[0]}`);
      assert.match(r[5], /^€ 0,00$/);
    }
  });

  test('Vanaf datum/tijd in the period: the orders before it are not counted, the report says why', async () => {
    // The import never reads an order before Vanaf datum/tijd. Moved after
    // the import, the orders before it are no sale of the selection: not
    // counted, and the ones SnelStart has are reported as such.
    await tab('opencart');
    await field('shop.since').locator('input').fill('2026-11-01T00:00');
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/call') && r.request().postData()?.includes('"app.Settings.Save"'));
    await page.click('[data-action=save]');
    await answered;
    await tab('execution');
    await runCheck(FROM, TO);
    const note = 'De periode begint vóór ‘Vanaf datum/tijd’ (01-11-2026 00:00): orders van vóór dat moment leest S-Connect bewust niet in, en ze tellen in deze controle niet mee.';
    assert.equal(await page.getByTestId('check-since').innerText(), note);
    const counts = await page.getByTestId('check-counts').innerText();
    const orders = Number(/Orders in de webshop: (\d+)/.exec(counts)[1]);
    assert.ok(orders > 0 && orders < shop.sales, `some of the ${shop.sales} sales are from before 01-11-2026: ${counts}`);
    const found = await kinds();
    assert.equal(found.length, shop.sales - orders, found.join());
    assert.ok(found.every((k) => k === 'before_since'), `none missing, each one SnelStart has named: ${found.join()}`);
    assert.match(await page.locator('[data-testid=check-findings] tbody tr').first().innerText(), /In SnelStart, in de webshop geplaatst vóór ‘Vanaf datum\/tijd’/);

    const download = page.waitForEvent('download');
    await page.click('[data-action=exportCheckCsv]');
    const lines = readFileSync(await (await download).path(), 'utf8').slice(1).split('\r\n');
    assert.equal(lines[1], note.replace('01-11-2026 00:00', '2026-11-01 00:00'), 'the CSV says it under its title');

    await page.click('[data-action=printCheck]');
    assert.equal(await page.getByTestId('check-print').getByTestId('check-since').innerText(), note, 'and so does the print view');
    await page.click('[data-action=closePrint]');
  });
});
