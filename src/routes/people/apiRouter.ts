import { type Request, type Response, Router } from 'express';
import type { z } from 'zod';
import { canSeeFullIdNumbers } from '../../auth/principal.js';
import type { Services } from '../../container.js';
import type { HistoryKind } from '../../db/repositories/personHistory.js';
import { monthInputValue } from '../../domain/dateInput.js';
import { maskIdNumber } from '../../domain/idNumber.js';
import { impactUntil } from '../../domain/personRecord.js';
import { NotFoundError } from '../../errors.js';
import { paths } from '../../paths.js';
import type { Problem, WriteResult } from '../../services/people/problems.js';
import { actorOf, principalOf, scopeOf } from '../actor.js';
import type { ApiArea } from '../api/index.js';
import { type FieldError, idParam, parseForm } from '../forms.js';
import { peopleOpenApiPaths, peopleOpenApiSchemas } from './openapi.js';
import { problemText } from './router.js';
import {
  assessmentSchema,
  createPersonSchema,
  educationSchema,
  entrySchemas,
  familySchema,
  personSchema,
  sanctionSchema,
  searchSchema,
} from './schemas.js';

function idOf(req: Request): number {
  const id = idParam(req.params.id);
  if (id === null) throw new NotFoundError();
  return id;
}

/** 422 with every field's message (the first also as `message` and `field`). */
function validationError(res: Response, errors: readonly FieldError[]) {
  const first = errors[0];
  res.status(422).json({
    error: {
      code: 'validation',
      message: first?.text ?? '',
      field: first?.field,
      fields: errors.map((e) => ({ field: e.field, message: e.text })),
    },
  });
}

function problemError(req: Request, res: Response, result: Extract<WriteResult<unknown>, { ok: false }>) {
  const problems: Problem[] = result.problems;
  const first = problems[0] as Problem;
  const related = problems.find((p) => p.person)?.person;
  res.status(result.status === 'conflict' ? 409 : 422).json({
    error: {
      code: result.status === 'conflict' ? 'conflict' : 'validation',
      message: problemText(req, first),
      field: first.field,
      fields: problems.map((p) => ({ field: p.field, message: problemText(req, p) })),
      ...(related
        ? { person: { id: related.id, name: related.name, href: paths.api.person(related.id) } }
        : {}),
    },
  });
}

function parse<S extends z.ZodType>(
  req: Request,
  res: Response,
  schema: S,
  body: unknown,
): z.infer<S> | null {
  const form = parseForm(schema, body, req);
  if (form.ok) return form.data;
  validationError(res, form.errors);
  return null;
}

const created = (res: Response, result: { id: number; replayed: boolean }) =>
  res.status(result.replayed ? 200 : 201).json(result);

