import { expect } from 'chai';
import type { Knex } from 'knex';
import type { Principal } from '../../src/auth/principal.js';
import type { RequestContext } from '../../src/services/access.js';
import { createOwnTownship, createPerson, createTestTownship, createUser } from '../support/factories.js';
import { type Agent, csrfOf, signIn } from '../support/http.js';
import { getWorld, TEST_TODAY, type TestWorld } from '../support/world.js';

type Role = Principal['grants'][number]['role'];

/** The number in the header's 待办 link (0 when there is none). */
const badgeOf = (html: string) =>
  Number(/<span class="badge" aria-hidden="true">(\d+)<\/span>/.exec(html)?.[1] ?? 0);

describe('inbox: one list of things to act on per user, with the count in the header', () => {
  let world: TestWorld;
  let knex: Knex;
  let countyId: number;
  let a: Awaited<ReturnType<typeof createTestTownship>>;
  let b: Awaited<ReturnType<typeof createTestTownship>>;
  let reviewer: Agent;
  let officer: Agent;
  let officerCtx: RequestContext;
  let reviewerCtx: RequestContext;
  const ids = { seconded: 0, secondment: 0, deputy: 0, returned: 0, waiting: 0 };

  async function contextFor(role: Role, regionId: number, user: { id: number; username: string }) {
    const principal: Principal = {
      userId: user.id,
      username: user.username,
      displayName: user.username,
      locale: 'zh-CN',
      via: 'session',
      grants: [{ role, regionId, personId: null }],
    };
    return {
      principal,
      scope: await world.services.access.scopeFor(principal),
      actor: { userId: user.id, username: user.username, requestId: 'test' },
    };
  }

  async function inPost(postId: number, accountId: number, name: string) {
    const person = await createPerson(knex, name);
    await knex('assignments').insert({
      person_id: person,
      post_id: postId,
      kind: 'primary',
      valid_from: '2020-06-01',
    });
    await knex('quota_slots').insert({ person_id: person, account_id: accountId, valid_from: '2020-06-01' });
    return person;
  }

  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
    knex = world.db.knex;
    countyId = (await createOwnTownship(knex)).countyId;
    a = await createTestTownship(knex, { countyId, approved: { administrative: 1, institutional: 3 } });
    b = await createTestTownship(knex, { countyId, approved: { administrative: 3, institutional: 3 } });
    // Quota over: 2 administrative people on 1 approved place in A.
    await inPost(a.posts.office[0] as number, a.accounts.administrative as number, '超编甲');
    await inPost(a.posts.office[1] as number, a.accounts.administrative as number, '超编乙');
    ids.seconded = await inPost(a.posts.station[0] as number, a.accounts.institutional as number, '借调人');
    // A temporary deputy-mayor place in B, written off on 2026-12-01, still held.
    const account = await knex('leadership_slot_accounts')
      .where({ township_id: b.townshipId, kind_code: 'deputy_mayor' })
      .first('id');
    await knex('leadership_slot_decisions').insert({
      account_id: account?.id,
      slot_count: 3,
      rank: 'deputy_section',
      counted: true,
      temporary: true,
      write_off_on: '2026-12-01',
      effective_from: '2026-01-01',
      doc_no: '测组〔2026〕5号',
    });
    ids.deputy = await inPost(
      b.posts.deputyMayor[0] as number,
      b.accounts.administrative as number,
      '临时副镇长',
    );

    const officerUser = await createUser(knex, { role: 'township_officer', regionId: a.townshipId });
    const reviewerUser = await createUser(knex, { role: 'county_reviewer', regionId: countyId });
    officerCtx = await contextFor('township_officer', a.townshipId, officerUser);
    reviewerCtx = await contextFor('county_reviewer', countyId, reviewerUser);
    officer = await signIn(world.app, officerUser.username, officerUser.password);
    reviewer = await signIn(world.app, reviewerUser.username, reviewerUser.password);
    // An overdue secondment: A's station person seconded to B since January, planned until October.
    const seconded = await world.services.movements.create(officerCtx, {
      kind: 'secondment',
      subKind: null,
      personId: ids.seconded,
      toPostId: b.posts.station[0] as number,
      toEstablishmentType: null,
      effectiveOn: '2026-01-01',
      plannedUntil: '2026-10-01',
      reason: '借调工作',
      docNo: null,
      correctsId: null,
      formKey: crypto.randomUUID(),
    });
    if (!seconded.ok) throw new Error(seconded.code);
    ids.secondment = seconded.value.id;
    const approved = await world.services.movements.decide(reviewerCtx, ids.secondment, {
      action: 'approve',
      comment: '',
      docNo: '测组〔2026〕6号',
      version: (await knex('movement_requests').where({ id: ids.secondment }).first('version')).version,
    });
    if (!approved.ok) throw new Error(approved.code);
    // Two cross-township requests from A to B: one returned to the officer, one waiting for the reviewer.
    const movers = [
      await inPost(a.posts.station[1] as number, a.accounts.institutional as number, '退回人'),
      await inPost(a.posts.station[2] as number, a.accounts.institutional as number, '待批人'),
    ];
    for (const [i, person] of movers.entries()) {
      const r = await world.services.movements.create(officerCtx, {
        kind: 'cross_township',
        subKind: null,
        personId: person,
        toPostId: b.posts.station[i + 1] as number,
        toEstablishmentType: null,
        effectiveOn: '2026-12-01',
        plannedUntil: null,
        reason: '工作需要',
        docNo: null,
        correctsId: null,
        formKey: crypto.randomUUID(),
      });
      if (!r.ok) throw new Error(r.code);
      if (i === 0) {
        ids.returned = r.value.id;
        const { version } = await knex('movement_requests').where({ id: r.value.id }).first('version');
        const back = await world.services.movements.decide(reviewerCtx, r.value.id, {
          action: 'return',
          comment: '请补充材料',
          docNo: null,
          version,
        });
        if (!back.ok) throw new Error(back.code);
      } else ids.waiting = r.value.id;
    }
  });

  it('the reviewer sees what waits for them, overdue secondments, slots to write off and quota over', async () => {
    const page = await reviewer.get('/inbox').expect(200);
    expect(page.text).to.contain('等待您审批');
    expect(page.text).to.contain(`/movements/${ids.waiting}"`);
    expect(page.text).not.to.contain(`/movements/${ids.returned}"`); // returned goes to the officer
    expect(page.text).to.contain('借调逾期');
    expect(page.text).to.contain(`/people/${ids.seconded}"`);
    expect(page.text).to.match(/<span class="tag tag--over">45<\/span>/); // 2026-10-01 → 2026-11-15
    expect(page.text).to.contain('临时职数待核销');
    expect(page.text).to.contain('（临时职数），仍有 1 人在任');
    expect(page.text).to.contain('2026.12.01 核销');
    expect(page.text).to.contain(`/townships/${b.townshipId}/leadership"`);
    expect(page.text).to.contain(`${a.name} 行政编制 核定1名，实有2名，在途0名，超编1名`);
    expect(page.text).to.contain(`/townships/${a.townshipId}/establishment"`);
    // The header counts the same things: 1 waiting + 1 secondment + 1 slot + 1 over.
    expect(badgeOf(page.text)).to.equal(4);
    expect(await world.services.inbox.count(reviewerCtx)).to.equal(4);
    expect(page.text).to.contain('共有 4 项待处理');
  });

  it('the township officer sees the returned request and their township’s matters, not the other township’s', async () => {
    const page = await officer.get('/inbox').expect(200);
    expect(page.text).to.contain('退回修改的申请');
    expect(page.text).to.contain(`/movements/${ids.returned}"`);
    expect(page.text).not.to.contain('等待您审批');
    expect(page.text).to.contain(`/people/${ids.seconded}"`); // their person, seconded away
    expect(page.text).not.to.contain('临时职数待核销'); // B's slot is not theirs
    expect(page.text).to.contain('超编1名');
    expect(badgeOf(page.text)).to.equal(3);
    const other = await (await signIn(world.app, 'officer')).get('/inbox').expect(200);
    expect(other.text).not.to.contain(`/people/${ids.seconded}"`);
  });

  it('items disappear once handled, and the count with them', async () => {
    const ended = await world.services.movements.endSecondment(officerCtx, ids.secondment, {
      endedOn: TEST_TODAY,
    });
    expect(ended.ok).to.equal(true);
    const after = await reviewer.get('/inbox').expect(200);
    expect(after.text).not.to.contain(`/people/${ids.seconded}"`);
    expect(badgeOf(after.text)).to.equal(3);
  });

  it('staff have no inbox; another county sees none of this; English works', async () => {
    const staff = await signIn(world.app, 'staff');
    await staff.get('/inbox').expect(404);
    expect(badgeOf((await staff.get('/account').expect(200)).text)).to.equal(0);
    const other = await (await signIn(world.app, 'zuzhibu2')).get('/inbox').expect(200);
    expect(other.text).not.to.contain(`/movements/${ids.waiting}"`);
    expect(other.text).not.to.contain(a.name);
    await reviewer
      .post('/locale')
      .type('form')
      .send({ _csrf: await csrfOf(reviewer, '/account'), locale: 'en', returnTo: '/' })
      .expect(303);
    const en = await reviewer.get('/inbox').expect(200);
    expect(en.text).to.contain('Waiting for your decision');
    expect(en.text).to.contain('approved 1, occupied 2, reserved 0, 1 over');
    expect(en.text).not.to.match(/\binbox\.[a-zA-Z]+/);
  });

  it('the header count is kept until something in the user’s counties changes, by any path', async () => {
    const counted = async () => {
      let queries = 0;
      const listener = () => {
        queries += 1;
      };
      knex.on('query', listener);
      try {
        return { n: await world.services.inbox.count(reviewerCtx), queries };
      } finally {
        knex.removeListener('query', listener);
      }
    };
    // (A new city invalidates every county: made before the count is kept.)
    const elsewhere = await createOwnTownship(knex);
    const first = await counted();
    const kept = await counted();
    expect(kept).to.deep.equal({ n: first.n, queries: 1 });
    // A write in another county leaves it be.
    await knex('regions').where({ id: elsewhere.townshipId }).update({ name: '别处镇' });
    expect(await counted()).to.deep.equal({ n: first.n, queries: 1 });
    // A raw write to a request of this county (no service involved): counted again.
    await knex('movement_requests').where({ id: ids.waiting }).update({ reason: 'changed by hand' });
    const again = await counted();
    expect(again.n).to.equal(first.n);
    expect(again.queries).to.be.greaterThan(1);
  });
});

describe('inbox: the JSON twin', () => {
  it('returns the same sections and count as the page; staff get 404', async () => {
    const world = await getWorld();
    const reviewer = await signIn(world.app, 'zuzhibu');
    const api = await reviewer.get('/api/v1/inbox').expect(200);
    const page = await reviewer.get('/inbox').expect(200);
    expect(api.body.count).to.equal(badgeOf(page.text));
    for (const key of [
      'awaiting',
      'returned',
      'overdueSecondments',
      'temporarySlots',
      'quotaOver',
      'sections',
    ])
      expect(api.body[key]).to.be.an('array');
    for (const m of api.body.awaiting) expect(page.text).to.contain(`/movements/${m.id}"`);
    await (await signIn(world.app, 'staff')).get('/api/v1/inbox').expect(404);
  });
});
