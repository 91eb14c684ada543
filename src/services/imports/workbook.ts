import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { inflateRaw } from 'node:zlib';
import {
  type ColumnSpec,
  columnForHeader,
  type ListName,
  SHEETS,
  type SheetCode,
  sheetCodeOf,
  sheetTabName,
} from '../../domain/importLayout.js';

/**
 * Reading and writing roster workbooks with exceljs (loaded on first use: it costs ~370 ms to import).
 * Uploads are read with the streaming reader, a row at a time, into plain strings; the template and the
 * marked copy are written with the in-memory workbook.
 */

/** A worksheet as read: its name, header row (row 1) and the non-empty rows after it as strings. */
export interface ReadSheet {
  name: string;
  code: SheetCode | null;
  headers: string[];
  /** 1-based column → text; index 0 unused. */
  rows: Array<{ row: number; values: string[] }>;
}

export const CODES_SHEET = '代码';

const SHARED = '\u0000ss:';

/** A cell's value as the text the forms read: dates as YYYY-MM-DD, numbers as typed, rich text flattened. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText))
      return (v.richText as Array<{ text?: string }>)
        .map((r) => r.text ?? '')
        .join('')
        .trim();
    // A shared string the streaming reader met before the strings table: resolved after the read.
    if (typeof v.sharedString === 'number') return `${SHARED}${v.sharedString}`;
    if ('result' in v) return cellText(v.result);
    if ('text' in v) return cellText(v.text);
    if ('error' in v) return '';
  }
  return String(value).trim();
}

export class UnreadableWorkbook extends Error {}

/**
 * Reads every visible worksheet with exceljs' streaming reader (one row in memory at a time besides what is
 * kept), calling `onRows` after each block of rows so the caller can report progress and yield.
 */
export async function readWorkbook(
  file: Buffer,
  onRows: (rowsRead: number) => Promise<void> = async () => {},
): Promise<ReadSheet[]> {
  let parts: WorkbookParts;
  try {
    parts = await workbookParts(file);
  } catch (err) {
    if (err instanceof UnreadableWorkbook) throw err;
    throw new UnreadableWorkbook((err as Error).message);
  }
  const fast = await readWorkbookXml(parts, onRows).catch(() => null);
  return fast ?? readWorkbookStreaming(file, onRows);
}

/** exceljs' streaming reader (the fallback for a workbook whose XML the direct reader does not know). */
export async function readWorkbookStreaming(
  file: Buffer,
  onRows: (rowsRead: number) => Promise<void> = async () => {},
): Promise<ReadSheet[]> {
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(file)]), {
    worksheets: 'emit',
    // Shared strings are read from the zip by workbookParts (exceljs' streaming cache misses them when the
    // table comes after the worksheets, as in exceljs' own files); cells carry their index until resolved.
    sharedStrings: 'ignore',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const sheets: ReadSheet[] = [];
  let read = 0;
  try {
    const { names, strings } = await workbookParts(file);
    // exceljs' streaming reader looks the names up in workbook.xml, which many writers (exceljs too) put after
    // the worksheets in the zip: give it an empty model and name the sheets from our own look-up.
    (reader as unknown as { model: unknown }).model = { sheets: [] };
    const seen = new Set<string>();
    for await (const ws of reader) {
      const w = ws as unknown as { id?: number | string };
      seen.add(String(w.id));
      const info = names.get(String(w.id)) ?? { name: `Sheet${w.id}`, state: 'visible' };
      const name = info.name;
      const skip = info.state !== 'visible' || name === CODES_SHEET;
      const sheet: ReadSheet = { name, code: sheetCodeOf(name), headers: [], rows: [] };
      for await (const row of ws) {
        if (skip) continue;
        const raw = row.values as unknown[];
        const values: string[] = [''];
        let any = false;
        for (let c = 1; c < raw.length; c++) {
          const text = cellText(raw[c]);
          values[c] = text;
          if (text !== '') any = true;
        }
        if (!any) continue;
        if (sheet.headers.length === 0 && row.number === 1) {
          sheet.headers = values;
          continue;
        }
        sheet.rows.push({ row: row.number, values });
        read += 1;
        if (read % 500 === 0) await onRows(read);
      }
      if (!skip) sheets.push(sheet);
    }
    // Strings met before the shared strings table was read.
    const resolve = (values: string[]) => {
      for (let c = 1; c < values.length; c++) {
        const v = values[c];
        if (v?.startsWith(SHARED)) values[c] = (strings[Number(v.slice(SHARED.length))] ?? '').trim();
      }
    };
    let garbled = false;
    for (const sheet of sheets) {
      resolve(sheet.headers);
      for (const r of sheet.rows) {
        resolve(r.values);
        if (!garbled && r.values.some((v) => v.includes('\uFFFD'))) garbled = true;
      }
    }
    // exceljs 4.4's streaming parser decodes each chunk of a worksheet on its own, so a Chinese character in an
    // inline string (not the shared strings table, which is read whole above) can be split at a chunk boundary.
    // Excel itself writes shared strings; for the rare file with inline strings, read it again in one piece.
    // exceljs' streaming pass over the zip (unzipper's entries as an async iterator) can end before the last
    // worksheets when the consumer is slow to take an entry (exceljs#2790, unzipper#234): seen once in the
    // test suite on a loaded machine, two sheets silently missing. A worksheet of workbook.xml not read is read
    // again with the whole workbook in memory rather than lost.
    const missing = [...names.keys()].some((id) => !seen.has(id));
    if (garbled || missing) return await readWorkbookWhole(file, names);
  } catch (err) {
    if (err instanceof UnreadableWorkbook) throw err;
    throw new UnreadableWorkbook((err as Error).message);
  }
  await onRows(read);
  return sheets;
}

