import { expect } from 'chai';
import { gradeLevels, sanctionKinds } from '../../seeds/reference.js';
import type { Locale } from '../../src/domain/dates.js';
import {
  type EligibilityCheck,
  type EligibilityFinding,
  eligibilityMessage,
} from '../../src/domain/eligibility/index.js';
import { loadMessages, translator } from '../../src/i18n.js';

const names = (locale: Locale) => ({
  locale,
  gradeName: (code: string) => {
    const g = gradeLevels.find((x) => x.code === code);
    return g ? (locale === 'zh-CN' ? g.name_zh : g.name_en) : code;
  },
  sanctionName: (code: string) => {
    const k = sanctionKinds.find(([c]) => c === code);
    return k ? (locale === 'zh-CN' ? k[3] : k[4]) : code;
  },
});

function render(item: EligibilityFinding | EligibilityCheck, locale: Locale): string {
  const { key, vars } = eligibilityMessage(item, names(locale));
  return translator(locale)(key, vars);
}

/** One of every finding and every check outcome the engine produces. */
const findings: EligibilityFinding[] = [
  { code: 'tenure_short', months: 7, from: '2025-03-01', grades: ['clerk_1'] },
  { code: 'tenure_unreachable', months: 24, grades: ['township_deputy', 'principal_4', 'principal_3'] },
  { code: 'sanction', kind: 'gov_warning', decidedOn: '2025-05-17', until: '2025-11-17' },
  { code: 'investigation', kind: 'investigation', decidedOn: '2026-10-10', until: null },
  { code: 'investigation', kind: 'investigation', decidedOn: '2026-10-10', until: '2026-12-01' },
  { code: 'probation', grade: 'township_deputy', until: '2026-03-01' },
  { code: 'recent_promotion', grade: 'principal_4', promotedOn: '2025-04-20', until: '2026-04-01' },
  { code: 'previous_assessment', year: 2024, result: 'basically_competent', until: '2026-01-01' },
  { code: 'family_emigrated', relation: 'spouse' },
  { code: 'family_emigrated', relation: 'children' },
  { code: 'education_required', required: 'secondary_vocational', actual: 'below', from: null },
  { code: 'education_required', required: 'secondary_vocational', actual: 'below', from: '2026-01-15' },
  { code: 'education_required', required: 'college', actual: null, from: null },
  { code: 'party_membership', status: 'masses' },
  { code: 'education_recommended', required: 'college', actual: 'high_school' },
  { code: 'education_recommended', required: 'college', actual: null },
  { code: 'year_not_counted', year: 2023, result: 'basically_competent' },
  { code: 'tenure_restarted', year: 2022, result: 'incompetent', from: '2023-03-01' },
  { code: 'assessment_missing', year: 2022 },
];

