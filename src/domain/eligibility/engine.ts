import { addMonths, compareText, laterDate, monthIndex, monthStart, yearStart } from '../dates.js';
import { educationRank, levelRank, type PreparedRules, prepareRules } from './rules.js';
import {
  type AssessmentIndex,
  countTenure,
  indexAssessments,
  isInForce,
  spellsAsOf,
  tenureAt,
  tenureMetFrom,
} from './tenure.js';
import type {
  AssessmentResult,
  EducationLevel,
  EligibilityCheck,
  EligibilityFinding,
  EligibilityInput,
  EligibilityOptions,
  EligibilityResult,
  EligibilityRules,
  GradeLevelInfo,
  GradeSpell,
  Ladder,
  PromotionRule,
} from './types.js';

/** Months that must pass after a promotion before a leadership appointment (no 破格). [law] */
export const PROMOTION_INTERVAL_MONTHS = 12;

/** Results that keep the year after them from producing a leadership candidate (基本称职 or lower). */
const BELOW_COMPETENT: ReadonlySet<AssessmentResult> = new Set([
  'basically_competent',
  'basically_qualified',
  'incompetent',
  'unqualified',
]);

/** Ladders whose next step is a target of its own (rank promotion, management level ...). */
const STEP_LADDERS: readonly Ladder[] = ['civil_service_rank', 'management_level', 'professional', 'skilled'];

/**
 * A period during which a condition is not met: [from, to); from null = since always, to null = with no
 * end that can be known if nothing changes.
 */
interface Blocked {
  from: string | null;
  to: string | null;
}

/** One rule applied to the person: its check, the periods it blocks, and what to say when it does. */
interface Condition {
  check: EligibilityCheck;
  blocking: boolean;
  blocked: Blocked[];
  /** Said when the condition is not met on the date (as blocks, or warnings when not blocking). */
  findings: EligibilityFinding[];
  /** Warnings said whether or not the condition is met (how tenure was counted). */
  notes: EligibilityFinding[];
}

const covers = (b: Blocked, on: string) => (b.from === null || b.from <= on) && (b.to === null || on < b.to);

/**
 * Eligibility of one person on a date for each reachable next step: the next grade on each ladder that has
 * promotion rules (rank, management level ...), and 副科/正科 leadership where reachable. Pure: the date is
 * a parameter, the rules are data. Eligible is never "due".
 */
export function assessEligibility(
  person: EligibilityInput,
  rules: EligibilityRules,
  asOf: string,
  options: EligibilityOptions = {},
): EligibilityResult[] {
  const prepared = prepareRules(rules);
  const spells = spellsAsOf(person.grades, asOf);
  const current = spells.filter((g) => isInForce(g, asOf));
  const targets = reachableTargets(prepared, current, person.countyId, asOf);
  if (targets.length === 0) return [];

  const assessments = indexAssessments(person.assessments);
  const common = {
    sanctions: sanctionConditions(person, prepared, asOf),
    probation: probationCondition(spells, asOf),
  };
  let leadership: Condition[] | undefined;

  return targets.map(({ grade, rule }) => {
    const isLeadership = grade.ladder === 'leadership_level';
    const conditions: Condition[] = [tenureCondition(assessments, spells, current, rule, asOf)];
    if (rule.minEducation)
      conditions.push(educationCondition(person, rule.minEducation, rule.educationBlocks, asOf));
    if (rule.partyMemberRequired || (isLeadership && options.partyPost))
      conditions.push(partyCondition(person, asOf));
    conditions.push(...common.sanctions, common.probation);
    if (isLeadership) {
      leadership ??= [
        promotionIntervalCondition(prepared, spells, asOf),
        previousAssessmentCondition(person, asOf),
        familyCondition(person),
      ];
      conditions.push(...leadership);
    }
    return verdict(grade.code, conditions, asOf);
  });
}

// ----- targets --------------------------------------------------------------------------------------------

/**
 * The next steps within reach: on each ladder with rules, the grade one step above the one held now; and
 * each leadership level above the one held now, unless the person already stands above that level by rank
 * equivalence (no 副科 for someone already 正科 by post or rank), provided they hold now a grade whose time
 * counts for it (a 二级科员 is one step from 一级科员, not from 副科).
 */
