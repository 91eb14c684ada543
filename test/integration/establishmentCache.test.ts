import { expect } from 'chai';
import type { Knex } from 'knex';
import { countyKey, townshipWithCountyKey } from '../../src/db/repositories/overviewChanges.js';
import { createOwnTownship, createPerson, createUser } from '../support/factories.js';
import { type Agent, csrfOf, signIn } from '../support/http.js';
import { getWorld, TEST_TODAY, type TestWorld } from '../support/world.js';

/**
 * The township establishment page (编制使用情况: the page, its Excel and its JSON twin) is cached in-process
 * under its county's change-log key (overview_changes, written by triggers): every kind of write to what the
 * page shows is seen on the next request, whichever path made it (raw SQL here, the app's API for some);
 * writes in another county leave the entry alone; the reader's scope is checked on every request.
 */
interface Holder {
  personId: number;
  name: string;
  type: string | null;
}
interface UnitJson {
  unit: { id: number; name: string } | null;
  posts: number;
  filled: number;
  holders: Holder[];
}
interface QuotaJson {
  township: { id: number; name: string };
  byType: Array<{ establishmentType: string; approved: number; occupied: number; reserved: number }>;
  total: { approved: number; occupied: number; reserved: number };
  leadershipTeam: UnitJson;
  units: UnitJson[];
  dispatched: UnitJson[];
  departments: Array<{ unitId: number; departmentName: string; usage: Array<{ approved: number }> }>;
}

