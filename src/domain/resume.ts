/**
 * The cadre-format resume (简历) of a person: free-text lines for the time before the record, then the
 * effective-dated history, one line per period, in months.
 *
 * Conventions (domain guide section 10; see docs/architecture.md "The resume"):
 * - A line reads `2019.07--2021.03  示范县城关镇党政综合办公室文秘（一级科员）`, two spaces between the period and
 *   the text; the current line is open-ended (`2023.09--`).
 * - **Months of half-open periods.** History periods are [valid_from, valid_to). A line starts in the month
 *   of valid_from and ends in the month of valid_to, the first day no longer served, which is the month the
 *   next period starts: so consecutive periods share the month (前一段的截止年月与后一段的起始年月相同), as
 *   cadres write them. A period still running on the resume's date (valid_to null or later) is open-ended;
 *   one starting after it is left out.
 * - **Main lines** are the primary assignments. The text is the body named as it was when the period
 *   began: county + township + unit (its name then) + post name. On a non-leadership post the grade held
 *   on the post's ladder (civil-service rank for civil-service posts, management level for management
 *   posts …) follows in full-width brackets, its pre-2019 title where one was kept (`（科员）`), and a
 *   grade change starts a new line, as cadres start one at a promotion. Leadership posts carry no grade
 *   (the post says the level) and a rank change during one does not split it.
 * - Adjacent lines with the same text and touching months are one line (a post renamed or succeeded).
 * - **Nested lines** `（其间：2016.09--2018.12 在示范大学法学专业在职学习）`: in-service study (with a start
 *   date), concurrent posts (兼任) and secondments (借调到…工作), each under the main line in force in the
 *   month it starts (the last line started by then when none is in force; the first line when it starts
 *   before all of them).
 * - **Free-text lines** (resume_lines) are shown as recorded: the months stored, the text as typed.
 * - **Warnings** compare months as shown: a gap when a line starts after the months covered so far end, an
 *   overlap when it starts before they end (an open-ended line followed by another overlaps everything
 *   after it). Gaps or overlaps of days inside one month don't show in a resume and are not reported.
 */
import { monthIndex, monthStart } from './dates.js';

export type ResumeLadder =
  | 'civil_service_rank'
  | 'leadership_level'
  | 'management_level'
  | 'professional'
  | 'skilled';

export interface ResumeAssignment {
  kind: 'primary' | 'concurrent' | 'secondment';
  validFrom: string;
  validTo: string | null;
  /** County and township as named then, e.g. 示范县城关镇. */
  place: string;
  /** The unit's name when the period began; null for township-level posts (leaders). */
  unitName: string | null;
  postName: string;
  leadership: boolean;
  /** The ladder whose grade follows the post's name (non-leadership posts); null: none. */
  gradeLadder: ResumeLadder | null;
}

export interface ResumeGrade {
  ladder: ResumeLadder;
  /** The title as the resume shows it: the pre-2019 title where one was kept, else the ladder's name. */
  title: string;
  validFrom: string;
  validTo: string | null;
}

export interface ResumeStudy {
  school: string;
  major: string;
  /** 'doctor' | 'master' | 'bachelor' | null */
  degree: string | null;
  startedOn: string;
  graduatedOn: string | null;
}

export interface ResumeFreeLine {
  id?: number;
  /** ISO date of the month's first day (any day of the month is read as its month). */
  fromMonth: string;
  toMonth: string | null;
  text: string;
}

export interface ResumeInput {
  /** The resume's date: later periods are left out, periods running then are open-ended. */
  asOf: string;
  freeLines: readonly ResumeFreeLine[];
  assignments: readonly ResumeAssignment[];
  grades: readonly ResumeGrade[];
  studies: readonly ResumeStudy[];
}

export type NestedKind = 'study' | 'concurrent' | 'secondment';

export interface NestedLine {
  kind: NestedKind;
  /** Month index (year × 12 + month − 1). */
  from: number;
  to: number | null;
  text: string;
}

export interface ResumeLine {
  from: number;
  to: number | null;
  text: string;
  source: 'free' | 'history';
  /** The free-text line's id (for its edit link). */
  freeLineId: number | null;
  nested: NestedLine[];
}

