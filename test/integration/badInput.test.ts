import { expect } from 'chai';
import fc from 'fast-check';
import { openApiDocument } from '../../src/routes/api/openapi.js';
import { createUser } from '../support/factories.js';
import { type Agent, csrfFrom, signIn } from '../support/http.js';
import {
  EXPECTED,
  fillPath,
  listRoutes,
  loadTargets,
  type RoleName,
  type RouteEntry,
  routeKey,
  type Targets,
} from '../support/routeTable.js';
import { getWorld, type TestWorld } from '../support/world.js';

/**
 * Hostile input on every form and JSON write the router knows (fast-check): wrong types, huge strings, control
 * characters, HTML and script, SQL, impossible dates, negative and huge numbers, duplicate keys, broken encodings.
 * Never a 5xx, never a partial write (row counts and audit unchanged when refused), never unescaped output.
 * FUZZ_RUNS raises the number of generated bodies per route (default 3; e.g. FUZZ_RUNS=200 for thousands).
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 3);
const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(1)>';

const hostileString = fc.oneof(
  fc.constantFrom(
    SCRIPT,
    IMG,
    "'; DROP TABLE people; --",
    "1' OR '1'='1",
    '2023-02-30',
    '2023-13-01',
    '0000-00-00',
    '9999-12-31',
    '-1',
    '0',
    '-2147483649',
    '2147483648',
    '99999999999999999999999',
    '1e309',
    'NaN',
    'Infinity',
    '\u0000',
    'a\u0000b',
    '\u202Eevil',
    '\uFFFD\uD800',
    '%00',
    '{{7*7}}',
    '$' + '{7*7}',
    '../../etc/passwd',
    ' ',
    '',
    'x'.repeat(5000),
    '张'.repeat(3000),
    '2019.07',
    '2019-07',
    'true',
    'null',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer().map(String),
  fc.double().map(String),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
);

/** JSON values of every type, for the API. */
const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), hostileString, { maxKeys: 3 }),
);

/** Raw bodies no form would send. */
const RAW_BODIES: Array<{ type: string; body: string | Buffer }> = [
  { type: 'application/x-www-form-urlencoded', body: Buffer.from([0xff, 0xfe, 0x3d, 0xc3, 0x28]) },
  { type: 'application/x-www-form-urlencoded', body: 'name=%E4%B8&name=%ZZ&&==&a[b]=1' },
  { type: 'application/x-www-form-urlencoded; charset=latin1', body: 'name=\xe9' },
  { type: 'application/json', body: '{"name": "x", "name": "y", ' },
  { type: 'application/json; charset=utf-16', body: '{}' },
  { type: 'text/plain', body: 'hello' },
];

const TABLES = [
  'people',
  'educations',
  'family_members',
  'resume_lines',
  'assignments',
  'grades',
  'quota_slots',
  'person_statuses',
  'assessments',
  'sanctions',
  'units',
  'unit_versions',
  'posts',
  'quota_decisions',
  'leadership_slot_decisions',
  'leadership_total_decisions',
  'movement_requests',
  'movement_actions',
  'movement_batches',
  'quota_reservations',
  'promotion_rules',
  'county_sanction_periods',
  'api_tokens',
  'users',
];

/**
 * The highest id of every table a write inserts into, and of the append-only audit log, in one statement (index
 * look-ups, so it stays cheap on the demo world). Every write path appends its audit entry in the transaction
 * that writes, so an unchanged audit log also rules out a committed update or delete.
 */
async function fingerprint(world: TestWorld): Promise<string> {
  const sql = [...TABLES, 'audit_log']
    .map((t) => `coalesce((SELECT max(id) FROM ${t}), 0)`)
    .join(" || ',' || ");
  const res = await world.db.knex.raw(`SELECT ${sql} AS f`);
  const rows = (res as { rows: Array<{ f: string }> }).rows;
  return String(rows[0]?.f);
}

function apiFields(path: string, method: string): string[] {
  const doc = openApiDocument as unknown as {
    paths: Record<
      string,
      Record<string, { requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> } }>
    >;
    components: {
      schemas: Record<
        string,
        {
          properties?: Record<string, unknown>;
          allOf?: Array<{ $ref?: string; properties?: Record<string, unknown> }>;
        }
      >;
    };
  };
  const op = doc.paths[path.replace(/^\/api\/v1/, '').replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
  const ref = op?.requestBody?.content?.['application/json']?.schema?.$ref;
  const schema = ref ? doc.components.schemas[ref.split('/').pop() as string] : undefined;
  const fields = new Set(Object.keys(schema?.properties ?? {}));
  for (const part of schema?.allOf ?? []) {
    for (const k of Object.keys(part.properties ?? {})) fields.add(k);
    const inner = part.$ref ? doc.components.schemas[part.$ref.split('/').pop() as string] : undefined;
    for (const k of Object.keys(inner?.properties ?? {})) fields.add(k);
  }
  return [...fields];
}