function reachableTargets(
  prepared: PreparedRules,
  current: readonly GradeSpell[],
  countyId: number | null,
  asOf: string,
): Array<{ grade: GradeLevelInfo; rule: PromotionRule }> {
  // Plain loops and module-level helpers: this runs for every person, and a closure made per call costs
  // more than the work it does.
  const out: Array<{ grade: GradeLevelInfo; rule: PromotionRule }> = [];
  let topLevel = -1;
  for (const g of current) {
    const grade = prepared.grade(g.gradeCode);
    if (grade) topLevel = Math.max(topLevel, levelRank(grade.levelEquivalent));
  }

  addNextStep(out, prepared, current, 'civil_service_rank', countyId, asOf);

  const leaderNow = heldOn(current, 'leadership_level');
  const leaderStep = leaderNow ? (prepared.grade(leaderNow.gradeCode)?.step ?? 0) : 0;
  for (const grade of prepared.ladder('leadership_level')) {
    if (grade.step <= leaderStep || levelRank(grade.levelEquivalent) < topLevel) continue;
    const rule = prepared.rule(grade.code, countyId, asOf);
    if (rule && holdsCounted(current, rule)) out.push({ grade, rule });
  }

  for (const ladder of STEP_LADDERS)
    if (ladder !== 'civil_service_rank') addNextStep(out, prepared, current, ladder, countyId, asOf);
  return out;
}

/** The grade held now on a ladder (the first such spell). */
function heldOn(current: readonly GradeSpell[], ladder: Ladder): GradeSpell | undefined {
  for (const g of current) if (g.ladder === ladder) return g;
  return undefined;
}

/** The grade one step above the one held now on the ladder, if it has a rule for the county. */
function addNextStep(
  out: Array<{ grade: GradeLevelInfo; rule: PromotionRule }>,
  prepared: PreparedRules,
  current: readonly GradeSpell[],
  ladder: Ladder,
  countyId: number | null,
  asOf: string,
): void {
  const now = heldOn(current, ladder);
  if (!now) return;
  const grade = prepared.nextOnLadder(now.gradeCode);
  if (!grade) return;
  const rule = prepared.rule(grade.code, countyId, asOf);
  if (rule) out.push({ grade, rule });
}

/** Holds now a grade whose time counts for the rule. */
function holdsCounted(current: readonly GradeSpell[], rule: PromotionRule): boolean {
  const counted = countedSet(rule);
  for (const g of current) if (counted.has(g.gradeCode)) return true;
  return false;
}

const countedSets = new WeakMap<PromotionRule, ReadonlySet<string>>();
function countedSet(rule: PromotionRule): ReadonlySet<string> {
  let set = countedSets.get(rule);
  if (!set) {
    set = new Set(rule.countedGrades);
    countedSets.set(rule, set);
  }
  return set;
}

// ----- conditions -----------------------------------------------------------------------------------------

function tenureCondition(
  assessments: AssessmentIndex,
  spells: readonly GradeSpell[],
  current: readonly GradeSpell[],
  rule: PromotionRule,
  asOf: string,
): Condition {
  const count = countTenure(spells, assessments, countedSet(rule), asOf);
  const now = tenureAt(count, monthIndex(asOf));
  const metMonth = tenureMetFrom(count, rule.minMonths);
  const metFrom = metMonth === null ? null : monthStart(metMonth);
  const blocked: Blocked[] = [{ from: null, to: metFrom }];
  const met = !covers(blocked[0]!, asOf);
  const heldCounted = current.map((g) => g.gradeCode).filter((c) => rule.countedGrades.includes(c));
  const findings: EligibilityFinding[] = [];
  if (!met) {
    findings.push(
      metFrom === null
        ? { code: 'tenure_unreachable', months: rule.minMonths, grades: [...rule.countedGrades] }
        : {
            code: 'tenure_short',
            // Calendar months still to serve (a year not counted or a 优秀 credit to come included).
            months: metMonth! - monthIndex(asOf),
            from: metFrom,
            grades: [...new Set(heldCounted)],
          },
    );
  }
  // Only what shaped the date matters: a year not counted (or not recorded) after the minimum was met,
  // or a 优秀 credited after it, changes nothing and isn't mentioned.
  const month = monthIndex(asOf);
  const relevantUntil = metMonth ?? Number.POSITIVE_INFINITY;
  const credited = count.credits.filter((c) => c.at <= Math.min(month, relevantUntil));
  const notes: EligibilityFinding[] = [
    ...(count.restarted
      ? [
          {
            code: 'tenure_restarted' as const,
            year: count.restarted.year,
            result: count.restarted.result,
            from: count.restarted.from,
          },
        ]
      : []),
    ...count.notCounted
      .filter((y) => y.year * 12 < relevantUntil)
      .map((y) => ({ code: 'year_not_counted' as const, year: y.year, result: y.result })),
    ...count.missingYears
      .filter((year) => year * 12 < relevantUntil)
      .map((year) => ({ code: 'assessment_missing' as const, year })),
  ];
  return {
    check: {
      rule: 'tenure',
      required: { months: rule.minMonths, grades: [...rule.countedGrades] },
      actual: {
        months: now.months,
        excellentMonths: credited.reduce((n, c) => n + c.months, 0),
        excellentYears: credited.map((c) => c.year),
        metFrom,
      },
      met,
    },
    blocking: true,
    blocked,
    findings,
    notes,
  };
}

