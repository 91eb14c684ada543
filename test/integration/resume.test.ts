import { expect } from 'chai';
import type { Knex } from 'knex';
import { LRMX_FAMILY_FIELDS, LRMX_FIELDS, parseLrmx } from '../../src/domain/lrmx.js';
import {
  countRows,
  createOwnTownship,
  createRegisteredPerson,
  demoScopes,
  freshIdNumber,
} from '../support/factories.js';
import { type Agent, csrfFrom, signIn } from '../support/http.js';
import { rowOf, signInAs, snapshotCounts, submit } from '../support/people.js';
import { getWorld, type TestWorld } from '../support/world.js';

/** The rows an import or a refused form must leave untouched, resume lines included. */
async function counts(knex: Knex) {
  return { ...(await snapshotCounts(knex)), resume_lines: await countRows(knex, 'resume_lines') };
}

/** Plain text of a page without markup or spacing (labels on the form are spaced with 　). */
const flat = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/[\s　]+/g, '');

async function uploadLrmx(agent: Agent, xml: string, fields: Record<string, string> = {}) {
  const page = await agent.get('/people/import-lrmx');
  expect(page.status).to.equal(200);
  let req = agent.post('/people/import-lrmx').field('_csrf', csrfFrom(page.text));
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  return req.attach('file', Buffer.from(xml, 'utf8'), {
    filename: 'person.lrmx',
    contentType: 'application/xml',
  });
}

