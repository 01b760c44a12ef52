// End-to-end: the configuration window in a real browser against `serve`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, openWindow, startServe } from './harness.mjs';

let serve, browser, page;

before(async () => {
  serve = await startServe();
  browser = await launchBrowser();
  page = await openWindow(browser, serve);
});

after(async () => {
  await browser?.close();
  await serve?.stop();
});

// The tabs that hold settings, as [top, sub] paths; Uitvoering has none.
const TABS = [['snelstart'], ['opencart'], ['mapping', 'sales'], ['mapping', 'articles'], ['mapping', 'customers'], ['planning'], ['program']];

async function openTab([top, sub]) {
  await page.click(`[role=tablist] [data-tab="${top}"]`);
  if (sub) await page.click(`[role=tablist] [data-tab="${sub}"]`);
  const more = page.getByRole('button', { name: 'Geavanceerd tonen' });
  if (await more.count()) await more.click();
}

// Choices that reveal the settings behind a condition.
const CHOICES = {
  'shop.transport': 'mysql',
  'shop.ftp.protocol': 'sftp',
  'planning.orders.interval': 'daily',
  'planning.ordersStock.interval': '15m',
  'customers.processing': 'handmatig',
  'articles.processing': 'aanmaken',
  'ui.language': 'nl',
  'snelstart.type': 'online',
};
const BOOLS = { 'shop.allowHTTP': false, 'app.notify': true, 'shop.db.viaSSH': true };

const keyFile = join(mkdtempSync(join(tmpdir(), 'sconnect-key-')), 'id_ed25519');
writeFileSync(keyFile, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));

function textFor(key, kind) {
  switch (kind) {
    case 'text': return key === 'shop.tablePrefix' ? 'oc2_' : key === 'sales.referencePrefix' ? 'WS2/A-' : `Tekst ${key} ‘é’`;
    case 'secret': return `geheim-${key}-x9`;
    case 'int': return '7';
    case 'port': return key === 'shop.db.port' ? '3307' : '2222';
    case 'datetime': return '04-03-2026 05:06'; // typed day first, as the control shows it
    case 'time': return '23:45';
    case 'url': return key === 'shop.url' ? 'https://winkel.example.nl/' : `https://${key.replaceAll('.', '-')}.example.nl/`;
    case 'host': return key === 'shop.db.host' ? 'db.example.nl' : 'ftp.example.nl';
    case 'path': return '/public_html/';
    case 'money': return '0.10';
    case 'template': return 'Order {ordernummer} van {bedrijf}';
    case 'article': return 'ART-' + key.split('.')[1].slice(0, 4).toUpperCase();
    case 'pick': return `Keuze ${key}`;
    case 'idList': return '1,2,5';
    case 'rateMap': return '9=Omzet laag\n21=Omzet hoog';
    case 'relatiecode': return '1043';
  }
  throw new Error(`no value for ${key} (${kind})`);
}

/** Fills every visible, not yet filled field of the open tab; returns what it set. */
async function fillTab(expected, secrets) {
  for (let round = 0; round < 5; round++) {
    let changed = false;
    for (const field of await page.locator('[data-key]').all()) {
      const key = await field.getAttribute('data-key');
      const kind = await field.getAttribute('data-kind');
      // Opties als artikel is a table filled from the shop's options: stock.e2e.mjs covers it.
      if (key in expected || kind === 'readonly' || kind === 'optionMap' || key === 'shop.ftp.tls') continue;
      changed = true;
      if (kind === 'choice') {
        const options = await field.locator('option').evaluateAll((os) => os.map((o) => o.value));
        const v = CHOICES[key] ?? options[options.length - 1];
        await field.locator('select').selectOption(v);
        expected[key] = v;
      } else if (kind === 'bool') {
        const box = field.locator('input[type=checkbox]');
        const want = BOOLS[key] ?? !(await box.isChecked());
        await box.setChecked(want);
        expected[key] = String(want);
      } else if (kind === 'secretFile') {
        await field.locator('input[type=file]').setInputFiles(keyFile);
        expected[key] = 'secret';
      } else {
        const v = textFor(key, kind);
        await field.locator('input, textarea').first().fill(v);
        expected[key] = kind === 'secret' ? 'secret' : v;
        if (kind === 'secret') secrets.push(v);
      }
      break; // a choice may have shown or hidden fields: look again
    }
    if (!changed) return;
    round = 0;
  }
}

