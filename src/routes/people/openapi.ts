import {
  errorResponse,
  idParameter,
  jsonResponse,
  objectWithId,
  type PathItems,
  read,
  type Schemas,
} from '../api/openapiParts.js';

/** The people area's part of /api/v1/openapi.json. */

const date = { type: 'string', description: 'YYYY-MM-DD, or a month (YYYY-MM, 2019.07: its first day)' };
const optionalDate = { type: ['string', 'null'], description: date.description };
const text = (maxLength: number) => ({ type: 'string', maxLength });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const writeErrors = {
  401: errorResponse('Not signed in, or the bearer token is unknown, expired or revoked.'),
  403: errorResponse(
    'Your own record, which you may read but not change (CSRF: a session without X-CSRF-Token).',
  ),
  404: errorResponse('Not found, or outside your scope (the two are indistinguishable).'),
  409: errorResponse(
    'A conflict with what is recorded: a duplicate ID number, an overlapping period (该人员在此期间已有任职, 该岗位在此期间已有人员), no vacancy in the quota.',
  ),
  422: errorResponse(
    'Invalid input: `error.field` names the first field, `error.fields` lists every problem.',
  ),
};

const addTo = (summary: string, description: string, schema: string) => ({
  post: {
    summary,
    description,
    parameters: [idParameter],
    requestBody: { required: true, content: { 'application/json': { schema: ref(schema) } } },
    responses: {
      201: jsonResponse('Recorded', '#/components/schemas/Written'),
      200: jsonResponse(
        'The same entry was recorded already (a repeated request): nothing written',
        '#/components/schemas/Written',
      ),
      ...writeErrors,
    },
  },
});

const historyDescription =
  'Effective-dated: from validFrom to validTo (exclusive, optional). With `correctsId` the entry corrects an earlier one, ' +
  'which is kept and marked superseded; with `closePrevious` the open entry this one follows is ended on validFrom.';

export const peopleOpenApiPaths: PathItems = {
  '/people': {
    get: {
      summary: 'Search people in scope',
      description:
        'By name, full pinyin or initials (zhangsan, zs), ID number (full or its last digits), unit or post name. ' +
        'Ordered by surname strokes (姓氏笔画, the default) or pinyin. ID numbers masked.',
      parameters: [
        { name: 'q', in: 'query', schema: { type: 'string' } },
        { name: 'township', in: 'query', schema: { type: 'integer' } },
        { name: 'order', in: 'query', schema: { type: 'string', enum: ['strokes', 'pinyin'] } },
        { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
        { name: 'pageSize', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200 } },
      ],
      responses: {
        200: jsonResponse('OK', '#/components/schemas/PersonList'),
        401: errorResponse('Not signed in.'),
      },
    },
    post: {
      summary: 'Create a person',
      description:
        'In a township of your scope; optionally with a first primary post and the quota slot of its establishment type ' +
        '(refused with 409 when the quota has no vacancy on that date).',
      requestBody: { required: true, content: { 'application/json': { schema: ref('PersonCreate') } } },
      responses: {
        201: jsonResponse('Created (Location: the record)', '#/components/schemas/PersonRecord'),
        ...writeErrors,
      },
    },
  },
  '/people/{id}': {
    ...read(
      'A person',
      'The record with its effective-dated history, corrected entries included (supersededAt). The ID number is shown in full to officers and to the person (each full view is audited), masked otherwise.',
      '#/components/schemas/PersonRecord',
    ),
    patch: {
      summary: 'Change the appointment-form fields',
      description: 'Fields not sent keep their values; the result is validated like the form.',
      parameters: [idParameter],
      requestBody: { required: true, content: { 'application/json': { schema: ref('PersonFields') } } },
      responses: { 200: jsonResponse('Changed', '#/components/schemas/PersonRecord'), ...writeErrors },
    },
  },
  '/people/{id}/assignments': addTo('Add or correct an assignment', historyDescription, 'AssignmentInput'),
  '/people/{id}/grades': addTo('Add or correct a grade', historyDescription, 'GradeInput'),
  '/people/{id}/slots': addTo(
    'Add or correct a quota slot',
    `${historyDescription} Refused with 409 when the account has no vacancy on validFrom.`,
    'SlotInput',
  ),
  '/people/{id}/statuses': addTo('Add or correct a status', historyDescription, 'StatusInput'),
  '/people/{id}/assessments': addTo(
    'Record an annual assessment',
    'A different result for a recorded year corrects it (the old one is kept, superseded).',
    'AssessmentInput',
  ),
  '/people/{id}/sanctions': addTo(
    'Record or correct a sanction',
    'The impact period comes from the kind (configuration).',
    'SanctionInput',
  ),
  '/people/{id}/family': addTo('Add a family member', 'Relation from the fixed list.', 'FamilyInput'),
  '/people/{id}/educations': addTo('Add an education', 'Full-time or in-service.', 'EducationInput'),
};

