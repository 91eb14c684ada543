import { expect } from 'chai';
import type { Knex } from 'knex';
import type { Principal } from '../../src/auth/principal.js';
import type { RequestContext } from '../../src/services/access.js';
import {
  createOwnTownship,
  createRegisteredPerson,
  createTestTownship,
  createUser,
  demoScopes,
} from '../support/factories.js';
import { type Agent, csrfOf, signIn } from '../support/http.js';
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

/** Switches an agent's language (saved on the account). */
async function useLocale(agent: Agent, locale: 'zh-CN' | 'en') {
  await agent
    .post('/locale')
    .type('form')
    .send({ _csrf: await csrfOf(agent, '/account'), locale, returnTo: '/' })
    .expect(303);
}

/** A binary response body (Excel). */
async function download(agent: Agent, url: string) {
  return agent
    .get(url)
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
}

/** The visible text of a page (tags and attributes gone), for checking that no raw i18n key shows. */
const visibleText = (html: string) => html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ');
const RAW_KEY =
  /\b(reports|usage|usageStatus|leadership|leadershipStatus|establishment|eligibilityList|directory|pageTools|post|unit|movementKinds|establishmentTypes|assignmentKinds|unitRanks)\.[a-zA-Z]/;

/** HTML with Handlebars' escapes of `=` and `&` undone, to look for URLs. */
const unescaped = (html: string) => html.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

const SLUGS = [
  'establishment',
  'leadership',
  'cross-type',
  'secondments',
  'eligibility',
  'workforce',
  'changes',
  'publicity-probation',
];

