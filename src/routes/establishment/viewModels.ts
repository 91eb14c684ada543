import { ESTABLISHMENT_TYPES } from '../../domain/quota.js';
import { paths } from '../../paths.js';
import type { EstablishmentReads } from '../../services/establishment/establishmentReads.js';
import { breadcrumbs, usageCells } from '../directory/viewModels.js';
import type { Formatter } from '../format.js';
import { barChart } from './charts.js';

type Data<K extends keyof EstablishmentReads> = Awaited<ReturnType<EstablishmentReads[K]>>;
type Path = Data<'establishment'>['path'];

const crumbs = (path: Path, linked: (id: number) => boolean) =>
  breadcrumbs(path.map((r) => ({ ...r, linked: linked(r.id) })));

/** The township's sub-navigation, the current page marked. */
export function townshipNav(townshipId: number, current: string, t: (k: string) => string) {
  const items: Array<[string, string, string?]> = [
    ['overview', paths.township(townshipId)],
    ['establishment', paths.establishment(townshipId)],
    ['leadership', paths.leadership(townshipId)],
    ['orgChart', paths.orgChart(townshipId)],
    ['roster', paths.townshipPeople(townshipId)],
    ['eligibility', paths.careers.township(townshipId), 'eligibilityList.nav'],
    ['promotions', paths.promotions.vacancies(townshipId), 'promotions.vacancies.nav'],
    ['decisions', paths.quotaDecisions(townshipId)],
  ];
  return items.map(([key, href, label]) => ({
    href,
    label: t(label ?? `townshipNav.${key}`),
    current: key === current,
  }));
}

export function establishmentView(d: Data<'establishment'>, f: Formatter, linked: (id: number) => boolean) {
  const unitRow = (u: Data<'establishment'>['units'][number], nameOverride?: string) => ({
    name: nameOverride ?? u.unit?.name ?? '',
    href: u.unit ? paths.unit(u.unit.id) : null,
    aliases: u.unit?.aliasNames ?? [],
    rank: u.unit && u.unit.rank !== 'none' ? f.label('unitRanks', u.unit.rank) : '',
    featured: u.unit?.featured ?? false,
    posts: u.posts,
    filled: u.filled,
    vacantPosts: u.vacantPosts,
    ratio: `${u.posts}/${u.filled}`,
    byType: ESTABLISHMENT_TYPES.filter((t) => u.byType[t]).map(
      (t) => `${f.label('establishmentTypes', t)} ${u.byType[t]}`,
    ),
    holders: u.holders.map((h) => ({
      name: h.name,
      href: paths.person(h.personId),
      crossType: h.crossType,
      concurrent: h.kind !== 'primary',
      type: f.label('establishmentTypes', h.type),
    })),
    full: u.vacantPosts === 0,
  });
  const chartTypes = barChart({
    title: f.t('establishment.chartByType'),
    series: [
      { key: 'approved', label: f.t('usage.approved'), css: 'bar--approved' },
      { key: 'occupied', label: f.t('usage.occupied'), css: 'bar--occupied' },
    ],
    categories: d.byType.map((u) => ({
      label: f.label('establishmentTypes', u.establishmentType),
      values: [u.approved, u.occupied],
    })),
  });
  const chartUnits = barChart({
    title: f.t('establishment.chartByUnit'),
    series: [
      { key: 'posts', label: f.t('establishment.posts'), css: 'bar--approved' },
      { key: 'filled', label: f.t('establishment.filled'), css: 'bar--occupied' },
    ],
    categories: [d.leadershipTeam, ...d.units, ...d.dispatched].map((u) => ({
      label: u.unit?.name ?? f.t('post.leadershipTeam'),
      values: [u.posts, u.filled],
    })),
  });
  return {
    id: d.township.id,
    name: d.township.name,
    asOf: f.date(d.asOf),
    asOfIso: d.asOf,
    crumbs: crumbs(d.path, linked),
    byType: d.byType.map((u) => ({
      type: f.label('establishmentTypes', u.establishmentType),
      ...usageCells(u, f),
    })),
    total: usageCells(d.total, f),
    leadershipTeam: unitRow(d.leadershipTeam, f.t('post.leadershipTeam')),
    units: d.units.map((u) => unitRow(u)),
    dispatched: d.dispatched.map((u) => {
      const dept = d.departments.find((x) => x.unitId === u.unit?.id);
      return {
        ...unitRow(u),
        department: dept?.departmentName ?? '',
        departmentUsage: (dept?.usage ?? []).map(
          (x) => `${f.label('establishmentTypes', x.establishmentType)} ${x.approved}/${x.occupied}`,
        ),
      };
    }),
    crossTypePlacements: d.crossTypePlacements,
    chartTypes,
    chartUnits,
  };
}

