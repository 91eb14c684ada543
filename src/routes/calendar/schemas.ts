import { z } from 'zod';
import { isValidDate } from '../../domain/idNumber.js';

/** The administrator's form for one day of the official calendar (messages are i18n keys). */
export const DAY_KINDS = ['holiday', 'workday', 'ordinary'] as const;

const isoDate = (key: string) =>
  z
    .string({ error: key })
    .trim()
    .min(1, { error: key })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'forms.errors.dateInvalid' })
    .refine(isValidDate, { error: 'forms.errors.dateInvalid' });

export const calendarDaySchema = z.object({
  day: isoDate('calendar.errors.day'),
  kind: z.enum(DAY_KINDS, { error: 'calendar.errors.kind' }),
  name: z.string({ error: 'calendar.errors.name' }).trim().max(100, { error: 'calendar.errors.nameTooLong' }),
  docNo: z
    .string({ error: 'calendar.errors.docNo' })
    .trim()
    .min(1, { error: 'calendar.errors.docNo' })
    .max(100, { error: 'calendar.errors.docNoTooLong' }),
  formKey: z.uuid({ error: 'forms.errors.expired' }),
});

/** `?from=YYYY-MM-DD&days=5` of the working-days API (days from -366 to 366). */
export const workingDaysQuery = z.object({
  from: isoDate('calendar.errors.from'),
  days: z
    .string({ error: 'calendar.errors.days' })
    .trim()
    .regex(/^-?\d{1,3}$/, { error: 'calendar.errors.days' })
    .transform(Number)
    .refine((n) => Math.abs(n) <= 366, { error: 'calendar.errors.days' }),
});
