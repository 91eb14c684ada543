import { type Request, Router } from 'express';
import type { Services } from '../../container.js';
import { MOVEMENT_KINDS, type MovementKind, type MovementState } from '../../domain/movements.js';
import { NotFoundError } from '../../errors.js';
import { contextOf, scopeOf } from '../actor.js';
import { jsonWrite } from '../api/jsonWrite.js';
import { idParam } from '../forms.js';
import {
  batchDecisionSchema,
  decisionSchema,
  ledgerQuery,
  movementSchema,
  opinionSchema,
  secondmentEndSchema,
} from './schemas.js';

const STATES: MovementState[] = [
  'draft',
  'submitted',
  'returned',
  'approved',
  'filed',
  'rejected',
  'withdrawn',
];

/** JSON twins of the movement pages: requests, decisions, batches, the inbox and the ledger. */
export function movementApiRouter(services: Services): Router {
  const router = Router();
  const svc = services.movements;
  const idOf = (req: Request) => {
    const id = idParam(req.params.id);
    if (id === null) throw new NotFoundError();
    return id;
  };
  const listOf = (values: unknown, allowed: readonly string[]) =>
    (typeof values === 'string' ? values.split(',') : []).filter((v) => allowed.includes(v));

  router.get('/transfers', async (req, res) => {
    const states = listOf(req.query.state, STATES) as MovementState[];
    const kinds = listOf(req.query.kind, MOVEMENT_KINDS) as MovementKind[];
    const township = idParam(req.query.township);
    const county = idParam(req.query.county);
    const page = Math.max(1, Number(req.query.page) || 1);
    const pageSize = Math.min(200, Math.max(1, Number(req.query.pageSize) || 50));
    const { items, total } = await svc.list(scopeOf(req), {
      ...(states.length ? { states } : {}),
      ...(kinds.length ? { kinds } : {}),
      ...(township ? { township } : {}),
      ...(county ? { county } : {}),
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    res.json({ page, pageSize, total, items });
  });

  /** What the request form offers (its JSON twin): the township's people and the county's open posts. */
  router.get('/transfers/choices', async (req, res) => {
    const township = idParam(req.query.township);
    const on =
      typeof req.query.on === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(req.query.on)
        ? req.query.on
        : services.clock.today();
    if (township === null) {
      return res
        .status(422)
        .json({ error: { code: 'validation', field: 'township', message: req.t('forms.errors.choose') } });
    }
    const c = await svc.formChoices(scopeOf(req), township, on);
    res.json({
      township: { id: c.township.id, name: c.township.name },
      on,
      people: c.people,
      posts: c.posts.map((p) => ({ ...p, vacant: !p.held })),
    });
  });

  router.post('/transfers', (req, res) =>
    jsonWrite(req, res, movementSchema, (d) => svc.create(contextOf(req), { ...d, correctsId: null })),
  );

  router.get('/transfers/:id', async (req, res) => {
    const d = await svc.detail(scopeOf(req), idOf(req));
    res.json({
      ...d.movement,
      actions: d.actions,
      opinion: d.opinion,
      destination: d.destination,
      needsOpinion: d.needsOpinion,
      secondment: d.secondment,
    });
  });

  router.post('/transfers/:id/decisions', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const form = { ...body, action: body.decision ?? body.action };
    req.body = form;
    return jsonWrite(req, res, decisionSchema, (d) => svc.decide(contextOf(req), idOf(req), d), 200);
  });

  router.post('/transfers/:id/opinion', (req, res) =>
    jsonWrite(req, res, opinionSchema, (d) => svc.recordOpinion(contextOf(req), idOf(req), d)),
  );

  router.post('/transfers/:id/secondment-end', (req, res) =>
    jsonWrite(req, res, secondmentEndSchema, (d) => svc.endSecondment(contextOf(req), idOf(req), d), 200),
  );

  router.get('/movement-ledger', async (req, res) => {
    const page = Math.max(1, Number(req.query.page) || 1);
    const pageSize = Math.min(1000, Math.max(1, Number(req.query.pageSize) || 200));
    const { items, total } = await svc.list(scopeOf(req), {
      ...ledgerQuery(req.query),
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    res.json({ page, pageSize, total, items });
  });

  router.post('/transfer-batches', async (req, res) => {
    const body = (req.body ?? {}) as { title?: unknown; docNo?: unknown; members?: unknown };
    const members = Array.isArray(body.members) ? body.members : [];
    const parsedMembers = [];
    for (const [i, m] of members.entries()) {
      const parsed = movementSchema.safeParse({
        ...Object.fromEntries(
          Object.entries((m ?? {}) as Record<string, unknown>).map(([k, v]) => [
            k,
            typeof v === 'number' ? String(v) : v,
          ]),
        ),
        formKey: crypto.randomUUID(),
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return res.status(422).json({
          error: {
            code: 'validation',
            field: `members.${i}.${String(issue?.path[0] ?? '')}`,
            message: req.t(issue?.message ?? 'forms.errors.choose'),
          },
        });
      }
      parsedMembers.push({ ...parsed.data, correctsId: null });
    }
    if (
      typeof body.title !== 'string' ||
      !body.title.trim() ||
      typeof body.docNo !== 'string' ||
      !body.docNo.trim()
    ) {
      return res.status(422).json({
        error: {
          code: 'validation',
          field: typeof body.title !== 'string' || !body.title.trim() ? 'title' : 'docNo',
          message: req.t('batchForm.errors.titleRequired'),
        },
      });
    }
    const result = await svc.createBatch(contextOf(req), {
      title: body.title.trim().slice(0, 200),
      docNo: body.docNo.trim().slice(0, 100),
      members: parsedMembers,
      formKey:
        req.get('Idempotency-Key') && /^[0-9a-f-]{36}$/i.test(req.get('Idempotency-Key') as string)
          ? (req.get('Idempotency-Key') as string)
          : crypto.randomUUID(),
    });
    if (!result.ok)
      return res.status(422).json({
        error: { code: result.code, field: result.field, message: req.t(`refusals.${result.code}`) },
      });
    res.status(201).json(result.value);
  });

  router.get('/transfer-batches/:id', async (req, res) => {
    const d = await svc.batch(scopeOf(req), idOf(req));
    res.json({ ...d.batch, members: d.members });
  });

  router.post('/transfer-batches/:id/decisions', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    req.body = { ...body, action: body.decision ?? body.action };
    return jsonWrite(
      req,
      res,
      batchDecisionSchema,
      (d) => svc.decideBatch(contextOf(req), idOf(req), d),
      200,
    );
  });

  return router;
}
