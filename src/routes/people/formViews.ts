import type { Request } from 'express';
import type { PostChoice } from '../../db/repositories/personRecords.js';
import { monthInputValue } from '../../domain/dateInput.js';
import { ESTABLISHMENT_TYPES } from '../../domain/quota.js';
import { paths } from '../../paths.js';
import type { HistoryKind } from '../../services/people/historyService.js';
import type { PeopleService } from '../../services/people/peopleService.js';
import type { FieldError } from '../forms.js';
import {
  codeOptions,
  type FieldSpec,
  type FormView,
  fieldBuilder,
  type GroupView,
  type Option,
} from './fields.js';
import {
  ASSIGNMENT_KINDS,
  DEGREES,
  EDUCATION_LEVELS,
  PERSON_STATUSES,
  POLITICAL_STATUSES,
  RELATIONS,
} from './schemas.js';

/** The view models of the people area's forms: which fields, in which groups, with which options. */

type Data<K extends keyof PeopleService> = Awaited<ReturnType<PeopleService[K]>>;

interface FormContext {
  req: Request;
  values: Record<string, string>;
  errors: readonly FieldError[];
}

const L = (key: string) => `people.fields.${key}`;

function build(
  ctx: FormContext,
  base: Omit<FormView, 'groups' | 'title' | 'subheading' | 'intro' | 'multipart' | 'hidden' | 'crumbs'> &
    Partial<Pick<FormView, 'subheading' | 'intro' | 'multipart' | 'hidden' | 'crumbs'>>,
  groups: Array<{ legend?: string; fields: FieldSpec[] }>,
): FormView {
  const field = fieldBuilder(ctx.req, ctx.values, ctx.errors);
  const prefix = ctx.errors.length > 0 ? ctx.req.t('errors.prefix') : '';
  return {
    title: `${prefix}${base.heading}${base.subheading ? ` - ${base.subheading}` : ''}`,
    subheading: '',
    intro: '',
    multipart: false,
    hidden: [],
    crumbs: [],
    ...base,
    groups: groups.map(
      (g): GroupView => ({ legend: g.legend ? ctx.req.t(g.legend) : '', fields: g.fields.map(field) }),
    ),
  };
}

const personFields = (req: Request): FieldSpec[] => [
  { name: 'name', label: L('name'), maxlength: 50, autocomplete: 'off' },
  { name: 'idNumber', label: L('idNumber'), hint: 'people.hints.idNumber', maxlength: 18, inputmode: 'text' },
  {
    name: 'gender',
    kind: 'radios',
    label: L('gender'),
    options: codeOptions(req, 'genders', ['male', 'female']),
  },
  { name: 'birthDate', label: L('birthDate'), hint: 'people.hints.month', maxlength: 10 },
  { name: 'ethnicity', label: L('ethnicity'), maxlength: 20 },
  { name: 'nativePlace', label: L('nativePlace'), hint: 'people.hints.place', optional: true, maxlength: 50 },
  { name: 'birthPlace', label: L('birthPlace'), optional: true, maxlength: 50 },
  {
    name: 'politicalStatus',
    kind: 'select',
    label: L('politicalStatus'),
    placeholder: 'people.choose',
    options: codeOptions(req, 'politicalStatuses', POLITICAL_STATUSES),
  },
  {
    name: 'partyJoinedOn',
    label: L('partyJoinedOn'),
    hint: 'people.hints.partyJoined',
    optional: true,
    maxlength: 10,
  },
  {
    name: 'workStartedOn',
    label: L('workStartedOn'),
    hint: 'people.hints.month',
    optional: true,
    maxlength: 10,
  },
  { name: 'health', label: L('health'), optional: true, maxlength: 50 },
  { name: 'professionalTitle', label: L('professionalTitle'), optional: true, maxlength: 50 },
  { name: 'expertise', kind: 'textarea', label: L('expertise'), optional: true, maxlength: 200 },
];

export const PERSON_FIELD_NAMES = personFields({ t: (k: string) => k } as unknown as Request).map(
  (f) => f.name,
);
export const CREATE_FIELD_NAMES = [
  ...PERSON_FIELD_NAMES,
  'townshipId',
  'postId',
  'establishmentType',
  'validFrom',
  'reason',
  'docNo',
  'formToken',
];

export const personDefaults = (): Record<string, string> => ({ ethnicity: '汉族', health: '健康' });