describe('reports: the county reports, their Excel, print views and API', () => {
  let world: TestWorld;
  let knex: Knex;
  let s: Awaited<ReturnType<typeof demoScopes>>;
  let t1: Awaited<ReturnType<typeof createOwnTownship>>;
  let t2: Awaited<ReturnType<typeof createTestTownship>>;
  let reviewer: { username: string; password: string };
  const ids: Record<string, number> = {};
  let t1Name = '';

  /** A person in service from `since`, with a quota slot in an account, optionally in a post. */
  async function person(options: {
    name: string;
    township: number;
    account: number;
    since: string;
    gender?: 'male' | 'female';
    birthDate?: string;
    post?: number;
    grade?: string;
    assessments?: Record<number, string>;
    bachelor?: boolean;
  }): Promise<number> {
    const { id } = await createRegisteredPerson(knex, {
      townshipId: options.township,
      name: options.name,
      gender: options.gender ?? 'male',
      birthDate: options.birthDate ?? '1990-05-17',
    });
    await knex('people')
      .where({ id })
      .update({ political_status: 'cpc_member', party_joined_on: '2012-07-01', ethnicity: '汉族' });
    await knex('quota_slots').insert({
      person_id: id,
      account_id: options.account,
      valid_from: options.since,
    });
    await knex('person_statuses').insert({ person_id: id, status: 'active', valid_from: options.since });
    if (options.post)
      await knex('assignments').insert({
        person_id: id,
        post_id: options.post,
        kind: 'primary',
        valid_from: options.since,
      });
    if (options.grade)
      await knex('grades').insert({
        person_id: id,
        ladder: 'civil_service_rank',
        grade_code: options.grade,
        valid_from: options.since,
      });
    for (const [year, result] of Object.entries(options.assessments ?? {}))
      await knex('assessments').insert({ person_id: id, year: Number(year), result });
    if (options.bachelor)
      await knex('educations').insert({
        person_id: id,
        mode: 'full_time',
        level: 'bachelor',
        school: '测试大学',
        major: '行政管理',
        graduated_on: '2012-07-01',
      });
    return id;
  }

  async function secondment(personId: number, postId: number, from: string, plannedUntil: string) {
    await knex('assignments').insert({
      person_id: personId,
      post_id: postId,
      kind: 'secondment',
      valid_from: from,
      planned_until: plannedUntil,
    });
  }

  const asAdmin = async (): Promise<RequestContext> => {
    const principal: Principal = {
      userId: 0,
      username: 'report-test',
      displayName: 'report-test',
      locale: 'zh-CN',
      via: 'session',
      grants: [{ role: 'admin', regionId: null, personId: null }],
    };
    return {
      principal,
      scope: await world.services.access.scopeFor(principal),
      actor: { userId: 0, username: 'report-test', requestId: 'test' },
    };
  };

  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
    knex = world.db.knex;
    s = await demoScopes(knex);
    // A county of its own: T1 (administrative 2, institutional 1) and T2 (administrative 3, institutional 3,
    // two deputy-mayor slots, a total of 9).
    t1 = await createOwnTownship(knex);
    t2 = await createTestTownship(knex, {
      countyId: t1.countyId,
      approved: { administrative: 3, institutional: 3 },
      postsPerUnit: 2,
    });
    const station = await knex('posts').where({ id: t1.posts.station }).first('unit_id');
    const [extra] = await knex('posts')
      .insert({
        township_id: t1.townshipId,
        unit_id: station?.unit_id ?? null,
        name: '农技推广岗二',
        category: 'management',
        establishment_types: ['institutional'],
        opened_on: '2000-01-01',
        sort_order: 9,
      })
      .returning('id');
    const t1Station2 = (extra as { id: number }).id;
    // H holds an administrative post recorded as a cross-type post by a post decision.
    await knex('posts')
      .where({ id: t2.posts.office[1] })
      .update({ cross_type: true, doc_no: '测编〔2026〕9号' });

    // T1: A eligible now for 四级主任科员, B within 6 months and placed in an institutional post (cross-type,
    // nothing recorded), C institutional and seconded to T2 (overdue since 2026-06-30).
    ids.a = await person({
      name: '王甲',
      township: t1.townshipId,
      account: t1.accounts.administrative as number,
      since: '2020-01-01',
      post: t1.posts.clerkA,
      bachelor: true,
    });
    await knex('grades').insert({
      person_id: ids.a,
      ladder: 'civil_service_rank',
      grade_code: 'clerk_1',
      valid_from: '2024-06-15',
    });
    for (const year of [2024, 2025])
      await knex('assessments').insert({ person_id: ids.a, year, result: 'competent' });
    ids.b = await person({
      name: '李乙',
      township: t1.townshipId,
      account: t1.accounts.administrative as number,
      since: '2025-03-10',
      gender: 'female',
      birthDate: '1996-02-01',
      post: t1.posts.station,
      grade: 'clerk_1',
      assessments: { 2025: 'competent' },
      bachelor: true,
    });
    ids.c = await person({
      name: '张丙',
      township: t1.townshipId,
      account: t1.accounts.institutional as number,
      since: '2021-01-01',
      birthDate: '1970-03-01',
    });
    await secondment(ids.c, t2.posts.station[1] as number, '2026-01-01', '2026-06-30');
    // T2: three deputy mayors for two slots (over by one), G seconded to T1 (running), H cross-type recorded.
    for (const [i, key] of (['d', 'e', 'f'] as const).entries())
      ids[key] = await person({
        name: `副镇长${i + 1}`,
        township: t2.townshipId,
        account: t2.accounts.administrative as number,
        since: '2022-01-01',
        post: t2.posts.deputyMayor[i],
      });
    ids.g = await person({
      name: '赵丁',
      township: t2.townshipId,
      account: t2.accounts.institutional as number,
      since: '2022-01-01',
      post: t2.posts.station[0],
    });
    await secondment(ids.g, t1Station2, '2026-10-01', '2027-03-31');
    ids.h = await person({
      name: '钱戊',
      township: t2.townshipId,
      account: t2.accounts.institutional as number,
      since: '2023-01-01',
      post: t2.posts.office[1],
    });
    reviewer = await createUser(knex, { role: 'county_reviewer', regionId: t1.countyId, prefix: 'rpt' });
    t1Name = (await knex('regions').where({ id: t1.townshipId }).first('name'))?.name ?? '';
  });

  it('the index lists the reports for every role but staff, with the ledger and the publicity and probation calendar', async () => {
    const officer = await signInAs(world, t1.officer);
    const page = await officer.get('/reports').expect(200);
    expect(page.text).to.contain('href="/reports"'); // in the main navigation
    for (const slug of SLUGS) expect(page.text).to.contain(`href="/reports/${slug}"`);
    expect(page.text).to.contain('href="/movements/ledger"');
    expect(page.text).to.contain('任前公示与试用期日历');
    expect(page.text).to.not.contain('aria-disabled="true"');
    const staff = await signIn(world.app, 'staff');
    const home = await staff.get(`/people/${s.staffPerson}/career`).expect(200);
    expect(home.text).not.to.contain('href="/reports"');
    await staff.get('/reports').expect(404);
    for (const slug of SLUGS) {
      await staff.get(`/reports/${slug}`).expect(404);
      await staff.get(`/reports/${slug}.xlsx`).expect(404);
      await staff.get(`/api/v1/reports/${slug}`).expect(404);
      await staff.get(`/api/v1/reports/${slug}?asOf=nonsense`).expect(404);
    }
    await staff.get('/api/v1/reports').expect(404);
  });

  it('编制使用情况: per township and type with county totals, and the drill-down to units and names', async () => {
    const agent = await signInAs(world, reviewer);
    const api = await agent.get('/api/v1/reports/establishment').expect(200);
    const body = api.body as {
      filters: { county: { id: number }; townships: Array<{ id: number }> };
      townships: Array<{
        id: number;
        byType: Array<Record<string, unknown>>;
        total: Record<string, unknown>;
      }>;
      total: Record<string, unknown>;
      units: unknown;
    };
    expect(body.filters.county.id).to.equal(t1.countyId);
    expect(body.townships.map((t) => t.id)).to.deep.equal([t1.townshipId, t2.townshipId]);
    const [one, two] = body.townships;
    expect(one?.byType).to.deep.equal([
      {
        establishmentType: 'administrative',
        approved: 2,
        occupied: 2,
        reserved: 0,
        vacant: 0,
        over: 0,
        status: 'full',
      },
      {
        establishmentType: 'institutional',
        approved: 1,
        occupied: 1,
        reserved: 0,
        vacant: 0,
        over: 0,
        status: 'full',
      },
    ]);
    expect(two?.total).to.include({ approved: 6, occupied: 5, vacant: 1, over: 0, status: 'vacant' });
    expect(body.total).to.include({ approved: 9, occupied: 8, reserved: 0, vacant: 1, over: 0 });
    expect(body.units).to.equal(null);
    // The same numbers as the township's own establishment page (one derived query).
    const quota = await agent.get(`/api/v1/townships/${t2.townshipId}/quota`).expect(200);
    for (const u of quota.body.byType as Array<Record<string, unknown>>) {
      const mine = two?.byType.find((x) => x.establishmentType === u.establishmentType);
      expect(mine).to.include({ approved: u.approved, occupied: u.occupied, vacant: u.vacant, over: u.over });
    }
    const page = await agent.get('/reports/establishment').expect(200);
    expect(page.text).to.contain(t1Name);
    expect(unescaped(page.text)).to.contain(`href="/reports/establishment?township=${t1.townshipId}"`);
    expect(page.text).to.contain('<svg');
    expect(page.text).to.contain('小计');
    // Drill down: one township, its units and the names, linking to its establishment page.
    const drill = await agent.get(`/reports/establishment?township=${t1.townshipId}`).expect(200);
    expect(drill.text).to.contain('机构和人员');
    expect(drill.text).to.contain('王甲');
    expect(drill.text).to.contain('李乙');
    expect(drill.text).to.contain(`href="/townships/${t1.townshipId}/establishment"`);
    const drillApi = await agent.get(`/api/v1/reports/establishment?township=${t1.townshipId}`).expect(200);
    const holders = (
      drillApi.body.units as Array<{ holders: Array<{ name: string; crossType: boolean }> }>
    ).flatMap((u) => u.holders);
    expect(holders.find((h) => h.name === '李乙')?.crossType).to.equal(true);
    // Another date: before B and C came, T1 had one administrative place occupied.
    const earlier = await agent
      .get(`/api/v1/reports/establishment?township=${t1.townshipId}&asOf=2020-06-01`)
      .expect(200);
    expect(earlier.body.total).to.include({ approved: 3, occupied: 1, vacant: 2 });
  });

  it('领导职数配备: approved vs filled per kind, vacancies and over-staffing', async () => {
    const agent = await signInAs(world, reviewer);
    const res = await agent.get(`/api/v1/reports/leadership?county=${t1.countyId}`).expect(200);
    const [one, two] = res.body.townships as Array<
      Record<string, unknown> & { kinds: Array<Record<string, unknown>> }
    >;
    expect(one).to.include({ total: null, countedFilled: 0, vacant: null, over: 0 });
    expect(two).to.include({ total: 9, countedFilled: 3, vacant: 6, over: 0 });
    expect(two?.kinds.find((k) => k.kind === 'deputy_mayor')).to.include({
      approved: 2,
      filled: 3,
      vacant: 0,
      over: 1,
    });
    expect(
      (res.body.kinds as Array<Record<string, unknown>>).find((k) => k.kind === 'deputy_mayor'),
    ).to.include({
      approved: 2,
      filled: 3,
      over: 1,
    });
    const page = await agent.get('/reports/leadership').expect(200);
    expect(page.text).to.contain('副镇长1');
    expect(page.text).to.contain('超配');
    expect(page.text).to.contain('<svg');
  });

  it('同岗不同编: cross-type placements with the approval where one is recorded', async () => {
    const agent = await signInAs(world, reviewer);
    const res = await agent.get('/api/v1/reports/cross-type').expect(200);
    expect(res.body.total).to.deep.equal({ count: 2, recorded: 1, unrecorded: 1 });
    const items = res.body.items as Array<{
      person: { id: number };
      establishmentType: string;
      post: { establishmentTypes: string[]; crossType: boolean; docNo: string | null };
      recorded: boolean;
    }>;
    const b = items.find((i) => i.person.id === ids.b);
    expect(b).to.deep.include({ establishmentType: 'administrative', recorded: false });
    expect(b?.post.establishmentTypes).to.deep.equal(['institutional']);
    const h = items.find((i) => i.person.id === ids.h);
    expect(h?.recorded).to.equal(true);
    expect(h?.post).to.include({ crossType: true, docNo: '测编〔2026〕9号' });
    const page = await agent.get('/reports/cross-type').expect(200);
    expect(page.text).to.contain('未记录审批');
    expect(page.text).to.contain('跨类别岗位，测编〔2026〕9号');
  });

  it('在编不在岗: secondments in force on the date, overdue ones first with the days overdue', async () => {
    const agent = await signInAs(world, reviewer);
    const res = await agent.get('/api/v1/reports/secondments').expect(200);
    expect(res.body.total).to.deep.equal({ count: 2, overdue: 1 });
    const [first, second] = res.body.items as Array<Record<string, unknown> & { person: { id: number } }>;
    expect(first?.person.id).to.equal(ids.c);
    expect(first).to.include({ overdue: true, daysOverdue: 138, plannedUntil: '2026-06-30' });
    expect(second?.person.id).to.equal(ids.g);
    expect(second).to.include({ overdue: false, daysOverdue: 0 });
    // Before the planned end, C was not overdue and G not yet seconded.
    const june = await agent.get('/api/v1/reports/secondments?asOf=2026-06-01').expect(200);
    expect(june.body.total).to.deep.equal({ count: 1, overdue: 0 });
    // The officer of T1 sees both: C is T1's, G works in T1.
    const officer = await signInAs(world, t1.officer);
    const mine = await officer.get('/reports/secondments').expect(200);
    expect(mine.text).to.contain('张丙');
    expect(mine.text).to.contain('赵丁');
    expect(mine.text).to.contain('138 天');
    expect(mine.text.indexOf('张丙')).to.be.lessThan(mine.text.indexOf('赵丁'));
  });

  it('eligibility pipeline: counts from the engine, each linked to the township list', async () => {
    const agent = await signInAs(world, reviewer);
    const res = await agent.get('/api/v1/reports/eligibility').expect(200);
    const target = (
      res.body.targets as Array<{
        target: string;
        townships: Array<Record<string, unknown>>;
        total: Record<string, unknown>;
      }>
    ).find((t) => t.target === 'principal_4');
    expect(target?.townships[0]).to.include({
      id: t1.townshipId,
      now: 1,
      within6: 1,
      within12: 0,
      assessed: 2,
    });
    expect(target?.total).to.include({ now: 1, within6: 1, within12: 0 });
    // The same people as the township list.
    const list = await agent
      .get(`/api/v1/townships/${t1.townshipId}/eligibility?target=principal_4`)
      .expect(200);
    const group = (list.body.targets as Array<{ now: unknown[]; within6: unknown[] }>)[0];
    expect(group?.now.length).to.equal(1);
    expect(group?.within6.length).to.equal(1);
    const page = await agent.get('/reports/eligibility').expect(200);
    expect(unescaped(page.text)).to.contain(
      `href="/townships/${t1.townshipId}/eligibility?target=principal_4#target-principal_4-now"`,
    );
  });

  it('workforce structure: age, education, gender, ethnicity and party by type and township, with shares', async () => {
    const agent = await signInAs(world, reviewer);
    const res = await agent.get('/api/v1/reports/workforce').expect(200);
    const total = res.body.total as Record<string, { total: number; counts: Record<string, number> }>;
    expect(total.gender).to.deep.equal({ total: 8, counts: { male: 7, female: 1 } });
    expect(total.education?.counts).to.include({ bachelor: 2, unknown: 6 });
    expect(total.age?.counts).to.include({ upTo30: 1, '36to40': 6, from56: 1 });
    expect(total.party?.counts).to.deep.equal({ member: 8, nonMember: 0 });
    const byType = res.body.byType as Array<{ establishmentType: string; structure: typeof total }>;
    expect(byType.map((x) => [x.establishmentType, x.structure.gender?.total])).to.deep.equal([
      ['administrative', 5],
      ['institutional', 3],
    ]);
    const page = await agent.get('/reports/workforce').expect(200);
    expect(page.text).to.contain('12.5%'); // one woman of eight
    expect(page.text).to.contain('30岁及以下');
    expect(page.text).to.contain('bar--s0');
  });

  it('changes over a period: quota usage and people in service on two dates with the differences', async () => {
    const agent = await signInAs(world, reviewer);
    const res = await agent.get('/api/v1/reports/changes?from=2020-06-01&to=2026-11-15').expect(200);
    expect(res.body.total.from).to.include({ approved: 9, occupied: 1 });
    expect(res.body.total.to).to.include({ approved: 9, occupied: 8 });
    expect(res.body.total.diff).to.include({ approved: 0, occupied: 7, vacant: -7 });
    expect(res.body.total.people).to.deep.equal({ from: 1, to: 8, diff: 7 });
    const page = await agent.get('/reports/changes?from=2020-06-01&to=2026-11-15').expect(200);
    expect(page.text).to.contain('+7');
    expect(page.text).to.contain('2020.06.01');
    // Dates the wrong way round: the message beside the field, the page still answers.
    const wrong = await agent.get('/reports/changes?from=2026-12-01&to=2026-01-01').expect(200);
    expect(wrong.text).to.contain('起始日期不能晚于截止日期');
    expect(wrong.text).to.contain('value="2026-12-01"');
    await agent.get('/api/v1/reports/changes?from=2026-12-01&to=2026-01-01').expect(422);
  });

  it('scope: other counties and townships are not found; officers see their own township', async () => {
    const officer = await signInAs(world, t1.officer);
    const own = await officer.get('/api/v1/reports/establishment').expect(200);
    expect(own.body.filters.township.id).to.equal(t1.townshipId);
    expect(own.body.townships.map((t: { id: number }) => t.id)).to.deep.equal([t1.townshipId]);
    for (const slug of SLUGS) {
      await officer.get(`/reports/${slug}?township=${t2.townshipId}`).expect(404);
      await officer.get(`/reports/${slug}?county=${s.county}`).expect(404);
      await officer.get(`/api/v1/reports/${slug}?township=${s.township}`).expect(404);
    }
    const zuzhibu = await signIn(world.app, 'zuzhibu');
    await zuzhibu.get(`/reports/establishment?county=${t1.countyId}`).expect(404);
    await zuzhibu.get(`/reports/leadership.xlsx?township=${t1.townshipId}`).expect(404);
    await zuzhibu.get(`/api/v1/reports/workforce?county=${s.county2}`).expect(404);
    const demo = await zuzhibu.get('/api/v1/reports/establishment').expect(200);
    const demoIds = demo.body.townships.map((t: { id: number }) => t.id) as number[];
    expect(demoIds).to.include(s.township);
    expect(demoIds).not.to.include(t1.townshipId);
    expect(demoIds).not.to.include(s.township3);
    expect(demo.body.departments.length).to.be.greaterThan(0);
    const admin = await signIn(world.app, 'admin');
    const all = await admin.get(`/api/v1/reports/establishment?county=${t1.countyId}`).expect(200);
    expect(all.body.total).to.include({ approved: 9, occupied: 8 });
    // Bad filters: a message on the page, 422 in the API.
    const bad = await admin.get('/reports/establishment?county=abc&asOf=2026-02-30').expect(200);
    expect(bad.text).to.contain('请从列表中选择县（区）');
    expect(bad.text).to.contain('错误：编制使用情况');
    await admin.get('/api/v1/reports/establishment?asOf=2026-02-30').expect(422);
    await admin.get('/api/v1/reports/establishment?township=0').expect(422);
  });

  it('Excel: the same rows with the filters in the title, numbers as numbers', async () => {
    const agent = await signInAs(world, reviewer);
    const { default: ExcelJS } = await import('exceljs');
    for (const url of [
      `/reports/establishment.xlsx?asOf=${TEST_TODAY}`,
      '/reports/establishment?format=xlsx',
      ...SLUGS.map((slug) => `/reports/${slug}.xlsx`),
    ]) {
      const res = await download(agent, url);
      expect(res.status, url).to.equal(200);
      expect(res.headers['content-type'], url).to.equal(
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      expect(res.headers['content-disposition']).to.contain("filename*=UTF-8''");
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body as unknown as ArrayBuffer);
      expect(wb.worksheets.length, url).to.be.greaterThan(0);
    }
    const res = await download(agent, `/reports/establishment.xlsx?asOf=${TEST_TODAY}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const title = String(ws?.getRow(1).getCell(1).value);
    expect(title).to.contain('编制使用情况');
    expect(title).to.contain('2026.11.15');
    const county = await knex('regions').where({ id: t1.countyId }).first('name');
    expect(title).to.contain(county?.name);
    const row = ws
      ?.getRows(3, ws.rowCount - 2)
      ?.find((r) => r.getCell(1).value === t2.name && r.getCell(2).value === '事业编制');
    expect(row?.getCell(3).value).to.equal(3); // approved
    expect(row?.getCell(4).value).to.equal(2); // occupied
    const secondments = await download(agent, '/reports/secondments.xlsx');
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(secondments.body as unknown as ArrayBuffer);
    const first = wb2.worksheets[0]?.getRow(3);
    expect(first?.getCell(1).value).to.equal('张丙');
    expect(first?.getCell(7).value).to.equal(138);
  });

  it('print views: A4 layout without the filters or navigation, the filters in the heading', async () => {
    const agent = await signInAs(world, reviewer);
    for (const slug of SLUGS) {
      const res = await agent.get(`/reports/${slug}?print=1`).expect(200);
      expect(res.text, slug).to.contain('class="print-view"');
      expect(res.text, slug).not.to.contain('class="site-header"');
      expect(res.text, slug).not.to.contain('report-filters');
      expect(res.text, slug).to.match(/<h1>[^<]+<span class="subtitle">[^<]*(2026\.11\.15|2026\.01\.01)/);
    }
  });

  it('both languages: every report page shows text, never a raw message key', async () => {
    const user = await createUser(knex, { role: 'county_reviewer', regionId: t1.countyId, prefix: 'rpt-en' });
    const agent = await signInAs(world, user);
    for (const locale of ['zh-CN', 'en'] as const) {
      await useLocale(agent, locale);
      for (const url of [
        '/reports',
        ...SLUGS.map((slug) => `/reports/${slug}`),
        `/reports/establishment?township=${t1.townshipId}`,
        '/reports/changes?from=2026-12-01&to=2026-01-01',
      ]) {
        const res = await agent.get(url).expect(200);
        const text = visibleText(res.text);
        expect(text, `${locale} ${url}`).not.to.match(RAW_KEY);
        if (locale === 'en') expect(res.text, url).to.contain('lang="en"');
      }
    }
    const en = await agent.get('/reports/secondments').expect(200);
    expect(en.text).to.contain('138 days');
    expect(en.text).to.contain('Secondments');
  });

  it('set-based: a county report costs the same number of queries for a two-township county as for the demo county', async () => {
    const ctx = await asAdmin();
    const r = world.services.reports;
    const small = { county: t1.countyId, township: null, asOf: TEST_TODAY };
    const big = { county: s.county, township: null, asOf: TEST_TODAY };
    const period = (county: number) => ({ county, township: null, from: '2024-01-01', to: TEST_TODAY });
    const reports: Record<string, (f: typeof small) => Promise<{ scope: { selected: unknown[] } }>> = {
      establishment: (f: typeof small) => r.establishment(ctx, f),
      leadership: (f: typeof small) => r.leadership(ctx, f),
      crossType: (f: typeof small) => r.crossType(ctx, f),
      secondments: (f: typeof small) => r.secondments(ctx, f),
      eligibility: (f: typeof small) => r.eligibility(ctx, f),
      workforce: (f: typeof small) => r.workforce(ctx, f),
      changes: (f: typeof small) => r.changes(ctx, period(f.county as number)),
      promotionCalendar: (f: typeof small) => r.promotionCalendar(ctx, f),
    };
    for (const [name, run] of Object.entries(reports)) {
      const a = await countQueries(knex, () => run(small));
      const b = await countQueries(knex, () => run(big));
      expect(b.result.scope.selected.length, name).to.be.greaterThan(a.result.scope.selected.length);
      expect(b.queries, name).to.equal(a.queries);
      expect(b.queries, name).to.be.at.most(16);
    }
  });
});
