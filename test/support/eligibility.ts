import { DEFAULT_RULES_FROM, gradeLevels, promotionRules, sanctionKinds } from '../../seeds/reference.js';
import type {
  AssessmentResult,
  EligibilityInput,
  EligibilityRules,
  GradeSpell,
  Ladder,
  Level,
  PromotionRule,
} from '../../src/domain/eligibility/index.js';

/** The seeded reference data (national defaults) as the engine's rules. */
export const nationalRules: EligibilityRules = {
  grades: gradeLevels.map((g) => ({
    code: g.code,
    ladder: g.ladder,
    step: g.step,
    levelEquivalent: g.level_equivalent as Level | null,
  })),
  promotionRules: promotionRules.map((r) => ({
    countyId: null,
    target: r.target,
    minMonths: r.min_months,
    countedGrades: r.counted_grades,
    minEducation: (r.min_education ?? null) as PromotionRule['minEducation'],
    educationBlocks: r.education_blocks ?? true,
    partyMemberRequired: false,
    effectiveFrom: DEFAULT_RULES_FROM,
    source: r.source,
  })),
  sanctionKinds: sanctionKinds.map(([code, , impactMonths]) => ({ code, impactMonths })),
};

/** The national rules plus extra rule rows (a county's own, a later version). */
export function rulesWith(...extra: Array<Partial<PromotionRule> & { target: string }>): EligibilityRules {
  return {
    ...nationalRules,
    promotionRules: [
      ...nationalRules.promotionRules,
      ...extra.map((r) => {
        const base = nationalRules.promotionRules.find((n) => n.target === r.target);
        if (!base) throw new Error(`no national rule for ${r.target}`);
        return { ...base, ...r };
      }),
    ],
  };
}

const ladderOf = new Map(gradeLevels.map((g) => [g.code, g.ladder as Ladder]));

/** A grade period: `grade('clerk_1', '2023-03-20')` open-ended, or with an end and extras. */
export function grade(
  gradeCode: string,
  validFrom: string,
  validTo: string | null = null,
  extra: Partial<GradeSpell> = {},
): GradeSpell {
  const ladder = ladderOf.get(gradeCode);
  if (!ladder) throw new Error(`unknown grade ${gradeCode}`);
  return { ladder, gradeCode, validFrom, validTo, probationUntil: null, legacyTitle: null, ...extra };
}

/** Assessments from a year → result table, e.g. `{ 2023: 'competent', 2024: 'excellent' }`. */
export function assessed(results: Record<number, AssessmentResult>) {
  return Object.entries(results).map(([year, result]) => ({ year: Number(year), result }));
}

/** A person with a bachelor's degree, a party member, no sanctions and no family abroad, unless told. */
export function person(p: Partial<EligibilityInput> = {}): EligibilityInput {
  return {
    countyId: null,
    politicalStatus: 'cpc_member',
    partyJoinedOn: '2010-07-01',
    grades: [],
    assessments: [],
    sanctions: [],
    educations: [{ level: 'bachelor', graduatedOn: '2012-07-01' }],
    family: [
      { relation: 'spouse', emigrated: false },
      { relation: 'daughter', emigrated: false },
    ],
    ...p,
  };
}
