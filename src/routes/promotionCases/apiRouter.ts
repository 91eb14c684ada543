import { type NextFunction, type Request, Router } from 'express';
import type { Services } from '../../container.js';
import type { PromotionCase } from '../../db/repositories/promotionCases.js';
import { CASE_ACTIONS, CASE_STATES, type CaseState } from '../../domain/promotionCase.js';
import { contextOf } from '../actor.js';
import type { ApiArea } from '../api/index.js';
import { jsonWrite } from '../api/jsonWrite.js';
import { errorResponse, idParameter, jsonResponse } from '../api/openapiParts.js';
import { idParam } from '../forms.js';
import { openCaseSchema, stepSchema } from './schemas.js';

const caseJson = (c: PromotionCase) => ({
  id: c.id,
  state: c.state,
  version: c.version,
  countyId: c.countyId,
  township: { id: c.townshipId, name: c.townshipName },
  seat: {
    postId: c.postId,
    post: c.postName,
    unitId: c.unitId,
    unit: c.unitName,
    leadershipKind: c.leadershipKind,
  },
  targetLevel: c.targetLevel,
  dispatched: c.dispatched,
  reason: c.reason,
  proposedRemoval: c.proposedRemoval,
  appointee: c.appointeePersonId ? { id: c.appointeePersonId, name: c.appointeeName } : null,
  publicity: c.publicityStartsOn ? { startsOn: c.publicityStartsOn, endsOn: c.publicityEndsOn } : null,
  appointment: c.appointedOn
    ? { on: c.appointedOn, docNo: c.appointmentDocNo, probationUntil: c.probationUntil }
    : null,
  closedOn: c.closedOn,
  updatedAt: c.updatedAt,
});

/** JSON twins of the selection cases: list, open (动议), one case with its steps, a step. Scoped as the pages. */
function promotionCaseApiRouter(services: Services): Router {
  const router = Router();
  const svc = services.promotionCases;
  /** Numeric ids only: /promotions/candidates and the like belong to other areas. */
  const idOf = (req: Request, next: NextFunction) => {
    const id = idParam(req.params.id);
    if (id === null) next();
    return id;
  };

  router.get('/promotions', async (req, res) => {
    const states = (typeof req.query.state === 'string' ? req.query.state.split(',') : []).filter((s) =>
      (CASE_STATES as readonly string[]).includes(s),
    ) as CaseState[];
    const township = idParam(req.query.township);
    const list = await svc.list(contextOf(req), {
      ...(states.length ? { states } : {}),
      townshipId: township,
    });
    res.json({ total: list.length, items: list.map(caseJson) });
  });

  router.post('/promotions', (req, res) =>
    jsonWrite(
      req,
      res,
      openCaseSchema,
      (d) => svc.open(contextOf(req), d),
      201,
      (code) => `promotionCases.refusals.${code}`,
    ),
  );

  router.get('/promotions/:id', async (req, res, next) => {
    const id = idOf(req, next);
    if (id === null) return;
    const d = await svc.get(contextOf(req), id);
    res.json({
      ...caseJson(d.case),
      people: d.people,
      partyOpinion: d.opinion,
      steps: d.steps,
      nextActions: d.actions,
    });
  });

  router.post('/promotions/:id/transitions', async (req, res, next) => {
    const id = idOf(req, next);
    if (id === null) return;
    const ctx = contextOf(req);
    await svc.get(ctx, id); // 404 outside the scope, before the body is read
    return jsonWrite(
      req,
      res,
      stepSchema,
      (d) => svc.step(ctx, id, d),
      200,
      (code) => `promotionCases.refusals.${code}`,
    );
  });

  return router;
}

const notFound = errorResponse('Not found, or outside your scope (the two are indistinguishable).');

