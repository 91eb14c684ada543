import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../seeds/demo/index.js';
import { getWorld, type TestWorld } from './world.js';

/** Browser journeys: headless Debian Chromium through playwright-core, axe-core for accessibility. */

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const artifacts = path.resolve('test-artifacts');
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Serious and critical accessibility violations on the page (axe-core). */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const result = (await page.evaluate(() =>
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected into the page
    (globalThis as any).axe.run((globalThis as any).document, { resultTypes: ['violations'] }),
  )) as { violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> };
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

export interface BrowserHarness {
  world: TestWorld;
  base: string;
  /** A fresh context in Chinese; `problems` collects console errors, failed sub-resources, page errors. */
  newPage(): Promise<{ page: Page; problems: string[] }>;
  signInAs(page: Page, username: string, password?: string): Promise<void>;
  screenshot(page: Page, name: string): Promise<void>;
}

/**
 * Registers before/after hooks in the calling `describe` that serve the test world's app on a free port and
 * launch Chromium; skips the suite when Chromium is missing. Use the returned object inside the tests.
 */
export function useBrowser(): BrowserHarness {
  let browser: Browser | undefined;
  let server: ReturnType<import('express').Express['listen']> | undefined;
  const harness = {} as BrowserHarness;

  before(async function () {
    this.timeout(180_000);
    if (!fs.existsSync(CHROMIUM)) {
      console.log(`\n    SKIPPED: browser journeys need Chromium at ${CHROMIUM}\n`);
      this.skip();
    }
    harness.world = await getWorld();
    server = harness.world.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server?.once('listening', resolve));
    harness.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-sync',
      ],
    });
    fs.mkdirSync(artifacts, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  harness.newPage = async () => {
    if (!browser) throw new Error('Chromium is not running');
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource'))
        problems.push(msg.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400 && response.request().resourceType() !== 'document')
        problems.push(`${response.status()} ${response.url()}`);
    });
    page.on('pageerror', (err) => problems.push(err.message));
    return { page, problems };
  };

  harness.signInAs = async (page, username, password = DEMO_PASSWORD) => {
    await page.goto(`${harness.base}/login`);
    await page.fill('#username', username);
    await page.fill('#password', password);
    await Promise.all([
      page.waitForURL((url) => !url.pathname.startsWith('/login')),
      page.click('button[type=submit].button'),
    ]);
  };

  harness.screenshot = async (page, name) => {
    await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
  };

  return harness;
}
