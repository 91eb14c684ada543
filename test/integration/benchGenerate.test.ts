import { expect } from 'chai';
import pg from 'pg';
import { generate } from '../../bench/generate/index.js';
import { checkInvariants, totalBreaks } from '../../bench/invariants.js';
import { openDatabase } from '../../src/db/database.js';
import { backend } from '../support/world.js';

const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The benchmark's generator (bench/generate) at county scale: its world keeps every invariant. */
describe('benchmark data generator (county scale)', function () {
  this.timeout(180_000);
  const url = new URL(serverUrl);
  url.pathname = `/gangwei_bench_test_${process.pid}`;

  before(function () {
    if (backend !== 'pg') {
      console.log(
        '    (skipped on PGlite: the generator loads with COPY into a PostgreSQL server; run npm run test:pg)',
      );
      this.skip();
    }
  });

  after(async () => {
    if (backend !== 'pg') return;
    const admin = new URL(serverUrl);
    admin.pathname = '/postgres';
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${url.pathname.slice(1)} WITH (FORCE)`);
    await client.end();
  });

  it('fills a county through the app’s tables and constraints, with every invariant kept', async () => {
    const summary = await generate({
      scale: 'county',
      databaseUrl: url.toString(),
      seed: 7,
      today: '2026-11-15',
      log: () => {},
    });
    expect(summary.rows.regions).to.equal(22); // a city, a county, 20 townships
    expect(summary.rows.people).to.equal(2000);
    expect(summary.historyRows).to.be.greaterThan(20_000);
    expect(Object.keys(summary.movementStates)).to.include.members([
      'draft',
      'submitted',
      'returned',
      'approved',
      'filed',
      'rejected',
      'withdrawn',
    ]);
    expect(summary.invariants).to.not.equal(null);
    expect(totalBreaks(summary.invariants ?? {}), JSON.stringify(summary.invariants)).to.equal(0);

    // The checks bite: one more person on a full account is a break.
    const db = await openDatabase({ kind: 'pg', url: url.toString(), poolMax: 1 });
    try {
      const full = await db.knex.raw(`
        SELECT qa.id FROM quota_accounts qa
        WHERE (SELECT count(*) FROM quota_slots s WHERE s.account_id = qa.id AND s.valid_to IS NULL) > 0
        ORDER BY qa.id LIMIT 1`);
      const accountId = full.rows[0].id as number;
      const approved = await db.knex.raw(
        'SELECT max(approved_count) AS n FROM quota_decisions WHERE account_id = ?',
        [accountId],
      );
      const person = await db.knex.raw(
        `
        SELECT p.id FROM people p WHERE NOT EXISTS (
          SELECT 1 FROM quota_slots s WHERE s.person_id = p.id AND (s.valid_to IS NULL OR s.valid_to > '2026-01-01'))
        ORDER BY p.id LIMIT ?`,
        [Number(approved.rows[0].n) + 1],
      );
      for (const row of person.rows) {
        await db
          .knex('quota_slots')
          .insert({ person_id: row.id, account_id: accountId, valid_from: '2026-01-01' });
      }
      const after = await checkInvariants(db.knex);
      expect(after.quota_over_approved).to.be.greaterThan(0);
    } finally {
      await db.close();
    }
  });
});