export const promotionCaseApiArea: ApiArea = {
  name: 'promotionCases',
  router: promotionCaseApiRouter,
  paths: {
    '/promotions': {
      get: {
        summary: 'Selection cases (选拔任用) in your scope',
        description:
          'Township officers see their township’s cases, county reviewers their county’s, the administrator all; staff none. `state` filters (comma-separated), `township` narrows.',
        parameters: [
          {
            name: 'state',
            in: 'query',
            schema: { type: 'string' },
            description: `Comma-separated: ${CASE_STATES.join(', ')}`,
          },
          { name: 'township', in: 'query', schema: { type: 'integer' } },
        ],
        responses: {
          200: jsonResponse('OK', '#/components/schemas/PromotionCaseList'),
          401: errorResponse('Not signed in.'),
          404: notFound,
        },
      },
      post: {
        summary: 'Open a selection case (动议) for a vacant 副科/正科 seat',
        description:
          'Township officers of the seat’s township. `postId` (a township leadership post or the head of a 副科级 unit, vacant today), `reason` (任免理由), `proposedRemoval` (拟免职务), `comment`, `docNo`. One open case per seat; `Idempotency-Key` supported.',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/PromotionCaseInput' } } },
        },
        responses: {
          201: jsonResponse('Opened', '#/components/schemas/PromotionCaseRef'),
          401: errorResponse('Not signed in.'),
          403: errorResponse('Not the township’s officer (`not_your_side`).'),
          404: notFound,
          409: errorResponse('The seat is held or already has a case in progress.'),
          422: errorResponse('Bad values, each named with its field.'),
        },
      },
    },
    '/promotions/{id}': {
      get: {
        summary:
          'One case with its people (votes as information), party opinion, steps and the actions open to you',
        parameters: [idParameter],
        responses: {
          200: jsonResponse('OK', '#/components/schemas/PromotionCase'),
          401: errorResponse('Not signed in.'),
          404: notFound,
        },
      },
    },
    '/promotions/{id}/transitions': {
      post: {
        summary: 'Take one step of the procedure',
        description: `\`action\` (${CASE_ACTIONS.join(', ')}) and \`version\` (the case’s, from GET: a stale one is 409 \`stale_version\`), with what the step needs: recommend \`nominees\` [{personId, votes}] and \`participants\`; fix_candidates \`candidateIds\`; inspect \`comment\`; decide \`appointeeId\`, \`members\`, \`present\`, \`inFavour\` (quorum ≥ 2/3 present, > 1/2 of all members in favour); start_publicity \`startOn\` (the end is ≥ 5 working days on the official calendar); object \`comment\`; resolve \`outcome\` (cleared | upheld) and \`comment\`; appoint \`on\` and \`docNo\` (the seat, L1–L3, rechecked under lock); confirm / revert \`on\`, \`docNo\`; return / withdraw \`comment\` (until the decision); opinion \`on\`, \`docNo\`, \`opinionText\` (dispatched units). Every step: \`comment\`, \`docNo\`, \`attachments\` (titles). One transaction, one audit entry.`,
        parameters: [idParameter],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/PromotionStepInput' } } },
        },
        responses: {
          200: jsonResponse('Done', '#/components/schemas/PromotionCaseRef'),
          401: errorResponse('Not signed in.'),
          403: errorResponse('The other side’s step (`not_your_side`).'),
          404: notFound,
          409: errorResponse(
            'The state does not allow it (stale version, publicity running, objection open, seat full …).',
          ),
          422: errorResponse(
            'Bad values, or a rule refused them (quorum, majority, eligibility, avoidance).',
          ),
        },
      },
    },
  },
  schemas: {
    PromotionCaseRef: {
      type: 'object',
      properties: { id: { type: 'integer' }, state: { type: 'string', enum: [...CASE_STATES] } },
    },
    PromotionCase: {
      type: 'object',
      properties: {
        id: { type: 'integer' },
        state: { type: 'string', enum: [...CASE_STATES] },
        version: { type: 'integer' },
        township: { type: 'object' },
        seat: { type: 'object' },
        targetLevel: { type: 'string', enum: ['deputy_section', 'section_chief'] },
        dispatched: { type: 'boolean' },
        appointee: { type: ['object', 'null'] },
        publicity: { type: ['object', 'null'] },
        appointment: { type: ['object', 'null'] },
        people: { type: 'array', items: { type: 'object' } },
        steps: { type: 'array', items: { type: 'object' } },
        nextActions: { type: 'array', items: { type: 'string', enum: [...CASE_ACTIONS] } },
      },
    },
    PromotionCaseList: {
      type: 'object',
      properties: {
        total: { type: 'integer' },
        items: { type: 'array', items: { $ref: '#/components/schemas/PromotionCase' } },
      },
    },
    PromotionCaseInput: {
      type: 'object',
      required: ['postId', 'reason'],
      properties: {
        postId: { type: 'integer' },
        reason: { type: 'string', maxLength: 1000 },
        proposedRemoval: { type: 'string', maxLength: 200 },
        comment: { type: 'string', maxLength: 2000 },
        docNo: { type: 'string', maxLength: 100 },
      },
    },
    PromotionStepInput: {
      type: 'object',
      required: ['action', 'version'],
      properties: {
        action: { type: 'string', enum: [...CASE_ACTIONS] },
        version: { type: 'integer' },
        comment: { type: 'string' },
        docNo: { type: 'string' },
        attachments: { type: 'array', items: { type: 'string' } },
        on: { type: 'string', format: 'date' },
        nominees: {
          type: 'array',
          items: {
            type: 'object',
            properties: { personId: { type: 'integer' }, votes: { type: 'integer' } },
          },
        },
        participants: { type: 'integer' },
        candidateIds: { type: 'array', items: { type: 'integer' } },
        members: { type: 'integer' },
        present: { type: 'integer' },
        inFavour: { type: 'integer' },
        appointeeId: { type: 'integer' },
        startOn: { type: 'string', format: 'date' },
        outcome: { type: 'string', enum: ['cleared', 'upheld'] },
        opinionText: { type: 'string' },
      },
    },
  },
};