function educationCondition(
  person: EligibilityInput,
  required: EducationLevel,
  blocking: boolean,
  asOf: string,
): Condition {
  const need = educationRank(required);
  let actual: EducationLevel | null = null;
  for (const e of person.educations) {
    if (e.graduatedOn !== null && e.graduatedOn > asOf) continue;
    if (actual === null || educationRank(e.level) > educationRank(actual)) actual = e.level;
  }
  // Met from the earliest graduation at the required level or above (unknown date = all along).
  let from: string | null | undefined;
  for (const e of person.educations) {
    if (educationRank(e.level) < need) continue;
    if (e.graduatedOn === null) from = null;
    else if (from === undefined || (from !== null && e.graduatedOn < from)) from = e.graduatedOn;
  }
  const blocked: Blocked[] = from === null ? [] : [{ from: null, to: from ?? null }];
  const met = !blocked.some((b) => covers(b, asOf));
  const finding: EligibilityFinding = blocking
    ? { code: 'education_required', required, actual, from: from ?? null }
    : { code: 'education_recommended', required, actual };
  return {
    check: { rule: 'education', required: { level: required, blocking }, actual: { level: actual }, met },
    blocking,
    blocked,
    findings: [finding],
    notes: [],
  };
}

/** Party posts need a full member of the CPC (a probationary member is not yet one). */
function partyCondition(person: EligibilityInput, asOf: string): Condition {
  const member = person.politicalStatus === 'cpc_member';
  const blocked: Blocked[] = member
    ? person.partyJoinedOn
      ? [{ from: null, to: person.partyJoinedOn }]
      : []
    : [{ from: null, to: null }];
  return {
    check: {
      rule: 'party_membership',
      required: { status: 'cpc_member' },
      actual: { status: person.politicalStatus, joinedOn: person.partyJoinedOn },
      met: !blocked.some((b) => covers(b, asOf)),
    },
    blocking: true,
    blocked,
    findings: [{ code: 'party_membership', status: person.politicalStatus }],
    notes: [],
  };
}

/**
 * Sanctions block for their kind's impact period from the decision, to the day; an open investigation
 * (impact NULL) blocks until closed_on, and with no closing date nobody can say when it ends.
 */
