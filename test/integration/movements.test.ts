import { expect } from 'chai';
import type { Principal } from '../../src/auth/principal.js';
import type { RequestContext } from '../../src/services/access.js';
import type { MovementInput } from '../../src/services/movements/movementService.js';
import {
  countRows,
  createCountyDepartment,
  createPerson,
  createTestTownship,
  createUser,
  demoScopes,
} from '../support/factories.js';
import { type Agent, csrfFrom, csrfOf, signIn } from '../support/http.js';
import { backend, getWorld, TEST_TODAY, type TestWorld } from '../support/world.js';

type Role = Principal['grants'][number]['role'];

async function contextFor(world: TestWorld, role: Role, regionId: number | null): Promise<RequestContext> {
  const user = await createUser(world.db.knex, { role, ...(regionId ? { regionId } : {}) });
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

/** A person in post in a test township, with a quota slot of the type, from 2020. */
async function personInPost(world: TestWorld, postId: number, accountId: number): Promise<number> {
  const person = await createPerson(world.db.knex);
  await world.db.knex.transaction(async (trx) => {
    await trx('assignments').insert({
      person_id: person,
      post_id: postId,
      kind: 'primary',
      valid_from: '2020-06-01',
    });
    await trx('quota_slots').insert({ person_id: person, account_id: accountId, valid_from: '2020-06-01' });
  });
  return person;
}

const base = (over: Partial<MovementInput>): MovementInput => ({
  kind: 'internal',
  subKind: null,
  personId: 0,
  toPostId: null,
  toEstablishmentType: null,
  effectiveOn: TEST_TODAY,
  plannedUntil: null,
  reason: '工作需要',
  docNo: '测组干〔2026〕1号',
  correctsId: null,
  formKey: crypto.randomUUID(),
  ...over,
});

describe('movements: the service', () => {
  let world: TestWorld;
  let s: Awaited<ReturnType<typeof demoScopes>>;
  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
    s = await demoScopes(world.db.knex);
  });

  it('the inbox finds every destination in one statement, exactly as the request page does one by one', async () => {
    const admin = await contextFor(world, 'admin', null);
    const { items } = await world.services.movements.inbox(admin);
    const kinds = new Set(items.filter((i) => i.destination).map((i) => i.kind));
    expect(kinds.size, 'the demo inbox holds requests that add to a quota').to.be.greaterThan(0);
    for (const item of items) {
      const detail = await world.services.movements.detail(admin.scope, item.id);
      expect(item.destination, `request ${item.id} (${item.kind})`).to.deep.equal(detail.destination);
    }
  });

  it('an internal move is filed (备案) at once and the history shows it from its date', async () => {
    const t = await createTestTownship(world.db.knex, { countyId: s.county });
    const person = await personInPost(
      world,
      t.posts.office[0] as number,
      t.accounts.administrative as number,
    );
    const officer = await contextFor(world, 'township_officer', t.townshipId);
    const r = await world.services.movements.create(
      officer,
      base({ personId: person, toPostId: t.posts.office[1] as number }),
    );
    expect(r).to.deep.include({ ok: true });
    if (!r.ok) return;
    expect(r.value.state).to.equal('filed');
    const now = await world.db
      .knex('assignments')
      .where({ person_id: person })
      .whereNull('superseded_at')
      .orderBy('valid_from');
    expect(
      now.map((a: { post_id: number; valid_to: string | null }) => [a.post_id, a.valid_to]),
    ).to.deep.equal([
      [t.posts.office[0], TEST_TODAY],
      [t.posts.office[1], null],
    ]);
  });

  it('cross-township: approval by the county reserves the place until the effective date, then it is occupied', async () => {
    const from = await createTestTownship(world.db.knex, {
      countyId: s.county,
      approved: { administrative: 3 },
    });
    const to = await createTestTownship(world.db.knex, {
      countyId: s.county,
      approved: { administrative: 1 },
    });
    const person = await personInPost(
      world,
      from.posts.office[0] as number,
      from.accounts.administrative as number,
    );
    const officer = await contextFor(world, 'township_officer', from.townshipId);
    const reviewer = await contextFor(world, 'county_reviewer', s.county);
    const created = await world.services.movements.create(
      officer,
      base({
        kind: 'cross_township',
        personId: person,
        toPostId: to.posts.office[0] as number,
        effectiveOn: '2027-01-01',
      }),
    );
    if (!created.ok) throw new Error(created.code);
    expect(created.value.state).to.equal('submitted');
    const own = await world.services.movements.decide(reviewer, created.value.id, {
      action: 'approve',
      comment: '',
      docNo: null,
      version: 0,
    });
    expect(own).to.deep.include({ ok: false, code: 'stale_version' });
    const row = await world.db.knex('movement_requests').where({ id: created.value.id }).first();
    const approved = await world.services.movements.decide(reviewer, created.value.id, {
      action: 'approve',
      comment: '同意',
      docNo: '示组干〔2026〕9号',
      version: row.version,
    });
    expect(approved).to.deep.include({ ok: true });
    const { usage: usageOf } = await import('../../src/db/repositories/quota.js');
    const usage = async (on: string) =>
      (await usageOf(world.db.knex, { accountIds: [to.accounts.administrative as number] }, on))[0];
    expect(await usage(TEST_TODAY)).to.include({ approved: 1, occupied: 0, reserved: 1 });
    expect(await usage('2027-01-01')).to.include({ approved: 1, occupied: 1, reserved: 0 });
    // The destination is now full: another request for it is refused at approval, naming the numbers.
    const other = await personInPost(
      world,
      from.posts.office[1] as number,
      from.accounts.administrative as number,
    );
    const second = await world.services.movements.create(
      officer,
      base({
        kind: 'cross_township',
        personId: other,
        toPostId: to.posts.office[1] as number,
        effectiveOn: '2027-01-01',
      }),
    );
    if (!second.ok) throw new Error(second.code);
    const v = (await world.db.knex('movement_requests').where({ id: second.value.id }).first()).version;
    const refused = await world.services.movements.decide(reviewer, second.value.id, {
      action: 'approve',
      comment: '',
      docNo: null,
      version: v,
    });
    expect(refused).to.deep.include({ ok: false, code: 'quota_full' });
    expect((await world.db.knex('movement_requests').where({ id: second.value.id }).first()).state).to.equal(
      'submitted',
    );
  });

  it('the proposer never approves their own request; a decided request is immutable in the database', async () => {
    const t = await createTestTownship(world.db.knex, { countyId: s.county });
    const to = await createTestTownship(world.db.knex, { countyId: s.county });
    const person = await personInPost(
      world,
      t.posts.office[0] as number,
      t.accounts.administrative as number,
    );
    const admin = await contextFor(world, 'admin', null);
    const created = await world.services.movements.create(
      admin,
      base({ kind: 'cross_township', personId: person, toPostId: to.posts.office[0] as number }),
    );
    if (!created.ok) throw new Error(created.code);
    const v = (await world.db.knex('movement_requests').where({ id: created.value.id }).first()).version;
    const own = await world.services.movements.decide(admin, created.value.id, {
      action: 'approve',
      comment: '',
      docNo: null,
      version: v,
    });
    expect(own).to.deep.include({ ok: false, code: 'own_request' });
    const withdrawn = await world.services.movements.decide(admin, created.value.id, {
      action: 'withdraw',
      comment: '撤回',
      docNo: null,
      version: v,
    });
    expect(withdrawn).to.deep.include({ ok: true });
    let refused = false;
    try {
      await world.db.knex.transaction(async (trx) => {
        await trx('movement_requests').where({ id: created.value.id }).update({ state: 'approved' });
      });
    } catch {
      refused = true;
    }
    expect(refused).to.equal(true);
  });

  it('entry needs the establishment office first (用编核准 reserves), then the county; the person enters on the date', async () => {
    const t = await createTestTownship(world.db.knex, {
      countyId: s.county,
      approved: { administrative: 1 },
    });
    const officer = await contextFor(world, 'township_officer', t.townshipId);
    const bianban = await contextFor(world, 'establishment_officer', s.county);
    const reviewer = await contextFor(world, 'county_reviewer', s.county);
    const person = await createPerson(world.db.knex);
    await world.db.knex.transaction(async (trx) => {
      await trx('people').where({ id: person }).update({ registered_township_id: t.townshipId });
    });
    const created = await world.services.movements.create(
      officer,
      base({
        kind: 'entry',
        subKind: 'recruitment',
        personId: person,
        toPostId: t.posts.office[0] as number,
        toEstablishmentType: 'administrative',
        effectiveOn: '2026-12-01',
      }),
    );
    if (!created.ok) throw new Error(created.code);
    const version = async () =>
      (await world.db.knex('movement_requests').where({ id: created.value.id }).first()).version;
    const early = await world.services.movements.decide(reviewer, created.value.id, {
      action: 'approve',
      comment: '',
      docNo: null,
      version: await version(),
    });
    expect(early).to.deep.include({ ok: false, code: 'not_your_turn' });
    const quotaUse = await world.services.movements.decide(bianban, created.value.id, {
      action: 'approve',
      comment: '用编核准',
      docNo: '示编核〔2026〕3号',
      version: await version(),
    });
    expect(quotaUse).to.deep.include({ ok: true });
    const row = await world.db.knex('movement_requests').where({ id: created.value.id }).first();
    expect(row).to.include({ state: 'submitted', stage: 1 });
    expect(row.reservation_id).to.be.a('number');
    const final = await world.services.movements.decide(reviewer, created.value.id, {
      action: 'approve',
      comment: '同意',
      docNo: '示组干〔2026〕10号',
      version: row.version,
    });
    expect(final).to.deep.include({ ok: true });
    const slot = await world.db.knex('quota_slots').where({ person_id: person }).first();
    expect(slot).to.include({ valid_from: '2026-12-01', account_id: t.accounts.administrative });
  });

  it('exit frees the slot on its date and records the status', async () => {
    const t = await createTestTownship(world.db.knex, { countyId: s.county });
    const person = await personInPost(
      world,
      t.posts.office[0] as number,
      t.accounts.administrative as number,
    );
    const officer = await contextFor(world, 'township_officer', t.townshipId);
    const r = await world.services.movements.create(
      officer,
      base({ kind: 'exit', subKind: 'retirement', personId: person, effectiveOn: '2026-12-31' }),
    );
    expect(r).to.deep.include({ ok: true });
    const slot = await world.db.knex('quota_slots').where({ person_id: person }).first();
    expect(slot?.valid_to).to.equal('2026-12-31');
    const status = await world.db
      .knex('person_statuses')
      .where({ person_id: person, status: 'retired' })
      .first();
    expect(status?.valid_from).to.equal('2026-12-31');
  });

  it('moving dispatched-unit staff waits for the township party committee’s opinion before the county approves', async () => {
    const knex = world.db.knex;
    const from = await createTestTownship(knex, { countyId: s.county });
    const to = await createTestTownship(knex, { countyId: s.county, approved: { administrative: 2 } });
    const { accountId, postIn } = await createCountyDepartment(world.db.knex, s.county, { approved: 2 });
    const post = await postIn(from.townshipId);
    const person = await personInPost(world, post, accountId);
    const officer = await contextFor(world, 'township_officer', from.townshipId);
    const reviewer = await contextFor(world, 'county_reviewer', s.county);
    const created = await world.services.movements.create(
      officer,
      base({ kind: 'cross_township', personId: person, toPostId: to.posts.office[0] as number }),
    );
    if (!created.ok) throw new Error(created.code);
    const id = created.value.id;
    expect((await world.services.movements.detail(reviewer.scope, id)).needsOpinion).to.equal(true);
    const version = async () =>
      Number((await knex('movement_requests').where({ id }).first('version')).version);
    const approve = async () =>
      world.services.movements.decide(reviewer, id, {
        action: 'approve',
        comment: '',
        docNo: null,
        version: await version(),
      });
    expect(await approve()).to.deep.include({ ok: false, code: 'party_opinion_required' });
    expect(await countRows(knex, 'assignments', { person_id: person })).to.equal(1);
    const opinion = await world.services.movements.recordOpinion(officer, id, {
      givenOn: TEST_TODAY,
      docNo: '测党委〔2026〕3号',
      text: '同意调出',
    });
    expect(opinion).to.deep.include({ ok: true });
    expect(await approve()).to.deep.include({ ok: true });
    const moved = (await knex('assignments')
      .where({ person_id: person })
      .whereNull('valid_to')
      .first('post_id')) as {
      post_id: number;
    };
    expect(moved.post_id).to.equal(to.posts.office[0]);
    // A move inside an ordinary township needs no opinion.
    const other = await personInPost(
      world,
      to.posts.office[1] as number,
      to.accounts.administrative as number,
    );
    const plain = await world.services.movements.create(
      await contextFor(world, 'township_officer', to.townshipId),
      base({ kind: 'cross_township', personId: other, toPostId: from.posts.office[0] as number }),
    );
    if (!plain.ok) throw new Error(plain.code);
    expect((await world.services.movements.detail(reviewer.scope, plain.value.id)).needsOpinion).to.equal(
      false,
    );
  });

  it('approving a move into a post someone else holds is refused before anything is written', async () => {
    const knex = world.db.knex;
    const from = await createTestTownship(knex, { countyId: s.county });
    const to = await createTestTownship(knex, { countyId: s.county, approved: { administrative: 3 } });
    const mover = await personInPost(
      world,
      from.posts.office[0] as number,
      from.accounts.administrative as number,
    );
    await personInPost(world, to.posts.office[0] as number, to.accounts.administrative as number);
    const created = await world.services.movements.create(
      await contextFor(world, 'township_officer', from.townshipId),
      base({ kind: 'cross_township', personId: mover, toPostId: to.posts.office[0] as number }),
    );
    if (!created.ok) throw new Error(created.code);
    const row = await knex('movement_requests').where({ id: created.value.id }).first('version');
    const rowsBefore = await knex('assignments').where({ person_id: mover }).select('*');
    const r = await world.services.movements.decide(
      await contextFor(world, 'county_reviewer', s.county),
      created.value.id,
      { action: 'approve', comment: '', docNo: null, version: Number(row.version) },
    );
    expect(r).to.deep.include({ ok: false, code: 'post_not_vacant', field: 'toPostId' });
    expect(await knex('assignments').where({ person_id: mover }).select('*')).to.deep.equal(rowsBefore);
    // The post seen held is refused without waiting for its row lock: another transaction holding it (a
    // decision under way) does not hold this refusal up (PostgreSQL: PGlite has one connection).
    if (backend !== 'pg') return;
    const again = await knex('movement_requests').where({ id: created.value.id }).first('version');
    await knex.transaction(async (trx) => {
      await trx('posts')
        .where({ id: to.posts.office[0] as number })
        .forUpdate()
        .first('id');
      const refused = await Promise.race([
        world.services.movements.decide(
          await contextFor(world, 'county_reviewer', s.county),
          created.value.id,
          { action: 'approve', comment: '', docNo: null, version: Number(again.version) },
        ),
        new Promise((resolve) => setTimeout(() => resolve('waited for the lock'), 5_000)),
      ]);
      expect(refused).to.deep.include({ ok: false, code: 'post_not_vacant', field: 'toPostId' });
    });
  });

  it('a move that stays in a full account (the same department elsewhere) is approved; into another full account it is refused', async () => {
    const knex = world.db.knex;
    const from = await createTestTownship(knex, { countyId: s.county });
    const to = await createTestTownship(knex, { countyId: s.county, approved: { administrative: 0 } });
    // The department's one place is taken by the mover: leaving frees it for the same person's new post.
    const { accountId, postIn } = await createCountyDepartment(knex, s.county, { approved: 1 });
    const mover = await personInPost(world, await postIn(from.townshipId), accountId);
    const officer = await contextFor(world, 'township_officer', from.townshipId);
    const reviewer = await contextFor(world, 'county_reviewer', s.county);
    const decideAll = async (id: number) => {
      await world.services.movements.recordOpinion(officer, id, {
        givenOn: TEST_TODAY,
        docNo: '测党委〔2026〕4号',
        text: '同意',
      });
      const row = await knex('movement_requests').where({ id }).first('version');
      return world.services.movements.decide(reviewer, id, {
        action: 'approve',
        comment: '',
        docNo: null,
        version: Number(row.version),
      });
    };
    const full = await world.services.movements.create(
      officer,
      base({ kind: 'cross_township', personId: mover, toPostId: to.posts.office[0] as number }),
    );
    if (!full.ok) throw new Error(full.code);
    const before = await knex('quota_slots').where({ person_id: mover }).select('*');
    expect(await decideAll(full.value.id)).to.deep.include({ ok: false, code: 'quota_full' });
    expect(await knex('quota_slots').where({ person_id: mover }).select('*')).to.deep.equal(before);
    await knex('movement_requests')
      .where({ id: full.value.id })
      .update({ state: 'withdrawn', decided_at: knex.fn.now() });
    const same = await world.services.movements.create(
      officer,
      base({ kind: 'cross_township', personId: mover, toPostId: await postIn(to.townshipId) }),
    );
    if (!same.ok) throw new Error(same.code);
    expect(await decideAll(same.value.id)).to.deep.include({ ok: true });
    const slots = await knex('quota_slots')
      .where({ person_id: mover })
      .whereNull('valid_to')
      .select('account_id');
    expect(slots.map((r: { account_id: number }) => r.account_id)).to.deep.equal([accountId]);
  });

  it('a batch with one bad member changes nothing; a swap inside a batch works', async () => {
    const t = await createTestTownship(world.db.knex, {
      countyId: s.county,
      approved: { administrative: 5 },
    });
    const [a, b] = [
      await personInPost(world, t.posts.office[0] as number, t.accounts.administrative as number),
      await personInPost(world, t.posts.office[1] as number, t.accounts.administrative as number),
    ];
    const other = await createTestTownship(world.db.knex, {
      countyId: s.county,
      approved: { administrative: 0 },
    });
    const officer = await contextFor(world, 'township_officer', t.townshipId);
    const reviewer = await contextFor(world, 'county_reviewer', s.county);
    const bad = await world.services.movements.createBatch(officer, {
      title: '轮岗',
      docNo: '测组干〔2026〕20号',
      formKey: crypto.randomUUID(),
      members: [
        base({ kind: 'internal', personId: a, toPostId: t.posts.office[2] as number }),
        base({ kind: 'cross_township', personId: b, toPostId: other.posts.office[0] as number }),
      ],
    });
    if (!bad.ok) throw new Error(bad.code);
    const before = await countRows(world.db.knex, 'assignments', { person_id: a });
    await world.services.movements.decideBatch(officer, bad.value.batchId, {
      action: 'submit',
      comment: '',
      docNo: null,
    });
    const refused = await world.services.movements.decideBatch(reviewer, bad.value.batchId, {
      action: 'approve',
      comment: '',
      docNo: null,
    });
    expect(refused).to.deep.include({ ok: false, code: 'quota_full' });
    expect(await countRows(world.db.knex, 'assignments', { person_id: a })).to.equal(before);
    const rejected = await world.services.movements.decideBatch(reviewer, bad.value.batchId, {
      action: 'reject',
      comment: '重新研究',
      docNo: null,
    });
    expect(rejected).to.deep.include({ ok: true });
    // A swap: each vacates the post the other takes, decided together.
    const swap = await world.services.movements.createBatch(officer, {
      title: '对调',
      docNo: '测组干〔2026〕21号',
      formKey: crypto.randomUUID(),
      members: [
        base({
          kind: 'cross_type',
          personId: a,
          toPostId: t.posts.station[0] as number,
          effectiveOn: '2027-01-01',
        }),
        base({
          kind: 'internal',
          personId: b,
          toPostId: t.posts.office[0] as number,
          effectiveOn: '2027-01-01',
        }),
      ],
    });
    if (!swap.ok) throw new Error(swap.code);
    const submitted = await world.services.movements.decideBatch(officer, swap.value.batchId, {
      action: 'submit',
      comment: '',
      docNo: null,
    });
    expect(submitted).to.deep.include({
      ok: true,
      value: { batchId: swap.value.batchId, state: 'submitted' },
    });
    const approved = await world.services.movements.decideBatch(reviewer, swap.value.batchId, {
      action: 'approve',
      comment: '同意',
      docNo: '示组干〔2026〕22号',
    });
    expect(approved).to.deep.include({ ok: true });
    const posts = await world.db
      .knex('assignments')
      .whereIn('person_id', [a, b])
      .where('valid_from', '2027-01-01')
      .orderBy('person_id')
      .select('person_id', 'post_id');
    expect(posts.map((p: { post_id: number }) => p.post_id)).to.deep.equal([
      t.posts.station[0],
      t.posts.office[0],
    ]);
  });
});

