import {
  errorResponse,
  idParameter,
  jsonResponse,
  type PathItems,
  read,
  type Schemas,
} from '../api/openapiParts.js';

const asOf = {
  name: 'asOf',
  in: 'query',
  required: false,
  description:
    'The date to report on (YYYY-MM-DD); today by default. Future dates show decisions not yet in effect.',
  schema: { type: 'string', format: 'date' },
} as const;

const withAsOf = (item: ReturnType<typeof read>) => ({
  get: { ...item.get, parameters: [...(item.get.parameters ?? []), asOf] },
});

const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'A UUID: a retried request with the same key answers like the first and writes nothing more.',
  schema: { type: 'string', format: 'uuid' },
} as const;

const write = (summary: string, description: string, bodyRef: string, withId: boolean, okStatus = 201) => ({
  summary,
  description,
  parameters: [...(withId ? [idParameter] : []), idempotencyKey],
  requestBody: { required: true, content: { 'application/json': { schema: { $ref: bodyRef } } } },
  responses: {
    [okStatus]: jsonResponse('Recorded', '#/components/schemas/WriteResult'),
    200: jsonResponse(
      'A retry of a request already recorded (same Idempotency-Key)',
      '#/components/schemas/WriteResult',
    ),
    401: errorResponse('Not signed in.'),
    403: errorResponse(
      'Visible to you but not yours to change (e.g. a county reviewer; only the establishment office records decisions).',
    ),
    404: errorResponse('Not found or outside your scope.'),
    409: errorResponse(
      'The records don\u2019t allow it now (no vacant quota or leadership post, post held, limit reached); the message names the numbers.',
    ),
    422: errorResponse('Invalid input; `field` names the first problem, `fields` all of them.'),
  },
});

const docFields = {
  effectiveFrom: { type: 'string', format: 'date' },
  docNo: { type: 'string', maxLength: 100, description: '文号' },
  changeSummary: { type: 'string', maxLength: 500 },
  correctsId: {
    type: ['integer', 'null'],
    description: 'The decision this one corrects (a wrong decision is never edited).',
  },
};

