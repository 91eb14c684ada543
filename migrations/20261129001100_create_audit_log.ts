import type { Knex } from 'knex';
import { runStatements } from '../src/db/statements.js';

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `CREATE TABLE audit_log (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      occurred_at timestamptz NOT NULL DEFAULT now(),
      actor_user_id integer REFERENCES users (id),
      actor_username text,
      request_id text,
      action text NOT NULL CONSTRAINT audit_log_action_check CHECK (action ~ '^[a-z_]+(\\.[a-z_]+)+$'),
      entity_type text NOT NULL,
      entity_id text,
      before jsonb,
      after jsonb
    )`,
    'CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id)',
    'CREATE INDEX audit_log_actor_idx ON audit_log (actor_user_id, occurred_at)',
    `COMMENT ON TABLE audit_log IS 'Append-only record of every write: who, when, which request, before and after. UPDATE, DELETE and TRUNCATE are refused by triggers.'`,
    `CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END
    $$`,
    `CREATE TRIGGER audit_log_refuse_update_delete BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()`,
    `CREATE TRIGGER audit_log_refuse_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, ['DROP TABLE audit_log', 'DROP FUNCTION audit_log_refuse_change()']);
}
