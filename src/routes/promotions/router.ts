import { type Request, type Response, Router } from 'express';
import type { Services } from '../../container.js';
import { RANK_PROMOTION_STATES, type RankPromotionState } from '../../domain/rankPromotion.js';
import { ForbiddenError, NotFoundError } from '../../errors.js';
import { paths } from '../../paths.js';
import { canDecideForCounty } from '../../services/access.js';
import { contextOf, principalOf, scopeOf } from '../actor.js';
import { messenger } from '../careers/viewModels.js';
import { asOfFrom } from '../establishment/asOf.js';
import { townshipNav } from '../establishment/viewModels.js';
import { formatterFor } from '../format.js';
import { formValues, newFormKey, runFormFlow, translatedVars } from '../formFlow.js';
import { errorsByField, type FieldError, fieldError, idParam, pageTitle, parseForm } from '../forms.js';
import { countySelectionView } from '../promotionCases/viewModels.js';
import { printHref, renderPage } from '../render.js';
import {
  poolDecisionSchema,
  promotionRefusalStatus,
  rankPromotionSchema,
  rankStepSchema,
  refusalKey,
} from './schemas.js';
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
      newRankHref: paths.promotions.newRank(`county=${id}`),
      quotaHref: scope.all || scope.fullCountyIds.has(id) ? paths.promotions.rankQuota(id) : null,
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

  /** The people the plan form offers for a target: eligible now per the engine, in the caller's scope. */
  const planPeople = async (req: Request, target: string, county: string) => {
    if (!/^[a-z0-9_]{1,40}$/.test(target)) return { people: [], countyNeeded: false };
    return candidates.eligibleFor(scopeOf(req), target, today(), idParam(county));
  };

  const planFlow = (req: Request, res: Response) => ({
    schema: rankPromotionSchema,
    fields: ['targetGrade', 'personId', 'reason', 'docNo', 'county'] as const,
    renderForm: async (values: Record<string, string | string[]>, errors: FieldError[], status: number) => {
      const grades = await rankGrades(req);
      const target = String(values.targetGrade ?? '');
      const { people, countyNeeded } = target
        ? await planPeople(req, target, String(values.county ?? ''))
        : { people: [], countyNeeded: false };
      res.status(status).render('promotions/rankForm', {
        title: pageTitle(req, 'promotions.plan.title', errors),
        values,
        errors,
        fieldErrors: errorsByField(errors),
        grades: grades.map((g) => ({ ...g, selected: g.value === target })),
        targetChosen: target !== '',
        countyNeeded,
        people: people.map((p) => ({
          value: String(p.personId),
          label: `${p.name}（${p.township}）`,
          selected: String(p.personId) === values.personId,
        })),
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
      const body = (req.body ?? {}) as Record<string, unknown>;
      const { people } = await planPeople(
        req,
        data.targetGrade,
        typeof body.county === 'string' ? body.county : '',
      );
      const person = people.find((p) => p.personId === data.personId);
      return [
        {
          label: req.t('promotions.plan.person'),
          value: person ? `${person.name}（${person.township}）` : String(data.personId),
        },
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

  /** Who plans: township officers, county reviewers and the administrator; staff see nothing (404), others 403. */
  const assertMayPlan = (req: Request) => {
    const grants = principalOf(req).grants;
    if (grants.every((g) => g.role === 'staff')) throw new NotFoundError('page');
    if (!grants.some((g) => ['admin', 'county_reviewer', 'township_officer'].includes(g.role)))
      throw new ForbiddenError();
  };

  router.get('/rank-promotions/new', async (req, res) => {
    assertMayPlan(req);
    const flow = planFlow(req, res);
    const q = (k: string, max: number) =>
      typeof req.query[k] === 'string' ? (req.query[k] as string).slice(0, max) : '';
    await flow.renderForm(
      {
        personId: q('personId', 10),
        targetGrade: q('target', 40),
        county: q('county', 10),
        reason: '',
        docNo: '',
        formKey: newFormKey(),
      },
      [],
      200,
    );
  });

  router.post('/rank-promotions/new', async (req, res) => {
    assertMayPlan(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    // "List the people" re-renders the form with the eligible people of the chosen target, everything kept.
    if (body.list === '1') {
      const flow = planFlow(req, res);
      return flow.renderForm(formValues(body, [...flow.fields, 'formKey']), [], 200);
    }
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

  // Rank quota (职级职数核定): the pools' decisions, and the form of the establishment officer (or admin).
  router.get('/counties/:id/rank-quota', async (req, res) => {
    const id = idOf(req.params.id);
    const d = await ranks.poolAdmin(scopeOf(req), id);
    const f = formatterFor(req);
    const mayDecide = canDecideForCounty(principalOf(req), id);
    renderPage(req, res, 'promotions/rankQuota', {
      title: req.t('promotions.quota.title', { county: d.county.name }),
      county: d.county,
      dashboardHref: paths.promotions.county(id),
      groups: d.groups.map((g) => ({
        name: f.name(g.group.nameZh, g.group.nameEn),
        usage: g.usage ? vm.usageView(g.usage) : null,
        newHref: mayDecide ? paths.promotions.newRankQuota(id, `group=${g.group.code}`) : null,
        decisions: g.decisions.map((x) => ({
          effectiveFrom: f.date(x.effectiveFrom),
          approved: x.approvedCount,
          docNo: x.docNo,
          summary: x.changeSummary,
          corrects: x.correctsId ? `#${x.correctsId}` : '',
          corrected: x.correctedById !== null,
          id: x.id,
          correctHref:
            mayDecide && x.correctedById === null
              ? paths.promotions.newRankQuota(id, `group=${g.group.code}&corrects=${x.id}`)
              : null,
        })),
      })),
      printHref: printHref(req),
    });
  });

  router.all('/counties/:id/rank-quota/new', async (req, res) => {
    const countyId = idOf(req.params.id);
    const d = await ranks.poolAdmin(scopeOf(req), countyId);
    if (!canDecideForCounty(principalOf(req), countyId)) throw new ForbiddenError();
    const f = formatterFor(req);
    const render = async (
      values: Record<string, string | string[]>,
      errors: FieldError[],
      status: number,
    ) => {
      const group = d.groups.find((g) => g.group.code === values.group);
      res.status(status).render('promotions/rankQuotaForm', {
        title: pageTitle(req, 'promotions.quota.formTitle', errors),
        errors,
        fieldErrors: errorsByField(errors),
        values,
        county: d.county,
        groups: d.groups.map((g) => ({
          code: g.group.code,
          label: f.name(g.group.nameZh, g.group.nameEn),
          selected: g.group.code === values.group,
        })),
        corrections: (group?.decisions ?? [])
          .filter((x) => x.correctedById === null)
          .map((x) => ({
            id: String(x.id),
            label: `${f.date(x.effectiveFrom)} ${x.approvedCount} ${x.docNo}`,
            selected: String(x.id) === values.correctsId,
          })),
        backHref: paths.promotions.rankQuota(countyId),
      });
    };
    if (req.method === 'GET') {
      const values: Record<string, string> = {
        group: typeof req.query.group === 'string' ? req.query.group.slice(0, 40) : '',
        approvedCount: '',
        effectiveFrom: today(),
        docNo: '',
        changeSummary: '',
        correctsId: '',
        formKey: newFormKey(),
      };
      const correctsId = idParam(req.query.corrects);
      const wrong = correctsId
        ? d.groups
            .flatMap((g) => g.decisions.map((x) => ({ ...x, group: g.group.code })))
            .find((x) => x.id === correctsId)
        : undefined;
      if (wrong)
        Object.assign(values, {
          group: wrong.group,
          approvedCount: String(wrong.approvedCount),
          effectiveFrom: wrong.effectiveFrom,
          correctsId: String(wrong.id),
          changeSummary: req.t('promotions.quota.correctionOf', { docNo: wrong.docNo }),
        });
      return render(values, [], 200);
    }
    if (req.method !== 'POST') throw new NotFoundError();
    await runFormFlow(req, res, {
      schema: poolDecisionSchema,
      fields: ['group', 'approvedCount', 'effectiveFrom', 'docNo', 'changeSummary', 'correctsId'],
      renderForm: render,
      checkTitle: req.t('promotions.quota.checkTitle'),
      checkRows: async (x) => {
        const group = d.groups.find((g) => g.group.code === x.group);
        const usage = await ranks.poolUsageOn(countyId, x.group, x.effectiveFrom);
        const over = usage ? usage.held + usage.inProcess - x.approvedCount : 0;
        return [
          {
            label: req.t('promotions.quota.group'),
            value: group ? f.name(group.group.nameZh, group.group.nameEn) : '',
          },
          {
            label: req.t('promotions.quota.approved'),
            value: req.t('promotions.quota.countChange', { from: usage?.approved ?? 0, to: x.approvedCount }),
          },
          {
            label: req.t('promotions.quota.heldThen'),
            value: req.t('promotions.quota.heldValue', {
              held: usage?.held ?? 0,
              inProcess: usage?.inProcess ?? 0,
            }),
          },
          ...(over > 0
            ? [
                {
                  label: req.t('promotions.quota.warning'),
                  value: req.t('promotions.quota.willBeOver', { over }),
                },
              ]
            : []),
          { label: req.t('forms.effectiveFrom'), value: f.date(x.effectiveFrom) },
          { label: req.t('forms.docNo'), value: x.docNo },
          { label: req.t('forms.changeSummary'), value: x.changeSummary || '—' },
          ...(x.correctsId ? [{ label: req.t('forms.corrects'), value: `#${x.correctsId}` }] : []),
        ];
      },
      commit: (x) => ranks.recordPoolDecision(contextOf(req), { ...x, countyId }),
      done: (result) => {
        req.session.flash = {
          kind: 'success',
          key: result.over > 0 ? 'promotions.quota.recordedOver' : 'promotions.quota.recorded',
          vars: { over: String(result.over) },
        };
        res.redirect(303, paths.promotions.rankQuota(countyId));
      },
      refusal: (code: string) => ({ key: refusalKey(code), status: promotionRefusalStatus(code, 400) }),
    });
  });

  return router;
}

/** Grade and sanction names in both languages (reference data). */
async function refNames(services: Services) {
  return services.promotions.candidates.referenceNames();
}
