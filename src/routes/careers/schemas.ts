import { z } from 'zod';
import { EDUCATION_LEVELS } from '../../domain/eligibility/index.js';
import { isValidDate } from '../../domain/idNumber.js';

/** The admin's rule forms (messages are i18n keys: what to do, never "invalid"). */

const requiredId = (key: string) =>
  z
    .string({ error: key })
    .trim()
    .regex(/^[1-9]\d{0,9}$/, { error: key })
    .transform(Number);

const code = (key: string) =>
  z
    .string({ error: key })
    .trim()
    .regex(/^[a-z0-9_]{1,40}$/, { error: key });

const months = (requiredKey: string, invalidKey: string, max: number) =>
  z
    .string({ error: requiredKey })
    .trim()
    .min(1, { error: requiredKey })
    .regex(/^\d{1,3}$/, { error: invalidKey })
    .transform(Number)
    .refine((n) => n <= max, { error: invalidKey });

const effectiveFrom = z
  .string({ error: 'rulesAdmin.errors.effectiveRequired' })
  .trim()
  .min(1, { error: 'rulesAdmin.errors.effectiveRequired' })
  .refine(isValidDate, { error: 'forms.errors.dateInvalid' });

const source = z
  .string({ error: 'rulesAdmin.errors.sourceRequired' })
  .trim()
  .min(1, { error: 'rulesAdmin.errors.sourceRequired' })
  .max(200, { error: 'rulesAdmin.errors.sourceTooLong' });

const formKey = z.uuid({ error: 'forms.errors.expired' });

/** One value or several (repeated checkboxes): always a list of codes. */
const codes = (key: string) =>
  z
    .union([z.string(), z.array(z.string())], { error: key })
    .optional()
    .transform((v) =>
      (v === undefined ? [] : Array.isArray(v) ? v : [v]).map((c) => c.trim()).filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^[a-z0-9_]{1,40}$/, { error: key })).min(1, { error: key }))
    .transform((list) => [...new Set(list)]);

const MIN_EDUCATIONS = EDUCATION_LEVELS.filter((l) => l !== 'below');

export const promotionRuleSchema = z.object({
  countyId: requiredId('rulesAdmin.errors.countyRequired'),
  target: code('rulesAdmin.errors.targetRequired'),
  minMonths: months('rulesAdmin.errors.monthsRequired', 'rulesAdmin.errors.monthsInvalid', 240),
  countedGrades: codes('rulesAdmin.errors.countedRequired'),
  minEducation: z
    .enum(['', ...MIN_EDUCATIONS], { error: 'rulesAdmin.errors.educationInvalid' })
    .optional()
    .transform((v) => (v ? (v as (typeof MIN_EDUCATIONS)[number]) : null)),
  educationBlocks: z
    .enum(['blocks', 'warns'], { error: 'rulesAdmin.errors.educationEffectRequired' })
    .transform((v) => v === 'blocks'),
  partyMemberRequired: z
    .union([z.literal('1'), z.literal('on'), z.literal('true')])
    .optional()
    .transform((v) => v !== undefined),
  effectiveFrom,
  source,
  formKey,
});

export const sanctionPeriodSchema = z.object({
  countyId: requiredId('rulesAdmin.errors.countyRequired'),
  kindCode: code('rulesAdmin.errors.kindRequired'),
  impactMonths: months('rulesAdmin.errors.impactRequired', 'rulesAdmin.errors.impactInvalid', 120),
  effectiveFrom,
  source,
  formKey,
});
