/**
 * Selection cases (选拔任用) for a vacant 副科/正科 leadership seat (domain guide section 8): the procedure as a
 * pure state machine. Who may take which step in which state, where the case goes next, and the checks that
 * depend only on the values given (quorum and majority, publicity over, probation over). No I/O.
 *
 * motion 动议 → recommendation 民主推荐 → candidates 确定考察对象 → inspection 考察 → decided 讨论决定 →
 * publicity 任前公示 (⇄ objection 异议) → appointed 任职 (1-year probation) → confirmed 转正 | reverted 试用不合格.
 * Until the decision a case can be returned one step with reasons or withdrawn; an upheld objection ends it.
 */

export const CASE_STATES = [
  'motion',
  'recommendation',
  'candidates',
  'inspection',
  'decided',
  'publicity',
  'objection',
  'appointed',
  'confirmed',
  'reverted',
  'withdrawn',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const CLOSED_STATES: readonly CaseState[] = ['confirmed', 'reverted', 'withdrawn'];
/** States in which the seat is being filled (one case per seat at a time). */
export const OPEN_STATES: readonly CaseState[] = CASE_STATES.filter(
  (s) => !CLOSED_STATES.includes(s) && s !== 'appointed',
);

export const CASE_ACTIONS = [
  'recommend',
  'fix_candidates',
  'inspect',
  'decide',
  'start_publicity',
  'object',
  'resolve',
  'appoint',
  'confirm',
  'revert',
  'return',
  'withdraw',
  'opinion',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** Who acts: the township (organisation committee member) or the county (组织部). */
export type CaseSide = 'township' | 'county';

interface Step {
  from: readonly CaseState[];
  to: CaseState | null;
  by: readonly CaseSide[];
}

/** The table of steps: from which states, to which state (null = stays), by which side. */
const STEPS: Record<CaseAction, Step> = {
  recommend: { from: ['motion'], to: 'recommendation', by: ['township'] },
  fix_candidates: { from: ['recommendation'], to: 'candidates', by: ['township'] },
  inspect: { from: ['candidates'], to: 'inspection', by: ['county'] },
  decide: { from: ['inspection'], to: 'decided', by: ['county'] },
  start_publicity: { from: ['decided'], to: 'publicity', by: ['county'] },
  object: { from: ['publicity'], to: 'objection', by: ['county'] },
  resolve: { from: ['objection'], to: 'publicity', by: ['county'] },
  appoint: { from: ['publicity'], to: 'appointed', by: ['county'] },
  confirm: { from: ['appointed'], to: 'confirmed', by: ['county'] },
  revert: { from: ['appointed'], to: 'reverted', by: ['county'] },
  return: { from: ['recommendation', 'candidates', 'inspection'], to: null, by: ['county'] },
  withdraw: {
    from: ['motion', 'recommendation', 'candidates', 'inspection'],
    to: 'withdrawn',
    by: ['township', 'county'],
  },
  opinion: { from: ['motion', 'recommendation', 'candidates', 'inspection'], to: null, by: ['township'] },
};

/** The state before each step, for "return with reasons" (one step back). */
const PREVIOUS: Partial<Record<CaseState, CaseState>> = {
  recommendation: 'motion',
  candidates: 'recommendation',
  inspection: 'candidates',
};

export interface CaseSnapshot {
  state: CaseState;
  /** The seat's unit is a dispatched unit (司法所, 市场监管所, 财政所): the township party committee's opinion is needed. */
  dispatched: boolean;
  hasPartyOpinion: boolean;
  publicityEndsOn: string | null;
  probationUntil: string | null;
}

export interface DecisionVote {
  /** Members of the county party committee (全体成员). */
  members: number;
  present: number;
  inFavour: number;
}

export interface ResolveInput {
  /** 'cleared': the objection does not stand, publicity goes on; 'upheld': the case ends. */
  outcome: 'cleared' | 'upheld';
}

export type CaseVerdict =
  | { ok: true; state: CaseState }
  | { ok: false; code: string; field?: string; vars?: Record<string, string | number> };

/** Quorum ≥ 2/3 of all members present; adopted by more than half of all members (not of those present). */
export function checkDecisionVote(v: DecisionVote): CaseVerdict | null {
  if (!Number.isInteger(v.members) || v.members < 1)
    return { ok: false, code: 'vote_members', field: 'members' };
  if (v.present > v.members || v.present < 0)
    return { ok: false, code: 'vote_present_range', field: 'present', vars: { members: v.members } };
  if (v.inFavour > v.present || v.inFavour < 0)
    return { ok: false, code: 'vote_favour_range', field: 'inFavour', vars: { present: v.present } };
  if (v.present * 3 < v.members * 2)
    return {
      ok: false,
      code: 'vote_no_quorum',
      field: 'present',
      vars: { members: v.members, present: v.present, needed: Math.ceil((v.members * 2) / 3) },
    };
  if (v.inFavour * 2 <= v.members)
    return {
      ok: false,
      code: 'vote_no_majority',
      field: 'inFavour',
      vars: { members: v.members, inFavour: v.inFavour, needed: Math.floor(v.members / 2) + 1 },
    };
  return null;
}

export interface StepContext {
  /** The sides the user acts for on this case (township officer of its township, county reviewer of its county, admin both). */
  sides: readonly CaseSide[];
  /** The date of the step (appointment date, confirmation date …). */
  on: string;
  vote?: DecisionVote;
  resolve?: ResolveInput;
}

/**
 * May this step be taken now, and where does the case go? Refusals: `case_closed` (nothing more to do),
 * `not_in_state` (the step doesn't fit the state), `not_your_side` (403: the other side's step),
 * `party_opinion_required` (a dispatched unit's seat before the county decides), the vote's quorum and
 * majority, `publicity_running` (appointment before the publicity's last day has passed), `objection_open`,
 * `probation_running` (confirmation before probation ends).
 */
export function caseTransition(c: CaseSnapshot, action: CaseAction, ctx: StepContext): CaseVerdict {
  if (CLOSED_STATES.includes(c.state)) return { ok: false, code: 'case_closed' };
  const step = STEPS[action];
  if (!step.from.includes(c.state)) {
    if (action === 'appoint' && c.state === 'objection')
      return { ok: false, code: 'objection_open', field: 'action' };
    if (
      (action === 'return' || action === 'withdraw') &&
      ['decided', 'publicity', 'objection', 'appointed'].includes(c.state)
    )
      return { ok: false, code: 'after_decision', field: 'action' };
    return { ok: false, code: 'not_in_state', field: 'action' };
  }
  if (!step.by.some((s) => ctx.sides.includes(s)))
    return { ok: false, code: 'not_your_side', field: 'action' };
  switch (action) {
    case 'decide': {
      if (c.dispatched && !c.hasPartyOpinion)
        return { ok: false, code: 'party_opinion_required', field: 'action' };
      if (!ctx.vote) return { ok: false, code: 'vote_members', field: 'members' };
      const vote = checkDecisionVote(ctx.vote);
      if (vote) return vote;
      return { ok: true, state: 'decided' };
    }
    case 'appoint': {
      if (!c.publicityEndsOn || ctx.on <= c.publicityEndsOn)
        return {
          ok: false,
          code: 'publicity_running',
          field: 'on',
          vars: { until: c.publicityEndsOn ?? '' },
        };
      return { ok: true, state: 'appointed' };
    }
    case 'confirm': {
      if (!c.probationUntil || ctx.on < c.probationUntil)
        return { ok: false, code: 'probation_running', field: 'on', vars: { until: c.probationUntil ?? '' } };
      return { ok: true, state: 'confirmed' };
    }
    case 'resolve': {
      if (!ctx.resolve) return { ok: false, code: 'resolve_outcome', field: 'outcome' };
      return { ok: true, state: ctx.resolve.outcome === 'upheld' ? 'withdrawn' : 'publicity' };
    }
    case 'return':
      return { ok: true, state: PREVIOUS[c.state] as CaseState };
    case 'opinion':
      return { ok: true, state: c.state };
    default:
      return { ok: true, state: step.to as CaseState };
  }
}

/** The steps the user could take now (for the case page's action form). */
export function availableActions(c: CaseSnapshot, sides: readonly CaseSide[]): CaseAction[] {
  if (CLOSED_STATES.includes(c.state)) return [];
  return CASE_ACTIONS.filter((a) => {
    const step = STEPS[a];
    if (!step.from.includes(c.state) || !step.by.some((s) => sides.includes(s))) return false;
    if (a === 'opinion') return c.dispatched && !c.hasPartyOpinion;
    return true;
  });
}

/** The 1-year probation (试用期) of an appointment: it ends the day before the anniversary. */
export function probationEnd(appointedOn: string): string {
  const [y, m, d] = appointedOn.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y + 1, m - 1, d - 1));
  return next.toISOString().slice(0, 10);
}

