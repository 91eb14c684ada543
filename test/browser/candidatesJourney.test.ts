import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { accessibilityProblems, useBrowser } from '../support/browser.js';
import { createCareerPerson } from '../support/careers.js';
import { createOwnTownship, createUser, demoScopes } from '../support/factories.js';

/** Takes the next step of a rank promotion from its page's step form. */
async function takeStep(
  page: Page,
  fields: { action: string; method?: string; date?: string; docNo?: string },
) {
  await page.selectOption('#action', fields.action);
  if (fields.method) await page.selectOption('#method', fields.method);
  if (fields.date) await page.fill('#date', fields.date);
  if (fields.docNo) await page.fill('#docNo', fields.docNo);
  await Promise.all([
    page.waitForLoadState('load'),
    page.waitForURL(/\/rank-promotions\/\d+$/),
    page.click('form[action$="/steps"] button[type=submit]'),
  ]);
}

describe('browser journey: candidates and rank promotions (Chromium)', function () {
  this.timeout(180_000);
  const b = useBrowser();

  it('the county reviewer opens the dashboard, a vacant seat and a candidate’s explanation, in Chinese and English', async () => {
    const s = await demoScopes(b.world.db.knex);
    const { page, problems } = await b.newPage();
    await b.signInAs(page, 'zuzhibu');
    const dashboard = `/counties/${s.county}/promotions`;
    // The reviewer’s home is the county page; the promotions overview is linked from it.
    await page.goto(`${b.base}/counties/${s.county}`);
    await Promise.all([
      page.waitForURL(new RegExp(`${dashboard}$`)),
      page.click(`main a[href="${dashboard}"]`),
    ]);
    const main = (await page.textContent('main')) ?? '';
    expect(main).to.contain('各乡镇副科、正科级空缺及人选');
    expect(main).to.contain('三级、四级主任科员');
    expect(main).to.contain('公示中');
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await b.screenshot(page, 'promotions-dashboard-zh');

    // A vacant seat of a township: its candidates per horizon, with the reasons of those not yet eligible.
    const seat = page.locator('a[href*="/promotions/vacancies/"]').first();
    await Promise.all([page.waitForURL(/\/promotions\/vacancies\/(slot|post)-/), seat.click()]);
    const seatText = (await page.textContent('main')) ?? '';
    expect(seatText).to.contain('现已符合');
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await b.screenshot(page, 'promotions-seat-zh');

    // A candidate's explanation: the career page with the engine's checks, rule by rule.
    const candidate = page.locator('main table a[href^="/people/"]').first();
    await Promise.all([page.waitForURL(/\/people\/\d+/), candidate.click()]);
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await b.screenshot(page, 'promotions-candidate-zh');

    // The dashboard in English.
    await page.goto(`${b.base}${dashboard}`);
    await page.click('.language-switch button');
    await page.waitForSelector('html[lang="en"]');
    const en = (await page.textContent('main')) ?? '';
    expect(en).to.contain('Vacant deputy-section and section-chief seats by township');
    expect(en).to.contain('Grade-3/4 principal staff members');
    expect(en).to.contain('In publicity');
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await b.screenshot(page, 'promotions-dashboard-en');
    await page.click('.language-switch button');
    await page.waitForSelector('html[lang="zh-CN"]');
    expect(problems).to.deep.equal([]);
  });

  it('a rank promotion goes from the plan (person picker) through publicity to effective, in Chinese and English', async () => {
    const knex = b.world.db.knex;
    const t = await createOwnTownship(knex);
    const reviewerUser = await createUser(knex, {
      role: 'county_reviewer',
      regionId: t.countyId,
      prefix: 'zzb',
    });
    const [pool] = await knex('rank_quota_pools')
      .insert({
        county_id: t.countyId,
        code: 'principal_3_4',
        name_zh: '三级、四级主任科员',
        name_en: 'Grade-3/4 principal staff members',
        grade_codes: ['principal_3', 'principal_4'],
        approved: 0,
      })
      .returning('id');
    await knex('rank_quota_pool_decisions').insert({
      pool_id: (pool as { id: number }).id,
      approved_count: 3,
      effective_from: '2026-01-01',
      doc_no: '测编〔2026〕1号',
    });
    const personId = await createCareerPerson(knex, t, {
      name: '旅程甲',
      grade: 'principal_4',
      since: '2020-03-01',
      assessments: {
        2020: 'competent',
        2021: 'competent',
        2022: 'competent',
        2023: 'competent',
        2024: 'competent',
        2025: 'competent',
      },
    });

    // The township officer plans it: the target first, then the person from the eligible people; a mistake first.
    const officer = await b.newPage();
    const page = officer.page;
    await b.signInAs(page, t.officer.username, t.officer.password);
    await page.goto(`${b.base}/rank-promotions/new`);
    await page.selectOption('#targetGrade', 'principal_3');
    await Promise.all([page.waitForLoadState('load'), page.click('button[name=list]')]);
    expect(await page.textContent('#personId')).to.contain('旅程甲');
    await page.fill('#reason', '任四级主任科员满两年');
    await page.click('form button[type=submit].button:not([name])');
    await page.waitForSelector('.error-summary');
    expect((await page.textContent('.error-summary')) ?? '').to.contain('请选择晋升人员');
    expect(await page.inputValue('#reason')).to.equal('任四级主任科员满两年');
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await b.screenshot(page, 'rank-plan-error-zh');
    await page.selectOption('#personId', String(personId));
    await Promise.all([
      page.waitForSelector('button[name=confirm]'),
      page.click('form button[type=submit].button:not([name])'),
    ]);
    expect(await page.textContent('main')).to.contain('旅程甲');
    await Promise.all([page.waitForURL(/\/rank-promotions\/\d+$/), page.click('button[name=confirm]')]);
    expect(await page.textContent('main')).to.contain('拟定');
    await takeStep(page, { action: 'recommend', method: 'evaluation' });
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    const url = page.url();

    // The county reviewer: review, publicity (5 working days), approval after it, effect with the 文号.
    const reviewer = await b.newPage();
    await b.signInAs(reviewer.page, reviewerUser.username, reviewerUser.password);
    await reviewer.page.goto(url);
    await takeStep(reviewer.page, { action: 'review' });
    await takeStep(reviewer.page, { action: 'publicise', date: '2026-11-02' });
    const publicity = (await reviewer.page.textContent('main')) ?? '';
    expect(publicity).to.contain('公示中');
    expect(publicity).to.contain('2026.11.06');
    expect(await accessibilityProblems(reviewer.page)).to.deep.equal([]);
    await b.screenshot(reviewer.page, 'rank-publicity-zh');
    await takeStep(reviewer.page, { action: 'approve' });
    await takeStep(reviewer.page, { action: 'effect', date: '2026-11-15', docNo: '测组〔2026〕30号' });
    expect(await reviewer.page.textContent('main')).to.contain('已生效');
    await reviewer.page.click('.language-switch button');
    await reviewer.page.waitForSelector('html[lang="en"]');
    const en = (await reviewer.page.textContent('main')) ?? '';
    expect(en).to.contain('Effective');
    expect(en).to.contain('测组〔2026〕30号');
    expect(await accessibilityProblems(reviewer.page)).to.deep.equal([]);
    await b.screenshot(reviewer.page, 'rank-effective-en');
    await reviewer.page.click('.language-switch button');
    await reviewer.page.waitForSelector('html[lang="zh-CN"]');
    expect(officer.problems).to.deep.equal([]);
    expect(reviewer.problems).to.deep.equal([]);
  });
});