/** The JSON twins of the people pages, mounted under /api/v1 (same scopes: outside is 404). */
export function peopleApiRouter(services: Services): Router {
  const router = Router();
  const people = services.people;
  const today = () => services.clock.today();

  /** The id of a record the caller may change: 404 outside the scope, 403 on their own (staff), before any parsing. */
  async function writableId(req: Request): Promise<number> {
    const id = idOf(req);
    await people.details(scopeOf(req), id);
    return id;
  }

  async function recordJson(req: Request, id: number) {
    const d = await people.record(scopeOf(req), id);
    const principal = principalOf(req);
    const full =
      canSeeFullIdNumbers(principal) || principal.grants.some((g) => g.role === 'staff' && g.personId === id);
    if (full) await people.recordIdNumberView(actorOf(req), id);
    const { version: _v, registeredTownshipId, ...person } = d.person;
    const strip = <T extends { supersededAt: Date | null }>(rows: T[]) =>
      rows.map((r) => ({
        ...r,
        supersededAt: r.supersededAt ? new Date(r.supersededAt).toISOString() : null,
      }));
    return {
      ...person,
      idNumber: full ? person.idNumber : maskIdNumber(person.idNumber),
      registeredTownshipId,
      asOf: d.asOf,
      writable: d.writable,
      status: d.status?.status ?? null,
      path: d.path.map((r) => ({ id: r.id, kind: r.kind, name: r.name })),
      currentSlot: d.currentSlot,
      assignments: strip(d.assignments),
      grades: strip(d.grades),
      quotaSlots: strip(d.slots),
      statuses: strip(d.statuses),
      assessments: strip(d.assessments),
      sanctions: strip(d.sanctions).map((s) => ({ ...s, impactUntil: impactUntil(s) })),
      educations: d.educations,
      family: d.family,
    };
  }

  router.get('/people', async (req, res) => {
    const filter = searchSchema.parse(req.query);
    const d = await people.list(scopeOf(req), {
      q: filter.q,
      townshipId: filter.township,
      order: filter.order,
      page: filter.page,
      pageSize: filter.pageSize,
    });
    res.json({
      asOf: d.asOf,
      page: filter.page,
      pageSize: filter.pageSize,
      total: d.total,
      order: filter.order,
      items: d.items.map((p) => ({ ...p, idNumber: maskIdNumber(p.idNumber) })),
    });
  });

  router.post('/people', async (req, res) => {
    const person = parseForm(personSchema(today()), req.body, req);
    const placement = parseForm(createPersonSchema(today()), req.body, req);
    if (!person.ok || !placement.ok)
      return validationError(res, [
        ...(person.ok ? [] : person.errors),
        ...(placement.ok ? [] : placement.errors),
      ]);
    const result = await people.create(actorOf(req), scopeOf(req), {
      townshipId: placement.data.townshipId,
      person: person.data,
      first: placement.data.first,
      formToken: placement.data.formToken,
    });
    if (!result.ok) return problemError(req, res, result);
    res
      .status(result.value.replayed ? 200 : 201)
      .location(paths.api.person(result.value.id))
      .json(await recordJson(req, result.value.id));
  });

  router.get('/people/:id', async (req, res) => {
    res.json(await recordJson(req, idOf(req)));
  });

  /** Changes some fields: the others keep their recorded values, and the whole is validated as the form is. */
  router.patch('/people/:id', async (req, res) => {
    const id = idOf(req);
    const current = await people.details(scopeOf(req), id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const merged = {
      name: current.name,
      idNumber: current.idNumber,
      gender: current.gender,
      birthDate: current.birthDate,
      ethnicity: current.ethnicity,
      nativePlace: current.nativePlace,
      birthPlace: current.birthPlace,
      politicalStatus: current.politicalStatus,
      partyJoinedOn: monthInputValue(current.partyJoinedOn),
      workStartedOn: monthInputValue(current.workStartedOn),
      health: current.health,
      professionalTitle: current.professionalTitle,
      expertise: current.expertise,
      ...body,
    };
    const data = parse(req, res, personSchema(today()), merged);
    if (!data) return;
    const result = await people.update(actorOf(req), scopeOf(req), id, data, null);
    if (!result.ok) return problemError(req, res, result);
    res.json(await recordJson(req, id));
  });

  const historyRoute = (path: string, kind: HistoryKind) =>
    router.post(`/people/:id/${path}`, async (req, res) => {
      const id = await writableId(req);
      const data = parse(req, res, entrySchemas[kind], req.body);
      if (!data) return;
      const correctsId = idParam(String((req.body as Record<string, unknown> | undefined)?.correctsId ?? ''));
      const result = await people.addEntry(actorOf(req), scopeOf(req), id, data, correctsId);
      if (!result.ok) return problemError(req, res, result);
      created(res, result.value);
    });
  historyRoute('assignments', 'assignments');
  historyRoute('grades', 'grades');
  historyRoute('slots', 'slots');
  historyRoute('statuses', 'statuses');

  router.post('/people/:id/assessments', async (req, res) => {
    const id = await writableId(req);
    const data = parse(req, res, assessmentSchema(today()), req.body);
    if (!data) return;
    const result = await people.recordAssessment(actorOf(req), scopeOf(req), id, data);
    if (!result.ok) return problemError(req, res, result);
    created(res, result.value);
  });

  router.post('/people/:id/sanctions', async (req, res) => {
    const id = await writableId(req);
    const data = parse(req, res, sanctionSchema, req.body);
    if (!data) return;
    const correctsId = idParam(String((req.body as Record<string, unknown> | undefined)?.correctsId ?? ''));
    const result = await people.recordSanction(actorOf(req), scopeOf(req), id, data, correctsId);
    if (!result.ok) return problemError(req, res, result);
    created(res, result.value);
  });

  router.post('/people/:id/family', async (req, res) => {
    const id = await writableId(req);
    const data = parse(req, res, familySchema(today()), req.body);
    if (!data) return;
    const result = await people.saveFamilyMember(actorOf(req), scopeOf(req), id, null, data);
    if (!result.ok) return problemError(req, res, result);
    created(res, result.value);
  });

  router.post('/people/:id/educations', async (req, res) => {
    const id = await writableId(req);
    const data = parse(req, res, educationSchema, req.body);
    if (!data) return;
    const result = await people.saveEducation(actorOf(req), scopeOf(req), id, null, data);
    if (!result.ok) return problemError(req, res, result);
    created(res, result.value);
  });

  return router;
}

export const peopleApiArea: ApiArea = {
  name: 'people',
  router: peopleApiRouter,
  paths: peopleOpenApiPaths,
  schemas: peopleOpenApiSchemas,
};
