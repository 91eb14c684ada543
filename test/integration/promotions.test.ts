import { expect } from 'chai';
import type { Knex } from 'knex';
import { createCareerPerson } from '../support/careers.js';
import { countRows, createOwnTownship, createUser, demoScopes } from '../support/factories.js';
import { type Agent, csrfFrom, signIn } from '../support/http.js';
import { backend, getWorld, type TestWorld } from '../support/world.js';

/** Posts one step of a rank promotion from its page (fresh form key and the version shown). */
async function step(agent: Agent, id: number, fields: Record<string, string>, version?: string) {
  const page = await agent.get(`/rank-promotions/${id}`).expect(200);
  const v = version ?? /name="version" value="(\d+)"/.exec(page.text)?.[1] ?? '0';
  const formKey = /name="formKey" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  return agent
    .post(`/rank-promotions/${id}/steps`)
    .type('form')
    .send({
      _csrf: csrfFrom(page.text),
      formKey,
      version: v,
      comment: '',
      docNo: '',
      method: '',
      date: '',
      ...fields,
    });
}

describe('promotions: candidates, rank promotions and the county dashboard', () => {
  let world: TestWorld;
  let knex: Knex;
  let s: Awaited<ReturnType<typeof demoScopes>>;

  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
    knex = world.db.knex;
    s = await demoScopes(knex);
  });

  it('shows vacant seats and a seat’s candidates to the township and the county; 404 outside the scope', async () => {
    const officer = await signIn(world.app, 'officer');
    const page = await officer.get(`/townships/${s.township}/promotions/vacancies`).expect(200);
    expect(page.text).to.contain('空缺职位');
    const seat = /href="(\/townships\/\d+\/promotions\/vacancies\/(?:slot|post)-[a-z0-9_]+)[^"]*"/.exec(
      page.text,
    )?.[1];
    if (seat) {
      const seatPage = await officer.get(seat).expect(200);
      expect(seatPage.text).to.contain('现已符合');
    }
    await officer.get(`/townships/${s.township2}/promotions/vacancies`).expect(404);
    await officer.get(`/townships/${s.township}/promotions/vacancies/slot-nonexistent`).expect(404);
    const reviewer = await signIn(world.app, 'zuzhibu');
    const dash = await reviewer
      .get(`/counties/${s.county}/promotions`)
      .set('Accept-Language', 'en')
      .expect(200);
    expect(dash.text).to.contain('各乡镇副科、正科级空缺及人选');
    await reviewer.get(`/counties/${s.county2}/promotions`).expect(404);
    const staff = await signIn(world.app, 'staff');
    await staff.get(`/townships/${s.township}/promotions/vacancies`).expect(404);
    await staff.get(`/counties/${s.county}/promotions`).expect(404);
  });

  it('a rank promotion goes plan → recommendation → review → publicity → approval → effective, one audit entry per step', async () => {
    const t = await createOwnTownship(knex);
    const reviewerUser = await createUser(knex, {
      role: 'county_reviewer',
      regionId: t.countyId,
      prefix: 'zzb',
    });
    await knex('rank_quota_pools').insert({
      county_id: t.countyId,
      code: 'principal_3_4',
      name_zh: '三级、四级主任科员',
      name_en: 'Grade-3/4 principal staff members',
      grade_codes: ['principal_3', 'principal_4'],
      approved: 2,
    });
    const personId = await createCareerPerson(knex, t, {
      name: '晋升甲',
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
    const officer = await signIn(world.app, t.officer.username, t.officer.password);
    const form = await officer.get('/rank-promotions/new').expect(200);
    const formKey = /name="formKey" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
    const fields = {
      _csrf: csrfFrom(form.text),
      formKey,
      personId: String(personId),
      targetGrade: 'principal_3',
      reason: '任职满两年',
      docNo: '',
    };
    const check = await officer.post('/rank-promotions/new').type('form').send(fields).expect(200);
    expect(check.text).to.contain('三级主任科员');
    const audits = await countRows(knex, 'audit_log', { entity_type: 'rank_promotion' });
    const done = await officer
      .post('/rank-promotions/new')
      .type('form')
      .send({ ...fields, confirm: '1' })
      .expect(303);
    const id = Number(/\/rank-promotions\/(\d+)/.exec(done.headers.location ?? '')?.[1]);
    expect(await countRows(knex, 'audit_log', { entity_type: 'rank_promotion' })).to.equal(audits + 1);
    // A double submit answers like the first.
    const again = await officer
      .post('/rank-promotions/new')
      .type('form')
      .send({ ...fields, confirm: '1' })
      .expect(303);
    expect(again.headers.location).to.equal(done.headers.location);

    expect((await step(officer, id, { action: 'recommend', method: 'recommendation' })).status).to.equal(303);
    const reviewer = await signIn(world.app, reviewerUser.username, reviewerUser.password);
    // The officer can't review (not in the list of actions, and refused if forced).
    expect((await step(officer, id, { action: 'review' }, '2')).status).to.equal(403);
    // A stale version is a 409.
    expect((await step(reviewer, id, { action: 'review' }, '1')).status).to.equal(409);
    expect((await step(reviewer, id, { action: 'review' })).status).to.equal(303);
    expect((await step(reviewer, id, { action: 'publicise', date: '2026-11-02' })).status).to.equal(303);
    const row = await knex('rank_promotions').where({ id }).first();
    expect(row?.state).to.equal('in_publicity');
    expect(row?.publicity_end).to.equal('2026-11-06');
    expect((await step(reviewer, id, { action: 'approve' })).status).to.equal(303);
    expect(
      (await step(reviewer, id, { action: 'effect', date: '2026-11-15', docNo: '测组〔2026〕9号' })).status,
    ).to.equal(303);
    const after = await knex('rank_promotions').where({ id }).first();
    expect(after?.state).to.equal('effective');
    const grades = await knex('grades').where({ person_id: personId }).orderBy('valid_from');
    expect(grades.map((g) => [g.grade_code, g.valid_to])).to.deep.equal([
      ['principal_4', '2026-11-15'],
      ['principal_3', null],
    ]);
    expect(
      await countRows(knex, 'audit_log', { entity_type: 'rank_promotion', entity_id: String(id) }),
    ).to.equal(6);
    const detail = await reviewer.get(`/rank-promotions/${id}`).expect(200);
    expect(detail.text).to.contain('已生效');
    // Out of scope: another county's reviewer sees nothing.
    const other = await signIn(world.app, 'zuzhibu2');
    await other.get(`/rank-promotions/${id}`).expect(404);
  });

  it('refuses a promotion beyond the pool’s rank quota (409, nothing written)', async () => {
    const t = await createOwnTownship(knex);
    await knex('rank_quota_pools').insert({
      county_id: t.countyId,
      code: 'principal_3_4',
      name_zh: '三级、四级主任科员',
      name_en: 'Grade-3/4 principal staff members',
      grade_codes: ['principal_3', 'principal_4'],
      approved: 1,
    });
    const a = await createCareerPerson(knex, t, { name: '职数甲', grade: 'clerk_1', since: '2020-01-01' });
    await createCareerPerson(knex, t, { name: '职数乙', grade: 'principal_4', since: '2020-01-01' });
    const officer = await signIn(world.app, t.officer.username, t.officer.password);
    const form = await officer.get('/rank-promotions/new').expect(200);
    const formKey = /name="formKey" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
    const before = await countRows(knex, 'rank_promotions');
    const res = await officer
      .post('/rank-promotions/new')
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        formKey,
        personId: String(a),
        targetGrade: 'principal_4',
        reason: '',
        docNo: '',
        confirm: '1',
      })
      .expect(409);
    expect(res.text).to.contain('无空余职数');
    expect(await countRows(knex, 'rank_promotions')).to.equal(before);
  });

  it('two promotions racing for the last place of the pool: one wins (PostgreSQL)', async function () {
    if (backend !== 'pg') this.skip();
    const t = await createOwnTownship(knex);
    const reviewer = await createUser(knex, { role: 'county_reviewer', regionId: t.countyId, prefix: 'zzb' });
    await knex('rank_quota_pools').insert({
      county_id: t.countyId,
      code: 'principal_3_4',
      name_zh: '三级、四级主任科员',
      name_en: 'Grade-3/4 principal staff members',
      grade_codes: ['principal_3', 'principal_4'],
      approved: 1,
    });
    const people = await Promise.all(
      ['竞争甲', '竞争乙', '竞争丙', '竞争丁'].map((name) =>
        createCareerPerson(knex, t, { name, grade: 'clerk_1', since: '2020-01-01' }),
      ),
    );
    const ranks = world.services.promotions.ranks;
    const scope = await world.services.access.scopeFor({
      userId: reviewer.id,
      username: reviewer.username,
      displayName: '',
      locale: 'zh-CN',
      via: 'session',
      grants: [{ role: 'county_reviewer', regionId: t.countyId, personId: null }],
    });
    const principal = {
      userId: reviewer.id,
      username: reviewer.username,
      displayName: '',
      locale: 'zh-CN' as const,
      via: 'session' as const,
      grants: [{ role: 'county_reviewer' as const, regionId: t.countyId, personId: null }],
    };
    const results = await Promise.all(
      people.map((personId, i) =>
        ranks.create(
          {
            principal,
            scope,
            actor: { userId: reviewer.id, username: reviewer.username, requestId: `race-${i}` },
          },
          { personId, targetGrade: 'principal_4', reason: '', docNo: null, formKey: crypto.randomUUID() },
        ),
      ),
    );
    expect(results.filter((r) => r.ok)).to.have.length(1);
    expect(results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.code))).to.deep.equal([
      'rank_quota_full',
      'rank_quota_full',
      'rank_quota_full',
    ]);
  });
});
