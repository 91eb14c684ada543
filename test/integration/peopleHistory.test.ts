import { expect } from 'chai';
import type { Knex } from 'knex';
import { countRows, createOwnTownship, createRegisteredPerson } from '../support/factories.js';
import { type Agent, csrfFrom } from '../support/http.js';
import { personFields, rowOf, signInAs, snapshotCounts, submit } from '../support/people.js';
import { getWorld, type TestWorld } from '../support/world.js';

describe('people: effective-dated history, quota entry, corrections', () => {
  let world: TestWorld;
  let knex: Knex;
  let t: Awaited<ReturnType<typeof createOwnTownship>>;
  let officer: Agent;

  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
    knex = world.db.knex;
    t = await createOwnTownship(knex);
    officer = await signInAs(world, t.officer);
  });

  const addEntry = (personId: number, kind: string, fields: Record<string, string>) =>
    submit(officer, `/people/${personId}/history/${kind}/new`, `/people/${personId}/history/${kind}`, fields);

  it('creates a person with a first post, its quota slot and an active status in one transaction', async () => {
    const res = await submit(officer, '/people/new', '/people', {
      townshipId: String(t.townshipId),
      ...personFields(),
      postId: String(t.posts.clerkA),
      establishmentType: 'administrative',
      validFrom: '2020.09.01',
      reason: '考试录用',
      docNo: '测组〔2020〕1号',
    });
    expect(res.status, res.text.slice(0, 3000)).to.equal(303);
    const id = Number(/\/people\/(\d+)$/.exec(String(res.headers.location))?.[1]);
    expect(await rowOf(knex, 'assignments', { person_id: id })).to.include({
      post_id: t.posts.clerkA,
      kind: 'primary',
      valid_from: '2020-09-01',
      valid_to: null,
      doc_no: '测组〔2020〕1号',
    });
    expect(await rowOf(knex, 'quota_slots', { person_id: id })).to.include({
      account_id: t.accounts.administrative,
      valid_from: '2020-09-01',
    });
    expect(await rowOf(knex, 'person_statuses', { person_id: id })).to.include({ status: 'active' });
    const page = await officer.get(`/people/${id}`).expect(200);
    expect(page.text).to.contain('综合文字岗');
    expect(page.text).to.contain('2020.09--');
    expect(page.text).to.contain('现行');
  });

  it('refuses a post that does not take the type, and a township without a vacancy, writing nothing', async () => {
    const before = await snapshotCounts(knex);
    const mixed = await submit(officer, '/people/new', '/people', {
      townshipId: String(t.townshipId),
      ...personFields(),
      postId: String(t.posts.clerkB),
      establishmentType: 'institutional',
      validFrom: '2021-01-01',
    });
    expect(mixed.status).to.equal(400);
    expect(mixed.text).to.contain('不得混编混岗');
    // Institutional quota: 1 approved. The first takes it; the second finds none.
    const first = await submit(officer, '/people/new', '/people', {
      townshipId: String(t.townshipId),
      ...personFields(),
      postId: String(t.posts.station),
      establishmentType: 'institutional',
      validFrom: '2021-01-01',
    });
    expect(first.status).to.equal(303);
    const afterFirst = await snapshotCounts(knex);
    // A new person, on the same day, for a post free again (the first one moves on the day before).
    const firstId = Number(/\/people\/(\d+)$/.exec(String(first.headers.location))?.[1]);
    const firstAssignment = await rowOf(knex, 'assignments', { person_id: firstId });
    await knex('assignments').where({ id: firstAssignment.id }).update({ valid_to: '2022-01-01' });
    const full = await submit(officer, '/people/new', '/people', {
      townshipId: String(t.townshipId),
      ...personFields(),
      postId: String(t.posts.station),
      establishmentType: 'institutional',
      validFrom: '2022-01-01',
    });
    expect(full.status).to.equal(409);
    expect(full.text).to.contain('没有空编（核定 1 名，实有 1 名）');
    expect(full.text).to.contain('value="2022-01-01"');
    expect(await snapshotCounts(knex)).to.deep.equal(afterFirst);
    expect(afterFirst.people).to.equal(before.people + 1);
  });

  it('maps overlapping periods to messages on the field, never a 500', async () => {
    const a = await createRegisteredPerson(knex, { townshipId: t.townshipId, name: '甲' });
    const b = await createRegisteredPerson(knex, { townshipId: t.townshipId, name: '乙' });
    const ok = await addEntry(a.id, 'assignments', {
      assignmentKind: 'primary',
      postId: String(t.posts.clerkB),
      validFrom: '2018-03-01',
      reason: '调入',
      docNo: '测组〔2018〕3号',
    });
    expect(ok.status, ok.text.slice(0, 2000)).to.equal(303);
    const before = await snapshotCounts(knex);
    // The same post for someone else in an overlapping period.
    const taken = await addEntry(b.id, 'assignments', {
      assignmentKind: 'primary',
      postId: String(t.posts.clerkB),
      validFrom: '2019-01-01',
    });
    expect(taken.status).to.equal(409);
    expect(taken.text).to.contain('该岗位在此期间已有人员');
    expect(taken.text).to.contain('href="#postId"');
    // A second primary post for the same person, without ending the first.
    const twice = await addEntry(a.id, 'assignments', {
      assignmentKind: 'primary',
      postId: String(t.posts.station),
      validFrom: '2019-01-01',
      validTo: '2019-06-01',
    });
    expect(twice.status).to.equal(409);
    expect(twice.text).to.contain('该人员在此期间已有任职');
    expect(await snapshotCounts(knex)).to.deep.equal(before);
    // A secondment needs its planned end; the end must follow the start.
    const secondment = await addEntry(a.id, 'assignments', {
      assignmentKind: 'secondment',
      postId: String(t.posts.station),
      validFrom: '2019-01-01',
      validTo: '2018-01-01',
    });
    expect(secondment.status).to.equal(400);
    expect(secondment.text).to.contain('借调请填写计划结束日期');
    expect(secondment.text).to.contain('结束日期必须晚于开始日期');
    expect(await snapshotCounts(knex)).to.deep.equal(before);
  });

  it('ends an open entry once, and a new entry can end the previous one on its start date', async () => {
    const p = await createRegisteredPerson(knex, { townshipId: t.townshipId, name: '丙' });
    expect(
      (
        await addEntry(p.id, 'grades', {
          gradeCode: 'clerk_2',
          validFrom: '2016-08-01',
          reason: '新录用',
          probationUntil: '2017-08-01',
        })
      ).status,
    ).to.equal(303);
    // Overlap on the same ladder without closing: refused.
    const overlap = await addEntry(p.id, 'grades', { gradeCode: 'clerk_1', validFrom: '2018-08-01' });
    expect(overlap.status).to.equal(409);
    expect(overlap.text).to.contain('该人员在此期间已有该序列的职级');
    // With "end the previous entry": the old grade ends on 2018-08-01, the new one starts then.
    const next = await addEntry(p.id, 'grades', {
      gradeCode: 'clerk_1',
      validFrom: '2018-08-01',
      closePrevious: 'yes',
      docNo: '测组〔2018〕8号',
    });
    expect(next.status).to.equal(303);
    const old = await rowOf(knex, 'grades', { person_id: p.id, grade_code: 'clerk_2' });
    expect(old.valid_to).to.equal('2018-08-01');
    // A future-dated decision is recorded now and shown as such.
    const future = await addEntry(p.id, 'grades', {
      gradeCode: 'principal_4',
      validFrom: '2027-01-01',
      closePrevious: 'yes',
    });
    expect(future.status).to.equal(303);
    const page = await officer.get(`/people/${p.id}`).expect(200);
    expect(page.text).to.contain('2027.01.01 生效');
    // Ending an already ended entry is refused; ending the open one works once.
    const ended = await rowOf(knex, 'grades', { person_id: p.id, grade_code: 'clerk_1' });
    expect(ended.valid_to).to.equal('2027-01-01');
    const closeUrl = `/people/${p.id}/history/grades/${ended.id}/close`;
    expect((await officer.get(closeUrl)).status).to.equal(404);
    const open = await rowOf(knex, 'grades', { person_id: p.id, grade_code: 'principal_4' });
    const closed = await submit(
      officer,
      `/people/${p.id}/history/grades/${open.id}/close`,
      `/people/${p.id}/history/grades/${open.id}/close`,
      { validTo: '2027-06-30' },
    );
    expect(closed.status).to.equal(303);
    expect((await rowOf(knex, 'grades', { id: open.id })).valid_to).to.equal('2027-06-30');
    const again = await officer
      .post(`/people/${p.id}/history/grades/${open.id}/close`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), validTo: '2027-05-31' });
    expect(again.status).to.equal(409);
    expect(again.text).to.contain('这条记录已经结束');
  });

  it('records a correction as a new entry citing the old one, which stays visible as corrected', async () => {
    const p = await createRegisteredPerson(knex, { townshipId: t.townshipId, name: '丁' });
    await addEntry(p.id, 'statuses', { status: 'active', validFrom: '2015-07-01', reason: '录用' });
    const original = await rowOf(knex, 'person_statuses', { person_id: p.id });
    const form = await officer.get(`/people/${p.id}/history/statuses/${original.id}/correct`).expect(200);
    expect(form.text).to.contain('value="2015-07-01"');
    const before = await snapshotCounts(knex);
    const res = await officer
      .post(`/people/${p.id}/history/statuses/${original.id}/correct`)
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        status: 'active',
        validFrom: '2015-08-01',
        reason: '录用（日期更正）',
      });
    expect(res.status).to.equal(303);
    const old = await rowOf(knex, 'person_statuses', { id: original.id });
    expect(old.superseded_at).to.not.equal(null);
    expect(old.valid_from).to.equal('2015-07-01');
    const fixed = await rowOf(knex, 'person_statuses', { corrects_id: original.id });
    expect(fixed).to.include({ valid_from: '2015-08-01', superseded_at: null });
    const after = await snapshotCounts(knex);
    expect(after.person_statuses).to.equal((before.person_statuses ?? 0) + 1);
    expect(after.writes).to.equal(before.writes + 1);
    const audit = await rowOf(knex, 'audit_log', {
      action: 'person.history_corrected',
      entity_id: String(p.id),
    });
    expect(audit.before.validFrom).to.equal('2015-07-01');
    expect(audit.after.validFrom).to.equal('2015-08-01');
    const page = await officer.get(`/people/${p.id}`).expect(200);
    expect(page.text).to.match(/<tr class="superseded">[\s\S]*?已更正/);
    expect(page.text).to.contain('更正记录');
    // The corrected entry can't be corrected again; a repeated submit finds its replacement.
    const replay = await officer
      .post(`/people/${p.id}/history/statuses/${original.id}/correct`)
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        status: 'active',
        validFrom: '2015-08-01',
        reason: '录用（日期更正）',
      });
    expect(replay.status).to.equal(303);
    expect(await countRows(knex, 'person_statuses', { person_id: p.id })).to.equal(2);
    expect((await officer.get(`/people/${p.id}/history/statuses/${original.id}/correct`)).status).to.equal(
      404,
    );
  });

  it('checks the vacancy under a lock when a quota slot is added', async () => {
    const p = await createRegisteredPerson(knex, { townshipId: t.townshipId, name: '戊' });
    // Administrative: 2 approved; the township has one in force from 2020-09 (the first test) and may have more.
    const occupied = await countRows(knex, 'quota_slots', { account_id: t.accounts.administrative });
    const fill = async (personId: number, from: string) =>
      addEntry(personId, 'slots', { accountId: String(t.accounts.administrative), validFrom: from });
    let status = 0;
    if (occupied < 2) status = (await fill(p.id, '2023-01-01')).status;
    expect(status === 0 || status === 303).to.equal(true);
    const q = await createRegisteredPerson(knex, { townshipId: t.townshipId, name: '己' });
    const full = await fill(q.id, '2024-01-01');
    expect(full.status).to.equal(409);
    expect(full.text).to.contain('行政编制在这个日期没有空编');
    // Before the first slot started, a place was free.
    const early = await fill(q.id, '2010-01-01');
    expect(early.status).to.equal(303);
    // ...but an overlapping second slot for the same person is refused by the constraint.
    const overlap = await addEntry(q.id, 'slots', {
      accountId: String(t.accounts.institutional),
      validFrom: '2011-01-01',
    });
    expect(overlap.status).to.equal(409);
    expect(overlap.text).to.contain('该人员在此期间已占用编制');
  });

  it('records sanctions with the impact period from the configuration, and corrects them', async () => {
    const p = await createRegisteredPerson(knex, { townshipId: t.townshipId, name: '庚' });
    const bad = await submit(officer, `/people/${p.id}/sanctions/new`, `/people/${p.id}/sanctions`, {
      kindCode: '',
      decidedOn: '2024.13.01',
    });
    expect(bad.status).to.equal(400);
    expect(bad.text).to.contain('请选择处分类别');
    expect(bad.text).to.contain('请按“2019.07.15”的格式输入日期');
    const ok = await submit(officer, `/people/${p.id}/sanctions/new`, `/people/${p.id}/sanctions`, {
      kindCode: 'gov_demerit',
      decidedOn: '2024-06-15',
      reason: '违反工作纪律',
      docNo: '测纪〔2024〕5号',
    });
    expect(ok.status).to.equal(303);
    let page = await officer.get(`/people/${p.id}`).expect(200);
    expect(page.text).to.contain('影响期至 2025.06');
    const row = await rowOf(knex, 'sanctions', { person_id: p.id });
    const fixed = await submit(
      officer,
      `/people/${p.id}/sanctions/${row.id}/correct`,
      `/people/${p.id}/sanctions/${row.id}/correct`,
      { kindCode: 'gov_warning', decidedOn: '2024-06-15', reason: '违反工作纪律', docNo: '测纪〔2024〕5号' },
    );
    expect(fixed.status).to.equal(303);
    page = await officer.get(`/people/${p.id}`).expect(200);
    expect(page.text).to.contain('影响期至 2024.12');
    expect(page.text).to.contain('已更正');
    // An open investigation blocks until it is closed.
    await submit(officer, `/people/${p.id}/sanctions/new`, `/people/${p.id}/sanctions`, {
      kindCode: 'investigation',
      decidedOn: '2026-10-01',
    });
    const inv = await rowOf(knex, 'sanctions', { person_id: p.id, kind_code: 'investigation' });
    page = await officer.get(`/people/${p.id}`).expect(200);
    expect(page.text).to.contain('至结案');
    const closed = await submit(
      officer,
      `/people/${p.id}/sanctions/${inv.id}/close`,
      `/people/${p.id}/sanctions/${inv.id}/close`,
      { closedOn: '2026-11-01' },
    );
    expect(closed.status).to.equal(303);
    expect((await rowOf(knex, 'sanctions', { id: inv.id })).closed_on).to.equal('2026-11-01');
  });
});

