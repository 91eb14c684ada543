import { z } from 'zod';
import type { HISTORY_KINDS } from '../../db/repositories/personHistory.js';
import { parseDateInput } from '../../domain/dateInput.js';
import { parseIdNumber } from '../../domain/idNumber.js';
import { ALL_RESULTS, checkIdAgreement } from '../../domain/personRecord.js';
import { ESTABLISHMENT_TYPES } from '../../domain/quota.js';

/**
 * One schema per form, shared by the pages and the JSON API (which sends the same field names). Messages
 * are i18n keys that say what to do. Form values are strings; JSON may send numbers, booleans and nulls,
 * which are read the same way.
 */

const E = (key: string) => `people.errors.${key}`;

/** Cross-field checks run even when a field has its own problem, so the form shows every problem at once. */
const always = { when: () => true };

export const POLITICAL_STATUSES = [
  'cpc_member',
  'cpc_probationary',
  'youth_league',
  'democratic_party',
  'non_party',
  'masses',
] as const;
export const PARTY_STATUSES: readonly string[] = ['cpc_member', 'cpc_probationary'];
export const RELATIONS = [
  'spouse',
  'father',
  'mother',
  'son',
  'daughter',
  'elder_brother',
  'younger_brother',
  'elder_sister',
  'younger_sister',
  'father_in_law',
  'mother_in_law',
  'son_in_law',
  'daughter_in_law',
  'grandfather',
  'grandmother',
  'grandson',
  'granddaughter',
  'other',
] as const;
export const EDUCATION_LEVELS = [
  'doctorate',
  'master',
  'bachelor',
  'college',
  'secondary_vocational',
  'high_school',
  'below',
] as const;
export const EDUCATION_MODES = ['full_time', 'in_service'] as const;
export const DEGREES = ['doctor', 'master', 'bachelor'] as const;
export const PERSON_STATUSES = [
  'active',
  'retired',
  'transferred_out',
  'resigned',
  'dismissed',
  'deceased',
] as const;
export const GENDERS = ['male', 'female'] as const;
export const ASSIGNMENT_KINDS = ['primary', 'concurrent', 'secondment'] as const;

/** Strings as typed (numbers from JSON as their text; null and absent as empty). */
const asText = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : v);

const text = (max: number, tooLong: string) =>
  z.preprocess(
    asText,
    z
      .string({ error: E(tooLong) })
      .trim()
      .max(max, { error: E(tooLong) }),
  );

const requiredText = (max: number, required: string, tooLong: string) =>
  z.preprocess(
    asText,
    z
      .string({ error: E(required) })
      .trim()
      .min(1, { error: E(required) })
      .max(max, { error: E(tooLong) }),
  );

const optionalText = (max: number, tooLong: string) =>
  text(max, tooLong).transform((v) => (v === '' ? null : v));

const isoOf = (v: string) => (parseDateInput(v) as { iso: string }).iso;

/** A month or a day (`2019.07`, `2019-07-15`); empty gives null. */
const dateValue = (invalidKey: string) =>
  z.preprocess(
    asText,
    z
      .string({ error: E(invalidKey) })
      .trim()
      .refine((v) => v === '' || parseDateInput(v) !== null, { error: E(invalidKey) })
      .transform((v) => (v === '' ? null : isoOf(v))),
  );

const requiredDate = (requiredKey: string, invalidKey: string) =>
  z.preprocess(
    asText,
    z
      .string({ error: E(requiredKey) })
      .trim()
      .min(1, { error: E(requiredKey) })
      .refine((v) => parseDateInput(v) !== null, { error: E(invalidKey) })
      .transform(isoOf),
  );

const choice = <T extends readonly [string, ...string[]]>(values: T, key: string) =>
  z.preprocess(asText, z.enum(values, { error: E(key) }));

const optionalChoice = <T extends readonly [string, ...string[]]>(values: T, key: string) =>
  z.preprocess(
    asText,
    z
      .union([z.literal(''), z.enum(values)], { error: E(key) })
      .transform((v) => (v === '' ? null : (v as T[number]))),
  );

const positiveId = (key: string) =>
  z.preprocess(
    asText,
    z
      .string({ error: E(key) })
      .regex(/^[1-9]\d{0,9}$/, { error: E(key) })
      .transform(Number),
  );

const flag = z.preprocess((v) => v === true || v === 'yes' || v === 'true' || v === 'on', z.boolean());

const docNo = optionalText(100, 'docNoTooLong');
const reason = text(500, 'reasonTooLong');

