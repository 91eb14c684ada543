import { expect } from 'chai';
import ExcelJS from 'exceljs';
import {
  countRows,
  createOwnTownship,
  createRegisteredPerson,
  createUser,
  freshIdNumber,
} from '../support/factories.js';
import { type Agent, csrfFrom, signIn } from '../support/http.js';
import { personRow, rosterWorkbook, templateLayoutWorkbook } from '../support/imports.js';
import { rowOf, signInAs, snapshotCounts } from '../support/people.js';
import { getWorld, type TestWorld } from '../support/world.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Uploads a workbook through the page, waits for the background check, returns the job page. */
async function upload(
  world: TestWorld,
  agent: Agent,
  file: Buffer,
  name = 'roster.xlsx',
  fields: Record<string, string> = {},
) {
  const page = await agent.get('/imports');
  expect(page.status).to.equal(200);
  let req = agent.post('/imports').field('_csrf', csrfFrom(page.text));
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  const res = await req.attach('file', file, { filename: name, contentType: XLSX });
  if (res.status !== 303)
    return { res, id: null as number | null, page: null as null | { status: number; text: string } };
  const id = Number(/\/imports\/(\d+)$/.exec(res.headers.location as string)?.[1]);
  await world.services.imports.settled(id);
  return { res, id, page: await agent.get(`/imports/${id}`) };
}

async function commitPage(world: TestWorld, agent: Agent, id: number, jobPage: string) {
  const res = await agent
    .post(`/imports/${id}/commit`)
    .type('form')
    .send({ _csrf: csrfFrom(jobPage) });
  expect(res.status).to.equal(303);
  await world.services.imports.settled(id);
  return agent.get(`/imports/${id}`);
}

