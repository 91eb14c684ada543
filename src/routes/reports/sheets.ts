import type { AssessedUsage } from '../../domain/quota.js';
import type { XlsxColumn, XlsxSheet } from '../../services/export/xlsx.js';
import type {
  ChangesReport,
  CrossTypeReport,
  EligibilityReport,
  EstablishmentReport,
  LeadershipReport,
  PromotionCalendarReport,
  SecondmentReport,
  WorkforceReport,
} from '../../services/reports/reportService.js';
import { CATEGORIES, DIMENSIONS, share } from '../../services/reports/structure.js';
import type { Formatter } from '../format.js';
import { townshipName } from './viewModels.js';

/**
 * Each report as Excel sheets: the same rows as the page, numbers as numbers, the report's name and its
 * filters (place and date) in each sheet's title row.
 */

type Row = Record<string, string | number | null>;

const usageColumns = (f: Formatter): XlsxColumn[] => [
  { header: f.t('usage.approved'), key: 'approved', numeric: true },
  { header: f.t('usage.occupied'), key: 'occupied', numeric: true },
  { header: f.t('usage.reserved'), key: 'reserved', numeric: true },
  { header: f.t('usage.vacant'), key: 'vacant', numeric: true },
  { header: f.t('usage.over'), key: 'over', numeric: true },
  { header: f.t('usage.status'), key: 'status', width: 10 },
];

const usageRow = (u: AssessedUsage, f: Formatter): Row => ({
  approved: u.approved,
  occupied: u.occupied,
  reserved: u.reserved,
  vacant: u.vacant,
  over: u.over,
  status: f.t(`usageStatus.${u.status}`),
});

export function establishmentSheets(d: EstablishmentReport, f: Formatter, title: string): XlsxSheet[] {
  const place = f.t('reports.common.township');
  const rows: Row[] = [];
  for (const t of d.townships) {
    const name = townshipName(t.township, d.scope);
    for (const u of t.byType)
      rows.push({ place: name, type: f.label('establishmentTypes', u.establishmentType), ...usageRow(u, f) });
    rows.push({ place: name, type: f.t('reports.common.subtotal'), ...usageRow(t.total, f) });
  }
  for (const u of d.byType)
    rows.push({
      place: f.t('directory.total'),
      type: f.label('establishmentTypes', u.establishmentType),
      ...usageRow(u, f),
    });
  rows.push({ place: f.t('directory.total'), type: f.t('reports.common.subtotal'), ...usageRow(d.total, f) });
  for (const x of d.departments)
    for (const u of x.byType)
      rows.push({
        place: `${x.department.name}（${f.t('reports.establishment.departmentTag')}）`,
        type: f.label('establishmentTypes', u.establishmentType),
        ...usageRow(u, f),
      });
  const sheets: XlsxSheet[] = [
    {
      name: f.t('reports.catalogue.establishment.name'),
      title,
      columns: [
        { header: place, key: 'place', width: 24 },
        { header: f.t('usage.type'), key: 'type', width: 16 },
        ...usageColumns(f),
      ],
      rows,
    },
  ];
  if (d.drill) {
    const units = [d.drill.leadershipTeam, ...d.drill.units, ...d.drill.dispatched];
    sheets.push({
      name: f.t('reports.establishment.sheetUnits'),
      title: `${title} ${f.t('reports.establishment.units')}`,
      columns: [
        { header: f.t('unit.name'), key: 'name', width: 30 },
        { header: f.t('establishment.posts'), key: 'posts', numeric: true },
        { header: f.t('establishment.filled'), key: 'filled', numeric: true },
        { header: f.t('establishment.vacantPosts'), key: 'vacant', numeric: true },
        { header: f.t('establishment.names'), key: 'names', width: 60 },
      ],
      rows: units.map((u) => ({
        name: u.unit?.name ?? f.t('post.leadershipTeam'),
        posts: u.posts,
        filled: u.filled,
        vacant: u.vacantPosts,
        names: u.holders
          .map((h) => `${h.name}${h.crossType ? `（${f.t('post.crossTypeHolder')}）` : ''}`)
          .join('、'),
      })),
    });
  }
  return sheets;
}

