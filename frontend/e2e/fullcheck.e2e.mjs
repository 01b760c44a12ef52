// End-to-end: Volledige controle on Uitvoering. After a run the order import
// keeps a watermark, and Nu uitvoeren reads only the new and changed orders;
// an order the shop changed without touching its date_modified is only found
// by a full pass. Ticked, Volledige controle reads every order: it books that
// order, counts the others as already done, says in the run's row that it was
// a full check, shows its progress with its buttons off while it runs, and a
// second run started meanwhile (from another window) is refused with a clear
// message. Against a hosted test shop, the SnelStart simulator (behind a
// gate that can hold its writes, so the run can be watched mid-way) and a
// licence issued with the test's own key.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createServer, request } from 'node:http';
import { windowHelpers, launchBrowser, openWindow, startServe, startShopEnv, startSnelStartSim } from './harness.mjs';

let w, tab, serve, sim, shop, browser, page, gate;

/**
 * A pass-through to the simulator's API that can hold every write (POST,
 * PUT) until released: the run is caught while it goes on.
 */
async function startGate(api) {
  const target = new URL(api);
  let held = [];
  let holding = false;
  const server = createServer((req, res) => {
    const forward = () => {
      const out = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode, up.headers);
        up.pipe(res);
      });
      out.on('error', (e) => res.destroy(e));
      req.pipe(out);
    };
    if (holding && (req.method === 'POST' || req.method === 'PUT')) held.push(forward);
    else forward();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    api: `http://127.0.0.1:${server.address().port}${target.pathname}`,
    hold() { holding = true; },
    held: () => held.length,
    release() {
      holding = false;
      const waiting = held;
      held = [];
      for (const f of waiting) f();
    },
    close() { this.release(); server.closeAllConnections(); server.close(); },
  };
}

