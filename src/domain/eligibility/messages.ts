import { formatDate, formatMonth, type Locale } from '../dates.js';
import type { EligibilityCheck, EligibilityFinding } from './types.js';

/**
 * Turns a block, warning or check into a message key of locales/<locale>/eligibility.json and its
 * interpolation values, ready for `t(key, vars)`. Dates come formatted for the locale (`2025.03` /
 * `2025-03`); grade and sanction-kind names come from the caller (they are reference data with their own
 * Chinese and English names), the code itself when no name is given. Assessment results, education levels
 * and political status are codes the messages translate themselves (`$t(assessmentResults.{{result}})`).
 */
export interface EligibilityMessage {
  key: string;
  vars: Record<string, string | number>;
}

export interface MessageOptions {
  locale: Locale;
  gradeName?: (code: string) => string;
  sanctionName?: (code: string) => string;
}

const PREFIX = 'eligibility';

/** "A、B或C" / "A, B or C": time in any of them counts. */
function anyOf(names: readonly string[], locale: Locale): string {
  if (names.length <= 1) return names[0] ?? '';
  const head = names.slice(0, -1);
  const last = names.at(-1)!;
  return locale === 'zh-CN' ? `${head.join('、')}或${last}` : `${head.join(', ')} or ${last}`;
}

export function eligibilityMessage(
  item: EligibilityFinding | EligibilityCheck,
  options: MessageOptions,
): EligibilityMessage {
  const { locale } = options;
  const grade = (code: string) => options.gradeName?.(code) ?? code;
  const grades = (codes: readonly string[]) => anyOf(codes.map(grade), locale);
  const sanction = (code: string) => options.sanctionName?.(code) ?? code;
  const month = (iso: string) => formatMonth(iso, locale);
  const date = (iso: string) => formatDate(iso, locale);
  return 'rule' in item
    ? checkMessage(item, { grades, month, date, grade })
    : findingMessage(item, { grades, month, date, grade, sanction });
}

interface Formatters {
  grades: (codes: readonly string[]) => string;
  grade: (code: string) => string;
  month: (iso: string) => string;
  date: (iso: string) => string;
  sanction?: (code: string) => string;
}

function findingMessage(f: EligibilityFinding, fmt: Formatters & { sanction: (c: string) => string }) {
  const block = (name: string, vars: EligibilityMessage['vars'] = {}) => ({
    key: `${PREFIX}.blocks.${name}`,
    vars,
  });
  const warning = (name: string, vars: EligibilityMessage['vars'] = {}) => ({
    key: `${PREFIX}.warnings.${name}`,
    vars,
  });
  switch (f.code) {
    case 'tenure_short':
      return block('tenure_short', {
        months: f.months,
        from: fmt.month(f.from),
        grades: fmt.grades(f.grades),
      });
    case 'tenure_unreachable':
      return block('tenure_unreachable', { months: f.months, grades: fmt.grades(f.grades) });
    case 'sanction':
      return block('sanction', {
        kind: fmt.sanction(f.kind),
        decidedOn: fmt.date(f.decidedOn),
        until: fmt.date(f.until),
      });
    case 'investigation':
      return f.until === null
        ? block('investigation', { kind: fmt.sanction(f.kind), decidedOn: fmt.date(f.decidedOn) })
        : block('investigation_until', {
            kind: fmt.sanction(f.kind),
            decidedOn: fmt.date(f.decidedOn),
            until: fmt.date(f.until),
          });
    case 'probation':
      return block('probation', { grade: fmt.grade(f.grade), until: fmt.date(f.until) });
    case 'recent_promotion':
      return block('recent_promotion', {
        grade: fmt.grade(f.grade),
        promotedOn: fmt.month(f.promotedOn),
        until: fmt.month(f.until),
      });
    case 'previous_assessment':
      return block('previous_assessment', { year: f.year, result: f.result, until: fmt.date(f.until) });
    case 'family_emigrated':
      return block(f.relation === 'spouse' ? 'family_emigrated_spouse' : 'family_emigrated_children');
    case 'education_required':
      if (f.actual === null) return block('education_required_none', { required: f.required });
      return f.from === null
        ? block('education_required', { required: f.required, actual: f.actual })
        : block('education_required_from', {
            required: f.required,
            actual: f.actual,
            from: fmt.month(f.from),
          });
    case 'party_membership':
      return block('party_membership', { status: f.status });
    case 'education_recommended':
      return f.actual === null
        ? warning('education_recommended_none', { required: f.required })
        : warning('education_recommended', { required: f.required, actual: f.actual });
    case 'year_not_counted':
      return warning('year_not_counted', { year: f.year, result: f.result });
    case 'tenure_restarted':
      return warning('tenure_restarted', { year: f.year, result: f.result, from: fmt.month(f.from) });
    case 'assessment_missing':
      return warning('assessment_missing', { year: f.year });
  }
}

function checkMessage(c: EligibilityCheck, fmt: Formatters): EligibilityMessage {
  const key = (name: string) => `${PREFIX}.checks.${c.rule}.${name}`;
  switch (c.rule) {
    case 'tenure': {
      const vars = {
        grades: fmt.grades(c.required.grades),
        required: c.required.months,
        months: c.actual.months,
        excellentMonths: c.actual.excellentMonths,
      };
      const state = c.met ? 'met' : 'unmet';
      return { key: key(c.actual.excellentMonths > 0 ? `${state}_excellent` : state), vars };
    }
    case 'education':
      if (c.actual.level === null)
        return {
          key: key(c.required.blocking ? 'unmet_none' : 'recommended_none'),
          vars: { required: c.required.level },
        };
      return {
        key: key(c.met ? 'met' : c.required.blocking ? 'unmet' : 'recommended'),
        vars: { required: c.required.level, actual: c.actual.level },
      };
    case 'party_membership':
      return { key: key(c.met ? 'met' : 'unmet'), vars: { status: c.actual.status } };
    case 'no_sanction':
      return c.met || c.actual.until === null
        ? { key: key('met'), vars: {} }
        : { key: key('unmet'), vars: { active: c.actual.active, until: fmt.date(c.actual.until) } };
    case 'no_investigation':
      return { key: key(c.met ? 'met' : 'unmet'), vars: { open: c.actual.open } };
    case 'no_probation':
      return c.met || c.actual.until === null
        ? { key: key('met'), vars: {} }
        : { key: key('unmet'), vars: { until: fmt.date(c.actual.until) } };
    case 'promotion_interval':
      if (c.actual.lastPromotion === null || c.actual.grade === null)
        return { key: key('met_none'), vars: { required: c.required.months } };
      return {
        key: key(c.met ? 'met' : 'unmet'),
        vars: {
          required: c.required.months,
          grade: fmt.grade(c.actual.grade),
          lastPromotion: fmt.month(c.actual.lastPromotion),
          months: c.actual.months ?? 0,
        },
      };
    case 'previous_assessment':
      if (c.actual.result === null) return { key: key('met_none'), vars: { year: c.required.year } };
      return { key: key(c.met ? 'met' : 'unmet'), vars: { year: c.required.year, result: c.actual.result } };
    case 'family_not_emigrated':
      return { key: key(c.met ? 'met' : 'unmet'), vars: {} };
  }
}
