import { z } from 'zod';
import { FILING_ONLY_CHOICES } from '../../services/admin/countySettingsService.js';

/** The county settings form (messages are i18n keys: say what to do, never just "invalid"). */

const whole = (key: string, min: number, max: number) =>
  z
    .string({ error: key })
    .trim()
    .regex(/^\d{1,3}$/, { error: key })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { error: key });

/** "4, 8" or "4、8" → [4, 8]: up to three staff counts, each 1–99, rising; empty means no deputies by count. */
const thresholds = z
  .string({ error: 'countySettings.errors.thresholds' })
  .trim()
  .transform((s) => (s === '' ? [] : s.split(/\s*[,，、\s]\s*/)))
  .pipe(z.array(z.string().regex(/^\d{1,2}$/, { error: 'countySettings.errors.thresholds' })))
  .transform((list) => list.map(Number))
  .refine((list) => list.length <= 3 && list.every((n, i) => n >= 1 && (i === 0 || n > (list[i - 1] ?? 0))), {
    error: 'countySettings.errors.thresholds',
  });

const kinds = z
  .union([z.string(), z.array(z.string())], { error: 'countySettings.errors.filingKinds' })
  .optional()
  .transform((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]))
  .pipe(z.array(z.enum(FILING_ONLY_CHOICES, { error: 'countySettings.errors.filingKinds' })))
  .transform((list) => FILING_ONLY_CHOICES.filter((k) => list.includes(k)) as string[]);

export const countySettingsSchema = z.object({
  countyId: z
    .string({ error: 'countySettings.errors.county' })
    .regex(/^[1-9]\d{0,9}$/, { error: 'countySettings.errors.county' })
    .transform(Number),
  unitLimit: whole('countySettings.errors.unitLimit', 1, 50),
  featuredUnitLimit: whole('countySettings.errors.featuredUnitLimit', 0, 5),
  unitDeputyThresholds: thresholds,
  filingOnlyKinds: kinds,
  quotaApprovalMonths: whole('countySettings.errors.quotaApprovalMonths', 1, 36),
  secondmentMaxMonths: whole('countySettings.errors.secondmentMaxMonths', 1, 60),
  source: z
    .string({ error: 'countySettings.errors.source' })
    .trim()
    .min(1, { error: 'countySettings.errors.source' })
    .max(200, { error: 'countySettings.errors.sourceTooLong' }),
  formKey: z.uuid({ error: 'forms.errors.expired' }),
});