const historyFields = {
  validFrom: date,
  validTo: optionalDate,
  reason: text(500),
  docNo: { type: ['string', 'null'], maxLength: 100 },
  closePrevious: { type: 'boolean' },
  correctsId: { type: ['integer', 'null'] },
};

const personFields = {
  name: text(50),
  idNumber: { type: 'string', pattern: '^[0-9]{17}[0-9Xx]$' },
  gender: { type: 'string', enum: ['male', 'female'] },
  birthDate: { type: 'string', description: 'Must agree with the ID number' },
  ethnicity: text(20),
  nativePlace: text(50),
  birthPlace: text(50),
  politicalStatus: {
    type: 'string',
    enum: ['cpc_member', 'cpc_probationary', 'youth_league', 'democratic_party', 'non_party', 'masses'],
  },
  partyJoinedOn: optionalDate,
  workStartedOn: optionalDate,
  health: text(50),
  professionalTitle: text(50),
  expertise: text(200),
};

export const peopleOpenApiSchemas: Schemas = {
  Written: {
    type: 'object',
    properties: { id: { type: 'integer' }, replayed: { type: 'boolean' } },
    required: ['id', 'replayed'],
  },
  PersonList: {
    type: 'object',
    properties: {
      items: { type: 'array', items: objectWithId('A person (ID number masked)') },
      page: { type: 'integer' },
      pageSize: { type: 'integer' },
      total: { type: 'integer' },
    },
    required: ['items', 'page', 'pageSize', 'total'],
  },
  PersonRecord: objectWithId('A person with history'),
  PersonFields: { type: 'object', properties: personFields },
  PersonCreate: {
    type: 'object',
    properties: {
      ...personFields,
      townshipId: { type: 'integer' },
      postId: { type: ['integer', 'null'], description: 'A first primary post (optional)' },
      establishmentType: {
        type: 'string',
        enum: ['administrative', 'civil_service_institutional', 'institutional', 'worker'],
      },
      validFrom: date,
      reason: text(500),
      docNo: { type: ['string', 'null'], maxLength: 100 },
    },
    required: ['townshipId', 'name', 'idNumber', 'gender', 'birthDate', 'ethnicity', 'politicalStatus'],
  },
  AssignmentInput: {
    type: 'object',
    properties: {
      assignmentKind: { type: 'string', enum: ['primary', 'concurrent', 'secondment'] },
      postId: { type: 'integer' },
      plannedUntil: { ...optionalDate, description: 'Required for a secondment' },
      ...historyFields,
    },
    required: ['assignmentKind', 'postId', 'validFrom'],
  },
  GradeInput: {
    type: 'object',
    properties: {
      gradeCode: { type: 'string', description: 'A grade_levels code; the ladder follows from it' },
      legacyTitle: { type: ['string', 'null'] },
      probationUntil: optionalDate,
      ...historyFields,
    },
    required: ['gradeCode', 'validFrom'],
  },
  SlotInput: {
    type: 'object',
    properties: { accountId: { type: 'integer' }, ...historyFields },
    required: ['accountId', 'validFrom'],
  },
  StatusInput: {
    type: 'object',
    properties: {
      status: {
        type: 'string',
        enum: ['active', 'retired', 'transferred_out', 'resigned', 'dismissed', 'deceased'],
      },
      ...historyFields,
    },
    required: ['status', 'validFrom'],
  },
  AssessmentInput: {
    type: 'object',
    properties: {
      year: { type: 'integer' },
      result: {
        type: 'string',
        enum: [
          'excellent',
          'competent',
          'basically_competent',
          'incompetent',
          'ungraded',
          'qualified',
          'basically_qualified',
          'unqualified',
        ],
      },
      docNo: { type: ['string', 'null'] },
    },
    required: ['year', 'result'],
  },
  SanctionInput: {
    type: 'object',
    properties: {
      kindCode: { type: 'string' },
      decidedOn: date,
      closedOn: optionalDate,
      reason: text(500),
      docNo: { type: ['string', 'null'] },
      correctsId: { type: ['integer', 'null'] },
    },
    required: ['kindCode', 'decidedOn'],
  },
  FamilyInput: {
    type: 'object',
    properties: {
      relation: { type: 'string' },
      name: text(50),
      birthDate: optionalDate,
      politicalStatus: { type: ['string', 'null'] },
      workUnitAndPost: text(200),
      emigrated: { type: 'boolean' },
    },
    required: ['relation', 'name'],
  },
  EducationInput: {
    type: 'object',
    properties: {
      mode: { type: 'string', enum: ['full_time', 'in_service'] },
      level: { type: 'string' },
      degree: { type: ['string', 'null'] },
      school: text(100),
      major: text(100),
      startedOn: optionalDate,
      graduatedOn: optionalDate,
    },
    required: ['mode', 'level'],
  },
};
