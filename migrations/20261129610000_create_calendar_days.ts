import type { Knex } from 'knex';
import { runStatements } from '../src/db/statements.js';

/**
 * The official working-day calendar (国务院办公厅 holiday schedule): one row per day that departs from the
 * weekday rule (a holiday on a weekday, a make-up workday 调休上班 on a weekend) or that an administrator has
 * set explicitly. Days without a row follow the rule: Monday–Friday work, Saturday and Sunday off.
 */
export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `CREATE TABLE calendar_days (
      day date PRIMARY KEY,
      kind text NOT NULL CONSTRAINT calendar_days_kind_check CHECK (kind IN ('holiday', 'workday', 'ordinary')),
      name text NOT NULL DEFAULT '' CONSTRAINT calendar_days_name_check CHECK (length(name) <= 100),
      source text NOT NULL CONSTRAINT calendar_days_source_check CHECK (source IN ('package', 'admin')),
      doc_no text CONSTRAINT calendar_days_doc_no_check CHECK (length(doc_no) <= 100),
      updated_by integer REFERENCES users (id),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT calendar_days_admin_doc_check CHECK (source = 'package' OR (doc_no IS NOT NULL AND length(btrim(doc_no)) > 0))
    )`,
    `COMMENT ON TABLE calendar_days IS 'Official calendar: holidays (off on a weekday), make-up workdays (work on a weekend) and explicit ordinary days (an override back to the weekday rule). Seeded from the chinese-days package (source package, never overwriting an administrator''s row); administrators add next year''s schedule with the State Council notice''s 文号.'`,
    `COMMENT ON COLUMN calendar_days.kind IS 'holiday: no work; workday: work (调休上班); ordinary: follows the weekday rule (overrides a package day).'`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, ['DROP TABLE calendar_days']);
}
