import type { Knex } from 'knex';
import { appendAudit } from '../../db/repositories/audit.js';
import { claimKey, recordResult } from '../../db/repositories/idempotency.js';
import * as leadership from '../../db/repositories/leadership.js';
import * as posts from '../../db/repositories/posts.js';
import * as quota from '../../db/repositories/quota.js';
import * as regions from '../../db/repositories/regions.js';
import * as units from '../../db/repositories/units.js';
import type { UnitKind, UnitRank } from '../../db/tables.js';
import { assessUsage, type EstablishmentType, typesForUnit } from '../../domain/quota.js';
import { NotFoundError } from '../../errors.js';
import { assertCan, canDecideForCounty, type RequestContext, townshipVisible } from '../access.js';
import { constraintRefusal, refuse, type WriteResult, writeTransaction } from './results.js';

export interface QuotaDecisionInput {
  holderId: number;
  establishmentType: EstablishmentType;
  approvedCount: number;
  effectiveFrom: string;
  docNo: string;
  changeSummary: string;
  correctsId: number | null;
  formKey: string;
}

export interface SlotDecisionInput {
  townshipId: number;
  kind: string;
  slotCount: number;
  rank: 'section_chief' | 'deputy_section' | 'stock';
  counted: boolean;
  concurrentOnly: boolean;
  temporary: boolean;
  writeOffOn: string | null;
  effectiveFrom: string;
  docNo: string;
  changeSummary: string;
  correctsId: number | null;
  formKey: string;
}

export interface TotalDecisionInput {
  townshipId: number;
  total: number;
  effectiveFrom: string;
  docNo: string;
  changeSummary: string;
  correctsId: number | null;
  formKey: string;
}

export type UnitChange =
  | { kind: 'rename'; name: string }
  | { kind: 'change_rank'; rank: UnitRank }
  | { kind: 'set_aliases'; aliasNames: string[] }
  | { kind: 'set_featured'; featured: boolean };

export interface UnitDecisionCommon {
  townshipId: number;
  effectiveOn: string;
  docNo: string;
  summary: string;
  formKey: string;
}

/**
 * The establishment office's decisions (编办): quota (核定编制), leadership slots (领导职数) and their township
 * total, and units (设立, 更名, 规格, 挂牌, 特色机构, 撤销, 合并, 分设). Each is one transaction with one audit
 * entry; a decision never changes: a wrong one is corrected by a new decision that cites it.
 */
