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

describe('browser journey: a staff member reads their career path (Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  let server: ReturnType<import('express').Express['listen']> | undefined;
  let base = '';
  let s: Awaited<ReturnType<typeof demoScopes>>;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      console.log(`\n    SKIPPED: browser journeys need Chromium at ${CHROMIUM}\n`);
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

  async function newPage() {
    const context = await browser!.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
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

  it('staff lands on their career path and reads it in Chinese and English', async () => {
    const { page, problems } = await newPage();
    await signInAs(page, 'staff');
    expect(new URL(page.url()).pathname).to.equal(`/people/${s.staffPerson}/career`);
    if ((await page.getAttribute('html', 'lang')) !== 'zh-CN') {
      await page.click('.language-switch button');
      await page.waitForSelector('html[lang="zh-CN"]');
    }
    expect(await page.textContent('h1')).to.contain('我的职业路径');
    const main = (await page.textContent('main')) ?? '';
    expect(main).to.contain('晋升资格测算');
    expect(main).to.contain('符合资格条件');
    expect(main).to.contain('年度考核');
    expect(main).to.match(/已任职 \d+ 年/);
    expect(main).not.to.contain('应当晋升的');
    expect(await page.locator('article.target').count()).to.be.greaterThan(0);
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await page.screenshot({ path: path.join(artifacts, 'career-staff-zh.png'), fullPage: true });

    // Look ahead with the page tools' date.
    await page.fill('#asOf', '2027-06-01');
    await Promise.all([page.waitForURL(/asOf=2027-06-01/), page.click('.page-tools button[type=submit]')]);
    expect(await page.textContent('main')).to.contain('2027.06 时的情况');

    // English (the switch redirects back to the same URL: wait for the page in the new language).
    await page.click('.language-switch button');
    await page.waitForSelector('html[lang="en"]');
    expect(await page.textContent('h1')).to.contain('My career path');
    const en = (await page.textContent('main')) ?? '';
    expect(en).to.contain('Eligibility for the next steps');
    expect(en).to.match(/2027-06/);
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await page.screenshot({ path: path.join(artifacts, 'career-staff-en.png'), fullPage: true });
    // Back to Chinese for the other journeys (the choice is saved on the account).
    await page.click('.language-switch button');
    await page.waitForSelector('html[lang="zh-CN"]');

    // The record is one click away; someone else's career path is not found.
    await Promise.all([
      page.waitForURL((u) => u.pathname === `/people/${s.staffPerson}`),
      page.click(`a[href="/people/${s.staffPerson}"]`),
    ]);
    expect(await page.textContent('main')).to.contain('任职经历');
    const other = await page.goto(`${base}/townships/${s.township}/eligibility`);
    expect(other?.status()).to.equal(404);
    expect(problems).to.deep.equal([]);
  });

  it('the admin reads the rules and is shown what to fix on the rule form', async () => {
    const { page, problems } = await newPage();
    await signInAs(page, 'admin');
    await Promise.all([page.waitForURL(/\/admin\/rules$/), page.click('a[href="/admin/rules"]')]);
    expect(await page.textContent('h1')).to.contain('晋升条件与处分影响期');
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await page.screenshot({ path: path.join(artifacts, 'rules-admin-zh.png'), fullPage: true });
    await Promise.all([
      page.waitForURL(/promotion\/new/),
      page.click('a[href="/admin/rules/promotion/new"]'),
    ]);
    await page.fill('#minMonths', '三十');
    await page.click('button[type=submit].button');
    await page.waitForSelector('.error-summary');
    expect(await page.textContent('.error-summary')).to.contain('请选择县（区）');
    expect(await page.inputValue('#minMonths')).to.equal('三十');
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await page.screenshot({ path: path.join(artifacts, 'rules-form-error-zh.png'), fullPage: true });
    expect(problems).to.deep.equal([]);
  });

  it('an officer reads the township eligibility list', async () => {
    const { page, problems } = await newPage();
    await signInAs(page, 'officer');
    await page.click(`a[href="/townships/${s.township}/eligibility"]`);
    await page.waitForURL(/eligibility/);
    expect(await page.textContent('h1')).to.contain('晋升资格名单');
    await page.selectOption('#target', 'township_deputy');
    await Promise.all([page.waitForURL(/target=township_deputy/), page.click('.search-form button')]);
    expect(await page.locator('section h2').count()).to.equal(1);
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await page.screenshot({ path: path.join(artifacts, 'eligibility-list-zh.png'), fullPage: true });
    expect(problems).to.deep.equal([]);
  });
});