/** The field names of the form that posts to a route: from its own GET, its `new` page or the record page. */
async function formFields(
  agent: Agent,
  url: string,
): Promise<{ fields: string[]; csrf: string } | undefined> {
  const candidates = [
    url,
    `${url}/new`,
    url.replace(/\/(decisions|opinion|secondment-end|password|tokens|notifications)$/, ''),
    url.replace(/\/(\d+)$/, ''),
  ];
  for (const c of candidates) {
    const page = await agent.get(c);
    if (page.status !== 200 || !page.text.includes('name="_csrf"')) continue;
    const names = new Set([...page.text.matchAll(/name="([^"]+)"/g)].map((m) => m[1] as string));
    names.delete('_csrf');
    names.delete('confirm');
    return { fields: [...names], csrf: csrfFrom(page.text) };
  }
  return undefined;
}

describe('bad input: hostile values on every form and JSON write (fast-check)', () => {
  let world: TestWorld;
  let targets: Targets;
  const agents = {} as Record<'admin' | 'officer', { agent: Agent; csrf: string }>;
  let writes: Array<{ route: RouteEntry; role: 'admin' | 'officer' }>;

  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
    targets = await loadTargets(world.db.knex);
    // Accounts of their own, so a hostile password change or token never touches the demo accounts.
    const admin = await createUser(world.db.knex, { role: 'admin', prefix: 'fuzz' });
    const officer = await createUser(world.db.knex, {
      role: 'township_officer',
      regionId: targets.in.township,
      prefix: 'fuzz',
    });
    for (const [role, user] of [
      ['admin', admin],
      ['officer', officer],
    ] as const) {
      const agent = await signIn(world.app, user.username, user.password);
      agents[role] = { agent, csrf: csrfFrom((await agent.get('/account')).text) };
    }
    // Every write route that one of the two may use, except the destructive ones (no fields to fuzz) and the
    // session routes (sign-in has its own hostile-input test).
    writes = listRoutes(world.app)
      .filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method))
      .filter((r) => !['/login', '/logout'].includes(r.path))
      .flatMap((route): Array<{ route: RouteEntry; role: 'admin' | 'officer' }> => {
        const row = EXPECTED[routeKey(route)] ?? '';
        if (row.startsWith('skip:') || row.includes('w')) return [];
        const cells = (row.split('|')[0] ?? '').trim().split(/\s+/);
        const ok = (c: string | undefined) => c !== undefined && !['403', '404'].includes(c);
        if (ok(cells[0])) return [{ route, role: 'admin' }];
        if (ok(cells[3])) return [{ route, role: 'officer' }];
        return [];
      });
  });

  it('finds the write routes to attack', () => {
    expect(writes.length).to.be.greaterThan(60);
  });

  it('never answers 5xx, never writes on refusal and never echoes markup unescaped', async function () {
    this.timeout(600_000);
    const problems: string[] = [];
    for (const { route, role } of writes) {
      const key = routeKey(route);
      const filled = await fillPath(route, 'in', role as RoleName, targets, world.services, world.db.knex);
      if (!filled) continue;
      const { agent, csrf } = agents[role];
      const api = route.path.startsWith('/api/');
      const form = api ? undefined : await formFields(agent, filled.url);
      const fields = api ? apiFields(route.path, route.method) : (form?.fields ?? []);
      const token = form?.csrf ?? csrf;
      const send = async (body: unknown, raw?: { type: string; body: string | Buffer }) => {
        const before = await fingerprint(world);
        const m = route.method.toLowerCase() as 'post' | 'put' | 'patch';
        let req = agent[m](filled.url).redirects(0).set('X-CSRF-Token', token);
        if (api) req = req.set('Accept', 'application/json');
        const res = raw
          ? await req.set('Content-Type', raw.type).send(raw.body)
          : await (api ? req.send(body as object) : req.type('form').send(body as string));
        const after = await fingerprint(world);
        const what = `${key} as ${role} with ${raw ? raw.type : JSON.stringify(body).slice(0, 200)}`;
        if (res.status >= 500) problems.push(`${what}: ${res.status} ${res.text.slice(0, 200)}`);
        if (res.status >= 400 && before !== after)
          problems.push(`${what}: refused (${res.status}) but wrote`);
        if (res.status < 400 && before !== after && before.split(',').at(-1) === after.split(',').at(-1))
          problems.push(`${what}: wrote without an audit entry`);
        if (
          (res.headers['content-type'] ?? '').includes('html') &&
          (res.text.includes(SCRIPT) || res.text.includes(IMG))
        )
          problems.push(`${what}: markup echoed unescaped`);
        return res.status;
      };
      // Generated bodies: the route's own fields with hostile values, plus unknown and duplicate keys.
      const formBody = fc
        .tuple(
          fc.record(
            Object.fromEntries(
              fields.map((f) => [
                f,
                fc.oneof(hostileString, fc.array(hostileString, { minLength: 2, maxLength: 3 })),
              ]),
            ),
            {
              requiredKeys: [],
            },
          ),
          fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), hostileString, { maxKeys: 2 }),
          fc.boolean(),
        )
        .map(([known, extra, confirm]) => {
          const params = new URLSearchParams();
          for (const [k, v] of Object.entries({ ...extra, ...known }))
            for (const one of Array.isArray(v) ? v : [v]) params.append(k, String(one));
          params.set('_csrf', token);
          if (confirm) params.set('confirm', '1');
          return params.toString();
        });
      const jsonBody = fc.record(Object.fromEntries(fields.map((f) => [f, hostileJson])), {
        requiredKeys: [],
      });
      await fc.assert(
        fc.asyncProperty(api ? jsonBody : formBody, async (body) => {
          await send(body);
          return true;
        }),
        { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261129) },
      );
      for (const raw of RAW_BODIES) await send(undefined, raw);
      for (const c of filled.cleanup) await c();
    }
    expect(problems, problems.slice(0, 30).join('\n')).to.deep.equal([]);
  });
});
