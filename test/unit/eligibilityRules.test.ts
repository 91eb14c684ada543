import { expect } from 'chai';
import { assessEligibility, type GradeSpell, ruleInForce } from '../../src/domain/eligibility/index.js';
import { grade, nationalRules, person, rulesWith } from '../support/eligibility.js';

const targetsOf = (grades: GradeSpell[], asOf = '2026-11-15') =>
  assessEligibility(person({ grades }), nationalRules, asOf).map((r) => r.target);

describe('eligibility: which next steps are reachable', () => {
  const cases: Array<[string, GradeSpell[], string[]]> = [
    [
      '二级科员: the next rank only (副科 counts 一级科员 and above)',
      [grade('clerk_2', '2024-09-01')],
      ['clerk_1'],
    ],
    [
      '一级科员: the next rank and 副科',
      [grade('clerk_1', '2020-01-01')],
      ['principal_4', 'township_deputy'],
    ],
    [
      '四级主任科员: the next rank, 副科 and 正科',
      [grade('principal_4', '2020-01-01')],
      ['principal_3', 'township_deputy', 'township_chief'],
    ],
    [
      '四级主任科员 already 副科: no 副科 again',
      [grade('principal_4', '2020-01-01'), grade('township_deputy', '2021-01-01')],
      ['principal_3', 'township_chief'],
    ],
    [
      '正科 leader: neither 副科 nor 正科',
      [grade('principal_2', '2020-01-01'), grade('township_chief', '2021-01-01')],
      ['principal_1'],
    ],
    ['二级主任科员 (正科 by rank): no 副科', [grade('principal_2', '2020-01-01')], ['principal_1']],
    ['二级调研员: the township ceiling, nothing further', [grade('researcher_2', '2020-01-01')], []],
    ['九级职员: 八级职员 and 副科', [grade('mgmt_9', '2020-01-01')], ['township_deputy', 'mgmt_8']],
    ['七级职员 (正科 equivalent): 六级职员 only', [grade('mgmt_7', '2020-01-01')], ['mgmt_6']],
    ['十级职员: no rule for 九级, so nothing', [grade('mgmt_10', '2020-01-01')], []],
    [
      '专业技术 and 工勤: no rules, nothing',
      [grade('pro_12', '2020-01-01'), grade('skilled_5', '2020-01-01')],
      [],
    ],
    ['someone who has left (no grade in force): nothing', [grade('clerk_1', '2015-01-01', '2024-01-01')], []],
  ];
  for (const [label, grades, expected] of cases) {
    it(label, () => expect(targetsOf(grades)).to.deep.equal(expected));
  }
});

describe('eligibility: rules are data, versioned and per county', () => {
  const clerk = (countyId: number | null) =>
    person({
      countyId,
      grades: [grade('clerk_2', '2016-01-01', '2023-03-01'), grade('clerk_1', '2023-03-01')],
    });
  const required = (rules: typeof nationalRules, countyId: number | null, asOf: string) => {
    const r = assessEligibility(clerk(countyId), rules, asOf).find((x) => x.target === 'principal_4')!;
    const tenure = r.checks.find((c) => c.rule === 'tenure');
    return {
      months: tenure?.rule === 'tenure' ? tenure.required.months : null,
      eligibleFrom: r.eligibleFrom,
    };
  };

  it('a county’s own rule overrides the national default for that county only', () => {
    const rules = rulesWith({
      target: 'principal_4',
      countyId: 7,
      minMonths: 36,
      effectiveFrom: '2020-01-01',
    });
    expect(required(rules, 7, '2025-06-01')).to.deep.equal({ months: 36, eligibleFrom: '2026-03-01' });
    expect(required(rules, 8, '2025-06-01')).to.deep.equal({ months: 24, eligibleFrom: '2025-03-01' });
    expect(required(rules, null, '2025-06-01')).to.deep.equal({ months: 24, eligibleFrom: '2025-03-01' });
  });

  it('the version in force on the date applies', () => {
    const rules = rulesWith({ target: 'principal_4', minMonths: 30, effectiveFrom: '2026-01-01' });
    expect(required(rules, null, '2025-12-31')).to.deep.equal({ months: 24, eligibleFrom: '2025-03-01' });
    expect(required(rules, null, '2026-01-01')).to.deep.equal({ months: 30, eligibleFrom: '2025-09-01' });
  });

  it('a county rule not yet in force leaves the national default in place', () => {
    const rules = rulesWith({
      target: 'principal_4',
      countyId: 7,
      minMonths: 36,
      effectiveFrom: '2026-01-01',
    });
    expect(required(rules, 7, '2025-06-01').months).to.equal(24);
    expect(required(rules, 7, '2026-01-01').months).to.equal(36);
  });

  it('a county keeps its own version after a later national one', () => {
    const versions = [
      { ...nationalRules.promotionRules[1]!, minMonths: 30, effectiveFrom: '2026-01-01' },
      { ...nationalRules.promotionRules[1]!, countyId: 7, minMonths: 36, effectiveFrom: '2020-01-01' },
      nationalRules.promotionRules[1]!,
    ];
    expect(ruleInForce(versions, 7, '2026-06-01')?.minMonths).to.equal(36);
    expect(ruleInForce(versions, 8, '2026-06-01')?.minMonths).to.equal(30);
  });

  it('counted grades are data: a county may count 乡科级正职 time for 三级主任科员', () => {
    const p = person({
      grades: [
        grade('principal_4', '2024-06-01'),
        grade('township_chief', '2022-01-01', null, { probationUntil: '2023-01-01' }),
      ],
    });
    const national = assessEligibility(p, nationalRules, '2025-06-01').find(
      (r) => r.target === 'principal_3',
    )!;
    expect(national.eligible).to.equal(false);
    const rules = rulesWith({
      target: 'principal_3',
      countyId: 7,
      countedGrades: ['principal_4', 'township_deputy', 'township_chief'],
      effectiveFrom: '2020-01-01',
    });
    const county = assessEligibility({ ...p, countyId: 7 }, rules, '2025-06-01').find(
      (r) => r.target === 'principal_3',
    )!;
    expect(county.eligible).to.equal(true);
  });
});