export function leadershipView(d: Data<'leadership'>, f: Formatter, linked: (id: number) => boolean) {
  const row = (r: Data<'leadership'>['counted'][number]) => ({
    kind: f.name(r.nameZh, r.nameEn),
    rank: f.label('unitRanks', r.rank),
    approved: r.approved,
    filled: r.filled,
    vacant: r.vacant,
    over: r.over,
    status: f.slotStatus(r.over > 0 ? 'over' : r.vacant > 0 ? 'vacant' : 'full'),
    holders: r.holders.map((h) => ({
      name: h.name,
      href: paths.person(h.personId),
      concurrent: h.assignmentKind !== 'primary',
      since: f.month(h.since),
    })),
    temporary: r.temporary,
    writeOff: r.writeOffOn ? f.date(r.writeOffOn) : '',
    pastWriteOff: r.pastWriteOff,
  });
  const countedOver = d.total !== null && d.countedFilled > d.total;
  return {
    id: d.township.id,
    name: d.township.name,
    asOf: f.date(d.asOf),
    asOfIso: d.asOf,
    crumbs: crumbs(d.path, linked),
    total: d.total ?? '—',
    totalDocNo: d.totalDocNo ?? '',
    countedApproved: d.countedApproved,
    countedFilled: d.countedFilled,
    countedStatus: f.slotStatus(
      countedOver ? 'over' : d.total !== null && d.countedFilled < d.total ? 'vacant' : 'full',
    ),
    counted: d.counted.filter((r) => !r.temporary).map(row),
    notCounted: d.notCounted.map(row),
    concurrent: d.concurrent.map(row),
    temporary: d.temporary.map(row),
    flagged: d.flagged.map((h) => ({
      name: h.name,
      href: paths.person(h.personId),
      writeOff: h.writeOffOn ? f.date(h.writeOffOn) : '',
    })),
  };
}

export function orgChartView(d: Data<'orgChart'>, f: Formatter, linked: (id: number) => boolean) {
  const seat = (p: Data<'orgChart'>['leadershipTeam'][number]) => ({
    name: p.name,
    href: paths.post(p.id),
    holder: p.holder
      ? {
          name: p.holder.name,
          href: paths.person(p.holder.personId),
          concurrent: p.holder.kind !== 'primary',
        }
      : null,
  });
  return {
    id: d.township.id,
    name: d.township.name,
    asOf: f.date(d.asOf),
    asOfIso: d.asOf,
    crumbs: crumbs(d.path, linked),
    team: d.leadershipTeam.map(seat),
    units: d.units.map((u) => ({
      name: u.unit.name,
      href: paths.unit(u.unit.id),
      aliases: u.unit.aliasNames,
      kind: f.label('unitKinds', u.unit.kind),
      rank: u.unit.rank === 'none' ? '' : f.label('unitRanks', u.unit.rank),
      dispatched: u.unit.kind === 'dispatched',
      featured: u.unit.featured,
      seats: u.posts.map(seat),
      vacant: u.posts.filter((p) => !p.holder).length,
    })),
  };
}

export const COUNTY_SORTS = [
  'name',
  'headcount',
  'approved',
  'occupied',
  'vacant',
  'over',
  'leaders',
] as const;
export type CountySort = (typeof COUNTY_SORTS)[number];

export function countyOverviewView(
  d: Data<'countyOverview'>,
  f: Formatter,
  linked: (id: number) => boolean,
  sort: { by: CountySort; dir: 'asc' | 'desc' },
  baseHref: string,
) {
  const rows = [...d.townships];
  const key = (r: (typeof rows)[number]): number | string => {
    switch (sort.by) {
      case 'name':
        return r.township.name;
      case 'headcount':
        return r.headcount;
      case 'leaders':
        return r.leadership.countedFilled;
      default:
        return r.usage[sort.by];
    }
  };
  rows.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    const c = typeof x === 'string' ? x.localeCompare(y as string, 'zh-CN') : x - (y as number);
    return sort.dir === 'asc' ? c : -c;
  });
  const header = (by: CountySort) => {
    const dir = sort.by === by && sort.dir === 'asc' ? 'desc' : 'asc';
    return {
      href: `${baseHref}?sort=${by}&dir=${dir}`,
      label: f.t(`countyOverview.columns.${by}`),
      ariaSort: sort.by === by ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none',
    };
  };
  return {
    id: d.county.id,
    name: d.county.name,
    asOf: f.date(d.asOf),
    crumbs: crumbs(d.path, linked),
    headers: Object.fromEntries(COUNTY_SORTS.map((s) => [s, header(s)])),
    townships: rows.map((r) => ({
      name: r.township.name,
      href: paths.township(r.township.id),
      establishmentHref: paths.establishment(r.township.id),
      kind: f.label('townshipKinds', r.township.townshipKind),
      headcount: f.number(r.headcount),
      leaders:
        r.leadership.total === null
          ? `${r.leadership.countedFilled}`
          : `${r.leadership.countedFilled}/${r.leadership.total}`,
      leadersFlag: r.leadership.total !== null && r.leadership.countedFilled > r.leadership.total,
      ...usageCells(r.usage, f),
    })),
    total: { headcount: f.number(d.headcount), ...usageCells(d.total, f) },
  };
}

export function decisionCrumbs(path: Path, linked: (id: number) => boolean) {
  return crumbs(path, linked);
}
