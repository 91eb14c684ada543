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
import { type Agent, csrfOf, signIn } from '../support/http.js';
import { personFields, rowOf, signInAs, snapshotCounts } from '../support/people.js';
import { getWorld, type TestWorld } from '../support/world.js';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 1),
]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 2)]);
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');

describe('people: search, stroke order and pinyin', () => {
  let world: TestWorld;
  let knex: Knex;
  let t: Awaited<ReturnType<typeof createOwnTownship>>;
  let officer: Agent;
  const ids: Record<string, { id: number; idNumber: string }> = {};

  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
    knex = world.db.knex;
    t = await createOwnTownship(knex);
    officer = await signInAs(world, t.officer);
    for (const name of ['欧阳明', '王芳', '张三', '吕明', '丁一'])
      ids[name] = await createRegisteredPerson(knex, { townshipId: t.townshipId, name });
    await knex('assignments').insert({
      person_id: ids.王芳?.id,
      post_id: t.posts.station,
      kind: 'primary',
      valid_from: '2020-01-01',
    });
  });

  const names = (html: string) =>
    [...html.matchAll(/<th scope="row"><a href="\/people\/\d+">([^<]+)<\/a><\/th>/g)].map((m) => m[1]);

  it('orders by surname strokes by default (two-character surnames counted whole), or by pinyin', async () => {
    const strokes = await officer.get('/people').expect(200);
    expect(names(strokes.text)).to.deep.equal(['丁一', '王芳', '吕明', '张三', '欧阳明']);
    const pinyin = await officer.get('/people?order=pinyin').expect(200);
    expect(names(pinyin.text)).to.deep.equal(['丁一', '吕明', '欧阳明', '王芳', '张三']);
    expect(strokes.text).to.match(/<code>\d{6}\*{8}[\dX]{4}<\/code>/);
  });

  it('finds people by full pinyin, initials, ID number (full or last digits), name and unit', async () => {
    const find = async (q: string) =>
      names((await officer.get(`/people?q=${encodeURIComponent(q)}`).expect(200)).text);
    expect(await find('zhangsan')).to.deep.equal(['张三']);
    expect(await find('ZS')).to.deep.equal(['张三']);
    expect(await find('oym')).to.deep.equal(['欧阳明']);
    expect(await find('lvming')).to.deep.equal(['吕明']);
    expect(await find('明')).to.deep.equal(['吕明', '欧阳明']);
    expect(await find('农业综合')).to.deep.equal(['王芳']);
    const id = ids.丁一?.idNumber as string;
    expect(await find(id)).to.deep.equal(['丁一']);
    expect(await find(id.slice(-6))).to.deep.equal(['丁一']);
    expect(await find('%')).to.deep.equal([]);
  });

  it('stays inside the scope, in the API too', async () => {
    const demoOfficer = await signIn(world.app, 'officer');
    const page = await demoOfficer.get('/people?q=oym').expect(200);
    expect(names(page.text)).not.to.include('欧阳明');
    const api = await officer
      .get(`/api/v1/people?q=${encodeURIComponent('明')}&order=pinyin&pageSize=1&page=2`)
      .expect(200);
    expect(api.body).to.include({ total: 2, page: 2, pageSize: 1 });
    expect(api.body.items.map((p: { name: string }) => p.name)).to.deep.equal(['欧阳明']);
    expect(api.body.items[0].idNumber).to.match(/^\d{6}\*{8}[\dX]{4}$/);
    const staff = await signIn(world.app, 'staff');
    const s = await demoScopes(knex);
    const mine = await staff.get('/api/v1/people').expect(200);
    expect(mine.body.items.map((p: { id: number }) => p.id)).to.deep.equal([s.staffPerson]);
  });
});

