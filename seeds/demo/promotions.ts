import type { Knex } from 'knex';
import * as repo from '../../src/db/repositories/promotions.js';
import { fixedClock } from '../../src/domain/clock.js';
import { addDays } from '../../src/domain/dates.js';
import {
  RANK_POOL_GROUPS,
  type RankPromotionAction,
  type RecommendationMethod,
} from '../../src/domain/rankPromotion.js';
import type { RequestContext } from '../../src/services/access.js';
import { createCalendarService } from '../../src/services/calendar/calendarService.js';
import { createRankPromotionService } from '../../src/services/promotions/rankPromotionService.js';
import type { WorkingDays } from '../../src/services/promotions/workingDays.js';
import { demoContext } from './context.js';

/** The room each demo pool leaves above what is held when the demo starts. */
const ROOM: Record<string, number> = { principal_1_2: 8, principal_3_4: 2 };

/**
 * Rank quota pools for every demo county (approved = held today + a little room, by a dated decision with its
 * 文号) and rank promotions in every state, made through the rank promotion service as the demo accounts would:
 * planned, returned (back to planned with the reason), recommended, reviewed, in publicity now, approved,
 * effective, withdrawn, and a simplified 一级科员 promotion. Runs once, after the movements.
 */
export async function seedDemoPromotions(
  knex: Knex,
  today: string,
  /** The official calendar kept in the database (as the composition root wires it) unless given. */
  workingDays?: WorkingDays,
): Promise<number> {
  if ((await knex('rank_quota_pools').first('id')) !== undefined) return 0;
  const counties = await knex('regions').where({ kind: 'county' }).orderBy('sort_order').select('id', 'code');
  const decisionDay = `${today.slice(0, 4)}-01-01`;
  for (const county of counties) {
    for (const [n, def] of RANK_POOL_GROUPS.entries()) {
      const [row] = await knex('rank_quota_pools')
        .insert({
          county_id: county.id,
          code: def.code,
          name_zh: def.nameZh,
          name_en: def.nameEn,
          grade_codes: [...def.gradeCodes],
          approved: 0,
        })
        .returning('id');
      const pool: repo.Pool = {
        id: (row as { id: number }).id,
        countyId: county.id,
        code: def.code,
        nameZh: def.nameZh,
        nameEn: def.nameEn,
        gradeCodes: [...def.gradeCodes],
        approved: 0,
        docNo: null,
      };
      const { held } = await repo.poolUsage(knex, pool, today);
      // The approved number is a dated decision with its 文号, as the county's form records it.
      await knex('rank_quota_pool_decisions').insert({
        pool_id: pool.id,
        approved_count: held + (ROOM[def.code] ?? 1),
        effective_from: decisionDay,
        doc_no: `示编〔${today.slice(0, 4)}〕${n + 3}号`,
        change_summary: '年度职级职数核定',
      });
    }
  }

  const calendar = createCalendarService({ knex, clock: fixedClock(today) });
  const svc = createRankPromotionService({
    knex,
    clock: fixedClock(today),
    workingDays: workingDays ?? {
      publicityEnd: async (start, days, db) => (await calendar.workingDays.periodEnd(start, days, db)).date,
    },
  });
  const ctx = (username: string) => demoContext(knex, username);
  const officer = await ctx('officer');
  const officer2 = await ctx('officer2');
  const officer3 = await ctx('officer3');
  const reviewer = await ctx('zuzhibu');
  const reviewer2 = await ctx('zuzhibu2');
  const townshipOf = (c: RequestContext) => c.principal.grants[0]?.regionId as number;

  const used = new Set<number>();
  /** Someone in service of the township holding the rank today, not a leader, untouched by the demo's movements. */
  const personWith = async (townshipId: number, grade: string): Promise<number | null> => {
    const row = await knex('grades as g')
      .join('assignments as a', 'a.person_id', 'g.person_id')
      .join('posts as p', 'p.id', 'a.post_id')
      .join('person_statuses as st', 'st.person_id', 'g.person_id')
      .where({ 'g.ladder': 'civil_service_rank', 'g.grade_code': grade, 'a.kind': 'primary' })
      .where('p.township_id', townshipId)
      .whereNull('p.leadership_kind')
      .whereNull('g.superseded_at')
      .whereNull('g.valid_to')
      .where('g.valid_from', '<=', addDays(today, -400))
      .whereNull('a.superseded_at')
      .whereNull('a.valid_to')
      .where('st.status', 'active')
      .whereNull('st.superseded_at')
      .whereNull('st.valid_to')
      .whereNotExists(knex('movement_requests as m').whereRaw('m.person_id = g.person_id'))
      .whereNotExists(knex('user_roles as r').whereRaw('r.person_id = g.person_id'))
      .whereNotExists(
        knex('grades as later').whereRaw(
          "later.person_id = g.person_id AND later.ladder = 'civil_service_rank' AND later.valid_from > g.valid_from AND later.superseded_at IS NULL",
        ),
      )
      .whereNotIn('g.person_id', [...used, 0])
      .orderBy('g.person_id')
      .first('g.person_id');
    if (!row) return null;
    used.add(row.person_id);
    return row.person_id as number;
  };
  const must = <T>(r: { ok: true; value: T } | { ok: false; code: string }, what: string): T => {
    if (!r.ok) throw new Error(`demo promotions (${what}): ${r.code}`);
    return r.value;
  };
  const step = async (
    who: RequestContext,
    id: number,
    action: RankPromotionAction,
    over: { comment?: string; docNo?: string; method?: RecommendationMethod; date?: string } = {},
  ) => {
    const row = await knex('rank_promotions').where({ id }).first('version');
    must(
      await svc.step(who, id, {
        action,
        comment: over.comment ?? '',
        docNo: over.docNo ?? null,
        method: over.method ?? null,
        date: over.date ?? null,
        version: row?.version ?? 0,
        formKey: crypto.randomUUID(),
      }),
      action,
    );
  };
  let count = 0;
  /** Plans a promotion and takes the steps; skipped quietly when the township has nobody with the rank. */
  const promote = async (
    who: RequestContext,
    from: string,
    target: string,
    reason: string,
    steps: (id: number) => Promise<void> = async () => {},
  ) => {
    const personId = await personWith(townshipOf(who), from);
    if (personId === null) return;
    const { id } = must(
      await svc.create(who, {
        personId,
        targetGrade: target,
        reason,
        docNo: null,
        formKey: crypto.randomUUID(),
      }),
      'create',
    );
    count += 1;
    await steps(id);
  };
  const through = async (
    id: number,
    until: 'recommended' | 'reviewed' | 'publicity' | 'approved' | 'effective',
    start = addDays(today, -2),
    proposer: RequestContext = officer,
  ) => {
    await step(proposer, id, 'recommend', { method: 'evaluation', comment: '经考核评价，群众认可度高' });
    if (until === 'recommended') return;
    await step(reviewer, id, 'review', { comment: '任职年限、考核结果符合规定' });
    if (until === 'reviewed') return;
    await step(reviewer, id, 'publicise', { date: start, comment: '在县委组织部网站公示' });
    if (until === 'publicity') return;
    await step(reviewer, id, 'approve', { comment: '公示期满无异议，同意晋升', docNo: '示组干〔2026〕51号' });
    if (until === 'approved') return;
    await step(reviewer, id, 'effect', { date: addDays(start, 14), docNo: '示组干〔2026〕52号' });
  };

  const t1 = officer;
  const reason = '任现职级满两年，近两年年度考核均为称职以上';
  // Planned in the officer's township, and one returned for more material (back to planned, reason kept).
  await promote(t1, 'principal_3', 'principal_2', reason);
  await promote(t1, 'principal_3', 'principal_2', reason, async (id) => {
    await step(officer, id, 'recommend', { method: 'recommendation', comment: '民主推荐得票过半' });
    await step(reviewer, id, 'return', { comment: '请补充近三年年度考核登记表' });
  });
  // Recommended, reviewed, in publicity now (started two days ago), approved, effective last month.
  await promote(t1, 'principal_3', 'principal_2', reason, (id) => through(id, 'recommended'));
  await promote(t1, 'principal_3', 'principal_2', reason, (id) => through(id, 'reviewed'));
  await promote(t1, 'principal_3', 'principal_2', reason, (id) => through(id, 'publicity'));
  await promote(t1, 'principal_3', 'principal_2', reason, (id) =>
    through(id, 'approved', addDays(today, -12)),
  );
  await promote(officer2, 'principal_3', 'principal_2', reason, (id) =>
    through(id, 'effective', addDays(today, -40), officer2),
  );
  // The second township: a withdrawn plan and a simplified 一级科员 promotion made effective.
  await promote(officer2, 'principal_3', 'principal_2', reason, async (id) => {
    await step(officer2, id, 'withdraw', { comment: '本人调动意向已变，撤回' });
  });
  await promote(officer2, 'clerk_2', 'clerk_1', '试用期满考核合格，任二级科员满两年', async (id) => {
    await step(reviewer, id, 'review', { comment: '符合晋升一级科员条件' });
    await step(reviewer, id, 'approve', { docNo: '示组干〔2026〕53号' });
    await step(reviewer, id, 'effect', { date: addDays(today, -20), docNo: '示组干〔2026〕53号' });
  });
  // The second county: one planned, one in publicity.
  await promote(officer3, 'principal_3', 'principal_2', reason);
  await promote(officer3, 'principal_3', 'principal_2', reason, async (id) => {
    await step(officer3, id, 'recommend', { method: 'recommendation', comment: '民主推荐' });
    await step(reviewer2, id, 'review');
    await step(reviewer2, id, 'publicise', { date: addDays(today, -1) });
  });
  return count;
}
