import { type Request, type Response, Router } from 'express';
import type { Services } from '../../container.js';
import { isValidDate } from '../../domain/idNumber.js';
import { NotFoundError } from '../../errors.js';
import { contextOf, scopeOf } from '../actor.js';
import { jsonWrite } from '../api/jsonWrite.js';
import { idParam } from '../forms.js';
import * as schemas from './schemas.js';

/**
 * JSON twins of the establishment pages and forms under /api/v1. Bodies take JSON values (numbers,
 * booleans, arrays); they are checked by the same schemas as the forms. Errors: 422 for what was sent,
 * 409 for what the records don't allow, as `{ error: { code, message, field } }` in the caller's language.
 * An `Idempotency-Key` header (a UUID) makes a retried write answer like the first.
 */
export function establishmentApiRouter(services: Services): Router {
  const router = Router();
  const { reads, decisions, posts } = services.establishment;
  const idOf = (req: Request) => {
    const id = idParam(req.params.id);
    if (id === null) throw new NotFoundError();
    return id;
  };
  const asOfOf = (req: Request, res: Response): string | null => {
    const raw = req.query.asOf;
    if (raw === undefined || raw === '') return services.clock.today();
    if (typeof raw === 'string' && isValidDate(raw)) return raw;
    res
      .status(422)
      .json({ error: { code: 'validation', field: 'asOf', message: req.t('forms.errors.dateInvalid') } });
    return null;
  };

  const write = jsonWrite;

  // Reads ------------------------------------------------------------------------------------------------

  router.get('/townships', async (req, res) => {
    const county = idParam(req.query.county);
    if (county === null) {
      return res
        .status(422)
        .json({ error: { code: 'validation', field: 'county', message: req.t('forms.errors.choose') } });
    }
    const asOf = asOfOf(req, res);
    if (!asOf) return;
    const d = await reads.countyOverview(scopeOf(req), county, asOf);
    res.json({
      county: { id: d.county.id, name: d.county.name },
      asOf: d.asOf,
      items: d.townships.map((r) => ({
        id: r.township.id,
        name: r.township.name,
        kind: r.township.townshipKind,
        headcount: r.headcount,
        quota: r.usage,
        quotaByType: r.byType,
        leadership: r.leadership,
      })),
      total: { headcount: d.headcount, quota: d.total },
    });
  });

  router.get('/townships/:id/quota', async (req, res) => {
    const asOf = asOfOf(req, res);
    if (!asOf) return;
    const d = await reads.establishment(scopeOf(req), idOf(req), asOf);
    const unit = (u: (typeof d.units)[number]) => ({
      unit: u.unit
        ? {
            id: u.unit.id,
            name: u.unit.name,
            kind: u.unit.kind,
            rank: u.unit.rank,
            aliasNames: u.unit.aliasNames,
            featured: u.unit.featured,
          }
        : null,
      posts: u.posts,
      filled: u.filled,
      vacantPosts: u.vacantPosts,
      byType: u.byType,
      holders: u.holders,
    });
    res.json({
      township: { id: d.township.id, name: d.township.name },
      asOf: d.asOf,
      byType: d.byType,
      total: d.total,
      leadershipTeam: unit(d.leadershipTeam),
      units: d.units.map(unit),
      dispatched: d.dispatched.map(unit),
      departments: d.departments,
      crossTypePlacements: d.crossTypePlacements,
    });
  });

  router.get('/townships/:id/leadership', async (req, res) => {
    const asOf = asOfOf(req, res);
    if (!asOf) return;
    const d = await reads.leadership(scopeOf(req), idOf(req), asOf);
    const { township, path: _path, ...rest } = d;
    res.json({ township: { id: township.id, name: township.name }, ...rest });
  });

  router.get('/townships/:id/org-chart', async (req, res) => {
    const asOf = asOfOf(req, res);
    if (!asOf) return;
    const d = await reads.orgChart(scopeOf(req), idOf(req), asOf);
    res.json({
      township: { id: d.township.id, name: d.township.name },
      asOf: d.asOf,
      leadershipTeam: d.leadershipTeam,
      units: d.units,
    });
  });

  router.get('/townships/:id/quota-decisions', async (req, res) => {
    const d = await reads.quotaHistory(scopeOf(req), idOf(req));
    res.json({ township: { id: d.township.id, name: d.township.name }, items: d.decisions });
  });

  router.get('/townships/:id/slot-decisions', async (req, res) => {
    const d = await reads.slotHistory(scopeOf(req), idOf(req));
    res.json({
      township: { id: d.township.id, name: d.township.name },
      items: d.decisions,
      totals: d.totals,
    });
  });

  router.get('/townships/:id/unit-decisions', async (req, res) => {
    const d = await reads.unitHistory(scopeOf(req), idOf(req));
    res.json({ township: { id: d.township.id, name: d.township.name }, items: d.decisions });
  });

  router.get('/counties/:id/quota-decisions', async (req, res) => {
    const d = await reads.departmentQuotaHistory(scopeOf(req), idOf(req));
    const holders = await reads.holdersOfCounty(d.county.id);
    res.json({
      county: { id: d.county.id, name: d.county.name },
      items: await reads.quotaDecisionsOf(holders.map((h) => h.id)),
    });
  });

  // Writes -----------------------------------------------------------------------------------------------

  router.post('/quota-decisions', (req, res) =>
    write(req, res, schemas.quotaDecisionSchema, (d) => decisions.recordQuotaDecision(contextOf(req), d)),
  );

  router.post('/townships/:id/slot-decisions', (req, res) =>
    write(req, res, schemas.slotDecisionSchema, (d) =>
      decisions.recordSlotDecision(contextOf(req), { ...d, townshipId: idOf(req) }),
    ),
  );

  router.post('/townships/:id/leadership-total', (req, res) =>
    write(req, res, schemas.totalDecisionSchema, (d) =>
      decisions.recordTotalDecision(contextOf(req), { ...d, townshipId: idOf(req) }),
    ),
  );

  router.post('/townships/:id/units', (req, res) =>
    write(req, res, schemas.establishUnitSchema, (d) =>
      decisions.establishUnit(contextOf(req), { ...d, townshipId: idOf(req) }),
    ),
  );

  router.post('/units/:id/changes', (req, res) =>
    write(req, res, schemas.changeUnitSchema, (d) =>
      decisions.changeUnit(
        contextOf(req),
        idOf(req),
        d.change === 'rename'
          ? { kind: 'rename', name: d.name ?? '' }
          : d.change === 'change_rank'
            ? { kind: 'change_rank', rank: d.rank ?? 'none' }
            : d.change === 'set_aliases'
              ? { kind: 'set_aliases', aliasNames: d.aliasNames }
              : { kind: 'set_featured', featured: d.featured },
        d,
      ),
    ),
  );

  router.post('/units/:id/abolition', (req, res) =>
    write(req, res, schemas.abolishUnitSchema, (d) => decisions.abolishUnit(contextOf(req), idOf(req), d)),
  );

  router.post('/townships/:id/reorganisations', (req, res) => {
    const body = (req.body ?? {}) as { moves?: unknown; abolishUnitIds?: unknown };
    const moves = Array.isArray(body.moves)
      ? body.moves
          .filter(
            (m): m is { postId: number; toUnitId: number } =>
              Number.isInteger(m?.postId) && Number.isInteger(m?.toUnitId),
          )
          .map((m) => ({ postId: m.postId, toUnitId: m.toUnitId }))
      : [];
    const abolishUnitIds = Array.isArray(body.abolishUnitIds)
      ? body.abolishUnitIds.filter((x): x is number => Number.isInteger(x))
      : [];
    return write(req, res, schemas.reorganiseSchema, (d) =>
      decisions.reorganise(contextOf(req), { ...d, townshipId: idOf(req), moves, abolishUnitIds }),
    );
  });

  router.post('/townships/:id/posts', (req, res) =>
    write(req, res, schemas.createPostSchema, (d) =>
      posts.createPost(contextOf(req), { ...d, townshipId: idOf(req) }),
    ),
  );

  router.patch('/posts/:id', (req, res) =>
    write(
      req,
      res,
      schemas.postFieldsSchema,
      (d) => posts.updatePost(contextOf(req), idOf(req), d, services.clock.today()),
      200,
    ),
  );

  router.post('/posts/:id/closure', (req, res) =>
    write(req, res, schemas.closePostSchema, (d) => posts.closePost(contextOf(req), idOf(req), d), 200),
  );

  router.post('/posts/:id/placements', (req, res) =>
    write(req, res, schemas.placementSchema, (d) => posts.place(contextOf(req), { ...d, postId: idOf(req) })),
  );

  return router;
}
