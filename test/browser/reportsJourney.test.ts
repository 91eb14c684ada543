import { expect } from 'chai';
import { accessibilityProblems, useBrowser } from '../support/browser.js';
import { createUser, demoScopes } from '../support/factories.js';

describe('browser journey: a county reviewer opens the reports (Chromium)', function () {
  this.timeout(120_000);
  const b = useBrowser();

  it('the index, 编制使用情况 with its drill-down and 干部队伍结构, in Chinese and English', async () => {
    const knex = b.world.db.knex;
    const s = await demoScopes(knex);
    // An account of its own: the language choice is saved on the account.
    const user = await createUser(knex, { role: 'county_reviewer', regionId: s.county, prefix: 'rptj' });
    const { page, problems } = await b.newPage();
    await b.signInAs(page, user.username, user.password);
    if ((await page.getAttribute('html', 'lang')) !== 'zh-CN') {
      await page.click('.language-switch button');
      await page.waitForSelector('html[lang="zh-CN"]');
    }

    // 报表 in the main navigation → the index.
    await Promise.all([page.waitForURL(/\/reports$/), page.click('nav a[href="/reports"]')]);
    expect(await page.textContent('h1')).to.contain('报表');
    const index = (await page.textContent('main')) ?? '';
    expect(index).to.contain('编制使用情况');
    expect(index).to.contain('人员调动情况表');
    expect(index).to.contain('任前公示与试用期日历');
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await b.screenshot(page, 'reports-index-zh');

    // 编制使用情况 for the county, with its chart; then one township's units and names.
    await Promise.all([
      page.waitForURL(/\/reports\/establishment$/),
      page.click('a[href="/reports/establishment"]'),
    ]);
    expect(await page.textContent('h1')).to.contain('编制使用情况');
    expect(await page.locator('svg.chart__svg').count()).to.be.greaterThan(0);
    expect(await page.locator('table tbody').count()).to.be.greaterThan(3);
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await b.screenshot(page, 'reports-establishment-zh');
    await page.selectOption('#township', String(s.township));
    await page.fill('#asOf', '2026-06-30');
    await Promise.all([
      page.waitForURL(new RegExp(`township=${s.township}`)),
      page.click('.report-filters button[type=submit]'),
    ]);
    expect(await page.textContent('h1')).to.contain('2026.06.30');
    expect(await page.textContent('main')).to.contain('机构和人员');
    expect(
      await page.locator(`a[href="/townships/${s.township}/establishment?asOf=2026-06-30"]`).count(),
    ).to.be.greaterThan(0);
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await b.screenshot(page, 'reports-establishment-township-zh');

    // 干部队伍结构 from the index.
    await Promise.all([page.waitForURL(/\/reports$/), page.click('a[href="/reports"]')]);
    await Promise.all([page.waitForURL(/\/reports\/workforce$/), page.click('a[href="/reports/workforce"]')]);
    const structure = (await page.textContent('main')) ?? '';
    expect(structure).to.contain('年龄结构');
    expect(structure).to.contain('30岁及以下');
    expect(structure).to.match(/\d+\.\d%/);
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await b.screenshot(page, 'reports-workforce-zh');

    // English: the same pages (the switch returns to the same URL).
    await page.click('.language-switch button');
    await page.waitForSelector('html[lang="en"]');
    expect(await page.textContent('h1')).to.contain('Workforce structure');
    const en = (await page.textContent('main')) ?? '';
    expect(en).to.contain('30 and under');
    expect(en).not.to.match(/reports\.[a-z]/);
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await b.screenshot(page, 'reports-workforce-en');
    await Promise.all([page.waitForURL(/\/reports$/), page.click('nav a[href="/reports"]')]);
    expect(await page.textContent('h1')).to.contain('Reports');
    expect(await page.textContent('main')).to.contain('Coming with promotions');
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await b.screenshot(page, 'reports-index-en');
    await Promise.all([
      page.waitForURL(/\/reports\/establishment$/),
      page.click('a[href="/reports/establishment"]'),
    ]);
    expect(await page.textContent('h1')).to.contain('Quota usage');
    expect(await page.textContent('main')).to.contain('Subtotal');
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await b.screenshot(page, 'reports-establishment-en');

    // The A4 print view of the same report.
    await Promise.all([page.waitForURL(/print=1/), page.click('a[href*="print=1"]')]);
    expect(await page.locator('.print-view').count()).to.equal(1);
    expect(await page.locator('.report-filters').count()).to.equal(0);
    await b.screenshot(page, 'reports-establishment-print-en');
    expect(problems).to.deep.equal([]);
  });
});
