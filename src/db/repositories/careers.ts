import type { Knex } from 'knex';
import type { TownshipSeats, VacantPost, VacantSlot } from '../../domain/career.js';
import type { Ladder } from '../../domain/eligibility/index.js';
import { slotsOfTownships, totalsOn } from './leadership.js';
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
  const post = inForce(
    db('assignments as a').join('posts as po', 'po.id', 'a.post_id').whereRaw('a.person_id = p.id'),
    'a',
    asOf,
  )
    .orderByRaw("(a.kind = 'primary') desc, a.valid_from desc, a.id desc")
    .limit(1)
    .select('po.township_id');
  const slot = db('quota_slots as s')
    .join('quota_accounts as qa', 'qa.id', 's.account_id')
    .join('quota_holders as qh', 'qh.id', 'qa.holder_id')
    .whereRaw('s.person_id = p.id')
    .whereNull('s.superseded_at')
    .where('s.valid_from', '<=', asOf)
    .whereNotNull('qh.township_id')
    .orderBy([
      { column: 's.valid_from', order: 'desc' },
      { column: 's.id', order: 'desc' },
    ])
    .limit(1)
    .select('qh.township_id');
  const row = await db('people as p')
    .where('p.id', personId)
    .first(db.raw('coalesce((?), (?), p.registered_township_id) as township_id', [post, slot]));
  return (row?.township_id as number | null | undefined) ?? null;
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
  const out = new Map<number, TownshipSeats>();
  if (ids.length === 0) return out;
  const [slotsBy, totals, rows] = await Promise.all([
    slotsOfTownships(db, ids, asOf),
    totalsOn(db, ids, asOf),
    joinUnitVersionOn(
      db('posts as p')
        .leftJoin('grade_levels as lo', 'lo.code', 'p.grade_low')
        .leftJoin('grade_levels as hi', 'hi.code', 'p.grade_high'),
      'p.unit_id',
      { date: asOf },
      'u',
    )
      .whereRaw('p.township_id = any(?::int[])', [ids])
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
        'lo.ladder as low_ladder',
        'hi.ladder as high_ladder',
        'u.name as unit_name',
        'u.rank as unit_rank',
        db.raw('exists (?) as held', [
          inForce(db('assignments as a').whereRaw('a.post_id = p.id'), 'a', asOf).select(db.raw('1')),
        ]),
      ),
  ]);
  const rowsBy = new Map<number, Array<Record<string, unknown>>>();
  for (const r of rows as Array<Record<string, unknown>>) {
    const list = rowsBy.get(r.township_id as number) ?? [];
    list.push(r);
    rowsBy.set(r.township_id as number, list);
  }
  for (const townshipId of ids) {
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
      for (const l of [r.low_ladder, r.high_ladder]) if (l) bandLadders.add(l as Ladder);
      if (r.held) continue;
      posts.push({
        postId: r.id as number,
        name: r.name as string,
        unitId: r.unit_id as number | null,
        unitName: (r.unit_name as string | null) ?? null,
        unitRank: (r.unit_rank as string | null) ?? null,
        leadershipKind: r.leadership_kind as string | null,
        category: r.category as string,
        gradeLow: r.grade_low as string | null,
        gradeHigh: r.grade_high as string | null,
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
export async function referenceNames(db: Knex) {
  const [grades, kinds] = await Promise.all([
    db('grade_levels').orderBy(['ladder', 'step']).select('code', 'ladder', 'step', 'name_zh', 'name_en'),
    db('sanction_kinds').orderBy('sort_order').select('code', 'impact_months', 'name_zh', 'name_en'),
  ]);
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
