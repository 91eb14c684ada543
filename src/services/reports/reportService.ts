import type { Knex } from 'knex';
import { referenceNames } from '../../db/repositories/careers.js';
import { loadEligibilityRules } from '../../db/repositories/eligibilityInputs.js';
import * as leadership from '../../db/repositories/leadership.js';
import * as promotionCases from '../../db/repositories/promotionCases.js';
import * as quota from '../../db/repositories/quota.js';
import * as regions from '../../db/repositories/regions.js';
import * as reports from '../../db/repositories/reports.js';
import { compareTargets, HORIZONS, type Horizon, horizonOf } from '../../domain/career.js';
import type { Clock } from '../../domain/clock.js';
import { parts } from '../../domain/dates.js';
import type { EligibilityResult } from '../../domain/eligibility/index.js';
import { secondmentOverdue } from '../../domain/movements.js';
import {
  type AssessedUsage,
  ESTABLISHMENT_TYPES,
  type EstablishmentType,
  totalUsage,
} from '../../domain/quota.js';
import { NotFoundError } from '../../errors.js';
import { type RequestContext, townshipVisible } from '../access.js';
import { assessPeople } from '../eligibility/bulk.js';
import { type EstablishmentReads, summariseLeadership } from '../establishment/establishmentReads.js';
import { type Dimension, type Distribution, distribution } from './structure.js';

/** What the user asked a report about: a county, a township (which implies its county), a date. */
export interface ReportFilter {
  county: number | null;
  township: number | null;
  asOf: string;
}

/** The changes report compares two dates. */
export interface PeriodFilter {
  county: number | null;
  township: number | null;
  from: string;
  to: string;
}

export type Region = regions.Region;

/** The filter resolved against the user's scope: the choices to offer, the choice made, the townships covered. */
export interface ReportScope {
  counties: Region[];
  townships: Region[];
  county: Region | null;
  township: Region | null;
  /** The townships the report covers, in the directory's order. */
  selected: Region[];
  /** Counties of the selection whose county departments' quota is in scope (county roles, admin). */
  departmentCountyIds: number[];
}

export type TypeUsage = AssessedUsage & { establishmentType: EstablishmentType };

/** Days from one ISO date to another (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  const [fy, fm, fd] = parts(from);
  const [ty, tm, td] = parts(to);
  return Math.round((Date.UTC(ty, tm - 1, td) - Date.UTC(fy, fm - 1, fd)) / 86_400_000);
}

/** Usage rows per type, assessed, in the order of the establishment types. */
function byType(rows: readonly quota.UsageRow[]): TypeUsage[] {
  return ESTABLISHMENT_TYPES.flatMap((type) => {
    const mine = rows.filter((r) => r.establishmentType === type);
    return mine.length ? [{ establishmentType: type, ...totalUsage(mine) }] : [];
  });
}

/**
 * The county reports (报表): 编制使用情况, 领导职数配备, 同岗不同编, 在编不在岗, the eligibility pipeline, the
 * workforce structure and the changes over a period. Reads only. Every number is derived on the date from the
 * dated rows by the queries the establishment, career and movement pages use, in a fixed number of queries
 * whatever the number of townships. Scope: township officers their township, county roles their county, the
 * administrator everything; staff have no reports (404), and a county or township outside the scope is 404.
 */
