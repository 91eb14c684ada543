import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../seeds/demo/index.js';
import { createUser, demoScopes } from '../support/factories.js';
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

/** Pages of a PDF: its page objects (`/Type /Page`, not `/Pages`). */
function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}

describe('browser journey: a resume and its appointment form on two A4 pages (Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  let server: ReturnType<import('express').Express['listen']> | undefined;
  let base = '';
  let staffPerson = 0;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      console.log(`\n    SKIPPED: browser journeys need Chromium at ${CHROMIUM}\n`);
      this.skip();
    }
    const world = await getWorld();
    staffPerson = (await demoScopes(world.db.knex)).staffPerson;
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

  async function signedIn(
    username: string,
    locale = 'zh-CN',
    password = DEMO_PASSWORD,
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser!.newContext({ locale, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.fill('#username', username);
    await page.fill('#password', password);
    await Promise.all([
      page.waitForURL((u) => !u.pathname.startsWith('/login')),
      page.click('button[type=submit].button'),
    ]);
    return { context, page };
  }

  it('an officer opens a record, its resume and the appointment form; the form prints on exactly two A4 pages', async () => {
    const { context, page } = await signedIn('officer');
    const problems: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource'))
        problems.push(msg.text());
    });
    page.on('pageerror', (err) => problems.push(err.message));

    await page.goto(`${base}/people/${staffPerson}`);
    await page.click(`a[href="/people/${staffPerson}/resume"]`);
    expect(await page.textContent('h1')).to.contain('简历');
    const resumeText = (await page.textContent('.resume-table')) ?? '';
    expect(resumeText).to.match(/\d{4}\.\d{2}--\d{4}\.\d{2}/);
    expect(resumeText).to.match(/\d{4}\.\d{2}--\s/);
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await page.screenshot({ path: path.join(artifacts, 'resume.png'), fullPage: true });

    await page.click('a[href="?print=1"]');
    expect(page.url()).to.contain('print=1');
    await page.screenshot({ path: path.join(artifacts, 'resume-print.png'), fullPage: true });

    await page.goto(`${base}/people/${staffPerson}/resume`);
    await page.click(`a[href="/people/${staffPerson}/appointment-form"]`);
    await page.fill('#proposedPost', '示范县城关镇党委委员、副镇长');
    await page.fill('#reason', '工作需要');
    await Promise.all([page.waitForURL(/proposedPost=/), page.click('form.af-entries button[type=submit]')]);
    const form = ((await page.textContent('.af')) ?? '').replace(/\s+/g, '');
    for (const label of [
      '干部任免审批表',
      '姓名',
      '拟任职务',
      '简历',
      '家庭主要成员及重要社会关系',
      '行政机关任免意见',
    ])
      expect(form).to.contain(label);
    expect(form).to.contain('示范县城关镇党委委员、副镇长');
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await page.screenshot({ path: path.join(artifacts, 'appointment-form.png'), fullPage: true });

    // Chromium's print: A4, exactly two pages.
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: path.join(artifacts, 'appointment-form-print-media.png'), fullPage: true });
    const pdf = await page.pdf({ format: 'A4' });
    fs.writeFileSync(path.join(artifacts, 'appointment-form.pdf'), pdf);
    expect(pdfPageCount(pdf)).to.equal(2);
    expect(problems, 'console errors (CSP violations show here)').to.deep.equal([]);
    await context.close();
  });

  it('a long resume still prints on two pages; the page chrome is in English, the form stays in Chinese', async () => {
    const world = await getWorld();
    const knex = world.db.knex;
    // Many free-text lines for one person of the officer's township (a long career before the record).
    const extra = Array.from({ length: 30 }, (_, i) => ({
      person_id: staffPerson,
      from_month: `${1960 + i}-01-01`,
      to_month: `${1961 + i}-01-01`,
      text: `示范县某局第${i + 1}科科员（一段很长的经历，用来检验简历栏的字号会自动缩小以保持两页）`,
    }));
    const ids = await knex('resume_lines').insert(extra).returning('id');
    try {
      // An account of its own: the language choice is kept on the account.
      const township = (await demoScopes(knex)).township;
      const user = await createUser(knex, { role: 'township_officer', regionId: township, prefix: 'en' });
      const { context, page } = await signedIn(user.username, 'en', user.password);
      await page.goto(`${base}/people/${staffPerson}`);
      await page.click('.language-switch button[value=en]');
      await page.waitForFunction("document.documentElement.lang === 'en'");
      await page.goto(`${base}/people/${staffPerson}/appointment-form`);
      const chrome = (await page.textContent('.af-entries')) ?? '';
      expect(chrome).to.contain('Proposed post');
      expect((await page.textContent('.af')) ?? '').to.contain('干部任免审批表');
      await page.screenshot({ path: path.join(artifacts, 'appointment-form-long-en.png'), fullPage: true });
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ format: 'A4' });
      expect(pdfPageCount(pdf)).to.equal(2);
      await context.close();
    } finally {
      await knex('resume_lines')
        .whereIn(
          'id',
          ids.map((r: { id: number }) => r.id),
        )
        .delete();
    }
  });
});
