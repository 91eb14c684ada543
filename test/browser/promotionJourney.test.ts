import { expect } from 'chai';
import { accessibilityProblems, useBrowser } from '../support/browser.js';
import { createCareerPerson } from '../support/careers.js';
import { createTestTownship, createUser, demoScopes } from '../support/factories.js';

describe('browser journey: a selection case from the motion to the appointment, with the publicity notice and the appointment form (Chromium)', function () {
  this.timeout(180_000);
  const b = useBrowser();

  it('the township moves it to the candidates, the county inspects, decides (a refused vote first), publishes and appoints', async () => {
    const knex = b.world.db.knex;
    const s = await demoScopes(knex);
    const t = await createTestTownship(knex, { countyId: s.county });
    const own = { ...t, accounts: { administrative: t.accounts.administrative as number } } as never;
    const person = await createCareerPerson(knex, own, {
      name: '旅程候选',
      grade: 'clerk_1',
      since: '2020-01-01',
      assessments: {
        2020: 'competent',
        2021: 'competent',
        2022: 'competent',
        2023: 'excellent',
        2024: 'competent',
        2025: 'competent',
      },
      postId: t.posts.office[0] as number,
    });
    const officerUser = await createUser(knex, { role: 'township_officer', regionId: t.townshipId });

    // The township officer: 选拔任用 → 动议 → seat and reason → check → open.
    const { page, problems } = await b.newPage();
    await b.signInAs(page, officerUser.username, officerUser.password);
    await Promise.all([page.waitForURL(/\/promotions$/), page.click('nav a[href="/promotions"]')]);
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await Promise.all([
      page.waitForURL(/\/promotions\/new/),
      page.click('a.button[href^="/promotions/new"]'),
    ]);
    await page.selectOption('#postId', String(t.posts.deputyMayor[0]));
    await page.fill('#reason', '工作需要，补齐领导班子');
    await page.fill('#docNo', '测镇党委〔2026〕12号');
    await Promise.all([
      page.waitForSelector('button[name=confirm]'),
      page.click('button[type=submit].button'),
    ]);
    await Promise.all([page.waitForURL(/\/promotions\/\d+$/), page.click('button[name=confirm]')]);
    const id = Number(/\/promotions\/(\d+)$/.exec(page.url())?.[1]);
    expect(await page.textContent('main')).to.contain('动议');
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await b.screenshot(page, 'promotion-case-motion-zh');
    // 民主推荐: votes are information; then the candidates for inspection.
    await page.fill('#recommend-participants', '45');
    await page.fill(`#recommend-votes_${person}`, '36');
    await Promise.all([
      page.waitForURL(new RegExp(`/promotions/${id}$`)),
      page.click('#recommend-heading ~ form button[type=submit]'),
    ]);
    expect(await page.textContent('main')).to.contain('已记录民主推荐结果');
    await page.check(`#fix_candidates-candidate-${person}`);
    await Promise.all([
      page.waitForURL(new RegExp(`/promotions/${id}$`)),
      page.click('#fix_candidates-heading ~ form button[type=submit]'),
    ]);
    expect(await page.textContent('main')).to.contain('已确定考察对象');
    expect(problems).to.deep.equal([]);

    // The county reviewer: inspection, the decision (no quorum first), the publicity, the appointment.
    const reviewer = await b.newPage();
    const r = reviewer.page;
    await b.signInAs(r, 'zuzhibu');
    await r.goto(`${b.base}/promotions/${id}`);
    await r.fill('#inspect-comment', '考察组谈话25人，德才表现良好');
    await r.fill('#inspect-attachments', '考察材料\n谈话记录');
    await Promise.all([
      r.waitForURL(new RegExp(`/promotions/${id}$`)),
      r.click('#inspect-heading ~ form button[type=submit]'),
    ]);
    await r.selectOption('#decide-appointeeId', String(person));
    await r.fill('#decide-members', '9');
    await r.fill('#decide-present', '5');
    await r.fill('#decide-inFavour', '5');
    await r.click('#decide-heading ~ form button[type=submit]');
    await r.waitForSelector('.error-summary');
    expect(await r.textContent('.error-summary')).to.contain('三分之二');
    expect(await r.inputValue('#decide-present')).to.equal('5');
    expect(await accessibilityProblems(r)).to.deep.equal([]);
    await b.screenshot(r, 'promotion-decision-error-zh');
    await r.fill('#decide-present', '8');
    await r.fill('#decide-inFavour', '7');
    await r.fill('#decide-docNo', '测常委〔2026〕21号');
    await Promise.all([
      r.waitForURL(new RegExp(`/promotions/${id}$`)),
      r.click('#decide-heading ~ form button[type=submit]'),
    ]);
    // Publicity from today (Sunday 2026-11-15): five working days end Friday 2026-11-20.
    await Promise.all([
      r.waitForURL(new RegExp(`/promotions/${id}$`)),
      r.click('#start_publicity-heading ~ form button[type=submit]'),
    ]);
    const withPublicity = (await r.textContent('main')) ?? '';
    expect(withPublicity).to.contain('2026.11.15 至 2026.11.20');
    await Promise.all([r.waitForURL(/\/notice$/), r.click(`a[href="/promotions/${id}/notice"]`)]);
    expect(await r.inputValue('#notice-text')).to.contain('公示时间：2026.11.15 至 2026.11.20');
    expect(await accessibilityProblems(r)).to.deep.equal([]);
    await b.screenshot(r, 'promotion-notice-zh');
    await r.goto(`${b.base}/promotions/${id}`);
    expect(await r.inputValue('#appoint-on')).to.equal('2026-11-21');
    await r.fill('#appoint-on', '2026-11-23');
    await r.fill('#appoint-docNo', '测组任〔2026〕31号');
    await Promise.all([
      r.waitForURL(new RegExp(`/promotions/${id}$`)),
      r.click('#appoint-heading ~ form button[type=submit]'),
    ]);
    const appointed = (await r.textContent('main')) ?? '';
    expect(appointed).to.contain('已任职，试用期开始');
    expect(appointed).to.contain('试用期至 2027.11.22');
    expect(await accessibilityProblems(r)).to.deep.equal([]);
    await b.screenshot(r, 'promotion-appointed-zh');

    // The appointment form (干部任免审批表) opens from the case with 拟任职务 and 任免理由 filled.
    await Promise.all([r.waitForURL(/\/appointment-form/), r.click('a[href*="/appointment-form"]')]);
    const form = (await r.textContent('body')) ?? '';
    expect(form).to.contain(`${t.name}副镇长`);
    expect(form).to.contain('工作需要，补齐领导班子');
    await b.screenshot(r, 'promotion-appointment-form-print');

    // The case page in English.
    await r.goto(`${b.base}/promotions/${id}`);
    await r.click('.language-switch button');
    await r.waitForSelector('html[lang="en"]');
    expect(await r.textContent('main')).to.contain('Appointed (probation)');
    expect(await accessibilityProblems(r)).to.deep.equal([]);
    await r.click('.language-switch button');
    await r.waitForSelector('html[lang="zh-CN"]');
    expect(reviewer.problems).to.deep.equal([]);
  });
});
