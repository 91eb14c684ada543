import { expect } from 'chai';
import supertest from 'supertest';
import { ConfigError, trustProxyValue } from '../../src/config.js';
import { demoWanted } from '../../src/db/bootstrap.js';
import { SESSION_COOKIE } from '../../src/middleware/session.js';
import { createUser } from '../support/factories.js';
import { csrfFrom, csrfOf, signIn } from '../support/http.js';
import { buildApp, getWorld, type TestWorld, testConfig } from '../support/world.js';

/**
 * The security settings the other tests don't already prove (see docs/security.md for the whole list): cookie
 * flags in development and production, session expiry and sign-out, no stack traces, production defaults.
 */
describe('security settings', () => {
  let world: TestWorld;
  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
  });

  const sessionCookie = (res: supertest.Response): string => {
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    const c = cookies.find((x) => x.startsWith(`${SESSION_COOKIE}=`));
    if (!c) throw new Error(`no session cookie in ${JSON.stringify(cookies)}`);
    return c;
  };

  it('the session cookie is HttpOnly and SameSite=Lax, with an idle expiry; not Secure in development', async () => {
    const res = await supertest(world.app).get('/login');
    const cookie = sessionCookie(res);
    expect(cookie).to.match(/;\s*HttpOnly/i);
    expect(cookie).to.match(/;\s*SameSite=Lax/i);
    expect(cookie).to.match(/;\s*Expires=/i);
    expect(cookie).not.to.match(/;\s*Secure/i);
  });

  it('in production (behind a TLS-terminating proxy) the cookie is also Secure, and HSTS is sent', async () => {
    const config = testConfig({ NODE_ENV: 'production', TRUST_PROXY: '1' });
    const { app, close } = buildApp(world.db, config);
    try {
      const res = await supertest(app).get('/login').set('X-Forwarded-Proto', 'https');
      const cookie = sessionCookie(res);
      expect(cookie).to.match(/;\s*Secure/i);
      expect(cookie).to.match(/;\s*HttpOnly/i);
      expect(cookie).to.match(/;\s*SameSite=Lax/i);
      expect(res.headers['strict-transport-security']).to.match(/max-age=\d+/);
      expect(res.headers['content-security-policy']).not.to.contain('unsafe-inline');
      // Plain HTTP in production never gets a session cookie (it would be sent in clear).
      const plain = await supertest(app).get('/login');
      expect(String(plain.headers['set-cookie'] ?? '')).not.to.contain(SESSION_COOKIE);
    } finally {
      close();
    }
  });

  it('production needs a session secret and never seeds the demo world unless told to', async () => {
    expect(() => testConfig({ NODE_ENV: 'production', SESSION_SECRET: '' })).to.throw(ConfigError);
    expect(() => testConfig({ SESSION_SECRET: 'short' })).to.throw(ConfigError);
    // One proxy hop is a number for Express; as the string '1' it would trust nobody.
    expect(trustProxyValue('1')).to.equal(1);
    expect(trustProxyValue('loopback, 10.0.0.0/8')).to.equal('loopback, 10.0.0.0/8');
    expect(trustProxyValue(undefined)).to.equal(undefined);
    const always = async () => true;
    expect(await demoWanted({ demoData: 'auto', production: true }, 'pglite', always)).to.equal(false);
    expect(await demoWanted({ demoData: 'auto', production: false }, 'pg', always)).to.equal(false);
    expect(await demoWanted({ demoData: 'auto', production: false }, 'pglite', always)).to.equal(true);
    expect(await demoWanted({ demoData: 'never', production: false }, 'pglite', always)).to.equal(false);
  });

  it('an idle session expires: past its expiry the cookie signs nobody in', async () => {
    const user = await createUser(world.db.knex, { role: 'admin', prefix: 'idle' });
    const agent = await signIn(world.app, user.username, user.password);
    expect((await agent.get('/account').redirects(0)).status).to.equal(200);
    const rows = await world.db.knex('sessions').select('sid', 'sess');
    const mine = rows.filter(
      (r) =>
        JSON.stringify(r.sess).includes(`"user":${user.id}`) ||
        JSON.stringify(r.sess).includes(user.username),
    );
    expect(mine.length, 'the session row of the user').to.be.greaterThan(0);
    await world.db
      .knex('sessions')
      .whereIn(
        'sid',
        mine.map((r) => r.sid),
      )
      .update({ expired: new Date(Date.now() - 1000) });
    const res = await agent.get('/account').redirects(0);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.match(/^\/login/);
  });

  it('per request: the session expiry is written at most once a minute; the session, the user and grants in one statement', async () => {
    const user = await createUser(world.db.knex, { role: 'admin', prefix: 'touch' });
    const agent = await signIn(world.app, user.username, user.password);
    const seen: string[] = [];
    const listener = (q: { sql: string }) => seen.push(q.sql);
    world.db.knex.on('query', listener);
    try {
      for (let i = 0; i < 3; i++) expect((await agent.get('/account').redirects(0)).status).to.equal(200);
    } finally {
      world.db.knex.removeListener('query', listener);
    }
    expect(
      seen.filter((s) => /^update "sessions"/i.test(s)),
      'session writes',
    ).to.have.length(0);
    expect(
      seen.filter((s) => /from "user_roles"/i.test(s) && !/json_agg/i.test(s)),
      'separate grant reads',
    ).to.have.length(0);
    const reads = seen.filter((s) => /"users" as "u"/i.test(s));
    expect(reads, 'one user read a request').to.have.length(3);
    expect(
      reads.every((s) => /FROM sessions WHERE sid = /.test(s)),
      'the session read with the user',
    ).to.equal(true);
    expect(
      seen.filter((s) => /from "sessions"/i.test(s)),
      'no separate session read',
    ).to.have.length(0);
  });

  it('per request: the scope and the inbox count’s key come with the user, in the same statement', async () => {
    const knex = world.db.knex;
    const county = (await knex('regions').where({ kind: 'county' }).orderBy('id').first('id')) as {
      id: number;
    };
    const user = await createUser(knex, { role: 'county_reviewer', regionId: county.id, prefix: 'scope' });
    const agent = await signIn(world.app, user.username, user.password);
    expect((await agent.get('/account').redirects(0)).status).to.equal(200);
    const seen: string[] = [];
    const listener = (q: { sql: string }) => seen.push(q.sql);
    knex.on('query', listener);
    try {
      expect((await agent.get('/account').redirects(0)).status).to.equal(200);
    } finally {
      knex.removeListener('query', listener);
    }
    expect(
      seen.filter((q) => /scope_rows/.test(q)),
      'the user statement carries the scope',
    ).to.have.length(1);
    expect(
      seen.filter((q) => /overview_changes/.test(q) && !/scope_rows/.test(q)),
      'no separate key read for the cached inbox count',
    ).to.have.length(0);
    expect(
      seen.filter((q) => /FROM regions WHERE kind = 'township'/i.test(q)),
      'no separate scope read',
    ).to.have.length(0);
    // The scope read with the user equals the one resolved on its own, and its key is the counties' key.
    const loaded = await import('../../src/db/repositories/users.js').then((u) =>
      u.loadPrincipal(knex, user.id, 'session'),
    );
    const alone = await world.services.access.scopeFor(loaded?.principal as never);
    const { countiesKey, ...scope } = loaded?.scope ?? {};
    expect(scope).to.deep.equal(alone);
    const { countiesKey: keyOf } = await import('../../src/db/repositories/overviewChanges.js');
    expect(countiesKey).to.equal(await keyOf(knex, [...(loaded?.scope.countyIds ?? [])]));
  });

  it('signing out destroys the session on the server: a copied cookie no longer works', async () => {
    const user = await createUser(world.db.knex, { role: 'admin', prefix: 'out' });
    const agent = await signIn(world.app, user.username, user.password);
    const page = await agent.get('/account');
    const cookie = sessionCookie(await agent.get('/account'));
    const out = await agent
      .post('/logout')
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .redirects(0);
    expect(out.status).to.equal(303);
    const replay = await supertest(world.app)
      .get('/account')
      .set('Cookie', cookie.split(';')[0] as string)
      .redirects(0);
    expect(replay.status).to.equal(303);
    expect(replay.headers.location).to.match(/^\/login/);
  });

  it('a failure shows a reference number, never a stack trace or the error text (pages and API)', async () => {
    const { services, app, close } = buildApp(world.db);
    const township = (await world.db.knex('regions').where({ kind: 'township' }).first('id')) as {
      id: number;
    };
    const user = await createUser(world.db.knex, {
      role: 'township_officer',
      regionId: township.id,
      prefix: 'boom',
    });
    services.inbox.count = async () => {
      throw new Error('secret internal detail at /srv/app/src/x.ts:1');
    };
    try {
      const agent = supertest.agent(app);
      const token = await csrfOf(agent);
      await agent
        .post('/login')
        .type('form')
        .send({ _csrf: token, username: user.username, password: user.password });
      const page = await agent.get('/account').set('Accept-Language', 'en');
      expect(page.status).to.equal(500);
      const api = await agent.get('/api/v1/me').set('Accept', 'application/json');
      expect(api.status).to.be.lessThan(500); // the badge is for pages only
      expect(page.text).to.match(/请求编号|Request reference/);
      expect(page.text).not.to.match(/secret internal detail|\/srv\/app|at \w+ \(|node_modules/);
    } finally {
      close();
    }
  });

  it('refuses a language switch or sign-in from another site (CSRF), and unknown bearer tokens (401)', async () => {
    const res = await supertest(world.app).post('/locale').type('form').send({ locale: 'en' });
    expect(res.status).to.equal(403);
    const api = await supertest(world.app)
      .get('/api/v1/me')
      .set('Authorization', 'Bearer gw_not-a-real-token');
    expect(api.status).to.equal(401);
    expect(api.headers['www-authenticate']).to.match(/Bearer/);
  });
});