async function readTab(expected, seen) {
  for (const field of await page.locator('[data-key]').all()) {
    const key = await field.getAttribute('data-key');
    const kind = await field.getAttribute('data-kind');
    if (!(key in expected)) continue;
    seen.add(key);
    if (expected[key] === 'secret') {
      assert.equal(await field.locator('.secret-state').innerText(), 'ingesteld', `${key} shows as set`);
      if (kind === 'secret') assert.equal(await field.locator('input').inputValue(), '', `${key} is not sent back`);
    } else if (kind === 'choice') {
      assert.equal(await field.locator('select').inputValue(), expected[key], key);
    } else if (kind === 'bool') {
      assert.equal(String(await field.locator('input').isChecked()), expected[key], key);
    } else {
      assert.equal(await field.locator('input, textarea').first().inputValue(), expected[key], key);
    }
  }
}

async function save() {
  await page.click('[data-action=save]');
  await page.waitForFunction(() => !document.querySelector('[data-testid=notice]')?.textContent?.includes('Bezig'));
  return page.locator('[data-testid=notice]').innerText();
}

describe('configuration window', () => {
  const expected = {};
  const secrets = [];

  test('every field on every tab can be filled, saved and read back after a reload', async () => {
    // First with the bridge, so its fields are filled; then the direct database.
    CHOICES['shop.transport'] = 'bridge';
    for (const tab of TABS) {
      await openTab(tab);
      await fillTab(expected, secrets);
    }
    await openTab(['opencart']);
    await page.locator('[data-key="shop.transport"] select').selectOption('mysql');
    expected['shop.transport'] = 'mysql';
    await fillTab(expected, secrets);

    assert.ok(await page.getByTestId('unsaved').isVisible(), 'unsaved changes are flagged');
    assert.equal(await save(), 'Instellingen opgeslagen.');
    assert.equal(await page.getByTestId('unsaved').count(), 0);

    await page.reload();
    await page.waitForSelector('[data-tab]');
    const seen = new Set();
    for (const tab of TABS) {
      await openTab(tab);
      await readTab(expected, seen);
    }
    await openTab(['opencart']);
    assert.equal(await page.locator('[data-key="shop.ftp.tls"] select').inputValue(), 'ssh', 'Versleuteling follows SFTP');
    await page.locator('[data-key="shop.transport"] select').selectOption('bridge');
    await readTab({ ...expected, 'shop.transport': 'bridge' }, seen);
    const missed = Object.keys(expected).filter((k) => !seen.has(k));
    assert.deepEqual(missed, [], 'every filled field was read back');
    assert.ok(Object.keys(expected).length >= 60, `filled ${Object.keys(expected).length} fields`);

    const html = await page.content();
    for (const s of secrets) assert.ok(!html.includes(s), 'a secret reached the page');
    // Put the saved state back for the next tests.
    await page.reload();
    await page.waitForSelector('[data-tab]');
  });

  test('an invalid value shows a field error and nothing is saved', async () => {
    await openTab(['opencart']);
    await page.locator('[data-key="shop.ftp.port"] input').fill('70000');
    await page.locator('[data-key="shop.ftp.host"] input').fill('ftp.veranderd.nl');
    assert.match(await save(), /^Niet opgeslagen: controleer de gemarkeerde velden op het tabblad Koppeling OpenCart\./);
    assert.equal(await page.locator('[data-key="shop.ftp.port"] .error').innerText(), 'Vul een poort in van 1 tot 65535.');

    await page.locator('[data-key="shop.transport"] select').selectOption('bridge');
    await page.locator('[data-key="shop.ftp.port"] input').fill('21');
    await page.locator('[data-key="shop.url"] input').fill('www.winkel.nl');
    await save();
    assert.match(await page.locator('[data-key="shop.url"] .error').innerText(), /https:\/\//);

    page.once('dialog', (d) => d.accept()); // the browser's own leave-page question
    await page.reload();
    await page.waitForSelector('[data-tab]');
    await openTab(['opencart']);
    assert.equal(await page.locator('[data-key="shop.transport"] select').inputValue(), 'mysql');
    assert.equal(await page.locator('[data-key="shop.ftp.port"] input').inputValue(), expected['shop.ftp.port']);
    assert.equal(await page.locator('[data-key="shop.ftp.host"] input').inputValue(), expected['shop.ftp.host']);
  });

  test('profiles: create, switch with an unsaved-changes warning, and back', async () => {
    const first = await page.locator('#profile-select').inputValue();
    await page.getByRole('button', { name: 'Nieuw profiel' }).click();
    await page.locator('.dialog input').fill('Tweede winkel');
    await page.locator('.dialog button[type=submit]').click();
    await page.waitForFunction(() => document.querySelector('#profile-select option:checked')?.textContent === 'Tweede winkel');
    // The setup assistant is offered; going back leaves the tabs.
    await page.locator('.dialog', { hasText: 'installatie-assistent' }).waitFor();
    await page.locator('.dialog button.secondary').click();
    await openTab(['opencart']);
    assert.equal(await page.locator('[data-key="shop.ftp.host"] input').inputValue(), '', 'a new profile starts empty');

    await page.locator('[data-key="shop.ftp.host"] input').fill('ftp.tweede.nl');
    await page.locator('#profile-select').selectOption(first);
    await page.locator('.dialog').waitFor();
    assert.match(await page.locator('.dialog p').innerText(), /niet-opgeslagen wijzigingen/);
    await page.locator('.dialog button.secondary').click(); // stay
    assert.equal(await page.locator('[data-key="shop.ftp.host"] input').inputValue(), 'ftp.tweede.nl');
    assert.match(await save(), /^Opgeslagen\. Nog niet ingevuld: .*Koppelsleutel/);

    const second = await page.locator('#profile-select').inputValue();
    await page.locator('#profile-select').selectOption(first);
    await page.waitForFunction(
      (h) => document.querySelector('[data-key="shop.ftp.host"] input')?.value === h, expected['shop.ftp.host']);
    await page.locator('#profile-select').selectOption(second);
    await page.waitForFunction(() => document.querySelector('[data-key="shop.ftp.host"] input')?.value === 'ftp.tweede.nl');
  });

  test('Nu uitvoeren explains the licence it needs; the preview what to fill in', async () => {
    await page.click('[role=tablist] [data-tab=execution]');
    await page.locator('tr[data-task=orders] button', { hasText: 'Nu uitvoeren' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid=notice]')?.textContent?.includes('licentie'));
    assert.match(await page.getByTestId('notice').innerText(), /Hiervoor is een licentie nodig/);
    await page.locator('tr[data-task=ordersStock] button', { hasText: 'Voorbeeld' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid=notice]')?.textContent?.includes('Koppelsleutel'));
    assert.match(await page.getByTestId('notice').innerText(), /Vul eerst/);
  });

  test('the language switch turns the window English and back', async () => {
    await page.locator('header select[aria-label=Taal]').selectOption('en');
    await page.waitForSelector('[data-tab=snelstart]:has-text("SnelStart connection")');
    await page.reload();
    await page.waitForSelector('[data-tab=snelstart]:has-text("SnelStart connection")');
    await page.locator('header select[aria-label=Language]').selectOption('nl');
    await page.waitForSelector('[data-tab=snelstart]:has-text("Koppeling SnelStart")');
  });

  test('a profile exports without its secrets and comes back in as a new one, its differences shown first', async () => {
    await openTab(['program']);
    assert.match(await page.getByTestId('secrets').innerText(), /Versleuteld in de instellingenmap|sleutelbos/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-action=exportProfile]')]);
    const text = readFileSync(await download.path(), 'utf8');
    const exported = JSON.parse(text);
    assert.equal(exported.format, 's-connect-profile');
    assert.equal(exported.version, 1);
    assert.ok(Object.keys(exported.settings).length > 40, 'the settings are in it');
    for (const s of secrets) assert.ok(!text.includes(s), 'a secret is in the export');
    assert.ok(!text.includes('shop.ftp.password') && !text.includes('snelstart.clientKey'));

    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click('[data-action=importProfile]')]);
    await chooser.setFiles(await download.path());
    await page.getByTestId('import-preview').waitFor();
    assert.match(await page.getByTestId('import-preview').innerText(), /dezelfde instellingen als het huidige profiel/);
    await page.locator('#import-name').fill('Geïmporteerd profiel');
    await page.click('[data-action=doImport]');
    await page.waitForFunction(() => document.querySelector('[data-testid=notice]')?.textContent?.includes('geïmporteerd'));
    assert.equal(await page.locator('#profile-select option:checked').innerText(), 'Geïmporteerd profiel');
    await openTab(['opencart']);
    assert.equal(await page.locator('[data-key="shop.ftp.host"] input').inputValue(), exported.settings['shop.ftp.host']);
  });
});
