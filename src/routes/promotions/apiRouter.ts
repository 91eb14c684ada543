import { type Request, type Response, Router } from 'express';
import type { Services } from '../../container.js';
import type { RankPromotion } from '../../db/repositories/promotions.js';
import type { AvoidanceConflict, CandidateEntry, Seat } from '../../domain/candidates.js';
import { HORIZONS } from '../../domain/career.js';
import type { EligibilityResult } from '../../domain/eligibility/index.js';
import { isValidDate } from '../../domain/idNumber.js';
import { RANK_PROMOTION_STATES, type RankPromotionState } from '../../domain/rankPromotion.js';
import { NotFoundError } from '../../errors.js';
import { contextOf, principalOf, scopeOf } from '../actor.js';
import type { ApiArea } from '../api/index.js';
import { jsonWrite } from '../api/jsonWrite.js';
import { messenger } from '../careers/viewModels.js';
import { formatterFor } from '../format.js';
import { idParam } from '../forms.js';
import { promotionOpenApiPaths, promotionOpenApiSchemas } from './openapi.js';
import { promotionRefusalStatus, rankPromotionSchema, rankStepSchema, refusalKey } from './schemas.js';
import * as vm from './viewModels.js';

/**
 * The JSON twins of the promotions pages: vacant seats and candidates (per target grade or per seat), the county
 * dashboard, and rank promotions (list, plan, get, steps). Scoped like the pages; errors
 * `{error:{code,message,field}}` in the caller's language.
 */
