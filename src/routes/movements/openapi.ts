import {
  errorResponse,
  idParameter,
  jsonResponse,
  type PathItems,
  read,
  type Schemas,
} from '../api/openapiParts.js';

const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'A UUID: a retried request with the same key answers like the first.',
  schema: { type: 'string', format: 'uuid' },
} as const;

const writeResponses = (ok: number) => ({
  [ok]: jsonResponse('Done', '#/components/schemas/MovementResult'),
  401: errorResponse('Not signed in.'),
  403: errorResponse(
    'Visible but not yours to propose (only the township officer of the person or destination).',
  ),
  404: errorResponse('Not found or outside your scope.'),
  409: errorResponse(
    'The records don\u2019t allow it (no vacancy at the destination, post held, stale version, already decided, the party committee\u2019s opinion missing).',
  ),
  422: errorResponse('Invalid input; `field` names the problem.'),
});

const body = (ref: string) => ({
  required: true,
  content: { 'application/json': { schema: { $ref: ref } } },
});

export const movementPaths: PathItems = {
  '/transfers': {
    get: {
      summary: 'Movement requests in scope',
      description:
        'Filter with state and kind (comma-separated lists), county and township (from or to); paginated (page, pageSize ≤ 200).',
      parameters: [
        { name: 'state', in: 'query', schema: { type: 'string' } },
        { name: 'kind', in: 'query', schema: { type: 'string' } },
        { name: 'county', in: 'query', schema: { type: 'integer' } },
        { name: 'township', in: 'query', schema: { type: 'integer' } },
        { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
        { name: 'pageSize', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200 } },
      ],
      responses: {
        200: jsonResponse('OK', '#/components/schemas/MovementList'),
        401: errorResponse('Not signed in.'),
      },
    },
    post: {
      summary: 'File a movement request (township officer)',
      description:
        'Kinds internal, cross_township, secondment, entry, exit, type_change, cross_type. It is submitted at once: filed (备案) when the county only files that kind, otherwise it waits for the approval chain.',
      parameters: [idempotencyKey],
      requestBody: body('#/components/schemas/MovementInput'),
      responses: writeResponses(201),
    },
  },
  '/transfers/{id}': read(
    'A movement request',
    'With its actions, the party committee opinion, the destination quota and the secondment state.',
    '#/components/schemas/Movement',
  ),
  '/transfers/{id}/decisions': {
    post: {
      summary: 'Decide: submit, withdraw, approve, return, reject',
      description:
        'Send the version you saw; a stale version is refused (409). Return and reject need a comment.',
      parameters: [idParameter, idempotencyKey],
      requestBody: body('#/components/schemas/DecisionInput'),
      responses: writeResponses(200),
    },
  },
  '/transfers/{id}/opinion': {
    post: {
      summary: 'Record the township party committee\u2019s written opinion (dispatched-unit staff)',
      description: 'Required before the county approves a movement of dispatched-unit staff.',
      parameters: [idParameter],
      requestBody: body('#/components/schemas/OpinionInput'),
      responses: writeResponses(201),
    },
  },
  '/transfers/{id}/secondment-end': {
    post: {
      summary: 'Record the return from a secondment',
      description: 'Ends the secondment assignment on the date.',
      parameters: [idParameter],
      requestBody: body('#/components/schemas/SecondmentEnd'),
      responses: writeResponses(200),
    },
  },
  '/transfers/choices': {
    get: {
      summary: 'What a request may name: the township\u2019s people and the county\u2019s open posts',
      description:
        'The JSON twin of the request form\u2019s choices, on a date (`on`, default today): people of the township (in service or registered there, with post and establishment type) and the open posts of every township of its county (with unit, types and whether held).',
      parameters: [
        { name: 'township', in: 'query', required: true, schema: { type: 'integer' } },
        { name: 'on', in: 'query', schema: { type: 'string', format: 'date' } },
      ],
      responses: {
        200: jsonResponse('OK', '#/components/schemas/TransferChoices'),
        401: errorResponse('Not signed in.'),
        404: errorResponse('The township is outside your scope.'),
        422: errorResponse('No township given.'),
      },
    },
  },
  '/movement-ledger': {
    get: {
      summary: 'The movement ledger (人员调动情况表)',
      description:
        'Approved and filed movements in scope; filter by kind (comma-separated), county, township (from or to) and effective dates (from, to).',
      parameters: [
        { name: 'kind', in: 'query', schema: { type: 'string' } },
        { name: 'county', in: 'query', schema: { type: 'integer' } },
        { name: 'township', in: 'query', schema: { type: 'integer' } },
        { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
        { name: 'pageSize', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
        { name: 'from', in: 'query', schema: { type: 'string', format: 'date' } },
        { name: 'to', in: 'query', schema: { type: 'string', format: 'date' } },
      ],
      responses: {
        200: jsonResponse('OK', '#/components/schemas/MovementList'),
        401: errorResponse('Not signed in.'),
      },
    },
  },
  '/transfer-batches': {
    post: {
      summary: 'Create a batch of movements under one 文号',
      description: 'Drafts checked together; submit and decide the batch as a whole.',
      parameters: [idempotencyKey],
      requestBody: body('#/components/schemas/BatchInput'),
      responses: writeResponses(201),
    },
  },
  '/transfer-batches/{id}': read(
    'A batch',
    'The batch and its members.',
    '#/components/schemas/MovementList',
  ),
  '/transfer-batches/{id}/decisions': {
    post: {
      summary: 'Decide a whole batch, all or nothing',
      description: 'submit, withdraw, approve, return or reject every member in one transaction.',
      parameters: [idParameter],
      requestBody: body('#/components/schemas/DecisionInput'),
      responses: writeResponses(200),
    },
  },
};

export const movementSchemas: Schemas = {
  MovementResult: { type: 'object', additionalProperties: true },
  Movement: { type: 'object', additionalProperties: true },
  TransferChoices: {
    type: 'object',
    properties: {
      township: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } },
      on: { type: 'string', format: 'date' },
      people: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            id: { type: 'integer' },
            name: { type: 'string' },
            postName: { type: 'string', nullable: true },
            establishmentType: { type: 'string', nullable: true },
          },
        },
      },
      posts: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            id: { type: 'integer' },
            name: { type: 'string' },
            townshipId: { type: 'integer' },
            townshipName: { type: 'string' },
            unitName: { type: 'string', nullable: true },
            establishmentTypes: { type: 'array', items: { type: 'string' } },
            vacant: { type: 'boolean' },
          },
        },
      },
    },
  },
  MovementList: {
    type: 'object',
    description: 'A page of movements: `page`, `pageSize`, `total` (all matching), `items`.',
    properties: {
      page: { type: 'integer' },
      pageSize: { type: 'integer' },
      total: { type: 'integer' },
      items: { type: 'array', items: { $ref: '#/components/schemas/Movement' } },
    },
  },
  MovementInput: {
    type: 'object',
    required: ['kind', 'personId', 'effectiveOn', 'reason'],
    properties: {
      kind: {
        type: 'string',
        enum: ['internal', 'cross_township', 'secondment', 'entry', 'exit', 'type_change', 'cross_type'],
      },
      subKind: {
        type: 'string',
        enum: [
          'recruitment',
          'hiring',
          'transfer_in',
          'resettlement',
          'retirement',
          'transfer_out',
          'resignation',
          'dismissal',
          'death',
        ],
      },
      personId: { type: 'integer' },
      toPostId: { type: 'integer' },
      toEstablishmentType: {
        type: 'string',
        enum: ['administrative', 'civil_service_institutional', 'institutional', 'worker'],
      },
      effectiveOn: { type: 'string', format: 'date' },
      plannedUntil: { type: 'string', format: 'date', description: 'Required for a secondment' },
      reason: { type: 'string' },
      docNo: { type: 'string' },
    },
  },
  DecisionInput: {
    type: 'object',
    required: ['decision'],
    properties: {
      decision: { type: 'string', enum: ['submit', 'withdraw', 'approve', 'return', 'reject'] },
      comment: { type: 'string' },
      docNo: { type: 'string' },
      version: { type: 'integer', description: 'The version you saw (single requests)' },
    },
  },
  OpinionInput: {
    type: 'object',
    required: ['givenOn', 'docNo', 'text'],
    properties: {
      givenOn: { type: 'string', format: 'date' },
      docNo: { type: 'string' },
      text: { type: 'string' },
    },
  },
  SecondmentEnd: {
    type: 'object',
    required: ['endedOn'],
    properties: { endedOn: { type: 'string', format: 'date' } },
  },
  BatchInput: {
    type: 'object',
    required: ['title', 'docNo', 'members'],
    properties: {
      title: { type: 'string' },
      docNo: { type: 'string' },
      members: { type: 'array', items: { $ref: '#/components/schemas/MovementInput' } },
    },
  },
};
