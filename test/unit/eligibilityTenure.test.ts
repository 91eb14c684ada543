import { expect } from 'chai';
import { addDays } from '../../src/domain/dates.js';
import {
  assessEligibility,
  type EligibilityInput,
  type EligibilityResult,
  type EligibilityRules,
} from '../../src/domain/eligibility/index.js';
import { assessed, grade, nationalRules, person } from '../support/eligibility.js';

function verdict(
  p: EligibilityInput,
  asOf: string,
  target: string,
  rules: EligibilityRules = nationalRules,
): EligibilityResult {
  const found = assessEligibility(p, rules, asOf).find((r) => r.target === target);
  if (!found) throw new Error(`no result for ${target} on ${asOf}`);
  return found;
}

const tenure = (r: EligibilityResult) => {
  const check = r.checks.find((c) => c.rule === 'tenure');
  if (check?.rule !== 'tenure') throw new Error('no tenure check');
  return check;
};

describe('eligibility: counting tenure (domain guide section 8)', () => {
  describe('months count from the month of appointment; 24 months as 一级科员 for 四级主任科员', () => {
    // Appointed 一级科员 on 2023-03-20: March 2023 counts in full, so 24 months are reached on 2025-03-01.
    const clerk = person({
      grades: [grade('clerk_2', '2020-08-01', '2023-03-20'), grade('clerk_1', '2023-03-20')],
      assessments: assessed({ 2021: 'competent', 2022: 'competent', 2023: 'competent', 2024: 'competent' }),
    });
    const cases: Array<[string, string, boolean, number]> = [
      ['seven months before', '2024-08-15', false, 17],
      ['the month before (its last day)', '2025-02-28', false, 23],
      ['the month of reaching 24 months (its first day)', '2025-03-01', true, 24],
      ['later in that month', '2025-03-31', true, 24],
    ];
    for (const [label, asOf, eligible, months] of cases) {
      it(`${label}: ${asOf} → ${eligible ? 'eligible' : 'not yet'} (${months} months counted)`, () => {
        const r = verdict(clerk, asOf, 'principal_4');
        expect(r.eligible).to.equal(eligible);
        expect(r.eligibleFrom).to.equal('2025-03-01');
        expect(tenure(r).actual.months).to.equal(months);
        expect(tenure(r).actual.metFrom).to.equal('2025-03-01');
      });
    }

    it('says how many months are still to serve and from when ("还需…任职 7 个月（2025.03 起符合）")', () => {
      const r = verdict(clerk, '2024-08-15', 'principal_4');
      expect(r.blocks).to.deep.equal([
        { code: 'tenure_short', months: 7, from: '2025-03-01', grades: ['clerk_1'] },
      ]);
    });

    it('the month one leaves a grade for the next belongs to the next one', () => {
      // 二级科员 from 2020-08 to 2022-08-10: August 2022 is the first month as 一级科员, so 24 months.
      const p = person({
        grades: [grade('clerk_2', '2020-08-01', '2022-08-10'), grade('clerk_1', '2022-08-10')],
      });
      expect(tenure(verdict(p, '2022-09-01', 'principal_4')).actual.months).to.equal(1);
    });
  });

  describe('每个优秀年度缩短半年 — never earlier than the calendar allows', () => {
    const cases: Array<{
      rule: string;
      target: string;
      from: string;
      results: Parameters<typeof assessed>[0];
      eligibleFrom: string;
      excellentYears: number[];
    }> = [
      {
        rule: 'one 优秀 year: 24 − 6 = 18 months, credited once the year is over',
        target: 'principal_4',
        from: '2023-01-10',
        results: { 2023: 'excellent', 2024: 'competent' },
        eligibleFrom: '2024-07-01',
        excellentYears: [2023],
      },
      {
        rule: 'two 优秀 years in a 24-month requirement: the second is only known in January 2025, too late to help',
        target: 'principal_4',
        from: '2023-01-10',
        results: { 2023: 'excellent', 2024: 'excellent' },
        eligibleFrom: '2024-07-01',
        excellentYears: [2023],
      },
      {
        rule: 'two 优秀 years that are both over in time: 36 − 12, reached on 1 January after the second',
        target: 'township_deputy',
        from: '2021-01-05',
        results: { 2021: 'excellent', 2022: 'excellent', 2023: 'competent' },
        eligibleFrom: '2023-01-01',
        excellentYears: [2021, 2022],
      },
      {
        rule: 'three 优秀 years can’t give 36 − 18 = 18 months (2021.07): the calendar allows 2022.01 at the earliest',
        target: 'township_deputy',
        from: '2020-01-05',
        results: { 2020: 'excellent', 2021: 'excellent', 2022: 'excellent' },
        eligibleFrom: '2022-01-01',
        excellentYears: [2020, 2021],
      },
      {
        rule: 'the second 优秀 arrives when the months alone are one short: 18 months + 12 on 2023-01-01',
        target: 'principal_4',
        from: '2021-07-05',
        results: { 2021: 'excellent', 2022: 'excellent' },
        eligibleFrom: '2023-01-01',
        excellentYears: [2021, 2022],
      },
      {
        rule: 'a 优秀 year held only from October shortens by the 3 months served in it, not 6',
        target: 'principal_4',
        from: '2023-10-15',
        results: { 2023: 'excellent', 2024: 'competent' },
        eligibleFrom: '2025-07-01',
        excellentYears: [2023],
      },
    ];
    for (const c of cases) {
      it(`${c.rule} → ${c.eligibleFrom}`, () => {
        const p = person({
          grades: [grade('clerk_2', '2016-01-01', c.from), grade('clerk_1', c.from)],
          assessments: assessed(c.results),
        });
        const dayBefore = verdict(p, addDays(c.eligibleFrom, -1), c.target);
        const onTheDay = verdict(p, c.eligibleFrom, c.target);
        expect(dayBefore.eligible, 'the day before').to.equal(false);
        expect(dayBefore.eligibleFrom).to.equal(c.eligibleFrom);
        expect(onTheDay.eligible, 'on the day').to.equal(true);
        expect(onTheDay.eligibleFrom).to.equal(c.eligibleFrom);
        expect(tenure(onTheDay).actual.excellentYears).to.deep.equal(c.excellentYears);
      });
    }

    it('a 优秀 in the previous grade does not shorten the new one', () => {
      const p = person({
        grades: [grade('clerk_2', '2020-01-01', '2023-01-01'), grade('clerk_1', '2023-01-01')],
        assessments: assessed({ 2022: 'excellent', 2023: 'competent' }),
      });
      expect(verdict(p, '2024-06-01', 'principal_4').eligibleFrom).to.equal('2025-01-01');
    });
  });

  describe('基本称职 / 不定等次: the year does not count, the window stretches by it', () => {
    it('two 基本称职 years push 24 months from 2022.01 to 2024.01', () => {
      const p = person({
        grades: [grade('clerk_2', '2017-01-01', '2020-01-05'), grade('clerk_1', '2020-01-05')],
        assessments: assessed({
          2020: 'competent',
          2021: 'basically_competent',
          2022: 'basically_competent',
          2023: 'competent',
        }),
      });
      const before = verdict(p, '2023-12-31', 'principal_4');
      expect(before.eligible).to.equal(false);
      expect(tenure(before).actual.months).to.equal(23);
      expect(before.eligibleFrom).to.equal('2024-01-01');
      expect(before.warnings).to.deep.include.members([
        { code: 'year_not_counted', year: 2021, result: 'basically_competent' },
        { code: 'year_not_counted', year: 2022, result: 'basically_competent' },
      ]);
      expect(verdict(p, '2024-01-01', 'principal_4').eligible).to.equal(true);
    });

    it('a year not counted after the minimum was met changed nothing and is not mentioned', () => {
      const p = person({
        grades: [grade('clerk_2', '2014-01-01', '2016-01-05'), grade('clerk_1', '2016-01-05')],
        assessments: assessed({
          2016: 'basically_competent',
          2017: 'competent',
          2018: 'competent',
          2019: 'competent',
          2020: 'competent',
          2021: 'competent',
          2022: 'basically_competent',
          2023: 'competent',
        }),
      });
      const r = verdict(p, '2024-06-01', 'principal_4');
      expect(r.eligibleFrom).to.equal('2019-01-01');
      expect(r.warnings).to.deep.equal([
        { code: 'year_not_counted', year: 2016, result: 'basically_competent' },
      ]);
    });

    it('基本合格 counts the same way for institutional staff (八级职员 needs 36 months as 九级)', () => {
      const p = person({
        grades: [grade('mgmt_9', '2020-01-05')],
        assessments: assessed({ 2020: 'qualified', 2021: 'basically_qualified', 2022: 'qualified' }),
      });
      expect(verdict(p, '2023-06-01', 'mgmt_8').eligibleFrom).to.equal('2024-01-01');
    });

    it('the 不定等次 first year does not count', () => {
      const p = person({
        grades: [grade('clerk_2', '2021-09-01')],
        assessments: assessed({ 2021: 'ungraded', 2022: 'competent' }),
      });
      const r = verdict(p, '2023-01-10', 'clerk_1');
      expect(r.warnings).to.deep.include({ code: 'year_not_counted', year: 2021, result: 'ungraded' });
      // September to December 2021 don't count: 24 months from January 2022.
      expect(r.eligibleFrom).to.equal('2024-01-01');
    });
  });

  describe('不称职: demotion, and tenure restarts at the lower rank', () => {
    it('the years before the demotion no longer count, even earlier time in the lower rank', () => {
      const p = person({
        grades: [
          grade('clerk_1', '2016-05-01', '2019-06-01'),
          grade('principal_4', '2019-06-01', '2023-03-20'),
          grade('clerk_1', '2023-03-20'),
        ],
        assessments: assessed({
          2020: 'competent',
          2021: 'competent',
          2022: 'incompetent',
          2023: 'competent',
        }),
      });
      const r = verdict(p, '2024-06-01', 'principal_4');
      expect(r.eligible).to.equal(false);
      expect(tenure(r).actual.months).to.equal(15);
      expect(r.eligibleFrom).to.equal('2025-03-01');
      expect(r.warnings).to.deep.include({
        code: 'tenure_restarted',
        year: 2022,
        result: 'incompetent',
        from: '2023-03-01',
      });
    });

    it('a 不称职 year inside the window blocks even before the demotion is recorded', () => {
      const p = person({
        grades: [grade('clerk_2', '2016-01-01', '2020-03-01'), grade('clerk_1', '2020-03-01')],
        assessments: assessed({ 2021: 'competent', 2022: 'competent', 2023: 'incompetent' }),
      });
      const r = verdict(p, '2024-02-10', 'principal_4');
      expect(r.eligible).to.equal(false);
      expect(tenure(r).actual.months).to.equal(1);
      expect(r.eligibleFrom).to.equal('2026-01-01');
    });
  });

  describe('"或者": time in any counted grade counts, overlapping periods once', () => {
    it('三级主任科员 through 2 years as 乡科级副职 while only 1 year as 四级主任科员', () => {
      const p = person({
        grades: [
          grade('clerk_1', '2018-01-01', '2024-06-01'),
          grade('principal_4', '2024-06-01'),
          grade('township_deputy', '2022-03-10', null, { probationUntil: '2023-03-10' }),
        ],
        assessments: assessed({ 2022: 'competent', 2023: 'competent', 2024: 'competent' }),
      });
      const r = verdict(p, '2025-01-15', 'principal_3');
      expect(r.eligible).to.equal(true);
      expect(r.eligibleFrom).to.equal('2024-03-01');
      expect(tenure(r).required.grades).to.deep.equal(['principal_4', 'township_deputy']);
    });

    it('正科 through a mix of 副科 and 四级/三级主任科员 time, the overlap counted once', () => {
      const p = person({
        grades: [
          grade('clerk_1', '2015-01-01', '2022-06-01'),
          grade('principal_4', '2022-06-01', '2024-06-01'),
          grade('principal_3', '2024-06-01'),
          grade('township_deputy', '2021-03-01', '2022-12-01', { probationUntil: '2022-03-01' }),
        ],
      });
      const r = verdict(p, '2025-08-01', 'township_chief');
      // 2021.03 to 2025.07 without gaps: 53 months (counting each ladder apart would give 59).
      expect(tenure(r).actual.months).to.equal(53);
      expect(tenure(r).actual.metFrom).to.equal('2023-03-01');
      // Eligible since the year after the promotion to 三级主任科员 ran out.
      expect(r.eligible).to.equal(true);
      expect(r.eligibleFrom).to.equal('2025-06-01');
    });
  });

  describe('the history as of the date', () => {
    it('the 2019 conversion row continues the legacy title: one appointment, not a promotion', () => {
      const p = person({
        grades: [
          grade('clerk_1', '2018-03-10', '2019-06-01', { legacyTitle: '科员' }),
          grade('clerk_1', '2019-06-01'),
        ],
      });
      expect(verdict(p, '2020-03-01', 'principal_4').eligibleFrom).to.equal('2020-03-01');
      const deputy = verdict(p, '2021-06-01', 'township_deputy');
      expect(deputy.eligible).to.equal(true);
      expect(deputy.checks.find((c) => c.rule === 'promotion_interval')?.met).to.equal(true);
    });

    it('a future-dated promotion is not in force yet: the answer is about the grade held on the date', () => {
      const p = person({
        grades: [grade('clerk_1', '2020-01-01', '2027-01-01'), grade('principal_4', '2027-01-01')],
      });
      const targets = assessEligibility(p, nationalRules, '2026-11-15').map((r) => r.target);
      expect(targets).to.include('principal_4');
      expect(targets).not.to.include('principal_3');
    });

    it('a past year inside the window with no recorded result is counted as 称职, with a warning', () => {
      const p = person({
        grades: [grade('clerk_2', '2016-01-01', '2021-01-01'), grade('clerk_1', '2021-01-01')],
        assessments: assessed({ 2020: 'competent', 2021: 'competent', 2023: 'competent' }),
      });
      const r = verdict(p, '2024-02-01', 'principal_4');
      expect(r.eligible).to.equal(true);
      expect(r.warnings).to.deep.include({ code: 'assessment_missing', year: 2022 });
    });
  });
});
