/**
 * Types of the eligibility engine (domain guide sections 6 and 8): what it needs to know about a person
 * and the rules, and what it answers per target. Dates are ISO 'YYYY-MM-DD' strings; codes are the
 * reference data's codes (grade_levels, sanction_kinds, assessment results, education levels).
 */

export type Ladder =
  | 'civil_service_rank'
  | 'leadership_level'
  | 'management_level'
  | 'professional'
  | 'skilled';

/** 职务层次 equivalence of a grade (grade_levels.level_equivalent), lowest first. */
export const LEVELS = [
  'clerk',
  'section_member',
  'deputy_section',
  'section_chief',
  'deputy_division',
  'division',
] as const;
export type Level = (typeof LEVELS)[number];

export type AssessmentResult =
  | 'excellent'
  | 'competent'
  | 'basically_competent'
  | 'incompetent'
  | 'ungraded'
  | 'qualified'
  | 'basically_qualified'
  | 'unqualified';

/** Education levels, highest first (educations.level). */
export const EDUCATION_LEVELS = [
  'doctorate',
  'master',
  'bachelor',
  'college',
  'secondary_vocational',
  'high_school',
  'below',
] as const;
export type EducationLevel = (typeof EDUCATION_LEVELS)[number];

// ----- input: one person's history --------------------------------------------------------------------

/** One period on one ladder (a `grades` row): half-open [validFrom, validTo), validTo null = open-ended. */
export interface GradeSpell {
  ladder: Ladder;
  gradeCode: string;
  validFrom: string;
  validTo: string | null;
  /** End of the probation (试用期) of this appointment: on probation while the date is before it. */
  probationUntil: string | null;
  /** A pre-2019 title (科员, 副主任科员 ...) converted to this grade; informative only. */
  legacyTitle: string | null;
}

export interface AssessmentRecord {
  year: number;
  result: AssessmentResult;
}

export interface SanctionRecord {
  kindCode: string;
  decidedOn: string;
  /** When an open investigation was closed; ignored for sanctions with a fixed impact period. */
  closedOn: string | null;
}

export interface EducationRecord {
  level: EducationLevel;
  /** null = date unknown, taken as held all along; a future date = expected (counts from then). */
  graduatedOn: string | null;
}

export interface FamilyRecord {
  relation: string;
  emigrated: boolean;
}

/** Everything the engine needs about one person. Rows superseded by corrections are not passed in. */
export interface EligibilityInput {
  /** The county whose rules apply (its own promotion_rules rows override the national default). */
  countyId: number | null;
  politicalStatus: string;
  partyJoinedOn: string | null;
  grades: readonly GradeSpell[];
  assessments: readonly AssessmentRecord[];
  sanctions: readonly SanctionRecord[];
  educations: readonly EducationRecord[];
  family: readonly FamilyRecord[];
}

// ----- input: the rules (reference data) ----------------------------------------------------------------

export interface GradeLevelInfo {
  code: string;
  ladder: Ladder;
  /** 1 = lowest on its ladder. */
  step: number;
  levelEquivalent: Level | null;
}

/** One version of the minimum conditions for reaching a grade (a promotion_rules row). */
export interface PromotionRule {
  /** null = the national default; a county's own row overrides it. */
  countyId: number | null;
  target: string;
  minMonths: number;
  /** Time in any of these grades counts (the law's "或者"), as the union of the periods. */
  countedGrades: readonly string[];
  minEducation: EducationLevel | null;
  /** false = below the minimum education is a warning only (副科 "大专 as a rule"). */
  educationBlocks: boolean;
  partyMemberRequired: boolean;
  effectiveFrom: string;
  source: string;
}

export interface SanctionKindInfo {
  code: string;
  /** Months the sanction blocks promotion from the decision; null = until closed (open investigation). */
  impactMonths: number | null;
}

/** A county's own impact period of a sanction kind from a date (a county_sanction_periods row). */
export interface CountySanctionPeriod {
  countyId: number;
  kindCode: string;
  impactMonths: number;
  effectiveFrom: string;
  source: string;
}

export interface EligibilityRules {
  grades: readonly GradeLevelInfo[];
  promotionRules: readonly PromotionRule[];
  /** The national default impact period of each kind. */
  sanctionKinds: readonly SanctionKindInfo[];
  /**
   * Counties' own impact periods, any versions: for a person of the county, the latest version in force on
   * the date asked about replaces the kind's default (like promotion rules). None = national defaults.
   */
  sanctionPeriods?: readonly CountySanctionPeriod[];
}

