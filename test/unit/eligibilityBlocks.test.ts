import { expect } from 'chai';
import {
  assessEligibility,
  type EligibilityInput,
  type EligibilityOptions,
  type EligibilityResult,
} from '../../src/domain/eligibility/index.js';
import { assessed, grade, nationalRules, person } from '../support/eligibility.js';

function verdict(
  p: EligibilityInput,
  asOf: string,
  target: string,
  options: EligibilityOptions = {},
): EligibilityResult {
  const found = assessEligibility(p, nationalRules, asOf, options).find((r) => r.target === target);
  if (!found) throw new Error(`no result for ${target} on ${asOf}`);
  return found;
}

const check = (r: EligibilityResult, rule: string) => {
  const c = r.checks.find((x) => x.rule === rule);
  if (!c) throw new Error(`no ${rule} check for ${r.target}`);
  return c;
};

/** 一级科员 since 2019, 四级主任科员 since 2022: long past every minimum, nothing in the way. */
const seasoned = (p: Partial<EligibilityInput> = {}) =>
  person({
    grades: [grade('clerk_1', '2016-01-01', '2022-01-01'), grade('principal_4', '2022-01-01')],
    assessments: assessed({ 2021: 'competent', 2022: 'competent', 2023: 'competent', 2024: 'competent' }),
    ...p,
  });

