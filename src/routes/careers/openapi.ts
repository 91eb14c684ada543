import {
  errorResponse,
  idParameter,
  jsonResponse,
  type PathItems,
  type Schemas,
} from '../api/openapiParts.js';

/** The careers area's part of /api/v1/openapi.json: eligibility of a person and of a township. */

const asOf = {
  name: 'asOf',
  in: 'query',
  required: false,
  description:
    'The date to assess on (YYYY-MM-DD); today by default. A future date looks ahead, if nothing changes.',
  schema: { type: 'string', format: 'date' },
} as const;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const nullableDate = { type: ['string', 'null'], format: 'date' };

const readErrors = {
  401: errorResponse('Not signed in, or the bearer token is unknown, expired or revoked.'),
  404: errorResponse('Not found, or outside your scope (the two are indistinguishable).'),
  422: errorResponse('asOf is not a date (or target is not a grade code).'),
};

export const careerOpenApiPaths: PathItems = {
  '/people/{id}/eligibility': {
    get: {
      summary: 'Eligibility of a person for each next step',
      description:
        'The eligibility engine’s answer for each reachable next step (next rank, 副科/正科 leadership, next management level): ' +
        'eligible or not, the date from which the person will be eligible if nothing changes (null when it cannot be known), ' +
        'blocks, warnings and one check per rule. Each block, warning and check carries a `message` in your language. ' +
        'Eligible is never “due”: the decision is the party committee’s. Staff may read their own.',
      parameters: [idParameter, asOf],
      responses: {
        200: {
          description: 'OK',
          content: { 'application/json': { schema: { type: 'array', items: ref('EligibilityResult') } } },
        },
        ...readErrors,
      },
    },
  },
  '/townships/{id}/eligibility': {
    get: {
      summary: 'Eligibility list of a township',
      description:
        'Everyone in service in the township, per next step: eligible now, within 6 months, within 12 months (with the date), ' +
        'or not within a year / no date can be given (with the blocks). People in surname-stroke order. `seats` tells whether ' +
        'a slot or post at the step’s level is vacant in the township.',
      parameters: [
        idParameter,
        asOf,
        {
          name: 'target',
          in: 'query',
          required: false,
          description: 'Only this next step (a grade code, e.g. township_deputy, principal_4, mgmt_8).',
          schema: { type: 'string' },
        },
      ],
      responses: { 200: jsonResponse('OK', '#/components/schemas/TownshipEligibility'), ...readErrors },
    },
  },
};

const finding = {
  type: 'object',
  description:
    'A block or warning: `code` (tenure_short, sanction, investigation, probation, recent_promotion, previous_assessment, ' +
    'family_emigrated, education_required, party_membership, education_recommended, year_not_counted, tenure_restarted, ' +
    'assessment_missing) with its values, and `message`.',
  properties: { code: { type: 'string' }, message: { type: 'string' } },
  required: ['code', 'message'],
  additionalProperties: true,
};

const listEntry = {
  type: 'object',
  properties: {
    person: {
      type: 'object',
      properties: { id: { type: 'integer' }, name: { type: 'string' } },
      required: ['id', 'name'],
    },
    eligibleFrom: nullableDate,
    blocks: { type: 'array', items: finding },
  },
  required: ['person', 'eligibleFrom', 'blocks'],
};

export const careerOpenApiSchemas: Schemas = {
  EligibilityResult: {
    type: 'object',
    properties: {
      target: { type: 'string', description: 'The grade code of the next step' },
      eligible: { type: 'boolean', description: 'Every blocking condition met on the date' },
      eligibleFrom: {
        ...nullableDate,
        description:
          'Eligible: since when (the current unbroken run). Not eligible: the first date all blocks clear if nothing changes; null when it cannot be known.',
      },
      blocks: { type: 'array', items: finding },
      warnings: { type: 'array', items: finding },
      checks: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            rule: {
              type: 'string',
              enum: [
                'tenure',
                'education',
                'party_membership',
                'no_sanction',
                'no_investigation',
                'no_probation',
                'promotion_interval',
                'previous_assessment',
                'family_not_emigrated',
              ],
            },
            required: { type: 'object', additionalProperties: true },
            actual: { type: 'object', additionalProperties: true },
            met: { type: 'boolean' },
            message: { type: 'string' },
          },
          required: ['rule', 'required', 'actual', 'met', 'message'],
        },
      },
    },
    required: ['target', 'eligible', 'eligibleFrom', 'blocks', 'warnings', 'checks'],
  },
  TownshipEligibility: {
    type: 'object',
    properties: {
      township: {
        type: 'object',
        properties: { id: { type: 'integer' }, name: { type: 'string' } },
        required: ['id', 'name'],
      },
      asOf: { type: 'string', format: 'date' },
      targets: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            target: { type: 'string' },
            name: { type: 'string' },
            ladder: { type: 'string' },
            seats: {
              type: 'object',
              description:
                '`kind`: leadership (vacant township slots and unit-head posts of the rank), not_tied (ranks need no seat), band (vacant posts whose grade band includes the level) or no_bands.',
              additionalProperties: true,
            },
            now: { type: 'array', items: listEntry },
            within6: { type: 'array', items: listEntry },
            within12: { type: 'array', items: listEntry },
            blocked: { type: 'array', items: listEntry },
          },
          required: ['target', 'name', 'now', 'within6', 'within12', 'blocked'],
        },
      },
    },
    required: ['township', 'asOf', 'targets'],
  },
};