const xmlText = (v: string) =>
  v.indexOf('&') < 0
    ? v
    : v
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d)))
        .replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
        .replace(/&amp;/g, '&');

/** Excel's built-in number formats that show dates or times (what exceljs reads as dates). */
const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47]);

/** exceljs' test of a number format showing a date: date or time letters outside quotes and brackets. */
const isDateFormat = (code: string) =>
  /[ymdhMsb]+/.test(code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));

interface WorkbookParts {
  names: Map<string, { name: string; state: string }>;
  strings: string[];
  /** An entry of the zip as text (undefined when there is no such entry). */
  entry: (name: string) => Promise<string | undefined>;
  /** Worksheet file numbers in the workbook's order. */
  order: string[];
}

const ATTRS = {
  r: /\br="([^"]*)"/,
  t: /\bt="([^"]*)"/,
  s: /\bs="([^"]*)"/,
  numFmtId: /\bnumFmtId="([^"]*)"/,
  formatCode: /\bformatCode="([^"]*)"/,
};
const attr = (tag: string, name: keyof typeof ATTRS) => ATTRS[name].exec(tag)?.[1];

/** Column number of a cell reference (`AB12` → 28). */
function columnOf(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n;
}

/**
 * The direct reader: each visible worksheet's XML inflated on its own and scanned for rows and cells (shared
 * strings, inline strings, numbers, booleans, formulas' cached results, numbers in a date format as dates),
 * giving the same text as exceljs' reader in a fraction of the time and memory. Throws on anything unexpected,
 * and the caller falls back to exceljs.
 */
