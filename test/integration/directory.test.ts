import { expect } from 'chai';
import { demoScopes } from '../support/factories.js';
import { csrfOf, signIn } from '../support/http.js';
import { getWorld, type TestWorld } from '../support/world.js';

describe('navigation city → county → township → unit → post → person', () => {
  let world: TestWorld;
  let s: Awaited<ReturnType<typeof demoScopes>>;
  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
    s = await demoScopes(world.db.knex);
  });

  const linkTo = (html: string, prefix: string) => {
    const m = new RegExp(`href="(${prefix}/\\d+)"`).exec(html);
    if (!m?.[1]) throw new Error(`no link to ${prefix}`);
    return m[1];
  };

  it('walks down from the city by following links, in Chinese', async () => {
    const agent = await signIn(world.app, 'zuzhibu');
    const city = await agent.get(`/cities/${s.city}`).expect(200);
    expect(city.text).to.contain('所辖县（区）');
    const county = await agent.get(linkTo(city.text, '/counties')).expect(200);
    expect(county.text).to.contain('乡镇（街道）编制使用情况');
    expect(county.text).to.match(/tag tag--(vacant|full|over)/);
    const township = await agent.get(linkTo(county.text, '/townships')).expect(200);
    expect(township.text).to.contain('编制使用情况');
    expect(township.text).to.contain('党政综合办公室');
    const unit = await agent.get(linkTo(township.text, '/units')).expect(200);
    const post = await agent.get(linkTo(unit.text, '/posts')).expect(200);
    expect(post.text).to.contain('历任人员');
    const person = await agent.get(linkTo(post.text, '/people')).expect(200);
    expect(person.text).to.contain('任职经历');
    expect(person.text).to.match(/\d{4}\.\d{2}--/);
  });

  it('shows the same pages in English with ISO dates', async () => {
    const agent = await signIn(world.app, 'officer');
    await agent
      .post('/locale')
      .type('form')
      .send({ _csrf: await csrfOf(agent, '/account'), locale: 'en', returnTo: `/townships/${s.township}` })
      .expect(303);
    const township = await agent.get(`/townships/${s.township}`).expect(200);
    expect(township.text).to.contain('Establishment quota use');
    expect(township.text).to.contain('Leadership team');
    const roster = await agent.get(`/townships/${s.township}/people`).expect(200);
    expect(roster.text).to.contain('In surname stroke order');
    const person = await agent.get(`/people/${s.staffPerson}`).expect(200);
    expect(person.text).to.match(/\d{4}-\d{2}--/);
    expect(person.text).not.to.match(/[^\d]\d{4}\.\d{2}--/);
    // The account keeps the choice for the next sign-in.
    expect((await world.db.knex('users').where({ username: 'officer' }).first('locale'))?.locale).to.equal(
      'en',
    );
    await world.db.knex.transaction(async (trx) => {
      await trx('users').where({ username: 'officer' }).update({ locale: 'zh-CN' });
    });
  });

  it('the county JSON carries the same headline numbers as the page', async () => {
    const agent = await signIn(world.app, 'zuzhibu');
    const res = await agent.get(`/api/v1/counties/${s.county}`).expect(200);
    expect(res.body.townships.length).to.be.greaterThan(1);
    for (const t of res.body.townships) {
      expect(t.quota.vacant - t.quota.over).to.equal(
        t.quota.approved - t.quota.occupied - t.quota.reserved,
        `${t.name}: vacant and over follow from approved and occupied`,
      );
    }
    const statuses = new Set(res.body.townships.map((t: { quota: { status: string } }) => t.quota.status));
    expect(statuses.size).to.be.greaterThan(0);
  });
});
