// End-to-end: the window says where a problem is and asks with verbs — a
// refused save names the tab, tabs with an error are marked, a too-long
// name is refused with the limit (never cut), renaming asks about unsaved
// edits, and dates are typed and shown day first in both languages.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { windowHelpers, launchBrowser, openWindow, startServe } from './harness.mjs';

let w, field, tab, serve, browser, page;

before(async () => {
  serve = await startServe();
  browser = await launchBrowser();
  page = await openWindow(browser, serve);
  w = windowHelpers(page);
  ({ field, tab } = w);
});

after(async () => {
  await browser?.close();
  await serve?.stop();
});

const notice = () => page.getByTestId('notice').innerText();
const marked = (id) => page.locator(`[role=tablist] [data-tab="${id}"].has-error`).count();

describe('the window says where and asks with verbs', () => {
  test('a refused save names the tab of the marked field, and marks it', async () => {
    await tab('mapping', 'sales');
    await field('sales.differenceThreshold').locator('input').fill('veel');
    await tab('planning');
    await page.click('[data-action=save]');
    await page.waitForFunction(() => document.querySelector('[data-testid=notice]')?.classList.contains('error'));
    assert.match(await notice(), /^Niet opgeslagen: controleer de gemarkeerde velden op het tabblad Verkopen\./);
    assert.equal(await marked('mapping'), 1);
    assert.equal(await marked('planning'), 0);
    await page.locator('[data-testid=notice] button.fix').click();
    await page.waitForFunction(() => document.activeElement?.closest('[data-key]')?.dataset.key === 'sales.differenceThreshold');
    assert.equal(await marked('sales'), 1);
    await field('sales.differenceThreshold').locator('input').fill('0,05');
    assert.equal(await marked('mapping'), 0, 'the marker goes with the error');
  });

  test('Naam wijzigen asks about unsaved edits, with verbs', async () => {
    await page.getByRole('button', { name: 'Naam wijzigen' }).click();
    await page.locator('.dialog').waitFor();
    assert.match(await page.locator('.dialog p').innerText(), /niet-opgeslagen wijzigingen/);
    assert.deepEqual(await page.locator('.dialog button').allInnerTexts(), ['Terug', 'Wijzigingen negeren']);
    await page.locator('.dialog button.secondary').click();
    await page.click('[data-action=save]');
    await page.waitForFunction(() => /pgeslagen/.test(document.querySelector('[data-testid=notice]')?.textContent ?? ''));
  });

  test('a name that is too long is refused with the limit, not cut', async () => {
    const long = 'Wijnhandel ’t Vaatje — de webwinkel voor wijn, port, sherry en likeur uit heel Europa, sinds 1987 in Zwolle';
    assert.ok([...long].length > 100);
    await page.getByRole('button', { name: 'Naam wijzigen' }).click();
    await page.locator('.dialog input').fill(long);
    assert.match(await page.getByTestId('dialog-error').innerText(), new RegExp(`^Maximaal 60 tekens\\. Het zijn er nu ${[...long].length}\\.$`));
    assert.ok(await page.locator('.dialog button[type=submit]').isDisabled());
    assert.equal(await page.locator('.dialog input').inputValue(), long, 'nothing was cut');
    assert.deepEqual(await page.locator('.dialog button').allInnerTexts(), ['Terug', 'Naam wijzigen']);
    await page.locator('.dialog button.secondary').click();

    await tab('program');
    await field('profile.name').locator('input').fill(long);
    assert.match(await field('profile.name').locator('.error').innerText(), /^Maximaal 60 tekens\./);
    assert.equal(await field('profile.name').locator('input').inputValue(), long);
    await page.click('[data-action=save]');
    await page.waitForFunction(() => document.querySelector('[data-testid=notice]')?.classList.contains('error'));
    assert.match(await notice(), /op het tabblad Instellingen/);
    assert.notEqual(await page.locator('#profile-select option:checked').innerText(), long);
    await field('profile.name').locator('input').fill('Wijnhandel ’t Vaatje');
    await page.click('[data-action=save]');
    await page.waitForFunction(() => /pgeslagen/.test(document.querySelector('[data-testid=notice]')?.textContent ?? ''));
  });

  test('dates are typed and shown day first, in Dutch and in English', async () => {
    await tab('opencart');
    const since = field('shop.since').locator('input');
    await since.fill('31-02-2026 10:00');
    assert.match(await field('shop.since').getByTestId('datetime-hint').innerText(), /dd-mm-jjjj uu:mm/);
    await since.fill('2026-11-28T14:05'); // the stored form is read too, and shown day first on leaving
    await since.press('Tab');
    assert.equal(await since.inputValue(), '28-11-2026 14:05');
    assert.equal(await field('shop.since').getByTestId('datetime-hint').count(), 0);
    await page.click('[data-action=save]');
    await page.waitForFunction(() => /pgeslagen/.test(document.querySelector('[data-testid=notice]')?.textContent ?? ''));
    await page.reload();
    await page.waitForSelector('[data-tab]');
    await tab('opencart');
    assert.equal(await field('shop.since').locator('input').inputValue(), '28-11-2026 14:05');
    await page.locator('.lang select').selectOption('en');
    await page.waitForFunction(() => document.querySelector('[data-key="shop.since"] input')?.value === '28/11/2026 14:05');
    await page.locator('.lang select').selectOption('nl');
  });
});