/** Confirms a preview: the page's hidden fields sent back as the browser would. */
async function confirmPreview(agent: Agent, previewHtml: string) {
  const hidden = (name: string) => {
    const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(previewHtml);
    if (!m) throw new Error(`no ${name} on the preview`);
    return m[1] as string;
  };
  const unescapeHtml = (v: string) =>
    v
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#x27;/g, "'")
      .replace(/&#x3D;/g, '=')
      .replace(/&#x60;/g, '`')
      .replace(/&amp;/g, '&');
  return agent
    .post('/people/import-lrmx')
    .field('_csrf', hidden('_csrf'))
    .field('confirm', '1')
    .field('digest', hidden('digest'))
    .field('townshipId', hidden('townshipId'))
    .field('xml', unescapeHtml(hidden('xml')));
}

const XXE = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE Person [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Person><XingMing>&x;</XingMing><ShenFenZheng>11010519491231002X</ShenFenZheng></Person>`;

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Person><XingMing>&lol3;</XingMing><ShenFenZheng>11010519491231002X</ShenFenZheng></Person>`;

function newPersonXml(idNumber: string, name = '欧阳新华') {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Person>
  <XingMing>${name}</XingMing>
  <XingBie>男</XingBie>
  <ChuShengNianYue>199104</ChuShengNianYue>
  <MinZu>汉族</MinZu>
  <JiGuan>河北石家庄</JiGuan>
  <ChuShengDi>河北石家庄</ChuShengDi>
  <RuDangShiJian>201306</RuDangShiJian>
  <CanJiaGongZuoShiJian>201308</CanJiaGongZuoShiJian>
  <JianKangZhuangKuang>健康</JianKangZhuangKuang>
  <ZhuanYeJiShuZhiWu></ZhuanYeJiShuZhiWu>
  <ShuXiZhuanYeYouHeZhuanChang>文字综合</ShuXiZhuanYeYouHeZhuanChang>
  <QuanRiZhiJiaoYu_XueLi>大学本科</QuanRiZhiJiaoYu_XueLi>
  <QuanRiZhiJiaoYu_XueWei>法学学士</QuanRiZhiJiaoYu_XueWei>
  <QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi>示范大学法学专业</QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi>
  <QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi>示范大学法学专业</QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi>
  <XianRenZhiWu>某县某局干部</XianRenZhiWu>
  <JianLi>2009.09--2013.07  示范大学法学专业学习
2013.07--2016.01  示范县司法局干部
                  （其间：2014.03--2015.12 在示范大学法学专业在职学习）
2016.01--  示范县城关镇党政综合办公室干部</JianLi>
  <JiangChengQingKuang>无</JiangChengQingKuang>
  <JiaTingChengYuan>
    <Item><ChengWei>妻子</ChengWei><XingMing>李晓梅</XingMing><ChuShengRiQi>199203</ChuShengRiQi><ZhengZhiMianMao>群众</ZhengZhiMianMao><GongZuoDanWeiJiZhiWu>示范县第一小学教师</GongZuoDanWeiJiZhiWu></Item>
    <Item><ChengWei>父亲</ChengWei><XingMing>欧阳大山</XingMing><ChuShengRiQi>196505</ChuShengRiQi><ZhengZhiMianMao>中共党员</ZhengZhiMianMao><GongZuoDanWeiJiZhiWu>务农</GongZuoDanWeiJiZhiWu></Item>
  </JiaTingChengYuan>
  <ShenFenZheng>${idNumber}</ShenFenZheng>
  <ZhaoPian></ZhaoPian>
  <Version>3.2.1.6</Version>
  <ExtraFromAnotherEditor>x</ExtraFromAnotherEditor>
</Person>
`;
}

describe('resume, appointment form and .lrmx (people area)', function () {
  this.timeout(60_000);
  let world: TestWorld;
  let ids: Awaited<ReturnType<typeof demoScopes>>;
  let officer: Agent;

  before(async () => {
    world = await getWorld();
    ids = await demoScopes(world.db.knex);
    officer = await signIn(world.app, 'officer');
  });

  describe('the resume page and its JSON', () => {
    it('shows the generated 简历 in the cadre format, with a print view', async () => {
      const res = await officer.get(`/people/${ids.staffPerson}/resume`).expect(200);
      expect(res.text).to.match(/\d{4}\.\d{2}--\d{4}\.\d{2}/);
      expect(res.text).to.match(/<td class="nowrap resume-period">\d{4}\.\d{2}--<\/td>/);
      const print = await officer.get(`/people/${ids.staffPerson}/resume?print=1`).expect(200);
      expect(print.text).to.contain('print-view');
    });

    it('GET /api/v1/people/{id}/resume returns lines, text and warnings', async () => {
      const res = await officer.get(`/api/v1/people/${ids.staffPerson}/resume`).expect(200);
      expect(res.body).to.include.keys('lines', 'text', 'warnings');
      const lines = res.body.lines as Array<{
        from: string;
        to: string | null;
        text: string;
        nested: unknown[];
      }>;
      expect(lines.length).to.be.greaterThan(2);
      for (const l of lines) {
        expect(l.from).to.match(/^\d{4}-\d{2}$/);
        expect(l).to.have.property('nested').that.is.an('array');
      }
      expect(lines.at(-1)?.to).to.equal(null);
      const textLines = (res.body.text as string).split('\n');
      expect(textLines[0]).to.match(/^\d{4}\.\d{2}--\d{4}\.\d{2} {2}\S/);
      expect(textLines.at(-1)).to.match(/^\d{4}\.\d{2}-- {2}\S/);
      // Consecutive lines share the month (前一段的截止年月与后一段的起始年月相同).
      for (let i = 1; i < lines.length; i++) expect(lines[i]?.from).to.equal(lines[i - 1]?.to);
      expect(res.body.warnings).to.deep.equal([]);
    });

    it('is scoped: staff read their own, others are 404 (pages and API)', async () => {
      const staff = await signIn(world.app, 'staff');
      await staff.get(`/people/${ids.staffPerson}/resume`).expect(200);
      await staff.get(`/api/v1/people/${ids.staffPerson}/resume`).expect(200);
      await staff.get(`/people/${ids.staffPerson}/appointment-form`).expect(200);
      const other = await rowOf(world.db.knex, 'people', { id: ids.staffPerson + 1 });
      await staff.get(`/people/${other.id}/resume`).expect(404);
      await staff.get(`/api/v1/people/${other.id}/resume`).expect(404);
      await staff.get(`/people/${other.id}/appointment-form`).expect(404);
      await staff.get(`/people/${other.id}/export.lrmx`).expect(404);
      const officer2 = await signIn(world.app, 'officer2');
      await officer2.get(`/people/${ids.staffPerson}/resume`).expect(404);
      await officer2.get(`/api/v1/people/${ids.staffPerson}/resume`).expect(404);
      await officer2.get(`/people/${ids.staffPerson}/appointment-form`).expect(404);
      await officer2.get(`/people/${ids.staffPerson}/export.lrmx`).expect(404);
      await officer.get('/people/999999999/resume').expect(404);
    });

    it('reports a gap and an overlap with the lines and the months', async () => {
      const t = await createOwnTownship(world.db.knex);
      const p = await createRegisteredPerson(world.db.knex, { townshipId: t.townshipId });
      await world.db.knex('resume_lines').insert([
        { person_id: p.id, from_month: '2008-09-01', to_month: '2012-07-01', text: '示范大学法学专业学习' },
        { person_id: p.id, from_month: '2012-10-01', to_month: '2015-01-01', text: '示范县司法局干部' },
        { person_id: p.id, from_month: '2014-11-01', to_month: null, text: '示范县农业局干部' },
      ]);
      const admin = await signIn(world.app, 'admin');
      const res = await admin.get(`/api/v1/people/${p.id}/resume`).expect(200);
      expect(
        res.body.warnings.map((w: { kind: string; months: number; lines: number[] }) => [
          w.kind,
          w.months,
          w.lines,
        ]),
      ).to.deep.equal([
        ['gap', 3, [1, 2]],
        ['overlap', 2, [2, 3]],
      ]);
      const page = await admin.get(`/people/${p.id}/resume`).expect(200);
      expect(page.text).to.contain('第 1 行与第 2 行之间有 3 个月空档（2012.07--2012.10）');
      expect(page.text).to.contain('第 2 行与第 3 行重叠 2 个月（2014.11--2015.01）');
    });
  });

  describe('free-text resume lines', () => {
    let t: Awaited<ReturnType<typeof createOwnTownship>>;
    let personId: number;
    let own: Agent;

    before(async () => {
      t = await createOwnTownship(world.db.knex);
      personId = (await createRegisteredPerson(world.db.knex, { townshipId: t.townshipId })).id;
      own = await signInAs(world, t.officer);
    });

    it('adds a line in one transaction with one audit entry; a double submit writes nothing more', async () => {
      const before = await counts(world.db.knex);
      const fields = { fromMonth: '2008.09', toMonth: '2012.07', text: '示范大学法学专业学习' };
      const res = await submit(
        own,
        `/people/${personId}/resume/lines/new`,
        `/people/${personId}/resume/lines`,
        fields,
      );
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal(`/people/${personId}/resume`);
      const again = await submit(
        own,
        `/people/${personId}/resume/lines/new`,
        `/people/${personId}/resume/lines`,
        fields,
      );
      expect(again.status).to.equal(303);
      const after = await counts(world.db.knex);
      expect(after.resume_lines).to.equal(before.resume_lines + 1);
      expect(after.writes).to.equal(before.writes + 1);
      const row = await world.db.knex('resume_lines').where({ person_id: personId }).first();
      expect(row).to.include({
        from_month: '2008-09-01',
        to_month: '2012-07-01',
        text: '示范大学法学专业学习',
      });
      const audit = await world.db
        .knex('audit_log')
        .where({ action: 'person.resume_line_added', entity_id: String(personId) });
      expect(audit).to.have.length(1);
      const page = await own.get(`/people/${personId}/resume`).expect(200);
      expect(page.text).to.contain('2008.09--2012.07');
    });

    it('refuses bad input with the message beside the field, the input kept and nothing written', async () => {
      const cases: Array<[Record<string, string>, string, string]> = [
        [{ fromMonth: '', toMonth: '', text: '干部' }, 'fromMonth', '请输入起始年月'],
        [{ fromMonth: '2019-13', toMonth: '', text: '干部' }, 'fromMonth', '请按“2019.07”的格式输入年月'],
        [{ fromMonth: '2019.07', toMonth: '2018.01', text: '干部' }, 'toMonth', '截止年月不能早于起始年月'],
        [{ fromMonth: '2019.07', toMonth: '', text: '  ' }, 'text', '请输入单位及职务或学习经历'],
        [{ fromMonth: '2019.07', toMonth: '', text: '长'.repeat(201) }, 'text', '单位及职务不能超过 200 字'],
      ];
      for (const [fields, field, message] of cases) {
        const before = await counts(world.db.knex);
        const res = await submit(
          own,
          `/people/${personId}/resume/lines/new`,
          `/people/${personId}/resume/lines`,
          fields,
        );
        expect(res.status, JSON.stringify(fields)).to.equal(400);
        expect(res.text).to.contain(`href="#${field}"`);
        expect(res.text).to.contain(message);
        expect(res.text).to.match(/<title>错误：/);
        if (fields.fromMonth) expect(res.text).to.contain(`value="${fields.fromMonth}"`);
        expect(await counts(world.db.knex)).to.deep.equal(before);
      }
    });

    it("edits and removes a line, each with one audit entry; another person's line is 404", async () => {
      const row = await world.db.knex('resume_lines').where({ person_id: personId }).first('id');
      const before = await counts(world.db.knex);
      const edit = await submit(
        own,
        `/people/${personId}/resume/lines/${row.id}`,
        `/people/${personId}/resume/lines/${row.id}`,
        { fromMonth: '2008.09', toMonth: '2012.06', text: '示范大学法学专业学习' },
      );
      expect(edit.status).to.equal(303);
      expect((await world.db.knex('resume_lines').where({ id: row.id }).first()).to_month).to.equal(
        '2012-06-01',
      );
      expect((await counts(world.db.knex)).writes).to.equal(before.writes + 1);
      const other = await createRegisteredPerson(world.db.knex, { townshipId: t.townshipId });
      await own.get(`/people/${other.id}/resume/lines/${row.id}`).expect(404);
      const page = await own.get(`/people/${personId}/resume`);
      const removed = await own
        .post(`/people/${personId}/resume/lines/${row.id}/remove`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text) });
      expect(removed.status).to.equal(303);
      expect(await countRows(world.db.knex, 'resume_lines', { id: row.id })).to.equal(0);
      const audit = await world.db
        .knex('audit_log')
        .where({ action: 'person.resume_line_removed', entity_id: String(personId) });
      expect(audit).to.have.length(1);
    });

    it('staff read their resume but may not change it (403); outsiders get 404', async () => {
      const staff = await signIn(world.app, 'staff');
      const page = await staff.get(`/people/${ids.staffPerson}/resume`).expect(200);
      expect(page.text).not.to.contain(`/people/${ids.staffPerson}/resume/lines/new`);
      await staff
        .post(`/people/${ids.staffPerson}/resume/lines`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), fromMonth: '2001.01', text: '试' })
        .expect(403);
      const officer2 = await signIn(world.app, 'officer2');
      await officer2.get(`/people/${personId}/resume/lines/new`).expect(404);
    });
  });

  describe('the appointment form (干部任免审批表)', () => {
    it('has every field of the form, the case entries from the query, the age at the form date', async () => {
      const res = await officer
        .get(`/people/${ids.staffPerson}/appointment-form`)
        .query({
          proposedPost: '示范县城关镇副镇长',
          proposedRemoval: '示范县城关镇社会治理办公室主任',
          reason: '工作需要',
          filledBy: '张三',
          date: '2026.11.15',
        })
        .expect(200);
      const text = flat(res.text);
      for (const label of [
        '干部任免审批表',
        '姓名',
        '性别',
        '出生年月',
        '民族',
        '籍贯',
        '出生地',
        '入党时间',
        '参加工作时间',
        '健康状况',
        '专业技术职务',
        '熟悉专业有何专长',
        '学历学位',
        '全日制教育',
        '在职教育',
        '毕业院校系及专业',
        '现任职务',
        '拟任职务',
        '拟免职务',
        '简历',
        '奖惩情况',
        '年度考核结果',
        '任免理由',
        '家庭主要成员及重要社会关系',
        '称谓',
        '年龄',
        '政治面貌',
        '工作单位及职务',
        '呈报单位意见',
        '审批机关意见',
        '行政机关任免意见',
        '呈报单位：',
        '计算年龄时间：2026.11.15',
        '填表时间：2026.11.15',
        '填表人：张三',
      ])
        expect(text, label).to.contain(label);
      expect(text).to.contain('示范县城关镇副镇长');
      expect(text).to.contain('工作需要');
      const p = await rowOf(world.db.knex, 'people', { id: ids.staffPerson });
      expect(text).to.contain(p.name);
      expect(text).to.match(/\d{4}\.\d{2}（\d+岁）/);
      expect(text).to.match(/年度考核(称职|优秀|基本称职|合格)[，。]/);
      expect(res.text).to.contain('class="af-page af-page--1"');
      expect(res.text).to.contain('class="af-page af-page--2"');
      expect(res.text).to.contain('/public/css/appointment-form.css');
    });

    it('奖惩情况 is 无 without sanctions and lists them otherwise; ages move with the form date', async () => {
      const t = await createOwnTownship(world.db.knex);
      const p = await createRegisteredPerson(world.db.knex, {
        townshipId: t.townshipId,
        birthDate: '1990-05-17',
      });
      const own = await signInAs(world, t.officer);
      let text = flat((await own.get(`/people/${p.id}/appointment-form`).expect(200)).text);
      expect(text).to.contain('奖惩情况无');
      expect(text).to.contain('1990.05（36岁）');
      text = flat((await own.get(`/people/${p.id}/appointment-form?date=2020.05.16`).expect(200)).text);
      expect(text).to.contain('1990.05（29岁）');
      await world.db.knex('sanctions').insert({
        person_id: p.id,
        kind_code: 'gov_warning',
        decided_on: '2022-03-10',
        doc_no: '示纪〔2022〕3号',
      });
      await world.db.knex('assessments').insert([
        { person_id: p.id, year: 2023, result: 'competent' },
        { person_id: p.id, year: 2024, result: 'competent' },
        { person_id: p.id, year: 2025, result: 'excellent' },
      ]);
      text = flat((await own.get(`/people/${p.id}/appointment-form`).expect(200)).text);
      expect(text).to.contain('2022.03受到政务处分警告（示纪〔2022〕3号）');
      expect(text).to.contain('2023年、2024年年度考核称职，2025年年度考核优秀。');
    });
  });

  describe('.lrmx export', () => {
    it('is a well-formed UTF-8 attachment with every tag, audited as a full view of the ID number', async () => {
      const before = await countRows(world.db.knex, 'audit_log', {
        action: 'person.id_number_viewed',
        entity_id: String(ids.staffPerson),
      });
      const res = await officer.get(`/people/${ids.staffPerson}/export.lrmx`).buffer(true);
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.match(/^application\/xml; charset=utf-8/);
      expect(res.headers['content-disposition']).to.match(
        /^attachment; filename="person.lrmx"; filename\*=UTF-8''/,
      );
      const xml = res.text;
      expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<Person>')).to.equal(true);
      for (const tag of [...LRMX_FIELDS, 'JiaTingChengYuan'])
        expect(xml, tag).to.match(new RegExp(`<${tag}>`));
      for (const tag of LRMX_FAMILY_FIELDS) expect(xml, tag).to.match(new RegExp(`<Item>[\\s\\S]*<${tag}>`));
      const parsed = parseLrmx(xml);
      expect(parsed.ok).to.equal(true);
      if (!parsed.ok) return;
      const person = await rowOf(world.db.knex, 'people', { id: ids.staffPerson });
      expect(parsed.record.fields.ShenFenZheng).to.equal(person.id_number);
      expect(parsed.record.fields.ChuShengNianYue).to.equal(person.birth_date.slice(0, 7).replace('-', ''));
      expect(parsed.record.fields.Version).to.equal('3.2.1.6');
      expect(parsed.record.fields.JianLi.split('\n')[0]).to.match(/^\d{4}\.\d{2}--\d{4}\.\d{2} {2}/);
      expect(parsed.record.family.length).to.be.greaterThan(0);
      const after = await countRows(world.db.knex, 'audit_log', {
        action: 'person.id_number_viewed',
        entity_id: String(ids.staffPerson),
      });
      expect(after).to.equal(before + 1);
    });
  });

  describe('.lrmx import', () => {
    let t: Awaited<ReturnType<typeof createOwnTownship>>;
    let own: Agent;

    before(async () => {
      t = await createOwnTownship(world.db.knex);
      own = await signInAs(world, t.officer);
    });

    const refused: Array<[string, string, string]> = [
      ['an external entity (XXE)', XXE, '文件含有 DTD 或实体声明'],
      ['a billion-laughs payload', BILLION_LAUGHS, '文件含有 DTD 或实体声明'],
      ['malformed XML', '<Person><XingMing>张三</XingMing>', '文件不是格式正确的 XML'],
      [
        'an unknown root',
        '<?xml version="1.0"?><Employee><XingMing>张三</XingMing></Employee>',
        '根元素应为 Person',
      ],
      [
        'elements where text belongs',
        '<Person><XingMing><a>张</a></XingMing><ShenFenZheng>1</ShenFenZheng></Person>',
        '文件结构无法识别',
      ],
      ['a file without an ID number', '<Person><XingMing>张三</XingMing></Person>', '文件缺少ShenFenZheng'],
    ];
    for (const [name, xml, message] of refused) {
      it(`refuses ${name} with a clear message and changes nothing`, async () => {
        const before = await counts(world.db.knex);
        const res = await uploadLrmx(own, xml);
        expect(res.status).to.equal(400);
        expect(res.text).to.contain(message);
        expect(res.text).to.contain('error-summary');
        expect(res.text).not.to.contain('root:x:0:0');
        expect(await counts(world.db.knex)).to.deep.equal(before);
      });
    }

    it('creates a new person from a valid file after a field-by-field preview and a confirmation', async () => {
      const idNumber = freshIdNumber('1991-04-12', 'male');
      const xml = newPersonXml(idNumber);
      const before = await counts(world.db.knex);
      const preview = await uploadLrmx(own, xml);
      expect(preview.status).to.equal(200);
      expect(preview.text).to.contain('新增人员：欧阳新华');
      expect(preview.text).to.contain('ExtraFromAnotherEditor');
      expect(preview.text).to.contain('import-preview__changed');
      expect(preview.text).to.contain('“其间”');
      expect(await counts(world.db.knex), 'nothing before confirming').to.deep.equal(before);
      const done = await confirmPreview(own, preview.text);
      expect(done.status, done.text.slice(0, 2000)).to.equal(303);
      const person = await rowOf(world.db.knex, 'people', { id_number: idNumber });
      expect(person).to.include({
        name: '欧阳新华',
        gender: 'male',
        political_status: 'cpc_member',
        registered_township_id: t.townshipId,
      });
      expect(person.birth_date).to.equal('1991-04-12');
      expect(done.headers.location).to.equal(`/people/${person.id}`);
      const lines = await world.db.knex('resume_lines').where({ person_id: person.id }).orderBy('from_month');
      expect(lines.map((l: { text: string }) => l.text)).to.deep.equal([
        '示范大学法学专业学习',
        '示范县司法局干部',
        '示范县城关镇党政综合办公室干部',
      ]);
      const family = await world.db
        .knex('family_members')
        .where({ person_id: person.id })
        .orderBy('sort_order');
      expect(family.map((f) => [f.relation, f.political_status])).to.deep.equal([
        ['spouse', 'masses'],
        ['father', 'cpc_member'],
      ]);
      const education = await world.db.knex('educations').where({ person_id: person.id });
      expect(education).to.have.length(1);
      expect(education[0] as object).to.include({
        mode: 'full_time',
        level: 'bachelor',
        degree: 'bachelor',
        school: '示范大学',
        major: '法学',
      });
      const after = await counts(world.db.knex);
      expect(after.people).to.equal(before.people + 1);
      expect(after.writes).to.equal(before.writes + 1);
      const audit = await world.db
        .knex('audit_log')
        .where({ action: 'person.lrmx_created', entity_id: String(person.id) });
      expect(audit).to.have.length(1);
      expect(JSON.stringify(audit[0]?.after)).not.to.contain(idNumber);
    });

    it('round trip: a demo person exported and imported again shows no change and writes nothing', async () => {
      const xml = (await officer.get(`/people/${ids.staffPerson}/export.lrmx`).buffer(true)).text;
      const before = await counts(world.db.knex);
      const preview = await uploadLrmx(officer, xml);
      expect(preview.status).to.equal(200);
      expect(preview.text).to.contain('文件内容与现有记录一致，无需导入。');
      expect(preview.text).not.to.contain('import-preview__changed');
      expect(preview.text).not.to.contain('name="confirm"');
      const after = await counts(world.db.knex);
      expect(after).to.deep.equal(before);
    });

    it('updates the person with the same ID number after the preview marks the changed fields', async () => {
      const p = await createRegisteredPerson(world.db.knex, {
        townshipId: t.townshipId,
        birthDate: '1988-02-03',
        name: '测试更新',
      });
      const exported = (await own.get(`/people/${p.id}/export.lrmx`).buffer(true)).text;
      const changed = exported
        .replace(
          '<JianKangZhuangKuang>健康</JianKangZhuangKuang>',
          '<JianKangZhuangKuang>良好</JianKangZhuangKuang>',
        )
        .replace('<MinZu>汉族</MinZu>', '<MinZu></MinZu>');
      const before = await counts(world.db.knex);
      const preview = await uploadLrmx(own, changed);
      expect(preview.status).to.equal(200);
      expect(preview.text).to.contain('更新人员信息：测试更新');
      expect(preview.text).to.contain('共 1 处变化');
      expect(preview.text).to.contain('文件为空，保留现有内容');
      expect(await counts(world.db.knex)).to.deep.equal(before);
      const done = await confirmPreview(own, preview.text);
      expect(done.status).to.equal(303);
      const row = await world.db.knex('people').where({ id: p.id }).first();
      expect(row).to.include({ health: '良好', ethnicity: '汉族' });
      const after = await counts(world.db.knex);
      expect(after.writes).to.equal(before.writes + 1);
      expect(after.people).to.equal(before.people);
    });

    it("refuses an ID number registered outside the officer's scope without naming who holds it", async () => {
      const xml = (await officer.get(`/people/${ids.staffPerson}/export.lrmx`).buffer(true)).text;
      const before = await counts(world.db.knex);
      const res = await uploadLrmx(own, xml);
      expect(res.status).to.equal(409);
      expect(res.text).to.contain('该身份证号码已由其他单位登记');
      expect(await counts(world.db.knex)).to.deep.equal(before);
    });

    it('is for officers: staff may not import (404), and a file over the size limit is refused', async () => {
      const staff = await signIn(world.app, 'staff');
      await staff.get('/people/import-lrmx').expect(404);
      const before = await counts(world.db.knex);
      const big = `<Person><XingMing>张</XingMing><ZhaoPian>${'A'.repeat(2 * 1024 * 1024 + 10)}</ZhaoPian></Person>`;
      const res = await uploadLrmx(own, big);
      expect(res.status).to.equal(413);
      expect(res.text).to.contain('文件超过 2 MB');
      expect(await counts(world.db.knex)).to.deep.equal(before);
    });
  });
});