export function createEstablishmentDecisions(deps: { knex: Knex }) {
  const { knex } = deps;

  /** The county of a township the caller can see, checked to be theirs to decide for. */
  async function countyOfTownship(ctx: RequestContext, townshipId: number): Promise<regions.Region> {
    const township = await regions.findRegion(knex, townshipId, 'township');
    if (!township || !townshipVisible(ctx.scope, townshipId)) throw new NotFoundError('township');
    assertCan(canDecideForCounty(ctx.principal, township.parentId as number));
    return township;
  }

  async function replay<T>(trx: Knex.Transaction, ctx: RequestContext, formKey: string, action: string) {
    const earlier = await claimKey(trx, formKey, ctx.principal.userId, action);
    return earlier ? ({ ok: true, value: earlier.result as T, replayed: true } as const) : null;
  }

  return {
    async recordQuotaDecision(
      ctx: RequestContext,
      input: QuotaDecisionInput,
    ): Promise<WriteResult<{ id: number; over: number }>> {
      const holder = await quota.findHolder(knex, input.holderId);
      const visible =
        holder &&
        (holder.townshipId !== null
          ? townshipVisible(ctx.scope, holder.townshipId)
          : ctx.scope.all || ctx.scope.fullCountyIds.has(holder.countyId));
      if (!holder || !visible) throw new NotFoundError('quota holder');
      assertCan(canDecideForCounty(ctx.principal, holder.countyId));
      return writeTransaction(knex, async (trx) => {
        const again = await replay<{ id: number; over: number }>(trx, ctx, input.formKey, 'quota_decision');
        if (again) return again;
        const accountId = await quota.ensureAccount(trx, holder.id, input.establishmentType);
        await quota.lockAccount(trx, accountId);
        if (input.correctsId !== null) {
          const wrong = await quota.findQuotaDecision(trx, input.correctsId);
          if (!wrong || wrong.account_id !== accountId) return refuse('correctsId', 'correction_not_found');
          if (await quota.isQuotaDecisionCorrected(trx, input.correctsId)) {
            return refuse('correctsId', 'already_corrected');
          }
        }
        const [before] = await quota.usage(trx, { accountIds: [accountId] }, input.effectiveFrom);
        const id = await quota.insertQuotaDecision(trx, { accountId, ...input });
        const [after] = await quota.usage(trx, { accountIds: [accountId] }, input.effectiveFrom);
        const assessed = assessUsage(after as quota.UsageRow);
        await appendAudit(trx, ctx.actor, {
          action: input.correctsId ? 'quota_decision.corrected' : 'quota_decision.recorded',
          entityType: 'quota_decision',
          entityId: id,
          before: {
            holder: holder.name,
            type: input.establishmentType,
            approved: before?.approved ?? 0,
            correctsId: input.correctsId,
          },
          after: {
            holder: holder.name,
            type: input.establishmentType,
            approved: input.approvedCount,
            effectiveFrom: input.effectiveFrom,
            docNo: input.docNo,
            changeSummary: input.changeSummary,
            occupied: assessed.occupied,
            reserved: assessed.reserved,
            over: assessed.over,
          },
        });
        const value = { id, over: assessed.over };
        await recordResult(trx, input.formKey, value);
        return { ok: true, value } as const;
      });
    },

    async recordSlotDecision(
      ctx: RequestContext,
      input: SlotDecisionInput,
    ): Promise<WriteResult<{ id: number }>> {
      const township = await countyOfTownship(ctx, input.townshipId);
      const kind = await leadership.findLeadershipKind(knex, input.kind);
      if (kind?.scope !== 'township') return refuse('kind', 'unknown_leadership_kind');
      return writeTransaction(knex, async (trx) => {
        const again = await replay<{ id: number }>(trx, ctx, input.formKey, 'slot_decision');
        if (again) return again;
        const accountId = await leadership.ensureSlotAccount(trx, input.townshipId, input.kind);
        await leadership.lockSlotAccount(trx, accountId);
        if (input.correctsId !== null) {
          const state = await leadership.slotDecisionState(trx, input.correctsId, accountId);
          if (!state.exists) return refuse('correctsId', 'correction_not_found');
          if (state.corrected) return refuse('correctsId', 'already_corrected');
        }
        const id = await leadership.insertSlotDecision(trx, { accountId, ...input });
        await appendAudit(trx, ctx.actor, {
          action: input.correctsId ? 'slot_decision.corrected' : 'slot_decision.recorded',
          entityType: 'leadership_slot_decision',
          entityId: id,
          after: { township: township.name, ...input, formKey: undefined },
        });
        await recordResult(trx, input.formKey, { id });
        return { ok: true, value: { id } } as const;
      });
    },

    async recordTotalDecision(
      ctx: RequestContext,
      input: TotalDecisionInput,
    ): Promise<WriteResult<{ id: number }>> {
      const township = await countyOfTownship(ctx, input.townshipId);
      return writeTransaction(knex, async (trx) => {
        const again = await replay<{ id: number }>(trx, ctx, input.formKey, 'total_decision');
        if (again) return again;
        await leadership.lockTownshipSlots(trx, input.townshipId);
        if (input.correctsId !== null) {
          if (!(await leadership.totalDecisionExists(trx, input.correctsId, input.townshipId)))
            return refuse('correctsId', 'correction_not_found');
        }
        const before = await leadership.totalOn(trx, input.townshipId, input.effectiveFrom);
        const id = await leadership.insertTotalDecision(trx, input);
        await appendAudit(trx, ctx.actor, {
          action: 'leadership_total.recorded',
          entityType: 'leadership_total_decision',
          entityId: id,
          before: { total: before?.total ?? null },
          after: {
            township: township.name,
            total: input.total,
            effectiveFrom: input.effectiveFrom,
            docNo: input.docNo,
          },
        });
        await recordResult(trx, input.formKey, { id });
        return { ok: true, value: { id } } as const;
      });
    },

    /** 设立: a new office or station (or a dispatched unit of a county department), within the unit limits. */
    async establishUnit(
      ctx: RequestContext,
      input: UnitDecisionCommon & {
        kind: UnitKind;
        name: string;
        aliasNames: string[];
        rank: UnitRank;
        featured: boolean;
        departmentId: number | null;
      },
    ): Promise<WriteResult<{ unitId: number; decisionId: number }>> {
      const township = await countyOfTownship(ctx, input.townshipId);
      if (input.kind === 'dispatched') {
        const dept = input.departmentId ? await regions.findDepartment(knex, input.departmentId) : undefined;
        if (!dept || dept.countyId !== township.parentId)
          return refuse('departmentId', 'department_required');
        if (input.featured) return refuse('featured', 'featured_not_dispatched');
      }
      const settings = await units.countySettings(knex, township.parentId as number);
      return writeTransaction(knex, async (trx) => {
        const again = await replay<{ unitId: number; decisionId: number }>(
          trx,
          ctx,
          input.formKey,
          'unit_establish',
        );
        if (again) return again;
        await regions.lockTownship(trx, input.townshipId);
        if (input.kind !== 'dispatched') {
          const counts = await units.unitCountsOn(trx, input.townshipId, input.effectiveOn);
          if (counts.units + 1 > settings.unitLimit)
            return refuse('kind', 'unit_limit', { limit: settings.unitLimit, count: counts.units });
          if (input.featured && counts.featured + 1 > settings.featuredUnitLimit) {
            return refuse('featured', 'featured_limit', {
              limit: settings.featuredUnitLimit,
              count: counts.featured,
            });
          }
        }
        const decisionId = await units.insertUnitDecision(trx, {
          townshipId: input.townshipId,
          kind: 'establish',
          effectiveOn: input.effectiveOn,
          docNo: input.docNo,
          summary: input.summary || `设立${input.name}`,
        });
        const unitId = await units.insertUnit(trx, {
          townshipId: input.townshipId,
          kind: input.kind,
          departmentId: input.kind === 'dispatched' ? input.departmentId : null,
          establishedOn: input.effectiveOn,
          docNo: input.docNo,
          decisionId,
        });
        try {
          await trx.savepoint(async (sp) => {
            await units.insertVersion(sp, {
              unitId,
              townshipId: input.townshipId,
              decisionId,
              validFrom: input.effectiveOn,
              validTo: null,
              name: input.name,
              aliasNames: input.aliasNames,
              rank: input.rank,
              featured: input.featured,
            });
          });
        } catch (err) {
          const refusal = constraintRefusal(err, {
            unit_versions_unique_name_excl: ['name', 'unit_name_taken'],
          });
          if (refusal) throw new RollbackWith(refusal);
          throw err;
        }
        await appendAudit(trx, ctx.actor, {
          action: 'unit.established',
          entityType: 'unit',
          entityId: unitId,
          after: { township: township.name, ...input, formKey: undefined, decisionId },
        });
        const value = { unitId, decisionId };
        await recordResult(trx, input.formKey, value);
        return { ok: true, value } as const;
      }).catch(unwrapRollback);
    },

    /** 更名 / 规格调整 / 挂牌 / 特色机构: a new version of the unit from the effective date. */
    async changeUnit(
      ctx: RequestContext,
      unitId: number,
      change: UnitChange,
      input: Omit<UnitDecisionCommon, 'townshipId'>,
    ): Promise<WriteResult<{ decisionId: number }>> {
      const unit = await units.findUnitRow(knex, unitId);
      if (!unit) throw new NotFoundError('unit');
      const township = await countyOfTownship(ctx, unit.township_id);
      if (unit.established_on > input.effectiveOn) return refuse('effectiveOn', 'before_established');
      if (unit.abolished_on && unit.abolished_on <= input.effectiveOn)
        return refuse('effectiveOn', 'unit_abolished');
      if (change.kind === 'set_featured' && change.featured && unit.kind === 'dispatched') {
        return refuse('featured', 'featured_not_dispatched');
      }
      const settings = await units.countySettings(knex, township.parentId as number);
      return writeTransaction(knex, async (trx) => {
        const again = await replay<{ decisionId: number }>(trx, ctx, input.formKey, `unit_${change.kind}`);
        if (again) return again;
        await regions.lockTownship(trx, unit.township_id);
        const versions = await units.versionsFrom(trx, unitId, input.effectiveOn);
        const current = versions.find((v) => v.validFrom <= input.effectiveOn) ?? versions[0];
        if (!current) return refuse('effectiveOn', 'unit_abolished');
        if (change.kind === 'set_featured' && change.featured && !current.featured) {
          const counts = await units.unitCountsOn(trx, unit.township_id, input.effectiveOn);
          if (counts.featured + 1 > settings.featuredUnitLimit) {
            return refuse('featured', 'featured_limit', {
              limit: settings.featuredUnitLimit,
              count: counts.featured,
            });
          }
        }
        const decisionId = await units.insertUnitDecision(trx, {
          townshipId: unit.township_id,
          kind: change.kind,
          effectiveOn: input.effectiveOn,
          docNo: input.docNo,
          summary: input.summary,
        });
        const apply = (v: units.UnitVersion): units.UnitVersion => {
          switch (change.kind) {
            case 'rename':
              return { ...v, name: v.name === current.name ? change.name : v.name };
            case 'change_rank':
              return { ...v, rank: v.rank === current.rank ? change.rank : v.rank };
            case 'set_aliases':
              return {
                ...v,
                aliasNames:
                  v.aliasNames.join() === current.aliasNames.join() ? change.aliasNames : v.aliasNames,
              };
            case 'set_featured':
              return { ...v, featured: v.featured === current.featured ? change.featured : v.featured };
          }
        };
        try {
          await trx.savepoint(async (sp) => {
            // The version in force is split at the date; later (future-dated) versions carry the change
            // where they still had the old value, so a later decision on the same attribute keeps winning.
            for (const v of versions) {
              const changed = apply(v);
              if (v === current && v.validFrom < input.effectiveOn) {
                await units.endVersion(sp, v.id, input.effectiveOn);
                await units.insertVersion(sp, {
                  ...changed,
                  townshipId: unit.township_id,
                  decisionId,
                  validFrom: input.effectiveOn,
                });
              } else if (JSON.stringify(changed) !== JSON.stringify(v)) {
                await units.supersedeVersion(sp, v.id);
                await units.insertVersion(sp, { ...changed, townshipId: unit.township_id, decisionId });
              }
            }
          });
        } catch (err) {
          const refusal = constraintRefusal(err, {
            unit_versions_unique_name_excl: ['name', 'unit_name_taken'],
          });
          if (refusal) throw new RollbackWith(refusal);
          throw err;
        }
        await appendAudit(trx, ctx.actor, {
          action: `unit.${change.kind}`,
          entityType: 'unit',
          entityId: unitId,
          before: {
            name: current.name,
            rank: current.rank,
            aliasNames: current.aliasNames,
            featured: current.featured,
          },
          after: { ...change, effectiveOn: input.effectiveOn, docNo: input.docNo, decisionId },
        });
        await recordResult(trx, input.formKey, { decisionId });
        return { ok: true, value: { decisionId } } as const;
      }).catch(unwrapRollback);
    },

    /** 撤销: only a unit nobody works in from that date; its vacant posts close with it. */
    async abolishUnit(ctx: RequestContext, unitId: number, input: Omit<UnitDecisionCommon, 'townshipId'>) {
      const unit = await units.findUnitRow(knex, unitId);
      if (!unit) throw new NotFoundError('unit');
      const township = await countyOfTownship(ctx, unit.township_id);
      if (unit.abolished_on) return refuse('effectiveOn', 'unit_abolished');
      if (unit.established_on >= input.effectiveOn) return refuse('effectiveOn', 'before_established');
      return writeTransaction(knex, async (trx) => {
        const again = await replay<{ decisionId: number }>(trx, ctx, input.formKey, 'unit_abolish');
        if (again) return again;
        const open = await posts.openPostsOfUnit(trx, unitId, input.effectiveOn);
        for (const p of open) {
          await posts.lockPost(trx, p.id);
          if ((await posts.holdersFrom(trx, p.id, input.effectiveOn)).length > 0) {
            return refuse('effectiveOn', 'unit_has_people');
          }
        }
        const decisionId = await units.insertUnitDecision(trx, {
          townshipId: unit.township_id,
          kind: 'abolish',
          effectiveOn: input.effectiveOn,
          docNo: input.docNo,
          summary: input.summary,
        });
        for (const p of open) await posts.closePost(trx, p.id, input.effectiveOn, input.docNo);
        await endVersionsAt(trx, unitId, input.effectiveOn);
        await units.abolishUnit(trx, unitId, input.effectiveOn, input.docNo, decisionId);
        await appendAudit(trx, ctx.actor, {
          action: 'unit.abolished',
          entityType: 'unit',
          entityId: unitId,
          after: {
            township: township.name,
            effectiveOn: input.effectiveOn,
            docNo: input.docNo,
            closedPosts: open.length,
            decisionId,
          },
        });
        await recordResult(trx, input.formKey, { decisionId });
        return { ok: true, value: { decisionId } } as const;
      });
    },

    /**
     * 合并 (merge: every post of the sources moves to the target, the sources are abolished) and 分设 (split:
     * chosen posts move to chosen units, the source is abolished if asked and emptied). One decision, one
     * 文号, all or nothing: each moved post closes and a successor opens in its new unit the same day; its
     * holder moves with it (编随事走, 人随编走). A post whose types don't suit its new unit becomes a
     * recorded cross-type post.
     */
    async reorganise(
      ctx: RequestContext,
      input: UnitDecisionCommon & {
        kind: 'merge' | 'split';
        moves: Array<{ postId: number; toUnitId: number }>;
        abolishUnitIds: number[];
      },
    ): Promise<WriteResult<{ decisionId: number; moved: number }>> {
      const township = await countyOfTownship(ctx, input.townshipId);
      if (input.moves.length === 0) return refuse('moves', 'nothing_to_move');
      return writeTransaction(knex, async (trx) => {
        const again = await replay<{ decisionId: number; moved: number }>(
          trx,
          ctx,
          input.formKey,
          `unit_${input.kind}`,
        );
        if (again) return again;
        const on = input.effectiveOn;
        const unitIds = [...new Set([...input.moves.map((m) => m.toUnitId), ...input.abolishUnitIds])];
        const unitRows = await units.lockUnits(trx, unitIds);
        const unitById = new Map(unitRows.map((u) => [u.id, u]));
        for (const id of unitIds) {
          const u = unitById.get(id);
          if (!u || u.township_id !== input.townshipId) return refuse('moves', 'unit_not_in_township');
          if (u.established_on > on || (u.abolished_on && u.abolished_on <= on))
            return refuse('moves', 'unit_not_open');
        }
        const decisionId = await units.insertUnitDecision(trx, {
          townshipId: input.townshipId,
          kind: input.kind,
          effectiveOn: on,
          docNo: input.docNo,
          summary: input.summary,
        });
        const moved: Array<Record<string, unknown>> = [];
        for (const move of input.moves) {
          const post = await posts.lockPost(trx, move.postId);
          if (!post || post.township_id !== input.townshipId) return refuse('moves', 'post_not_in_township');
          if (post.opened_on > on || (post.closed_on && post.closed_on <= on))
            return refuse('moves', 'post_not_open');
          if (post.unit_id === move.toUnitId) continue;
          const target = unitById.get(move.toUnitId) as { kind: UnitKind };
          const holders = await posts.holdersFrom(trx, post.id, on);
          if (holders.some((h) => h.valid_from > on)) return refuse('moves', 'post_has_future_holder');
          const fits = post.establishment_types.every((t: EstablishmentType) =>
            typesForUnit(target.kind).includes(t),
          );
          await posts.closePost(trx, post.id, on, input.docNo);
          const successor = await posts.insertPost(trx, {
            townshipId: input.townshipId,
            unitId: move.toUnitId,
            name: post.name,
            category: post.category,
            leadershipKind: post.leadership_kind,
            establishmentTypes: post.establishment_types,
            gradeLow: post.grade_low,
            gradeHigh: post.grade_high,
            openedOn: on,
            docNo: input.docNo,
            crossType: post.cross_type || !fits,
            succeedsPostId: post.id,
          });
          for (const h of holders) {
            await posts.endAssignment(trx, h.id, on);
            const continued = await posts.insertAssignment(trx, {
              personId: h.person_id,
              postId: successor,
              kind: h.kind,
              validFrom: on,
              plannedUntil: h.planned_until,
              reason: input.kind === 'merge' ? '机构合并，随岗位划转' : '机构分设，随岗位划转',
              docNo: input.docNo,
            });
            if (h.valid_to) await posts.endAssignment(trx, continued, h.valid_to);
          }
          moved.push({
            from: post.id,
            to: successor,
            unit: move.toUnitId,
            people: holders.map((h) => h.person_id),
            crossType: !fits,
          });
        }
        for (const unitId of input.abolishUnitIds) {
          const stillOpen = await posts.openPostsOfUnit(trx, unitId, on);
          for (const p of stillOpen) {
            if ((await posts.holdersFrom(trx, p.id, on)).length > 0)
              throw new RollbackWith(refuse('moves', 'unit_has_people'));
            await posts.closePost(trx, p.id, on, input.docNo);
          }
          await endVersionsAt(trx, unitId, on);
          await units.abolishUnit(trx, unitId, on, input.docNo, decisionId);
        }
        await appendAudit(trx, ctx.actor, {
          action: `unit.${input.kind}`,
          entityType: 'unit_decision',
          entityId: decisionId,
          after: {
            township: township.name,
            effectiveOn: on,
            docNo: input.docNo,
            moved,
            abolished: input.abolishUnitIds,
          },
        });
        const value = { decisionId, moved: moved.length };
        await recordResult(trx, input.formKey, value);
        return { ok: true, value } as const;
      }).catch(unwrapRollback);
    },
  };
}

async function endVersionsAt(trx: Knex.Transaction, unitId: number, on: string) {
  for (const v of await units.versionsFrom(trx, unitId, on)) {
    if (v.validFrom < on) await units.endVersion(trx, v.id, on);
    else await units.supersedeVersion(trx, v.id);
  }
}

/** Thrown inside a transaction to roll it back and answer with a refusal instead of an error. */
class RollbackWith extends Error {
  constructor(readonly refusal: ReturnType<typeof refuse>) {
    super(refusal.code);
  }
}

function unwrapRollback(err: unknown): ReturnType<typeof refuse> {
  if (err instanceof RollbackWith) return err.refusal;
  throw err;
}

export type EstablishmentDecisions = ReturnType<typeof createEstablishmentDecisions>;
