import type { Knex } from 'knex';
import type { Clock } from '../../domain/clock.js';
import { createHistoryService } from './historyService.js';
import { createRecordService } from './recordService.js';

/**
 * The person record (issue 4, first part): the appointment-form fields, education, family and photo
 * (recordService), and the effective-dated history, assessments and sanctions (historyService).
 * Every write takes the person's row lock, runs in one transaction and appends one audit entry.
 */
export function createPeopleService(deps: { knex: Knex; clock: Clock }) {
  return { ...createRecordService(deps), ...createHistoryService(deps) };
}

export type PeopleService = ReturnType<typeof createPeopleService>;
