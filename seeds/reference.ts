import type { Knex } from 'knex';
import { seedCalendar } from './calendar.js';

/**
 * Reference data (rules as data): ladders, leadership kinds, sanction impact periods and the national
 * default promotion rules, the official holiday calendar (seeds/calendar.ts). Idempotent: safe to run at every start; it updates names and defaults in place.
 */

type Ladder = 'civil_service_rank' | 'leadership_level' | 'management_level' | 'professional' | 'skilled';
type Level = 'clerk' | 'section_member' | 'deputy_section' | 'section_chief' | 'deputy_division' | 'division';

interface GradeLevel {
  code: string;
  ladder: Ladder;
  step: number;
  level_equivalent: Level | null;
  name_zh: string;
  name_en: string;
}

const civilServiceRanks: Array<[string, string, string, Level]> = [
  ['clerk_2', '二级科员', 'Grade-2 Clerk', 'section_member'],
  ['clerk_1', '一级科员', 'Grade-1 Clerk', 'section_member'],
  ['principal_4', '四级主任科员', 'Grade-4 Principal Staff Member', 'deputy_section'],
  ['principal_3', '三级主任科员', 'Grade-3 Principal Staff Member', 'deputy_section'],
  ['principal_2', '二级主任科员', 'Grade-2 Principal Staff Member', 'section_chief'],
  ['principal_1', '一级主任科员', 'Grade-1 Principal Staff Member', 'section_chief'],
  ['researcher_4', '四级调研员', 'Grade-4 Researcher', 'deputy_division'],
  ['researcher_3', '三级调研员', 'Grade-3 Researcher', 'deputy_division'],
  ['researcher_2', '二级调研员', 'Grade-2 Researcher', 'division'],
  ['researcher_1', '一级调研员', 'Grade-1 Researcher', 'division'],
];

const chineseNumerals = [
  '',
  '一',
  '二',
  '三',
  '四',
  '五',
  '六',
  '七',
  '八',
  '九',
  '十',
  '十一',
  '十二',
  '十三',
];
const managementLevel = (n: number): Level | null =>
  (({
    10: 'clerk',
    9: 'section_member',
    8: 'deputy_section',
    7: 'section_chief',
    6: 'deputy_division',
    5: 'division',
  })[n] as Level | undefined) ?? null;

export const gradeLevels: GradeLevel[] = [
  ...civilServiceRanks.map(([code, zh, en, level], i) => ({
    code,
    ladder: 'civil_service_rank' as const,
    step: i + 1,
    level_equivalent: level,
    name_zh: zh,
    name_en: en,
  })),
  {
    code: 'township_deputy',
    ladder: 'leadership_level',
    step: 1,
    level_equivalent: 'deputy_section',
    name_zh: '乡科级副职',
    name_en: 'Deputy township/section-level leader',
  },
  {
    code: 'township_chief',
    ladder: 'leadership_level',
    step: 2,
    level_equivalent: 'section_chief',
    name_zh: '乡科级正职',
    name_en: 'Township/section-level leader',
  },
  ...Array.from({ length: 10 }, (_, i) => {
    const n = 10 - i;
    return {
      code: `mgmt_${n}`,
      ladder: 'management_level' as const,
      step: i + 1,
      level_equivalent: managementLevel(n),
      name_zh: `${chineseNumerals[n]}级职员`,
      name_en: `Management level ${n}`,
    };
  }),
  ...Array.from({ length: 13 }, (_, i) => {
    const n = 13 - i;
    return {
      code: `pro_${n}`,
      ladder: 'professional' as const,
      step: i + 1,
      level_equivalent: null,
      name_zh: `专业技术${chineseNumerals[n]}级`,
      name_en: `Professional level ${n}`,
    };
  }),
  {
    code: 'skilled_general',
    ladder: 'skilled',
    step: 1,
    level_equivalent: null,
    name_zh: '普通工',
    name_en: 'General worker',
  },
  ...Array.from({ length: 5 }, (_, i) => {
    const n = 5 - i;
    return {
      code: `skilled_${n}`,
      ladder: 'skilled' as const,
      step: i + 2,
      level_equivalent: null,
      name_zh: `技术工${chineseNumerals[n]}级`,
      name_en: `Skilled worker level ${n}`,
    };
  }),
];