export function leadershipSheets(d: LeadershipReport, f: Formatter, title: string): XlsxSheet[] {
  return [
    {
      name: f.t('reports.catalogue.leadership.name'),
      title,
      columns: [
        { header: f.t('reports.common.township'), key: 'place', width: 24 },
        { header: f.t('reports.leadership.totalApproved'), key: 'total', numeric: true },
        { header: f.t('reports.leadership.countedFilled'), key: 'filled', numeric: true },
        { header: f.t('leadership.vacant'), key: 'vacant', numeric: true },
        { header: f.t('leadership.over'), key: 'over', numeric: true },
        { header: f.t('reports.leadership.flagged'), key: 'flagged', numeric: true },
      ],
      rows: [
        ...d.townships.map((t) => ({
          place: townshipName(t.township, d.scope),
          total: t.total,
          filled: t.countedFilled,
          vacant: t.vacant,
          over: t.over,
          flagged: t.flagged.length,
        })),
        {
          place: f.t('directory.total'),
          total: d.total.total,
          filled: d.total.countedFilled,
          vacant: d.total.vacant,
          over: d.total.over,
          flagged: d.total.flagged,
        },
      ],
    },
    {
      name: f.t('reports.leadership.sheetKinds'),
      title: `${title} ${f.t('reports.leadership.byKind')}`,
      columns: [
        { header: f.t('reports.common.township'), key: 'place', width: 24 },
        { header: f.t('leadership.kind'), key: 'kind', width: 30 },
        { header: f.t('leadership.rank'), key: 'rank', width: 10 },
        { header: f.t('leadership.approved'), key: 'approved', numeric: true },
        { header: f.t('leadership.filled'), key: 'filled', numeric: true },
        { header: f.t('leadership.vacant'), key: 'vacant', numeric: true },
        { header: f.t('leadership.over'), key: 'over', numeric: true },
        { header: f.t('leadership.holders'), key: 'holders', width: 30 },
        { header: f.t('reports.leadership.notes'), key: 'notes', width: 24 },
      ],
      rows: d.townships.flatMap((t) =>
        t.kinds.map((k) => ({
          place: townshipName(t.township, d.scope),
          kind: f.name(k.nameZh, k.nameEn),
          rank: f.label('unitRanks', k.rank),
          approved: k.approved,
          filled: k.filled,
          vacant: k.vacant,
          over: k.over,
          holders: k.holders
            .map(
              (h) =>
                `${h.name}${h.assignmentKind !== 'primary' ? `（${f.t('assignmentKinds.concurrent')}）` : ''}`,
            )
            .join('、'),
          notes: [
            k.counted
              ? ''
              : k.concurrentOnly
                ? f.t('reports.leadership.concurrentOnly')
                : f.t('reports.leadership.notCounted'),
            k.temporary ? f.t('reports.leadership.temporary') : '',
          ]
            .filter(Boolean)
            .join('，'),
        })),
      ),
    },
  ];
}

export function crossTypeSheets(d: CrossTypeReport, f: Formatter, title: string): XlsxSheet[] {
  const names = new Map(d.scope.selected.map((t) => [t.id, townshipName(t, d.scope)]));
  return [
    {
      name: f.t('reports.catalogue.crossType.name'),
      title,
      columns: [
        { header: f.t('reports.common.township'), key: 'place', width: 20 },
        { header: f.t('reports.common.name'), key: 'name', width: 10 },
        { header: f.t('reports.crossType.post'), key: 'post', width: 30 },
        { header: f.t('reports.crossType.postTypes'), key: 'postTypes', width: 20 },
        { header: f.t('reports.crossType.personType'), key: 'personType', width: 14 },
        { header: f.t('reports.crossType.assignmentKind'), key: 'kind', width: 8 },
        { header: f.t('reports.crossType.since'), key: 'since', width: 12 },
        { header: f.t('reports.crossType.approval'), key: 'approval', width: 40 },
      ],
      rows: d.rows.map((r) => ({
        place: names.get(r.townshipId) ?? '',
        name: r.personName,
        post: [r.unitName, r.postName].filter(Boolean).join(' '),
        postTypes: r.postTypes.map((t) => f.label('establishmentTypes', t)).join('、'),
        personType: f.label('establishmentTypes', r.personType),
        kind: f.label('assignmentKinds', r.assignmentKind),
        since: f.date(r.since),
        approval: r.movement
          ? f.t('reports.crossType.byMovement', {
              kind: f.t(`movementKinds.${r.movement.kind}`),
              docNo: r.movement.approvalDocNo ?? r.movement.docNo ?? f.t('reports.common.noDocNo'),
              date: f.date(r.movement.effectiveOn),
            })
          : r.crossTypePost
            ? f.t('reports.crossType.byPost', { docNo: r.postDocNo ?? f.t('reports.common.noDocNo') })
            : f.t('reports.crossType.notRecorded'),
      })),
    },
  ];
}

