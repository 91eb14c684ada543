/**
 * Pure rules of the person record (domain guide section 6): the ID number against the birth date and
 * gender typed on the form, quota entry, effective-dated history states, assessment results per
 * establishment type and sanction impact periods. Values in, verdicts with a field and a message key out.
 */

import type { DatePrecision } from './dateInput.js';
import { addMonths, inPeriod } from './dates.js';
import type { ParsedIdNumber } from './idNumber.js';
import { assessUsage, checkPlacementType, type EstablishmentType, type Usage } from './quota.js';

export interface Problem {
  field: string;
  /** An i18n key under people.errors. */
  key: string;
  vars?: Record<string, string | number>;
  /** A person the message is about (who already holds an ID number), when the reader may see them. */
  person?: { id: number; name: string };
}

/** The birth date (month or day precision) and gender on the form must be those the ID number encodes. */
export function checkIdAgreement(
  id: ParsedIdNumber,
  birth: { iso: string; precision: DatePrecision } | null,
  gender: 'male' | 'female' | null,
): Problem[] {
  const problems: Problem[] = [];
  if (birth) {
    const agrees =
      birth.precision === 'month'
        ? birth.iso.slice(0, 7) === id.birthDate.slice(0, 7)
        : birth.iso === id.birthDate;
    if (!agrees) problems.push({ field: 'birthDate', key: 'birthMismatch', vars: { date: id.birthDate } });
  }
  if (gender && gender !== id.gender) problems.push({ field: 'gender', key: 'genderMismatch' });
  return problems;
}

export type EntryVerdict =
  | { ok: true }
  | { ok: false; key: 'noVacancy'; approved: number; occupied: number; reserved: number };

/**
 * Q2: a person may take a slot only while occupied + reserved < approved on the date (超编只出不进,
 * 满编先出后进). The caller counts under a lock on the quota account.
 */
export function entryVerdict(usage: Usage): EntryVerdict {
  const assessed = assessUsage(usage);
  if (assessed.vacant > 0) return { ok: true };
  return { ok: false, key: 'noVacancy', ...usage };
}

/**
 * Q3 (不得混编混岗): a post takes the establishment types it lists; a recorded cross-type post may take any.
 */
export function typeFitsPost(
  type: EstablishmentType,
  post: { establishmentTypes: readonly string[]; crossType: boolean },
): boolean {
  return checkPlacementType(post.establishmentTypes as EstablishmentType[], post.crossType, type).ok;
}

export type HistoryState = 'current' | 'future' | 'past' | 'superseded';

export function historyState(
  entry: { validFrom: string; validTo: string | null; supersededAt: unknown },
  today: string,
): HistoryState {
  if (entry.supersededAt) return 'superseded';
  if (entry.validFrom > today) return 'future';
  return inPeriod(today, entry.validFrom, entry.validTo) ? 'current' : 'past';
}

/** Half-open periods: the end (exclusive) must come after the start. */
export function checkPeriod(validFrom: string, validTo: string | null, field = 'validTo'): Problem[] {
  return validTo !== null && validTo <= validFrom ? [{ field, key: 'endBeforeStart' }] : [];
}

export const CIVIL_SERVICE_RESULTS = [
  'excellent',
  'competent',
  'basically_competent',
  'incompetent',
  'ungraded',
] as const;
export const INSTITUTIONAL_RESULTS = [
  'excellent',
  'qualified',
  'basically_qualified',
  'unqualified',
  'ungraded',
] as const;
export const ALL_RESULTS = [
  'excellent',
  'competent',
  'basically_competent',
  'incompetent',
  'ungraded',
  'qualified',
  'basically_qualified',
  'unqualified',
] as const;
export type AssessmentResult = (typeof ALL_RESULTS)[number];

/**
 * Civil servants (行政编制, 参公) are graded 优秀/称职/基本称职/不称职, institutional staff (事业, 工勤)
 * 优秀/合格/基本合格/不合格; 不定等次 for either in the first year. Without a known type, every result.
 */
export function resultsFor(type: EstablishmentType | null): readonly AssessmentResult[] {
  if (type === 'administrative' || type === 'civil_service_institutional') return CIVIL_SERVICE_RESULTS;
  if (type === 'institutional' || type === 'worker') return INSTITUTIONAL_RESULTS;
  return ALL_RESULTS;
}

/**
 * The day a sanction stops blocking: decided on + the kind's impact months (configuration). Null when it
 * blocks until closed (an open investigation); the closing date once it is closed.
 */
export function impactUntil(sanction: {
  decidedOn: string;
  closedOn: string | null;
  impactMonths: number | null;
}): string | null {
  if (sanction.impactMonths === null) return sanction.closedOn;
  return addMonths(sanction.decidedOn, sanction.impactMonths);
}

/** Is a sanction still blocking on the date? */
export function sanctionInForce(
  sanction: { decidedOn: string; closedOn: string | null; impactMonths: number | null },
  on: string,
): boolean {
  if (sanction.decidedOn > on) return false;
  const until = impactUntil(sanction);
  return until === null || on < until;
}
