import { expect } from 'chai';
import type { Knex } from 'knex';
import type { Scope } from '../../src/auth/principal.js';
import { countyKey } from '../../src/db/repositories/overviewChanges.js';
import { createCareerService } from '../../src/services/careers/careerService.js';
import { createCareerPerson } from '../support/careers.js';
import { createOwnTownship, createPerson } from '../support/factories.js';
import { signIn } from '../support/http.js';
import { getWorld, TEST_TODAY, type TestWorld } from '../support/world.js';

/**
 * The career page's reference data (rules, names, the home township and its seats) is cached in-process and
 * validated by the change log (overview_changes): every kind of write that changes it shows on the next page
 * view, whichever path made it (raw SQL here: the triggers log every path); writes in another county leave the
 * cached entry alone. After each write the page equals what a service with an empty cache computes.
 */
describe('career page reference cache: writes to the reference show on the next page view', () => {
  let world: TestWorld;
  let own: Awaited<ReturnType<typeof createOwnTownship>>;
  let other: Awaited<ReturnType<typeof createOwnTownship>>;
  let scope: Scope;
  let person: number;
  let leaderPost: number;

  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
    own = await createOwnTownship(knex());
    other = await createOwnTownship(knex());
    scope = await world.services.access.scopeFor({ grants: [{ role: 'admin' }] } as never);
    // clerk_1 since 2024-06: principal_4 (24 months, national) from 2026-06.
    person = await createCareerPerson(knex(), own, {
      name: '缓存履历',
      grade: 'clerk_1',
      since: '2024-06-15',
      assessments: { 2024: 'competent', 2025: 'competent' },
      sanctions: [{ kind: 'gov_warning', decidedOn: '2026-01-10' }],
      postId: own.posts.clerkA,
    });
    // Also 副科 on the leadership ladder: 正科 (township_chief) is a target, with the township's seats at its rank.
    await knex()('grades').insert({
      person_id: person,
      ladder: 'leadership_level',
      grade_code: 'township_deputy',
      valid_from: '2022-01-01',
    });
    const [post] = await knex()('posts')
      .insert({
        township_id: own.townshipId,
        name: '镇长',
        category: 'leadership',
        leadership_kind: 'mayor',
        establishment_types: ['administrative'],
        opened_on: '2020-01-01',
      })
      .returning('id');
    leaderPost = (post as { id: number }).id;
  });

  function knex(): Knex {
    return world.db.knex;
  }
  const careers = () => world.services.careers.paths;
  const stats = () => careers().referenceCache();

  /** The person's career page data through the app's service, and whether its reference came from the cache. */
  async function view(asOf = TEST_TODAY) {
    const before = stats();
    const data = await careers().careerPath(scope, person, asOf);
    return { data, hit: stats().hits > before.hits };
  }

  /** The same computed by a service with an empty cache. */
  const fresh = (asOf = TEST_TODAY) =>
    createCareerService({ knex: knex(), clock: world.services.clock }).careerPath(scope, person, asOf);

  /** Views twice (the second from the cache), writes, views again: a miss equal to a fresh computation. */
  async function aroundWrite(write: () => Promise<unknown>) {
    await view();
    const before = await view();
    expect(before.hit, 'second view is a cache hit').to.equal(true);
    await write();
    const after = await view();
    expect(after.hit, 'the view after a write reloads the reference').to.equal(false);
    expect(after.data).to.deep.equal(await fresh());
    return { before: before.data, after: after.data };
  }

  /** principal_4's answer for the person. */
  const principal4 = (data: Awaited<ReturnType<typeof fresh>>) =>
    data.answers.find((a) => a.target.code === 'principal_4')?.result;

  it('the second page view takes the reference from the cache, and renders from frozen data', async () => {
    const officer = await signIn(world.app, own.officer.username, own.officer.password);
    const first = await officer.get(`/people/${person}/career`).expect(200);
    const before = stats();
    const second = await officer.get(`/people/${person}/career`).expect(200);
    expect(stats().hits).to.equal(before.hits + 1);
    expect(stats().misses).to.equal(before.misses);
    expect(second.text).to.contain('缓存履历');
    const strip = (html: string) => html.replace(/name="_csrf" value="[^"]*"/g, '');
    expect(strip(second.text)).to.equal(strip(first.text));
    // The JSON twin (no township) has its own entry and hits on its second read too.
    await officer.get(`/api/v1/people/${person}/eligibility`).expect(200);
    const api = stats();
    await officer.get(`/api/v1/people/${person}/eligibility`).expect(200);
    expect(stats().hits).to.equal(api.hits + 1);
  });

  it('a county sanction period', async () => {
    const { before, after } = await aroundWrite(() =>
      knex()('county_sanction_periods').insert({
        county_id: own.countyId,
        kind_code: 'gov_warning',
        impact_months: 3,
        effective_from: '2026-01-01',
        source: '缓纪〔2026〕1号',
      }),
    );
    // 警告 from 2026-01-10 blocks 6 months nationally, 3 in the county: tenure (2026-06) decides then.
    expect(principal4(before)?.eligibleFrom).to.equal('2026-07-10');
    expect(principal4(after)?.eligibleFrom).to.equal('2026-06-01');
  });

  it('a new promotion rule of the county', async () => {
    const { before, after } = await aroundWrite(() =>
      knex()('promotion_rules').insert({
        county_id: own.countyId,
        target: 'principal_4',
        min_months: 36,
        counted_grades: ['clerk_1'],
        effective_from: '2026-01-01',
        source: '缓组〔2026〕1号',
      }),
    );
    expect(principal4(before)?.eligibleFrom).to.equal('2026-06-01');
    expect(principal4(after)?.eligibleFrom).to.equal('2027-06-01');
  });

  it('a national promotion rule (every county), on the page and its JSON twin', async () => {
    const api = () => careers().personEligibility(scope, person, TEST_TODAY);
    await api();
    const hits = stats().hits;
    await api();
    expect(stats().hits).to.equal(hits + 1);
    await aroundWrite(() =>
      knex()('promotion_rules').insert({
        county_id: null,
        target: 'principal_3',
        min_months: 30,
        counted_grades: ['principal_4'],
        effective_from: '2026-02-01',
        source: '缓组〔2026〕2号',
      }),
    );
    const misses = stats().misses;
    await api();
    expect(stats().misses).to.equal(misses + 1);
    await knex()('promotion_rules').where('source', '缓组〔2026〕2号').delete();
  });

  it('a grade renamed', async () => {
    const original = (await knex()('grade_levels').where('code', 'clerk_1').first('name_zh')) as {
      name_zh: string;
    };
    try {
      const { after } = await aroundWrite(() =>
        knex()('grade_levels').where('code', 'clerk_1').update({ name_zh: '一级科员（缓存）' }),
      );
      expect(after.names.grades.find((g) => g.code === 'clerk_1')?.nameZh).to.equal('一级科员（缓存）');
    } finally {
      await knex()('grade_levels').where('code', 'clerk_1').update({ name_zh: original.name_zh });
    }
  });

  it('the township’s seats: a leadership slot decision, then a leader appointed to the post', async () => {
    /** The vacant 正科 township slots shown for township_chief. */
    const vacant = (data: Awaited<ReturnType<typeof fresh>>) => {
      const seats = data.answers.find((a) => a.target.code === 'township_chief')?.seats;
      return seats?.kind === 'leadership' ? seats.slots.map((s) => [s.kind, s.vacant]) : null;
    };
    const decided = await aroundWrite(async () => {
      const [account] = await knex()('leadership_slot_accounts')
        .insert({ township_id: own.townshipId, kind_code: 'mayor' })
        .returning('id');
      await knex()('leadership_slot_decisions').insert({
        account_id: (account as { id: number }).id,
        slot_count: 1,
        rank: 'section_chief',
        counted: true,
        effective_from: '2026-01-01',
        doc_no: '缓组〔2026〕3号',
      });
    });
    expect(vacant(decided.before)).to.deep.equal([]);
    expect(vacant(decided.after)).to.deep.equal([['mayor', 1]]);
    const leader = await createPerson(knex(), '缓存镇长');
    const appointed = await aroundWrite(() =>
      knex()('assignments').insert({
        person_id: leader,
        post_id: leaderPost,
        kind: 'primary',
        valid_from: '2026-02-01',
      }),
    );
    expect(vacant(appointed.after)).to.deep.equal([]);
  });

  it('a township renamed', async () => {
    const { after } = await aroundWrite(() =>
      knex()('regions')
        .where('id', own.townshipId)
        .update({ name: `${own.townshipId}缓存镇` }),
    );
    expect(after.township?.name).to.equal(`${own.townshipId}缓存镇`);
  });

  it('writes in another county leave the cached reference alone', async () => {
    await view();
    expect((await view()).hit).to.equal(true);
    const key = await countyKey(knex(), own.countyId);
    await knex()('promotion_rules').insert({
      county_id: other.countyId,
      target: 'principal_4',
      min_months: 12,
      counted_grades: ['clerk_1'],
      effective_from: '2026-01-01',
      source: '他县〔2026〕1号',
    });
    await knex()('county_sanction_periods').insert({
      county_id: other.countyId,
      kind_code: 'gov_warning',
      impact_months: 1,
      effective_from: '2026-01-01',
      source: '他县〔2026〕2号',
    });
    const stranger = await createPerson(knex(), '他县人员');
    await knex()('assignments').insert({
      person_id: stranger,
      post_id: other.posts.clerkA,
      kind: 'primary',
      valid_from: '2026-02-01',
    });
    expect(await countyKey(knex(), own.countyId)).to.equal(key);
    const again = await view();
    expect(again.hit).to.equal(true);
    expect(again.data).to.deep.equal(await fresh());
  });

  it('another date is its own entry', async () => {
    await view();
    const past = await view('2025-01-01');
    const now = await view();
    expect(now.hit).to.equal(true);
    expect(past.data.asOf).to.equal('2025-01-01');
    expect(past.data).to.deep.equal(await fresh('2025-01-01'));
  });

  it('each reference table logs its writes: its county, or every county', async () => {
    const weights = async () => {
      const rows = (await knex()('overview_changes')
        .whereIn('county_id', [own.countyId, other.countyId])
        .orWhereNull('county_id')
        .groupBy('county_id')
        .select('county_id', knex().raw('sum(weight) as w'))) as Array<{
        county_id: number | null;
        w: number;
      }>;
      const of = (id: number | null) => Number(rows.find((r) => r.county_id === id)?.w ?? 0);
      return { own: of(own.countyId), other: of(other.countyId), every: of(null) };
    };
    const cases: Array<[string, () => Promise<unknown>, { own: number; other: number; every: number }]> = [
      [
        'sanction kind',
        () =>
          knex()('sanction_kinds')
            .where('code', 'gov_warning')
            .update({ name_en: knex().ref('name_en') }),
        { own: 0, other: 0, every: 1 },
      ],
      [
        'county promotion rule',
        () => knex()('promotion_rules').where('source', '缓组〔2026〕1号').update({ min_months: 35 }),
        { own: 1, other: 0, every: 0 },
      ],
      [
        'sanction periods of two counties in one statement',
        () =>
          knex()('county_sanction_periods')
            .whereIn('source', ['缓纪〔2026〕1号', '他县〔2026〕2号'])
            .update({ impact_months: 2 }),
        { own: 1, other: 1, every: 0 },
      ],
      [
        'grade level',
        () =>
          knex()('grade_levels')
            .where('code', 'clerk_1')
            .update({ name_en: knex().ref('name_en') }),
        { own: 0, other: 0, every: 1 },
      ],
      [
        'a statement that changes nothing',
        () => knex()('promotion_rules').where('source', 'none').delete(),
        { own: 0, other: 0, every: 0 },
      ],
    ];
    for (const [name, write, expected] of cases) {
      const before = await weights();
      await write();
      const after = await weights();
      expect(
        { own: after.own - before.own, other: after.other - before.other, every: after.every - before.every },
        name,
      ).to.deep.equal(expected);
    }
  });
});