export function promotionCalendarSheets(
  d: PromotionCalendarReport,
  f: Formatter,
  title: string,
): XlsxSheet[] {
  const names = new Map(d.scope.townships.map((t) => [t.id, townshipName(t, d.scope)]));
  return [
    {
      name: f.t('reports.catalogue.promotionCalendar.name'),
      title,
      columns: [
        { header: f.t('reports.common.name'), key: 'name', width: 10 },
        { header: f.t('promotionCases.township'), key: 'township', width: 16 },
        { header: f.t('promotionCases.seat'), key: 'seat', width: 28 },
        { header: f.t('reports.promotionCalendar.kind'), key: 'kind', width: 10 },
        { header: f.t('reports.promotionCalendar.from'), key: 'from', width: 12 },
        { header: f.t('reports.promotionCalendar.until'), key: 'until', width: 12 },
        { header: f.t('reports.promotionCalendar.days'), key: 'days', numeric: true, width: 10 },
        { header: f.t('promotionCases.state'), key: 'state', width: 16 },
        { header: f.t('forms.docNo'), key: 'docNo', width: 22 },
      ],
      rows: d.rows.map((r) => ({
        name: r.personName,
        township: names.get(r.townshipId) ?? '',
        seat: r.seat,
        kind: f.t(`reports.promotionCalendar.kinds.${r.kind}`),
        from: f.date(r.from),
        until: f.date(r.until),
        days: r.daysLeft,
        state: f.t(`promotionCases.states.${r.state}`),
        docNo: r.docNo ?? '',
      })),
    },
  ];
}

export function secondmentSheets(d: SecondmentReport, f: Formatter, title: string): XlsxSheet[] {
  const names = new Map(d.scope.townships.map((t) => [t.id, townshipName(t, d.scope)]));
  return [
    {
      name: f.t('reports.catalogue.secondments.name'),
      title,
      columns: [
        { header: f.t('reports.common.name'), key: 'name', width: 10 },
        { header: f.t('reports.secondments.home'), key: 'home', width: 18 },
        { header: f.t('usage.type'), key: 'type', width: 14 },
        { header: f.t('reports.secondments.destination'), key: 'destination', width: 36 },
        { header: f.t('reports.secondments.since'), key: 'since', width: 12 },
        { header: f.t('reports.secondments.plannedUntil'), key: 'plannedUntil', width: 12 },
        { header: f.t('reports.secondments.daysOverdue'), key: 'days', numeric: true, width: 12 },
        { header: f.t('reports.secondments.state'), key: 'state', width: 10 },
        { header: f.t('reports.secondments.docNo'), key: 'docNo', width: 22 },
      ],
      rows: d.rows.map((r) => ({
        name: r.personName,
        home: r.homeHolderName ?? (r.homeTownshipId ? (names.get(r.homeTownshipId) ?? '') : ''),
        type: f.label('establishmentTypes', r.establishmentType),
        destination: [names.get(r.destinationTownshipId) ?? '', r.unitName, r.postName]
          .filter(Boolean)
          .join(' '),
        since: f.date(r.since),
        plannedUntil: f.date(r.plannedUntil),
        days: r.overdue ? r.daysOverdue : null,
        state: f.t(r.overdue ? 'reports.secondments.overdue' : 'reports.secondments.running'),
        docNo: r.movement?.approvalDocNo ?? r.movement?.docNo ?? '',
      })),
    },
  ];
}

export function eligibilitySheets(d: EligibilityReport, f: Formatter, title: string): XlsxSheet[] {
  const gradeName = new Map(d.names.grades.map((g) => [g.code, f.name(g.nameZh, g.nameEn)]));
  return [
    {
      name: f.t('reports.catalogue.eligibility.name'),
      title,
      columns: [
        { header: f.t('reports.eligibility.target'), key: 'target', width: 20 },
        { header: f.t('reports.common.township'), key: 'place', width: 24 },
        { header: f.t('reports.eligibility.assessed'), key: 'assessed', numeric: true, width: 12 },
        { header: f.t('eligibilityList.horizons.now'), key: 'now', numeric: true, width: 14 },
        { header: f.t('eligibilityList.horizons.within6'), key: 'within6', numeric: true, width: 14 },
        { header: f.t('eligibilityList.horizons.within12'), key: 'within12', numeric: true, width: 14 },
      ],
      rows: d.targets.flatMap((t) => [
        ...t.townships.map((x) => ({
          target: gradeName.get(t.target.code) ?? t.target.code,
          place: townshipName(x.township, d.scope),
          assessed: x.counts.assessed,
          now: x.counts.now,
          within6: x.counts.within6,
          within12: x.counts.within12,
        })),
        {
          target: gradeName.get(t.target.code) ?? t.target.code,
          place: f.t('directory.total'),
          assessed: t.total.assessed,
          now: t.total.now,
          within6: t.total.within6,
          within12: t.total.within12,
        },
      ]),
    },
  ];
}