describe('people: the quota lock under concurrency (PostgreSQL)', () => {
  it('gives the last place to one of two simultaneous entries', async function () {
    const { backend } = await import('../support/world.js');
    if (backend !== 'pg') this.skip(); // PGlite has one connection: races cannot happen there.
    const world = await getWorld();
    const knex = world.db.knex;
    const t = await createOwnTownship(knex);
    // Administrative: 2 approved, 1 taken: one place left.
    const seated = await createRegisteredPerson(knex, { townshipId: t.townshipId, name: '先到' });
    await knex('quota_slots').insert({
      person_id: seated.id,
      account_id: t.accounts.administrative,
      valid_from: '2020-01-01',
    });
    const scope = await world.services.access.scopeFor({
      userId: t.officer.id,
      username: t.officer.username,
      displayName: '',
      locale: 'zh-CN',
      via: 'session',
      grants: [{ role: 'township_officer', regionId: t.townshipId, personId: null }],
    });
    const actor = { userId: t.officer.id, username: t.officer.username, requestId: 'race' };
    const entry = (postId: number, name: string) => {
      const fields = personFields({ name, politicalStatus: 'masses', partyJoinedOn: '' });
      return world.services.people.create(actor, scope, {
        townshipId: t.townshipId,
        person: {
          ...fields,
          gender: 'female',
          birthDate: '1992-03-08',
          birthPrecision: 'month',
          partyJoinedOn: null,
          workStartedOn: '2014-07-01',
        },
        first: {
          postId,
          establishmentType: 'administrative',
          validFrom: '2024-01-01',
          reason: '',
          docNo: null,
        },
        formToken: null,
      });
    };
    const results = await Promise.all([entry(t.posts.clerkA, '赛甲'), entry(t.posts.clerkB, '赛乙')]);
    expect(results.map((r) => r.ok).sort()).to.deep.equal([false, true]);
    const refused = results.find((r) => !r.ok);
    expect(refused && !refused.ok && refused.problems[0]?.key).to.equal('noVacancy');
    expect(await countRows(knex, 'quota_slots', { account_id: t.accounts.administrative })).to.equal(2);
  });
});
