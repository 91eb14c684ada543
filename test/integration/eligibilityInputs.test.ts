import { performance } from 'node:perf_hooks';
import { expect } from 'chai';
import type { Knex } from 'knex';
import {
  loadEligibilityInput,
  loadEligibilityInputs,
  loadEligibilityInputsForTownships,
  loadEligibilityRules,
} from '../../src/db/repositories/eligibilityInputs.js';
import { assessEligibility, type EligibilityResult } from '../../src/domain/eligibility/index.js';
import { demoScopes } from '../support/factories.js';
import { getWorld, TEST_TODAY } from '../support/world.js';

/** Counts the statements a function sends. */
async function countQueries<T>(knex: Knex, fn: () => Promise<T>): Promise<{ result: T; queries: number }> {
  let queries = 0;
  const listener = () => {
    queries += 1;
  };
  knex.on('query', listener);
  try {
    return { result: await fn(), queries };
  } finally {
    knex.removeListener('query', listener);
  }
}

describe('eligibility inputs from the demo world', () => {
  let knex: Knex;
  let scopes: Awaited<ReturnType<typeof demoScopes>>;

  before(async function () {
    this.timeout(120_000);
    knex = (await getWorld()).db.knex;
    scopes = await demoScopes(knex);
  });

  it('loads the rules in force: every national default, the sanction kinds, the grades', async () => {
    const rules = await loadEligibilityRules(knex, TEST_TODAY);
    expect(rules.promotionRules.map((r) => r.target)).to.include.members([
      'clerk_1',
      'principal_3',
      'township_deputy',
      'township_chief',
      'mgmt_8',
    ]);
    const deputy = rules.promotionRules.find((r) => r.target === 'township_deputy' && r.countyId === null)!;
    expect(deputy).to.deep.include({ minMonths: 36, minEducation: 'college', educationBlocks: false });
    expect(deputy.countedGrades).to.include.members(['clerk_1', 'principal_4', 'mgmt_9']);
    expect(rules.sanctionKinds).to.deep.include({ code: 'investigation', impactMonths: null });
    expect(rules.grades.find((g) => g.code === 'principal_4')).to.deep.equal({
      code: 'principal_4',
      ladder: 'civil_service_rank',
      step: 3,
      levelEquivalent: 'deputy_section',
    });
    expect((await loadEligibilityRules(knex, '2019-05-31')).promotionRules).to.deep.equal([]);
  });

  it('loads the staff person’s history in camelCase, with the county whose rules apply', async () => {
    const input = await loadEligibilityInput(knex, scopes.staffPerson, TEST_TODAY);
    expect(input).to.not.equal(undefined);
    const county = await knex('regions').where({ id: input!.countyId! }).first('kind');
    expect(county?.kind).to.equal('county');
    expect(input!.grades.length).to.be.greaterThan(1);
    expect(input!.grades[0]).to.have.all.keys(
      'ladder',
      'gradeCode',
      'validFrom',
      'validTo',
      'probationUntil',
      'legacyTitle',
    );
    expect(input!.assessments.length).to.be.at.least(5);
    expect(input!.educations.length).to.be.at.least(1);
    const results = assessEligibility(input!, await loadEligibilityRules(knex, TEST_TODAY), TEST_TODAY);
    expect(results.length).to.be.at.least(1);
    expect(await loadEligibilityInput(knex, 999_999_999, TEST_TODAY)).to.equal(undefined);
  });

  it('leaves out rows superseded by a correction', async () => {
    await knex
      .transaction(async (trx) => {
        const before = (await loadEligibilityInput(trx, scopes.staffPerson, TEST_TODAY))!;
        const last = before.assessments.at(-1)!;
        await trx('assessments').insert({
          person_id: scopes.staffPerson,
          year: last.year,
          result: 'incompetent',
          superseded_at: new Date(),
        });
        await trx('sanctions').insert({
          person_id: scopes.staffPerson,
          kind_code: 'investigation',
          decided_on: '2026-01-01',
          superseded_at: new Date(),
        });
        const after = (await loadEligibilityInput(trx, scopes.staffPerson, TEST_TODAY))!;
        expect(after.assessments).to.deep.equal(before.assessments);
        expect(after.sanctions).to.deep.equal(before.sanctions);
        throw new Error('rollback');
      })
      .catch((err: Error) => {
        if (err.message !== 'rollback') throw err;
      });
  });

  it('loads a whole township in a fixed handful of queries and runs the engine for everyone', async () => {
    const rules = await loadEligibilityRules(knex, TEST_TODAY);
    const { result: inputs, queries } = await countQueries(knex, () =>
      loadEligibilityInputsForTownships(knex, [scopes.township], TEST_TODAY),
    );
    expect(queries, 'members + people + the county fallback + five histories').to.equal(8);
    expect(inputs.size).to.be.greaterThan(20);

    const results = new Map(
      [...inputs].map(([id, input]) => [id, assessEligibility(input, rules, TEST_TODAY)]),
    );
    for (const [id, input] of inputs) {
      const targets = results.get(id)!.map((r) => r.target);
      expect(new Set(targets).size, `person ${id}: one result per target`).to.equal(targets.length);
      const rank = input.grades.find(
        (g) =>
          g.ladder === 'civil_service_rank' &&
          g.validFrom <= TEST_TODAY &&
          (!g.validTo || g.validTo > TEST_TODAY),
      );
      // Every civil servant in service below the township ceiling has their next rank.
      if (rank && rank.gradeCode !== 'researcher_2')
        expect(targets.length, `person ${id} (${rank.gradeCode})`).to.be.greaterThan(0);
      for (const r of results.get(id)!) {
        expect(r.checks.length).to.be.greaterThan(0);
        if (r.eligible) expect(r.blocks).to.deep.equal([]);
        else expect(r.blocks.length, `${id} ${r.target}`).to.be.greaterThan(0);
        if (r.eligibleFrom !== null && !r.eligible) expect(r.eligibleFrom > TEST_TODAY).to.equal(true);
        if (r.eligible) expect(r.eligibleFrom! <= TEST_TODAY).to.equal(true);
      }
    }
    const all = [...results.values()].flat();
    expect(
      all.some((r) => r.eligible),
      'someone is eligible for something',
    ).to.equal(true);
    expect(
      all.some((r) => !r.eligible && r.eligibleFrom !== null),
      'someone will be, later',
    ).to.equal(true);
    expect(all.some((r) => r.target === 'township_deputy')).to.equal(true);
  });

  it('the person under an open investigation: no date can be given for leadership', async () => {
    const open = await knex('sanctions')
      .where({ kind_code: 'investigation' })
      .whereNull('closed_on')
      .whereNull('superseded_at')
      .first('person_id');
    expect(open, 'the demo world has an open investigation').to.not.equal(undefined);
    const inputs = await loadEligibilityInputs(knex, [open!.person_id], TEST_TODAY);
    const results = assessEligibility(
      inputs.get(open!.person_id)!,
      await loadEligibilityRules(knex, TEST_TODAY),
      TEST_TODAY,
    );
    const leadership = results.filter((r) => r.target === 'township_deputy' || r.target === 'township_chief');
    expect(leadership.length).to.be.greaterThan(0);
    for (const r of results) {
      expect(r.eligible, r.target).to.equal(false);
      expect(r.eligibleFrom, r.target).to.equal(null);
      expect(r.blocks.map((b) => b.code)).to.include('investigation');
    }
  });

  it('runs for every demo person (timed)', async function () {
    this.timeout(60_000);
    const townships = (await knex('regions').where({ kind: 'township' }).select('id')).map(
      (r) => r.id as number,
    );
    const t0 = performance.now();
    const rules = await loadEligibilityRules(knex, TEST_TODAY);
    const inputs = await loadEligibilityInputsForTownships(knex, townships, TEST_TODAY);
    const t1 = performance.now();
    const results: EligibilityResult[][] = [];
    for (const input of inputs.values()) results.push(assessEligibility(input, rules, TEST_TODAY));
    const t2 = performance.now();
    // Once more, warm (the first run includes compiling the engine).
    for (const input of inputs.values()) assessEligibility(input, rules, TEST_TODAY);
    const t3 = performance.now();
    const verdicts = results.flat();
    console.log(
      `      eligibility: ${inputs.size} people of ${townships.length} townships loaded in ${(t1 - t0).toFixed(0)} ms; ` +
        `engine ${(t2 - t1).toFixed(1)} ms cold, ${(t3 - t2).toFixed(1)} ms warm for ${verdicts.length} targets ` +
        `(${verdicts.filter((r) => r.eligible).length} eligible now)`,
    );
    expect(inputs.size).to.be.greaterThan(500);
  });
});
