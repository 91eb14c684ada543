import type { Knex } from 'knex';
import { runStatements } from '../src/db/statements.js';

/** btree_gist lets exclusion constraints combine equality (person, post) with date-range overlap. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE EXTENSION IF NOT EXISTS btree_gist');
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, ['DROP EXTENSION IF EXISTS btree_gist']);
}