describe('township establishment cache: every write to the page shows on the next request', () => {
  let world: TestWorld;
  let own: Awaited<ReturnType<typeof createOwnTownship>>;
  let other: Awaited<ReturnType<typeof createOwnTownship>>;
  let officer: Agent;
  let bianban: Agent;
  let officeId: number;
  let person: number;

  const knex = () => world.db.knex;
  const stats = () => world.services.establishment.reads.establishmentCache();

  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
    own = await createOwnTownship(knex());
    other = await createOwnTownship(knex());
    officer = await signIn(world.app, own.officer.username, own.officer.password);
    const decider = await createUser(knex(), { role: 'establishment_officer', regionId: own.countyId });
    bianban = await signIn(world.app, decider.username, decider.password);
    officeId = (
      (await knex()('units').where({ township_id: own.townshipId, kind: 'office' }).first('id')) as {
        id: number;
      }
    ).id;
    person = await createPerson(knex(), '缓存编制');
  });

  /** The township's JSON twin as `agent` sees it, and whether it came from the cache. */
  async function quota(agent = officer, townshipId = own.townshipId, query = '') {
    const before = stats();
    const res = await agent.get(`/api/v1/townships/${townshipId}/quota${query}`).expect(200);
    return { body: res.body as QuotaJson, hit: stats().hits > before.hits };
  }

  /** Reads twice (the second from the cache), writes, reads again (recomputed); the JSON before and after. */
  async function aroundWrite(write: () => Promise<unknown>) {
    await quota();
    const before = await quota();
    expect(before.hit, 'second read is a cache hit').to.equal(true);
    await write();
    const after = await quota();
    expect(after.hit, 'the read after a write recomputes').to.equal(false);
    return { before: before.body, after: after.body };
  }

  const office = (d: QuotaJson) => d.units.find((u) => u.unit?.id === officeId) as UnitJson;
  const type = (d: QuotaJson, t: string) => d.byType.find((b) => b.establishmentType === t);

  it('the second read is a hit, shared by the page, its Excel and readers of any scope', async () => {
    await quota();
    const before = stats();
    await officer.get(`/townships/${own.townshipId}/establishment`).expect(200);
    await officer.get(`/townships/${own.townshipId}/establishment.xlsx`).expect(200);
    const admin = await signIn(world.app, 'admin');
    const asAdmin = await quota(admin);
    expect(asAdmin.hit, 'an administrator reads the officer’s entry').to.equal(true);
    expect(stats().hits).to.equal(before.hits + 3);
    expect(stats().misses).to.equal(before.misses);
    const found = await townshipWithCountyKey(knex(), own.townshipId);
    expect(found?.township).to.include({ id: own.townshipId, parentId: own.countyId });
    expect(found?.countyKey).to.equal(await countyKey(knex(), own.countyId));
    expect(await townshipWithCountyKey(knex(), own.countyId), 'a county is not a township').to.equal(
      undefined,
    );
  });

  it('a post opened, then closed (raw SQL)', async () => {
    let postId = 0;
    const opened = await aroundWrite(async () => {
      const [row] = await knex()('posts')
        .insert({
          township_id: own.townshipId,
          unit_id: officeId,
          name: '统计岗',
          category: 'civil_service',
          establishment_types: ['administrative'],
          opened_on: '2026-01-01',
        })
        .returning('id');
      postId = (row as { id: number }).id;
    });
    expect(office(opened.after).posts).to.equal(office(opened.before).posts + 1);
    const closed = await aroundWrite(() =>
      knex()('posts').where({ id: postId }).update({ closed_on: '2026-11-01' }),
    );
    expect(office(closed.after).posts).to.equal(office(closed.before).posts - 1);
  });

  it('a post opened and closed through the API', async () => {
    let postId = 0;
    const opened = await aroundWrite(async () => {
      const res = await officer
        .post(`/api/v1/townships/${own.townshipId}/posts`)
        .set('X-CSRF-Token', await csrfOf(officer, '/account'))
        .send({
          unitId: officeId,
          name: '档案岗',
          category: 'civil_service',
          establishmentTypes: ['administrative'],
          openedOn: '2026-02-01',
        })
        .expect(201);
      postId = res.body.postId;
    });
    expect(office(opened.after).posts).to.equal(office(opened.before).posts + 1);
    const closed = await aroundWrite(async () =>
      officer
        .post(`/api/v1/posts/${postId}/closure`)
        .set('X-CSRF-Token', await csrfOf(officer, '/account'))
        .send({ closedOn: '2026-11-01' })
        .expect(200),
    );
    expect(office(closed.after).posts).to.equal(office(closed.before).posts - 1);
  });

  it('a placement: the quota slot, then the assignment (raw SQL)', async () => {
    const slot = await aroundWrite(() =>
      knex()('quota_slots').insert({
        person_id: person,
        account_id: own.accounts.administrative,
        valid_from: '2026-01-01',
      }),
    );
    expect(type(slot.after, 'administrative')?.occupied).to.equal(
      (type(slot.before, 'administrative')?.occupied ?? 0) + 1,
    );
    const assigned = await aroundWrite(() =>
      knex()('assignments').insert({
        person_id: person,
        post_id: own.posts.clerkA,
        kind: 'primary',
        valid_from: '2026-01-01',
      }),
    );
    expect(office(assigned.after).filled).to.equal(office(assigned.before).filled + 1);
    const holder = office(assigned.after).holders.find((h) => h.personId === person);
    expect(holder?.type).to.equal('administrative');
  });

  it('the holder’s name changed on the person (raw SQL)', async () => {
    const { after } = await aroundWrite(() =>
      knex()('people')
        .where({ id: person })
        .update({ name: `改名${process.pid}` }),
    );
    expect(office(after).holders.find((h) => h.personId === person)?.name).to.equal(`改名${process.pid}`);
  });

  it('a quota decision (raw SQL) and a reservation', async () => {
    const decided = await aroundWrite(() =>
      knex()('quota_decisions').insert({
        account_id: own.accounts.institutional,
        approved_count: 4,
        effective_from: '2026-03-01',
        doc_no: '缓编〔2026〕11号',
      }),
    );
    expect(type(decided.before, 'institutional')?.approved).to.equal(1);
    expect(type(decided.after, 'institutional')?.approved).to.equal(4);
    const reserved = await aroundWrite(() =>
      knex()('quota_reservations').insert({
        account_id: own.accounts.institutional,
        reserved_on: '2026-10-01',
        reason: '用编核准',
      }),
    );
    expect(reserved.after.total.reserved).to.equal(reserved.before.total.reserved + 1);
  });

  it('a unit renamed by a new unit version (raw SQL), then through the API', async () => {
    const raw = await aroundWrite(() =>
      knex().transaction(async (trx) => {
        await trx('unit_versions')
          .where({ unit_id: officeId })
          .whereNull('superseded_at')
          .whereNull('valid_to')
          .update({ valid_to: '2026-06-01' });
        await trx('unit_versions').insert({
          unit_id: officeId,
          township_id: own.townshipId,
          valid_from: '2026-06-01',
          name: '综合办公室',
          rank: 'deputy_section',
        });
      }),
    );
    expect(office(raw.before).unit?.name).to.equal('党政综合办公室');
    expect(office(raw.after).unit?.name).to.equal('综合办公室');
    const api = await aroundWrite(async () =>
      bianban
        .post(`/api/v1/units/${officeId}/changes`)
        .set('X-CSRF-Token', await csrfOf(bianban, '/account'))
        .send({
          change: 'rename',
          name: '党政办公室',
          effectiveOn: '2026-09-01',
          docNo: '缓编发〔2026〕12号',
        })
        .expect(201),
    );
    expect(office(api.after).unit?.name).to.equal('党政办公室');
    const page = await officer.get(`/townships/${own.townshipId}/establishment`).expect(200);
    expect(page.text).to.contain('党政办公室');
  });

  it('a dispatched unit, its county department’s quota, the unit abolished (raw SQL)', async () => {
    let accountId = 0;
    const established = await aroundWrite(() =>
      knex().transaction(async (trx) => {
        const [d] = await trx('county_departments')
          .insert({ county_id: own.countyId, name: `县司法局${process.pid}` })
          .returning('id');
        const departmentId = (d as { id: number }).id;
        const [h] = await trx('quota_holders').insert({ department_id: departmentId }).returning('id');
        const [a] = await trx('quota_accounts')
          .insert({ holder_id: (h as { id: number }).id, establishment_type: 'administrative' })
          .returning('id');
        accountId = (a as { id: number }).id;
        const [u] = await trx('units')
          .insert({
            township_id: own.townshipId,
            kind: 'dispatched',
            department_id: departmentId,
            established_on: '2026-01-01',
          })
          .returning('id');
        await trx('unit_versions').insert({
          unit_id: (u as { id: number }).id,
          township_id: own.townshipId,
          valid_from: '2026-01-01',
          name: '司法所',
        });
      }),
    );
    expect(established.before.dispatched).to.have.length(0);
    expect(established.after.dispatched.map((u) => u.unit?.name)).to.deep.equal(['司法所']);
    const decided = await aroundWrite(() =>
      knex()('quota_decisions').insert({
        account_id: accountId,
        approved_count: 3,
        effective_from: '2026-01-01',
        doc_no: '缓编〔2026〕13号',
      }),
    );
    expect(decided.before.departments[0]?.usage[0]?.approved).to.equal(0);
    expect(decided.after.departments[0]?.usage[0]?.approved).to.equal(3);
    const abolished = await aroundWrite(() =>
      knex()('units')
        .where({ township_id: own.townshipId, kind: 'dispatched' })
        .update({ abolished_on: '2026-06-01' }),
    );
    expect(abolished.after.dispatched, 'a write to units alone').to.have.length(0);
  });

  it('the township renamed (regions)', async () => {
    const { after } = await aroundWrite(() =>
      knex()('regions')
        .where({ id: own.townshipId })
        .update({ name: `更名乡${process.pid}` }),
    );
    expect(after.township.name).to.equal(`更名乡${process.pid}`);
  });

  it('a write in another county leaves the entry alone', async () => {
    await quota();
    const key = await countyKey(knex(), own.countyId);
    await knex()('posts').insert({
      township_id: other.townshipId,
      name: '别县岗位',
      category: 'management',
      establishment_types: ['institutional'],
      opened_on: '2026-01-01',
    });
    await knex()('unit_versions')
      .where({ township_id: other.townshipId })
      .update({ alias_names: ['别县挂牌'] });
    expect(await countyKey(knex(), own.countyId)).to.equal(key);
    expect((await quota()).hit).to.equal(true);
  });

  it('a reader out of scope gets 404 from the page, its Excel and the JSON while the entry is cached', async () => {
    expect((await quota()).hit).to.equal(true);
    const outsider = await signIn(world.app, other.officer.username, other.officer.password);
    const before = stats();
    await outsider.get(`/townships/${own.townshipId}/establishment`).expect(404);
    await outsider.get(`/townships/${own.townshipId}/establishment.xlsx`).expect(404);
    await outsider.get(`/api/v1/townships/${own.townshipId}/quota`).expect(404);
    expect(stats().hits, 'nothing served from the cache').to.equal(before.hits);
    await officer.get(`/api/v1/townships/${other.townshipId}/quota`).expect(404);
    await officer.get(`/api/v1/townships/${own.countyId}/quota`).expect(404);
  });

  it('an earlier asOf is its own entry', async () => {
    const past = await quota(officer, own.townshipId, '?asOf=1999-01-01');
    const now = await quota();
    expect(past.hit).to.equal(false);
    expect(now.hit).to.equal(true);
    expect(past.body.total.approved).to.equal(0);
    expect(now.body.total.approved).to.be.greaterThan(0);
    expect((await quota(officer, own.townshipId, '?asOf=1999-01-01')).hit).to.equal(true);
    expect((await quota(officer, own.townshipId, `?asOf=${TEST_TODAY}`)).hit).to.equal(true);
  });

  it('the page body is rendered once per variant and kept with the cached entry: language, buttons, print', async () => {
    const url = `/townships/${own.townshipId}/establishment`;
    const page = async (agent: Agent, query = '') => (await agent.get(`${url}${query}`).expect(200)).text;
    const first = await page(officer);
    expect(await page(officer), 'the kept body gives the same page').to.equal(first);
    expect(first).to.include('新增岗位');
    // Another reader of the same entry without the right to add posts: no button leaks from the kept body.
    const reviewer = await createUser(knex(), { role: 'county_reviewer', regionId: own.countyId });
    const asReviewer = await signIn(world.app, reviewer.username, reviewer.password);
    const reviewers = await page(asReviewer);
    expect(reviewers).not.to.include('新增岗位');
    expect(await page(asReviewer)).to.equal(reviewers);
    // English is its own variant, and Chinese is kept beside it (the choice is the user's, in every session).
    const useLocale = async (locale: string) =>
      officer
        .post('/locale')
        .type('form')
        .send({ _csrf: await csrfOf(officer, '/account'), locale, returnTo: '/' })
        .expect(303);
    await useLocale('en');
    const en = await page(officer);
    expect(en).to.include('Add a post').and.not.include('新增岗位');
    expect(await page(officer)).to.equal(en);
    await useLocale('zh-CN');
    expect(await page(officer)).to.equal(first);
    // The print view: the print layout around the same body, without the site navigation.
    const print = await page(officer, '?print=1');
    expect(print).to.include('print-view').and.not.include('site-header');
    expect(await page(officer, '?print=1')).to.equal(print);
    // A bad date is shown on the form, never kept or taken from a kept body.
    const bad = await page(officer, '?asOf=2026-02-30');
    expect(bad).to.include('aria-invalid="true"');
    expect(await page(officer, '?asOf=2026-02-30')).to.equal(bad);
    // A write replaces the cached entry, and its bodies with it.
    await knex()('regions')
      .where({ id: own.townshipId })
      .update({ name: knex().raw("name || '改'") });
    const renamed = (await knex()('regions').where({ id: own.townshipId }).first('name')) as { name: string };
    expect(await page(officer)).to.include(renamed.name);
    expect(await page(asReviewer)).to.include(renamed.name);
  });

  it('a reader of one county hits with the key read with their user; other readers read the township’s key', async () => {
    const statements = async (agent: Agent) => {
      const seen: string[] = [];
      const listener = (q: { sql: string }) => seen.push(q.sql);
      knex().on('query', listener);
      try {
        await agent.get(`/townships/${own.townshipId}/establishment`).expect(200);
      } finally {
        knex().removeListener('query', listener);
      }
      return seen;
    };
    await officer.get(`/townships/${own.townshipId}/establishment`).expect(200);
    const before = stats();
    const officers = await statements(officer);
    expect(stats().hits, 'a hit').to.equal(before.hits + 1);
    expect(officers, 'only the session and user statement').to.have.length(1);
    expect(officers[0]).to.match(/scope_rows/);
    // An administrator's scope key covers every county: the township's own key is read, the same entry hit.
    const admin = await signIn(world.app, 'admin');
    await admin.get(`/townships/${own.townshipId}/establishment`).expect(200);
    const admins = await statements(admin);
    expect(stats().hits, 'the administrator hits the same entry').to.equal(before.hits + 3);
    expect(admins.filter((q) => /overview_changes/.test(q) && !/scope_rows/.test(q))).to.have.length(1);
    // A write by raw SQL moves the county's key: the officer's next request recomputes.
    await knex()('regions')
      .where({ id: own.townshipId })
      .update({ name: knex().raw("name || '·'") });
    const misses = stats().misses;
    await officer.get(`/townships/${own.townshipId}/establishment`).expect(200);
    expect(stats().misses, 'recomputed after the write').to.equal(misses + 1);
  });
});

