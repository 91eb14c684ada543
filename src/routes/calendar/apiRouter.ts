import { Router } from 'express';
import type { Services } from '../../container.js';
import { contextOf, principalOf } from '../actor.js';
import type { ApiArea } from '../api/index.js';
import { jsonWrite } from '../api/jsonWrite.js';
import { errorResponse, jsonResponse } from '../api/openapiParts.js';
import { parseForm } from '../forms.js';
import { calendarDaySchema, workingDaysQuery } from './schemas.js';

/** The official calendar's JSON: working-day arithmetic for everyone signed in, day overrides for the admin. */
function calendarApiRouter(services: Services): Router {
  const router = Router();

  router.get('/calendar/working-days', async (req, res) => {
    const parsed = parseForm(workingDaysQuery, req.query, req);
    if (!parsed.ok) {
      const [first] = parsed.errors;
      return res
        .status(422)
        .json({ error: { code: 'validation', field: first?.field, message: first?.text } });
    }
    const { from, days } = parsed.data;
    const wd = services.calendar.workingDays;
    const end = await wd.addWorkingDays(from, days);
    const period = days > 0 ? await wd.periodEnd(from, days) : null;
    res.json({
      from,
      days,
      end: end.date,
      periodEnd: period?.date ?? null,
      fromIsWorkingDay: await wd.isWorkingDay(from),
      provisional: end.provisional || period?.provisional === true,
    });
  });

  router.put('/calendar/days/:day', (req, res) => {
    services.calendar.assertAdmin(principalOf(req));
    req.body = { ...((req.body ?? {}) as Record<string, unknown>), day: req.params.day };
    return jsonWrite(
      req,
      res,
      calendarDaySchema,
      (d) => services.calendar.setDay(contextOf(req), d),
      200,
      (code) => `calendar.refusals.${code}`,
    );
  });

  return router;
}

export const calendarApiArea: ApiArea = {
  name: 'calendar',
  router: calendarApiRouter,
  paths: {
    '/calendar/working-days': {
      get: {
        summary: 'Working days on the official calendar',
        description:
          'The date `days` working days after `from` (`from` not counted; negative counts back), on the official holiday and make-up-workday calendar (国务院办公厅 schedule; weekends are off unless a make-up workday). `periodEnd` is the last day of a period of `days` working days beginning on `from` (a 任前公示 of 5 working days). `provisional` is true when the count reaches a year whose schedule is not recorded yet.',
        parameters: [
          { name: 'from', in: 'query', required: true, schema: { type: 'string', format: 'date' } },
          {
            name: 'days',
            in: 'query',
            required: true,
            schema: { type: 'integer', minimum: -366, maximum: 366 },
          },
        ],
        responses: {
          200: jsonResponse('OK', '#/components/schemas/WorkingDays'),
          401: errorResponse('Not signed in.'),
          422: errorResponse('A missing or malformed date or number of days.'),
        },
      },
    },
    '/calendar/days/{day}': {
      put: {
        summary: 'Add or override one day of the official calendar (administrator)',
        description:
          '`kind`: holiday (no work), workday (a make-up workday), ordinary (the weekday rule, overriding a recorded day); `name` (e.g. 春节); `docNo`: the State Council notice. One transaction, one audit entry; `Idempotency-Key` supported.',
        parameters: [{ name: 'day', in: 'path', required: true, schema: { type: 'string', format: 'date' } }],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/CalendarDayInput' } } },
        },
        responses: {
          200: jsonResponse('Saved', '#/components/schemas/CalendarDayRef'),
          401: errorResponse('Not signed in.'),
          404: errorResponse('Only the administrator: everyone else gets 404.'),
          422: errorResponse('Bad values, each named with its field; or nothing would change.'),
        },
      },
    },
  },
  schemas: {
    WorkingDays: {
      type: 'object',
      properties: {
        from: { type: 'string', format: 'date' },
        days: { type: 'integer' },
        end: { type: 'string', format: 'date' },
        periodEnd: { type: ['string', 'null'], format: 'date' },
        fromIsWorkingDay: { type: 'boolean' },
        provisional: { type: 'boolean' },
      },
      required: ['from', 'days', 'end', 'provisional'],
    },
    CalendarDayInput: {
      type: 'object',
      required: ['kind', 'docNo'],
      properties: {
        kind: { type: 'string', enum: ['holiday', 'workday', 'ordinary'] },
        name: { type: 'string', maxLength: 100 },
        docNo: { type: 'string', maxLength: 100 },
      },
    },
    CalendarDayRef: { type: 'object', properties: { day: { type: 'string', format: 'date' } } },
  },
};
