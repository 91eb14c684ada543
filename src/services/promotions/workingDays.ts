// chinese-days is CommonJS: Node's ESM loader gives only its default export (a named import crashes `npm start`).
import chineseDays from 'chinese-days';

/**
 * Working days for publicity ends until the official calendar service (src/services/calendar, the promotion
 * cases branch) is wired in: the `chinese-days` package's holidays and make-up workdays. The service takes
 * this as a dependency, so the composition root swaps in the database-backed calendar without other changes.
 */
export interface WorkingDays {
  /** The last day of a publicity of `days` working days starting on `start`. */
  publicityEnd(start: string, days: number): Promise<string>;
}

import { publicityEnd } from '../../domain/rankPromotion.js';

export const packageWorkingDays: WorkingDays = {
  publicityEnd: async (start, days) => publicityEnd(start, days, (d) => chineseDays.isWorkday(d)),
};
