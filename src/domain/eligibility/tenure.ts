import { compareText, monthIndex, monthStart } from '../dates.js';
import type { AssessmentRecord, AssessmentResult, GradeSpell } from './types.js';

/**
 * Tenure counting (domain guide section 8, "Counting tenure"). Everything here works on month indexes
 * (see dates.monthIndex): tenure counts in whole months from the month of appointment, 12 months = 1 year.
 *
 * - A period [validFrom, validTo) in a counted grade covers the months [month(validFrom), month(validTo)):
 *   the month of appointment counts in full, the month one leaves it for the next appointment does not
 *   (it is the next appointment's first month). A period in force on the date is taken as going on
 *   ("if nothing changes").
 * - The law's "或者": time in any counted grade counts, as the union of the periods, so months spent on two
 *   ladders at once (四级主任科员 and 乡科级副职) count once.
 * - 不称职/不合格: counting restarts after that year (the months up to its end are dropped), whether or not
 *   the demotion that follows is recorded yet.
 * - 基本称职/基本合格/不定等次: the months of that year don't count (the window stretches by a year).
 * - 优秀: each year shortens the requirement by 6 months, but never earlier than the calendar allows:
 *   (1) a year's result exists only once the year is over, so its 6 months are credited from 1 January of
 *       the next year, never before; a 优秀 year can't bring the date back into or before itself;
 *   (2) a year shortens the requirement by at most the months it contributed to the count: 6 months if at
 *       least 6 of its months were counted, fewer if the person held a counted grade for only part of it
 *       (a 优秀 earned mostly in the previous grade can't buy more time than was served in this one).
 *   So two 优秀 years in a 24-month requirement usually help only once: the second is credited from the
 *   January after it, by which time the months alone have reached the minimum.
 * - Years without a recorded result (the current year, a year not yet entered) count as 称职.
 */

export const EXCELLENT_CREDIT_MONTHS = 6;

const NOT_COUNTED: ReadonlySet<AssessmentResult> = new Set([
  'basically_competent',
  'basically_qualified',
  'ungraded',
]);
const RESTARTS: ReadonlySet<AssessmentResult> = new Set(['incompetent', 'unqualified']);

/**
 * How a year's result enters the tenure count: 优秀 counts and shortens the requirement, 称职/合格 counts,
 * 基本称职/基本合格/不定等次 is not counted, 不称职/不合格 restarts the count.
 */
export type AssessmentEffect = 'counts_excellent' | 'counts' | 'not_counted' | 'restarts';

export function assessmentEffect(result: AssessmentResult): AssessmentEffect {
  if (RESTARTS.has(result)) return 'restarts';
  if (NOT_COUNTED.has(result)) return 'not_counted';
  return result === 'excellent' ? 'counts_excellent' : 'counts';
}

interface MonthRange {
  from: number;
  /** Exclusive; Infinity = open-ended. */
  to: number;
}

export interface TenureCount {
  /** Counted months as disjoint sorted ranges, after the restart and the years not counted. */
  ranges: MonthRange[];
  /** 优秀 credits: `months` credited from month index `at`. */
  credits: Array<{ year: number; months: number; at: number }>;
  notCounted: Array<{ year: number; result: AssessmentResult }>;
  restarted: { year: number; result: AssessmentResult; from: string } | null;
  /** Past years inside the counted window with no result recorded (counted as 称职). */
  missingYears: number[];
}

/**
 * The spells as of the date: those started by then (a future-dated decision is not in force yet), with a
 * continuation merged into the spell it continues (the same grade on the same ladder from the day the
 * previous row ends, e.g. the 2019 conversion row after a legacy title), so the appointment date and its
 * probation stay those of the original appointment.
 */
export function spellsAsOf(grades: readonly GradeSpell[], asOf: string): GradeSpell[] {
  const sorted = grades
    .filter((g) => g.validFrom <= asOf)
    .sort((a, b) => compareText(a.ladder, b.ladder) || compareText(a.validFrom, b.validFrom));
  const out: GradeSpell[] = [];
  for (const g of sorted) {
    const last = out.at(-1);
    if (last && last.ladder === g.ladder && last.gradeCode === g.gradeCode && last.validTo === g.validFrom) {
      out[out.length - 1] = {
        ...last,
        validTo: g.validTo,
        probationUntil: last.probationUntil ?? g.probationUntil,
        legacyTitle: last.legacyTitle ?? g.legacyTitle,
      };
    } else out.push({ ...g });
  }
  return out;
}

export function isInForce(g: GradeSpell, asOf: string): boolean {
  return g.validFrom <= asOf && (g.validTo === null || g.validTo > asOf);
}

function union(ranges: MonthRange[]): MonthRange[] {
  const sorted = ranges.filter((r) => r.to > r.from).sort((a, b) => a.from - b.from);
  const out: MonthRange[] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r.from <= last.to) last.to = Math.max(last.to, r.to);
    else out.push({ ...r });
  }
  return out;
}

/** Removes [from, to) from the ranges; returns the new ranges and how many months were removed. */
function subtract(ranges: MonthRange[], from: number, to: number): { ranges: MonthRange[]; removed: number } {
  const out: MonthRange[] = [];
  let removed = 0;
  for (const r of ranges) {
    if (r.to <= from || r.from >= to) {
      out.push(r);
      continue;
    }
    removed += Math.min(r.to, to) - Math.max(r.from, from);
    if (r.from < from) out.push({ from: r.from, to: from });
    if (r.to > to) out.push({ from: to, to: r.to });
  }
  return { ranges: out, removed };
}

