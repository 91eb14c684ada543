import { z } from 'zod';
import { isValidDate } from '../../domain/idNumber.js';
import { ESTABLISHMENT_TYPES } from '../../domain/quota.js';

const date = (requiredKey: string, invalidKey = 'forms.errors.dateInvalid') =>
  z
    .string({ error: requiredKey })
    .trim()
    .min(1, { error: requiredKey })
    .refine(isValidDate, { error: invalidKey });

const optionalDate = (invalidKey = 'forms.errors.dateInvalid') =>
  z
    .string({ error: invalidKey })
    .trim()
    .optional()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || isValidDate(v), { error: invalidKey });

const docNo = z
  .string({ error: 'forms.errors.docNoRequired' })
  .trim()
  .min(1, { error: 'forms.errors.docNoRequired' })
  .max(100, { error: 'forms.errors.docNoTooLong' });

const optionalDocNo = z
  .string({ error: 'forms.errors.docNoTooLong' })
  .trim()
  .max(100, { error: 'forms.errors.docNoTooLong' })
  .optional()
  .transform((v) => (v ? v : null));

const summary = z
  .string({ error: 'forms.errors.summaryTooLong' })
  .trim()
  .max(500, { error: 'forms.errors.summaryTooLong' })
  .optional()
  .transform((v) => v ?? '');

const count = (requiredKey: string, max: number) =>
  z
    .string({ error: requiredKey })
    .trim()
    .min(1, { error: requiredKey })
    .regex(/^\d{1,6}$/, { error: 'forms.errors.countInvalid' })
    .transform(Number)
    .refine((n) => n <= max, { error: 'forms.errors.countTooLarge' });

const optionalId = z
  .string({ error: 'forms.errors.choose' })
  .trim()
  .optional()
  .transform((v) => (v ? v : null))
  .refine((v) => v === null || /^[1-9]\d{0,9}$/.test(v), { error: 'forms.errors.choose' })
  .transform((v) => (v === null ? null : Number(v)));

const requiredId = (key: string) =>
  z
    .string({ error: key })
    .trim()
    .regex(/^[1-9]\d{0,9}$/, { error: key })
    .transform(Number);

const formKey = z.uuid({ error: 'forms.errors.expired' });

const checkbox = z
  .union([z.literal('1'), z.literal('on'), z.literal('true')])
  .optional()
  .transform((v) => v !== undefined);

const establishmentType = z.enum(ESTABLISHMENT_TYPES, { error: 'forms.errors.typeRequired' });

export const quotaDecisionSchema = z.object({
  holderId: requiredId('quotaForm.errors.holderRequired'),
  establishmentType,
  approvedCount: count('quotaForm.errors.countRequired', 100000),
  effectiveFrom: date('forms.errors.effectiveRequired'),
  docNo,
  changeSummary: summary,
  correctsId: optionalId,
  formKey,
});

export const slotDecisionSchema = z
  .object({
    kind: z
      .string({ error: 'slotForm.errors.kindRequired' })
      .trim()
      .min(1, { error: 'slotForm.errors.kindRequired' }),
    slotCount: count('slotForm.errors.countRequired', 50),
    rank: z.enum(['section_chief', 'deputy_section', 'stock'], { error: 'slotForm.errors.rankRequired' }),
    counted: checkbox,
    concurrentOnly: checkbox,
    temporary: checkbox,
    writeOffOn: optionalDate(),
    effectiveFrom: date('forms.errors.effectiveRequired'),
    docNo,
    changeSummary: summary,
    correctsId: optionalId,
    formKey,
  })
  .refine((v) => !v.temporary || v.writeOffOn !== null, {
    path: ['writeOffOn'],
    error: 'slotForm.errors.writeOffRequired',
  })
  .refine((v) => v.writeOffOn === null || v.writeOffOn > v.effectiveFrom, {
    path: ['writeOffOn'],
    error: 'slotForm.errors.writeOffAfter',
  })
  .refine((v) => !(v.concurrentOnly && v.counted), {
    path: ['counted'],
    error: 'slotForm.errors.concurrentCounted',
  });

export const totalDecisionSchema = z.object({
  total: count('totalForm.errors.totalRequired', 50),
  effectiveFrom: date('forms.errors.effectiveRequired'),
  docNo,
  changeSummary: summary,
  correctsId: optionalId,
  formKey,
});

