import {
  errorResponse,
  idParameter,
  jsonResponse,
  type PathItems,
  type Schemas,
} from '../api/openapiParts.js';

/** The promotions area's part of /api/v1/openapi.json: vacancies, candidates, the county dashboard, rank promotions. */

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const nullableDate = { type: ['string', 'null'], format: 'date' };

const asOf = {
  name: 'asOf',
  in: 'query',
  required: false,
  description: 'The date to assess on (YYYY-MM-DD); today by default.',
  schema: { type: 'string', format: 'date' },
} as const;

const township = {
  name: 'township',
  in: 'query',
  required: true,
  description:
    'The township (its vacant seats; candidates are its people, or the county’s for county roles).',
  schema: { type: 'integer', minimum: 1 },
} as const;

const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'A UUID: a retried request with the same key answers like the first.',
  schema: { type: 'string', format: 'uuid' },
} as const;

const readErrors = {
  401: errorResponse('Not signed in, or the bearer token is unknown, expired or revoked.'),
  404: errorResponse('Not found, or outside your scope (the two are indistinguishable).'),
  422: errorResponse('A parameter is missing or invalid; `field` names it.'),
};

const writeResponses = (ok: number) => ({
  [ok]: jsonResponse('Done', '#/components/schemas/RankPromotionResult'),
  401: errorResponse('Not signed in.'),
  403: errorResponse(
    'Visible but not yours to do (e.g. a township officer reviewing, the proposer approving).',
  ),
  404: errorResponse('Not found or outside your scope.'),
  409: errorResponse(
    'The records don’t allow it: the pool’s rank quota is full, an open promotion exists, the rank is not the next one, the state or the version is stale, the publicity is still running.',
  ),
  422: errorResponse('Invalid input; `field` names the problem and `fields` lists every one.'),
});

const body = (name: string) => ({
  required: true,
  content: { 'application/json': { schema: ref(name) } },
});

export const promotionOpenApiPaths: PathItems = {
  '/promotions/vacancies': {
    get: {
      summary: 'Vacant 副科/正科 seats of a township with candidate counts',
      description:
        'Township leadership slots of rank 副科/正科 with free places and unit-head posts of 副科/正科级规格 units without a holder; per seat the number of people eligible now, within 6 months, within 12 months, and blocked.',
      parameters: [township, asOf],
      responses: { 200: jsonResponse('OK', '#/components/schemas/PromotionVacancies'), ...readErrors },
    },
  },
  '/promotions/candidates': {
    get: {
      summary: 'Candidates for a seat or a target grade',
      description:
        'Give `seat` (a key from /promotions/vacancies: slot-<kind> or post-<id>) for a vacant seat, with the avoidance (回避) check against its leaders; or `target` (a grade code, e.g. principal_3, township_deputy, mgmt_8). People per horizon: now, within6, within12, blocked, each with the engine’s blocks and a `message` in your language. Eligible is never “due”.',
      parameters: [
        township,
        { name: 'target', in: 'query', required: false, schema: { type: 'string' } },
        { name: 'seat', in: 'query', required: false, schema: { type: 'string' } },
        asOf,
      ],
      responses: { 200: jsonResponse('OK', '#/components/schemas/PromotionCandidates'), ...readErrors },
    },
  },
  '/counties/{id}/promotions': {
    get: {
      summary: 'The county promotions dashboard',
      description:
        'Vacant seats per township with candidate counts, candidates per rank target (next rank, 八级/七级), the rank quota pools (approved / held / in process / vacant) and the rank promotions in process by state.',
      parameters: [idParameter, asOf],
      responses: { 200: jsonResponse('OK', '#/components/schemas/PromotionDashboard'), ...readErrors },
    },
  },
  '/rank-promotions': {
    get: {
      summary: 'Rank promotions (职级晋升) in scope',
      description:
        'Newest change first. Filter with state (comma-separated), county, township; paginated (page, pageSize ≤ 200).',
      parameters: [
        { name: 'state', in: 'query', schema: { type: 'string' } },
        { name: 'county', in: 'query', schema: { type: 'integer' } },
        { name: 'township', in: 'query', schema: { type: 'integer' } },
        { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
        { name: 'pageSize', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200 } },
      ],
      responses: {
        200: jsonResponse('OK', '#/components/schemas/RankPromotionList'),
        401: errorResponse('Not signed in.'),
        404: errorResponse('Staff have no list.'),
      },
    },
    post: {
      summary: 'Plan a rank promotion (township officer or county reviewer)',
      description:
        'The next rank of a person in scope; inside the county pool’s rank quota, checked under a lock (一级/二级科员 need no pool).',
      parameters: [idempotencyKey],
      requestBody: body('RankPromotionInput'),
      responses: writeResponses(201),
    },
  },
  '/rank-promotions/{id}': {
    get: {
      summary: 'A rank promotion',
      description:
        'With the steps taken, the pool’s usage and the actions you may take next (`nextActions`).',
      parameters: [idParameter],
      responses: {
        200: jsonResponse('OK', '#/components/schemas/RankPromotionDetail'),
        401: errorResponse('Not signed in.'),
        404: errorResponse('Not found, or outside your scope.'),
      },
    },
  },
  '/rank-promotions/{id}/steps': {
    post: {
      summary: 'Take a step: recommend, review, publicise, approve, effect, return, withdraw',
      description:
        'Send the version you saw; a stale one is refused (409). recommend needs `method`; return needs a `comment`; publicise takes the first day (`date`, default today) and computes the end (5 working days); effect takes the date the rank takes effect.',
      parameters: [idParameter, idempotencyKey],
      requestBody: body('RankStepInput'),
      responses: writeResponses(200),
    },
  },
};

