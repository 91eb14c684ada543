import { addMonths, monthIndex } from './dates.js';
import type { EligibilityResult, GradeLevelInfo, GradeSpell, Ladder, Level } from './eligibility/index.js';
import { isInForce, spellsAsOf } from './eligibility/tenure.js';

/**
 * The career path (我的职业路径) and the township eligibility list: pure helpers around the eligibility
 * engine's answers. Eligible is never "due": these only sort and explain what the engine found.
 */

// ----- tenure in the grades held now -------------------------------------------------------------------

export interface GradeTenure {
  ladder: Ladder;
  gradeCode: string;
  /** The appointment date (a continuation, e.g. the 2019 conversion, keeps the original appointment's). */
  since: string;
  legacyTitle: string | null;
  /** Whole months from the month of appointment to the date's month (12 months = 1 year), as tenure counts. */
  months: number;
}

/** Each grade held on the date, with the months served in it counted like tenure (section 8). */
export function currentGradeTenure(grades: readonly GradeSpell[], asOf: string): GradeTenure[] {
  return spellsAsOf(grades, asOf)
    .filter((g) => isInForce(g, asOf))
    .map((g) => ({
      ladder: g.ladder,
      gradeCode: g.gradeCode,
      since: g.validFrom,
      legacyTitle: g.legacyTitle,
      months: Math.max(0, monthIndex(asOf) - monthIndex(g.validFrom)),
    }));
}

/** 32 → { years: 2, months: 8 }. */
export function yearsAndMonths(total: number): { years: number; months: number } {
  const n = Math.max(0, Math.floor(total));
  return { years: Math.floor(n / 12), months: n % 12 };
}

// ----- targets ----------------------------------------------------------------------------------------------

export type TargetKind = 'leadership' | 'rank' | 'management' | 'professional' | 'skilled';

const KIND_OF_LADDER: Record<Ladder, TargetKind> = {
  leadership_level: 'leadership',
  civil_service_rank: 'rank',
  management_level: 'management',
  professional: 'professional',
  skilled: 'skilled',
};

export function targetKind(ladder: Ladder): TargetKind {
  return KIND_OF_LADDER[ladder];
}

const LADDER_ORDER: readonly Ladder[] = [
  'leadership_level',
  'civil_service_rank',
  'management_level',
  'professional',
  'skilled',
];

/** Targets in reading order: 副科, 正科 leadership, then each ladder's grades from the lowest. */
export function compareTargets(
  a: Pick<GradeLevelInfo, 'ladder' | 'step'>,
  b: Pick<GradeLevelInfo, 'ladder' | 'step'>,
): number {
  return LADDER_ORDER.indexOf(a.ladder) - LADDER_ORDER.indexOf(b.ladder) || a.step - b.step;
}

// ----- horizons (the township list) -------------------------------------------------------------------------

export type Horizon = 'now' | 'within6' | 'within12' | 'blocked';
export const HORIZONS: readonly Horizon[] = ['now', 'within6', 'within12', 'blocked'];

/**
 * Eligible on the date; eligible within 6 months or within 12 months of it (if nothing changes); or not
 * within a year, or no date can be given (an open investigation, a grade whose time doesn't count).
 */
export function horizonOf(
  result: Pick<EligibilityResult, 'eligible' | 'eligibleFrom'>,
  asOf: string,
): Horizon {
  if (result.eligible) return 'now';
  if (result.eligibleFrom === null) return 'blocked';
  if (result.eligibleFrom <= addMonths(asOf, 6)) return 'within6';
  if (result.eligibleFrom <= addMonths(asOf, 12)) return 'within12';
  return 'blocked';
}

// ----- seats at the target's level --------------------------------------------------------------------------

/** A township leadership slot kind with vacant places on the date. */
export interface VacantSlot {
  kind: string;
  nameZh: string;
  nameEn: string;
  rank: 'section_chief' | 'deputy_section' | 'stock';
  vacant: number;
}

/** An open post without a holder on the date. */
export interface VacantPost {
  postId: number;
  name: string;
  unitId: number | null;
  unitName: string | null;
  unitRank: string | null;
  leadershipKind: string | null;
  category: string;
  gradeLow: string | null;
  gradeHigh: string | null;
}

export interface TownshipSeats {
  slots: readonly VacantSlot[];
  posts: readonly VacantPost[];
  /** The township's counted leaders reach its approved total (领导职数总额已满). */
  totalFull: boolean;
  /** Ladders on which some open post of the township (held or not) records a grade band. */
  bandLadders: readonly Ladder[];
}

export type SeatsAtLevel =
  /** Leadership: vacant township slots of the level's rank and vacant heads of units of that rank. */
  | { kind: 'leadership'; slots: VacantSlot[]; posts: VacantPost[]; totalFull: boolean }
  /** Civil-servant ranks are not tied to seats (职级不与岗位挂钩). */
  | { kind: 'not_tied' }
  /** Posts whose grade band (grade_low..grade_high) on the target's ladder includes it. */
  | { kind: 'band'; posts: VacantPost[] }
  /** No post of the township records a grade band on the target's ladder. */
  | { kind: 'no_bands' };

/** Whether a slot or post at the target's level is vacant in the township (section 8's last question). */
export function seatsAtLevel(
  target: GradeLevelInfo,
  grades: readonly GradeLevelInfo[],
  seats: TownshipSeats,
): SeatsAtLevel {
  if (target.ladder === 'civil_service_rank') return { kind: 'not_tied' };
  if (target.ladder === 'leadership_level') {
    const rank = leadershipRank(target.levelEquivalent);
    return {
      kind: 'leadership',
      slots: seats.slots.filter((s) => s.rank === rank && s.vacant > 0),
      posts: seats.posts.filter((p) => p.leadershipKind === 'unit_head' && p.unitRank === rank),
      totalFull: seats.totalFull,
    };
  }
  if (!seats.bandLadders.includes(target.ladder)) return { kind: 'no_bands' };
  const byCode = new Map(grades.map((g) => [g.code, g]));
  return {
    kind: 'band',
    posts: seats.posts.filter((p) => {
      const low = byCode.get(p.gradeLow ?? '');
      const high = byCode.get(p.gradeHigh ?? '');
      if (low?.ladder !== target.ladder && high?.ladder !== target.ladder) return false;
      const from = low?.ladder === target.ladder ? low.step : Number.NEGATIVE_INFINITY;
      const to = high?.ladder === target.ladder ? high.step : Number.POSITIVE_INFINITY;
      return from <= target.step && target.step <= to;
    }),
  };
}

function leadershipRank(level: Level | null): 'section_chief' | 'deputy_section' | null {
  if (level === 'deputy_section') return 'deputy_section';
  if (level === 'section_chief') return 'section_chief';
  return null;
}
