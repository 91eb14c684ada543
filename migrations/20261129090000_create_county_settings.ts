import type { Knex } from 'knex';
import { runStatements } from '../src/db/statements.js';

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `CREATE TABLE county_settings (
      county_id integer PRIMARY KEY,
      county_kind text NOT NULL DEFAULT 'county' CONSTRAINT county_settings_county_kind_check CHECK (county_kind = 'county'),
      unit_limit integer NOT NULL DEFAULT 11 CONSTRAINT county_settings_unit_limit_check CHECK (unit_limit BETWEEN 1 AND 50),
      featured_unit_limit integer NOT NULL DEFAULT 2
        CONSTRAINT county_settings_featured_unit_limit_check CHECK (featured_unit_limit BETWEEN 0 AND 5),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT county_settings_county_fkey FOREIGN KEY (county_id, county_kind) REFERENCES regions (id, kind)
    )`,
    `COMMENT ON TABLE county_settings IS 'Per-county configuration [local rules]: the township unit limit (机构限额, offices and stations incl. featured units; dispatched units not counted) and how many featured units (特色机构) a township may have. A county without a row uses the defaults.'`,
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, ['DROP TABLE county_settings']);
}
