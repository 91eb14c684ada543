import { expect } from 'chai';
import type { Knex } from 'knex';
import type { Principal } from '../../src/auth/principal.js';
import { NotFoundError } from '../../src/errors.js';
import type { RequestContext } from '../../src/services/access.js';
import type { StepInput } from '../../src/services/promotionCases/caseService.js';
import { createCareerPerson } from '../support/careers.js';
import { createCountyDepartment, createTestTownship, createUser, demoScopes } from '../support/factories.js';
import { type Agent, csrfOf, signIn } from '../support/http.js';
import { backend, getWorld, TEST_TODAY, type TestWorld } from '../support/world.js';

type Role = Principal['grants'][number]['role'];

async function contextFor(world: TestWorld, role: Role, regionId: number | null) {
  const user = await createUser(world.db.knex, { role, ...(regionId ? { regionId } : {}) });
  const principal: Principal = {
    userId: user.id,
    username: user.username,
    displayName: user.username,
    locale: 'zh-CN',
    via: 'session',
    grants: [{ role, regionId, personId: null }],
  };
  const ctx: RequestContext = {
    principal,
    scope: await world.services.access.scopeFor(principal),
    actor: { userId: user.id, username: user.username, requestId: 'test' },
  };
  return { ctx, user };
}

const assessments = {
  2020: 'competent',
  2021: 'competent',
  2022: 'excellent',
  2023: 'competent',
  2024: 'competent',
  2025: 'competent',
} as const;

const step = (action: StepInput['action'], version: number, over: Partial<StepInput> = {}): StepInput => ({
  action,
  version,
  comment: '',
  docNo: null,
  attachments: [],
  formKey: crypto.randomUUID(),
  on: null,
  ...over,
});

