import { expect } from 'chai';
import supertest from 'supertest';
import { buildApp, getWorld, type TestWorld, testConfig } from '../support/world.js';

describe('API rate limit: counted per user in the database, 429 with Retry-After beyond it', () => {
  let world: TestWorld;
  let app: ReturnType<typeof buildApp>;
  let other: ReturnType<typeof buildApp>;
  let token: string;

  before(async function () {
    this.timeout(120_000);
    world = await getWorld();
    // Two app instances on the same database, as behind a load balancer: 5 requests a minute per user.
    const config = testConfig({ API_RATE_LIMIT: '5', API_RATE_WINDOW_SECONDS: '60' });
    app = buildApp(world.db, config);
    other = buildApp(world.db, config);
    const user = await world.db.knex('users').where({ username: 'zuzhibu' }).first('id', 'username');
    if (!user) throw new Error('demo user zuzhibu missing');
    const created = await app.services.auth.createToken(
      { userId: user.id, username: user.username, requestId: 'test' },
      '限流测试',
      null,
    );
    token = created.raw;
    await world.db.knex('api_rate_limits').delete();
  });

  after(() => {
    app.close();
    other.close();
  });

  it('counts the hits of every instance together and refuses the sixth in the window', async () => {
    const call = (which: typeof app) =>
      supertest(which.app).get('/api/v1/me').set('Authorization', `Bearer ${token}`);
    for (const which of [app, other, app, other, app]) {
      const res = await call(which).expect(200);
      expect(res.headers.ratelimit).to.be.a('string');
    }
    const refused = await call(other).expect(429);
    expect(refused.headers['retry-after']).to.match(/^\d+$/);
    expect(refused.body.error).to.deep.include({ code: 'rate_limited' });
    expect(refused.body.error.message).to.contain('请求过于频繁');
    const english = await call(app).set('Accept-Language', 'en').expect(429);
    expect(english.body.error.code).to.equal('rate_limited');
    // The limit is the instance's setting: the shared suite's app (a high limit) still answers.
    await supertest(world.app).get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(200);
  });

  it('a new window starts once the old one has passed', async () => {
    await world.db
      .knex('api_rate_limits')
      .update({ reset_at: world.db.knex.raw("now() - interval '1 second'") });
    await supertest(app.app).get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(200);
    const row = await world.db.knex('api_rate_limits').first('hits');
    expect(Number(row?.hits)).to.equal(1);
  });
});