const ID_PROBLEM_KEYS = {
  length: 'idNumberLength',
  characters: 'idNumberCharacters',
  birth_date: 'idNumberBirthDate',
  check_digit: 'idNumberCheckDigit',
} as const;

/** The appointment-form fields (干部任免审批表): create and edit, pages and API. */
export const personSchema = (today: string) =>
  z
    .object({
      name: requiredText(50, 'nameRequired', 'nameTooLong'),
      idNumber: z.preprocess(
        asText,
        z
          .string({ error: E('idNumberRequired') })
          .trim()
          .min(1, { error: E('idNumberRequired') })
          .superRefine((v, ctx) => {
            const parsed = parseIdNumber(v, today);
            if (!parsed.ok) ctx.addIssue({ code: 'custom', message: E(ID_PROBLEM_KEYS[parsed.problem]) });
          })
          .transform((v) => v.toUpperCase()),
      ),
      gender: choice(GENDERS, 'genderRequired'),
      birthDate: z.preprocess(
        asText,
        z
          .string({ error: E('birthRequired') })
          .trim()
          .min(1, { error: E('birthRequired') })
          .refine((v) => parseDateInput(v) !== null, { error: E('birthInvalid') }),
      ),
      ethnicity: requiredText(20, 'ethnicityRequired', 'ethnicityTooLong'),
      nativePlace: text(50, 'placeTooLong'),
      birthPlace: text(50, 'placeTooLong'),
      politicalStatus: choice(POLITICAL_STATUSES, 'politicalStatusRequired'),
      partyJoinedOn: dateValue('monthInvalid'),
      workStartedOn: dateValue('monthInvalid'),
      health: text(50, 'healthTooLong'),
      professionalTitle: text(50, 'titleTooLong'),
      expertise: text(200, 'expertiseTooLong'),
    })
    .superRefine((v, ctx) => {
      // Cross-field checks run on what parsed; a field with its own problem keeps that message.
      const id = typeof v.idNumber === 'string' ? parseIdNumber(v.idNumber, today) : null;
      const birth = typeof v.birthDate === 'string' ? parseDateInput(v.birthDate) : null;
      const gender = v.gender === 'male' || v.gender === 'female' ? v.gender : null;
      if (id?.ok) {
        for (const p of checkIdAgreement(id.value, birth, gender))
          ctx.addIssue({ code: 'custom', path: [p.field], message: E(p.key) });
      }
      if (birth && birth.iso > today)
        ctx.addIssue({ code: 'custom', path: ['birthDate'], message: E('birthFuture') });
      const party = typeof v.partyJoinedOn === 'string' ? v.partyJoinedOn : null;
      if (party && !PARTY_STATUSES.includes(String(v.politicalStatus)))
        ctx.addIssue({ code: 'custom', path: ['partyJoinedOn'], message: E('partyJoinedNotMember') });
      const work = typeof v.workStartedOn === 'string' ? v.workStartedOn : null;
      const birthIso = id?.ok ? id.value.birthDate : birth?.iso;
      if (work && birthIso && work.slice(0, 7) <= birthIso.slice(0, 7))
        ctx.addIssue({ code: 'custom', path: ['workStartedOn'], message: E('workBeforeBirth') });
      if (party && birthIso && party.slice(0, 7) <= birthIso.slice(0, 7))
        ctx.addIssue({ code: 'custom', path: ['partyJoinedOn'], message: E('partyBeforeBirth') });
      for (const [field, value] of [
        ['workStartedOn', work],
        ['partyJoinedOn', party],
      ] as const)
        if (value && value > today)
          ctx.addIssue({ code: 'custom', path: [field], message: E('monthFuture') });
    }, always)
    .transform((v) => {
      const id = parseIdNumber(v.idNumber, today);
      const birth = parseDateInput(v.birthDate);
      return {
        ...v,
        // The ID number is the authority for the full birth date; the form's month agreed with it.
        birthDate: id.ok ? id.value.birthDate : (birth?.iso as string),
        birthPrecision: birth?.precision ?? ('month' as const),
      };
    });

function addYears(iso: string, years: number): string {
  return `${Number(iso.slice(0, 4)) + years}${iso.slice(4)}`;
}

