/**
 * The .lrmx exchange file of the appointment-form editors (任免表): UTF-8 XML, root `<Person>`, one element per
 * field with pinyin names (domain guide section 10), family members as repeated `<Item>` under
 * `<JiaTingChengYuan>`, the photo base64 in `<ZhaoPian>`.
 *
 * Writing builds the text directly (fixed order, escaped). Reading refuses, before any parsing, any DTD or
 * entity declaration (`<!DOCTYPE`, `<!ENTITY`): no external entity (XXE) and no entity expansion (billion
 * laughs) can happen, and the parser itself runs with entity processing off; only the five predefined XML
 * entities and character references are decoded, by hand. Malformed XML, another root, an element where text
 * belongs, a repeated field or a missing name / ID number are refused with a reason; unknown elements are
 * reported and ignored.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export const LRMX_VERSION = '3.2.1.6';

/** The scalar fields, in the order the editors write them. */
export const LRMX_FIELDS = [
  'XingMing',
  'XingBie',
  'ChuShengNianYue',
  'MinZu',
  'JiGuan',
  'ChuShengDi',
  'RuDangShiJian',
  'CanJiaGongZuoShiJian',
  'JianKangZhuangKuang',
  'ZhuanYeJiShuZhiWu',
  'ShuXiZhuanYeYouHeZhuanChang',
  'QuanRiZhiJiaoYu_XueLi',
  'QuanRiZhiJiaoYu_XueWei',
  'QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi',
  'QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi',
  'ZaiZhiJiaoYu_XueLi',
  'ZaiZhiJiaoYu_XueWei',
  'ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi',
  'ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi',
  'XianRenZhiWu',
  'NiRenZhiWu',
  'NiMianZhiWu',
  'JianLi',
  'JiangChengQingKuang',
  'NianDuKaoHeJieGuo',
  'RenMianLiYou',
  // JiaTingChengYuan goes here.
  'ChengBaoDanWei',
  'JiSuanNianLingShiJian',
  'TianBiaoShiJian',
  'TianBiaoRen',
  'ShenFenZheng',
  'ZhaoPian',
  'Version',
] as const;

export type LrmxField = (typeof LRMX_FIELDS)[number];

export const LRMX_FAMILY_FIELDS = [
  'ChengWei',
  'XingMing',
  'ChuShengRiQi',
  'ZhengZhiMianMao',
  'GongZuoDanWeiJiZhiWu',
] as const;

export type LrmxFamilyField = (typeof LRMX_FAMILY_FIELDS)[number];

export interface LrmxRecord {
  fields: Record<LrmxField, string>;
  family: Array<Record<LrmxFamilyField, string>>;
}

/** Where family members go among the fields. */
const FAMILY_AFTER: LrmxField = 'RenMianLiYou';

// Writing --------------------------------------------------------------------------------------------------

// Characters XML 1.0 does not allow (control characters other than tab, newline, carriage return).
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what is removed
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

export function escapeXml(value: string): string {
  return value
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function buildLrmx(record: LrmxRecord): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<Person>'];
  for (const field of LRMX_FIELDS) {
    out.push(`  <${field}>${escapeXml(record.fields[field] ?? '')}</${field}>`);
    if (field === FAMILY_AFTER) {
      out.push('  <JiaTingChengYuan>');
      for (const item of record.family) {
        out.push('    <Item>');
        for (const f of LRMX_FAMILY_FIELDS) out.push(`      <${f}>${escapeXml(item[f] ?? '')}</${f}>`);
        out.push('    </Item>');
      }
      out.push('  </JiaTingChengYuan>');
    }
  }
  out.push('</Person>', '');
  return out.join('\n');
}

export const emptyLrmxFields = (): Record<LrmxField, string> =>
  Object.fromEntries(LRMX_FIELDS.map((f) => [f, ''])) as Record<LrmxField, string>;

// Reading --------------------------------------------------------------------------------------------------

export type LrmxProblem =
  | { problem: 'empty' }
  | { problem: 'encoding' }
  | { problem: 'dtd' }
  | { problem: 'malformed'; line: number; detail: string }
  | { problem: 'root'; found: string }
  | { problem: 'structure'; element: string }
  | { problem: 'repeated'; element: string }
  | { problem: 'missing'; element: string };

