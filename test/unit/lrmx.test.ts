import { expect } from 'chai';
import { assessmentSummary, sanctionSummary, schoolAndMajor } from '../../src/domain/appointmentForm.js';
import { buildLrmx, decodeXmlText, emptyLrmxFields, parseLrmx } from '../../src/domain/lrmx.js';
import { parseJianLi, splitSchool } from '../../src/routes/resume/lrmxPlan.js';

const person = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?><Person>${inner}</Person>`;
const minimal = '<XingMing>张三</XingMing><ShenFenZheng>11010519491231002X</ShenFenZheng>';

describe('.lrmx: writing and safe reading', () => {
  it('writes every field in order and reads it back, escaping what XML needs', () => {
    const fields = emptyLrmxFields();
    Object.assign(fields, {
      XingMing: '张<三>&"李"',
      ShenFenZheng: '11010519491231002X',
      JianLi: '2010.09--2014.07  示范大学学习\n2014.07--  示范县城关镇干部',
    });
    const xml = buildLrmx({
      fields,
      family: [
        {
          ChengWei: '配偶',
          XingMing: '王五',
          ChuShengRiQi: '198506',
          ZhengZhiMianMao: '群众',
          GongZuoDanWeiJiZhiWu: 'A&B',
        },
      ],
    });
    expect(xml).to.contain('<XingMing>张&lt;三&gt;&amp;&quot;李&quot;</XingMing>');
    const parsed = parseLrmx(xml);
    expect(parsed.ok).to.equal(true);
    if (!parsed.ok) return;
    expect(parsed.record.fields.XingMing).to.equal('张<三>&"李"');
    expect(parsed.record.fields.JianLi).to.equal(fields.JianLi);
    expect(parsed.record.family).to.deep.equal([
      {
        ChengWei: '配偶',
        XingMing: '王五',
        ChuShengRiQi: '198506',
        ZhengZhiMianMao: '群众',
        GongZuoDanWeiJiZhiWu: 'A&B',
      },
    ]);
  });

  const refusals: Array<[string, string, string]> = [
    [
      'an external entity',
      `<?xml version="1.0"?><!DOCTYPE Person [<!ENTITY x SYSTEM "file:///etc/passwd">]>${person('<XingMing>&x;</XingMing>')}`,
      'dtd',
    ],
    [
      'a DOCTYPE in lower case with spaces',
      `<! doctype Person SYSTEM "http://example.invalid/p.dtd">${person(minimal)}`,
      'dtd',
    ],
    [
      'an internal entity (billion laughs)',
      `<!DOCTYPE P [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>${person(minimal)}`,
      'dtd',
    ],
    ['malformed XML', '<Person><XingMing>张三</Person>', 'malformed'],
    ['an unknown root', '<Employee><XingMing>张三</XingMing></Employee>', 'root'],
    ['two roots', `${person(minimal)}<Person/>`, 'root'],
    [
      'an element inside a field',
      person('<XingMing><b>张</b></XingMing><ShenFenZheng>1</ShenFenZheng>'),
      'structure',
    ],
    ['a repeated field', person(`${minimal}<XingMing>李四</XingMing>`), 'repeated'],
    [
      'something other than Item among family members',
      person(`${minimal}<JiaTingChengYuan><Member/></JiaTingChengYuan>`),
      'structure',
    ],
    ['no ID number', person('<XingMing>张三</XingMing>'), 'missing'],
    ['an empty file', '  ', 'empty'],
  ];
  for (const [name, xml, problem] of refusals) {
    it(`refuses ${name}`, () => {
      const parsed = parseLrmx(xml);
      expect(parsed.ok).to.equal(false);
      if (!parsed.ok) expect(parsed.problem).to.equal(problem);
    });
  }

  it('decodes only the predefined entities and character references; reports unknown elements', () => {
    expect(decodeXmlText('&lt;&#x4E2D;&#25991;&amp;amp;&nbsp;')).to.equal('<中文&amp;&nbsp;');
    const parsed = parseLrmx(
      person(`${minimal}<Extra>1</Extra><JiaTingChengYuan><Item><Note>x</Note></Item></JiaTingChengYuan>`),
    );
    expect(parsed.ok && parsed.ignored).to.deep.equal(['Extra', 'Item/Note']);
  });

  it('reads a 简历: main lines, nested lines counted and left out, wrapped text joined', () => {
    const r = parseJianLi(
      '2008.09--2012.07  示范大学法学\n  专业学习\n2012.07—2015.01 示范县司法局干部\n   （其间：2013.01--2014.01 在某校学习）\n2015.01--  示范县城关镇干部',
    );
    expect(r.nested).to.equal(1);
    expect(r.lines.map((l) => [l.fromMonth, l.toMonth, l.text])).to.deep.equal([
      ['2008-09-01', '2012-07-01', '示范大学法学专业学习'],
      ['2012-07-01', '2015-01-01', '示范县司法局干部'],
      ['2015-01-01', null, '示范县城关镇干部'],
    ]);
  });

  it('splits 毕业院校系及专业 into school and major, and joins them back the same way', () => {
    expect(splitSchool('示范大学法学专业')).to.deep.equal({ school: '示范大学', major: '法学' });
    expect(splitSchool('中共示范市委党校经济管理')).to.deep.equal({
      school: '中共示范市委党校',
      major: '经济管理',
    });
    expect(splitSchool('某培训中心')).to.deep.equal({ school: '某培训中心', major: '' });
    expect(schoolAndMajor('示范大学', '法学')).to.equal('示范大学法学专业');
    expect(schoolAndMajor('示范大学', '公共管理专业')).to.equal('示范大学公共管理专业');
  });
});

describe('干部任免审批表: assessment and sanction summaries', () => {
  const label = (_group: string, code: string) =>
    ({ competent: '称职', excellent: '优秀', basically_competent: '基本称职', qualified: '合格' })[code] ??
    code;

  it('the three years before the form year, runs of one result joined', () => {
    const a = [
      { year: 2021, result: 'excellent' },
      { year: 2022, result: 'competent' },
      { year: 2023, result: 'competent' },
      { year: 2024, result: 'excellent' },
    ];
    expect(assessmentSummary(a, 2025, label)).to.equal('2022年、2023年年度考核称职，2024年年度考核优秀。');
    expect(assessmentSummary(a, 2024, label)).to.equal('2021年年度考核优秀，2022年、2023年年度考核称职。');
    expect(assessmentSummary([], 2025, label)).to.equal('');
  });

  it('奖惩情况: 无 without sanctions; open investigations and later decisions are not listed', () => {
    expect(sanctionSummary([], '2026-11-15')).to.equal('无');
    expect(
      sanctionSummary(
        [
          { category: 'investigation', nameZh: '立案审查', decidedOn: '2025-01-01', docNo: null },
          { category: 'party', nameZh: '党纪处分·警告', decidedOn: '2021-05-10', docNo: '示纪〔2021〕5号' },
          { category: 'government', nameZh: '政务处分·记过', decidedOn: '2027-01-01', docNo: null },
        ],
        '2026-11-15',
      ),
    ).to.equal('2021.05 受到党纪处分警告（示纪〔2021〕5号）。');
  });
});