function postLabel(req: Request, p: PostChoice, withTownship: boolean): string {
  const name = [withTownship ? p.townshipName : '', p.unitName ?? req.t('post.leadershipTeam'), p.name]
    .filter(Boolean)
    .join(' ');
  return p.held ? name : `${name}${req.t('people.postVacant')}`;
}

export function createPersonForm(ctx: FormContext, options: Data<'createOptions'>): FormView {
  const { req } = ctx;
  const township = options.township;
  const posts: Option[] = options.posts
    .filter((p) => !p.held)
    .map((p) => ({ value: String(p.id), label: postLabel(req, p, false) }));
  return build(
    ctx,
    {
      heading: req.t('people.create.heading'),
      subheading: township?.name ?? '',
      intro: req.t('people.create.intro'),
      action: paths.people.create(),
      submit: req.t('people.create.submit'),
      cancelHref: paths.people.list(),
      hidden: [
        { name: 'townshipId', value: String(township?.id ?? '') },
        { name: 'formToken', value: ctx.values.formToken ?? '' },
      ],
    },
    [
      { legend: 'people.groups.basic', fields: personFields(req) },
      {
        legend: 'people.groups.first',
        fields: [
          {
            name: 'postId',
            kind: 'select',
            label: L('firstPost'),
            hint: 'people.hints.firstPost',
            optional: true,
            placeholder: 'people.noFirstPost',
            options: posts,
          },
          {
            name: 'establishmentType',
            kind: 'select',
            label: L('establishmentType'),
            hint: 'people.hints.establishmentType',
            placeholder: 'people.choose',
            options: codeOptions(req, 'establishmentTypes', ESTABLISHMENT_TYPES),
          },
          { name: 'validFrom', label: L('firstValidFrom'), hint: 'people.hints.date', maxlength: 10 },
          {
            name: 'reason',
            label: L('reason'),
            hint: 'people.hints.firstReason',
            optional: true,
            maxlength: 500,
          },
          { name: 'docNo', label: L('docNo'), optional: true, maxlength: 100 },
        ],
      },
    ],
  );
}

export function townshipPickerForm(
  ctx: FormContext,
  townships: Array<{ id: number; name: string }>,
): FormView {
  const { req } = ctx;
  return {
    ...build(
      ctx,
      {
        heading: req.t('people.create.heading'),
        intro: req.t('people.create.pickTownship'),
        action: paths.people.new(),
        submit: req.t('people.continue'),
        cancelHref: paths.people.list(),
      },
      [
        {
          fields: [
            {
              name: 'township',
              kind: 'select',
              label: L('township'),
              options: townships.map((t) => ({ value: String(t.id), label: t.name })),
            },
          ],
        },
      ],
    ),
  };
}

export function editPersonForm(
  ctx: FormContext,
  person: { id: number; name: string; version: string },
): FormView {
  const { req } = ctx;
  return build(
    ctx,
    {
      heading: req.t('people.edit.heading'),
      subheading: person.name,
      action: paths.people.edit(person.id),
      submit: req.t('people.save'),
      cancelHref: paths.person(person.id),
      hidden: [{ name: 'version', value: person.version }],
    },
    [{ fields: personFields(req) }],
  );
}

export const EDUCATION_FIELD_NAMES = [
  'mode',
  'level',
  'degree',
  'school',
  'major',
  'startedOn',
  'graduatedOn',
];

export function educationForm(
  ctx: FormContext,
  person: { id: number; name: string },
  rowId: number | null,
): FormView {
  const { req } = ctx;
  return build(
    ctx,
    {
      heading: req.t(rowId ? 'people.education.editHeading' : 'people.education.addHeading'),
      subheading: person.name,
      action: rowId ? paths.people.education(person.id, rowId) : paths.people.educations(person.id),
      submit: req.t('people.save'),
      cancelHref: `${paths.person(person.id)}#education-heading`,
    },
    [
      {
        fields: [
          {
            name: 'mode',
            kind: 'radios',
            label: L('educationMode'),
            options: codeOptions(req, 'educationModes', ['full_time', 'in_service']),
          },
          {
            name: 'level',
            kind: 'select',
            label: L('educationLevel'),
            placeholder: 'people.choose',
            options: codeOptions(req, 'educationLevels', EDUCATION_LEVELS),
          },
          {
            name: 'degree',
            kind: 'select',
            label: L('degree'),
            optional: true,
            placeholder: 'people.noDegree',
            options: codeOptions(req, 'degrees', DEGREES),
          },
          { name: 'school', label: L('school'), hint: 'people.hints.school', optional: true, maxlength: 100 },
          { name: 'major', label: L('major'), optional: true, maxlength: 100 },
          {
            name: 'startedOn',
            label: L('startedOn'),
            hint: 'people.hints.month',
            optional: true,
            maxlength: 10,
          },
          {
            name: 'graduatedOn',
            label: L('graduatedOn'),
            hint: 'people.hints.month',
            optional: true,
            maxlength: 10,
          },
        ],
      },
    ],
  );
}