const counts = {
  type: 'object',
  properties: {
    now: { type: 'integer' },
    within6: { type: 'integer' },
    within12: { type: 'integer' },
    blocked: { type: 'integer' },
  },
  required: ['now', 'within6', 'within12', 'blocked'],
};

const seat = {
  type: 'object',
  properties: {
    key: { type: 'string' },
    kind: { type: 'string', enum: ['slot', 'unit_head'] },
    rank: { type: 'string', enum: ['deputy_section', 'section_chief'] },
    name: { type: 'string' },
    leadershipKind: { type: 'string' },
    vacant: { type: 'integer' },
    partyPost: { type: 'boolean' },
    postId: { type: ['integer', 'null'] },
    unit: { type: ['object', 'null'], additionalProperties: true },
  },
  required: ['key', 'kind', 'rank', 'name', 'vacant', 'partyPost'],
  additionalProperties: true,
};

const finding = {
  type: 'object',
  properties: { code: { type: 'string' }, message: { type: 'string' } },
  required: ['code', 'message'],
  additionalProperties: true,
};

const candidate = {
  type: 'object',
  properties: {
    person: {
      type: 'object',
      properties: { id: { type: 'integer' }, name: { type: 'string' }, townshipId: { type: 'integer' } },
      required: ['id', 'name'],
    },
    eligible: { type: 'boolean' },
    eligibleFrom: nullableDate,
    blocks: { type: 'array', items: finding },
    warnings: { type: 'array', items: finding },
    avoidance: {
      type: 'array',
      description:
        'Avoidance (回避) conflicts with the seat’s leaders: leaderId, leaderName, role, relation.',
      items: { type: 'object', additionalProperties: true },
    },
  },
  required: ['person', 'eligible', 'eligibleFrom', 'blocks', 'warnings', 'avoidance'],
};

const horizons = {
  now: { type: 'array', items: candidate },
  within6: { type: 'array', items: candidate },
  within12: { type: 'array', items: candidate },
  blocked: { type: 'array', items: candidate },
};

const region = {
  type: 'object',
  properties: { id: { type: 'integer' }, name: { type: 'string' } },
  required: ['id', 'name'],
};

const promotion = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    person: region,
    countyId: { type: 'integer' },
    township: { type: ['object', 'null'], additionalProperties: true },
    fromGrade: { type: ['string', 'null'] },
    targetGrade: { type: 'string' },
    path: { type: 'string', enum: ['standard', 'simplified'] },
    poolId: { type: ['integer', 'null'] },
    state: {
      type: 'string',
      enum: ['planned', 'recommended', 'reviewed', 'in_publicity', 'approved', 'effective', 'withdrawn'],
    },
    method: { type: ['string', 'null'], enum: ['recommendation', 'evaluation', null] },
    publicityStart: nullableDate,
    publicityEnd: nullableDate,
    effectiveOn: nullableDate,
    docNo: { type: ['string', 'null'] },
    reason: { type: 'string' },
    version: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'person', 'targetGrade', 'state', 'version'],
};

