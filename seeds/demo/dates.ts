/** Calendar dates as ISO strings ('YYYY-MM-DD'), computed in UTC so no time zone can shift a day. */

import type { Rng } from './random.js';

const DAY_MS = 86_400_000;

export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return (
    d.getUTCFullYear() === Number(m[1]) &&
    d.getUTCMonth() === Number(m[2]) - 1 &&
    d.getUTCDate() === Number(m[3])
  );
}

function toMs(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
}

function fromMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function ymd(year: number, month: number, day: number): string {
  return fromMs(Date.UTC(year, month - 1, day));
}

export function yearOf(iso: string): number {
  return Number(iso.slice(0, 4));
}

export function monthOf(iso: string): number {
  return Number(iso.slice(5, 7));
}

export function addDays(iso: string, days: number): string {
  return fromMs(toMs(iso) + days * DAY_MS);
}

/** Adds calendar months, clamping the day to the end of a shorter month (01-31 + 1 month = 02-28). */
export function addMonths(iso: string, months: number): string {
  const y = yearOf(iso);
  const m = monthOf(iso) - 1 + months;
  const targetYear = y + Math.floor(m / 12);
  const targetMonth = ((m % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return fromMs(Date.UTC(targetYear, targetMonth, Math.min(Number(iso.slice(8, 10)), lastDay)));
}

export function addYears(iso: string, years: number): string {
  return addMonths(iso, years * 12);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((toMs(to) - toMs(from)) / DAY_MS);
}

/** Whole months from `from` to `to` (negative when `to` is earlier). */
export function monthsBetween(from: string, to: string): number {
  let months = (yearOf(to) - yearOf(from)) * 12 + (monthOf(to) - monthOf(from));
  if (months > 0 && to.slice(8) < from.slice(8)) months -= 1;
  if (months < 0 && to.slice(8) > from.slice(8)) months += 1;
  return months;
}

export function firstOfMonth(iso: string): string {
  return `${iso.slice(0, 7)}-01`;
}

export function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

export function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

/** A random day in [from, to), or `from` when the range is empty. */
export function randomDate(rng: Rng, from: string, to: string): string {
  const span = daysBetween(from, to);
  if (span <= 1) return from;
  return addDays(from, rng.int(0, span - 1));
}

/** Age in whole years on a date. */
export function ageOn(birth: string, on: string): number {
  let age = yearOf(on) - yearOf(birth);
  if (on.slice(5) < birth.slice(5)) age -= 1;
  return age;
}
