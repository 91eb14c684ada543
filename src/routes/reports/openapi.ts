import { errorResponse, jsonResponse, type PathItems, type Schemas } from '../api/openapiParts.js';

/** The reports area's part of /api/v1/openapi.json: the index and one read per report. */

const county = {
  name: 'county',
  in: 'query',
  required: false,
  description:
    'Only this county’s townships (an id from /cities/{id}); all counties in your scope by default.',
  schema: { type: 'integer', minimum: 1 },
} as const;
const township = {
  name: 'township',
  in: 'query',
  required: false,
  description:
    'Only this township (implies its county). A township officer’s own township is always the one.',
  schema: { type: 'integer', minimum: 1 },
} as const;
const asOf = {
  name: 'asOf',
  in: 'query',
  required: false,
  description: 'The date the numbers are for (YYYY-MM-DD); today by default.',
  schema: { type: 'string', format: 'date' },
} as const;
const from = {
  name: 'from',
  in: 'query',
  required: false,
  description: 'The first date compared (YYYY-MM-DD); 1 January of this year by default.',
  schema: { type: 'string', format: 'date' },
} as const;
const to = {
  name: 'to',
  in: 'query',
  required: false,
  description: 'The second date compared (YYYY-MM-DD), not before `from`; today by default.',
  schema: { type: 'string', format: 'date' },
} as const;

const errors = {
  401: errorResponse('Not signed in, or the bearer token is unknown, expired or revoked.'),
  404: errorResponse(
    'A county or township outside your scope, or a staff account (staff have no reports): not found.',
  ),
  422: errorResponse('A filter is not an id or not a date, or `from` is after `to`; `field` names it.'),
};

const report = (summary: string, description: string, schema: string, period = false) => ({
  get: {
    summary,
    description,
    parameters: period ? [county, township, from, to] : [county, township, asOf],
    responses: { 200: jsonResponse('OK', `#/components/schemas/${schema}`), ...errors },
  },
});

export const reportOpenApiPaths: PathItems = {
  '/reports': {
    get: {
      summary: 'The reports you may open',
      description: 'Each report with its page and API twin, and the related movement ledger.',
      responses: {
        200: jsonResponse('OK', '#/components/schemas/ReportIndex'),
        401: errors[401],
        404: errors[404],
      },
    },
  },
  '/reports/establishment': report(
    'Quota usage (编制使用情况)',
    'Approved, occupied, reserved, vacant and over per township and establishment type on the date, county totals, the county departments’ quota held by dispatched units (county roles), and for one township its units with names. The same derived usage as /townships/{id}/quota.',
    'EstablishmentReport',
  ),
  '/reports/leadership': report(
    'Leadership posts (领导职数配备)',
    'Per township the approved total and counted leaders in post, vacancies and over-staffing, and per leadership kind approved, filled, vacant and over with the holders; totals per kind.',
    'LeadershipReport',
  ),
  '/reports/cross-type': report(
    'Cross-type placements (同岗不同编)',
    'Everyone holding a post whose establishment types do not include their quota slot’s type, with the approving movement (a cross_type one first) or the post’s cross-type decision; `recorded` is false when neither is on record.',
    'CrossTypeReport',
  ),
  '/reports/secondments': report(
    'Secondments (在编不在岗)',
    'Secondments in force on the date whose destination or home township is in the selection, overdue ones first (most overdue first), with the planned end and the days overdue.',
    'SecondmentReport',
  ),
  '/reports/eligibility': report(
    'Eligibility pipeline',
    'Per next step and township, how many are eligible now, within 6 months and within 12 months (the eligibility engine, as on /townships/{id}/eligibility, whose URL each line gives). The total counts a person on secondment once.',
    'EligibilityReport',
  ),
  '/reports/workforce': report(
    'Workforce structure',
    'People in service on the date by age band, education, gender, ethnicity and party membership: in total, per establishment type (null: no quota slot) and per township. Counts per category code (see `categories`).',
    'WorkforceReport',
  ),
  '/reports/publicity-probation': report(
    'Publicity and probation calendar (任前公示与试用期)',
    'Selection cases in publicity (or paused by an objection) and in probation in the selection, by the date their period ends; `daysLeft` from the date asked about, negative once past (`overdue`).',
    'PromotionCalendarReport',
  ),
  '/reports/changes': report(
    'Changes over a period',
    'Quota usage and people in service per township and establishment type on `from` and on `to`, with `diff` = to − from.',
    'ChangesReport',
    true,
  ),
};