export const leadershipKinds = [
  ['party_secretary', 'township', 'section_chief', true, false, true, '党委书记', 'Party Secretary'],
  [
    'people_congress_chair',
    'township',
    'section_chief',
    true,
    false,
    false,
    '人大主席',
    'People’s Congress Chair',
  ],
  ['mayor', 'township', 'section_chief', true, false, true, '党委副书记、镇长', 'Deputy Secretary and Mayor'],
  [
    'deputy_secretary',
    'township',
    'deputy_section',
    true,
    false,
    true,
    '党委副书记',
    'Deputy Party Secretary',
  ],
  [
    'discipline_secretary',
    'township',
    'deputy_section',
    true,
    false,
    true,
    '纪委书记',
    'Discipline Inspection Secretary',
  ],
  [
    'organization_member',
    'township',
    'deputy_section',
    true,
    false,
    true,
    '组织委员',
    'Organisation Committee Member',
  ],
  [
    'propaganda_member',
    'township',
    'deputy_section',
    true,
    false,
    true,
    '宣传统战委员',
    'Propaganda and United Front Member',
  ],
  ['deputy_mayor', 'township', 'deputy_section', true, false, false, '副镇长', 'Deputy Mayor'],
  [
    'armed_forces_head',
    'township',
    'deputy_section',
    false,
    false,
    true,
    '人武部长',
    'Head of the Armed Forces Department',
  ],
  [
    'poverty_office_deputy',
    'township',
    'deputy_section',
    true,
    false,
    false,
    '脱贫攻坚指挥部办公室专职副主任',
    'Full-time Deputy Director, Poverty Alleviation Office',
  ],
  [
    'political_legal_member',
    'township',
    'deputy_section',
    false,
    true,
    true,
    '政法委员',
    'Political and Legal Affairs Member',
  ],
  ['unit_head', 'unit', 'deputy_section', false, false, false, '机构负责人', 'Head of unit'],
  ['unit_deputy', 'unit', 'stock', false, false, false, '机构副职', 'Deputy head of unit'],
] as const;

type SanctionCategory = 'government' | 'party' | 'organizational' | 'investigation';

export const sanctionKinds: Array<[string, SanctionCategory, number | null, string, string]> = [
  ['gov_warning', 'government', 6, '政务处分·警告', 'Administrative sanction: warning'],
  ['gov_demerit', 'government', 12, '政务处分·记过', 'Administrative sanction: demerit'],
  ['gov_major_demerit', 'government', 18, '政务处分·记大过', 'Administrative sanction: major demerit'],
  ['gov_demotion', 'government', 24, '政务处分·降级', 'Administrative sanction: demotion'],
  ['gov_removal', 'government', 24, '政务处分·撤职', 'Administrative sanction: removal from post'],
  ['party_warning', 'party', 12, '党纪处分·警告', 'Party discipline: warning'],
  ['party_serious_warning', 'party', 18, '党纪处分·严重警告', 'Party discipline: serious warning'],
  ['party_removal', 'party', 24, '党纪处分·撤销党内职务', 'Party discipline: removal from party posts'],
  ['admonition', 'organizational', 6, '诫勉', 'Admonition'],
  ['org_adjustment', 'organizational', 12, '组织处理·调整职务', 'Organisational handling: post adjusted'],
  ['org_demotion', 'organizational', 24, '组织处理·降职', 'Organisational handling: demoted'],
  ['investigation', 'investigation', null, '立案审查调查（未结案）', 'Open investigation'],
];

