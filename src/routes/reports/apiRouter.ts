import { type Request, type Response, Router } from 'express';
import type { Services } from '../../container.js';
import type { AssessedUsage } from '../../domain/quota.js';
import { paths } from '../../paths.js';
import type {
  ChangesReport,
  CrossTypeReport,
  EligibilityReport,
  EstablishmentReport,
  LeadershipReport,
  PromotionCalendarReport,
  Region,
  ReportScope,
  SecondmentReport,
  WorkforceReport,
} from '../../services/reports/reportService.js';
import { CATEGORIES, type Distribution } from '../../services/reports/structure.js';
import { contextOf } from '../actor.js';
import type { ApiArea } from '../api/index.js';
import { REPORTS } from './catalogue.js';
import { type ParsedFilters, parseFilters } from './filters.js';
import { reportOpenApiPaths, reportOpenApiSchemas } from './openapi.js';

const region = (r: Region | null) => (r ? { id: r.id, name: r.name } : null);
const townshipRef = (t: Region) => ({ id: t.id, name: t.name, countyId: t.parentId });

/** The filters as applied (the county implied by a township; a township officer's own township). */
const filters = (scope: ReportScope, dates: Record<string, string>) => ({
  county: region(scope.county),
  township: region(scope.township),
  townships: scope.selected.map(townshipRef),
  ...dates,
});

const usage = (u: AssessedUsage) => ({
  approved: u.approved,
  occupied: u.occupied,
  reserved: u.reserved,
  vacant: u.vacant,
  over: u.over,
  status: u.status,
});

const typed = (rows: Array<AssessedUsage & { establishmentType: string }>) =>
  rows.map((u) => ({ establishmentType: u.establishmentType, ...usage(u) }));

function establishmentJson(d: EstablishmentReport) {
  return {
    filters: filters(d.scope, { asOf: d.asOf }),
    townships: d.townships.map((t) => ({
      ...townshipRef(t.township),
      byType: typed(t.byType),
      total: usage(t.total),
    })),
    departments: d.departments.map((x) => ({
      id: x.department.id,
      name: x.department.name,
      countyId: x.department.countyId,
      byType: typed(x.byType),
      total: usage(x.total),
    })),
    byType: typed(d.byType),
    total: usage(d.total),
    units: d.drill
      ? [d.drill.leadershipTeam, ...d.drill.units, ...d.drill.dispatched].map((u) => ({
          id: u.unit?.id ?? null,
          name: u.unit?.name ?? null,
          kind: u.unit?.kind ?? 'leadership_team',
          posts: u.posts,
          filled: u.filled,
          vacantPosts: u.vacantPosts,
          holders: u.holders.map((h) => ({
            id: h.personId,
            name: h.name,
            establishmentType: h.type,
            crossType: h.crossType,
            assignmentKind: h.kind,
          })),
        }))
      : null,
  };
}

function leadershipJson(d: LeadershipReport) {
  return {
    filters: filters(d.scope, { asOf: d.asOf }),
    townships: d.townships.map((t) => ({
      ...townshipRef(t.township),
      total: t.total,
      countedApproved: t.countedApproved,
      countedFilled: t.countedFilled,
      vacant: t.vacant,
      over: t.over,
      pastWriteOff: t.flagged.map((h) => ({
        id: h.personId,
        name: h.name,
        kind: h.kind,
        writeOffOn: h.writeOffOn,
      })),
      kinds: t.kinds.map((k) => ({
        kind: k.kind,
        nameZh: k.nameZh,
        nameEn: k.nameEn,
        rank: k.rank,
        counted: k.counted,
        concurrentOnly: k.concurrentOnly,
        temporary: k.temporary,
        writeOffOn: k.writeOffOn,
        approved: k.approved,
        filled: k.filled,
        vacant: k.vacant,
        over: k.over,
        holders: k.holders.map((h) => ({ id: h.personId, name: h.name, assignmentKind: h.assignmentKind })),
      })),
    })),
    kinds: d.kinds.map((k) => ({
      kind: k.kind,
      nameZh: k.nameZh,
      nameEn: k.nameEn,
      approved: k.approved,
      filled: k.filled,
      vacant: k.vacant,
      over: k.over,
    })),
    total: {
      total: d.total.total,
      countedFilled: d.total.countedFilled,
      vacant: d.total.vacant,
      over: d.total.over,
      pastWriteOff: d.total.flagged,
    },
  };
}

