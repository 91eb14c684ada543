import { type Request, Router } from 'express';
import type { Services } from '../../container.js';
import { NotFoundError } from '../../errors.js';
import { contextOf, principalOf } from '../actor.js';
import type { ApiArea } from '../api/index.js';
import { jsonWrite } from '../api/jsonWrite.js';
import { errorResponse, idParameter, jsonResponse } from '../api/openapiParts.js';
import { promotionRuleSchema, sanctionPeriodSchema } from '../careers/schemas.js';
import { idParam } from '../forms.js';
import { countySettingsSchema } from './schemas.js';

/**
 * The administrator's JSON twins: county settings and the rules as data (promotion rules, sanction periods).
 * Everyone else gets 404, as on the pages.
 */
function adminApiRouter(services: Services): Router {
  const router = Router();
  const idOf = (req: Request) => {
    const id = idParam(req.params.id);
    if (id === null) throw new NotFoundError();
    return id;
  };

  router.get('/county-settings', async (req, res) => {
    const counties = await services.admin.countySettings.overview(principalOf(req));
    res.json({
      items: counties.map((c) => ({
        countyId: c.id,
        county: c.name,
        city: c.cityName,
        ...c.settings,
        own: c.updatedAt !== null,
        updatedAt: c.updatedAt,
      })),
    });
  });

  router.get('/counties/:id/settings', async (req, res) => {
    const { county, settings } = await services.admin.countySettings.forCounty(principalOf(req), idOf(req));
    res.json({ countyId: county.id, county: county.name, ...settings });
  });

  router.put('/counties/:id/settings', async (req, res) => {
    const countyId = idOf(req);
    await services.admin.countySettings.forCounty(principalOf(req), countyId);
    const body = (req.body ?? {}) as Record<string, unknown>;
    req.body = {
      ...body,
      countyId,
      unitDeputyThresholds: Array.isArray(body.unitDeputyThresholds)
        ? body.unitDeputyThresholds.join(',')
        : body.unitDeputyThresholds,
    };
    return jsonWrite(
      req,
      res,
      countySettingsSchema,
      (d) => services.admin.countySettings.update(contextOf(req), d),
      200,
      (code) => `countySettings.refusals.${code}`,
    );
  });

  router.get('/rules', async (req, res) => {
    const d = await services.careers.rules.overview(principalOf(req), services.clock.today());
    res.json({ asOf: d.asOf, promotionRules: d.rules, sanctionPeriods: d.periods });
  });

  router.post('/rules/promotion', (req, res) =>
    jsonWrite(
      req,
      res,
      promotionRuleSchema,
      (d) => services.careers.rules.recordPromotionRule(contextOf(req), d),
      201,
      (code) => `rulesAdmin.refusals.${code}`,
    ),
  );

  router.post('/rules/sanction-periods', (req, res) =>
    jsonWrite(
      req,
      res,
      sanctionPeriodSchema,
      (d) => services.careers.rules.recordSanctionPeriod(contextOf(req), d),
      201,
      (code) => `rulesAdmin.refusals.${code}`,
    ),
  );

  return router;
}

const adminOnly = errorResponse('Only the administrator: everyone else gets 404.');

