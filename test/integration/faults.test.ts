import { expect } from 'chai';
import supertest from 'supertest';
import { openDatabase } from '../../src/db/database.js';
import { countRows, createPerson, createTestTownship, createUser, demoScopes } from '../support/factories.js';
import { backend, buildApp, getWorld, TEST_TODAY, type TestWorld } from '../support/world.js';

/**
 * Failure modes on PostgreSQL: a connection killed in the middle of a request (pg_terminate_backend) fails that
 * request cleanly — 503 in the caller's language, nothing written — and the next request works without a
 * restart; /healthz says when the database can't be reached, and answers quickly.
 */
describe('faults: a connection killed mid-request, an unreachable database (PostgreSQL)', () => {
  let world: TestWorld;
  before(async function () {
    if (backend !== 'pg') this.skip();
    this.timeout(180_000);
    world = await getWorld();
  });

  it('a placement whose connection is terminated while it waits for a lock: 503, nothing written, then it works', async function () {
    this.timeout(60_000);
    const knex = world.db.knex;
    const s = await demoScopes(knex);
    const t = await createTestTownship(knex, { countyId: s.county, approved: { administrative: 3 } });
    const officer = await createUser(knex, { role: 'township_officer', regionId: t.townshipId });
    const person = await createPerson(knex);
    const { raw } = await world.services.auth.createToken(
      { userId: officer.id, username: officer.username, requestId: 'faults' },
      'faults',
      null,
    );
    const counts = async () => ({
      assignments: await countRows(knex, 'assignments', { person_id: person }),
      slots: await countRows(knex, 'quota_slots', { person_id: person }),
      audit: await countRows(knex, 'audit_log', { actor_user_id: officer.id }),
      keys: await countRows(knex, 'idempotency_keys'),
    });
    const before = await counts();
    const body = {
      personId: person,
      validFrom: TEST_TODAY,
      docNo: '故障测试',
      reason: 'fault',
      establishmentType: 'administrative',
    };
    const place = () =>
      supertest(world.app)
        .post(`/api/v1/posts/${t.posts.office[0]}/placements`)
        .set('Authorization', `Bearer ${raw}`)
        .set('Accept-Language', 'en')
        .send(body);

    // Hold the quota account's row lock so the placement stops inside its transaction, then kill its backend.
    const holder = await knex.transaction();
    try {
      await holder('quota_accounts').where({ id: t.accounts.administrative }).forUpdate().first();
      const pending = place();
      const response = pending.then((r) => r);
      let killed = 0;
      for (let i = 0; i < 100 && killed === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        const res = await holder.raw(
          `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`,
        );
        killed = (res as { rows: unknown[] }).rows.length;
      }
      expect(killed, 'the placement never waited for the lock').to.equal(1);
      const res = await response;
      expect(res.status).to.equal(503);
      expect(res.body.error.code).to.equal('unavailable');
      expect(res.body.error.message).to.match(/数据库|database/);
      expect(JSON.stringify(res.body)).not.to.match(/terminat|stack|at \w+ \(/);
    } finally {
      await holder.rollback();
    }
    expect(await counts()).to.deep.equal(before);

    // The pool drops the dead connection: the same request now succeeds, without a restart.
    const again = await place();
    expect(again.status, again.text).to.equal(201);
    const after = await counts();
    expect(after.assignments).to.equal(before.assignments + 1);
    expect(after.audit).to.equal(before.audit + 1);
    const health = await supertest(world.app).get('/healthz');
    expect(health.status).to.equal(200);
  });

  it('every pooled connection killed at once: the next requests still work', async function () {
    this.timeout(60_000);
    const knex = world.db.knex;
    // Warm several pool connections, then terminate every backend of this database but the one asking.
    await Promise.all(Array.from({ length: 5 }, () => knex.raw('SELECT pg_sleep(0.05)')));
    const admin = await openDatabase({
      kind: 'pg',
      url: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      poolMax: 1,
    });
    try {
      const name = ((await knex.raw('SELECT current_database() AS n')) as { rows: Array<{ n: string }> })
        .rows[0]?.n;
      await admin.knex.raw(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()',
        [name as string],
      );
    } finally {
      await admin.close();
    }
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await supertest(world.app).get('/healthz')).status);
    // At most the requests that picked a dead connection fail (cleanly); then the pool is healthy again.
    expect(statuses.slice(-3)).to.deep.equal([200, 200, 200]);
    const agent = supertest.agent(world.app);
    expect((await agent.get('/login')).status).to.equal(200);
  });

  it('/healthz answers 503 within seconds when the database is unreachable (a closed port)', async function () {
    this.timeout(30_000);
    const db = await openDatabase({ kind: 'pg', url: 'postgres://postgres@127.0.0.1:1/nowhere', poolMax: 1 });
    const { app, close } = buildApp(db);
    try {
      const started = Date.now();
      const res = await supertest(app).get('/healthz');
      expect(res.status).to.equal(503);
      expect(res.body).to.deep.include({ status: 'unavailable', database: 'unreachable' });
      expect(Date.now() - started).to.be.lessThan(5000);
      // A request that needs the database fails with the localised 503, not a stack trace.
      const api = await supertest(app)
        .get('/api/v1/me')
        .set('Authorization', 'Bearer gw_unknown')
        .set('Accept-Language', 'en');
      expect(api.status).to.equal(503);
      expect(api.headers['retry-after']).to.equal('5');
      expect(api.body.error.message).to.match(/cannot reach its database/);
      expect(api.text).not.to.match(/ECONNREFUSED|at \w+ \(|node_modules/);
    } finally {
      close();
      await db.close();
    }
  });
});
