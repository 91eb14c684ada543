import { createRequire } from 'node:module';
import type { Knex } from 'knex';

/**
 * The official holiday calendar from the `chinese-days` package (holidays and make-up workdays for the years
 * it carries, 2004 onwards). Idempotent: package rows are inserted or refreshed, and a day an administrator
 * has set (source 'admin') is never touched.
 */
interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

const require = createRequire(import.meta.url);

/** `"National Day,国庆节,3"` → `国庆节`. */
const chineseName = (value: string): string => value.split(',')[1] ?? value;

export function packageCalendarDays(): Array<{ day: string; kind: 'holiday' | 'workday'; name: string }> {
  const data = require('chinese-days/dist/chinese-days.json') as ChineseDaysData;
  return [
    ...Object.entries(data.holidays).map(([day, v]) => ({
      day,
      kind: 'holiday' as const,
      name: chineseName(v),
    })),
    ...Object.entries(data.workdays).map(([day, v]) => ({
      day,
      kind: 'workday' as const,
      name: chineseName(v),
    })),
  ].sort((a, b) => (a.day < b.day ? -1 : 1));
}

export async function seedCalendar(knex: Knex): Promise<void> {
  const rows = packageCalendarDays().map((d) => ({ ...d, source: 'package' as const }));
  for (let i = 0; i < rows.length; i += 500) {
    await knex.raw(
      `INSERT INTO calendar_days (day, kind, name, source)
       SELECT d.day, d.kind, d.name, 'package'
         FROM jsonb_to_recordset(?::jsonb) AS d(day date, kind text, name text)
       ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name
         WHERE calendar_days.source = 'package'
           AND (calendar_days.kind, calendar_days.name) IS DISTINCT FROM (excluded.kind, excluded.name)`,
      [JSON.stringify(rows.slice(i, i + 500))],
    );
  }
}