function sanctionConditions(person: EligibilityInput, prepared: PreparedRules, asOf: string): Condition[] {
  const fixed: Array<{ kind: string; decidedOn: string; until: string }> = [];
  const open: Array<{ kind: string; decidedOn: string; until: string | null }> = [];
  for (const s of person.sanctions) {
    if (s.decidedOn > asOf) continue;
    const months = prepared.impactMonths(s.kindCode, person.countyId, asOf);
    if (months === null || months === undefined)
      open.push({ kind: s.kindCode, decidedOn: s.decidedOn, until: s.closedOn });
    else if (months > 0)
      fixed.push({ kind: s.kindCode, decidedOn: s.decidedOn, until: addMonths(s.decidedOn, months) });
  }
  const fixedBlocked = fixed.map((s) => ({ from: s.decidedOn, to: s.until }));
  const activeFixed = fixed.filter((s) => covers({ from: s.decidedOn, to: s.until }, asOf));
  const openBlocked = open.map((s) => ({ from: s.decidedOn, to: s.until }));
  const activeOpen = open.filter((s) => covers({ from: s.decidedOn, to: s.until }, asOf));
  return [
    {
      check: {
        rule: 'no_sanction',
        required: { active: 0 },
        actual: {
          active: activeFixed.length,
          until: activeFixed.reduce<string | null>((m, s) => (m === null || s.until > m ? s.until : m), null),
        },
        met: activeFixed.length === 0,
      },
      blocking: true,
      blocked: fixedBlocked,
      findings: activeFixed.map((s) => ({ code: 'sanction', ...s })),
      notes: [],
    },
    {
      check: {
        rule: 'no_investigation',
        required: { open: 0 },
        actual: { open: activeOpen.length },
        met: activeOpen.length === 0,
      },
      blocking: true,
      blocked: openBlocked,
      findings: activeOpen.map((s) => ({ code: 'investigation', ...s })),
      notes: [],
    },
  ];
}

/**
 * Within the probation (试用期) of an appointment, no further promotion. The probation of an appointment
 * that has ended (reverted, or left) ends with it.
 */
function probationCondition(spells: readonly GradeSpell[], asOf: string): Condition {
  const periods = spells
    .filter((g) => g.probationUntil !== null)
    .map((g) => ({
      grade: g.gradeCode,
      until: g.probationUntil!,
      blocked: {
        from: g.validFrom,
        to:
          g.validTo !== null && g.validTo <= asOf && g.validTo < g.probationUntil!
            ? g.validTo
            : g.probationUntil,
      },
    }));
  const blocked = periods.map((p) => p.blocked);
  const active = periods.filter((p) => covers(p.blocked, asOf));
  const until = active.reduce<string | null>((m, p) => (m === null || p.until > m ? p.until : m), null);
  return {
    check: {
      rule: 'no_probation',
      required: { onProbation: false },
      actual: { onProbation: active.length > 0, until },
      met: active.length === 0,
    },
    blocking: true,
    blocked,
    findings: active.map((p) => ({ code: 'probation', grade: p.grade, until: p.until })),
    notes: [],
  };
}

/**
 * Promotions on any ladder: a grade above the previous one on its ladder, or a first leadership level
 * (a first rank or management grade is an entry, not a promotion; a 2019 conversion keeps the grade).
 */
function promotions(
  prepared: PreparedRules,
  spells: readonly GradeSpell[],
): Array<{ on: string; grade: string }> {
  const out: Array<{ on: string; grade: string }> = [];
  const byLadder = new Map<Ladder, GradeSpell[]>();
  for (const g of spells) {
    const list = byLadder.get(g.ladder);
    if (list) list.push(g);
    else byLadder.set(g.ladder, [g]);
  }
  for (const [ladder, list] of byLadder) {
    list.sort((a, b) => compareText(a.validFrom, b.validFrom));
    list.forEach((g, i) => {
      const step = prepared.grade(g.gradeCode)?.step ?? 0;
      const prev = list[i - 1];
      const prevStep = prev ? (prepared.grade(prev.gradeCode)?.step ?? 0) : null;
      if (prevStep === null ? ladder === 'leadership_level' : step > prevStep)
        out.push({ on: g.validFrom, grade: g.gradeCode });
    });
  }
  return out.sort((a, b) => compareText(a.on, b.on));
}

/** Within a year of a promotion no leadership appointment; counted by month like tenure. */
function promotionIntervalCondition(
  prepared: PreparedRules,
  spells: readonly GradeSpell[],
  asOf: string,
): Condition {
  const events = promotions(prepared, spells);
  const blocked = events.map((p) => ({
    from: p.on,
    to: monthStart(monthIndex(p.on) + PROMOTION_INTERVAL_MONTHS),
  }));
  const last = events.at(-1);
  const months = last ? monthIndex(asOf) - monthIndex(last.on) : null;
  const active = events.filter((_, i) => covers(blocked[i]!, asOf));
  return {
    check: {
      rule: 'promotion_interval',
      required: { months: PROMOTION_INTERVAL_MONTHS },
      actual: { lastPromotion: last?.on ?? null, grade: last?.grade ?? null, months },
      met: active.length === 0,
    },
    blocking: true,
    blocked,
    findings: active.map((p) => ({
      code: 'recent_promotion',
      grade: p.grade,
      promotedOn: p.on,
      until: monthStart(monthIndex(p.on) + PROMOTION_INTERVAL_MONTHS),
    })),
    notes: [],
  };
}

