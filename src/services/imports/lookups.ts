import type { Knex } from 'knex';
import { gradeLevels, sanctionKinds } from '../../db/repositories/personRecords.js';
import type { ListName } from '../../domain/importLayout.js';
import { loadMessages } from '../../i18n.js';
import type { Lists } from './workbook.js';

/**
 * The drop-down columns' values: what the template offers (Chinese labels from the reference tables and the
 * code lists) and what an upload may contain (the Chinese or English label, the code, or a common short form
 * such as 党员, 本科, 行政), each mapped to the code the forms use.
 */
export interface Lookups {
  genders: Map<string, string>;
  politicalStatuses: Map<string, string>;
  establishmentTypes: Map<string, string>;
  educationModes: Map<string, string>;
  educationLevels: Map<string, string>;
  degrees: Map<string, string>;
  assessmentResults: Map<string, string>;
  a05Categories: Map<string, string>;
  unitKinds: Map<string, string>;
  grades: Map<string, string>;
  gradeLadders: Map<string, string>;
  sanctionKinds: Map<string, string>;
  /** The template's drop-down lists. */
  lists: Lists;
}

/** The 56 ethnic groups in the official order (GB 3304), for the template's drop-down. */
export const ETHNICITIES = [
  '汉族',
  '蒙古族',
  '回族',
  '藏族',
  '维吾尔族',
  '苗族',
  '彝族',
  '壮族',
  '布依族',
  '朝鲜族',
  '满族',
  '侗族',
  '瑶族',
  '白族',
  '土家族',
  '哈尼族',
  '哈萨克族',
  '傣族',
  '黎族',
  '傈僳族',
  '佤族',
  '畲族',
  '高山族',
  '拉祜族',
  '水族',
  '东乡族',
  '纳西族',
  '景颇族',
  '柯尔克孜族',
  '土族',
  '达斡尔族',
  '仫佬族',
  '羌族',
  '布朗族',
  '撒拉族',
  '毛南族',
  '仡佬族',
  '锡伯族',
  '阿昌族',
  '普米族',
  '塔吉克族',
  '怒族',
  '乌孜别克族',
  '俄罗斯族',
  '鄂温克族',
  '德昂族',
  '保安族',
  '裕固族',
  '京族',
  '塔塔尔族',
  '独龙族',
  '鄂伦春族',
  '赫哲族',
  '门巴族',
  '珞巴族',
  '基诺族',
];

const norm = (s: string) => s.toLowerCase().replace(/\s/g, '');

function mapOf(entries: Array<[string, string]>): Map<string, string> {
  const m = new Map<string, string>();
  for (const [label, code] of entries) if (!m.has(norm(label))) m.set(norm(label), code);
  return m;
}

type Codes = Record<string, Record<string, string>>;

function fromCodes(zh: Codes, en: Codes, list: string, extra: Array<[string, string]> = []) {
  const z = zh[list] ?? {};
  const e = en[list] ?? {};
  return {
    map: mapOf([
      ...Object.entries(z).map(([code, label]) => [label, code] as [string, string]),
      ...Object.entries(e).map(([code, label]) => [label, code] as [string, string]),
      ...Object.keys(z).map((code) => [code, code] as [string, string]),
      ...extra,
    ]),
    labels: Object.values(z),
  };
}

export async function loadLookups(db: Knex): Promise<Lookups> {
  const zh = loadMessages('zh-CN') as unknown as Codes;
  const en = loadMessages('en') as unknown as Codes;
  const grades = await gradeLevels(db);
  const sanctions = await sanctionKinds(db);
  const genders = fromCodes(zh, en, 'genders', [
    ['m', 'male'],
    ['f', 'female'],
  ]);
  const political = fromCodes(zh, en, 'politicalStatuses', [
    ['党员', 'cpc_member'],
    ['中共党员', 'cpc_member'],
    ['预备党员', 'cpc_probationary'],
    ['团员', 'youth_league'],
  ]);
  const types = fromCodes(zh, en, 'establishmentTypes', [
    ['行政', 'administrative'],
    ['参公', 'civil_service_institutional'],
    ['参公事业', 'civil_service_institutional'],
    ['事业', 'institutional'],
    ['工勤', 'worker'],
  ]);
  const modes = fromCodes(zh, en, 'educationModes', [
    ['全日制', 'full_time'],
    ['在职', 'in_service'],
  ]);
  const levels = fromCodes(zh, en, 'educationLevels', [
    ['博士', 'doctorate'],
    ['研究生', 'master'],
    ['硕士', 'master'],
    ['本科', 'bachelor'],
    ['大学', 'bachelor'],
    ['大专', 'college'],
    ['专科', 'college'],
    ['初中', 'below'],
  ]);
  const degrees = fromCodes(zh, en, 'degrees', [
    ['博士学位', 'doctor'],
    ['硕士学位', 'master'],
    ['学士学位', 'bachelor'],
  ]);
  const results = fromCodes(zh, en, 'assessmentResults');
  const unitKinds = fromCodes(zh, en, 'unitKinds');
  const a05 = mapOf([
    ['奖励', 'award'],
    ['award', 'award'],
    ['惩戒', 'sanction'],
    ['处分', 'sanction'],
    ['惩处', 'sanction'],
    ['sanction', 'sanction'],
  ]);
  return {
    genders: genders.map,
    politicalStatuses: political.map,
    establishmentTypes: types.map,
    educationModes: modes.map,
    educationLevels: levels.map,
    degrees: degrees.map,
    assessmentResults: results.map,
    a05Categories: a05,
    unitKinds: unitKinds.map,
    grades: mapOf(
      grades.flatMap(
        (g) =>
          [
            [g.nameZh, g.code],
            [g.nameEn, g.code],
            [g.code, g.code],
          ] as Array<[string, string]>,
      ),
    ),
    gradeLadders: new Map(grades.map((g) => [g.code, g.ladder])),
    sanctionKinds: mapOf(
      sanctions.flatMap(
        (s) =>
          [
            [s.nameZh, s.code],
            [s.nameEn, s.code],
            [s.code, s.code],
          ] as Array<[string, string]>,
      ),
    ),
    lists: {
      genders: genders.labels,
      ethnicities: ETHNICITIES,
      politicalStatuses: political.labels,
      establishmentTypes: types.labels,
      grades: grades.map((g) => g.nameZh),
      educationModes: modes.labels,
      educationLevels: levels.labels,
      degrees: degrees.labels,
      a05Categories: ['奖励', '惩戒'],
      sanctionKinds: sanctions.map((s) => s.nameZh),
      assessmentResults: results.labels,
      unitKinds: unitKinds.labels,
    } satisfies Record<ListName, string[]>,
  };
}