describe('migration 20261129900000 (units and unit versions in the change log)', () => {
  let world: TestWorld;
  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
  });

  const triggers = async (db: Knex) =>
    (
      (
        await db.raw(
          `SELECT c.relname || '.' || t.tgname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
           WHERE c.relname IN ('units', 'unit_versions') AND t.tgname LIKE 'overview_log_%' ORDER BY 1`,
        )
      ).rows as Array<{ name: string }>
    ).map((r) => r.name);
  const comment = async (db: Knex) =>
    (
      (await db.raw(`SELECT obj_description('overview_changes'::regclass, 'pg_class') AS c`)).rows[0] as {
        c: string;
      }
    ).c;
  /** The weight a statement renaming every version of a township's units adds to its county. */
  const renameAdds = async (db: Knex, townshipId: number, countyId: number) => {
    const before = await countyKey(db, countyId);
    await db('unit_versions').where({ township_id: townshipId }).update({ featured: false });
    return before !== (await countyKey(db, countyId));
  };

  it('goes down and up again (in a transaction rolled back, on the shared database)', async () => {
    const migration = await import('../../migrations/20261129900000_log_unit_changes.js');
    const t = await world.db
      .knex('regions')
      .where({ kind: 'township' })
      .whereExists(world.db.knex('unit_versions as v').whereRaw('v.township_id = regions.id'))
      .first('id', 'parent_id');
    const { id: townshipId, parent_id: countyId } = t as { id: number; parent_id: number };
    const all = [
      'unit_versions.overview_log_delete',
      'unit_versions.overview_log_insert',
      'unit_versions.overview_log_update',
      'units.overview_log_delete',
      'units.overview_log_insert',
      'units.overview_log_update',
    ];
    await world.db.knex
      .transaction(async (trx) => {
        expect(await triggers(trx)).to.deep.equal(all);
        expect(await comment(trx)).to.contain('establishment page');
        expect(await renameAdds(trx, townshipId, countyId)).to.equal(true);
        await migration.down(trx);
        expect(await triggers(trx)).to.deep.equal([]);
        expect(await comment(trx)).to.not.contain('establishment page');
        expect(await renameAdds(trx, townshipId, countyId)).to.equal(false);
        await migration.up(trx);
        expect(await triggers(trx)).to.deep.equal(all);
        expect(await renameAdds(trx, townshipId, countyId)).to.equal(true);
        throw new Error('rollback');
      })
      .catch((err: Error) => {
        if (err.message !== 'rollback') throw err;
      });
    expect(await triggers(world.db.knex)).to.deep.equal(all);
  });
});
