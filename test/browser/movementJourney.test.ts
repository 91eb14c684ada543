import { expect } from 'chai';
import { accessibilityProblems, useBrowser } from '../support/browser.js';
import { createPerson, createTestTownship, createUser, demoScopes } from '../support/factories.js';

describe('browser journey: a cross-township transfer from the officer’s form to the reviewer’s approval (Chromium)', function () {
  this.timeout(120_000);
  const b = useBrowser();

  it('the officer files it, the reviewer approves it from the inbox, the ledger lists it, in Chinese and English', async () => {
    const knex = b.world.db.knex;
    const s = await demoScopes(knex);
    const from = await createTestTownship(knex, { countyId: s.county });
    const to = await createTestTownship(knex, { countyId: s.county, approved: { administrative: 2 } });
    const person = await createPerson(knex);
    await knex.transaction(async (trx) => {
      await trx('assignments').insert({
        person_id: person,
        post_id: from.posts.office[0] as number,
        kind: 'primary',
        valid_from: '2020-06-01',
      });
      await trx('quota_slots').insert({
        person_id: person,
        account_id: from.accounts.administrative as number,
        valid_from: '2020-06-01',
      });
    });
    const officerUser = await createUser(knex, { role: 'township_officer', regionId: from.townshipId });

    // The officer: 人员调配 → 新建 → kind → form (a mistake first) → check → submit.
    const { page, problems } = await b.newPage();
    await b.signInAs(page, officerUser.username, officerUser.password);
    await Promise.all([page.waitForURL(/\/movements$/), page.click('nav a[href="/movements"]')]);
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await Promise.all([page.waitForURL(/\/movements\/new/), page.click('a[href="/movements/new"]')]);
    await page.check('#kind-cross_township');
    await Promise.all([page.waitForSelector('#personId'), page.click('button[type=submit].button')]);
    await page.selectOption('#personId', String(person));
    await page.fill('#reason', '');
    await page.click('button[type=submit].button');
    await page.waitForSelector('.error-summary');
    const summary = (await page.textContent('.error-summary')) ?? '';
    expect(summary).to.contain('请选择调入岗位');
    expect(summary).to.contain('请输入事由');
    expect(await page.inputValue('#personId')).to.equal(String(person));
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await b.screenshot(page, 'movement-form-error-zh');
    await page.selectOption('#toPostId', String(to.posts.office[0]));
    await page.fill('#effectiveOn', '2026-12-01');
    await page.fill('#reason', '工作需要');
    await page.fill('#docNo', '测组干〔2026〕88号');
    await Promise.all([
      page.waitForSelector('button[name=confirm]'),
      page.click('button[type=submit].button'),
    ]);
    expect(await page.textContent('main')).to.contain('工作需要');
    await b.screenshot(page, 'movement-check-zh');
    await Promise.all([page.waitForURL(/\/movements\/\d+$/), page.click('button[name=confirm]')]);
    const id = Number(/\/movements\/(\d+)$/.exec(page.url())?.[1]);
    expect(await page.textContent('main')).to.contain('审批中');
    expect(problems).to.deep.equal([]);

    // The reviewer: 待办 → the request (with the destination's quota after it) → approve.
    const reviewer = await b.newPage();
    await b.signInAs(reviewer.page, 'zuzhibu');
    await Promise.all([reviewer.page.waitForURL(/\/inbox$/), reviewer.page.click('nav a[href="/inbox"]')]);
    const inbox = (await reviewer.page.textContent('main')) ?? '';
    expect(inbox).to.contain('核定2名，批准后占用1名');
    expect(await accessibilityProblems(reviewer.page)).to.deep.equal([]);
    await b.screenshot(reviewer.page, 'movement-inbox-zh');
    await Promise.all([
      reviewer.page.waitForURL(new RegExp(`/movements/${id}$`)),
      reviewer.page.click(`a[href="/movements/${id}"]`),
    ]);
    expect(await accessibilityProblems(reviewer.page)).to.deep.equal([]);
    await reviewer.page.fill('#docNo', '示组干〔2026〕89号');
    await reviewer.page.fill('#comment', '同意');
    await Promise.all([reviewer.page.waitForURL(/\/inbox$/), reviewer.page.click('button[value=approve]')]);
    expect(await reviewer.page.textContent('main')).to.contain('已同意');

    // The ledger, filtered to the destination, in English too.
    await reviewer.page.goto(`${b.base}/movements/ledger?township=${to.townshipId}`);
    expect(await reviewer.page.textContent('main')).to.contain('示组干〔2026〕89号');
    await reviewer.page.click('.language-switch button');
    await reviewer.page.waitForSelector('html[lang="en"]');
    const en = (await reviewer.page.textContent('main')) ?? '';
    expect(en).to.contain('Transfer to another township');
    expect(en).to.contain('Administrative');
    expect(await accessibilityProblems(reviewer.page)).to.deep.equal([]);
    await b.screenshot(reviewer.page, 'movement-ledger-en');
    await reviewer.page.click('.language-switch button');
    await reviewer.page.waitForSelector('html[lang="zh-CN"]');
    expect(reviewer.problems).to.deep.equal([]);
  });
});
