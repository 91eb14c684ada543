import { type Request, type Response, Router } from 'express';
import type { Services } from '../../container.js';
import { formatDate } from '../../domain/dates.js';
import { isWeekend } from '../../domain/workingDays.js';
import { NotFoundError } from '../../errors.js';
import { paths } from '../../paths.js';
import { contextOf, principalOf } from '../actor.js';
import { newFormKey, runFormFlow } from '../formFlow.js';
import { errorsByField, type FieldError, pageTitle } from '../forms.js';
import { calendarDaySchema, DAY_KINDS } from './schemas.js';

const FIELDS = ['day', 'kind', 'name', 'docNo'] as const;
type Values = Record<string, string | string[]>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

/**
 * The official calendar for the administrator: `/admin/calendar?year=2027` lists the year's holidays and
 * make-up workdays (from the package or set by an administrator, with the notice's 文号);
 * `/admin/calendar/day` adds or overrides one day through a check page. Everyone else: 404.
 */
export function calendarRouter(services: Services): Router {
  const router = Router();
  const calendar = services.calendar;

  router.get(paths.calendar.admin(), async (req, res) => {
    const today = services.clock.today();
    const raw = typeof req.query.year === 'string' ? req.query.year : '';
    const year = /^\d{4}$/.test(raw) ? Number(raw) : Number(today.slice(0, 4));
    const data = await calendar.year(principalOf(req), year);
    res.render('calendar/admin', {
      title: req.t('calendar.title'),
      year,
      known: data.knownYears.includes(year),
      knownYears: data.knownYears.length
        ? `${data.knownYears[0]}–${data.knownYears[data.knownYears.length - 1]}`
        : '—',
      prevHref: paths.calendar.admin(year - 1),
      nextHref: paths.calendar.admin(year + 1),
      addHref: paths.calendar.day(),
      days: data.days.map((d) => ({
        date: formatDate(d.day, req.locale),
        weekday: req.t(`calendar.weekdays.${new Date(`${d.day}T00:00:00Z`).getUTCDay()}`),
        kind: req.t(`calendar.kinds.${d.kind}`),
        tag: d.kind === 'holiday' ? 'tag--over' : d.kind === 'workday' ? 'tag--vacant' : '',
        name: d.name,
        source: req.t(`calendar.sources.${d.source}`),
        docNo: d.docNo ?? '',
        editHref: paths.calendar.day(d.day),
      })),
    });
  });

  async function renderForm(
    req: Request,
    res: Response,
    values: Values,
    errors: FieldError[],
    status: number,
  ) {
    res.status(status).render('calendar/dayForm', {
      title: pageTitle(req, 'calendar.form.title', errors),
      errors,
      fieldErrors: errorsByField(errors),
      values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, one(v)])),
      kinds: DAY_KINDS.map((k) => ({
        code: k,
        label: req.t(`calendar.kinds.${k}`),
        hint: req.t(`calendar.kindHints.${k}`),
        checked: one(values.kind) === k,
      })),
      backHref: paths.calendar.admin(),
    });
  }

  router.all(paths.calendar.day(), async (req, res) => {
    const principal = principalOf(req);
    calendar.assertAdmin(principal);
    if (req.method === 'GET') {
      const day =
        typeof req.query.day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(req.query.day) ? req.query.day : '';
      const current = day ? await calendar.day(principal, day) : null;
      return renderForm(
        req,
        res,
        {
          day,
          kind: current?.kind ?? '',
          name: current?.name ?? '',
          docNo: current?.docNo ?? '',
          formKey: newFormKey(),
        },
        [],
        200,
      );
    }
    if (req.method !== 'POST') throw new NotFoundError();
    await runFormFlow(req, res, {
      schema: calendarDaySchema,
      fields: FIELDS,
      renderForm: (values, errors, status) => renderForm(req, res, values, errors, status),
      checkTitle: req.t('calendar.form.checkTitle'),
      checkRows: async (d) => {
        const before = await calendar.day(principal, d.day);
        const weekday = req.t(`calendar.weekdays.${new Date(`${d.day}T00:00:00Z`).getUTCDay()}`);
        return [
          { label: req.t('calendar.day'), value: `${formatDate(d.day, req.locale)} ${weekday}` },
          {
            label: req.t('calendar.kind'),
            value: before
              ? req.t('calendar.form.changed', {
                  before: req.t(`calendar.kinds.${before.kind}`),
                  after: req.t(`calendar.kinds.${d.kind}`),
                })
              : req.t(`calendar.kinds.${d.kind}`),
          },
          ...(d.kind === 'ordinary'
            ? [
                {
                  label: req.t('calendar.form.meaning'),
                  value: req.t(isWeekend(d.day) ? 'calendar.form.dayOff' : 'calendar.form.dayWork'),
                },
              ]
            : []),
          { label: req.t('calendar.name'), value: d.name || '—' },
          { label: req.t('calendar.docNo'), value: d.docNo },
        ];
      },
      commit: (d) => calendar.setDay(contextOf(req), d),
      refusal: (code) => ({ key: `calendar.refusals.${code}`, status: 400 }),
      done: (r) => {
        req.session.flash = {
          kind: 'success',
          key: 'calendar.form.saved',
          vars: { day: formatDate(r.day, req.locale) },
        };
        res.redirect(303, paths.calendar.admin(Number(r.day.slice(0, 4))));
      },
    });
  });

  return router;
}