async function readWorkbookXml(
  parts: WorkbookParts,
  onRows: (rowsRead: number) => Promise<void>,
): Promise<ReadSheet[]> {
  const { entry, names, strings, order } = parts;
  const stylesXml = (await entry('xl/styles.xml')) ?? '';
  const workbookXml = (await entry('xl/workbook.xml')) ?? '';
  const date1904 = /<workbookPr\b[^>]*\bdate1904="(1|true)"/.test(workbookXml);
  const customFormats = new Map<number, string>();
  for (const m of stylesXml.matchAll(/<numFmt\b[^>]*>/g))
    customFormats.set(Number(attr(m[0], 'numFmtId')), xmlText(attr(m[0], 'formatCode') ?? ''));
  const dateStyles = new Set<number>();
  const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(stylesXml)?.[1] ?? '';
  let xfIndex = 0;
  for (const m of xfs.matchAll(/<xf\b[^>]*>/g)) {
    const id = Number(attr(m[0], 'numFmtId') ?? 0);
    const custom = customFormats.get(id);
    if (custom !== undefined ? isDateFormat(custom) : BUILTIN_DATE_FORMATS.has(id)) dateStyles.add(xfIndex);
    xfIndex += 1;
  }
  const sheets: ReadSheet[] = [];
  let read = 0;
  for (const no of order) {
    const info = names.get(no);
    if (info?.state !== 'visible' || info.name === CODES_SHEET) continue;
    const xml = await entry(`xl/worksheets/sheet${no}.xml`);
    if (xml === undefined) throw new Error(`no worksheet ${no}`);
    const sheet: ReadSheet = { name: info.name, code: sheetCodeOf(info.name), headers: [], rows: [] };
    let nextRow = 1;
    for (const rm of xml.matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
      const rowAttr = attr(rm[1] ?? '', 'r');
      const number = rowAttr === undefined ? nextRow : Number(rowAttr);
      nextRow = number + 1;
      const body = rm[2];
      if (!body) continue;
      const values: string[] = [''];
      let any = false;
      let nextCol = 1;
      for (const cm of body.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
        const cAttr = cm[1] ?? '';
        const ref = attr(cAttr, 'r');
        const col = ref === undefined ? nextCol : columnOf(ref);
        nextCol = col + 1;
        const inner = cm[2];
        if (!inner) continue;
        const t = attr(cAttr, 't');
        const v = /<v(?:\s[^>]*)?>([\s\S]*?)<\/v>/.exec(inner)?.[1];
        let text: string;
        if (/<f\b/.test(inner)) {
          if (v === undefined) text = '';
          else text = t === 'str' ? cellText(xmlText(v)) : cellText(Number.parseFloat(v));
        } else if (t === 'inlineStr') {
          let s = '';
          for (const tm of inner.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)) s += tm[1] ?? '';
          text = cellText(xmlText(s));
        } else if (v === undefined) continue;
        else if (t === 's') text = (strings[Number(v)] ?? '').trim();
        else if (t === 'str') text = cellText(xmlText(v));
        else if (t === 'e') text = '';
        else if (t === 'b') text = cellText(Number.parseInt(v, 10) !== 0);
        else {
          const n = Number.parseFloat(v);
          const style = Number(attr(cAttr, 's') ?? 0);
          text = dateStyles.has(style)
            ? cellText(new Date(Math.round((n - 25569 + (date1904 ? 1462 : 0)) * 86400000)))
            : cellText(n);
        }
        for (let c = values.length; c < col; c++) values[c] = '';
        values[col] = text;
        if (text !== '') any = true;
      }
      if (!any) continue;
      if (sheet.headers.length === 0 && number === 1) {
        sheet.headers = values;
        continue;
      }
      sheet.rows.push({ row: number, values });
      read += 1;
      if (read % 500 === 0) await onRows(read);
    }
    sheets.push(sheet);
  }
  await onRows(read);
  return sheets;
}

const inflateRawAsync = promisify(inflateRaw);

/**
 * The entries of a zip archive read from its central directory, each inflated on demand by Node's zlib (off the
 * main thread; several times faster than jszip's JavaScript inflate). Throws on what it does not read (zip64,
 * encryption, a compression other than deflate): the caller then opens the file with jszip.
 */
