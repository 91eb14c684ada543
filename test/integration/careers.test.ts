import { expect } from 'chai';
import type { Knex } from 'knex';
import { loadEligibilityInput, loadEligibilityRules } from '../../src/db/repositories/eligibilityInputs.js';
import { assessEligibility } from '../../src/domain/eligibility/index.js';
import { createCareerPerson } from '../support/careers.js';
import { createOwnTownship, createRegisteredPerson, createUser, demoScopes } from '../support/factories.js';
import { type Agent, csrfFrom, csrfOf, signIn } from '../support/http.js';
import { signInAs } from '../support/people.js';
import { getWorld, TEST_TODAY, type TestWorld } from '../support/world.js';

/** Counts the statements a function sends. */
async function countQueries<T>(knex: Knex, fn: () => Promise<T>): Promise<{ result: T; queries: number }> {
  let queries = 0;
  const listener = () => {
    queries += 1;
  };
  knex.on('query', listener);
  try {
    return { result: await fn(), queries };
  } finally {
    knex.removeListener('query', listener);
  }
}

interface ListEntry {
  person: { id: number };
  eligibleFrom: string | null;
  blocks: Array<{ code: string; message: string }>;
}

interface ListBody {
  targets: Array<{
    target: string;
    now: ListEntry[];
    within6: ListEntry[];
    within12: ListEntry[];
    blocked: ListEntry[];
  }>;
}

/** Switches an agent's language (saved on the account, so it outlasts the session). */
async function useLocale(agent: Agent, locale: 'zh-CN' | 'en') {
  await agent
    .post('/locale')
    .type('form')
    .send({ _csrf: await csrfOf(agent, '/account'), locale, returnTo: '/' })
    .expect(303);
}

/** Where a person stands for a target in the township list (API). */
function horizonIn(body: ListBody, target: string, personId: number) {
  const t = body.targets.find((x) => x.target === target);
  for (const h of ['now', 'within6', 'within12', 'blocked'] as const) {
    const hit = t?.[h].find((e) => e.person.id === personId);
    if (hit) return { horizon: h, ...hit };
  }
  return null;
}