const usage = {
  type: 'object',
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
const typedUsage = {
  allOf: [
    usage,
    {
      type: 'object',
      properties: { establishmentType: { type: 'string' } },
      required: ['establishmentType'],
    },
  ],
};
const townshipRef = {
  type: 'object',
  properties: { id: { type: 'integer' }, name: { type: 'string' }, countyId: { type: 'integer' } },
  required: ['id', 'name', 'countyId'],
};
const named = {
  type: ['object', 'null'],
  properties: { id: { type: 'integer' }, name: { type: 'string' } },
};
const filters = (period: boolean) => ({
  type: 'object',
  description: 'The filters as applied: the county implied by a township, the townships covered.',
  properties: {
    county: named,
    township: named,
    townships: { type: 'array', items: townshipRef },
    ...(period
      ? { from: { type: 'string', format: 'date' }, to: { type: 'string', format: 'date' } }
      : { asOf: { type: 'string', format: 'date' } }),
  },
  required: ['county', 'township', 'townships', ...(period ? ['from', 'to'] : ['asOf'])],
});
const object = (properties: Record<string, unknown>, required = Object.keys(properties)) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: true,
});
const array = (items: unknown) => ({ type: 'array', items });
const counts = object({
  assessed: { type: 'integer' },
  now: { type: 'integer' },
  within6: { type: 'integer' },
  within12: { type: 'integer' },
});
const distribution = {
  type: 'object',
  description:
    'Per dimension (age, education, gender, ethnicity, party): the total and the count per category code.',
  additionalProperties: object({
    total: { type: 'integer' },
    counts: { type: 'object', additionalProperties: { type: 'integer' } },
  }),
};
const change = object({
  from: usage,
  to: usage,
  diff: object({
    approved: { type: 'integer' },
    occupied: { type: 'integer' },
    reserved: { type: 'integer' },
    vacant: { type: 'integer' },
    over: { type: 'integer' },
  }),
  people: object({ from: { type: 'integer' }, to: { type: 'integer' }, diff: { type: 'integer' } }),
});

