import type { Request } from 'express';
import { isValidDate } from '../../domain/idNumber.js';
import { type FieldError, fieldError, idParam } from '../forms.js';

/** The report filters as the user typed them (put back into the form). */
export interface FilterValues {
  county: string;
  township: string;
  asOf: string;
  from: string;
  to: string;
}

export interface ParsedFilters {
  county: number | null;
  township: number | null;
  asOf: string;
  from: string;
  to: string;
  /** As typed, for the form. */
  values: FilterValues;
  /** Only the valid ones, for links (Excel, print, drill-downs). */
  clean: FilterValues;
  errors: FieldError[];
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim().slice(0, 20) : '');

/**
 * The filters of a report page from its query: `county`, `township` (ids), `asOf` (a date, today by default),
 * and for the changes report `from` and `to` (1 January of this year and today by default). A bad value is
 * reported beside its field and the default used, so the page still answers.
 */
export function parseFilters(req: Request, today: string): ParsedFilters {
  const values: FilterValues = {
    county: text(req.query.county),
    township: text(req.query.township),
    asOf: text(req.query.asOf),
    from: text(req.query.from),
    to: text(req.query.to),
  };
  const errors: FieldError[] = [];
  const id = (field: 'county' | 'township'): number | null => {
    if (values[field] === '') return null;
    const n = idParam(values[field]);
    if (n === null) errors.push(fieldError(req, field, `reports.errors.${field}`));
    return n;
  };
  const date = (field: 'asOf' | 'from' | 'to', fallback: string): string => {
    if (values[field] === '') return fallback;
    if (isValidDate(values[field])) return values[field];
    errors.push(fieldError(req, field, 'forms.errors.dateInvalid'));
    return fallback;
  };
  const county = id('county');
  const township = id('township');
  const asOf = date('asOf', today);
  let from = date('from', `${today.slice(0, 4)}-01-01`);
  const to = date('to', today);
  if (from > to && !errors.some((e) => e.field === 'from' || e.field === 'to')) {
    errors.push(fieldError(req, 'from', 'reports.errors.periodOrder'));
    from = to;
  }
  const bad = new Set(errors.map((e) => e.field));
  const clean = Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, bad.has(k) || (k === 'to' && bad.has('from')) ? '' : v]),
  ) as unknown as FilterValues;
  return { county, township, asOf, from, to, values, clean, errors };
}

/** The query string that reproduces the filters (for links, Excel and drill-downs); empty values left out. */
export function filterQuery(values: Partial<FilterValues>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...values, ...extra })) if (v) params.set(k, v);
  return params.toString();
}
