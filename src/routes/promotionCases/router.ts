import { type NextFunction, type Request, type Response, Router } from 'express';
import type { Services } from '../../container.js';
import { formatDate } from '../../domain/dates.js';
import type { CaseAction, CaseState } from '../../domain/promotionCase.js';
import { CASE_STATES, stateTag } from '../../domain/promotionCase.js';
import { NotFoundError } from '../../errors.js';
import { paths } from '../../paths.js';
import { contextOf } from '../actor.js';
import { formatterFor } from '../format.js';
import { newFormKey, refusalStatus, runFormFlow, translatedVars } from '../formFlow.js';
import { errorsByField, type FieldError, fieldError, idParam, pageTitle, parseForm } from '../forms.js';
import { caseFilterSchema, gatherNominees, openCaseSchema, stepSchema } from './schemas.js';
import { caseView, noticeView } from './viewModels.js';

const OPEN_FIELDS = ['postId', 'reason', 'proposedRemoval', 'comment', 'docNo'] as const;
const OPEN_STATES: CaseState[] = [
  'motion',
  'recommendation',
  'candidates',
  'inspection',
  'decided',
  'publicity',
  'objection',
];

/** Numeric ids only: other paths under /promotions (candidates, the dashboard) belong to other routers. */
const caseId = (req: Request, next: NextFunction): number | null => {
  const id = idParam(req.params.id);
  if (id === null) next();
  return id;
};

/**
 * Selection cases: `/promotions` (list with state and township filters), `/promotions/new` (动议: seat → check →
 * open), `/promotions/:id` (timeline, people, the next steps' forms), `POST /promotions/:id/steps`, and the
 * 任前公示 notice (`/promotions/:id/notice`, printable and as text). A stale form is a 409 page.
 */