describe('movements under concurrency (PostgreSQL)', () => {
  let world: TestWorld;
  before(async function () {
    if (backend !== 'pg') this.skip();
    this.timeout(180_000);
    world = await getWorld();
  });

  it('30 concurrent cross-township approvals into 3 vacancies → exactly 3, ten rounds', async function () {
    this.timeout(300_000);
    const s = await demoScopes(world.db.knex);
    const reviewer = await contextFor(world, 'county_reviewer', s.county);
    const admin = await contextFor(world, 'admin', null);
    for (let round = 0; round < 10; round++) {
      const from = await createTestTownship(world.db.knex, {
        countyId: s.county,
        approved: { administrative: 30 },
        postsPerUnit: 30,
      });
      const to = await createTestTownship(world.db.knex, {
        countyId: s.county,
        approved: { administrative: 3 },
        postsPerUnit: 30,
      });
      const ids: number[] = [];
      for (let i = 0; i < 30; i++) {
        const person = await personInPost(
          world,
          from.posts.office[i] as number,
          from.accounts.administrative as number,
        );
        const r = await world.services.movements.create(
          admin,
          base({ kind: 'cross_township', personId: person, toPostId: to.posts.office[i] as number }),
        );
        if (!r.ok) throw new Error(r.code);
        ids.push(r.value.id);
      }
      const versions = await world.db.knex('movement_requests').whereIn('id', ids).select('id', 'version');
      const results = await Promise.all(
        versions.map((v: { id: number; version: number }) =>
          world.services.movements.decide(reviewer, v.id, {
            action: 'approve',
            comment: '',
            docNo: null,
            version: v.version,
          }),
        ),
      );
      expect(results.filter((r) => r.ok).length, `round ${round}`).to.equal(3);
      expect(results.filter((r) => !r.ok && r.code !== 'quota_full')).to.deep.equal([]);
      expect(
        await countRows(world.db.knex, 'quota_slots', {
          account_id: to.accounts.administrative,
          superseded_at: null,
        }),
      ).to.equal(3);
    }
  });

  it('two reviewers approving the same request at once: one wins, the other is told it changed', async function () {
    this.timeout(60_000);
    const s = await demoScopes(world.db.knex);
    const from = await createTestTownship(world.db.knex, { countyId: s.county });
    const to = await createTestTownship(world.db.knex, { countyId: s.county });
    const person = await personInPost(
      world,
      from.posts.office[0] as number,
      from.accounts.administrative as number,
    );
    const admin = await contextFor(world, 'admin', null);
    const created = await world.services.movements.create(
      admin,
      base({ kind: 'cross_township', personId: person, toPostId: to.posts.office[0] as number }),
    );
    if (!created.ok) throw new Error(created.code);
    const v = (await world.db.knex('movement_requests').where({ id: created.value.id }).first()).version;
    const [r1, r2] = [
      await contextFor(world, 'county_reviewer', s.county),
      await contextFor(world, 'county_reviewer', s.county),
    ];
    const results = await Promise.all(
      [r1, r2].map((r) =>
        world.services.movements.decide(r, created.value.id, {
          action: 'approve',
          comment: '',
          docNo: null,
          version: v,
        }),
      ),
    );
    expect(results.filter((r) => r.ok)).to.have.length(1);
    expect(results.find((r) => !r.ok)).to.deep.include({ code: 'already_decided' });
  });
});