export function promotionApiRouter(services: Services): Router {
  const router = Router();
  const { candidates, ranks } = services.promotions;
  const idOf = (raw: unknown) => {
    const id = idParam(raw);
    if (id === null) throw new NotFoundError();
    return id;
  };
  const invalid = (res: Response, field: string, message: string) =>
    res.status(422).json({ error: { code: 'validation', field, message } });
  const asOfOf = (req: Request, res: Response): string | null => {
    const raw = req.query.asOf;
    if (raw === undefined || raw === '') return services.clock.today();
    if (typeof raw === 'string' && isValidDate(raw)) return raw;
    invalid(res, 'asOf', req.t('forms.errors.dateInvalid'));
    return null;
  };
  const townshipOf = (req: Request, res: Response): number | null => {
    const id = idParam(req.query.township);
    if (id === null) invalid(res, 'township', req.t('forms.errors.choose'));
    return id;
  };

  type Person = { personId: number; name: string; townshipId: number; townshipName?: string };
  const entriesOf = (req: Request, names: Parameters<typeof messenger>[1]) => {
    const m = messenger(req, names);
    const f = formatterFor(req);
    return (list: Array<CandidateEntry<Person>>) =>
      list.map((e: { person: Person; result: EligibilityResult; avoidance: AvoidanceConflict[] }) => ({
        person: { id: e.person.personId, name: e.person.name, townshipId: e.person.townshipId },
        eligible: e.result.eligible,
        eligibleFrom: e.result.eligibleFrom,
        blocks: e.result.blocks.map((b) => ({ ...b, message: m.text(b) })),
        warnings: e.result.warnings.map((w) => ({ ...w, message: m.text(w) })),
        avoidance: e.avoidance.map((c) => ({ ...c, message: vm.avoidanceText(c, f) })),
      }));
  };
  const seatOf = (seat: Seat, req: Request) => {
    const f = formatterFor(req);
    return {
      key: seat.key,
      kind: seat.kind,
      rank: seat.rank,
      name: vm.seatName(seat, f),
      leadershipKind: seat.leadershipKind,
      vacant: seat.vacant,
      partyPost: seat.partyPost,
      postId: seat.postId,
      unit: seat.unitId === null ? null : { id: seat.unitId, name: seat.unitName, kind: seat.unitKind },
    };
  };

  router.get('/promotions/vacancies', async (req, res) => {
    const township = townshipOf(req, res);
    if (township === null) return;
    const asOf = asOfOf(req, res);
    if (!asOf) return;
    const d = await candidates.townshipVacancies(scopeOf(req), township, asOf);
    res.json({
      township: { id: d.township.id, name: d.township.name },
      asOf: d.asOf,
      totalFull: d.totalFull,
      seats: d.seats.map((s) => ({ ...seatOf(s.seat, req), target: s.target, counts: s.counts })),
    });
  });

  router.get('/promotions/candidates', async (req, res) => {
    const township = townshipOf(req, res);
    if (township === null) return;
    const asOf = asOfOf(req, res);
    if (!asOf) return;
    const { target, seat } = req.query;
    if (typeof seat === 'string' && seat !== '') {
      if (!/^(slot-[a-z0-9_]{1,40}|post-\d{1,10})$/.test(seat))
        return invalid(res, 'seat', req.t('forms.errors.choose'));
      const d = await candidates.seatCandidates(scopeOf(req), township, seat, asOf);
      const entries = entriesOf(req, d.names);
      const m = messenger(req, d.names);
      return res.json({
        township: { id: d.township.id, name: d.township.name },
        asOf: d.asOf,
        seat: seatOf(d.seat, req),
        target: d.target ? { code: d.target.code, name: m.grade(d.target.code) } : null,
        countyWide: d.countyWide,
        leaders: d.leaders.map((l) => ({ personId: l.personId, name: l.name, role: l.role })),
        ...Object.fromEntries(HORIZONS.map((h) => [h, entries(d.horizons[h])])),
      });
    }
    const names = await candidates.referenceNames();
    if (typeof target !== 'string' || !names.grades.some((g) => g.code === target))
      return invalid(res, 'target', req.t('promotions.errors.target'));
    const d = await candidates.targetCandidates(scopeOf(req), township, target, asOf);
    const entries = entriesOf(req, d.names);
    res.json({
      township: { id: d.township.id, name: d.township.name },
      asOf: d.asOf,
      target: { code: target, name: messenger(req, d.names).grade(target) },
      ...Object.fromEntries(HORIZONS.map((h) => [h, entries(d.horizons[h])])),
    });
  });

  router.get('/counties/:id/promotions', async (req, res) => {
    const id = idOf(req.params.id);
    const asOf = asOfOf(req, res);
    if (!asOf) return;
    const scope = scopeOf(req);
    const [d, pools, open, refs] = await Promise.all([
      candidates.countyOverview(scope, id, asOf),
      ranks.pools(scope, id),
      ranks.list(scope, {
        countyId: id,
        states: ['planned', 'recommended', 'reviewed', 'in_publicity', 'approved'],
      }),
      candidates.referenceNames(),
    ]);
    const m = messenger(req, refs);
    const f = formatterFor(req);
    const byState = Object.fromEntries(
      RANK_PROMOTION_STATES.map((s) => [s, open.filter((p) => p.state === s).length]),
    );
    res.json({
      county: { id: d.county.id, name: d.county.name },
      asOf: d.asOf,
      townships: d.townships.map((t) => ({
        id: t.township.id,
        name: t.township.name,
        totalFull: t.totalFull,
        seats: t.seats.map((s) => ({ ...seatOf(s.seat, req), counts: s.counts })),
      })),
      rankTargets: d.rankTargets.map((r) => ({
        target: r.target.code,
        name: m.grade(r.target.code),
        counts: r.counts,
      })),
      pools: pools.map((p) => ({
        id: p.pool.id,
        code: p.pool.code,
        name: f.name(p.pool.nameZh, p.pool.nameEn),
        grades: p.pool.gradeCodes,
        ...vm.usageView(p.usage),
      })),
      rankPromotions: { byState, open: open.map((p) => promotionJson(p)) },
    });
  });

  const STATES = RANK_PROMOTION_STATES as readonly string[];
  router.get('/rank-promotions', async (req, res) => {
    const states = (typeof req.query.state === 'string' ? req.query.state.split(',') : []).filter((s) =>
      STATES.includes(s),
    ) as RankPromotionState[];
    const page = Math.max(1, Number(req.query.page) || 1);
    const pageSize = Math.min(200, Math.max(1, Number(req.query.pageSize) || 50));
    const { items, total } = await ranks.page(scopeOf(req), {
      states,
      countyId: idParam(req.query.county),
      townshipId: idParam(req.query.township),
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    res.json({ page, pageSize, total, items: items.map((p) => promotionJson(p)) });
  });

  router.post('/rank-promotions', (req, res) =>
    jsonWrite(
      req,
      res,
      rankPromotionSchema,
      (d) => ranks.create(contextOf(req), d),
      201,
      refusalKey,
      promotionRefusalStatus,
    ),
  );

  router.get('/rank-promotions/:id', async (req, res) => {
    const d = await ranks.get(contextOf(req), idOf(req.params.id));
    res.json({
      ...promotionJson(d.promotion),
      nextActions: ranks.visibleActions(principalOf(req), d.promotion),
      pool: d.pool
        ? { name: formatterFor(req).name(d.pool.nameZh, d.pool.nameEn), ...vm.usageView(d.pool.usage) }
        : null,
      actions: d.actions.map((a) => ({
        action: a.action,
        actor: a.actorName,
        role: a.actorRole,
        comment: a.comment,
        docNo: a.docNo,
        fromState: a.fromState,
        toState: a.toState,
        at: a.at,
      })),
    });
  });

  router.post('/rank-promotions/:id/steps', (req, res) => {
    const id = idOf(req.params.id);
    return jsonWrite(
      req,
      res,
      rankStepSchema,
      (d) => ranks.step(contextOf(req), id, d),
      200,
      refusalKey,
      promotionRefusalStatus,
    );
  });

  return router;
}

/** A rank promotion as the API shows it (the record, camelCase; dates as YYYY-MM-DD). */
function promotionJson(p: RankPromotion) {
  return {
    id: p.id,
    person: { id: p.personId, name: p.personName },
    countyId: p.countyId,
    township: p.townshipId === null ? null : { id: p.townshipId, name: p.townshipName },
    fromGrade: p.fromGrade,
    targetGrade: p.targetGrade,
    path: p.path,
    poolId: p.poolId,
    state: p.state,
    method: p.method,
    publicityStart: p.publicityStart,
    publicityEnd: p.publicityEnd,
    effectiveOn: p.effectiveOn,
    docNo: p.docNo,
    reason: p.reason,
    version: p.version,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

export const promotionApiArea: ApiArea = {
  name: 'promotions',
  router: promotionApiRouter,
  paths: promotionOpenApiPaths,
  schemas: promotionOpenApiSchemas,
};
