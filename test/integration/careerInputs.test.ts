import { expect } from 'chai';
import type { Knex } from 'knex';
import type { RoleGrant, Scope } from '../../src/auth/principal.js';
import { loadCareerRecord, loadCareerReference } from '../../src/db/repositories/careerInputs.js';
import * as careers from '../../src/db/repositories/careers.js';
import { loadEligibilityInput, loadEligibilityRules } from '../../src/db/repositories/eligibilityInputs.js';
import { countyKey } from '../../src/db/repositories/overviewChanges.js';
import * as history from '../../src/db/repositories/personHistory.js';
import { personDetails } from '../../src/db/repositories/personRecords.js';
import { findRegion } from '../../src/db/repositories/regions.js';
import { isPersonInScope, resolveScope } from '../../src/db/repositories/scope.js';
import { assessEligibility, type EligibilityRules } from '../../src/domain/eligibility/index.js';
import { createCareerPerson } from '../support/careers.js';
import { createOwnTownship, createRegisteredPerson, demoScopes } from '../support/factories.js';
import { getWorld, TEST_TODAY } from '../support/world.js';

const DATES = [TEST_TODAY, '2019-05-31', '2027-06-01'];

/** Rules with the grades in one order (the engine indexes them; the loaders may list them differently). */
/** Rules in a canonical order (the loaders order rows differently; other test files add rules of their own). */
const byJson = <T>(items: readonly T[]) =>
  [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
const sorted = (rules: EligibilityRules) => ({
  ...rules,
  grades: [...rules.grades].sort((a, b) => a.code.localeCompare(b.code)),
  promotionRules: byJson(rules.promotionRules),
  sanctionKinds: byJson(rules.sanctionKinds),
  sanctionPeriods: byJson(rules.sanctionPeriods ?? []),
});

describe('the career page loader gives what the separate loaders give', () => {
  let knex: Knex;
  let people: number[];
  let scopes: Array<[string, Scope]>;

  before(async function () {
    this.timeout(180_000);
    knex = (await getWorld()).db.knex;
    const s = await demoScopes(knex);
    // Demo people of every kind: a spread of ids plus the first with each trait the loaders branch on.
    const all = (await knex('people').orderBy('id').pluck('id')) as number[];
    const firstOf = async (q: Knex.QueryBuilder) =>
      ((await q.first('person_id')) as { person_id?: number })?.person_id;
    const traits = await Promise.all([
      firstOf(knex('sanctions').orderBy('person_id')),
      firstOf(
        knex('sanctions').whereNull('closed_on').where('kind_code', 'investigation').orderBy('person_id'),
      ),
      firstOf(knex('family_members').where('emigrated', true).orderBy('person_id')),
      firstOf(knex('grades').whereNotNull('superseded_at').orderBy('person_id')),
      firstOf(knex('assignments').whereNotNull('superseded_at').orderBy('person_id')),
      firstOf(knex('assessments').whereNotNull('superseded_at').orderBy('person_id')),
      firstOf(knex('assignments').whereNot('kind', 'primary').orderBy('person_id')),
      firstOf(
        knex('quota_slots as qs')
          .join('quota_accounts as qa', 'qa.id', 'qs.account_id')
          .join('quota_holders as qh', 'qh.id', 'qa.holder_id')
          .whereNotNull('qh.department_id')
          .orderBy('qs.person_id')
          .select('qs.person_id'),
      ),
    ]);
    const step = Math.max(1, Math.floor(all.length / 20));
    // And people made here: a corrected history, and a record with no slot and no post yet.
    const t = await createOwnTownship(knex);
    const corrected = await createCareerPerson(knex, t, {
      name: '钱更正',
      grade: 'clerk_1',
      since: '2021-03-01',
      assessments: { 2021: 'competent', 2022: 'excellent' },
      sanctions: [{ kind: 'investigation', decidedOn: '2025-01-01' }],
      postId: t.posts.clerkB,
    });
    const [wrong] = await knex('grades')
      .insert({
        person_id: corrected,
        ladder: 'civil_service_rank',
        grade_code: 'principal_4',
        valid_from: '2018-01-01',
        valid_to: '2021-03-01',
        superseded_at: knex.fn.now(),
      })
      .returning('id');
    await knex('grades').insert({
      person_id: corrected,
      ladder: 'civil_service_rank',
      grade_code: 'clerk_2',
      valid_from: '2018-01-01',
      valid_to: '2021-03-01',
      corrects_id: (wrong as { id: number }).id,
    });
    await knex('assessments')
      .where({ person_id: corrected, year: 2022 })
      .update({ superseded_at: knex.fn.now() });
    await knex('assessments').insert({ person_id: corrected, year: 2022, result: 'competent' });
    await knex('family_members').insert([
      { person_id: corrected, relation: 'spouse', name: '配偶', emigrated: true, work_unit_and_post: '' },
      { person_id: corrected, relation: 'father', name: '父亲', emigrated: true, work_unit_and_post: '' },
    ]);
    const blank = (await createRegisteredPerson(knex, { townshipId: t.townshipId, name: '空白档' })).id;
    people = [
      ...new Set([
        s.staffPerson,
        ...all.filter((_, i) => i % step === 0),
        ...traits.filter((id): id is number => id !== undefined),
        corrected,
        blank,
      ]),
    ];
    const grants = (g: Partial<RoleGrant> & Pick<RoleGrant, 'role'>): RoleGrant[] => [
      { regionId: null, personId: null, ...g },
    ];
    scopes = [
      ['admin', await resolveScope(knex, grants({ role: 'admin' }))],
      ['officer', await resolveScope(knex, grants({ role: 'township_officer', regionId: s.township }))],
      ['officer2', await resolveScope(knex, grants({ role: 'township_officer', regionId: s.township2 }))],
      [
        'test officer',
        await resolveScope(knex, grants({ role: 'township_officer', regionId: t.townshipId })),
      ],
      ['reviewer', await resolveScope(knex, grants({ role: 'county_reviewer', regionId: s.county }))],
      ['staff', await resolveScope(knex, grants({ role: 'staff', personId: s.staffPerson }))],
    ];
  });

  it('the engine’s input, the timelines, the person and their township, for every person and date', async function () {
    this.timeout(120_000);
    const admin = scopes[0]![1];
    expect(people.length).to.be.greaterThan(10);
    for (const id of people)
      for (const asOf of DATES) {
        const record = await loadCareerRecord(knex, admin, id, { asOf, today: TEST_TODAY });
        const label = `person ${id} on ${asOf}`;
        expect(record, label).not.to.equal(undefined);
        expect(record!.input, label).to.deep.equal(await loadEligibilityInput(knex, id, asOf));
        expect(record!.person, label).to.deep.equal(await personDetails(knex, id));
        expect(record!.homeTownshipId, label).to.equal(await careers.homeTownshipOf(knex, id, asOf));
        // The home township's county and the change log's weights (the reference cache's key) come along.
        const home =
          record!.homeTownshipId === null ? null : await findRegion(knex, record!.homeTownshipId, 'township');
        expect(record!.homeCountyId, label).to.equal(home?.parentId ?? null);
        const { changes } = record!;
        // countyKey is the sum of the county's and the every-county weights.
        const weights = async (countyId: number | null) =>
          countyId === null ? String(changes.everyCounty) : await countyKey(knex, countyId);
        const sum = (county: number) => String(county + changes.everyCounty);
        expect(sum(changes.homeCounty), label).to.equal(await weights(record!.homeCountyId));
        expect(sum(changes.county), label).to.equal(await weights(record!.input.countyId));
        expect(record!.assignments, label).to.deep.equal(await history.assignmentTimeline(knex, id));
        expect(record!.grades, label).to.deep.equal(await history.gradeTimeline(knex, id));
        expect(record!.assessments, label).to.deep.equal(await history.assessmentTimeline(knex, id));
      }
    expect(
      await loadCareerRecord(knex, admin, 999_999_999, { asOf: TEST_TODAY, today: TEST_TODAY }),
    ).to.equal(undefined);
  });

  it('reads a person exactly when the scope may (isPersonInScope)', async function () {
    this.timeout(120_000);
    let readable = 0;
    for (const [name, scope] of scopes)
      for (const id of people) {
        const expected = await isPersonInScope(knex, scope, id, TEST_TODAY);
        const record = await loadCareerRecord(knex, scope, id, { asOf: '2027-06-01', today: TEST_TODAY });
        expect(record !== undefined, `${name} reads person ${id}`).to.equal(expected);
        if (expected) readable += 1;
      }
    // Every scope reads someone and misses someone, so both answers are tested.
    expect(readable).to.be.greaterThan(people.length);
    expect(readable).to.be.lessThan(people.length * scopes.length);
  });

  it('the rules, the names, and the township with its seats', async function () {
    this.timeout(120_000);
    const townships = new Set<number>();
    for (const id of people) {
      const township = await careers.homeTownshipOf(knex, id, TEST_TODAY);
      if (township !== null) townships.add(township);
    }
    expect(townships.size).to.be.greaterThan(2);
    // A county with its own promotion rule and sanction period, and another county's rule: the reference
    // data of a county carries its own versions and the national ones, never another county's.
    const [mine, theirs] = (await knex('regions')
      .where('kind', 'county')
      .orderBy('id')
      .limit(2)
      .pluck('id')) as [number, number];
    await knex('promotion_rules').insert([
      {
        county_id: mine,
        target: 'principal_4',
        min_months: 30,
        counted_grades: ['clerk_1'],
        effective_from: '2019-01-01',
        source: '参照测试',
      },
      {
        county_id: theirs,
        target: 'principal_4',
        min_months: 40,
        counted_grades: ['clerk_1'],
        effective_from: '2019-01-01',
        source: '参照测试',
      },
    ]);
    await knex('county_sanction_periods').insert({
      county_id: theirs,
      kind_code: 'gov_demotion',
      impact_months: 12,
      effective_from: '2019-01-01',
      source: '参照测试',
    });
    try {
      for (const asOf of DATES) {
        const all = await loadEligibilityRules(knex, asOf);
        const ofCounty = (countyId: number | null): EligibilityRules => ({
          ...all,
          promotionRules: all.promotionRules.filter((r) => r.countyId === null || r.countyId === countyId),
          sanctionPeriods: (all.sanctionPeriods ?? []).filter((p) => p.countyId === countyId),
        });
        const plain = await loadCareerReference(knex, asOf, { townshipId: null, countyId: null });
        expect(sorted(plain.rules)).to.deep.equal(sorted(ofCounty(null)));
        expect(plain.names).to.deep.equal(await careers.referenceNames(knex));
        expect(plain.township).to.equal(null);
        expect(plain.seats).to.equal(null);
        for (const countyId of [mine, theirs]) {
          const ref = await loadCareerReference(knex, asOf, { townshipId: null, countyId });
          expect(sorted(ref.rules), `county ${countyId} on ${asOf}`).to.deep.equal(
            sorted(ofCounty(countyId)),
          );
        }
        for (const id of townships) {
          const ref = await loadCareerReference(knex, asOf, { townshipId: id, countyId: mine });
          expect(ref.seats, `township ${id} on ${asOf}`).to.deep.equal(
            await careers.townshipSeats(knex, id, asOf),
          );
          expect(ref.township).to.deep.equal((await findRegion(knex, id, 'township')) ?? null);
          expect(sorted(ref.rules)).to.deep.equal(sorted(ofCounty(mine)));
        }
        // The engine gives every person the same answers from their county's reference as from all rules.
        for (const id of people) {
          const input = (await loadEligibilityInput(knex, id, asOf))!;
          const own = await loadCareerReference(knex, asOf, { townshipId: null, countyId: input.countyId });
          expect(assessEligibility(input, own.rules, asOf), `person ${id} on ${asOf}`).to.deep.equal(
            assessEligibility(input, all, asOf),
          );
          for (const countyId of [mine, theirs]) {
            const moved = { ...input, countyId };
            const ref = await loadCareerReference(knex, asOf, { townshipId: null, countyId });
            expect(assessEligibility(moved, ref.rules, asOf)).to.deep.equal(
              assessEligibility(moved, all, asOf),
            );
          }
        }
      }
    } finally {
      await knex('promotion_rules').where('source', '参照测试').delete();
      await knex('county_sanction_periods').where('source', '参照测试').delete();
    }
  });
});