/** National defaults (county_id NULL), 公务员职务与职级并行规定 (2019) and 事业单位岗位设置管理试行办法. */
export const promotionRules: Array<{
  target: string;
  min_months: number;
  counted_grades: string[];
  min_education?: string;
  education_blocks?: boolean;
  source: string;
}> = [
  { target: 'clerk_1', min_months: 24, counted_grades: ['clerk_2'], source: '并行规定 第二十条' },
  { target: 'principal_4', min_months: 24, counted_grades: ['clerk_1'], source: '并行规定 第二十条' },
  {
    target: 'principal_3',
    min_months: 24,
    counted_grades: ['principal_4', 'township_deputy'],
    source: '并行规定 第二十条',
  },
  { target: 'principal_2', min_months: 24, counted_grades: ['principal_3'], source: '并行规定 第二十条' },
  {
    target: 'principal_1',
    min_months: 24,
    counted_grades: ['principal_2', 'township_chief'],
    source: '并行规定 第二十条',
  },
  { target: 'researcher_4', min_months: 24, counted_grades: ['principal_1'], source: '并行规定 第二十条' },
  { target: 'researcher_3', min_months: 24, counted_grades: ['researcher_4'], source: '并行规定 第二十条' },
  { target: 'researcher_2', min_months: 24, counted_grades: ['researcher_3'], source: '并行规定 第二十条' },
  {
    target: 'township_deputy',
    min_months: 36,
    counted_grades: [
      'clerk_1',
      'principal_4',
      'principal_3',
      'principal_2',
      'principal_1',
      'mgmt_9',
      'mgmt_8',
      'mgmt_7',
    ],
    min_education: 'college',
    education_blocks: false,
    source: '选拔任用工作条例 第八条、第九条',
  },
  {
    target: 'township_chief',
    min_months: 24,
    counted_grades: ['township_deputy', 'principal_4', 'principal_3'],
    min_education: 'college',
    education_blocks: false,
    source: '选拔任用工作条例 第九条',
  },
  {
    target: 'mgmt_8',
    min_months: 36,
    counted_grades: ['mgmt_9'],
    min_education: 'secondary_vocational',
    source: '事业单位岗位设置管理试行办法实施意见',
  },
  {
    target: 'mgmt_7',
    min_months: 36,
    counted_grades: ['mgmt_8'],
    min_education: 'secondary_vocational',
    source: '事业单位岗位设置管理试行办法实施意见',
  },
  {
    target: 'mgmt_6',
    min_months: 36,
    counted_grades: ['mgmt_7'],
    min_education: 'college',
    source: '事业单位岗位设置管理试行办法实施意见',
  },
];

export const DEFAULT_RULES_FROM = '2019-06-01';

export async function seedReference(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx('grade_levels').insert(gradeLevels).onConflict('code').merge();
    await trx('leadership_kinds')
      .insert(
        leadershipKinds.map(([code, scope, rank, counted, concurrentOnly, partyPost, zh, en], i) => ({
          code,
          scope,
          rank,
          counted,
          concurrent_only: concurrentOnly,
          party_post: partyPost,
          sort_order: (i + 1) * 10,
          name_zh: zh,
          name_en: en,
        })),
      )
      .onConflict('code')
      .merge();
    await trx('sanction_kinds')
      .insert(
        sanctionKinds.map(([code, category, months, zh, en], i) => ({
          code,
          category,
          impact_months: months,
          sort_order: (i + 1) * 10,
          name_zh: zh,
          name_en: en,
        })),
      )
      .onConflict('code')
      .merge();
    for (const rule of promotionRules) {
      const row = {
        county_id: null,
        target: rule.target,
        min_months: rule.min_months,
        counted_grades: rule.counted_grades,
        min_education: rule.min_education ?? null,
        education_blocks: rule.education_blocks ?? true,
        effective_from: DEFAULT_RULES_FROM,
        source: rule.source,
      };
      const existing = await trx('promotion_rules')
        .whereNull('county_id')
        .where({ target: rule.target, effective_from: DEFAULT_RULES_FROM })
        .first('id');
      if (existing) await trx('promotion_rules').where('id', existing.id).update(row);
      else await trx('promotion_rules').insert(row);
    }
    await seedCalendar(trx);
  });
}
