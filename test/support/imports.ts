import ExcelJS from 'exceljs';
import { SHEETS, type SheetCode, sheetTabName } from '../../src/domain/importLayout.js';

/** Rows per exchange sheet, keyed by the template's field names. */
export type SheetRows = Partial<Record<SheetCode, Array<Record<string, string>>>>;

/** A workbook in the template's layout (header row = the template's headers, then the rows as text). */
export async function templateLayoutWorkbook(rows: SheetRows): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const spec of SHEETS) {
    const ws = wb.addWorksheet(sheetTabName(spec));
    ws.addRow(spec.columns.map((c) => (c.required ? `*${c.header}` : c.header)));
    for (const r of rows[spec.code] ?? []) ws.addRow(spec.columns.map((c) => r[c.field] ?? ''));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A plain single-sheet roster (花名册) with the given headers and rows. */
export async function rosterWorkbook(headers: string[], rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('花名册');
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A person row of A01 with valid defaults. */
export function personRow(
  idNumber: string,
  name: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const birth = `${idNumber.slice(6, 10)}.${idNumber.slice(10, 12)}`;
  return {
    name,
    idNumber,
    gender: Number(idNumber[16]) % 2 === 1 ? '男' : '女',
    birthDate: birth,
    ethnicity: '汉族',
    politicalStatus: '群众',
    ...extra,
  };
}
