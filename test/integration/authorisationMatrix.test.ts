import { expect } from 'chai';
import supertest from 'supertest';
import { type Agent, csrfFrom, signIn } from '../support/http.js';
import {
  EXPECTED,
  fillPath,
  listRoutes,
  loadTargets,
  ROLES,
  type RoleName,
  type RouteEntry,
  routeKey,
  type Side,
  type Targets,
} from '../support/routeTable.js';
import { getWorld, type TestWorld } from '../support/world.js';

/**
 * Every route the Express router knows × every role × in and out of scope, with and without the CSRF token,
 * against one expectation table (test/support/routeTable.ts EXPECTED). Zero leaks: outside the scope reads and
 * writes are 404, a write without its token is 403, anonymous pages go to sign-in and the API answers 401; a
 * refused call writes nothing (audit count unchanged).
 */

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function auditCount(world: TestWorld): Promise<number> {
  const row = await world.db
    .knex('audit_log')
    .whereNot('action', 'like', 'auth.%')
    .whereNotIn('action', ['person.id_number_viewed', 'api_token.created', 'api_token.revoked'])
    .count<{ n: number | string }[]>('* as n')
    .first();
  return Number(row?.n ?? 0);
}

interface Caller {
  agent: Agent;
  csrf: string;
}

interface Cell {
  status: number;
  location?: string;
}

/** '200 404 w1' → per role the status and whether the call may write. */
function parseRow(row: string): Array<{ status: number | undefined; writes: number }> {
  return row
    .trim()
    .split(/\s+/)
    .map((c) => {
      const m = /^(\d{3})(?:w(\d))?$/.exec(c);
      return { status: m ? Number(m[1]) : undefined, writes: m?.[2] ? Number(m[2]) : 0 };
    });
}

describe('authorisation matrix: every route × every role × in/out of scope × with/without CSRF', () => {
  let world: TestWorld;
  let targets: Targets;
  let routes: RouteEntry[];
  const callers = {} as Record<RoleName, Caller>;

  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
    targets = await loadTargets(world.db.knex);
    routes = listRoutes(world.app);
    for (const role of ROLES) {
      const agent = role === 'anon' ? supertest.agent(world.app) : await signIn(world.app, role);
      const page = await agent.get(role === 'anon' ? '/login' : '/account');
      callers[role] = { agent, csrf: csrfFrom(page.text) };
    }
  });

  async function call(route: RouteEntry, role: RoleName, side: Side, withCsrf: boolean) {
    const filled = await fillPath(route, side, role, targets, world.services, world.db.knex);
    if (!filled) return undefined;
    const { agent, csrf } = callers[role];
    try {
      const m = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
      const api = route.path.startsWith('/api/');
      let req = agent[m](filled.url).redirects(0);
      if (api) req = req.set('Accept', 'application/json');
      if (WRITE.has(route.method)) {
        if (withCsrf) req = req.set('X-CSRF-Token', csrf);
        req = api ? req.send({}) : req.type('form').send({});
      }
      const res = await req;
      return { status: res.status, location: res.headers.location as string | undefined } satisfies Cell;
    } finally {
      for (const c of filled.cleanup) await c();
    }
  }

  const tested = () => routes.filter((r) => !EXPECTED[routeKey(r)]?.startsWith('skip:'));

  it('has exactly one expectation for every route the router knows (MATRIX_DISCOVER=1 proposes missing rows)', async function () {
    this.timeout(300_000);
    expect(routes.length).to.be.greaterThan(150);
    const keys = new Set(routes.map(routeKey));
    const missing = [...keys].filter((k) => !(k in EXPECTED));
    const stale = Object.keys(EXPECTED).filter((k) => !keys.has(k));
    if (process.env.MATRIX_DISCOVER && missing.length > 0) {
      // A proposal for the missing rows, from what the app answers now: review every cell before pasting it.
      const rows: string[] = [];
      for (const key of missing) {
        const route = routes.find((r) => routeKey(r) === key) as RouteEntry;
        const sides: string[] = [];
        for (const side of ['in', 'out'] as const) {
          const cells = await Promise.all(ROLES.map((role) => call(route, role, side, true)));
          sides.push(cells.map((c) => (c ? String(c.status) : '-')).join(' '));
        }
        rows.push(`  '${key}': '${sides.join(' | ')}',`);
      }
      console.log(`\nProposed rows for EXPECTED:\n${rows.join('\n')}`);
    }
    expect(missing, 'routes without a row in EXPECTED (test/support/routeTable.ts)').to.deep.equal([]);
    expect(stale, 'rows in EXPECTED for routes that no longer exist').to.deep.equal([]);
  });

  for (const side of ['in', 'out'] as const) {
    it(`answers every role as the table says, ${side === 'in' ? 'in scope' : 'out of scope'}, writing only where it says`, async function () {
      this.timeout(400_000);
      const problems: string[] = [];
      for (const route of tested()) {
        const key = routeKey(route);
        const [inRow, outRow] = (EXPECTED[key] as string).split('|');
        const expected = parseRow((side === 'in' ? inRow : outRow) as string);
        const before = await auditCount(world);
        const cells = await Promise.all(ROLES.map((role) => call(route, role, side, true)));
        const writes = (await auditCount(world)) - before;
        const allowed = expected.reduce((n, e) => n + e.writes, 0);
        if (writes > allowed)
          problems.push(`${key} (${side}): ${writes} audit entries, expected at most ${allowed}`);
        ROLES.forEach((role, i) => {
          const cell = cells[i];
          const want = expected[i]?.status;
          if (!cell || want === undefined) {
            if (Boolean(cell) !== (want !== undefined))
              problems.push(`${key} ${role} (${side}): no call/expectation mismatch`);
            return;
          }
          if (cell.status !== want)
            problems.push(`${key} ${role} (${side}): ${cell.status}, expected ${want}`);
          if (cell.status >= 500) problems.push(`${key} ${role} (${side}): server error`);
          if (
            role === 'anon' &&
            !route.path.startsWith('/api/') &&
            cell.status === 303 &&
            key !== 'GET /login'
          )
            if (!cell.location?.startsWith('/login'))
              problems.push(`${key} anon: redirected to ${cell.location}`);
          // Outside the scope nothing is ever shown or done: only the administrator may get a 2xx/3xx there.
          if (side === 'out' && role !== 'admin' && role !== 'anon' && cell.status < 400)
            problems.push(`${key} ${role}: LEAK — ${cell.status} outside the scope`);
          if (role === 'anon' && route.path.startsWith('/api/') && key !== 'GET /api/v1/openapi.json')
            if (cell.status !== 401) problems.push(`${key} anon: ${cell.status}, the API must answer 401`);
        });
      }
      expect(problems).to.deep.equal([]);
    });
  }

  it('refuses every write without its CSRF token with 403, for every role, writing nothing', async function () {
    this.timeout(400_000);
    const problems: string[] = [];
    const before = await auditCount(world);
    for (const route of tested().filter((r) => WRITE.has(r.method))) {
      const cells = await Promise.all(ROLES.map((role) => call(route, role, 'in', false)));
      ROLES.forEach((role, i) => {
        if (cells[i] && cells[i].status !== 403)
          problems.push(`${routeKey(route)} ${role}: ${cells[i].status}`);
      });
    }
    expect(problems).to.deep.equal([]);
    expect(await auditCount(world)).to.equal(before);
  });
});
