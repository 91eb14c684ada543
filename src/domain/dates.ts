/** Date arithmetic on 'YYYY-MM-DD' strings (calendar dates, no time zone) and cadre-style display. */

export type Locale = 'zh-CN' | 'en';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parts(iso: string): [number, number, number] {
  const m = ISO_DATE.exec(iso);
  if (!m) throw new RangeError(`not an ISO date: ${iso}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** `2019.07` as cadres write it; `2019-07` in English. */
export function formatMonth(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return '';
  const [y, m] = parts(iso);
  const mm = String(m).padStart(2, '0');
  return locale === 'zh-CN' ? `${y}.${mm}` : `${y}-${mm}`;
}

/** `2019.07.15` in Chinese; ISO in English. */
export function formatDate(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return '';
  const [y, m, d] = parts(iso);
  const mm = String(m).padStart(2, '0');
  const dd = String(d).padStart(2, '0');
  return locale === 'zh-CN' ? `${y}.${mm}.${dd}` : `${y}-${mm}-${dd}`;
}

/** Whole years between a birth date and a date (the appointment form's age). */
export function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = parts(birthDate);
  const [y, m, d] = parts(on);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export function addMonths(iso: string, months: number): string {
  const [y, m, d] = parts(iso);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${ny}-${String(nm).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

export function addDays(iso: string, days: number): string {
  const [y, m, d] = parts(iso);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Is `on` inside the half-open period [from, to)? `to` null = open-ended. */
export function inPeriod(on: string, from: string, to: string | null): boolean {
  return from <= on && (to === null || on < to);
}

/**
 * Months counted from year 0 (`2019-07-15` → 2019 × 12 + 6): tenure is counted in whole months from the
 * month of appointment, so month arithmetic works on this index.
 */
export function monthIndex(iso: string): number {
  // Hot path of the eligibility engine: digits read as char codes when the date is well-formed.
  if (iso.length === 10 && iso.charCodeAt(4) === 45) {
    const y0 = iso.charCodeAt(0) - 48;
    const y1 = iso.charCodeAt(1) - 48;
    const y2 = iso.charCodeAt(2) - 48;
    const y3 = iso.charCodeAt(3) - 48;
    const m0 = iso.charCodeAt(5) - 48;
    const m1 = iso.charCodeAt(6) - 48;
    if (
      y0 >= 0 &&
      y0 <= 9 &&
      y1 >= 0 &&
      y1 <= 9 &&
      y2 >= 0 &&
      y2 <= 9 &&
      y3 >= 0 &&
      y3 <= 9 &&
      m0 >= 0 &&
      m0 <= 9 &&
      m1 >= 0 &&
      m1 <= 9
    ) {
      const m = m0 * 10 + m1;
      if (m >= 1 && m <= 12) return (y0 * 1000 + y1 * 100 + y2 * 10 + y3) * 12 + (m - 1);
    }
  }
  return monthIndexSlow(iso);
}

/** monthIndex for anything but 'YYYY-MM-DD' with plain digits: the same answer, or the same refusal. */
function monthIndexSlow(iso: string): number {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  if (iso.length !== 10 || iso[4] !== '-' || !(m >= 1 && m <= 12) || !Number.isInteger(y))
    throw new RangeError(`not an ISO date: ${iso}`);
  return y * 12 + (m - 1);
}

/** The first day of a month index (`monthStart(monthIndex('2019-07-15'))` = `2019-07-01`). */
export function monthStart(index: number): string {
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-01`;
}

/** 1 January of a year as an ISO date. */
export function yearStart(year: number): string {
  return `${String(year).padStart(4, '0')}-01-01`;
}

/** The later of two ISO dates. */
export function laterDate(a: string, b: string): string {
  return a >= b ? a : b;
}

/** Orders ISO dates (and other plain codes) by code unit: a sort comparator without locale rules. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The earlier of two ISO dates. */
export function earlierDate(a: string, b: string): string {
  return a <= b ? a : b;
}
