import { expect } from 'chai';
import supertest from 'supertest';
import { countRows, createUser, demoScopes } from '../support/factories.js';
import { csrfFrom, csrfOf, signIn } from '../support/http.js';
import { getWorld, type TestWorld } from '../support/world.js';

describe('account: password and personal tokens', () => {
  let world: TestWorld;
  let countyId: number;
  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
    countyId = (await demoScopes(world.db.knex)).county;
  });

  const auditCount = () => countRows(world.db.knex, 'audit_log');

  it('explains every password problem on the same form', async () => {
    const user = await createUser(world.db.knex, { role: 'county_reviewer', regionId: countyId });
    const agent = await signIn(world.app, user.username, user.password);
    const token = await csrfOf(agent, '/account');
    const empty = await agent.post('/account/password').type('form').send({ _csrf: token }).expect(400);
    expect(empty.text).to.contain('请输入当前密码');
    const mismatch = await agent
      .post('/account/password')
      .type('form')
      .send({
        _csrf: token,
        currentPassword: user.password,
        newPassword: 'river-lantern-42',
        confirmPassword: 'river-lantern-43',
      })
      .expect(400);
    expect(mismatch.text).to.contain('两次输入的新密码不一致');
    const wrong = await agent
      .post('/account/password')
      .type('form')
      .send({
        _csrf: token,
        currentPassword: 'not-it-at-all',
        newPassword: 'river-lantern-42',
        confirmPassword: 'river-lantern-42',
      })
      .expect(400);
    expect(wrong.text).to.contain('当前密码不正确');
    const short = await agent
      .post('/account/password')
      .type('form')
      .send({ _csrf: token, currentPassword: user.password, newPassword: 'short', confirmPassword: 'short' })
      .expect(400);
    expect(short.text).to.contain('新密码至少需要10个字符');
  });

  it('changes the password with one audit entry and signs out other sessions', async () => {
    const user = await createUser(world.db.knex, { role: 'county_reviewer', regionId: countyId });
    const here = await signIn(world.app, user.username, user.password);
    const elsewhere = await signIn(world.app, user.username, user.password);
    await elsewhere.get('/account').expect(200);
    const before = await auditCount();
    const token = await csrfOf(here, '/account');
    await here
      .post('/account/password')
      .type('form')
      .send({
        _csrf: token,
        currentPassword: user.password,
        newPassword: 'river-lantern-42',
        confirmPassword: 'river-lantern-42',
      })
      .expect(303);
    expect(await auditCount()).to.equal(before + 1);
    const page = await here.get('/account').expect(200);
    expect(page.text).to.contain('密码已修改');
    await elsewhere.get('/account').expect(303);
    await signIn(world.app, user.username, 'river-lantern-42');
  });

  it('creates a token shown once, usable as a bearer, then revoked', async () => {
    const user = await createUser(world.db.knex, { role: 'county_reviewer', regionId: countyId });
    const agent = await signIn(world.app, user.username, user.password);
    const bad = await agent
      .post('/account/tokens')
      .type('form')
      .send({ _csrf: await csrfOf(agent, '/account'), name: '', expiresOn: '2023-02-30' })
      .expect(400);
    expect(bad.text).to.contain('请输入令牌名称');
    expect(bad.text).to.contain('请输入有效的日期');
    const created = await agent
      .post('/account/tokens')
      .type('form')
      .send({ _csrf: csrfFrom(bad.text), name: '报表系统', expiresOn: '' })
      .expect(201);
    const raw = /<code class="token" id="new-token">(gw_[A-Za-z0-9_-]+)<\/code>/.exec(created.text)?.[1];
    expect(raw).to.be.a('string');
    const stored = await world.db.knex('api_tokens').where({ user_id: user.id }).first();
    expect(stored?.token_hash).to.match(/^[0-9a-f]{64}$/);
    expect(stored?.token_hash).not.to.contain(raw?.slice(3, 20));

    const me = await supertest(world.app).get('/api/v1/me').set('Authorization', `Bearer ${raw}`).expect(200);
    expect(me.body).to.include({ username: user.username, authenticatedBy: 'token' });
    expect(me.headers['set-cookie']).to.equal(undefined);

    const page = await agent.get('/account').expect(200);
    expect(page.text).not.to.contain(raw);
    const revokeForm = /action="(\/account\/tokens\/\d+\/revoke)"/.exec(page.text)?.[1] as string;
    await agent
      .post(revokeForm)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) })
      .expect(303);
    const refused = await supertest(world.app)
      .get('/api/v1/me')
      .set('Authorization', `Bearer ${raw}`)
      .expect(401);
    expect(refused.body.error.code).to.equal('unauthenticated');
  });

  it('cannot revoke someone else’s token', async () => {
    const owner = await createUser(world.db.knex, { role: 'county_reviewer', regionId: countyId });
    const ownerAgent = await signIn(world.app, owner.username, owner.password);
    await ownerAgent
      .post('/account/tokens')
      .type('form')
      .send({ _csrf: await csrfOf(ownerAgent, '/account'), name: 'mine', expiresOn: '' })
      .expect(201);
    const tokenId = (await world.db.knex('api_tokens').where({ user_id: owner.id }).first('id'))?.id;
    const other = await signIn(world.app, 'officer');
    await other
      .post(`/account/tokens/${tokenId}/revoke`)
      .type('form')
      .send({ _csrf: await csrfOf(other, '/account') })
      .expect(404);
    const still = await world.db.knex('api_tokens').where({ id: tokenId }).first('revoked_at');
    expect(still?.revoked_at).to.equal(null);
  });

  it('answers the API in JSON with 401 when not signed in', async () => {
    const res = await supertest(world.app).get('/api/v1/me').expect(401);
    expect(res.body).to.deep.include({
      error: { code: 'unauthenticated', message: '请先登录，或检查访问令牌是否有效。' },
    });
    const en = await supertest(world.app).get('/api/v1/me').set('Accept-Language', 'en').expect(401);
    expect(en.body.error.message).to.contain('Sign in first');
  });
});

describe('health and API description', () => {
  let world: TestWorld;
  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
  });

  it('GET /healthz answers 200 with the backend in use', async () => {
    const res = await supertest(world.app).get('/healthz').expect(200);
    expect(res.body).to.deep.equal({ status: 'ok', backend: world.db.backend, database: 'reachable' });
  });

  it('documents every API route and method, and only those', async () => {
    const res = await supertest(world.app).get('/api/v1/openapi.json').expect(200);
    expect(res.body.openapi).to.equal('3.1.0');
    const documented = Object.entries(res.body.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    const { apiAreas, coreApiRouter } = await import('../../src/routes/api/index.js');
    const routers = [coreApiRouter(world.services), ...apiAreas.map((a) => a.router(world.services))];
    const routed = routers
      .flatMap(
        (router) => router.stack as Array<{ route?: { path: string; methods: Record<string, boolean> } }>,
      )
      .flatMap((l) =>
        l.route
          ? Object.keys(l.route.methods).map(
              (m) => `${m.toUpperCase()} ${(l.route as { path: string }).path.replace(/:(\w+)/g, '{$1}')}`,
            )
          : [],
      )
      .sort();
    expect(routed).to.deep.equal(documented);
  });
});
