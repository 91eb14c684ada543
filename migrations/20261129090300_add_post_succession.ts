import type { Knex } from 'knex';
import { runStatements } from '../src/db/statements.js';

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    'ALTER TABLE posts ADD COLUMN succeeds_post_id integer REFERENCES posts (id)',
    'ALTER TABLE posts ADD COLUMN closed_doc_no text CONSTRAINT posts_closed_doc_no_check CHECK (length(closed_doc_no) <= 100)',
    `COMMENT ON COLUMN posts.succeeds_post_id IS 'The post this one continues when a unit merger or split moved it (编随事走): the old post closes, this one opens the same day.'`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, ['ALTER TABLE posts DROP COLUMN succeeds_post_id, DROP COLUMN closed_doc_no']);
}
