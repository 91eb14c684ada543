import { HORIZONS } from '../../domain/career.js';
import { stateTag } from '../../domain/promotionCase.js';
import type { AssessedUsage, EstablishmentType } from '../../domain/quota.js';
import { paths } from '../../paths.js';
import type {
  ChangesReport,
  CrossTypeReport,
  Distribution,
  EligibilityReport,
  EstablishmentReport,
  LeadershipReport,
  PromotionCalendarReport,
  Region,
  ReportScope,
  SecondmentReport,
  WorkforceReport,
} from '../../services/reports/reportService.js';
import { CATEGORIES, DIMENSIONS, type Dimension, share } from '../../services/reports/structure.js';
import { usageCells } from '../directory/viewModels.js';
import { barChart } from '../establishment/charts.js';
import { establishmentView } from '../establishment/viewModels.js';
import type { Formatter } from '../format.js';
import { REPORTS, type ReportKey, type ReportSlug } from './catalogue.js';
import { shareChart } from './charts.js';
import { type FilterValues, filterQuery } from './filters.js';

/** What every report view needs besides its data: the formatter, the filters as given, scope links. */
export interface ViewContext {
  f: Formatter;
  values: FilterValues;
  linked: (id: number) => boolean;
}

// ----- shared pieces ---------------------------------------------------------------------------------------

/** The place a report covers: 示范县 · 全部乡镇（街道）, 城关镇, or every county in scope. */
export function placeLabel(scope: ReportScope, f: Formatter): string {
  if (scope.township) return `${scope.county?.name ?? ''} ${scope.township.name}`.trim();
  if (scope.county) return `${scope.county.name} ${f.t('reports.filters.allTownships')}`;
  if (scope.counties.length === 1)
    return `${scope.counties[0]?.name ?? ''} ${f.t('reports.filters.allTownships')}`;
  return f.t('reports.filters.allCounties');
}

/** The filters in words, for headings, Excel titles and the print view: 示范县 全部乡镇（街道），2026.11.15. */
export function coverage(
  scope: ReportScope,
  f: Formatter,
  dates: { asOf: string } | { from: string; to: string },
) {
  const when =
    'asOf' in dates
      ? f.t('reports.filters.onDate', { date: f.date(dates.asOf) })
      : f.t('reports.filters.period', { from: f.date(dates.from), to: f.date(dates.to) });
  return f.t('reports.filters.coverage', { place: placeLabel(scope, f), date: when });
}

/** The filter form: counties and townships in scope (shown when there is a choice), the date or dates. */
export function filterForm(scope: ReportScope, values: FilterValues, period: boolean) {
  const multiCounty = scope.counties.length > 1;
  return {
    period,
    counties: multiCounty
      ? scope.counties.map((c) => ({ id: c.id, name: c.name, selected: scope.county?.id === c.id }))
      : null,
    townshipGroups:
      scope.townships.length > 1
        ? scope.counties.map((c) => ({
            label: c.name,
            townships: scope.townships
              .filter((t) => t.parentId === c.id)
              .map((t) => ({ id: t.id, name: t.name, selected: scope.township?.id === t.id })),
          }))
        : null,
    values,
  };
}

/** A township's name, with its county's when the report spans several counties. */
export function townshipName(t: Region, scope: ReportScope): string {
  const counties = new Set(scope.selected.map((x) => x.parentId));
  if (counties.size <= 1) return t.name;
  return `${scope.counties.find((c) => c.id === t.parentId)?.name ?? ''} ${t.name}`;
}

/** The same report for one township (the drill-down), keeping the dates. */
function drillHref(slug: ReportSlug, townshipId: number, values: FilterValues): string {
  return paths.reports.page(
    slug,
    filterQuery({ asOf: values.asOf, from: values.from, to: values.to }, { township: String(townshipId) }),
  );
}

const withAsOf = (href: string, asOf: string) => (asOf ? `${href}?asOf=${asOf}` : href);

const signed = (n: number, f: Formatter) => (n > 0 ? `+${f.number(n)}` : n < 0 ? `−${f.number(-n)}` : '0');