function overlap(ranges: readonly MonthRange[], from: number, to: number): number {
  let n = 0;
  for (const r of ranges) n += Math.max(0, Math.min(r.to, to) - Math.max(r.from, from));
  return n;
}

/** A person's assessments, sorted and classified once for every target. */
export interface AssessmentIndex {
  byYear: readonly AssessmentRecord[];
  /** The latest 不称职/不合格 year. */
  lastRestart: AssessmentRecord | undefined;
  notCounted: readonly AssessmentRecord[];
  excellentYears: readonly number[];
  recorded: ReadonlySet<number>;
}

export function indexAssessments(assessments: readonly AssessmentRecord[]): AssessmentIndex {
  const byYear = [...assessments].sort((a, b) => a.year - b.year);
  return {
    byYear,
    lastRestart: byYear.filter((a) => RESTARTS.has(a.result)).at(-1),
    notCounted: byYear.filter((a) => NOT_COUNTED.has(a.result)),
    excellentYears: byYear.filter((a) => a.result === 'excellent').map((a) => a.year),
    recorded: new Set(byYear.map((a) => a.year)),
  };
}

/** Counts the months in the counted grades as of a date, with the assessment rules applied. */
export function countTenure(
  spells: readonly GradeSpell[],
  assessments: AssessmentIndex,
  counted: ReadonlySet<string>,
  asOf: string,
): TenureCount {
  const ranges0: MonthRange[] = [];
  for (const g of spells) {
    if (!counted.has(g.gradeCode) || g.validFrom > asOf) continue;
    ranges0.push({
      from: monthIndex(g.validFrom),
      to: g.validTo === null || g.validTo > asOf ? Number.POSITIVE_INFINITY : monthIndex(g.validTo),
    });
  }
  let ranges = union(ranges0);

  let restarted: TenureCount['restarted'] = null;
  const lastRestart = assessments.lastRestart;
  if (lastRestart && ranges.length > 0) {
    const cut = subtract(ranges, Number.NEGATIVE_INFINITY, (lastRestart.year + 1) * 12);
    if (cut.removed > 0) {
      ranges = cut.ranges;
      restarted = {
        year: lastRestart.year,
        result: lastRestart.result,
        from: monthStart(ranges[0]?.from ?? (lastRestart.year + 1) * 12),
      };
    }
  }

  const notCounted: TenureCount['notCounted'] = [];
  for (const a of assessments.notCounted) {
    const cut = subtract(ranges, a.year * 12, (a.year + 1) * 12);
    if (cut.removed > 0) {
      ranges = cut.ranges;
      notCounted.push({ year: a.year, result: a.result });
    }
  }

  const credits: TenureCount['credits'] = [];
  for (const year of assessments.excellentYears) {
    const months = Math.min(EXCELLENT_CREDIT_MONTHS, overlap(ranges, year * 12, (year + 1) * 12));
    if (months > 0) credits.push({ year, months, at: (year + 1) * 12 });
  }

  const missingYears: number[] = [];
  const firstRecorded = assessments.byYear[0]?.year;
  if (firstRecorded !== undefined && ranges.length > 0) {
    const lastPast = Number(asOf.slice(0, 4)) - 1;
    for (let y = firstRecorded; y <= lastPast; y++) {
      if (!assessments.recorded.has(y) && overlap(ranges, y * 12, (y + 1) * 12) > 0) missingYears.push(y);
    }
  }

  return { ranges, credits, notCounted, restarted, missingYears };
}

/** Months counted before a month (the month itself not included) and the 优秀 months credited by then. */
export function tenureAt(count: TenureCount, month: number): { months: number; credit: number } {
  let months = 0;
  for (const r of count.ranges) if (r.from < month) months += Math.min(r.to, month) - r.from;
  let credit = 0;
  for (const c of count.credits) if (c.at <= month) credit += c.months;
  return { months, credit };
}

/**
 * The first month from which months + credits reach the requirement, or null if they never do without a
 * change (no counted grade held now). Both only grow with time, so the months that meet it are all the
 * months from this one on. One pass over the ranges and the credits (sorted by month).
 */
export function tenureMetFrom(count: TenureCount, required: number): number | null {
  const { ranges, credits } = count;
  if (ranges.length === 0) return null;
  let months = 0;
  let credit = 0;
  let ci = 0;
  for (const r of ranges) {
    // Credits that arrive between two counted periods.
    while (ci < credits.length && credits[ci]!.at <= r.from) {
      credit += credits[ci]!.months;
      if (months + credit >= required) return Math.max(credits[ci]!.at, ranges[0]!.from);
      ci++;
    }
    let pos = r.from;
    if (months + credit >= required) return pos;
    for (;;) {
      const nextCredit = ci < credits.length ? credits[ci]!.at : Number.POSITIVE_INFINITY;
      const end = Math.min(r.to, nextCredit);
      const need = required - months - credit;
      if (pos + need <= end) return pos + need;
      months += end - pos;
      pos = end;
      if (end === r.to) break;
      while (ci < credits.length && credits[ci]!.at === pos) credit += credits[ci++]!.months;
      if (months + credit >= required) return pos;
    }
  }
  // Credits after the last period ended.
  for (; ci < credits.length; ci++) {
    credit += credits[ci]!.months;
    if (months + credit >= required) return credits[ci]!.at;
  }
  return null;
}