function zipEntries(file: Buffer): (name: string) => Promise<string | undefined> {
  let end = -1;
  for (let i = file.length - 22; i >= Math.max(0, file.length - 22 - 0xffff); i--)
    if (file.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  if (end < 0) throw new Error('no zip directory');
  const count = file.readUInt16LE(end + 10);
  let at = file.readUInt32LE(end + 16);
  if (count === 0xffff || at === 0xffffffff) throw new Error('zip64');
  const entries = new Map<string, { method: number; data: Buffer; size: number }>();
  for (let n = 0; n < count; n++) {
    if (file.readUInt32LE(at) !== 0x02014b50) throw new Error('bad zip directory');
    const flags = file.readUInt16LE(at + 8);
    const method = file.readUInt16LE(at + 10);
    const compressedSize = file.readUInt32LE(at + 20);
    const size = file.readUInt32LE(at + 24);
    const nameLength = file.readUInt16LE(at + 28);
    const name = file.toString(flags & 0x800 ? 'utf8' : 'latin1', at + 46, at + 46 + nameLength);
    const local = file.readUInt32LE(at + 42);
    at += 46 + nameLength + file.readUInt16LE(at + 30) + file.readUInt16LE(at + 32);
    if (flags & 1 || (method !== 0 && method !== 8)) throw new Error('zip entry not stored or deflated');
    if (file.readUInt32LE(local) !== 0x04034b50) throw new Error('bad zip entry');
    const start = local + 30 + file.readUInt16LE(local + 26) + file.readUInt16LE(local + 28);
    if (start + compressedSize > file.length) throw new Error('truncated zip entry');
    entries.set(name, { method, data: file.subarray(start, start + compressedSize), size });
  }
  return async (name) => {
    const e = entries.get(name);
    if (!e) return undefined;
    const bytes = e.method === 0 ? e.data : await inflateRawAsync(e.data);
    if (bytes.length !== e.size) throw new Error('zip entry of the wrong size');
    return bytes.toString('utf8');
  };
}

/** The zip's entries through jszip (for archives the direct reader above does not read). */
async function jszipEntries(file: Buffer): Promise<(name: string) => Promise<string | undefined>> {
  const { default: JSZip } = await import('jszip');
  const zip = await JSZip.loadAsync(file);
  return async (name) => zip.file(name)?.async('string');
}

/**
 * Sheet names and visibility by worksheet file number (`xl/worksheets/sheet3.xml` → 3), from workbook.xml and
 * its relationships, and the shared strings; only these entries and the worksheets read are inflated.
 */
async function workbookParts(file: Buffer): Promise<WorkbookParts> {
  let entry: (name: string) => Promise<string | undefined>;
  try {
    entry = zipEntries(file);
  } catch {
    entry = await jszipEntries(file);
  }
  const workbook = await entry('xl/workbook.xml');
  const rels = await entry('xl/_rels/workbook.xml.rels');
  if (!workbook || !rels) throw new UnreadableWorkbook('not a workbook');
  const targets = new Map<string, string>();
  for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = /\bId="([^"]+)"/.exec(m[0])?.[1];
    const target = /\bTarget="([^"]+)"/.exec(m[0])?.[1];
    const no = target ? /sheet(\d+)\.xml$/.exec(target)?.[1] : undefined;
    if (id && no) targets.set(id, no);
  }
  const out = new Map<string, { name: string; state: string }>();
  const order: string[] = [];
  for (const m of workbook.matchAll(/<sheet\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(m[0])?.[1];
    const rid = /\br:id="([^"]+)"/.exec(m[0])?.[1];
    const state = /\bstate="([^"]+)"/.exec(m[0])?.[1] ?? 'visible';
    const no = rid ? targets.get(rid) : undefined;
    if (name !== undefined && no) {
      out.set(no, { name: xmlText(name), state });
      order.push(no);
    }
  }
  const shared = (await entry('xl/sharedStrings.xml')) ?? '';
  const strings: string[] = [];
  for (const si of shared.matchAll(/<si>([\s\S]*?)<\/si>/g)) {
    const body = (si[1] ?? '').replace(/<rPh\b[\s\S]*?<\/rPh>/g, '');
    let text = '';
    for (const t of body.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)) text += t[1] ?? '';
    strings.push(xmlText(text));
  }
  return { names: out, strings, entry, order };
}

/** The same result as readWorkbook, from exceljs' in-memory reader (for files the streaming one can't decode). */
async function readWorkbookWhole(
  file: Buffer,
  names: Map<string, { name: string; state: string }>,
): Promise<ReadSheet[]> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file as unknown as ArrayBuffer);
  const hidden = new Set([...names.values()].filter((n) => n.state !== 'visible').map((n) => n.name));
  const sheets: ReadSheet[] = [];
  for (const ws of wb.worksheets) {
    if (hidden.has(ws.name) || ws.name === CODES_SHEET) continue;
    const sheet: ReadSheet = { name: ws.name, code: sheetCodeOf(ws.name), headers: [], rows: [] };
    ws.eachRow((row, number) => {
      const raw = row.values as unknown[];
      const values: string[] = [''];
      for (let c = 1; c < raw.length; c++) values[c] = cellText(raw[c]);
      if (!values.some((v) => v !== '')) return;
      if (number === 1) sheet.headers = values;
      else sheet.rows.push({ row: number, values });
    });
    sheets.push(sheet);
  }
  return sheets;
}

/** Columns of a template sheet found by header: field → column number. */
export function columnsByHeader(
  code: SheetCode,
  headers: readonly string[],
): { fields: Map<string, number>; missing: ColumnSpec[] } {
  const spec = SHEETS.find((s) => s.code === code);
  const fields = new Map<string, number>();
  if (!spec) return { fields, missing: [] };
  headers.forEach((header, col) => {
    if (col === 0 || !header) return;
    const column = columnForHeader(spec, header);
    if (column && !fields.has(column.field)) fields.set(column.field, col);
  });
  return { fields, missing: spec.columns.filter((c) => c.required && !fields.has(c.field)) };
}

