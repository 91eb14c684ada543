import { expect } from 'chai';
import {
  compareTargets,
  currentGradeTenure,
  horizonOf,
  seatsAtLevel,
  type TownshipSeats,
  type VacantPost,
  yearsAndMonths,
} from '../../src/domain/career.js';
import { assessmentEffect } from '../../src/domain/eligibility/index.js';
import { grade, nationalRules } from '../support/eligibility.js';

const gradeInfo = (code: string) => nationalRules.grades.find((g) => g.code === code)!;

const post = (p: Partial<VacantPost>): VacantPost => ({
  postId: 1,
  name: '岗位',
  unitId: 1,
  unitName: '农业综合服务站',
  unitRank: 'deputy_section',
  leadershipKind: null,
  category: 'management',
  gradeLow: null,
  gradeHigh: null,
  ...p,
});

const seats = (s: Partial<TownshipSeats>): TownshipSeats => ({
  slots: [],
  posts: [],
  totalFull: false,
  bandLadders: [],
  ...s,
});

describe('career path: tenure in the grade held now', () => {
  it('counts whole months from the month of appointment, as tenure does', () => {
    const [t] = currentGradeTenure([grade('principal_3', '2024-03-16')], '2026-11-15');
    expect(t).to.deep.include({ gradeCode: 'principal_3', since: '2024-03-16', months: 32 });
    expect(yearsAndMonths(32)).to.deep.equal({ years: 2, months: 8 });
    expect(yearsAndMonths(12)).to.deep.equal({ years: 1, months: 0 });
    expect(yearsAndMonths(0)).to.deep.equal({ years: 0, months: 0 });
  });

  it('keeps the original appointment across the 2019 conversion, one grade per ladder held', () => {
    const tenure = currentGradeTenure(
      [
        grade('clerk_1', '2016-07-16', '2019-06-01', { legacyTitle: '科员' }),
        grade('clerk_1', '2019-06-01'),
        grade('township_deputy', '2025-01-10'),
        grade('principal_4', '2027-01-01'), // future-dated: not held yet
      ],
      '2026-11-15',
    );
    expect(tenure.map((t) => [t.gradeCode, t.since, t.months, t.legacyTitle])).to.deep.equal([
      ['clerk_1', '2016-07-16', 124, '科员'],
      ['township_deputy', '2025-01-10', 22, null],
    ]);
  });

  it('an ended grade is not held', () => {
    expect(currentGradeTenure([grade('clerk_2', '2020-01-01', '2022-01-01')], '2026-11-15')).to.deep.equal(
      [],
    );
  });
});

describe('career path: how each annual result enters the tenure count', () => {
  it('优秀 counts and shortens, 称职/合格 count, 基本称职/不定等次 don’t, 不称职 restarts', () => {
    expect(assessmentEffect('excellent')).to.equal('counts_excellent');
    expect(assessmentEffect('competent')).to.equal('counts');
    expect(assessmentEffect('qualified')).to.equal('counts');
    expect(assessmentEffect('basically_competent')).to.equal('not_counted');
    expect(assessmentEffect('basically_qualified')).to.equal('not_counted');
    expect(assessmentEffect('ungraded')).to.equal('not_counted');
    expect(assessmentEffect('incompetent')).to.equal('restarts');
    expect(assessmentEffect('unqualified')).to.equal('restarts');
  });
});

describe('township list: horizons', () => {
  const asOf = '2026-11-15';
  const notYet = (eligibleFrom: string | null) => horizonOf({ eligible: false, eligibleFrom }, asOf);

  it('eligible now, whatever the date', () => {
    expect(horizonOf({ eligible: true, eligibleFrom: '2020-01-01' }, asOf)).to.equal('now');
  });

  it('within 6 months up to the same day six months on, within 12 up to a year on, then blocked', () => {
    expect(notYet('2026-12-01')).to.equal('within6');
    expect(notYet('2027-05-15')).to.equal('within6');
    expect(notYet('2027-05-16')).to.equal('within12');
    expect(notYet('2027-11-15')).to.equal('within12');
    expect(notYet('2027-11-16')).to.equal('blocked');
  });

  it('no date (an open investigation) is blocked', () => {
    expect(notYet(null)).to.equal('blocked');
  });

  it('targets read leadership first, then each ladder from the lowest grade', () => {
    const codes = ['mgmt_8', 'principal_3', 'township_chief', 'clerk_1', 'township_deputy'];
    expect(
      codes
        .map(gradeInfo)
        .sort(compareTargets)
        .map((g) => g.code),
    ).to.deep.equal(['township_deputy', 'township_chief', 'clerk_1', 'principal_3', 'mgmt_8']);
  });
});

describe('career path: seats at the target’s level', () => {
  const grades = nationalRules.grades;

  it('ranks are not tied to seats', () => {
    expect(seatsAtLevel(gradeInfo('principal_4'), grades, seats({}))).to.deep.equal({ kind: 'not_tied' });
  });

  it('副科 leadership: vacant 副科 township slots and heads of 副科级 units, not 正科 ones', () => {
    const s = seats({
      slots: [
        { kind: 'deputy_mayor', nameZh: '副镇长', nameEn: 'Deputy Mayor', rank: 'deputy_section', vacant: 1 },
        { kind: 'mayor', nameZh: '镇长', nameEn: 'Mayor', rank: 'section_chief', vacant: 1 },
      ],
      posts: [
        post({ postId: 1, leadershipKind: 'unit_head', unitRank: 'deputy_section', name: '站长' }),
        post({ postId: 2, leadershipKind: 'unit_head', unitRank: 'stock', name: '主任' }),
        post({ postId: 3, leadershipKind: null, unitRank: 'deputy_section', name: '干事' }),
      ],
      totalFull: true,
    });
    const deputy = seatsAtLevel(gradeInfo('township_deputy'), grades, s);
    expect(deputy.kind).to.equal('leadership');
    if (deputy.kind !== 'leadership') return;
    expect(deputy.slots.map((x) => x.kind)).to.deep.equal(['deputy_mayor']);
    expect(deputy.posts.map((x) => x.postId)).to.deep.equal([1]);
    expect(deputy.totalFull).to.equal(true);
    const chief = seatsAtLevel(gradeInfo('township_chief'), grades, s);
    expect(chief.kind === 'leadership' && chief.slots.map((x) => x.kind)).to.deep.equal(['mayor']);
  });

  it('management levels: vacant posts whose grade band includes the level, if bands are recorded', () => {
    const s = seats({
      posts: [
        post({ postId: 1, gradeLow: 'mgmt_10', gradeHigh: 'mgmt_8' }),
        post({ postId: 2, gradeLow: 'mgmt_10', gradeHigh: 'mgmt_9' }),
        post({ postId: 3, leadershipKind: 'unit_head', gradeLow: 'mgmt_8', gradeHigh: 'mgmt_7' }),
        post({ postId: 4, gradeLow: 'pro_13', gradeHigh: 'pro_8' }),
      ],
      bandLadders: ['management_level', 'professional'],
    });
    const mgmt8 = seatsAtLevel(gradeInfo('mgmt_8'), grades, s);
    expect(mgmt8.kind === 'band' && mgmt8.posts.map((p) => p.postId)).to.deep.equal([1, 3]);
    const mgmt7 = seatsAtLevel(gradeInfo('mgmt_7'), grades, s);
    expect(mgmt7.kind === 'band' && mgmt7.posts.map((p) => p.postId)).to.deep.equal([3]);
    expect(seatsAtLevel(gradeInfo('mgmt_8'), grades, seats({ posts: [post({})] }))).to.deep.equal({
      kind: 'no_bands',
    });
  });
});
