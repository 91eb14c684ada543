import type { Knex } from 'knex';
import type { TownshipSeats, VacantPost, VacantSlot } from '../../domain/career.js';
import type { Ladder } from '../../domain/eligibility/index.js';
import { type SlotRow, slotsOfTownships, totalsOn } from './leadership.js';
import { joinUnitVersionOn } from './unitVersions.js';

/** Reads of the career path and the township eligibility list (what the engine's loaders don't cover). */

const inForce = (q: Knex.QueryBuilder, alias: string, asOf: string) =>
  q
    .whereNull(`${alias}.superseded_at`)
    .andWhere(`${alias}.valid_from`, '<=', asOf)
    .andWhere((w) => w.whereNull(`${alias}.valid_to`).orWhere(`${alias}.valid_to`, '>', asOf));

/**
 * The township a person belongs to on a date, for "is a seat vacant in their township": the township of
 * the primary post in force, else of any post in force, else the holder of the latest quota slot by then,
 * else the township that registered the record. undefined when there is no such person or none applies.
 */
export async function homeTownshipOf(db: Knex, personId: number, asOf: string): Promise<number | null> {
  const row = await db('people as p')
    .where('p.id', personId)
    .first(db.raw('? as township_id', [homeTownshipSql(db, asOf, 'p')]));
  return (row?.township_id as number | null | undefined) ?? null;
}

/**
 * homeTownshipOf as an SQL expression over the people row aliased `person` in the enclosing statement (for a
 * statement that reads more of the person).
 */
export function homeTownshipSql(db: Knex, asOf: string, person: string): Knex.Raw {
  if (!/^[a-z_][a-z0-9_]*$/.test(person)) throw new Error(`bad alias ${person}`);
  const post = inForce(
    db('assignments as a').join('posts as po', 'po.id', 'a.post_id').whereRaw(`a.person_id = ${person}.id`),
    'a',
    asOf,
  )
    .orderByRaw("(a.kind = 'primary') desc, a.valid_from desc, a.id desc")
    .limit(1)
    .select('po.township_id');
  const slot = db('quota_slots as s')
    .join('quota_accounts as qa', 'qa.id', 's.account_id')
    .join('quota_holders as qh', 'qh.id', 'qa.holder_id')
    .whereRaw(`s.person_id = ${person}.id`)
    .whereNull('s.superseded_at')
    .where('s.valid_from', '<=', asOf)
    .whereNotNull('qh.township_id')
    .orderBy([
      { column: 's.valid_from', order: 'desc' },
      { column: 's.id', order: 'desc' },
    ])
    .limit(1)
    .select('qh.township_id');
  return db.raw(`coalesce((?), (?), ${person}.registered_township_id)`, [post, slot]);
}

/**
 * What is vacant in a township on a date: leadership slot kinds with places left (concurrent-only kinds have
 * no place of their own), open posts without a holder (with their unit's name and 规格 on the date and their
 * grade band), whether the counted leaders reach the township total, and the ladders on which open posts
 * record grade bands. Four queries.
 */
export async function townshipSeats(db: Knex, townshipId: number, asOf: string): Promise<TownshipSeats> {
  return (await townshipsSeats(db, [townshipId], asOf)).get(townshipId) as TownshipSeats;
}

/** The same for many townships at once (four queries whatever their number), by township id. */
export async function townshipsSeats(
  db: Knex,
  townshipIds: readonly number[],
  asOf: string,
): Promise<Map<number, TownshipSeats>> {
  const ids = [...new Set(townshipIds)];
  if (ids.length === 0) return new Map();
  const [slotsBy, totals, rows] = await Promise.all([
    slotsOfTownships(db, ids, asOf),
    totalsOn(db, ids, asOf),
    openPostsQuery(db, ids, asOf),
  ]);
  return assembleSeats(ids, slotsBy, totals, rows as OpenPostRow[]);
}

/** A row of openPostsQuery. */
export interface OpenPostRow {
  id: number;
  township_id: number;
  name: string;
  unit_id: number | null;
  leadership_kind: string | null;
  category: string;
  grade_low: string | null;
  grade_high: string | null;
  low_ladder: Ladder | null;
  high_ladder: Ladder | null;
  unit_name: string | null;
  unit_rank: string | null;
  held: boolean;
  sort_order: number;
}

/**
 * The townships' posts open on the date, held or not, with their unit's name and 规格 on the date and the
 * ladders of their grade band, in township then post order.
 */
