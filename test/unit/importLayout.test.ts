import { expect } from 'chai';
import {
  checkRosterMapping,
  columnForHeader,
  columnLetter,
  guessRosterMapping,
  normaliseHeader,
  sheetCodeOf,
  sheetSpec,
} from '../../src/domain/importLayout.js';
import { recordsOf } from '../../src/services/imports/validate.js';
import { cellText } from '../../src/services/imports/workbook.js';

describe('import layout: sheets, headers and the roster mapping', () => {
  it('recognises exchange sheets by their code prefix', () => {
    expect(sheetCodeOf('A01人员基本信息')).to.equal('A01');
    expect(sheetCodeOf('a06-assessments')).to.equal('A06');
    expect(sheetCodeOf('B01')).to.equal('B01');
    expect(sheetCodeOf('花名册')).to.equal(null);
    expect(sheetCodeOf('A99')).to.equal(null);
  });

  it('reads headers without asterisks, spaces or a trailing hint in brackets', () => {
    expect(normaliseHeader('*出生年月（yyyy.mm）')).to.equal('出生年月');
    expect(normaliseHeader(' 身 份 证 号 ')).to.equal('身份证号');
    expect(columnForHeader(sheetSpec('A01'), '*身份证号码')?.field).to.equal('idNumber');
    expect(columnForHeader(sheetSpec('A02'), '编制性质')?.field).to.equal('establishmentType');
    expect(columnForHeader(sheetSpec('A01'), '备注')).to.equal(null);
  });

  const cases: Array<[string[], Array<string | null>]> = [
    [
      ['姓名', '身份证号', '性别', '出生年月', '民族', '政治面貌'],
      ['A01.name', 'A01.idNumber', 'A01.gender', 'A01.birthDate', 'A01.ethnicity', 'A01.politicalStatus'],
    ],
    [
      [
        '序号',
        '名字',
        '公民身份号码',
        '现任职务',
        '所在单位',
        '编制',
        '任现职时间',
        '现职级',
        '任职级时间',
        '最高学历',
      ],
      [
        null,
        'A01.name',
        'A01.idNumber',
        'A02.postName',
        'A02.unitName',
        'A02.establishmentType',
        'A02.validFrom',
        'A03.grade',
        'A03.validFrom',
        'A04.level',
      ],
    ],
    // Contained synonyms: "现任职务名称" holds 职务; each target used once, left to right.
    [
      ['姓名', '姓名', '现任职务名称'],
      ['A01.name', null, 'A02.postName'],
    ],
    [
      ['', '备注', '联系电话'],
      [null, null, null],
    ],
  ];
  for (const [headers, expected] of cases)
    it(`guesses ${headers.join('|')}`, () => {
      expect(guessRosterMapping(headers)).to.deep.equal(expected);
    });

  it('checks a confirmed mapping: name and ID number required, no target twice, no unknown target', () => {
    expect(checkRosterMapping([null, 'A01.name', 'A01.idNumber'])).to.deep.equal([]);
    expect(checkRosterMapping([null, 'A01.name'])).to.deep.equal([
      { key: 'mappingMissing', target: 'A01.idNumber' },
    ]);
    expect(checkRosterMapping([null, 'A01.name', 'A01.name', 'A01.idNumber'])).to.deep.equal([
      { key: 'mappingTwice', target: 'A01.name' },
    ]);
    expect(checkRosterMapping([null, 'A01.name', 'A01.idNumber', 'Z99.x'])).to.deep.equal([
      { key: 'mappingUnknown', target: 'Z99.x' },
    ]);
  });

  it('names columns as Excel does', () => {
    expect([1, 2, 26, 27, 52, 703].map(columnLetter)).to.deep.equal(['A', 'B', 'Z', 'AA', 'AZ', 'AAA']);
  });
});

describe('import rows: cells and records', () => {
  it('reads cells as the forms read text', () => {
    expect(cellText(' 张三 ')).to.equal('张三');
    expect(cellText(12)).to.equal('12');
    expect(cellText(new Date(Date.UTC(2019, 6, 15)))).to.equal('2019-07-15');
    expect(cellText({ richText: [{ text: '王' }, { text: '五' }] })).to.equal('王五');
    expect(cellText({ formula: 'A1', result: 2025 })).to.equal('2025');
    expect(cellText(null)).to.equal('');
  });

  it('splits a roster row into the person and the post, rank and education it mentions', () => {
    const { records } = recordsOf(
      [
        {
          name: '花名册',
          code: null,
          headers: ['', '姓名', '身份证号', '岗位', '职级'],
          rows: [
            { row: 2, values: ['', '张三', '110105194912310020', '科员1', ''] },
            { row: 3, values: ['', '李四', '110105194912310039', '', '一级科员'] },
          ],
        },
      ],
      'roster',
      [null, 'A01.name', 'A01.idNumber', 'A02.postName', 'A03.grade'],
    );
    expect(records.map((r) => `${r.code}:${r.row}`)).to.deep.equal(['A01:2', 'A02:2', 'A01:3', 'A03:3']);
    const post = records.find((r) => r.code === 'A02');
    expect(post?.values).to.deep.include({ idNumber: '110105194912310020', postName: '科员1' });
    expect(post?.cols.postName).to.equal(3);
  });

  it('reports a template sheet without a required column on its header row', () => {
    const { records, problems } = recordsOf(
      [
        {
          name: 'A06年度考核',
          code: 'A06',
          headers: ['', '公民身份号码', '考核年度'],
          rows: [{ row: 2, values: ['', 'x', '2025'] }],
        },
      ],
      'template',
      null,
    );
    expect(records).to.deep.equal([]);
    expect(problems).to.deep.equal([
      {
        sheet: 'A06年度考核',
        row: 1,
        column: null,
        field: 'result',
        key: 'imports.problems.columnMissing',
        vars: { column: '考核结果' },
      },
    ]);
  });
});
