import { expect } from 'chai';
import supertest from 'supertest';
import { countRows, createPerson, createTestTownship, createUser, demoScopes } from '../support/factories.js';
import { type Agent, csrfFrom, csrfOf, signIn } from '../support/http.js';
import { backend, getWorld, TEST_TODAY, type TestWorld } from '../support/world.js';

/** Fills a form that has a check-your-answers step: the first POST shows the check page, the second confirms. */
async function submitWithCheck(agent: Agent, url: string, fields: Record<string, string | string[]>) {
  const form = await agent.get(url).expect(200);
  const formKey = /name="formKey" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
  const check = await agent
    .post(url)
    .type('form')
    .send({ _csrf: csrfFrom(form.text), formKey, ...fields });
  if (check.status !== 200 || !check.text.includes('name="confirm"')) return { check, final: check, formKey };
  const final = await agent
    .post(url)
    .type('form')
    .send({ _csrf: csrfFrom(check.text), formKey, ...fields, confirm: '1' });
  return { check, final, formKey };
}

describe('establishment pages: quota use, leadership posts, org chart, county overview', () => {
  let world: TestWorld;
  let s: Awaited<ReturnType<typeof demoScopes>>;
  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
    s = await demoScopes(world.db.knex);
  });

  const townshipPages = (id: number) => [
    `/townships/${id}/establishment`,
    `/townships/${id}/establishment?print=1`,
    `/townships/${id}/leadership`,
    `/townships/${id}/org-chart`,
    `/townships/${id}/quota-decisions`,
    `/townships/${id}/slot-decisions`,
    `/townships/${id}/unit-decisions`,
    `/api/v1/townships/${id}/quota`,
    `/api/v1/townships/${id}/leadership`,
    `/api/v1/townships/${id}/org-chart`,
    `/api/v1/townships/${id}/quota-decisions`,
    `/api/v1/townships/${id}/slot-decisions`,
    `/api/v1/townships/${id}/unit-decisions`,
  ];

  for (const [user, inScope, outOfScope] of [
    ['officer', 'township', 'township2'],
    ['zuzhibu', 'township2', 'township3'],
    ['bianban', 'township', 'township3'],
  ] as const) {
    it(`${user}: every page and API twin answers 200 in scope and 404 outside`, async () => {
      const agent = await signIn(world.app, user);
      for (const url of townshipPages(s[inScope])) expect((await agent.get(url)).status, url).to.equal(200);
      for (const url of townshipPages(s[outOfScope]))
        expect((await agent.get(url)).status, url).to.equal(404);
    });
  }

  it('the quota page shows per type numbers with status tags, per unit posts and names, a chart', async () => {
    const agent = await signIn(world.app, 'zuzhibu');
    const page = await agent.get(`/townships/${s.township}/establishment`).expect(200);
    expect(page.text).to.contain('编制使用情况');
    expect(page.text).to.match(/tag tag--(vacant|full|over)/);
    expect(page.text).to.contain('<svg');
    expect(page.text).to.contain('党政综合办公室');
    const json = await agent.get(`/api/v1/townships/${s.township}/quota`).expect(200);
    const t = json.body.total;
    expect(t.approved).to.equal(
      json.body.byType.reduce((n: number, x: { approved: number }) => n + x.approved, 0),
    );
    expect(t.vacant - t.over).to.equal(t.approved - t.occupied - t.reserved);
    expect(json.body.units.length).to.be.greaterThan(5);
  });

  it('the over-quota township is flagged 超编 on the county overview', async () => {
    const agent = await signIn(world.app, 'zuzhibu');
    const list = await agent.get(`/api/v1/townships?county=${s.county}`).expect(200);
    const over = list.body.items.filter((x: { quota: { status: string } }) => x.quota.status === 'over');
    expect(over.length).to.be.greaterThan(0);
    const page = await agent.get(`/counties/${s.county}?sort=over&dir=desc`).expect(200);
    expect(page.text).to.contain('tag tag--over');
    expect(page.text.indexOf(over[0].name)).to.be.lessThan(page.text.indexOf('</tbody>'));
  });

  it('asOf shows the past; a bad date is explained on the page and refused by the API', async () => {
    const agent = await signIn(world.app, 'officer');
    const past = await agent.get(`/api/v1/townships/${s.township}/quota?asOf=2017-01-01`).expect(200);
    expect(past.body.asOf).to.equal('2017-01-01');
    const bad = await agent.get(`/townships/${s.township}/establishment?asOf=2023-02-30`).expect(200);
    expect(bad.text).to.contain('请输入有效的日期');
    expect(bad.text).to.contain('value="2023-02-30"');
    await agent.get(`/api/v1/townships/${s.township}/quota?asOf=2023-02-30`).expect(422);
  });

  it('leadership page: counted total, not counted, concurrent and temporary posts apart', async () => {
    const agent = await signIn(world.app, 'officer');
    const res = await agent.get(`/api/v1/townships/${s.township}/leadership`).expect(200);
    expect(res.body.total).to.equal(9);
    expect(res.body.notCounted.map((r: { kind: string }) => r.kind)).to.include('armed_forces_head');
    expect(res.body.concurrent.map((r: { kind: string }) => r.kind)).to.include('political_legal_member');
    const temporary = res.body.temporary.find((r: { kind: string }) => r.kind === 'poverty_office_deputy');
    expect(temporary.approved).to.equal(0);
    const page = await agent.get(`/townships/${s.township}/leadership`).expect(200);
    expect(page.text).to.contain('已核销');
  });

  it('exports tables to Excel with Chinese headers', async () => {
    const agent = await signIn(world.app, 'officer');
    for (const url of [
      `/townships/${s.township}/establishment.xlsx`,
      `/townships/${s.township}/leadership.xlsx`,
      `/counties/${s.county}/overview.xlsx`,
      `/townships/${s.township}/quota-decisions?format=xlsx`,
      `/townships/${s.township}/slot-decisions?format=xlsx`,
      `/townships/${s.township}/unit-decisions?format=xlsx`,
    ]) {
      const res = await agent
        .get(url)
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      expect(res.status, url).to.equal(200);
      expect(res.headers['content-type']).to.contain('spreadsheetml');
      expect(res.headers['content-disposition']).to.contain("filename*=UTF-8''");
      const { default: ExcelJS } = await import('exceljs');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body as unknown as ArrayBuffer);
      const ws = wb.worksheets[0];
      expect(ws?.views[0]?.state).to.equal('frozen');
      expect(String(ws?.getRow(2).getCell(1).value)).to.match(/[\u4e00-\u9fa5]/);
    }
  });
});

