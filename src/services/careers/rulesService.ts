import type { Knex } from 'knex';
import type { Principal } from '../../auth/principal.js';
import { appendAudit } from '../../db/repositories/audit.js';
import * as careers from '../../db/repositories/careers.js';
import * as rulesRepo from '../../db/repositories/eligibilityRules.js';
import { claimKey, recordResult } from '../../db/repositories/idempotency.js';
import * as regions from '../../db/repositories/regions.js';
import { compareTargets } from '../../domain/career.js';
import type { Clock } from '../../domain/clock.js';
import { compareText } from '../../domain/dates.js';
import { ruleInForce, sanctionPeriodInForce } from '../../domain/eligibility/index.js';
import { NotFoundError } from '../../errors.js';
import type { RequestContext } from '../access.js';
import { constraintRefusal, refuse, type WriteResult } from '../establishment/results.js';

export interface PromotionRuleForm extends rulesRepo.PromotionRuleInput {
  formKey: string;
}

export interface SanctionPeriodForm extends rulesRepo.SanctionPeriodInput {
  formKey: string;
}

/** Version state on a date: in force for its scope, replaced by a later version, or not yet in force. */
export type VersionState = 'current' | 'replaced' | 'future';

const isAdmin = (p: Principal) => p.grants.some((g) => g.role === 'admin');

/** A refusal found inside the transaction: thrown so that the form key's claim is rolled back with it. */
class Refused extends Error {
  constructor(readonly result: ReturnType<typeof refuse>) {
    super(result.code);
  }
}

const refused = (field: string, code: string): never => {
  throw new Refused(refuse(field, code));
};

/** The refusal of a write that threw one (or a constraint the form can explain), else rethrows. */
function refusalOf(err: unknown, constraints: Record<string, [string, string]>) {
  if (err instanceof Refused) return err.result;
  const refusal = constraintRefusal(err, constraints);
  if (refusal) return refusal;
  throw err;
}

/**
 * The promotion rules and sanction impact periods as data, per county and versioned by effective date
 * (domain guide section 6 and 8, [local]). Only the administrator sees or records them (others: 404).
 * A version is never edited: each write inserts a new row, in one transaction with one audit entry.
 */
