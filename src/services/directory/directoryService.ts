import type { Knex } from 'knex';
import type { Scope } from '../../auth/principal.js';
import * as org from '../../db/repositories/org.js';
import * as people from '../../db/repositories/people.js';
import * as quota from '../../db/repositories/quota.js';
import * as regions from '../../db/repositories/regions.js';
import type { Clock } from '../../domain/clock.js';
import { type AssessedUsage, assessUsage, totalUsage } from '../../domain/quota.js';
import { NotFoundError } from '../../errors.js';
import type { EstablishmentReads } from '../establishment/establishmentReads.js';

/**
 * Read-only navigation city → county → township → unit → post → person, always inside the caller's scope.
 * Anything outside it is NotFound, never Forbidden.
 */
export function createDirectoryService(deps: {
  knex: Knex;
  clock: Clock;
  /** County figures come from the establishment reads' cached county overview (validated per request). */
  establishment: Pick<EstablishmentReads, 'countyFigures'>;
}) {
  const { knex, clock, establishment } = deps;

  function regionVisible(scope: Scope, region: regions.Region): boolean {
    if (scope.all) return true;
    if (region.kind === 'city') return scope.cityIds.has(region.id);
    if (region.kind === 'county') return scope.countyIds.has(region.id);
    return scope.townshipIds.has(region.id);
  }

  async function visibleRegion(scope: Scope, id: number, kind: 'city' | 'county' | 'township') {
    const region = await regions.findRegion(knex, id, kind);
    if (!region || !regionVisible(scope, region)) throw new NotFoundError(kind);
    return region;
  }

  /** Breadcrumb path; ancestors outside the scope are shown without a link. */
  async function pathOf(scope: Scope, regionId: number) {
    const path = await regions.regionPath(knex, regionId);
    return path.map((r) => ({ ...r, linked: regionVisible(scope, r) }));
  }

  return {
    today: () => clock.today(),

    async cities(scope: Scope) {
      const all = await regions.listRegions(knex, 'city');
      return all.filter((c) => regionVisible(scope, c));
    },

    async city(scope: Scope, id: number) {
      const city = await visibleRegion(scope, id, 'city');
      const counties = (await regions.childRegions(knex, id)).filter((c) => regionVisible(scope, c));
      const asOf = clock.today();
      const rows = [];
      for (const county of counties) {
        const figures = await establishment.countyFigures(scope, county.id, asOf);
        const usage = totalUsage(figures.townships.map((t) => totalUsage(t.usage)));
        const headcount = figures.townships.reduce((s, t) => s + t.headcount, 0);
        rows.push({ county, townships: figures.townships.length, usage, headcount });
      }
      return { city, asOf, counties: rows, path: await pathOf(scope, id) };
    },

    async county(scope: Scope, id: number) {
      const asOf = clock.today();
      const figures = await establishment.countyFigures(scope, id, asOf);
      const rows = figures.townships.map((t) => ({
        township: t.township,
        usage: totalUsage(t.usage),
        headcount: t.headcount,
      }));
      const fullCounty = scope.all || scope.fullCountyIds.has(id);
      return {
        county: figures.county,
        asOf,
        townships: rows,
        total: totalUsage(rows.map((r) => r.usage)),
        headcount: rows.reduce((s, r) => s + r.headcount, 0),
        departments: (fullCounty ? figures.departments : []).map((d) => ({
          department: d.department,
          usage: totalUsage(d.usage),
        })),
        path: figures.path.map((r) => ({ ...r, linked: regionVisible(scope, r) })),
      };
    },

    async township(scope: Scope, id: number) {
      const township = await visibleRegion(scope, id, 'township');
      const asOf = clock.today();
      const [usageRows, units, leaders, heads] = await Promise.all([
        quota.usage(knex, { townshipIds: [id] }, asOf),
        org.unitsOfTownship(knex, id, asOf),
        org.postsWithHolders(knex, { townshipId: id, unitId: null }, asOf),
        people.headcountByTownship(knex, [id], asOf),
      ]);
      const byType: Array<AssessedUsage & { establishmentType: string }> = usageRows.map((u) => ({
        establishmentType: u.establishmentType,
        ...assessUsage(u),
      }));
      return {
        township,
        asOf,
        usageByType: byType,
        total: totalUsage(usageRows),
        units,
        leaders,
        headcount: heads.get(id) ?? 0,
        path: await pathOf(scope, id),
      };
    },

    async roster(scope: Scope, townshipId: number) {
      const township = await visibleRegion(scope, townshipId, 'township');
      const asOf = clock.today();
      const roster = await people.rosterOfTownship(knex, townshipId, asOf);
      return { township, asOf, roster, path: await pathOf(scope, townshipId) };
    },

    async unit(scope: Scope, id: number) {
      const unit = await org.findUnit(knex, id, clock.today());
      if (!unit || !(scope.all || scope.townshipIds.has(unit.townshipId))) throw new NotFoundError('unit');
      const asOf = clock.today();
      const posts = await org.postsWithHolders(knex, { townshipId: unit.townshipId, unitId: id }, asOf);
      return { unit, asOf, posts, path: await pathOf(scope, unit.townshipId) };
    },

    async post(scope: Scope, id: number) {
      const post = await org.findPost(knex, id);
      if (!post || !(scope.all || scope.townshipIds.has(post.townshipId))) throw new NotFoundError('post');
      const [unit, history] = await Promise.all([
        post.unitId ? org.findUnit(knex, post.unitId, clock.today()) : Promise.resolve(undefined),
        org.postHistory(knex, id),
      ]);
      const asOf = clock.today();
      return {
        post,
        unit: unit ?? null,
        asOf,
        history: history.map((h) => ({
          ...h,
          current: h.validFrom <= asOf && (h.validTo === null || h.validTo > asOf),
        })),
        path: await pathOf(scope, post.townshipId),
      };
    },
  };
}

export type DirectoryService = ReturnType<typeof createDirectoryService>;