describe('movements: pages and the approval chain through the browser forms', () => {
  let world: TestWorld;
  let s: Awaited<ReturnType<typeof demoScopes>>;
  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
    s = await demoScopes(world.db.knex);
  });

  /** form → check page → confirm, returning the final response. */
  async function submitMovement(agent: Agent, fields: Record<string, string>) {
    const chosen = await agent
      .post('/movements/new')
      .type('form')
      .send({
        _csrf: await csrfOf(agent, '/movements/new'),
        chooseKind: '1',
        kind: fields.kind,
        township: fields.township ?? '',
      });
    const formKey = /name="formKey" value="([^"]+)"/.exec(chosen.text)?.[1] ?? '';
    const check = await agent
      .post('/movements/new')
      .type('form')
      .send({ _csrf: csrfFrom(chosen.text), formKey, ...fields });
    if (!check.text.includes('name="confirm"')) return check;
    return agent
      .post('/movements/new')
      .type('form')
      .send({ _csrf: csrfFrom(check.text), formKey, ...fields, confirm: '1' });
  }

  it('an officer files a cross-township request; it waits in the county inbox; the reviewer approves it; the ledger lists it', async () => {
    const from = await createTestTownship(world.db.knex, { countyId: s.county });
    const to = await createTestTownship(world.db.knex, {
      countyId: s.county,
      approved: { administrative: 2 },
    });
    const person = await personInPost(
      world,
      from.posts.office[0] as number,
      from.accounts.administrative as number,
    );
    const user = await createUser(world.db.knex, { role: 'township_officer', regionId: from.townshipId });
    const officer = await signIn(world.app, user.username, user.password);
    const bad = await submitMovement(officer, {
      kind: 'cross_township',
      personId: String(person),
      toPostId: '',
      effectiveOn: '2026-12-01',
      reason: '',
    });
    expect(bad.status).to.equal(400);
    expect(bad.text).to.contain('请选择调入岗位');
    expect(bad.text).to.contain('请输入事由');
    const done = await submitMovement(officer, {
      kind: 'cross_township',
      personId: String(person),
      toPostId: String(to.posts.office[0]),
      effectiveOn: '2026-12-01',
      reason: '工作需要',
      docNo: '测组干〔2026〕30号',
    });
    expect(done.status).to.equal(303);
    const id = Number(/\/movements\/(\d+)/.exec(String(done.headers.location))?.[1]);
    const page = await officer.get(`/movements/${id}`).expect(200);
    expect(page.text).to.contain('审批中');

    const reviewer = await signIn(world.app, 'zuzhibu');
    const inbox = await reviewer.get('/inbox').expect(200);
    expect(inbox.text).to.contain(`/movements/${id}`);
    expect(inbox.text).to.contain('核定2名，批准后占用1名');
    const detail = await reviewer.get(`/movements/${id}`).expect(200);
    const version = /name="version" value="(\d+)"/.exec(detail.text)?.[1] as string;
    const noReason = await reviewer
      .post(`/movements/${id}/decisions`)
      .type('form')
      .send({ _csrf: csrfFrom(detail.text), action: 'reject', version })
      .expect(400);
    expect(noReason.text).to.contain('退回或不同意时请说明理由');
    await reviewer
      .post(`/movements/${id}/decisions`)
      .type('form')
      .send({
        _csrf: csrfFrom(detail.text),
        action: 'approve',
        comment: '同意',
        docNo: '示组干〔2026〕31号',
        version,
      })
      .expect(303);
    const stale = await reviewer
      .post(`/movements/${id}/decisions`)
      .type('form')
      .send({ _csrf: csrfFrom(detail.text), action: 'approve', version })
      .expect(409);
    expect(stale.text).to.contain('已办结');
    const ledger = await reviewer.get('/movements/ledger').expect(200);
    expect(ledger.text).to.contain(`/movements/${id}`);
    expect(ledger.text).to.contain('行政编制'); // type before and after
    // Filters: the destination township lists it, another township and another kind don't.
    const byTownship = await reviewer.get(`/movements/ledger?township=${to.townshipId}`).expect(200);
    expect(byTownship.text).to.contain(`/movements/${id}`);
    expect(byTownship.text).to.match(new RegExp(`<option value="${to.townshipId}" selected>`));
    const elsewhere = await reviewer.get(`/movements/ledger?township=${s.township}`).expect(200);
    expect(elsewhere.text).not.to.contain(`/movements/${id}"`);
    const otherKind = await reviewer.get(`/movements/ledger?kind=exit&township=${to.townshipId}`).expect(200);
    expect(otherKind.text).not.to.contain(`/movements/${id}"`);
    const period = await reviewer.get(`/movements/ledger?from=2026-12-01&to=2026-12-01`).expect(200);
    expect(period.text).to.contain(`/movements/${id}"`);
    const api = await reviewer.get(`/api/v1/movement-ledger?township=${from.townshipId}`).expect(200);
    expect(api.body.items.map((x: { id: number }) => x.id)).to.include(id);
    expect(
      api.body.items.every(
        (x: { fromTownshipId: number; toTownshipId: number }) =>
          x.fromTownshipId === from.townshipId || x.toTownshipId === from.townshipId,
      ),
    ).to.equal(true);
    const xlsx = await reviewer.get('/movements/ledger?format=xlsx').expect(200);
    expect(xlsx.headers['content-type']).to.contain('spreadsheetml');
    // Another county's reviewer doesn't see it.
    const other = await signIn(world.app, 'zuzhibu2');
    await other.get(`/movements/${id}`).expect(404);
  });

  it('every role is allowed or refused each action, on pages and in JSON', async function () {
    this.timeout(90_000);
    const knex = world.db.knex;
    const from = await createTestTownship(knex, { countyId: s.county, approved: { administrative: 3 } });
    const to = await createTestTownship(knex, { countyId: s.county, approved: { administrative: 3 } });
    const person = await personInPost(
      world,
      from.posts.office[0] as number,
      from.accounts.administrative as number,
    );
    const entrant = await createPerson(knex);
    await knex('people').where({ id: entrant }).update({ registered_township_id: from.townshipId });
    const officerUser = await createUser(knex, { role: 'township_officer', regionId: from.townshipId });
    const destUser = await createUser(knex, { role: 'township_officer', regionId: to.townshipId });
    const officer = await signIn(world.app, officerUser.username, officerUser.password);
    const dest = await signIn(world.app, destUser.username, destUser.password);
    const reviewer = await signIn(world.app, 'zuzhibu');
    const bianban = await signIn(world.app, 'bianban');
    const otherCounty = await signIn(world.app, 'zuzhibu2');
    const otherTownship = await signIn(world.app, 'officer'); // the demo township, same county
    const staff = await signIn(world.app, 'staff');

    // Proposing: only the township officer (and the admin); a reviewer is refused (403), staff see nothing.
    await reviewer.get('/movements/new').expect(403);
    await bianban.get('/movements/new').expect(403);
    await staff.get('/movements/new').expect(404);
    await staff.get('/movements').expect(404);
    const refusedCreate = await reviewer
      .post('/api/v1/transfers')
      .set('X-CSRF-Token', await csrfOf(reviewer, '/account'))
      .send({
        kind: 'cross_township',
        personId: person,
        toPostId: to.posts.office[0],
        effectiveOn: '2026-12-01',
        reason: '工作需要',
      })
      .expect(403);
    expect(refusedCreate.body.error.code).to.equal('forbidden');
    const created = await submitMovement(officer, {
      kind: 'cross_township',
      personId: String(person),
      toPostId: String(to.posts.office[0]),
      effectiveOn: '2026-12-01',
      reason: '工作需要',
    });
    expect(created.status).to.equal(303);
    const id = Number(/\/movements\/(\d+)/.exec(String(created.headers.location))?.[1]);

    const decide = async (agent: Agent, action: string, movementId = id) => {
      const page = await agent.get(`/movements/${movementId}`);
      if (page.status !== 200) return page.status;
      // The version as it is now (the page shows it only to those whose turn it is).
      const { version } = await knex('movement_requests').where({ id: movementId }).first('version');
      const res = await agent
        .post(`/movements/${movementId}/decisions`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), action, comment: '意见', docNo: '测〔2026〕1号', version });
      return res.status;
    };
    // Seeing it: both townships, the county; not another township, another county or staff.
    await dest.get(`/movements/${id}`).expect(200);
    await otherTownship.get(`/movements/${id}`).expect(404);
    await otherCounty.get(`/movements/${id}`).expect(404);
    await staff.get(`/movements/${id}`).expect(404);
    await otherCounty.get(`/api/v1/transfers/${id}`).expect(404);
    // Deciding: the proposer and the destination officer may not; the 编办 is not in this chain.
    expect(await decide(officer, 'approve')).to.equal(403);
    expect(await decide(dest, 'approve')).to.equal(403);
    expect(await decide(bianban, 'approve')).to.equal(403);
    expect(await decide(reviewer, 'withdraw')).to.equal(403);
    const apiRefused = await bianban
      .post(`/api/v1/transfers/${id}/decisions`)
      .set('X-CSRF-Token', await csrfOf(bianban, '/account'))
      .send({
        action: 'approve',
        version: (await knex('movement_requests').where({ id }).first('version')).version,
      })
      .expect(403);
    expect(apiRefused.body.error.code).to.equal('not_your_turn');
    // The reviewer returns it; the proposer may withdraw it; the state is then final (409).
    expect(await decide(reviewer, 'return')).to.equal(303);
    expect(await decide(officer, 'withdraw')).to.equal(303);
    expect(await decide(reviewer, 'approve')).to.equal(409);

    // Entry: the 编办 first (用编核准), then the county; the county cannot jump the queue.
    const entry = await submitMovement(officer, {
      kind: 'entry',
      subKind: 'recruitment',
      personId: String(entrant),
      toPostId: String(from.posts.office[1]),
      toEstablishmentType: 'administrative',
      effectiveOn: '2026-12-15',
      reason: '公务员招录',
    });
    expect(entry.status).to.equal(303);
    const entryId = Number(/\/movements\/(\d+)/.exec(String(entry.headers.location))?.[1]);
    expect(await decide(reviewer, 'approve', entryId)).to.equal(403);
    expect(await decide(bianban, 'approve', entryId)).to.equal(303);
    expect(await decide(bianban, 'approve', entryId)).to.equal(403);
    expect(await decide(reviewer, 'approve', entryId)).to.equal(303);
    const state = await knex('movement_requests').where({ id: entryId }).first('state');
    expect(state?.state).to.equal('approved');
  });

  it('every movement page answers in Chinese and English for officers and reviewers', async () => {
    for (const user of ['officer', 'zuzhibu', 'bianban']) {
      const agent = await signIn(world.app, user);
      for (const url of [
        '/movements',
        '/movements/ledger',
        '/movements?state=submitted',
        ...(user === 'officer'
          ? ['/movements/new', '/movements/new?kind=secondment', '/movement-batches/new']
          : ['/inbox']),
      ]) {
        const zh = await agent.get(url);
        expect(zh.status, `${user} ${url}`).to.equal(200);
        expect(zh.text).not.to.match(/\b(movements|movementForm|ledger|inbox|batchForm)\.[a-zA-Z]+/);
      }
    }
  });
});

