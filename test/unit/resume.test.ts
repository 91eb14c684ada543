import { expect } from 'chai';
import {
  buildResume,
  cadreMonth,
  type ResumeAssignment,
  type ResumeGrade,
  type ResumeInput,
  warningsOf,
} from '../../src/domain/resume.js';

const PLACE = '示范县城关镇';
const OFFICE = '党政综合办公室';

const staffPost = (validFrom: string, validTo: string | null, extra: Partial<ResumeAssignment> = {}) =>
  ({
    kind: 'primary',
    validFrom,
    validTo,
    place: PLACE,
    unitName: OFFICE,
    postName: '文秘',
    leadership: false,
    gradeLadder: 'civil_service_rank',
    ...extra,
  }) satisfies ResumeAssignment;

const leaderPost = (validFrom: string, validTo: string | null, postName: string) =>
  ({
    kind: 'primary',
    validFrom,
    validTo,
    place: PLACE,
    unitName: null,
    postName,
    leadership: true,
    gradeLadder: null,
  }) satisfies ResumeAssignment;

const rank = (title: string, validFrom: string, validTo: string | null): ResumeGrade => ({
  ladder: 'civil_service_rank',
  title,
  validFrom,
  validTo,
});

const input = (over: Partial<ResumeInput>): ResumeInput => ({
  asOf: '2026-11-15',
  freeLines: [],
  assignments: [],
  grades: [],
  studies: [],
  ...over,
});

/** The resume's plain text, line by line. */
const textOf = (over: Partial<ResumeInput>) => buildResume(input(over)).text.split('\n');

