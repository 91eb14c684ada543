/**
 * Search and ordering keys derived from a Chinese name, kept beside it on every write: full pinyin and
 * initials for search (`zhangsan`, `zs`), and the surname's stroke count for 姓氏笔画 order.
 */

import cncharModule from 'cnchar';
import orderModule from 'cnchar-order';
import { pinyin } from 'pinyin-pro';

// cnchar ships as a CommonJS/UMD bundle whose typings declare `export default`; under `nodenext` TypeScript
// therefore types the default import as `{ default: … }`, while Node hands over module.exports itself.
// Accept both shapes. Its stroke counts need the order plugin installed once.
type CnChar = typeof cncharModule.default;
type CnCharPlugin = typeof orderModule.default;
const cnchar: CnChar = (cncharModule as { default?: CnChar }).default ?? (cncharModule as unknown as CnChar);
const order: CnCharPlugin =
  (orderModule as { default?: CnCharPlugin }).default ?? (orderModule as unknown as CnCharPlugin);
cnchar.use(order);

/** Two-character surnames (复姓) recognised when splitting a name into surname and given name. */
export const COMPOUND_SURNAMES = [
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '慕容',
  '夏侯',
  '皇甫',
  '令狐',
  '尉迟',
  '公孙',
  '长孙',
  '宇文',
  '司徒',
  '司空',
  '端木',
  '南宫',
  '独孤',
  '轩辕',
  '闻人',
];

/** The surname: a listed two-character surname when the name is longer than it, else the first character. */
export function surnameOf(name: string): string {
  const chars = [...name.trim()];
  const two = chars.slice(0, 2).join('');
  return COMPOUND_SURNAMES.includes(two) && chars.length > 2 ? two : (chars[0] ?? '');
}

export interface NameKeys {
  /** Full pinyin without tones or spaces, lower case, ü written v: 'zhangsan', 'lvming'. */
  pinyin: string;
  /** First letters: 'zs'. */
  initials: string;
  /** Strokes of the surname (both characters of a two-character surname). */
  surnameStrokes: number;
}

/** Keeps letters and digits only: what pinyin-pro returns for non-Chinese characters (·, spaces) is dropped. */
const clean = (parts: string[]) =>
  parts
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

const HAN_ONLY = /^[\u4e00-\u9fff]+$/;
const LETTERS_ONLY = /^[a-z]+$/;

/** Stroke counts by surname (a bounded set: one or two characters each). */
const strokesBySurname = new Map<string, number>();

function surnameStrokes(surname: string): number {
  let count = strokesBySurname.get(surname);
  if (count === undefined) {
    const strokes = surname ? cnchar.stroke(surname) : 0;
    count =
      typeof strokes === 'number'
        ? strokes
        : (strokes as number[]).reduce((a: number, b: number) => a + (Number(b) || 0), 0);
    strokesBySurname.set(surname, count);
  }
  return count;
}

export function nameKeys(name: string): NameKeys {
  const trimmed = name.trim();
  const options = { toneType: 'none', type: 'array', surname: 'head', v: true } as const;
  const full = pinyin(trimmed, options);
  // For a name of Chinese characters whose every syllable came back as plain letters, pinyin-pro's 'first'
  // pattern is each syllable's first letter: taken here instead of segmenting the name a second time.
  const first =
    HAN_ONLY.test(trimmed) && full.every((p) => LETTERS_ONLY.test(p))
      ? full.map((p) => p[0] as string)
      : pinyin(trimmed, { ...options, pattern: 'first' });
  return { pinyin: clean(full), initials: clean(first), surnameStrokes: surnameStrokes(surnameOf(trimmed)) };
}
