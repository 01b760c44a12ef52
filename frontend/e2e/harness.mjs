// Starts `s-connect serve` on a free loopback port with its own
// configuration folder, and Debian's Chromium through playwright-core.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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

/** Helpers for the configuration window open in page. */
export function windowHelpers(page) {
  return {
    field: (key) => page.locator(`[data-key="${key}"]`),
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