export interface EligibilityOptions {
  /** Add the party-membership check to leadership targets (the post asked about is a party post). */
  partyPost?: boolean;
}

// ----- output ---------------------------------------------------------------------------------------------

/** Something that stands in the way (a block) or deserves attention (a warning), with values to render. */
export type EligibilityFinding =
  /** Not enough counted months yet: `months` still to serve from the date's month, met from `from`. */
  | { code: 'tenure_short'; months: number; from: string; grades: string[] }
  /** The counted grades can't be reached without a change (the person holds none of them now). */
  | { code: 'tenure_unreachable'; months: number; grades: string[] }
  | { code: 'sanction'; kind: string; decidedOn: string; until: string }
  /** An open investigation: blocks until closed; `until` only when a closing date is recorded. */
  | { code: 'investigation'; kind: string; decidedOn: string; until: string | null }
  | { code: 'probation'; grade: string; until: string }
  | { code: 'recent_promotion'; grade: string; promotedOn: string; until: string }
  | { code: 'previous_assessment'; year: number; result: AssessmentResult; until: string }
  | { code: 'family_emigrated'; relation: 'spouse' | 'children' }
  | {
      code: 'education_required';
      required: EducationLevel;
      actual: EducationLevel | null;
      from: string | null;
    }
  | { code: 'party_membership'; status: string }
  // warnings
  | { code: 'education_recommended'; required: EducationLevel; actual: EducationLevel | null }
  /** A 基本称职/基本合格/不定等次 year: its months don't count (the window stretches by that year). */
  | { code: 'year_not_counted'; year: number; result: AssessmentResult }
  /** A 不称职/不合格 year: counting restarts (from `from`, the first counted month after that year). */
  | { code: 'tenure_restarted'; year: number; result: AssessmentResult; from: string }
  /** A past year inside the counted window without a recorded result: counted as 称职 for now. */
  | { code: 'assessment_missing'; year: number };

export type FindingCode = EligibilityFinding['code'];

export type EligibilityCheck =
  | {
      rule: 'tenure';
      required: { months: number; grades: string[] };
      /** months counted on the date, 优秀 months credited, and the date the rule is met (null = never). */
      actual: { months: number; excellentMonths: number; excellentYears: number[]; metFrom: string | null };
      met: boolean;
    }
  | {
      rule: 'education';
      required: { level: EducationLevel; blocking: boolean };
      actual: { level: EducationLevel | null };
      met: boolean;
    }
  | {
      rule: 'party_membership';
      required: { status: 'cpc_member' };
      actual: { status: string; joinedOn: string | null };
      met: boolean;
    }
  | {
      rule: 'no_sanction';
      required: { active: 0 };
      actual: { active: number; until: string | null };
      met: boolean;
    }
  | {
      rule: 'no_investigation';
      required: { open: 0 };
      actual: { open: number };
      met: boolean;
    }
  | {
      rule: 'no_probation';
      required: { onProbation: false };
      actual: { onProbation: boolean; until: string | null };
      met: boolean;
    }
  | {
      rule: 'promotion_interval';
      required: { months: number };
      actual: { lastPromotion: string | null; grade: string | null; months: number | null };
      met: boolean;
    }
  | {
      rule: 'previous_assessment';
      required: { year: number; atLeast: 'competent' };
      actual: { result: AssessmentResult | null };
      met: boolean;
    }
  | {
      rule: 'family_not_emigrated';
      required: { emigrated: false };
      actual: { spouse: boolean; allChildren: boolean };
      met: boolean;
    };

export type CheckRule = EligibilityCheck['rule'];

/** The answer for one reachable next step. Eligible is never "due": the decision is the committee's. */
export interface EligibilityResult {
  target: string;
  /** Every blocking check met on the date. */
  eligible: boolean;
  /**
   * Eligible from this date if nothing changes: when eligible, the start of the current unbroken run of
   * eligibility; otherwise the first future date all blocks are cleared; null when it can't be known
   * (open investigation) or won't happen without a change (emigrated family, no counted grade held).
   */
  eligibleFrom: string | null;
  blocks: EligibilityFinding[];
  warnings: EligibilityFinding[];
  checks: EligibilityCheck[];
}
