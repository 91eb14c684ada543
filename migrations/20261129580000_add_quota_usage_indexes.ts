import type { Knex } from 'knex';
import { runStatements } from '../src/db/statements.js';

/**
 * Usage is now worked out per account (a lateral look-up each for the decision, the slots and the
 * reservations) instead of aggregating the whole province and keeping a few rows: these indexes serve the
 * look-ups that had none.
 */
export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    'CREATE INDEX quota_decisions_corrects_idx ON quota_decisions (corrects_id) WHERE corrects_id IS NOT NULL',
    'CREATE INDEX quota_reservations_account_reserved_idx ON quota_reservations (account_id, reserved_on)',
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, [
    'DROP INDEX quota_reservations_account_reserved_idx',
    'DROP INDEX quota_decisions_corrects_idx',
  ]);
}