describe('简历: the cadre-format resume', () => {
  describe('lines and months', () => {
    const cases: Array<{ name: string; given: Partial<ResumeInput>; lines: string[] }> = [
      {
        name: 'school and earlier work from free text, then the record; the current line open-ended',
        given: {
          freeLines: [
            { fromMonth: '2008-09-01', toMonth: '2012-07-01', text: '示范大学法学专业学习' },
            { fromMonth: '2012-07-01', toMonth: '2015-07-01', text: '示范县司法局干部' },
          ],
          assignments: [staffPost('2015-07-01', null, { gradeLadder: null })],
        },
        lines: [
          '2008.09--2012.07  示范大学法学专业学习',
          '2012.07--2015.07  示范县司法局干部',
          '2015.07--  示范县城关镇党政综合办公室文秘',
        ],
      },
      {
        name: 'a period ending mid-month ends in that month, the month the next one starts (same month)',
        given: {
          assignments: [
            staffPost('2015-07-20', '2019-03-15', { gradeLadder: null }),
            leaderPost('2019-03-15', null, '党委委员、副镇长'),
          ],
        },
        lines: [
          '2015.07--2019.03  示范县城关镇党政综合办公室文秘',
          '2019.03--  示范县城关镇党委委员、副镇长',
        ],
      },
      {
        name: 'a leadership post names the township and the post, e.g. 党委副书记、镇长',
        given: { assignments: [leaderPost('2020-01-06', null, '党委副书记、镇长')] },
        lines: ['2020.01--  示范县城关镇党委副书记、镇长'],
      },
      {
        name: 'a grade change on a staff post starts a new line; the pre-2019 title is kept',
        given: {
          assignments: [staffPost('2015-07-01', null)],
          grades: [
            rank('科员', '2016-07-01', '2019-06-01'),
            rank('一级科员', '2019-06-01', '2021-12-01'),
            rank('四级主任科员', '2021-12-01', null),
          ],
        },
        lines: [
          '2015.07--2016.07  示范县城关镇党政综合办公室文秘',
          '2016.07--2019.06  示范县城关镇党政综合办公室文秘（科员）',
          '2019.06--2021.12  示范县城关镇党政综合办公室文秘（一级科员）',
          '2021.12--  示范县城关镇党政综合办公室文秘（四级主任科员）',
        ],
      },
      {
        name: 'a leadership post carries no grade and a rank change does not split it',
        given: {
          assignments: [leaderPost('2018-03-01', null, '副镇长')],
          grades: [
            rank('四级主任科员', '2019-06-01', '2022-06-01'),
            rank('三级主任科员', '2022-06-01', null),
          ],
        },
        lines: ['2018.03--  示范县城关镇副镇长'],
      },
      {
        name: 'the unit is named as it was when the period began (a renamed body)',
        given: {
          assignments: [
            staffPost('2012-07-01', '2019-03-01', { unitName: '党政办公室', gradeLadder: null }),
            staffPost('2019-03-01', null, { gradeLadder: null }),
          ],
        },
        lines: ['2012.07--2019.03  示范县城关镇党政办公室文秘', '2019.03--  示范县城关镇党政综合办公室文秘'],
      },
      {
        name: 'touching periods with the same text are one line (a post succeeded by one of the same name)',
        given: {
          assignments: [
            staffPost('2015-07-01', '2018-01-01', { gradeLadder: null }),
            staffPost('2018-01-01', null, { gradeLadder: null }),
          ],
        },
        lines: ['2015.07--  示范县城关镇党政综合办公室文秘'],
      },
      {
        name: 'a period ending after the resume date is still open; one starting after it is left out',
        given: {
          assignments: [
            staffPost('2020-01-01', '2027-01-01', { gradeLadder: null }),
            leaderPost('2027-01-01', null, '副镇长'),
          ],
        },
        lines: ['2020.01--  示范县城关镇党政综合办公室文秘'],
      },
      {
        name: 'a finished career ends with a closed line',
        given: { assignments: [staffPost('2000-08-01', '2024-05-01', { gradeLadder: null })] },
        lines: ['2000.08--2024.05  示范县城关镇党政综合办公室文秘'],
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        expect(textOf(c.given)).to.deep.equal(c.lines);
      });
    }
  });

  describe('nested lines （其间：…）', () => {
    it('in-service study nests under the line in force when it starts, with its degree once graduated', () => {
      const lines = textOf({
        assignments: [
          staffPost('2012-07-01', '2019-03-01', { gradeLadder: null }),
          leaderPost('2019-03-01', null, '副镇长'),
        ],
        studies: [
          {
            school: '示范大学',
            major: '法学',
            degree: null,
            startedOn: '2016-09-01',
            graduatedOn: '2018-12-31',
          },
          {
            school: '示范大学',
            major: '公共管理（MPA）',
            degree: 'master',
            startedOn: '2020-03-01',
            graduatedOn: '2023-03-01',
          },
        ],
      });
      expect(lines).to.deep.equal([
        '2012.07--2019.03  示范县城关镇党政综合办公室文秘',
        '                  （其间：2016.09--2018.12 在示范大学法学专业在职学习）',
        '2019.03--  示范县城关镇副镇长',
        '                  （其间：2020.03--2023.03 在示范大学公共管理（MPA）专业在职学习，获硕士学位）',
      ]);
    });

    it('concurrent posts (兼任) and secondments (借调) nest; a running one is open-ended', () => {
      const r = buildResume(
        input({
          assignments: [
            leaderPost('2019-03-01', null, '党委委员、副镇长'),
            { ...leaderPost('2021-06-01', null, '政法委员'), kind: 'concurrent' },
            {
              ...staffPost('2019-09-01', '2020-09-01', { place: '示范县柳河镇' }),
              kind: 'secondment',
            },
          ],
        }),
      );
      expect(r.lines).to.have.length(1);
      expect(r.text.split('\n')).to.deep.equal([
        '2019.03--  示范县城关镇党委委员、副镇长',
        '                  （其间：2019.09--2020.09 借调到示范县柳河镇党政综合办公室文秘工作）',
        '                  （其间：2021.06-- 兼任示范县城关镇政法委员）',
      ]);
      expect(r.lines[0]?.nested.map((n) => n.kind)).to.deep.equal(['secondment', 'concurrent']);
      expect(r.warnings).to.deep.equal([]);
    });

    it('study before the first line nests under the first line; in a gap, under the last line started', () => {
      const r = buildResume(
        input({
          freeLines: [{ fromMonth: '2010-07-01', toMonth: '2012-07-01', text: '示范县农业局干部' }],
          assignments: [staffPost('2013-01-01', null, { gradeLadder: null })],
          studies: [
            {
              school: '甲校',
              major: '农学',
              degree: null,
              startedOn: '2009-03-01',
              graduatedOn: '2011-01-01',
            },
            {
              school: '乙校',
              major: '法学',
              degree: null,
              startedOn: '2012-09-01',
              graduatedOn: '2014-07-01',
            },
          ],
        }),
      );
      expect(r.lines.map((l) => l.nested.map((n) => n.text))).to.deep.equal([
        ['在甲校农学专业在职学习', '在乙校法学专业在职学习'],
        [],
      ]);
    });

    it('with no lines at all, what would nest becomes the lines', () => {
      const r = buildResume(
        input({
          studies: [{ school: '甲校', major: '', degree: null, startedOn: '2019-09-01', graduatedOn: null }],
        }),
      );
      expect(r.text).to.equal('2019.09--  在甲校在职学习');
    });
  });

  describe('warnings: gaps and overlaps, in months, naming the lines', () => {
    const line = (from: string, to: string | null) => ({
      from: Number(from.slice(0, 4)) * 12 + Number(from.slice(5, 7)) - 1,
      to: to === null ? null : Number(to.slice(0, 4)) * 12 + Number(to.slice(5, 7)) - 1,
    });
    const cases: Array<{
      name: string;
      lines: Array<[string, string | null]>;
      expected: Array<{
        kind: string;
        from: string;
        to: string | null;
        months: number | null;
        lines: number[];
      }>;
    }> = [
      {
        name: 'touching lines: none',
        lines: [
          ['2010-09', '2014-07'],
          ['2014-07', null],
        ],
        expected: [],
      },
      {
        name: 'a gap of three months between lines 1 and 2',
        lines: [
          ['2010-09', '2014-07'],
          ['2014-10', null],
        ],
        expected: [{ kind: 'gap', from: '2014.07', to: '2014.10', months: 3, lines: [1, 2] }],
      },
      {
        name: 'an overlap of two months',
        lines: [
          ['2010-09', '2014-07'],
          ['2014-05', null],
        ],
        expected: [{ kind: 'overlap', from: '2014.05', to: '2014.07', months: 2, lines: [1, 2] }],
      },
      {
        name: 'an open-ended line followed by another overlaps from the next start on',
        lines: [
          ['2010-09', null],
          ['2014-05', '2016-01'],
        ],
        expected: [{ kind: 'overlap', from: '2014.05', to: '2016.01', months: 20, lines: [1, 2] }],
      },
      {
        name: 'a line inside a longer one overlaps it; the next line is compared with the longer one',
        lines: [
          ['2010-01', '2015-01'],
          ['2012-01', '2013-01'],
          ['2015-03', null],
        ],
        expected: [
          { kind: 'overlap', from: '2012.01', to: '2013.01', months: 12, lines: [1, 2] },
          { kind: 'gap', from: '2015.01', to: '2015.03', months: 2, lines: [1, 3] },
        ],
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const got = warningsOf(c.lines.map(([f, t]) => line(f, t))).map((w) => ({
          kind: w.kind,
          from: cadreMonth(w.from),
          to: w.to === null ? null : cadreMonth(w.to),
          months: w.months,
          lines: w.lines,
        }));
        expect(got).to.deep.equal(c.expected);
      });
    }

    it('free text overlapping the record is reported against the record line', () => {
      const r = buildResume(
        input({
          freeLines: [{ fromMonth: '2012-07-01', toMonth: '2016-01-01', text: '示范县司法局干部' }],
          assignments: [staffPost('2015-07-01', null, { gradeLadder: null })],
        }),
      );
      expect(r.warnings).to.deep.equal([
        { kind: 'overlap', from: 2015 * 12 + 6, to: 2016 * 12, months: 6, lines: [1, 2] },
      ]);
    });
  });
});
