import { type Request, type Response, Router } from 'express';
import type { Services } from '../../container.js';
import { ROSTER_TARGETS } from '../../domain/importLayout.js';
import { NotFoundError } from '../../errors.js';
import { paths } from '../../paths.js';
import { IMPORT_MAX_BYTES } from '../../services/imports/importService.js';
import { actorOf, scopeOf } from '../actor.js';
import { type FieldError, idParam } from '../forms.js';
import * as vm from './viewModels.js';

function idOf(value: unknown): number {
  const id = idParam(value);
  if (id === null) throw new NotFoundError();
  return id;
}

/** `attachment; filename*=UTF-8''…` with an ASCII fallback (RFC 6266). */
export function xlsxAttachment(name: string): string {
  return `attachment; filename="import.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The template's instructions sheet, in Chinese (the workbook is exchanged with county systems). */
export function templateInstructions(req: Request): string[] {
  const lines = req.t('imports.template.instructions', { returnObjects: true }) as unknown;
  return Array.isArray(lines) ? (lines as string[]) : [String(lines)];
}

/** The mapping form's fields (`col3` = `A01.name`, or empty: not imported) as a mapping array. */
export function mappingFromBody(body: Record<string, unknown>): Array<string | null> {
  const mapping: Array<string | null> = [];
  for (const [k, v] of Object.entries(body)) {
    const m = /^col(\d{1,3})$/.exec(k);
    if (!m) continue;
    const col = Number(m[1]);
    mapping[col] = typeof v === 'string' && ROSTER_TARGETS.some((t) => t.key === v) ? v : null;
  }
  return Array.from(mapping, (v) => v ?? null);
}

/**
 * Roster import pages (township officers for their township, county roles for their county's townships):
 * upload, the column mapping of a plain roster, the preview with problems per cell, the marked copy, commit.
 */
export function importsRouter(services: Services): Router {
  const router = Router();
  const imports = services.imports;

  async function townshipsOf(req: Request) {
    const townships = await imports.townships(scopeOf(req));
    if (townships.length === 0) throw new NotFoundError('page');
    return townships;
  }

  async function renderUpload(
    req: Request,
    res: Response,
    status: number,
    townshipId: number | null,
    errors: FieldError[] = [],
  ) {
    const townships = await townshipsOf(req);
    const recent = await imports.recent(scopeOf(req));
    res.status(status).render('imports/index', {
      title: `${errors.length > 0 ? req.t('errors.prefix') : ''}${req.t('imports.upload.title')}`,
      errors,
      action: paths.imports.index(),
      templateHref: paths.imports.template(),
      townships: townships.map((t) => ({ ...t, selected: t.id === townshipId })),
      chooseTownship: townships.length > 1,
      singleTownship: townships.length === 1 ? townships[0] : null,
      maxMb: IMPORT_MAX_BYTES / 1048576,
      fileError: errors.find((e) => e.field === 'file')?.text ?? '',
      townshipError: errors.find((e) => e.field === 'townshipId')?.text ?? '',
      recent: recent.map((j) => ({
        ...j,
        href: paths.imports.job(j.id),
        stateLabel: req.t(`imports.states.${j.state}`),
        createdOn: j.createdAt.toISOString().slice(0, 10),
      })),
    });
  }

  router.get(paths.imports.index(), async (req, res) => {
    await renderUpload(req, res, 200, idParam(req.query.township));
  });

  router.get(paths.imports.template(), async (req, res) => {
    await townshipsOf(req);
    const file = await imports.template(templateInstructions(req));
    res.set({
      'Content-Type': XLSX_TYPE,
      'Content-Disposition': xlsxAttachment('岗位通名册导入模板.xlsx'),
      'Cache-Control': 'private, no-store',
    });
    res.send(file);
  });

  router.post(paths.imports.index(), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const townshipId = idParam(typeof body.townshipId === 'string' ? body.townshipId : '');
    const fail = (
      field: 'file' | 'townshipId',
      key: string,
      vars: Record<string, unknown> = {},
      status = 400,
    ) => renderUpload(req, res, status, townshipId, [{ field, href: `#${field}`, text: req.t(key, vars) }]);
    if (res.locals.importProblem === 'too_large')
      return fail('file', 'imports.problems.tooLarge', { mb: IMPORT_MAX_BYTES / 1048576 }, 413);
    await townshipsOf(req);
    const result = await imports.upload(actorOf(req), scopeOf(req), {
      townshipId,
      fileName: req.file?.originalname ?? '',
      file: req.file?.buffer ?? null,
    });
    if (!result.ok) return fail(result.field, result.key, result.vars ?? {});
    res.redirect(303, paths.imports.job(result.jobId));
  });

  router.get('/imports/:id', async (req, res) => {
    const job = await imports.job(scopeOf(req), idOf(req.params.id));
    const view = vm.jobView(req, job);
    const mapping = job.state === 'mapping' || req.query.remap === '1' ? vm.mappingView(req, job) : null;
    res.render('imports/job', {
      title: req.t('imports.job.title', { id: job.id }),
      view,
      mapping,
      errors: [],
    });
  });

  router.post('/imports/:id/mapping', async (req, res) => {
    const id = idOf(req.params.id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const mapping = mappingFromBody(body);
    const result = await imports.setMapping(scopeOf(req), id, mapping);
    if (!result.ok) {
      const job = await imports.job(scopeOf(req), id);
      const errors = result.problems.map((p) => {
        const target = 'target' in p && p.target ? ROSTER_TARGETS.find((t) => t.key === p.target) : undefined;
        return {
          field: 'mapping',
          href: '#mapping',
          text: req.t(`imports.mapping.problems.${p.key}`, {
            target: target ? req.t(`imports.fields.${target.sheet}.${target.field}`) : '',
          }),
        };
      });
      return res.status(400).render('imports/job', {
        title: `${req.t('errors.prefix')}${req.t('imports.job.title', { id })}`,
        view: vm.jobView(req, job),
        mapping: vm.mappingView(req, job, mapping),
        errors,
      });
    }
    res.redirect(303, paths.imports.job(id));
  });

  router.post('/imports/:id/commit', async (req, res) => {
    const id = idOf(req.params.id);
    const started = await imports.commit(actorOf(req), scopeOf(req), id);
    if (!started.ok) req.session.flash = { kind: 'info', key: 'imports.flash.notReady' };
    res.redirect(303, paths.imports.job(id));
  });

  router.get('/imports/:id/marked.xlsx', async (req, res) => {
    const marked = await imports.marked(scopeOf(req), idOf(req.params.id), (p) => vm.problemMessage(req, p));
    res.set({
      'Content-Type': XLSX_TYPE,
      'Content-Disposition': xlsxAttachment(`${marked.name}-${req.t('imports.job.markedSuffix')}.xlsx`),
      'Cache-Control': 'private, no-store',
    });
    res.send(marked.file);
  });

  return router;
}
