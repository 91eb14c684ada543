import { type Request, Router } from 'express';
import type { Services } from '../../container.js';
import { NotFoundError } from '../../errors.js';
import { scopeOf } from '../actor.js';
import type { ApiArea } from '../api/index.js';
import { idParam } from '../forms.js';
import { resumeOpenApiPaths, resumeOpenApiSchemas } from './openapi.js';
import { resumeJson } from './viewModels.js';

function idOf(req: Request): number {
  const id = idParam(req.params.id);
  if (id === null) throw new NotFoundError();
  return id;
}

/** The resume's JSON twin, mounted under /api/v1 (same scope as the page: outside is 404). */
export function resumeApiRouter(services: Services): Router {
  const router = Router();
  router.get('/people/:id/resume', async (req, res) => {
    const data = await services.resume.resume(scopeOf(req), idOf(req));
    res.json({ personId: data.person.id, asOf: data.asOf, ...resumeJson(data.resume, req) });
  });
  return router;
}

export const resumeApiArea: ApiArea = {
  name: 'resume',
  router: resumeApiRouter,
  paths: resumeOpenApiPaths,
  schemas: resumeOpenApiSchemas,
};