const checks: EligibilityCheck[] = [
  ...[true, false].flatMap((met) =>
    [0, 6].map(
      (excellentMonths): EligibilityCheck => ({
        rule: 'tenure',
        required: { months: 24, grades: ['principal_4', 'township_deputy'] },
        actual: { months: 20, excellentMonths, excellentYears: excellentMonths ? [2023] : [], metFrom: null },
        met,
      }),
    ),
  ),
  ...[true, false].flatMap((blocking) =>
    (['high_school', null] as const).map(
      (level): EligibilityCheck => ({
        rule: 'education',
        required: { level: 'college', blocking },
        actual: { level },
        met: false,
      }),
    ),
  ),
  {
    rule: 'education',
    required: { level: 'college', blocking: true },
    actual: { level: 'bachelor' },
    met: true,
  },
  {
    rule: 'party_membership',
    required: { status: 'cpc_member' },
    actual: { status: 'cpc_member', joinedOn: null },
    met: true,
  },
  {
    rule: 'party_membership',
    required: { status: 'cpc_member' },
    actual: { status: 'youth_league', joinedOn: null },
    met: false,
  },
  { rule: 'no_sanction', required: { active: 0 }, actual: { active: 0, until: null }, met: true },
  { rule: 'no_sanction', required: { active: 0 }, actual: { active: 1, until: '2025-11-17' }, met: false },
  { rule: 'no_investigation', required: { open: 0 }, actual: { open: 0 }, met: true },
  { rule: 'no_investigation', required: { open: 0 }, actual: { open: 1 }, met: false },
  {
    rule: 'no_probation',
    required: { onProbation: false },
    actual: { onProbation: false, until: null },
    met: true,
  },
  {
    rule: 'no_probation',
    required: { onProbation: false },
    actual: { onProbation: true, until: '2026-03-01' },
    met: false,
  },
  {
    rule: 'promotion_interval',
    required: { months: 12 },
    actual: { lastPromotion: null, grade: null, months: null },
    met: true,
  },
  ...[true, false].map(
    (met): EligibilityCheck => ({
      rule: 'promotion_interval',
      required: { months: 12 },
      actual: { lastPromotion: '2025-04-20', grade: 'principal_4', months: met ? 19 : 7 },
      met,
    }),
  ),
  {
    rule: 'previous_assessment',
    required: { year: 2025, atLeast: 'competent' },
    actual: { result: null },
    met: true,
  },
  {
    rule: 'previous_assessment',
    required: { year: 2025, atLeast: 'competent' },
    actual: { result: 'excellent' },
    met: true,
  },
  {
    rule: 'previous_assessment',
    required: { year: 2025, atLeast: 'competent' },
    actual: { result: 'basically_qualified' },
    met: false,
  },
  {
    rule: 'family_not_emigrated',
    required: { emigrated: false },
    actual: { spouse: false, allChildren: false },
    met: true,
  },
  {
    rule: 'family_not_emigrated',
    required: { emigrated: false },
    actual: { spouse: true, allChildren: false },
    met: false,
  },
];

describe('eligibility messages', () => {
  for (const locale of ['zh-CN', 'en'] as const) {
    it(`every block, warning and check renders completely in ${locale}`, () => {
      for (const item of [...findings, ...checks]) {
        const { key } = eligibilityMessage(item, names(locale));
        const text = render(item, locale);
        expect(text, key).not.to.equal(key);
        expect(text, key).not.to.match(
          /\{\{|\$t\(|undefined|null|eligibility\.|assessmentResults|educationLevels/,
        );
      }
    });
  }

  it('every string in locales/*/eligibility.json is one of these messages (none left unused)', () => {
    const leaves = (obj: unknown, prefix: string): string[] =>
      typeof obj === 'object' && obj !== null
        ? Object.entries(obj).flatMap(([k, v]) => leaves(v, `${prefix}.${k}`))
        : [prefix];
    const defined = leaves(loadMessages('zh-CN').eligibility, 'eligibility').sort();
    const used = [
      ...new Set([...findings, ...checks].map((i) => eligibilityMessage(i, names('zh-CN')).key)),
    ].sort();
    expect(used).to.deep.equal(defined);
  });

  it('reads like the cadre would say it', () => {
    expect(render(findings[0]!, 'zh-CN')).to.equal('还需在一级科员任职 7 个月（2025.03 起符合）');
    expect(render(findings[0]!, 'en')).to.equal(
      '7 more months needed as Grade-1 Clerk (eligible from 2025-03)',
    );
    expect(render(findings[16]!, 'zh-CN')).to.equal('2023 年度考核基本称职，该年度不计入任职年限');
    expect(render(findings[1]!, 'zh-CN')).to.equal(
      '须在乡科级副职、四级主任科员或三级主任科员累计任职满 24 个月，现任职级（职务）不计入',
    );
    expect(render(findings[2]!, 'zh-CN')).to.equal(
      '2025.05.17 受政务处分·警告，影响期内不得晋升，2025.11.17 起期满',
    );
    expect(render(findings[8]!, 'zh-CN')).to.equal('配偶已移居国（境）外，不得担任领导职务（特殊岗位除外）');
  });

  it('without names, codes stand in for grades and sanction kinds', () => {
    expect(eligibilityMessage(findings[0]!, { locale: 'zh-CN' })).to.deep.equal({
      key: 'eligibility.blocks.tenure_short',
      vars: { months: 7, from: '2025.03', grades: 'clerk_1' },
    });
  });
});
