import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createUser, demoScopes } from '../support/factories.js';
import { csrfFrom, signIn } from '../support/http.js';
import { buildApp, getWorld, type TestWorld, testConfig } from '../support/world.js';

/** A local SMTP sink: accepts every message and keeps it, parsed. */
async function smtpSink() {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    received,
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('inbox digest: a daily e-mail through the configured SMTP server, off by default', () => {
  let world: TestWorld;
  let sink: Awaited<ReturnType<typeof smtpSink>>;

  before(async function () {
    this.timeout(120_000);
    world = await getWorld();
    sink = await smtpSink();
  });

  after(async () => {
    await sink.close();
  });

  it('is off without SMTP_URL: nothing scheduled, nothing sent', async () => {
    expect(world.services.digest.enabled).to.equal(false);
    expect(await world.services.digest.sendDaily()).to.deep.equal({ claimed: false, sent: 0, failed: 0 });
  });

  it('a user sets an address on the account page; bad input is explained and kept; the choice is audited', async () => {
    const user = await createUser(world.db.knex, {
      role: 'county_reviewer',
      regionId: (await demoScopes(world.db.knex)).county,
    });
    const agent = await signIn(world.app, user.username, user.password);
    const page = await agent.get('/account').expect(200);
    expect(page.text).to.contain('每日待办邮件');
    expect(page.text).to.contain('尚未配置邮件服务器');
    const bad = await agent
      .post('/account/notifications')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: 'not-an-address', digestEnabled: '1' })
      .expect(400);
    expect(bad.text).to.contain('请输入有效的电子邮箱');
    expect(bad.text).to.contain('value="not-an-address"');
    const none = await agent
      .post('/account/notifications')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: '', digestEnabled: '1' })
      .expect(400);
    expect(none.text).to.contain('要接收每日待办邮件，请填写电子邮箱');
    await agent
      .post('/account/notifications')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: 'reviewer@example.gov.cn', digestEnabled: '1' })
      .expect(303);
    const row = await world.db.knex('users').where({ id: user.id }).first('email', 'digest_enabled');
    expect(row).to.deep.equal({ email: 'reviewer@example.gov.cn', digest_enabled: true });
    const audit = await world.db
      .knex('audit_log')
      .where({ action: 'notifications.updated', actor_user_id: user.id });
    expect(audit).to.have.length(1);
    // The database refuses the digest without an address, whatever the form says.
    let error: { constraint?: string } | undefined;
    try {
      await world.db.knex('users').where({ id: user.id }).update({ email: null });
    } catch (err) {
      error = err as { constraint?: string };
    }
    expect(error?.constraint).to.equal('users_digest_needs_email_check');
  });

  it('sends one message per user with something to do, in their language, once a day across instances', async () => {
    const knex = world.db.knex;
    await knex('digest_runs').delete();
    await knex('users').update({ digest_enabled: false });
    await knex('users')
      .where({ username: 'zuzhibu' })
      .update({ email: 'zuzhibu@example.gov.cn', digest_enabled: true });
    await knex('users')
      .where({ username: 'zuzhibu2' })
      .update({ email: 'zuzhibu2@example.gov.cn', digest_enabled: true, locale: 'en' });
    await knex('users')
      .where({ username: 'staff' })
      .update({ email: 'staff@example.gov.cn', digest_enabled: true });
    const config = testConfig({ SMTP_URL: sink.url, PUBLIC_URL: 'https://gangwei.example.gov.cn' });
    const first = buildApp(world.db, config);
    const second = buildApp(world.db, config);
    try {
      const [a, b] = await Promise.all([
        first.services.digest.sendDaily(),
        second.services.digest.sendDaily(),
      ]);
      expect([a.claimed, b.claimed].filter(Boolean)).to.have.length(1);
      const run = a.claimed ? a : b;
      expect(run.failed).to.equal(0);
      const zh = sink.received.find((m) => m.to && JSON.stringify(m.to).includes('zuzhibu@example.gov.cn'));
      expect(zh?.subject).to.match(/^岗位通待办：\d+ 项（2026\.11\.15）$/);
      expect(zh?.text).to.contain('https://gangwei.example.gov.cn/inbox');
      expect(zh?.text).to.contain('等待您审批');
      const en = sink.received.find((m) => JSON.stringify(m.to).includes('zuzhibu2@example.gov.cn'));
      if (en) expect(en.subject).to.match(/^Gangwei inbox: \d+ to act on \(2026-11-15\)$/);
      // Staff have no inbox: no message.
      expect(sink.received.some((m) => JSON.stringify(m.to).includes('staff@example.gov.cn'))).to.equal(
        false,
      );
      expect(run.sent).to.equal(sink.received.length);
      const again = await first.services.digest.sendDaily();
      expect(again.claimed).to.equal(false);
      const logged = await knex('digest_runs').where({ day: '2026-11-15' }).first();
      expect(logged?.sent).to.equal(run.sent);
    } finally {
      first.close();
      second.close();
      await knex('users')
        .whereIn('username', ['zuzhibu', 'zuzhibu2', 'staff'])
        .update({ digest_enabled: false });
      await knex('users').where({ username: 'zuzhibu2' }).update({ locale: 'zh-CN' });
    }
  });
});

describe('inbox digest: the JSON twin of the e-mail setting', () => {
  it('reads and sets the address and choice; the digest without an address is a 422', async () => {
    const world = await getWorld();
    const user = await createUser(world.db.knex, {
      role: 'township_officer',
      regionId: (await demoScopes(world.db.knex)).township,
    });
    const agent = await signIn(world.app, user.username, user.password);
    const token = csrfFrom((await agent.get('/account').expect(200)).text);
    const empty = await agent.get('/api/v1/me/notifications').expect(200);
    expect(empty.body).to.deep.equal({ email: null, digestEnabled: false, digestAvailable: false });
    const refused = await agent
      .put('/api/v1/me/notifications')
      .set('X-CSRF-Token', token)
      .send({ email: null, digestEnabled: true })
      .expect(422);
    expect(refused.body.error.field).to.equal('email');
    await agent
      .put('/api/v1/me/notifications')
      .set('X-CSRF-Token', token)
      .send({ email: 'officer@example.gov.cn', digestEnabled: true })
      .expect(200);
    const after = await agent.get('/api/v1/me/notifications').expect(200);
    expect(after.body).to.include({ email: 'officer@example.gov.cn', digestEnabled: true });
  });
});
