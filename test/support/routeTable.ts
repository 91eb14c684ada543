import type { Express } from 'express';
import type { Knex } from 'knex';
import type { Services } from '../../src/container.js';
import type { Actor } from '../../src/db/repositories/audit.js';
import { demoScopes } from './factories.js';
import { TEST_TODAY } from './world.js';

/**
 * Every route of the app, read from the Express router itself (so a new route can't be missed), and the
 * records each route's parameters point at, inside and outside a role's scope.
 */

export interface RouteEntry {
  /** Upper-case method; routes declared with `router.all` (form flows) appear as GET and POST. */
  method: string;
  /** The full path with its parameters, e.g. `/api/v1/people/:id`. */
  path: string;
}

/** Where routers are mounted with a path prefix (everything else is mounted at the root). */
const MOUNT_PREFIXES = ['/api/v1'];

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  match?: (path: string) => boolean;
}

function mountPrefix(layer: Layer): string {
  if (!layer.match || layer.match('/__any__/__path__')) return '';
  for (const prefix of MOUNT_PREFIXES) if (layer.match(`${prefix}/__any__`)) return prefix;
  throw new Error('a router is mounted under a prefix routeTable.ts does not know: add it to MOUNT_PREFIXES');
}

function walk(stack: Layer[], prefix: string, out: Map<string, RouteEntry>): void {
  for (const layer of stack) {
    if (layer.route) {
      const methods = Object.entries(layer.route.methods)
        .filter(([, on]) => on)
        .map(([m]) => m.toUpperCase());
      const expanded = methods.flatMap((m) => (m === '_ALL' ? ['GET', 'POST'] : [m]));
      for (const method of expanded) {
        const path = `${prefix}${layer.route.path}`;
        out.set(`${method} ${path}`, { method, path });
      }
    } else if (layer.handle?.stack) {
      walk(layer.handle.stack, prefix + mountPrefix(layer), out);
    }
  }
}

/** The app's routes, in the order they were declared (duplicates, i.e. the same path on two routers, once). */
export function listRoutes(app: Express): RouteEntry[] {
  const out = new Map<string, RouteEntry>();
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '', out);
  return [...out.values()];
}

export const routeKey = (r: RouteEntry): string => `${r.method} ${r.path}`;

/** Roles in the order of the expectation strings. */
export const ROLES = ['admin', 'bianban', 'zuzhibu', 'officer', 'staff', 'anon'] as const;
export type RoleName = (typeof ROLES)[number];

export type Side = 'in' | 'out';

/** A value for a parameter, and how to remove what was created for it (rows a destructive route may delete). */
export interface Filled {
  url: string;
  cleanup: Array<() => Promise<void>>;
}

interface Sample {
  township: number;
  county: number;
  unit: number;
  post: number;
  person: number;
  movement?: number;
  batch?: number;
  rankPromotion?: number;
  promotionCase?: number;
  importJob?: number;
  entry: number;
}

export interface Targets {
  in: Sample & { city: number };
  out: Sample;
  userIds: Record<Exclude<RoleName, 'anon'>, number>;
}

async function sampleOf(knex: Knex, townshipId: number, countyId: number, person?: number): Promise<Sample> {
  const unit = await knex('units').where({ township_id: townshipId }).orderBy('id').first('id');
  const held = await knex('assignments as a')
    .join('posts as p', 'p.id', 'a.post_id')
    .where('p.township_id', townshipId)
    .whereNotNull('p.unit_id')
    .andWhere('a.kind', 'primary')
    .whereNull('a.superseded_at')
    .andWhere('a.valid_from', '<=', TEST_TODAY)
    .andWhere((q) => q.whereNull('a.valid_to').orWhere('a.valid_to', '>', TEST_TODAY))
    .modify((q) => {
      if (person) q.where('a.person_id', person);
    })
    .orderBy('p.id')
    .first('p.id as post_id', 'a.person_id', 'a.id as assignment_id');
  if (!unit || !held) throw new Error(`township ${townshipId} has no sample`);
  const movement = await knex('movement_requests')
    .where((q) => q.where('from_township_id', townshipId).orWhere('to_township_id', townshipId))
    .orderBy('id')
    .first('id');
  const batch = await knex('movement_batches').where({ county_id: countyId }).orderBy('id').first('id');
  const rankPromotion = await knex('rank_promotions')
    .where({ township_id: townshipId })
    .orderBy('id')
    .first('id');
  const promotionCase = await knex('promotion_cases')
    .where({ township_id: townshipId })
    .orderBy('id')
    .first('id');
  const importJob = await knex('import_jobs').where({ township_id: townshipId }).orderBy('id').first('id');
  return {
    township: townshipId,
    county: countyId,
    unit: unit.id,
    post: held.post_id,
    person: held.person_id,
    entry: held.assignment_id,
    movement: movement?.id,
    batch: batch?.id,
    rankPromotion: rankPromotion?.id,
    promotionCase: promotionCase?.id,
    importJob: importJob?.id,
  };
}

