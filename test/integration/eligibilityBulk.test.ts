import { expect } from 'chai';
import type { Knex } from 'knex';
import pg from 'pg';
import { generate } from '../../bench/generate/index.js';
import { openDatabase } from '../../src/db/database.js';
import { idList, idRange, loadEligibilityInputsFolded } from '../../src/db/repositories/eligibilityBulk.js';
import {
  loadEligibilityInputs,
  loadEligibilityInputsInRange,
  loadEligibilityRules,
} from '../../src/db/repositories/eligibilityInputs.js';
import { assessEligibility, type EligibilityResult } from '../../src/domain/eligibility/index.js';
import { assessEveryone, assessPeople } from '../../src/services/eligibility/bulk.js';
import { backend, getWorld, TEST_TODAY } from '../support/world.js';

/**
 * The bulk path (folded histories, batches read ahead) gives exactly what the per-person path gives: the
 * same inputs and the same results for every person, on the demo world and on a generated county.
 */
async function expectSameAsPerPerson(knex: Knex, asOf: string, batch: number) {
  const ids = ((await knex('people').orderBy('id').select('id')) as Array<{ id: number }>).map((r) => r.id);
  expect(ids.length).to.be.greaterThan(0);
  const reference = await loadEligibilityInputs(knex, ids, asOf);
  const rules = await loadEligibilityRules(knex, asOf);

  const bulk = new Map<number, EligibilityResult[]>();
  const stats = await assessEveryone(knex, rules, asOf, (id, results) => bulk.set(id, results), { batch });
  expect(stats.people).to.equal(reference.size);
  expect([...bulk.keys()]).to.deep.equal([...reference.keys()]);
  for (const [id, input] of reference)
    expect(bulk.get(id), `person ${id}`).to.deep.equal(assessEligibility(input, rules, asOf));

  // Inputs equal, list order included.
  const ranged = await loadEligibilityInputsInRange(knex, ids[0]!, ids.at(-1)! + 1, asOf);
  expect([...ranged]).to.deep.equal([...reference]);

  // A list of ids (unsorted, repeated, one unknown) in small chunks.
  const some = [...ids.slice(0, 25)].reverse().concat(ids.slice(0, 3), [ids.at(-1)! + 1000]);
  const listed = new Map<number, EligibilityResult[]>();
  await assessPeople(knex, rules, asOf, some, (id, results) => listed.set(id, results), { batch: 4 });
  expect([...listed.keys()]).to.deep.equal(ids.slice(0, 25));
  for (const id of ids.slice(0, 25)) expect(listed.get(id)).to.deep.equal(bulk.get(id));
  return { people: ids.length, results: stats.results };
}

describe('eligibility in bulk (src/services/eligibility/bulk.ts)', () => {
  describe('on the demo world', () => {
    let knex: Knex;

    before(async function () {
      this.timeout(120_000);
      knex = (await getWorld()).db.knex;
    });

    it('gives every person the same inputs and results as the per-person path', async () => {
      const { results } = await expectSameAsPerPerson(knex, TEST_TODAY, 97);
      expect(results).to.be.greaterThan(0);
      // Another date: rules, sanctions and counties in force then.
      await expectSameAsPerPerson(knex, '2023-03-01', 400);
    });

    it('reads a batch in four statements whatever its size (besides the sort memory setting of one)', async () => {
      const ids = ((await knex('people').orderBy('id').select('id')) as Array<{ id: number }>).map(
        (r) => r.id,
      );
      for (const filter of [idList(ids.slice(0, 1)), idList(ids), idRange(ids[0]!, ids.at(-1)! + 1)]) {
        let statements = 0;
        const count = (q: { sql: string }) => {
          if (!/^(BEGIN|COMMIT|SET LOCAL work_mem)/i.test(q.sql.trim())) statements += 1;
        };
        knex.on('query', count);
        try {
          await loadEligibilityInputsFolded(knex, filter, TEST_TODAY);
        } finally {
          knex.removeListener('query', count);
        }
        expect(statements).to.equal(4);
      }
    });

    it('reads a legacy title with separators, quotes or nothing in it exactly', async () => {
      const people = (await knex('grades')
        .whereNull('superseded_at')
        .distinct('person_id')
        .orderBy('person_id')
        .limit(4)) as Array<{ person_id: number }>;
      const titles = ['科员\x1e副主任科员', 'a\x1fb\x1fc', '', '=\\x'];
      const ids = people.map((p) => p.person_id);
      await knex
        .transaction(async (trx) => {
          for (const [i, id] of ids.entries()) {
            const [g] = await trx('grades').where({ person_id: id }).whereNull('superseded_at').select('id');
            await trx('grades').where({ id: g!.id }).update({ legacy_title: titles[i] });
          }
          const folded = await loadEligibilityInputsFolded(trx, idList(ids), TEST_TODAY);
          const reference = await loadEligibilityInputs(trx, ids, TEST_TODAY);
          expect([...folded]).to.deep.equal([...reference]);
          const all = [...folded.values()].flatMap((input) => input.grades.map((g) => g.legacyTitle));
          for (const t of titles) expect(all).to.include(t);
          // The whole range too, with the two odd people read the plain way and the order kept.
          const range = await loadEligibilityInputsFolded(trx, idRange(ids[0]!, ids.at(-1)! + 1), TEST_TODAY);
          expect([...range.keys()]).to.deep.equal([...range.keys()].sort((a, b) => a - b));
          for (const id of ids) expect(range.get(id)).to.deep.equal(reference.get(id));
          throw new Error('rollback');
        })
        .catch((e: Error) => {
          if (e.message !== 'rollback') throw e;
        });
    });
  });

  describe('on a generated county', function () {
    this.timeout(300_000);
    const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const url = new URL(serverUrl);
    url.pathname = `/gangwei_bulk_test_${process.pid}`;

    before(function () {
      if (backend !== 'pg') {
        console.log('    (skipped on PGlite: the generator loads with COPY into a PostgreSQL server)');
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

    it('gives every person the same inputs and results as the per-person path', async () => {
      await generate({
        scale: 'county',
        databaseUrl: url.toString(),
        seed: 11,
        today: TEST_TODAY,
        log: () => {},
        check: false,
      });
      const db = await openDatabase({ kind: 'pg', url: url.toString(), poolMax: 4 });
      try {
        const { people, results } = await expectSameAsPerPerson(db.knex, TEST_TODAY, 300);
        expect(people).to.equal(2000);
        expect(results).to.be.greaterThan(500);
      } finally {
        await db.close();
      }
    });
  });
});
