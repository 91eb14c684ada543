import type { Request } from 'express';
import type { SeatsAtLevel } from '../../domain/career.js';
import { HORIZONS, targetKind, yearsAndMonths } from '../../domain/career.js';
import {
  type AssessmentResult,
  assessmentEffect,
  type EligibilityCheck,
  type EligibilityFinding,
  type EligibilityResult,
  eligibilityMessage,
} from '../../domain/eligibility/index.js';
import { paths } from '../../paths.js';
import type { CareerService } from '../../services/careers/careerService.js';
import type { RulesService } from '../../services/careers/rulesService.js';
import { breadcrumbs } from '../directory/viewModels.js';
import type { Formatter } from '../format.js';

type Data<K extends keyof CareerService> = Awaited<ReturnType<CareerService[K]>>;
type Names = Data<'careerPath'>['names'];

// ----- messages ---------------------------------------------------------------------------------------------

/** Renders the engine's findings and checks in the request's language, with grade and sanction names. */
export function messenger(req: Request, names: Names) {
  const zh = req.locale === 'zh-CN';
  const grades = new Map(names.grades.map((g) => [g.code, zh ? g.nameZh : g.nameEn]));
  const kinds = new Map(names.sanctionKinds.map((k) => [k.code, zh ? k.nameZh : k.nameEn]));
  const options = {
    locale: req.locale,
    gradeName: (code: string) => grades.get(code) ?? code,
    sanctionName: (code: string) => kinds.get(code) ?? code,
  };
  return {
    text: (item: EligibilityFinding | EligibilityCheck): string => {
      const m = eligibilityMessage(item, options);
      return String(req.t(m.key, m.vars));
    },
    grade: options.gradeName,
  };
}

/** A month (`2025.03`) when the date is the first of a month, as tenure dates are; else the day. */
export function whenText(iso: string, f: Formatter): string {
  return iso.endsWith('-01') ? f.month(iso) : f.date(iso);
}

/** `2 年 8 个月` / `2 years 8 months`. */
export function durationText(months: number, req: Request): string {
  const { years, months: rest } = yearsAndMonths(months);
  const parts: string[] = [];
  if (years > 0) parts.push(String(req.t(`career.duration.${years === 1 ? 'year' : 'years'}`, { n: years })));
  if (rest > 0) parts.push(String(req.t(`career.duration.${rest === 1 ? 'month' : 'months'}`, { n: rest })));
  return parts.length ? parts.join(' ') : String(req.t('career.duration.none'));
}

/** Blocks that leave no date to give (why "无法预计"). */
function undatable(f: EligibilityFinding): boolean {
  switch (f.code) {
    case 'investigation':
      return f.until === null;
    case 'family_emigrated':
    case 'tenure_unreachable':
    case 'party_membership':
      return true;
    case 'education_required':
      return f.from === null;
    default:
      return false;
  }
}

/** The eligibility verdict as words: status, and the date (or why there is none). */
export function verdictText(
  result: Pick<EligibilityResult, 'eligible' | 'eligibleFrom' | 'blocks'>,
  f: Formatter,
  req: Request,
  message: (x: EligibilityFinding) => string,
) {
  if (result.eligible) {
    return {
      status: String(req.t('career.next.eligible')),
      css: 'tag tag--vacant',
      when: String(req.t('career.next.eligibleSince', { date: whenText(result.eligibleFrom ?? '', f) })),
    };
  }
  if (result.eligibleFrom !== null) {
    return {
      status: String(req.t('career.next.notEligible')),
      css: 'tag tag--warn',
      when: String(req.t('career.next.eligibleFrom', { date: whenText(result.eligibleFrom, f) })),
    };
  }
  const reasons = result.blocks.filter(undatable);
  return {
    status: String(req.t('career.next.notEligible')),
    css: 'tag tag--over',
    when: String(
      req.t('career.next.unknownBecause', {
        reasons: (reasons.length ? reasons : result.blocks)
          .map(message)
          .join(req.locale === 'zh-CN' ? '；' : '; '),
      }),
    ),
  };
}

/** What is vacant at the target's level, as sentences. */
export function seatLines(
  seats: SeatsAtLevel | null,
  f: Formatter,
  req: Request,
  rank: string | null,
): string[] {
  const list = (items: string[]) => items.join(req.locale === 'zh-CN' ? '、' : ', ');
  if (seats === null) return [f.t('career.seats.noTownship')];
  switch (seats.kind) {
    case 'not_tied':
      return [f.t('career.seats.notTied')];
    case 'no_bands':
      return [f.t('career.seats.noBands')];
    case 'band':
      return seats.posts.length
        ? [f.t('career.seats.band', { posts: list(seats.posts.map((p) => `${p.unitName ?? ''}${p.name}`)) })]
        : [f.t('career.seats.noBand')];
    case 'leadership': {
      const rankText = f.label('unitRanks', rank);
      const lines: string[] = [];
      if (seats.slots.length)
        lines.push(
          f.t('career.seats.slots', {
            rank: rankText,
            slots: list(
              seats.slots.map((s) =>
                f.t('career.seats.slot', { name: f.name(s.nameZh, s.nameEn), n: s.vacant }),
              ),
            ),
          }),
        );
      if (seats.posts.length)
        lines.push(
          f.t('career.seats.unitHeads', {
            rank: rankText,
            posts: list(seats.posts.map((p) => `${p.unitName ?? ''}${p.name}`)),
          }),
        );
      if (lines.length === 0) lines.push(f.t('career.seats.noLeadership', { rank: rankText }));
      else if (seats.slots.length && seats.totalFull) lines.push(f.t('career.seats.totalFull'));
      return lines;
    }
  }
}