export function openPostsQuery(db: Knex, townshipIds: readonly number[], asOf: string): Knex.QueryBuilder {
  return joinUnitVersionOn(
    db('posts as p')
      .leftJoin('grade_levels as lo', 'lo.code', 'p.grade_low')
      .leftJoin('grade_levels as hi', 'hi.code', 'p.grade_high'),
    'p.unit_id',
    { date: asOf },
    'u',
  )
    .whereRaw('p.township_id = any(?::int[])', [[...townshipIds]])
    .andWhere('p.opened_on', '<=', asOf)
    .andWhere((q) => q.whereNull('p.closed_on').orWhere('p.closed_on', '>', asOf))
    .orderBy([{ column: 'p.township_id' }, { column: 'p.sort_order' }, { column: 'p.id' }])
    .select(
      'p.id',
      'p.township_id',
      'p.name',
      'p.unit_id',
      'p.leadership_kind',
      'p.category',
      'p.grade_low',
      'p.grade_high',
      'p.sort_order',
      'lo.ladder as low_ladder',
      'hi.ladder as high_ladder',
      'u.name as unit_name',
      'u.rank as unit_rank',
      db.raw('exists (?) as held', [
        inForce(db('assignments as a').whereRaw('a.post_id = p.id'), 'a', asOf).select(db.raw('1')),
      ]),
    );
}

/** The seats of each township from its slots, its total and its open posts (rows in openPostsQuery order). */
export function assembleSeats(
  townshipIds: readonly number[],
  slotsBy: ReadonlyMap<number, readonly SlotRow[]>,
  totals: ReadonlyMap<number, { total: number }>,
  rows: readonly OpenPostRow[],
): Map<number, TownshipSeats> {
  const out = new Map<number, TownshipSeats>();
  const rowsBy = new Map<number, OpenPostRow[]>();
  for (const r of rows) {
    const list = rowsBy.get(r.township_id) ?? [];
    list.push(r);
    rowsBy.set(r.township_id, list);
  }
  for (const townshipId of townshipIds) {
    const slots = slotsBy.get(townshipId) ?? [];
    const total = totals.get(townshipId) ?? null;
    const vacantSlots: VacantSlot[] = slots
      .filter((s) => !s.concurrentOnly && s.approved > s.holders.length)
      .map((s) => ({
        kind: s.kind,
        nameZh: s.nameZh,
        nameEn: s.nameEn,
        rank: s.rank,
        vacant: s.approved - s.holders.length,
      }));
    const countedLeaders = new Set(
      slots
        .filter((s) => s.counted)
        .flatMap((s) => s.holders.filter((h) => h.assignmentKind === 'primary').map((h) => h.personId)),
    );
    const bandLadders = new Set<Ladder>();
    const posts: VacantPost[] = [];
    for (const r of rowsBy.get(townshipId) ?? []) {
      for (const l of [r.low_ladder, r.high_ladder]) if (l) bandLadders.add(l);
      if (r.held) continue;
      posts.push({
        postId: r.id,
        name: r.name,
        unitId: r.unit_id,
        unitName: r.unit_name ?? null,
        unitRank: r.unit_rank ?? null,
        leadershipKind: r.leadership_kind,
        category: r.category,
        gradeLow: r.grade_low,
        gradeHigh: r.grade_high,
      });
    }
    out.set(townshipId, {
      slots: vacantSlots,
      posts,
      totalFull: total !== null && countedLeaders.size >= total.total,
      bandLadders: [...bandLadders],
    });
  }
  return out;
}

/** Names of grades and sanction kinds in both languages, for messages. */
export async function referenceNames(db: Knex): Promise<ReferenceNames> {
  const [grades, kinds] = await Promise.all([
    db('grade_levels').orderBy(['ladder', 'step']).select('code', 'ladder', 'step', 'name_zh', 'name_en'),
    db('sanction_kinds').orderBy('sort_order').select('code', 'impact_months', 'name_zh', 'name_en'),
  ]);
  return toReferenceNames(grades, kinds);
}

export interface ReferenceNames {
  grades: Array<{ code: string; ladder: Ladder; step: number; nameZh: string; nameEn: string }>;
  sanctionKinds: Array<{ code: string; impactMonths: number | null; nameZh: string; nameEn: string }>;
}

/** ReferenceNames from grade_levels rows (by ladder and step) and sanction_kinds rows (by sort order). */
export function toReferenceNames(
  grades: ReadonlyArray<{ code: string; ladder: string; step: number; name_zh: string; name_en: string }>,
  kinds: ReadonlyArray<{ code: string; impact_months: number | null; name_zh: string; name_en: string }>,
): ReferenceNames {
  return {
    grades: grades.map((g) => ({
      code: g.code,
      ladder: g.ladder as Ladder,
      step: g.step,
      nameZh: g.name_zh,
      nameEn: g.name_en,
    })),
    sanctionKinds: kinds.map((k) => ({
      code: k.code,
      impactMonths: k.impact_months,
      nameZh: k.name_zh,
      nameEn: k.name_en,
    })),
  };
}