/** The previous year's assessment 基本称职 or lower: no leadership candidacy during the following year. */
function previousAssessmentCondition(person: EligibilityInput, asOf: string): Condition {
  const year = Number(asOf.slice(0, 4)) - 1;
  const blocked = person.assessments
    .filter((a) => BELOW_COMPETENT.has(a.result))
    .map((a) => ({ from: yearStart(a.year + 1), to: yearStart(a.year + 2) }));
  const previous = person.assessments.find((a) => a.year === year)?.result ?? null;
  const met = previous === null || !BELOW_COMPETENT.has(previous);
  return {
    check: {
      rule: 'previous_assessment',
      required: { year, atLeast: 'competent' },
      actual: { result: previous },
      met,
    },
    blocking: true,
    blocked,
    findings:
      previous !== null && !met
        ? [{ code: 'previous_assessment', year, result: previous, until: yearStart(year + 2) }]
        : [],
    notes: [],
  };
}

/** A spouse, or every child, settled abroad: no leadership post (special posts excepted). */
function familyCondition(person: EligibilityInput): Condition {
  const spouse = person.family.some((f) => f.relation === 'spouse' && f.emigrated);
  const children = person.family.filter((f) => f.relation === 'son' || f.relation === 'daughter');
  const allChildren = children.length > 0 && children.every((f) => f.emigrated);
  const findings: EligibilityFinding[] = [];
  if (spouse) findings.push({ code: 'family_emigrated', relation: 'spouse' });
  if (allChildren) findings.push({ code: 'family_emigrated', relation: 'children' });
  const met = findings.length === 0;
  return {
    check: {
      rule: 'family_not_emigrated',
      required: { emigrated: false },
      actual: { spouse, allChildren },
      met,
    },
    blocking: true,
    blocked: met ? [] : [{ from: null, to: null }],
    findings,
    notes: [],
  };
}

// ----- verdict --------------------------------------------------------------------------------------------

function verdict(target: string, conditions: readonly Condition[], asOf: string): EligibilityResult {
  // Plain loops: this runs for every person and target of a county.
  let eligible = true;
  const blocked: Blocked[] = [];
  const blocks: EligibilityFinding[] = [];
  const warnings: EligibilityFinding[] = [];
  const notes: EligibilityFinding[] = [];
  const checks: EligibilityCheck[] = [];
  for (const c of conditions) {
    checks.push(c.check);
    for (const n of c.notes) notes.push(n);
    if (c.blocking) {
      for (const b of c.blocked) blocked.push(b);
      if (!c.check.met) {
        eligible = false;
        for (const f of c.findings) blocks.push(f);
      }
    } else if (!c.check.met) for (const f of c.findings) warnings.push(f);
  }
  for (const n of notes) warnings.push(n);
  return {
    target,
    eligible,
    eligibleFrom: eligibleFrom(blocked, asOf, eligible),
    blocks,
    warnings,
    checks,
  };
}

/**
 * Eligible: the start of the unbroken eligible run that contains the date (the last end of a blocked
 * period before it). Not eligible: the first date from which no blocked period applies, or null when one
 * of them has no end that can be known.
 */
function eligibleFrom(blocked: readonly Blocked[], asOf: string, eligible: boolean): string | null {
  if (eligible) {
    let start: string | null = null;
    for (const b of blocked)
      if (b.to !== null && b.to <= asOf && (start === null || b.to > start)) start = b.to;
    return start ?? asOf;
  }
  let on = asOf;
  for (;;) {
    let next = on;
    for (const b of blocked) {
      if (!covers(b, on)) continue;
      if (b.to === null) return null;
      next = laterDate(next, b.to);
    }
    if (next === on) return on;
    on = next;
  }
}
