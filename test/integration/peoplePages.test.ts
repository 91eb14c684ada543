import { expect } from 'chai';
import type { Knex } from 'knex';
import { createOwnTownship, createRegisteredPerson } from '../support/factories.js';
import { csrfOf } from '../support/http.js';
import { signInAs, submit } from '../support/people.js';
import { getWorld, type TestWorld } from '../support/world.js';

/** A message key that reached the page untranslated (i18next shows the key itself). */
const MISSING =
  /(?<![\w/.#-])(people|person|history|education|family|errors|assessmentResults|ladders)\.[a-zA-Z_]+(\.[a-zA-Z_]+)*(?![\w/])/g;

describe('people: every page renders in Chinese and English with no message missing', () => {
  let world: TestWorld;
  let knex: Knex;

  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
    knex = world.db.knex;
  });

  it('search, create, record, every form, the sheet', async () => {
    const t = await createOwnTownship(knex);
    const p = await createRegisteredPerson(knex, { townshipId: t.townshipId, name: '页面人' });
    const agent = await signInAs(world, t.officer);
    await submit(agent, `/people/${p.id}/history/statuses/new`, `/people/${p.id}/history/statuses`, {
      status: 'active',
      validFrom: '2020-01-01',
    });
    await submit(agent, `/people/${p.id}/sanctions/new`, `/people/${p.id}/sanctions`, {
      kindCode: 'investigation',
      decidedOn: '2026-01-01',
    });
    const status = await knex('person_statuses').where({ person_id: p.id }).first('id');
    const sanction = await knex('sanctions').where({ person_id: p.id }).first('id');
    const pages = [
      '/people',
      '/people?q=ym&order=pinyin',
      '/people/new',
      `/people/${p.id}`,
      `/people/${p.id}/edit`,
      `/people/${p.id}/photo/edit`,
      `/people/${p.id}/educations/new`,
      `/people/${p.id}/family/new`,
      ...['assignments', 'grades', 'slots', 'statuses'].map((k) => `/people/${p.id}/history/${k}/new`),
      `/people/${p.id}/history/statuses/${status?.id}/correct`,
      `/people/${p.id}/history/statuses/${status?.id}/close`,
      `/people/${p.id}/assessments/new`,
      `/people/${p.id}/sanctions/new`,
      `/people/${p.id}/sanctions/${sanction?.id}/correct`,
      `/people/${p.id}/sanctions/${sanction?.id}/close`,
      `/townships/${t.townshipId}/assessments`,
    ];
    for (const locale of ['zh-CN', 'en']) {
      await agent
        .post('/locale')
        .type('form')
        .send({ _csrf: await csrfOf(agent, '/account'), locale, returnTo: '/' })
        .expect(303);
      for (const url of pages) {
        const res = await agent.get(url);
        expect(res.status, `${locale} ${url}`).to.equal(200);
        const text = res.text.replace(/<[^>]+>/g, ' ');
        expect(text.match(MISSING) ?? [], `${locale} ${url}`).to.deep.equal([]);
        expect(res.text, `${locale} ${url}`).to.contain(`<html lang="${locale}">`);
      }
      // A form with every error shown.
      const bad = await submit(agent, '/people/new', '/people', { townshipId: String(t.townshipId) });
      expect(bad.status).to.equal(400);
      expect(bad.text.replace(/<[^>]+>/g, ' ').match(MISSING) ?? []).to.deep.equal([]);
    }
    const en = await agent.get(`/people/${p.id}`);
    expect(en.text).to.contain('Until closed');
    expect(en.text).to.match(/2020-01--/);
  });
});
