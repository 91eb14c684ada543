import { z } from 'zod';
import { isValidDate } from '../../domain/idNumber.js';
import { CASE_ACTIONS, CASE_STATES } from '../../domain/promotionCase.js';

/** Forms of the selection cases (messages are i18n keys that say what to do). */

const id = (key: string) =>
  z
    .union([z.string(), z.number()], { error: key })
    .transform(String)
    .pipe(
      z
        .string()
        .trim()
        .regex(/^[1-9]\d{0,9}$/, { error: key })
        .transform(Number),
    );

const optionalWhole = (key: string, max = 10000) =>
  z
    .union([z.string(), z.number()])
    .optional()
    .transform((v) => (v === undefined || v === '' ? undefined : String(v).trim()))
    .refine((v) => v === undefined || /^\d{1,5}$/.test(v), { error: key })
    .transform((v) => (v === undefined ? undefined : Number(v)))
    .refine((v) => v === undefined || v <= max, { error: key });

const optionalDate = (key: string) =>
  z
    .string({ error: key })
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || (/^\d{4}-\d{2}-\d{2}$/.test(v) && isValidDate(v)), {
      error: 'forms.errors.dateInvalid',
    });

const text = (max: number, key: string) =>
  z
    .string({ error: key })
    .trim()
    .max(max, { error: key })
    .optional()
    .transform((v) => v ?? '');

const docNo = z
  .string({ error: 'promotionCases.errors.docNo' })
  .trim()
  .max(100, { error: 'promotionCases.errors.docNo' })
  .optional()
  .transform((v) => (v ? v : null));

export const openCaseSchema = z.object({
  postId: id('promotionCases.errors.postId'),
  reason: z
    .string({ error: 'promotionCases.errors.reason' })
    .trim()
    .min(1, { error: 'promotionCases.errors.reason' })
    .max(1000, { error: 'promotionCases.errors.reasonTooLong' }),
  proposedRemoval: text(200, 'promotionCases.errors.proposedRemoval'),
  comment: text(2000, 'promotionCases.errors.comment'),
  docNo,
  formKey: z.uuid({ error: 'forms.errors.expired' }),
});

const nominee = z.object({
  personId: id('promotionCases.errors.nominees'),
  votes: z
    .union([z.string(), z.number()])
    .transform(String)
    .pipe(
      z
        .string()
        .trim()
        .regex(/^\d{1,5}$/, { error: 'promotionCases.errors.votes' })
        .transform(Number),
    ),
});

export const stepSchema = z.object({
  action: z.enum(CASE_ACTIONS, { error: 'promotionCases.errors.action' }),
  version: id('promotionCases.errors.version'),
  comment: text(2000, 'promotionCases.errors.comment'),
  docNo,
  /** One document title per line (考察材料, 会议纪要 …). */
  attachments: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) =>
      (Array.isArray(v) ? v : (v ?? '').split(/\r?\n/)).map((s) => s.trim()).filter((s) => s.length > 0),
    )
    .refine((list) => list.length <= 20 && list.every((s) => s.length <= 200), {
      error: 'promotionCases.errors.attachments',
    }),
  on: optionalDate('promotionCases.errors.on').transform((v) => v ?? null),
  nominees: z.array(nominee, { error: 'promotionCases.errors.nominees' }).max(200).optional(),
  participants: optionalWhole('promotionCases.errors.participants'),
  candidateIds: z
    .union([z.string(), z.array(z.union([z.string(), z.number()]))])
    .optional()
    .transform((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v.map(String) : [v]))
    .refine((list) => list.every((s) => /^[1-9]\d{0,9}$/.test(s)), {
      error: 'promotionCases.errors.candidateIds',
    })
    .transform((list) => list.map(Number)),
  members: optionalWhole('promotionCases.errors.members', 200),
  present: optionalWhole('promotionCases.errors.present', 200),
  inFavour: optionalWhole('promotionCases.errors.inFavour', 200),
  appointeeId: z
    .union([z.string(), z.number()])
    .optional()
    .transform((v) => (v === undefined || v === '' ? undefined : String(v)))
    .refine((v) => v === undefined || /^[1-9]\d{0,9}$/.test(v), {
      error: 'promotionCases.errors.appointeeId',
    })
    .transform((v) => (v === undefined ? undefined : Number(v))),
  startOn: optionalDate('promotionCases.errors.startOn'),
  outcome: z
    .enum(['cleared', 'upheld'], { error: 'promotionCases.errors.outcome' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  opinionText: text(2000, 'promotionCases.errors.opinionText'),
  formKey: z.uuid({ error: 'forms.errors.expired' }),
});

export const caseFilterSchema = z.object({
  state: z
    .union([z.enum(CASE_STATES), z.literal(''), z.literal('open')])
    .optional()
    .transform((v) => v || undefined),
  township: z
    .string()
    .optional()
    .transform((v) => (v && /^[1-9]\d{0,9}$/.test(v) ? Number(v) : null)),
});

/** Form bodies carry the votes as `votes_<personId>` inputs: gathered into `nominees`. */
export function gatherNominees(body: Record<string, unknown>): Record<string, unknown> {
  if (Array.isArray(body.nominees)) return body;
  const nominees = Object.entries(body)
    .filter(([k, v]) => /^votes_[1-9]\d{0,9}$/.test(k) && typeof v === 'string' && v.trim() !== '')
    .map(([k, v]) => ({ personId: k.slice(6), votes: v as string }));
  return nominees.length ? { ...body, nominees } : body;
}
