import { expect } from 'chai';
import type { Knex } from 'knex';
import type { Principal } from '../../src/auth/principal.js';
import type { RequestContext } from '../../src/services/access.js';
import { createOwnTownship, createPerson, createTestTownship, createUser } from '../support/factories.js';
import { type Agent, csrfFrom, csrfOf, signIn } from '../support/http.js';
import { rowOf, signInAs } from '../support/people.js';
import { getWorld, TEST_TODAY, type TestWorld } from '../support/world.js';

const formKeyOf = (html: string) => /name="formKey" value="([^"]+)"/.exec(html)?.[1] ?? '';

describe('county settings: the administrator sets each county’s local values', () => {
  let world: TestWorld;
  let knex: Knex;
  let admin: Agent;
  let own: Awaited<ReturnType<typeof createOwnTownship>>;

  const auditCount = async () =>
    Number(
      (
        await knex('audit_log').where({ action: 'county_settings.updated' }).count<{ n: number }[]>('* as n')
      )[0]?.n,
    );

  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
    knex = world.db.knex;
    own = await createOwnTownship(knex);
    admin = await signIn(world.app, 'admin');
  });

  /** Fills the form, checks the answers, confirms; returns the final response. */
  async function save(agent: Agent, countyId: number, fields: Record<string, string | string[]>) {
    const form = await agent.get(`/admin/counties/${countyId}/settings`).expect(200);
    const body = { _csrf: csrfFrom(form.text), formKey: formKeyOf(form.text), ...fields };
    const check = await agent.post(`/admin/counties/${countyId}/settings`).type('form').send(body);
    if (check.status !== 200) return check;
    return agent
      .post(`/admin/counties/${countyId}/settings`)
      .type('form')
      .send({ ...body, confirm: '1' });
  }

  const valid = {
    unitLimit: '9',
    featuredUnitLimit: '1',
    unitDeputyThresholds: '5、10',
    filingOnlyKinds: ['exit'],
    quotaApprovalMonths: '3',
    secondmentMaxMonths: '6',
    source: '测编〔2026〕12号',
  };

  it('lists every county with its own values or the defaults; the form shows the current ones', async () => {
    const page = await admin.get('/admin/counties').expect(200);
    expect(page.text).to.contain('县级参数设置');
    expect(page.text).to.contain('测试县'); // the test county is listed
    expect(page.text).to.contain('默认值');
    const form = await admin.get(`/admin/counties/${own.countyId}/settings`).expect(200);
    expect(form.text).to.match(/id="unitLimit"[^>]*value="11"/);
    expect(form.text).to.match(/value="internal" checked/);
    expect(form.text).to.not.match(/value="cross_township"/); // never filing-only
    await admin.get('/admin/counties/999999/settings').expect(404);
  });

  it('saves through a check page with before → after, one audit entry; the values rule new movements', async () => {
    const before = await auditCount();
    const form = await admin.get(`/admin/counties/${own.countyId}/settings`).expect(200);
    const body = { _csrf: csrfFrom(form.text), formKey: formKeyOf(form.text), ...valid };
    const check = await admin
      .post(`/admin/counties/${own.countyId}/settings`)
      .type('form')
      .send(body)
      .expect(200);
    expect(check.text).to.contain('11 → 9');
    expect(check.text).to.contain('镇内调配、出编 → 出编');
    const done = await admin
      .post(`/admin/counties/${own.countyId}/settings`)
      .type('form')
      .send({ ...body, confirm: '1' })
      .expect(303);
    expect(done.headers.location).to.equal('/admin/counties');
    // A double submit of the same form is recognised: still one write.
    await admin
      .post(`/admin/counties/${own.countyId}/settings`)
      .type('form')
      .send({ ...body, confirm: '1' })
      .expect(303);
    expect(await auditCount()).to.equal(before + 1);
    const row = await knex('county_settings').where({ county_id: own.countyId }).first();
    if (!row) throw new Error('no settings saved');
    expect(row).to.deep.include({
      unit_limit: 9,
      featured_unit_limit: 1,
      quota_approval_months: 3,
      secondment_max_months: 6,
    });
    expect(row.unit_deputy_thresholds).to.deep.equal([5, 10]);
    expect(row.filing_only_kinds).to.deep.equal(['exit']);
    const audit = await rowOf(knex, 'audit_log', {
      action: 'county_settings.updated',
      entity_id: String(own.countyId),
    });
    const after = typeof audit.after === 'string' ? JSON.parse(audit.after) : audit.after;
    expect(after.source).to.equal('测编〔2026〕12号');
    const list = await admin.get('/admin/counties').expect(200);
    expect(list.text).to.contain('已保存');

    // An internal move now needs the county's approval; a 7-month secondment is too long.
    const t = await createTestTownship(knex, { countyId: own.countyId });
    const person = await createPerson(knex);
    await knex('assignments').insert({
      person_id: person,
      post_id: t.posts.office[0] as number,
      kind: 'primary',
      valid_from: '2020-06-01',
    });
    await knex('quota_slots').insert({
      person_id: person,
      account_id: t.accounts.administrative as number,
      valid_from: '2020-06-01',
    });
    const user = await createUser(knex, { role: 'township_officer', regionId: t.townshipId });
    const principal: Principal = {
      userId: user.id,
      username: user.username,
      displayName: user.username,
      locale: 'zh-CN',
      via: 'session',
      grants: [{ role: 'township_officer', regionId: t.townshipId, personId: null }],
    };
    const ctx: RequestContext = {
      principal,
      scope: await world.services.access.scopeFor(principal),
      actor: { userId: user.id, username: user.username, requestId: 'test' },
    };
    const common = {
      subKind: null,
      personId: person,
      toEstablishmentType: null,
      effectiveOn: TEST_TODAY,
      reason: '工作需要',
      docNo: '测组干〔2026〕9号',
      correctsId: null,
    };
    const moved = await world.services.movements.create(ctx, {
      ...common,
      kind: 'internal',
      toPostId: t.posts.office[1] as number,
      plannedUntil: null,
      formKey: crypto.randomUUID(),
    });
    expect(moved.ok && moved.value.state).to.equal('submitted');
    const id = moved.ok ? moved.value.id : 0;
    const { version } = await knex('movement_requests').where({ id }).first('version');
    const withdrawn = await world.services.movements.decide(ctx, id, {
      action: 'withdraw',
      comment: '',
      docNo: null,
      version,
    });
    expect(withdrawn?.ok).to.equal(true);
    const seconded = await world.services.movements.create(ctx, {
      ...common,
      kind: 'secondment',
      toPostId: t.posts.station[0] as number,
      plannedUntil: '2027-07-01',
      formKey: crypto.randomUUID(),
    });
    expect(seconded).to.deep.include({ ok: false, code: 'secondment_too_long' });
  });

  it('refuses bad values beside their fields, keeps what was typed, writes nothing; English too', async () => {
    const before = await auditCount();
    const res = await save(admin, own.countyId, {
      unitLimit: '0',
      featuredUnitLimit: 'x',
      unitDeputyThresholds: '8, 4',
      filingOnlyKinds: ['entry'],
      quotaApprovalMonths: '40',
      secondmentMaxMonths: '',
      source: '',
    });
    expect(res.status).to.equal(400);
    for (const text of [
      '机构限额须为 1 至 50 之间的整数',
      '特色机构数上限须为 0 至 5 之间的整数',
      '请输入最多 3 个从小到大的人数',
      '只能选择镇内调配、借调、出编或跨编制使用',
      '用编核准有效期须为 1 至 36 之间的整月数',
      '借调最长期限须为 1 至 60 之间的整月数',
      '请输入依据',
    ])
      expect(res.text).to.contain(text);
    expect(res.text).to.contain('value="8, 4"');
    expect(res.text).to.contain('href="#filingOnlyKinds"');
    expect(await auditCount()).to.equal(before);

    const english = await signIn(world.app, 'admin');
    await english
      .post('/locale')
      .type('form')
      .send({ _csrf: await csrfOf(english, '/account'), locale: 'en', returnTo: '/' })
      .expect(303);
    const en = await save(english, own.countyId, { ...valid, unitLimit: '51' });
    expect(en.status).to.equal(400);
    expect(en.text).to.contain('Enter a unit limit between 1 and 50');
    expect((await english.get('/admin/counties').expect(200)).text).to.contain('County settings');
    await english
      .post('/locale')
      .type('form')
      .send({ _csrf: await csrfOf(english, '/account'), locale: 'zh-CN', returnTo: '/' })
      .expect(303);
  });

  it('the database refuses a filing-only entry even if the form were bypassed', async () => {
    let error: unknown;
    try {
      await knex('county_settings')
        .insert({ county_id: own.countyId, filing_only_kinds: ['entry'] })
        .onConflict('county_id')
        .merge();
    } catch (err) {
      error = err;
    }
    expect((error as { constraint?: string })?.constraint).to.equal(
      'county_settings_filing_only_kinds_check',
    );
  });

  it('nobody but the administrator sees the settings (404)', async () => {
    const officer = await signInAs(world, own.officer);
    await officer.get('/admin/counties').expect(404);
    await officer.get(`/admin/counties/${own.countyId}/settings`).expect(404);
    for (const who of ['zuzhibu', 'bianban', 'staff']) {
      const agent = await signIn(world.app, who);
      await agent.get('/admin/counties').expect(404);
      await agent
        .post(`/admin/counties/${own.countyId}/settings`)
        .type('form')
        .send({ _csrf: await csrfOf(agent, '/account'), ...valid, confirm: '1' })
        .expect(404);
    }
  });
});