describe('establishment office decisions', () => {
  let world: TestWorld;
  let s: Awaited<ReturnType<typeof demoScopes>>;
  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
    s = await demoScopes(world.db.knex);
  });

  it('records a quota decision through form → check → confirm, once, audited; lowering shows 超编', async () => {
    const t = await createTestTownship(world.db.knex, {
      countyId: s.county,
      approved: { administrative: 2 },
    });
    const agent = await signIn(world.app, 'bianban');
    const person = await createPerson(world.db.knex);
    await world.db.knex.transaction(async (trx) => {
      await trx('quota_slots').insert({
        person_id: person,
        account_id: t.accounts.administrative,
        valid_from: '2021-01-01',
      });
    });
    const audit = await countRows(world.db.knex, 'audit_log');
    const url = `/counties/${s.county}/quota-decisions/new`;
    const fields = {
      holderId: String(t.holderId),
      establishmentType: 'administrative',
      approvedCount: '0',
      effectiveFrom: TEST_TODAY,
      docNo: '测编发〔2026〕9号',
      changeSummary: '核减行政编制2名',
      correctsId: '',
    };
    const { check, final, formKey } = await submitWithCheck(agent, url, fields);
    expect(check.text).to.contain('核对核定编制决定');
    expect(check.text).to.contain('生效后将超编 1 名');
    expect(final.status).to.equal(303);
    const again = await agent
      .post(url)
      .type('form')
      .send({ _csrf: csrfFrom(check.text), formKey, ...fields, confirm: '1' });
    expect(again.status).to.equal(303);
    expect(
      await countRows(world.db.knex, 'quota_decisions', { account_id: t.accounts.administrative }),
    ).to.equal(2);
    expect(await countRows(world.db.knex, 'audit_log')).to.equal(audit + 1);
    const quota = await agent.get(`/api/v1/townships/${t.townshipId}/quota`).expect(200);
    expect(quota.body.byType[0]).to.include({ approved: 0, occupied: 1, over: 1, status: 'over' });
  });

  it('explains bad input on the same form and keeps it, writing nothing', async () => {
    const agent = await signIn(world.app, 'bianban');
    const before = await countRows(world.db.knex, 'quota_decisions');
    const form = await agent.get(`/counties/${s.county}/quota-decisions/new`).expect(200);
    const res = await agent
      .post(`/counties/${s.county}/quota-decisions/new`)
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        formKey: 'not-a-uuid',
        holderId: '',
        establishmentType: 'bogus',
        approvedCount: 'abc',
        effectiveFrom: '2023-02-30',
        docNo: '',
      })
      .expect(400);
    for (const msg of [
      '请选择编制所在单位',
      '请选择编制类型',
      '请输入整数',
      '请输入有效的日期',
      '请输入文号',
    ])
      expect(res.text).to.contain(msg);
    expect(res.text).to.contain('value="abc"');
    expect(await countRows(world.db.knex, 'quota_decisions')).to.equal(before);
  });

  it('a correction cites the wrong decision and replaces it entirely', async () => {
    const t = await createTestTownship(world.db.knex, {
      countyId: s.county,
      approved: { administrative: 5 },
    });
    const wrong = await world.db
      .knex('quota_decisions')
      .where({ account_id: t.accounts.administrative })
      .first('id');
    const agent = await signIn(world.app, 'bianban');
    const form = await agent
      .get(`/counties/${s.county}/quota-decisions/new?corrects=${wrong?.id}`)
      .expect(200);
    expect(form.text).to.contain('更正');
    const { final } = await submitWithCheck(
      agent,
      `/counties/${s.county}/quota-decisions/new?corrects=${wrong?.id}`,
      {
        holderId: String(t.holderId),
        establishmentType: 'administrative',
        approvedCount: '4',
        effectiveFrom: '2020-01-01',
        docNo: '测编发〔2026〕10号',
        changeSummary: '更正',
        correctsId: String(wrong?.id),
      },
    );
    expect(final.status).to.equal(303);
    const quota = await agent.get(`/api/v1/townships/${t.townshipId}/quota?asOf=2021-01-01`).expect(200);
    expect(quota.body.byType[0].approved).to.equal(4);
    const history = await agent.get(`/townships/${t.townshipId}/quota-decisions`).expect(200);
    expect(history.text).to.contain('已更正');
  });

  it('only the establishment office decides: reviewers and officers get 403, other counties 404', async () => {
    const reviewer = await signIn(world.app, 'zuzhibu');
    await reviewer.get(`/counties/${s.county}/quota-decisions/new`).expect(403);
    await reviewer.get(`/townships/${s.township}/slot-decisions/new`).expect(403);
    const res = await reviewer
      .post('/api/v1/quota-decisions')
      .set('X-CSRF-Token', await csrfOf(reviewer, '/account'))
      .send({
        holderId: 1,
        establishmentType: 'administrative',
        approvedCount: 1,
        effectiveFrom: TEST_TODAY,
        docNo: 'x',
      });
    expect(res.status).to.be.oneOf([403, 404]);
    const other = await signIn(world.app, 'bianban');
    await other.get(`/townships/${s.township3}/slot-decisions/new`).expect(404);
  });

  it('leadership slot decisions: temporary needs a write-off date; recorded slots show on the page', async () => {
    const t = await createTestTownship(world.db.knex, { countyId: s.county });
    const agent = await signIn(world.app, 'bianban');
    const url = `/townships/${t.townshipId}/slot-decisions/new`;
    const bad = await submitWithCheck(agent, url, {
      kind: 'poverty_office_deputy',
      slotCount: '1',
      rank: 'deputy_section',
      counted: '1',
      temporary: '1',
      writeOffOn: '',
      effectiveFrom: '2024-01-01',
      docNo: '测组发〔2024〕1号',
    });
    expect(bad.check.status).to.equal(400);
    expect(bad.check.text).to.contain('临时职数请输入核销日期');
    const ok = await submitWithCheck(agent, url, {
      kind: 'poverty_office_deputy',
      slotCount: '1',
      rank: 'deputy_section',
      counted: '1',
      temporary: '1',
      writeOffOn: '2025-06-30',
      effectiveFrom: '2024-01-01',
      docNo: '测组发〔2024〕1号',
    });
    expect(ok.final.status).to.equal(303);
    const during = await agent
      .get(`/api/v1/townships/${t.townshipId}/leadership?asOf=2024-06-01`)
      .expect(200);
    expect(during.body.temporary[0]).to.include({ approved: 1 });
    const after = await agent.get(`/api/v1/townships/${t.townshipId}/leadership`).expect(200);
    expect(after.body.temporary[0]).to.include({ approved: 0, pastWriteOff: true });
  });

  it('units: establish within the limits, rename from a date, refuse abolishing a unit with people', async () => {
    const t = await createTestTownship(world.db.knex, { countyId: s.county });
    const agent = await signIn(world.app, 'bianban');
    const established = await agent
      .post(`/api/v1/townships/${t.townshipId}/units`)
      .set('X-CSRF-Token', await csrfOf(agent, '/account'))
      .send({
        kind: 'station',
        name: '文旅发展中心',
        rank: 'stock',
        featured: true,
        effectiveOn: '2024-01-01',
        docNo: '测编发〔2024〕3号',
      })
      .expect(201);
    const unitId = established.body.unitId;
    await agent
      .post(`/api/v1/townships/${t.townshipId}/units`)
      .set('X-CSRF-Token', await csrfOf(agent, '/account'))
      .send({
        kind: 'station',
        name: '文旅发展中心',
        rank: 'stock',
        effectiveOn: '2024-02-01',
        docNo: '测编发〔2024〕4号',
      })
      .expect(422);
    const renamed = await agent
      .post(`/api/v1/units/${unitId}/changes`)
      .set('X-CSRF-Token', await csrfOf(agent, '/account'))
      .send({
        change: 'rename',
        name: '文化旅游服务中心',
        effectiveOn: '2025-01-01',
        docNo: '测编发〔2025〕1号',
      })
      .expect(201);
    expect(renamed.body.decisionId).to.be.a('number');
    const before = await agent.get(`/api/v1/townships/${t.townshipId}/org-chart?asOf=2024-06-01`).expect(200);
    const after = await agent.get(`/api/v1/townships/${t.townshipId}/org-chart`).expect(200);
    const nameIn = (body: { units: Array<{ unit: { id: number; name: string } }> }) =>
      body.units.find((u) => u.unit.id === unitId)?.unit.name;
    expect(nameIn(before.body)).to.equal('文旅发展中心');
    expect(nameIn(after.body)).to.equal('文化旅游服务中心');
    const history = await agent.get(`/townships/${t.townshipId}/unit-decisions`).expect(200);
    expect(history.text).to.contain('测编发〔2025〕1号');

    const person = await createPerson(world.db.knex);
    await world.db.knex.transaction(async (trx) => {
      await trx('assignments').insert({
        person_id: person,
        post_id: t.posts.office[0],
        kind: 'primary',
        valid_from: '2021-01-01',
      });
    });
    const refused = await agent
      .post(`/api/v1/units/${t.officeId}/abolition`)
      .set('X-CSRF-Token', await csrfOf(agent, '/account'))
      .send({ effectiveOn: TEST_TODAY, docNo: '测编发〔2026〕5号' })
      .expect(409);
    expect(refused.body.error.code).to.equal('unit_has_people');
  });

  it('merge: posts and their holders move to the target unit under one 文号, the source is abolished', async () => {
    const t = await createTestTownship(world.db.knex, { countyId: s.county, postsPerUnit: 2 });
    const person = await createPerson(world.db.knex);
    await world.db.knex.transaction(async (trx) => {
      await trx('assignments').insert({
        person_id: person,
        post_id: t.posts.station[0],
        kind: 'primary',
        valid_from: '2021-01-01',
      });
    });
    const agent = await signIn(world.app, 'bianban');
    const res = await agent
      .post(`/api/v1/townships/${t.townshipId}/reorganisations`)
      .set('X-CSRF-Token', await csrfOf(agent, '/account'))
      .send({
        kind: 'merge',
        moves: t.posts.station.map((postId) => ({ postId, toUnitId: t.officeId })),
        abolishUnitIds: [t.stationId],
        effectiveOn: '2026-01-01',
        docNo: '测编发〔2026〕6号',
      })
      .expect(201);
    expect(res.body.moved).to.equal(2);
    const now = await world.db
      .knex('assignments as a')
      .join('posts as p', 'p.id', 'a.post_id')
      .where('a.person_id', person)
      .orderBy('a.valid_from');
    expect(now.map((a: { unit_id: number }) => a.unit_id)).to.deep.equal([t.stationId, t.officeId]);
    expect(now[1].cross_type).to.equal(true);
    const unit = await world.db.knex('units').where({ id: t.stationId }).first();
    expect(unit?.abolished_on).to.equal('2026-01-01');
  });
});

