import { type Request, type Response, Router } from 'express';
import type { Services } from '../../container.js';
import type { MovementListItem } from '../../db/repositories/movements.js';
import {
  ENTRY_KINDS,
  EXIT_KINDS,
  MOVEMENT_KINDS,
  type MovementKind,
  type MovementState,
  secondmentOverdue,
} from '../../domain/movements.js';
import { ESTABLISHMENT_TYPES } from '../../domain/quota.js';
import { ForbiddenError, NotFoundError } from '../../errors.js';
import { paths } from '../../paths.js';
import { workbookBuffer } from '../../services/export/xlsx.js';
import { contextOf, principalOf, scopeOf } from '../actor.js';
import { sendXlsx } from '../establishment/router.js';
import { type Formatter, formatterFor } from '../format.js';
import { formValues, newFormKey, refusalStatus, runFormFlow, translatedVars } from '../formFlow.js';
import { errorsByField, type FieldError, fieldError, idParam, pageTitle, parseForm } from '../forms.js';
import { printHref, renderPage } from '../render.js';
import {
  batchDecisionSchema,
  batchSchema,
  decisionSchema,
  ledgerQuery,
  movementSchema,
  opinionSchema,
  secondmentEndSchema,
} from './schemas.js';
import { movementRowView } from './viewModels.js';

const STATES: MovementState[] = [
  'draft',
  'submitted',
  'returned',
  'approved',
  'filed',
  'rejected',
  'withdrawn',
];