describe('county settings and rules: the JSON twins (administrator only)', () => {
  it('reads and writes settings, refuses bad values with fields, and answers 404 to others', async () => {
    const world = await getWorld();
    const knex = world.db.knex;
    const own = await createOwnTownship(knex);
    const admin = await signIn(world.app, 'admin');
    const token = await csrfOf(admin, '/account');
    const list = await admin.get('/api/v1/county-settings').expect(200);
    expect(list.body.items.find((c: { countyId: number }) => c.countyId === own.countyId)).to.include({
      unitLimit: 11,
      own: false,
    });
    const bad = await admin
      .put(`/api/v1/counties/${own.countyId}/settings`)
      .set('X-CSRF-Token', token)
      .send({
        unitLimit: 0,
        featuredUnitLimit: 1,
        quotaApprovalMonths: 3,
        secondmentMaxMonths: 6,
        source: 'x',
      })
      .expect(422);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field)).to.include('unitLimit');
    const saved = await admin
      .put(`/api/v1/counties/${own.countyId}/settings`)
      .set('X-CSRF-Token', token)
      .send({
        unitLimit: 8,
        featuredUnitLimit: 1,
        unitDeputyThresholds: [5, 9],
        filingOnlyKinds: ['internal'],
        quotaApprovalMonths: 3,
        secondmentMaxMonths: 6,
        source: '测编〔2026〕20号',
      })
      .expect(200);
    expect(saved.body).to.deep.equal({ countyId: own.countyId });
    const one = await admin.get(`/api/v1/counties/${own.countyId}/settings`).expect(200);
    expect(one.body).to.include({ unitLimit: 8, quotaApprovalMonths: 3 });
    expect(one.body.unitDeputyThresholds).to.deep.equal([5, 9]);
    const rules = await admin.get('/api/v1/rules').expect(200);
    expect(rules.body.promotionRules.length).to.be.greaterThan(0);
    const reviewer = await signIn(world.app, 'zuzhibu');
    await reviewer.get('/api/v1/county-settings').expect(404);
    await reviewer.get('/api/v1/rules').expect(404);
    await reviewer
      .put(`/api/v1/counties/${own.countyId}/settings`)
      .set('X-CSRF-Token', await csrfOf(reviewer, '/account'))
      .send({ unitLimit: 8 })
      .expect(404);
  });
});