/** Runs SQL on the shop's database as the test shop's root user; returns the rows' text. */
function shopSQL(sql) {
  try {
    return execFileSync('mysql', ['--protocol=tcp', '-h', shop.dbHost, '-P', String(shop.dbPort), '-u', shop.dbUser,
      '-N', '-B', shop.dbName, '-e', sql], { encoding: 'utf8' }).trim();
  } catch (e) {
    throw new Error(`mysql (the MariaDB client, installed with mariadb-server by make deps) could not run ${sql}: ${e.message}`);
  }
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

before(async () => {
  [serve, sim, shop] = await Promise.all([startServe(), startSnelStartSim(), startShopEnv()]);
  gate = await startGate(sim.api);
  browser = await launchBrowser();
  page = await openWindow(browser, serve);
  w = windowHelpers(page);
  ({ tab } = w);
});

after(async () => {
  await browser?.close();
  gate?.close();
  await Promise.all([serve?.stop(), sim?.stop(), shop?.stop()]);
});

const notice = (p = page) => p.getByTestId('notice').innerText();
const waitNotice = (re, p = page, timeout = 120000) =>
  p.waitForFunction((src) => new RegExp(src).test(document.querySelector('[data-testid=notice]')?.textContent ?? ''), re.source, { timeout });
const button = (name, p = page) => p.locator('tr[data-task=orders] button', { hasText: name });
const fullCheck = (p = page) => p.locator('tr[data-task=orders] [data-testid=full-check]');

/** A run's counts from its notice: { 'aangemaakt': 1, 'al verwerkt': 18 }. */
function counts(text) {
  return Object.fromEntries([...text.matchAll(/(\d+) × ([^,.]+)/g)].map((m) => [m[2].trim(), Number(m[1])]));
}

/** The newest run in Laatste uitvoeringen once there are n: its outcome and how it read the orders. */
async function newestRun(n) {
  await page.waitForFunction((k) => document.querySelectorAll('[data-testid=history] tbody tr').length === k, n);
  const row = page.locator('[data-testid=history] tbody tr').first();
  const mode = row.getByTestId('run-mode');
  return { text: await row.innerText(), mode: (await mode.count()) ? await mode.innerText() : '' };
}

/** Nu uitvoeren as it is (Volledige controle ticked or not) until it ends; returns the notice. */
async function runNow() {
  await button('Nu uitvoeren').click();
  await waitNotice(/^(Geslaagd|Mislukt)/);
  await page.waitForFunction(() => !document.querySelector('tr[data-task=orders] button[disabled]'));
  return notice();
}

let order; // the order only a full pass sees

describe('Volledige controle', () => {
  test('set up: SnelStart behind the gate, the shop, the mapping and a licence', async () => {
    await w.connect({ ...sim, api: gate.api }, shop);
    await w.mapSeededAdministration();
    await w.importLicense(shop.url);
    await tab('execution');
    await page.getByTestId('overview').waitFor();
    assert.equal(await fullCheck().isChecked(), false, 'Volledige controle is not ticked by default');
  });

  test('the first run reads every order and sets the watermark; the next reads only what is new or changed', async () => {
    const first = await runNow();
    assert.match(first, /^Geslaagd: /);
    assert.equal(counts(first).aangemaakt, shop.sales, first);
    // The first run has no watermark yet: it is a full pass, and says so.
    let run = await newestRun(1);
    assert.equal(run.mode, 'Volledige controle', run.text);
    assert.equal(await page.locator('tr[data-task=orders] [data-testid=task-mode]').innerText(), 'Volledige controle');

    const second = await runNow();
    assert.match(second, /^Geslaagd: /);
    assert.equal(counts(second).aangemaakt, undefined, second);
    run = await newestRun(2);
    assert.equal(run.mode, 'Alleen nieuwe en gewijzigde orders', run.text);
    await page.waitForFunction(() => document.querySelector('tr[data-task=orders] [data-testid=task-mode]')?.textContent === 'Alleen nieuwe en gewijzigde orders');
  });

  test('an old order the shop changed without touching date_modified: Nu uitvoeren does not see it', async () => {
    // A cancelled or unfinished order, older than anything the watermark
    // run reads and below the highest order number it has seen (a higher
    // one it reads as new), set to a sale status as a payment plugin or a
    // script can do behind OpenCart's back: its date_modified stays what it was.
    const setting = (key) => JSON.parse(shopSQL(`SELECT value FROM oc_setting WHERE store_id = 0 AND \`key\` = '${key}'`)).map(Number);
    const sale = [...new Set([...setting('config_processing_status'), ...setting('config_complete_status')])];
    const complete = setting('config_complete_status')[0];
    order = Number(shopSQL(`SELECT order_id FROM oc_order WHERE order_status_id > 0 AND order_status_id NOT IN (${sale.join(',')})
      AND order_id < (SELECT MAX(order_id) FROM oc_order WHERE order_status_id IN (${sale.join(',')}))
      AND date_modified < NOW() - INTERVAL 1 DAY AND date_modified < (SELECT MAX(date_modified) FROM oc_order) - INTERVAL 1 DAY
      ORDER BY date_modified, order_id LIMIT 1`));
    assert.ok(order > 0, 'the test shop has an old order outside the selection');
    const before = shopSQL(`SELECT date_modified FROM oc_order WHERE order_id = ${order}`);
    shopSQL(`UPDATE oc_order SET order_status_id = ${complete}, date_modified = date_modified WHERE order_id = ${order}`);
    assert.equal(shopSQL(`SELECT date_modified FROM oc_order WHERE order_id = ${order}`), before, 'date_modified untouched');

    const text = await runNow();
    assert.match(text, /^Geslaagd: /);
    assert.equal(counts(text).aangemaakt, undefined, `the watermark run skips order ${order}: ${text}`);
    assert.equal((await newestRun(3)).mode, 'Alleen nieuwe en gewijzigde orders');
    assert.equal(await inSnelStart(String(order)), 0);
  });

  test('Volledige controle finds it, shows its progress, and refuses a second run meanwhile', async (t) => {
    const started = Date.now();
    await fullCheck().check();
    gate.hold();
    await button('Nu uitvoeren').click();
    // The run reads every order and gets to the one to book: its writes wait at the gate.
    await page.waitForFunction(() => document.querySelector('[data-testid=progress]'), null, { timeout: 5000 });
    for (let i = 0; i < 600 && gate.held() === 0; i++) {
      const said = (await page.getByTestId('notice').count()) ? await notice() : '';
      assert.doesNotMatch(said, /^(Geslaagd|Mislukt)/, `the run ended without writing anything: it did not find order ${order}`);
      await page.waitForTimeout(100);
    }
    assert.ok(gate.held() > 0, 'the run got to a write within a minute');

    // While it runs: the window says so, and nothing starts a second run here.
    assert.match(await page.getByTestId('progress-text').innerText(), /^Volledige controle — (Orders lezen uit de webshop…|Order \d+: \d+ van \d+)/);
    assert.equal(await page.getByTestId('progress').getAttribute('role'), 'status');
    assert.ok(await button('Nu uitvoeren').isDisabled(), 'Nu uitvoeren is off while the run goes on');
    assert.ok(await button('Voorbeeld').isDisabled(), 'Voorbeeld is off while the run goes on');
    assert.ok(await fullCheck().isDisabled(), 'Volledige controle is off while the run goes on');

    // Another window of the program (a second tab, say) asks for a run: refused, with why.
    const other = await openWindow(browser, serve);
    try {
      await windowHelpers(other).tab('execution');
      await fullCheck(other).check();
      await button('Nu uitvoeren', other).click();
      await waitNotice(/^Mislukt/, other, 30000);
      assert.match(await notice(other), /^Mislukt — Er loopt al een taak voor dit profiel \(s-connect serve orders, pid \d+\)\. Probeer het opnieuw als die klaar is\.$/);
      assert.ok(!(await button('Nu uitvoeren', other).isDisabled()), 'the other window may try again later');
      // Refused: Volledige controle stays ticked for that try (once the
      // history is read again after the refusal).
      await other.waitForFunction(() => document.querySelector('tr[data-task=orders] [data-testid=full-check]')?.checked, null, { timeout: 5000 });
    } finally {
      await other.close();
    }
    assert.ok(gate.held() > 0 && (await button('Nu uitvoeren').isDisabled()), 'the first run still waits');

    gate.release();
    await waitNotice(/^(Geslaagd|Mislukt)/);
    const text = await notice();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    // Every order read: the one found is booked, the ones booked before are counted as done.
    assert.match(text, /^Geslaagd: /);
    assert.deepEqual(counts(text), { aangemaakt: 1, 'al verwerkt': shop.sales }, text);
    assert.equal(await inSnelStart(String(order)), 1, `order ${order} is in SnelStart once`);
    // One run more, not two, and its row says it was a full check.
    const run = await newestRun(4);
    assert.equal(run.mode, 'Volledige controle', run.text);
    assert.match(run.text, /Geslaagd/);
    assert.match(run.text, /1 × aangemaakt/);
    await page.waitForFunction(() => document.querySelector('tr[data-task=orders] [data-testid=task-mode]')?.textContent === 'Volledige controle');
    await page.waitForFunction(() => !document.querySelector('tr[data-task=orders] button[disabled]'));
    assert.equal(await page.getByTestId('progress').count(), 0, 'the progress bar goes when the run ends');
    assert.equal(await fullCheck().isChecked(), false, 'Volledige controle is for the one run: the next Nu uitvoeren is an ordinary one');
    if (process.env.E2E_SHOTS) await page.screenshot({ path: join(process.env.E2E_SHOTS, 'uitvoering-volledige-controle.png'), fullPage: true });
    t.diagnostic(`Volledige controle: ${seconds} s from the click to the outcome, the gate's hold included`);
  });
});
