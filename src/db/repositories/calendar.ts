import type { Knex } from 'knex';
import type { CalendarDayKind } from '../tables.js';

export interface CalendarDay {
  day: string;
  kind: CalendarDayKind;
  name: string;
  source: 'package' | 'admin';
  docNo: string | null;
  updatedAt: Date;
}

const toDay = (r: {
  day: string;
  kind: CalendarDayKind;
  name: string;
  source: 'package' | 'admin';
  doc_no: string | null;
  updated_at: Date;
}): CalendarDay => ({
  day: r.day,
  kind: r.kind,
  name: r.name,
  source: r.source,
  docNo: r.doc_no,
  updatedAt: r.updated_at,
});

/** The recorded days in [from, to], in order. */
export async function daysBetween(db: Knex, from: string, to: string): Promise<CalendarDay[]> {
  const rows = await db('calendar_days').whereBetween('day', [from, to]).orderBy('day');
  return rows.map(toDay);
}

/** Years with at least one recorded day: their official schedule is known. */
export async function knownYears(db: Knex): Promise<number[]> {
  const rows = await db.raw<{ rows: Array<{ year: number | string }> }>(
    `SELECT DISTINCT extract(year FROM day)::integer AS year FROM calendar_days ORDER BY 1`,
  );
  return rows.rows.map((r) => Number(r.year));
}

export async function lockDay(trx: Knex.Transaction, day: string): Promise<CalendarDay | null> {
  const row = await trx('calendar_days').where({ day }).forUpdate().first();
  return row ? toDay(row) : null;
}

export async function saveDay(
  trx: Knex.Transaction,
  input: { day: string; kind: CalendarDayKind; name: string; docNo: string; userId: number },
): Promise<void> {
  await trx('calendar_days')
    .insert({
      day: input.day,
      kind: input.kind,
      name: input.name,
      source: 'admin',
      doc_no: input.docNo,
      updated_by: input.userId,
      updated_at: trx.fn.now() as unknown as Date,
    })
    .onConflict('day')
    .merge();
}