/** The create form adds the township and, optionally, the first primary post with its quota slot. */
export const createPersonSchema = (today: string) =>
  z
    .object({
      townshipId: positiveId('townshipRequired'),
      postId: z.preprocess(asText, z.string()).transform((v) => v.trim()),
      establishmentType: z.preprocess(asText, z.string()).transform((v) => v.trim()),
      validFrom: z.preprocess(asText, z.string()).transform((v) => v.trim()),
      reason,
      docNo,
      formToken: z
        .preprocess(asText, z.string())
        .transform((v) => (/^[A-Za-z0-9_-]{8,64}$/.test(v) ? v : null)),
    })
    .superRefine((v, ctx) => {
      if (typeof v.postId !== 'string' || v.postId === '') return;
      if (typeof v.validFrom !== 'string' || typeof v.establishmentType !== 'string') return;
      if (!/^[1-9]\d{0,9}$/.test(v.postId))
        ctx.addIssue({ code: 'custom', path: ['postId'], message: E('postRequired') });
      if (!(ESTABLISHMENT_TYPES as readonly string[]).includes(v.establishmentType))
        ctx.addIssue({
          code: 'custom',
          path: ['establishmentType'],
          message: E('establishmentTypeRequired'),
        });
      const from = parseDateInput(v.validFrom);
      if (v.validFrom === '')
        ctx.addIssue({ code: 'custom', path: ['validFrom'], message: E('validFromRequired') });
      else if (!from) ctx.addIssue({ code: 'custom', path: ['validFrom'], message: E('dateInvalid') });
      else if (from.iso > addYears(today, 1))
        ctx.addIssue({ code: 'custom', path: ['validFrom'], message: E('tooFarAhead') });
    }, always)
    .transform((v) => ({
      townshipId: v.townshipId,
      formToken: v.formToken,
      first:
        v.postId === ''
          ? null
          : {
              postId: Number(v.postId),
              establishmentType: v.establishmentType as (typeof ESTABLISHMENT_TYPES)[number],
              validFrom: isoOf(v.validFrom),
              reason: v.reason,
              docNo: v.docNo,
            },
    }));

export const educationSchema = z
  .object({
    mode: choice(EDUCATION_MODES, 'educationModeRequired'),
    level: choice(EDUCATION_LEVELS, 'educationLevelRequired'),
    degree: optionalChoice(DEGREES, 'degreeInvalid'),
    school: text(100, 'schoolTooLong'),
    major: text(100, 'majorTooLong'),
    startedOn: dateValue('monthInvalid'),
    graduatedOn: dateValue('monthInvalid'),
  })
  .superRefine((v, ctx) => {
    if (typeof v.startedOn === 'string' && typeof v.graduatedOn === 'string' && v.graduatedOn <= v.startedOn)
      ctx.addIssue({ code: 'custom', path: ['graduatedOn'], message: E('graduatedBeforeStart') });
  }, always);

export const familySchema = (today: string) =>
  z
    .object({
      relation: choice(RELATIONS, 'relationRequired'),
      name: requiredText(50, 'familyNameRequired', 'nameTooLong'),
      birthDate: dateValue('monthInvalid'),
      politicalStatus: optionalChoice(POLITICAL_STATUSES, 'politicalStatusInvalid'),
      workUnitAndPost: text(200, 'workUnitTooLong'),
      emigrated: flag,
    })
    .superRefine((v, ctx) => {
      if (typeof v.birthDate === 'string' && v.birthDate > today)
        ctx.addIssue({ code: 'custom', path: ['birthDate'], message: E('birthFuture') });
    }, always);

export type HistoryKindParam = (typeof HISTORY_KINDS)[number];

/** The end of a half-open period comes after its start (checked with the other fields' problems). */
function checkPeriodOf(v: { validFrom?: unknown; validTo?: unknown }, ctx: z.RefinementCtx) {
  if (typeof v.validFrom === 'string' && typeof v.validTo === 'string' && v.validTo <= v.validFrom)
    ctx.addIssue({ code: 'custom', path: ['validTo'], message: E('endBeforeStart') });
}

const historyBase = {
  validFrom: requiredDate('validFromRequired', 'dateInvalid'),
  validTo: dateValue('dateInvalid'),
  reason,
  docNo,
  closePrevious: flag,
};

const assignmentEntrySchema = z
  .object({
    assignmentKind: choice(ASSIGNMENT_KINDS, 'assignmentKindRequired'),
    postId: positiveId('postRequired'),
    plannedUntil: dateValue('dateInvalid'),
    ...historyBase,
  })
  .superRefine((v, ctx) => {
    checkPeriodOf(v, ctx);
    if (v.assignmentKind === 'secondment' && !v.plannedUntil)
      ctx.addIssue({ code: 'custom', path: ['plannedUntil'], message: E('plannedRequired') });
  }, always)
  .transform(({ assignmentKind, postId, plannedUntil, ...base }) => ({
    ...base,
    values: { kind: 'assignments' as const, assignmentKind, postId, plannedUntil },
  }));

