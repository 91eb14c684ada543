import { z } from 'zod';
import { isValidDate } from '../../domain/idNumber.js';
import {
  RANK_POOL_GROUPS,
  RANK_PROMOTION_ACTIONS,
  RECOMMENDATION_METHODS,
} from '../../domain/rankPromotion.js';
import { isConflict, isForbidden } from '../formFlow.js';

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: 'promotions.errors.tooLong' })
    .optional()
    .transform((v) => v ?? '');

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: 'promotions.errors.tooLong' })
    .optional()
    .transform((v) => (v ? v : null));

const optionalDate = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : null))
  .refine((v) => v === null || isValidDate(v), { error: 'forms.errors.dateInvalid' });

/** Planning a rank promotion (拟晋升职级). */
export const rankPromotionSchema = z.object({
  personId: z
    .string({ error: 'promotions.errors.person' })
    .trim()
    .regex(/^[1-9]\d{0,9}$/, { error: 'promotions.errors.person' })
    .transform(Number),
  targetGrade: z
    .string({ error: 'promotions.errors.target' })
    .trim()
    .regex(/^[a-z0-9_]{1,40}$/, { error: 'promotions.errors.target' }),
  reason: text(500),
  docNo: optionalText(100),
  formKey: z.string().min(1),
});

/** One step of a rank promotion. */
export const rankStepSchema = z.object({
  action: z.enum(RANK_PROMOTION_ACTIONS, { error: 'promotions.errors.action' }),
  comment: text(500),
  docNo: optionalText(100),
  method: z
    .enum(RECOMMENDATION_METHODS, { error: 'promotions.errors.method' })
    .optional()
    .or(z.literal('').transform(() => undefined))
    .transform((v) => v ?? null),
  date: optionalDate,
  version: z
    .string({ error: 'promotions.errors.version' })
    .trim()
    .regex(/^\d{1,9}$/, { error: 'promotions.errors.version' })
    .transform(Number),
  formKey: z.string().min(1),
});

/** An approved number for a county's rank group (职级职数核定) from a date, with its 文号. */
export const poolDecisionSchema = z.object({
  group: z.enum(
    RANK_POOL_GROUPS.map((g) => g.code),
    { error: 'promotions.quota.errors.group' },
  ),
  approvedCount: z
    .string({ error: 'forms.errors.countInvalid' })
    .trim()
    .regex(/^\d{1,6}$/, { error: 'forms.errors.countInvalid' })
    .transform(Number)
    .refine((n) => n <= 100000, { error: 'forms.errors.countInvalid' }),
  effectiveFrom: z
    .string({ error: 'forms.errors.effectiveRequired' })
    .trim()
    .min(1, { error: 'forms.errors.effectiveRequired' })
    .refine((v) => isValidDate(v), { error: 'forms.errors.dateInvalid' }),
  docNo: z
    .string({ error: 'forms.errors.docNoRequired' })
    .trim()
    .min(1, { error: 'forms.errors.docNoRequired' })
    .max(100, { error: 'promotions.errors.tooLong' }),
  changeSummary: text(500),
  correctsId: z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || /^[1-9]\d{0,9}$/.test(v), { error: 'forms.errors.choose' })
    .transform((v) => (v ? Number(v) : null)),
  formKey: z.string().min(1),
});

const CONFLICTS = new Set([
  'rank_quota_full',
  'rank_promotion_open',
  'wrong_state',
  'publicity_running',
  'rank_effective_conflict',
  'rank_not_next',
  'rank_quota_no_pool',
  'person_without_township',
]);

/** Refusal messages of this area: `promotions.refusals.<code>`, and their status. */
export const refusalKey = (code: string) => `promotions.refusals.${code}`;
export const promotionRefusalStatus = (code: string, otherwise: number) =>
  isForbidden(code) ? 403 : isConflict(code) || CONFLICTS.has(code) ? 409 : otherwise;
