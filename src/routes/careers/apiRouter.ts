import { type Request, type Response, Router } from 'express';
import type { Services } from '../../container.js';
import type { EligibilityResult } from '../../domain/eligibility/index.js';
import { isValidDate } from '../../domain/idNumber.js';
import { NotFoundError } from '../../errors.js';
import { scopeOf } from '../actor.js';
import type { ApiArea } from '../api/index.js';
import { idParam } from '../forms.js';
import { careerOpenApiPaths, careerOpenApiSchemas } from './openapi.js';
import { messenger } from './viewModels.js';

/**
 * The JSON twins of the career page and the township eligibility list: the engine's answers exactly, with a
 * `message` in the caller's language beside each block, warning and check. Scoped like the pages.
 */
export function careerApiRouter(services: Services): Router {
  const router = Router();
  const careers = services.careers.paths;
  const idOf = (req: Request) => {
    const id = idParam(req.params.id);
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
  const withMessages = (m: ReturnType<typeof messenger>) => (r: EligibilityResult) => ({
    ...r,
    blocks: r.blocks.map((b) => ({ ...b, message: m.text(b) })),
    warnings: r.warnings.map((w) => ({ ...w, message: m.text(w) })),
    checks: r.checks.map((c) => ({ ...c, message: m.text(c) })),
  });

  router.get('/people/:id/eligibility', async (req, res) => {
    const id = idOf(req);
    const asOf = asOfOf(req, res);
    if (!asOf) return;
    const { results, names } = await careers.personEligibility(scopeOf(req), id, asOf);
    res.json(results.map(withMessages(messenger(req, names))));
  });

  router.get('/townships/:id/eligibility', async (req, res) => {
    const id = idOf(req);
    const asOf = asOfOf(req, res);
    if (!asOf) return;
    const rawTarget = req.query.target;
    if (rawTarget !== undefined && (typeof rawTarget !== 'string' || !/^[a-z0-9_]{0,40}$/.test(rawTarget)))
      return invalid(res, 'target', req.t('forms.errors.choose'));
    const d = await careers.townshipEligibility(scopeOf(req), id, asOf, rawTarget || null);
    const m = messenger(req, d.names);
    const entries = (list: (typeof d.groups)[number]['horizons']['now']) =>
      list.map((e) => ({
        person: { id: e.personId, name: e.name },
        eligibleFrom: e.result.eligibleFrom,
        blocks: e.result.blocks.map((b) => ({ ...b, message: m.text(b) })),
      }));
    res.json({
      township: { id: d.township.id, name: d.township.name },
      asOf: d.asOf,
      targets: d.groups.map((g) => ({
        target: g.target.code,
        name: m.grade(g.target.code),
        ladder: g.target.ladder,
        seats: g.seats,
        now: entries(g.horizons.now),
        within6: entries(g.horizons.within6),
        within12: entries(g.horizons.within12),
        blocked: entries(g.horizons.blocked),
      })),
    });
  });

  return router;
}

export const careerApiArea: ApiArea = {
  name: 'careers',
  router: careerApiRouter,
  paths: careerOpenApiPaths,
  schemas: careerOpenApiSchemas,
};
