import { expect } from 'chai';
import type { Knex } from 'knex';
import { createCareerPerson } from '../support/careers.js';
import { countRows, createOwnTownship, createUser, demoScopes } from '../support/factories.js';
import { type Agent, csrfFrom, csrfOf, signIn } from '../support/http.js';
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

  it('the demo world has rank quota pools with a little room and rank promotions in every state', async () => {
    const pools = await knex('rank_quota_pools').where('county_id', s.county).orderBy('code');
    expect(pools.map((p) => p.code)).to.deep.equal(['principal_1_2', 'principal_3_4']);
    const states = await knex('rank_promotions')
      .where('county_id', s.county)
      .select('state')
      .then((rows) => new Set(rows.map((r) => r.state)));
    expect([...states].sort()).to.deep.equal(
      ['approved', 'effective', 'in_publicity', 'planned', 'recommended', 'reviewed', 'withdrawn'].sort(),
    );
    const returned = await knex('rank_promotion_actions').where('action', 'return').first('promotion_id');
    expect(returned).to.not.equal(undefined);
    const scope = await world.services.access.scopeFor({
      userId: 0,
      username: 'x',
      displayName: '',
      locale: 'zh-CN',
      via: 'session',
      grants: [{ role: 'county_reviewer', regionId: s.county, personId: null }],
    });
    for (const p of await world.services.promotions.ranks.pools(scope, s.county)) {
      const vacant = p.usage.approved - p.usage.held - p.usage.inProcess;
      expect(vacant, p.pool.code).to.be.within(1, 3);
    }
    const reviewer = await signIn(world.app, 'zuzhibu');
    const dash = await reviewer.get(`/counties/${s.county}/promotions`).expect(200);
    expect(dash.text).to.contain('公示中');
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
    expect(form.text).to.contain('请先选择拟晋升职级');
    // The picker: choosing the target lists the people of the township eligible for it now (from the engine).
    const listed = await officer
      .post('/rank-promotions/new')
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        formKey: 'x',
        targetGrade: 'principal_3',
        list: '1',
        reason: '留着',
      })
      .expect(200);
    expect(listed.text).to.match(new RegExp(`<option value="${personId}"[^>]*>晋升甲`));
    expect(listed.text).to.contain('留着');
    const higher = await officer.get('/rank-promotions/new?target=principal_1').expect(200);
    expect(higher.text).to.not.contain('晋升甲');
    expect(higher.text).to.contain('目前没有符合该职级晋升条件的人员');
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
    expect(check.text).to.contain('晋升甲');
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

  it('JSON: candidates per target and seat, the dashboard, and a rank promotion planned and stepped through the API', async () => {
    const t = await createOwnTownship(knex);
    const reviewerUser = await createUser(knex, {
      role: 'county_reviewer',
      regionId: t.countyId,
      prefix: 'zzb',
    });
    const [poolRow] = await knex('rank_quota_pools')
      .insert({
        county_id: t.countyId,
        code: 'principal_3_4',
        name_zh: '三级、四级主任科员',
        name_en: 'Grade-3/4 principal staff members',
        grade_codes: ['principal_3', 'principal_4'],
        approved: 3,
      })
      .returning('id');
    const years = {
      2020: 'competent',
      2021: 'competent',
      2022: 'competent',
      2023: 'competent',
      2024: 'competent',
      2025: 'competent',
    } as const;
    const personId = await createCareerPerson(knex, t, {
      name: '接口甲',
      grade: 'principal_4',
      since: '2020-03-01',
      assessments: years,
    });
    const officer = await signIn(world.app, t.officer.username, t.officer.password);
    const reviewer = await signIn(world.app, reviewerUser.username, reviewerUser.password);
    const officerToken = await csrfOf(officer, '/account');
    const reviewerToken = await csrfOf(reviewer, '/account');

    // Candidates for a target grade: the person is among those eligible now, with messages.
    const cands = await officer
      .get(`/api/v1/promotions/candidates?township=${t.townshipId}&target=principal_3&asOf=2026-11-01`)
      .expect(200);
    expect(cands.body.target.code).to.equal('principal_3');
    expect(cands.body.now.map((e: { person: { id: number } }) => e.person.id)).to.include(personId);
    await officer.get(`/api/v1/promotions/candidates?township=${t.townshipId}&target=nonsense`).expect(422);
    const noTownship = await officer.get('/api/v1/promotions/candidates?target=principal_3').expect(422);
    expect(noTownship.body.error.field).to.equal('township');
    const badDate = await officer
      .get(`/api/v1/promotions/candidates?township=${t.townshipId}&target=principal_3&asOf=2026-13-01`)
      .set('Accept-Language', 'en')
      .expect(422);
    expect(badDate.body.error.field).to.equal('asOf');
    await officer.get(`/api/v1/promotions/candidates?township=${s.township}&target=principal_3`).expect(404);
    // Vacancies and a seat's candidates.
    const vac = await officer.get(`/api/v1/promotions/vacancies?township=${t.townshipId}`).expect(200);
    expect(vac.body.township.id).to.equal(t.townshipId);
    for (const seat of vac.body.seats.slice(0, 1)) {
      const one = await officer
        .get(`/api/v1/promotions/candidates?township=${t.townshipId}&seat=${seat.key}`)
        .expect(200);
      expect(one.body.seat.key).to.equal(seat.key);
      expect(one.body).to.have.keys([
        'township',
        'asOf',
        'seat',
        'target',
        'countyWide',
        'leaders',
        'now',
        'within6',
        'within12',
        'blocked',
      ]);
    }
    await officer
      .get(`/api/v1/promotions/candidates?township=${t.townshipId}&seat=slot-nonexistent`)
      .expect(404);

    // Plan: validation (422 with the field), then 201; a retry with the same key answers like the first.
    const invalid = await officer
      .post('/api/v1/rank-promotions')
      .set('X-CSRF-Token', officerToken)
      .send({ personId: 'x', targetGrade: 'principal_3' })
      .expect(422);
    expect(invalid.body.error.field).to.equal('personId');
    expect(invalid.body.error.message).to.be.a('string').and.not.equal('');
    const key = crypto.randomUUID();
    const created = await officer
      .post('/api/v1/rank-promotions')
      .set('X-CSRF-Token', officerToken)
      .set('Idempotency-Key', key)
      .send({ personId, targetGrade: 'principal_3', reason: '任职满两年' })
      .expect(201);
    const id = created.body.id as number;
    expect(created.body).to.deep.equal({ id, state: 'planned', version: 1 });
    const replay = await officer
      .post('/api/v1/rank-promotions')
      .set('X-CSRF-Token', officerToken)
      .set('Idempotency-Key', key)
      .send({ personId, targetGrade: 'principal_3', reason: '任职满两年' })
      .expect(200);
    expect(replay.body.id).to.equal(id);
    const twice = await officer
      .post('/api/v1/rank-promotions')
      .set('X-CSRF-Token', officerToken)
      .set('Accept-Language', 'en')
      .send({ personId, targetGrade: 'principal_3' })
      .expect(409);
    expect(twice.body.error.code).to.equal('rank_promotion_open');
    expect(twice.body.error.field).to.equal('personId');

    const apiStep = (agent: Agent, token: string, body: Record<string, unknown>) =>
      agent.post(`/api/v1/rank-promotions/${id}/steps`).set('X-CSRF-Token', token).send(body);
    expect(
      (await apiStep(officer, officerToken, { action: 'recommend', method: 'recommendation', version: 1 }))
        .status,
    ).to.equal(200);
    // The officer may not review (403); a stale version is 409 with the field.
    expect((await apiStep(officer, officerToken, { action: 'review', version: 2 })).status).to.equal(403);
    const stale = await apiStep(reviewer, reviewerToken, { action: 'review', version: 1 });
    expect(stale.status).to.equal(409);
    expect(stale.body.error).to.include({ code: 'stale_version', field: 'version' });
    const reviewed = await apiStep(reviewer, reviewerToken, { action: 'review', version: 2 });
    expect(reviewed.body).to.deep.equal({ id, state: 'reviewed', version: 3 });
    const pub = await apiStep(reviewer, reviewerToken, {
      action: 'publicise',
      date: '2026-11-02',
      version: 3,
    });
    expect(pub.status).to.equal(200);
    const detail = await reviewer.get(`/api/v1/rank-promotions/${id}`).expect(200);
    expect(detail.body).to.include({ state: 'in_publicity', publicityEnd: '2026-11-06', version: 4 });
    expect(detail.body.nextActions).to.include('approve');
    expect(detail.body.pool).to.include({ approved: 3 });
    expect(detail.body.actions.map((a: { action: string }) => a.action)).to.deep.equal([
      'create',
      'recommend',
      'review',
      'publicise',
    ]);

    // Lists: state filter, township filter, pagination; the dashboard counts it.
    const list = await reviewer
      .get(`/api/v1/rank-promotions?state=in_publicity&county=${t.countyId}&pageSize=1`)
      .expect(200);
    expect(list.body).to.include({ page: 1, pageSize: 1, total: 1 });
    expect(list.body.items[0].id).to.equal(id);
    const none = await officer
      .get(`/api/v1/rank-promotions?state=effective&township=${t.townshipId}`)
      .expect(200);
    expect(none.body.total).to.equal(0);
    const dash = await reviewer.get(`/api/v1/counties/${t.countyId}/promotions`).expect(200);
    expect(dash.body.rankPromotions.byState.in_publicity).to.equal(1);
    expect(dash.body.pools[0]).to.include({ id: (poolRow as { id: number }).id, approved: 3, inProcess: 1 });
    expect(dash.body.townships.map((x: { id: number }) => x.id)).to.include(t.townshipId);

    // Approve and effect; one audit entry per write.
    expect((await apiStep(reviewer, reviewerToken, { action: 'approve', version: 4 })).status).to.equal(200);
    expect(
      (
        await apiStep(reviewer, reviewerToken, {
          action: 'effect',
          date: '2026-11-15',
          docNo: '测组〔2026〕12号',
          version: 5,
        })
      ).status,
    ).to.equal(200);
    expect(
      await countRows(knex, 'audit_log', { entity_type: 'rank_promotion', entity_id: String(id) }),
    ).to.equal(6);

    // Scopes: another county's reviewer, staff.
    const other = await signIn(world.app, 'zuzhibu2');
    await other.get(`/api/v1/rank-promotions/${id}`).expect(404);
    await other.get(`/api/v1/counties/${t.countyId}/promotions`).expect(404);
    expect(
      (await other.get('/api/v1/rank-promotions').expect(200)).body.items.map((p: { id: number }) => p.id),
    ).to.not.include(id);
    const staff = await signIn(world.app, 'staff');
    await staff.get('/api/v1/rank-promotions').expect(404);
    await staff.get(`/api/v1/promotions/vacancies?township=${s.township}`).expect(404);
  });

  it('the county records its rank quota as dated decisions with 文号 (form → check → confirm), corrections as new rows', async () => {
    const bianban = await signIn(world.app, 'bianban');
    const page = await bianban.get(`/counties/${s.county}/rank-quota`).expect(200);
    expect(page.text).to.contain('年度职级职数核定');
    const url = `/counties/${s.county}/rank-quota/new`;
    const form = await bianban.get(`${url}?group=principal_3_4`).expect(200);
    const base = {
      _csrf: csrfFrom(form.text),
      formKey: /name="formKey" value="([^"]+)"/.exec(form.text)?.[1] ?? '',
      group: 'principal_3_4',
      approvedCount: '40',
      effectiveFrom: '2026-11-01',
      docNo: '',
      changeSummary: '增加职数',
      correctsId: '',
    };
    // A missing 文号: the same form, the input kept, nothing written.
    const before = await countRows(knex, 'rank_quota_pool_decisions');
    const bad = await bianban.post(url).type('form').send(base).expect(400);
    expect(bad.text).to.contain('请输入文号');
    expect(bad.text).to.contain('value="40"');
    const check = await bianban
      .post(url)
      .type('form')
      .send({ ...base, docNo: '示编〔2026〕21号' })
      .expect(200);
    expect(check.text).to.contain('核对职级职数核定');
    const audits = await countRows(knex, 'audit_log', { entity_type: 'rank_quota_decision' });
    await bianban
      .post(url)
      .type('form')
      .send({ ...base, docNo: '示编〔2026〕21号', confirm: '1' })
      .expect(303);
    expect(await countRows(knex, 'rank_quota_pool_decisions')).to.equal(before + 1);
    expect(await countRows(knex, 'audit_log', { entity_type: 'rank_quota_decision' })).to.equal(audits + 1);
    const pool = await knex('rank_quota_pools').where({ county_id: s.county, code: 'principal_3_4' }).first();
    const usage = await world.services.promotions.ranks.poolUsageOn(s.county, 'principal_3_4', '2026-11-15');
    expect(usage?.approved).to.equal(40);
    // A correction cites the wrong decision; the wrong one no longer counts, and can't be corrected twice.
    const wrong = await knex('rank_quota_pool_decisions')
      .where({ pool_id: pool?.id, doc_no: '示编〔2026〕21号' })
      .first('id');
    const fix = await bianban.get(`${url}?corrects=${wrong?.id}`).expect(200);
    const fixFields = {
      _csrf: csrfFrom(fix.text),
      formKey: /name="formKey" value="([^"]+)"/.exec(fix.text)?.[1] ?? '',
      group: 'principal_3_4',
      approvedCount: '30',
      effectiveFrom: '2026-11-01',
      docNo: '示编〔2026〕22号',
      changeSummary: '更正',
      correctsId: String(wrong?.id),
      confirm: '1',
    };
    await bianban.post(url).type('form').send(fixFields).expect(303);
    expect(
      (await world.services.promotions.ranks.poolUsageOn(s.county, 'principal_3_4', '2026-11-15'))?.approved,
    ).to.equal(30);
    const again = await bianban.get(url).expect(200);
    const twice = await bianban
      .post(url)
      .type('form')
      .send({
        ...fixFields,
        _csrf: csrfFrom(again.text),
        formKey: /name="formKey" value="([^"]+)"/.exec(again.text)?.[1] ?? '',
      })
      .expect(409);
    expect(twice.text).to.contain('已被更正');
    // Who: the reviewer reads but may not record; township officers and other counties see nothing.
    const reviewer = await signIn(world.app, 'zuzhibu');
    await reviewer.get(`/counties/${s.county}/rank-quota`).expect(200);
    await reviewer.get(url).expect(403);
    const officer = await signIn(world.app, 'officer');
    await officer.get(`/counties/${s.county}/rank-quota`).expect(404);
    const other = await signIn(world.app, 'zuzhibu2');
    await other.get(`/counties/${s.county}/rank-quota`).expect(404);
  });

  it('set-based: the county dashboard costs the same handful of queries for one township as for the whole county', async () => {
    const scopeOfGrant = (role: 'admin' | 'township_officer', regionId: number | null) =>
      world.services.access.scopeFor({
        userId: 0,
        username: 'x',
        displayName: '',
        locale: 'zh-CN',
        via: 'session',
        grants: [{ role, regionId, personId: null }],
      });
    const { candidates, ranks } = world.services.promotions;
    const count = async (scope: Awaited<ReturnType<typeof scopeOfGrant>>) => {
      let queries = 0;
      const listener = () => {
        queries += 1;
      };
      knex.on('query', listener);
      try {
        const [overview] = await Promise.all([
          candidates.countyOverview(scope, s.county, '2026-11-15'),
          ranks.pools(scope, s.county),
          ranks.list(scope, { countyId: s.county, states: ['planned'] }),
        ]);
        return { queries, townships: overview.townships.length };
      } finally {
        knex.off('query', listener);
      }
    };
    // The township officer's view of the county (one township) against the administrator's (all five).
    const one = await count(await scopeOfGrant('township_officer', s.township));
    const all = await count(await scopeOfGrant('admin', null));
    expect(one.townships).to.equal(1);
    expect(all.townships).to.be.greaterThan(1);
    // Empty inputs skip a query or two (no vacant unit-head post → no unit look-ups); a per-township loop would
    // add four queries per township (sixteen more here).
    expect(all.queries - one.queries).to.be.within(-2, 2);
    expect(all.queries).to.be.at.most(36);
  });
});
