/**
 * Dates as cadres type them: `2019.07`, `2019-07`, `2019年7月`, `2019.07.15`, `2019-07-15`, `20190715`.
 * A month stands for its first day; the precision is kept so a month field is shown as a month again.
 */

import { isValidDate } from './idNumber.js';

export type DatePrecision = 'month' | 'day';

export interface ParsedDateInput {
  iso: string;
  precision: DatePrecision;
}

const SEPARATED = /^(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*(?:[.\-/月]\s*(?:(\d{1,2})\s*日?)?)?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})?$/;

export function parseDateInput(raw: string): ParsedDateInput | null {
  const value = raw.trim();
  const m = SEPARATED.exec(value) ?? COMPACT.exec(value);
  if (!m) return null;
  const year = m[1] as string;
  const month = (m[2] as string).padStart(2, '0');
  const day = m[3] ? m[3].padStart(2, '0') : null;
  const iso = `${year}-${month}-${day ?? '01'}`;
  if (!isValidDate(iso) || iso < '1900-01-01' || iso > '2100-12-31') return null;
  return { iso, precision: day ? 'day' : 'month' };
}

/** The value to put back into a month field: `2019-07` (the form shows what the user can type again). */
export function monthInputValue(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 7) : '';
}