const unitName = z
  .string({ error: 'unitForm.errors.nameRequired' })
  .trim()
  .min(1, { error: 'unitForm.errors.nameRequired' })
  .max(100, { error: 'unitForm.errors.nameTooLong' });

/** 挂牌 names, one per line or separated by 、，, */
const aliasNames = z
  .string({ error: 'unitForm.errors.aliasesInvalid' })
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(/[\n、,，;；]+/)
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .refine((list) => list.length <= 10 && list.every((s) => s.length <= 50), {
    error: 'unitForm.errors.aliasesInvalid',
  });

const unitRank = z.enum(['section_chief', 'deputy_section', 'stock', 'none'], {
  error: 'unitForm.errors.rankRequired',
});

export const establishUnitSchema = z.object({
  kind: z.enum(['office', 'station', 'dispatched'], { error: 'unitForm.errors.kindRequired' }),
  name: unitName,
  aliasNames,
  rank: unitRank,
  featured: checkbox,
  departmentId: optionalId,
  effectiveOn: date('forms.errors.effectiveRequired'),
  docNo,
  summary,
  formKey,
});

export const changeUnitSchema = z
  .object({
    change: z.enum(['rename', 'change_rank', 'set_aliases', 'set_featured'], {
      error: 'unitForm.errors.changeRequired',
    }),
    name: z.string().trim().max(100, { error: 'unitForm.errors.nameTooLong' }).optional(),
    rank: unitRank.optional(),
    aliasNames,
    featured: checkbox,
    effectiveOn: date('forms.errors.effectiveRequired'),
    docNo,
    summary,
    formKey,
  })
  .refine((v) => v.change !== 'rename' || (v.name ?? '').length > 0, {
    path: ['name'],
    error: 'unitForm.errors.nameRequired',
  })
  .refine((v) => v.change !== 'change_rank' || v.rank !== undefined, {
    path: ['rank'],
    error: 'unitForm.errors.rankRequired',
  });

export const abolishUnitSchema = z.object({
  effectiveOn: date('forms.errors.effectiveRequired'),
  docNo,
  summary,
  formKey,
});

export const reorganiseSchema = z.object({
  kind: z.enum(['merge', 'split'], { error: 'reorganiseForm.errors.kindRequired' }),
  effectiveOn: date('forms.errors.effectiveRequired'),
  docNo,
  summary,
  formKey,
});

const postName = z
  .string({ error: 'postForm.errors.nameRequired' })
  .trim()
  .min(1, { error: 'postForm.errors.nameRequired' })
  .max(100, { error: 'postForm.errors.nameTooLong' });

const types = z
  .union([establishmentType, z.array(establishmentType)], { error: 'postForm.errors.typesRequired' })
  .transform((v) => [...new Set(Array.isArray(v) ? v : [v])]);

const optionalCode = z
  .string()
  .trim()
  .max(40)
  .optional()
  .transform((v) => (v ? v : null));

export const postFieldsSchema = z.object({
  name: postName,
  category: z.enum(['leadership', 'civil_service', 'management', 'professional', 'skilled'], {
    error: 'postForm.errors.categoryRequired',
  }),
  leadershipKind: optionalCode,
  establishmentTypes: types,
  gradeLow: optionalCode,
  gradeHigh: optionalCode,
});

export const createPostSchema = postFieldsSchema.extend({
  unitId: optionalId,
  openedOn: date('postForm.errors.openedRequired'),
  docNo: optionalDocNo,
  formKey,
});

export const closePostSchema = z.object({
  closedOn: date('postForm.errors.closedRequired'),
  docNo: optionalDocNo,
});

export const placementSchema = z.object({
  personId: requiredId('placementForm.errors.personRequired'),
  validFrom: date('placementForm.errors.fromRequired'),
  docNo,
  reason: z
    .string({ error: 'placementForm.errors.reasonRequired' })
    .trim()
    .min(1, { error: 'placementForm.errors.reasonRequired' })
    .max(200, { error: 'forms.errors.summaryTooLong' }),
  establishmentType: z
    .union([establishmentType, z.literal('')])
    .optional()
    .transform((v) => (v ? v : null)),
  formKey,
});

export const asOfSchema = z.object({
  asOf: z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || isValidDate(v), { error: 'forms.errors.dateInvalid' }),
});
