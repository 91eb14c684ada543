import { addDays, parts } from './dates.js';

/**
 * Working days on the official calendar (pure). A day is a working day when the calendar says so (a make-up
 * workday 调休上班 on a weekend), is not a holiday, and otherwise when it is Monday to Friday. The calendar is
 * a lookup of the days that depart from the weekday rule plus the years whose schedule is known; beyond them
 * the weekday rule still answers, but the answer is marked provisional (the State Council publishes each
 * year's schedule late in the year before).
 */

export type DayKind = 'holiday' | 'workday' | 'ordinary';

export interface OfficialCalendar {
  /** The kind recorded for a day ('YYYY-MM-DD'), if any. */
  kindOf(day: string): DayKind | undefined;
  /** Years whose official schedule is recorded. */
  knownYears: ReadonlySet<number>;
}

export interface WorkingDayAnswer {
  /** The date found. */
  date: string;
  /** True when a day counted lies in a year without a recorded schedule. */
  provisional: boolean;
}

/** Builds a calendar from recorded days; the years with a record are the known years. */
export function calendarOf(
  days: Iterable<{ day: string; kind: DayKind }>,
  knownYears?: Iterable<number>,
): OfficialCalendar {
  const map = new Map<string, DayKind>();
  const years = new Set<number>(knownYears ?? []);
  for (const d of days) {
    map.set(d.day, d.kind);
    if (!knownYears) years.add(Number(d.day.slice(0, 4)));
  }
  return { kindOf: (day) => map.get(day), knownYears: years };
}

/** Saturday or Sunday (the date is a calendar date, no time zone). */
export function isWeekend(day: string): boolean {
  const [y, m, d] = parts(day);
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return weekday === 0 || weekday === 6;
}

export function isWorkingDay(calendar: OfficialCalendar, day: string): boolean {
  const kind = calendar.kindOf(day);
  if (kind === 'holiday') return false;
  if (kind === 'workday') return true;
  return !isWeekend(day);
}

/** The longest stretch searched (a year has far fewer than 60 consecutive days off). */
const MAX_SEARCH_DAYS = 3660;

/**
 * The date `n` working days after `from` (`from` itself not counted): `addWorkingDays(c, Friday, 1)` is the
 * next working Monday. `n = 0` answers `from`. Negative `n` counts backwards.
 */
export function addWorkingDays(calendar: OfficialCalendar, from: string, n: number): WorkingDayAnswer {
  if (!Number.isInteger(n)) throw new RangeError(`not a whole number of days: ${n}`);
  const step = n < 0 ? -1 : 1;
  let left = Math.abs(n);
  let day = from;
  let provisional = false;
  let searched = 0;
  while (left > 0) {
    day = addDays(day, step);
    if (++searched > MAX_SEARCH_DAYS + Math.abs(n)) throw new RangeError('no working day found');
    if (!calendar.knownYears.has(Number(day.slice(0, 4)))) provisional = true;
    if (isWorkingDay(calendar, day)) left -= 1;
  }
  return { date: day, provisional };
}

/**
 * The last day of a period of `n` working days that begins on `start` (counted when it is a working day):
 * a 任前公示 of 5 working days starting Monday 2026-11-16 ends Friday 2026-11-20.
 */
export function periodEnd(calendar: OfficialCalendar, start: string, n: number): WorkingDayAnswer {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`a period needs at least one day: ${n}`);
  return addWorkingDays(calendar, addDays(start, -1), n);
}

/** Working days in [from, to] (both included). */
export function workingDaysBetween(calendar: OfficialCalendar, from: string, to: string): number {
  let count = 0;
  for (let day = from; day <= to; day = addDays(day, 1)) if (isWorkingDay(calendar, day)) count += 1;
  return count;
}