const hasVacancy = (seats: SeatsAtLevel | null) =>
  seats !== null &&
  ((seats.kind === 'leadership' && (seats.slots.length > 0 || seats.posts.length > 0)) ||
    (seats.kind === 'band' && seats.posts.length > 0));

const leadershipRankOf = (level: string | null) =>
  level === 'deputy_section' || level === 'section_chief' ? level : null;

// ----- the career page --------------------------------------------------------------------------------------

export function careerView(d: Data<'careerPath'>, f: Formatter, req: Request, options: { own: boolean }) {
  const m = messenger(req, d.names);
  const p = d.person;
  const inForce = (r: { validFrom: string; validTo: string | null }) =>
    r.validFrom <= d.asOf && (r.validTo === null || r.validTo > d.asOf);
  const ladderName = (ladder: string) => f.label('ladders', ladder);
  const gradeText = (g: { nameZh: string; nameEn: string; legacyTitle: string | null }) =>
    `${f.name(g.nameZh, g.nameEn)}${g.legacyTitle ? f.t('career.legacy', { title: g.legacyTitle }) : ''}`;

  const timeline = [
    ...d.assignments.map((a) => ({
      from: a.validFrom,
      order: 0,
      period: f.period(a.validFrom, a.validTo),
      kind: f.t('career.timeline.post'),
      what: `${a.townshipName}${a.unitName ?? ''}${a.postName}${a.kind === 'primary' ? '' : `（${f.label('assignmentKinds', a.kind)}）`}`,
      docNo: a.docNo ?? '',
      current: inForce(a),
      future: a.validFrom > d.asOf,
    })),
    ...d.grades.map((g) => ({
      from: g.validFrom,
      order: 1,
      period: f.period(g.validFrom, g.validTo),
      kind: ladderName(g.ladder),
      what: gradeText(g),
      docNo: g.docNo ?? '',
      current: inForce(g),
      future: g.validFrom > d.asOf,
    })),
  ].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.order - b.order));

  const effectCss: Record<string, string> = {
    counts: '',
    counts_excellent: 'tag tag--vacant',
    not_counted: 'tag tag--warn',
    restarts: 'tag tag--over',
  };
  const assessments = [...d.assessments]
    .sort((a, b) => a.year - b.year)
    .map((a) => {
      const effect = assessmentEffect(a.result as AssessmentResult);
      return {
        year: a.year,
        result: f.label('assessmentResults', a.result),
        effect: f.t(`career.assessments.effects.${effect}`),
        css: effectCss[effect] ?? '',
        docNo: a.docNo ?? '',
      };
    });

  const gradeNames = new Map(d.names.grades.map((g) => [g.code, g]));
  const tenure = d.tenure.map((t) => {
    const g = gradeNames.get(t.gradeCode);
    return f.t('career.tenureLine', {
      grade: g ? f.name(g.nameZh, g.nameEn) : t.gradeCode,
      duration: durationText(t.months, req),
      since: f.month(t.since),
    });
  });

  const targets = d.answers.map(({ result, target, seats }) => {
    const verdict = verdictText(result, f, req, m.text);
    return {
      id: `target-${target.code}`,
      name: m.grade(target.code),
      kind: f.t(`career.next.kinds.${targetKind(target.ladder)}`),
      eligible: result.eligible,
      ...verdict,
      checks: result.checks.map((c) => ({
        met: c.met,
        text: m.text(c),
        state: f.t(c.met ? 'career.next.met' : 'career.next.missing'),
        css: c.met ? 'check--met' : 'check--missing',
      })),
      blocks: result.blocks.map(m.text),
      warnings: result.warnings.map(m.text),
      seats: seatLines(seats, f, req, leadershipRankOf(target.levelEquivalent)),
      vacancy: hasVacancy(seats),
    };
  });

  const lookAhead = d.asOf !== d.today;
  return {
    id: p.id,
    name: p.name,
    heading: options.own ? f.t('career.titleOwn') : f.t('career.title', { name: p.name }),
    asOfLine: lookAhead
      ? f.t('career.asOfLookAhead', { date: whenText(d.asOf, f) })
      : f.t('career.asOfToday', { date: f.date(d.asOf) }),
    lookAhead,
    recordHref: paths.person(p.id),
    township: d.township?.name ?? '—',
    currentPosts: d.assignments
      .filter(inForce)
      .map(
        (a) =>
          `${a.unitName ?? ''}${a.postName}${a.kind === 'primary' ? '' : `（${f.label('assignmentKinds', a.kind)}）`}`,
      ),
    tenure,
    timeline,
    assessments,
    targets,
  };
}

