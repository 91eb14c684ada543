import { expect } from 'chai';
import type { Knex } from 'knex';
import { preparedRows } from '../../src/db/prepared.js';
import { backend, getWorld } from '../support/world.js';

/**
 * preparedRows: the same rows as the query sent plainly, on both backends; on PostgreSQL a named prepared
 * statement per text, reused by later executions (the generic plan after five custom ones).
 */
describe('prepared statements (preparedRows)', () => {
  let knex: Knex;

  before(async function () {
    this.timeout(180_000);
    knex = (await getWorld()).db.knex;
  });

  /** A statement with a date, an array, a subquery and a limit, all bound. */
  const query = (db: Knex, ids: number[], on: string, extra = false) => {
    const q = db('regions as r')
      .whereRaw('r.id = any(?::int[])', [ids])
      .select(
        'r.id',
        'r.kind',
        db.raw('?::date as on_date', [on]),
        db.raw('(select count(*) from regions) as n'),
      )
      .orderBy('r.id')
      .limit(10);
    return extra ? q.where('r.kind', 'township') : q;
  };

  /** The prepared statements of a connection whose name starts with `prefix`. */
  const preparedOn = async (trx: Knex.Transaction, prefix: string) =>
    (
      (await trx.raw(
        `SELECT name, generic_plans + custom_plans AS runs, generic_plans FROM pg_prepared_statements
         WHERE name LIKE ? ORDER BY name`,
        [`${prefix}%`],
      )) as { rows: Array<{ name: string; runs: number; generic_plans: number }> }
    ).rows;

  it('gives the rows the plain query gives', async () => {
    const ids = (await knex('regions').orderBy('id').limit(5).pluck('id')) as number[];
    for (const [list, on] of [
      [ids, '2026-11-15'],
      [ids.slice(0, 2), '2019-05-31'],
      [[], '2027-06-01'],
    ] as Array<[number[], string]>) {
      const rows = await preparedRows(knex, 'test_regions', query(knex, list, on));
      expect(rows).to.deep.equal(await query(knex, list, on));
      expect(rows.length).to.equal(list.length);
      if (rows.length) expect(rows[0]).to.include({ on_date: on });
    }
  });

  it('on PostgreSQL, one prepared statement per text, reused; PGlite runs it plainly', async () => {
    const ids = (await knex('regions').orderBy('id').limit(3).pluck('id')) as number[];
    await knex.transaction(async (trx) => {
      for (let i = 0; i < 7; i++) await preparedRows(trx, 'test_reuse', query(trx, ids, '2026-11-15'));
      await preparedRows(trx, 'test_reuse', query(trx, ids, '2026-11-15', true));
      const prepared = await preparedOn(trx, 'test_reuse');
      if (backend === 'pg') {
        // Two texts under one name: two statements, the first run 7 times with generic plans after 5.
        expect(prepared.map((p) => Number(p.runs)).sort()).to.deep.equal([1, 7]);
        expect(prepared.every((p) => /^test_reuse_[0-9a-f]{16}$/.test(p.name))).to.equal(true);
        expect(Number(prepared.find((p) => Number(p.runs) === 7)?.generic_plans)).to.be.greaterThan(0);
      } else {
        expect(prepared).to.deep.equal([]);
      }
    });
  });

  it('past 16 texts under one name, the others run unprepared (and still give their rows)', async () => {
    await knex.transaction(async (trx) => {
      for (let i = 0; i < 20; i++) {
        const rows = await preparedRows<{ n: number }>(
          trx,
          'test_variants',
          trx.raw(`SELECT ${i} + ?::int AS n`, [1]),
        );
        expect(rows).to.deep.equal([{ n: i + 1 }]);
      }
      const prepared = await preparedOn(trx, 'test_variants');
      expect(prepared.length).to.equal(backend === 'pg' ? 16 : 0);
    });
  });

  it('refuses a name PostgreSQL would not keep as given', async () => {
    let error: unknown;
    try {
      await preparedRows(knex, 'Bad Name', knex.raw('SELECT 1'));
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.match(/bad statement name/);
  });
});
