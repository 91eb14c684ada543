import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { createOwnTownship, freshIdNumber } from '../support/factories.js';
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

describe('browser journey: a township officer keeps a person record (Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  let server: ReturnType<import('express').Express['listen']> | undefined;
  let base = '';
  let t: Awaited<ReturnType<typeof createOwnTownship>>;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      console.log(`\n    SKIPPED: browser journeys need Chromium at ${CHROMIUM}\n`);
      this.skip();
    }
    const world = await getWorld();
    t = await createOwnTownship(world.db.knex);
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

  it('creates a person: an error is explained on the same form with the input kept, then fixed', async () => {
    const context = await browser!.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource'))
        problems.push(msg.text());
    });
    page.on('pageerror', (err) => problems.push(err.message));

    await page.goto(`${base}/login`);
    await page.fill('#username', t.officer.username);
    await page.fill('#password', t.officer.password);
    await Promise.all([
      page.waitForURL((u) => !u.pathname.startsWith('/login')),
      page.click('button[type=submit].button'),
    ]);

    await page.click('a[href="/people"]');
    await page.click('a[href^="/people/new"]');
    expect(await page.textContent('h1')).to.contain('新增人员');
    expect(await accessibilityProblems(page)).to.deep.equal([]);

    const idNumber = freshIdNumber('1991-04-12', 'male');
    await page.fill('#name', '欧阳振华');
    await page.fill('#idNumber', idNumber);
    await page.check('#gender');
    await page.fill('#birthDate', '1991.05');
    await page.selectOption('#politicalStatus', 'cpc_member');
    await page.fill('#partyJoinedOn', '2013.06');
    await page.fill('#workStartedOn', '2013.08');
    await page.selectOption('#postId', String(t.posts.clerkA));
    await page.selectOption('#establishmentType', 'administrative');
    await page.fill('#validFrom', '2013.08.01');
    await Promise.all([page.waitForLoadState('load'), page.click('form.form button[type=submit]')]);

    const summary = await page.textContent('.error-summary');
    expect(summary).to.contain('出生年月与身份证号码中的出生日期不一致');
    expect(await page.title()).to.match(/^错误：/);
    expect(await page.inputValue('#name')).to.equal('欧阳振华');
    expect(await page.inputValue('#idNumber')).to.equal(idNumber);
    expect(await page.inputValue('#postId')).to.equal(String(t.posts.clerkA));
    expect(await page.evaluate('document.activeElement && document.activeElement.className')).to.contain(
      'error-summary',
    );
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await page.screenshot({ path: path.join(artifacts, 'person-create-error.png'), fullPage: true });

    // The summary links to the field.
    await page.click('.error-summary a[href="#birthDate"]');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).to.equal('birthDate');
    await page.fill('#birthDate', '1991.04');
    await Promise.all([page.waitForURL(/\/people\/\d+$/), page.click('form.form button[type=submit]')]);

    expect(await page.textContent('h1')).to.contain('欧阳振华');
    expect(await page.textContent('.notice')).to.contain('人员信息已保存');
    const main = (await page.textContent('main')) ?? '';
    expect(main).to.contain('综合文字岗');
    expect(main).to.contain('2013.08--');
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await page.screenshot({ path: path.join(artifacts, 'person-record.png'), fullPage: true });
    expect(problems, 'console errors (CSP violations show here)').to.deep.equal([]);
    await context.close();
  });
});
