import type { Knex } from 'knex';
import type { Principal } from '../../auth/principal.js';
import { appendAudit } from '../../db/repositories/audit.js';
import { lockCounty } from '../../db/repositories/eligibilityRules.js';
import { claimKey, recordResult } from '../../db/repositories/idempotency.js';
import * as regions from '../../db/repositories/regions.js';
import * as units from '../../db/repositories/units.js';
import { NotFoundError } from '../../errors.js';
import type { RequestContext } from '../access.js';
import { constraintRefusal, refuse, type WriteResult, writeTransaction } from '../establishment/results.js';

/** Movement kinds a county may let townships file for the record only (备案); the others always need approval. */
export const FILING_ONLY_CHOICES = ['internal', 'secondment', 'exit', 'cross_type'] as const;

export interface CountySettingsForm extends units.CountySettings {
  countyId: number;
  /** The county document that sets these values (recorded in the audit entry). */
  source: string;
  formKey: string;
}

const isAdmin = (p: Principal) => p.grants.some((g) => g.role === 'admin');

/**
 * Each county's configuration [local rules]: the township unit limit and featured units, the unit deputy
 * thresholds, which movement kinds are filed only, how long a quota-use approval holds and the longest
 * secondment. Only the administrator sees or changes it (others: 404); a change is one transaction under
 * the county's row lock with one audit entry holding the values before and after.
 */
export function createCountySettingsService(deps: { knex: Knex }) {
  const { knex } = deps;

  function assertAdmin(principal: Principal): void {
    if (!isAdmin(principal)) throw new NotFoundError('page');
  }

  return {
    /** Every county with its settings (own row or the defaults) and its city. */
    async overview(principal: Principal) {
      assertAdmin(principal);
      const [cities, counties, own] = await Promise.all([
        regions.listRegions(knex, 'city'),
        regions.listRegions(knex, 'county'),
        units.allCountySettings(knex),
      ]);
      const cityName = new Map(cities.map((c) => [c.id, c.name]));
      return counties.map((c) => {
        const saved = own.get(c.id);
        return {
          id: c.id,
          name: c.name,
          cityName: cityName.get(c.parentId as number) ?? '',
          settings: saved ?? units.DEFAULT_COUNTY_SETTINGS,
          updatedAt: saved?.updatedAt ?? null,
        };
      });
    },

    /** One county's settings for the form (404 for anything not a county). */
    async forCounty(principal: Principal, countyId: number) {
      assertAdmin(principal);
      const county = await regions.findRegion(knex, countyId, 'county');
      if (!county) throw new NotFoundError('county');
      return { county, settings: await units.countySettings(knex, countyId) };
    },

    async update(ctx: RequestContext, input: CountySettingsForm): Promise<WriteResult<{ countyId: number }>> {
      assertAdmin(ctx.principal);
      const { countyId, source, formKey, ...settings } = input;
      try {
        return await writeTransaction(knex, async (trx) => {
          const earlier = await claimKey(trx, formKey, ctx.principal.userId, 'county_settings');
          if (earlier) return { ok: true, value: earlier.result as { countyId: number }, replayed: true };
          if (!(await lockCounty(trx, countyId))) return refuse('countyId', 'county_unknown');
          const before = await units.countySettings(trx, countyId);
          await units.saveCountySettings(trx, countyId, settings);
          await appendAudit(trx, ctx.actor, {
            action: 'county_settings.updated',
            entityType: 'county',
            entityId: countyId,
            before,
            after: { ...settings, source },
          });
          const value = { countyId };
          await recordResult(trx, formKey, value);
          return { ok: true, value };
        });
      } catch (err) {
        const refusal = constraintRefusal(err, {
          county_settings_filing_only_kinds_check: ['filingOnlyKinds', 'filing_kind_not_allowed'],
          county_settings_unit_deputy_thresholds_check: ['unitDeputyThresholds', 'thresholds_invalid'],
        });
        if (refusal) return refusal;
        throw err;
      }
    },
  };
}
