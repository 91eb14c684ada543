import type { Knex } from 'knex';
import type { Principal } from '../../auth/principal.js';
import { appendAudit } from '../../db/repositories/audit.js';
import * as calendarDays from '../../db/repositories/calendar.js';
import { claimKey, recordResult } from '../../db/repositories/idempotency.js';
import type { Clock } from '../../domain/clock.js';
import { addDays } from '../../domain/dates.js';
import {
  addWorkingDays,
  calendarOf,
  type DayKind,
  isWorkingDay,
  type OfficialCalendar,
  periodEnd,
  type WorkingDayAnswer,
} from '../../domain/workingDays.js';
import { NotFoundError } from '../../errors.js';
import type { RequestContext } from '../access.js';
import { refuse, type WriteResult, writeTransaction } from '../establishment/results.js';

export interface CalendarDayInput {
  day: string;
  kind: DayKind;
  name: string;
  docNo: string;
  formKey: string;
}

const isAdmin = (p: Principal) => p.grants.some((g) => g.role === 'admin');

/** Working days a search may need beyond n (the longest run of days off plus weekends). */
const margin = (n: number) => Math.abs(n) * 3 + 40;

/**
 * The official working-day calendar: the pure rules of `domain/workingDays.ts` over the days stored in
 * `calendar_days`. Every function takes an optional knex handle so a caller inside a transaction passes its
 * `trx` (on PGlite a query on the root handle inside a transaction would wait for the only connection).
 */
export function createCalendarService(deps: { knex: Knex; clock: Clock }) {
  const { knex, clock } = deps;

  /** The calendar for the days in [from, to] (days outside it follow the weekday rule). */
  async function calendarFor(from: string, to: string, db: Knex = knex): Promise<OfficialCalendar> {
    const [days, years] = await Promise.all([
      calendarDays.daysBetween(db, from, to),
      calendarDays.knownYears(db),
    ]);
    return calendarOf(days, years);
  }

  const workingDays = {
    calendarFor,
    /** The date n working days after `from` (`from` not counted); provisional beyond the known years. */
    async addWorkingDays(from: string, n: number, db: Knex = knex): Promise<WorkingDayAnswer> {
      const lo = n < 0 ? addDays(from, -margin(n)) : from;
      const hi = n < 0 ? from : addDays(from, margin(n));
      return addWorkingDays(await calendarFor(lo, hi, db), from, n);
    },
    /** The last day of a period of n working days beginning on `start` (任前公示: n = 5). */
    async periodEnd(start: string, n: number, db: Knex = knex): Promise<WorkingDayAnswer> {
      return periodEnd(await calendarFor(start, addDays(start, margin(n)), db), start, n);
    },
    async isWorkingDay(day: string, db: Knex = knex): Promise<boolean> {
      return isWorkingDay(await calendarFor(day, day, db), day);
    },
  };

  return {
    workingDays,

    /** The calendar's pages and writes are the administrator's; anyone else: 404. */
    assertAdmin(principal: Principal): void {
      if (!isAdmin(principal)) throw new NotFoundError('page');
    },

    /** One year's recorded days for the administrator's page (others: 404). */
    async year(principal: Principal, year: number) {
      if (!isAdmin(principal)) throw new NotFoundError('page');
      const [days, years] = await Promise.all([
        calendarDays.daysBetween(knex, `${year}-01-01`, `${year}-12-31`),
        calendarDays.knownYears(knex),
      ]);
      return { year, days, knownYears: years, today: clock.today() };
    },

    async day(principal: Principal, day: string) {
      if (!isAdmin(principal)) throw new NotFoundError('page');
      const [row] = await calendarDays.daysBetween(knex, day, day);
      return row ?? null;
    },

    /** Adds or overrides one day (administrator): one transaction, one audit entry with before and after. */
    async setDay(ctx: RequestContext, input: CalendarDayInput): Promise<WriteResult<{ day: string }>> {
      if (!isAdmin(ctx.principal)) throw new NotFoundError('page');
      return writeTransaction(knex, async (trx) => {
        const earlier = await claimKey(trx, input.formKey, ctx.principal.userId, 'calendar_day');
        if (earlier) return { ok: true, value: earlier.result as { day: string }, replayed: true };
        const before = await calendarDays.lockDay(trx, input.day);
        if (
          before &&
          before.kind === input.kind &&
          before.name === input.name &&
          before.docNo === input.docNo
        )
          return refuse('kind', 'calendar_unchanged');
        await calendarDays.saveDay(trx, { ...input, userId: ctx.principal.userId });
        await appendAudit(trx, ctx.actor, {
          action: 'calendar.day_set',
          entityType: 'calendar_day',
          entityId: input.day,
          before: before
            ? { kind: before.kind, name: before.name, source: before.source, docNo: before.docNo }
            : null,
          after: { kind: input.kind, name: input.name, source: 'admin', docNo: input.docNo },
        });
        const value = { day: input.day };
        await recordResult(trx, input.formKey, value);
        return { ok: true, value };
      });
    },
  };
}

export type CalendarService = ReturnType<typeof createCalendarService>;
