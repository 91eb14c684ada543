import { expect } from 'chai';
import supertest from 'supertest';
import { DEMO_PASSWORD } from '../../seeds/demo/index.js';
import { csrfFrom, csrfOf, signIn } from '../support/http.js';
import { buildApp, getWorld, type TestWorld, testConfig } from '../support/world.js';

describe('sign-in, language, sessions', () => {
  let world: TestWorld;
  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
  });

  it('shows the sign-in page in Chinese by default', async () => {
    const res = await supertest(world.app).get('/login').expect(200);
    expect(res.text).to.contain('<html lang="zh-CN">');
    expect(res.text).to.contain('登录岗位通');
    expect(res.headers['content-security-policy']).to.contain("script-src 'self'");
    expect(res.headers['content-security-policy']).not.to.contain('unsafe-inline');
  });

  it('uses English when the browser prefers it', async () => {
    const res = await supertest(world.app).get('/login').set('Accept-Language', 'en-GB,en;q=0.9').expect(200);
    expect(res.text).to.contain('Sign in to Gangwei');
  });

  it('switches language and returns to the same page', async () => {
    const agent = supertest.agent(world.app);
    const token = await csrfOf(agent);
    const res = await agent
      .post('/locale')
      .type('form')
      .send({ _csrf: token, locale: 'en', returnTo: '/login?returnTo=%2Faccount' })
      .expect(303);
    expect(res.headers.location).to.equal('/login?returnTo=%2Faccount');
    const page = await agent.get(String(res.headers.location)).expect(200);
    expect(page.text).to.contain('Sign in to Gangwei');
  });

  it('refuses an unknown language with a message, never a 500', async () => {
    const agent = supertest.agent(world.app);
    const token = await csrfOf(agent);
    const res = await agent
      .post('/locale')
      .type('form')
      .send({ _csrf: token, locale: 'fr', returnTo: '/x' })
      .expect(400);
    expect(res.text).to.contain('请选择中文或English');
    expect(res.text).to.contain('value="/x"');
  });

  it('never redirects a language switch off the site', async () => {
    const agent = supertest.agent(world.app);
    const token = await csrfOf(agent);
    const res = await agent
      .post('/locale')
      .type('form')
      .send({ _csrf: token, locale: 'zh-CN', returnTo: '//evil.example/' })
      .expect(303);
    expect(res.headers.location).to.equal('/');
  });

  it('explains empty fields on the same form, with the username kept', async () => {
    const agent = supertest.agent(world.app);
    const token = await csrfOf(agent);
    const res = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: token, username: 'officer', password: '' })
      .expect(400);
    expect(res.text).to.contain('<title>错误：登录');
    expect(res.text).to.contain('href="#password"');
    expect(res.text).to.contain('请输入密码');
    expect(res.text).to.contain('value="officer"');
  });

  it('says the username or password is wrong without saying which', async () => {
    const agent = supertest.agent(world.app);
    const token = await csrfOf(agent);
    const res = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: token, username: 'nobody-here', password: 'whatever-1234' })
      .expect(401);
    expect(res.text).to.contain('用户名或密码不正确');
    expect(res.text).to.contain('value="nobody-here"');
  });

  it('survives hostile input on the sign-in form', async () => {
    const agent = supertest.agent(world.app);
    const token = await csrfOf(agent);
    const res = await agent
      .post('/login')
      .type('form')
      .send(`_csrf=${encodeURIComponent(token)}&username=a&username=b&password=%00%FF`)
      .expect(400);
    expect(res.text).to.contain('请输入用户名');
    const xss = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: token, username: '<script>alert(1)</script>', password: 'x' });
    expect(xss.status).to.be.oneOf([400, 401]);
    expect(xss.text).not.to.contain('<script>alert(1)</script>');
    expect(xss.text).to.contain('&lt;script&gt;');
  });

  it('refuses a POST without its CSRF token', async () => {
    const res = await supertest(world.app)
      .post('/login')
      .type('form')
      .send({ username: 'officer', password: DEMO_PASSWORD })
      .expect(403);
    expect(res.text).to.contain('页面已过期');
  });

  it('regenerates the session at sign-in and lands each role on its home', async () => {
    const homes: Record<string, RegExp> = {
      admin: /^\/admin\/users$/,
      bianban: /^\/counties\/\d+$/,
      zuzhibu: /^\/counties\/\d+$/,
      officer: /^\/townships\/\d+$/,
      staff: /^\/people\/\d+\/career$/,
    };
    for (const [username, home] of Object.entries(homes)) {
      const agent = supertest.agent(world.app);
      const first = await agent.get('/login');
      const before = String(first.headers['set-cookie']);
      const token = csrfFrom(first.text);
      const res = await agent
        .post('/login')
        .type('form')
        .send({ _csrf: token, username, password: DEMO_PASSWORD })
        .expect(303);
      expect(String(res.headers['set-cookie'])).not.to.equal(before);
      const landing = await agent.get('/').expect(303);
      expect(landing.headers.location, username).to.match(home);
      await agent.get(String(landing.headers.location)).expect(200);
    }
  });

  it('sends anonymous visitors to sign in, and back afterwards', async () => {
    const agent = supertest.agent(world.app);
    const res = await agent.get('/account').expect(303);
    expect(res.headers.location).to.equal('/login?returnTo=%2Faccount');
    const page = await agent.get(String(res.headers.location));
    const back = await agent
      .post('/login')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        username: 'officer',
        password: DEMO_PASSWORD,
        returnTo: '/account',
      })
      .expect(303);
    expect(back.headers.location).to.equal('/account');
  });

  it('signs out', async () => {
    const agent = await signIn(world.app, 'officer');
    const token = await csrfOf(agent, '/account');
    await agent.post('/logout').type('form').send({ _csrf: token }).expect(303);
    await agent.get('/account').expect(303);
  });

  it('throttles an account after repeated failures, with a clear message', async () => {
    const agent = supertest.agent(world.app);
    const token = await csrfOf(agent);
    for (let i = 0; i < world.config.loginThrottle.perAccount; i++) {
      await agent
        .post('/login')
        .type('form')
        .send({ _csrf: token, username: 'throttle-victim', password: `wrong-${i}` })
        .expect(401);
    }
    const res = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: token, username: 'throttle-victim', password: DEMO_PASSWORD })
      .expect(429);
    expect(res.text).to.contain('登录失败次数过多');
  });

  it('throttles an address after repeated failures across accounts', async () => {
    const { app, close } = buildApp(
      world.db,
      testConfig({ LOGIN_MAX_FAILURES_PER_ADDRESS: '3', TRUST_PROXY: 'loopback' }),
    );
    try {
      const agent = supertest.agent(app);
      const token = await csrfOf(agent);
      const from = { 'X-Forwarded-For': '203.0.113.77' };
      for (const username of ['ghost-a', 'ghost-b', 'ghost-c']) {
        await agent
          .post('/login')
          .set(from)
          .type('form')
          .send({ _csrf: token, username, password: 'nope-nope-1' })
          .expect(401);
      }
      await agent
        .post('/login')
        .set(from)
        .type('form')
        .send({ _csrf: token, username: 'officer', password: DEMO_PASSWORD })
        .expect(429);
    } finally {
      close();
    }
  });
});
