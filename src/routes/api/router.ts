import { type Request, Router } from 'express';
import type { Services } from '../../container.js';
import { maskIdNumber } from '../../domain/idNumber.js';
import { NotFoundError } from '../../errors.js';
import { principalOf, scopeOf } from '../actor.js';
import { idParam } from '../forms.js';

/**
 * The JSON twins of the pages, under /api/v1 (mounted there, so the paths here are relative).
 * Session cookie or `Authorization: Bearer <token>`; the same scopes as the pages (outside = 404).
 */
export function apiRouter(services: Services): Router {
  const router = Router();
  const dir = services.directory;
  const idOf = (req: Request) => {
    const id = idParam(req.params.id);
    if (id === null) throw new NotFoundError();
    return id;
  };
  const crumbs = (path: Array<{ id: number; kind: string; name: string }>) =>
    path.map((r) => ({ id: r.id, kind: r.kind, name: r.name }));

  router.get('/me', (req, res) => {
    const p = principalOf(req);
    res.json({
      id: p.userId,
      username: p.username,
      displayName: p.displayName,
      locale: p.locale,
      authenticatedBy: p.via,
      roles: p.grants.map((g) => ({ role: g.role, regionId: g.regionId, personId: g.personId })),
    });
  });

  router.get('/cities', async (req, res) => {
    const cities = await dir.cities(scopeOf(req));
    res.json({ items: cities.map((c) => ({ id: c.id, name: c.name, code: c.code })) });
  });

  router.get('/cities/:id', async (req, res) => {
    const d = await dir.city(scopeOf(req), idOf(req));
    res.json({
      id: d.city.id,
      name: d.city.name,
      code: d.city.code,
      asOf: d.asOf,
      counties: d.counties.map((c) => ({
        id: c.county.id,
        name: c.county.name,
        townships: c.townships,
        headcount: c.headcount,
        quota: c.usage,
      })),
    });
  });

  router.get('/counties/:id', async (req, res) => {
    const d = await dir.county(scopeOf(req), idOf(req));
    res.json({
      id: d.county.id,
      name: d.county.name,
      code: d.county.code,
      asOf: d.asOf,
      path: crumbs(d.path),
      townships: d.townships.map((r) => ({
        id: r.township.id,
        name: r.township.name,
        kind: r.township.townshipKind,
        headcount: r.headcount,
        quota: r.usage,
      })),
      total: { headcount: d.headcount, quota: d.total },
      departments: d.departments.map((x) => ({
        id: x.department.id,
        name: x.department.name,
        quota: x.usage,
      })),
    });
  });

  router.get('/townships/:id', async (req, res) => {
    const d = await dir.township(scopeOf(req), idOf(req));
    res.json({
      id: d.township.id,
      name: d.township.name,
      kind: d.township.townshipKind,
      code: d.township.code,
      asOf: d.asOf,
      path: crumbs(d.path),
      headcount: d.headcount,
      quota: { byType: d.usageByType, total: d.total },
      leaders: d.leaders,
      units: d.units,
    });
  });

  router.get('/townships/:id/people', async (req, res) => {
    const d = await dir.roster(scopeOf(req), idOf(req));
    res.json({
      township: { id: d.township.id, name: d.township.name },
      asOf: d.asOf,
      items: d.roster.map((p) => ({
        id: p.id,
        name: p.name,
        gender: p.gender,
        birthDate: p.birthDate,
        idNumber: maskIdNumber(p.idNumber),
        post: p.postName,
        unit: p.unitName,
        establishmentType: p.establishmentType,
        status: p.status,
      })),
    });
  });

  router.get('/units/:id', async (req, res) => {
    const d = await dir.unit(scopeOf(req), idOf(req));
    res.json({ ...d.unit, asOf: d.asOf, path: crumbs(d.path), posts: d.posts });
  });

  router.get('/posts/:id', async (req, res) => {
    const d = await dir.post(scopeOf(req), idOf(req));
    res.json({
      ...d.post,
      unit: d.unit ? { id: d.unit.id, name: d.unit.name } : null,
      path: crumbs(d.path),
      history: d.history,
    });
  });

  return router;
}
