import { randomBytes } from 'node:crypto';
import { type Request, type Response, Router } from 'express';
import { canSeeFullIdNumbers } from '../../auth/principal.js';
import type { Services } from '../../container.js';
import { HISTORY_KINDS, type HistoryKind } from '../../db/repositories/personHistory.js';
import type { Problem } from '../../domain/personRecord.js';
import { NotFoundError } from '../../errors.js';
import { paths } from '../../paths.js';
import type { WriteResult } from '../../services/people/problems.js';
import { actorOf, principalOf, scopeOf } from '../actor.js';
import { formatterFor } from '../format.js';
import { type FieldError, idParam, parseForm } from '../forms.js';
import type { FormView } from './fields.js';
import { kept } from './fields.js';
import * as forms from './formViews.js';
import {
  assessmentSchema,
  closeSanctionSchema,
  closeSchema,
  createPersonSchema,
  educationSchema,
  entrySchemas,
  familySchema,
  personSchema,
  sanctionSchema,
  searchSchema,
  yearOf,
} from './schemas.js';
import * as vm from './viewModels.js';

/** A service problem as the GOV.UK error pattern shows it: in the summary and beside the field. */
export function problemText(req: Request, p: Problem): string {
  const vars: Record<string, unknown> = { ...p.vars };
  if (typeof vars.type === 'string') vars.type = req.t(`establishmentTypes.${vars.type}`);
  return req.t(`people.errors.${p.key}`, vars);
}

export const problemErrors = (req: Request, problems: readonly Problem[]): FieldError[] =>
  problems.map((p) => ({ field: p.field, href: `#${p.field}`, text: problemText(req, p) }));

/** The person a duplicate ID number belongs to, linked, when the reader may see them. */
const relatedOf = (problems: readonly Problem[]) => {
  const holder = problems.find((p) => p.person)?.person;
  return holder ? { name: holder.name, href: paths.person(holder.id) } : null;
};

const statusOf = (result: Extract<WriteResult<unknown>, { ok: false }>) =>
  result.status === 'conflict' ? 409 : 400;

function idOf(value: unknown): number {
  const id = idParam(value);
  if (id === null) throw new NotFoundError();
  return id;
}

function kindOf(value: unknown): HistoryKind {
  if (typeof value === 'string' && (HISTORY_KINDS as readonly string[]).includes(value))
    return value as HistoryKind;
  throw new NotFoundError();
}

const formToken = () => randomBytes(16).toString('base64url');

/**
 * The person record: search, create, the record page with its timeline, edits of the appointment-form fields,
 * photo, education and family, effective-dated history (add, end, correct), assessments (one person or a
 * whole township) and sanctions. Every POST is CSRF-checked, validated by its schema, and redirects (303).
 */