describe('posts and placements by the township officer', () => {
  let world: TestWorld;
  let s: Awaited<ReturnType<typeof demoScopes>>;
  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
    s = await demoScopes(world.db.knex);
  });

  async function officerOf(townshipId: number) {
    const user = await createUser(world.db.knex, { role: 'township_officer', regionId: townshipId });
    return signIn(world.app, user.username, user.password);
  }

  it('creates, edits and closes a post; types must suit the unit', async () => {
    const t = await createTestTownship(world.db.knex, { countyId: s.county });
    const agent = await officerOf(t.townshipId);
    const mixed = await submitWithCheck(agent, `/townships/${t.townshipId}/posts/new`, {
      unitId: String(t.officeId),
      name: '统计员',
      category: 'civil_service',
      establishmentTypes: 'institutional',
      openedOn: '2026-01-01',
    });
    expect(mixed.final.status).to.equal(400);
    expect(mixed.final.text).to.contain('不得混编混岗');
    const ok = await submitWithCheck(agent, `/townships/${t.townshipId}/posts/new`, {
      unitId: String(t.officeId),
      name: '统计员',
      category: 'civil_service',
      establishmentTypes: ['administrative', 'civil_service_institutional'],
      openedOn: '2026-01-01',
    });
    expect(ok.final.status).to.equal(303);
    const postId = Number(/\/posts\/(\d+)/.exec(String(ok.final.headers.location))?.[1]);
    const edit = await agent.get(`/posts/${postId}/edit`).expect(200);
    await agent
      .post(`/posts/${postId}/edit`)
      .type('form')
      .send({
        _csrf: csrfFrom(edit.text),
        name: '统计专干',
        category: 'civil_service',
        establishmentTypes: 'administrative',
      })
      .expect(303);
    const close = await agent.get(`/posts/${postId}/close`).expect(200);
    await agent
      .post(`/posts/${postId}/close`)
      .type('form')
      .send({ _csrf: csrfFrom(close.text), closedOn: '2026-12-31' })
      .expect(303);
    const post = await world.db.knex('posts').where({ id: postId }).first();
    expect(post).to.include({ name: '统计专干', closed_on: '2026-12-31' });
    const reviewer = await signIn(world.app, 'zuzhibu');
    await reviewer.get(`/posts/${postId}/edit`).expect(403);
  });

  it('places a person with a new quota slot until the quota is full, then names the numbers', async () => {
    const t = await createTestTownship(world.db.knex, {
      countyId: s.county,
      approved: { administrative: 1 },
    });
    const agent = await officerOf(t.townshipId);
    const first = await createPerson(world.db.knex);
    const second = await createPerson(world.db.knex);
    const place = (person: number, post: number) =>
      agent.post(`/api/v1/posts/${post}/placements`).set('X-CSRF-Token', '').send({
        personId: person,
        validFrom: TEST_TODAY,
        docNo: '测组干〔2026〕1号',
        reason: '更正记录',
        establishmentType: 'administrative',
      });
    const token = await csrfOf(agent, '/account');
    const ok = await agent
      .post(`/api/v1/posts/${t.posts.office[0]}/placements`)
      .set('X-CSRF-Token', token)
      .send({
        personId: first,
        validFrom: TEST_TODAY,
        docNo: '测组干〔2026〕1号',
        reason: '更正记录',
        establishmentType: 'administrative',
      })
      .expect(201);
    expect(ok.body.assignmentId).to.be.a('number');
    await place(second, t.posts.office[1] as number).expect(403);
    const full = await agent
      .post(`/api/v1/posts/${t.posts.office[1]}/placements`)
      .set('X-CSRF-Token', token)
      .send({
        personId: second,
        validFrom: TEST_TODAY,
        docNo: '测组干〔2026〕2号',
        reason: '更正记录',
        establishmentType: 'administrative',
      })
      .expect(409);
    expect(full.body.error.message).to.contain('核定1名，实有1名，在途0名，无空编');
    const wrongType = await agent
      .post(`/api/v1/posts/${t.posts.station[0]}/placements`)
      .set('X-CSRF-Token', token)
      .send({ personId: first, validFrom: '2026-12-01', docNo: '测组干〔2026〕3号', reason: '调整' })
      .expect(422);
    expect(wrongType.body.error.code).to.equal('person_type_mismatch');
  });

  it('a leadership seat refuses once its approved count is filled (L1)', async () => {
    const t = await createTestTownship(world.db.knex, {
      countyId: s.county,
      approved: { administrative: 5 },
      deputyMayorSlots: 1,
    });
    const agent = await officerOf(t.townshipId);
    const token = await csrfOf(agent, '/account');
    const [a, b] = [await createPerson(world.db.knex), await createPerson(world.db.knex)];
    const place = (person: number, post: number) =>
      agent.post(`/api/v1/posts/${post}/placements`).set('X-CSRF-Token', token).send({
        personId: person,
        validFrom: TEST_TODAY,
        docNo: '测组干〔2026〕7号',
        reason: '任职',
        establishmentType: 'administrative',
      });
    await place(a, t.posts.deputyMayor[0] as number).expect(201);
    const refused = await place(b, t.posts.deputyMayor[1] as number).expect(409);
    expect(refused.body.error.code).to.equal('slot_full');
  });

  it('the form shows the quota refusal on the same page with the input kept', async () => {
    const t = await createTestTownship(world.db.knex, {
      countyId: s.county,
      approved: { administrative: 0 },
    });
    const agent = await officerOf(t.townshipId);
    const person = await createPerson(world.db.knex);
    const { final } = await submitWithCheck(agent, `/posts/${t.posts.office[0]}/place`, {
      personId: String(person),
      validFrom: TEST_TODAY,
      docNo: '测组干〔2026〕8号',
      reason: '更正记录',
      establishmentType: 'administrative',
    });
    expect(final.status).to.equal(409);
    expect(final.text).to.contain('无空编');
    expect(final.text).to.contain('测组干〔2026〕8号');
  });
});