export function educationValues(e: Data<'education'>): Record<string, string> {
  return {
    mode: e.mode,
    level: e.level,
    degree: e.degree ?? '',
    school: e.school,
    major: e.major,
    startedOn: monthInputValue(e.startedOn),
    graduatedOn: monthInputValue(e.graduatedOn),
  };
}

export const FAMILY_FIELD_NAMES = [
  'relation',
  'name',
  'birthDate',
  'politicalStatus',
  'workUnitAndPost',
  'emigrated',
];

export function familyForm(
  ctx: FormContext,
  person: { id: number; name: string },
  rowId: number | null,
): FormView {
  const { req } = ctx;
  return build(
    ctx,
    {
      heading: req.t(rowId ? 'people.family.editHeading' : 'people.family.addHeading'),
      subheading: person.name,
      action: rowId ? paths.people.familyMember(person.id, rowId) : paths.people.family(person.id),
      submit: req.t('people.save'),
      cancelHref: `${paths.person(person.id)}#family-heading`,
    },
    [
      {
        fields: [
          {
            name: 'relation',
            kind: 'select',
            label: L('relation'),
            placeholder: 'people.choose',
            options: codeOptions(req, 'relations', RELATIONS),
          },
          { name: 'name', label: L('familyName'), maxlength: 50 },
          {
            name: 'birthDate',
            label: L('familyBirth'),
            hint: 'people.hints.month',
            optional: true,
            maxlength: 10,
          },
          {
            name: 'politicalStatus',
            kind: 'select',
            label: L('politicalStatus'),
            optional: true,
            placeholder: 'people.unknown',
            options: codeOptions(req, 'politicalStatuses', POLITICAL_STATUSES),
          },
          {
            name: 'workUnitAndPost',
            label: L('workUnitAndPost'),
            hint: 'people.hints.workUnit',
            optional: true,
            maxlength: 200,
          },
          { name: 'emigrated', kind: 'checkbox', label: L('emigrated'), hint: 'people.hints.emigrated' },
        ],
      },
    ],
  );
}

export function familyValues(m: Data<'familyMember'>): Record<string, string> {
  return {
    relation: m.relation,
    name: m.name,
    birthDate: monthInputValue(m.birthDate),
    politicalStatus: m.politicalStatus ?? '',
    workUnitAndPost: m.workUnitAndPost,
    emigrated: m.emigrated ? 'yes' : '',
  };
}

export function photoForm(ctx: FormContext, person: { id: number; name: string }): FormView {
  const { req } = ctx;
  return build(
    ctx,
    {
      heading: req.t('people.photo.heading'),
      subheading: person.name,
      action: paths.people.photo(person.id),
      multipart: true,
      submit: req.t('people.photo.upload'),
      cancelHref: paths.person(person.id),
    },
    [{ fields: [{ name: 'photo', kind: 'file', label: L('photo'), hint: 'people.hints.photo' }] }],
  );
}

const historyTail: FieldSpec[] = [
  { name: 'validFrom', label: L('validFrom'), hint: 'people.hints.date', maxlength: 10 },
  { name: 'validTo', label: L('validTo'), hint: 'people.hints.validTo', optional: true, maxlength: 10 },
];
const reasonDoc: FieldSpec[] = [
  { name: 'reason', label: L('reason'), optional: true, maxlength: 500 },
  { name: 'docNo', label: L('docNo'), hint: 'people.hints.docNo', optional: true, maxlength: 100 },
];

export const ENTRY_FIELD_NAMES: Record<HistoryKind, string[]> = {
  assignments: [
    'assignmentKind',
    'postId',
    'validFrom',
    'validTo',
    'plannedUntil',
    'reason',
    'docNo',
    'closePrevious',
  ],
  grades: [
    'gradeCode',
    'validFrom',
    'validTo',
    'legacyTitle',
    'probationUntil',
    'reason',
    'docNo',
    'closePrevious',
  ],
  slots: ['accountId', 'validFrom', 'validTo', 'reason', 'docNo', 'closePrevious'],
  statuses: ['status', 'validFrom', 'validTo', 'reason', 'docNo', 'closePrevious'],
};