describe('selection cases (选拔任用): the procedure through the service, pages and API', () => {
  let world: TestWorld;
  let knex: Knex;
  let s: Awaited<ReturnType<typeof demoScopes>>;
  let t: Awaited<ReturnType<typeof createTestTownship>>;
  let officer: Awaited<ReturnType<typeof contextFor>>;
  let reviewer: Awaited<ReturnType<typeof contextFor>>;
  let people: number[];

  const audits = async (id: number) =>
    Number(
      (
        await knex('audit_log')
          .where({ entity_type: 'promotion_case', entity_id: String(id) })
          .count<{ n: number }[]>('* as n')
      )[0]?.n,
    );
  const versionOf = async (id: number) =>
    (await knex('promotion_cases').where({ id }).first('version')).version as number;

  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
    knex = world.db.knex;
    s = await demoScopes(knex);
    t = await createTestTownship(knex, { countyId: s.county, deputyMayorSlots: 2 });
    officer = await contextFor(world, 'township_officer', t.townshipId);
    reviewer = await contextFor(world, 'county_reviewer', s.county);
    const own = { ...t, accounts: { administrative: t.accounts.administrative as number } } as never;
    people = [];
    for (const [i, name] of ['甲', '乙', '丙'].entries())
      people.push(
        await createCareerPerson(knex, own, {
          name: `候选${name}`,
          grade: 'clerk_1',
          since: '2020-01-01',
          assessments,
          postId: t.posts.office[i] as number,
        }),
      );
  });

  /** Opens a case for a deputy mayor seat and walks it to the given state. */
  async function caseUpTo(
    postId: number,
    until: 'motion' | 'inspection' | 'decided' | 'publicity',
    appointee = people[0] as number,
  ) {
    const svc = world.services.promotionCases;
    const opened = await svc.open(officer.ctx, {
      postId,
      reason: '工作需要，补齐班子',
      proposedRemoval: '',
      comment: '',
      docNo: '测党委〔2026〕3号',
      formKey: crypto.randomUUID(),
    });
    if (!opened.ok) throw new Error(`open: ${opened.code}`);
    const id = opened.value.id;
    if (until === 'motion') return id;
    const go = async (ctx: RequestContext, input: StepInput) => {
      const r = await svc.step(ctx, id, input);
      if (!r.ok) throw new Error(`${input.action}: ${r.code}`);
    };
    await go(
      officer.ctx,
      step('recommend', await versionOf(id), {
        nominees: [{ personId: appointee, votes: 30 }],
        participants: 40,
      }),
    );
    await go(officer.ctx, step('fix_candidates', await versionOf(id), { candidateIds: [appointee] }));
    await go(reviewer.ctx, step('inspect', await versionOf(id), { comment: '考察组意见：德才兼备' }));
    if (until === 'inspection') return id;
    await go(
      reviewer.ctx,
      step('decide', await versionOf(id), {
        appointeeId: appointee,
        members: 9,
        present: 8,
        inFavour: 7,
        docNo: '测常委〔2026〕9号',
      }),
    );
    if (until === 'decided') return id;
    await go(reviewer.ctx, step('start_publicity', await versionOf(id), { startOn: '2026-11-16' }));
    return id;
  }

  it('the demo world has cases in every state, relative to its today', async () => {
    // Seats are few in a generated county: the demo spreads its cases over every county.
    const rows = await knex('promotion_cases').select('state', 'publicity_ends_on', 'probation_until');
    const states = new Set(rows.map((r) => r.state));
    for (const state of [
      'motion',
      'recommendation',
      'candidates',
      'inspection',
      'decided',
      'publicity',
      'objection',
      'appointed',
      'confirmed',
      'reverted',
      'withdrawn',
    ])
      expect(states, state).to.include(state);
    expect(rows.some((r) => r.state === 'publicity' && r.publicity_ends_on >= TEST_TODAY)).to.equal(true);
    expect(
      rows.some(
        (r) =>
          r.state === 'appointed' && r.probation_until >= TEST_TODAY && r.probation_until <= '2026-12-15',
      ),
    ).to.equal(true);
  });

  it('walks motion → recommendation → candidates → inspection → decision → publicity → appointment, one audit each', async () => {
    const svc = world.services.promotionCases;
    const id = await caseUpTo(t.posts.deputyMayor[0] as number, 'motion', people[0]);
    expect(await audits(id)).to.equal(1);
    // The township records the votes: information, kept for every nominee.
    const rec = await svc.step(
      officer.ctx,
      id,
      step('recommend', 1, {
        nominees: [
          { personId: people[0] as number, votes: 31 },
          { personId: people[1] as number, votes: 12 },
        ],
        participants: 40,
      }),
    );
    expect(rec).to.deep.include({ ok: true, value: { id, state: 'recommendation' } });
    // The county can't take the township's steps (403), the township not the county's.
    const wrongSide = await svc.step(
      reviewer.ctx,
      id,
      step('fix_candidates', 2, { candidateIds: [people[0] as number] }),
    );
    expect(wrongSide).to.include({ ok: false, code: 'not_your_side' });
    await svc.step(officer.ctx, id, step('fix_candidates', 2, { candidateIds: [people[0] as number] }));
    const early = await svc.step(officer.ctx, id, step('inspect', 3, { comment: 'x' }));
    expect(early).to.include({ code: 'not_your_side' });
    await svc.step(
      reviewer.ctx,
      id,
      step('inspect', 3, { comment: '考察情况良好', attachments: ['考察材料', '谈话记录'] }),
    );
    // The vote is validated: 5 of 9 present is no quorum; 4 of 9 in favour no majority.
    const noQuorum = await svc.step(
      reviewer.ctx,
      id,
      step('decide', 4, { appointeeId: people[0] as number, members: 9, present: 5, inFavour: 5 }),
    );
    expect(noQuorum).to.include({ ok: false, code: 'vote_no_quorum', field: 'present' });
    const noMajority = await svc.step(
      reviewer.ctx,
      id,
      step('decide', 4, { appointeeId: people[0] as number, members: 9, present: 9, inFavour: 4 }),
    );
    expect(noMajority).to.include({ code: 'vote_no_majority' });
    const notCandidate = await svc.step(
      reviewer.ctx,
      id,
      step('decide', 4, { appointeeId: people[1] as number, members: 9, present: 9, inFavour: 8 }),
    );
    expect(notCandidate).to.include({ code: 'appointee_not_candidate' });
    await svc.step(
      reviewer.ctx,
      id,
      step('decide', 4, { appointeeId: people[0] as number, members: 9, present: 8, inFavour: 7 }),
    );
    // Publicity: 5 working days from Monday 2026-11-16 end Friday 2026-11-20.
    const pub = await svc.step(reviewer.ctx, id, step('start_publicity', 5, { startOn: '2026-11-16' }));
    expect(pub).to.include({ ok: true });
    const row = await knex('promotion_cases').where({ id }).first();
    expect(row).to.include({
      state: 'publicity',
      publicity_starts_on: '2026-11-16',
      publicity_ends_on: '2026-11-20',
    });
    // An objection pauses it; appointing is refused until it is resolved.
    await svc.step(reviewer.ctx, id, step('object', 6, { comment: '群众来信反映' }));
    const paused = await svc.step(
      reviewer.ctx,
      id,
      step('appoint', 7, { on: '2026-11-23', docNo: '测组任〔2026〕1号' }),
    );
    expect(paused).to.include({ code: 'objection_open' });
    await svc.step(reviewer.ctx, id, step('resolve', 7, { outcome: 'cleared', comment: '经核实，反映不实' }));
    const during = await svc.step(
      reviewer.ctx,
      id,
      step('appoint', 8, { on: '2026-11-20', docNo: '测组任〔2026〕1号' }),
    );
    expect(during).to.include({ code: 'publicity_running' });
    const noDoc = await svc.step(reviewer.ctx, id, step('appoint', 8, { on: '2026-11-23' }));
    expect(noDoc).to.include({ code: 'doc_no_required' });
    const appointed = await svc.step(
      reviewer.ctx,
      id,
      step('appoint', 8, { on: '2026-11-23', docNo: '测组任〔2026〕1号' }),
    );
    expect(appointed).to.deep.include({ ok: true, value: { id, state: 'appointed' } });
    // The history: the new post from the date (the old one ended), the leadership grade with its probation.
    const assignment = await knex('assignments')
      .where({ person_id: people[0], post_id: t.posts.deputyMayor[0] })
      .first();
    expect(assignment).to.include({ valid_from: '2026-11-23', kind: 'primary', doc_no: '测组任〔2026〕1号' });
    const old = await knex('assignments').where({ person_id: people[0], post_id: t.posts.office[0] }).first();
    expect(old?.valid_to).to.equal('2026-11-23');
    const grade = await knex('grades').where({ person_id: people[0], ladder: 'leadership_level' }).first();
    expect(grade).to.include({
      grade_code: 'township_deputy',
      valid_from: '2026-11-23',
      probation_until: '2027-11-23',
    });
    expect((await knex('promotion_cases').where({ id }).first()).probation_until).to.equal('2027-11-22');
    // Confirmation waits for the end of probation; one audit entry per write, refusals write none.
    const soon = await svc.step(reviewer.ctx, id, step('confirm', 9, { on: '2026-12-01', docNo: 'x' }));
    expect(soon).to.include({ code: 'probation_running' });
    expect(await audits(id)).to.equal(9);
    // The inbox: nothing waits for the county on this case any more; its probation ends in a year.
    const sections = await world.services.inbox.sections(reviewer.ctx);
    const waitingIds =
      sections?.extra.find((x) => x.key === 'promotion_cases_waiting')?.items.map((i) => i.href) ?? [];
    expect(waitingIds).to.not.include(`/promotions/${id}`);
    const steps = await knex('promotion_case_steps').where({ case_id: id }).orderBy('id');
    expect(steps.map((x) => x.action)).to.deep.equal([
      'open',
      'recommend',
      'fix_candidates',
      'inspect',
      'decide',
      'start_publicity',
      'object',
      'resolve',
      'appoint',
    ]);
    expect(steps[3].attachments).to.deep.equal(['考察材料', '谈话记录']);
  });

  it('a stale version is refused (409), and a double submit answers like the first', async () => {
    const svc = world.services.promotionCases;
    const id = await caseUpTo(t.posts.deputyMayor[1] as number, 'motion', people[1]);
    const input = step('recommend', 1, { nominees: [{ personId: people[1] as number, votes: 20 }] });
    const first = await svc.step(officer.ctx, id, input);
    const again = await svc.step(officer.ctx, id, input);
    expect(again).to.deep.include({ ok: true, replayed: true });
    expect(first).to.deep.include({ ok: true });
    const stale = await svc.step(officer.ctx, id, step('withdraw', 1, { comment: '岗位调整' }));
    expect(stale).to.include({ ok: false, code: 'stale_version' });
    // Return with reasons, then withdraw until the decision.
    const back = await svc.step(reviewer.ctx, id, step('return', 2, { comment: '推荐范围不够' }));
    expect(back).to.deep.include({ ok: true, value: { id, state: 'motion' } });
    const gone = await svc.step(officer.ctx, id, step('withdraw', 3, { comment: '岗位调整' }));
    expect(gone).to.deep.include({ ok: true, value: { id, state: 'withdrawn' } });
    expect(await audits(id)).to.equal(4);
  });

  it('scopes: another township’s officer and another county’s reviewer get 404; staff see no cases', async () => {
    const id = (await knex('promotion_cases').where({ township_id: t.townshipId }).first('id')).id as number;
    const other = await contextFor(world, 'township_officer', s.township2);
    const otherCounty = await contextFor(world, 'county_reviewer', s.county2);
    for (const c of [other, otherCounty]) {
      let caught: unknown = null;
      await world.services.promotionCases.get(c.ctx, id).catch((e) => {
        caught = e;
      });
      expect(caught).to.be.instanceOf(NotFoundError);
    }
    expect(await world.services.promotionCases.list(other.ctx, {})).to.satisfy(
      (l: Array<{ townshipId: number }>) => l.every((c) => c.townshipId === s.township2),
    );
    const staff = await signIn(world.app, 'staff');
    await staff.get(`/promotions/${id}`).expect(404);
    const list = await staff.get('/api/v1/promotions').expect(200);
    expect(list.body.total).to.equal(0);
  });

  it('pages: the list, the case with its step forms, a refused step kept on the form, the 409 page, the notice', async () => {
    const id = await caseUpTo(t.posts.deputyMayor[2] as number, 'inspection', people[2]);
    const agent: Agent = await signIn(world.app, 'zuzhibu');
    const list = await agent.get('/promotions?state=inspection').expect(200);
    expect(list.text).to.contain(t.name);
    const page = await agent.get(`/promotions/${id}`).expect(200);
    expect(page.text).to.contain('记录讨论决定');
    const token = await csrfOf(agent, `/promotions/${id}`);
    const version = await versionOf(id);
    const bad = await agent
      .post(`/promotions/${id}/steps`)
      .type('form')
      .send({
        _csrf: token,
        formKey: crypto.randomUUID(),
        version: String(version),
        action: 'decide',
        appointeeId: String(people[2]),
        members: '9',
        present: '5',
        inFavour: '5',
      })
      .expect(400);
    expect(bad.text).to.contain('未达到全体成员9名的三分之二');
    expect(bad.text).to.contain('value="5"');
    const ok = await agent
      .post(`/promotions/${id}/steps`)
      .type('form')
      .send({
        _csrf: token,
        formKey: crypto.randomUUID(),
        version: String(version),
        action: 'decide',
        appointeeId: String(people[2]),
        members: '9',
        present: '7',
        inFavour: '6',
        docNo: '测常委〔2026〕10号',
      })
      .expect(303);
    expect(ok.headers.location).to.equal(`/promotions/${id}`);
    const decided = await agent.get(`/promotions/${id}`).expect(200);
    expect(decided.text).to.contain('干部任免审批表');
    expect(decided.text).to.contain('/appointment-form?proposedPost');
    const stale = await agent
      .post(`/promotions/${id}/steps`)
      .type('form')
      .send({
        _csrf: token,
        formKey: crypto.randomUUID(),
        version: String(version),
        action: 'withdraw',
        comment: 'x',
      })
      .expect(409);
    expect(stale.text).to.contain('案件已有新的办理');
    expect(stale.text).to.contain('记录讨论决定');
    await agent
      .post(`/promotions/${id}/steps`)
      .type('form')
      .send({
        _csrf: token,
        formKey: crypto.randomUUID(),
        version: String(version + 1),
        action: 'start_publicity',
        startOn: TEST_TODAY,
      })
      .expect(303);
    const dashboard = await agent.get(`/counties/${s.county}/promotions`).expect(200);
    expect(dashboard.text).to.contain('选拔任用案件（按环节）');
    expect(dashboard.text).to.contain('本周任前公示期满');
    expect(dashboard.text).to.contain(`href="/promotions/${id}"`);
    const inbox = await agent.get('/inbox').expect(200);
    expect(inbox.text).to.contain('任前公示本周期满');
    const notice = await agent.get(`/promotions/${id}/notice`).expect(200);
    expect(notice.text).to.contain('任前公示');
    expect(notice.text).to.contain('2026.11.20'); // Sunday 11.15 → 16, 17, 18, 19, 20
    await agent.get(`/promotions/${id}/notice?print=1`).expect(200);
  });

  it('API: open, read and step with the same scopes and errors', async () => {
    const agent = await signIn(world.app, 'zuzhibu');
    const token = await csrfOf(agent, '/account');
    const id = (
      await knex('promotion_cases')
        .where({ township_id: t.townshipId, state: 'publicity' })
        .orderBy('id', 'desc')
        .first('id')
    ).id as number;
    const got = await agent.get(`/api/v1/promotions/${id}`).expect(200);
    expect(got.body).to.include({ id, state: 'publicity' });
    expect(got.body.nextActions).to.deep.equal(['object', 'appoint']);
    const opened = await agent
      .post('/api/v1/promotions')
      .set('X-CSRF-Token', token)
      .send({ postId: t.posts.office[3], reason: 'x' });
    expect(opened.status).to.equal(403); // the county does not open cases
    const stale = await agent
      .post(`/api/v1/promotions/${id}/transitions`)
      .set('X-CSRF-Token', token)
      .send({ action: 'object', version: 1, comment: '来信' })
      .expect(409);
    expect(stale.body.error.code).to.equal('stale_version');
    const bad = await agent
      .post(`/api/v1/promotions/${id}/transitions`)
      .set('X-CSRF-Token', token)
      .send({ action: 'fly', version: 1 })
      .expect(422);
    expect(bad.body.error.field).to.equal('action');
    const other = await signIn(world.app, 'zuzhibu2');
    await other.get(`/api/v1/promotions/${id}`).expect(404);
    // The publicity and probation calendar (报表): the case in publicity, its page, Excel and print view.
    const report = await agent
      .get(`/api/v1/reports/publicity-probation?township=${t.townshipId}`)
      .expect(200);
    const item = report.body.items.find((i: { caseId: number }) => i.caseId === id);
    expect(item).to.include({ kind: 'publicity', until: '2026-11-20', daysLeft: 5, overdue: false });
    const page = await agent.get(`/reports/publicity-probation?township=${t.townshipId}`).expect(200);
    expect(page.text).to.contain('任前公示与试用期');
    await agent.get(`/reports/publicity-probation.xlsx?township=${t.townshipId}`).expect(200);
    await agent.get(`/reports/publicity-probation?township=${t.townshipId}&print=1`).expect(200);
    await other.get(`/reports/publicity-probation?township=${t.townshipId}`).expect(404);
  });

  it('a dispatched unit’s seat needs the township party committee’s written opinion before the decision', async () => {
    const unitId = await (await createCountyDepartment(knex, s.county)).unitIn(
      t.townshipId,
      'deputy_section',
    );
    const [p] = await knex('posts')
      .insert({
        township_id: t.townshipId,
        unit_id: unitId,
        name: '所长',
        category: 'leadership',
        leadership_kind: 'unit_head',
        establishment_types: ['administrative'],
        opened_on: '2020-01-01',
      })
      .returning('id');
    const svc = world.services.promotionCases;
    const extra = await createCareerPerson(
      knex,
      { ...t, accounts: { administrative: t.accounts.administrative as number } } as never,
      { name: '候选丁', grade: 'clerk_1', since: '2020-01-01', assessments },
    );
    const id = await caseUpTo((p as { id: number }).id, 'inspection', extra);
    const refused = await svc.step(
      reviewer.ctx,
      id,
      step('decide', await versionOf(id), { appointeeId: extra, members: 9, present: 9, inFavour: 9 }),
    );
    expect(refused).to.include({ code: 'party_opinion_required' });
    const byCounty = await svc.step(
      reviewer.ctx,
      id,
      step('opinion', await versionOf(id), {
        on: TEST_TODAY,
        docNo: '测镇党委〔2026〕5号',
        opinionText: '同意',
      }),
    );
    expect(byCounty).to.include({ code: 'not_your_side' });
    await svc.step(
      officer.ctx,
      id,
      step('opinion', await versionOf(id), {
        on: TEST_TODAY,
        docNo: '测镇党委〔2026〕5号',
        opinionText: '同意推荐',
      }),
    );
    const decided = await svc.step(
      reviewer.ctx,
      id,
      step('decide', await versionOf(id), { appointeeId: extra, members: 9, present: 9, inFavour: 9 }),
    );
    expect(decided).to.deep.include({ ok: true });
  });

  (backend === 'pg' ? it : it.skip)(
    'PostgreSQL: two cases appointed into the last deputy-mayor slot at once → exactly one wins',
    async function () {
      this.timeout(120_000);
      const race = await createTestTownship(knex, { countyId: s.county, deputyMayorSlots: 1 });
      const raceOfficer = await contextFor(world, 'township_officer', race.townshipId);
      const own = { ...race, accounts: { administrative: race.accounts.administrative as number } } as never;
      const a = await createCareerPerson(knex, own, {
        name: '竞甲',
        grade: 'clerk_1',
        since: '2020-01-01',
        assessments,
        postId: race.posts.office[0] as number,
      });
      const b = await createCareerPerson(knex, own, {
        name: '竞乙',
        grade: 'clerk_1',
        since: '2020-01-01',
        assessments,
        postId: race.posts.office[1] as number,
      });
      const saved = officer;
      officer = raceOfficer;
      // A reviewer whose scope was resolved once the new township existed.
      reviewer = await contextFor(world, 'county_reviewer', s.county);
      const c1 = await caseUpTo(race.posts.deputyMayor[0] as number, 'publicity', a);
      const c2 = await caseUpTo(race.posts.deputyMayor[1] as number, 'publicity', b);
      officer = saved;
      const svc = world.services.promotionCases;
      const results = await Promise.all(
        [c1, c2].map(async (id) =>
          svc.step(
            reviewer.ctx,
            id,
            step('appoint', await versionOf(id), { on: '2026-11-23', docNo: `测组任〔2026〕${id}号` }),
          ),
        ),
      );
      expect(results.filter((r) => r.ok)).to.have.length(1);
      expect(results.find((r) => !r.ok)).to.include({ code: 'slot_full' });
      const held = await knex('assignments')
        .whereIn('post_id', race.posts.deputyMayor)
        .count<{ n: number }[]>('* as n');
      expect(Number(held[0]?.n)).to.equal(1);
    },
  );
});