describe('races on the quota (PostgreSQL)', () => {
  let world: TestWorld;
  before(async function () {
    if (backend !== 'pg') this.skip();
    this.timeout(180_000);
    world = await getWorld();
  });

  it('30 concurrent placements into a holder with 3 vacancies: exactly 3 succeed, none 5xx, no holder over quota', async function () {
    this.timeout(120_000);
    const s = await demoScopes(world.db.knex);
    for (let round = 0; round < 3; round++) {
      const t = await createTestTownship(world.db.knex, {
        countyId: s.county,
        approved: { administrative: 3 },
        postsPerUnit: 30,
      });
      const user = await createUser(world.db.knex, { role: 'township_officer', regionId: t.townshipId });
      const people = await Promise.all(Array.from({ length: 30 }, () => createPerson(world.db.knex)));
      const ctx = {
        principal: {
          userId: user.id,
          username: user.username,
          displayName: 'x',
          locale: 'zh-CN' as const,
          via: 'session' as const,
          grants: [{ role: 'township_officer' as const, regionId: t.townshipId, personId: null }],
        },
        scope: await world.services.access.scopeFor({
          userId: user.id,
          username: user.username,
          displayName: 'x',
          locale: 'zh-CN',
          via: 'session',
          grants: [{ role: 'township_officer', regionId: t.townshipId, personId: null }],
        }),
        actor: { userId: user.id, username: user.username, requestId: `race-${round}` },
      };
      const results = await Promise.all(
        people.map((personId, i) =>
          world.services.establishment.posts.place(ctx, {
            postId: t.posts.office[i] as number,
            personId,
            validFrom: TEST_TODAY,
            docNo: '并发测试',
            reason: 'race',
            establishmentType: 'administrative',
            formKey: crypto.randomUUID(),
          }),
        ),
      );
      const ok = results.filter((r) => r.ok).length;
      expect(ok, `round ${round}`).to.equal(3);
      expect(
        results.filter((r) => !r.ok && r.code !== 'quota_full').map((r) => (r.ok ? '' : r.code)),
      ).to.deep.equal([]);
      const over = await world.db.knex.raw(
        `SELECT qa.id FROM quota_accounts qa
          JOIN LATERAL (SELECT approved_count FROM quota_decisions d WHERE d.account_id = qa.id AND d.effective_from <= ?
            AND NOT EXISTS (SELECT 1 FROM quota_decisions c WHERE c.corrects_id = d.id) ORDER BY effective_from DESC, id DESC LIMIT 1) ap ON true
          WHERE qa.id = ? AND (SELECT count(*) FROM quota_slots s WHERE s.account_id = qa.id AND s.superseded_at IS NULL
            AND s.valid_from <= ? AND (s.valid_to IS NULL OR s.valid_to > ?)) > ap.approved_count`,
        [TEST_TODAY, t.accounts.administrative as number, TEST_TODAY, TEST_TODAY],
      );
      expect(over.rows).to.deep.equal([]);
    }
  });

  it('two appointments racing for the last deputy-mayor seat: one wins', async function () {
    this.timeout(60_000);
    const s = await demoScopes(world.db.knex);
    const t = await createTestTownship(world.db.knex, {
      countyId: s.county,
      approved: { administrative: 5 },
      deputyMayorSlots: 1,
    });
    const user = await createUser(world.db.knex, { role: 'township_officer', regionId: t.townshipId });
    const principal = {
      userId: user.id,
      username: user.username,
      displayName: 'x',
      locale: 'zh-CN' as const,
      via: 'session' as const,
      grants: [{ role: 'township_officer' as const, regionId: t.townshipId, personId: null }],
    };
    const ctx = {
      principal,
      scope: await world.services.access.scopeFor(principal),
      actor: { userId: user.id, username: user.username, requestId: 'race-slot' },
    };
    const [a, b] = [await createPerson(world.db.knex), await createPerson(world.db.knex)];
    const results = await Promise.all(
      [a, b].map((personId, i) =>
        world.services.establishment.posts.place(ctx, {
          postId: t.posts.deputyMayor[i] as number,
          personId,
          validFrom: TEST_TODAY,
          docNo: '并发测试',
          reason: 'race',
          establishmentType: 'administrative',
          formKey: crypto.randomUUID(),
        }),
      ),
    );
    expect(results.filter((r) => r.ok)).to.have.length(1);
    expect(results.find((r) => !r.ok)).to.include({ code: 'slot_full' });
  });
});

