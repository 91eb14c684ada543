import type { Problem } from '../../domain/personRecord.js';

export type { Problem };

/**
 * What a write returns: the value, or the problems to show on the same form. `invalid` is bad input (400 on
 * pages, 422 in the API); `conflict` is a clash with what is recorded (a duplicate, an overlap, no vacancy:
 * 409 in both).
 */
export type WriteResult<T> =
  | { ok: true; value: T }
  | { ok: false; status: 'invalid' | 'conflict'; problems: Problem[] };

export const invalid = (...problems: Problem[]): WriteResult<never> => ({
  ok: false,
  status: 'invalid',
  problems,
});
export const conflict = (...problems: Problem[]): WriteResult<never> => ({
  ok: false,
  status: 'conflict',
  problems,
});

/** Thrown inside a transaction to roll it back and return the problems. */
export class RejectedWrite extends Error {
  constructor(readonly result: WriteResult<never>) {
    super('write rejected');
  }
}

const EXCLUSIONS: Record<string, Problem> = {
  assignments_one_primary_per_person_excl: { field: 'validFrom', key: 'primaryOverlap' },
  assignments_one_holder_per_post_excl: { field: 'postId', key: 'postTaken' },
  grades_one_per_ladder_excl: { field: 'validFrom', key: 'gradeOverlap' },
  quota_slots_one_per_person_excl: { field: 'validFrom', key: 'slotOverlap' },
  person_statuses_one_per_person_excl: { field: 'validFrom', key: 'statusOverlap' },
};

const CHECKS: Record<string, Problem> = {
  people_party_check: { field: 'partyJoinedOn', key: 'partyJoinedNotMember' },
  people_dates_check: { field: 'workStartedOn', key: 'workBeforeBirth' },
  educations_period_check: { field: 'graduatedOn', key: 'graduatedBeforeStart' },
  assignments_period_check: { field: 'validTo', key: 'endBeforeStart' },
  grades_period_check: { field: 'validTo', key: 'endBeforeStart' },
  quota_slots_period_check: { field: 'validTo', key: 'endBeforeStart' },
  person_statuses_period_check: { field: 'validTo', key: 'endBeforeStart' },
  assignments_planned_until_check: { field: 'plannedUntil', key: 'plannedBeforeStart' },
  assignments_secondment_planned_end_check: { field: 'plannedUntil', key: 'plannedRequired' },
  grades_probation_check: { field: 'probationUntil', key: 'probationBeforeStart' },
  sanctions_period_check: { field: 'closedOn', key: 'closedBeforeDecided' },
};

/**
 * A database refusal the user can act on (an exclusion constraint, a unique key, a CHECK the form should
 * have caught), as a problem on the field; anything else is a real failure and is rethrown.
 */
export function problemFromDatabase(err: unknown): WriteResult<never> | null {
  const e = err as { code?: string; constraint?: string };
  if (!e || typeof e !== 'object' || !e.constraint) return null;
  if (e.code === '23P01' && EXCLUSIONS[e.constraint]) return conflict(EXCLUSIONS[e.constraint] as Problem);
  if (e.code === '23505' && e.constraint === 'people_id_number_key')
    return conflict({ field: 'idNumber', key: 'idNumberTaken' });
  if (e.code === '23505' && e.constraint === 'assessments_person_year_key')
    return conflict({ field: 'year', key: 'assessmentExists' });
  if (e.code === '23514' && CHECKS[e.constraint]) return invalid(CHECKS[e.constraint] as Problem);
  return null;
}

/** Runs a transaction body and turns rejections and known database refusals into a result. */
export async function asResult<T>(run: () => Promise<T>): Promise<WriteResult<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (err) {
    if (err instanceof RejectedWrite) return err.result;
    const mapped = problemFromDatabase(err);
    if (mapped) return mapped;
    throw err;
  }
}
