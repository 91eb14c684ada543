import type { Knex } from 'knex';
import { runStatements } from '../src/db/statements.js';

/**
 * Assessments by person, whatever their superseded state: the career page, the resume and the eligibility
 * inputs read `WHERE person_id = ?`, which the partial unique index (superseded rows left out) cannot serve;
 * at province scale (630,000 rows) that was a sequential scan of ~65 ms per career page (docs/benchmarks.md).
 */
export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, ['CREATE INDEX assessments_person_idx ON assessments (person_id, year)']);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, ['DROP INDEX assessments_person_idx']);
}