export function promotionCaseRouter(services: Services): Router {
  const router = Router();
  const svc = services.promotionCases;

  router.get(paths.promotionCases.list(), async (req, res) => {
    const ctx = contextOf(req);
    const filter = caseFilterSchema.parse({
      state: typeof req.query.state === 'string' ? req.query.state : undefined,
      township: typeof req.query.township === 'string' ? req.query.township : undefined,
    });
    const states =
      filter.state === 'open' ? OPEN_STATES : filter.state ? [filter.state as CaseState] : undefined;
    const list = await svc.list(ctx, { ...(states ? { states } : {}), townshipId: filter.township });
    const f = formatterFor(req);
    const officerTownships = ctx.principal.grants
      .filter((g) => g.role === 'township_officer' && g.regionId !== null)
      .map((g) => g.regionId as number);
    res.render('promotionCases/list', {
      title: req.t('promotionCases.listTitle'),
      states: [
        { code: '', label: req.t('promotionCases.allStates'), selected: !filter.state },
        { code: 'open', label: req.t('promotionCases.openStates'), selected: filter.state === 'open' },
        ...CASE_STATES.map((s) => ({
          code: s,
          label: req.t(`promotionCases.states.${s}`),
          selected: filter.state === s,
        })),
      ],
      township: filter.township ?? '',
      newHref: officerTownships[0] ? paths.promotionCases.new(officerTownships[0]) : null,
      cases: list.map((c) => ({
        href: paths.promotionCases.case(c.id),
        id: c.id,
        township: c.townshipName,
        seat: c.unitName ? `${c.unitName} ${c.postName}` : c.postName,
        level: req.t(`promotionCases.levels.${c.targetLevel}`),
        state: req.t(`promotionCases.states.${c.state}`),
        stateCss: stateTag(c.state),
        appointee: c.appointeeName ?? '',
        publicity: c.publicityEndsOn ? `${f.date(c.publicityStartsOn)}–${f.date(c.publicityEndsOn)}` : '',
        probation: c.probationUntil ? f.date(c.probationUntil) : '',
        updated: f.date(c.updatedAt.toISOString().slice(0, 10)),
      })),
    });
  });

  async function renderOpenForm(
    req: Request,
    res: Response,
    townshipId: number,
    values: Record<string, string | string[]>,
    errors: FieldError[],
    status: number,
  ) {
    const seats = await svc.seatsFor(contextOf(req), townshipId);
    const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
    res.status(status).render('promotionCases/openForm', {
      title: pageTitle(req, 'promotionCases.openTitle', errors),
      errors,
      fieldErrors: errorsByField(errors),
      values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, one(v)])),
      seats: seats.map((s) => ({
        id: s.id,
        label: `${s.unit_name ? `${s.unit_name} ` : ''}${s.name}（${req.t(`promotionCases.levels.${s.level}`)}）`,
        selected: one(values.postId) === String(s.id),
      })),
      action: paths.promotionCases.new(townshipId),
      backHref: paths.promotionCases.list(),
    });
  }

  router.all(paths.promotionCases.new(), async (req, res) => {
    const townshipId = idParam(typeof req.query.township === 'string' ? req.query.township : '');
    if (!townshipId) throw new NotFoundError('township');
    if (req.method === 'GET')
      return renderOpenForm(
        req,
        res,
        townshipId,
        {
          postId: typeof req.query.post === 'string' ? req.query.post : '',
          reason: '',
          proposedRemoval: '',
          comment: '',
          docNo: '',
          formKey: newFormKey(),
        },
        [],
        200,
      );
    if (req.method !== 'POST') throw new NotFoundError();
    const seats = await svc.seatsFor(contextOf(req), townshipId);
    await runFormFlow(req, res, {
      schema: openCaseSchema,
      fields: OPEN_FIELDS,
      renderForm: (values, errors, status) => renderOpenForm(req, res, townshipId, values, errors, status),
      checkTitle: req.t('promotionCases.openCheckTitle'),
      checkRows: (d) => {
        const seat = seats.find((s) => s.id === d.postId);
        return [
          {
            label: req.t('promotionCases.seat'),
            value: seat ? `${seat.unit_name ?? ''} ${seat.name}` : String(d.postId),
          },
          { label: req.t('promotionCases.reason'), value: d.reason },
          { label: req.t('promotionCases.proposedRemoval'), value: d.proposedRemoval || '—' },
          { label: req.t('promotionCases.comment'), value: d.comment || '—' },
          { label: req.t('forms.docNo'), value: d.docNo ?? '—' },
        ];
      },
      commit: (d) => svc.open(contextOf(req), d),
      refusal: (code) => ({ key: `promotionCases.refusals.${code}`, status: refusalStatus(code, 400) }),
      done: (r) => {
        req.session.flash = { kind: 'success', key: 'promotionCases.opened' };
        res.redirect(303, paths.promotionCases.case(r.id));
      },
    });
  });

  async function renderCase(
    req: Request,
    res: Response,
    id: number,
    errors: FieldError[] = [],
    status = 200,
    values: Record<string, string> = {},
    failedAction?: string,
  ) {
    const ctx = contextOf(req);
    const data = await svc.get(ctx, id);
    const townshipPeople = data.actions.includes('recommend')
      ? await svc.townshipPeople(ctx, data.case.townshipId)
      : [];
    const view = caseView(req, data, townshipPeople, services.clock.today());
    const anchored = errors.map((e) => ({ ...e, href: `#${failedAction ?? 'step'}-${e.field}` }));
    const fieldErrors = errorsByField(errors);
    res.status(status).render('promotionCases/case', {
      title: errors.length ? `${req.t('errors.prefix')}${view.heading}` : view.heading,
      ...view,
      forms: view.forms.map((form) =>
        form.action === failedAction
          ? { ...form, errors: fieldErrors, values: { ...form.values, ...values }, open: true }
          : form,
      ),
      errors: anchored,
    });
  }

  router.get('/promotions/:id', async (req, res, next) => {
    const id = caseId(req, next);
    if (id === null) return;
    await renderCase(req, res, id);
  });

  router.post('/promotions/:id/steps', async (req, res, next) => {
    const id = caseId(req, next);
    if (id === null) return;
    const ctx = contextOf(req);
    await svc.get(ctx, id); // 404 outside the scope, before reading the body
    const body = gatherNominees((req.body ?? {}) as Record<string, unknown>);
    const values = Object.fromEntries(
      Object.entries(body)
        .filter(([k, v]) => typeof v === 'string' && k !== '_csrf')
        .map(([k, v]) => [k, (v as string).slice(0, 2000)]),
    );
    const action = typeof body.action === 'string' ? body.action : '';
    const parsed = parseForm(stepSchema, body, req);
    if (!parsed.ok) return renderCase(req, res, id, parsed.errors, 400, values, action);
    const result = await svc.step(ctx, id, parsed.data);
    if (!result.ok) {
      if (result.code === 'stale_version') {
        const data = await svc.get(ctx, id);
        const last = data.steps[data.steps.length - 1];
        const f = formatterFor(req);
        return res.status(409).render('promotionCases/stale', {
          title: req.t('promotionCases.staleTitle'),
          state: req.t(`promotionCases.states.${data.case.state}`),
          last: last
            ? {
                action: req.t(`promotionCases.actions.${last.action}`),
                actor: last.actorName,
                at: f.date(last.actedOn),
                comment: last.comment,
              }
            : null,
          back: paths.promotionCases.case(id),
        });
      }
      const error = fieldError(
        req,
        result.field,
        `promotionCases.refusals.${result.code}`,
        translatedVars(req, refusalVars(req, result.vars ?? {})),
      );
      return renderCase(req, res, id, [error], refusalStatus(result.code, 400), values, action);
    }
    if (!result.replayed)
      req.session.flash = { kind: 'success', key: `promotionCases.done.${parsed.data.action as CaseAction}` };
    res.redirect(303, paths.promotionCases.case(id));
  });

  router.get('/promotions/:id/notice', async (req, res, next) => {
    const id = caseId(req, next);
    if (id === null) return;
    const data = await svc.get(contextOf(req), id);
    if (!data.case.publicityStartsOn || !data.case.appointeePersonId) throw new NotFoundError('notice');
    const notice = await noticeView(req, services, data.case);
    res.render('promotionCases/notice', {
      title: req.t('promotionCases.notice.title'),
      notice,
      ...(req.query.print === '1' ? { layout: 'print', printedOn: services.clock.today() } : {}),
      print: req.query.print === '1',
      printBack: paths.promotionCases.case(id),
      printHref: paths.promotionCases.notice(id, 'print=1'),
      backHref: paths.promotionCases.case(id),
    });
  });

  return router;
}

/** Dates in refusal numbers as cadres write them; eligibility blocks by name. */
function refusalVars(req: Request, vars: Record<string, string | number>): Record<string, string | number> {
  const out = { ...vars };
  if (typeof vars.until === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(vars.until))
    out.until = formatDate(vars.until, req.locale);
  if (typeof vars.reason === 'string' && vars.reason)
    out.reason = req.t(`promotionCases.blocks.${vars.reason}`, { defaultValue: vars.reason });
  if (typeof vars.relation === 'string')
    out.relation = req.t(`relations.${vars.relation}`, { defaultValue: vars.relation });
  return out;
}