export type LrmxParsed = { ok: true; record: LrmxRecord; ignored: string[] } | ({ ok: false } & LrmxProblem);

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The five predefined entities and character references; anything else stays as written. */
export function decodeXmlText(value: string): string {
  return value.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|lt|gt|amp|quot|apos);/g, (whole, name: string) => {
    if (name[0] !== '#') return PREDEFINED[name] ?? whole;
    const code = name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

type Node = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: false,
  htmlEntities: false,
  cdataPropName: '#cdata',
});

/** The tag of a preserveOrder node (its one key other than the attributes). */
const tagOf = (node: Node) => Object.keys(node).find((k) => k !== ':@') ?? '';

/** Text content of an element that must hold text only, or null when it holds elements. */
function textOf(children: Node[]): string | null {
  let text = '';
  for (const child of children) {
    const tag = tagOf(child);
    if (tag === '#text') text += decodeXmlText(String(child['#text'] ?? ''));
    else if (tag === '#cdata') {
      for (const c of child['#cdata'] as Node[]) text += String(c['#text'] ?? '');
    } else return null;
  }
  return text.trim();
}

const elementsOf = (children: Node[]) =>
  children.filter((c) => {
    const tag = tagOf(c);
    return tag !== '#text' || String(c['#text'] ?? '').trim() !== '';
  });

/** Reads an .lrmx file's text. Refuses DTDs and entity declarations before parsing. */
export function parseLrmx(input: string): LrmxParsed {
  const xml = input.replace(/^\uFEFF/, '');
  if (xml.trim() === '') return { ok: false, problem: 'empty' };
  if (xml.includes('\uFFFD')) return { ok: false, problem: 'encoding' };
  if (/<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST)/i.test(xml)) return { ok: false, problem: 'dtd' };
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return { ok: false, problem: 'malformed', line: valid.err.line, detail: valid.err.msg };
  let tree: Node[];
  try {
    tree = parser.parse(xml) as Node[];
  } catch (err) {
    return { ok: false, problem: 'malformed', line: 0, detail: (err as Error).message };
  }
  const roots = elementsOf(tree);
  const root = roots[0];
  if (roots.length !== 1 || !root || tagOf(root) !== 'Person')
    return { ok: false, problem: 'root', found: root ? tagOf(root) : '' };
  const fields = emptyLrmxFields();
  const seen = new Set<string>();
  const ignored: string[] = [];
  const family: LrmxRecord['family'] = [];
  for (const child of elementsOf(root.Person as Node[])) {
    const tag = tagOf(child);
    if (tag === '#text') return { ok: false, problem: 'structure', element: 'Person' };
    if (seen.has(tag)) return { ok: false, problem: 'repeated', element: tag };
    seen.add(tag);
    const children = child[tag] as Node[];
    if (tag === 'JiaTingChengYuan') {
      for (const item of elementsOf(children)) {
        if (tagOf(item) !== 'Item') return { ok: false, problem: 'structure', element: 'JiaTingChengYuan' };
        const member = Object.fromEntries(LRMX_FAMILY_FIELDS.map((f) => [f, ''])) as Record<
          LrmxFamilyField,
          string
        >;
        const itemSeen = new Set<string>();
        for (const part of elementsOf(item.Item as Node[])) {
          const name = tagOf(part);
          if (name === '#text') return { ok: false, problem: 'structure', element: 'Item' };
          if (itemSeen.has(name)) return { ok: false, problem: 'repeated', element: `Item/${name}` };
          itemSeen.add(name);
          const value = textOf(part[name] as Node[]);
          if (value === null) return { ok: false, problem: 'structure', element: `Item/${name}` };
          if ((LRMX_FAMILY_FIELDS as readonly string[]).includes(name))
            member[name as LrmxFamilyField] = value;
          else if (!ignored.includes(`Item/${name}`)) ignored.push(`Item/${name}`);
        }
        family.push(member);
      }
      continue;
    }
    const value = textOf(children);
    if (value === null) return { ok: false, problem: 'structure', element: tag };
    if ((LRMX_FIELDS as readonly string[]).includes(tag)) fields[tag as LrmxField] = value;
    else ignored.push(tag);
  }
  for (const required of ['XingMing', 'ShenFenZheng'] as const)
    if (fields[required] === '') return { ok: false, problem: 'missing', element: required };
  return { ok: true, record: { fields, family }, ignored };
}
