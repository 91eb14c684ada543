import { addDays } from './dates.js';

/**
 * Rank promotions (职级晋升, domain guide section 8): the state machine of one promotion, the simplified path
 * for 一级/二级科员 and the pool's rank quota (职级职数). Pure: the date, the user and the counts are parameters.
 *
 * Standard path: planned → recommended (民主推荐 or 考核评价) → reviewed (审核) → in_publicity (公示, ≥ 5 working days)
 * → approved (审批) → effective (the grade row is written). Simplified path (一级/二级科员, no quota ratio):
 * planned → reviewed → approved → effective. Until approval a promotion can be returned with a reason (back to
 * planned) or withdrawn.
 */

export const RANK_PROMOTION_STATES = [
  'planned',
  'recommended',
  'reviewed',
  'in_publicity',
  'approved',
  'effective',
  'withdrawn',
] as const;
export type RankPromotionState = (typeof RANK_PROMOTION_STATES)[number];

/** States that still hold a place of the pool's quota until they end (effective ones until their date). */
export const OPEN_RANK_STATES: readonly RankPromotionState[] = [
  'planned',
  'recommended',
  'reviewed',
  'in_publicity',
  'approved',
];
export const FINAL_RANK_STATES: readonly RankPromotionState[] = ['effective', 'withdrawn'];

export type RankPromotionPath = 'standard' | 'simplified';

export const RANK_PROMOTION_ACTIONS = [
  'recommend',
  'review',
  'publicise',
  'approve',
  'effect',
  'return',
  'withdraw',
] as const;
export type RankPromotionAction = (typeof RANK_PROMOTION_ACTIONS)[number];

/** How the candidate was put forward at the recommendation step. */
export const RECOMMENDATION_METHODS = ['recommendation', 'evaluation'] as const;
export type RecommendationMethod = (typeof RECOMMENDATION_METHODS)[number];

/**
 * Ranks promoted without a quota ratio (一级科员 and 二级科员 have no 职数 limit) [law]: they take the simplified
 * path. Every other civil-servant rank is counted against its county pool.
 */
export const NO_QUOTA_RANKS: readonly string[] = ['clerk_1', 'clerk_2'];

export function pathFor(targetGrade: string): RankPromotionPath {
  return NO_QUOTA_RANKS.includes(targetGrade) ? 'simplified' : 'standard';
}

/** The minimum publicity (公示) in working days, on the official calendar. [law] */
export const PUBLICITY_WORKING_DAYS = 5;

/**
 * The rank groups a county pools its rank quota by (职级职数 are approved per group, not per rank): a county's
 * pool for a group is created with its first approved-number decision.
 */
export const RANK_POOL_GROUPS = [
  {
    code: 'principal_1_2',
    nameZh: '一级、二级主任科员',
    nameEn: 'Grade-1/2 principal staff members',
    gradeCodes: ['principal_1', 'principal_2'],
  },
  {
    code: 'principal_3_4',
    nameZh: '三级、四级主任科员',
    nameEn: 'Grade-3/4 principal staff members',
    gradeCodes: ['principal_3', 'principal_4'],
  },
] as const;
export type RankPoolGroup = (typeof RANK_POOL_GROUPS)[number];

export interface PromotionState {
  state: RankPromotionState;
  path: RankPromotionPath;
  /** The last day of the publicity (the 5th working day); set when publicity starts. */
  publicityEnd: string | null;
  proposerUserId: number;
}

export interface ActingUser {
  userId: number;
  /** Township officer of the person's township (or the administrator). */
  forTownship: boolean;
  /** County reviewer (组织部) of the promotion's county (or the administrator). */
  reviewer: boolean;
}

export type RankTransition =
  | { ok: true; state: RankPromotionState; actingRole: 'township_officer' | 'county_reviewer' }
  | { ok: false; code: string };

const refuse = (code: string): RankTransition => ({ ok: false, code });

/**
 * The next state of a promotion for an action by a user on a date, or why not. Refusal codes: `already_decided`
 * (effective or withdrawn), `not_your_turn` (not this user's role), `own_request` (the proposer approving),
 * `wrong_state` (the action doesn't apply now), `publicity_running` (approval before the publicity's end).
 */