/** Movement requests (调配): the form with its check page, the request page with its actions, inbox, ledger, batches. */
export function movementRouter(services: Services): Router {
  const router = Router();
  const svc = services.movements;
  const idOf = (req: Request) => {
    const id = idParam(req.params.id);
    if (id === null) throw new NotFoundError();
    return id;
  };
  const today = () => services.clock.today();

  const rowView = (m: MovementListItem, f: Formatter) => movementRowView(m, f, today());

  /** The township a new request is filed from: the officer's own, or one an admin picks. */
  const proposingTownship = (req: Request): number | null => {
    const principal = principalOf(req);
    const own = principal.grants
      .filter((g) => g.role === 'township_officer')
      .map((g) => g.regionId as number);
    const asked = idParam(req.query.township ?? (req.body as Record<string, unknown> | undefined)?.township);
    if (asked && (own.includes(asked) || principal.grants.some((g) => g.role === 'admin'))) return asked;
    return own[0] ?? null;
  };

  /** Staff see their own movements on their record, not these pages (404 as everywhere outside scope). */
  const assertNotStaffOnly = (req: Request) => {
    if (principalOf(req).grants.every((g) => g.role === 'staff')) throw new NotFoundError('page');
  };

  /** A request may be filed only by a township officer (or the admin); other roles see it is not theirs. */
  const proposerTownshipOf = (req: Request): number => {
    assertNotStaffOnly(req);
    const township = proposingTownship(req);
    if (!township) throw new ForbiddenError();
    return township;
  };

  router.get(paths.movements(), async (req, res) => {
    assertNotStaffOnly(req);
    const f = formatterFor(req);
    const state = STATES.includes(req.query.state as MovementState)
      ? (req.query.state as MovementState)
      : undefined;
    const kind = MOVEMENT_KINDS.includes(req.query.kind as MovementKind)
      ? (req.query.kind as MovementKind)
      : undefined;
    const { items, total } = await svc.list(scopeOf(req), {
      ...(state ? { states: [state] } : {}),
      ...(kind ? { kinds: [kind] } : {}),
      limit: 200,
    });
    renderPage(req, res, 'movements/list', {
      title: req.t('movements.title'),
      rows: items.map((m) => rowView(m, f)),
      total,
      states: STATES.map((s) => ({ code: s, label: req.t(`movementStates.${s}`), selected: s === state })),
      kinds: MOVEMENT_KINDS.map((k) => ({
        code: k,
        label: req.t(`movementKinds.${k}`),
        selected: k === kind,
      })),
      newHref: proposingTownship(req) ? paths.newMovement() : null,
      batchHref: proposingTownship(req) ? paths.newMovementBatch() : null,
      ledgerHref: paths.movementLedger(),
      printHref: printHref(req),
    });
  });

  async function renderMovementForm(
    req: Request,
    res: Response,
    values: Record<string, string | string[]>,
    errors: FieldError[],
    status: number,
  ) {
    const townshipId = proposingTownship(req);
    if (!townshipId) throw new NotFoundError('township');
    const kind = (MOVEMENT_KINDS.includes(values.kind as MovementKind) ? values.kind : '') as
      | MovementKind
      | '';
    const f = formatterFor(req);
    const on = typeof values.effectiveOn === 'string' && values.effectiveOn ? values.effectiveOn : today();
    const choices = await svc.formChoices(
      scopeOf(req),
      townshipId,
      /^\d{4}-\d{2}-\d{2}$/.test(on) ? on : today(),
    );
    const wantsSlotless = kind === 'entry';
    const posts = choices.posts.filter((p) => {
      if (!kind) return false;
      if (kind === 'internal' || kind === 'cross_type' || kind === 'entry')
        return p.townshipId === townshipId && !p.leadershipKind;
      if (kind === 'cross_township') return p.townshipId !== townshipId && !p.leadershipKind;
      return true;
    });
    res.status(status).render('movements/form', {
      title: pageTitle(req, kind ? `movementKinds.${kind}` : 'movementForm.title', errors),
      heading: kind
        ? req.t('movementForm.headingFor', { kind: req.t(`movementKinds.${kind}`) })
        : req.t('movementForm.title'),
      township: choices.township.name,
      townshipId,
      errors,
      fieldErrors: errorsByField(errors),
      values,
      chooseKind: !kind,
      kinds: MOVEMENT_KINDS.map((k) => ({
        code: k,
        label: req.t(`movementKinds.${k}`),
        hint: req.t(`movementKindHints.${k}`),
        checked: k === kind,
      })),
      kind,
      needsPost: ['internal', 'cross_township', 'secondment', 'entry', 'cross_type'].includes(kind),
      optionalPost: kind === 'type_change',
      needsType: kind === 'entry' || kind === 'type_change',
      needsSubKind: kind === 'entry' || kind === 'exit',
      needsPlannedUntil: kind === 'secondment',
      subKinds: (kind === 'entry' ? ENTRY_KINDS : kind === 'exit' ? EXIT_KINDS : []).map((k) => ({
        code: k,
        label: req.t(`movementSubKinds.${k}`),
        selected: k === values.subKind,
      })),
      types: ESTABLISHMENT_TYPES.map((t) => ({
        code: t,
        label: f.label('establishmentTypes', t),
        selected: t === values.toEstablishmentType,
      })),
      people: choices.people
        .filter((p) =>
          wantsSlotless ? p.establishmentType === null : p.establishmentType !== null || kind === 'exit',
        )
        .map((p) => ({
          id: String(p.id),
          label: `${p.name}${p.postName ? `（${p.postName}）` : ''}${p.establishmentType ? ` · ${f.label('establishmentTypes', p.establishmentType)}` : ''}`,
          selected: String(p.id) === values.personId,
        })),
      posts: posts.map((p) => ({
        id: String(p.id),
        label: `${p.townshipId === townshipId ? '' : `${p.townshipName} `}${p.unitName ?? req.t('post.leadershipTeam')} ${p.name}（${p.establishmentTypes.map((t) => f.label('establishmentTypes', t)).join('、')}）${p.held ? ` · ${req.t('movementForm.held')}` : ''}`,
        selected: String(p.id) === values.toPostId,
      })),
      backHref: paths.movements(),
    });
  }

  router.all(paths.newMovement(), async (req, res) => {
    proposerTownshipOf(req);
    const fields = [
      'kind',
      'subKind',
      'personId',
      'toPostId',
      'toEstablishmentType',
      'effectiveOn',
      'plannedUntil',
      'reason',
      'docNo',
    ];
    if (req.method === 'GET') {
      const values: Record<string, string> = Object.fromEntries(fields.map((k) => [k, '']));
      values.kind = typeof req.query.kind === 'string' ? req.query.kind : '';
      values.personId = typeof req.query.person === 'string' ? req.query.person : '';
      values.effectiveOn = today();
      values.formKey = newFormKey();
      return renderMovementForm(req, res, values, [], 200);
    }
    if (req.method !== 'POST') throw new NotFoundError();
    const body = req.body as Record<string, unknown>;
    if (body.chooseKind === '1') {
      const values = formValues(body, fields);
      values.effectiveOn = today();
      values.formKey = newFormKey();
      if (!MOVEMENT_KINDS.includes(values.kind as MovementKind)) {
        return renderMovementForm(
          req,
          res,
          values,
          [fieldError(req, 'kind', 'movementForm.errors.kindRequired')],
          400,
        );
      }
      return renderMovementForm(req, res, values, [], 200);
    }
    const f = formatterFor(req);
    await runFormFlow(req, res, {
      schema: movementSchema,
      fields: [...fields, 'township'],
      renderForm: (values, errors, status) => renderMovementForm(req, res, values, errors, status),
      checkTitle: req.t('movementForm.checkTitle'),
      checkRows: async (d) => {
        const choices = await svc.formChoices(scopeOf(req), proposingTownship(req) as number, d.effectiveOn);
        const person = choices.people.find((p) => p.id === d.personId);
        const post = choices.posts.find((p) => p.id === d.toPostId);
        return [
          {
            label: req.t('movementForm.kind'),
            value:
              req.t(`movementKinds.${d.kind}`) +
              (d.subKind ? `（${req.t(`movementSubKinds.${d.subKind}`)}）` : ''),
          },
          { label: req.t('movementForm.person'), value: person?.name ?? `#${d.personId}` },
          ...(post
            ? [
                {
                  label: req.t('movementForm.toPost'),
                  value: `${post.townshipName} ${post.unitName ?? ''} ${post.name}`,
                },
              ]
            : []),
          ...(d.toEstablishmentType
            ? [
                {
                  label: req.t('movementForm.toType'),
                  value: f.label('establishmentTypes', d.toEstablishmentType),
                },
              ]
            : []),
          { label: req.t('movementForm.effectiveOn'), value: f.date(d.effectiveOn) },
          ...(d.plannedUntil
            ? [{ label: req.t('movementForm.plannedUntil'), value: f.date(d.plannedUntil) }]
            : []),
          { label: req.t('movementForm.reason'), value: d.reason },
          { label: req.t('forms.docNo'), value: d.docNo ?? '—' },
        ];
      },
      commit: (d) => svc.create(contextOf(req), { ...d, correctsId: null }),
      done: (r) => {
        req.session.flash = {
          kind: 'success',
          key: r.state === 'filed' ? 'movements.filed' : 'movements.submitted',
        };
        res.redirect(303, paths.movement(r.id));
      },
    });
  });

  router.get('/movements/ledger', async (req, res) => {
    assertNotStaffOnly(req);
    const f = formatterFor(req);
    const filter = ledgerQuery(req.query);
    const [{ items }, choices] = await Promise.all([
      svc.list(scopeOf(req), { ...filter, limit: 5000 }),
      svc.scopeRegions(scopeOf(req)),
    ]);
    const rows = items.map((m) => ({
      ...rowView(m, f),
      decided: m.decidedAt ? f.date(m.decidedAt.toISOString().slice(0, 10)) : '',
    }));
    if (req.query.format === 'xlsx') {
      const buffer = await workbookBuffer([
        {
          name: req.t('ledger.sheet'),
          title: req.t('ledger.title'),
          columns: [
            { header: req.t('ledger.person'), key: 'person', width: 10 },
            { header: req.t('ledger.kind'), key: 'kind', width: 12 },
            { header: req.t('ledger.from'), key: 'from', width: 36 },
            { header: req.t('ledger.fromType'), key: 'fromType', width: 14 },
            { header: req.t('ledger.to'), key: 'to', width: 36 },
            { header: req.t('ledger.toType'), key: 'toType', width: 14 },
            { header: req.t('ledger.docNo'), key: 'docNo', width: 22 },
            { header: req.t('ledger.approvalDocNo'), key: 'approvalDocNo', width: 22 },
            { header: req.t('ledger.decided'), key: 'decided', width: 12 },
            { header: req.t('ledger.effective'), key: 'effective', width: 12 },
          ],
          rows: rows.map((r) => ({
            person: r.person,
            kind: `${r.kind}${r.subKind ? `（${r.subKind}）` : ''}`,
            from: r.from,
            fromType: r.fromType,
            to: r.to,
            toType: r.toType,
            docNo: r.docNo,
            approvalDocNo: r.approvalDocNo,
            decided: r.decided,
            effective: r.effective,
          })),
        },
      ]);
      return sendXlsx(res, `${req.t('ledger.title')}.xlsx`, buffer);
    }
    renderPage(req, res, 'movements/ledger', {
      title: req.t('ledger.title'),
      rows,
      filters: { from: filter.effectiveFrom ?? '', to: filter.effectiveTo ?? '' },
      kinds: MOVEMENT_KINDS.map((k) => ({
        code: k,
        label: req.t(`movementKinds.${k}`),
        selected: filter.kinds?.length === 1 && filter.kinds[0] === k,
      })),
      counties:
        choices.counties.length > 1
          ? choices.counties.map((c) => ({ id: c.id, name: c.name, selected: c.id === filter.county }))
          : null,
      townships: choices.townships.map((t) => ({
        id: t.id,
        name:
          choices.counties.length > 1
            ? `${choices.counties.find((c) => c.id === t.parentId)?.name ?? ''} ${t.name}`
            : t.name,
        selected: t.id === filter.township,
      })),
      xlsxHref: `${req.originalUrl}${req.originalUrl.includes('?') ? '&' : '?'}format=xlsx`,
      printHref: printHref(req),
    });
  });

  router.get('/movements/:id', async (req, res) => {
    const id = idOf(req);
    const d = await svc.detail(scopeOf(req), id);
    const f = formatterFor(req);
    const m = d.movement;
    const principal = principalOf(req);
    const roles = svc.approverRoles(principal, m.countyId);
    const proposer =
      principal.userId === m.proposerUserId ||
      principal.grants.some(
        (g) =>
          g.role === 'admin' ||
          (g.role === 'township_officer' &&
            (g.regionId === m.fromTownshipId || g.regionId === m.toTownshipId)),
      );
    const awaiting = m.state === 'submitted' ? m.chain[m.stage] : undefined;
    const mayDecide =
      awaiting !== undefined &&
      roles.includes(awaiting) &&
      principal.userId !== m.proposerUserId &&
      !m.batchId;
    const overdue = d.secondment?.plannedUntil
      ? secondmentOverdue({ plannedUntil: d.secondment.plannedUntil, validTo: d.secondment.validTo }, d.today)
      : false;
    renderPage(req, res, 'movements/detail', {
      title: req.t('movements.detailTitle', { id }),
      m: rowView(m, f),
      facts: [
        {
          label: req.t('movementForm.kind'),
          value: rowView(m, f).kind + (m.subKind ? `（${req.t(`movementSubKinds.${m.subKind}`)}）` : ''),
        },
        { label: req.t('movementForm.person'), value: m.personName, href: paths.person(m.personId) },
        { label: req.t('ledger.from'), value: rowView(m, f).from || '—' },
        { label: req.t('ledger.to'), value: rowView(m, f).to || '—' },
        {
          label: req.t('movementForm.effectiveOn'),
          value:
            f.date(m.effectiveOn) +
            (m.effectiveOn > d.today
              ? ` ${req.t('movements.effectiveLater', { date: f.date(m.effectiveOn) })}`
              : ''),
        },
        ...(m.plannedUntil
          ? [{ label: req.t('movementForm.plannedUntil'), value: f.date(m.plannedUntil) }]
          : []),
        { label: req.t('movementForm.reason'), value: m.reason || '—' },
        { label: req.t('forms.docNo'), value: m.docNo ?? '—' },
        { label: req.t('movements.proposer'), value: m.proposerName },
        {
          label: req.t('movements.chain'),
          value: m.chain.length
            ? m.chain.map((r, i) => `${i < m.stage ? '✓ ' : ''}${req.t(`approvers.${r}`)}`).join(' → ')
            : req.t('movements.filingOnly'),
        },
      ],
      state: rowView(m, f).state,
      stateCss: rowView(m, f).stateCss,
      overdue,
      destination: d.destination
        ? req.t('inbox.quotaAfter', {
            holder: d.destination.holderName,
            type: f.label('establishmentTypes', d.destination.type),
            approved: d.destination.usage.approved,
            after:
              d.destination.usage.occupied + d.destination.usage.reserved + (m.state === 'approved' ? 0 : 1),
          })
        : null,
      actions: d.actions.map((a) => ({
        action: req.t(`movementActions.${a.action}`),
        actor: a.actor,
        role: a.actorRole ? req.t(`approvers.${a.actorRole}`, { defaultValue: '' }) : '',
        at: f.date(a.actedAt.toISOString().slice(0, 10)),
        comment: a.comment,
        docNo: a.docNo ?? '',
      })),
      opinion: d.opinion ? { ...d.opinion, givenOn: f.date(d.opinion.givenOn) } : null,
      needsOpinion: d.needsOpinion,
      batch: d.batch
        ? { title: d.batch.title, docNo: d.batch.docNo, href: paths.movementBatch(d.batch.id) }
        : null,
      can: {
        decide: mayDecide,
        withdraw: proposer && ['draft', 'submitted', 'returned'].includes(m.state),
        submit: proposer && (m.state === 'draft' || m.state === 'returned') && !m.batchId,
        opinion:
          proposer && d.needsOpinion && !d.opinion && ['draft', 'submitted', 'returned'].includes(m.state),
        endSecondment: proposer && d.secondment !== null && d.secondment.validTo === null,
      },
      version: m.version,
      decisionAction: paths.movementDecisions(id),
      opinionAction: paths.movementOpinion(id),
      secondmentAction: paths.movementSecondmentEnd(id),
      today: d.today,
      errors: [],
      fieldErrors: {},
      printHref: printHref(req),
    });
  });

  /** Re-renders the request page with an error beside the form that failed. */
  async function detailWithError(
    req: Request,
    res: Response,
    id: number,
    errors: FieldError[],
    status: number,
  ) {
    req.session.flash = undefined;
    const d = await svc.detail(scopeOf(req), id);
    res.status(status).render('movements/refused', {
      title: pageTitle(req, 'movements.refusedTitle', errors),
      errors,
      back: paths.movement(id),
      person: d.movement.personName,
    });
  }

  router.post('/movements/:id/decisions', async (req, res) => {
    const id = idOf(req);
    const parsed = parseForm(decisionSchema, req.body, req);
    if (!parsed.ok) return detailWithError(req, res, id, parsed.errors, 400);
    const result = await svc.decide(contextOf(req), id, parsed.data);
    if (!result.ok) {
      const status = refusalStatus(result.code, 400);
      return detailWithError(
        req,
        res,
        id,
        [fieldError(req, result.field, `refusals.${result.code}`, translatedVars(req, result.vars ?? {}))],
        status,
      );
    }
    req.session.flash = { kind: 'success', key: `movements.done.${parsed.data.action}` };
    res.redirect(
      303,
      parsed.data.action === 'approve' || parsed.data.action === 'reject' || parsed.data.action === 'return'
        ? paths.inbox()
        : paths.movement(id),
    );
  });

  router.post('/movements/:id/opinion', async (req, res) => {
    const id = idOf(req);
    const parsed = parseForm(opinionSchema, req.body, req);
    if (!parsed.ok) return detailWithError(req, res, id, parsed.errors, 400);
    const result = await svc.recordOpinion(contextOf(req), id, parsed.data);
    if (!result.ok)
      return detailWithError(req, res, id, [fieldError(req, result.field, `refusals.${result.code}`)], 409);
    req.session.flash = { kind: 'success', key: 'movements.opinionRecorded' };
    res.redirect(303, paths.movement(id));
  });

  router.post('/movements/:id/secondment-end', async (req, res) => {
    const id = idOf(req);
    const parsed = parseForm(secondmentEndSchema, req.body, req);
    if (!parsed.ok) return detailWithError(req, res, id, parsed.errors, 400);
    const result = await svc.endSecondment(contextOf(req), id, parsed.data);
    if (!result.ok)
      return detailWithError(req, res, id, [fieldError(req, result.field, `refusals.${result.code}`)], 409);
    req.session.flash = { kind: 'success', key: 'movements.secondmentEnded' };
    res.redirect(303, paths.movement(id));
  });

  // Batches ----------------------------------------------------------------------------------------------

  const BATCH_ROWS = 6;
  router.all(paths.newMovementBatch(), async (req, res) => {
    const townshipId = proposerTownshipOf(req);
    const f = formatterFor(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const render = async (
      values: Record<string, string | string[]>,
      errors: FieldError[],
      status: number,
    ) => {
      const on =
        typeof values.effectiveOn === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(values.effectiveOn)
          ? values.effectiveOn
          : today();
      const choices = await svc.formChoices(scopeOf(req), townshipId, on);
      res.status(status).render('movements/batchForm', {
        title: pageTitle(req, 'batchForm.title', errors),
        township: choices.township.name,
        errors,
        fieldErrors: errorsByField(errors),
        values,
        rows: Array.from({ length: BATCH_ROWS }, (_, i) => ({
          i,
          kinds: (['internal', 'cross_township', 'cross_type', 'secondment'] as const).map((k) => ({
            code: k,
            label: req.t(`movementKinds.${k}`),
            selected: values[`kind_${i}`] === k,
          })),
          people: choices.people
            .filter((p) => p.establishmentType !== null)
            .map((p) => ({
              id: String(p.id),
              label: `${p.name}${p.postName ? `（${p.postName}）` : ''}`,
              selected: values[`person_${i}`] === String(p.id),
            })),
          posts: choices.posts
            .filter((p) => !p.leadershipKind)
            .map((p) => ({
              id: String(p.id),
              label: `${p.townshipName} ${p.unitName ?? ''} ${p.name}${p.held ? ` · ${req.t('movementForm.held')}` : ''}`,
              selected: values[`post_${i}`] === String(p.id),
            })),
          plannedUntil: values[`until_${i}`] ?? '',
          error: errorsByField(errors)[`members.${i}`],
        })),
        backHref: paths.movements(),
        f,
      });
    };
    const rowFields = Array.from({ length: BATCH_ROWS }, (_, i) => [
      `kind_${i}`,
      `person_${i}`,
      `post_${i}`,
      `until_${i}`,
    ]).flat();
    if (req.method === 'GET')
      return render(
        { title: '', docNo: '', effectiveOn: today(), reason: '', formKey: newFormKey() },
        [],
        200,
      );
    if (req.method !== 'POST') throw new NotFoundError();
    const values = formValues(body, ['title', 'docNo', 'effectiveOn', 'reason', 'formKey', ...rowFields]);
    const parsed = parseForm(batchSchema, body, req);
    if (!parsed.ok) return render(values, parsed.errors, 400);
    const members = Array.from({ length: BATCH_ROWS }, (_, i) => i)
      .filter((i) => values[`person_${i}`] && values[`post_${i}`] && values[`kind_${i}`])
      .map((i) => ({
        kind: values[`kind_${i}`] as MovementKind,
        subKind: null,
        personId: Number(values[`person_${i}`]),
        toPostId: Number(values[`post_${i}`]),
        toEstablishmentType: null,
        effectiveOn: parsed.data.effectiveOn,
        plannedUntil:
          values[`kind_${i}`] === 'secondment' ? String(values[`until_${i}`] || '') || null : null,
        reason: parsed.data.reason,
        docNo: parsed.data.docNo,
        correctsId: null,
        formKey: newFormKey(),
      }));
    if (members.length < 2)
      return render(values, [fieldError(req, 'members', 'batchForm.errors.twoMembers')], 400);
    const result = await svc.createBatch(contextOf(req), { ...parsed.data, members });
    if (!result.ok) {
      const m = /^members\.(\d+)/.exec(result.field);
      const index = m ? members[Number(m[1])] : undefined;
      const row = index
        ? Array.from({ length: BATCH_ROWS }, (_, i) => i).filter(
            (i) => values[`person_${i}`] && values[`post_${i}`] && values[`kind_${i}`],
          )[Number(m?.[1])]
        : undefined;
      return render(
        values,
        [
          fieldError(
            req,
            row !== undefined ? `members.${row}` : 'members',
            `refusals.${result.code}`,
            translatedVars(req, result.vars ?? {}),
          ),
        ],
        refusalStatus(result.code, 400),
      );
    }
    await svc.decideBatch(contextOf(req), result.value.batchId, {
      action: 'submit',
      comment: '',
      docNo: null,
    });
    req.session.flash = { kind: 'success', key: 'batchForm.submitted' };
    res.redirect(303, paths.movementBatch(result.value.batchId));
  });

  router.get('/movement-batches/:id', async (req, res) => {
    const id = idOf(req);
    const d = await svc.batch(scopeOf(req), id);
    const f = formatterFor(req);
    const principal = principalOf(req);
    const first = d.members[0] as MovementListItem;
    const awaiting = first.state === 'submitted' ? first.chain[first.stage] : undefined;
    const roles = svc.approverRoles(principal, first.countyId);
    res.render('movements/batch', {
      title: req.t('batchForm.detailTitle', { title: d.batch.title }),
      batch: d.batch,
      rows: d.members.map((m) => rowView(m, f)),
      state: req.t(`movementStates.${first.state}`),
      canDecide:
        awaiting !== undefined && roles.includes(awaiting) && principal.userId !== d.batch.proposerUserId,
      canWithdraw:
        principal.userId === d.batch.proposerUserId &&
        ['draft', 'submitted', 'returned'].includes(first.state),
      canSubmit: principal.userId === d.batch.proposerUserId && ['draft', 'returned'].includes(first.state),
      action: paths.movementBatchDecisions(id),
    });
  });

  router.post('/movement-batches/:id/decisions', async (req, res) => {
    const id = idOf(req);
    const parsed = parseForm(batchDecisionSchema, req.body, req);
    if (!parsed.ok) {
      return res.status(400).render('movements/refused', {
        title: pageTitle(req, 'movements.refusedTitle', parsed.errors),
        errors: parsed.errors,
        back: paths.movementBatch(id),
      });
    }
    const result = await svc.decideBatch(contextOf(req), id, parsed.data);
    if (!result.ok) {
      const errors = [
        fieldError(req, 'action', `refusals.${result.code}`, translatedVars(req, result.vars ?? {})),
      ];
      return res.status(refusalStatus(result.code, 409)).render('movements/refused', {
        title: pageTitle(req, 'movements.refusedTitle', errors),
        errors,
        back: paths.movementBatch(id),
      });
    }
    req.session.flash = { kind: 'success', key: `movements.done.${parsed.data.action}` };
    res.redirect(303, paths.movementBatch(id));
  });

  return router;
}
