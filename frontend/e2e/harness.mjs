// Starts `s-connect serve` on a free loopback port with its own
// configuration folder, and Debian's Chromium through playwright-core.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

function binary() {
  const bin = process.env.SCONNECT_BIN;
  if (!bin || !existsSync(bin)) {
    throw new Error(`SCONNECT_BIN must name the built s-connect binary (got ${bin}); run the tests with 'make test'`);
  }
  return bin;
}

/** Runs `s-connect args…` until it prints a line matching re; resolves the match. */
async function startCommand(args, re, what) {
  const proc = spawn(binary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d));
  const match = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} printed nothing usable in 15 s: ${stderr}`)), 15000);
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(re);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    proc.on('exit', (code) => reject(new Error(`${what} exited with ${code}: ${stderr}`)));
  });
  const stop = async () => {
    if (proc.exitCode === null) proc.kill('SIGTERM');
    await new Promise((r) => (proc.exitCode !== null ? r() : proc.on('exit', r)));
  };
  return { match, stop };
}

/** `s-connect serve` with a configuration folder of its own. */
export async function startServe() {
  const dir = mkdtempSync(join(tmpdir(), 'sconnect-e2e-'));
  const { match, stop } = await startCommand(['serve', '--config-dir', dir, '--addr', '127.0.0.1:0'],
    /open (http:\/\/127\.0\.0\.1:\d+\/\?token=\w+)/, 'serve');
  return {
    url: match[1],
    dir,
    async stop() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `s-connect snelstart-sim`: a seeded SnelStart administration. */
export async function startSnelStartSim() {
  const { match, stop } = await startCommand(['snelstart-sim', '--addr', '127.0.0.1:0', '--strict'],
    /api=(\S+) auth=(\S+) koppelsleutel=(\S+) abonnementssleutel=(\S+)/, 'snelstart-sim');
  return { api: match[1], auth: match[2], clientKey: match[3], subscriptionKey: match[4], stop };
}

export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's 'chromium' package (make test does)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A hosted OpenCart shop (MariaDB, vsftpd, PHP) from the Go test tool shopenv. */
export async function startShopEnv() {
  const bin = process.env.SHOPENV_BIN;
  if (!bin || !existsSync(bin)) {
    throw new Error(`SHOPENV_BIN must name the built shopenv tool (got ${bin}); run the tests with 'make test'`);
  }
  const proc = spawn(bin, ['4.0'], { stdio: ['pipe', 'pipe', 'pipe'] }); // it stops when stdin closes
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d));
  const info = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('shopenv printed nothing in 60 s: ' + stderr)), 60000);
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(JSON.parse(out.slice(0, nl)));
      }
    });
    proc.on('exit', (code) => reject(new Error(`shopenv exited with ${code}: ${stderr}`)));
  });
  return {
    ...info,
    async stop() {
      proc.stdin.end();
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.on('exit', r)));
    },
  };
}

/** Opens serve's configuration window in a new page of browser. */
export async function openWindow(browser, serve) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(serve.url);
  await page.waitForSelector('[data-tab]');
  return page;
}

/** Helpers for the configuration window open in page. */
export function windowHelpers(page) {
  const field = (key) => page.locator(`[data-key="${key}"]`);
  return {
    field,
    /** Fills Koppeling SnelStart (the open tab) with the simulator's keys and addresses. */
    async fillSnelStart(sim) {
      // A first start has the demo profile: its own administration first.
      await field('snelstart.type').locator('select').selectOption('online');
      await field('snelstart.clientKey').locator('input').fill(sim.clientKey);
      await field('snelstart.subscriptionKey').locator('input').fill(sim.subscriptionKey);
      await page.getByRole('button', { name: 'Geavanceerd tonen' }).click();
      await field('snelstart.apiBaseURL').locator('input').fill(sim.api);
      await field('snelstart.authBaseURL').locator('input').fill(sim.auth);
    },
    /** Fills Koppeling OpenCart (the open tab) for the test shop's bridge over explicit FTPS, the default. */
    async fillShop(shop) {
      await field('shop.transport').locator('select').selectOption('bridge');
      await field('shop.ftp.protocol').locator('select').selectOption('ftps-explicit');
      await field('shop.ftp.host').locator('input').fill(shop.ftpHost);
      await field('shop.ftp.port').locator('input').fill(String(shop.ftpsPort));
      await field('shop.ftp.user').locator('input').fill(shop.ftpUser);
      await field('shop.ftp.password').locator('input').fill(shop.ftpPassword);
      await field('shop.ftp.root').locator('input').fill(shop.root);
      await field('shop.allowHTTP').locator('input').setChecked(true);
      await field('shop.url').locator('input').fill(shop.url);
      await field('shop.since').locator('input').fill('2020-01-01T00:00');
    },
    /**
     * Runs Verbinding testen on Koppeling OpenCart; on first contact checks
     * that the certificate shown is the test server's and trusts it.
     * Returns the final report's text.
     */
    async testShop(shop) {
      await page.click('[data-action=testOpenCart]');
      let report = await this.report();
      if (await page.locator('[data-action=trust]').count()) {
        const shown = await page.locator('[data-testid=test-report] .fingerprint code').innerText();
        if (shown !== shop.certFingerprint) throw new Error(`certificate ${shown}, the server's is ${shop.certFingerprint}`);
        await page.click('[data-action=trust]');
        await page.waitForFunction(() => !document.querySelector('[data-action=trust]'), null, { timeout: 60000 });
        report = await this.report();
      }
      return report;
    },
    /** Fills and tests Koppeling SnelStart (the simulator) and Koppeling OpenCart (the test shop). */
    async connect(sim, shop) {
      await this.tab('snelstart');
      await this.fillSnelStart(sim);
      await page.click('[data-action=testSnelStart]');
      const snelstart = await this.report();
      if (!/geslaagd/.test(snelstart)) throw new Error(`Verbinding testen (SnelStart): ${snelstart}`);
      await this.tab('opencart');
      await this.fillShop(shop);
      const opencart = await this.testShop(shop);
      if (!/geslaagd/.test(opencart)) throw new Error(`Verbinding testen (OpenCart): ${opencart}`);
    },
    /** Aansluiting as the simulator's seeded administration names it (sjabloon, fee and discount articles, omzetgroepen per VAT rate), saved. */
    async mapSeededAdministration() {
      const fill = (key, value, kind = 'input') => this.field(key).locator(kind).fill(value);
      await this.tab('mapping', 'sales');
      await fill('sales.template', 'Webshop');
      await fill('sales.shippingArticle', 'VERZEND');
      await fill('sales.discountArticle', 'KORTING');
      await fill('sales.discountArticleByVat', '9=KORTING-LAAG\n0=KORTING-GEEN', 'textarea');
      await fill('sales.voucherArticle', 'CADEAUBON');
      await fill('sales.paymentFeeArticle', 'BETAALKOSTEN');
      await fill('sales.differenceArticle', 'VERSCHIL');
      await this.tab('mapping', 'articles');
      await fill('articles.revenueGroup', 'Omzet hoog');
      await fill('articles.revenueGroupByVat', '9=Omzet laag\n0=Omzet vrijgesteld', 'textarea');
      await page.click('[data-action=save]');
      await page.waitForFunction(() => /opgeslagen|Opgeslagen/.test(document.querySelector('[data-testid=notice]')?.textContent ?? ''));
    },
    /** Issues a licence (orders, or the modules named) for shopURL with the test's key and reads it in on Programma. */
    async importLicense(shopURL, modules = 'orders') {
      const { LICENSEGEN_BIN: bin, LICENSE_KEY: key } = process.env;
      const file = join(mkdtempSync(join(tmpdir(), 'sconnect-lic-')), 'winkel.lic');
      writeFileSync(file, execFileSync(bin, ['issue', '-key', key, '-licensee', 'Testwinkel', '-shop', shopURL,
        '-modules', modules, '-until', '2099-01-01']));
      await this.tab('program');
      const chooser = page.waitForEvent('filechooser');
      await page.click('[data-action=importLicense]');
      await (await chooser).setFiles(file);
      await page.getByTestId('licensee').waitFor();
    },
    async tab(top, sub) {
      await page.click(`[role=tablist] [data-tab="${top}"]`);
      if (sub) await page.click(`[role=tablist] [data-tab="${sub}"]`);
    },
    /** Waits for a connection test to finish; returns the report's text. */
    async report() {
      await page.waitForFunction(() => {
        const notice = document.querySelector('[data-testid=notice]')?.textContent ?? '';
        return !notice.startsWith('Bezig') && document.querySelector('[data-testid=test-report]');
      }, null, { timeout: 60000 });
      return page.getByTestId('test-report').innerText();
    },
  };
}
