import { z } from 'zod';
import { parseDateInput } from '../../domain/dateInput.js';

/** One schema per form of the resume area; messages are i18n keys that say what to do. */

const E = (key: string) => `resume.errors.${key}`;
const asText = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : v);

/** A month as cadres type it (`2019.07`, `2019-07`, `201907`): its first day. */
const month = (requiredKey: string | null) =>
  z.preprocess(
    asText,
    z
      .string()
      .trim()
      .superRefine((v, ctx) => {
        if (v === '') {
          if (requiredKey) ctx.addIssue({ code: 'custom', message: E(requiredKey) });
          return;
        }
        const parsed = parseDateInput(v);
        if (parsed?.precision !== 'month') ctx.addIssue({ code: 'custom', message: E('monthInvalid') });
      })
      .transform((v) => (v === '' ? null : (parseDateInput(v)?.iso ?? null))),
  );

/** A free-text resume line (时间段 and 单位及职务 or 学习经历). */
export const resumeLineSchema = z
  .object({
    fromMonth: month('fromRequired'),
    toMonth: month(null),
    text: z.preprocess(
      asText,
      z
        .string()
        .trim()
        .min(1, { error: E('textRequired') })
        .max(200, { error: E('textTooLong') }),
    ),
  })
  .superRefine((v, ctx) => {
    if (v.fromMonth && v.toMonth && v.toMonth < v.fromMonth)
      ctx.addIssue({ code: 'custom', path: ['toMonth'], message: E('toBeforeFrom') });
  })
  .transform((v) => ({ fromMonth: v.fromMonth as string, toMonth: v.toMonth, text: v.text }));

/** Free text of the form, cut to its box's length (a link can't be "refused"). */
const entry = (max: number) =>
  z
    .preprocess(asText, z.string())
    .transform((v) => v.trim().slice(0, max))
    .catch('');

/** The appointment form's per-case entries (query parameters: a promotion case links with them filled). */
export const appointmentCaseSchema = z.object({
  proposedPost: entry(100),
  proposedRemoval: entry(100),
  reason: entry(300),
  reportingUnit: entry(100),
  filledBy: entry(50),
  date: z
    .preprocess(asText, z.string().trim())
    .transform((v) => {
      const parsed = v === '' ? null : parseDateInput(v);
      return parsed ? parsed.iso : null;
    })
    .catch(null),
});

export type AppointmentCase = z.infer<typeof appointmentCaseSchema>;