export const reportOpenApiSchemas: Schemas = {
  ReportIndex: object({
    items: array(
      object({
        slug: { type: 'string' },
        name: { type: 'string' },
        description: { type: 'string' },
        page: { type: 'string' },
        api: { type: 'string' },
        period: { type: 'boolean', description: 'Compares two dates (from, to) instead of taking asOf.' },
      }),
    ),
    related: array(
      object(
        {
          name: { type: 'string' },
          page: { type: ['string', 'null'] },
          api: { type: ['string', 'null'] },
          available: { type: 'boolean' },
          note: { type: 'string' },
        },
        ['name', 'page', 'api', 'available'],
      ),
    ),
  }),
  EstablishmentReport: object({
    filters: filters(false),
    townships: array(object({ ...townshipRef.properties, byType: array(typedUsage), total: usage })),
    departments: array(
      object({
        id: { type: 'integer' },
        name: { type: 'string' },
        countyId: { type: 'integer' },
        byType: array(typedUsage),
        total: usage,
      }),
    ),
    byType: array(typedUsage),
    total: usage,
    units: {
      type: ['array', 'null'],
      description:
        'For one township: the leadership team and each unit with posts, filled posts and holders.',
      items: object({
        id: { type: ['integer', 'null'] },
        name: { type: ['string', 'null'] },
        kind: { type: 'string' },
        posts: { type: 'integer' },
        filled: { type: 'integer' },
        vacantPosts: { type: 'integer' },
        holders: array(
          object({
            id: { type: 'integer' },
            name: { type: 'string' },
            establishmentType: { type: ['string', 'null'] },
            crossType: { type: 'boolean' },
            assignmentKind: { type: 'string' },
          }),
        ),
      }),
    },
  }),
  LeadershipReport: object({
    filters: filters(false),
    townships: array(
      object({
        ...townshipRef.properties,
        total: { type: ['integer', 'null'], description: 'The approved total of counted leadership posts.' },
        countedApproved: { type: 'integer' },
        countedFilled: { type: 'integer' },
        vacant: { type: ['integer', 'null'] },
        over: { type: 'integer' },
        pastWriteOff: array(
          object({ id: { type: 'integer' }, name: { type: 'string' }, kind: { type: 'string' } }, [
            'id',
            'name',
            'kind',
          ]),
        ),
        kinds: array(
          object({
            kind: { type: 'string' },
            nameZh: { type: 'string' },
            nameEn: { type: 'string' },
            rank: { type: 'string' },
            counted: { type: 'boolean' },
            concurrentOnly: { type: 'boolean' },
            temporary: { type: 'boolean' },
            approved: { type: 'integer' },
            filled: { type: 'integer' },
            vacant: { type: 'integer' },
            over: { type: 'integer' },
            holders: array(
              object({
                id: { type: 'integer' },
                name: { type: 'string' },
                assignmentKind: { type: 'string' },
              }),
            ),
          }),
        ),
      }),
    ),
    kinds: array(
      object({
        kind: { type: 'string' },
        approved: { type: 'integer' },
        filled: { type: 'integer' },
        vacant: { type: 'integer' },
        over: { type: 'integer' },
      }),
    ),
    total: object({
      total: { type: 'integer' },
      countedFilled: { type: 'integer' },
      vacant: { type: 'integer' },
      over: { type: 'integer' },
      pastWriteOff: { type: 'integer' },
    }),
  }),
  CrossTypeReport: object({
    filters: filters(false),
    townships: array(
      object({
        ...townshipRef.properties,
        count: { type: 'integer' },
        recorded: { type: 'integer' },
        unrecorded: { type: 'integer' },
      }),
    ),
    total: object({
      count: { type: 'integer' },
      recorded: { type: 'integer' },
      unrecorded: { type: 'integer' },
    }),
    items: array(
      object({
        person: named,
        townshipId: { type: 'integer' },
        post: object({
          id: { type: 'integer' },
          name: { type: 'string' },
          establishmentTypes: array({ type: 'string' }),
          crossType: { type: 'boolean' },
        }),
        establishmentType: { type: 'string' },
        assignmentKind: { type: 'string' },
        since: { type: 'string', format: 'date' },
        movement: {
          type: ['object', 'null'],
          description:
            'The approved or filed movement that placed the person in the post (kind, state, docNo, approvalDocNo, effectiveOn).',
          additionalProperties: true,
        },
        recorded: { type: 'boolean' },
      }),
    ),
  }),
  PromotionCalendarReport: object({
    filters: filters(false),
    total: object({
      publicity: { type: 'integer' },
      probation: { type: 'integer' },
      within30: { type: 'integer' },
      overdue: { type: 'integer' },
    }),
    items: array(
      object({
        caseId: { type: 'integer' },
        kind: { type: 'string', enum: ['publicity', 'probation'] },
        state: { type: 'string' },
        person: named,
        townshipId: { type: 'integer' },
        seat: { type: 'string' },
        targetLevel: { type: 'string' },
        from: { type: 'string', format: 'date' },
        until: { type: 'string', format: 'date' },
        daysLeft: { type: 'integer' },
        overdue: { type: 'boolean' },
        docNo: { type: ['string', 'null'] },
      }),
    ),
  }),
  SecondmentReport: object({
    filters: filters(false),
    total: object({ count: { type: 'integer' }, overdue: { type: 'integer' } }),
    items: array(
      object({
        person: named,
        home: object({ townshipId: { type: ['integer', 'null'] }, holder: { type: ['string', 'null'] } }),
        establishmentType: { type: ['string', 'null'] },
        destination: object({
          townshipId: { type: 'integer' },
          unit: { type: ['string', 'null'] },
          post: { type: 'string' },
        }),
        since: { type: 'string', format: 'date' },
        plannedUntil: { type: 'string', format: 'date' },
        endedOn: { type: ['string', 'null'], format: 'date' },
        overdue: { type: 'boolean' },
        daysOverdue: { type: 'integer' },
        movement: { type: ['object', 'null'], additionalProperties: true },
      }),
    ),
  }),
  EligibilityReport: object({
    filters: filters(false),
    targets: array(
      object({
        target: { type: 'string', description: 'The grade code of the next step.' },
        ladder: { type: 'string' },
        nameZh: { type: 'string' },
        nameEn: { type: 'string' },
        townships: array({ allOf: [townshipRef, counts, object({ list: { type: 'string' } })] }),
        total: counts,
      }),
    ),
  }),
  WorkforceReport: object({
    filters: filters(false),
    categories: { type: 'object', additionalProperties: array({ type: 'string' }) },
    total: distribution,
    byType: array(object({ establishmentType: { type: ['string', 'null'] }, structure: distribution })),
    byTownship: array(object({ ...townshipRef.properties, structure: distribution })),
  }),
  ChangesReport: object({
    filters: filters(true),
    townships: array(
      object({
        ...townshipRef.properties,
        byType: array({ allOf: [change, object({ establishmentType: { type: 'string' } })] }),
        total: change,
      }),
    ),
    byType: array({ allOf: [change, object({ establishmentType: { type: 'string' } })] }),
    total: change,
    withoutSlot: object({ from: { type: 'integer' }, to: { type: 'integer' } }),
  }),
};
