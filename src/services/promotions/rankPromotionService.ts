import type { Knex } from 'knex';
import type { Principal, Scope } from '../../auth/principal.js';
import { appendAudit } from '../../db/repositories/audit.js';
import * as careers from '../../db/repositories/careers.js';
import { claimKey, recordResult } from '../../db/repositories/idempotency.js';
import * as repo from '../../db/repositories/promotions.js';
import * as regions from '../../db/repositories/regions.js';
import { isPersonInScope } from '../../db/repositories/scope.js';
import type { Clock } from '../../domain/clock.js';
import {
  type ActingUser,
  availableActions,
  OPEN_RANK_STATES,
  type PoolUsage,
  PUBLICITY_WORKING_DAYS,
  pathFor,
  poolVerdict,
  RANK_POOL_GROUPS,
  type RankPromotionAction,
  type RankPromotionState,
  type RecommendationMethod,
  rankTransition,
} from '../../domain/rankPromotion.js';
import { NotFoundError } from '../../errors.js';
import { assertCan, canDecideForCounty, type RequestContext } from '../access.js';
import { refuse, type WriteResult, writeTransaction } from '../establishment/results.js';
import type { WorkingDays } from './workingDays.js';

export interface CreateInput {
  personId: number;
  targetGrade: string;
  reason: string;
  docNo: string | null;
  formKey: string;
}

export interface PoolDecisionInput {
  countyId: number;
  /** A rank group code (RANK_POOL_GROUPS): the county's pool for it is created with its first decision. */
  group: string;
  approvedCount: number;
  effectiveFrom: string;
  docNo: string;
  changeSummary: string;
  correctsId: number | null;
  formKey: string;
}

export interface ListFilter {
  countyId?: number | null;
  townshipId?: number | null;
  states?: RankPromotionState[];
  limit?: number;
  offset?: number;
}

export interface StepInput {
  action: RankPromotionAction;
  comment: string;
  docNo: string | null;
  method: RecommendationMethod | null;
  /** publicise: the first day of the publicity; effect: the date the rank takes effect. */
  date: string | null;
  version: number;
  formKey: string;
}

const isAdmin = (p: Principal) => p.grants.some((g) => g.role === 'admin');
const reviewerOf = (p: Principal, countyId: number) =>
  isAdmin(p) || p.grants.some((g) => g.role === 'county_reviewer' && g.regionId === countyId);
const officerOf = (p: Principal, townshipId: number | null) =>
  isAdmin(p) ||
  (townshipId !== null && p.grants.some((g) => g.role === 'township_officer' && g.regionId === townshipId));

/**
 * Rank promotions (职级晋升): plan, each step through the pure state machine, the pool's rank quota checked under
 * the pool row's lock in the writing transaction, one audit entry per write, a stale version refused (409).
 */
