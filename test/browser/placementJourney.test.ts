import { expect } from 'chai';
import { accessibilityProblems, useBrowser } from '../support/browser.js';
import { createPerson, createTestTownship, createUser, demoScopes } from '../support/factories.js';

describe('browser journey: a township officer places people until the quota says no (Chromium)', function () {
  this.timeout(120_000);
  const b = useBrowser();

  it('places one person, is refused the next with the numbers on the same form, in Chinese and English', async () => {
    const knex = b.world.db.knex;
    const s = await demoScopes(knex);
    const t = await createTestTownship(knex, { countyId: s.county, approved: { administrative: 1 } });
    const first = await createPerson(knex, '岗位甲');
    const second = await createPerson(knex, '岗位乙');
    await knex('people').whereIn('id', [first, second]).update({ registered_township_id: t.townshipId });
    const officer = await createUser(knex, { role: 'township_officer', regionId: t.townshipId });
    const { page, problems } = await b.newPage();
    await b.signInAs(page, officer.username, officer.password);

    const place = async (person: number, post: number, docNo: string) => {
      await page.goto(`${b.base}/posts/${post}/place`);
      await page.selectOption('#personId', String(person));
      await page.fill('#validFrom', '2026-11-02');
      await page.fill('#docNo', docNo);
      await page.fill('#reason', '工作需要');
      await page.selectOption('#establishmentType', 'administrative');
      await Promise.all([
        page.waitForSelector('button[name=confirm]'),
        page.click('button[type=submit].button'),
      ]);
      expect(await accessibilityProblems(page)).to.deep.equal([]);
      await Promise.all([page.waitForLoadState('load'), page.click('button[name=confirm]')]);
    };

    // The first fills the only administrative place.
    await place(first, t.posts.office[0] as number, '测组干〔2026〕31号');
    expect(await page.textContent('main')).to.contain('岗位甲');
    await b.screenshot(page, 'placement-done-zh');

    // The second: the quota message, on the form, with what was typed kept.
    await place(second, t.posts.office[1] as number, '测组干〔2026〕32号');
    await page.waitForSelector('.error-summary');
    expect(await page.textContent('.error-summary')).to.contain('核定1名，实有1名，在途0名，无空编');
    expect(await page.inputValue('#docNo')).to.equal('测组干〔2026〕32号');
    expect(await page.inputValue('#personId')).to.equal(String(second));
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await b.screenshot(page, 'placement-quota-full-zh');

    // The same refusal in English.
    await page.click('.language-switch button');
    await page.waitForFunction("document.documentElement.lang === 'en'");
    await place(second, t.posts.office[1] as number, '测组干〔2026〕32号');
    await page.waitForSelector('.error-summary');
    expect(await page.textContent('.error-summary')).to.contain(
      'approved 1, occupied 1, reserved 0; no vacancy',
    );
    await b.screenshot(page, 'placement-quota-full-en');
    await page.click('.language-switch button');
    await page.waitForFunction("document.documentElement.lang === 'zh-CN'");

    const held = await knex('assignments').whereIn('person_id', [first, second]).select('person_id');
    expect(held.map((r) => r.person_id)).to.deep.equal([first]);
    expect(problems).to.deep.equal([]);
  });
});