describe('anonymous access to establishment pages', () => {
  it('sends visitors to sign in and the API answers 401', async function () {
    this.timeout(180_000);
    const world = await getWorld();
    await supertest(world.app).get('/townships/1/establishment').expect(303);
    await supertest(world.app).get('/api/v1/townships/1/quota').expect(401);
  });
});

describe('a refused form can be fixed and submitted again (the form key is not spent)', () => {
  it('a placement refused for quota, then allowed after a quota decision, with the same form key', async function () {
    this.timeout(60_000);
    const world = await getWorld();
    const s = await demoScopes(world.db.knex);
    const t = await createTestTownship(world.db.knex, {
      countyId: s.county,
      approved: { administrative: 0 },
    });
    const user = await createUser(world.db.knex, { role: 'township_officer', regionId: t.townshipId });
    const principal = {
      userId: user.id,
      username: user.username,
      displayName: 'x',
      locale: 'zh-CN' as const,
      via: 'session' as const,
      grants: [{ role: 'township_officer' as const, regionId: t.townshipId, personId: null }],
    };
    const ctx = {
      principal,
      scope: await world.services.access.scopeFor(principal),
      actor: { userId: user.id, username: user.username, requestId: 'retry' },
    };
    const person = await createPerson(world.db.knex);
    const formKey = crypto.randomUUID();
    const input = {
      postId: t.posts.office[0] as number,
      personId: person,
      validFrom: TEST_TODAY,
      docNo: '测',
      reason: '更正',
      establishmentType: 'administrative' as const,
      formKey,
    };
    const first = await world.services.establishment.posts.place(ctx, input);
    expect(first).to.deep.include({ ok: false, code: 'quota_full' });
    await world.db.knex.transaction(async (trx) => {
      await trx('quota_decisions').insert({
        account_id: t.accounts.administrative,
        approved_count: 1,
        effective_from: '2021-01-01',
        doc_no: '测编〔2021〕1号',
      });
    });
    const again = await world.services.establishment.posts.place(ctx, input);
    expect(again).to.deep.include({ ok: true });
    expect(again.ok && again.replayed).to.not.equal(true);
    expect(await countRows(world.db.knex, 'assignments', { person_id: person })).to.equal(1);
  });
});