/** The add form (correctsId null) or the correction form of a kind of history entry. */
export function entryForm(
  ctx: FormContext,
  person: { id: number; name: string },
  kind: HistoryKind,
  options: Data<'entryOptions'>,
  correctsId: number | null,
): FormView {
  const { req } = ctx;
  const multiTownship = new Set(options.posts.map((p) => p.townshipId)).size > 1;
  const specific: Record<HistoryKind, FieldSpec[]> = {
    assignments: [
      {
        name: 'assignmentKind',
        kind: 'radios',
        label: L('assignmentKind'),
        options: codeOptions(req, 'assignmentKinds', ASSIGNMENT_KINDS),
      },
      {
        name: 'postId',
        kind: 'select',
        label: L('post'),
        placeholder: 'people.choose',
        options: options.posts.map((p) => ({ value: String(p.id), label: postLabel(req, p, multiTownship) })),
      },
      ...historyTail,
      {
        name: 'plannedUntil',
        label: L('plannedUntil'),
        hint: 'people.hints.plannedUntil',
        optional: true,
        maxlength: 10,
      },
    ],
    grades: [
      {
        name: 'gradeCode',
        kind: 'select',
        label: L('grade'),
        placeholder: 'people.choose',
        options: options.grades.map((g) => ({
          value: g.code,
          label: `${req.t(`ladders.${g.ladder}`)} · ${req.locale === 'zh-CN' ? g.nameZh : g.nameEn}`,
        })),
      },
      ...historyTail,
      {
        name: 'legacyTitle',
        label: L('legacyTitle'),
        hint: 'people.hints.legacyTitle',
        optional: true,
        maxlength: 50,
      },
      { name: 'probationUntil', label: L('probationUntil'), optional: true, maxlength: 10 },
    ],
    slots: [
      {
        name: 'accountId',
        kind: 'select',
        label: L('account'),
        placeholder: 'people.choose',
        options: options.accounts.map((a) => ({
          value: String(a.id),
          label: `${a.holderName} · ${req.t(`establishmentTypes.${a.establishmentType}`)}`,
        })),
      },
      ...historyTail,
    ],
    statuses: [
      {
        name: 'status',
        kind: 'select',
        label: L('status'),
        placeholder: 'people.choose',
        options: codeOptions(req, 'personStatuses', PERSON_STATUSES),
      },
      ...historyTail,
    ],
  };
  const closePrevious: FieldSpec[] = correctsId
    ? []
    : [
        {
          name: 'closePrevious',
          kind: 'checkbox',
          label: L('closePrevious'),
          hint: `people.hints.closePrevious.${kind}`,
        },
      ];
  return build(
    ctx,
    {
      heading: req.t(correctsId ? `people.correct.${kind}` : `people.add.${kind}`),
      subheading: person.name,
      intro: req.t(correctsId ? 'people.correct.intro' : 'people.add.intro'),
      action: correctsId
        ? paths.people.entryCorrect(person.id, kind, correctsId)
        : paths.people.entries(person.id, kind),
      submit: req.t(correctsId ? 'people.correct.submit' : 'people.save'),
      cancelHref: `${paths.person(person.id)}#${kind}-heading`,
    },
    [{ fields: [...specific[kind], ...reasonDoc, ...closePrevious] }],
  );
}

export function entryValues(entry: Data<'entry'>): Record<string, string> {
  const v = entry.values;
  const base = {
    validFrom: entry.validFrom,
    validTo: entry.validTo ?? '',
    reason: entry.reason,
    docNo: entry.docNo ?? '',
  };
  switch (v.kind) {
    case 'assignments':
      return {
        ...base,
        assignmentKind: v.assignmentKind,
        postId: String(v.postId),
        plannedUntil: v.plannedUntil ?? '',
      };
    case 'grades':
      return {
        ...base,
        gradeCode: v.gradeCode,
        legacyTitle: v.legacyTitle ?? '',
        probationUntil: v.probationUntil ?? '',
      };
    case 'slots':
      return { ...base, accountId: String(v.accountId) };
    case 'statuses':
      return { ...base, status: v.status };
  }
}

