import { type Request, Router } from 'express';
import type { Services } from '../../container.js';
import { NotFoundError } from '../../errors.js';
import { paths } from '../../paths.js';
import { workbookBuffer } from '../../services/export/xlsx.js';
import { principalOf, scopeOf } from '../actor.js';
import { asOfFrom } from '../establishment/asOf.js';
import { sendXlsx } from '../establishment/router.js';
import { townshipNav } from '../establishment/viewModels.js';
import { formatterFor } from '../format.js';
import { errorsByField, idParam } from '../forms.js';
import { printHref, renderPage } from '../render.js';
import * as vm from './viewModels.js';

/** A grade code from the query (the list's target filter), or null for every target. */
function targetOf(req: Request): string | null {
  const raw = req.query.target;
  return typeof raw === 'string' && /^[a-z0-9_]{1,40}$/.test(raw) ? raw : null;
}

/**
 * The career path (我的职业路径: `/people/:id/career`, the staff home) and the township eligibility list
 * (`/townships/:id/eligibility`, with Excel and print views). Both take `asOf` to look ahead.
 */
export function careerRouter(services: Services): Router {
  const router = Router();
  const careers = services.careers.paths;
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

  router.get('/people/:id/career', async (req, res) => {
    const id = idOf(req);
    const asOf = asOfFrom(req, today());
    const data = await careers.careerPath(scopeOf(req), id, asOf.asOf);
    const own = principalOf(req).grants.some((g) => g.role === 'staff' && g.personId === id);
    const view = vm.careerView(data, formatterFor(req), req, { own });
    renderPage(req, res, 'careers/career', {
      title: view.heading,
      view,
      errors: asOf.errors,
      fieldErrors: errorsByField(asOf.errors),
      asOfValue: asOf.value,
      printHref: printHref(req),
    });
  });

  const listQuery = (asOf: string, target: string | null) =>
    new URLSearchParams({ ...(asOf ? { asOf } : {}), ...(target ? { target } : {}) }).toString();

  router.get('/townships/:id/eligibility', async (req, res) => {
    const id = idOf(req);
    const asOf = asOfFrom(req, today());
    const target = targetOf(req);
    const data = await careers.townshipEligibility(scopeOf(req), id, asOf.asOf, target);
    const view = vm.townshipListView(data, formatterFor(req), req, linked(req), asOf.value);
    renderPage(req, res, 'careers/townshipList', {
      title: req.t('eligibilityList.title', { township: view.name }),
      view,
      nav: townshipNav(id, 'eligibility', req.t),
      errors: asOf.errors,
      fieldErrors: errorsByField(asOf.errors),
      asOfValue: asOf.value,
      target: target ?? '',
      printHref: printHref(req),
      xlsxHref: paths.careers.townshipXlsx(id, listQuery(asOf.value, target)),
    });
  });

  router.get('/townships/:id/eligibility.xlsx', async (req, res) => {
    const id = idOf(req);
    const { asOf } = asOfFrom(req, today());
    const f = formatterFor(req);
    const data = await careers.townshipEligibility(scopeOf(req), id, asOf, targetOf(req));
    const view = vm.townshipListView(data, f, req, linked(req));
    const buffer = await workbookBuffer([
      {
        name: f.t('eligibilityList.sheet'),
        title: `${f.t('eligibilityList.title', { township: view.name })}（${view.asOf}）`,
        columns: [
          { header: f.t('eligibilityList.columns.target'), key: 'target', width: 20 },
          { header: f.t('eligibilityList.columns.group'), key: 'group', width: 22 },
          { header: f.t('eligibilityList.columns.name'), key: 'name', width: 12 },
          { header: f.t('eligibilityList.columns.post'), key: 'post', width: 30 },
          { header: f.t('eligibilityList.columns.from'), key: 'from', width: 14 },
          { header: f.t('eligibilityList.columns.reason'), key: 'reason', width: 60 },
        ],
        rows: view.groups.flatMap((g) =>
          g.horizons.flatMap((h) =>
            h.rows.map((r) => ({
              target: g.name,
              group: h.label,
              name: r.name,
              post: r.post,
              from: r.from,
              reason: r.reason,
            })),
          ),
        ),
      },
    ]);
    sendXlsx(res, `${view.name}-${f.t('eligibilityList.heading')}-${asOf}.xlsx`, buffer);
  });

  return router;
}