describe('people: photos', () => {
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

  const upload = async (personId: number, bytes: Buffer, filename: string, contentType: string) => {
    const token = await csrfOf(officer, `/people/${personId}/photo/edit`);
    return officer
      .post(`/people/${personId}/photo`)
      .field('_csrf', token)
      .attach('photo', bytes, { filename, contentType });
  };

  it('stores a PNG or JPEG in the database and serves it in scope with its type and no-sniff', async () => {
    const p = await createRegisteredPerson(knex, { townshipId: t.townshipId, name: '照片人' });
    const res = await upload(p.id, PNG, 'me.png', 'image/png');
    expect(res.status, res.text.slice(0, 1000)).to.equal(303);
    const photo = await officer.get(`/people/${p.id}/photo`).buffer(true).expect(200);
    expect(photo.headers['content-type']).to.equal('image/png');
    expect(photo.headers['x-content-type-options']).to.equal('nosniff');
    expect(Buffer.compare(photo.body as Buffer, PNG)).to.equal(0);
    // A JPEG sent as "application/octet-stream" is still a JPEG.
    expect((await upload(p.id, JPEG, 'me.bin', 'application/octet-stream')).status).to.equal(303);
    const jpeg = await officer.get(`/people/${p.id}/photo`).expect(200);
    expect(jpeg.headers['content-type']).to.equal('image/jpeg');
    // The photo keeps its own validator (its version); pages carry none.
    expect(jpeg.headers.etag).to.match(/^"\d+"$/);
    await officer
      .get(`/people/${p.id}/photo`)
      .set('If-None-Match', jpeg.headers.etag as string)
      .expect(304);
    const page = await officer.get(`/people/${p.id}`).expect(200);
    expect(page.headers.etag).to.equal(undefined);
    expect(page.text).to.match(
      new RegExp(`<img class="record-photo" src="/people/${p.id}/photo\\?v(=|&#x3D;)\\d+"`),
    );
    // Outside the scope: 404.
    const demo = await signIn(world.app, 'officer');
    await demo.get(`/people/${p.id}/photo`).expect(404);
    const audits = await knex('audit_log').where({ entity_id: String(p.id), action: 'person.photo_changed' });
    expect(audits).to.have.length(2);
  });

  it('refuses other types (by their bytes, whatever was declared) and files over 1 MB, writing nothing', async () => {
    const p = await createRegisteredPerson(knex, { townshipId: t.townshipId, name: '无照片' });
    const before = await snapshotCounts(knex);
    const gif = await upload(p.id, GIF, 'me.png', 'image/png');
    expect(gif.status).to.equal(400);
    expect(gif.text).to.contain('照片必须是 JPG 或 PNG 格式');
    const big = await upload(p.id, Buffer.concat([JPEG, Buffer.alloc(1024 * 1024)]), 'big.jpg', 'image/jpeg');
    expect(big.status).to.equal(400);
    expect(big.text).to.contain('照片不能超过 1 MB');
    const none = await officer
      .post(`/people/${p.id}/photo`)
      .field('_csrf', await csrfOf(officer, `/people/${p.id}/photo/edit`));
    expect(none.status).to.equal(400);
    expect(none.text).to.contain('请选择要上传的照片文件');
    expect(await snapshotCounts(knex)).to.deep.equal(before);
    expect((await rowOf(knex, 'people', { id: p.id })).photo).to.equal(null);
    // Without the CSRF token: refused before anything else.
    const forged = await officer.post(`/people/${p.id}/photo`).attach('photo', PNG, 'x.png');
    expect(forged.status).to.equal(403);
    await officer.get(`/people/${p.id}/photo`).expect(404);
  });
});