export function closeForm(
  ctx: FormContext,
  person: { id: number; name: string },
  kind: HistoryKind,
  entryId: number,
  summary: string,
): FormView {
  const { req } = ctx;
  return build(
    ctx,
    {
      heading: req.t('people.close.heading'),
      subheading: person.name,
      intro: summary,
      action: paths.people.entryClose(person.id, kind, entryId),
      submit: req.t('people.close.submit'),
      cancelHref: `${paths.person(person.id)}#${kind}-heading`,
    },
    [
      {
        fields: [
          {
            name: 'validTo',
            label: kind === 'assignments' ? L('endedOn') : L('validToRequired'),
            hint: 'people.hints.endedOn',
            maxlength: 10,
          },
        ],
      },
    ],
  );
}

export function assessmentForm(
  ctx: FormContext,
  person: { id: number; name: string },
  results: readonly string[],
  correcting: boolean,
): FormView {
  const { req } = ctx;
  return build(
    ctx,
    {
      heading: req.t('people.assessment.heading'),
      subheading: person.name,
      intro: req.t(correcting ? 'people.assessment.correctIntro' : 'people.assessment.intro'),
      action: paths.people.assessments(person.id),
      submit: req.t('people.save'),
      cancelHref: `${paths.person(person.id)}#assessments-heading`,
    },
    [
      {
        fields: [
          { name: 'year', label: L('year'), maxlength: 4, inputmode: 'numeric' },
          {
            name: 'result',
            kind: 'radios',
            label: L('result'),
            options: codeOptions(req, 'assessmentResults', results),
          },
          { name: 'docNo', label: L('docNo'), optional: true, maxlength: 100 },
        ],
      },
    ],
  );
}

export const SANCTION_FIELD_NAMES = ['kindCode', 'decidedOn', 'closedOn', 'reason', 'docNo'];

export function sanctionForm(
  ctx: FormContext,
  person: { id: number; name: string },
  kinds: Data<'sanctionKinds'>,
  correctsId: number | null,
): FormView {
  const { req } = ctx;
  return build(
    ctx,
    {
      heading: req.t(correctsId ? 'people.sanction.correctHeading' : 'people.sanction.heading'),
      subheading: person.name,
      intro: req.t(correctsId ? 'people.correct.intro' : 'people.sanction.intro'),
      action: correctsId
        ? paths.people.sanctionCorrect(person.id, correctsId)
        : paths.people.sanctions(person.id),
      submit: req.t(correctsId ? 'people.correct.submit' : 'people.save'),
      cancelHref: `${paths.person(person.id)}#sanctions-heading`,
    },
    [
      {
        fields: [
          {
            name: 'kindCode',
            kind: 'select',
            label: L('sanctionKind'),
            placeholder: 'people.choose',
            options: kinds.map((k) => ({
              value: k.code,
              label:
                (req.locale === 'zh-CN' ? k.nameZh : k.nameEn) +
                (k.impactMonths === null
                  ? req.t('people.sanction.blocksUntilClosed')
                  : req.t('people.sanction.months', { months: k.impactMonths })),
            })),
          },
          { name: 'decidedOn', label: L('decidedOn'), hint: 'people.hints.date', maxlength: 10 },
          {
            name: 'closedOn',
            label: L('closedOn'),
            hint: 'people.hints.closedOn',
            optional: true,
            maxlength: 10,
          },
          ...reasonDoc,
        ],
      },
    ],
  );
}

export function sanctionValues(s: Data<'sanction'>): Record<string, string> {
  return {
    kindCode: s.kindCode,
    decidedOn: s.decidedOn,
    closedOn: s.closedOn ?? '',
    reason: s.reason,
    docNo: s.docNo ?? '',
  };
}

export function closeSanctionForm(
  ctx: FormContext,
  person: { id: number; name: string },
  sanctionId: number,
): FormView {
  const { req } = ctx;
  return build(
    ctx,
    {
      heading: req.t('people.sanction.closeHeading'),
      subheading: person.name,
      action: paths.people.sanctionClose(person.id, sanctionId),
      submit: req.t('people.close.submit'),
      cancelHref: `${paths.person(person.id)}#sanctions-heading`,
    },
    [
      {
        fields: [
          { name: 'closedOn', label: L('closedOnRequired'), hint: 'people.hints.date', maxlength: 10 },
        ],
      },
    ],
  );
}
