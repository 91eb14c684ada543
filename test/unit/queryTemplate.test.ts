import { expect } from 'chai';
import knexFactory from 'knex';
import { queryTemplate } from '../../src/db/queryTemplate.js';

/** queryTemplate: a statement compiled once per shape gives what its builder gives for every value. */
describe('queryTemplate', () => {
  const db = knexFactory({ client: 'pg' });
  type V = { personId: number; on: string; ids: number[] };
  const build = (k: typeof db, v: V, shape: string) => {
    const q = k('people as p')
      .where('p.id', v.personId)
      .whereRaw('p.id = any(?::int[])', [[v.personId]])
      .whereIn('p.status', ['active', 'retired'])
      .select(k.raw('? as on_date', [v.on]));
    if (shape === 'scoped') q.whereRaw('p.township_id = any(?::int[])', [v.ids]);
    return q;
  };
  const template = queryTemplate<V>(build, { personId: -71, on: '1901-01-01', ids: [-72] });

  it('sends the builder’s text and bindings for any values, per shape', () => {
    for (const shape of ['scoped', 'all'])
      for (const v of [
        { personId: 5, on: '2026-11-29', ids: [1, 2, 3] },
        { personId: 9, on: '2019-07-01', ids: [] },
      ]) {
        const expected = build(db, v, shape).toSQL();
        const got = template(db, shape, v).toSQL();
        expect(got.sql, shape).to.equal(expected.sql);
        expect(got.bindings, shape).to.deep.equal(expected.bindings);
      }
  });

  it('refuses a builder that binds a value computed from a parameter', () => {
    const derived = queryTemplate<{ personId: number }>(
      (k, v) => k('people').whereRaw('id = ? or id = ?', [v.personId, `x${v.personId}`]),
      { personId: -81 },
    );
    expect(() => derived(db, 'one', { personId: 3 })).to.throw(/derived from a parameter/);
  });
});
