import { compareText } from '../dates.js';
import type {
  CountySanctionPeriod,
  EducationLevel,
  EligibilityRules,
  GradeLevelInfo,
  Ladder,
  Level,
  PromotionRule,
} from './types.js';
import { LEVELS } from './types.js';

/** The reference data indexed for fast look-ups; built once per rules object (see prepareRules). */
export interface PreparedRules {
  grade(code: string): GradeLevelInfo | undefined;
  /** The grade one step above on the same ladder. */
  nextOnLadder(code: string): GradeLevelInfo | undefined;
  /** Grades of a ladder, lowest first. */
  ladder(ladder: Ladder): readonly GradeLevelInfo[];
  /** Targets that have at least one rule row (any county, any version). */
  hasRules(target: string): boolean;
  /** The rule version in force on a date for a county (see ruleInForce). */
  rule(target: string, countyId: number | null, on: string): PromotionRule | undefined;
  /**
   * Impact months of a sanction kind for a county's people on a date (the county's own version in force,
   * else the national default); null = until closed; undefined = unknown kind.
   */
  impactMonths(kindCode: string, countyId?: number | null, on?: string): number | null | undefined;
}

const cache = new WeakMap<EligibilityRules, PreparedRules>();

export function prepareRules(rules: EligibilityRules): PreparedRules {
  const hit = cache.get(rules);
  if (hit) return hit;
  const byCode = new Map(rules.grades.map((g) => [g.code, g]));
  const byLadder = new Map<Ladder, GradeLevelInfo[]>();
  for (const g of rules.grades) {
    const list = byLadder.get(g.ladder) ?? [];
    list.push(g);
    byLadder.set(g.ladder, list);
  }
  for (const list of byLadder.values()) list.sort((a, b) => a.step - b.step);
  const byTarget = new Map<string, PromotionRule[]>();
  for (const r of rules.promotionRules) {
    const list = byTarget.get(r.target) ?? [];
    list.push(r);
    byTarget.set(r.target, list);
  }
  // Latest version first, so the first one in force on a date is the one that applies.
  for (const list of byTarget.values()) list.sort((a, b) => compareText(b.effectiveFrom, a.effectiveFrom));
  const impact = new Map(rules.sanctionKinds.map((k) => [k.code, k.impactMonths]));
  // County versions by county and kind, latest first.
  const periods = new Map<string, CountySanctionPeriod[]>();
  for (const p of rules.sanctionPeriods ?? []) {
    const key = `${p.countyId}:${p.kindCode}`;
    const list = periods.get(key) ?? [];
    list.push(p);
    periods.set(key, list);
  }
  for (const list of periods.values()) list.sort((a, b) => compareText(b.effectiveFrom, a.effectiveFrom));
  const prepared: PreparedRules = {
    grade: (code) => byCode.get(code),
    nextOnLadder(code) {
      const g = byCode.get(code);
      if (!g) return undefined;
      return byLadder.get(g.ladder)?.find((x) => x.step > g.step);
    },
    ladder: (ladder) => byLadder.get(ladder) ?? [],
    hasRules: (target) => byTarget.has(target),
    rule: (target, countyId, on) => ruleInForce(byTarget.get(target) ?? [], countyId, on),
    impactMonths(kindCode, countyId, on) {
      const national = impact.get(kindCode);
      // An open investigation has no period a county could set.
      if (national === null || countyId === null || countyId === undefined || on === undefined)
        return national;
      const own = sanctionPeriodInForce(periods.get(`${countyId}:${kindCode}`) ?? [], on);
      return own ? own.impactMonths : national;
    },
  };
  cache.set(rules, prepared);
  return prepared;
}

/**
 * The rule version that applies on a date: the county's own latest version in force if it has one,
 * otherwise the national default's (county_id NULL) latest version in force. A county row replaces the
 * national default for that target from its effective date, whatever the national versions do later:
 * a county that configured a target keeps its configuration until it records a new version.
 * `versions` must be sorted latest effectiveFrom first.
 */
export function ruleInForce(
  versions: readonly PromotionRule[],
  countyId: number | null,
  on: string,
): PromotionRule | undefined {
  if (countyId !== null) {
    const own = versions.find((r) => r.countyId === countyId && r.effectiveFrom <= on);
    if (own) return own;
  }
  return versions.find((r) => r.countyId === null && r.effectiveFrom <= on);
}

/** The county version in force on a date among one county's versions of one kind, sorted latest first. */
export function sanctionPeriodInForce(
  versions: readonly CountySanctionPeriod[],
  on: string,
): CountySanctionPeriod | undefined {
  return versions.find((p) => p.effectiveFrom <= on);
}

/**
 * Education levels compared by rank. 高中 and 中专 are the same stage (高中阶段教育), so a 高中 graduate
 * meets a 中专 minimum and vice versa.
 */
const EDUCATION_RANK: Record<EducationLevel, number> = {
  below: 0,
  high_school: 1,
  secondary_vocational: 1,
  college: 2,
  bachelor: 3,
  master: 4,
  doctorate: 5,
};

export function educationRank(level: EducationLevel): number {
  return EDUCATION_RANK[level] ?? 0;
}

export function levelRank(level: Level | null): number {
  return level === null ? -1 : LEVELS.indexOf(level);
}