function crossTypeJson(d: CrossTypeReport) {
  return {
    filters: filters(d.scope, { asOf: d.asOf }),
    townships: d.townships.map((t) => ({
      ...townshipRef(t.township),
      count: t.count,
      recorded: t.recorded,
      unrecorded: t.unrecorded,
    })),
    total: d.total,
    items: d.rows.map((r) => ({
      person: { id: r.personId, name: r.personName },
      townshipId: r.townshipId,
      post: {
        id: r.postId,
        name: r.postName,
        unit: r.unitName,
        establishmentTypes: r.postTypes,
        crossType: r.crossTypePost,
        docNo: r.postDocNo,
      },
      establishmentType: r.personType,
      assignmentKind: r.assignmentKind,
      since: r.since,
      movement: r.movement,
      recorded: r.recorded,
    })),
  };
}

function promotionCalendarJson(d: PromotionCalendarReport) {
  return {
    filters: filters(d.scope, { asOf: d.asOf }),
    total: d.total,
    items: d.rows.map((r) => ({
      caseId: r.caseId,
      kind: r.kind,
      state: r.state,
      person: { id: r.personId, name: r.personName },
      townshipId: r.townshipId,
      seat: r.seat,
      targetLevel: r.targetLevel,
      from: r.from,
      until: r.until,
      daysLeft: r.daysLeft,
      overdue: r.overdue,
      docNo: r.docNo,
    })),
  };
}

function secondmentJson(d: SecondmentReport) {
  return {
    filters: filters(d.scope, { asOf: d.asOf }),
    total: d.total,
    items: d.rows.map((r) => ({
      person: { id: r.personId, name: r.personName },
      home: { townshipId: r.homeTownshipId, holder: r.homeHolderName },
      establishmentType: r.establishmentType,
      destination: { townshipId: r.destinationTownshipId, unit: r.unitName, post: r.postName },
      since: r.since,
      plannedUntil: r.plannedUntil,
      endedOn: r.endedOn,
      overdue: r.overdue,
      daysOverdue: r.daysOverdue,
      movement: r.movement,
    })),
  };
}

function eligibilityJson(d: EligibilityReport) {
  const names = new Map(d.names.grades.map((g) => [g.code, g]));
  const counts = (c: EligibilityReport['targets'][number]['total']) => ({
    assessed: c.assessed,
    now: c.now,
    within6: c.within6,
    within12: c.within12,
  });
  return {
    filters: filters(d.scope, { asOf: d.asOf }),
    targets: d.targets.map((t) => ({
      target: t.target.code,
      ladder: t.target.ladder,
      nameZh: names.get(t.target.code)?.nameZh ?? t.target.code,
      nameEn: names.get(t.target.code)?.nameEn ?? t.target.code,
      townships: t.townships.map((x) => ({
        ...townshipRef(x.township),
        ...counts(x.counts),
        list: paths.careers.township(
          x.township.id,
          new URLSearchParams({ asOf: d.asOf, target: t.target.code }).toString(),
        ),
      })),
      total: counts(t.total),
    })),
  };
}

function workforceJson(d: WorkforceReport) {
  const structure = (s: Record<string, Distribution>) =>
    Object.fromEntries(
      Object.entries(s).map(([dim, dist]) => [
        dim,
        {
          total: dist.total,
          counts: Object.fromEntries(
            CATEGORIES[dim as keyof typeof CATEGORIES].map((code, i) => [code, dist.counts[i] ?? 0]),
          ),
        },
      ]),
    );
  return {
    filters: filters(d.scope, { asOf: d.asOf }),
    categories: CATEGORIES,
    total: structure(d.total),
    byType: d.byType.map((x) => ({ establishmentType: x.type, structure: structure(x.structure) })),
    byTownship: d.byTownship.map((x) => ({ ...townshipRef(x.township), structure: structure(x.structure) })),
  };
}

