import fs from 'node:fs';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { accessibilityProblems, useBrowser } from '../support/browser.js';
import { createOwnTownship, freshIdNumber } from '../support/factories.js';
import { personRow, templateLayoutWorkbook } from '../support/imports.js';

describe('browser journey: importing a roster from Excel, from a file with a mistake to the commit (Chromium)', function () {
  this.timeout(120_000);
  const b = useBrowser();

  it('the officer uploads, sees the problem per cell, downloads the marked copy, fixes it, commits, in Chinese and English', async () => {
    const knex = b.world.db.knex;
    const own = await createOwnTownship(knex);
    const id = freshIdNumber('1989-08-08');
    const wrong = `${id.slice(0, 17)}${id[17] === '1' ? '2' : '1'}`;
    const rows = (idNumber: string) => ({
      A01: [personRow(idNumber, '冯九')],
      A02: [
        {
          idNumber,
          unitName: '党政综合办公室',
          postName: '综合文字岗',
          establishmentType: '行政编制',
          validFrom: '2023.09.01',
        },
      ],
    });
    const dir = fs.mkdtempSync('/tmp/gangwei-import-');
    fs.writeFileSync(`${dir}/wrong.xlsx`, await templateLayoutWorkbook(rows(wrong)));
    fs.writeFileSync(`${dir}/fixed.xlsx`, await templateLayoutWorkbook(rows(id)));

    const { page, problems } = await b.newPage();
    await b.signInAs(page, own.officer.username, own.officer.password);
    await Promise.all([page.waitForURL(/\/imports$/), page.click('nav a[href="/imports"]')]);
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    const [template] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a[href="/imports/template.xlsx"]'),
    ]);
    expect(template.suggestedFilename()).to.contain('.xlsx');

    // A file with a wrong check digit: the problem is listed with its cell.
    await page.setInputFiles('#file', `${dir}/wrong.xlsx`);
    await Promise.all([page.waitForURL(/\/imports\/\d+$/), page.click('button[type=submit].button')]);
    await page.waitForSelector('#problems', { timeout: 30_000 });
    const main = (await page.textContent('main')) ?? '';
    expect(main).to.contain('公民身份号码的校验位（最后一位）不对');
    expect(main).to.contain('B2');
    expect(main).to.not.contain('确认导入');
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await b.screenshot(page, 'import-problems-zh');
    const [marked] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a[href$="/marked.xlsx"]'),
    ]);
    const markedPath = `${dir}/marked.xlsx`;
    await marked.saveAs(markedPath);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(markedPath);
    expect(String(wb.getWorksheet('A01人员基本信息')?.getCell('B2').note ?? '')).to.contain('校验位');

    // The corrected file: checked, confirmed, written.
    await Promise.all([
      page.waitForURL(/\/imports\?township=\d+$/),
      page.click('a[href^="/imports?township="]'),
    ]);
    await page.setInputFiles('#file', `${dir}/fixed.xlsx`);
    await Promise.all([page.waitForURL(/\/imports\/\d+$/), page.click('button[type=submit].button')]);
    await page.waitForSelector('form[action$="/commit"] button', { timeout: 30_000 });
    expect(await page.textContent('main')).to.contain('导入后的编制使用');
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await b.screenshot(page, 'import-ready-zh');
    await page.click('form[action$="/commit"] button');
    await page.waitForSelector('.notice--success', { timeout: 30_000 });
    expect(await page.textContent('main')).to.contain('导入完成');
    expect(await knex('people').where({ id_number: id }).first()).to.not.equal(undefined);

    await page.click('.language-switch button');
    await page.waitForSelector('html[lang="en"]');
    const en = (await page.textContent('main')) ?? '';
    expect(en).to.contain('Imported: everything has been written.');
    expect(en).to.contain('Posts held');
    expect(await accessibilityProblems(page)).to.deep.equal([]);
    await b.screenshot(page, 'import-committed-en');
    await page.click('.language-switch button');
    await page.waitForSelector('html[lang="zh-CN"]');
    expect(problems).to.deep.equal([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
