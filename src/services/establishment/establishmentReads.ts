import type { Knex } from 'knex';
import type { Scope } from '../../auth/principal.js';
import * as leadership from '../../db/repositories/leadership.js';
import * as org from '../../db/repositories/org.js';
import * as overviewChanges from '../../db/repositories/overviewChanges.js';
import * as people from '../../db/repositories/people.js';
import * as posts from '../../db/repositories/posts.js';
import * as quota from '../../db/repositories/quota.js';
import * as regions from '../../db/repositories/regions.js';
import * as units from '../../db/repositories/units.js';
import type { Clock } from '../../domain/clock.js';
import { type AssessedUsage, assessUsage, type EstablishmentType, totalUsage } from '../../domain/quota.js';
import { NotFoundError } from '../../errors.js';
import { assertTownshipVisible, countyVisible, singleCountyOf, townshipVisible } from '../access.js';
import { ValidatedCache } from '../validatedCache.js';

/** The county overview's figures for every township of the county (cached; see countyOverview). */
interface CountyFigures {
  county: regions.Region;
  path: regions.Region[];
  townships: Array<{
    township: regions.Region;
    usage: quota.UsageRow[];
    headcount: number;
    leadership: { total: number | null; countedFilled: number; flagged: number };
  }>;
  /** The county departments (owners of dispatched units) with their quota use. */
  departments: Array<{ department: regions.CountyDepartment; usage: quota.UsageRow[] }>;
}

/** Every this many cache misses, fold the change log (a few hundred rows per county at most). */
const COMPACT_EVERY = 500;

/**
 * Township-and-date entries of the establishment cache: the townships in daily use (an entry is tens of kB,
 * so 300 stay well inside the instance's heap cap; every township of a province would take ~90 MB).
 */
const ESTABLISHMENT_ENTRIES = 300;

export interface UnitUsage {
  unit: org.UnitWithCounts | null;
  /** Open posts (the unit's approved seats) and how many are held. */
  posts: number;
  filled: number;
  vacantPosts: number;
  byType: Partial<Record<EstablishmentType, number>>;
  holders: Array<{
    personId: number;
    name: string;
    type: EstablishmentType | null;
    crossType: boolean;
    kind: string;
  }>;
  crossTypePlacements: number;
}

export type TypeUsage = AssessedUsage & { establishmentType: EstablishmentType; accountId: number };

/**
 * A township's leadership on a date from its slots and total (pure): filled, vacant and over per kind, the
 * counted people (primary holders of counted kinds), the groups the pages show, and holders of temporary
 * slots past their write-off date. The township pages and the county reports share it.
 */
export function summariseLeadership(
  slots: readonly leadership.SlotRow[],
  total: { total: number; docNo: string } | null,
  asOf: string,
) {
  const rows = slots.map((s) => {
    const filled = s.holders.length;
    const pastWriteOff = s.temporary && s.writeOffOn !== null && s.writeOffOn <= asOf;
    return {
      ...s,
      filled,
      vacant: Math.max(0, s.approved - filled),
      over: Math.max(0, filled - s.approved),
      pastWriteOff,
      flaggedHolders: pastWriteOff ? s.holders : [],
    };
  });
  const countedPeople = new Set(
    rows
      .filter((r) => r.counted)
      .flatMap((r) => r.holders.filter((h) => h.assignmentKind === 'primary').map((h) => h.personId)),
  );
  return {
    total: total?.total ?? null,
    totalDocNo: total?.docNo ?? null,
    countedApproved: rows.filter((r) => r.counted).reduce((s, r) => s + r.approved, 0),
    countedFilled: countedPeople.size,
    counted: rows.filter((r) => r.counted),
    notCounted: rows.filter((r) => !r.counted && !r.concurrentOnly),
    concurrent: rows.filter((r) => r.concurrentOnly),
    temporary: rows.filter((r) => r.temporary),
    flagged: rows.flatMap((r) =>
      r.flaggedHolders.map((h) => ({ ...h, kind: r.kind, writeOffOn: r.writeOffOn })),
    ),
  };
}

export type LeadershipSummary = ReturnType<typeof summariseLeadership>;