describe('eligibility: blocks (domain guide section 8)', () => {
  it('with nothing in the way, eligible for 三级主任科员, 副科 and 正科, since the last minimum was met', () => {
    const results = assessEligibility(seasoned(), nationalRules, '2025-06-01');
    expect(results.map((r) => [r.target, r.eligible, r.eligibleFrom])).to.deep.equal([
      ['principal_3', true, '2024-01-01'],
      ['township_deputy', true, '2023-01-01'],
      ['township_chief', true, '2024-01-01'],
    ]);
    for (const r of results) {
      expect(r.blocks).to.deep.equal([]);
      expect(r.checks.every((c) => c.met)).to.equal(true);
    }
  });

  describe('sanctions block for their impact period, to the day', () => {
    // 政务处分·警告: 6 months from 2025-05-17, so the last blocked day is 2025-11-16.
    const warned = seasoned({
      sanctions: [{ kindCode: 'gov_warning', decidedOn: '2025-05-17', closedOn: null }],
    });
    const cases: Array<[string, boolean]> = [
      ['2025-05-17', false],
      ['2025-11-16', false],
      ['2025-11-17', true],
    ];
    for (const [asOf, eligible] of cases) {
      it(`政务处分·警告 of 2025-05-17 on ${asOf}: ${eligible ? 'clear' : 'blocked'} for rank and leadership`, () => {
        for (const target of ['principal_3', 'township_deputy']) {
          const r = verdict(warned, asOf, target);
          expect(r.eligible, target).to.equal(eligible);
          expect(r.eligibleFrom, target).to.equal('2025-11-17');
        }
      });
    }

    it('says which sanction and until when', () => {
      expect(verdict(warned, '2025-08-01', 'principal_3').blocks).to.deep.equal([
        { code: 'sanction', kind: 'gov_warning', decidedOn: '2025-05-17', until: '2025-11-17' },
      ]);
    });

    it('an expired sanction no longer blocks, and eligibility runs from its end', () => {
      const r = verdict(
        seasoned({ sanctions: [{ kindCode: 'gov_demerit', decidedOn: '2024-03-10', closedOn: null }] }),
        '2025-06-01',
        'principal_3',
      );
      expect(r.eligible).to.equal(true);
      expect(r.eligibleFrom).to.equal('2025-03-10');
      expect(check(r, 'no_sanction')).to.deep.include({ met: true, actual: { active: 0, until: null } });
    });

    it('impact periods are data: a kind configured with 3 months clears after 3 months', () => {
      const rules = {
        ...nationalRules,
        sanctionKinds: nationalRules.sanctionKinds.map((k) =>
          k.code === 'admonition' ? { ...k, impactMonths: 3 } : k,
        ),
      };
      const p = seasoned({
        sanctions: [{ kindCode: 'admonition', decidedOn: '2025-01-20', closedOn: null }],
      });
      const r = assessEligibility(p, rules, '2025-03-01').find((x) => x.target === 'principal_3')!;
      expect(r.eligibleFrom).to.equal('2025-04-20');
    });
  });

  describe('an open investigation blocks until closed', () => {
    const open = seasoned({
      sanctions: [{ kindCode: 'investigation', decidedOn: '2025-10-10', closedOn: null }],
    });

    it('no date can be given while it is open (eligibleFrom null) for every target', () => {
      const results = assessEligibility(open, nationalRules, '2025-11-15');
      expect(results).to.have.length(3);
      for (const r of results) {
        expect(r.eligible).to.equal(false);
        expect(r.eligibleFrom).to.equal(null);
        expect(r.blocks).to.deep.include({
          code: 'investigation',
          kind: 'investigation',
          decidedOn: '2025-10-10',
          until: null,
        });
      }
    });

    it('once closed, it blocks no more', () => {
      const closed = seasoned({
        sanctions: [{ kindCode: 'investigation', decidedOn: '2025-10-10', closedOn: '2025-12-20' }],
      });
      expect(verdict(closed, '2025-12-19', 'township_deputy').eligibleFrom).to.equal('2025-12-20');
      expect(verdict(closed, '2025-12-20', 'township_deputy').eligible).to.equal(true);
    });
  });

  describe('education: a minimum that blocks, or "as a rule" that warns', () => {
    it('副科 "大专 as a rule": a 高中 graduate is eligible, with a warning', () => {
      const r = verdict(
        seasoned({ educations: [{ level: 'high_school', graduatedOn: '2005-07-01' }] }),
        '2025-06-01',
        'township_deputy',
      );
      expect(r.eligible).to.equal(true);
      expect(r.blocks).to.deep.equal([]);
      expect(r.warnings).to.deep.include({
        code: 'education_recommended',
        required: 'college',
        actual: 'high_school',
      });
      expect(check(r, 'education')).to.deep.include({
        met: false,
        required: { level: 'college', blocking: false },
      });
    });

    it('八级职员 needs 中专: below it blocks, and a degree in progress gives its date', () => {
      const p = person({
        grades: [grade('mgmt_9', '2018-01-01')],
        educations: [
          { level: 'below', graduatedOn: '2000-07-01' },
          { level: 'secondary_vocational', graduatedOn: '2026-01-15' },
        ],
      });
      const r = verdict(p, '2025-06-01', 'mgmt_8');
      expect(r.eligible).to.equal(false);
      expect(r.blocks).to.deep.equal([
        { code: 'education_required', required: 'secondary_vocational', actual: 'below', from: '2026-01-15' },
      ]);
      expect(r.eligibleFrom).to.equal('2026-01-15');
      const without = verdict(
        { ...p, educations: [{ level: 'below', graduatedOn: null }] },
        '2025-06-01',
        'mgmt_8',
      );
      expect(without.eligibleFrom).to.equal(null);
    });

    it('高中 and 中专 are the same stage: 高中 meets a 中专 minimum', () => {
      const p = person({
        grades: [grade('mgmt_9', '2018-01-01')],
        educations: [{ level: 'high_school', graduatedOn: null }],
      });
      expect(verdict(p, '2025-06-01', 'mgmt_8').eligible).to.equal(true);
    });
  });

  describe('leadership candidacy', () => {
    it('the previous year 基本称职 blocks 副科 and 正科 for a year, not the rank promotion', () => {
      const p = seasoned({
        assessments: assessed({
          2021: 'competent',
          2022: 'competent',
          2023: 'competent',
          2024: 'basically_competent',
        }),
      });
      const deputy = verdict(p, '2025-05-01', 'township_deputy');
      expect(deputy.eligible).to.equal(false);
      expect(deputy.blocks).to.deep.equal([
        { code: 'previous_assessment', year: 2024, result: 'basically_competent', until: '2026-01-01' },
      ]);
      expect(deputy.eligibleFrom).to.equal('2026-01-01');
      expect(verdict(p, '2026-01-01', 'township_deputy').eligible).to.equal(true);
      const rank = verdict(p, '2025-05-01', 'principal_3');
      expect(rank.eligible).to.equal(true);
      expect(rank.checks.map((c) => c.rule)).not.to.include('previous_assessment');
    });

    it('an emigrated spouse blocks leadership posts with no date (special posts excepted), not rank', () => {
      const p = seasoned({ family: [{ relation: 'spouse', emigrated: true }] });
      const deputy = verdict(p, '2025-06-01', 'township_deputy');
      expect(deputy.eligible).to.equal(false);
      expect(deputy.eligibleFrom).to.equal(null);
      expect(deputy.blocks).to.deep.equal([{ code: 'family_emigrated', relation: 'spouse' }]);
      expect(verdict(p, '2025-06-01', 'principal_3').eligible).to.equal(true);
    });

    const children: Array<[string, EligibilityInput['family'], boolean]> = [
      [
        'every child emigrated',
        [
          { relation: 'son', emigrated: true },
          { relation: 'daughter', emigrated: true },
        ],
        false,
      ],
      [
        'one of two children emigrated',
        [
          { relation: 'son', emigrated: true },
          { relation: 'daughter', emigrated: false },
        ],
        true,
      ],
      ['a brother emigrated', [{ relation: 'elder_brother', emigrated: true }], true],
    ];
    for (const [label, family, eligible] of children) {
      it(`${label}: ${eligible ? 'no block' : 'blocked'}`, () => {
        expect(verdict(seasoned({ family }), '2025-06-01', 'township_deputy').eligible).to.equal(eligible);
      });
    }

    it('within a year of a promotion on any ladder, no leadership appointment (counted by month)', () => {
      const p = person({
        grades: [grade('clerk_1', '2019-01-01', '2025-04-20'), grade('principal_4', '2025-04-20')],
      });
      const before = verdict(p, '2026-03-31', 'township_deputy');
      expect(before.eligible).to.equal(false);
      expect(before.blocks).to.deep.equal([
        { code: 'recent_promotion', grade: 'principal_4', promotedOn: '2025-04-20', until: '2026-04-01' },
      ]);
      expect(verdict(p, '2026-04-01', 'township_deputy').eligible).to.equal(true);
    });

    it('party posts: membership is a check the caller asks for', () => {
      const p = seasoned({ politicalStatus: 'masses', partyJoinedOn: null });
      expect(verdict(p, '2025-06-01', 'township_deputy').eligible).to.equal(true);
      const party = verdict(p, '2025-06-01', 'township_deputy', { partyPost: true });
      expect(party.eligible).to.equal(false);
      expect(party.eligibleFrom).to.equal(null);
      expect(party.blocks).to.deep.equal([{ code: 'party_membership', status: 'masses' }]);
      expect(verdict(seasoned(), '2025-06-01', 'township_deputy', { partyPost: true }).eligible).to.equal(
        true,
      );
      // Rank promotion never asks.
      expect(check(verdict(p, '2025-06-01', 'principal_3', { partyPost: true }), 'tenure').met).to.equal(
        true,
      );
      expect(
        verdict(p, '2025-06-01', 'principal_3', { partyPost: true }).checks.map((c) => c.rule),
      ).not.to.include('party_membership');
    });
  });

  it('probation: no further promotion until it ends', () => {
    const p = person({
      grades: [
        grade('clerk_1', '2016-01-01', '2022-01-01'),
        grade('principal_4', '2022-01-01'),
        grade('township_deputy', '2025-03-01', null, { probationUntil: '2026-03-01' }),
      ],
    });
    const during = verdict(p, '2025-09-01', 'principal_3');
    expect(during.eligible).to.equal(false);
    expect(during.blocks).to.deep.equal([
      { code: 'probation', grade: 'township_deputy', until: '2026-03-01' },
    ]);
    expect(during.eligibleFrom).to.equal('2026-03-01');
    expect(verdict(p, '2026-03-01', 'principal_3').eligible).to.equal(true);
  });

  it('several blocks at once: eligible from when the last one clears', () => {
    const p = seasoned({
      sanctions: [{ kindCode: 'admonition', decidedOn: '2025-02-10', closedOn: null }],
      assessments: assessed({ 2022: 'competent', 2023: 'competent', 2024: 'basically_competent' }),
    });
    const r = verdict(p, '2025-03-01', 'township_deputy');
    expect(r.blocks.map((b) => b.code)).to.deep.equal(['sanction', 'previous_assessment']);
    expect(r.eligibleFrom).to.equal('2026-01-01');
  });
});