describe('careers: the career path, the township eligibility list and their API', () => {
  let world: TestWorld;
  let knex: Knex;
  let s: Awaited<ReturnType<typeof demoScopes>>;
  let t: Awaited<ReturnType<typeof createOwnTownship>>;
  const people: Record<'now' | 'soon' | 'later' | 'sanctioned', number> = {
    now: 0,
    soon: 0,
    later: 0,
    sanctioned: 0,
  };

  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
    knex = world.db.knex;
    s = await demoScopes(knex);
    t = await createOwnTownship(knex);
    // principal_4 needs 24 months as clerk_1 (national default); today is 2026-11-15.
    people.now = await createCareerPerson(knex, t, {
      name: '王现符',
      grade: 'clerk_1',
      since: '2024-06-15', // 2 years 5 months: 29 months counted, met since 2026-06
      assessments: { 2024: 'competent', 2025: 'competent' },
      postId: t.posts.clerkA,
    });
    people.soon = await createCareerPerson(knex, t, {
      name: '李半年',
      grade: 'clerk_1',
      since: '2025-03-10', // 20 months: met from 2027-03
      assessments: { 2025: 'competent' },
    });
    people.later = await createCareerPerson(knex, t, {
      name: '张一年',
      grade: 'clerk_1',
      since: '2025-08-01', // 15 months: met from 2027-08
    });
    people.sanctioned = await createCareerPerson(knex, t, {
      name: '赵处分',
      grade: 'clerk_1',
      since: '2023-01-01', // tenure met long ago, but 降级 (24 months) from 2026-03-01 until 2028-03-01
      assessments: { 2023: 'competent', 2024: 'competent', 2025: 'basically_competent' },
      sanctions: [{ kind: 'gov_demotion', decidedOn: '2026-03-01' }],
    });
  });

  it('staff land on their own career path and see nobody else’s', async () => {
    const agent = await signIn(world.app, 'staff');
    await useLocale(agent, 'zh-CN');
    const home = await agent.get('/').expect(303);
    expect(home.headers.location).to.equal(`/people/${s.staffPerson}/career`);
    const page = await agent.get(`/people/${s.staffPerson}/career`).expect(200);
    expect(page.text).to.contain('我的职业路径');
    expect(page.text).to.contain('晋升资格测算');
    expect(page.text).to.contain('任职经历');
    expect(page.text).to.contain('符合资格条件');
    expect(page.text).not.to.contain('应当晋升的');
    expect(page.text).to.contain(`href="/people/${s.staffPerson}"`);
    // Someone else: in the same township, or anywhere else.
    await agent.get(`/people/${people.now}/career`).expect(404);
    const colleague = await knex('assignments as a')
      .join('posts as p', 'p.id', 'a.post_id')
      .where('p.township_id', s.township)
      .whereNot('a.person_id', s.staffPerson)
      .first('a.person_id');
    await agent.get(`/people/${colleague.person_id}/career`).expect(404);
    await agent.get(`/townships/${s.township}/eligibility`).expect(404);
    await agent.get(`/api/v1/people/${colleague.person_id}/eligibility`).expect(404);
    await agent.get('/admin/rules').expect(404);
  });

  it('officers and reviewers see career pages in scope, 404 outside', async () => {
    const officer = await signInAs(world, t.officer);
    const page = await officer.get(`/people/${people.now}/career`).expect(200);
    expect(page.text).to.contain('王现符的职业路径');
    expect(page.text).to.contain('四级主任科员');
    expect(page.text).to.contain('符合资格条件');
    expect(page.text).to.contain('职级晋升不与具体岗位挂钩');
    await officer.get(`/people/${s.staffPerson}/career`).expect(404);
    const reviewer = await signIn(world.app, 'zuzhibu');
    await reviewer.get(`/people/${s.staffPerson}/career`).expect(200);
    await reviewer.get(`/people/${people.now}/career`).expect(404);
    const admin = await signIn(world.app, 'admin');
    await admin.get(`/people/${people.now}/career`).expect(200);
    await admin.get('/people/999999999/career').expect(404);
  });

  it('the career page explains what is missing in plain words, and looks ahead with asOf', async () => {
    const officer = await signInAs(world, t.officer);
    const soon = await officer.get(`/people/${people.soon}/career`).expect(200);
    expect(soon.text).to.contain('还需在一级科员任职 4 个月（2027.03 起符合）');
    expect(soon.text).to.contain('如情况不变，预计 2027.03 起符合资格条件');
    expect(soon.text).to.contain('已任职 1 年 8 个月（2025.03 起）');
    // A promotion recorded now, effective later, is on the path as not yet in force.
    await knex('grades')
      .where({ person_id: people.soon, grade_code: 'clerk_1' })
      .update({ valid_to: '2027-04-01' });
    await knex('grades').insert({
      person_id: people.soon,
      ladder: 'civil_service_rank',
      grade_code: 'principal_4',
      valid_from: '2027-04-01',
      doc_no: '测组〔2027〕9号',
    });
    const future = await officer.get(`/people/${people.soon}/career`).expect(200);
    expect(future.text).to.match(/四级主任科员 <span class="tag tag--info">尚未生效<\/span>/);
    expect(future.text).to.contain('测组〔2027〕9号');
    await knex('grades').where({ person_id: people.soon, grade_code: 'principal_4' }).delete();
    await knex('grades').where({ person_id: people.soon, grade_code: 'clerk_1' }).update({ valid_to: null });
    const ahead = await officer.get(`/people/${people.soon}/career?asOf=2027-06-01`).expect(200);
    expect(ahead.text).to.contain('2027.06 时的情况');
    expect(ahead.text).to.contain('自 2027.03 起具备任职资格条件');
    const sanctioned = await officer.get(`/people/${people.sanctioned}/career`).expect(200);
    expect(sanctioned.text).to.contain('2025 年度考核基本称职，该年度不计入任职年限');
    expect(sanctioned.text).to.contain('政务处分·降级');
    const bad = await officer.get(`/people/${people.soon}/career?asOf=2027-02-30`).expect(200);
    expect(bad.text).to.contain('请输入有效的日期');
    await useLocale(officer, 'en');
    const en = await officer.get(`/people/${people.soon}/career`).expect(200);
    expect(en.text).to.contain('If nothing changes, eligible from 2027-03');
    await useLocale(officer, 'zh-CN');
  });

  it('groups the township list: now, within 6 months, within 12 months, blocked with the reason', async () => {
    const officer = await signInAs(world, t.officer);
    const res = await officer.get(`/api/v1/townships/${t.townshipId}/eligibility`).expect(200);
    const body = res.body as ListBody;
    expect(horizonIn(body, 'principal_4', people.now)).to.deep.include({
      horizon: 'now',
      eligibleFrom: '2026-06-01',
    });
    expect(horizonIn(body, 'principal_4', people.soon)).to.deep.include({
      horizon: 'within6',
      eligibleFrom: '2027-03-01',
    });
    expect(horizonIn(body, 'principal_4', people.later)).to.deep.include({
      horizon: 'within12',
      eligibleFrom: '2027-08-01',
    });
    const blocked = horizonIn(body, 'principal_4', people.sanctioned);
    expect(blocked).to.deep.include({ horizon: 'blocked', eligibleFrom: '2028-03-01' });
    expect(blocked?.blocks.map((b) => b.code)).to.deep.equal(['sanction']);
    // Only one target when asked.
    const only = await officer
      .get(`/api/v1/townships/${t.townshipId}/eligibility?target=principal_4&asOf=${TEST_TODAY}`)
      .expect(200);
    expect((only.body as ListBody).targets.map((x) => x.target)).to.deep.equal(['principal_4']);
    await officer.get(`/api/v1/townships/${t.townshipId}/eligibility?asOf=tomorrow`).expect(422);
    await officer.get(`/api/v1/townships/${s.township}/eligibility`).expect(404);

    // The page: grouped, in stroke order (王 4 strokes before 李 7, 张 7, 赵 9), with the reason.
    const page = await officer.get(`/townships/${t.townshipId}/eligibility?target=principal_4`).expect(200);
    const text = page.text.replace(/<[^>]+>/g, ' ');
    expect(text).to.contain('现已符合资格条件 · 1 人');
    expect(text).to.contain('6 个月内符合 · 1 人');
    expect(text).to.contain('6 至 12 个月内符合 · 1 人');
    expect(text).to.contain('12 个月内不符合或无法预计 · 1 人');
    expect(text).to.contain('受政务处分·降级');
    expect(page.text).to.contain(`href="/people/${people.soon}/career"`);
    const ahead = await officer.get(`/townships/${t.townshipId}/eligibility?asOf=2027-06-01`).expect(200);
    expect(ahead.text).to.contain(`href="/people/${people.soon}/career?asOf&#x3D;2027-06-01"`);
    expect(page.text).to.contain('aria-current="page">晋升资格');
    const all = await officer.get(`/townships/${t.townshipId}/eligibility`).expect(200);
    const order = ['王现符', '李半年', '赵处分'].map((n) => all.text.indexOf(n));
    expect(order.every((i) => i > 0)).to.equal(true);
    // Excel and print.
    const xlsx = await officer.get(`/townships/${t.townshipId}/eligibility.xlsx`).expect(200);
    expect(xlsx.headers['content-type']).to.contain('spreadsheetml');
    const print = await officer.get(`/townships/${t.townshipId}/eligibility?print=1`).expect(200);
    expect(print.text).to.contain('page--print');
  });

  it('the township list is set-based: the same number of queries for 4 people as for a demo township', async () => {
    const careers = world.services.careers.paths;
    const scope = { ...(await world.services.access.scopeFor({ grants: [{ role: 'admin' }] } as never)) };
    const small = await countQueries(knex, () =>
      careers.townshipEligibility(scope, t.townshipId, TEST_TODAY, null),
    );
    const big = await countQueries(knex, () =>
      careers.townshipEligibility(scope, s.township, TEST_TODAY, null),
    );
    expect(big.result.groups.flatMap((g) => Object.values(g.horizons).flat()).length).to.be.greaterThan(20);
    expect(big.queries).to.equal(small.queries);
    expect(big.queries).to.be.at.most(25);
  });

  it('the career page costs the same statements however long the person’s history: two, one when the reference is cached', async () => {
    const careers = world.services.careers.paths;
    const scope = { ...(await world.services.access.scopeFor({ grants: [{ role: 'admin' }] } as never)) };
    // Twelve years of posts, grades, assessments and sanctions before the current grade, one spell corrected.
    const long = await createCareerPerson(knex, t, {
      name: '孙履历',
      grade: 'clerk_1',
      since: '2020-01-01',
      assessments: Object.fromEntries(
        Array.from({ length: 12 }, (_, i) => [2008 + i, i % 4 === 3 ? 'excellent' : 'competent'] as const),
      ),
      sanctions: [
        { kind: 'gov_warning', decidedOn: '2009-05-01' },
        { kind: 'gov_demerit', decidedOn: '2012-05-01' },
      ],
    });
    for (let i = 0; i < 12; i++) {
      const from = `${2008 + i}-01-01`;
      const to = `${2009 + i}-01-01`;
      await knex('grades').insert({
        person_id: long,
        ladder: 'civil_service_rank',
        grade_code: i < 6 ? 'clerk_2' : 'clerk_1',
        valid_from: from,
        valid_to: to,
        superseded_at: i === 3 ? knex.fn.now() : null,
      });
      await knex('assignments').insert({
        person_id: long,
        post_id: i % 2 ? t.posts.clerkB : t.posts.station,
        kind: 'primary',
        valid_from: from,
        valid_to: to,
      });
    }
    // The writes above changed the township's county: the first view reads the reference data again, the
    // next ones (same township, county and date) take it from the cache.
    const first = await countQueries(knex, () => careers.careerPath(scope, people.later, TEST_TODAY));
    const longer = await countQueries(knex, () => careers.careerPath(scope, long, TEST_TODAY));
    const short = await countQueries(knex, () => careers.careerPath(scope, people.later, TEST_TODAY));
    expect(longer.result.grades.length).to.equal(12);
    expect(longer.result.assignments.length).to.equal(12);
    expect(longer.result.assessments.length).to.equal(12);
    expect(short.result.grades.length).to.equal(1);
    expect(first.queries, 'the record, then the reference data with the seats').to.equal(2);
    expect(longer.queries, 'the record; the reference data from the cache').to.equal(1);
    expect(short.queries).to.equal(longer.queries);
    // The JSON twin uses the same loaders: at most the record and the reference data, then the record only.
    const api = await countQueries(knex, () => careers.personEligibility(scope, long, TEST_TODAY));
    expect(api.queries).to.be.within(1, 2);
    const again = await countQueries(knex, () => careers.personEligibility(scope, long, TEST_TODAY));
    expect(again.queries).to.equal(1);
  });

  it('the person API returns the engine’s answer exactly, with a message per block, warning and check', async () => {
    const staff = await signIn(world.app, 'staff');
    const res = await staff.get(`/api/v1/people/${s.staffPerson}/eligibility`).expect(200);
    const results = res.body as Array<Record<string, unknown>>;
    const input = await loadEligibilityInput(knex, s.staffPerson, TEST_TODAY);
    const expected = assessEligibility(input!, await loadEligibilityRules(knex, TEST_TODAY), TEST_TODAY);
    const strip = (r: Record<string, unknown>) => ({
      ...r,
      blocks: (r.blocks as Array<Record<string, unknown>>).map(({ message: _m, ...x }) => x),
      warnings: (r.warnings as Array<Record<string, unknown>>).map(({ message: _m, ...x }) => x),
      checks: (r.checks as Array<Record<string, unknown>>).map(({ message: _m, ...x }) => x),
    });
    expect(results.map(strip)).to.deep.equal(JSON.parse(JSON.stringify(expected)));
    expect(results.length).to.be.greaterThan(0);
    for (const r of results) {
      expect(r).to.have.all.keys('target', 'eligible', 'eligibleFrom', 'blocks', 'warnings', 'checks');
      for (const c of r.checks as Array<Record<string, unknown>>) {
        expect(c).to.have.all.keys('rule', 'required', 'actual', 'met', 'message');
        expect(c.message)
          .to.be.a('string')
          .and.not.match(/^eligibility\./);
      }
    }
    await useLocale(staff, 'en');
    const en = await staff.get(`/api/v1/people/${s.staffPerson}/eligibility?asOf=2027-06-01`).expect(200);
    await useLocale(staff, 'zh-CN');
    expect((en.body as Array<{ checks: Array<{ message: string }> }>)[0]!.checks[0]!.message).to.match(
      /months/,
    );
    await staff.get(`/api/v1/people/${s.staffPerson}/eligibility?asOf=2026-13-01`).expect(422);
    await staff.get(`/api/v1/people/${people.now}/eligibility`).expect(404);
  });

  describe('rules as data: county versions recorded by the admin', () => {
    let admin: Awaited<ReturnType<typeof signIn>>;

    const counts = async () => ({
      rules: Number((await knex('promotion_rules').count<{ n: number }[]>('* as n').first())?.n),
      periods: Number((await knex('county_sanction_periods').count<{ n: number }[]>('* as n').first())?.n),
      audit: Number((await knex('audit_log').count<{ n: number }[]>('* as n').first())?.n),
    });

    before(async () => {
      admin = await signIn(world.app, 'admin');
      await useLocale(admin, 'zh-CN');
    });

    const eligibleFrom = async (personId: number, target: string) => {
      const res = await admin.get(`/api/v1/people/${personId}/eligibility`).expect(200);
      return (res.body as Array<{ target: string; eligible: boolean; eligibleFrom: string | null }>).find(
        (r) => r.target === target,
      );
    };

    it('only the admin sees the rules and their forms', async () => {
      const officer = await signInAs(world, t.officer);
      await officer.get('/admin/rules').expect(404);
      await officer.get('/admin/rules/promotion/new').expect(404);
      await officer.get('/admin/rules/sanctions/new').expect(404);
      const token = await csrfOf(officer, '/account');
      await officer
        .post('/admin/rules/promotion/new')
        .type('form')
        .send({ _csrf: token, countyId: String(t.countyId), target: 'principal_4' })
        .expect(404);
      const page = await admin.get('/admin/rules').expect(200);
      expect(page.text).to.contain('全国默认');
      expect(page.text).to.contain('四级主任科员');
      expect(page.text).to.contain('并行规定 第二十条');
      expect(page.text).to.contain('政务处分·降级');
    });

    it('refuses bad input with messages, keeps what was typed, writes nothing', async () => {
      const before = await counts();
      const form = await admin.get('/admin/rules/promotion/new').expect(200);
      const res = await admin
        .post('/admin/rules/promotion/new')
        .type('form')
        .send({
          _csrf: csrfFrom(form.text),
          formKey: /name="formKey" value="([^"]+)"/.exec(form.text)?.[1],
          countyId: '',
          target: 'principal_4',
          minMonths: 'abc',
          educationBlocks: 'blocks',
          effectiveFrom: '2026-02-30',
          source: '示组发〔2026〕7号',
        })
        .expect(400);
      expect(res.text).to.contain('错误：记录县级晋升条件');
      expect(res.text).to.contain('请选择县（区）');
      expect(res.text).to.contain('最低任职年限须为 0 至 240 之间的整月数');
      expect(res.text).to.contain('请至少选择一个计入任职年限的职级（职务）');
      expect(res.text).to.contain('请输入有效的日期');
      expect(res.text).to.contain('href="#countedGrades"');
      expect(res.text).to.contain('value="abc"');
      expect(res.text).to.contain('value="示组发〔2026〕7号"');
      expect(res.text).to.match(/<option value="principal_4" selected>/);

      const period = await admin.get('/admin/rules/sanctions/new').expect(200);
      const bad = await admin
        .post('/admin/rules/sanctions/new')
        .type('form')
        .send({
          _csrf: csrfFrom(period.text),
          formKey: /name="formKey" value="([^"]+)"/.exec(period.text)?.[1],
          countyId: String(t.countyId),
          kindCode: 'investigation',
          impactMonths: '6',
          effectiveFrom: '2026-01-01',
          source: '测试',
        });
      expect(bad.status).to.equal(200); // the check page: the kind is refused on commit
      const refused = await admin
        .post('/admin/rules/sanctions/new')
        .type('form')
        .send({
          _csrf: csrfFrom(period.text),
          formKey: /name="formKey" value="([^"]+)"/.exec(period.text)?.[1],
          countyId: String(t.countyId),
          kindCode: 'investigation',
          impactMonths: '600',
          effectiveFrom: '2026-01-01',
          source: '',
          confirm: '1',
        })
        .expect(400);
      expect(refused.text).to.contain('影响期须为 0 至 120 之间的整月数');
      expect(refused.text).to.contain('请输入依据（文件名称及文号）');
      expect(refused.text).to.contain('value="600"');
      const investigation = await admin
        .post('/admin/rules/sanctions/new')
        .type('form')
        .send({
          _csrf: csrfFrom(period.text),
          formKey: /name="formKey" value="([^"]+)"/.exec(period.text)?.[1],
          countyId: String(t.countyId),
          kindCode: 'investigation',
          impactMonths: '6',
          effectiveFrom: '2026-01-01',
          source: '测试',
          confirm: '1',
        })
        .expect(400);
      expect(investigation.text).to.contain('立案审查调查至结案为止');
      expect(await counts()).to.deep.equal(before);
    });

    it('a county’s own promotion rule changes eligibleFrom for its people only, through the check page', async () => {
      expect(await eligibleFrom(people.now, 'principal_4')).to.deep.include({
        eligible: true,
        eligibleFrom: '2026-06-01',
      });
      const before = await counts();
      const form = await admin
        .get(`/admin/rules/promotion/new?county=${t.countyId}&target=principal_4`)
        .expect(200);
      expect(form.text).to.match(/<option value="principal_4" selected>/);
      expect(form.text).to.match(/id="countedGrades-clerk_1" name="countedGrades" value="clerk_1" checked/);
      const fields = {
        _csrf: csrfFrom(form.text),
        formKey: /name="formKey" value="([^"]+)"/.exec(form.text)?.[1] ?? '',
        countyId: String(t.countyId),
        target: 'principal_4',
        minMonths: '36',
        countedGrades: 'clerk_1',
        minEducation: '',
        educationBlocks: 'blocks',
        effectiveFrom: '2026-01-01',
        source: '测组发〔2026〕1号',
      };
      const check = await admin.post('/admin/rules/promotion/new').type('form').send(fields).expect(200);
      expect(check.text).to.contain('核对县级晋升条件');
      expect(check.text).to.contain('36 个月');
      expect(await counts()).to.deep.equal(before);
      const done = await admin
        .post('/admin/rules/promotion/new')
        .type('form')
        .send({ ...fields, confirm: '1' })
        .expect(303);
      expect(done.headers.location).to.equal('/admin/rules');
      // A double submit records nothing more.
      await admin
        .post('/admin/rules/promotion/new')
        .type('form')
        .send({ ...fields, confirm: '1' })
        .expect(303);
      const after = await counts();
      expect(after.rules).to.equal(before.rules + 1);
      expect(after.audit).to.equal(before.audit + 1);
      const audit = (await knex('audit_log').orderBy('id', 'desc').first())!;
      expect(audit.action).to.equal('promotion_rule.recorded');
      expect(audit.after).to.deep.include({ countyId: t.countyId, minMonths: 36, target: 'principal_4' });
      expect(audit.before).to.deep.include({ countyId: null, minMonths: 24 });

      // 29 months served, 36 needed: from 2027-06.
      expect(await eligibleFrom(people.now, 'principal_4')).to.deep.include({
        eligible: false,
        eligibleFrom: '2027-06-01',
      });
      // Demo counties keep the national rule.
      const staff = await signIn(world.app, 'staff');
      const demo = await staff.get(`/api/v1/people/${s.staffPerson}/eligibility`).expect(200);
      for (const r of demo.body as Array<{ checks: Array<{ rule: string; required: { months?: number } }> }>)
        expect(r.checks.find((c) => c.rule === 'tenure')?.required.months).to.be.oneOf([24, 36]);
      const rules = await admin.get('/admin/rules').expect(200);
      expect(rules.text).to.contain('测组发〔2026〕1号');

      // The same county, target and date again: refused (a version is never edited).
      const again = await admin.get('/admin/rules/promotion/new').expect(200);
      const refused = await admin
        .post('/admin/rules/promotion/new')
        .type('form')
        .send({
          ...fields,
          _csrf: csrfFrom(again.text),
          formKey: /name="formKey" value="([^"]+)"/.exec(again.text)?.[1],
          minMonths: '30',
          confirm: '1',
        })
        .expect(409);
      expect(refused.text).to.contain('已记录的版本不能修改');
      expect(refused.text).to.contain('value="30"');
      expect((await counts()).rules).to.equal(after.rules);
    });

    it('a county’s own sanction impact period changes eligibleFrom', async () => {
      expect(await eligibleFrom(people.sanctioned, 'principal_4')).to.deep.include({
        eligible: false,
        eligibleFrom: '2028-03-01',
      });
      const before = await counts();
      const form = await admin.get('/admin/rules/sanctions/new').expect(200);
      const fields = {
        _csrf: csrfFrom(form.text),
        formKey: /name="formKey" value="([^"]+)"/.exec(form.text)?.[1] ?? '',
        countyId: String(t.countyId),
        kindCode: 'gov_demotion',
        impactMonths: '12',
        effectiveFrom: '2026-01-01',
        source: '测纪发〔2026〕2号',
      };
      await admin.post('/admin/rules/sanctions/new').type('form').send(fields).expect(200);
      await admin
        .post('/admin/rules/sanctions/new')
        .type('form')
        .send({ ...fields, confirm: '1' })
        .expect(303);
      const after = await counts();
      expect(after.periods).to.equal(before.periods + 1);
      expect(after.audit).to.equal(before.audit + 1);
      const audit = (await knex('audit_log').orderBy('id', 'desc').first())!;
      expect(audit.action).to.equal('sanction_period.recorded');
      expect(audit.before).to.deep.include({ impactMonths: 24, national: true });
      // 降级 from 2026-03-01 now blocks 12 months: until 2027-03-01 (tenure as clerk_1 is long met).
      expect(await eligibleFrom(people.sanctioned, 'principal_4')).to.deep.include({
        eligible: false,
        eligibleFrom: '2027-03-01',
      });
      const page = await admin.get('/admin/rules').expect(200);
      expect(page.text).to.contain('测纪发〔2026〕2号');
      expect(page.text).to.contain('现行');
    });
  });

  it('every page renders in Chinese and English with no message missing', async () => {
    const MISSING =
      /(?<![\w/.#-])(career|eligibilityList|rulesAdmin|eligibility|assessmentResults|educationLevels|ladders|unitRanks)\.[a-zA-Z_]+(\.[a-zA-Z_]+)*(?![\w/])/g;
    const officer = await signInAs(world, t.officer);
    const admin = await signIn(world.app, 'admin');
    const reviewer = await createUser(knex, { role: 'county_reviewer', regionId: t.countyId });
    const blank = await createRegisteredPerson(knex, { townshipId: t.townshipId, name: '空白档' });
    const none = await officer.get(`/people/${blank.id}/career`).expect(200);
    expect(none.text).to.contain('暂无可测算的晋升目标');
    const county = await signInAs(world, reviewer);
    const pages: Array<[typeof officer, string]> = [
      [officer, `/people/${people.now}/career`],
      [officer, `/people/${people.sanctioned}/career?asOf=2027-06-01`],
      [officer, `/people/${people.soon}/career?print=1`],
      [officer, `/people/${people.now}`],
      [officer, `/townships/${t.townshipId}/eligibility`],
      [officer, `/townships/${t.townshipId}/eligibility?target=township_deputy`],
      [county, `/townships/${t.townshipId}/eligibility?asOf=2027-06-01`],
      [admin, `/townships/${s.township}/eligibility`],
      [admin, `/people/${s.staffPerson}/career`],
      [admin, '/admin/rules'],
      [admin, '/admin/rules/promotion/new'],
      [admin, '/admin/rules/promotion/new?target=township_deputy'],
      [admin, '/admin/rules/sanctions/new'],
    ];
    for (const locale of ['zh-CN', 'en'] as const) {
      for (const agent of [officer, admin, county]) await useLocale(agent, locale);
      for (const [agent, url] of pages) {
        const res = await agent.get(url);
        expect(res.status, `${locale} ${url}`).to.equal(200);
        const text = res.text.replace(/<[^>]+>/g, ' ');
        expect(text.match(MISSING) ?? [], `${locale} ${url}`).to.deep.equal([]);
        expect(res.text, `${locale} ${url}`).to.contain(`<html lang="${locale}">`);
      }
      const form = await admin.get('/admin/rules/promotion/new');
      const bad = await admin
        .post('/admin/rules/promotion/new')
        .type('form')
        .send({ _csrf: csrfFrom(form.text) })
        .expect(400);
      expect(bad.text.replace(/<[^>]+>/g, ' ').match(MISSING) ?? []).to.deep.equal([]);
      const period = await admin.get('/admin/rules/sanctions/new');
      const badPeriod = await admin
        .post('/admin/rules/sanctions/new')
        .type('form')
        .send({ _csrf: csrfFrom(period.text) })
        .expect(400);
      expect(badPeriod.text.replace(/<[^>]+>/g, ' ').match(MISSING) ?? []).to.deep.equal([]);
    }
    await useLocale(admin, 'zh-CN');
  });
});
