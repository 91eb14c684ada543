import { type Request, type Response, Router } from 'express';
import type { Services } from '../../container.js';
import { NotFoundError } from '../../errors.js';
import { paths } from '../../paths.js';
import { IMPORT_MAX_BYTES } from '../../services/imports/importService.js';
import { actorOf, scopeOf } from '../actor.js';
import type { ApiArea } from '../api/index.js';
import { idParam } from '../forms.js';
import { importsOpenApiPaths, importsOpenApiSchemas } from './openapi.js';
import { jobJson } from './viewModels.js';

const apiError = (res: Response, status: number, code: string, message: string, field?: string) =>
  res.status(status).json({ error: { code, message, ...(field ? { field } : {}) } });

/**
 * The import's JSON twin: `POST /imports` (multipart: `file`, `townshipId`, `dryRun`, `mapping`; or JSON
 * `{ jobId }` to commit a job checked before) and `GET /imports/{id}` (state, progress, counts, problems).
 * Same scopes as the pages; staff are refused with 403.
 */
export function importsApiRouter(services: Services): Router {
  const router = Router();
  const imports = services.imports;

  async function finish(req: Request, res: Response, id: number, created: boolean) {
    const scope = scopeOf(req);
    let job = await imports.job(scope, id);
    if (job.state === 'ready') {
      await imports.commit(actorOf(req), scope, id);
      await imports.settled(id);
      job = await imports.job(scope, id);
    }
    const body = jobJson(req, job);
    if (job.state === 'committed') return res.status(created ? 201 : 200).json(body);
    if (job.state === 'invalid')
      return res.status(422).json({
        error: {
          code: 'invalid',
          message: req.t('imports.api.invalid', { n: body.problemCount }),
          field: 'file',
        },
        job: body,
      });
    return res.status(409).json({
      error: { code: 'not_ready', message: req.t('imports.api.notReady', { state: job.state }) },
      job: body,
    });
  }

  router.post(paths.api.imports().replace(paths.api.root(), ''), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const scope = scopeOf(req);
    if ((await imports.townships(scope)).length === 0)
      return apiError(res, 403, 'forbidden', req.t('imports.api.forbidden'));
    if (!req.file && res.locals.importProblem !== 'too_large') {
      // Commit a job checked before.
      const jobId = idParam(typeof body.jobId === 'number' ? String(body.jobId) : body.jobId);
      if (jobId === null) return apiError(res, 422, 'validation', req.t('imports.problems.noFile'), 'file');
      await imports.job(scope, jobId);
      await imports.settled(jobId);
      return finish(req, res, jobId, false);
    }
    if (res.locals.importProblem === 'too_large')
      return apiError(
        res,
        413,
        'too_large',
        req.t('imports.problems.tooLarge', { mb: IMPORT_MAX_BYTES / 1048576 }),
        'file',
      );
    let mapping: Array<string | null> | null = null;
    if (typeof body.mapping === 'string' && body.mapping !== '') {
      try {
        const parsed = JSON.parse(body.mapping) as unknown;
        if (!Array.isArray(parsed)) throw new Error('not an array');
        mapping = parsed.map((v) => (typeof v === 'string' && v !== '' ? v : null));
      } catch {
        return apiError(res, 422, 'validation', req.t('imports.api.mappingInvalid'), 'mapping');
      }
    }
    const upload = await imports.upload(actorOf(req), scope, {
      townshipId: idParam(typeof body.townshipId === 'string' ? body.townshipId : ''),
      fileName: req.file?.originalname ?? '',
      file: req.file?.buffer ?? null,
      mapping,
    });
    if (!upload.ok)
      return apiError(res, 422, 'validation', req.t(upload.key, upload.vars ?? {}), upload.field);
    await imports.settled(upload.jobId);
    let job = await imports.job(scope, upload.jobId);
    if (job.state === 'mapping') {
      // A plain roster without a mapping: the guessed one (GET the job to see it; send `mapping` to choose).
      const set = await imports.setMapping(scope, job.id, job.mapping ?? []);
      if (set.ok) await imports.settled(job.id);
      job = await imports.job(scope, upload.jobId);
    }
    const dryRun = body.dryRun === 'true' || body.dryRun === '1';
    if (dryRun || job.state === 'mapping') return res.status(200).json(jobJson(req, job));
    return finish(req, res, job.id, true);
  });

  router.get('/imports/:id', async (req, res) => {
    const id = idParam(req.params.id);
    if (id === null) throw new NotFoundError('import');
    const job = await imports.job(scopeOf(req), id);
    res.set('Cache-Control', 'no-store').json(jobJson(req, job));
  });

  return router;
}

export const importsApiArea: ApiArea = {
  name: 'imports',
  router: importsApiRouter,
  paths: importsOpenApiPaths,
  schemas: importsOpenApiSchemas,
};