/** The target leadership grade of a seat's level: 副科 → 乡科级副职, 正科 → 乡科级正职. */
export const TARGET_GRADES = { deputy_section: 'township_deputy', section_chief: 'township_chief' } as const;
export type TargetLevel = keyof typeof TARGET_GRADES;

export interface Relative {
  relation: string;
  relatedPersonId: number;
}

export interface SeatPeople {
  /** People holding a post in the seat's unit on the date (empty for a township leadership seat). */
  unitMembers: ReadonlySet<number>;
  /** The township's leaders on the date (党委、政府 leadership posts). */
  townshipLeaders: ReadonlySet<number>;
}

/**
 * 回避 (avoidance): a candidate may not take a seat where a close relative (spouse, direct blood relative,
 * collateral within three generations, close in-law — the family members on record) would be in a direct
 * line with them: a member of the same unit, or, for a township leadership seat, another township leader.
 * Returns the conflicting relatives.
 */
export function avoidanceConflicts(
  relatives: readonly Relative[],
  seat: SeatPeople,
  townshipSeat: boolean,
): Relative[] {
  return relatives.filter((r) =>
    townshipSeat
      ? seat.townshipLeaders.has(r.relatedPersonId)
      : seat.unitMembers.has(r.relatedPersonId) || seat.townshipLeaders.has(r.relatedPersonId),
  );
}

/** The status tag of a state (the stylesheet's colours: in progress, waiting, stopped, done). */
export function stateTag(state: CaseState): string {
  if (state === 'objection') return 'tag tag--over';
  if (state === 'publicity' || state === 'appointed') return 'tag tag--warn';
  if (state === 'confirmed') return 'tag tag--vacant';
  if (state === 'reverted' || state === 'withdrawn') return 'tag tag--full';
  return 'tag tag--info';
}
