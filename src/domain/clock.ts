/** The service's notion of "today": a calendar date in China Standard Time, injectable for tests. */
export interface Clock {
  /** 'YYYY-MM-DD' */
  today(): string;
  now(): Date;
}

/** China Standard Time is UTC+8 all year (no daylight saving since 1991): the date there is the UTC date 8 h on. */
const CST_OFFSET_MS = 8 * 3_600_000;

export const systemClock: Clock = {
  // Arithmetic instead of Intl.DateTimeFormat: "today" is asked several times on every request.
  today: () => new Date(Date.now() + CST_OFFSET_MS).toISOString().slice(0, 10),
  now: () => new Date(),
};

export function fixedClock(today: string): Clock {
  return { today: () => today, now: () => new Date(`${today}T09:00:00+08:00`) };
}