/** Reads of a township's establishment: quota use, leadership slots, org chart, county overview, decision history. */
export function createEstablishmentReads(deps: { knex: Knex; clock: Clock }) {
  const { knex, clock } = deps;

  async function visibleTownship(scope: Scope, id: number) {
    const township = await regions.findRegion(knex, id, 'township');
    if (!township) throw new NotFoundError('township');
    assertTownshipVisible(scope, id);
    return township;
  }

  function unitUsage(unit: org.UnitWithCounts | null, openPosts: posts.OpenPost[]): UnitUsage {
    const mine = openPosts.filter((p) => p.unitId === (unit?.id ?? null));
    const held = mine.filter((p) => p.holder);
    const byType: Partial<Record<EstablishmentType, number>> = {};
    const holders = held.flatMap((p) => {
      const h = p.holder;
      if (!h) return [];
      if (h.establishmentType) byType[h.establishmentType] = (byType[h.establishmentType] ?? 0) + 1;
      const crossType = h.establishmentType !== null && !p.establishmentTypes.includes(h.establishmentType);
      return { personId: h.personId, name: h.name, type: h.establishmentType, crossType, kind: h.kind };
    });
    return {
      unit,
      posts: mine.length,
      filled: held.length,
      vacantPosts: mine.length - held.length,
      byType,
      holders,
      crossTypePlacements: holders.filter((h) => h.crossType).length,
    };
  }

  async function leadershipSummary(townshipId: number, asOf: string) {
    const [slots, total] = await Promise.all([
      leadership.slotsOfTownship(knex, townshipId, asOf),
      leadership.totalOn(knex, townshipId, asOf),
    ]);
    return summariseLeadership(slots, total, asOf);
  }

  /** Bounded: a county and date per entry (a few kB); the key decides validity, the bound only memory. */
  const overviews = new ValidatedCache<CountyFigures | null>(256);

  /** Every township of the county on the date: one query per kind of figure, whatever their number. */
  async function countyFigures(countyId: number, asOf: string): Promise<CountyFigures | null> {
    const county = await regions.findRegion(knex, countyId, 'county');
    if (!county) return null;
    const townships = await regions.childRegions(knex, countyId);
    const ids = townships.map((t) => t.id);
    const [usageRows, heads, path, slots, totals, departments] = await Promise.all([
      quota.usage(knex, { townshipIds: ids }, asOf),
      people.headcountByTownship(knex, ids, asOf),
      regions.regionPath(knex, countyId),
      leadership.slotsOfTownships(knex, ids, asOf),
      leadership.totalsOn(knex, ids, asOf),
      regions.departmentsOfCounty(knex, countyId),
    ]);
    const departmentUsage = departments.length
      ? await quota.usage(knex, { departmentIds: departments.map((d) => d.id) }, asOf)
      : [];
    return {
      county,
      path,
      departments: departments.map((d) => ({
        department: d,
        usage: departmentUsage.filter((u) => u.departmentId === d.id),
      })),
      townships: townships.map((t) => {
        const lead = summariseLeadership(slots.get(t.id) ?? [], totals.get(t.id) ?? null, asOf);
        return {
          township: t,
          usage: usageRows.filter((u) => u.townshipId === t.id),
          headcount: heads.get(t.id) ?? 0,
          leadership: { total: lead.total, countedFilled: lead.countedFilled, flagged: lead.flagged.length },
        };
      }),
    };
  }

  /** Bounded: a township and date per entry (tens of kB); the key decides validity, the bound only memory. */
  const establishments = new ValidatedCache<Establishment>(ESTABLISHMENT_ENTRIES);

  /** Folds the change log now and then (every COMPACT_EVERY misses of either cache). */
  function compactNowAndThen() {
    if ((overviews.misses + establishments.misses) % COMPACT_EVERY === 0) {
      void overviewChanges.compact(knex, 100).catch(() => {});
    }
  }

  /**
   * A township's establishment on a date: quota use by type, units with their posts and holders, dispatched
   * units with their department's quota. Depends on the township and the date only, never on the reader.
   */
  async function computeEstablishment(township: regions.Region, asOf: string) {
    const townshipId = township.id;
    const [usageRows, unitList, openPosts, path] = await Promise.all([
      quota.usage(knex, { townshipIds: [townshipId] }, asOf),
      org.unitsOfTownship(knex, townshipId, asOf),
      posts.openPostsOfTownship(knex, townshipId, asOf),
      regions.regionPath(knex, townshipId),
    ]);
    const departmentIds = [
      ...new Set(unitList.map((u) => u.departmentId).filter((d): d is number => d !== null)),
    ];
    const departmentUsage = departmentIds.length ? await quota.usage(knex, { departmentIds }, asOf) : [];
    const byType: TypeUsage[] = usageRows.map((u) => ({
      establishmentType: u.establishmentType,
      accountId: u.accountId,
      ...assessUsage(u),
    }));
    const unitRows = unitList.map((u) => unitUsage(u, openPosts));
    return {
      township,
      asOf,
      path,
      byType,
      total: totalUsage(usageRows),
      leadershipTeam: unitUsage(null, openPosts),
      units: unitRows.filter((u) => u.unit?.kind !== 'dispatched'),
      dispatched: unitRows.filter((u) => u.unit?.kind === 'dispatched'),
      departments: unitList
        .filter((u) => u.departmentId !== null)
        .map((u) => ({
          unitId: u.id,
          departmentId: u.departmentId as number,
          departmentName: u.departmentName ?? '',
          usage: departmentUsage
            .filter((d) => d.departmentId === u.departmentId)
            .map((d) => ({ establishmentType: d.establishmentType, ...assessUsage(d) })),
        })),
      crossTypePlacements: unitRows.reduce((s, u) => s + u.crossTypePlacements, 0),
    };
  }
  type Establishment = Awaited<ReturnType<typeof computeEstablishment>>;

  /**
   * The establishment of a township the reader may see. One statement finds the township and reads its
   * county's change-log key (overviewChanges.townshipWithCountyKey); the scope is checked before anything
   * else is read, on every request, hit or miss. Everything the computation reads logs to the township's
   * county (migrations 20261129800000 and 20261129900000): quota of the township and of the departments of
   * its dispatched units (departments of the township's county: establishUnit refuses any other), units and
   * their versions, posts, assignments, holders' names and quota slots, regions, leadership kinds (every
   * county). The cache key carries the county id as well, so a township moved to another county can never
   * meet an entry stored under an equal-looking key of its old county.
   */
  async function establishmentOf(scope: Scope, townshipId: number, asOf: string): Promise<Establishment> {
    // A reader whose scope is one county (a township officer, that county's reviewers) brought that county's
    // key with their user: for a township of their scope it is this township's county key, so a hit needs no
    // statement at all. A miss (or any other reader) reads the township and the key as below.
    const county = singleCountyOf(scope);
    if (county !== undefined && scope.townshipIds.has(townshipId)) {
      const hit = establishments.peek(`${townshipId}|${asOf}`, `${county}|${scope.countiesKey}`);
      if (hit) return hit;
    }
    const found = await overviewChanges.townshipWithCountyKey(knex, townshipId);
    if (!found) throw new NotFoundError('township');
    assertTownshipVisible(scope, townshipId);
    const { township, countyKey } = found;
    return establishments.get(`${townshipId}|${asOf}`, `${township.parentId}|${countyKey}`, () => {
      compactNowAndThen();
      return computeEstablishment(township, asOf);
    });
  }

  /**
   * The county's figures on a date as far as the reader may see them. Authorisation first (no query before
   * it); then the figures come from the in-process cache while the county's change-log key is unchanged (see
   * overviewChanges.countyKey), else they are computed for the whole county and cached. The reader's
   * townships are picked per request; county departments are left to the caller (full-county roles only).
   * The result is shared and frozen: callers build new objects from it.
   */
  async function visibleCountyFigures(scope: Scope, countyId: number, asOf: string): Promise<CountyFigures> {
    if (!countyVisible(scope, countyId)) throw new NotFoundError('county');
    // The scope's key is this county's when the scope is this county alone (see establishmentOf).
    const scopeKey = singleCountyOf(scope) === countyId ? scope.countiesKey : undefined;
    const key = scopeKey ?? (await overviewChanges.countyKey(knex, countyId));
    const figures = await overviews.get(`${countyId}|${asOf}`, key, async () => {
      // A miss follows writes: read the key once more so that a log grown long is noticed and compacted.
      if (scopeKey !== undefined) await overviewChanges.countyKey(knex, countyId);
      compactNowAndThen();
      return countyFigures(countyId, asOf);
    });
    if (!figures) throw new NotFoundError('county');
    return { ...figures, townships: figures.townships.filter((t) => townshipVisible(scope, t.township.id)) };
  }

  return {
    visibleTownship,
    /** How the county overview cache is doing (for tests and operations). */
    countyOverviewCache: () => ({ hits: overviews.hits, misses: overviews.misses, size: overviews.size }),
    /** How the township establishment cache is doing (for tests and operations). */
    establishmentCache: () => ({
      hits: establishments.hits,
      misses: establishments.misses,
      size: establishments.size,
    }),

    async visibleUnit(scope: Scope, unitId: number) {
      const unit = await org.findUnit(knex, unitId, clock.today());
      if (!unit || !townshipVisible(scope, unit.townshipId)) throw new NotFoundError('unit');
      return unit;
    },
    departmentsOfCounty: (countyId: number) => regions.departmentsOfCounty(knex, countyId),
    async visiblePost(scope: Scope, postId: number) {
      const post = await org.findPost(knex, postId);
      if (!post || !townshipVisible(scope, post.townshipId)) throw new NotFoundError('post');
      return post;
    },
    gradeLevels: () => org.gradeLevels(knex),
    unitsOf: (townshipId: number) => org.unitsOfTownship(knex, townshipId, clock.today()),
    /** People of the township who could be placed (in service), with their current post. */
    async placeablePeople(townshipId: number, on: string) {
      const roster = await people.rosterOfTownship(knex, townshipId, on);
      return roster.filter((p) => p.status === 'active' || p.status === null);
    },

    holdersOfCounty: (countyId: number) => quota.holdersOfCounty(knex, countyId),
    quotaDecisionsOf: (holderIds: number[]) => quota.quotaDecisions(knex, holderIds),
    quotaDecision: (id: number) => quota.findQuotaDecision(knex, id),
    async usageOf(holderId: number, type: EstablishmentType, on: string) {
      const account = await quota.findAccount(knex, holderId, type);
      return account ? quota.usage(knex, { accountIds: [account] }, on) : [];
    },
    townshipLeadershipKinds: () => leadership.leadershipKinds(knex, 'township'),
    unitLeadershipKinds: () => leadership.leadershipKinds(knex, 'unit'),
    slotDecision: (id: number, townshipId: number) => leadership.findSlotDecision(knex, id, townshipId),

    /**
     * 编制使用情况 of a township on a date (the page, its Excel and the JSON twin). Authorisation first; then
     * the data come from the cache while the county's change-log key is unchanged (see establishmentOf).
     * The result is shared and frozen: callers build new objects from it.
     */
    establishment: establishmentOf,

    async leadership(scope: Scope, townshipId: number, asOf: string) {
      const township = await visibleTownship(scope, townshipId);
      const [summary, path] = await Promise.all([
        leadershipSummary(townshipId, asOf),
        regions.regionPath(knex, townshipId),
      ]);
      return { township, asOf, path, ...summary };
    },

    async orgChart(scope: Scope, townshipId: number, asOf: string) {
      const township = await visibleTownship(scope, townshipId);
      const [unitList, openPosts, path] = await Promise.all([
        org.unitsOfTownship(knex, townshipId, asOf),
        posts.openPostsOfTownship(knex, townshipId, asOf),
        regions.regionPath(knex, townshipId),
      ]);
      return {
        township,
        asOf,
        path,
        leadershipTeam: openPosts.filter((p) => p.unitId === null),
        units: unitList.map((u) => ({ unit: u, posts: openPosts.filter((p) => p.unitId === u.id) })),
      };
    },

    countyFigures: visibleCountyFigures,

    /** The county overview on a date: per township quota use (by type), headcount and leadership, with totals. */
    async countyOverview(scope: Scope, countyId: number, asOf: string) {
      const figures = await visibleCountyFigures(scope, countyId, asOf);
      const rows = figures.townships.map((t) => ({
        township: t.township,
        usage: totalUsage(t.usage),
        byType: t.usage.map((u) => ({ establishmentType: u.establishmentType, ...assessUsage(u) })),
        headcount: t.headcount,
        leadership: t.leadership,
      }));
      return {
        county: figures.county,
        asOf,
        path: figures.path,
        townships: rows,
        total: totalUsage(figures.townships.flatMap((t) => t.usage)),
        headcount: rows.reduce((s, r) => s + r.headcount, 0),
      };
    },

    async quotaHistory(scope: Scope, townshipId: number) {
      const township = await visibleTownship(scope, townshipId);
      const holder = await quota.holderFor(knex, { townshipId });
      const decisions = holder ? await quota.quotaDecisions(knex, [holder.id]) : [];
      return {
        township,
        holder: holder ?? null,
        decisions,
        path: await regions.regionPath(knex, townshipId),
      };
    },

    async slotHistory(scope: Scope, townshipId: number) {
      const township = await visibleTownship(scope, townshipId);
      const [decisions, totals, path] = await Promise.all([
        leadership.slotDecisions(knex, townshipId),
        leadership.totalDecisions(knex, townshipId),
        regions.regionPath(knex, townshipId),
      ]);
      return { township, decisions, totals, path };
    },

    async unitHistory(scope: Scope, townshipId: number) {
      const township = await visibleTownship(scope, townshipId);
      const [decisions, path] = await Promise.all([
        units.unitDecisions(knex, townshipId),
        regions.regionPath(knex, townshipId),
      ]);
      const versions = await units.versionsByDecision(knex, townshipId);
      return {
        township,
        path,
        decisions: decisions.map((d) => ({
          ...d,
          versions: versions.filter((v) => v.decisionId === d.id),
        })),
      };
    },

    /** Quota history of a county department (dispatched units' holder), for county-wide roles. */
    async departmentQuotaHistory(scope: Scope, countyId: number) {
      const county = await regions.findRegion(knex, countyId, 'county');
      if (!county || !(scope.all || scope.fullCountyIds.has(countyId))) throw new NotFoundError('county');
      const holders = (await quota.holdersOfCounty(knex, countyId)).filter((h) => h.departmentId !== null);
      return {
        county,
        decisions: await quota.quotaDecisions(
          knex,
          holders.map((h) => h.id),
        ),
      };
    },
  };
}

export type EstablishmentReads = ReturnType<typeof createEstablishmentReads>;