/** In scope: the demo officer's township (and the staff account's person); out of scope: another county's township. */
export async function loadTargets(knex: Knex): Promise<Targets> {
  const s = await demoScopes(knex);
  const users = await knex('users')
    .whereIn('username', ['admin', 'bianban', 'zuzhibu', 'officer', 'staff'])
    .select('id', 'username');
  const userIds = Object.fromEntries(users.map((u) => [u.username, u.id])) as Targets['userIds'];
  const inside = { ...(await sampleOf(knex, s.township, s.county, s.staffPerson)), city: s.city };
  const outside = await sampleOf(knex, s.township3, s.county2);
  return { in: inside, out: outside, userIds };
}

const actorOf = (userId: number): Actor => ({ userId, username: 'matrix', requestId: 'matrix' });

/** Rows created for destructive routes, removed again after the call whatever happened. */
let tinyXlsx: Buffer | undefined;
/** A one-sheet workbook (the marked copy loads the job's file). */
async function tinyWorkbook(): Promise<Buffer> {
  if (tinyXlsx) return tinyXlsx;
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('A01').addRow(['姓名', '公民身份号码']);
  tinyXlsx = Buffer.from(await wb.xlsx.writeBuffer());
  return tinyXlsx;
}

async function freshRow(knex: Knex, table: string, row: Record<string, unknown>, cleanup: Filled['cleanup']) {
  const [created] = await knex(table).insert(row).returning('id');
  const id = (created as { id: number }).id;
  cleanup.push(async () => {
    await knex(table).where({ id }).del();
  });
  return id;
}

/**
 * Fills a route's parameters with records inside or outside the scope of the role calling it. Returns
 * undefined when the route has no parameter that scope applies to (then there is no out-of-scope call).
 */
export async function fillPath(
  route: RouteEntry,
  side: Side,
  role: RoleName,
  targets: Targets,
  services: Services,
  knex: Knex,
): Promise<Filled | undefined> {
  const t = side === 'in' ? targets.in : targets.out;
  const cleanup: Filled['cleanup'] = [];
  const segments = route.path.split('/');
  if (!segments.some((s) => s.startsWith(':')))
    return side === 'in' ? { url: route.path, cleanup } : undefined;
  const parts: string[] = [];
  for (let i = 0; i < segments.length; i += 1) {
    const seg = segments[i] as string;
    const before = segments[i - 1] ?? '';
    if (!seg.startsWith(':')) {
      parts.push(seg);
      continue;
    }
    let value: number | string | undefined;
    if (seg === ':id' || seg === ':countyId') {
      const byKind: Record<string, number | undefined> = {
        people: t.person,
        townships: t.township,
        counties: t.county,
        cities: side === 'in' ? targets.in.city : undefined,
        units: t.unit,
        posts: t.post,
        movements: t.movement,
        transfers: t.movement,
        'movement-batches': t.batch,
        'transfer-batches': t.batch,
        'rank-promotions': t.rankPromotion,
        promotions: t.promotionCase,
        imports: t.importJob,
      };
      if (before === 'tokens') {
        // In scope: the caller's own token; out: somebody else's.
        const owner =
          side === 'in' && role !== 'anon'
            ? targets.userIds[role]
            : targets.userIds[role === 'admin' ? 'staff' : 'admin'];
        const created = await services.auth.createToken(actorOf(owner), 'matrix', null);
        value = created.token.id;
        cleanup.push(async () => {
          await knex('api_tokens').where({ id: created.token.id }).update({ revoked_at: new Date() });
        });
      } else if (before === 'imports') {
        // An import job of the township on this side (a checked file with a problem: nothing to commit).
        const [job] = await knex('import_jobs')
          .insert({
            township_id: t.township,
            created_by: targets.userIds.officer,
            layout: 'template',
            state: 'invalid',
            file_name: 'matrix.xlsx',
            file: await tinyWorkbook(),
            file_sha256: '0'.repeat(64),
            problems: JSON.stringify([
              { sheet: 'A01', row: 2, column: 2, field: 'idNumber', key: 'imports.problems.idNumberInvalid' },
            ]),
          })
          .returning('id');
        const jobId = (job as { id: number }).id;
        value = jobId;
        cleanup.push(async () => {
          await knex('import_jobs').where({ id: jobId }).delete();
        });
      } else value = byKind[before];
    } else if (seg === ':kind') value = 'assignments';
    else if (seg === ':seat') {
      // A seat of the township as the vacancies page lists it today (earlier tests may fill or open seats).
      const scope = await services.access.scopeFor({
        userId: targets.userIds.admin,
        username: 'admin',
        displayName: 'admin',
        locale: 'zh-CN',
        via: 'session',
        grants: [{ role: 'admin', regionId: null, personId: null }],
      });
      const v = await services.promotions.candidates.townshipVacancies(scope, t.township, TEST_TODAY);
      // With no vacant seat the key of a filled one is asked for: 404 in scope too (hence `200/404` below).
      value = v.seats[0]?.seat.key ?? 'slot-deputy_mayor';
    } else if (seg === ':day') value = side === 'in' ? '2027-01-01' : undefined;
    else if (seg === ':entryId') value = t.entry;
    else if (seg === ':rowId') {
      const area =
        before === 'lines' ? 'resume_lines' : before === 'family' ? 'family_members' : 'educations';
      const row: Record<string, unknown> =
        area === 'resume_lines'
          ? { person_id: t.person, from_month: '1990-01-01', to_month: '1991-01-01', text: '矩阵测试' }
          : area === 'family_members'
            ? { person_id: t.person, relation: 'other', name: '矩阵测试', political_status: 'masses' }
            : { person_id: t.person, level: 'bachelor', mode: 'full_time', school: '矩阵测试' };
      value = await freshRow(knex, area, row, cleanup);
    } else if (seg === ':sanctionId') {
      value = await freshRow(
        knex,
        'sanctions',
        { person_id: t.person, kind_code: 'gov_warning', decided_on: '2001-01-01', closed_on: '2002-01-01' },
        cleanup,
      );
    }
    if (value === undefined) return undefined;
    parts.push(String(value));
  }
  return { url: parts.join('/'), cleanup };
}

