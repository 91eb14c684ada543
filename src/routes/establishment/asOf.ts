import type { Request } from 'express';
import { isValidDate } from '../../domain/idNumber.js';
import { type FieldError, fieldError } from '../forms.js';

/** The `asOf` query parameter (a date), today by default; a bad value is reported on the page's date form. */
export function asOfFrom(req: Request, today: string): { asOf: string; value: string; errors: FieldError[] } {
  const raw = req.query.asOf;
  if (raw === undefined || raw === '') return { asOf: today, value: '', errors: [] };
  if (typeof raw === 'string' && isValidDate(raw.trim()))
    return { asOf: raw.trim(), value: raw.trim(), errors: [] };
  return {
    asOf: today,
    value: typeof raw === 'string' ? raw.slice(0, 20) : '',
    errors: [fieldError(req, 'asOf', 'forms.errors.dateInvalid')],
  };
}