export function workforceSheets(d: WorkforceReport, f: Formatter, title: string): XlsxSheet[] {
  return DIMENSIONS.map((dim) => {
    const cats = CATEGORIES[dim];
    const line = (group: string, name: string, dist: WorkforceReport['total'][typeof dim]): Row => ({
      group,
      name,
      total: dist.total,
      ...Object.fromEntries(
        cats.flatMap((_code, i) => [
          [`c${i}`, dist.counts[i] ?? 0],
          [`s${i}`, share(dist.counts[i] ?? 0, dist.total)],
        ]),
      ),
    });
    return {
      name: f.t(`reports.workforce.dimensions.${dim}`),
      title: `${title} ${f.t(`reports.workforce.dimensions.${dim}`)}`,
      columns: [
        { header: f.t('reports.workforce.group'), key: 'group', width: 12 },
        { header: f.t('reports.workforce.name'), key: 'name', width: 22 },
        { header: f.t('reports.workforce.headcount'), key: 'total', numeric: true },
        ...cats.flatMap((code, i) => [
          {
            header: f.t(`reports.workforce.categories.${dim}.${code}`),
            key: `c${i}`,
            numeric: true,
            width: 12,
          },
          { header: f.t('reports.workforce.sharePct'), key: `s${i}`, numeric: true, width: 8 },
        ]),
      ],
      rows: [
        line(f.t('directory.total'), f.t('directory.total'), d.total[dim]),
        ...d.byType.map((x) =>
          line(
            f.t('reports.workforce.byType'),
            x.type ? f.label('establishmentTypes', x.type) : f.t('reports.workforce.withoutSlot'),
            x.structure[dim],
          ),
        ),
        ...d.byTownship.map((x) =>
          line(f.t('reports.workforce.byTownship'), townshipName(x.township, d.scope), x.structure[dim]),
        ),
      ],
    };
  });
}

export function changesSheets(d: ChangesReport, f: Formatter, title: string): XlsxSheet[] {
  const measures = ['approved', 'occupied', 'reserved', 'vacant', 'over'] as const;
  type Part = ChangesReport['total'];
  const values = (x: Part): Row =>
    Object.fromEntries([
      ...measures.flatMap((m) => [
        [`${m}From`, x.from[m]],
        [`${m}To`, x.to[m]],
        [`${m}Diff`, x.diff[m]],
      ]),
      ['peopleFrom', x.people.from],
      ['peopleTo', x.people.to],
      ['peopleDiff', x.people.diff],
    ]);
  const rows: Row[] = [];
  for (const t of d.townships) {
    const name = townshipName(t.township, d.scope);
    for (const l of t.lines)
      rows.push({ place: name, type: f.label('establishmentTypes', l.establishmentType), ...values(l) });
    rows.push({ place: name, type: f.t('reports.common.subtotal'), ...values(t.total) });
  }
  for (const l of d.byType)
    rows.push({
      place: f.t('directory.total'),
      type: f.label('establishmentTypes', l.establishmentType),
      ...values(l),
    });
  rows.push({ place: f.t('directory.total'), type: f.t('reports.common.subtotal'), ...values(d.total) });
  const from = f.date(d.from);
  const to = f.date(d.to);
  return [
    {
      name: f.t('reports.catalogue.changes.name'),
      title,
      columns: [
        { header: f.t('reports.common.township'), key: 'place', width: 22 },
        { header: f.t('usage.type'), key: 'type', width: 14 },
        ...[...measures, 'people' as const].flatMap((m) => {
          const label = m === 'people' ? f.t('reports.changes.people') : f.t(`usage.${m}`);
          return [
            { header: `${label} ${from}`, key: `${m}From`, numeric: true, width: 14 },
            { header: `${label} ${to}`, key: `${m}To`, numeric: true, width: 14 },
            { header: `${label} ${f.t('reports.changes.diff')}`, key: `${m}Diff`, numeric: true, width: 10 },
          ];
        }),
      ],
      rows,
    },
  ];
}
