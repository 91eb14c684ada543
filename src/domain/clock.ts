/** The service's notion of "today": a calendar date in China Standard Time, injectable for tests. */
export interface Clock {
  /** 'YYYY-MM-DD' */
  today(): string;
  now(): Date;
}

const formatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

export const systemClock: Clock = {
  today: () => formatter.format(new Date()),
  now: () => new Date(),
};

export function fixedClock(today: string): Clock {
  return { today: () => today, now: () => new Date(`${today}T09:00:00+08:00`) };
}
