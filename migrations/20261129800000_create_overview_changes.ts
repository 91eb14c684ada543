import type { Knex } from 'knex';
import { changeLogTriggers, dropChangeLogTriggers, type LoggedTable } from '../src/db/changeLog.js';
import { runStatements } from '../src/db/statements.js';

/**
 * A change log kept by the database for the cached county overview (see docs/scaling.md, "County overview
 * cache"). Statement-level AFTER triggers on every table the overview's figures read append one row per
 * affected county (county_id NULL: every county), so every writer invalidates: services, the importer,
 * admin pages, raw SQL, COPY. Writers only INSERT (no shared counter row, no lock beyond the insert).
 *
 * The cache key of a county is the sum of `weight` over its rows and over the NULL rows. Compaction replaces
 * a county's rows by one row carrying the sum of their weights in a single statement, so the sum counts the
 * logged writes exactly and never decreases (see src/db/repositories/overviewChanges.ts for the argument).
 *
 * Mapping rows to counties:
 * - rows of a township (posts, leadership accounts and totals): the township's county;
 * - quota rows: the account's holder's township's county, or the department's county;
 * - rows of a person (assignments, quota slots, statuses, the person): their own county as above, plus every
 *   county the person may belong to on some date (their current assignments, current quota slots and the
 *   township that registered them), because the headcount places a person by the latest of those;
 * - regions: the county itself or the township's county; anything else (a city) and reference data the
 *   figures read (leadership kinds) log a NULL row, as does any row whose county cannot be found.
 * Units and unit versions are not logged: the figures do not read them (posts carry the township).
 * A table the figures start reading must get its triggers in the same change.
 */

/** Counties of the townships in `ids` (a one-column query), NULL where not found. */
const townshipCounties = (ids: string) =>
  `SELECT t.parent_id FROM (${ids}) x(id) LEFT JOIN regions t ON t.id = x.id AND t.kind = 'township'`;

/** Counties of the quota accounts in `ids`: the holder's township's county or the department's county. */
const accountCounties = (ids: string) =>
  `SELECT coalesce(t.parent_id, d.county_id) FROM (${ids}) x(id)
    LEFT JOIN quota_accounts qa ON qa.id = x.id LEFT JOIN quota_holders qh ON qh.id = qa.holder_id
    LEFT JOIN regions t ON t.id = qh.township_id LEFT JOIN county_departments d ON d.id = qh.department_id`;

/**
 * Every county the people in `ids` may be counted in on some date: their current assignments' townships,
 * their current quota slots' holders, the township that registered them.
 */
const personCounties = (ids: string) =>
  `SELECT t.parent_id FROM (${ids}) x(id)
    JOIN assignments a ON a.person_id = x.id AND a.superseded_at IS NULL
    JOIN posts p ON p.id = a.post_id JOIN regions t ON t.id = p.township_id
  UNION ${accountCounties(`SELECT DISTINCT s.account_id FROM (${ids}) x(id) JOIN quota_slots s ON s.person_id = x.id AND s.superseded_at IS NULL`)}
  UNION SELECT t.parent_id FROM (${ids}) x(id)
    JOIN people pe ON pe.id = x.id JOIN regions t ON t.id = pe.registered_township_id`;

const distinct = (column: string, rows: string) => `SELECT DISTINCT r.${column} FROM ${rows} r`;

/** County ids of a statement's rows (`rows`: the transition table(s)); joins only, so COPY stays cheap. */
const TRACKED: LoggedTable[] = [
  {
    table: 'regions',
    counties: (rows) =>
      `SELECT CASE r.kind WHEN 'county' THEN r.id WHEN 'township' THEN r.parent_id END FROM ${rows} r`,
  },
  { table: 'county_departments', counties: (rows) => distinct('county_id', rows) },
  {
    table: 'quota_holders',
    counties: (rows) => `SELECT coalesce(t.parent_id, d.county_id) FROM ${rows} r
      LEFT JOIN regions t ON t.id = r.township_id LEFT JOIN county_departments d ON d.id = r.department_id`,
  },
  {
    table: 'quota_accounts',
    counties: (rows) => `SELECT coalesce(t.parent_id, d.county_id) FROM (${distinct('holder_id', rows)}) x(id)
      LEFT JOIN quota_holders qh ON qh.id = x.id
      LEFT JOIN regions t ON t.id = qh.township_id LEFT JOIN county_departments d ON d.id = qh.department_id`,
  },
  ...['quota_decisions', 'quota_reservations'].map((table) => ({
    table,
    counties: (rows: string) => accountCounties(distinct('account_id', rows)),
  })),
  {
    table: 'quota_slots',
    counties: (rows) =>
      `${accountCounties(distinct('account_id', rows))} UNION ${personCounties(distinct('person_id', rows))}`,
  },
  { table: 'posts', counties: (rows) => townshipCounties(distinct('township_id', rows)) },
  {
    table: 'assignments',
    counties: (rows) =>
      `${townshipCounties(`SELECT DISTINCT p.township_id FROM (${distinct('post_id', rows)}) y(id) LEFT JOIN posts p ON p.id = y.id`)}
      UNION ${personCounties(distinct('person_id', rows))}`,
  },
  { table: 'person_statuses', counties: (rows) => personCounties(distinct('person_id', rows)) },
  {
    table: 'people',
    counties: (rows) =>
      `${townshipCounties(`${distinct('registered_township_id', rows)} WHERE r.registered_township_id IS NOT NULL`)}
      UNION ${personCounties(distinct('id', rows))}`,
  },
  ...['leadership_slot_accounts', 'leadership_total_decisions'].map((table) => ({
    table,
    counties: (rows: string) => townshipCounties(distinct('township_id', rows)),
  })),
  {
    table: 'leadership_slot_decisions',
    counties: (rows) =>
      townshipCounties(
        `SELECT DISTINCT la.township_id FROM (${distinct('account_id', rows)}) y(id) LEFT JOIN leadership_slot_accounts la ON la.id = y.id`,
      ),
  },
  { table: 'leadership_kinds', counties: (rows) => `SELECT NULL::integer FROM ${rows} r` },
];

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, [
    `CREATE TABLE overview_changes (
      id bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT overview_changes_pkey PRIMARY KEY,
      county_id integer,
      weight bigint NOT NULL DEFAULT 1 CONSTRAINT overview_changes_weight_check CHECK (weight >= 1),
      logged_at timestamptz NOT NULL DEFAULT now()
    )`,
    // Serves the key (sum of weight per county and for NULL) as an index-only scan.
    'CREATE INDEX overview_changes_county_weight_idx ON overview_changes (county_id, weight)',
    `COMMENT ON TABLE overview_changes IS 'Append-only log of writes to the county overview''s figures, one row per statement and affected county (NULL: every county), kept by triggers. The sum of weight per county is the overview cache''s validity key; compaction folds rows into one row carrying their total weight.'`,
    ...TRACKED.flatMap(changeLogTriggers),
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, [
    ...TRACKED.flatMap((t) => dropChangeLogTriggers(t.table)),
    'DROP TABLE overview_changes',
  ]);
}