/**
 * THE expectation table: for every route, the status each role gets — in the order admin, 编办 (bianban), 组织部
 * (zuzhibu), township officer, staff, anonymous — first on records in scope (the officer's township, the staff
 * member's own person), then on records outside it (a township of another county); `-` where the route has no
 * record to be out of scope with. Writes are sent with the CSRF token and an empty body, so a role that passes
 * authorisation meets validation (400 on pages, 422 in the API) and nothing is written; `w1` marks the
 * destructive routes whose fresh target row is removed (one audit entry). Without the token every write is 403.
 * A route missing here fails the matrix test: add its row when you add the route.
 */
export const EXPECTED: Record<string, string> = {
  'POST /logout': 'skip: signs the caller out; covered by auth.test.ts "signs out" and security.test.ts',
  'GET /healthz': '200 200 200 200 200 200 | - - - - - -',
  'GET /api/v1/openapi.json': '200 200 200 200 200 200 | - - - - - -',
  'POST /people/:id/photo': '400 400 400 400 403 303 | 400 404 404 404 404 303',
  'POST /townships/:id/assessments': '404 404 404 404 404 303 | 404 404 404 404 404 303',
  'POST /people/import-lrmx': '400 400 400 400 404 303 | - - - - - -',
  'GET /': '303 303 303 303 303 303 | - - - - - -',
  'GET /login': '303 303 303 303 303 200 | - - - - - -',
  'POST /login': '400 400 400 400 400 400 | - - - - - -',
  'POST /locale': '400 400 400 400 400 400 | - - - - - -',
  'GET /api/v1/me': '200 200 200 200 200 401 | - - - - - -',
  'GET /api/v1/cities': '200 200 200 200 200 401 | - - - - - -',
  'GET /api/v1/cities/:id': '200 200 200 200 404 401 | - - - - - -',
  'GET /api/v1/counties/:id': '200 200 200 200 404 401 | 200 404 404 404 404 401',
  'GET /api/v1/townships/:id': '200 200 200 200 404 401 | 200 404 404 404 404 401',
  'GET /api/v1/townships/:id/people': '200 200 200 200 404 401 | 200 404 404 404 404 401',
  'GET /api/v1/units/:id': '200 200 200 200 404 401 | 200 404 404 404 404 401',
  'GET /api/v1/posts/:id': '200 200 200 200 404 401 | 200 404 404 404 404 401',
  'GET /api/v1/townships': '422 422 422 422 422 401 | - - - - - -',
  'GET /api/v1/townships/:id/quota': '200 200 200 200 404 401 | 200 404 404 404 404 401',
  'GET /api/v1/townships/:id/leadership': '200 200 200 200 404 401 | 200 404 404 404 404 401',
  'GET /api/v1/townships/:id/org-chart': '200 200 200 200 404 401 | 200 404 404 404 404 401',
  'GET /api/v1/townships/:id/quota-decisions': '200 200 200 200 404 401 | 200 404 404 404 404 401',
  'GET /api/v1/townships/:id/slot-decisions': '200 200 200 200 404 401 | 200 404 404 404 404 401',
  'GET /api/v1/townships/:id/unit-decisions': '200 200 200 200 404 401 | 200 404 404 404 404 401',
  'GET /api/v1/counties/:id/quota-decisions': '200 200 200 404 404 401 | 200 404 404 404 404 401',
  'POST /api/v1/quota-decisions': '422 422 422 422 422 401 | - - - - - -',
  'POST /api/v1/townships/:id/slot-decisions': '422 422 422 422 422 401 | 422 422 422 422 422 401',
  'POST /api/v1/townships/:id/leadership-total': '422 422 422 422 422 401 | 422 422 422 422 422 401',
  'POST /api/v1/townships/:id/units': '422 422 422 422 422 401 | 422 422 422 422 422 401',
  'POST /api/v1/units/:id/changes': '422 422 422 422 422 401 | 422 422 422 422 422 401',
  'POST /api/v1/units/:id/abolition': '422 422 422 422 422 401 | 422 422 422 422 422 401',
  'POST /api/v1/townships/:id/reorganisations': '422 422 422 422 422 401 | 422 422 422 422 422 401',
  'POST /api/v1/townships/:id/posts': '422 422 422 422 422 401 | 422 422 422 422 422 401',
  'PATCH /api/v1/posts/:id': '422 422 422 422 422 401 | 422 422 422 422 422 401',
  'POST /api/v1/posts/:id/closure': '422 422 422 422 422 401 | 422 422 422 422 422 401',
  'POST /api/v1/posts/:id/placements': '422 422 422 422 422 401 | 422 422 422 422 422 401',
  'GET /api/v1/people': '200 200 200 200 200 401 | - - - - - -',
  'POST /api/v1/people': '422 422 422 422 422 401 | - - - - - -',
  'GET /api/v1/people/:id': '200 200 200 200 200 401 | 200 404 404 404 404 401',
  'PATCH /api/v1/people/:id': '200 200 200 200 403 401 | 200 404 404 404 404 401',
  'POST /api/v1/people/:id/assignments': '422 422 422 422 403 401 | 422 404 404 404 404 401',
  'POST /api/v1/people/:id/grades': '422 422 422 422 403 401 | 422 404 404 404 404 401',
  'POST /api/v1/people/:id/slots': '422 422 422 422 403 401 | 422 404 404 404 404 401',
  'POST /api/v1/people/:id/statuses': '422 422 422 422 403 401 | 422 404 404 404 404 401',
  'POST /api/v1/people/:id/assessments': '422 422 422 422 403 401 | 422 404 404 404 404 401',
  'POST /api/v1/people/:id/sanctions': '422 422 422 422 403 401 | 422 404 404 404 404 401',
  'POST /api/v1/people/:id/family': '422 422 422 422 403 401 | 422 404 404 404 404 401',
  'POST /api/v1/people/:id/educations': '422 422 422 422 403 401 | 422 404 404 404 404 401',
  'GET /api/v1/people/:id/resume': '200 200 200 200 200 401 | 200 404 404 404 404 401',
  'GET /api/v1/transfers': '200 200 200 200 200 401 | - - - - - -',
  'GET /api/v1/transfers/choices': '422 422 422 422 422 401 | - - - - - -',
  'POST /api/v1/transfers': '422 422 422 422 422 401 | - - - - - -',
  'GET /api/v1/transfers/:id': '200 200 200 200 404 401 | - - - - - -',
  'POST /api/v1/transfers/:id/decisions': '422 422 422 422 422 401 | - - - - - -',
  'POST /api/v1/transfers/:id/opinion': '422 422 422 422 422 401 | - - - - - -',
  'POST /api/v1/transfers/:id/secondment-end': '422 422 422 422 422 401 | - - - - - -',
  'GET /api/v1/movement-ledger': '200 200 200 200 200 401 | - - - - - -',
  'POST /api/v1/transfer-batches': '422 422 422 422 422 401 | - - - - - -',
  'GET /api/v1/transfer-batches/:id': '200 200 200 200 404 401 | - - - - - -',
  'POST /api/v1/transfer-batches/:id/decisions': '422 422 422 422 422 401 | - - - - - -',
  'GET /api/v1/people/:id/eligibility': '200 200 200 200 200 401 | 200 404 404 404 404 401',
  'GET /api/v1/townships/:id/eligibility': '200 200 200 200 404 401 | 200 404 404 404 404 401',
  'GET /api/v1/inbox': '200 200 200 200 404 401 | - - - - - -',
  'GET /api/v1/me/notifications': '200 200 200 200 200 401 | - - - - - -',
  'PUT /api/v1/me/notifications': '422 422 422 422 422 401 | - - - - - -',
  'GET /api/v1/county-settings': '200 404 404 404 404 401 | - - - - - -',
  'GET /api/v1/counties/:id/settings': '200 404 404 404 404 401 | 200 404 404 404 404 401',
  'PUT /api/v1/counties/:id/settings': '422 404 404 404 404 401 | 422 404 404 404 404 401',
  'GET /api/v1/rules': '200 404 404 404 404 401 | - - - - - -',
  'POST /api/v1/rules/promotion': '422 422 422 422 422 401 | - - - - - -',
  'POST /api/v1/rules/sanction-periods': '422 422 422 422 422 401 | - - - - - -',
  'GET /api/v1/reports': '200 200 200 200 404 401 | - - - - - -',
  'GET /api/v1/reports/establishment': '200 200 200 200 404 401 | - - - - - -',
  'GET /api/v1/reports/leadership': '200 200 200 200 404 401 | - - - - - -',
  'GET /api/v1/reports/cross-type': '200 200 200 200 404 401 | - - - - - -',
  'GET /api/v1/reports/secondments': '200 200 200 200 404 401 | - - - - - -',
  'GET /api/v1/reports/eligibility': '200 200 200 200 404 401 | - - - - - -',
  'GET /api/v1/reports/workforce': '200 200 200 200 404 401 | - - - - - -',
  'GET /api/v1/reports/changes': '200 200 200 200 404 401 | - - - - - -',
  'GET /account': '200 200 200 200 200 303 | - - - - - -',
  'POST /account/password': '400 400 400 400 400 303 | - - - - - -',
  'POST /account/tokens': '400 400 400 400 400 303 | - - - - - -',
  'POST /account/notifications': '400 400 400 400 400 303 | - - - - - -',
  'POST /account/tokens/:id/revoke': '303w1 303w1 303w1 303w1 303w1 303 | 404 404 404 404 404 303',
  'GET /inbox': '200 200 200 200 404 303 | - - - - - -',
  'GET /imports': '200 200 200 200 404 303 | - - - - - -',
  'GET /imports/template.xlsx': '200 200 200 200 404 303 | - - - - - -',
  'POST /imports': '400 400 400 400 404 303 | - - - - - -',
  'GET /imports/:id': '200 200 200 200 404 303 | 200 404 404 404 404 303',
  'POST /imports/:id/mapping': '400 400 400 400 404 303 | 400 404 404 404 404 303',
  'POST /imports/:id/commit': '303 303 303 303 404 303 | 303 404 404 404 404 303',
  'GET /imports/:id/marked.xlsx': '200 200 200 200 404 303 | 200 404 404 404 404 303',
  'POST /api/v1/imports': '422 422 422 422 403 401 | - - - - - -',
  'GET /api/v1/imports/:id': '200 200 200 200 404 401 | 200 404 404 404 404 401',
  'GET /admin/users': '200 404 404 404 404 303 | - - - - - -',
  'GET /admin/counties': '200 404 404 404 404 303 | - - - - - -',
  'GET /admin/counties/:countyId/settings': '200 404 404 404 404 303 | 200 404 404 404 404 303',
  'POST /admin/counties/:countyId/settings': '400 404 404 404 404 303 | 400 404 404 404 404 303',
  'GET /townships/:id/establishment': '200 200 200 200 404 303 | 200 404 404 404 404 303',
  'GET /townships/:id/establishment.xlsx': '200 200 200 200 404 303 | 200 404 404 404 404 303',
  'GET /townships/:id/leadership': '200 200 200 200 404 303 | 200 404 404 404 404 303',
  'GET /townships/:id/leadership.xlsx': '200 200 200 200 404 303 | 200 404 404 404 404 303',
  'GET /townships/:id/org-chart': '200 200 200 200 404 303 | 200 404 404 404 404 303',
  'GET /counties/:id': '200 200 200 200 404 303 | 200 404 404 404 404 303',
  'GET /counties/:id/overview.xlsx': '200 200 200 200 404 303 | 200 404 404 404 404 303',
  'GET /townships/:id/quota-decisions': '200 200 200 200 404 303 | 200 404 404 404 404 303',
  'GET /counties/:id/quota-decisions': '200 200 200 404 404 303 | 200 404 404 404 404 303',
  'GET /townships/:id/slot-decisions': '200 200 200 200 404 303 | 200 404 404 404 404 303',
  'GET /townships/:id/unit-decisions': '200 200 200 200 404 303 | 200 404 404 404 404 303',
  'GET /counties/:id/quota-decisions/new': '200 200 403 404 404 303 | 200 404 404 404 404 303',
  'POST /counties/:id/quota-decisions/new': '400 400 403 404 404 303 | 400 404 404 404 404 303',
  'GET /townships/:id/slot-decisions/new': '200 200 403 403 404 303 | 200 404 404 404 404 303',
  'POST /townships/:id/slot-decisions/new': '400 400 403 403 404 303 | 400 404 404 404 404 303',
  'GET /townships/:id/leadership-total/new': '200 200 403 403 404 303 | 200 404 404 404 404 303',
  'POST /townships/:id/leadership-total/new': '400 400 403 403 404 303 | 400 404 404 404 404 303',
  'GET /townships/:id/units/new': '200 200 403 403 404 303 | 200 404 404 404 404 303',
  'POST /townships/:id/units/new': '400 400 403 403 404 303 | 400 404 404 404 404 303',
  'GET /units/:id/change': '200 200 403 403 404 303 | 200 404 404 404 404 303',
  'POST /units/:id/change': '400 400 403 403 404 303 | 400 404 404 404 404 303',
  'GET /units/:id/abolish': '200 200 403 403 404 303 | 200 404 404 404 404 303',
  'POST /units/:id/abolish': '400 400 403 403 404 303 | 400 404 404 404 404 303',
  'GET /townships/:id/reorganise': '200 200 403 403 404 303 | 200 404 404 404 404 303',
  'POST /townships/:id/reorganise': '400 400 403 403 404 303 | 400 404 404 404 404 303',
  'GET /townships/:id/posts/new': '200 403 403 200 404 303 | 200 404 404 404 404 303',
  'POST /townships/:id/posts/new': '400 403 403 400 404 303 | 400 404 404 404 404 303',
  'GET /posts/:id/edit': '200 403 403 200 404 303 | 200 404 404 404 404 303',
  'POST /posts/:id/edit': '400 403 403 400 404 303 | 400 404 404 404 404 303',
  'GET /posts/:id/close': '200 403 403 200 404 303 | 200 404 404 404 404 303',
  'POST /posts/:id/close': '400 403 403 400 404 303 | 400 404 404 404 404 303',
  'GET /posts/:id/place': '200 403 403 200 404 303 | 200 404 404 404 404 303',
  'POST /posts/:id/place': '400 403 403 400 404 303 | 400 404 404 404 404 303',
  'GET /movements': '200 200 200 200 404 303 | - - - - - -',
  'GET /movements/new': '403 403 403 200 404 303 | - - - - - -',
  'POST /movements/new': '403 403 403 400 404 303 | - - - - - -',
  'GET /movements/ledger': '200 200 200 200 404 303 | - - - - - -',
  'GET /movements/:id': '200 200 200 200 404 303 | - - - - - -',
  'POST /movements/:id/decisions': '400 400 400 400 404 303 | - - - - - -',
  'POST /movements/:id/opinion': '400 400 400 400 404 303 | - - - - - -',
  'POST /movements/:id/secondment-end': '400 400 400 400 404 303 | - - - - - -',
  'GET /movement-batches/new': '403 403 403 200 404 303 | - - - - - -',
  'POST /movement-batches/new': '403 403 403 400 404 303 | - - - - - -',
  'GET /movement-batches/:id': '200 200 200 200 404 303 | - - - - - -',
  'POST /movement-batches/:id/decisions': '400 400 400 400 400 303 | - - - - - -',
  // Admin: one city → redirected to it; several (other suites add cities) → the list.
  'GET /cities': '303/200 303 303 303 200 303 | - - - - - -',
  'GET /cities/:id': '200 200 200 200 404 303 | - - - - - -',
  'GET /townships/:id': '200 200 200 200 404 303 | 200 404 404 404 404 303',
  'GET /townships/:id/people': '200 200 200 200 404 303 | 200 404 404 404 404 303',
  'GET /units/:id': '200 200 200 200 404 303 | 200 404 404 404 404 303',
  'GET /posts/:id': '200 200 200 200 404 303 | 200 404 404 404 404 303',
  'GET /people/:id/resume': '200 200 200 200 200 303 | 200 404 404 404 404 303',
  'GET /people/:id/resume/lines/new': '200 200 200 200 403 303 | 200 404 404 404 404 303',
  'GET /people/:id/resume/lines/:rowId': '200 200 200 200 403 303 | 200 404 404 404 404 303',
  'POST /people/:id/resume/lines': '400 400 400 400 403 303 | 400 404 404 404 404 303',
  'POST /people/:id/resume/lines/:rowId': '400 400 400 400 403 303 | 400 404 404 404 404 303',
  'POST /people/:id/resume/lines/:rowId/remove':
    '303w1 303w1 303w1 303w1 403 303 | 303w1 404 404 404 404 303',
  'GET /people/:id/appointment-form': '200 200 200 200 200 303 | 200 404 404 404 404 303',
  'GET /people/:id/export.lrmx': '200 200 200 200 200 303 | 200 404 404 404 404 303',
  'GET /people/import-lrmx': '200 200 200 200 404 303 | - - - - - -',
  'GET /people': '200 200 200 200 200 303 | - - - - - -',
  'GET /people/new': '200 200 200 200 404 303 | - - - - - -',
  'POST /people': '404 404 404 400 404 303 | - - - - - -',
  'GET /people/:id': '200 200 200 200 200 303 | 200 404 404 404 404 303',
  'GET /people/:id/edit': '200 200 200 200 403 303 | 200 404 404 404 404 303',
  'POST /people/:id/edit': '400 400 400 400 403 303 | 400 404 404 404 404 303',
  'GET /people/:id/photo': '404 404 404 404 404 303 | 404 404 404 404 404 303',
  'GET /people/:id/photo/edit': '200 200 200 200 403 303 | 200 404 404 404 404 303',
  'POST /people/:id/photo/remove': '303 303 303 303 403 303 | 303 404 404 404 404 303',
  'GET /people/:id/educations/new': '200 200 200 200 403 303 | 200 404 404 404 404 303',
  'GET /people/:id/educations/:rowId': '200 200 200 200 403 303 | 200 404 404 404 404 303',
  'POST /people/:id/educations': '400 400 400 400 403 303 | 400 404 404 404 404 303',
  'POST /people/:id/educations/:rowId': '400 400 400 400 403 303 | 400 404 404 404 404 303',
  'POST /people/:id/educations/:rowId/remove': '303w1 303w1 303w1 303w1 403 303 | 303w1 404 404 404 404 303',
  'GET /people/:id/family/new': '200 200 200 200 403 303 | 200 404 404 404 404 303',
  'GET /people/:id/family/:rowId': '200 200 200 200 403 303 | 200 404 404 404 404 303',
  'POST /people/:id/family': '400 400 400 400 403 303 | 400 404 404 404 404 303',
  'POST /people/:id/family/:rowId': '400 400 400 400 403 303 | 400 404 404 404 404 303',
  'POST /people/:id/family/:rowId/remove': '303w1 303w1 303w1 303w1 403 303 | 303w1 404 404 404 404 303',
  'GET /people/:id/history/:kind/new': '200 200 200 200 403 303 | 200 404 404 404 404 303',
  'POST /people/:id/history/:kind': '400 400 400 400 403 303 | 400 404 404 404 404 303',
  'GET /people/:id/history/:kind/:entryId/correct': '200 200 200 200 403 303 | 200 404 404 404 404 303',
  'POST /people/:id/history/:kind/:entryId/correct': '400 400 400 400 403 303 | 400 404 404 404 404 303',
  'GET /people/:id/history/:kind/:entryId/close': '200 200 200 200 403 303 | 200 404 404 404 404 303',
  'POST /people/:id/history/:kind/:entryId/close': '400 400 400 400 403 303 | 400 404 404 404 404 303',
  'GET /people/:id/assessments/new': '200 200 200 200 403 303 | 200 404 404 404 404 303',
  'POST /people/:id/assessments': '400 400 400 400 403 303 | 400 404 404 404 404 303',
  'GET /townships/:id/assessments': '200 200 200 200 404 303 | 200 404 404 404 404 303',
  'GET /people/:id/sanctions/new': '200 200 200 200 403 303 | 200 404 404 404 404 303',
  'POST /people/:id/sanctions': '400 400 400 400 403 303 | 400 404 404 404 404 303',
  'GET /people/:id/sanctions/:sanctionId/correct': '200 200 200 200 403 303 | 200 404 404 404 404 303',
  'POST /people/:id/sanctions/:sanctionId/correct': '400 400 400 400 403 303 | 400 404 404 404 404 303',
  'GET /people/:id/sanctions/:sanctionId/close': '404 404 404 404 403 303 | 404 404 404 404 404 303',
  'POST /people/:id/sanctions/:sanctionId/close': '400 400 400 400 403 303 | 400 404 404 404 404 303',
  'GET /people/:id/career': '200 200 200 200 200 303 | 200 404 404 404 404 303',
  'GET /townships/:id/eligibility': '200 200 200 200 404 303 | 200 404 404 404 404 303',
  'GET /townships/:id/eligibility.xlsx': '200 200 200 200 404 303 | 200 404 404 404 404 303',
  'GET /admin/rules': '200 404 404 404 404 303 | - - - - - -',
  'GET /admin/rules/promotion/new': '200 404 404 404 404 303 | - - - - - -',
  'POST /admin/rules/promotion/new': '400 404 404 404 404 303 | - - - - - -',
  'GET /admin/rules/sanctions/new': '200 404 404 404 404 303 | - - - - - -',
  'POST /admin/rules/sanctions/new': '400 404 404 404 404 303 | - - - - - -',
  'GET /reports': '200 200 200 200 404 303 | - - - - - -',
  'GET /reports/establishment': '200 200 200 200 404 303 | - - - - - -',
  'GET /reports/establishment.xlsx': '200 200 200 200 404 303 | - - - - - -',
  'GET /reports/leadership': '200 200 200 200 404 303 | - - - - - -',
  'GET /reports/leadership.xlsx': '200 200 200 200 404 303 | - - - - - -',
  'GET /reports/cross-type': '200 200 200 200 404 303 | - - - - - -',
  'GET /reports/cross-type.xlsx': '200 200 200 200 404 303 | - - - - - -',
  'GET /reports/secondments': '200 200 200 200 404 303 | - - - - - -',
  'GET /reports/secondments.xlsx': '200 200 200 200 404 303 | - - - - - -',
  'GET /reports/eligibility': '200 200 200 200 404 303 | - - - - - -',
  'GET /reports/eligibility.xlsx': '200 200 200 200 404 303 | - - - - - -',
  'GET /reports/workforce': '200 200 200 200 404 303 | - - - - - -',
  'GET /reports/workforce.xlsx': '200 200 200 200 404 303 | - - - - - -',
  'GET /reports/changes': '200 200 200 200 404 303 | - - - - - -',
  'GET /reports/changes.xlsx': '200 200 200 200 404 303 | - - - - - -',
  // Added after the promotions, calendar and imports areas landed.
  'GET /counties/:id/rank-quota': '200 200 200 404 404 303 | 200 404 404 404 404 303',
  'GET /counties/:id/rank-quota/new': '200 200 403 404 404 303 | 200 404 404 404 404 303',
  'POST /counties/:id/rank-quota/new': '400 400 403 404 404 303 | 400 404 404 404 404 303',
  'GET /api/v1/calendar/working-days': '422 422 422 422 422 401 | - - - - - -',
  'PUT /api/v1/calendar/days/:day': '422 404 404 404 404 401 | - - - - - -',
  'GET /admin/calendar': '200 404 404 404 404 303 | - - - - - -',
  'GET /admin/calendar/day': '200 404 404 404 404 303 | - - - - - -',
  'POST /admin/calendar/day': '400 404 404 404 404 303 | - - - - - -',
  'GET /townships/:id/promotions/vacancies': '200 200 200 200 404 303 | 200 404 404 404 404 303',
  'GET /townships/:id/promotions/vacancies/:seat':
    '200/404 200/404 200/404 200/404 404 303 | 200/404 404 404 404 404 303',
  'GET /counties/:id/promotions': '200 200 200 200 404 303 | 200 404 404 404 404 303',
  'GET /rank-promotions': '200 200 200 200 404 303 | - - - - - -',
  'GET /rank-promotions/new': '200 403 200 200 404 303 | - - - - - -',
  'POST /rank-promotions/new': '400 403 400 400 404 303 | - - - - - -',
  // Added after the selection cases and the publicity and probation report landed.
  'GET /api/v1/reports/publicity-probation': '200 200 200 200 404 401 | - - - - - -',
  'GET /api/v1/promotions': '200 200 200 200 200 401 | - - - - - -',
  'POST /api/v1/promotions': '422 422 422 422 422 401 | - - - - - -',
  'GET /api/v1/promotions/vacancies': '422 422 422 422 422 401 | - - - - - -',
  'GET /api/v1/promotions/candidates': '422 422 422 422 422 401 | - - - - - -',
  'GET /api/v1/counties/:id/promotions': '200 200 200 200 404 401 | 200 404 404 404 404 401',
  'GET /api/v1/rank-promotions': '200 200 200 200 404 401 | - - - - - -',
  'POST /api/v1/rank-promotions': '422 422 422 422 422 401 | - - - - - -',
  'GET /api/v1/rank-promotions/:id': '200 200 200 200 404 401 | 200 404 404 404 404 401',
  'POST /api/v1/rank-promotions/:id/steps': '422 422 422 422 422 401 | 422 422 422 422 422 401',
  'GET /promotions': '200 200 200 200 200 303 | - - - - - -',
  'GET /promotions/new': '404 404 404 404 404 303 | - - - - - -',
  'POST /promotions/new': '404 404 404 404 404 303 | - - - - - -',
  'GET /rank-promotions/:id': '200 200 200 200 404 303 | 200 404 404 404 404 303',
  'POST /rank-promotions/:id/steps': '400 400 400 400 404 303 | 400 404 404 404 404 303',
  'GET /reports/publicity-probation': '200 200 200 200 404 303 | - - - - - -',
  'GET /reports/publicity-probation.xlsx': '200 200 200 200 404 303 | - - - - - -',
  // Selection cases now in the demo world, and the county rank quota pages.
  'GET /api/v1/promotions/:id': '200 200 200 200 404 401 | 200 404 404 404 404 401',
  'POST /api/v1/promotions/:id/transitions': '422 422 422 422 404 401 | 422 404 404 404 404 401',
  'GET /promotions/:id': '200 200 200 200 404 303 | 200 404 404 404 404 303',
  'POST /promotions/:id/steps': '400 400 400 400 404 303 | 400 404 404 404 404 303',
  'GET /promotions/:id/notice': '200 200 200 200 404 303 | 200 404 404 404 404 303',
};