function changesJson(d: ChangesReport) {
  type Part = ChangesReport['total'];
  const part = (x: Part) => ({ from: usage(x.from), to: usage(x.to), diff: x.diff, people: x.people });
  const line = (x: ChangesReport['byType'][number]) => ({
    establishmentType: x.establishmentType,
    ...part(x),
  });
  return {
    filters: filters(d.scope, { from: d.from, to: d.to }),
    townships: d.townships.map((t) => ({
      ...townshipRef(t.township),
      byType: t.lines.map(line),
      total: part(t.total),
    })),
    byType: d.byType.map(line),
    total: part(d.total),
    withoutSlot: d.withoutSlot,
  };
}

/**
 * The reports' JSON twins under /api/v1/reports: the same numbers as the pages (the same service calls), with
 * codes instead of labels. Filters `county`, `township`, `asOf` (`from` and `to` for changes); a bad value is
 * 422 naming the field; a county or township outside the scope, or a staff account, is 404.
 */
export function reportApiRouter(services: Services): Router {
  const router = Router();
  const svc = services.reports;
  const today = () => services.clock.today();

  /** The filters, or a 422 answer naming the first bad one. */
  const filtersOf = (req: Request, res: Response): ParsedFilters | null => {
    svc.index(contextOf(req)); // staff: 404 before anything is parsed
    const p = parseFilters(req, today());
    const first = p.errors[0];
    if (!first) return p;
    res.status(422).json({ error: { code: 'validation', field: first.field, message: first.text } });
    return null;
  };
  const one = (p: ParsedFilters) => ({ county: p.county, township: p.township, asOf: p.asOf });

  router.get('/reports', (req, res) => {
    svc.index(contextOf(req));
    res.json({
      items: REPORTS.map((r) => ({
        slug: r.slug,
        name: req.t(`reports.catalogue.${r.key}.name`),
        description: req.t(`reports.catalogue.${r.key}.description`),
        page: paths.reports.page(r.slug),
        api: paths.api.report(r.slug),
        period: r.period,
      })),
      related: [
        {
          name: req.t('reports.catalogue.ledger.name'),
          page: paths.movementLedger(),
          api: `${paths.api.root()}/movement-ledger`,
          available: true,
        },
      ],
    });
  });

  router.get('/reports/establishment', async (req, res) => {
    const p = filtersOf(req, res);
    if (p) res.json(establishmentJson(await svc.establishment(contextOf(req), one(p))));
  });
  router.get('/reports/leadership', async (req, res) => {
    const p = filtersOf(req, res);
    if (p) res.json(leadershipJson(await svc.leadership(contextOf(req), one(p))));
  });
  router.get('/reports/cross-type', async (req, res) => {
    const p = filtersOf(req, res);
    if (p) res.json(crossTypeJson(await svc.crossType(contextOf(req), one(p))));
  });
  router.get('/reports/secondments', async (req, res) => {
    const p = filtersOf(req, res);
    if (p) res.json(secondmentJson(await svc.secondments(contextOf(req), one(p))));
  });
  router.get('/reports/eligibility', async (req, res) => {
    const p = filtersOf(req, res);
    if (p) res.json(eligibilityJson(await svc.eligibility(contextOf(req), one(p))));
  });
  router.get('/reports/workforce', async (req, res) => {
    const p = filtersOf(req, res);
    if (p) res.json(workforceJson(await svc.workforce(contextOf(req), one(p))));
  });
  router.get('/reports/publicity-probation', async (req, res) => {
    const p = filtersOf(req, res);
    if (p) res.json(promotionCalendarJson(await svc.promotionCalendar(contextOf(req), one(p))));
  });
  router.get('/reports/changes', async (req, res) => {
    const p = filtersOf(req, res);
    if (p)
      res.json(
        changesJson(
          await svc.changes(contextOf(req), {
            county: p.county,
            township: p.township,
            from: p.from,
            to: p.to,
          }),
        ),
      );
  });

  return router;
}

export const reportsApiArea: ApiArea = {
  name: 'reports',
  router: reportApiRouter,
  paths: reportOpenApiPaths,
  schemas: reportOpenApiSchemas,
};