// Writing ----------------------------------------------------------------------------------------------

export type Lists = Record<ListName, string[]>;

/** Rows of the template prepared for drop-downs and formats. */
const TEMPLATE_ROWS = 2000;

/**
 * The downloadable template: an instructions sheet, one sheet per exchange table (header row, widths, text
 * format for ID numbers and dates typed as text, drop-downs from the hidden codes sheet), and the codes sheet.
 */
export async function templateWorkbook(options: {
  instructions: string[];
  lists: Lists;
  example?: boolean;
}): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Gangwei 岗位通';
  wb.created = new Date();
  const intro = wb.addWorksheet('填表说明');
  intro.getColumn(1).width = 110;
  options.instructions.forEach((line, i) => {
    const cell = intro.getCell(i + 1, 1);
    cell.value = line;
    cell.alignment = { wrapText: true, vertical: 'top' };
    if (i === 0) cell.font = { bold: true, size: 14 };
  });
  // The codes sheet: one column per list, referenced by the drop-downs.
  const listNames = Object.keys(options.lists) as ListName[];
  const codes = wb.addWorksheet(CODES_SHEET, { state: 'hidden' });
  const listRange = new Map<ListName, string>();
  listNames.forEach((list, i) => {
    const col = i + 1;
    const values = options.lists[list];
    codes.getCell(1, col).value = list;
    values.forEach((v, j) => {
      codes.getCell(j + 2, col).value = v;
    });
    const letter = codes.getColumn(col).letter;
    listRange.set(list, `${CODES_SHEET}!$${letter}$2:$${letter}$${Math.max(2, values.length + 1)}`);
  });
  for (const spec of SHEETS) {
    const ws = wb.addWorksheet(sheetTabName(spec), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = spec.columns.map((c) => ({ key: c.field, width: c.width ?? 12 }));
    const header = ws.getRow(1);
    spec.columns.forEach((c, i) => {
      const cell = header.getCell(i + 1);
      cell.value = c.required ? `*${c.header}` : c.header;
      cell.font = { bold: true, color: c.required ? { argb: 'FF9C0006' } : undefined };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFECEEF0' } };
    });
    spec.columns.forEach((c, i) => {
      const letter = ws.getColumn(i + 1).letter;
      const range = `${letter}2:${letter}${TEMPLATE_ROWS + 1}`;
      if (c.list) {
        // exceljs keeps range validations in `dataValidations` (not in its typings).
        (ws as unknown as { dataValidations: { add(range: string, v: unknown): void } }).dataValidations.add(
          range,
          {
            type: 'list',
            allowBlank: !c.required,
            formulae: [listRange.get(c.list) as string],
            showErrorMessage: true,
            errorStyle: 'warning',
            errorTitle: c.header,
            error: `请从下拉列表中选择${c.header}`,
          },
        );
      } else {
        // ID numbers, dates and the rest as text, so Excel keeps 18 digits and 2019.07 as typed.
        ws.getColumn(i + 1).numFmt = '@';
      }
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export interface CellMark {
  sheet: string;
  row: number;
  column: number | null;
  message: string;
}

/**
 * A copy of the uploaded workbook with each cell that has a problem filled red and given a note with the
 * message (several problems of one cell share the note); a problem of a whole row marks its first cell.
 */
export async function markedWorkbook(file: Buffer, marks: readonly CellMark[]): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file as unknown as ArrayBuffer);
  const byCell = new Map<string, CellMark[]>();
  for (const m of marks) {
    const key = `${m.sheet}\u0000${m.row}\u0000${m.column ?? 1}`;
    const list = byCell.get(key) ?? [];
    list.push(m);
    byCell.set(key, list);
  }
  for (const list of byCell.values()) {
    const first = list[0] as CellMark;
    const ws = wb.getWorksheet(first.sheet);
    if (!ws) continue;
    const cell = ws.getCell(first.row, first.column ?? 1);
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
    cell.font = { ...(cell.font ?? {}), color: { argb: 'FF9C0006' } };
    cell.note = list.map((m) => m.message).join('\n');
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
