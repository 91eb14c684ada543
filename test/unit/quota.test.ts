import { expect } from 'chai';
import {
  assessUsage,
  checkLeaderRoom,
  checkPlacementType,
  checkPostTypes,
  checkRankFits,
  checkRoom,
  totalUsage,
  unitLeaderLimits,
} from '../../src/domain/quota.js';

describe('quota usage (domain guide section 4)', () => {
  it('空编: approved places are free', () => {
    expect(assessUsage({ approved: 24, occupied: 22, reserved: 1 })).to.include({
      vacant: 1,
      over: 0,
      status: 'vacant',
    });
  });

  it('满编: occupied plus reserved equals approved', () => {
    expect(assessUsage({ approved: 24, occupied: 23, reserved: 1 })).to.include({
      vacant: 0,
      over: 0,
      status: 'full',
    });
  });

  it('超编: a quota lowered below occupancy shows the excess', () => {
    expect(assessUsage({ approved: 20, occupied: 23, reserved: 0 })).to.include({
      vacant: 0,
      over: 3,
      status: 'over',
    });
  });

  it('totals never let one type’s vacancy hide another type’s excess', () => {
    const total = totalUsage([
      { approved: 10, occupied: 8, reserved: 0 },
      { approved: 5, occupied: 7, reserved: 0 },
    ]);
    expect(total).to.include({ approved: 15, occupied: 15, vacant: 2, over: 2, status: 'over' });
  });
});

describe('Q2: no entry beyond the approved quota', () => {
  const cases: Array<[string, { approved: number; occupied: number; reserved: number }, boolean, string?]> = [
    ['a vacancy takes one more', { approved: 24, occupied: 22, reserved: 1 }, true],
    [
      'the last place, counting reservations',
      { approved: 24, occupied: 23, reserved: 1 },
      false,
      'quota_full',
    ],
    [
      'over quota only releases (超编只出不进)',
      { approved: 20, occupied: 21, reserved: 0 },
      false,
      'quota_over',
    ],
    ['nothing approved yet', { approved: 0, occupied: 0, reserved: 0 }, false, 'quota_full'],
  ];
  for (const [what, usage, ok, code] of cases) {
    it(what, () => {
      const verdict = checkRoom('城关镇', 'administrative', usage);
      expect(verdict.ok).to.equal(ok);
      if (!verdict.ok) {
        expect(verdict.code).to.equal(code);
        expect(verdict.vars).to.include({
          holder: '城关镇',
          type: 'administrative',
          approved: usage.approved,
          occupied: usage.occupied,
        });
      }
    });
  }
});

describe('Q3: no mixing of establishment types (不得混编混岗)', () => {
  it('offices take administrative and 参公; stations institutional and worker; dispatched units any', () => {
    expect(checkPostTypes('office', ['administrative', 'civil_service_institutional'], false).ok).to.equal(
      true,
    );
    expect(checkPostTypes('office', ['institutional'], false)).to.deep.include({
      ok: false,
      code: 'post_type_mismatch',
    });
    expect(checkPostTypes('station', ['administrative'], false).ok).to.equal(false);
    expect(checkPostTypes('dispatched', ['institutional', 'administrative'], false).ok).to.equal(true);
    expect(checkPostTypes('leadership_team', ['administrative'], false).ok).to.equal(true);
  });

  it('a recorded cross-type post takes any type (同岗不同编, approved by the county)', () => {
    expect(checkPostTypes('office', ['institutional'], true).ok).to.equal(true);
    expect(checkPlacementType(['administrative'], true, 'institutional').ok).to.equal(true);
  });

  it('a person fits a post only with a type the post takes', () => {
    expect(checkPlacementType(['administrative'], false, 'administrative').ok).to.equal(true);
    expect(checkPlacementType(['administrative'], false, 'institutional')).to.deep.include({
      ok: false,
      code: 'person_type_mismatch',
    });
  });
});

describe('L1–L3: leadership posts', () => {
  it('L1: leaders of a kind within its approved count', () => {
    expect(
      checkLeaderRoom(
        { kind: 'deputy_mayor', approved: 2, filled: 1, counted: true },
        { approved: 9, countedFilled: 7 },
      ).ok,
    ).to.equal(true);
    expect(
      checkLeaderRoom(
        { kind: 'deputy_mayor', approved: 2, filled: 2, counted: true },
        { approved: 9, countedFilled: 7 },
      ),
    ).to.deep.include({
      ok: false,
      code: 'slot_full',
    });
  });

  it('L2: counted leaders within the township total; not-counted kinds (人武部长) ignore it', () => {
    expect(
      checkLeaderRoom(
        { kind: 'deputy_mayor', approved: 3, filled: 1, counted: true },
        { approved: 9, countedFilled: 9 },
      ),
    ).to.deep.include({
      ok: false,
      code: 'leadership_total_full',
    });
    expect(
      checkLeaderRoom(
        { kind: 'armed_forces_head', approved: 1, filled: 0, counted: false },
        { approved: 9, countedFilled: 9 },
      ).ok,
    ).to.equal(true);
  });

  it('L3: no leader above the unit’s rank (超规格配备)', () => {
    expect(checkRankFits('deputy_section', 'deputy_section').ok).to.equal(true);
    expect(checkRankFits('stock', 'deputy_section')).to.deep.include({ ok: false, code: 'above_unit_rank' });
    expect(checkRankFits('none', null).ok).to.equal(true);
    expect(checkRankFits('section_chief', 'section_chief').ok).to.equal(true);
  });

  it('unit leadership where the decision is silent: ≤3 → 1 head; 4–7 → +1 deputy; ≥8 → +2 deputies', () => {
    expect(unitLeaderLimits(3)).to.deep.equal({ heads: 1, deputies: 0 });
    expect(unitLeaderLimits(4)).to.deep.equal({ heads: 1, deputies: 1 });
    expect(unitLeaderLimits(7)).to.deep.equal({ heads: 1, deputies: 1 });
    expect(unitLeaderLimits(8)).to.deep.equal({ heads: 1, deputies: 2 });
    expect(unitLeaderLimits(6, [5])).to.deep.equal({ heads: 1, deputies: 1 });
  });
});
