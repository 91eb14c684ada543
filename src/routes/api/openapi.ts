import { apiAreas } from './index.js';
import { objectWithId, type PathItems, read, type Schemas } from './openapiParts.js';

/**
 * The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json. A test checks that every route
 * the API router registers is documented here and the reverse.
 */

const quotaUsage = {
  type: 'object',
  description:
    'Usage is derived from dated rows, never stored: approved (核定), occupied (实有), reserved (在途), vacant (空编), over (超编).',
  properties: {
    approved: { type: 'integer' },
    occupied: { type: 'integer' },
    reserved: { type: 'integer' },
    vacant: { type: 'integer' },
    over: { type: 'integer' },
    status: { type: 'string', enum: ['vacant', 'full', 'over'] },
  },
  required: ['approved', 'occupied', 'reserved', 'vacant', 'over', 'status'],
};

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Gangwei (岗位通) API',
    version: '1',
    description:
      'JSON twins of the Gangwei pages. Authenticate with the session cookie (state-changing requests then need the ' +
      'X-CSRF-Token header) or with a personal token created on the account page: `Authorization: Bearer gw_…`. ' +
      'Every read is scoped: a record outside your scope answers 404. Errors are `{ "error": { "code", "message" } }` ' +
      'with the message in your language (Accept-Language or your account setting). Dates are ISO `YYYY-MM-DD`.',
  },
  servers: [{ url: '/api/v1' }],
  security: [{ bearer: [] }, { session: [] }],
  paths: {
    ...(Object.assign({}, ...apiAreas.map((a) => a.paths)) as PathItems),
    '/me': read(
      'The signed-in account',
      'Who you are and your roles with their scopes.',
      '#/components/schemas/Me',
      false,
    ),
    '/cities': read(
      'Cities in scope',
      'Cities containing something in your scope.',
      '#/components/schemas/CityList',
      false,
    ),
    '/cities/{id}': read(
      'A city',
      'Its counties in your scope with head count and quota usage today.',
      '#/components/schemas/City',
    ),
    '/counties/{id}': read(
      'A county overview',
      'Every township of the county in your scope with head count and quota usage today; county departments holding dispatched-unit quota for county-wide roles.',
      '#/components/schemas/County',
    ),
    '/townships/{id}': read(
      'A township',
      'Quota usage per establishment type, the leadership team posts with holders, and units with post counts.',
      '#/components/schemas/Township',
    ),
    '/townships/{id}/people': read(
      'A township roster',
      'Everyone belonging to the township today (ID numbers masked), in surname-stroke order.',
      '#/components/schemas/Roster',
    ),
    '/units/{id}': read(
      'A unit',
      'The unit and its open posts with their holders.',
      '#/components/schemas/Unit',
    ),
    '/posts/{id}': read('A post', 'The post and everyone who has held it.', '#/components/schemas/Post'),
    // Each capability's paths; an area may extend a core path (e.g. PATCH /posts/{id}).
    ...(Object.assign({}, ...apiAreas.map((a) => a.paths)) as PathItems),
  },
  components: {
    securitySchemes: {
      bearer: {
        type: 'http',
        scheme: 'bearer',
        description: 'A personal token from the account page (gw_…).',
      },
      session: { type: 'apiKey', in: 'cookie', name: 'gangwei.sid' },
    },
    schemas: {
      Error: {
        type: 'object',
        properties: {
          error: {
            type: 'object',
            properties: {
              code: { type: 'string' },
              message: { type: 'string' },
              field: { type: 'string' },
              requestId: { type: 'string' },
            },
            required: ['code', 'message'],
          },
        },
        required: ['error'],
      },
      QuotaUsage: quotaUsage,
      Me: {
        type: 'object',
        properties: {
          id: { type: 'integer' },
          username: { type: 'string' },
          displayName: { type: 'string' },
          locale: { type: 'string', enum: ['zh-CN', 'en'] },
          authenticatedBy: { type: 'string', enum: ['session', 'token'] },
          roles: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                role: {
                  type: 'string',
                  enum: ['admin', 'establishment_officer', 'county_reviewer', 'township_officer', 'staff'],
                },
                regionId: { type: ['integer', 'null'] },
                personId: { type: ['integer', 'null'] },
              },
            },
          },
        },
        required: ['id', 'username', 'roles'],
      },
      CityList: { type: 'object', properties: { items: { type: 'array', items: objectWithId('A city') } } },
      City: objectWithId('A city with its counties in scope'),
      County: objectWithId('A county with its townships in scope'),
      Township: objectWithId('A township'),
      Roster: {
        type: 'object',
        properties: { items: { type: 'array', items: objectWithId('A person (masked)') } },
      },
      Unit: objectWithId('A unit'),
      Post: objectWithId('A post'),
      ...(Object.assign({}, ...apiAreas.map((a) => a.schemas)) as Schemas),
    },
  },
} as const;
