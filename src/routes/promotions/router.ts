import { type Request, type Response, Router } from 'express';
import type { Services } from '../../container.js';
import { RANK_PROMOTION_STATES, type RankPromotionState } from '../../domain/rankPromotion.js';
import { NotFoundError } from '../../errors.js';
import { paths } from '../../paths.js';
import { contextOf, principalOf, scopeOf } from '../actor.js';
import { messenger } from '../careers/viewModels.js';
import { asOfFrom } from '../establishment/asOf.js';
import { townshipNav } from '../establishment/viewModels.js';
import { formatterFor } from '../format.js';
import { newFormKey, runFormFlow, translatedVars } from '../formFlow.js';
import { errorsByField, type FieldError, fieldError, idParam, pageTitle, parseForm } from '../forms.js';
import { countySelectionView } from '../promotionCases/viewModels.js';
import { printHref, renderPage } from '../render.js';
import { promotionRefusalStatus, rankPromotionSchema, rankStepSchema, refusalKey } from './schemas.js';
import * as vm from './viewModels.js';

/**
 * Promotions: vacant seats and their candidates (`/townships/:id/promotions/vacancies`, one page per seat), the
 * county dashboard (`/counties/:id/promotions`) and rank promotions (`/rank-promotions`: list, plan, steps).
 */
