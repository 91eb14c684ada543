import type { Knex } from 'knex';

/** What the inbox lists besides movement requests: reads over the dated rows, for townships in scope. */

export interface TemporarySlotDue {
  townshipId: number;
  townshipName: string;
  kind: string;
  nameZh: string;
  nameEn: string;
  writeOffOn: string;
  holders: number;
}

/**
 * Temporary leadership slots (临时职数) whose write-off date is reached or within the horizon and that still
 * have holders in force today: someone has to move the holder or record the write-off.
 */
export async function temporarySlotsDue(
  db: Knex,
  townshipIds: readonly number[] | 'all',
  today: string,
  horizon: string,
): Promise<TemporarySlotDue[]> {
  const q = db('leadership_slot_accounts as la')
    .join('regions as r', 'r.id', 'la.township_id')
    .join('leadership_kinds as k', 'k.code', 'la.kind_code')
    .joinRaw(
      `JOIN LATERAL (
        SELECT d.temporary, d.write_off_on FROM leadership_slot_decisions d
        WHERE d.account_id = la.id AND d.effective_from <= ?
          AND NOT EXISTS (SELECT 1 FROM leadership_slot_decisions c WHERE c.corrects_id = d.id)
        ORDER BY d.effective_from DESC, d.id DESC LIMIT 1
      ) d ON true`,
      [today],
    )
    .joinRaw(
      `JOIN LATERAL (
        SELECT count(*) AS n FROM assignments a JOIN posts p ON p.id = a.post_id
        WHERE p.township_id = la.township_id AND p.unit_id IS NULL AND p.leadership_kind = la.kind_code
          AND a.superseded_at IS NULL AND a.valid_from <= ? AND (a.valid_to IS NULL OR a.valid_to > ?)
      ) h ON true`,
      [today, today],
    )
    .where('d.temporary', true)
    .andWhere('d.write_off_on', '<=', horizon)
    .andWhere('h.n', '>', 0)
    .orderBy([{ column: 'd.write_off_on' }, { column: 'la.id' }])
    .select(
      'la.township_id',
      'r.name as township_name',
      'la.kind_code',
      'k.name_zh',
      'k.name_en',
      'd.write_off_on',
      'h.n as holders',
    );
  if (townshipIds !== 'all') q.whereIn('la.township_id', [...townshipIds]);
  const rows = await q;
  return rows.map((r: Record<string, unknown>) => ({
    townshipId: r.township_id as number,
    townshipName: r.township_name as string,
    kind: r.kind_code as string,
    nameZh: r.name_zh as string,
    nameEn: r.name_en as string,
    writeOffOn: r.write_off_on as string,
    holders: Number(r.holders),
  }));
}

/** Township names by id (for labelling usage rows). */
export async function townshipNames(db: Knex, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db('regions')
    .whereIn('id', [...ids])
    .select('id', 'name');
  return new Map(rows.map((r: { id: number; name: string }) => [r.id, r.name]));
}

/** Every township of the given counties ('all': every township). */
export async function townshipsOfCounties(db: Knex, countyIds: readonly number[] | 'all'): Promise<number[]> {
  const q = db('regions').where('kind', 'township').select('id');
  if (countyIds !== 'all') q.whereIn('parent_id', [...countyIds]);
  return (await q).map((r: { id: number }) => r.id);
}
