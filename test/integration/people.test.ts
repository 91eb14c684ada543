import { expect } from 'chai';
import type { Knex } from 'knex';
import {
  countRows,
  createOwnTownship,
  createRegisteredPerson,
  createUser,
  demoScopes,
  freshIdNumber,
} from '../support/factories.js';
import { type Agent, csrfFrom, csrfOf, signIn } from '../support/http.js';
import { personFields, rowOf, signInAs, snapshotCounts, submit } from '../support/people.js';
import { getWorld, type TestWorld } from '../support/world.js';

describe('people: creating and editing a person record', () => {
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

  it('creates a person with the appointment-form fields, derived search keys and one audit entry', async () => {
    const before = await snapshotCounts(knex);
    const fields = personFields();
    const res = await submit(officer, '/people/new', '/people', {
      townshipId: String(t.townshipId),
      ...fields,
      formToken: 'token-create-1',
    });
    expect(res.status, res.text.slice(0, 2000)).to.equal(303);
    const id = Number(/\/people\/(\d+)$/.exec(String(res.headers.location))?.[1]);
    const row = await rowOf(knex, 'people', { id });
    expect(row).to.include({
      name: '欧阳晓梅',
      name_pinyin: 'ouyangxiaomei',
      name_initials: 'oyxm',
      surname_strokes: 14,
      gender: 'female',
      birth_date: '1992-03-08',
      party_joined_on: '2014-06-01',
      registered_township_id: t.townshipId,
    });
    const after = await snapshotCounts(knex);
    expect(after.people).to.equal(before.people + 1);
    expect(after.writes).to.equal(before.writes + 1);
    const audit = await rowOf(knex, 'audit_log', { action: 'person.created', entity_id: String(id) });
    expect(audit.after.idNumber).to.match(/^\d{6}\*{8}[\dX]{4}$/);
    // The officer sees the new person on the record page and in the township's roster.
    const page = await officer.get(`/people/${id}`).expect(200);
    expect(page.text).to.contain('欧阳晓梅');
    expect(page.text).to.contain(fields.idNumber);
    expect(page.text).to.contain('1992.03');
    const roster = await officer.get(`/townships/${t.townshipId}/people`).expect(200);
    expect(roster.text).to.contain('欧阳晓梅');
  });

  it('is idempotent under a double submit of the same form', async () => {
    const fields = { townshipId: String(t.townshipId), ...personFields(), formToken: 'token-double-1' };
    const page = await officer.get('/people/new');
    const token = csrfFrom(page.text);
    const first = await officer
      .post('/people')
      .type('form')
      .send({ _csrf: token, ...fields });
    const second = await officer
      .post('/people')
      .type('form')
      .send({ _csrf: token, ...fields });
    expect(first.status).to.equal(303);
    expect(second.status).to.equal(303);
    expect(second.headers.location).to.equal(first.headers.location);
    expect(await countRows(knex, 'people', { id_number: fields.idNumber })).to.equal(1);
  });

  it('explains every problem on the same form, keeps the input and writes nothing', async () => {
    const before = await snapshotCounts(knex);
    const res = await submit(officer, '/people/new', '/people', {
      townshipId: String(t.townshipId),
      name: '',
      idNumber: '12345',
      gender: '',
      birthDate: '1992年13月',
      ethnicity: '汉族',
      politicalStatus: '',
      partyJoinedOn: 'soon',
      nativePlace: '<script>alert(1)</script>',
    }).then((r) => r);
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('<title>错误：新增人员');
    for (const message of [
      '请输入姓名',
      '公民身份号码应为18位',
      '请选择性别',
      '请按“1985.06”的格式输入出生年月',
      '请选择政治面貌',
      '请按“2019.07”的格式输入年月',
    ])
      expect(res.text).to.contain(message);
    expect(res.text).to.contain('href="#idNumber"');
    expect(res.text).to.contain('value="12345"');
    expect(res.text).to.contain('&lt;script&gt;');
    expect(res.text).not.to.contain('<script>alert(1)</script>');
    expect(await snapshotCounts(knex)).to.deep.equal(before);
  });

  it('checks the ID number: check digit, birth date, and agreement with the birth month and gender', async () => {
    const good = freshIdNumber('1988-11-02', 'male');
    const badCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ idNumber: badCheck, gender: 'male', birthDate: '1988.11' }, 'idNumber', '校验位'],
      [
        { idNumber: `99000019881302${good.slice(14)}`, gender: 'male', birthDate: '1988.11' },
        'idNumber',
        '出生日期（第7至14位）',
      ],
      [{ idNumber: 'A'.repeat(18), gender: 'male', birthDate: '1988.11' }, 'idNumber', '只能包含数字'],
      [
        { idNumber: good, gender: 'male', birthDate: '1988.10' },
        'birthDate',
        '出生年月与身份证号码中的出生日期不一致',
      ],
      [{ idNumber: good, gender: 'female', birthDate: '1988.11' }, 'gender', '性别与身份证号码不一致'],
    ];
    for (const [overrides, field, message] of cases) {
      const res = await submit(officer, '/people/new', '/people', {
        townshipId: String(t.townshipId),
        ...personFields({ ...overrides, partyJoinedOn: '', politicalStatus: 'masses' }),
      });
      expect(res.status, JSON.stringify(overrides)).to.equal(400);
      expect(res.text, field).to.contain(`href="#${field}"`);
      expect(res.text).to.contain(message);
    }
    // A lower-case x is accepted and stored upper-case.
    const withX = (() => {
      for (let i = 0; i < 1000; i++) {
        const n = freshIdNumber('1990-01-01', 'male');
        if (n.endsWith('X')) return n;
      }
      throw new Error('no X');
    })();
    const ok = await submit(officer, '/people/new', '/people', {
      townshipId: String(t.townshipId),
      ...personFields({ idNumber: withX.toLowerCase(), gender: 'male', birthDate: '1990-01' }),
    });
    expect(ok.status).to.equal(303);
    expect(await countRows(knex, 'people', { id_number: withX })).to.equal(1);
  });

  it('refuses a duplicate ID number, naming the holder only inside the scope', async () => {
    const holder = await createRegisteredPerson(knex, { townshipId: t.townshipId, name: '王守仁' });
    const res = await submit(officer, '/people/new', '/people', {
      townshipId: String(t.townshipId),
      ...personFields({ idNumber: holder.idNumber, gender: 'male', birthDate: '1990.05', partyJoinedOn: '' }),
      politicalStatus: 'masses',
    });
    expect(res.status).to.equal(409);
    expect(res.text).to.contain('该身份证号码已登记，登记人员为王守仁');
    expect(res.text).to.contain(`href="/people/${holder.id}"`);
    // Another township's officer learns only that it is registered.
    const other = await createOwnTownship(knex);
    const stranger = await signInAs(world, other.officer);
    const res2 = await submit(stranger, '/people/new', '/people', {
      townshipId: String(other.townshipId),
      ...personFields({ idNumber: holder.idNumber, gender: 'male', birthDate: '1990.05', partyJoinedOn: '' }),
      politicalStatus: 'masses',
    });
    expect(res2.status).to.equal(409);
    expect(res2.text).to.contain('该身份证号码已登记');
    expect(res2.text).not.to.contain('王守仁');
    expect(res2.text).not.to.contain(`/people/${holder.id}`);
  });

  it('edits the fields, recomputes the keys, audits only what changed, and refuses a stale form', async () => {
    const p = await createRegisteredPerson(knex, { townshipId: t.townshipId, name: '张三' });
    const form = await officer.get(`/people/${p.id}/edit`).expect(200);
    const version = /name="version" value="(\d+)"/.exec(form.text)?.[1] as string;
    const res = await officer
      .post(`/people/${p.id}/edit`)
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        version,
        ...personFields({
          idNumber: p.idNumber,
          name: '吕明',
          gender: 'male',
          birthDate: '1990-05',
          politicalStatus: 'masses',
          partyJoinedOn: '',
        }),
      });
    expect(res.status, res.text.slice(0, 3000)).to.equal(303);
    const row = await rowOf(knex, 'people', { id: p.id });
    expect(row).to.include({ name: '吕明', name_pinyin: 'lvming', name_initials: 'lm', surname_strokes: 6 });
    const audit = await rowOf(knex, 'audit_log', { action: 'person.updated', entity_id: String(p.id) });
    expect(audit.before.name).to.equal('张三');
    expect(audit.after.name).to.equal('吕明');
    expect(audit.after).not.to.have.property('idNumber');
    // The same form again (old version): 409, nothing changed.
    const stale = await officer
      .post(`/people/${p.id}/edit`)
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        version,
        ...personFields({
          idNumber: p.idNumber,
          name: '李四',
          gender: 'male',
          birthDate: '1990-05',
          partyJoinedOn: '',
        }),
      });
    expect(stale.status).to.equal(409);
    expect(stale.text).to.contain('已被他人修改');
    expect((await rowOf(knex, 'people', { id: p.id })).name).to.equal('吕明');
  });

  it('adds, edits and removes education and family rows, each audited, with messages on bad input', async () => {
    const p = await createRegisteredPerson(knex, { townshipId: t.townshipId, name: '赵明' });
    const before = await snapshotCounts(knex);
    const bad = await submit(officer, `/people/${p.id}/family/new`, `/people/${p.id}/family`, {
      relation: '',
      name: '',
      birthDate: '1960.13',
    });
    expect(bad.status).to.equal(400);
    expect(bad.text).to.contain('请选择关系');
    expect(bad.text).to.contain('请输入家庭成员的姓名');
    expect(bad.text).to.contain('value="1960.13"');
    expect(await snapshotCounts(knex)).to.deep.equal(before);

    const added = await submit(officer, `/people/${p.id}/family/new`, `/people/${p.id}/family`, {
      relation: 'spouse',
      name: '钱红',
      birthDate: '1991.02',
      politicalStatus: 'masses',
      workUnitAndPost: '示范县人民医院 护士',
      emigrated: 'yes',
    });
    expect(added.status).to.equal(303);
    const member = await rowOf(knex, 'family_members', { person_id: p.id });
    expect(member).to.include({
      relation: 'spouse',
      name: '钱红',
      birth_date: '1991-02-01',
      emigrated: true,
    });
    const edit = await submit(
      officer,
      `/people/${p.id}/family/${member.id}`,
      `/people/${p.id}/family/${member.id}`,
      { relation: 'spouse', name: '钱红', birthDate: '1991.03', workUnitAndPost: '示范县人民医院 护士长' },
    );
    expect(edit.status).to.equal(303);
    expect((await rowOf(knex, 'family_members', { id: member.id })).emigrated).to.equal(false);

    const edu = await submit(officer, `/people/${p.id}/educations/new`, `/people/${p.id}/educations`, {
      mode: 'full_time',
      level: 'bachelor',
      degree: 'bachelor',
      school: '河北大学',
      major: '汉语言文学',
      startedOn: '2008.09',
      graduatedOn: '2012.07',
    });
    expect(edu.status).to.equal(303);
    const badEdu = await submit(officer, `/people/${p.id}/educations/new`, `/people/${p.id}/educations`, {
      mode: 'in_service',
      level: '',
      startedOn: '2015.09',
      graduatedOn: '2014.07',
    });
    expect(badEdu.status).to.equal(400);
    expect(badEdu.text).to.contain('请选择学历');
    expect(badEdu.text).to.contain('毕业时间必须晚于入学时间');

    const record = await officer.get(`/people/${p.id}`).expect(200);
    expect(record.text).to.contain('钱红');
    expect(record.text).to.contain('护士长');
    expect(record.text).to.contain('河北大学 汉语言文学');
    const eduRow = await rowOf(knex, 'educations', { person_id: p.id });
    const removed = await officer
      .post(`/people/${p.id}/educations/${eduRow.id}/remove`)
      .type('form')
      .send({ _csrf: csrfFrom(record.text) });
    expect(removed.status).to.equal(303);
    expect(await countRows(knex, 'educations', { person_id: p.id })).to.equal(0);
    const actions = (
      await knex('audit_log')
        .where({ entity_id: String(p.id) })
        .orderBy('id')
    ).map((a) => a.action);
    expect(actions).to.include.members([
      'person.family_added',
      'person.family_updated',
      'person.education_added',
      'person.education_removed',
    ]);
  });

  it('lets staff read their own record but change nothing (403), and answers 404 outside every scope', async () => {
    const s = await demoScopes(knex);
    const staff = await signIn(world.app, 'staff');
    await staff.get(`/people/${s.staffPerson}`).expect(200);
    const own = await staff.get(`/people/${s.staffPerson}`);
    expect(own.text).not.to.contain(`/people/${s.staffPerson}/edit`);
    await staff.get(`/people/${s.staffPerson}/edit`).expect(403);
    await staff.get(`/people/${s.staffPerson}/history/grades/new`).expect(403);
    const token = await csrfOf(staff, `/people/${s.staffPerson}`);
    const before = await snapshotCounts(knex);
    await staff
      .post(`/people/${s.staffPerson}/family`)
      .type('form')
      .send({ _csrf: token, relation: 'spouse', name: '某某' })
      .expect(403);
    expect(await snapshotCounts(knex)).to.deep.equal(before);
    await staff.get('/people/new').expect(404);

    // Outside: another township's officer, a demo officer, the staff member: 404 on every page of the record.
    const p = await createRegisteredPerson(knex, { townshipId: t.townshipId, name: '孙立' });
    const outsiders = [await signIn(world.app, 'officer'), staff, await signIn(world.app, 'zuzhibu')];
    for (const agent of outsiders) {
      for (const url of [
        `/people/${p.id}`,
        `/people/${p.id}/edit`,
        `/people/${p.id}/photo/edit`,
        `/people/${p.id}/family/new`,
        `/people/${p.id}/educations/new`,
        `/people/${p.id}/history/assignments/new`,
        `/people/${p.id}/assessments/new`,
        `/people/${p.id}/sanctions/new`,
        `/townships/${t.townshipId}/assessments`,
        `/api/v1/people/${p.id}`,
      ])
        expect((await agent.get(url)).status, url).to.equal(404);
      const tok = await csrfOf(agent, '/account');
      const post = await agent
        .post(`/people/${p.id}/family`)
        .type('form')
        .send({ _csrf: tok, relation: 'spouse', name: '某某' });
      expect(post.status).to.equal(404);
    }
    // The admin and the township's own officer see it.
    await (await signIn(world.app, 'admin')).get(`/people/${p.id}`).expect(200);
    await officer.get(`/people/${p.id}`).expect(200);
  });

  it('lets county roles and the admin create people in their townships only', async () => {
    const s = await demoScopes(knex);
    const reviewer = await signIn(world.app, 'zuzhibu');
    const picker = await reviewer.get('/people/new').expect(200);
    expect(picker.text).to.contain('请先选择人员所在的乡镇');
    const form = await reviewer.get(`/people/new?township=${s.township}`).expect(200);
    expect(form.text).to.contain('name="townshipId"');
    // A township of another county is not offered, and posting to it is refused.
    const outside = await reviewer
      .post('/people')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), townshipId: String(t.townshipId), ...personFields() });
    expect(outside.status).to.equal(404);
    const user = await createUser(knex, { role: 'admin', prefix: 'adm' });
    const admin = await signInAs(world, user);
    const ok = await submit(admin, `/people/new?township=${t.townshipId}`, '/people', {
      townshipId: String(t.townshipId),
      ...personFields(),
    });
    expect(ok.status).to.equal(303);
  });
});