const pct = (count: number, total: number) => `${share(count, total).toFixed(1)}%`;

// ----- the index -------------------------------------------------------------------------------------------

export function indexView(f: Formatter) {
  return {
    reports: [
      ...REPORTS.map((r) => ({
        name: f.t(`reports.catalogue.${r.key}.name`),
        description: f.t(`reports.catalogue.${r.key}.description`),
        href: paths.reports.page(r.slug),
        disabled: false,
        note: '',
      })),
      {
        name: f.t('reports.catalogue.ledger.name'),
        description: f.t('reports.catalogue.ledger.description'),
        href: paths.movementLedger(),
        disabled: false,
        note: '',
      },
    ],
  };
}

export function reportName(key: ReportKey, f: Formatter): string {
  return f.t(`reports.catalogue.${key}.name`);
}

// ----- 1. 编制使用情况 --------------------------------------------------------------------------------------

export function establishmentReportView(d: EstablishmentReport, c: ViewContext) {
  const { f } = c;
  const typeRows = (rows: Array<AssessedUsage & { establishmentType: EstablishmentType }>) =>
    rows.map((u) => ({ type: f.label('establishmentTypes', u.establishmentType), ...usageCells(u, f) }));
  return {
    townships: d.townships.map((t) => ({
      name: townshipName(t.township, d.scope),
      drillHref: d.scope.township ? null : drillHref('establishment', t.township.id, c.values),
      pageHref: withAsOf(paths.establishment(t.township.id), c.values.asOf),
      types: typeRows(t.byType),
      span: t.byType.length + 1,
      total: usageCells(t.total, f),
    })),
    departments: d.departments.map((x) => ({
      name: x.department.name,
      types: typeRows(x.byType),
      span: x.byType.length + 1,
      total: usageCells(x.total, f),
    })),
    byType: typeRows(d.byType),
    totalSpan: d.byType.length + 1,
    total: usageCells(d.total, f),
    chart: barChart({
      title: f.t('reports.establishment.chart'),
      series: [
        { key: 'approved', label: f.t('usage.approved'), css: 'bar--approved' },
        { key: 'occupied', label: f.t('usage.occupied'), css: 'bar--occupied' },
        { key: 'reserved', label: f.t('usage.reserved'), css: 'bar--reserved' },
      ],
      categories: d.townships.map((t) => ({
        label: t.township.name,
        values: [t.total.approved, t.total.occupied, t.total.reserved],
      })),
    }),
    drill: d.drill ? establishmentView(d.drill, f, c.linked) : null,
    drillPageHref: d.scope.township
      ? withAsOf(paths.establishment(d.scope.township.id), c.values.asOf)
      : null,
  };
}

// ----- 2. 领导职数配备 --------------------------------------------------------------------------------------

