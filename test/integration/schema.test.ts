import { expect } from 'chai';
import { migrateLatest, migrateRollback, migrationStatus } from '../../src/db/migrate.js';
import { createEmptyDatabase, getWorld, TEST_TODAY, type TestWorld } from '../support/world.js';

describe('migrations', () => {
  it('go up, all the way down, and up again on an empty database', async function () {
    this.timeout(120_000);
    const { db, drop } = await createEmptyDatabase();
    try {
      const first = await migrateLatest(db.knex);
      expect(first.length).to.be.greaterThan(5);
      expect(
        first.every((name) => /^\d{14}_[a-z0-9_]+$/.test(name)),
        'names carry no extension',
      ).to.equal(true);
      await migrateRollback(db.knex, true);
      expect((await migrationStatus(db.knex)).done).to.deep.equal([]);
      expect(await db.knex.schema.hasTable('people')).to.equal(false);
      const again = await migrateLatest(db.knex);
      expect(again).to.deep.equal(first);
    } finally {
      await drop();
    }
  });
});

describe('invariants held by the database', () => {
  let world: TestWorld;
  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
  });

  const refused = async (work: () => Promise<unknown>): Promise<{ code?: string; constraint?: string }> => {
    try {
      await work();
    } catch (err) {
      return err as { code?: string; constraint?: string };
    }
    throw new Error('the database accepted it');
  };

  it('the audit log refuses UPDATE, DELETE and TRUNCATE', async () => {
    const knex = world.db.knex;
    await knex.transaction(async (trx) => {
      await trx('audit_log').insert({ action: 'test.probe', entity_type: 'test' });
    });
    expect((await refused(() => knex('audit_log').update({ action: 'test.changed' }))).code).to.equal(
      '42501',
    );
    expect((await refused(() => knex('audit_log').delete())).code).to.equal('42501');
    expect((await refused(() => knex.raw('TRUNCATE audit_log'))).code).to.equal('42501');
  });

  it('one primary post per person at a time, and one holder per post', async () => {
    const knex = world.db.knex;
    const current = await knex('assignments')
      .where({ kind: 'primary' })
      .whereNull('superseded_at')
      .andWhere('valid_from', '<=', TEST_TODAY)
      .whereNull('valid_to')
      .orderBy('id')
      .limit(2)
      .select('person_id', 'post_id');
    const [a, b] = current as Array<{ person_id: number; post_id: number }>;
    if (!a || !b) throw new Error('demo world has no open assignments');
    const secondPost = await refused(() =>
      knex('assignments').insert({
        person_id: a.person_id,
        post_id: b.post_id,
        kind: 'primary',
        valid_from: TEST_TODAY,
      }),
    );
    expect(secondPost.code).to.equal('23P01');
    const vacant = await knex('posts as p')
      .whereNotExists(knex('assignments as x').whereRaw('x.post_id = p.id'))
      .first('p.id');
    if (vacant) {
      const twoPrimaries = await refused(() =>
        knex('assignments').insert({
          person_id: a.person_id,
          post_id: vacant.id,
          kind: 'primary',
          valid_from: '2000-01-01',
        }),
      );
      expect(twoPrimaries.code).to.equal('23P01');
    }
  });

  it('a person holds one quota slot at a time', async () => {
    const knex = world.db.knex;
    const slot = await knex('quota_slots')
      .whereNull('valid_to')
      .whereNull('superseded_at')
      .first('person_id', 'account_id');
    const err = await refused(() =>
      knex('quota_slots').insert({
        person_id: slot?.person_id,
        account_id: slot?.account_id,
        valid_from: TEST_TODAY,
      }),
    );
    expect(err.constraint).to.equal('quota_slots_one_per_person_excl');
  });

  it('roles carry the right kind of scope', async () => {
    const knex = world.db.knex;
    const user = await knex('users').where({ username: 'officer' }).first('id');
    const township = await knex('regions').where({ kind: 'township' }).first('id');
    const err = await refused(() =>
      knex('user_roles').insert({
        user_id: user?.id,
        role: 'county_reviewer',
        region_id: township?.id,
        region_kind: 'township',
      }),
    );
    expect(err.constraint).to.equal('user_roles_scope_check');
  });

  it('the region hierarchy is city > county > township', async () => {
    const knex = world.db.knex;
    const township = await knex('regions').where({ kind: 'township' }).first('id');
    const err = await refused(() =>
      knex('regions').insert({
        kind: 'township',
        name: '错挂镇',
        parent_id: township?.id,
        parent_kind: 'township',
        township_kind: 'town',
      }),
    );
    expect(err.constraint).to.equal('regions_hierarchy_check');
  });
});
