import { expect } from 'chai';
import type { Knex } from 'knex';
import { countRows, demoScopes } from '../support/factories.js';
import { type Agent, signIn } from '../support/http.js';
import { getWorld, TEST_TODAY, type TestWorld } from '../support/world.js';

/** One unit, one post with a current holder, and that holder, of a township. */
async function samplesOf(knex: Knex, townshipId: number) {
  const unit = await knex('units').where({ township_id: townshipId }).orderBy('id').first('id');
  const held = await knex('assignments as a')
    .join('posts as p', 'p.id', 'a.post_id')
    .where('p.township_id', townshipId)
    .whereNotNull('p.unit_id')
    .andWhere('a.kind', 'primary')
    .whereNull('a.superseded_at')
    .andWhere('a.valid_from', '<=', TEST_TODAY)
    .andWhere((q) => q.whereNull('a.valid_to').orWhere('a.valid_to', '>', TEST_TODAY))
    .orderBy('p.id')
    .first('p.id as post_id', 'a.person_id');
  if (!unit || !held) throw new Error(`township ${townshipId} has no sample`);
  return { unit: unit.id as number, post: held.post_id as number, person: held.person_id as number };
}

type Urls = Record<string, string>;

function urlsFor(ids: {
  city?: number;
  county?: number;
  township?: number;
  unit?: number;
  post?: number;
  person?: number;
}): Urls {
  const urls: Urls = {};
  if (ids.city) Object.assign(urls, { city: `/cities/${ids.city}` });
  if (ids.county) Object.assign(urls, { county: `/counties/${ids.county}` });
  if (ids.township)
    Object.assign(urls, {
      township: `/townships/${ids.township}`,
      roster: `/townships/${ids.township}/people`,
    });
  if (ids.unit) Object.assign(urls, { unit: `/units/${ids.unit}` });
  if (ids.post) Object.assign(urls, { post: `/posts/${ids.post}` });
  if (ids.person) Object.assign(urls, { person: `/people/${ids.person}` });
  return urls;
}

async function expectStatus(agent: Agent, urls: Urls, status: number, who: string) {
  for (const [what, url] of Object.entries(urls)) {
    const page = await agent.get(url);
    expect(page.status, `${who} page ${what} ${url}`).to.equal(status);
    const api = await agent.get(`/api/v1${url}`);
    expect(api.status, `${who} API ${what} ${url}`).to.equal(status);
    if (status === 404) expect(api.body.error.code).to.equal('not_found');
  }
}

describe('authorisation: every role sees only its scope (outside is 404, by URL and by API)', () => {
  let world: TestWorld;
  let s: Awaited<ReturnType<typeof demoScopes>>;
  let t1: Awaited<ReturnType<typeof samplesOf>>;
  let t2: Awaited<ReturnType<typeof samplesOf>>;
  let t3: Awaited<ReturnType<typeof samplesOf>>;

  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
    s = await demoScopes(world.db.knex);
    t1 = await samplesOf(world.db.knex, s.township);
    t2 = await samplesOf(world.db.knex, s.township2);
    t3 = await samplesOf(world.db.knex, s.township3);
  });

  it('admin sees everything', async () => {
    const agent = await signIn(world.app, 'admin');
    await expectStatus(
      agent,
      urlsFor({ city: s.city, county: s.county2, township: s.township3, ...t3 }),
      200,
      'admin',
    );
    await agent.get('/admin/users').expect(200);
  });

  for (const username of ['zuzhibu', 'bianban']) {
    it(`${username} sees their county and nothing of another county`, async () => {
      const agent = await signIn(world.app, username);
      await expectStatus(
        agent,
        urlsFor({ city: s.city, county: s.county, township: s.township, ...t1 }),
        200,
        username,
      );
      await expectStatus(agent, urlsFor({ township: s.township2, ...t2 }), 200, username);
      await expectStatus(agent, urlsFor({ county: s.county2, township: s.township3, ...t3 }), 404, username);
      await agent.get('/admin/users').expect(404);
    });
  }

  it('a township officer sees their township only; the county page lists only it', async () => {
    const agent = await signIn(world.app, 'officer');
    await expectStatus(agent, urlsFor({ township: s.township, ...t1 }), 200, 'officer');
    await expectStatus(agent, urlsFor({ township: s.township2, ...t2 }), 404, 'officer');
    await expectStatus(agent, urlsFor({ county: s.county2, township: s.township3, ...t3 }), 404, 'officer');
    const county = await agent.get(`/api/v1/counties/${s.county}`).expect(200);
    expect(county.body.townships.map((t: { id: number }) => t.id)).to.deep.equal([s.township]);
    expect(county.body.departments).to.deep.equal([]);
  });

  it('a staff member sees only their own record', async () => {
    const agent = await signIn(world.app, 'staff');
    await expectStatus(agent, urlsFor({ person: s.staffPerson }), 200, 'staff');
    const other = t1.person === s.staffPerson ? t2.person : t1.person;
    await expectStatus(
      agent,
      urlsFor({
        city: s.city,
        county: s.county,
        township: s.township,
        unit: t1.unit,
        post: t1.post,
        person: other,
      }),
      404,
      'staff',
    );
    const me = await agent.get(`/api/v1/people/${s.staffPerson}`).expect(200);
    expect(me.body.idNumber).to.match(/^\d{17}[\dX]$/);
  });

  it('masks ID numbers in lists and shows them in full on the record page to officers, audited', async () => {
    const agent = await signIn(world.app, 'officer');
    const roster = await agent.get(`/api/v1/townships/${s.township}/people`).expect(200);
    for (const p of roster.body.items) expect(p.idNumber).to.match(/^\d{6}\*{8}[\dX]{4}$/);
    const before = await countRows(world.db.knex, 'audit_log', { action: 'person.id_number_viewed' });
    const page = await agent.get(`/people/${t1.person}`).expect(200);
    expect(page.text).to.match(/<code>\d{17}[\dX]<\/code>/);
    const after = await countRows(world.db.knex, 'audit_log', { action: 'person.id_number_viewed' });
    expect(after).to.equal(before + 1);
  });

  it('non-numeric and huge ids are simply not found', async () => {
    const agent = await signIn(world.app, 'admin');
    for (const url of [
      '/townships/abc',
      '/townships/0',
      '/townships/99999999999',
      '/people/-1',
      '/api/v1/units/1e3',
    ]) {
      const res = await agent.get(url);
      expect(res.status, url).to.equal(404);
    }
  });
});
