import { expect } from 'chai';
import {
  assessEligibility,
  type CountySanctionPeriod,
  type EligibilityRules,
  sanctionPeriodInForce,
} from '../../src/domain/eligibility/index.js';
import { assessed, grade, nationalRules, person } from '../support/eligibility.js';

/** A county's own impact periods (county_sanction_periods) replace the national default for its people. */
const period = (p: Partial<CountySanctionPeriod> & { kindCode: string; impactMonths: number }) => ({
  countyId: 7,
  effectiveFrom: '2024-01-01',
  source: '测纪发〔2024〕1号',
  ...p,
});

const withPeriods = (...periods: CountySanctionPeriod[]): EligibilityRules => ({
  ...nationalRules,
  sanctionPeriods: periods,
});

/** 一级科员 since 2016, tenure for 四级主任科员 long met; 诫勉 (6 months nationally) on 2025-03-10. */
const admonished = (countyId: number | null) =>
  person({
    countyId,
    grades: [grade('clerk_1', '2016-01-01')],
    assessments: assessed({ 2022: 'competent', 2023: 'competent', 2024: 'competent' }),
    sanctions: [{ kindCode: 'admonition', decidedOn: '2025-03-10', closedOn: null }],
  });

const principal4 = (rules: EligibilityRules, countyId: number | null, asOf: string) =>
  assessEligibility(admonished(countyId), rules, asOf).find((r) => r.target === 'principal_4')!;

describe('eligibility: county sanction impact periods [local]', () => {
  it('without a county period, the national 6 months apply: eligible again on 2025-09-10', () => {
    const r = principal4(nationalRules, 7, '2025-06-01');
    expect(r).to.deep.include({ eligible: false, eligibleFrom: '2025-09-10' });
    expect(r.blocks).to.deep.equal([
      { code: 'sanction', kind: 'admonition', decidedOn: '2025-03-10', until: '2025-09-10' },
    ]);
  });

  it('a county that sets 诫勉 to 12 months blocks its people until 2026-03-10, others keep 6', () => {
    const rules = withPeriods(period({ kindCode: 'admonition', impactMonths: 12 }));
    expect(principal4(rules, 7, '2025-06-01')).to.deep.include({
      eligible: false,
      eligibleFrom: '2026-03-10',
    });
    expect(principal4(rules, 8, '2025-06-01')).to.deep.include({ eligibleFrom: '2025-09-10' });
    expect(principal4(rules, null, '2025-06-01')).to.deep.include({ eligibleFrom: '2025-09-10' });
  });

  it('applies the version in force on the date asked about, the latest first', () => {
    const rules = withPeriods(
      period({ kindCode: 'admonition', impactMonths: 12, effectiveFrom: '2024-01-01' }),
      period({ kindCode: 'admonition', impactMonths: 3, effectiveFrom: '2025-05-01' }),
      period({ kindCode: 'admonition', impactMonths: 24, effectiveFrom: '2030-01-01' }),
    );
    // On 2025-04-01 the 12-month version applies; from 2025-05-01 the 3-month one (ending 2025-06-10).
    expect(principal4(rules, 7, '2025-04-01')).to.deep.include({
      eligible: false,
      eligibleFrom: '2026-03-10',
    });
    expect(principal4(rules, 7, '2025-06-01')).to.deep.include({
      eligible: false,
      eligibleFrom: '2025-06-10',
    });
    expect(principal4(rules, 7, '2025-07-01')).to.deep.include({
      eligible: true,
      eligibleFrom: '2025-06-10',
    });
  });

  it('zero months: the sanction no longer blocks promotion in that county', () => {
    const rules = withPeriods(period({ kindCode: 'admonition', impactMonths: 0 }));
    expect(principal4(rules, 7, '2025-04-01')).to.deep.include({ eligible: true });
  });

  it('an open investigation keeps blocking until closed, whatever the county sets', () => {
    const rules = withPeriods(period({ kindCode: 'investigation', impactMonths: 6 }));
    const p = {
      ...admonished(7),
      sanctions: [{ kindCode: 'investigation', decidedOn: '2025-03-10', closedOn: null }],
    };
    const r = assessEligibility(p, rules, '2025-12-01').find((x) => x.target === 'principal_4')!;
    expect(r).to.deep.include({ eligible: false, eligibleFrom: null });
  });

  it('sanctionPeriodInForce picks the latest version started by the date', () => {
    const versions = [
      period({ kindCode: 'gov_warning', impactMonths: 9, effectiveFrom: '2026-01-01' }),
      period({ kindCode: 'gov_warning', impactMonths: 8, effectiveFrom: '2025-01-01' }),
    ];
    expect(sanctionPeriodInForce(versions, '2024-12-31')).to.equal(undefined);
    expect(sanctionPeriodInForce(versions, '2025-01-01')?.impactMonths).to.equal(8);
    expect(sanctionPeriodInForce(versions, '2026-06-01')?.impactMonths).to.equal(9);
  });
});
