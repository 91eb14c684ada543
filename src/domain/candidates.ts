import { HORIZONS, type Horizon, horizonOf } from './career.js';
import type { EligibilityResult, GradeLevelInfo } from './eligibility/index.js';

/**
 * Candidates for a vacant seat (domain guide sections 5 and 8): which leadership grade a seat asks for, who is
 * eligible now / within 6 / within 12 months / blocked (from the engine's answers, never re-deciding a rule),
 * and the avoidance check (回避). Pure.
 */

export type SeatRank = 'deputy_section' | 'section_chief';

/** A vacant seat: a township leadership slot kind with free places, or a unit head post without a holder. */
export interface Seat {
  /** `slot-<kind>` or `post-<postId>`: stable within a township and safe in a URL. */
  key: string;
  kind: 'slot' | 'unit_head';
  rank: SeatRank;
  /** The leadership_kinds code (deputy_mayor …; unit_head for units). */
  leadershipKind: string;
  nameZh: string;
  nameEn: string;
  vacant: number;
  partyPost: boolean;
  postId: number | null;
  unitId: number | null;
  unitName: string | null;
  unitKind: string | null;
}

export const slotSeatKey = (kind: string) => `slot-${kind}`;
export const postSeatKey = (postId: number) => `post-${postId}`;

export function parseSeatKey(
  key: string,
): { kind: 'slot'; code: string } | { kind: 'post'; id: number } | null {
  const slot = /^slot-([a-z0-9_]{1,40})$/.exec(key);
  if (slot) return { kind: 'slot', code: slot[1]! };
  const post = /^post-([1-9][0-9]{0,9})$/.exec(key);
  if (post) return { kind: 'post', id: Number(post[1]) };
  return null;
}

/** The leadership grade (乡科级副职 / 正职) a seat of a rank asks for, from the reference grades. */
export function seatTarget(rank: SeatRank, grades: readonly GradeLevelInfo[]): GradeLevelInfo | undefined {
  return grades.find((g) => g.ladder === 'leadership_level' && g.levelEquivalent === rank);
}

// ----- avoidance (回避) ---------------------------------------------------------------------------------------

/**
 * Relations the avoidance rule covers: spouse, direct blood relatives, collateral relatives within three
 * generations and close in-laws [law]. 'other' (a social relation) does not oblige avoidance.
 */
export const AVOIDANCE_RELATIONS: ReadonlySet<string> = new Set([
  'spouse',
  'father',
  'mother',
  'son',
  'daughter',
  'elder_brother',
  'younger_brother',
  'elder_sister',
  'younger_sister',
  'father_in_law',
  'mother_in_law',
  'son_in_law',
  'daughter_in_law',
  'grandfather',
  'grandmother',
  'grandson',
  'granddaughter',
]);

/** A family_members row linking two people on the roster: `personId` recorded `relatedPersonId` as `relation`. */
export interface FamilyLink {
  personId: number;
  relatedPersonId: number;
  relation: string;
}

/** Someone the seat's holder would work with in a way the avoidance rule forbids to relatives. */
export interface SeatLeader {
  personId: number;
  name: string;
  /** What they lead: a leadership_kinds code (party_secretary, mayor, unit_head …). */
  role: string;
}

export interface AvoidanceConflict {
  leaderId: number;
  leaderName: string;
  role: string;
  relation: string;
  /** true when the leader's record names the candidate (the relation is the leader's view of them). */
  recordedByLeader: boolean;
}

/**
 * The avoidance conflicts of a candidate with the seat's leaders, from the family links recorded on either
 * side. A candidate who is one of the leaders is not in conflict with themselves.
 */
export function avoidanceConflicts(
  candidateId: number,
  links: readonly FamilyLink[],
  leaders: readonly SeatLeader[],
): AvoidanceConflict[] {
  const out: AvoidanceConflict[] = [];
  for (const leader of leaders) {
    if (leader.personId === candidateId) continue;
    for (const l of links) {
      if (!AVOIDANCE_RELATIONS.has(l.relation)) continue;
      const mine = l.personId === candidateId && l.relatedPersonId === leader.personId;
      const theirs = l.personId === leader.personId && l.relatedPersonId === candidateId;
      if (!mine && !theirs) continue;
      if (out.some((c) => c.leaderId === leader.personId && c.role === leader.role)) continue;
      out.push({
        leaderId: leader.personId,
        leaderName: leader.name,
        role: leader.role,
        relation: l.relation,
        recordedByLeader: theirs,
      });
    }
  }
  return out;
}

// ----- classification ------------------------------------------------------------------------------------

export interface CandidateEntry<P> {
  person: P;
  result: EligibilityResult;
  avoidance: AvoidanceConflict[];
}

/**
 * People per horizon for one target: eligible now, within 6 months, within 12 months (if nothing changes), or
 * blocked (not within a year, or no date can be given). An avoidance conflict puts an eligible person among
 * the blocked: they can't take this seat, whatever the engine says about the grade.
 */
export function classifyCandidates<P>(
  entries: ReadonlyArray<CandidateEntry<P>>,
  asOf: string,
): Record<Horizon, Array<CandidateEntry<P>>> {
  const out = Object.fromEntries(HORIZONS.map((h) => [h, [] as Array<CandidateEntry<P>>])) as Record<
    Horizon,
    Array<CandidateEntry<P>>
  >;
  for (const e of entries) out[e.avoidance.length > 0 ? 'blocked' : horizonOf(e.result, asOf)].push(e);
  return out;
}