export function leadershipReportView(d: LeadershipReport, c: ViewContext) {
  const { f } = c;
  const status = (vacant: number, over: number) =>
    f.slotStatus(over > 0 ? 'over' : vacant > 0 ? 'vacant' : 'full');
  return {
    townships: d.townships.map((t) => ({
      name: townshipName(t.township, d.scope),
      drillHref: d.scope.township ? null : drillHref('leadership', t.township.id, c.values),
      pageHref: withAsOf(paths.leadership(t.township.id), c.values.asOf),
      total: t.total ?? '—',
      countedApproved: t.countedApproved,
      countedFilled: t.countedFilled,
      vacant: t.vacant ?? '—',
      over: t.over,
      status: status(t.vacant ?? 0, t.over),
      flagged: t.flagged.length,
      kinds: t.kinds.map((k) => ({
        kind: f.name(k.nameZh, k.nameEn),
        rank: f.label('unitRanks', k.rank),
        approved: k.approved,
        filled: k.filled,
        vacant: k.vacant,
        over: k.over,
        status: status(k.vacant, k.over),
        notes: [
          k.counted
            ? ''
            : k.concurrentOnly
              ? f.t('reports.leadership.concurrentOnly')
              : f.t('reports.leadership.notCounted'),
          k.temporary ? f.t('reports.leadership.temporary') : '',
          k.pastWriteOff && k.writeOffOn
            ? f.t('reports.leadership.pastWriteOff', { date: f.date(k.writeOffOn) })
            : '',
        ].filter(Boolean),
        holders: k.holders.map((h) => ({
          name: h.name,
          href: paths.person(h.personId),
          concurrent: h.assignmentKind !== 'primary',
        })),
      })),
    })),
    kinds: d.kinds.map((k) => ({
      kind: f.name(k.nameZh, k.nameEn),
      approved: k.approved,
      filled: k.filled,
      vacant: k.vacant,
      over: k.over,
      status: status(k.vacant, k.over),
    })),
    total: { ...d.total, status: status(d.total.vacant, d.total.over) },
    chart: barChart({
      title: f.t('reports.leadership.chart'),
      series: [
        { key: 'approved', label: f.t('reports.leadership.totalApproved'), css: 'bar--approved' },
        { key: 'filled', label: f.t('reports.leadership.countedFilled'), css: 'bar--occupied' },
      ],
      categories: d.townships.map((t) => ({
        label: t.township.name,
        values: [t.total ?? 0, t.countedFilled],
      })),
    }),
  };
}

// ----- 3. 同岗不同编 ----------------------------------------------------------------------------------------

/** How a cross-type placement was approved, in words (or that no approval is recorded). */
function approvalText(r: CrossTypeReport['rows'][number], f: Formatter): string {
  if (r.movement) {
    return f.t('reports.crossType.byMovement', {
      kind: f.t(`movementKinds.${r.movement.kind}`),
      docNo: r.movement.approvalDocNo ?? r.movement.docNo ?? f.t('reports.common.noDocNo'),
      date: f.date(r.movement.effectiveOn),
    });
  }
  if (r.crossTypePost)
    return f.t('reports.crossType.byPost', { docNo: r.postDocNo ?? f.t('reports.common.noDocNo') });
  return f.t('reports.crossType.notRecorded');
}

export function crossTypeReportView(d: CrossTypeReport, c: ViewContext) {
  const { f } = c;
  const names = new Map(d.scope.selected.map((t) => [t.id, townshipName(t, d.scope)]));
  return {
    townships: d.townships.map((t) => ({
      name: townshipName(t.township, d.scope),
      drillHref: d.scope.township ? null : drillHref('cross-type', t.township.id, c.values),
      count: t.count,
      recorded: t.recorded,
      unrecorded: t.unrecorded,
    })),
    total: d.total,
    rows: d.rows.map((r) => ({
      township: names.get(r.townshipId) ?? '',
      name: r.personName,
      href: paths.person(r.personId),
      post: [r.unitName, r.postName].filter(Boolean).join(' '),
      postHref: paths.post(r.postId),
      postTypes: r.postTypes.map((t) => f.label('establishmentTypes', t)).join('、'),
      personType: f.label('establishmentTypes', r.personType),
      assignmentKind: f.label('assignmentKinds', r.assignmentKind),
      since: f.date(r.since),
      approval: approvalText(r, f),
      movementHref: r.movement ? paths.movement(r.movement.id) : null,
      recorded: r.recorded,
    })),
    chart: d.townships.length
      ? barChart({
          title: f.t('reports.crossType.chart'),
          series: [
            { key: 'recorded', label: f.t('reports.crossType.recorded'), css: 'bar--occupied' },
            { key: 'unrecorded', label: f.t('reports.crossType.unrecorded'), css: 'bar--over' },
          ],
          categories: d.townships.map((t) => ({
            label: t.township.name,
            values: [t.recorded, t.unrecorded],
          })),
        })
      : null,
  };
}

// ----- 任前公示与试用期 -------------------------------------------------------------------------------------

