import {
  errorResponse,
  idParameter,
  jsonResponse,
  type PathItems,
  type Schemas,
} from '../api/openapiParts.js';

/** The import area's part of /api/v1/openapi.json. */

const counted = {
  type: 'object',
  properties: { added: { type: 'integer' }, unchanged: { type: 'integer' } },
  required: ['added', 'unchanged'],
};

export const importsOpenApiPaths: PathItems = {
  '/imports': {
    post: {
      summary: 'Import a roster workbook (dry run or commit)',
      description:
        'Multipart upload of an .xlsx (10 MB at most): the template layout (sheets B01, A01–A06) or a plain roster on ' +
        'the first sheet, whose columns are mapped by `mapping` (a JSON array: index = column number, value = a target ' +
        'such as `A01.name`, `A02.postName`; the guess from the headers when absent). Every row is checked with the ' +
        'person forms’ rules, against the file (duplicates) and the database (ID numbers, posts, quota after the ' +
        'import). `dryRun=true` answers with the job and its problems and writes nothing; otherwise a valid file is ' +
        'committed at once in one transaction (201), an invalid one is refused (422) with the problems per sheet, ' +
        'row and cell. A JSON body `{ "jobId": n }` commits a job checked before. Re-importing the same file changes ' +
        'nothing (people are matched by ID number). Township officers import into their township, county roles into ' +
        'their county’s townships; staff are refused (403).',
      requestBody: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              properties: {
                file: { type: 'string', format: 'binary' },
                townshipId: {
                  type: 'integer',
                  description: 'Needed when the caller may import into several',
                },
                dryRun: { type: 'string', enum: ['true', 'false'] },
                mapping: { type: 'string', description: 'JSON array of targets per column (plain roster)' },
              },
              required: ['file'],
            },
          },
          'application/json': {
            schema: { type: 'object', properties: { jobId: { type: 'integer' } }, required: ['jobId'] },
          },
        },
      },
      responses: {
        200: jsonResponse(
          'Dry run: the job with its counts and problems (nothing written)',
          '#/components/schemas/ImportJob',
        ),
        201: jsonResponse(
          'Committed: everything written in one transaction',
          '#/components/schemas/ImportJob',
        ),
        401: errorResponse('Not signed in, or the bearer token is unknown, expired or revoked.'),
        403: errorResponse('Staff accounts do not import.'),
        404: errorResponse('The job is not found, or outside your scope.'),
        409: errorResponse('The job is not ready to commit (still being checked, or committed already).'),
        413: errorResponse('The file is larger than 10 MB.'),
        422: errorResponse(
          'Not an .xlsx file, no township chosen, or problems in the rows (listed in `job.problems`).',
        ),
      },
    },
  },
  '/imports/{id}': {
    get: {
      summary: 'An import job: state, progress, counts and problems',
      description:
        'What the preview page shows; the page polls it for progress while a job is checked or committed. ' +
        '`problems` lists at most 5,000 (`problemCount` says how many there were).',
      parameters: [idParameter],
      responses: {
        200: jsonResponse('OK', '#/components/schemas/ImportJob'),
        401: errorResponse('Not signed in, or the bearer token is unknown, expired or revoked.'),
        404: errorResponse('Not found, or outside your scope (the two are indistinguishable).'),
      },
    },
  },
};

export const importsOpenApiSchemas: Schemas = {
  ImportJob: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      townshipId: { type: 'integer' },
      state: {
        type: 'string',
        enum: ['mapping', 'validating', 'ready', 'invalid', 'committing', 'committed', 'failed'],
      },
      layout: { type: 'string', enum: ['template', 'roster'] },
      fileName: { type: 'string' },
      progress: {
        type: 'object',
        properties: {
          phase: { type: ['string', 'null'], enum: ['reading', 'checking', 'writing', null] },
          done: { type: 'integer' },
          total: { type: 'integer' },
        },
      },
      counts: {
        type: ['object', 'null'],
        properties: {
          rows: { type: 'object', additionalProperties: { type: 'integer' } },
          people: {
            type: 'object',
            properties: {
              create: { type: 'integer' },
              update: { type: 'integer' },
              unchanged: { type: 'integer' },
            },
          },
          placements: counted,
          grades: counted,
          educations: counted,
          sanctions: counted,
          assessments: counted,
          awardsSkipped: { type: 'integer' },
          ignoredSheets: { type: 'array', items: { type: 'string' } },
          quota: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                establishmentType: { type: 'string' },
                approved: { type: 'integer' },
                occupied: { type: 'integer' },
                reserved: { type: 'integer' },
                adding: { type: 'integer' },
                after: { type: 'integer' },
              },
            },
          },
        },
      },
      mapping: { type: ['array', 'null'], items: { type: ['string', 'null'] } },
      problems: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            sheet: { type: 'string' },
            row: { type: 'integer' },
            column: { type: ['string', 'null'], description: 'Column letter' },
            cell: { type: ['string', 'null'], description: 'e.g. B3' },
            field: { type: ['string', 'null'] },
            code: { type: 'string' },
            message: { type: 'string' },
          },
          required: ['sheet', 'row', 'column', 'cell', 'field', 'code', 'message'],
        },
      },
      problemCount: { type: 'integer' },
      failure: { type: ['string', 'null'] },
      committedAt: { type: ['string', 'null'], format: 'date-time' },
    },
    required: ['id', 'townshipId', 'state', 'layout', 'fileName', 'progress', 'problems', 'problemCount'],
  },
};