export function createReportService(deps: { knex: Knex; clock: Clock; establishment: EstablishmentReads }) {
  const { knex, establishment } = deps;

  /** Staff (and accounts with no role) have no reports: not found, like everything outside a scope. */
  function assertReports(ctx: RequestContext): void {
    if (!ctx.principal.grants.some((g) => g.role !== 'staff')) throw new NotFoundError('page');
  }

  async function resolve(
    ctx: RequestContext,
    f: { county: number | null; township: number | null },
  ): Promise<ReportScope> {
    assertReports(ctx);
    const [allCounties, allTownships] = await Promise.all([
      regions.listRegions(knex, 'county'),
      regions.listRegions(knex, 'township'),
    ]);
    // Townships county by county, each county's in the directory's order.
    const townships = allCounties.flatMap((c) =>
      allTownships.filter((t) => t.parentId === c.id && townshipVisible(ctx.scope, t.id)),
    );
    const counties = allCounties.filter((c) => townships.some((t) => t.parentId === c.id));
    let county: Region | null = null;
    let township: Region | null = null;
    let selected = townships;
    if (f.township !== null) {
      township = townships.find((t) => t.id === f.township) ?? null;
      if (!township) throw new NotFoundError('township');
      county = counties.find((c) => c.id === township?.parentId) ?? null;
      selected = [township];
    } else if (f.county !== null) {
      county = counties.find((c) => c.id === f.county) ?? null;
      if (!county) throw new NotFoundError('county');
      selected = townships.filter((t) => t.parentId === county?.id);
    }
    // A township officer's only township is chosen whether they said so or not (its drill-down shows).
    if (township === null && townships.length === 1 && selected.length === 1) {
      township = selected[0] as Region;
      county = counties.find((c) => c.id === township?.parentId) ?? null;
    }
    if (county === null && counties.length === 1) county = counties[0] as Region;
    const selectedCounties = new Set(selected.map((t) => t.parentId as number));
    const departmentCountyIds =
      township === null
        ? [...selectedCounties].filter((id) => ctx.scope.all || ctx.scope.fullCountyIds.has(id))
        : [];
    return { counties, townships, county, township, selected, departmentCountyIds };
  }

  const idsOf = (s: ReportScope) => s.selected.map((t) => t.id);

  return {
    /** The reports index: anyone but staff. */
    index(ctx: RequestContext) {
      assertReports(ctx);
    },

    /** The counties and townships the user may filter by. */
    async choices(ctx: RequestContext) {
      const s = await resolve(ctx, { county: null, township: null });
      return { counties: s.counties, townships: s.townships };
    },

    /**
     * 编制使用情况: per township and establishment type (approved, occupied, reserved, vacant, over), the
     * county departments' quota for dispatched units, totals; for one township the drill-down to units and names.
     */
    async establishment(ctx: RequestContext, f: ReportFilter) {
      const scope = await resolve(ctx, f);
      const departments = await reports.departmentsOfCounties(knex, scope.departmentCountyIds);
      const [usageRows, departmentRows] = await Promise.all([
        quota.usage(knex, { townshipIds: idsOf(scope) }, f.asOf),
        quota.usage(knex, { departmentIds: departments.map((d) => d.id) }, f.asOf),
      ]);
      const drill = scope.township
        ? await establishment.establishment(ctx.scope, scope.township.id, f.asOf)
        : null;
      return {
        scope,
        asOf: f.asOf,
        townships: scope.selected.map((t) => {
          const mine = usageRows.filter((u) => u.townshipId === t.id);
          return { township: t, byType: byType(mine), total: totalUsage(mine) };
        }),
        departments: departments.map((d) => {
          const mine = departmentRows.filter((u) => u.departmentId === d.id);
          return { department: d, byType: byType(mine), total: totalUsage(mine) };
        }),
        byType: byType(usageRows),
        total: totalUsage(usageRows),
        drill,
      };
    },

    /** 领导职数配备: per township, each leadership kind approved vs filled, vacancies and over-staffing. */
    async leadership(ctx: RequestContext, f: ReportFilter) {
      const scope = await resolve(ctx, f);
      const [slots, totals] = await Promise.all([
        leadership.slotsOfTownships(knex, idsOf(scope), f.asOf),
        leadership.totalsOn(knex, idsOf(scope), f.asOf),
      ]);
      const townships = scope.selected.map((t) => {
        const summary = summariseLeadership(slots.get(t.id) ?? [], totals.get(t.id) ?? null, f.asOf);
        const kinds = [...summary.counted, ...summary.notCounted, ...summary.concurrent].sort(
          (a, b) => a.sortOrder - b.sortOrder,
        );
        return {
          township: t,
          ...summary,
          kinds,
          vacant: summary.total === null ? null : Math.max(0, summary.total - summary.countedFilled),
          over: summary.total === null ? 0 : Math.max(0, summary.countedFilled - summary.total),
        };
      });
      const kindTotals = new Map<
        string,
        {
          kind: string;
          nameZh: string;
          nameEn: string;
          sortOrder: number;
          approved: number;
          filled: number;
          vacant: number;
          over: number;
        }
      >();
      for (const t of townships)
        for (const k of t.kinds) {
          const sum = kindTotals.get(k.kind) ?? {
            kind: k.kind,
            nameZh: k.nameZh,
            nameEn: k.nameEn,
            sortOrder: k.sortOrder,
            approved: 0,
            filled: 0,
            vacant: 0,
            over: 0,
          };
          sum.approved += k.approved;
          sum.filled += k.filled;
          sum.vacant += k.vacant;
          sum.over += k.over;
          kindTotals.set(k.kind, sum);
        }
      return {
        scope,
        asOf: f.asOf,
        townships,
        kinds: [...kindTotals.values()].sort((a, b) => a.sortOrder - b.sortOrder),
        total: {
          total: townships.reduce((s, t) => s + (t.total ?? 0), 0),
          countedFilled: townships.reduce((s, t) => s + t.countedFilled, 0),
          vacant: townships.reduce((s, t) => s + (t.vacant ?? 0), 0),
          over: townships.reduce((s, t) => s + t.over, 0),
          flagged: townships.reduce((s, t) => s + t.flagged.length, 0),
        },
      };
    },

    /** 同岗不同编: people whose quota type differs from their post's, with the approval where recorded. */
    async crossType(ctx: RequestContext, f: ReportFilter) {
      const scope = await resolve(ctx, f);
      const rows = (await reports.crossTypePlacements(knex, idsOf(scope), f.asOf)).map((r) => ({
        ...r,
        recorded: r.movement !== null || r.crossTypePost,
      }));
      const townships = scope.selected.map((t) => {
        const mine = rows.filter((r) => r.townshipId === t.id);
        return {
          township: t,
          count: mine.length,
          recorded: mine.filter((r) => r.recorded).length,
          unrecorded: mine.filter((r) => !r.recorded).length,
        };
      });
      return {
        scope,
        asOf: f.asOf,
        rows,
        townships,
        total: {
          count: rows.length,
          recorded: rows.filter((r) => r.recorded).length,
          unrecorded: rows.filter((r) => !r.recorded).length,
        },
      };
    },

    /**
     * 在编不在岗: secondments in force on the date, overdue ones first (most overdue first), each with its planned
     * end and the days past it. In force on the date means not yet returned then (`secondmentOverdue`).
     */
    async secondments(ctx: RequestContext, f: ReportFilter) {
      const scope = await resolve(ctx, f);
      const rows = (await reports.secondmentsInForce(knex, idsOf(scope), f.asOf))
        .map((r) => {
          const overdue = secondmentOverdue({ plannedUntil: r.plannedUntil, validTo: null }, f.asOf);
          return { ...r, overdue, daysOverdue: overdue ? daysBetween(r.plannedUntil, f.asOf) : 0 };
        })
        .sort(
          (a, b) =>
            Number(b.overdue) - Number(a.overdue) ||
            b.daysOverdue - a.daysOverdue ||
            (a.plannedUntil < b.plannedUntil ? -1 : a.plannedUntil > b.plannedUntil ? 1 : 0) ||
            a.assignmentId - b.assignmentId,
        );
      return {
        scope,
        asOf: f.asOf,
        rows,
        total: { count: rows.length, overdue: rows.filter((r) => r.overdue).length },
      };
    },

    /**
     * 任前公示 and 试用期 calendar: the selection cases in publicity (or paused by an objection) and in probation
     * in the selected townships, by the date their period ends; `daysLeft` counts from the date asked about,
     * negative once past (a confirmation overdue, a publicity over and not yet appointed).
     */
    async promotionCalendar(ctx: RequestContext, f: ReportFilter) {
      const scope = await resolve(ctx, f);
      const list = await promotionCases.listCases(knex, {
        townshipIds: idsOf(scope),
        states: ['publicity', 'objection', 'appointed'],
      });
      const rows = list
        .map((c) => {
          const probation = c.state === 'appointed';
          const from = (probation ? c.appointedOn : c.publicityStartsOn) as string;
          const until = (probation ? c.probationUntil : c.publicityEndsOn) as string;
          const daysLeft = until >= f.asOf ? daysBetween(f.asOf, until) : -daysBetween(until, f.asOf);
          return {
            caseId: c.id,
            kind: probation ? ('probation' as const) : ('publicity' as const),
            state: c.state,
            personId: c.appointeePersonId as number,
            personName: c.appointeeName ?? '',
            townshipId: c.townshipId,
            seat: c.unitName ? `${c.unitName}${c.postName}` : c.postName,
            targetLevel: c.targetLevel,
            from,
            until,
            daysLeft,
            overdue: until < f.asOf,
            docNo: c.appointmentDocNo,
          };
        })
        .sort((a, b) => (a.until < b.until ? -1 : a.until > b.until ? 1 : a.caseId - b.caseId));
      return {
        scope,
        asOf: f.asOf,
        rows,
        total: {
          publicity: rows.filter((r) => r.kind === 'publicity').length,
          probation: rows.filter((r) => r.kind === 'probation').length,
          within30: rows.filter((r) => r.daysLeft >= 0 && r.daysLeft <= 30).length,
          overdue: rows.filter((r) => r.overdue).length,
        },
      };
    },

    /**
     * The eligibility pipeline: per next step (target) and township, how many are eligible now, within 6 and
     * within 12 months, from the eligibility engine, with the people loaded set-based like the township list.
     * The county line counts each person once (a secondee belongs to two townships' lists).
     */
    async eligibility(ctx: RequestContext, f: ReportFilter) {
      const scope = await resolve(ctx, f);
      const [rules, members, names] = await Promise.all([
        loadEligibilityRules(knex, f.asOf),
        reports.eligibilityMembers(knex, idsOf(scope), f.asOf),
        referenceNames(knex),
      ]);
      // A county is thousands of people: the bulk path (batches read while the engine runs).
      const results = new Map<number, EligibilityResult[]>();
      await assessPeople(
        knex,
        rules,
        f.asOf,
        members.map((m) => m.personId),
        (personId, r) => results.set(personId, r),
      );
      type Counts = Record<Horizon, number> & { assessed: number };
      const empty = (): Counts => ({ now: 0, within6: 0, within12: 0, blocked: 0, assessed: 0 });
      const grades = new Map(rules.grades.map((g) => [g.code, g]));
      const perTarget = new Map<
        string,
        { township: Map<number, Counts>; total: Counts; people: Set<number> }
      >();
      for (const m of members) {
        for (const result of results.get(m.personId) ?? []) {
          if (!grades.has(result.target)) continue;
          let t = perTarget.get(result.target);
          if (!t) {
            t = { township: new Map(), total: empty(), people: new Set() };
            perTarget.set(result.target, t);
          }
          const h = horizonOf(result, f.asOf);
          const c = t.township.get(m.townshipId) ?? empty();
          c[h] += 1;
          c.assessed += 1;
          t.township.set(m.townshipId, c);
          if (!t.people.has(m.personId)) {
            t.people.add(m.personId);
            t.total[h] += 1;
            t.total.assessed += 1;
          }
        }
      }
      const targets = [...perTarget.keys()]
        .map((code) => grades.get(code))
        .filter((g) => g !== undefined)
        .sort(compareTargets)
        .map((target) => {
          const t = perTarget.get(target.code);
          return {
            target,
            townships: scope.selected.map((tw) => ({
              township: tw,
              counts: t?.township.get(tw.id) ?? empty(),
            })),
            total: t?.total ?? empty(),
          };
        });
      return { scope, asOf: f.asOf, targets, names, horizons: HORIZONS };
    },

    /**
     * The workforce structure on the date: age bands, education, gender, ethnicity and party membership of the
     * people in service, for the whole selection, by establishment type and by township (counts; shares in the view).
     */
    async workforce(ctx: RequestContext, f: ReportFilter) {
      const scope = await resolve(ctx, f);
      const people = await reports.workforceOn(knex, idsOf(scope), f.asOf);
      const types = [...ESTABLISHMENT_TYPES, null] as const;
      return {
        scope,
        asOf: f.asOf,
        total: distribution(people, f.asOf),
        byType: types
          .map((type) => ({
            type,
            structure: distribution(
              people.filter((p) => p.establishmentType === type),
              f.asOf,
            ),
          }))
          .filter((x) => x.structure.age.total > 0),
        byTownship: scope.selected.map((t) => ({
          township: t,
          structure: distribution(
            people.filter((p) => p.townshipId === t.id),
            f.asOf,
          ),
        })),
      };
    },

    /**
     * Changes over a period: quota usage and the people in service per township and establishment type on two
     * dates, side by side with the differences.
     */
    async changes(ctx: RequestContext, f: PeriodFilter) {
      const scope = await resolve(ctx, f);
      const ids = idsOf(scope);
      const [usageFrom, usageTo, peopleFrom, peopleTo] = await Promise.all([
        quota.usage(knex, { townshipIds: ids }, f.from),
        quota.usage(knex, { townshipIds: ids }, f.to),
        reports.workforceOn(knex, ids, f.from),
        reports.workforceOn(knex, ids, f.to),
      ]);
      const headcount = (
        people: typeof peopleFrom,
        townshipId: number | null,
        type: EstablishmentType | null,
      ) =>
        people.filter(
          (p) => (townshipId === null || p.townshipId === townshipId) && p.establishmentType === type,
        ).length;
      const line = (
        from: quota.UsageRow[],
        to: quota.UsageRow[],
        townshipId: number | null,
        type: EstablishmentType,
      ) => {
        const a = totalUsage(from.filter((u) => u.establishmentType === type));
        const b = totalUsage(to.filter((u) => u.establishmentType === type));
        const pa = headcount(peopleFrom, townshipId, type);
        const pb = headcount(peopleTo, townshipId, type);
        return {
          establishmentType: type,
          from: a,
          to: b,
          diff: difference(a, b),
          people: { from: pa, to: pb, diff: pb - pa },
        };
      };
      const typesIn = (rows: quota.UsageRow[]) =>
        ESTABLISHMENT_TYPES.filter((t) => rows.some((u) => u.establishmentType === t));
      const summary = (from: quota.UsageRow[], to: quota.UsageRow[], townshipId: number | null) => {
        const a = totalUsage(from);
        const b = totalUsage(to);
        const pa = peopleFrom.filter((p) => townshipId === null || p.townshipId === townshipId).length;
        const pb = peopleTo.filter((p) => townshipId === null || p.townshipId === townshipId).length;
        return { from: a, to: b, diff: difference(a, b), people: { from: pa, to: pb, diff: pb - pa } };
      };
      return {
        scope,
        from: f.from,
        to: f.to,
        townships: scope.selected.map((t) => {
          const a = usageFrom.filter((u) => u.townshipId === t.id);
          const b = usageTo.filter((u) => u.townshipId === t.id);
          return {
            township: t,
            lines: typesIn([...a, ...b]).map((type) => line(a, b, t.id, type)),
            total: summary(a, b, t.id),
          };
        }),
        byType: typesIn([...usageFrom, ...usageTo]).map((type) => line(usageFrom, usageTo, null, type)),
        total: summary(usageFrom, usageTo, null),
        /** People in service without a quota slot on either date (not in the type lines). */
        withoutSlot: {
          from: headcount(peopleFrom, null, null),
          to: headcount(peopleTo, null, null),
        },
      };
    },
  };
}

/** b − a for each number of quota usage. */
function difference(a: AssessedUsage, b: AssessedUsage) {
  return {
    approved: b.approved - a.approved,
    occupied: b.occupied - a.occupied,
    reserved: b.reserved - a.reserved,
    vacant: b.vacant - a.vacant,
    over: b.over - a.over,
  };
}

export type ReportService = ReturnType<typeof createReportService>;
type Data<K extends Exclude<keyof ReportService, 'index'>> = Awaited<ReturnType<ReportService[K]>>;
export type EstablishmentReport = Data<'establishment'>;
export type LeadershipReport = Data<'leadership'>;
export type CrossTypeReport = Data<'crossType'>;
export type SecondmentReport = Data<'secondments'>;
export type EligibilityReport = Data<'eligibility'>;
export type WorkforceReport = Data<'workforce'>;
export type ChangesReport = Data<'changes'>;
export type PromotionCalendarReport = Data<'promotionCalendar'>;
export type { Dimension, Distribution };