export interface ResumeWarning {
  kind: 'gap' | 'overlap';
  /** The months concerned: a gap from the end of one line to the start of the next; an overlap's span. */
  from: number;
  to: number | null;
  /** Length in months (null when an overlap runs open-ended). */
  months: number | null;
  /** 1-based numbers of the two lines concerned, in resume order. */
  lines: [number, number];
}

export interface Resume {
  lines: ResumeLine[];
  warnings: ResumeWarning[];
  /** The whole resume as plain text, one line per row, nested lines indented under the text. */
  text: string;
}

/** `2019.07` from a month index. */
export function cadreMonth(index: number): string {
  const y = Math.floor(index / 12);
  return `${y}.${String(index - y * 12 + 1).padStart(2, '0')}`;
}

/** `2019-07` (ISO month) from a month index, for JSON. */
export function isoMonth(index: number): string {
  return monthStart(index).slice(0, 7);
}

/** `2019.07--2021.03` or `2019.07--` (open-ended). */
export function cadrePeriod(from: number, to: number | null): string {
  return `${cadreMonth(from)}--${to === null ? '' : cadreMonth(to)}`;
}

/** Width of `2019.07--2021.03  `: nested lines are indented by it in the plain text. */
const INDENT = ' '.repeat(18);

export function lineText(line: { from: number; to: number | null; text: string }): string {
  return `${cadrePeriod(line.from, line.to)}  ${line.text}`;
}

export function nestedText(n: { from: number; to: number | null; text: string }): string {
  return `（其间：${cadrePeriod(n.from, n.to)} ${n.text}）`;
}

const DEGREES: Record<string, string> = { doctor: '博士', master: '硕士', bachelor: '学士' };

export function studyText(s: ResumeStudy, asOf: string): string {
  const major = s.major.trim();
  const subject = major === '' ? '' : major.endsWith('专业') ? major : `${major}专业`;
  const degree =
    s.degree && DEGREES[s.degree] && s.graduatedOn !== null && s.graduatedOn <= asOf
      ? `，获${DEGREES[s.degree]}学位`
      : '';
  return `在${s.school.trim()}${subject}在职学习${degree}`;
}

const bodyOf = (a: Pick<ResumeAssignment, 'place' | 'unitName' | 'postName'>) =>
  `${a.place}${a.unitName ?? ''}${a.postName}`;

/** A period's months as the resume shows them, or null when it starts after the resume's date. */
function monthsOf(from: string, to: string | null, asOf: string): { from: number; to: number | null } | null {
  if (from > asOf) return null;
  return { from: monthIndex(from), to: to === null || to > asOf ? null : monthIndex(to) };
}

/** The primary assignment split where the grade on its ladder changes, each piece with its grade title. */
function pieces(a: ResumeAssignment, grades: readonly ResumeGrade[], asOf: string) {
  const end = a.validTo !== null && a.validTo <= asOf ? a.validTo : null;
  const body = bodyOf(a);
  if (a.leadership || a.gradeLadder === null) return [{ from: a.validFrom, to: end, text: body }];
  const ladder = grades
    .filter((g) => g.ladder === a.gradeLadder && g.validFrom <= asOf)
    .sort((x, y) => (x.validFrom < y.validFrom ? -1 : x.validFrom > y.validFrom ? 1 : 0));
  const inForce = (on: string) =>
    [...ladder].reverse().find((g) => g.validFrom <= on && (g.validTo === null || g.validTo > on));
  const cuts = [
    a.validFrom,
    ...ladder.map((g) => g.validFrom).filter((d) => d > a.validFrom && (end === null || d < end)),
    ...ladder
      .map((g) => g.validTo)
      .filter((d): d is string => d !== null && d > a.validFrom && d <= asOf && (end === null || d < end)),
  ];
  const starts = [...new Set(cuts)].sort();
  const out: Array<{ from: string; to: string | null; text: string }> = [];
  starts.forEach((from, i) => {
    const to = starts[i + 1] ?? end;
    const grade = inForce(from);
    const text = grade ? `${body}（${grade.title}）` : body;
    const last = out.at(-1);
    if (last && last.text === text) last.to = to;
    else out.push({ from, to, text });
  });
  return out;
}

