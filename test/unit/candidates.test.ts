import { expect } from 'chai';
import {
  avoidanceConflicts,
  classifyCandidates,
  type FamilyLink,
  parseSeatKey,
  type SeatLeader,
  seatTarget,
} from '../../src/domain/candidates.js';
import type { EligibilityResult } from '../../src/domain/eligibility/index.js';
import { nationalRules } from '../support/eligibility.js';

const asOf = '2026-11-15';
const result = (eligible: boolean, eligibleFrom: string | null): EligibilityResult => ({
  target: 'township_deputy',
  eligible,
  eligibleFrom,
  blocks: [],
  warnings: [],
  checks: [],
});

describe('candidates for a vacant seat', () => {
  it('a 副科 seat asks for 乡科级副职, a 正科 seat for 乡科级正职 (from the reference grades)', () => {
    expect(seatTarget('deputy_section', nationalRules.grades)?.code).to.equal('township_deputy');
    expect(seatTarget('section_chief', nationalRules.grades)?.code).to.equal('township_chief');
  });

  it('reads seat keys and refuses anything else', () => {
    expect(parseSeatKey('slot-deputy_mayor')).to.deep.equal({ kind: 'slot', code: 'deputy_mayor' });
    expect(parseSeatKey('post-42')).to.deep.equal({ kind: 'post', id: 42 });
    for (const bad of ['post-0', 'slot-', 'slot-A', 'x-1', 'post-1;drop'])
      expect(parseSeatKey(bad)).to.equal(null);
  });

  it('classifies: eligible now, within 6 months, within 12 months, blocked', () => {
    const entries = [
      { person: 'now', result: result(true, '2020-01-01'), avoidance: [] },
      { person: 'six', result: result(false, '2027-05-01'), avoidance: [] },
      { person: 'twelve', result: result(false, '2027-11-01'), avoidance: [] },
      { person: 'later', result: result(false, '2028-01-01'), avoidance: [] },
      { person: 'never', result: result(false, null), avoidance: [] },
    ];
    const h = classifyCandidates(entries, asOf);
    expect(h.now.map((e) => e.person)).to.deep.equal(['now']);
    expect(h.within6.map((e) => e.person)).to.deep.equal(['six']);
    expect(h.within12.map((e) => e.person)).to.deep.equal(['twelve']);
    expect(h.blocked.map((e) => e.person)).to.deep.equal(['later', 'never']);
  });

  it('an avoidance conflict puts an eligible person among the blocked', () => {
    const conflict = {
      leaderId: 9,
      leaderName: '李书记',
      role: 'party_secretary',
      relation: 'spouse',
      recordedByLeader: false,
    };
    const h = classifyCandidates([{ person: 'x', result: result(true, asOf), avoidance: [conflict] }], asOf);
    expect(h.now).to.have.length(0);
    expect(h.blocked).to.have.length(1);
  });
});

describe('avoidance (回避)', () => {
  const leaders: SeatLeader[] = [
    { personId: 10, name: '李书记', role: 'party_secretary' },
    { personId: 11, name: '张镇长', role: 'mayor' },
  ];
  const cases: Array<[string, FamilyLink[], number, string[]]> = [
    [
      'the spouse of the party secretary',
      [{ personId: 1, relatedPersonId: 10, relation: 'spouse' }],
      1,
      ['spouse'],
    ],
    [
      'the mayor records the candidate as his younger brother',
      [{ personId: 11, relatedPersonId: 1, relation: 'younger_brother' }],
      1,
      ['younger_brother'],
    ],
    [
      'a close in-law',
      [{ personId: 1, relatedPersonId: 11, relation: 'father_in_law' }],
      1,
      ['father_in_law'],
    ],
    [
      'a social relation does not oblige avoidance',
      [{ personId: 1, relatedPersonId: 10, relation: 'other' }],
      1,
      [],
    ],
    [
      'someone else’s relatives are not the candidate’s',
      [{ personId: 2, relatedPersonId: 10, relation: 'spouse' }],
      1,
      [],
    ],
    [
      'a leader is not in conflict with themselves',
      [{ personId: 10, relatedPersonId: 11, relation: 'spouse' }],
      10,
      ['spouse'],
    ],
  ];
  for (const [title, links, candidate, relations] of cases)
    it(title, () => {
      expect(avoidanceConflicts(candidate, links, leaders).map((c) => c.relation)).to.deep.equal(relations);
    });

  it('tells which side recorded the relation', () => {
    const [c] = avoidanceConflicts(1, [{ personId: 11, relatedPersonId: 1, relation: 'son' }], leaders);
    expect(c).to.include({ leaderId: 11, role: 'mayor', recordedByLeader: true });
  });
});
