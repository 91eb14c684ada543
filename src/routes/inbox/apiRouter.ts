import { Router } from 'express';
import type { Services } from '../../container.js';
import { NotFoundError } from '../../errors.js';
import { contextOf } from '../actor.js';
import type { ApiArea } from '../api/index.js';
import { errorResponse, jsonResponse } from '../api/openapiParts.js';

/** The inbox as JSON: the same sections as the page, and the count the header shows. */
function inboxApiRouter(services: Services): Router {
  const router = Router();

  router.get('/inbox', async (req, res) => {
    const sections = await services.inbox.sections(contextOf(req));
    if (!sections) throw new NotFoundError('page');
    const extra = sections.extra.map((s) => ({
      key: s.key,
      heading: req.t(s.headingKey),
      items: s.items.map((e) => ({
        href: e.href,
        message: req.t(e.messageKey, e.vars),
        due: e.due,
        overdue: e.overdue,
      })),
    }));
    const count =
      sections.awaiting.length +
      sections.returned.length +
      sections.secondments.length +
      sections.slots.length +
      sections.over.length +
      extra.reduce((n, s) => n + s.items.length, 0);
    res.json({
      asOf: sections.today,
      count,
      awaiting: sections.awaiting,
      returned: sections.returned,
      overdueSecondments: sections.secondments,
      temporarySlots: sections.slots,
      quotaOver: sections.over,
      sections: extra,
    });
  });

  return router;
}

const section = (description: string, itemRef: string) => ({
  type: 'array',
  description,
  items: { $ref: itemRef },
});

export const inboxApiArea: ApiArea = {
  name: 'inbox',
  router: inboxApiRouter,
  paths: {
    '/inbox': {
      get: {
        summary: 'Your inbox',
        description:
          'What waits for you, section by section, as on the /inbox page: requests waiting for your decision (oldest first, with the destination quota), requests returned to you, overdue secondments, temporary leadership posts to write off (within 30 days or past), quota exceeded, and the sections of other areas (promotions). Everything in your scope, worked out for today. Staff have no inbox (404).',
        responses: {
          200: jsonResponse('OK', '#/components/schemas/Inbox'),
          401: errorResponse('Not signed in.'),
          404: errorResponse('Staff have no inbox.'),
        },
      },
    },
  },
  schemas: {
    Inbox: {
      type: 'object',
      properties: {
        asOf: { type: 'string', format: 'date' },
        count: { type: 'integer', description: 'The number of things to act on (the header badge).' },
        awaiting: section('Requests waiting for your decision', '#/components/schemas/Movement'),
        returned: section('Requests returned to your township for changes', '#/components/schemas/Movement'),
        overdueSecondments: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              personId: { type: 'integer' },
              name: { type: 'string' },
              homeTownship: { type: 'string', nullable: true },
              destination: { type: 'string' },
              postName: { type: 'string' },
              since: { type: 'string', format: 'date' },
              plannedUntil: { type: 'string', format: 'date' },
            },
          },
        },
        temporarySlots: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              townshipId: { type: 'integer' },
              townshipName: { type: 'string' },
              kind: { type: 'string' },
              writeOffOn: { type: 'string', format: 'date' },
              holders: { type: 'integer' },
            },
          },
        },
        quotaOver: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              holderName: { type: 'string' },
              townshipId: { type: 'integer', nullable: true },
              establishmentType: { type: 'string' },
              approved: { type: 'integer' },
              occupied: { type: 'integer' },
              reserved: { type: 'integer' },
            },
          },
        },
        sections: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              key: { type: 'string' },
              heading: { type: 'string' },
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    href: { type: 'string' },
                    message: { type: 'string' },
                    due: { type: 'string', format: 'date', nullable: true },
                    overdue: { type: 'boolean' },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};
