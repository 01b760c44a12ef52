// End-to-end: Licentie inlezen on Instellingen, with licences this test
// issues with its own key (the binary under test was built with it).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, openWindow, startServe } from './harness.mjs';

let serve, browser, page;
const dir = mkdtempSync(join(tmpdir(), 'sconnect-lic-'));

function issue(name, ...extra) {
  const { LICENSEGEN_BIN: bin, LICENSE_KEY: key } = process.env;
  if (!bin || !key) throw new Error('LICENSEGEN_BIN and LICENSE_KEY must be set; run the tests with make test');
  const text = execFileSync(bin, ['issue', '-key', key, '-licensee', 'Wijnhandel ’t Vaatje', '-email', 'info@vaatje.nl',
    '-shop', 'https://www.voorbeeldwinkel.nl', '-until', '2099-01-01', ...extra]).toString();
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

before(async () => {
  serve = await startServe();
  browser = await launchBrowser();
  page = await openWindow(browser, serve);
  await page.click('[role=tablist] [data-tab=program]');
});

after(async () => {
  await browser?.close();
  await serve?.stop();
});

async function importLicence(file) {
  const chooser = page.waitForEvent('filechooser');
  await page.click('[data-action=importLicense]');
  await (await chooser).setFiles(file);
}

describe('Licentie inlezen', () => {
  test('a licence shows its licensee, modules, shop and expiry', async () => {
    assert.match(await page.getByTestId('license-status').innerText(), /Nog geen licentie/);
    await importLicence(issue('goed.lic', '-modules', 'orders,voorraad'));
    await page.getByTestId('licensee').waitFor();
    assert.equal(await page.getByTestId('licensee').innerText(), 'Wijnhandel ’t Vaatje (info@vaatje.nl)');
    const text = await page.getByTestId('license').innerText();
    assert.match(text, /orders \(inlezen in SnelStart\), de uitbreiding met voorraad/);
    assert.match(text, /www\.voorbeeldwinkel\.nl/);
    assert.match(text, /01-01-2099/);
    assert.match(await page.getByTestId('notice').innerText(), /Licentie ingelezen: Wijnhandel ’t Vaatje/);
  });

  test('a tampered licence is refused in Dutch and the old one stays', async () => {
    // The payload re-encoded with another licensee, the signature kept.
    const good = readFileSync(issue('ander.lic'), 'utf8');
    const [head, rest] = good.split('-----END S-CONNECT LICENSE-----');
    const b64 = head.replace('-----BEGIN S-CONNECT LICENSE-----', '').replace(/\s+/g, '');
    const payload = Buffer.from(b64, 'base64').toString('utf8').replace('Vaatje', 'Vaatja');
    const tampered = join(dir, 'gewijzigd.lic');
    writeFileSync(tampered, '-----BEGIN S-CONNECT LICENSE-----\n' + Buffer.from(payload).toString('base64') +
      '\n-----END S-CONNECT LICENSE-----' + rest);
    await importLicence(tampered);
    await page.waitForFunction(() => document.querySelector('[data-testid=notice]')?.classList.contains('error'));
    assert.equal(await page.getByTestId('notice').innerText(), 'De licentie is gewijzigd en daarom ongeldig. Gebruik het bestand zoals u het kreeg.');
    assert.equal(await page.getByTestId('licensee').innerText(), 'Wijnhandel ’t Vaatje (info@vaatje.nl)');
    assert.match(await page.getByTestId('license').innerText(), /voorraad/);
  });
});
