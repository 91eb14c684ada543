/** Dates as day numbers (days since 1970-01-01, UTC): arithmetic is integer, text is made once per day. */

const MS_PER_DAY = 86_400_000;
const cache = new Map<number, string>();

export function day(iso: string): number {
  return Math.round(Date.parse(`${iso}T00:00:00Z`) / MS_PER_DAY);
}

export function iso(d: number): string {
  let s = cache.get(d);
  if (s === undefined) {
    s = new Date(d * MS_PER_DAY).toISOString().slice(0, 10);
    cache.set(d, s);
  }
  return s;
}

export function isoOrNull(d: number | null): string | null {
  return d === null ? null : iso(d);
}

export const YEAR = 365;

export function yearOf(d: number): number {
  return Number(iso(d).slice(0, 4));
}

/** The day number of 1 January of a year. */
export function jan1(year: number): number {
  return day(`${year}-01-01`);
}

/** A timestamp in China Standard Time at 09:00 on a day, for created/decided-at columns. */
export function at9(d: number): string {
  return `${iso(d)} 09:00:00+08`;
}