export function promotionCalendarReportView(d: PromotionCalendarReport, c: ViewContext) {
  const { f } = c;
  const names = new Map(d.scope.townships.map((t) => [t.id, townshipName(t, d.scope)]));
  return {
    total: d.total,
    rows: d.rows.map((r) => ({
      name: r.personName,
      href: paths.person(r.personId),
      caseHref: paths.promotionCases.case(r.caseId),
      township: names.get(r.townshipId) ?? '',
      seat: r.seat,
      kind: f.t(`reports.promotionCalendar.kinds.${r.kind}`),
      state: { text: f.t(`promotionCases.states.${r.state}`), css: stateTag(r.state) },
      from: f.date(r.from),
      until: f.date(r.until),
      overdue: r.overdue,
      daysLeft: r.overdue
        ? f.t('reports.promotionCalendar.overdueDays', { n: -r.daysLeft })
        : f.t('reports.promotionCalendar.daysLeft', { n: r.daysLeft }),
      docNo: r.docNo ?? '',
    })),
  };
}

// ----- 4. 在编不在岗 ----------------------------------------------------------------------------------------

export function secondmentReportView(d: SecondmentReport, c: ViewContext) {
  const { f } = c;
  const names = new Map(d.scope.townships.map((t) => [t.id, townshipName(t, d.scope)]));
  return {
    total: d.total,
    rows: d.rows.map((r) => ({
      name: r.personName,
      href: paths.person(r.personId),
      home: r.homeHolderName ?? (r.homeTownshipId ? (names.get(r.homeTownshipId) ?? '') : ''),
      type: f.label('establishmentTypes', r.establishmentType),
      destination: [names.get(r.destinationTownshipId) ?? '', r.unitName, r.postName]
        .filter(Boolean)
        .join(' '),
      since: f.date(r.since),
      plannedUntil: f.date(r.plannedUntil),
      overdue: r.overdue,
      daysOverdue: r.overdue ? f.t('reports.secondments.days', { n: r.daysOverdue }) : '',
      state: r.overdue
        ? { text: f.t('reports.secondments.overdue'), css: 'tag tag--over' }
        : { text: f.t('reports.secondments.running'), css: 'tag tag--info' },
      docNo: r.movement?.approvalDocNo ?? r.movement?.docNo ?? '',
      movementHref: r.movement ? paths.movement(r.movement.id) : null,
    })),
  };
}

// ----- 5. 晋升资格储备 (the eligibility pipeline) ---------------------------------------------------------

export function eligibilityReportView(d: EligibilityReport, c: ViewContext) {
  const { f } = c;
  const gradeName = new Map(d.names.grades.map((g) => [g.code, f.name(g.nameZh, g.nameEn)]));
  const shown = ['now', 'within6', 'within12'] as const;
  const listHref = (townshipId: number, target: string, horizon: string) =>
    `${paths.careers.township(townshipId, filterQuery({ asOf: c.values.asOf }, { target }))}#target-${target}-${horizon}`;
  const targets = d.targets.map((t) => ({
    id: `target-${t.target.code}`,
    name: gradeName.get(t.target.code) ?? t.target.code,
    townships: t.townships.map((x) => ({
      name: townshipName(x.township, d.scope),
      assessed: x.counts.assessed,
      cells: shown.map((h) => ({
        count: x.counts[h],
        href: x.counts[h] > 0 ? listHref(x.township.id, t.target.code, h) : null,
      })),
    })),
    total: { assessed: t.total.assessed, cells: shown.map((h) => t.total[h]) },
  }));
  return {
    horizons: shown.map((h) => f.t(`eligibilityList.horizons.${h}`)),
    allHorizons: HORIZONS,
    targets,
    chart: d.targets.length
      ? barChart({
          title: f.t('reports.eligibility.chart'),
          series: shown.map((h, i) => ({
            key: h,
            label: f.t(`reports.eligibility.short.${h}`),
            css: `bar--s${i}`,
          })),
          categories: targets.map((t) => ({ label: t.name, values: t.total.cells })),
        })
      : null,
  };
}

// ----- 6. 干部队伍结构 --------------------------------------------------------------------------------------