export function peopleRouter(services: Services): Router {
  const router = Router();
  const people = services.people;
  const today = () => services.clock.today();

  function renderForm(
    res: Response,
    status: number,
    form: FormView,
    errors: FieldError[] = [],
    related: { name: string; href: string } | null = null,
  ) {
    res.status(status).render('people/form', { title: form.title, form, errors, related });
  }

  function done(req: Request, res: Response, personId: number, key: string, anchor = '') {
    req.session.flash = { kind: 'success', key: `people.flash.${key}` };
    res.redirect(303, `${paths.person(personId)}${anchor}`);
  }

  async function personName(req: Request, id: number) {
    const p = await people.details(scopeOf(req), id);
    return { id: p.id, name: p.name, version: p.version };
  }

  // Search --------------------------------------------------------------------------------------------

  router.get(paths.people.list(), async (req, res) => {
    const filter = searchSchema.parse(req.query);
    const data = await people.list(scopeOf(req), {
      q: filter.q,
      townshipId: filter.township,
      order: filter.order,
      page: filter.page,
      pageSize: filter.pageSize,
    });
    const view = vm.searchView(data, formatterFor(req), req, filter);
    res.render('people/list', { title: req.t('people.search.title'), view });
  });

  // Create --------------------------------------------------------------------------------------------

  router.get(paths.people.new(), async (req, res) => {
    const township = idParam(req.query.township);
    const options = await people.createOptions(scopeOf(req), township);
    if (options.townships.length === 0) throw new NotFoundError('page');
    if (!options.township) {
      const form = forms.townshipPickerForm({ req, values: {}, errors: [] }, options.townships);
      return res.render('people/pickTownship', { title: form.title, form });
    }
    const values = { ...forms.personDefaults(), formToken: formToken() };
    renderForm(res, 200, forms.createPersonForm({ req, values, errors: [] }, options));
  });

  router.post(paths.people.create(), async (req, res) => {
    const values = kept(req.body, forms.CREATE_FIELD_NAMES);
    const options = await people.createOptions(scopeOf(req), idParam(values.townshipId));
    const rerender = (
      status: number,
      errors: FieldError[],
      related: { name: string; href: string } | null = null,
    ) => renderForm(res, status, forms.createPersonForm({ req, values, errors }, options), errors, related);
    if (!options.township) throw new NotFoundError('township');
    const person = parseForm(personSchema(today()), req.body, req);
    const placement = parseForm(createPersonSchema(today()), req.body, req);
    if (!person.ok || !placement.ok)
      return rerender(400, [...(person.ok ? [] : person.errors), ...(placement.ok ? [] : placement.errors)]);
    const result = await people.create(actorOf(req), scopeOf(req), {
      townshipId: placement.data.townshipId,
      person: person.data,
      first: placement.data.first,
      formToken: placement.data.formToken,
    });
    if (!result.ok)
      return rerender(statusOf(result), problemErrors(req, result.problems), relatedOf(result.problems));
    done(req, res, result.value.id, 'created');
  });

  // The record page -------------------------------------------------------------------------------------

  router.get('/people/:id', async (req, res) => {
    const id = idOf(req.params.id);
    const data = await people.record(scopeOf(req), id);
    const principal = principalOf(req);
    const ownRecord = principal.grants.some((g) => g.role === 'staff' && g.personId === id);
    const showFullIdNumber = canSeeFullIdNumbers(principal) || ownRecord;
    if (showFullIdNumber) await people.recordIdNumberView(actorOf(req), id);
    const view = vm.recordView(data, formatterFor(req), req, { showFullIdNumber });
    res.render('people/show', { title: view.name, view });
  });

  router.get('/people/:id/edit', async (req, res) => {
    const p = await people.details(scopeOf(req), idOf(req.params.id));
    renderForm(res, 200, forms.editPersonForm({ req, values: vm.personValues(p), errors: [] }, p));
  });

  router.post('/people/:id/edit', async (req, res) => {
    const id = idOf(req.params.id);
    const current = await personName(req, id);
    const values = kept(req.body, forms.PERSON_FIELD_NAMES);
    const version = typeof req.body?.version === 'string' ? req.body.version : null;
    const rerender = (
      status: number,
      errors: FieldError[],
      related: { name: string; href: string } | null = null,
    ) =>
      renderForm(
        res,
        status,
        forms.editPersonForm({ req, values, errors }, { ...current, version: version ?? current.version }),
        errors,
        related,
      );
    const form = parseForm(personSchema(today()), req.body, req);
    if (!form.ok) return rerender(400, form.errors);
    const result = await people.update(actorOf(req), scopeOf(req), id, form.data, version);
    if (!result.ok)
      return rerender(statusOf(result), problemErrors(req, result.problems), relatedOf(result.problems));
    done(req, res, id, 'updated');
  });

  // Photo ---------------------------------------------------------------------------------------------

  router.get('/people/:id/photo', async (req, res) => {
    const photo = await people.photo(scopeOf(req), idOf(req.params.id));
    res.set({
      'Content-Type': photo.mime,
      'Content-Length': String(photo.bytes.length),
      'X-Content-Type-Options': 'nosniff',
      'Content-Disposition': `inline; filename="photo.${photo.mime === 'image/png' ? 'png' : 'jpg'}"`,
      'Cache-Control': 'private, max-age=0, must-revalidate',
      ETag: `"${photo.version}"`,
    });
    if (req.fresh) return res.status(304).end();
    res.end(photo.bytes);
  });

  router.get('/people/:id/photo/edit', async (req, res) => {
    const p = await personName(req, idOf(req.params.id));
    const details = await people.details(scopeOf(req), p.id);
    const form = forms.photoForm({ req, values: {}, errors: [] }, p);
    res.render('people/photo', {
      title: form.title,
      form,
      errors: [],
      current: details.hasPhoto ? paths.people.photo(p.id, details.version) : null,
      removeHref: paths.people.photoRemove(p.id),
      alt: req.t('people.photo.alt', { name: p.name }),
    });
  });

  router.post('/people/:id/photo', async (req, res) => {
    const p = await personName(req, idOf(req.params.id));
    const tooLarge = res.locals.photoProblem === 'too_large';
    const result = tooLarge
      ? ({ ok: false, status: 'invalid', problems: [{ field: 'photo', key: 'photo.too_large' }] } as const)
      : await people.setPhoto(actorOf(req), scopeOf(req), p.id, req.file?.buffer ?? null);
    if (!result.ok) {
      const errors = problemErrors(req, result.problems);
      const form = forms.photoForm({ req, values: {}, errors }, p);
      const details = await people.details(scopeOf(req), p.id);
      return res.status(400).render('people/photo', {
        title: form.title,
        form,
        errors,
        current: details.hasPhoto ? paths.people.photo(p.id, details.version) : null,
        removeHref: paths.people.photoRemove(p.id),
        alt: req.t('people.photo.alt', { name: p.name }),
      });
    }
    done(req, res, p.id, 'photoSaved');
  });

  router.post('/people/:id/photo/remove', async (req, res) => {
    const id = idOf(req.params.id);
    await people.removePhoto(actorOf(req), scopeOf(req), id);
    done(req, res, id, 'photoRemoved');
  });

  // Education and family ------------------------------------------------------------------------------

  for (const area of ['educations', 'family'] as const) {
    const isEducation = area === 'educations';
    const names = isEducation ? forms.EDUCATION_FIELD_NAMES : forms.FAMILY_FIELD_NAMES;
    const schema = () => (isEducation ? educationSchema : familySchema(today()));
    const formOf = (
      req: Request,
      values: Record<string, string>,
      errors: FieldError[],
      p: { id: number; name: string },
      rowId: number | null,
    ) =>
      isEducation
        ? forms.educationForm({ req, values, errors }, p, rowId)
        : forms.familyForm({ req, values, errors }, p, rowId);
    const anchor = isEducation ? '#education-heading' : '#family-heading';

    router.get(`/people/:id/${area}/new`, async (req, res) => {
      const p = await personName(req, idOf(req.params.id));
      const values: Record<string, string> = isEducation ? { mode: 'full_time' } : {};
      renderForm(res, 200, formOf(req, values, [], p, null));
    });

    router.get(`/people/:id/${area}/:rowId`, async (req, res) => {
      const p = await personName(req, idOf(req.params.id));
      const rowId = idOf(req.params.rowId);
      const values = isEducation
        ? forms.educationValues(await people.education(scopeOf(req), p.id, rowId))
        : forms.familyValues(await people.familyMember(scopeOf(req), p.id, rowId));
      renderForm(res, 200, formOf(req, values, [], p, rowId));
    });

    const save = async (req: Request, res: Response, rowId: number | null) => {
      const p = await personName(req, idOf(req.params.id));
      if (rowId !== null) {
        // 404 for a row of someone else (or gone).
        if (isEducation) await people.education(scopeOf(req), p.id, rowId);
        else await people.familyMember(scopeOf(req), p.id, rowId);
      }
      const values = kept(req.body, names);
      const form = parseForm(schema(), req.body, req);
      if (!form.ok) return renderForm(res, 400, formOf(req, values, form.errors, p, rowId), form.errors);
      const result = isEducation
        ? await people.saveEducation(actorOf(req), scopeOf(req), p.id, rowId, form.data as never)
        : await people.saveFamilyMember(actorOf(req), scopeOf(req), p.id, rowId, form.data as never);
      if (!result.ok) {
        const errors = problemErrors(req, result.problems);
        return renderForm(res, statusOf(result), formOf(req, values, errors, p, rowId), errors);
      }
      done(req, res, p.id, isEducation ? 'educationSaved' : 'familySaved', anchor);
    };

    router.post(`/people/:id/${area}`, (req, res) => save(req, res, null));
    router.post(`/people/:id/${area}/:rowId`, (req, res) => save(req, res, idOf(req.params.rowId)));

    router.post(`/people/:id/${area}/:rowId/remove`, async (req, res) => {
      const id = idOf(req.params.id);
      const rowId = idOf(req.params.rowId);
      if (isEducation) await people.removeEducation(actorOf(req), scopeOf(req), id, rowId);
      else await people.removeFamilyMember(actorOf(req), scopeOf(req), id, rowId);
      done(req, res, id, isEducation ? 'educationRemoved' : 'familyRemoved', anchor);
    });
  }

  // History: add, end, correct ------------------------------------------------------------------------

  router.get('/people/:id/history/:kind/new', async (req, res) => {
    const kind = kindOf(req.params.kind);
    const p = await personName(req, idOf(req.params.id));
    const options = await people.entryOptions(scopeOf(req), p.id);
    const values: Record<string, string> = { closePrevious: 'yes' };
    if (kind === 'assignments') values.assignmentKind = 'primary';
    renderForm(res, 200, forms.entryForm({ req, values, errors: [] }, p, kind, options, null));
  });

  const saveEntry = async (req: Request, res: Response, correctsId: number | null) => {
    const kind = kindOf(req.params.kind);
    const p = await personName(req, idOf(req.params.id));
    if (correctsId !== null) await people.entry(scopeOf(req), p.id, kind, correctsId);
    const options = await people.entryOptions(scopeOf(req), p.id);
    const values = kept(req.body, forms.ENTRY_FIELD_NAMES[kind]);
    const rerender = (status: number, errors: FieldError[]) =>
      renderForm(res, status, forms.entryForm({ req, values, errors }, p, kind, options, correctsId), errors);
    const form = parseForm(entrySchemas[kind], req.body, req);
    if (!form.ok) return rerender(400, form.errors);
    const result = await people.addEntry(actorOf(req), scopeOf(req), p.id, form.data, correctsId);
    if (!result.ok) return rerender(statusOf(result), problemErrors(req, result.problems));
    done(req, res, p.id, correctsId ? 'corrected' : 'entryAdded', `#${kind}-heading`);
  };

  router.post('/people/:id/history/:kind', (req, res) => saveEntry(req, res, null));

  router.get('/people/:id/history/:kind/:entryId/correct', async (req, res) => {
    const kind = kindOf(req.params.kind);
    const p = await personName(req, idOf(req.params.id));
    const entry = await people.entry(scopeOf(req), p.id, kind, idOf(req.params.entryId));
    if (entry.supersededAt) throw new NotFoundError('entry');
    const options = await people.entryOptions(scopeOf(req), p.id);
    const values = forms.entryValues(entry);
    renderForm(res, 200, forms.entryForm({ req, values, errors: [] }, p, kind, options, entry.id));
  });

  router.post('/people/:id/history/:kind/:entryId/correct', (req, res) =>
    saveEntry(req, res, idOf(req.params.entryId)),
  );

  const closeSummary = (req: Request, entry: Awaited<ReturnType<typeof people.entry>>) =>
    req.t('people.close.intro', { from: formatterFor(req).date(entry.validFrom) });

  router.get('/people/:id/history/:kind/:entryId/close', async (req, res) => {
    const kind = kindOf(req.params.kind);
    const p = await personName(req, idOf(req.params.id));
    const entry = await people.entry(scopeOf(req), p.id, kind, idOf(req.params.entryId));
    if (entry.supersededAt || entry.validTo !== null) throw new NotFoundError('entry');
    const values = { validTo: entry.values.kind === 'assignments' ? (entry.values.plannedUntil ?? '') : '' };
    renderForm(
      res,
      200,
      forms.closeForm({ req, values, errors: [] }, p, kind, entry.id, closeSummary(req, entry)),
    );
  });

  router.post('/people/:id/history/:kind/:entryId/close', async (req, res) => {
    const kind = kindOf(req.params.kind);
    const p = await personName(req, idOf(req.params.id));
    const entry = await people.entry(scopeOf(req), p.id, kind, idOf(req.params.entryId));
    const values = kept(req.body, ['validTo']);
    const rerender = (status: number, errors: FieldError[]) =>
      renderForm(
        res,
        status,
        forms.closeForm({ req, values, errors }, p, kind, entry.id, closeSummary(req, entry)),
        errors,
      );
    const form = parseForm(closeSchema, req.body, req);
    if (!form.ok) return rerender(400, form.errors);
    const result = await people.closeEntry(
      actorOf(req),
      scopeOf(req),
      p.id,
      kind,
      entry.id,
      form.data.validTo,
    );
    if (!result.ok) return rerender(statusOf(result), problemErrors(req, result.problems));
    done(req, res, p.id, 'closed', `#${kind}-heading`);
  });

  // Assessments -------------------------------------------------------------------------------------

  router.get('/people/:id/assessments/new', async (req, res) => {
    const p = await personName(req, idOf(req.params.id));
    const year = yearOf(req.query.year, today()) ?? Number(today().slice(0, 4));
    const options = await people.assessmentOptions(scopeOf(req), p.id, year);
    const values = {
      year: String(year),
      result: options.current?.result ?? '',
      docNo: options.current?.docNo ?? '',
    };
    renderForm(
      res,
      200,
      forms.assessmentForm({ req, values, errors: [] }, p, options.results, options.current !== null),
    );
  });

  router.post('/people/:id/assessments', async (req, res) => {
    const p = await personName(req, idOf(req.params.id));
    const values = kept(req.body, ['year', 'result', 'docNo']);
    const year = yearOf(values.year, today()) ?? Number(today().slice(0, 4));
    const options = await people.assessmentOptions(scopeOf(req), p.id, year);
    const rerender = (status: number, errors: FieldError[]) =>
      renderForm(
        res,
        status,
        forms.assessmentForm({ req, values, errors }, p, options.results, options.current !== null),
        errors,
      );
    const form = parseForm(assessmentSchema(today()), req.body, req);
    if (!form.ok) return rerender(400, form.errors);
    const result = await people.recordAssessment(actorOf(req), scopeOf(req), p.id, form.data);
    if (!result.ok) return rerender(statusOf(result), problemErrors(req, result.problems));
    done(req, res, p.id, 'assessmentSaved', '#assessments-heading');
  });

  router.get('/townships/:id/assessments', async (req, res) => {
    const townshipId = idOf(req.params.id);
    const year = yearOf(req.query.year, today()) ?? Number(today().slice(0, 4));
    const sheet = await people.assessmentSheet(scopeOf(req), townshipId, year);
    const view = vm.sheetView(sheet, req, formatterFor(req), null, new Map());
    res.render('people/assessmentSheet', {
      title: req.t('people.sheet.title', { township: sheet.township.name, year }),
      view,
      errors: [],
      docNo: '',
    });
  });

  router.post('/townships/:id/assessments', async (req, res) => {
    const townshipId = idOf(req.params.id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const year = yearOf(body.year, today());
    if (year === null) throw new NotFoundError('year');
    const submitted = new Map<number, string>();
    for (const [key, value] of Object.entries(body)) {
      const m = /^result-([1-9]\d{0,9})$/.exec(key);
      if (m && typeof value === 'string') submitted.set(Number(m[1]), value);
    }
    const docNo = typeof body.docNo === 'string' ? body.docNo.trim().slice(0, 100) : '';
    const result = await people.saveAssessmentSheet(
      actorOf(req),
      scopeOf(req),
      townshipId,
      year,
      docNo === '' ? null : docNo,
      submitted,
    );
    if (!result.ok) {
      const sheet = await people.assessmentSheet(scopeOf(req), townshipId, year);
      const errors = problemErrors(req, result.problems);
      const view = vm.sheetView(
        sheet,
        req,
        formatterFor(req),
        submitted,
        new Map(errors.map((e) => [e.field, e.text])),
      );
      return res.status(statusOf(result)).render('people/assessmentSheet', {
        title: `${req.t('errors.prefix')}${req.t('people.sheet.title', { township: sheet.township.name, year })}`,
        view,
        errors,
        docNo,
      });
    }
    req.session.flash = {
      kind: 'success',
      key: 'people.flash.sheetSaved',
      vars: { count: String(result.value.changed) },
    };
    res.redirect(303, paths.people.townshipAssessments(townshipId, year));
  });

  // Sanctions -----------------------------------------------------------------------------------------

  router.get('/people/:id/sanctions/new', async (req, res) => {
    const p = await personName(req, idOf(req.params.id));
    const kinds = await people.sanctionKinds();
    renderForm(res, 200, forms.sanctionForm({ req, values: {}, errors: [] }, p, kinds, null));
  });

  const saveSanction = async (req: Request, res: Response, correctsId: number | null) => {
    const p = await personName(req, idOf(req.params.id));
    if (correctsId !== null) await people.sanction(scopeOf(req), p.id, correctsId);
    const kinds = await people.sanctionKinds();
    const values = kept(req.body, forms.SANCTION_FIELD_NAMES);
    const rerender = (status: number, errors: FieldError[]) =>
      renderForm(res, status, forms.sanctionForm({ req, values, errors }, p, kinds, correctsId), errors);
    const form = parseForm(sanctionSchema, req.body, req);
    if (!form.ok) return rerender(400, form.errors);
    const result = await people.recordSanction(actorOf(req), scopeOf(req), p.id, form.data, correctsId);
    if (!result.ok) return rerender(statusOf(result), problemErrors(req, result.problems));
    done(req, res, p.id, correctsId ? 'corrected' : 'sanctionSaved', '#sanctions-heading');
  };

  router.post('/people/:id/sanctions', (req, res) => saveSanction(req, res, null));

  router.get('/people/:id/sanctions/:sanctionId/correct', async (req, res) => {
    const p = await personName(req, idOf(req.params.id));
    const row = await people.sanction(scopeOf(req), p.id, idOf(req.params.sanctionId));
    if (row.supersededAt) throw new NotFoundError('sanction');
    const kinds = await people.sanctionKinds();
    renderForm(
      res,
      200,
      forms.sanctionForm({ req, values: forms.sanctionValues(row), errors: [] }, p, kinds, row.id),
    );
  });

  router.post('/people/:id/sanctions/:sanctionId/correct', (req, res) =>
    saveSanction(req, res, idOf(req.params.sanctionId)),
  );

  router.get('/people/:id/sanctions/:sanctionId/close', async (req, res) => {
    const p = await personName(req, idOf(req.params.id));
    const row = await people.sanction(scopeOf(req), p.id, idOf(req.params.sanctionId));
    if (row.supersededAt || row.closedOn !== null) throw new NotFoundError('sanction');
    renderForm(res, 200, forms.closeSanctionForm({ req, values: {}, errors: [] }, p, row.id));
  });

  router.post('/people/:id/sanctions/:sanctionId/close', async (req, res) => {
    const p = await personName(req, idOf(req.params.id));
    const row = await people.sanction(scopeOf(req), p.id, idOf(req.params.sanctionId));
    const values = kept(req.body, ['closedOn']);
    const rerender = (status: number, errors: FieldError[]) =>
      renderForm(res, status, forms.closeSanctionForm({ req, values, errors }, p, row.id), errors);
    const form = parseForm(closeSanctionSchema, req.body, req);
    if (!form.ok) return rerender(400, form.errors);
    const result = await people.closeSanction(actorOf(req), scopeOf(req), p.id, row.id, form.data.closedOn);
    if (!result.ok) return rerender(statusOf(result), problemErrors(req, result.problems));
    done(req, res, p.id, 'closed', '#sanctions-heading');
  });

  return router;
}
