import { type Request, type Response, Router } from 'express';
import type { Services } from '../../container.js';
import { NotFoundError } from '../../errors.js';
import { paths } from '../../paths.js';
import { attachmentHeader, workbookBuffer } from '../../services/export/xlsx.js';
import { RenderedBodies } from '../../views/renderedBodies.js';
import { scopeOf } from '../actor.js';
import { formatterFor } from '../format.js';
import { errorsByField, idParam } from '../forms.js';
import { printHref, renderPage } from '../render.js';
import { asOfFrom } from './asOf.js';
import { can } from './permissions.js';
import * as vm from './viewModels.js';

/**
 * The township's establishment pages (编制使用情况, 领导职数配备, 组织架构), the county overview and the
 * decision histories, each with an A4 print view (?print=1) and, for tables, an Excel download.
 */
export function establishmentRouter(services: Services): Router {
  const router = Router();
  const reads = services.establishment.reads;
  /** The establishment page's rendered bodies, kept with the cached establishment they show. */
  const establishmentBodies = new RenderedBodies();
  const today = () => services.clock.today();

  const idOf = (req: Request) => {
    const id = idParam(req.params.id);
    if (id === null) throw new NotFoundError();
    return id;
  };
  const linked = (req: Request) => (id: number) => {
    const scope = scopeOf(req);
    return scope.all || scope.cityIds.has(id) || scope.countyIds.has(id) || scope.townshipIds.has(id);
  };

  const pageData = (req: Request, extra: Record<string, unknown>, asOf: ReturnType<typeof asOfFrom>) => ({
    ...extra,
    errors: asOf.errors,
    fieldErrors: errorsByField(asOf.errors),
    asOfValue: asOf.value,
    printHref: printHref(req),
  });

  router.get('/townships/:id/establishment', async (req, res) => {
    const id = idOf(req);
    const asOf = asOfFrom(req, today());
    const data = await reads.establishment(scopeOf(req), id, asOf.asOf);
    const title = req.t('establishment.title', { township: data.township.name });
    // The body depends on the (cached, shared) data and on these only; the template reads nothing else.
    const canEditPosts = can.manageTownship(req, id);
    const isLinked = linked(req);
    const variant = JSON.stringify([
      req.locale,
      req.query.print === '1',
      asOf.value,
      printHref(req),
      canEditPosts,
      data.path.map((r) => isLinked(r.id)),
    ]);
    // A page showing a bad date is never kept, nor taken from a kept body.
    const keep = asOf.errors.length === 0;
    const rendered = keep ? establishmentBodies.get(data, variant) : undefined;
    if (rendered !== undefined) {
      return renderPage(req, res, 'establishment/establishment', { title, renderedBody: rendered });
    }
    const view = vm.establishmentView(data, formatterFor(req), isLinked);
    renderPage(
      req,
      res,
      'establishment/establishment',
      pageData(
        req,
        {
          title,
          ...(keep ? { keepBody: (html: string) => establishmentBodies.set(data, variant, html) } : {}),
          view,
          nav: vm.townshipNav(id, 'establishment', req.t),
          xlsxHref: `${paths.establishmentXlsx(id)}${asOf.value ? `?asOf=${asOf.value}` : ''}`,
          canEditPosts,
          newPostHref: paths.newPost(id),
        },
        asOf,
      ),
    );
  });

  router.get('/townships/:id/establishment.xlsx', async (req, res) => {
    const id = idOf(req);
    const { asOf } = asOfFrom(req, today());
    const f = formatterFor(req);
    const view = vm.establishmentView(await reads.establishment(scopeOf(req), id, asOf), f, linked(req));
    const t = (k: string) => f.t(k);
    const buffer = await workbookBuffer([
      {
        name: t('establishment.sheetTypes'),
        title: `${view.name} ${t('establishment.heading')}（${view.asOf}）`,
        columns: [
          { header: t('usage.type'), key: 'type', width: 20 },
          { header: t('usage.approved'), key: 'approved', numeric: true },
          { header: t('usage.occupied'), key: 'occupied', numeric: true },
          { header: t('usage.reserved'), key: 'reserved', numeric: true },
          { header: t('usage.vacant'), key: 'vacant', numeric: true },
          { header: t('usage.over'), key: 'over', numeric: true },
          { header: t('usage.status'), key: 'status', width: 10 },
        ],
        rows: [...view.byType, { type: t('directory.total'), ...view.total }].map((r) => ({
          type: r.type,
          approved: Number(r.approved.replace(/,/g, '')),
          occupied: Number(r.occupied.replace(/,/g, '')),
          reserved: Number(r.reserved.replace(/,/g, '')),
          vacant: Number(r.vacant.replace(/,/g, '')),
          over: Number(r.over.replace(/,/g, '')),
          status: r.status.text,
        })),
      },
      {
        name: t('establishment.sheetUnits'),
        title: `${view.name} ${t('establishment.byUnit')}（${view.asOf}）`,
        columns: [
          { header: t('unit.name'), key: 'name', width: 30 },
          { header: t('establishment.posts'), key: 'posts', numeric: true },
          { header: t('establishment.filled'), key: 'filled', numeric: true },
          { header: t('establishment.vacantPosts'), key: 'vacant', numeric: true },
          { header: t('establishment.byHolderType'), key: 'byType', width: 28 },
          { header: t('establishment.names'), key: 'names', width: 60 },
        ],
        rows: [view.leadershipTeam, ...view.units, ...view.dispatched].map((u) => ({
          name: u.aliases.length ? `${u.name}（${u.aliases.join('、')}）` : u.name,
          posts: u.posts,
          filled: u.filled,
          vacant: u.vacantPosts,
          byType: u.byType.join('，'),
          names: u.holders
            .map((h) => `${h.name}${h.crossType ? `（${t('post.crossTypeHolder')}）` : ''}`)
            .join('、'),
        })),
      },
    ]);
    sendXlsx(res, `${view.name}-${t('establishment.heading')}-${asOf}.xlsx`, buffer);
  });

  router.get('/townships/:id/leadership', async (req, res) => {
    const id = idOf(req);
    const asOf = asOfFrom(req, today());
    const view = vm.leadershipView(
      await reads.leadership(scopeOf(req), id, asOf.asOf),
      formatterFor(req),
      linked(req),
    );
    renderPage(
      req,
      res,
      'establishment/leadership',
      pageData(
        req,
        {
          title: req.t('leadership.title', { township: view.name }),
          view,
          nav: vm.townshipNav(id, 'leadership', req.t),
          xlsxHref: `${paths.leadershipXlsx(id)}${asOf.value ? `?asOf=${asOf.value}` : ''}`,
        },
        asOf,
      ),
    );
  });

  router.get('/townships/:id/leadership.xlsx', async (req, res) => {
    const id = idOf(req);
    const { asOf } = asOfFrom(req, today());
    const f = formatterFor(req);
    const view = vm.leadershipView(await reads.leadership(scopeOf(req), id, asOf), f, linked(req));
    const group = (key: string, rows: typeof view.counted) =>
      rows.map((r) => ({
        group: f.t(key),
        kind: r.kind,
        rank: r.rank,
        approved: r.approved,
        filled: r.filled,
        vacant: r.vacant,
        over: r.over,
        holders: r.holders
          .map((h) => `${h.name}${h.concurrent ? `（${f.t('assignmentKinds.concurrent')}）` : ''}`)
          .join('、'),
        writeOff: r.writeOff,
      }));
    const buffer = await workbookBuffer([
      {
        name: f.t('leadership.heading'),
        title: `${view.name} ${f.t('leadership.heading')}（${view.asOf}）${f.t('leadership.totalLine', { total: view.total, filled: view.countedFilled })}`,
        columns: [
          { header: f.t('leadership.group'), key: 'group', width: 14 },
          { header: f.t('leadership.kind'), key: 'kind', width: 30 },
          { header: f.t('leadership.rank'), key: 'rank', width: 10 },
          { header: f.t('leadership.approved'), key: 'approved', numeric: true },
          { header: f.t('leadership.filled'), key: 'filled', numeric: true },
          { header: f.t('leadership.vacant'), key: 'vacant', numeric: true },
          { header: f.t('leadership.over'), key: 'over', numeric: true },
          { header: f.t('leadership.holders'), key: 'holders', width: 30 },
          { header: f.t('leadership.writeOff'), key: 'writeOff', width: 14 },
        ],
        rows: [
          ...group('leadership.counted', view.counted),
          ...group('leadership.notCounted', view.notCounted),
          ...group('leadership.concurrent', view.concurrent),
          ...group('leadership.temporary', view.temporary),
        ],
      },
    ]);
    sendXlsx(res, `${view.name}-${f.t('leadership.heading')}-${asOf}.xlsx`, buffer);
  });

  router.get('/townships/:id/org-chart', async (req, res) => {
    const id = idOf(req);
    const asOf = asOfFrom(req, today());
    const view = vm.orgChartView(
      await reads.orgChart(scopeOf(req), id, asOf.asOf),
      formatterFor(req),
      linked(req),
    );
    renderPage(
      req,
      res,
      'establishment/orgChart',
      pageData(
        req,
        {
          title: req.t('orgChart.title', { township: view.name }),
          view,
          nav: vm.townshipNav(id, 'orgChart', req.t),
        },
        asOf,
      ),
    );
  });

  const countySort = (req: Request) => {
    const by = vm.COUNTY_SORTS.includes(req.query.sort as vm.CountySort)
      ? (req.query.sort as vm.CountySort)
      : 'name';
    const dir: 'asc' | 'desc' = req.query.dir === 'desc' ? 'desc' : 'asc';
    return { by, dir };
  };

  router.get('/counties/:id', async (req, res) => {
    const id = idOf(req);
    const asOf = asOfFrom(req, today());
    const view = vm.countyOverviewView(
      await reads.countyOverview(scopeOf(req), id, asOf.asOf),
      formatterFor(req),
      linked(req),
      countySort(req),
      paths.county(id),
    );
    renderPage(
      req,
      res,
      'establishment/county',
      pageData(
        req,
        {
          title: view.name,
          view,
          xlsxHref: `${paths.countyXlsx(id)}${asOf.value ? `?asOf=${asOf.value}` : ''}`,
          decisionsHref:
            can.decideForCounty(req, id) || scopeOf(req).fullCountyIds.has(id) || scopeOf(req).all
              ? paths.countyQuotaDecisions(id)
              : null,
          promotionsHref:
            scopeOf(req).fullCountyIds.has(id) || scopeOf(req).all ? paths.promotions.county(id) : null,
        },
        asOf,
      ),
    );
  });

  router.get('/counties/:id/overview.xlsx', async (req, res) => {
    const id = idOf(req);
    const { asOf } = asOfFrom(req, today());
    const f = formatterFor(req);
    const view = vm.countyOverviewView(
      await reads.countyOverview(scopeOf(req), id, asOf),
      f,
      linked(req),
      countySort(req),
      paths.county(id),
    );
    const num = (s: string) => Number(s.replace(/,/g, ''));
    const buffer = await workbookBuffer([
      {
        name: f.t('countyOverview.sheet'),
        title: `${view.name} ${f.t('countyOverview.heading')}（${view.asOf}）`,
        columns: [
          { header: f.t('directory.townshipColumn'), key: 'name', width: 16 },
          { header: f.t('directory.kind'), key: 'kind', width: 8 },
          { header: f.t('directory.headcount'), key: 'headcount', numeric: true, width: 10 },
          { header: f.t('usage.approved'), key: 'approved', numeric: true },
          { header: f.t('usage.occupied'), key: 'occupied', numeric: true },
          { header: f.t('usage.reserved'), key: 'reserved', numeric: true },
          { header: f.t('usage.vacant'), key: 'vacant', numeric: true },
          { header: f.t('usage.over'), key: 'over', numeric: true },
          { header: f.t('usage.status'), key: 'status' },
          { header: f.t('countyOverview.columns.leaders'), key: 'leaders', width: 14 },
        ],
        rows: [...view.townships, { name: f.t('directory.total'), kind: '', leaders: '', ...view.total }].map(
          (r) => ({
            name: r.name,
            kind: r.kind,
            headcount: num(r.headcount),
            approved: num(r.approved),
            occupied: num(r.occupied),
            reserved: num(r.reserved),
            vacant: num(r.vacant),
            over: num(r.over),
            status: r.status.text,
            leaders: r.leaders,
          }),
        ),
      },
    ]);
    sendXlsx(res, `${view.name}-${f.t('countyOverview.heading')}-${asOf}.xlsx`, buffer);
  });

  return router;
}

export function sendXlsx(res: Response, filename: string, buffer: Buffer): void {
  res
    .status(200)
    .set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .set('Content-Disposition', attachmentHeader(filename))
    .set('Cache-Control', 'private, no-store')
    .send(buffer);
}