export function promotionsRouter(services: Services): Router {
  const router = Router();
  const { candidates, ranks } = services.promotions;
  const today = () => services.clock.today();
  const idOf = (raw: unknown) => {
    const id = idParam(raw);
    if (id === null) throw new NotFoundError();
    return id;
  };

  router.get('/townships/:id/promotions/vacancies', async (req, res) => {
    const id = idOf(req.params.id);
    const asOf = asOfFrom(req, today());
    const d = await candidates.townshipVacancies(scopeOf(req), id, asOf.asOf);
    const f = formatterFor(req);
    const query = asOf.value ? `asOf=${asOf.value}` : '';
    renderPage(req, res, 'promotions/vacancies', {
      title: req.t('promotions.vacancies.title', { township: d.township.name }),
      township: d.township,
      asOf: f.date(d.asOf),
      totalFull: d.totalFull,
      nav: townshipNav(id, 'promotions', req.t),
      crumbs: d.path.map((r) => ({
        name: r.name,
        href: `/${r.kind === 'city' ? 'cities' : r.kind === 'county' ? 'counties' : 'townships'}/${r.id}`,
      })),
      seats: d.seats.map((s) => ({
        name: vm.seatName(s.seat, f),
        kind: vm.seatKindText(s.seat, f),
        vacant: s.seat.vacant,
        party: s.seat.partyPost,
        href: paths.promotions.seat(id, s.seat.key, query),
        ...s.counts,
      })),
      errors: asOf.errors,
      fieldErrors: errorsByField(asOf.errors),
      asOfValue: asOf.value,
      printHref: printHref(req),
    });
  });

  router.get('/townships/:id/promotions/vacancies/:seat', async (req, res) => {
    const id = idOf(req.params.id);
    const asOf = asOfFrom(req, today());
    const d = await candidates.seatCandidates(scopeOf(req), id, String(req.params.seat), asOf.asOf);
    const f = formatterFor(req);
    const seatName = vm.seatName(d.seat, f);
    renderPage(req, res, 'promotions/seat', {
      title: req.t('promotions.seat.title', { seat: seatName, township: d.township.name }),
      township: d.township,
      seatName,
      seatKind: vm.seatKindText(d.seat, f),
      party: d.seat.partyPost,
      vacant: d.seat.vacant,
      totalFull: d.totalFull,
      countyWide: d.countyWide,
      asOf: f.date(d.asOf),
      backHref: paths.promotions.vacancies(id),
      leaders: d.leaders.map((l) => ({ name: l.name, role: f.t(`leadershipKinds.${l.role}`) })),
      horizons: vm.horizonsView(d.horizons, (list) => vm.candidateRows(list, req, d.names, f), f),
      errors: asOf.errors,
      fieldErrors: errorsByField(asOf.errors),
      asOfValue: asOf.value,
      printHref: printHref(req),
    });
  });

  router.get('/counties/:id/promotions', async (req, res) => {
    const id = idOf(req.params.id);
    const asOf = asOfFrom(req, today());
    const scope = scopeOf(req);
    const [d, pools, inProcess, refs, selection] = await Promise.all([
      candidates.countyOverview(scope, id, asOf.asOf),
      ranks.pools(scope, id),
      ranks.list(scope, {
        countyId: id,
        states: ['planned', 'recommended', 'reviewed', 'in_publicity', 'approved'],
      }),
      refNames(services),
      services.promotionCases.countySummary(contextOf(req), id, today()),
    ]);
    const f = formatterFor(req);
    const m = messenger(req, refs);
    const query = asOf.value ? `asOf=${asOf.value}` : '';
    renderPage(req, res, 'promotions/county', {
      title: req.t('promotions.county.title', { county: d.county.name }),
      county: d.county,
      asOf: f.date(d.asOf),
      townships: d.townships.map((t) => ({
        name: t.township.name,
        href: paths.promotions.vacancies(t.township.id, query),
        totalFull: t.totalFull,
        deputy: t.seats.filter((s) => s.seat.rank === 'deputy_section').length,
        chief: t.seats.filter((s) => s.seat.rank === 'section_chief').length,
        seats: t.seats.map((s) => ({
          name: vm.seatName(s.seat, f),
          kind: vm.seatKindText(s.seat, f),
          href: paths.promotions.seat(t.township.id, s.seat.key, query),
          ...s.counts,
        })),
      })),
      rankTargets: d.rankTargets.map((r) => ({ name: m.grade(r.target.code), ...r.counts })),
      pools: pools.map((p) => ({ name: f.name(p.pool.nameZh, p.pool.nameEn), ...vm.usageView(p.usage) })),
      inProcess: inProcess.map((p) => vm.promotionRow(p, f, m.grade)),
      // The selection cases' sections (promo-cases): views/partials/promotions/{casesByState,…}.hbs.
      selection: countySelectionView(req, selection, id),
      newRankHref: paths.promotions.newRank(),
      errors: asOf.errors,
      fieldErrors: errorsByField(asOf.errors),
      asOfValue: asOf.value,
      printHref: printHref(req),
    });
  });

  router.get('/rank-promotions', async (req, res) => {
    const raw = req.query.state;
    const state =
      typeof raw === 'string' && (RANK_PROMOTION_STATES as readonly string[]).includes(raw)
        ? (raw as RankPromotionState)
        : null;
    const list = await ranks.list(scopeOf(req), { states: state ? [state] : [] });
    const f = formatterFor(req);
    const m = messenger(req, await refNames(services));
    res.render('promotions/rankList', {
      title: req.t('promotions.ranks.title'),
      rows: list.map((p) => vm.promotionRow(p, f, m.grade)),
      states: RANK_PROMOTION_STATES.map((s) => ({
        value: s,
        label: vm.stateText(s, f),
        selected: s === state,
      })),
      newHref: paths.promotions.newRank(),
    });
  });

  const rankGrades = async (req: Request) => {
    const refs = await refNames(services);
    const zh = req.locale === 'zh-CN';
    return refs.grades
      .filter((g) => g.ladder === 'civil_service_rank')
      .map((g) => ({ value: g.code, label: zh ? g.nameZh : g.nameEn }));
  };

  const planFlow = (req: Request, res: Response) => ({
    schema: rankPromotionSchema,
    fields: ['personId', 'targetGrade', 'reason', 'docNo'] as const,
    renderForm: async (values: Record<string, string | string[]>, errors: FieldError[], status: number) => {
      const grades = await rankGrades(req);
      res.status(status).render('promotions/rankForm', {
        title: pageTitle(req, 'promotions.plan.title', errors),
        values,
        errors,
        fieldErrors: errorsByField(errors),
        grades: grades.map((g) => ({ ...g, selected: g.value === values.targetGrade })),
        action: paths.promotions.newRank(),
      });
    },
    checkRows: async (data: {
      personId: number;
      targetGrade: string;
      reason: string;
      docNo: string | null;
    }) => {
      const grades = await rankGrades(req);
      return [
        { label: req.t('promotions.plan.person'), value: String(data.personId) },
        {
          label: req.t('promotions.plan.target'),
          value: grades.find((g) => g.value === data.targetGrade)?.label ?? data.targetGrade,
        },
        { label: req.t('promotions.plan.reason'), value: data.reason },
        { label: req.t('promotions.plan.docNo'), value: data.docNo ?? '' },
      ];
    },
    checkTitle: req.t('promotions.plan.check'),
    commit: (data: {
      personId: number;
      targetGrade: string;
      reason: string;
      docNo: string | null;
      formKey: string;
    }) => ranks.create(contextOf(req), data),
    done: (result: { id: number }) => res.redirect(303, paths.promotions.rank(result.id)),
    refusal: (code: string) => ({ key: refusalKey(code), status: promotionRefusalStatus(code, 400) }),
  });

  router.get('/rank-promotions/new', async (req, res) => {
    const flow = planFlow(req, res);
    await flow.renderForm(
      {
        personId: typeof req.query.personId === 'string' ? req.query.personId.slice(0, 10) : '',
        targetGrade: typeof req.query.target === 'string' ? req.query.target.slice(0, 40) : '',
        reason: '',
        docNo: '',
        formKey: newFormKey(),
      },
      [],
      200,
    );
  });

  router.post('/rank-promotions/new', async (req, res) => {
    await runFormFlow(req, res, planFlow(req, res));
  });

  async function showPromotion(
    req: Request,
    res: Response,
    id: number,
    errors: FieldError[] = [],
    status = 200,
    kept: Record<string, string> = {},
  ) {
    const d = await ranks.get(contextOf(req), id);
    const f = formatterFor(req);
    const m = messenger(req, d.names);
    const p = d.promotion;
    const actions = ranks.visibleActions(principalOf(req), p);
    renderPage(
      req,
      res,
      'promotions/rankDetail',
      {
        title: `${errors.length ? req.t('errors.prefix') : ''}${req.t('promotions.detail.title', { name: p.personName })}`,
        p: vm.promotionRow(p, f, m.grade),
        method: p.method ? f.t(`promotions.methods.${p.method}`) : '',
        publicity: p.publicityStart ? `${f.date(p.publicityStart)} — ${f.date(p.publicityEnd)}` : '',
        effectiveOn: p.effectiveOn ? f.date(p.effectiveOn) : '',
        docNo: p.docNo ?? '',
        reason: p.reason,
        personHref: paths.careers.person(p.personId),
        pool: d.pool ? { name: f.name(d.pool.nameZh, d.pool.nameEn), ...vm.usageView(d.pool.usage) } : null,
        progress: vm.progressOf(p, f),
        history: d.actions.map((a) => ({
          at: f.date(a.at.toISOString().slice(0, 10)),
          action: f.t(`promotions.actions.${a.action}`),
          who: a.actorName,
          role: f.t(`roles.${a.actorRole}`),
          comment: a.comment,
          docNo: a.docNo ?? '',
        })),
        actions: actions.map((a) => ({
          value: a,
          label: f.t(`promotions.actions.${a}`),
          selected: kept.action === a,
        })),
        methods: ['recommendation', 'evaluation'].map((x) => ({
          value: x,
          label: f.t(`promotions.methods.${x}`),
          selected: kept.method === x,
        })),
        version: p.version,
        formKey: newFormKey(),
        kept,
        errors,
        fieldErrors: errorsByField(errors),
        stepAction: paths.promotions.rankStep(p.id),
      },
      status,
    );
  }

  router.get('/rank-promotions/:id', async (req, res) => {
    await showPromotion(req, res, idOf(req.params.id));
  });

  router.post('/rank-promotions/:id/steps', async (req, res) => {
    const id = idOf(req.params.id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const kept = Object.fromEntries(
      ['action', 'comment', 'docNo', 'method', 'date'].map((k) => [
        k,
        typeof body[k] === 'string' ? (body[k] as string).slice(0, 500) : '',
      ]),
    );
    const parsed = parseForm(rankStepSchema, body, req);
    if (!parsed.ok) return showPromotion(req, res, id, parsed.errors, 400, kept);
    const result = await ranks.step(contextOf(req), id, parsed.data);
    if (!result.ok) {
      const error = fieldError(
        req,
        result.field,
        refusalKey(result.code),
        translatedVars(req, result.vars ?? {}),
      );
      return showPromotion(req, res, id, [error], promotionRefusalStatus(result.code, 400), kept);
    }
    res.redirect(303, paths.promotions.rank(id));
  });

  return router;
}

/** Grade and sanction names in both languages (reference data). */
async function refNames(services: Services) {
  return services.promotions.candidates.referenceNames();
}