export const adminApiArea: ApiArea = {
  name: 'admin',
  router: adminApiRouter,
  paths: {
    '/county-settings': {
      get: {
        summary: 'Every county’s settings (administrator)',
        description:
          'Unit limit, featured units, unit deputy thresholds, filing-only movement kinds, how long a quota-use approval holds, the longest secondment; `own` is false where the defaults apply.',
        responses: {
          200: jsonResponse('OK', '#/components/schemas/CountySettingsList'),
          401: errorResponse('Not signed in.'),
          404: adminOnly,
        },
      },
    },
    '/counties/{id}/settings': {
      get: {
        summary: 'One county’s settings (administrator)',
        parameters: [idParameter],
        responses: {
          200: jsonResponse('OK', '#/components/schemas/CountySettings'),
          401: errorResponse('Not signed in.'),
          404: adminOnly,
        },
      },
      put: {
        summary: 'Change a county’s settings (administrator)',
        description:
          'All values at once, with `source` (the document setting them, kept in the audit log). One transaction, one audit entry; `Idempotency-Key` supported.',
        parameters: [idParameter],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/CountySettingsInput' } } },
        },
        responses: {
          200: jsonResponse('Saved', '#/components/schemas/CountyRef'),
          401: errorResponse('Not signed in.'),
          404: adminOnly,
          422: errorResponse('Bad values, each named with its field.'),
        },
      },
    },
    '/rules': {
      get: {
        summary: 'Promotion rules and sanction impact periods (administrator)',
        description:
          'Every version, national and per county, with its state today (current, replaced, future).',
        responses: {
          200: jsonResponse('OK', '#/components/schemas/RulesOverview'),
          401: errorResponse('Not signed in.'),
          404: adminOnly,
        },
      },
    },
    '/rules/promotion': {
      post: {
        summary: 'Record a county’s version of a promotion rule (administrator)',
        description:
          'Fields as on the form: countyId, target, minMonths, countedGrades (list), minEducation, educationBlocks ("blocks" | "warns"), partyMemberRequired, effectiveFrom, source. A version is never edited; the same county, target and date again is 409.',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { type: 'object' } } },
        },
        responses: {
          201: jsonResponse('Recorded', '#/components/schemas/CountyRef'),
          401: errorResponse('Not signed in.'),
          404: adminOnly,
          409: errorResponse('A version for that county, target and date exists.'),
          422: errorResponse('Bad values.'),
        },
      },
    },
    '/rules/sanction-periods': {
      post: {
        summary: 'Record a county’s sanction impact period (administrator)',
        description: 'countyId, kindCode, impactMonths, effectiveFrom, source.',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { type: 'object' } } },
        },
        responses: {
          201: jsonResponse('Recorded', '#/components/schemas/CountyRef'),
          401: errorResponse('Not signed in.'),
          404: adminOnly,
          409: errorResponse('A version for that county, kind and date exists.'),
          422: errorResponse('Bad values.'),
        },
      },
    },
  },
  schemas: {
    CountyRef: { type: 'object', properties: { id: { type: 'integer' }, countyId: { type: 'integer' } } },
    CountySettings: {
      type: 'object',
      properties: {
        countyId: { type: 'integer' },
        county: { type: 'string' },
        unitLimit: { type: 'integer' },
        featuredUnitLimit: { type: 'integer' },
        unitDeputyThresholds: { type: 'array', items: { type: 'integer' } },
        filingOnlyKinds: { type: 'array', items: { type: 'string' } },
        quotaApprovalMonths: { type: 'integer' },
        secondmentMaxMonths: { type: 'integer' },
      },
    },
    CountySettingsList: {
      type: 'object',
      properties: { items: { type: 'array', items: { $ref: '#/components/schemas/CountySettings' } } },
    },
    CountySettingsInput: {
      type: 'object',
      required: ['unitLimit', 'featuredUnitLimit', 'quotaApprovalMonths', 'secondmentMaxMonths', 'source'],
      properties: {
        unitLimit: { type: 'integer', minimum: 1, maximum: 50 },
        featuredUnitLimit: { type: 'integer', minimum: 0, maximum: 5 },
        unitDeputyThresholds: {
          type: 'array',
          items: { type: 'integer', minimum: 1, maximum: 99 },
          maxItems: 3,
        },
        filingOnlyKinds: {
          type: 'array',
          items: { type: 'string', enum: ['internal', 'secondment', 'exit', 'cross_type'] },
        },
        quotaApprovalMonths: { type: 'integer', minimum: 1, maximum: 36 },
        secondmentMaxMonths: { type: 'integer', minimum: 1, maximum: 60 },
        source: { type: 'string', maxLength: 200 },
      },
    },
    RulesOverview: {
      type: 'object',
      properties: {
        asOf: { type: 'string', format: 'date' },
        promotionRules: { type: 'array', items: { type: 'object' } },
        sanctionPeriods: { type: 'array', items: { type: 'object' } },
      },
    },
  },
};