describe('people: the JSON API', () => {
  let world: TestWorld;
  let knex: Knex;
  let t: Awaited<ReturnType<typeof createOwnTownship>>;
  let officer: Agent;
  let csrf: string;

  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
    knex = world.db.knex;
    t = await createOwnTownship(knex);
    officer = await signInAs(world, t.officer);
    csrf = await csrfOf(officer, '/account');
  });

  const post = (url: string, body: unknown) =>
    officer
      .post(url)
      .set('X-CSRF-Token', csrf)
      .send(body as object);

  it('creates a person (201, Location) and refuses bad input with 422 and the field', async () => {
    const fields = personFields();
    const res = await post('/api/v1/people', { townshipId: t.townshipId, ...fields });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.headers.location).to.equal(`/api/v1/people/${res.body.id}`);
    expect(res.body).to.include({ name: '欧阳晓梅', idNumber: fields.idNumber, namePinyin: 'ouyangxiaomei' });
    const bad = await post('/api/v1/people', {
      townshipId: t.townshipId,
      ...personFields({ name: '' }),
      gender: 'x',
    });
    expect(bad.status).to.equal(422);
    expect(bad.body.error).to.include({ code: 'validation', field: 'name', message: '请输入姓名' });
    expect(bad.body.error.fields.map((f: { field: string }) => f.field)).to.include('gender');
    const dup = await post('/api/v1/people', {
      townshipId: t.townshipId,
      ...personFields({ idNumber: fields.idNumber }),
    });
    expect(dup.status).to.equal(409);
    expect(dup.body.error).to.include({ code: 'conflict', field: 'idNumber' });
    expect(dup.body.error.message).to.contain('欧阳晓梅');
    // Without the CSRF header a session can't write.
    await officer
      .post('/api/v1/people')
      .send({ townshipId: t.townshipId, ...personFields() })
      .expect(403);
  });

  it('changes fields with PATCH and adds history, assessments, sanctions and family', async () => {
    const p = await createRegisteredPerson(knex, { townshipId: t.townshipId, name: '钱多' });
    const patched = await officer
      .patch(`/api/v1/people/${p.id}`)
      .set('X-CSRF-Token', csrf)
      .send({ name: '孙多', politicalStatus: 'youth_league' });
    expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
    expect(patched.body).to.include({ name: '孙多', namePinyin: 'sunduo', politicalStatus: 'youth_league' });
    const badPatch = await officer
      .patch(`/api/v1/people/${p.id}`)
      .set('X-CSRF-Token', csrf)
      .send({ gender: 'female' });
    expect(badPatch.status).to.equal(422);
    expect(badPatch.body.error.field).to.equal('gender');

    const a = await post(`/api/v1/people/${p.id}/assignments`, {
      assignmentKind: 'primary',
      postId: t.posts.clerkA,
      validFrom: '2021-03-01',
      docNo: '测组〔2021〕2号',
    });
    expect(a.status, JSON.stringify(a.body)).to.equal(201);
    const repeat = await post(`/api/v1/people/${p.id}/assignments`, {
      assignmentKind: 'primary',
      postId: t.posts.clerkA,
      validFrom: '2021-03-01',
      docNo: '测组〔2021〕2号',
    });
    expect(repeat.status).to.equal(200);
    expect(repeat.body).to.deep.equal({ id: a.body.id, replayed: true });
    const overlap = await post(`/api/v1/people/${p.id}/assignments`, {
      assignmentKind: 'primary',
      postId: t.posts.clerkB,
      validFrom: '2022-01-01',
    });
    expect(overlap.status).to.equal(409);
    expect(overlap.body.error).to.include({
      field: 'validFrom',
      message: '该人员在此期间已有任职，请先结束原任职，或勾选“结束此前的记录”',
    });
    const correction = await post(`/api/v1/people/${p.id}/assignments`, {
      assignmentKind: 'primary',
      postId: t.posts.clerkA,
      validFrom: '2021-04-01',
      correctsId: a.body.id,
    });
    expect(correction.status).to.equal(201);
    expect((await rowOf(knex, 'assignments', { id: correction.body.id })).corrects_id).to.equal(a.body.id);

    expect(
      (await post(`/api/v1/people/${p.id}/grades`, { gradeCode: 'clerk_1', validFrom: '2021-03-01' })).status,
    ).to.equal(201);
    expect(
      (await post(`/api/v1/people/${p.id}/grades`, { gradeCode: 'nope', validFrom: '2021-03-01' })).status,
    ).to.equal(422);
    expect(
      (await post(`/api/v1/people/${p.id}/assessments`, { year: 2025, result: 'excellent' })).status,
    ).to.equal(201);
    const sanction = await post(`/api/v1/people/${p.id}/sanctions`, {
      kindCode: 'admonition',
      decidedOn: '2026-01-10',
    });
    expect(sanction.status).to.equal(201);
    const fam = await post(`/api/v1/people/${p.id}/family`, {
      relation: 'father',
      name: '孙老',
      emigrated: false,
    });
    expect(fam.status).to.equal(201);
    const noRelation = await post(`/api/v1/people/${p.id}/family`, { name: '某' });
    expect(noRelation.status).to.equal(422);
    expect(noRelation.body.error).to.include({ field: 'relation', message: '请选择关系' });

    const record = await officer.get(`/api/v1/people/${p.id}`).expect(200);
    expect(record.body.assignments).to.have.length(2);
    expect(record.body.assignments.find((x: { id: number }) => x.id === a.body.id).supersededAt).to.be.a(
      'string',
    );
    expect(record.body.sanctions[0].impactUntil).to.equal('2026-07-10');
    expect(record.body.family[0]).to.include({ relation: 'father', name: '孙老' });
  });

  it('answers in the user’s language, 403 for staff on their own record and 404 outside the scope', async () => {
    const p = await createRegisteredPerson(knex, { townshipId: t.townshipId, name: '周英' });
    const user = await createUser(knex, { role: 'township_officer', regionId: t.townshipId, prefix: 'en' });
    await knex('users').where({ id: user.id }).update({ locale: 'en' });
    const en = await signInAs(world, user);
    const token = await csrfOf(en, '/account');
    const res = await en.post(`/api/v1/people/${p.id}/family`).set('X-CSRF-Token', token).send({ name: 'x' });
    expect(res.status).to.equal(422);
    expect(res.body.error.message).to.equal('Choose the relation');

    const s = await demoScopes(knex);
    const staff = await signIn(world.app, 'staff');
    const staffToken = await csrfOf(staff, `/people/${s.staffPerson}`);
    const before = await countRows(knex, 'family_members', { person_id: s.staffPerson });
    await staff
      .patch(`/api/v1/people/${s.staffPerson}`)
      .set('X-CSRF-Token', staffToken)
      .send({ name: '改名' })
      .expect(403);
    await staff
      .post(`/api/v1/people/${s.staffPerson}/family`)
      .set('X-CSRF-Token', staffToken)
      .send({ relation: 'spouse', name: '某' })
      .expect(403);
    expect(await countRows(knex, 'family_members', { person_id: s.staffPerson })).to.equal(before);
    const demo = await signIn(world.app, 'officer');
    const demoToken = await csrfOf(demo, '/account');
    for (const [method, url] of [
      ['get', `/api/v1/people/${p.id}`],
      ['patch', `/api/v1/people/${p.id}`],
      ['post', `/api/v1/people/${p.id}/grades`],
      ['post', `/api/v1/people/${p.id}/assessments`],
      ['post', `/api/v1/people/${p.id}/sanctions`],
      ['post', `/api/v1/people/${p.id}/family`],
      ['post', `/api/v1/people/${p.id}/slots`],
    ] as const) {
      const r = await demo[method](url).set('X-CSRF-Token', demoToken).send({});
      expect(r.status, `${method} ${url}`).to.equal(404);
      expect(r.body.error.code).to.equal('not_found');
    }
    // Creating in a township outside the scope is refused as bad input naming the field.
    const outside = await demo
      .post('/api/v1/people')
      .set('X-CSRF-Token', demoToken)
      .send({
        townshipId: t.townshipId,
        ...personFields({ idNumber: freshIdNumber('1992-03-08', 'female') }),
      });
    expect(outside.status).to.equal(422);
    expect(outside.body.error.field).to.equal('townshipId');
  });
});
