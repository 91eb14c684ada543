import { type PathItems, read, type Schemas } from '../api/openapiParts.js';

/** The resume area's part of /api/v1/openapi.json. */

const month = { type: 'string', pattern: '^\\d{4}-\\d{2}$', description: 'YYYY-MM' };
const openMonth = {
  type: ['string', 'null'],
  pattern: '^\\d{4}-\\d{2}$',
  description: 'YYYY-MM; null: open-ended',
};

export const resumeOpenApiPaths: PathItems = {
  '/people/{id}/resume': read(
    "A person's resume (简历)",
    'Generated from the free-text lines for the time before the record and the effective-dated history, in the ' +
      'cadre format (`2019.07--2021.03  示范县城关镇党政综合办公室文秘（一级科员）`). A period [from, to) ends in the month ' +
      'of `to`, the month the next one starts; the current line is open-ended. In-service study, concurrent posts ' +
      'and secondments are nested under the line they start in. Gaps and overlaps (in months) are listed as warnings.',
    '#/components/schemas/Resume',
  ),
};

export const resumeOpenApiSchemas: Schemas = {
  Resume: {
    type: 'object',
    properties: {
      personId: { type: 'integer' },
      asOf: { type: 'string', description: 'YYYY-MM-DD' },
      lines: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            from: month,
            to: openMonth,
            text: { type: 'string' },
            source: { type: 'string', enum: ['free', 'history'] },
            nested: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  kind: { type: 'string', enum: ['study', 'concurrent', 'secondment'] },
                  from: month,
                  to: openMonth,
                  text: { type: 'string' },
                },
                required: ['kind', 'from', 'to', 'text'],
              },
            },
          },
          required: ['from', 'to', 'text', 'source', 'nested'],
        },
      },
      text: { type: 'string', description: 'The whole resume, one line per row, nested lines indented' },
      warnings: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            kind: { type: 'string', enum: ['gap', 'overlap'] },
            from: month,
            to: openMonth,
            months: { type: ['integer', 'null'] },
            lines: { type: 'array', items: { type: 'integer' }, description: 'The two lines (1-based)' },
            message: { type: 'string' },
          },
          required: ['kind', 'from', 'to', 'months', 'lines', 'message'],
        },
      },
    },
    required: ['personId', 'asOf', 'lines', 'text', 'warnings'],
  },
};
