import { expect } from 'chai';
import {
  type ActingUser,
  availableActions,
  type PromotionState,
  pathFor,
  poolVacant,
  poolVerdict,
  publicityEnd,
  type RankPromotionAction,
  type RankPromotionState,
  rankTransition,
} from '../../src/domain/rankPromotion.js';

const officer: ActingUser = { userId: 1, forTownship: true, reviewer: false };
const reviewer: ActingUser = { userId: 2, forTownship: false, reviewer: true };
const today = '2026-11-15';
const promo = (over: Partial<PromotionState> = {}): PromotionState => ({
  state: 'planned',
  path: 'standard',
  publicityEnd: null,
  proposerUserId: 1,
  ...over,
});

describe('rank promotions: the state machine (domain guide section 8)', () => {
  it('一级/二级科员 take the simplified path; other ranks the standard one', () => {
    expect(pathFor('clerk_1')).to.equal('simplified');
    expect(pathFor('principal_4')).to.equal('standard');
    expect(pathFor('principal_1')).to.equal('standard');
  });

  const standard: Array<[RankPromotionState, RankPromotionAction, ActingUser, RankPromotionState]> = [
    ['planned', 'recommend', officer, 'recommended'],
    ['planned', 'recommend', reviewer, 'recommended'],
    ['recommended', 'review', reviewer, 'reviewed'],
    ['reviewed', 'publicise', reviewer, 'in_publicity'],
    ['approved', 'effect', reviewer, 'effective'],
    ['recommended', 'return', reviewer, 'planned'],
    ['in_publicity', 'return', reviewer, 'planned'],
    ['planned', 'withdraw', officer, 'withdrawn'],
    ['in_publicity', 'withdraw', reviewer, 'withdrawn'],
  ];
  for (const [from, action, user, to] of standard) {
    it(`standard: ${from} —${action} by ${user === officer ? 'the township' : 'the county'}→ ${to}`, () => {
      const t = rankTransition(promo({ state: from }), action, user, today);
      expect(t).to.include({ ok: true, state: to });
    });
  }

  it('plan → recommendation → review → publicity → approval → effective, step by step', () => {
    let p = promo();
    const walk: Array<[RankPromotionAction, ActingUser]> = [
      ['recommend', officer],
      ['review', reviewer],
      ['publicise', reviewer],
    ];
    for (const [action, user] of walk) {
      const t = rankTransition(p, action, user, today);
      if (!t.ok) throw new Error(t.code);
      p = { ...p, state: t.state };
    }
    p = { ...p, publicityEnd: '2026-11-20' };
    expect(rankTransition(p, 'approve', reviewer, '2026-11-20')).to.deep.equal({
      ok: false,
      code: 'publicity_running',
    });
    const approved = rankTransition(p, 'approve', reviewer, '2026-11-23');
    expect(approved).to.include({ ok: true, state: 'approved' });
    expect(rankTransition({ ...p, state: 'approved' }, 'effect', reviewer, today)).to.include({
      state: 'effective',
    });
  });

  it('the simplified path skips recommendation and publicity', () => {
    const p = promo({ path: 'simplified' });
    expect(rankTransition(p, 'recommend', officer, today)).to.deep.equal({ ok: false, code: 'wrong_state' });
    expect(rankTransition(p, 'review', reviewer, today)).to.include({ state: 'reviewed' });
    const reviewed = { ...p, state: 'reviewed' as const };
    expect(rankTransition(reviewed, 'publicise', reviewer, today)).to.include({ ok: false });
    expect(rankTransition(reviewed, 'approve', reviewer, today)).to.include({ state: 'approved' });
  });

  it('only the county reviews, publicises, approves and makes effective', () => {
    for (const [state, action] of [
      ['recommended', 'review'],
      ['reviewed', 'publicise'],
      ['approved', 'effect'],
      ['recommended', 'return'],
    ] as const)
      expect(rankTransition(promo({ state }), action, officer, today)).to.deep.equal({
        ok: false,
        code: 'not_your_turn',
      });
  });

  it('the proposer never approves their own promotion', () => {
    const p = promo({ state: 'in_publicity', publicityEnd: '2026-11-01', proposerUserId: 2 });
    expect(rankTransition(p, 'approve', reviewer, today)).to.deep.equal({ ok: false, code: 'own_request' });
  });

  it('return and withdraw are possible until approval, not after', () => {
    const approved = promo({ state: 'approved' });
    expect(rankTransition(approved, 'return', reviewer, today)).to.include({ code: 'wrong_state' });
    expect(rankTransition(approved, 'withdraw', officer, today)).to.include({ code: 'wrong_state' });
    for (const state of ['effective', 'withdrawn'] as const)
      expect(rankTransition(promo({ state }), 'withdraw', reviewer, today)).to.include({
        code: 'already_decided',
      });
  });

  it('lists the actions a user may take now', () => {
    expect(availableActions(promo(), officer, today)).to.deep.equal(['recommend', 'withdraw']);
    expect(availableActions(promo({ state: 'recommended' }), reviewer, today)).to.deep.equal([
      'review',
      'return',
      'withdraw',
    ]);
  });
});

describe('rank promotions: the pool quota', () => {
  it('one more fits while held + in process < approved', () => {
    expect(poolVerdict({ approved: 5, held: 3, inProcess: 1 }, false)).to.deep.equal({ ok: true });
    expect(poolVerdict({ approved: 5, held: 3, inProcess: 2 }, false)).to.deep.equal({
      ok: false,
      code: 'rank_quota_full',
      vars: { approved: 5, held: 3, inProcess: 2 },
    });
  });
  it('a promotion already counted is not counted twice when re-checked', () => {
    expect(poolVerdict({ approved: 5, held: 3, inProcess: 2 }, true)).to.deep.equal({ ok: true });
    expect(poolVerdict({ approved: 5, held: 4, inProcess: 2 }, true)).to.include({ ok: false });
    expect(poolVacant({ approved: 5, held: 3, inProcess: 1 })).to.equal(1);
  });
});

describe('rank promotions: publicity of ≥ 5 working days', () => {
  // 2024 National Day: 10-01..10-07 off, Sunday 09-29 and Saturday 10-12 are make-up workdays.
  const off = new Set(['2024-10-01', '2024-10-02', '2024-10-03', '2024-10-04', '2024-10-07']);
  const makeUp = new Set(['2024-09-29', '2024-10-12']);
  const isWorkday = (d: string) => {
    if (makeUp.has(d)) return true;
    if (off.has(d)) return false;
    const day = new Date(`${d}T00:00:00Z`).getUTCDay();
    return day !== 0 && day !== 6;
  };
  it('an ordinary week: Monday to Friday', () => {
    expect(publicityEnd('2024-09-09', 5, isWorkday)).to.equal('2024-09-13');
  });
  it('across National Day, the make-up Sunday counts and the holidays do not', () => {
    // 09-27 (Fri), 09-29 (make-up Sun), 09-30 (Mon), 10-08 (Tue), 10-09 (Wed)
    expect(publicityEnd('2024-09-27', 5, isWorkday)).to.equal('2024-10-09');
  });
  it('a start on a holiday counts from the next working day', () => {
    expect(publicityEnd('2024-10-05', 5, isWorkday)).to.equal('2024-10-12');
  });
});
