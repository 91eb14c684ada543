import { expect } from 'chai';
// Imported statically: a dynamic import gets a module instance of its own under the test loader, whose
// allowCompactionNow would not reach the app's.
import {
  allowCompactionNow,
  COMPACT_ABOVE_ROWS,
  compact,
  countyKey,
  townshipWithCountyKey,
} from '../../src/db/repositories/overviewChanges.js';
import { createOwnTownship, createPerson, createUser, freshIdNumber } from '../support/factories.js';
import { type Agent, csrfFrom, signIn } from '../support/http.js';
import { personRow, templateLayoutWorkbook } from '../support/imports.js';
import { backend, getWorld, TEST_TODAY, type TestWorld } from '../support/world.js';

/**
 * The county overview is cached in-process and stays valid through the change log the database keeps
 * (overview_changes, written by triggers): every kind of write to its figures shows on the next request,
 * whichever path made it (the app's forms here, raw SQL for the rest); writes elsewhere leave a county's
 * cached figures alone.
 */
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('county overview cache: every write to its figures shows on the next request', () => {
  let world: TestWorld;
  let own: Awaited<ReturnType<typeof createOwnTownship>>;
  let other: Awaited<ReturnType<typeof createOwnTownship>>;
  let agent: Agent;
  let holderId: number;
  let person: number;

  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
    own = await createOwnTownship(world.db.knex);
    other = await createOwnTownship(world.db.knex);
    const user = await createUser(world.db.knex, { role: 'establishment_officer', regionId: own.countyId });
    agent = await signIn(world.app, user.username, user.password);
    const holder = await world.db.knex('quota_holders').where({ township_id: own.townshipId }).first('id');
    holderId = (holder as { id: number }).id;
    person = await createPerson(world.db.knex, '缓存测试');
  });

  const knex = () => world.db.knex;
  const stats = () => world.services.establishment.reads.countyOverviewCache();

  /** The county's only township as the JSON twin shows it, and whether it came from the cache. */
  async function overview(countyId = own.countyId) {
    const before = stats();
    const res = await agent.get(`/api/v1/townships?county=${countyId}`).expect(200);
    const item = res.body.items[0];
    return { item, total: res.body.total, hit: stats().hits > before.hits };
  }

  /** Reads twice (the second from the cache), writes, and returns the figures before and after. */
  async function aroundWrite(write: () => Promise<unknown>) {
    await overview();
    const before = await overview();
    expect(before.hit, 'second read is a cache hit').to.equal(true);
    await write();
    const after = await overview();
    expect(after.hit, 'the read after a write recomputes').to.equal(false);
    return { before: before.item, after: after.item };
  }

  it('a quota decision through the form', async () => {
    const url = `/counties/${own.countyId}/quota-decisions/new`;
    const { before, after } = await aroundWrite(async () => {
      const form = await agent.get(url).expect(200);
      const formKey = /name="formKey" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
      const fields = {
        holderId: String(holderId),
        establishmentType: 'administrative',
        approvedCount: '5',
        effectiveFrom: '2026-01-01',
        docNo: '缓编发〔2026〕1号',
        changeSummary: '增加行政编制3名',
        correctsId: '',
      };
      const check = await agent
        .post(url)
        .type('form')
        .send({ _csrf: csrfFrom(form.text), formKey, ...fields })
        .expect(200);
      await agent
        .post(url)
        .type('form')
        .send({ _csrf: csrfFrom(check.text), formKey, ...fields, confirm: '1' })
        .expect(303);
    });
    expect(before.quota.approved).to.equal(3);
    expect(after.quota.approved).to.equal(6);
  });

  it('a placement (quota slot and assignment), then its end', async () => {
    const placed = await aroundWrite(() =>
      knex().transaction(async (trx) => {
        await trx('quota_slots').insert({
          person_id: person,
          account_id: own.accounts.administrative,
          valid_from: '2026-01-01',
        });
        await trx('assignments').insert({
          person_id: person,
          post_id: own.posts.clerkA,
          kind: 'primary',
          valid_from: '2026-01-01',
        });
      }),
    );
    expect(placed.after.quota.occupied).to.equal(placed.before.quota.occupied + 1);
    expect(placed.after.headcount).to.equal(placed.before.headcount + 1);
    const ended = await aroundWrite(() =>
      knex()('quota_slots').where({ person_id: person }).update({ valid_to: '2026-11-01' }),
    );
    expect(ended.after.quota.occupied).to.equal(ended.before.quota.occupied - 1);
  });

  it('a reservation', async () => {
    const { before, after } = await aroundWrite(() =>
      knex()('quota_reservations').insert({
        account_id: own.accounts.institutional,
        reserved_on: '2026-10-01',
        reason: '用编核准',
      }),
    );
    expect(after.quota.reserved).to.equal(before.quota.reserved + 1);
  });

  it('leadership: a total decision, a leader appointed, a temporary slot written off', async () => {
    const total = await aroundWrite(() =>
      knex()('leadership_total_decisions').insert({
        township_id: own.townshipId,
        total: 7,
        effective_from: '2026-01-01',
        doc_no: '缓组〔2026〕1号',
      }),
    );
    expect(total.before.leadership.total).to.equal(null);
    expect(total.after.leadership.total).to.equal(7);
    const leader = await createPerson(knex(), '缓存副镇长');
    const [post] = await knex()('posts')
      .insert({
        township_id: own.townshipId,
        name: '副镇长',
        category: 'leadership',
        leadership_kind: 'deputy_mayor',
        establishment_types: ['administrative'],
        opened_on: '2020-01-01',
      })
      .returning('id');
    const appointed = await aroundWrite(() =>
      knex()('assignments').insert({
        person_id: leader,
        post_id: (post as { id: number }).id,
        kind: 'primary',
        valid_from: '2026-02-01',
      }),
    );
    expect(appointed.after.leadership.countedFilled).to.equal(appointed.before.leadership.countedFilled + 1);
    const writtenOff = await aroundWrite(async () => {
      const [account] = await knex()('leadership_slot_accounts')
        .insert({ township_id: own.townshipId, kind_code: 'deputy_mayor' })
        .returning('id');
      await knex()('leadership_slot_decisions').insert({
        account_id: (account as { id: number }).id,
        slot_count: 1,
        rank: 'deputy_section',
        counted: true,
        temporary: true,
        write_off_on: '2026-06-30',
        effective_from: '2026-01-01',
        doc_no: '缓组〔2026〕2号',
      });
    });
    expect(writtenOff.before.leadership.flagged).to.equal(0);
    expect(writtenOff.after.leadership.flagged).to.equal(1);
  });

  it('a retirement (person status) takes the person out of the headcount', async () => {
    const retiree = await createPerson(knex(), '缓存退休');
    await knex()('assignments').insert({
      person_id: retiree,
      post_id: own.posts.station,
      kind: 'primary',
      valid_from: '2026-01-01',
    });
    const { before, after } = await aroundWrite(() =>
      knex().transaction(async (trx) => {
        await trx('person_statuses').where({ person_id: retiree }).update({ valid_to: '2026-11-01' });
        await trx('person_statuses').insert({
          person_id: retiree,
          status: 'retired',
          valid_from: '2026-11-01',
        });
      }),
    );
    expect(after.headcount).to.equal(before.headcount - 1);
  });

  it('a township renamed shows on the page, the JSON twin and the Excel export', async () => {
    await agent.get(`/counties/${own.countyId}`).expect(200);
    const { after } = await aroundWrite(() =>
      knex()('regions')
        .where({ id: own.townshipId })
        .update({ name: `更名镇${process.pid}` }),
    );
    expect(after.name).to.equal(`更名镇${process.pid}`);
    const page = await agent.get(`/counties/${own.countyId}`).expect(200);
    expect(page.text).to.contain(`更名镇${process.pid}`);
    await agent.get(`/counties/${own.countyId}/overview.xlsx`).expect(200);
    const directory = await agent.get(`/api/v1/counties/${own.countyId}`).expect(200);
    expect(directory.body.townships[0].name).to.equal(`更名镇${process.pid}`);
  });

  it('the directory’s county and city figures come from the same cache and follow writes', async () => {
    const admin = await signIn(world.app, 'admin');
    const city = async () => (await admin.get(`/api/v1/cities/${own.cityId}`).expect(200)).body.counties[0];
    const county = async () => (await admin.get(`/api/v1/counties/${own.countyId}`).expect(200)).body;
    await county();
    const before = { city: await city(), county: await county() };
    await knex()('quota_decisions').insert({
      account_id: own.accounts.institutional,
      approved_count: 4,
      effective_from: '2026-02-01',
      doc_no: '缓编发〔2026〕2号',
    });
    const after = { city: await city(), county: await county() };
    expect(after.county.total.quota.approved).to.equal(before.county.total.quota.approved + 3);
    expect(after.city.quota.approved).to.equal(before.city.quota.approved + 3);
    expect(after.county.townships[0].quota).to.deep.equal(after.county.total.quota);
  });

  it('an import commit (a new person kept by the township)', async () => {
    const officer = await signIn(world.app, own.officer.username, own.officer.password);
    const token = csrfFrom((await officer.get('/account')).text);
    const keyBefore = await countyKey(knex(), own.countyId);
    const { before, after } = await aroundWrite(async () => {
      const idNumber = freshIdNumber('1988-08-08');
      const file = await templateLayoutWorkbook({
        A01: [personRow(idNumber, '缓存导入')],
        A02: [
          {
            idNumber,
            unitName: '党政综合办公室',
            postName: '组织人事岗',
            establishmentType: '行政编制',
            validFrom: '2026.01.01',
          },
        ],
      });
      const res = await officer
        .post('/api/v1/imports')
        .set('X-CSRF-Token', token)
        .attach('file', file, { filename: 'cache.xlsx', contentType: XLSX });
      expect(res.body.state).to.equal('committed');
    });
    expect(await countyKey(knex(), own.countyId)).to.not.equal(keyBefore);
    expect(after.headcount).to.equal(before.headcount + 1);
    expect(after.quota.occupied).to.equal(before.quota.occupied + 1);
  });

  it('a write in one county leaves another county’s key and cached figures alone', async () => {
    const admin = await signIn(world.app, 'admin');
    const read = async () => {
      const before = stats();
      const res = await admin.get(`/api/v1/townships?county=${other.countyId}`).expect(200);
      return { body: res.body, hit: stats().hits > before.hits };
    };
    await read();
    const key = await countyKey(knex(), other.countyId);
    await knex()('quota_reservations').insert({
      account_id: own.accounts.administrative,
      reserved_on: '2026-10-02',
      reason: '用编核准',
    });
    expect(await countyKey(knex(), other.countyId)).to.equal(key);
    const again = await read();
    expect(again.hit).to.equal(true);
    expect((await overview()).hit).to.equal(false);
  });

  it('another reader’s scope is applied to cached figures: a township officer of another county gets 404', async () => {
    await overview();
    const outsider = await signIn(world.app, other.officer.username, other.officer.password);
    await outsider.get(`/api/v1/townships?county=${own.countyId}`).expect(404);
    await outsider.get(`/counties/${own.countyId}`).expect(404);
  });

  it('an earlier asOf is its own entry', async () => {
    const past = await agent.get(`/api/v1/townships?county=${own.countyId}&asOf=1999-01-01`).expect(200);
    const now = await agent.get(`/api/v1/townships?county=${own.countyId}`).expect(200);
    expect(past.body.asOf).to.equal('1999-01-01');
    expect(now.body.asOf).to.equal(TEST_TODAY);
    expect(past.body.items[0].quota.approved).to.equal(0);
    expect(now.body.items[0].quota.approved).to.be.greaterThan(0);
  });

  it('transactions that commit out of id order both invalidate (PostgreSQL)', async function () {
    if (backend !== 'pg') this.skip();
    await overview();
    // A takes the smaller log id, B the larger; B commits first and the overview is read (and cached)
    // between the two commits. A's commit must still change the key: a max(id) key would not notice it.
    const trxA = await knex().transaction();
    const trxB = await knex().transaction();
    try {
      await trxA('quota_reservations').insert({
        account_id: own.accounts.institutional,
        reserved_on: '2026-10-03',
        reason: '用编核准',
      });
      await trxB('leadership_total_decisions').insert({
        township_id: own.townshipId,
        total: 8,
        effective_from: '2026-03-01',
        doc_no: '缓组〔2026〕3号',
      });
      const ids = async (trx: typeof trxA) =>
        Number((await trx('overview_changes').max('id as id').first())?.id);
      expect(await ids(trxA)).to.be.lessThan(await ids(trxB));
      const before = (await overview()).item;
      await trxB.commit();
      const middle = await overview();
      expect(middle.hit).to.equal(false);
      expect(middle.item.leadership.total).to.equal(8);
      expect(middle.item.quota.reserved).to.equal(before.quota.reserved);
      expect((await overview()).hit, 'cached between the commits').to.equal(true);
      await trxA.commit();
      const after = await overview();
      expect(after.hit).to.equal(false);
      expect(after.item.quota.reserved).to.equal(before.quota.reserved + 1);
    } finally {
      if (!trxA.isCompleted()) await trxA.rollback();
      if (!trxB.isCompleted()) await trxB.rollback();
    }
  });

  it('compaction folds the log without changing any key', async () => {
    const keys = async () => [await countyKey(knex(), own.countyId), await countyKey(knex(), other.countyId)];
    const before = await keys();
    await overview();
    const removed = await compact(knex(), 2);
    expect(removed).to.be.greaterThan(0);
    expect(await keys()).to.deep.equal(before);
    expect((await overview()).hit).to.equal(true);
    const rows = await knex()('overview_changes').where({ county_id: own.countyId }).count('* as n').first();
    expect(Number(rows?.n)).to.equal(1);
  });

  /** The own county's log rows; a busy day's worth of logged writes added (raw rows, as the triggers write
   * them); waiting for the background compaction to fold them. */
  const ownLogRows = async () =>
    Number((await knex()('overview_changes').where({ county_id: own.countyId }).count('* as n').first())?.n);
  const lengthenOwnLog = () =>
    knex()('overview_changes').insert(
      Array.from({ length: COMPACT_ABOVE_ROWS + 50 }, () => ({ county_id: own.countyId, weight: 1 })),
    );
  const untilFolded = async () => {
    for (let i = 0; i < 100 && (await ownLogRows()) > 1; i++) await new Promise((r) => setTimeout(r, 50));
  };

  it('a key read that finds a long log folds it in the background, keys unchanged', async () => {
    await lengthenOwnLog();
    const key = await countyKey(knex(), other.countyId);
    allowCompactionNow();
    const long = await countyKey(knex(), own.countyId);
    await untilFolded();
    expect(await ownLogRows()).to.equal(1);
    expect(await countyKey(knex(), own.countyId)).to.equal(long);
    expect(await countyKey(knex(), other.countyId)).to.equal(key);
    // The page's own key read (township and key in one statement) gives the same key and compacts too.
    const township = await townshipWithCountyKey(knex(), own.townshipId);
    expect(township?.countyKey).to.equal(long);
  });

  it('a signed-in request notices a long log of its scope’s county (a reader whose pages are cached reads no key)', async () => {
    await lengthenOwnLog();
    const key = await countyKey(knex(), other.countyId);
    const long = await countyKey(knex(), own.countyId);
    allowCompactionNow();
    // Any page: the session is read with the user, their scope, its key and its log's length.
    await agent.get('/inbox').expect(200);
    await untilFolded();
    expect(await ownLogRows()).to.equal(1);
    expect(await countyKey(knex(), own.countyId)).to.equal(long);
    expect(await countyKey(knex(), other.countyId)).to.equal(key);
  });
});
