import { expect } from 'chai';
import type { Knex } from 'knex';
import { type Agent, csrfFrom, csrfOf, signIn } from '../support/http.js';
import { getWorld, type TestWorld } from '../support/world.js';

const formKeyOf = (html: string) => /name="formKey" value="([^"]+)"/.exec(html)?.[1] ?? '';

describe('the official calendar: stored days, the working-days API and the administrator’s page', () => {
  let world: TestWorld;
  let knex: Knex;
  let admin: Agent;
  let officer: Agent;

  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
    knex = world.db.knex;
    admin = await signIn(world.app, 'admin');
    officer = await signIn(world.app, 'officer');
  });

  it('is seeded from the package: 2026 National Day and its make-up workdays', async () => {
    const rows = await knex('calendar_days').whereBetween('day', ['2026-09-20', '2026-10-10']).orderBy('day');
    const kinds = Object.fromEntries(rows.map((r) => [r.day, r.kind]));
    expect(kinds['2026-09-20']).to.equal('workday');
    expect(kinds['2026-10-01']).to.equal('holiday');
    expect(kinds['2026-10-10']).to.equal('workday');
  });

  it('GET /api/v1/calendar/working-days answers the end date for anyone signed in; bad input is 422', async () => {
    const r = await officer.get('/api/v1/calendar/working-days?from=2026-09-28&days=5').expect(200);
    expect(r.body).to.include({ from: '2026-09-28', days: 5, end: '2026-10-10', periodEnd: '2026-10-09' });
    expect(r.body.provisional).to.equal(false);
    const bad = await officer.get('/api/v1/calendar/working-days?from=2026-02-30&days=5').expect(422);
    expect(bad.body.error).to.include({ code: 'validation', field: 'from' });
    await officer.get('/api/v1/calendar/working-days?from=2026-09-28&days=x').expect(422);
    const late = await officer.get('/api/v1/calendar/working-days?from=2026-12-28&days=5').expect(200);
    expect(late.body.provisional).to.equal(true);
  });

  it('the administrator adds next year’s New Year through a check page: one audit entry, the API follows', async () => {
    await officer.get('/admin/calendar').expect(404);
    await officer.get('/admin/calendar/day').expect(404);
    const page = await admin.get('/admin/calendar?year=2026').expect(200);
    expect(page.text).to.contain('国庆节');
    const form = await admin.get('/admin/calendar/day').expect(200);
    const body = {
      _csrf: csrfFrom(form.text),
      formKey: formKeyOf(form.text),
      day: '2027-01-01',
      kind: 'holiday',
      name: '元旦',
      docNo: '',
    };
    const missing = await admin.post('/admin/calendar/day').type('form').send(body).expect(400);
    expect(missing.text).to.contain('请输入通知文号');
    expect(missing.text).to.contain('value="2027-01-01"');
    const filled = { ...body, docNo: '国办发明电〔2026〕9号' };
    const check = await admin.post('/admin/calendar/day').type('form').send(filled).expect(200);
    expect(check.text).to.contain('核对节假日安排');
    const before = await knex('audit_log')
      .where({ action: 'calendar.day_set' })
      .count<{ n: number }[]>('* as n');
    await admin
      .post('/admin/calendar/day')
      .type('form')
      .send({ ...filled, confirm: '1' })
      .expect(303);
    // A double submit answers like the first and writes nothing more.
    await admin
      .post('/admin/calendar/day')
      .type('form')
      .send({ ...filled, confirm: '1' })
      .expect(303);
    const after = await knex('audit_log')
      .where({ action: 'calendar.day_set' })
      .count<{ n: number }[]>('* as n');
    expect(Number(after[0]?.n) - Number(before[0]?.n)).to.equal(1);
    const r = await officer.get('/api/v1/calendar/working-days?from=2026-12-28&days=5').expect(200);
    expect(r.body).to.include({ end: '2027-01-05', periodEnd: '2027-01-04', provisional: false });
  });

  it('the JSON twin overrides a day for the administrator only', async () => {
    const officerToken = await csrfOf(officer, '/account');
    const token = await csrfOf(admin, '/account');
    await officer
      .put('/api/v1/calendar/days/2027-02-06')
      .set('X-CSRF-Token', officerToken)
      .send({ kind: 'workday', docNo: 'x' })
      .expect(404);
    const r = await admin
      .put('/api/v1/calendar/days/2027-02-06')
      .set('X-CSRF-Token', token)
      .send({ kind: 'workday', name: '春节', docNo: '国办发明电〔2026〕9号' })
      .expect(200);
    expect(r.body).to.deep.equal({ day: '2027-02-06' });
    const same = await admin
      .put('/api/v1/calendar/days/2027-02-06')
      .set('X-CSRF-Token', token)
      .send({ kind: 'workday', name: '春节', docNo: '国办发明电〔2026〕9号' })
      .expect(422);
    expect(same.body.error.code).to.equal('calendar_unchanged');
    expect(await world.services.calendar.workingDays.isWorkingDay('2027-02-06')).to.equal(true);
  });
});