const poolUsage = {
  type: 'object',
  properties: {
    approved: { type: 'integer' },
    held: { type: 'integer' },
    inProcess: { type: 'integer' },
    vacant: { type: 'integer' },
    full: { type: 'boolean' },
  },
  required: ['approved', 'held', 'inProcess', 'vacant', 'full'],
  additionalProperties: true,
};

export const promotionOpenApiSchemas: Schemas = {
  PromotionVacancies: {
    type: 'object',
    properties: {
      township: region,
      asOf: { type: 'string', format: 'date' },
      totalFull: { type: 'boolean', description: 'The township’s leadership total is reached.' },
      seats: {
        type: 'array',
        items: {
          allOf: [seat, { type: 'object', properties: { target: { type: ['string', 'null'] }, counts } }],
        },
      },
    },
    required: ['township', 'asOf', 'seats'],
  },
  PromotionCandidates: {
    type: 'object',
    properties: {
      township: region,
      asOf: { type: 'string', format: 'date' },
      seat: { ...seat, description: 'Only when asked for a seat.' },
      target: {
        type: ['object', 'null'],
        properties: { code: { type: 'string' }, name: { type: 'string' } },
      },
      leaders: { type: 'array', items: { type: 'object', additionalProperties: true } },
      countyWide: { type: 'boolean' },
      ...horizons,
    },
    required: ['township', 'asOf', 'now', 'within6', 'within12', 'blocked'],
  },
  PromotionDashboard: {
    type: 'object',
    properties: {
      county: region,
      asOf: { type: 'string', format: 'date' },
      townships: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            id: { type: 'integer' },
            name: { type: 'string' },
            totalFull: { type: 'boolean' },
            seats: { type: 'array', items: { allOf: [seat, { type: 'object', properties: { counts } }] } },
          },
        },
      },
      rankTargets: {
        type: 'array',
        items: {
          type: 'object',
          properties: { target: { type: 'string' }, name: { type: 'string' }, counts },
        },
      },
      pools: {
        type: 'array',
        items: {
          allOf: [
            poolUsage,
            {
              type: 'object',
              properties: {
                id: { type: 'integer' },
                code: { type: 'string' },
                name: { type: 'string' },
                grades: { type: 'array', items: { type: 'string' } },
              },
            },
          ],
        },
      },
      rankPromotions: {
        type: 'object',
        properties: {
          byState: { type: 'object', additionalProperties: { type: 'integer' } },
          open: { type: 'array', items: promotion },
        },
      },
    },
    required: ['county', 'asOf', 'townships', 'rankTargets', 'pools', 'rankPromotions'],
  },
  RankPromotion: promotion,
  RankPromotionList: {
    type: 'object',
    properties: {
      page: { type: 'integer' },
      pageSize: { type: 'integer' },
      total: { type: 'integer' },
      items: { type: 'array', items: ref('RankPromotion') },
    },
    required: ['page', 'pageSize', 'total', 'items'],
  },
  RankPromotionDetail: {
    allOf: [
      ref('RankPromotion'),
      {
        type: 'object',
        properties: {
          nextActions: { type: 'array', items: { type: 'string' } },
          pool: { oneOf: [poolUsage, { type: 'null' }] },
          actions: { type: 'array', items: { type: 'object', additionalProperties: true } },
        },
      },
    ],
  },
  RankPromotionInput: {
    type: 'object',
    properties: {
      personId: { type: 'integer' },
      targetGrade: { type: 'string', description: 'The next rank’s grade code, e.g. principal_3.' },
      reason: { type: 'string', maxLength: 500 },
      docNo: { type: ['string', 'null'], maxLength: 100 },
    },
    required: ['personId', 'targetGrade'],
  },
  RankStepInput: {
    type: 'object',
    properties: {
      action: {
        type: 'string',
        enum: ['recommend', 'review', 'publicise', 'approve', 'effect', 'return', 'withdraw'],
      },
      version: { type: 'integer' },
      comment: { type: 'string', maxLength: 500 },
      docNo: { type: ['string', 'null'], maxLength: 100 },
      method: { type: ['string', 'null'], enum: ['recommendation', 'evaluation', null] },
      date: nullableDate,
    },
    required: ['action', 'version'],
  },
  RankPromotionResult: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      state: { type: 'string' },
      version: { type: 'integer' },
    },
    required: ['id', 'state'],
  },
};