export const establishmentPaths: PathItems = {
  '/townships': {
    get: {
      summary: 'Townships of a county with headline numbers',
      description:
        'Every township of the county in your scope: head count, quota use (total and per type) and leadership (counted filled / approved total).',
      parameters: [{ name: 'county', in: 'query', required: true, schema: { type: 'integer' } }, asOf],
      responses: {
        200: jsonResponse('OK', '#/components/schemas/TownshipList'),
        401: errorResponse('Not signed in.'),
        404: errorResponse('County not found or outside your scope.'),
        422: errorResponse('county missing or asOf not a date.'),
      },
    },
  },
  '/townships/{id}/quota': withAsOf(
    read(
      'Quota use (编制使用情况)',
      'Per establishment type approved/occupied/reserved/vacant/over with status, then per unit posts, holders, cross-type placements; dispatched units with their department\u2019s quota.',
      '#/components/schemas/TownshipQuota',
    ),
  ),
  '/townships/{id}/leadership': withAsOf(
    read(
      'Leadership posts (领导职数配备)',
      'Per kind approved/filled/vacant/over; the counted total against the township total; not counted, concurrent and temporary kinds apart; holders past a write-off date.',
      '#/components/schemas/TownshipLeadership',
    ),
  ),
  '/townships/{id}/org-chart': withAsOf(
    read(
      'Organisation chart',
      'The leadership team and every unit with its open posts and holders.',
      '#/components/schemas/OrgChart',
    ),
  ),
  '/townships/{id}/quota-decisions': read(
    'Quota decisions of a township',
    'Newest first, with the count replaced and corrections.',
    '#/components/schemas/DecisionList',
  ),
  '/townships/{id}/unit-decisions': read(
    'Unit decisions',
    'Establish, rename, rank, nameplates, featured, abolish, merge, split: each with its 文号 and the unit versions it made.',
    '#/components/schemas/DecisionList',
  ),
  '/counties/{id}/quota-decisions': read(
    'Quota decisions of a county',
    'Townships\u2019 and county departments\u2019 quota decisions (county-wide roles).',
    '#/components/schemas/DecisionList',
  ),
  '/quota-decisions': {
    post: write(
      'Record a quota decision (编办)',
      'Approved quota for a holder and establishment type from a date. Lowering below occupancy is allowed (over quota).',
      '#/components/schemas/QuotaDecisionInput',
      false,
    ),
  },
  '/townships/{id}/slot-decisions': {
    ...read(
      'Leadership post decisions',
      'Slot decisions per kind and the township totals.',
      '#/components/schemas/DecisionList',
    ),
    post: write(
      'Record a leadership post decision (编办)',
      'Approved posts of a leadership kind: counted or not, concurrent-only, temporary with a write-off date.',
      '#/components/schemas/SlotDecisionInput',
      true,
    ),
  },
  '/townships/{id}/leadership-total': {
    post: write(
      'Record the township leadership total (编办)',
      'The approved total of counted leadership posts.',
      '#/components/schemas/TotalDecisionInput',
      true,
    ),
  },
  '/townships/{id}/units': {
    post: write(
      'Establish a unit (编办)',
      'Within the county\u2019s unit limit and featured-unit limit.',
      '#/components/schemas/UnitInput',
      true,
    ),
  },
  '/units/{id}/changes': {
    post: write(
      'Change a unit (编办)',
      'rename, change_rank, set_aliases or set_featured from a date.',
      '#/components/schemas/UnitChangeInput',
      true,
    ),
  },
  '/units/{id}/abolition': {
    post: write(
      'Abolish a unit (编办)',
      'Only when nobody works in it from that date; its vacant posts close.',
      '#/components/schemas/DocInput',
      true,
    ),
  },
  '/townships/{id}/reorganisations': {
    post: write(
      'Merge or split units (编办)',
      'Posts move to other units with their holders in one batch under one 文号; listed units are abolished.',
      '#/components/schemas/ReorganisationInput',
      true,
    ),
  },
  '/townships/{id}/posts': {
    post: write(
      'Create a post (township officer)',
      'In a unit (unitId) or the leadership team (unitId null); types must suit the unit.',
      '#/components/schemas/PostInput',
      true,
    ),
  },
  '/posts/{id}': {
    ...read('A post', 'The post and everyone who has held it.', '#/components/schemas/Post'),
    patch: write(
      'Change a post (township officer)',
      'Name, category, leadership kind, establishment types, grade band.',
      '#/components/schemas/PostFields',
      true,
      200,
    ),
  },
  '/posts/{id}/closure': {
    post: write(
      'Close a post (township officer)',
      'From a date when nobody holds it.',
      '#/components/schemas/PostClosure',
      true,
      200,
    ),
  },
  '/posts/{id}/placements': {
    post: write(
      'Place a person in a vacant post (correction of record)',
      'Checks quota (Q2), types (Q3), leadership posts (L1–L3) under row locks.',
      '#/components/schemas/PlacementInput',
      true,
    ),
  },
};