export function createRulesService(deps: { knex: Knex; clock: Clock }) {
  const { knex, clock } = deps;

  function assertAdmin(principal: Principal): void {
    if (!isAdmin(principal)) throw new NotFoundError('page');
  }

  async function replay<T>(trx: Knex.Transaction, ctx: RequestContext, formKey: string, action: string) {
    const earlier = await claimKey(trx, formKey, ctx.principal.userId, action);
    return earlier ? ({ ok: true, value: earlier.result as T, replayed: true } as const) : null;
  }

  return {
    /** Every version with its state on the date, the national sanction periods and the counties. */
    async overview(principal: Principal, asOf: string) {
      assertAdmin(principal);
      const [rules, periods, names, counties] = await Promise.all([
        rulesRepo.promotionRuleVersions(knex),
        rulesRepo.sanctionPeriodVersions(knex),
        careers.referenceNames(knex),
        regions.listRegions(knex, 'county'),
      ]);
      const latestFirst = <T extends { effectiveFrom: string }>(list: T[]) =>
        [...list].sort((a, b) => compareText(b.effectiveFrom, a.effectiveFrom));
      const ruleState = (r: rulesRepo.PromotionRuleVersion): VersionState => {
        if (r.effectiveFrom > asOf) return 'future';
        const same = latestFirst(rules.filter((x) => x.target === r.target && x.countyId === r.countyId));
        return ruleInForce(same, r.countyId, asOf) === r ? 'current' : 'replaced';
      };
      const periodState = (p: rulesRepo.SanctionPeriodVersion): VersionState => {
        if (p.effectiveFrom > asOf) return 'future';
        const same = latestFirst(
          periods.filter((x) => x.kindCode === p.kindCode && x.countyId === p.countyId),
        );
        return sanctionPeriodInForce(same, asOf) === p ? 'current' : 'replaced';
      };
      // National defaults first, then each county; targets in reading order; versions by date.
      const grade = new Map(names.grades.map((g) => [g.code, g]));
      const position = (code: string) => grade.get(code) ?? { ladder: 'skilled' as const, step: 99 };
      const ordered = [...rules].sort(
        (a, b) =>
          (a.countyId === null ? 0 : 1) - (b.countyId === null ? 0 : 1) ||
          compareText(a.countyName ?? '', b.countyName ?? '') ||
          compareTargets(position(a.target), position(b.target)) ||
          compareText(a.effectiveFrom, b.effectiveFrom),
      );
      return {
        asOf,
        rules: ordered.map((r) => ({ ...r, state: ruleState(r) })),
        periods: periods.map((p) => ({ ...p, state: periodState(p) })),
        names,
        counties,
      };
    },

    /** What the forms offer: counties, grades, sanction kinds with a fixed period. */
    async formOptions(principal: Principal) {
      assertAdmin(principal);
      const [names, counties, rules] = await Promise.all([
        careers.referenceNames(knex),
        regions.listRegions(knex, 'county'),
        rulesRepo.promotionRuleVersions(knex),
      ]);
      return {
        counties,
        grades: names.grades,
        sanctionKinds: names.sanctionKinds.filter((k) => k.impactMonths !== null),
        targets: names.grades.filter((g) => rules.some((r) => r.target === g.code) || g.step > 1),
        rules,
        today: clock.today(),
      };
    },

    /** The version in force for a county and target on a date (to start a new version from it). */
    async ruleFor(principal: Principal, countyId: number | null, target: string, on: string) {
      assertAdmin(principal);
      const versions = (await rulesRepo.promotionRuleVersions(knex))
        .filter((r) => r.target === target)
        .sort((a, b) => compareText(b.effectiveFrom, a.effectiveFrom));
      return ruleInForce(versions, countyId, on) ?? null;
    },

    async recordPromotionRule(
      ctx: RequestContext,
      input: PromotionRuleForm,
    ): Promise<WriteResult<{ id: number }>> {
      assertAdmin(ctx.principal);
      const names = await careers.referenceNames(knex);
      const codes = new Set(names.grades.map((g) => g.code));
      if (!codes.has(input.target)) return refuse('target', 'target_unknown');
      if (input.countedGrades.some((c) => !codes.has(c))) return refuse('countedGrades', 'counted_unknown');
      if (input.countedGrades.includes(input.target))
        return refuse('countedGrades', 'counted_includes_target');
      try {
        return await knex.transaction(async (trx) => {
          const again = await replay<{ id: number }>(trx, ctx, input.formKey, 'promotion_rule');
          if (again) return again;
          if (!(await rulesRepo.lockCounty(trx, input.countyId))) refused('countyId', 'county_unknown');
          const versions = (await rulesRepo.promotionRuleVersions(trx))
            .filter((r) => r.target === input.target)
            .sort((a, b) => compareText(b.effectiveFrom, a.effectiveFrom));
          if (versions.some((r) => r.countyId === input.countyId && r.effectiveFrom === input.effectiveFrom))
            refused('effectiveFrom', 'rule_version_exists');
          const before = ruleInForce(versions, input.countyId, input.effectiveFrom) ?? null;
          const { formKey: _key, ...row } = input;
          const id = await rulesRepo.insertPromotionRule(trx, row);
          await appendAudit(trx, ctx.actor, {
            action: 'promotion_rule.recorded',
            entityType: 'promotion_rule',
            entityId: id,
            before: before && {
              countyId: before.countyId,
              minMonths: before.minMonths,
              countedGrades: before.countedGrades,
              minEducation: before.minEducation,
              educationBlocks: before.educationBlocks,
              partyMemberRequired: before.partyMemberRequired,
              effectiveFrom: before.effectiveFrom,
              source: before.source,
            },
            after: row,
          });
          const value = { id };
          await recordResult(trx, input.formKey, value);
          return { ok: true, value } as const;
        });
      } catch (err) {
        return refusalOf(err, {
          promotion_rules_scope_target_from_key: ['effectiveFrom', 'rule_version_exists'],
        });
      }
    },

    async recordSanctionPeriod(
      ctx: RequestContext,
      input: SanctionPeriodForm,
    ): Promise<WriteResult<{ id: number }>> {
      assertAdmin(ctx.principal);
      const kinds = (await careers.referenceNames(knex)).sanctionKinds;
      const kind = kinds.find((k) => k.code === input.kindCode);
      if (!kind) return refuse('kindCode', 'kind_unknown');
      if (kind.impactMonths === null) return refuse('kindCode', 'kind_without_period');
      try {
        return await knex.transaction(async (trx) => {
          const again = await replay<{ id: number }>(trx, ctx, input.formKey, 'sanction_period');
          if (again) return again;
          if (!(await rulesRepo.lockCounty(trx, input.countyId))) refused('countyId', 'county_unknown');
          const versions = (await rulesRepo.sanctionPeriodVersions(trx))
            .filter((p) => p.countyId === input.countyId && p.kindCode === input.kindCode)
            .sort((a, b) => compareText(b.effectiveFrom, a.effectiveFrom));
          if (versions.some((p) => p.effectiveFrom === input.effectiveFrom))
            refused('effectiveFrom', 'period_version_exists');
          const previous = sanctionPeriodInForce(versions, input.effectiveFrom);
          const { formKey: _key, ...row } = input;
          const id = await rulesRepo.insertSanctionPeriod(trx, row);
          await appendAudit(trx, ctx.actor, {
            action: 'sanction_period.recorded',
            entityType: 'county_sanction_period',
            entityId: id,
            before: {
              countyId: input.countyId,
              kindCode: input.kindCode,
              impactMonths: previous?.impactMonths ?? kind.impactMonths,
              effectiveFrom: previous?.effectiveFrom ?? null,
              national: previous === undefined,
            },
            after: row,
          });
          const value = { id };
          await recordResult(trx, input.formKey, value);
          return { ok: true, value } as const;
        });
      } catch (err) {
        return refusalOf(err, {
          county_sanction_periods_county_kind_from_key: ['effectiveFrom', 'period_version_exists'],
        });
      }
    },
  };
}

export type RulesService = ReturnType<typeof createRulesService>;
