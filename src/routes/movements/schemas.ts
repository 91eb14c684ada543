import { z } from 'zod';
import { isValidDate } from '../../domain/idNumber.js';
import {
  ENTRY_KINDS,
  EXIT_KINDS,
  MOVEMENT_KINDS,
  type MovementKind,
  type MovementState,
} from '../../domain/movements.js';
import { ESTABLISHMENT_TYPES } from '../../domain/quota.js';

const id = (key: string) =>
  z
    .string({ error: key })
    .trim()
    .regex(/^[1-9]\d{0,9}$/, { error: key })
    .transform(Number);

const optionalId = (key: string) =>
  z
    .string({ error: key })
    .trim()
    .optional()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || /^[1-9]\d{0,9}$/.test(v), { error: key })
    .transform((v) => (v === null ? null : Number(v)));

const date = (key: string) =>
  z
    .string({ error: key })
    .trim()
    .min(1, { error: key })
    .refine(isValidDate, { error: 'forms.errors.dateInvalid' });

const optionalDate = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : null))
  .refine((v) => v === null || isValidDate(v), { error: 'forms.errors.dateInvalid' });

const text = (max: number, key = 'forms.errors.summaryTooLong') =>
  z
    .string({ error: key })
    .trim()
    .max(max, { error: key })
    .optional()
    .transform((v) => v ?? '');

export const movementSchema = z
  .object({
    kind: z.enum(MOVEMENT_KINDS, { error: 'movementForm.errors.kindRequired' }),
    subKind: z
      .union([z.enum([...ENTRY_KINDS, ...EXIT_KINDS]), z.literal('')], {
        error: 'movementForm.errors.subKindRequired',
      })
      .optional()
      .transform((v) => (v ? v : null)),
    personId: id('movementForm.errors.personRequired'),
    toPostId: optionalId('movementForm.errors.postRequired'),
    toEstablishmentType: z
      .union([z.enum(ESTABLISHMENT_TYPES), z.literal('')], { error: 'forms.errors.typeRequired' })
      .optional()
      .transform((v) => (v ? v : null)),
    effectiveOn: date('movementForm.errors.effectiveRequired'),
    plannedUntil: optionalDate,
    reason: z
      .string({ error: 'movementForm.errors.reasonRequired' })
      .trim()
      .min(1, { error: 'movementForm.errors.reasonRequired' })
      .max(500, { error: 'forms.errors.summaryTooLong' }),
    docNo: z
      .string()
      .trim()
      .max(100, { error: 'forms.errors.docNoTooLong' })
      .optional()
      .transform((v) => (v ? v : null)),
    formKey: z.uuid({ error: 'forms.errors.expired' }),
  })
  .refine(
    (v) =>
      !['internal', 'cross_township', 'secondment', 'entry', 'cross_type'].includes(v.kind) ||
      v.toPostId !== null,
    {
      path: ['toPostId'],
      error: 'movementForm.errors.postRequired',
    },
  )
  .refine((v) => !(v.kind === 'entry' || v.kind === 'exit') || v.subKind !== null, {
    path: ['subKind'],
    error: 'movementForm.errors.subKindRequired',
  })
  .refine(
    (v) =>
      v.subKind === null ||
      (v.kind === 'entry' && (ENTRY_KINDS as readonly string[]).includes(v.subKind)) ||
      (v.kind === 'exit' && (EXIT_KINDS as readonly string[]).includes(v.subKind)),
    { path: ['subKind'], error: 'movementForm.errors.subKindRequired' },
  )
  .refine((v) => !(v.kind === 'entry' || v.kind === 'type_change') || v.toEstablishmentType !== null, {
    path: ['toEstablishmentType'],
    error: 'forms.errors.typeRequired',
  })
  .refine((v) => v.kind !== 'secondment' || v.plannedUntil !== null, {
    path: ['plannedUntil'],
    error: 'movementForm.errors.plannedUntilRequired',
  })
  .refine((v) => v.plannedUntil === null || v.plannedUntil > v.effectiveOn, {
    path: ['plannedUntil'],
    error: 'movementForm.errors.plannedUntilAfter',
  });

