import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../seeds/demo/index.js';
import { demoScopes } from '../support/factories.js';
import { getWorld } from '../support/world.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const artifacts = path.resolve('test-artifacts');
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Serious and critical accessibility violations on the current page (axe-core). */
async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const result = (await page.evaluate(() =>
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected into the page
    (globalThis as any).axe.run((globalThis as any).document, { resultTypes: ['violations'] }),
  )) as { violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> };
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('browser journeys (Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  let server: ReturnType<import('express').Express['listen']> | undefined;
  let base = '';
  let s: Awaited<ReturnType<typeof demoScopes>>;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      console.log(
        `\n    SKIPPED: browser journeys need Chromium at ${CHROMIUM} (apt-get install chromium)\n`,
      );
      this.skip();
    }
    const world = await getWorld();
    s = await demoScopes(world.db.knex);
    server = world.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server?.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    fs.mkdirSync(artifacts, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  async function newPage() {
    const context = await browser!.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    const problems: string[] = [];
    // Console errors (CSP violations appear here) and failed sub-resources; a 4xx page itself is expected.
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource'))
        problems.push(msg.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400 && response.request().resourceType() !== 'document') {
        problems.push(`${response.status()} ${response.url()}`);
      }
    });
    page.on('pageerror', (err) => problems.push(err.message));
    return { page, problems };
  }

  async function signInAs(page: Page, username: string) {
    await page.goto(`${base}/login`);
    await page.fill('#username', username);
    await page.fill('#password', DEMO_PASSWORD);
    await Promise.all([
      page.waitForURL((url) => !url.pathname.startsWith('/login')),
      page.click('button[type=submit].button'),
    ]);
  }

  it('a township officer signs in, browses their township, switches to English', async () => {
    const { page, problems } = await newPage();
    await page.goto(`${base}/login`);
    await page.click('button[type=submit].button');
    await expect(await page.textContent('.error-summary')).to.contain('请输入用户名');
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await page.screenshot({ path: path.join(artifacts, 'login-error.png'), fullPage: true });

    await signInAs(page, 'officer');
    expect(new URL(page.url()).pathname).to.equal(`/townships/${s.township}`);
    expect(await page.textContent('h1')).to.match(/镇|街道/);
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await page.screenshot({ path: path.join(artifacts, 'township-zh.png'), fullPage: true });

    await page.click('a[href^="/units/"]');
    expect(await page.textContent('table caption')).to.contain('岗位');
    expect(await accessibilityProblems(page)).to.deep.equal([]);

    // The switch posts and redirects: wait for the page in the other language, not for the current one's load.
    await page.click('.language-switch button');
    await page.waitForFunction("document.documentElement.lang === 'en'");
    expect(new URL(page.url()).pathname).to.match(/^\/units\/\d+$/);
    expect(await page.textContent('table caption')).to.contain('Posts');
    await page.screenshot({ path: path.join(artifacts, 'unit-en.png'), fullPage: true });
    // The choice is kept on the account: switch back so later journeys start in Chinese again.
    await page.click('.language-switch button');
    await page.waitForFunction("document.documentElement.lang === 'zh-CN'");
    expect(await page.textContent('table caption')).to.contain('岗位');
    expect(problems, 'console errors (CSP violations show here)').to.deep.equal([]);
  });

  it('a township officer reads quota use, leadership posts and the org chart (and their print views)', async () => {
    const { page, problems } = await newPage();
    await signInAs(page, 'officer');
    for (const [path, shot] of [
      [`/townships/${s.township}/establishment`, 'establishment-zh.png'],
      [`/townships/${s.township}/leadership`, 'leadership-zh.png'],
      [`/townships/${s.township}/org-chart`, 'org-chart-zh.png'],
      [`/townships/${s.township}/org-chart?print=1`, 'org-chart-print.png'],
    ] as const) {
      await page.goto(`${base}${path}`);
      expect(await accessibilityProblems(page), path).to.deep.equal([]);
      await page.screenshot({ path: `${artifacts}/${shot}`, fullPage: true });
    }
    expect(problems).to.deep.equal([]);
  });

  it('the establishment office records a quota decision: form, check page, confirmation', async () => {
    const { page, problems } = await newPage();
    await signInAs(page, 'bianban');
    await page.goto(`${base}/counties/${s.county}/quota-decisions/new`);
    await page.click('button[type=submit].button');
    expect(await page.textContent('.error-summary')).to.contain('请选择编制所在单位');
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await page.selectOption('#holderId', { index: 1 });
    await page.selectOption('#establishmentType', 'worker');
    await page.fill('#approvedCount', '3');
    await page.fill('#docNo', '示编发〔2026〕99号');
    await page.fill('#changeSummary', '浏览器测试');
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit].button')]);
    expect(await page.textContent('h1')).to.contain('核对');
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await page.screenshot({ path: `${artifacts}/quota-check.png`, fullPage: true });
    await Promise.all([page.waitForURL(/quota-decisions$/), page.click('button[name=confirm]')]);
    expect(await page.textContent('.notice')).to.contain('已记录');
    expect(await page.textContent('table')).to.contain('示编发〔2026〕99号');
    expect(problems).to.deep.equal([]);
  });

  it('a staff member signs in and sees their own record', async () => {
    const { page, problems } = await newPage();
    await signInAs(page, 'staff');
    expect(new URL(page.url()).pathname).to.equal(`/people/${s.staffPerson}/career`);
    await page.goto(`${base}/people/${s.staffPerson}`);
    expect(await page.textContent('main')).to.contain('任职经历');
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await page.screenshot({ path: path.join(artifacts, 'person-staff.png'), fullPage: true });
    const other = await page.goto(`${base}/townships/${s.township}`);
    expect(other?.status()).to.equal(404);
    expect(problems).to.deep.equal([]);
  });

  it('a county reviewer sees the county overview', async () => {
    const { page, problems } = await newPage();
    await signInAs(page, 'zuzhibu');
    expect(new URL(page.url()).pathname).to.equal(`/counties/${s.county}`);
    expect(await page.locator('tbody tr').count()).to.be.greaterThan(1);
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await page.screenshot({ path: path.join(artifacts, 'county-zh.png'), fullPage: true });
    expect(problems).to.deep.equal([]);
  });
});
