import { expect } from 'chai';
import type { Knex } from 'knex';
import { countRows, createOwnTownship, createRegisteredPerson } from '../support/factories.js';
import { type Agent, csrfFrom } from '../support/http.js';
import { rowOf, signInAs, snapshotCounts, submit } from '../support/people.js';
import { getWorld, type TestWorld } from '../support/world.js';

describe('people: annual assessments, one person and a whole township', () => {
  let world: TestWorld;
  let knex: Knex;
  let t: Awaited<ReturnType<typeof createOwnTownship>>;
  let officer: Agent;
  const people: Array<{ id: number; name: string }> = [];

  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
    knex = world.db.knex;
    t = await createOwnTownship(knex);
    officer = await signInAs(world, t.officer);
    // Three civil servants in the township's administrative quota; last year's results recorded for two.
    for (const name of ['李一', '王二', '张三']) {
      const p = await createRegisteredPerson(knex, { townshipId: t.townshipId, name });
      await knex('quota_slots').insert({
        person_id: p.id,
        account_id: t.accounts.administrative,
        valid_from: '2020-01-01',
      });
      await knex('person_statuses').insert({ person_id: p.id, status: 'active', valid_from: '2020-01-01' });
      people.push(p);
    }
    // Only 2 administrative places: the third sits in the institutional account instead.
    await knex('quota_slots')
      .where({ person_id: (people[2] as { id: number }).id })
      .update({ account_id: t.accounts.institutional });
    await knex('assessments').insert([
      { person_id: people[0]?.id, year: 2025, result: 'excellent' },
      { person_id: people[1]?.id, year: 2025, result: 'competent' },
    ]);
  });

  it('records a result for one person; a different result for the year is a correction', async () => {
    const p = people[0] as { id: number };
    const form = await officer.get(`/people/${p.id}/assessments/new?year=2024`).expect(200);
    // A civil servant is offered the civil-service results only.
    expect(form.text).to.contain('称职');
    expect(form.text).not.to.contain('value="qualified"');
    const bad = await submit(officer, `/people/${p.id}/assessments/new`, `/people/${p.id}/assessments`, {
      year: '2031',
      result: '',
    });
    expect(bad.status).to.equal(400);
    expect(bad.text).to.contain('请输入有效的年度');
    expect(bad.text).to.contain('请选择考核结果');
    const wrongSet = await submit(officer, `/people/${p.id}/assessments/new`, `/people/${p.id}/assessments`, {
      year: '2024',
      result: 'qualified',
    });
    expect(wrongSet.status).to.equal(400);
    expect(wrongSet.text).to.contain('请选择与该人员编制类型相符的考核结果');
    const ok = await submit(officer, `/people/${p.id}/assessments/new`, `/people/${p.id}/assessments`, {
      year: '2024',
      result: 'competent',
    });
    expect(ok.status).to.equal(303);
    const fix = await submit(
      officer,
      `/people/${p.id}/assessments/new?year=2024`,
      `/people/${p.id}/assessments`,
      {
        year: '2024',
        result: 'excellent',
        docNo: '测考〔2025〕1号',
      },
    );
    expect(fix.status).to.equal(303);
    const rows = await knex('assessments').where({ person_id: p.id, year: 2024 }).orderBy('id');
    // The first is kept, marked superseded; the second cites it.
    expect(rows.map((r) => [r.result, r.superseded_at !== null, r.corrects_id])).to.deep.equal([
      ['competent', true, null],
      ['excellent', false, rows[0]?.id],
    ]);
    const page = await officer.get(`/people/${p.id}`).expect(200);
    expect(page.text).to.contain('已更正');
  });

  it('shows one row per person with last year pre-filled, and saves all rows in one transaction', async () => {
    const [a, b, c] = people as unknown as [{ id: number }, { id: number }, { id: number }];
    const sheet = await officer.get(`/townships/${t.townshipId}/assessments?year=2026`).expect(200);
    for (const p of people) expect(sheet.text).to.contain(p.name);
    // Pre-filled with last year's result where there is one.
    expect(sheet.text).to.match(
      new RegExp(`id="result-${a.id}"[^>]*>[\\s\\S]*?<option value="excellent" selected>`),
    );
    expect(sheet.text).to.match(
      new RegExp(`id="result-${b.id}"[^>]*>[\\s\\S]*?<option value="competent" selected>`),
    );
    // The institutional person is offered 合格 and not 称职.
    const cSelect = new RegExp(`id="result-${c.id}"[^>]*>([\\s\\S]*?)</select>`).exec(sheet.text)?.[1] ?? '';
    expect(cSelect).to.contain('value="qualified"');
    expect(cSelect).not.to.contain('value="competent"');

    // One bad row: nothing is saved, the row's error is shown, the other choices are kept.
    const before = await snapshotCounts(knex);
    const bad = await officer
      .post(`/townships/${t.townshipId}/assessments`)
      .type('form')
      .send({
        _csrf: csrfFrom(sheet.text),
        year: '2026',
        [`result-${a.id}`]: 'excellent',
        [`result-${b.id}`]: 'basically_competent',
        [`result-${c.id}`]: 'competent',
      });
    expect(bad.status).to.equal(400);
    expect(bad.text).to.contain(`href="#result-${c.id}"`);
    expect(bad.text).to.contain('张三：请选择与其编制类型相符的考核结果');
    expect(bad.text).to.match(
      new RegExp(`id="result-${b.id}"[^>]*>[\\s\\S]*?<option value="basically_competent" selected>`),
    );
    expect(await snapshotCounts(knex)).to.deep.equal(before);

    const good = await officer
      .post(`/townships/${t.townshipId}/assessments`)
      .type('form')
      .send({
        _csrf: csrfFrom(sheet.text),
        year: '2026',
        docNo: '测考〔2027〕1号',
        [`result-${a.id}`]: 'excellent',
        [`result-${b.id}`]: 'basically_competent',
        [`result-${c.id}`]: 'qualified',
      });
    expect(good.status).to.equal(303);
    const after = await snapshotCounts(knex);
    expect(after.assessments).to.equal((before.assessments ?? 0) + 3);
    // One audit entry per changed row, each marked with the batch.
    expect(after.writes).to.equal(before.writes + 3);
    const audit = await rowOf(knex, 'audit_log', {
      action: 'person.assessment_recorded',
      entity_id: String(c.id),
    });
    expect(audit.after.batch).to.deep.equal({ townshipId: t.townshipId, year: 2026 });
    const landing = await officer.get(String(good.headers.location)).expect(200);
    expect(landing.text).to.contain('3 人的结果有变化');

    // The same sheet again changes nothing.
    const again = await officer
      .post(`/townships/${t.townshipId}/assessments`)
      .type('form')
      .send({
        _csrf: csrfFrom(sheet.text),
        year: '2026',
        docNo: '测考〔2027〕1号',
        [`result-${a.id}`]: 'excellent',
        [`result-${b.id}`]: 'basically_competent',
        [`result-${c.id}`]: 'qualified',
      });
    expect(again.status).to.equal(303);
    expect(await snapshotCounts(knex)).to.deep.equal(after);
    expect(await countRows(knex, 'assessments', { person_id: c.id, year: 2026 })).to.equal(1);
  });

  it('is the township officer’s and county roles’ page only', async () => {
    const { signIn } = await import('../support/http.js');
    for (const username of ['officer', 'staff', 'zuzhibu'])
      expect(
        (await (await signIn(world.app, username)).get(`/townships/${t.townshipId}/assessments`)).status,
      ).to.equal(404);
    await (await signIn(world.app, 'admin')).get(`/townships/${t.townshipId}/assessments`).expect(200);
  });
});
