import { expect } from 'chai';
import { getWorld, type TestWorld } from '../support/world.js';

/**
 * The audit trail over everything the suite wrote before this file (mocha runs files in name order, and this one
 * comes after almost every write test, the matrix and the bad-input attack included): every entry names its actor,
 * its request and its entity and carries a before or an after, and one request leaves one entry — except the
 * writes that are several records by design, listed here with the reason.
 */

/**
 * Actions that record an event rather than a change (no before/after): sign-in events, viewing an ID number,
 * the digest, and a password change (whose before and after must never be written anywhere).
 */
const EVENTS = /^(auth\.|person\.id_number_viewed$|digest\.|user\.password_changed$)/;

/** One request, several entries, by design. */
const MANY_PER_REQUEST: Array<[RegExp, string]> = [
  [
    /^person\.assessment_/,
    'the bulk assessment page writes one entry per changed person (each trail complete)',
  ],
  [
    /^movement\.(created|submit)$/,
    'a movement created and submitted in one request: the request, then its first workflow step (as movement_actions)',
  ],
];

describe('audit trail: one entry per write, with before/after, for everything the suite wrote', () => {
  let world: TestWorld;
  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
  });

  it('every change names its actor, request and entity, and carries a before or an after', async () => {
    const bad = await world.db
      .knex('audit_log')
      .where((q) =>
        q
          .where((w) => w.whereNull('before').whereNull('after'))
          .orWhereNull('entity_type')
          .orWhere('entity_type', ''),
      )
      .select('id', 'action', 'entity_type', 'request_id');
    expect(bad.filter((r) => !EVENTS.test(r.action))).to.deep.equal([]);
    const anonymous = await world.db
      .knex('audit_log')
      .whereNull('actor_user_id')
      .whereNotNull('request_id')
      .select('action');
    expect(anonymous.filter((r) => !EVENTS.test(r.action))).to.deep.equal([]);
  });

  it('one request leaves one entry, except the writes that are several records by design', async () => {
    const rows = (await world.db.knex.raw(
      `SELECT request_id, array_agg(DISTINCT action ORDER BY action) AS actions, count(*)::int AS n
         FROM audit_log
        WHERE request_id IS NOT NULL AND action NOT LIKE 'auth.%' AND action <> 'person.id_number_viewed'
        GROUP BY request_id HAVING count(*) > 1`,
    )) as { rows: Array<{ request_id: string; actions: string[]; n: number }> };
    // Test factories write with fixed request ids (e.g. 'race-3', 'matrix'): only requests from the app count.
    const fromApp = rows.rows.filter((r) => /^[0-9a-f-]{36}$/.test(r.request_id));
    const unexpected = fromApp.filter(
      (r) => !r.actions.every((a) => MANY_PER_REQUEST.some(([re]) => re.test(a))),
    );
    expect(unexpected, JSON.stringify(unexpected.slice(0, 10))).to.deep.equal([]);
  });
});
