// chinese-days is CommonJS: Node's ESM loader gives only its default export (a named import crashes `npm start`).
import chineseDays from 'chinese-days';
import type { Knex } from 'knex';
import { publicityEnd } from '../../domain/rankPromotion.js';

/**
 * Working days for publicity ends. The composition root (src/container.ts) passes the official calendar kept
 * in the database (src/services/calendar); `packageWorkingDays` reads the `chinese-days` package directly and
 * serves unit tests that have no database.
 */
export interface WorkingDays {
  /** The last day of a publicity of `days` working days starting on `start` (db: the caller's transaction). */
  publicityEnd(start: string, days: number, db?: Knex): Promise<string>;
}

export const packageWorkingDays: WorkingDays = {
  publicityEnd: async (start, days) => publicityEnd(start, days, (d) => chineseDays.isWorkday(d)),
};
