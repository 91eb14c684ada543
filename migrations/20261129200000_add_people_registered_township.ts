import type { Knex } from 'knex';
import { runStatements } from '../src/db/statements.js';

/**
 * The township that keeps a person's record until their history places them somewhere: a person is
 * created inside a township, possibly before any assignment or quota slot is in force (a future-dated
 * entry, or history still to be typed in from the paper file). Scope rules use it only for such people.
 */
export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    'ALTER TABLE people ADD COLUMN registered_township_id integer',
    `ALTER TABLE people ADD COLUMN registered_township_kind text NOT NULL DEFAULT 'township'
      CONSTRAINT people_registered_township_kind_check CHECK (registered_township_kind = 'township')`,
    `ALTER TABLE people ADD CONSTRAINT people_registered_township_fkey
      FOREIGN KEY (registered_township_id, registered_township_kind) REFERENCES regions (id, kind)`,
    `CREATE INDEX people_registered_township_idx ON people (registered_township_id)
      WHERE registered_township_id IS NOT NULL`,
    `COMMENT ON COLUMN people.registered_township_id IS 'The township whose officers created the record; it places the person only while no assignment is in force and no quota slot has started.'`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, [
    'DROP INDEX people_registered_township_idx',
    'ALTER TABLE people DROP CONSTRAINT people_registered_township_fkey',
    'ALTER TABLE people DROP COLUMN registered_township_kind',
    'ALTER TABLE people DROP COLUMN registered_township_id',
  ]);
}