const gradeEntrySchema = z
  .object({
    gradeCode: z.preprocess(asText, z.string().regex(/^[a-z0-9_]{1,40}$/, { error: E('gradeRequired') })),
    legacyTitle: optionalText(50, 'legacyTitleTooLong'),
    probationUntil: dateValue('dateInvalid'),
    ...historyBase,
  })
  .superRefine(checkPeriodOf, always)
  .transform(({ gradeCode, legacyTitle, probationUntil, ...base }) => ({
    ...base,
    values: { kind: 'grades' as const, gradeCode, legacyTitle, probationUntil },
  }));

const slotEntrySchema = z
  .object({ accountId: positiveId('accountRequired'), ...historyBase })
  .superRefine(checkPeriodOf, always)
  .transform(({ accountId, ...base }) => ({ ...base, values: { kind: 'slots' as const, accountId } }));

const statusEntrySchema = z
  .object({ status: choice(PERSON_STATUSES, 'statusRequired'), ...historyBase })
  .superRefine(checkPeriodOf, always)
  .transform(({ status, ...base }) => ({ ...base, values: { kind: 'statuses' as const, status } }));

/** The add and correct forms of each kind of history entry. */
export const entrySchemas = {
  assignments: assignmentEntrySchema,
  grades: gradeEntrySchema,
  slots: slotEntrySchema,
  statuses: statusEntrySchema,
} as const;

export const closeSchema = z.object({ validTo: requiredDate('validToRequired', 'dateInvalid') });

export const assessmentSchema = (today: string) =>
  z.object({
    year: z.preprocess(
      asText,
      z
        .string({ error: E('yearRequired') })
        .trim()
        .min(1, { error: E('yearRequired') })
        .regex(/^\d{4}$/, { error: E('yearInvalid') })
        .transform(Number)
        .refine((y) => y >= 1950 && y <= Number(today.slice(0, 4)), { error: E('yearInvalid') }),
    ),
    result: choice(ALL_RESULTS, 'resultRequired'),
    docNo,
  });

/** The year of the bulk page (query string or form); anything else falls back to the default. */
export function yearOf(value: unknown, today: string): number | null {
  if (typeof value !== 'string' || !/^\d{4}$/.test(value)) return null;
  const y = Number(value);
  return y >= 1950 && y <= Number(today.slice(0, 4)) ? y : null;
}

export const sanctionSchema = z
  .object({
    kindCode: z.preprocess(
      asText,
      z.string().regex(/^[a-z0-9_]{1,40}$/, { error: E('sanctionKindRequired') }),
    ),
    decidedOn: requiredDate('decidedOnRequired', 'dateInvalid'),
    closedOn: dateValue('dateInvalid'),
    reason,
    docNo,
  })
  .superRefine((v, ctx) => {
    if (typeof v.closedOn === 'string' && typeof v.decidedOn === 'string' && v.closedOn < v.decidedOn)
      ctx.addIssue({ code: 'custom', path: ['closedOn'], message: E('closedBeforeDecided') });
  }, always);

export const closeSanctionSchema = z.object({ closedOn: requiredDate('closedOnRequired', 'dateInvalid') });

/** The search form and the API list: `?q=&township=&order=strokes|pinyin&page=&pageSize=`. */
export const searchSchema = z.object({
  q: z.preprocess(asText, z.string().catch('')).transform((v) => v.trim().slice(0, 50)),
  township: z
    .preprocess(asText, z.string().catch(''))
    .transform((v) => (/^[1-9]\d{0,9}$/.test(v) ? Number(v) : null)),
  order: z
    .preprocess(asText, z.string().catch(''))
    .transform((v) => (v === 'pinyin' ? 'pinyin' : 'strokes') as 'pinyin' | 'strokes'),
  page: z
    .preprocess(asText, z.string().catch(''))
    .transform((v) => (/^[1-9]\d{0,5}$/.test(v) ? Number(v) : 1)),
  pageSize: z
    .preprocess(asText, z.string().catch(''))
    .transform((v) => (/^[1-9]\d{0,3}$/.test(v) ? Math.min(Number(v), 200) : 50)),
});