const binary = (
  res: { on: (e: string, cb: (c?: Buffer) => void) => void; setEncoding?: unknown },
  cb: (err: Error | null, body: Buffer) => void,
) => {
  const chunks: Buffer[] = [];
  res.on('data', (c?: Buffer) => {
    if (c) chunks.push(c);
  });
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('roster import from Excel', function () {
  this.timeout(60000);
  let world: TestWorld;
  let own: Awaited<ReturnType<typeof createOwnTownship>>;
  let agent: Agent;

  before(async () => {
    world = await getWorld();
    own = await createOwnTownship(world.db.knex);
    agent = await signInAs(world, own.officer);
  });

  it('offers a template that opens with exceljs, with the exchange sheets, instructions and drop-downs', async () => {
    const res = await agent.get('/imports/template.xlsx').buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.contain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ArrayBuffer);
    const names = wb.worksheets.map((w) => w.name);
    for (const code of ['B01', 'A01', 'A02', 'A03', 'A04', 'A05', 'A06'])
      expect(
        names.some((n) => n.startsWith(code)),
        code,
      ).to.equal(true);
    expect(names).to.include('填表说明');
    const a01 = wb.getWorksheet('A01人员基本信息');
    expect(a01?.getCell('C1').value).to.equal('*性别');
    const gender = a01?.getCell('C5').dataValidation;
    expect(gender?.type).to.equal('list');
    const a03 = wb.getWorksheet('A03职级');
    expect(a03?.getCell('C2').dataValidation?.type).to.equal('list');
    const codes = wb.getWorksheet('代码');
    expect(codes?.state).to.equal('hidden');
    const values = codes?.getColumn(5).values.filter(Boolean) as string[];
    expect(values).to.include('一级科员');
  });

  it('lists every problem per sheet, row and cell, marks the cells in a copy, and writes nothing', async () => {
    const good = freshIdNumber('1988-03-02');
    const dup = freshIdNumber('1990-01-05');
    const bad = `${good.slice(0, 17)}${good[17] === '1' ? '2' : '1'}`;
    const file = await templateLayoutWorkbook({
      A01: [
        personRow(good, '王一'),
        personRow(dup, '李二'),
        personRow(dup, '李二重'),
        { ...personRow(good, '赵三'), idNumber: bad },
        personRow(freshIdNumber('1991-02-03'), '钱四', { politicalStatus: '火星人', birthDate: '1991.13' }),
      ],
      A02: [
        {
          idNumber: good,
          unitName: '党政综合办公室',
          postName: '不存在岗',
          establishmentType: '行政编制',
          validFrom: '2024.03.01',
        },
      ],
      A06: [
        { idNumber: freshIdNumber('1970-01-01'), year: '2025', result: '称职' },
        // Two people's rows with the same values: each row gets its own problem.
        { idNumber: good, year: '25', result: '称职' },
        { idNumber: dup, year: '25', result: '称职' },
      ],
    });
    const before = await snapshotCounts(world.db.knex);
    const { page, id } = await upload(world, agent, file);
    expect(page?.status).to.equal(200);
    const text = page?.text ?? '';
    expect(text).to.contain('公民身份号码与第 3 行重复');
    expect(text).to.contain('公民身份号码的校验位（最后一位）不对');
    expect(text).to.contain('“火星人”不在下拉列表中');
    expect(text).to.contain('请按“1985.06”的格式输入出生年月');
    expect(text).to.contain('没有名为“不存在岗”的岗位');
    expect(text).to.contain('A01 中没有此人');
    expect(text).to.contain('>B4<'); // the duplicate's ID number cell
    expect(text).to.not.contain('确认导入');
    expect(await snapshotCounts(world.db.knex)).to.deep.equal(before);

    const marked = await agent.get(`/imports/${id}/marked.xlsx`).buffer(true).parse(binary);
    expect(marked.status).to.equal(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(marked.body as unknown as ArrayBuffer);
    const cell = wb.getWorksheet('A01人员基本信息')?.getCell('B4');
    expect(String(cell?.note ?? '')).to.contain('重复');
    expect((cell?.fill as { fgColor?: { argb?: string } } | undefined)?.fgColor?.argb).to.equal('FFFFC7CE');

    const api = await agent.get(`/api/v1/imports/${id}`);
    expect(api.status).to.equal(200);
    expect(api.body.state).to.equal('invalid');
    expect(api.body.problems.find((p: { cell: string }) => p.cell === 'B4')?.sheet).to.equal(
      'A01人员基本信息',
    );
    const years = (api.body.problems as Array<{ sheet: string; cell: string }>).filter(
      (p) => p.sheet.startsWith('A06') && p.cell.startsWith('C'),
    );
    expect(years.map((p) => p.cell)).to.deep.equal(['C3', 'C4']);
  });

  it('commits everything in one transaction, audits it, and a re-import of the same file changes nothing', async () => {
    const a = freshIdNumber('1985-06-15');
    const b = freshIdNumber('1992-11-20', 'female');
    const file = await templateLayoutWorkbook({
      B01: [{ unitName: '党政综合办公室' }],
      A01: [
        personRow(a, '孙五', {
          politicalStatus: '中共党员',
          partyJoinedOn: '2010.07',
          workStartedOn: '2008.08',
        }),
        personRow(b, '周六'),
      ],
      A02: [
        {
          idNumber: a,
          name: '孙五',
          unitName: '党政综合办公室',
          postName: '综合文字岗',
          establishmentType: '行政编制',
          validFrom: '2020.03.01',
          docNo: '测组〔2020〕8号',
        },
      ],
      A03: [{ idNumber: a, grade: '一级科员', validFrom: '2022.01' }],
      A04: [
        {
          idNumber: b,
          mode: '全日制教育',
          level: '大学本科',
          degree: '学士',
          school: '示范大学',
          major: '法学',
        },
      ],
      A05: [
        { idNumber: a, category: '奖励', kind: '嘉奖', decidedOn: '2023.01.01' },
        { idNumber: b, category: '惩戒', kind: '政务处分·警告', decidedOn: '2024.05.01' },
      ],
      A06: [
        { idNumber: a, year: '2024', result: '称职' },
        { idNumber: a, year: '2025', result: '优秀' },
      ],
    });
    const { page, id } = await upload(world, agent, file, '孙五名册.xlsx');
    expect((await agent.get(`/api/v1/imports/${id}`)).body.problems).to.deep.equal([]);
    expect(page?.text).to.contain('确认导入');
    const auditBefore = await countRows(world.db.knex, 'audit_log');
    const done = await commitPage(world, agent, id as number, page?.text ?? '');
    expect(done.text).to.contain('导入完成');
    const sun = await rowOf(world.db.knex, 'people', { id_number: a });
    expect(sun.name).to.equal('孙五');
    expect(sun.registered_township_id).to.equal(own.townshipId);
    expect(
      await world.db.knex('assignments').where({ person_id: sun.id, post_id: own.posts.clerkA }).first(),
    ).to.not.equal(undefined);
    expect(
      await world.db
        .knex('quota_slots')
        .where({ person_id: sun.id, account_id: own.accounts.administrative })
        .first(),
    ).to.not.equal(undefined);
    expect((await rowOf(world.db.knex, 'grades', { person_id: sun.id })).grade_code).to.equal('clerk_1');
    expect(await world.db.knex('assessments').where({ person_id: sun.id })).to.have.length(2);
    const zhou = await rowOf(world.db.knex, 'people', { id_number: b });
    expect(await world.db.knex('educations').where({ person_id: zhou.id })).to.have.length(1);
    expect(await world.db.knex('sanctions').where({ person_id: zhou.id })).to.have.length(1);
    const audits = await world.db.knex('audit_log').where('id', '>', 0).orderBy('id', 'desc').limit(10);
    const importAudit = audits.find((r) => r.action === 'import.committed');
    expect(importAudit?.entity_id).to.equal(String(id));
    expect(audits.filter((r) => r.action === 'person.imported')).to.have.length(2);
    // The per-person trail is stored as JSON objects (the bulk insert passes them through as they are).
    const imported = audits.find((r) => r.action === 'person.imported')?.after as Record<string, unknown>;
    expect(imported.importJobId).to.equal(id);
    expect(imported.townshipId).to.equal(own.townshipId);
    const auditAfter = await countRows(world.db.knex, 'audit_log');
    expect(auditAfter - auditBefore).to.equal(3);

    // The same file again: every row unchanged, nothing written.
    const before = await snapshotCounts(world.db.knex);
    const again = await upload(world, agent, file, '孙五名册.xlsx');
    const job = (await agent.get(`/api/v1/imports/${again.id}`)).body;
    expect(job.state).to.equal('ready');
    expect(job.counts.people).to.deep.equal({ create: 0, update: 0, unchanged: 2 });
    expect(job.counts.placements).to.deep.equal({ added: 0, unchanged: 1 });
    expect(job.counts.assessments).to.deep.equal({ added: 0, unchanged: 2 });
    const noop = await commitPage(world, agent, again.id as number, again.page?.text ?? '');
    expect(noop.text).to.contain('导入完成');
    const after = await snapshotCounts(world.db.knex);
    expect(after.people).to.equal(before.people);
    expect({ ...after, writes: 0 }).to.deep.equal({ ...before, writes: 0 });
  });

  it('refuses the rows past the vacancy with the quota after the import', async () => {
    const town = await createOwnTownship(world.db.knex); // administrative approved 2
    const officer = await signInAs(world, town.officer);
    const ids = [freshIdNumber('1980-01-01'), freshIdNumber('1981-01-01'), freshIdNumber('1982-01-01')];
    await world.db.knex('posts').insert({
      township_id: town.townshipId,
      name: '综合文字岗',
      unit_id: (await rowOf(world.db.knex, 'posts', { id: town.posts.clerkA })).unit_id,
      category: 'civil_service',
      establishment_types: ['administrative'],
      opened_on: '2000-01-01',
    });
    const file = await templateLayoutWorkbook({
      A01: ids.map((id, i) => personRow(id, `编外${i}`)),
      A02: [
        {
          idNumber: ids[0] as string,
          unitName: '党政综合办公室',
          postName: '综合文字岗',
          establishmentType: '行政编制',
          validFrom: '2024.01.01',
        },
        {
          idNumber: ids[1] as string,
          unitName: '党政综合办公室',
          postName: '组织人事岗',
          establishmentType: '行政编制',
          validFrom: '2024.01.01',
        },
        {
          idNumber: ids[2] as string,
          unitName: '党政综合办公室',
          postName: '综合文字岗',
          establishmentType: '行政编制',
          validFrom: '2024.01.01',
        },
      ],
    });
    const { page } = await upload(world, officer, file);
    expect(page?.text).to.contain(
      '导入后行政编制将超编：核定 2 名，实有（含在途）0 名，本次新增 3 名，超出 1 名',
    );
  });

  it('maps the columns of a plain roster (花名册) from its headers, then checks it', async () => {
    const id = freshIdNumber('1987-04-04');
    const file = await rosterWorkbook(
      [
        '序号',
        '姓名',
        '身份证号',
        '性别',
        '出生年月',
        '民族',
        '政治面貌',
        '现任职务',
        '单位',
        '编制性质',
        '任现职时间',
        '备注',
      ],
      [
        [
          '1',
          '吴七',
          id,
          '男',
          '1987.04',
          '汉族',
          '群众',
          '农技推广岗',
          '农业综合服务站',
          '事业编制',
          '2021.05.06',
          '',
        ],
      ],
    );
    const { page, id: jobId } = await upload(world, agent, file, '花名册.xlsx');
    expect(page?.text).to.contain('确认各列对应的信息项');
    const job = (await agent.get(`/api/v1/imports/${jobId}`)).body;
    expect(job.state).to.equal('mapping');
    expect(job.mapping.slice(1)).to.deep.equal([
      null,
      'A01.name',
      'A01.idNumber',
      'A01.gender',
      'A01.birthDate',
      'A01.ethnicity',
      'A01.politicalStatus',
      'A02.postName',
      'A02.unitName',
      'A02.establishmentType',
      'A02.validFrom',
      null,
    ]);
    const fields: Record<string, string> = { _csrf: csrfFrom(page?.text ?? '') };
    (job.mapping as Array<string | null>).forEach((v, i) => {
      if (i > 0) fields[`col${i}`] = v ?? '';
    });
    const missing = await agent
      .post(`/imports/${jobId}/mapping`)
      .type('form')
      .send({ ...fields, col2: '' });
    expect(missing.status).to.equal(400);
    expect(missing.text).to.contain('请指定哪一列是“姓名”');
    const ok = await agent.post(`/imports/${jobId}/mapping`).type('form').send(fields);
    expect(ok.status).to.equal(303);
    await world.services.imports.settled(jobId as number);
    const checked = (await agent.get(`/api/v1/imports/${jobId}`)).body;
    expect(checked.problems).to.deep.equal([]);
    expect(checked.state).to.equal('ready');
    expect(checked.counts.placements.added).to.equal(1);
  });

  it('refuses files that are not .xlsx, keeps scopes, and refuses staff in the API', async () => {
    const notXlsx = await upload(world, agent, Buffer.from('name,id\n'), 'roster.csv');
    expect(notXlsx.res.status).to.equal(400);
    expect(notXlsx.res.text).to.contain('只能上传 .xlsx 格式');
    // Another township's officer sees none of this township's jobs.
    const other = await createOwnTownship(world.db.knex);
    const otherAgent = await signInAs(world, other.officer);
    const jobs = await world.db.knex('import_jobs').where({ township_id: own.townshipId }).select('id');
    const jobId = (jobs[0] as { id: number }).id;
    expect((await otherAgent.get(`/imports/${jobId}`)).status).to.equal(404);
    expect((await otherAgent.get(`/api/v1/imports/${jobId}`)).status).to.equal(404);
    expect((await otherAgent.get(`/imports/${jobId}/marked.xlsx`)).status).to.equal(404);
    const staff = await signIn(world.app, 'staff');
    expect((await staff.get('/imports')).status).to.equal(404);
    const token = csrfFrom((await staff.get('/account')).text);
    const res = await staff
      .post('/api/v1/imports')
      .set('X-CSRF-Token', token)
      .attach('file', await templateLayoutWorkbook({}), { filename: 'x.xlsx', contentType: XLSX });
    expect(res.status).to.equal(403);
    // A county reviewer imports into their county's townships only.
    const reviewer = await createUser(world.db.knex, { role: 'county_reviewer', regionId: own.countyId });
    const reviewerAgent = await signInAs(world, reviewer);
    const page = await reviewerAgent.get('/imports');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain(`导入到：`);
    expect((await reviewerAgent.get(`/imports/${jobId}`)).status).to.equal(200);
  });

  it('imports through the API: a dry run writes nothing, then the commit by job id', async () => {
    const id = freshIdNumber('1979-09-09');
    const file = await templateLayoutWorkbook({ A01: [personRow(id, '郑八')] });
    const token = csrfFrom((await agent.get('/account')).text);
    const before = await snapshotCounts(world.db.knex);
    const dry = await agent
      .post('/api/v1/imports')
      .set('X-CSRF-Token', token)
      .field('dryRun', 'true')
      .attach('file', file, { filename: 'api.xlsx', contentType: XLSX });
    expect(dry.status).to.equal(200);
    expect(dry.body.state).to.equal('ready');
    expect(dry.body.counts.people.create).to.equal(1);
    expect(await snapshotCounts(world.db.knex)).to.deep.equal(before);
    const commit = await agent
      .post('/api/v1/imports')
      .set('X-CSRF-Token', token)
      .send({ jobId: dry.body.id });
    expect(commit.status).to.equal(200);
    expect(commit.body.state).to.equal('committed');
    expect(await world.db.knex('people').where({ id_number: id }).first()).to.not.equal(undefined);
    const bad = await agent
      .post('/api/v1/imports')
      .set('X-CSRF-Token', token)
      .attach('file', await templateLayoutWorkbook({ A01: [personRow('123', '坏')] }), {
        filename: 'bad.xlsx',
        contentType: XLSX,
      });
    expect(bad.status).to.equal(422);
    expect(bad.body.error.code).to.equal('invalid');
    expect(bad.body.job.problems[0].cell).to.equal('B2');
  });

  it("commits the preview's stored plan without reading the file again when nothing changed", async () => {
    const ids = [freshIdNumber('1986-02-02'), freshIdNumber('1987-03-03', 'female')];
    const file = await templateLayoutWorkbook({
      A01: ids.map((id, i) => personRow(id, `存计${i}`)),
      A06: [{ idNumber: ids[0] as string, year: '2025', result: '称职' }],
    });
    const { page, id } = await upload(world, agent, file);
    expect(page?.text).to.contain('确认导入');
    expect((await rowOf(world.db.knex, 'import_jobs', { id: id as number })).plan).to.not.equal(null);
    // The file is no longer read by the commit: spoil it, and the stored plan is written all the same.
    await world.db
      .knex('import_jobs')
      .where({ id: id as number })
      .update({ file: Buffer.from('spoilt') });
    const done = await commitPage(world, agent, id as number, page?.text ?? '');
    expect(done.text).to.contain('导入完成');
    expect(await world.db.knex('people').whereIn('id_number', ids)).to.have.length(2);
    const job = await rowOf(world.db.knex, 'import_jobs', { id: id as number });
    expect(job.state).to.equal('committed');
    expect(job.plan).to.equal(null);
  });

  it('checks the file again in the commit when the database changed since the preview', async () => {
    const elsewhere = await createOwnTownship(world.db.knex);
    const ids = [freshIdNumber('1988-04-04'), freshIdNumber('1989-05-05', 'female')];
    const file = await templateLayoutWorkbook({ A01: ids.map((id, i) => personRow(id, `变动${i}`)) });
    const { page, id } = await upload(world, agent, file);
    expect(page?.text).to.contain('确认导入');
    // Another township records the first person between the preview and the commit.
    await createRegisteredPerson(world.db.knex, {
      townshipId: elsewhere.townshipId,
      idNumber: ids[0] as string,
      birthDate: '1988-04-04',
    });
    const before = await snapshotCounts(world.db.knex);
    const done = await commitPage(world, agent, id as number, page?.text ?? '');
    expect(done.status).to.equal(200);
    const job = (await agent.get(`/api/v1/imports/${id}`)).body;
    expect(job.state).to.equal('invalid');
    expect(job.problems.map((p: { code: string; cell: string }) => [p.code, p.cell])).to.deep.equal([
      ['personElsewhere', 'B2'],
    ]);
    expect(await snapshotCounts(world.db.knex)).to.deep.equal(before);
    expect(await world.db.knex('people').where({ id_number: ids[1] as string })).to.have.length(0);
  });

  it('leaves the database as it was when the commit fails half-way (injected fault)', async () => {
    const ids = [freshIdNumber('1983-03-03'), freshIdNumber('1984-04-04')];
    const file = await templateLayoutWorkbook({
      A01: ids.map((id, i) => personRow(id, `故障${i}`)),
      A06: [{ idNumber: ids[0] as string, year: '2025', result: '称职' }],
    });
    const { page, id } = await upload(world, agent, file);
    expect(page?.text).to.contain('确认导入');
    const before = await snapshotCounts(world.db.knex);
    world.services.imports.hooks.afterWrites = async () => {
      throw new Error('disk full');
    };
    try {
      const done = await commitPage(world, agent, id as number, page?.text ?? '');
      expect(done.text).to.contain('导入没有完成，数据库没有任何改动');
    } finally {
      world.services.imports.hooks.afterWrites = undefined;
    }
    expect(await snapshotCounts(world.db.knex)).to.deep.equal(before);
    expect(await world.db.knex('people').whereIn('id_number', ids)).to.have.length(0);
    expect((await rowOf(world.db.knex, 'import_jobs', { id: id as number })).state).to.equal('failed');
  });
});
