import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { generateImportWorkbook } from '../../bench/import.js';
import { readWorkbook, readWorkbookStreaming } from '../../src/services/imports/workbook.js';
import { personRow, rosterWorkbook, templateLayoutWorkbook } from '../support/imports.js';

/** The direct XML reader must read every workbook exactly as exceljs' streaming reader does. */
describe('import workbook reader', function () {
  this.timeout(60000);

  const same = async (file: Buffer) => {
    const fast = await readWorkbook(file);
    expect(fast).to.deep.equal(await readWorkbookStreaming(file));
    return fast;
  };

  it('reads template and roster workbooks as exceljs does', async () => {
    await same(
      await templateLayoutWorkbook({
        B01: [{ unitName: '党政综合办公室' }],
        A01: [personRow('110101199003076513', '张三'), personRow('11010119900307651X', '李 & <四>')],
        A06: [{ idNumber: '110101199003076513', year: '2025', result: '称职' }],
      }),
    );
    const roster = await same(
      await rosterWorkbook(
        ['序号', '姓名', '身份证号', '备注'],
        [
          ['1', '王五', '110101199003076513', ''],
          ['2', '赵六', '11010119900307651X', '借调'],
        ],
      ),
    );
    expect(roster[0]?.rows).to.have.length(2);
    await same(
      await generateImportWorkbook(30, { unitName: '综合办公室', postName: (i) => `综合岗${i + 1}` }),
    );
  });

  it('reads dates, numbers, booleans, formulas, rich and inline text, and skips hidden sheets', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('花名册');
    ws.addRow(['姓名', '出生日期', '工龄', '在编', '合计', '备注']);
    ws.addRow([
      '张三',
      new Date('1990-03-07T00:00:00Z'),
      12,
      true,
      { formula: 'C2*2', result: 24 },
      '  前后有空格  ',
    ]);
    ws.addRow([
      { richText: [{ text: '李' }, { text: '四' }] },
      '2019.07',
      3.5,
      false,
      { formula: 'A3', result: '李四' },
      null,
    ]);
    ws.addRow([]);
    ws.addRow(['王五', null, 0, null, null, '第五行']);
    ws.getCell('B5').numFmt = 'yyyy"年"m"月"';
    ws.getCell('B5').value = 43647;
    wb.addWorksheet('隐藏').state = 'hidden';
    wb.getWorksheet('隐藏')?.addRow(['不读']);
    const shared = Buffer.from(await wb.xlsx.writeBuffer());
    const sheets = await same(shared);
    expect(sheets.map((s) => s.name)).to.deep.equal(['花名册']);
    expect(sheets[0]?.rows.map((r) => r.row)).to.deep.equal([2, 3, 5]);
    expect(sheets[0]?.rows[0]?.values).to.deep.equal([
      '',
      '张三',
      '1990-03-07',
      '12',
      'TRUE',
      '24',
      '前后有空格',
    ]);
    expect(sheets[0]?.rows[2]?.values[2]).to.equal('2019-07-01');
  });

  it('reads the zip stored or deflated, with a comment after its directory, and refuses a truncated one', async () => {
    const file = await generateImportWorkbook(20, {
      unitName: '综合办公室',
      postName: (i) => `综合岗${i + 1}`,
    });
    const expected = await readWorkbook(file);
    const { default: JSZip } = await import('jszip');
    const zip = await JSZip.loadAsync(file);
    for (const compression of ['STORE', 'DEFLATE'] as const) {
      const again = await zip.generateAsync({ type: 'nodebuffer', compression, comment: '导出 by test' });
      expect(await readWorkbook(again), compression).to.deep.equal(expected);
    }
    const failure = await readWorkbook(file.subarray(0, file.length - 100)).then(
      () => null,
      (err: Error) => err.constructor.name,
    );
    expect(failure).to.equal('UnreadableWorkbook');
  });
});
