import { type Request, type Response, Router } from 'express';
import type { Services } from '../../container.js';
import { formatMonth } from '../../domain/dates.js';
import { NotFoundError } from '../../errors.js';
import { paths } from '../../paths.js';
import { FILING_ONLY_CHOICES } from '../../services/admin/countySettingsService.js';
import { contextOf, principalOf } from '../actor.js';
import { formatterFor } from '../format.js';
import { newFormKey, runFormFlow } from '../formFlow.js';
import { errorsByField, type FieldError, idParam, pageTitle } from '../forms.js';
import { countySettingsSchema } from './schemas.js';

const FIELDS = [
  'countyId',
  'unitLimit',
  'featuredUnitLimit',
  'unitDeputyThresholds',
  'filingOnlyKinds',
  'quotaApprovalMonths',
  'secondmentMaxMonths',
  'source',
] as const;

type Values = Record<string, string | string[]>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
const many = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);

/**
 * The administrator's county settings: `/admin/counties` lists every county's values (its own or the
 * defaults); `/admin/counties/:id/settings` changes them through a check-your-answers page. Others: 404.
 */
export function countySettingsRouter(services: Services): Router {
  const router = Router();
  const settings = services.admin.countySettings;

  router.get(paths.countySettings(), async (req, res) => {
    const f = formatterFor(req);
    const sep = req.locale === 'zh-CN' ? '、' : ', ';
    const counties = await settings.overview(principalOf(req));
    res.render('admin/countySettings', {
      title: req.t('countySettings.title'),
      counties: counties.map((c) => ({
        name: c.name,
        cityName: c.cityName,
        unitLimit: c.settings.unitLimit,
        featuredUnitLimit: c.settings.featuredUnitLimit,
        thresholds: c.settings.unitDeputyThresholds.join(sep) || '—',
        filingOnly:
          c.settings.filingOnlyKinds.map((k) => f.label('movementKinds', k)).join(sep) ||
          req.t('countySettings.noneFilingOnly'),
        quotaApprovalMonths: f.t('countySettings.months', { n: c.settings.quotaApprovalMonths }),
        secondmentMaxMonths: f.t('countySettings.months', { n: c.settings.secondmentMaxMonths }),
        updated: c.updatedAt ? formatMonth(c.updatedAt.toISOString().slice(0, 10), req.locale) : null,
        editHref: paths.countySettingsEdit(c.id),
      })),
    });
  });

  async function renderForm(
    req: Request,
    res: Response,
    countyName: string,
    values: Values,
    errors: FieldError[],
    status: number,
  ) {
    const f = formatterFor(req);
    const chosen = new Set(many(values.filingOnlyKinds));
    res.status(status).render('admin/countySettingsForm', {
      title: pageTitle(req, 'countySettings.form.title', errors),
      countyName,
      errors,
      fieldErrors: errorsByField(errors),
      values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, one(v)])),
      kinds: FILING_ONLY_CHOICES.map((k) => ({
        code: k,
        id: `filingOnlyKinds-${k}`,
        label: f.label('movementKinds', k),
        checked: chosen.has(k),
      })),
      backHref: paths.countySettings(),
    });
  }

  router.all('/admin/counties/:countyId/settings', async (req, res) => {
    const countyId = idParam(req.params.countyId);
    if (!countyId) throw new NotFoundError('county');
    const { county, settings: current } = await settings.forCounty(principalOf(req), countyId);
    const sep = req.locale === 'zh-CN' ? '、' : ', ';
    if (req.method === 'GET') {
      const values: Values = {
        countyId: String(countyId),
        unitLimit: String(current.unitLimit),
        featuredUnitLimit: String(current.featuredUnitLimit),
        unitDeputyThresholds: current.unitDeputyThresholds.join(', '),
        filingOnlyKinds: [...current.filingOnlyKinds],
        quotaApprovalMonths: String(current.quotaApprovalMonths),
        secondmentMaxMonths: String(current.secondmentMaxMonths),
        source: '',
        formKey: newFormKey(),
      };
      return renderForm(req, res, county.name, values, [], 200);
    }
    if (req.method !== 'POST') throw new NotFoundError();
    // The county is the one in the address, whatever the body says.
    req.body = { ...(req.body ?? {}), countyId: String(countyId) };
    const f = formatterFor(req);
    const kinds = (list: readonly string[]) =>
      list.map((k) => f.label('movementKinds', k)).join(sep) || req.t('countySettings.noneFilingOnly');
    const change = (before: string, after: string) =>
      before === after ? after : req.t('countySettings.form.changed', { before, after });
    await runFormFlow(req, res, {
      schema: countySettingsSchema,
      fields: FIELDS,
      renderForm: (values, errors, status) => renderForm(req, res, county.name, values, errors, status),
      checkTitle: req.t('countySettings.form.checkTitle', { county: county.name }),
      checkRows: (d) => [
        {
          label: req.t('countySettings.unitLimit'),
          value: change(String(current.unitLimit), String(d.unitLimit)),
        },
        {
          label: req.t('countySettings.featuredUnitLimit'),
          value: change(String(current.featuredUnitLimit), String(d.featuredUnitLimit)),
        },
        {
          label: req.t('countySettings.thresholds'),
          value: change(
            current.unitDeputyThresholds.join(sep) || '—',
            d.unitDeputyThresholds.join(sep) || '—',
          ),
        },
        {
          label: req.t('countySettings.filingOnly'),
          value: change(kinds(current.filingOnlyKinds), kinds(d.filingOnlyKinds)),
        },
        {
          label: req.t('countySettings.quotaApprovalMonths'),
          value: change(
            f.t('countySettings.months', { n: current.quotaApprovalMonths }),
            f.t('countySettings.months', { n: d.quotaApprovalMonths }),
          ),
        },
        {
          label: req.t('countySettings.secondmentMaxMonths'),
          value: change(
            f.t('countySettings.months', { n: current.secondmentMaxMonths }),
            f.t('countySettings.months', { n: d.secondmentMaxMonths }),
          ),
        },
        { label: req.t('countySettings.form.source'), value: d.source },
      ],
      commit: (d) => settings.update(contextOf(req), d),
      refusal: (code) => ({ key: `countySettings.refusals.${code}`, status: 400 }),
      done: () => {
        req.session.flash = {
          kind: 'success',
          key: 'countySettings.form.saved',
          vars: { county: county.name },
        };
        res.redirect(303, paths.countySettings());
      },
    });
  });

  return router;
}
