import { createHash } from 'node:crypto';
import { type Request, type Response, Router } from 'express';
import type { Services } from '../../container.js';
import { parseLrmx } from '../../domain/lrmx.js';
import { NotFoundError } from '../../errors.js';
import { paths } from '../../paths.js';
import { actorOf, scopeOf } from '../actor.js';
import { type FieldError, idParam, parseForm } from '../forms.js';
import { problemErrors } from '../people/router.js';
import { renderPage } from '../render.js';
import { LRMX_MAX_BYTES } from './bodies.js';
import { planImport } from './lrmxPlan.js';
import { appointmentCaseSchema, resumeLineSchema } from './schemas.js';
import * as vm from './viewModels.js';

function idOf(value: unknown): number {
  const id = idParam(value);
  if (id === null) throw new NotFoundError();
  return id;
}

/** `attachment; filename*=UTF-8''…` with an ASCII fallback (RFC 6266). */
function attachment(name: string): string {
  return `attachment; filename="person.lrmx"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * The resume (简历) page and its free-text lines, the appointment form (干部任免审批表) print view, and the
 * .lrmx export and import. Mounted before the people router (its /people/:id would take /people/import-lrmx).
 */
export function resumeRouter(services: Services): Router {
  const router = Router();
  const resume = services.resume;
  const people = services.people;
  const today = () => services.clock.today();

  // The resume ----------------------------------------------------------------------------------------

  router.get('/people/:id/resume', async (req, res) => {
    const data = await resume.resume(scopeOf(req), idOf(req.params.id));
    const view = vm.resumeView(data, req);
    renderPage(req, res, 'resume/show', { title: req.t('resume.pageTitle', { name: view.name }), view });
  });

  async function personOf(req: Request) {
    const p = await people.details(scopeOf(req), idOf(req.params.id));
    return { id: p.id, name: p.name };
  }

  function renderLineForm(
    req: Request,
    res: Response,
    status: number,
    person: { id: number; name: string },
    rowId: number | null,
    values: Record<string, string>,
    errors: FieldError[] = [],
  ) {
    const form = vm.resumeLineForm(req, person, rowId, values, errors);
    res.status(status).render('people/form', { title: form.title, form, errors, related: null });
  }

  router.get('/people/:id/resume/lines/new', async (req, res) => {
    renderLineForm(req, res, 200, await personOf(req), null, {});
  });

  router.get('/people/:id/resume/lines/:rowId', async (req, res) => {
    const person = await personOf(req);
    const rowId = idOf(req.params.rowId);
    const line = await resume.resumeLine(scopeOf(req), person.id, rowId);
    renderLineForm(req, res, 200, person, rowId, vm.resumeLineValues(line));
  });

  const saveLine = async (req: Request, res: Response, rowId: number | null) => {
    const person = await personOf(req);
    if (rowId !== null) await resume.resumeLine(scopeOf(req), person.id, rowId); // 404 for someone else's
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = Object.fromEntries(
      vm.RESUME_LINE_FIELDS.map((f) => [
        f,
        typeof body[f] === 'string' ? (body[f] as string).slice(0, 500) : '',
      ]),
    );
    const form = parseForm(resumeLineSchema, body, req);
    if (!form.ok) return renderLineForm(req, res, 400, person, rowId, values, form.errors);
    const result = await resume.saveResumeLine(actorOf(req), scopeOf(req), person.id, rowId, form.data);
    if (!result.ok) {
      const errors = problemErrors(req, result.problems);
      return renderLineForm(
        req,
        res,
        result.status === 'conflict' ? 409 : 400,
        person,
        rowId,
        values,
        errors,
      );
    }
    req.session.flash = { kind: 'success', key: 'resume.flash.lineSaved' };
    res.redirect(303, paths.resume.page(person.id));
  };

  router.post('/people/:id/resume/lines', (req, res) => saveLine(req, res, null));
  router.post('/people/:id/resume/lines/:rowId', (req, res) => saveLine(req, res, idOf(req.params.rowId)));

  router.post('/people/:id/resume/lines/:rowId/remove', async (req, res) => {
    const id = idOf(req.params.id);
    await resume.removeResumeLine(actorOf(req), scopeOf(req), id, idOf(req.params.rowId));
    req.session.flash = { kind: 'success', key: 'resume.flash.lineRemoved' };
    res.redirect(303, paths.resume.page(id));
  });

  // The appointment form (print view, two A4 pages) ------------------------------------------------------

  router.get('/people/:id/appointment-form', async (req, res) => {
    const id = idOf(req.params.id);
    const entries = appointmentCaseSchema.parse(req.query);
    const data = await resume.appointmentForm(scopeOf(req), id, { date: entries.date, case: entries });
    const view = vm.appointmentFormView(data, req, entries);
    res.render('resume/appointmentForm', {
      title: req.t('appointmentForm.pageTitle', { name: data.form.name }),
      view,
      layout: 'print',
      print: true,
      printBack: paths.person(id),
      printedOn: data.form.filledOn,
    });
  });

  // .lrmx export and import ----------------------------------------------------------------------------

  router.get('/people/:id/export.lrmx', async (req, res) => {
    const entries = appointmentCaseSchema.parse(req.query);
    const file = await resume.exportLrmx(actorOf(req), scopeOf(req), idOf(req.params.id), { case: entries });
    res.set({
      'Content-Type': 'application/xml; charset=utf-8',
      'Content-Disposition': attachment(`${file.name}.lrmx`),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    });
    res.send(file.xml);
  });

  async function townshipsOf(req: Request) {
    const townships = await resume.importTownships(scopeOf(req));
    if (townships.length === 0) throw new NotFoundError('page');
    return townships;
  }

  function renderUpload(
    req: Request,
    res: Response,
    status: number,
    townships: Array<{ id: number; name: string }>,
    townshipId: number | null,
    errors: FieldError[] = [],
  ) {
    const title = `${errors.length > 0 ? req.t('errors.prefix') : ''}${req.t('lrmx.upload.title')}`;
    res.status(status).render('resume/import', {
      title,
      errors,
      action: paths.resume.importLrmx(),
      townships: townships.map((t) => ({ ...t, selected: t.id === townshipId })),
      chooseTownship: townships.length > 1,
      singleTownship: townships.length === 1 ? townships[0] : null,
      maxMb: LRMX_MAX_BYTES / 1024 / 1024,
      fileError: errors.find((e) => e.field === 'file')?.text ?? '',
      townshipError: errors.find((e) => e.field === 'townshipId')?.text ?? '',
      cancelHref: paths.people.list(),
    });
  }

  router.get(paths.resume.importLrmx(), async (req, res) => {
    const townships = await townshipsOf(req);
    renderUpload(req, res, 200, townships, idParam(req.query.township));
  });

  router.post(paths.resume.importLrmx(), async (req, res) => {
    const townships = await townshipsOf(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const chosen =
      townships.length === 1
        ? (townships[0]?.id ?? null)
        : idParam(typeof body.townshipId === 'string' ? body.townshipId : '');
    const township = townships.find((t) => t.id === chosen) ?? null;
    const refuse = (key: string, vars: Record<string, unknown> = {}, status = 400) =>
      renderUpload(req, res, status, townships, township?.id ?? null, [
        { field: 'file', href: '#file', text: req.t(key, vars) },
      ]);
    if (res.locals.lrmxProblem === 'too_large')
      return refuse('lrmx.problems.tooLarge', { mb: LRMX_MAX_BYTES / 1048576 }, 413);
    const text =
      req.file?.buffer !== undefined
        ? req.file.buffer.toString('utf8')
        : typeof body.xml === 'string'
          ? body.xml
          : '';
    if (text === '') return refuse('lrmx.problems.noFile');
    const parsed = parseLrmx(text);
    if (!parsed.ok) return refuse(`lrmx.problems.${parsed.problem}`, parsed);
    const idNumber = parsed.record.fields.ShenFenZheng.trim().toUpperCase();
    const target = await resume.importTarget(scopeOf(req), idNumber);
    if (target.kind === 'taken') return refuse('lrmx.problems.taken', {}, 409);
    if (target.kind === 'new' && !township) {
      return renderUpload(req, res, 400, townships, null, [
        { field: 'townshipId', href: '#townshipId', text: req.t('lrmx.problems.township') },
      ]);
    }
    const preview = planImport(req, parsed.record, target, {
      today: today(),
      townshipId: township?.id ?? null,
    });
    // What the officer saw: confirming applies the same changes or shows the preview again.
    const digest = createHash('sha256')
      .update(JSON.stringify([target.kind, preview.rows, preview.family]))
      .digest('base64url')
      .slice(0, 22);
    const renderPreview = (status: number, errors: FieldError[]) => {
      const view = vm.importPreviewView(req, preview, {
        target: target.kind,
        personName: target.kind === 'update' ? target.person.name : parsed.record.fields.XingMing,
        personHref: target.kind === 'update' ? paths.person(target.person.id) : null,
        townshipName: township?.name ?? '',
      });
      res.status(status).render('resume/importPreview', {
        title: `${errors.length > 0 ? req.t('errors.prefix') : ''}${req.t('lrmx.preview.title')}`,
        errors,
        view,
        ignored: parsed.ignored.join('、'),
        action: paths.resume.importLrmx(),
        xml: text,
        townshipId: township?.id ?? '',
        digest,
      });
    };
    if (!preview.plan) return renderPreview(400, preview.problems);
    if (body.confirm !== '1') return renderPreview(200, []);
    if (body.digest !== digest)
      return renderPreview(409, [
        { field: 'file', href: '#preview', text: req.t('lrmx.problems.importStale') },
      ]);
    const result = await resume.applyImport(actorOf(req), scopeOf(req), preview.plan);
    if (!result.ok) {
      const errors = result.problems.map((p) => ({
        field: p.field,
        href: '#preview',
        text: req.t(`lrmx.problems.${p.key}`),
      }));
      return renderPreview(result.status === 'conflict' ? 409 : 400, errors);
    }
    req.session.flash = {
      kind: 'success',
      key: result.value.created ? 'lrmx.flash.created' : 'lrmx.flash.updated',
    };
    res.redirect(303, paths.person(result.value.id));
  });

  return router;
}
