/**
 * Movements (调配, domain guide sections 7 and 9): the kinds, the approval chain and the request state machine.
 * Pure: who may do what to a request in which state, and where it goes next.
 */

export const MOVEMENT_KINDS = [
  'internal',
  'cross_township',
  'secondment',
  'entry',
  'exit',
  'type_change',
  'cross_type',
] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

export const ENTRY_KINDS = ['recruitment', 'hiring', 'transfer_in', 'resettlement'] as const;
export const EXIT_KINDS = ['retirement', 'transfer_out', 'resignation', 'dismissal', 'death'] as const;
export type SubKind = (typeof ENTRY_KINDS)[number] | (typeof EXIT_KINDS)[number];

export type MovementState =
  | 'draft'
  | 'submitted'
  | 'returned'
  | 'approved'
  | 'filed'
  | 'rejected'
  | 'withdrawn';
export const OPEN_STATES: readonly MovementState[] = ['draft', 'submitted', 'returned'];
export const DECIDED_STATES: readonly MovementState[] = ['approved', 'filed', 'rejected', 'withdrawn'];

export type Approver = 'establishment_officer' | 'county_reviewer';
export type MovementAction = 'submit' | 'withdraw' | 'approve' | 'return' | 'reject';

/** Kinds that touch the quota need the establishment office first (用编核准, 转任). */
const BASE_CHAIN: Record<MovementKind, Approver[]> = {
  internal: ['county_reviewer'],
  cross_township: ['county_reviewer'],
  secondment: ['county_reviewer'],
  entry: ['establishment_officer', 'county_reviewer'],
  exit: ['county_reviewer'],
  type_change: ['establishment_officer', 'county_reviewer'],
  cross_type: ['county_reviewer'],
};

/**
 * The approvers in order, from the kind and the county's configuration: kinds the township only files for the
 * record (备案, by default internal moves and exits) need nobody's approval; entry is never filing-only (Q5).
 */
export function approvalChain(kind: MovementKind, filingOnly: readonly string[]): Approver[] {
  if (filingOnly.includes(kind) && kind !== 'entry' && kind !== 'type_change' && kind !== 'cross_township')
    return [];
  return [...BASE_CHAIN[kind]];
}

/** Kinds that add a person to a holder and type (Q2 is checked and a place reserved on approval). */
export function addsToQuota(kind: MovementKind): boolean {
  return kind === 'cross_township' || kind === 'entry' || kind === 'type_change';
}

export interface RequestState {
  state: MovementState;
  stage: number;
  chain: readonly Approver[];
  proposerUserId: number;
}

export interface ActingUser {
  userId: number;
  /** The approver roles this user holds for the request's county. */
  roles: readonly Approver[];
  /** Whether the user may act for the proposing township (officer of it, or admin). */
  forProposer: boolean;
}

export type Transition =
  | { ok: true; state: MovementState; stage: number; final: boolean; actingRole: Approver | 'proposer' }
  | { ok: false; code: string };

/**
 * The request state machine. Drafts and returned requests belong to the proposer (submit, withdraw);
 * submitted ones wait for the approver at `stage` (approve → next stage or approved; return → back to the
 * proposer; reject). The proposer may withdraw until it is decided, and never approves their own request.
 * A request with an empty chain is filed (备案) on submission.
 */
export function transition(req: RequestState, action: MovementAction, user: ActingUser): Transition {
  const decided = DECIDED_STATES.includes(req.state);
  if (decided) return { ok: false, code: 'already_decided' };
  switch (action) {
    case 'submit': {
      if (req.state !== 'draft' && req.state !== 'returned') return { ok: false, code: 'not_submittable' };
      if (!user.forProposer) return { ok: false, code: 'not_proposer' };
      if (req.chain.length === 0)
        return { ok: true, state: 'filed', stage: 0, final: true, actingRole: 'proposer' };
      return { ok: true, state: 'submitted', stage: 0, final: false, actingRole: 'proposer' };
    }
    case 'withdraw': {
      if (!user.forProposer) return { ok: false, code: 'not_proposer' };
      return { ok: true, state: 'withdrawn', stage: req.stage, final: true, actingRole: 'proposer' };
    }
    case 'approve':
    case 'return':
    case 'reject': {
      if (req.state !== 'submitted') return { ok: false, code: 'not_submitted' };
      const needed = req.chain[req.stage];
      if (!needed || !user.roles.includes(needed)) return { ok: false, code: 'not_your_turn' };
      if (user.userId === req.proposerUserId) return { ok: false, code: 'own_request' };
      if (action === 'return')
        return { ok: true, state: 'returned', stage: 0, final: false, actingRole: needed };
      if (action === 'reject')
        return { ok: true, state: 'rejected', stage: req.stage, final: true, actingRole: needed };
      const last = req.stage + 1 >= req.chain.length;
      return last
        ? { ok: true, state: 'approved', stage: req.stage + 1, final: true, actingRole: needed }
        : { ok: true, state: 'submitted', stage: req.stage + 1, final: false, actingRole: needed };
    }
  }
}

/** An overdue secondment (在编不在岗): past its planned end with no return recorded. */
export function secondmentOverdue(
  s: { plannedUntil: string; validTo: string | null },
  today: string,
): boolean {
  return s.validTo === null && s.plannedUntil <= today;
}