export const establishmentSchemas: Schemas = {
  WriteResult: { type: 'object', additionalProperties: true },
  DecisionList: { type: 'object', properties: { items: { type: 'array', items: { type: 'object' } } } },
  TownshipList: { type: 'object', properties: { items: { type: 'array', items: { type: 'object' } } } },
  TownshipQuota: {
    type: 'object',
    properties: { byType: { type: 'array', items: { $ref: '#/components/schemas/QuotaUsage' } } },
    additionalProperties: true,
  },
  TownshipLeadership: { type: 'object', additionalProperties: true },
  OrgChart: { type: 'object', additionalProperties: true },
  QuotaDecisionInput: {
    type: 'object',
    required: ['holderId', 'establishmentType', 'approvedCount', 'effectiveFrom', 'docNo'],
    properties: {
      holderId: { type: 'integer' },
      establishmentType: {
        type: 'string',
        enum: ['administrative', 'civil_service_institutional', 'institutional', 'worker'],
      },
      approvedCount: { type: 'integer', minimum: 0 },
      ...docFields,
    },
  },
  SlotDecisionInput: {
    type: 'object',
    required: ['kind', 'slotCount', 'rank', 'effectiveFrom', 'docNo'],
    properties: {
      kind: { type: 'string' },
      slotCount: { type: 'integer', minimum: 0 },
      rank: { type: 'string', enum: ['section_chief', 'deputy_section', 'stock'] },
      counted: { type: 'boolean' },
      concurrentOnly: { type: 'boolean' },
      temporary: { type: 'boolean' },
      writeOffOn: { type: ['string', 'null'], format: 'date' },
      ...docFields,
    },
  },
  TotalDecisionInput: {
    type: 'object',
    required: ['total', 'effectiveFrom', 'docNo'],
    properties: { total: { type: 'integer' }, ...docFields },
  },
  DocInput: {
    type: 'object',
    required: ['effectiveOn', 'docNo'],
    properties: {
      effectiveOn: { type: 'string', format: 'date' },
      docNo: { type: 'string' },
      summary: { type: 'string' },
    },
  },
  UnitInput: {
    type: 'object',
    required: ['kind', 'name', 'rank', 'effectiveOn', 'docNo'],
    properties: {
      kind: { type: 'string', enum: ['office', 'station', 'dispatched'] },
      name: { type: 'string' },
      aliasNames: { type: 'string', description: 'Nameplates separated by 、 or new lines' },
      rank: { type: 'string', enum: ['section_chief', 'deputy_section', 'stock', 'none'] },
      featured: { type: 'boolean' },
      departmentId: { type: ['integer', 'null'] },
      effectiveOn: { type: 'string', format: 'date' },
      docNo: { type: 'string' },
      summary: { type: 'string' },
    },
  },
  UnitChangeInput: {
    type: 'object',
    required: ['change', 'effectiveOn', 'docNo'],
    properties: {
      change: { type: 'string', enum: ['rename', 'change_rank', 'set_aliases', 'set_featured'] },
      name: { type: 'string' },
      rank: { type: 'string' },
      aliasNames: { type: 'string' },
      featured: { type: 'boolean' },
      effectiveOn: { type: 'string', format: 'date' },
      docNo: { type: 'string' },
      summary: { type: 'string' },
    },
  },
  ReorganisationInput: {
    type: 'object',
    required: ['kind', 'moves', 'effectiveOn', 'docNo'],
    properties: {
      kind: { type: 'string', enum: ['merge', 'split'] },
      moves: {
        type: 'array',
        items: { type: 'object', properties: { postId: { type: 'integer' }, toUnitId: { type: 'integer' } } },
      },
      abolishUnitIds: { type: 'array', items: { type: 'integer' } },
      effectiveOn: { type: 'string', format: 'date' },
      docNo: { type: 'string' },
      summary: { type: 'string' },
    },
  },
  PostFields: {
    type: 'object',
    required: ['name', 'category', 'establishmentTypes'],
    properties: {
      name: { type: 'string' },
      category: {
        type: 'string',
        enum: ['leadership', 'civil_service', 'management', 'professional', 'skilled'],
      },
      leadershipKind: { type: ['string', 'null'] },
      establishmentTypes: { type: 'array', items: { type: 'string' } },
      gradeLow: { type: ['string', 'null'] },
      gradeHigh: { type: ['string', 'null'] },
    },
  },
  PostInput: {
    allOf: [
      { $ref: '#/components/schemas/PostFields' },
      {
        type: 'object',
        required: ['openedOn'],
        properties: {
          unitId: { type: ['integer', 'null'] },
          openedOn: { type: 'string', format: 'date' },
          docNo: { type: 'string' },
        },
      },
    ],
  },
  PostClosure: {
    type: 'object',
    required: ['closedOn'],
    properties: { closedOn: { type: 'string', format: 'date' }, docNo: { type: 'string' } },
  },
  PlacementInput: {
    type: 'object',
    required: ['personId', 'validFrom', 'docNo', 'reason'],
    properties: {
      personId: { type: 'integer' },
      validFrom: { type: 'string', format: 'date' },
      docNo: { type: 'string' },
      reason: { type: 'string' },
      establishmentType: {
        type: ['string', 'null'],
        description: 'For a person without a quota slot: the type of the new slot',
      },
    },
  },
};