export function rankTransition(
  p: PromotionState,
  action: RankPromotionAction,
  user: ActingUser,
  today: string,
): RankTransition {
  if (FINAL_RANK_STATES.includes(p.state)) return refuse('already_decided');
  const county = (state: RankPromotionState): RankTransition =>
    user.reviewer ? { ok: true, state, actingRole: 'county_reviewer' } : refuse('not_your_turn');
  const standard = p.path === 'standard';
  switch (action) {
    case 'recommend':
      if (!standard || p.state !== 'planned') return refuse('wrong_state');
      if (user.forTownship) return { ok: true, state: 'recommended', actingRole: 'township_officer' };
      return county('recommended');
    case 'review':
      if (p.state !== (standard ? 'recommended' : 'planned')) return refuse('wrong_state');
      return county('reviewed');
    case 'publicise':
      if (!standard || p.state !== 'reviewed') return refuse('wrong_state');
      return county('in_publicity');
    case 'approve': {
      if (p.state !== (standard ? 'in_publicity' : 'reviewed')) return refuse('wrong_state');
      if (!user.reviewer) return refuse('not_your_turn');
      if (user.userId === p.proposerUserId) return refuse('own_request');
      if (standard && (p.publicityEnd === null || today <= p.publicityEnd))
        return refuse('publicity_running');
      return county('approved');
    }
    case 'effect':
      if (p.state !== 'approved') return refuse('wrong_state');
      return county('effective');
    case 'return':
      if (p.state === 'planned' || p.state === 'approved') return refuse('wrong_state');
      return county('planned');
    case 'withdraw':
      if (p.state === 'approved') return refuse('wrong_state');
      if (user.forTownship) return { ok: true, state: 'withdrawn', actingRole: 'township_officer' };
      return county('withdrawn');
  }
}

/** The actions a user may take now (the buttons of the promotion page). */
export function availableActions(p: PromotionState, user: ActingUser, today: string): RankPromotionAction[] {
  return RANK_PROMOTION_ACTIONS.filter((a) => rankTransition(p, a, user, today).ok);
}

/** The steps of a path in order, for the page's progress line. */
export function stepsOf(path: RankPromotionPath): RankPromotionState[] {
  return path === 'standard'
    ? ['planned', 'recommended', 'reviewed', 'in_publicity', 'approved', 'effective']
    : ['planned', 'reviewed', 'approved', 'effective'];
}

// ----- the pool's rank quota ----------------------------------------------------------------------------

export interface PoolUsage {
  approved: number;
  /** People holding one of the pool's ranks on the date. */
  held: number;
  /** Promotions to the pool's ranks in process (open, or effective from a later date). */
  inProcess: number;
}

/**
 * Whether one more promotion fits the pool: held + in process + 1 ≤ approved. `counted` says the promotion
 * asked about is already among `inProcess` (a later step re-checks without counting itself twice).
 */
export function poolVerdict(
  u: PoolUsage,
  counted: boolean,
): { ok: true } | { ok: false; code: 'rank_quota_full'; vars: Record<string, number> } {
  const after = u.held + u.inProcess + (counted ? 0 : 1);
  if (after <= u.approved) return { ok: true };
  return {
    ok: false,
    code: 'rank_quota_full',
    vars: { approved: u.approved, held: u.held, inProcess: u.inProcess },
  };
}

export function poolVacant(u: PoolUsage): number {
  return u.approved - u.held - u.inProcess;
}

// ----- publicity ----------------------------------------------------------------------------------------

/**
 * The last day of a publicity that starts on `start` and lasts `days` working days on the official calendar
 * (the start counts when it is a working day; make-up workdays count, holidays and weekends don't).
 */
export function publicityEnd(start: string, days: number, isWorkday: (date: string) => boolean): string {
  let on = start;
  let counted = 0;
  for (let guard = 0; guard < 400; guard += 1) {
    if (isWorkday(on)) counted += 1;
    if (counted >= days) return on;
    on = addDays(on, 1);
  }
  throw new Error(`no ${days} working days from ${start}`);
}