// ----- the township list ------------------------------------------------------------------------------------

export function townshipListView(
  d: Data<'townshipEligibility'>,
  f: Formatter,
  req: Request,
  linked: (id: number) => boolean,
  /** The asOf query parameter as given ('' = today): kept on the links to each career page. */
  asOfParam = '',
) {
  const m = messenger(req, d.names);
  const sep = req.locale === 'zh-CN' ? '；' : '; ';
  const groups = d.groups.map((g) => ({
    id: `target-${g.target.code}`,
    code: g.target.code,
    name: m.grade(g.target.code),
    kind: f.t(`career.next.kinds.${targetKind(g.target.ladder)}`),
    seats: seatLines(g.seats, f, req, leadershipRankOf(g.target.levelEquivalent)),
    horizons: HORIZONS.map((h) => ({
      key: h,
      id: `target-${g.target.code}-${h}`,
      label: f.t(`eligibilityList.horizons.${h}`),
      showReason: h !== 'now',
      count: f.t('eligibilityList.count', { n: g.horizons[h].length }),
      rows: g.horizons[h].map((e) => ({
        name: e.name,
        href: paths.careers.person(e.personId, asOfParam),
        post: `${e.unitName ?? ''}${e.postName ?? ''}` || '—',
        from:
          e.result.eligibleFrom === null
            ? f.t('eligibilityList.unknown')
            : f.t('eligibilityList.since', { date: whenText(e.result.eligibleFrom, f) }),
        reason: e.result.eligible ? '' : e.result.blocks.slice(0, 2).map(m.text).join(sep),
      })),
    })),
  }));
  return {
    name: d.township.name,
    crumbs: breadcrumbs(d.path.map((r) => ({ ...r, linked: linked(r.id) }))),
    asOf: f.date(d.asOf),
    targets: d.targets.map((t) => ({ code: t.code, name: m.grade(t.code), selected: t.code === d.target })),
    groups,
  };
}

// ----- the rules (admin) -------------------------------------------------------------------------------------

export function rulesView(d: Awaited<ReturnType<RulesService['overview']>>, f: Formatter, req: Request) {
  const zh = req.locale === 'zh-CN';
  const grade = new Map(d.names.grades.map((g) => [g.code, f.name(g.nameZh, g.nameEn)]));
  const kind = new Map(d.names.sanctionKinds.map((k) => [k.code, f.name(k.nameZh, k.nameEn)]));
  const stateTag = (state: string) => ({
    text: f.t(`rulesAdmin.states.${state}`),
    css: state === 'current' ? 'tag tag--vacant' : state === 'future' ? 'tag tag--info' : 'tag tag--full',
  });
  const list = (items: string[]) => items.join(zh ? '、' : ', ');
  return {
    asOf: f.t('rulesAdmin.asOf', { date: f.date(d.asOf) }),
    rules: d.rules.map((r) => ({
      scope: r.countyName ?? f.t('rulesAdmin.promotion.national'),
      target: grade.get(r.target) ?? r.target,
      minMonths: f.t('rulesAdmin.promotion.months', { n: r.minMonths }),
      counted: list(r.countedGrades.map((c) => grade.get(c) ?? c)),
      education: r.minEducation
        ? `${f.label('educationLevels', r.minEducation)}（${f.t(r.educationBlocks ? 'rulesAdmin.promotion.educationBlocks' : 'rulesAdmin.promotion.educationWarns')}）`
        : f.t('rulesAdmin.promotion.noEducation'),
      party: r.partyMemberRequired ? f.t('rulesAdmin.promotion.partyRequired') : '—',
      effectiveFrom: f.date(r.effectiveFrom),
      source: r.source || '—',
      state: stateTag(r.state),
      replaced: r.state === 'replaced',
      newHref:
        r.state === 'current'
          ? paths.careers.newPromotionRule(
              new URLSearchParams({
                target: r.target,
                ...(r.countyId ? { county: String(r.countyId) } : {}),
              }).toString(),
            )
          : null,
      newLabel: `${f.t('rulesAdmin.promotion.recordFrom')}：${r.countyName ?? f.t('rulesAdmin.promotion.national')} ${grade.get(r.target) ?? r.target}`,
    })),
    kinds: d.names.sanctionKinds.map((k) => ({
      name: f.name(k.nameZh, k.nameEn),
      months:
        k.impactMonths === null
          ? f.t('rulesAdmin.periods.untilClosed')
          : f.t('rulesAdmin.periods.monthsValue', { n: k.impactMonths }),
    })),
    periods: d.periods.map((p) => ({
      county: p.countyName,
      kind: kind.get(p.kindCode) ?? p.kindCode,
      months: f.t('rulesAdmin.periods.monthsValue', { n: p.impactMonths }),
      effectiveFrom: f.date(p.effectiveFrom),
      source: p.source || '—',
      state: stateTag(p.state),
      replaced: p.state === 'replaced',
    })),
    newRuleHref: paths.careers.newPromotionRule(),
    newPeriodHref: paths.careers.newSanctionPeriod(),
  };
}
