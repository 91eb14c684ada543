import type { Knex } from 'knex';

/**
 * "Latest uncorrected decision in force" reads ask, for each candidate row, whether another row corrects it
 * (`NOT EXISTS (… WHERE c.corrects_id = d.id)`). Without an index on corrects_id that anti-join scans the
 * whole table once per account: at province scale 13,500 rows × 135 accounts for one county's inbox count
 * (300 ms on every page, through the header badge). quota_decisions got its index with the quota usage work;
 * these are the other decision tables read the same way. Plus secondments in force and a
 * township's requests.
 */
const TABLES = [
  'leadership_slot_decisions',
  'leadership_total_decisions',
  'unit_decisions',
  'movement_requests',
];

export async function up(knex: Knex): Promise<void> {
  for (const t of TABLES)
    await knex.raw(`CREATE INDEX ${t}_corrects_idx ON ${t} (corrects_id) WHERE corrects_id IS NOT NULL`);
  // Secondments in force (the inbox's overdue list, the 在编不在岗 report): a few among hundreds of thousands
  // of assignments, read on every page through the header count.
  await knex.raw(
    `CREATE INDEX assignments_secondments_idx ON assignments (planned_until, person_id)
       WHERE kind = 'secondment' AND superseded_at IS NULL`,
  );
  // A township's requests (returned ones in its officer's inbox, its lists and the ledger): by either end.
  await knex.raw(
    'CREATE INDEX movement_requests_from_township_idx ON movement_requests (from_township_id, state)',
  );
  await knex.raw(
    'CREATE INDEX movement_requests_to_township_idx ON movement_requests (to_township_id, state)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX movement_requests_to_township_idx');
  await knex.raw('DROP INDEX movement_requests_from_township_idx');
  await knex.raw('DROP INDEX assignments_secondments_idx');
  for (const t of TABLES) await knex.raw(`DROP INDEX ${t}_corrects_idx`);
}