export function createRankPromotionService(deps: { knex: Knex; clock: Clock; workingDays: WorkingDays }) {
  const { knex, clock, workingDays } = deps;

  /** In scope: the county's roles see the county's promotions, township officers their township's; else 404. */
  function visible(scope: Scope, p: repo.RankPromotion): boolean {
    if (scope.all || scope.fullCountyIds.has(p.countyId)) return true;
    return p.townshipId !== null && scope.townshipIds.has(p.townshipId);
  }

  /** The repository filter for a user's scope (staff alone have no list: 404). */
  function filterOf(scope: Scope, filter: ListFilter): repo.PromotionFilter {
    if (scope.personIds.size > 0 && scope.townshipIds.size === 0 && !scope.all)
      throw new NotFoundError('page');
    return {
      countyIds: scope.all ? null : [...scope.fullCountyIds],
      townshipIds: scope.all ? null : [...scope.townshipIds],
      county: filter.countyId ?? null,
      township: filter.townshipId ?? null,
      states: filter.states ?? [],
      limit: filter.limit ?? 50,
      offset: filter.offset ?? 0,
    };
  }

  function actingUser(
    principal: Principal,
    p: Pick<repo.RankPromotion, 'countyId' | 'townshipId'>,
  ): ActingUser {
    return {
      userId: principal.userId,
      forTownship: officerOf(principal, p.townshipId),
      reviewer: reviewerOf(principal, p.countyId),
    };
  }

  async function load(scope: Scope, id: number) {
    const p = await repo.findPromotion(knex, id);
    if (!p || !visible(scope, p)) throw new NotFoundError('promotion');
    return p;
  }

  /** Re-checks the pool under its row lock: held + in process ≤ approved. */
  async function checkPool(trx: Knex.Transaction, poolId: number, counted: boolean, asOf: string) {
    await repo.lockPool(trx, poolId);
    const pool = (await trx('rank_quota_pools').where('id', poolId).first()) as unknown as Record<
      string,
      unknown
    >;
    const usage = await repo.poolUsage(
      trx,
      {
        id: poolId,
        countyId: pool.county_id as number,
        code: pool.code as string,
        nameZh: pool.name_zh as string,
        nameEn: pool.name_en as string,
        gradeCodes: pool.grade_codes as string[],
        approved: pool.approved as number,
        docNo: null,
      },
      asOf,
    );
    const verdict = poolVerdict(usage, counted);
    return verdict.ok
      ? null
      : refuse('targetGrade', verdict.code, { ...verdict.vars, pool: pool.name_zh as string });
  }

  return {
    visibleActions(principal: Principal, p: repo.RankPromotion) {
      return availableActions(p, actingUser(principal, p), clock.today());
    },

    async get(ctx: Pick<RequestContext, 'scope'>, id: number) {
      const p = await load(ctx.scope, id);
      const [actions, names, pool] = await Promise.all([
        repo.actionsOf(knex, id),
        careers.referenceNames(knex),
        p.poolId ? knex('rank_quota_pools').where('id', p.poolId).first() : undefined,
      ]);
      const poolInfo = pool
        ? {
            nameZh: pool.name_zh,
            nameEn: pool.name_en,
            usage: await repo.poolUsage(
              knex,
              {
                id: pool.id,
                countyId: pool.county_id,
                code: pool.code,
                nameZh: pool.name_zh,
                nameEn: pool.name_en,
                gradeCodes: pool.grade_codes,
                approved: pool.approved,
                docNo: pool.doc_no,
              },
              clock.today(),
            ),
          }
        : null;
      return { promotion: p, actions, names, pool: poolInfo };
    },

    /** The promotions in scope (up to 500), without the total a page needs. */
    async list(scope: Scope, filter: ListFilter) {
      const f = filterOf(scope, { ...filter, limit: filter.limit ?? 500 });
      return (await repo.listPromotions(knex, f)).filter((p) => visible(scope, p));
    },

    /** A page of the promotions in scope (scoped in SQL), newest change first, with the total. */
    async page(scope: Scope, filter: ListFilter) {
      const f = filterOf(scope, filter);
      const [items, total] = await Promise.all([repo.listPromotions(knex, f), repo.countPromotions(knex, f)]);
      return { items: items.filter((p) => visible(scope, p)), total };
    },

    /** Pools of a county with approved / held / in process, for the dashboard and the plan form (3 queries). */
    async pools(scope: Scope, countyId: number) {
      if (!scope.all && !scope.countyIds.has(countyId)) throw new NotFoundError('county');
      const pools = await repo.poolsOfCounties(knex, [countyId]);
      const usage = await repo.poolsUsage(knex, pools, clock.today());
      return pools.map((pool) => ({ pool, usage: usage.get(pool.id) as PoolUsage }));
    },

    /**
     * The county's rank quota (职级职数核定): each rank group's pool (or none yet) with its usage today and every
     * decision. County roles only (township officers and staff: 404).
     */
    async poolAdmin(scope: Scope, countyId: number) {
      const county = await regions.findRegion(knex, countyId, 'county');
      if (!county || !(scope.all || scope.fullCountyIds.has(countyId))) throw new NotFoundError('county');
      const pools = await repo.poolsOfCounties(knex, [countyId]);
      const [usage, decisions] = await Promise.all([
        repo.poolsUsage(knex, pools, clock.today()),
        repo.poolDecisions(
          knex,
          pools.map((p) => p.id),
        ),
      ]);
      return {
        county,
        groups: RANK_POOL_GROUPS.map((group) => {
          const pool = pools.find((p) => p.code === group.code) ?? null;
          return {
            group,
            pool,
            usage: pool ? (usage.get(pool.id) ?? null) : null,
            decisions: pool ? decisions.filter((d) => d.poolId === pool.id) : [],
          };
        }),
      };
    },

    /** The usage of a group's pool on a date (for the check page), or null when the county has no pool yet. */
    async poolUsageOn(countyId: number, group: string, on: string) {
      const pool = (await repo.poolsOfCounties(knex, [countyId])).find((p) => p.code === group);
      return pool ? repo.poolUsage(knex, pool, on) : null;
    },

    /**
     * Records an approved number for a county's rank group from a date, with its 文号 (the establishment officer
     * or the administrator): the pool row is locked, a correction cites the decision it corrects (once), one
     * audit entry. Answers how many places the pool is over on that date (held + in process − approved).
     */
    async recordPoolDecision(
      ctx: RequestContext,
      input: PoolDecisionInput,
    ): Promise<WriteResult<{ id: number; poolId: number; over: number }>> {
      const county = await regions.findRegion(knex, input.countyId, 'county');
      if (!county || !(ctx.scope.all || ctx.scope.fullCountyIds.has(input.countyId)))
        throw new NotFoundError('county');
      assertCan(canDecideForCounty(ctx.principal, input.countyId));
      const group = RANK_POOL_GROUPS.find((g) => g.code === input.group);
      if (!group) return refuse('group', 'rank_pool_unknown');
      return writeTransaction(knex, async (trx) => {
        const earlier = await claimKey(trx, input.formKey, ctx.principal.userId, 'rank_pool_decision');
        if (earlier)
          return {
            ok: true,
            value: earlier.result as { id: number; poolId: number; over: number },
            replayed: true,
          };
        const poolId = await repo.ensurePool(trx, { countyId: input.countyId, ...group });
        await repo.lockPool(trx, poolId);
        if (input.correctsId !== null) {
          const wrong = await trx('rank_quota_pool_decisions').where('id', input.correctsId).first();
          if (!wrong || wrong.pool_id !== poolId) return refuse('correctsId', 'correction_not_found');
          if (await trx('rank_quota_pool_decisions').where('corrects_id', input.correctsId).first('id'))
            return refuse('correctsId', 'already_corrected');
        }
        const pool = (await repo.poolsOfCounties(trx, [input.countyId])).find(
          (p) => p.id === poolId,
        ) as repo.Pool;
        const before = await repo.poolUsage(trx, pool, input.effectiveFrom);
        const id = await repo.insertPoolDecision(trx, {
          poolId,
          approvedCount: input.approvedCount,
          effectiveFrom: input.effectiveFrom,
          docNo: input.docNo,
          changeSummary: input.changeSummary,
          correctsId: input.correctsId,
          createdBy: ctx.principal.userId,
        });
        const after = await repo.poolUsage(trx, pool, input.effectiveFrom);
        const over = Math.max(0, after.held + after.inProcess - after.approved);
        await appendAudit(trx, ctx.actor, {
          action: input.correctsId ? 'rank_quota_decision.corrected' : 'rank_quota_decision.recorded',
          entityType: 'rank_quota_decision',
          entityId: id,
          before: { pool: group.code, approved: before.approved, correctsId: input.correctsId },
          after: {
            county: county.name,
            pool: group.code,
            approved: input.approvedCount,
            effectiveFrom: input.effectiveFrom,
            docNo: input.docNo,
            changeSummary: input.changeSummary,
            held: after.held,
            inProcess: after.inProcess,
            over,
          },
        });
        const value = { id, poolId, over };
        await recordResult(trx, input.formKey, value);
        return { ok: true, value };
      }).catch((err: { code?: string; constraint?: string }) => {
        if (err.code === '23505' && err.constraint === 'rank_quota_pool_decisions_corrected_once_key')
          return refuse('correctsId', 'already_corrected');
        throw err;
      });
    },

    /** Plans a promotion of a person in scope to the next rank: township officers and county reviewers. */
    async create(
      ctx: RequestContext,
      input: CreateInput,
    ): Promise<WriteResult<{ id: number; state: RankPromotionState; version: number }>> {
      const today = clock.today();
      if (!ctx.scope.all && !(await isPersonInScope(knex, ctx.scope, input.personId, today)))
        throw new NotFoundError('person');
      const townshipId = await careers.homeTownshipOf(knex, input.personId, today);
      const township = townshipId ? await regions.findRegion(knex, townshipId, 'township') : undefined;
      if (!township?.parentId) return refuse('personId', 'person_without_township');
      const countyId = township.parentId;
      assertCan(officerOf(ctx.principal, township.id) || reviewerOf(ctx.principal, countyId));
      const current = await repo.currentRank(knex, input.personId, today);
      const target = await knex('grade_levels')
        .where({ code: input.targetGrade, ladder: 'civil_service_rank' })
        .first('code', 'step');
      if (!target) return refuse('targetGrade', 'rank_target_unknown');
      if (current) {
        const from = await knex('grade_levels')
          .where({ code: current.grade_code, ladder: 'civil_service_rank' })
          .first('step');
        if (from && target.step !== from.step + 1) return refuse('targetGrade', 'rank_not_next');
      }
      const path = pathFor(input.targetGrade);
      const pool =
        path === 'standard' ? await repo.poolForGrade(knex, countyId, input.targetGrade) : undefined;
      if (path === 'standard' && !pool) return refuse('targetGrade', 'rank_quota_no_pool');
      return writeTransaction(knex, async (trx) => {
        const earlier = await claimKey(trx, input.formKey, ctx.principal.userId, 'rank_promotion');
        if (earlier)
          return {
            ok: true,
            value: earlier.result as { id: number; state: RankPromotionState; version: number },
            replayed: true,
          };
        if (pool) {
          const full = await checkPool(trx, pool.id, false, today);
          if (full) return full;
        }
        const open = await trx('rank_promotions')
          .where('person_id', input.personId)
          .whereIn('state', [...OPEN_RANK_STATES])
          .first('id');
        if (open) return refuse('personId', 'rank_promotion_open');
        const id = await repo.insertPromotion(trx, {
          countyId,
          townshipId: township.id,
          personId: input.personId,
          fromGrade: current?.grade_code ?? null,
          targetGrade: input.targetGrade,
          path,
          poolId: pool?.id ?? null,
          reason: input.reason,
          docNo: input.docNo,
          proposerUserId: ctx.principal.userId,
        });
        const role = officerOf(ctx.principal, township.id) ? 'township_officer' : 'county_reviewer';
        await repo.insertAction(trx, {
          promotionId: id,
          action: 'create',
          actorUserId: ctx.principal.userId,
          actorRole: role,
          comment: input.reason,
          docNo: input.docNo,
          fromState: null,
          toState: 'planned',
        });
        await appendAudit(trx, ctx.actor, {
          action: 'rank_promotion.created',
          entityType: 'rank_promotion',
          entityId: id,
          after: {
            personId: input.personId,
            from: current?.grade_code ?? null,
            target: input.targetGrade,
            path,
            poolId: pool?.id ?? null,
            reason: input.reason,
            docNo: input.docNo,
          },
        });
        const value = { id, state: 'planned' as RankPromotionState, version: 1 };
        await recordResult(trx, input.formKey, value);
        return { ok: true, value };
      }).catch((err: { code?: string; constraint?: string }) => {
        if (err.code === '23505' && err.constraint === 'rank_promotions_one_open_per_person_key')
          return refuse('personId', 'rank_promotion_open');
        throw err;
      });
    },

    /** One step: recommend, review, publicise, approve, effect, return or withdraw. */
    async step(
      ctx: RequestContext,
      id: number,
      input: StepInput,
    ): Promise<WriteResult<{ id: number; state: RankPromotionState; version: number }>> {
      await load(ctx.scope, id);
      const today = clock.today();
      return writeTransaction(knex, async (trx) => {
        const earlier = await claimKey(trx, input.formKey, ctx.principal.userId, 'rank_promotion_step');
        if (earlier)
          return {
            ok: true,
            value: earlier.result as { id: number; state: RankPromotionState; version: number },
            replayed: true,
          };
        const p = await repo.lockPromotion(trx, id);
        if (!p) throw new NotFoundError('promotion');
        if (p.version !== input.version)
          return refuse(
            'version',
            p.state === 'effective' || p.state === 'withdrawn' ? 'already_decided' : 'stale_version',
          );
        const t = rankTransition(p, input.action, actingUser(ctx.principal, p), today);
        if (!t.ok) return refuse('action', t.code);
        const change: Parameters<typeof repo.updatePromotion>[2] = { state: t.state };
        if (input.docNo) change.docNo = input.docNo;
        if (input.action === 'recommend') {
          if (!input.method) return refuse('method', 'rank_method_required');
          change.method = input.method;
        }
        if (input.action === 'return' && input.comment.trim() === '')
          return refuse('comment', 'return_reason_required');
        if (input.action === 'publicise') {
          const start = input.date ?? today;
          change.publicityStart = start;
          change.publicityEnd = await workingDays.publicityEnd(start, PUBLICITY_WORKING_DAYS, trx);
        }
        if (input.action === 'return') {
          change.method = null;
          change.publicityStart = null;
          change.publicityEnd = null;
        }
        if ((input.action === 'approve' || input.action === 'effect') && p.poolId) {
          const full = await checkPool(trx, p.poolId, true, today);
          if (full) return full;
        }
        let gradeId: number | null = null;
        if (input.action === 'effect') {
          const on = input.date ?? today;
          change.effectiveOn = on;
          try {
            gradeId = await trx.transaction(async (sp) =>
              repo.writeRank(sp, {
                personId: p.personId,
                grade: p.targetGrade,
                from: on,
                docNo: input.docNo ?? p.docNo,
                reason: '职级晋升',
              }),
            );
          } catch (err) {
            const e = err as { code?: string };
            if (e.code === '23P01' || e.code === '23514') return refuse('date', 'rank_effective_conflict');
            throw err;
          }
          change.gradeId = gradeId;
        }
        await repo.updatePromotion(trx, id, change);
        await repo.insertAction(trx, {
          promotionId: id,
          action: input.action,
          actorUserId: ctx.principal.userId,
          actorRole: t.actingRole,
          comment: input.comment,
          docNo: input.docNo,
          fromState: p.state,
          toState: t.state,
        });
        await appendAudit(trx, ctx.actor, {
          action: `rank_promotion.${input.action}`,
          entityType: 'rank_promotion',
          entityId: id,
          before: { state: p.state, version: p.version },
          after: {
            state: t.state,
            comment: input.comment,
            docNo: input.docNo,
            method: change.method,
            publicityStart: change.publicityStart,
            publicityEnd: change.publicityEnd,
            effectiveOn: change.effectiveOn,
            gradeId,
          },
        });
        const value = { id, state: t.state, version: p.version + 1 };
        await recordResult(trx, input.formKey, value);
        return { ok: true, value };
      });
    },

    /** Promotions waiting for the user's role (the inbox): steps only the county takes, or the township's. */
    async waitingFor(principal: Principal, scope: Scope) {
      const open = await this.list(scope, {
        states: ['planned', 'recommended', 'reviewed', 'in_publicity', 'approved'],
      });
      const today = clock.today();
      return open.filter((p) => {
        const actions = availableActions(p, actingUser(principal, p), today).filter(
          (a) => a !== 'withdraw' && a !== 'return',
        );
        return actions.length > 0;
      });
    },
  };
}

export type RankPromotionService = ReturnType<typeof createRankPromotionService>;
