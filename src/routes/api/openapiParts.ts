/** Building blocks for the OpenAPI description; each area's API module describes its own paths with them. */

export const idParameter = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'integer', minimum: 1 },
} as const;

export const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

export const jsonResponse = (description: string, schemaRef: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: schemaRef } } },
});

/** A scoped GET: 200, 401 when not signed in, 404 when missing or outside the caller's scope. */
export const read = (summary: string, description: string, schemaRef: string, withId = true) => ({
  get: {
    summary,
    description,
    ...(withId ? { parameters: [idParameter] } : {}),
    responses: {
      200: jsonResponse('OK', schemaRef),
      401: errorResponse('Not signed in, or the bearer token is unknown, expired or revoked.'),
      ...(withId
        ? { 404: errorResponse('Not found, or outside your scope (the two are indistinguishable).') }
        : {}),
    },
  },
});

export const objectWithId = (description: string) => ({
  type: 'object',
  description,
  properties: { id: { type: 'integer' }, name: { type: 'string' } },
  required: ['id', 'name'],
  additionalProperties: true,
});

export type PathItems = Record<string, Record<string, unknown>>;
export type Schemas = Record<string, unknown>;
