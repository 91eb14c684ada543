import { expect } from 'chai';
import {
  availableActions,
  avoidanceConflicts,
  type CaseAction,
  type CaseSnapshot,
  type CaseState,
  caseTransition,
  checkDecisionVote,
  probationEnd,
} from '../../src/domain/promotionCase.js';

const snap = (state: CaseState, over: Partial<CaseSnapshot> = {}): CaseSnapshot => ({
  state,
  dispatched: false,
  hasPartyOpinion: false,
  publicityEndsOn: null,
  probationUntil: null,
  ...over,
});
const township = { sides: ['township'] as const, on: '2026-11-15' };
const county = { sides: ['county'] as const, on: '2026-11-15' };
const vote = { members: 9, present: 7, inFavour: 6 };

describe('selection cases (选拔任用): the state machine', () => {
  describe('the procedure, step by step', () => {
    const path: Array<
      [CaseState, CaseAction, 'township' | 'county', CaseState, Partial<CaseSnapshot>?, object?]
    > = [
      ['motion', 'recommend', 'township', 'recommendation'],
      ['recommendation', 'fix_candidates', 'township', 'candidates'],
      ['candidates', 'inspect', 'county', 'inspection'],
      ['inspection', 'decide', 'county', 'decided', {}, { vote }],
      ['decided', 'start_publicity', 'county', 'publicity'],
      ['publicity', 'object', 'county', 'objection'],
      ['objection', 'resolve', 'county', 'publicity', {}, { resolve: { outcome: 'cleared' } }],
      ['publicity', 'appoint', 'county', 'appointed', { publicityEndsOn: '2026-11-13' }],
      ['appointed', 'confirm', 'county', 'confirmed', { probationUntil: '2026-11-15' }],
      ['appointed', 'revert', 'county', 'reverted'],
    ];
    for (const [from, action, side, to, over, extra] of path) {
      it(`${from} —${action} (${side})→ ${to}`, () => {
        const ctx = { sides: [side], on: '2026-11-15', ...(extra ?? {}) };
        expect(caseTransition(snap(from, over), action, ctx)).to.deep.equal({ ok: true, state: to });
      });
    }
  });

  it('the other side’s steps are refused (403 not_your_side)', () => {
    expect(caseTransition(snap('motion'), 'recommend', county)).to.include({
      ok: false,
      code: 'not_your_side',
    });
    expect(caseTransition(snap('candidates'), 'inspect', township)).to.include({ code: 'not_your_side' });
    expect(caseTransition(snap('inspection'), 'decide', { ...township, vote })).to.include({
      code: 'not_your_side',
    });
    expect(caseTransition(snap('recommendation'), 'return', township)).to.include({ code: 'not_your_side' });
    // The administrator acts for both sides.
    const both = { sides: ['township', 'county'] as const, on: '2026-11-15' };
    expect(caseTransition(snap('motion'), 'recommend', both)).to.deep.equal({
      ok: true,
      state: 'recommendation',
    });
  });

  it('a step out of order is refused; a closed case takes no step', () => {
    expect(caseTransition(snap('motion'), 'inspect', county)).to.include({ code: 'not_in_state' });
    expect(caseTransition(snap('decided'), 'appoint', county)).to.include({ code: 'not_in_state' });
    for (const s of ['confirmed', 'reverted', 'withdrawn'] as const)
      expect(caseTransition(snap(s), 'withdraw', county)).to.include({ code: 'case_closed' });
  });

  it('return (one step back, with reasons) and withdraw are possible until the decision, not after', () => {
    expect(caseTransition(snap('recommendation'), 'return', county)).to.deep.equal({
      ok: true,
      state: 'motion',
    });
    expect(caseTransition(snap('candidates'), 'return', county)).to.deep.equal({
      ok: true,
      state: 'recommendation',
    });
    expect(caseTransition(snap('inspection'), 'return', county)).to.deep.equal({
      ok: true,
      state: 'candidates',
    });
    expect(caseTransition(snap('motion'), 'return', county)).to.include({ code: 'not_in_state' });
    for (const s of ['motion', 'recommendation', 'candidates', 'inspection'] as const) {
      expect(caseTransition(snap(s), 'withdraw', township)).to.deep.equal({ ok: true, state: 'withdrawn' });
      expect(caseTransition(snap(s), 'withdraw', county)).to.deep.equal({ ok: true, state: 'withdrawn' });
    }
    for (const s of ['decided', 'publicity', 'objection', 'appointed'] as const) {
      expect(caseTransition(snap(s), 'withdraw', county)).to.include({ code: 'after_decision' });
      expect(caseTransition(snap(s), 'return', county)).to.include({ code: 'after_decision' });
    }
  });

  describe('讨论决定: quorum ≥ 2/3 of all members present, adopted by > 1/2 of all members', () => {
    const table: Array<[number, number, number, string | null]> = [
      [9, 6, 5, null], // 6 ≥ 6, 5 > 4.5
      [9, 5, 5, 'vote_no_quorum'],
      [9, 9, 4, 'vote_no_majority'], // 4 of 9, although all present
      [10, 7, 5, 'vote_no_majority'], // exactly half is not more than half
      [10, 7, 6, null],
      [11, 8, 6, null], // 8 ≥ 7.33
      [11, 7, 6, 'vote_no_quorum'],
      [9, 10, 5, 'vote_present_range'],
      [9, 6, 7, 'vote_favour_range'],
      [0, 0, 0, 'vote_members'],
    ];
    for (const [members, present, inFavour, code] of table) {
      it(`${members} members, ${present} present, ${inFavour} in favour → ${code ?? 'adopted'}`, () => {
        const r = checkDecisionVote({ members, present, inFavour });
        if (code === null) expect(r).to.equal(null);
        else expect(r).to.include({ ok: false, code });
      });
    }
    it('the decision step applies the vote', () => {
      expect(
        caseTransition(snap('inspection'), 'decide', {
          ...county,
          vote: { members: 9, present: 5, inFavour: 5 },
        }),
      ).to.include({ code: 'vote_no_quorum', field: 'present' });
    });
  });

  it('a dispatched unit’s seat needs the township party committee’s written opinion before the county decides', () => {
    const d = snap('inspection', { dispatched: true });
    expect(caseTransition(d, 'decide', { ...county, vote })).to.include({ code: 'party_opinion_required' });
    expect(caseTransition({ ...d, hasPartyOpinion: true }, 'decide', { ...county, vote })).to.deep.equal({
      ok: true,
      state: 'decided',
    });
    expect(availableActions(snap('motion', { dispatched: true }), ['township'])).to.include('opinion');
    expect(
      availableActions(snap('motion', { dispatched: true, hasPartyOpinion: true }), ['township']),
    ).to.not.include('opinion');
    expect(availableActions(snap('motion'), ['township'])).to.not.include('opinion');
  });

  it('appointment only after the publicity’s last day, never during an objection', () => {
    const p = snap('publicity', { publicityEndsOn: '2026-11-20' });
    expect(caseTransition(p, 'appoint', { ...county, on: '2026-11-20' })).to.include({
      code: 'publicity_running',
    });
    expect(caseTransition(p, 'appoint', { ...county, on: '2026-11-21' })).to.deep.equal({
      ok: true,
      state: 'appointed',
    });
    expect(
      caseTransition(snap('objection', { publicityEndsOn: '2026-11-01' }), 'appoint', county),
    ).to.include({ code: 'objection_open' });
  });

  it('an upheld objection ends the case; a cleared one resumes the publicity', () => {
    expect(
      caseTransition(snap('objection'), 'resolve', { ...county, resolve: { outcome: 'upheld' } }),
    ).to.deep.equal({ ok: true, state: 'withdrawn' });
    expect(caseTransition(snap('objection'), 'resolve', county)).to.include({ code: 'resolve_outcome' });
  });

  it('confirmation (转正) only once the 1-year probation is over; reverting is possible during it', () => {
    expect(probationEnd('2025-12-01')).to.equal('2026-11-30');
    expect(probationEnd('2024-03-01')).to.equal('2025-02-28');
    const a = snap('appointed', { probationUntil: '2026-11-30' });
    expect(caseTransition(a, 'confirm', county)).to.include({ code: 'probation_running' });
    expect(caseTransition(a, 'confirm', { ...county, on: '2026-11-30' })).to.deep.equal({
      ok: true,
      state: 'confirmed',
    });
    expect(caseTransition(a, 'revert', county)).to.deep.equal({ ok: true, state: 'reverted' });
  });

  it('the actions offered follow the state and the side', () => {
    expect(availableActions(snap('motion'), ['township'])).to.deep.equal(['recommend', 'withdraw']);
    expect(availableActions(snap('inspection'), ['county'])).to.deep.equal(['decide', 'return', 'withdraw']);
    expect(availableActions(snap('publicity'), ['county'])).to.deep.equal(['object', 'appoint']);
    expect(availableActions(snap('confirmed'), ['county'])).to.deep.equal([]);
  });

  it('回避: a relative in the seat’s unit, or among the township’s leaders, is a conflict', () => {
    const relatives = [
      { relation: 'spouse', relatedPersonId: 7 },
      { relation: 'brother', relatedPersonId: 8 },
    ];
    const seat = { unitMembers: new Set([7]), townshipLeaders: new Set([9]) };
    expect(avoidanceConflicts(relatives, seat, false).map((r) => r.relatedPersonId)).to.deep.equal([7]);
    expect(avoidanceConflicts(relatives, seat, true)).to.deep.equal([]);
    expect(
      avoidanceConflicts(relatives, { unitMembers: new Set(), townshipLeaders: new Set([8]) }, true),
    ).to.have.length(1);
  });
});