export function workforceReportView(d: WorkforceReport, c: ViewContext) {
  const { f } = c;
  const cells = (dist: Distribution) =>
    dist.counts.map((n) => ({ count: f.number(n), share: pct(n, dist.total) }));
  const dimension = (dim: Dimension) => {
    const labels = CATEGORIES[dim].map((code) => f.t(`reports.workforce.categories.${dim}.${code}`));
    return {
      id: `dimension-${dim}`,
      name: f.t(`reports.workforce.dimensions.${dim}`),
      categories: labels,
      columns: labels.length + 2,
      total: { total: f.number(d.total[dim].total), cells: cells(d.total[dim]) },
      byType: d.byType.map((x) => ({
        name: x.type ? f.label('establishmentTypes', x.type) : f.t('reports.workforce.withoutSlot'),
        total: f.number(x.structure[dim].total),
        cells: cells(x.structure[dim]),
      })),
      byTownship: d.byTownship.map((x) => ({
        name: townshipName(x.township, d.scope),
        drillHref: d.scope.township ? null : drillHref('workforce', x.township.id, c.values),
        total: f.number(x.structure[dim].total),
        cells: cells(x.structure[dim]),
      })),
      chart: shareChart({
        title: f.t('reports.workforce.chart', { dimension: f.t(`reports.workforce.dimensions.${dim}`) }),
        series: labels,
        categories: [
          { label: f.t('directory.total'), values: d.total[dim].counts },
          ...d.byTownship.map((x) => ({ label: x.township.name, values: x.structure[dim].counts })),
        ],
      }),
    };
  };
  return {
    headcount: f.number(d.total.age.total),
    dimensions: DIMENSIONS.map(dimension),
  };
}

// ----- 8. changes over a period ----------------------------------------------------------------------------

export function changesReportView(d: ChangesReport, c: ViewContext) {
  const { f } = c;
  type Line = ChangesReport['byType'][number];
  type Summary = ChangesReport['total'];
  // The page compares four measures (reserved places are in the Excel file and the API).
  const measures = ['approved', 'occupied', 'vacant', 'over'] as const;
  const cells = (x: Line | Summary) =>
    measures.map((k) => ({
      from: f.number(x.from[k]),
      to: f.number(x.to[k]),
      diff: signed(x.diff[k], f),
      changed: x.diff[k] !== 0,
    }));
  const people = (x: Line | Summary) => ({
    from: f.number(x.people.from),
    to: f.number(x.people.to),
    diff: signed(x.people.diff, f),
    changed: x.people.diff !== 0,
  });
  const line = (x: Line) => ({
    type: f.label('establishmentTypes', x.establishmentType),
    cells: cells(x),
    people: people(x),
  });
  return {
    from: f.date(d.from),
    to: f.date(d.to),
    measures: measures.map((k) => f.t(`usage.${k}`)),
    townships: d.townships.map((t) => ({
      name: townshipName(t.township, d.scope),
      drillHref: d.scope.township ? null : drillHref('changes', t.township.id, c.values),
      lines: t.lines.map(line),
      span: t.lines.length + 1,
      total: { cells: cells(t.total), people: people(t.total) },
    })),
    byType: d.byType.map(line),
    totalSpan: d.byType.length + 1,
    total: { cells: cells(d.total), people: people(d.total) },
    withoutSlot:
      d.withoutSlot.from || d.withoutSlot.to
        ? f.t('reports.changes.withoutSlot', { from: d.withoutSlot.from, to: d.withoutSlot.to })
        : '',
    chart: barChart({
      title: f.t('reports.changes.chart', { from: f.date(d.from), to: f.date(d.to) }),
      series: [
        { key: 'from', label: f.t('reports.changes.occupiedFrom'), css: 'bar--approved' },
        { key: 'to', label: f.t('reports.changes.occupiedTo'), css: 'bar--occupied' },
      ],
      categories: d.townships.map((t) => ({
        label: t.township.name,
        values: [t.total.from.occupied, t.total.to.occupied],
      })),
    }),
  };
}
