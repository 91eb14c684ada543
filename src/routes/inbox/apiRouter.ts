import { Router } from 'express';
import type { Services } from '../../container.js';
import { NotFoundError } from '../../errors.js';
import { notificationSchema } from '../account/schemas.js';
import { actorOf, contextOf, principalOf } from '../actor.js';
import type { ApiArea } from '../api/index.js';
import { jsonWrite } from '../api/jsonWrite.js';
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

  router.get('/me/notifications', async (req, res) => {
    const settings = await services.digest.settings(principalOf(req).userId);
    res.json({ ...settings, digestAvailable: services.digest.enabled });
  });

  router.put('/me/notifications', (req, res) =>
    jsonWrite(
      req,
      res,
      notificationSchema,
      (d) => services.digest.updateSettings(actorOf(req), d),
      200,
      (code) => (code === 'digest_needs_email' ? 'digest.errors.needsEmail' : 'digest.errors.email'),
    ),
  );

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
    '/me/notifications': {
      get: {
        summary: 'Your daily inbox e-mail settings',
        responses: {
          200: jsonResponse('OK', '#/components/schemas/NotificationSettings'),
          401: errorResponse('Not signed in.'),
        },
      },
      put: {
        summary: 'Set your e-mail address and whether you get the daily inbox e-mail',
        description:
          '`{ "email": "name@example.gov.cn" | null, "digestEnabled": true }`; the digest needs an address.',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/NotificationSettings' } } },
        },
        responses: {
          200: jsonResponse('Saved', '#/components/schemas/NotificationSettings'),
          401: errorResponse('Not signed in.'),
          422: errorResponse('A bad address, or the digest without one.'),
        },
      },
    },
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
    NotificationSettings: {
      type: 'object',
      properties: {
        email: { type: 'string', nullable: true },
        digestEnabled: { type: 'boolean' },
        digestAvailable: {
          type: 'boolean',
          description: 'Whether this service has a mail server configured.',
        },
      },
    },
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
