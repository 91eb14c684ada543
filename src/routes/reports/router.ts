import { type Request, type Response, Router } from 'express';
import type { Services } from '../../container.js';
import { paths } from '../../paths.js';
import type { RequestContext } from '../../services/access.js';
import { workbookBuffer, type XlsxSheet } from '../../services/export/xlsx.js';
import type { ReportScope } from '../../services/reports/reportService.js';
import { contextOf, scopeOf } from '../actor.js';
import { sendXlsx } from '../establishment/router.js';
import { type Formatter, formatterFor } from '../format.js';
import { errorsByField } from '../forms.js';
import { printHref, renderPage } from '../render.js';
import { REPORTS, type ReportKey, type ReportSlug } from './catalogue.js';
import { filterQuery, type ParsedFilters, parseFilters } from './filters.js';
import * as sheets from './sheets.js';
import * as vm from './viewModels.js';

/** One report page: how to load it, show it and export it. */
interface ReportPage<D extends { scope: ReportScope }> {
  slug: ReportSlug;
  template: string;
  load(services: Services, ctx: RequestContext, p: ParsedFilters): Promise<D>;
  view(d: D, c: vm.ViewContext): Record<string, unknown>;
  sheets(d: D, f: Formatter, title: string): XlsxSheet[];
}

const one = (p: ParsedFilters) => ({ county: p.county, township: p.township, asOf: p.asOf });

/** The report pages, each mounted at /reports/<slug> (and .xlsx); the order of the index is the catalogue's. */
export const REPORT_PAGES = [
  {
    slug: 'establishment',
    template: 'establishment',
    load: (s, ctx, p) => s.reports.establishment(ctx, one(p)),
    view: vm.establishmentReportView,
    sheets: sheets.establishmentSheets,
  } satisfies ReportPage<Awaited<ReturnType<Services['reports']['establishment']>>>,
  {
    slug: 'leadership',
    template: 'leadership',
    load: (s, ctx, p) => s.reports.leadership(ctx, one(p)),
    view: vm.leadershipReportView,
    sheets: sheets.leadershipSheets,
  } satisfies ReportPage<Awaited<ReturnType<Services['reports']['leadership']>>>,
  {
    slug: 'cross-type',
    template: 'crossType',
    load: (s, ctx, p) => s.reports.crossType(ctx, one(p)),
    view: vm.crossTypeReportView,
    sheets: sheets.crossTypeSheets,
  } satisfies ReportPage<Awaited<ReturnType<Services['reports']['crossType']>>>,
  {
    slug: 'secondments',
    template: 'secondments',
    load: (s, ctx, p) => s.reports.secondments(ctx, one(p)),
    view: vm.secondmentReportView,
    sheets: sheets.secondmentSheets,
  } satisfies ReportPage<Awaited<ReturnType<Services['reports']['secondments']>>>,
  {
    slug: 'eligibility',
    template: 'eligibility',
    load: (s, ctx, p) => s.reports.eligibility(ctx, one(p)),
    view: vm.eligibilityReportView,
    sheets: sheets.eligibilitySheets,
  } satisfies ReportPage<Awaited<ReturnType<Services['reports']['eligibility']>>>,
  {
    slug: 'workforce',
    template: 'workforce',
    load: (s, ctx, p) => s.reports.workforce(ctx, one(p)),
    view: vm.workforceReportView,
    sheets: sheets.workforceSheets,
  } satisfies ReportPage<Awaited<ReturnType<Services['reports']['workforce']>>>,
  {
    slug: 'changes',
    template: 'changes',
    load: (s, ctx, p) =>
      s.reports.changes(ctx, { county: p.county, township: p.township, from: p.from, to: p.to }),
    view: vm.changesReportView,
    sheets: sheets.changesSheets,
  } satisfies ReportPage<Awaited<ReturnType<Services['reports']['changes']>>>,
  {
    slug: 'publicity-probation',
    template: 'promotionCalendar',
    load: (s, ctx, p) => s.reports.promotionCalendar(ctx, one(p)),
    view: vm.promotionCalendarReportView,
    sheets: sheets.promotionCalendarSheets,
  } satisfies ReportPage<Awaited<ReturnType<Services['reports']['promotionCalendar']>>>,
] as const;

/**
 * The reports area (报表): `/reports` lists the reports a county organisation department files; each report
 * is a page with filters (county, township, date or two dates), an SVG chart where one helps, an A4 print view
 * (`?print=1`) and an Excel download (`/reports/<slug>.xlsx` or `?format=xlsx`), scoped like every page.
 */
export function reportsRouter(services: Services): Router {
  const router = Router();
  const today = () => services.clock.today();
  const linked = (req: Request) => (id: number) => {
    const scope = scopeOf(req);
    return scope.all || scope.cityIds.has(id) || scope.countyIds.has(id) || scope.townshipIds.has(id);
  };

  router.get('/reports', (req, res) => {
    services.reports.index(contextOf(req));
    const f = formatterFor(req);
    res.render('reports/index', { title: req.t('reports.title'), view: vm.indexView(f) });
  });

  for (const page of REPORT_PAGES as readonly ReportPage<{ scope: ReportScope }>[]) {
    const key = REPORTS.find((r) => r.slug === page.slug)?.key as ReportKey;
    const period = page.slug === 'changes';
    const handle = (xlsx: boolean) => async (req: Request, res: Response) => {
      const p = parseFilters(req, today());
      const d = await page.load(services, contextOf(req), p);
      const f = formatterFor(req);
      const name = vm.reportName(key, f);
      const coverage = vm.coverage(d.scope, f, period ? { from: p.from, to: p.to } : { asOf: p.asOf });
      if (xlsx || req.query.format === 'xlsx') {
        const buffer = await workbookBuffer(page.sheets(d, f, `${name}（${coverage}）`));
        const date = period ? `${p.from}_${p.to}` : p.asOf;
        return sendXlsx(
          res,
          `${name}-${vm.placeLabel(d.scope, f).replace(/\s+/g, '-')}-${date}.xlsx`,
          buffer,
        );
      }
      const query = filterQuery(period ? { ...p.clean, asOf: '' } : { ...p.clean, from: '', to: '' });
      renderPage(req, res, `reports/${page.template}`, {
        title: p.errors.length ? `${req.t('errors.prefix')}${name}` : name,
        heading: name,
        coverage,
        crumbs: [
          { label: req.t('reports.title'), href: paths.reports.index() },
          { label: name, href: null },
        ],
        filters: vm.filterForm(
          d.scope,
          {
            ...p.values,
            asOf: p.values.asOf || p.asOf,
            from: p.values.from || p.from,
            to: p.values.to || p.to,
          },
          period,
        ),
        view: page.view(d, { f, values: p.clean, linked: linked(req) }),
        errors: p.errors,
        fieldErrors: errorsByField(p.errors),
        printHref: printHref(req),
        xlsxHref: paths.reports.xlsx(page.slug, query),
        indexHref: paths.reports.index(),
        allHref:
          d.scope.selected.length < d.scope.townships.length
            ? paths.reports.page(
                page.slug,
                filterQuery({ asOf: p.clean.asOf, from: p.clean.from, to: p.clean.to }),
              )
            : null,
      });
    };
    router.get(`/reports/${page.slug}`, handle(false));
    router.get(`/reports/${page.slug}.xlsx`, handle(true));
  }

  return router;
}