export const decisionSchema = z
  .object({
    action: z.enum(['submit', 'withdraw', 'approve', 'return', 'reject'], {
      error: 'decisionForm.errors.actionRequired',
    }),
    comment: text(1000),
    docNo: z
      .string()
      .trim()
      .max(100, { error: 'forms.errors.docNoTooLong' })
      .optional()
      .transform((v) => (v ? v : null)),
    version: z
      .string({ error: 'forms.errors.expired' })
      .regex(/^\d{1,9}$/, { error: 'forms.errors.expired' })
      .transform(Number),
  })
  .refine((v) => !(v.action === 'return' || v.action === 'reject') || v.comment.length > 0, {
    path: ['comment'],
    error: 'decisionForm.errors.reasonRequired',
  });

export const batchDecisionSchema = z
  .object({
    action: z.enum(['submit', 'withdraw', 'approve', 'return', 'reject'], {
      error: 'decisionForm.errors.actionRequired',
    }),
    comment: text(1000),
    docNo: z
      .string()
      .trim()
      .max(100, { error: 'forms.errors.docNoTooLong' })
      .optional()
      .transform((v) => (v ? v : null)),
  })
  .refine((v) => !(v.action === 'return' || v.action === 'reject') || v.comment.length > 0, {
    path: ['comment'],
    error: 'decisionForm.errors.reasonRequired',
  });

export const opinionSchema = z.object({
  givenOn: date('opinionForm.errors.dateRequired'),
  docNo: z
    .string({ error: 'forms.errors.docNoRequired' })
    .trim()
    .min(1, { error: 'forms.errors.docNoRequired' })
    .max(100, { error: 'forms.errors.docNoTooLong' }),
  text: z
    .string({ error: 'opinionForm.errors.textRequired' })
    .trim()
    .min(1, { error: 'opinionForm.errors.textRequired' })
    .max(2000, { error: 'forms.errors.summaryTooLong' }),
});

export const secondmentEndSchema = z.object({ endedOn: date('secondmentEnd.errors.dateRequired') });

export const batchSchema = z.object({
  title: z
    .string({ error: 'batchForm.errors.titleRequired' })
    .trim()
    .min(1, { error: 'batchForm.errors.titleRequired' })
    .max(200, { error: 'forms.errors.summaryTooLong' }),
  docNo: z
    .string({ error: 'forms.errors.docNoRequired' })
    .trim()
    .min(1, { error: 'forms.errors.docNoRequired' })
    .max(100, { error: 'forms.errors.docNoTooLong' }),
  effectiveOn: date('movementForm.errors.effectiveRequired'),
  reason: z
    .string({ error: 'movementForm.errors.reasonRequired' })
    .trim()
    .min(1, { error: 'movementForm.errors.reasonRequired' })
    .max(500, { error: 'forms.errors.summaryTooLong' }),
  formKey: z.uuid({ error: 'forms.errors.expired' }),
});

const isoDate = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined);
const positiveId = (v: unknown) =>
  typeof v === 'string' && /^[1-9]\d{0,9}$/.test(v) ? Number(v) : undefined;

/**
 * The ledger's filters from a query string (page and API alike): kind (one or a comma list), county,
 * township (from or to), effective period `from`–`to`. Anything malformed is ignored, not an error.
 */
export function ledgerQuery(query: Record<string, unknown>) {
  const kinds = (typeof query.kind === 'string' ? query.kind.split(',') : []).filter((k): k is MovementKind =>
    (MOVEMENT_KINDS as readonly string[]).includes(k),
  );
  const county = positiveId(query.county);
  const township = positiveId(query.township);
  const from = isoDate(query.from);
  const to = isoDate(query.to);
  return {
    states: ['approved', 'filed'] as MovementState[],
    ...(kinds.length ? { kinds } : {}),
    ...(county ? { county } : {}),
    ...(township ? { township } : {}),
    ...(from ? { effectiveFrom: from } : {}),
    ...(to ? { effectiveTo: to } : {}),
  };
}