/**
 * Builds the resume from free-text lines and the history, as of a date. Pure: the same input always gives
 * the same lines, text and warnings.
 */
export function buildResume(input: ResumeInput): Resume {
  const { asOf } = input;
  const main: ResumeLine[] = [];
  for (const f of input.freeLines) {
    main.push({
      from: monthIndex(f.fromMonth),
      to: f.toMonth === null ? null : monthIndex(f.toMonth),
      text: f.text.trim(),
      source: 'free',
      freeLineId: f.id ?? null,
      nested: [],
    });
  }
  const history: ResumeLine[] = [];
  const primaries = input.assignments
    .filter((a) => a.kind === 'primary')
    .sort((x, y) => (x.validFrom < y.validFrom ? -1 : x.validFrom > y.validFrom ? 1 : 0));
  for (const a of primaries) {
    for (const p of pieces(a, input.grades, asOf)) {
      const m = monthsOf(p.from, p.to, asOf);
      if (!m) continue;
      const last = history.at(-1);
      if (last && last.text === p.text && last.to !== null && last.to === m.from) {
        last.to = m.to;
        continue;
      }
      history.push({ ...m, text: p.text, source: 'history', freeLineId: null, nested: [] });
    }
  }
  main.push(...history);
  main.sort((x, y) => x.from - y.from || rank(x) - rank(y) || end(x) - end(y));

  const nested: NestedLine[] = [];
  for (const s of input.studies) {
    const m = monthsOf(s.startedOn, s.graduatedOn, asOf);
    if (m) nested.push({ kind: 'study', ...m, text: studyText(s, asOf) });
  }
  for (const a of input.assignments) {
    if (a.kind === 'primary') continue;
    const m = monthsOf(a.validFrom, a.validTo, asOf);
    if (!m) continue;
    const text = a.kind === 'concurrent' ? `兼任${bodyOf(a)}` : `借调到${bodyOf(a)}工作`;
    nested.push({ kind: a.kind, ...m, text });
  }
  nested.sort((x, y) => x.from - y.from || end(x) - end(y));
  for (const n of nested) {
    if (main.length === 0) {
      main.push({ from: n.from, to: n.to, text: n.text, source: 'history', freeLineId: null, nested: [] });
      continue;
    }
    const started = main.filter((l) => l.from <= n.from);
    const running = started.filter((l) => l.to === null || l.to > n.from);
    const host = running.at(-1) ?? started.at(-1) ?? main[0]!;
    host.nested.push(n);
  }

  const warnings = warningsOf(main);
  const text = main
    .flatMap((l) => [lineText(l), ...l.nested.map((n) => `${INDENT}${nestedText(n)}`)])
    .join('\n');
  return { lines: main, warnings, text };
}

const rank = (l: ResumeLine) => (l.source === 'free' ? 0 : 1);
const end = (l: { to: number | null }) => (l.to === null ? Number.MAX_SAFE_INTEGER : l.to);

/** Gaps and overlaps between the lines in order, against the months covered so far. */
export function warningsOf(lines: readonly Pick<ResumeLine, 'from' | 'to'>[]): ResumeWarning[] {
  const warnings: ResumeWarning[] = [];
  let reach: { to: number | null; line: number } | null = null;
  lines.forEach((l, i) => {
    if (reach !== null) {
      const coveredTo = reach.to;
      if (coveredTo === null || l.from < coveredTo) {
        const to = coveredTo === null ? l.to : l.to === null ? coveredTo : Math.min(coveredTo, l.to);
        warnings.push({
          kind: 'overlap',
          from: l.from,
          to,
          months: to === null ? null : Math.max(to - l.from, 0),
          lines: [reach.line + 1, i + 1],
        });
      } else if (l.from > coveredTo) {
        warnings.push({
          kind: 'gap',
          from: coveredTo,
          to: l.from,
          months: l.from - coveredTo,
          lines: [reach.line + 1, i + 1],
        });
      }
    }
    if (reach === null || reach.to !== null) {
      if (reach === null || l.to === null || l.to > (reach.to as number)) reach = { to: l.to, line: i };
    }
  });
  return warnings;
}