describe('movements: the JSON API', () => {
  let world: TestWorld;
  let s: Awaited<ReturnType<typeof demoScopes>>;
  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
    s = await demoScopes(world.db.knex);
  });

  it('POST /transfers → 201; decisions with the version; errors as { error: { code, message, field } }', async () => {
    const from = await createTestTownship(world.db.knex, { countyId: s.county });
    const to = await createTestTownship(world.db.knex, {
      countyId: s.county,
      approved: { administrative: 1 },
    });
    const person = await personInPost(
      world,
      from.posts.office[0] as number,
      from.accounts.administrative as number,
    );
    const user = await createUser(world.db.knex, { role: 'township_officer', regionId: from.townshipId });
    const officer = await signIn(world.app, user.username, user.password);
    const token = await csrfOf(officer, '/account');
    const invalid = await officer
      .post('/api/v1/transfers')
      .set('X-CSRF-Token', token)
      .send({ kind: 'cross_township', personId: person })
      .expect(422);
    expect(invalid.body.error).to.include({ code: 'validation' });
    const created = await officer
      .post('/api/v1/transfers')
      .set('X-CSRF-Token', token)
      .send({
        kind: 'cross_township',
        personId: person,
        toPostId: to.posts.office[0],
        effectiveOn: TEST_TODAY,
        reason: '工作需要',
      })
      .expect(201);
    expect(created.body.state).to.equal('submitted');
    const choices = await officer.get(`/api/v1/transfers/choices?township=${from.townshipId}`).expect(200);
    expect(choices.body.people.map((p: { id: number }) => p.id)).to.include(person);
    expect(choices.body.posts.find((p: { id: number }) => p.id === to.posts.office[0])).to.include({
      vacant: true,
    });
    await officer.get('/api/v1/transfers/choices').expect(422);
    await officer.get(`/api/v1/transfers/choices?township=${s.township3}`).expect(404);
    const reviewer = await signIn(world.app, 'zuzhibu');
    const rtoken = await csrfOf(reviewer, '/account');
    const inbox = await reviewer.get('/api/v1/inbox').expect(200);
    expect(inbox.body.awaiting.map((x: { id: number }) => x.id)).to.include(created.body.id);
    const detail = await reviewer.get(`/api/v1/transfers/${created.body.id}`).expect(200);
    const stale = await reviewer
      .post(`/api/v1/transfers/${created.body.id}/decisions`)
      .set('X-CSRF-Token', rtoken)
      .send({ decision: 'approve', version: detail.body.version - 1 })
      .expect(409);
    expect(stale.body.error.code).to.equal('stale_version');
    const done = await reviewer
      .post(`/api/v1/transfers/${created.body.id}/decisions`)
      .set('X-CSRF-Token', rtoken)
      .set('Accept-Language', 'en')
      .send({ decision: 'approve', comment: 'ok', docNo: '示组干〔2026〕40号', version: detail.body.version })
      .expect(200);
    expect(done.body.state).to.equal('approved');
    const ledger = await reviewer.get('/api/v1/movement-ledger').expect(200);
    expect(ledger.body.items.map((x: { id: number }) => x.id)).to.include(created.body.id);
    const list = await officer.get('/api/v1/transfers?state=approved&kind=cross_township').expect(200);
    expect(list.body.items.map((x: { id: number }) => x.id)).to.include(created.body.id);
  });
});
