import { expect } from 'chai';
import {
  type ActingUser,
  approvalChain,
  type RequestState,
  secondmentOverdue,
  transition,
} from '../../src/domain/movements.js';

const proposer: ActingUser = { userId: 1, roles: [], forProposer: true };
const reviewer: ActingUser = { userId: 2, roles: ['county_reviewer'], forProposer: false };
const bianban: ActingUser = { userId: 3, roles: ['establishment_officer'], forProposer: false };
const req = (over: Partial<RequestState> = {}): RequestState => ({
  state: 'submitted',
  stage: 0,
  chain: ['county_reviewer'],
  proposerUserId: 1,
  ...over,
});

describe('movement approval chains (domain guide sections 7 and 9)', () => {
  const filing = ['internal', 'exit'];
  const cases: Array<[string, string, string[]]> = [
    ['internal moves are filed by the township (备案)', 'internal', []],
    ['exits are filed by the township', 'exit', []],
    ['cross-township transfers need the county', 'cross_township', ['county_reviewer']],
    ['secondments need the county', 'secondment', ['county_reviewer']],
    [
      'entries need the establishment office first (用编核准), then the county',
      'entry',
      ['establishment_officer', 'county_reviewer'],
    ],
    [
      'type changes need the establishment office, then the county',
      'type_change',
      ['establishment_officer', 'county_reviewer'],
    ],
    ['cross-type placements need the county', 'cross_type', ['county_reviewer']],
  ];
  for (const [what, kind, chain] of cases) {
    it(what, () => expect(approvalChain(kind as 'internal', filing)).to.deep.equal(chain));
  }

  it('a county may require approval of internal moves too; entries are never filing-only', () => {
    expect(approvalChain('internal', [])).to.deep.equal(['county_reviewer']);
    expect(approvalChain('entry', ['entry'])).to.deep.equal(['establishment_officer', 'county_reviewer']);
  });
});

describe('the request state machine', () => {
  it('submit: a draft goes to the first approver, or is filed when nobody approves', () => {
    expect(transition(req({ state: 'draft' }), 'submit', proposer)).to.deep.include({
      ok: true,
      state: 'submitted',
      stage: 0,
    });
    expect(transition(req({ state: 'draft', chain: [] }), 'submit', proposer)).to.deep.include({
      ok: true,
      state: 'filed',
      final: true,
    });
    expect(transition(req({ state: 'returned' }), 'submit', proposer)).to.deep.include({
      ok: true,
      state: 'submitted',
    });
    expect(transition(req({ state: 'draft' }), 'submit', reviewer)).to.deep.include({
      ok: false,
      code: 'not_proposer',
    });
  });

  it('approve: the approver at the stage moves it on; the last one approves it', () => {
    const entry = req({ chain: ['establishment_officer', 'county_reviewer'] });
    expect(transition(entry, 'approve', reviewer)).to.deep.include({ ok: false, code: 'not_your_turn' });
    expect(transition(entry, 'approve', bianban)).to.deep.include({
      ok: true,
      state: 'submitted',
      stage: 1,
      final: false,
    });
    expect(transition({ ...entry, stage: 1 }, 'approve', reviewer)).to.deep.include({
      ok: true,
      state: 'approved',
      final: true,
    });
  });

  it('the proposer never approves their own request, even holding the role', () => {
    const both: ActingUser = { userId: 1, roles: ['county_reviewer'], forProposer: true };
    expect(transition(req(), 'approve', both)).to.deep.include({ ok: false, code: 'own_request' });
  });

  it('return goes back to the proposer; reject ends it; withdraw only by the proposer until decided', () => {
    expect(transition(req({ stage: 0 }), 'return', reviewer)).to.deep.include({
      ok: true,
      state: 'returned',
      stage: 0,
    });
    expect(transition(req(), 'reject', reviewer)).to.deep.include({
      ok: true,
      state: 'rejected',
      final: true,
    });
    expect(transition(req(), 'withdraw', proposer)).to.deep.include({
      ok: true,
      state: 'withdrawn',
      final: true,
    });
    expect(transition(req(), 'withdraw', reviewer)).to.deep.include({ ok: false, code: 'not_proposer' });
  });

  it('decided requests are immutable: nothing more can happen to them', () => {
    for (const state of ['approved', 'filed', 'rejected', 'withdrawn'] as const) {
      for (const action of ['submit', 'withdraw', 'approve', 'return', 'reject'] as const) {
        expect(
          transition(req({ state }), action, { ...reviewer, forProposer: true }),
          `${state} ${action}`,
        ).to.deep.include({
          ok: false,
          code: 'already_decided',
        });
      }
    }
  });

  it('only submitted requests are decided by approvers', () => {
    expect(transition(req({ state: 'draft' }), 'approve', reviewer)).to.deep.include({
      ok: false,
      code: 'not_submitted',
    });
    expect(transition(req({ state: 'returned' }), 'reject', reviewer)).to.deep.include({
      ok: false,
      code: 'not_submitted',
    });
  });
});

describe('overdue secondments (在编不在岗)', () => {
  it('past the planned end with no return recorded', () => {
    expect(secondmentOverdue({ plannedUntil: '2026-11-06', validTo: null }, '2026-11-15')).to.equal(true);
    expect(secondmentOverdue({ plannedUntil: '2026-11-24', validTo: null }, '2026-11-15')).to.equal(false);
    expect(secondmentOverdue({ plannedUntil: '2026-11-06', validTo: '2026-11-06' }, '2026-11-15')).to.equal(
      false,
    );
  });
});
