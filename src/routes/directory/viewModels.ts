import { maskIdNumber } from '../../domain/idNumber.js';
import type { AssessedUsage } from '../../domain/quota.js';
import { paths } from '../../paths.js';
import type { DirectoryService } from '../../services/directory/directoryService.js';
import type { Formatter } from '../format.js';

type Data<K extends keyof DirectoryService> = Awaited<ReturnType<DirectoryService[K]>>;

interface Crumb {
  label: string;
  href: string | null;
}

export function breadcrumbs(path: Data<'county'>['path']): Crumb[] {
  return path.map((r) => ({
    label: r.name,
    href: r.linked
      ? r.kind === 'city'
        ? paths.city(r.id)
        : r.kind === 'county'
          ? paths.county(r.id)
          : paths.township(r.id)
      : null,
  }));
}

export function usageCells(u: AssessedUsage, f: Formatter) {
  return {
    approved: f.number(u.approved),
    occupied: f.number(u.occupied),
    reserved: f.number(u.reserved),
    vacant: f.number(u.vacant),
    over: f.number(u.over),
    status: f.status(u.status),
  };
}

export function citiesView(cities: Data<'cities'>) {
  return cities.map((c) => ({ name: c.name, href: paths.city(c.id) }));
}

export function cityView(d: Data<'city'>, f: Formatter) {
  return {
    name: d.city.name,
    asOf: f.date(d.asOf),
    crumbs: breadcrumbs(d.path),
    counties: d.counties.map((c) => ({
      name: c.county.name,
      href: paths.county(c.county.id),
      townships: c.townships,
      headcount: f.number(c.headcount),
      ...usageCells(c.usage, f),
    })),
  };
}

export function countyView(d: Data<'county'>, f: Formatter) {
  return {
    name: d.county.name,
    asOf: f.date(d.asOf),
    crumbs: breadcrumbs(d.path),
    townships: d.townships.map((r) => ({
      name: r.township.name,
      kind: f.label('townshipKinds', r.township.townshipKind),
      href: paths.township(r.township.id),
      headcount: f.number(r.headcount),
      ...usageCells(r.usage, f),
    })),
    total: { headcount: f.number(d.headcount), ...usageCells(d.total, f) },
    departments: d.departments.map((x) => ({ name: x.department.name, ...usageCells(x.usage, f) })),
  };
}

function holderView(holder: Data<'unit'>['posts'][number]['holder'], f: Formatter, postTypes: string[]) {
  if (!holder) return null;
  const type = holder.establishmentType;
  return {
    name: holder.personName,
    href: paths.person(holder.personId),
    kind: holder.kind === 'primary' ? '' : f.label('assignmentKinds', holder.kind),
    since: f.month(holder.validFrom),
    type: f.label('establishmentTypes', type),
    crossType: type !== null && !postTypes.includes(type),
  };
}

function postRow(p: Data<'unit'>['posts'][number], f: Formatter) {
  return {
    name: p.name,
    href: paths.post(p.id),
    category: f.label('postCategories', p.category),
    types: p.establishmentTypes.map((t) => f.label('establishmentTypes', t)),
    crossTypePost: p.crossType,
    holder: holderView(p.holder, f, p.establishmentTypes),
  };
}

export function townshipView(d: Data<'township'>, f: Formatter) {
  return {
    id: d.township.id,
    name: d.township.name,
    kind: f.label('townshipKinds', d.township.townshipKind),
    asOf: f.date(d.asOf),
    crumbs: breadcrumbs(d.path),
    headcount: f.number(d.headcount),
    peopleHref: paths.townshipPeople(d.township.id),
    usage: d.usageByType.map((u) => ({
      type: f.label('establishmentTypes', u.establishmentType),
      ...usageCells(u, f),
    })),
    total: usageCells(d.total, f),
    leaders: d.leaders.map((p) => postRow(p, f)),
    units: d.units.map((u) => ({
      name: u.name,
      href: paths.unit(u.id),
      aliases: u.aliasNames,
      kind: f.label('unitKinds', u.kind),
      rank: u.rank === 'none' ? '' : f.label('unitRanks', u.rank),
      featured: u.featured,
      dispatched: u.kind === 'dispatched',
      posts: u.posts,
      filled: u.filled,
      vacant: u.posts - u.filled,
    })),
  };
}

export function rosterView(d: Data<'roster'>, f: Formatter) {
  return {
    name: d.township.name,
    townshipHref: paths.township(d.township.id),
    asOf: f.date(d.asOf),
    crumbs: breadcrumbs(d.path),
    people: d.roster.map((p) => ({
      name: p.name,
      href: paths.person(p.id),
      gender: f.label('genders', p.gender),
      birth: f.month(p.birthDate),
      idNumber: maskIdNumber(p.idNumber),
      post: [p.unitName, p.postName].filter(Boolean).join(' '),
      type: f.label('establishmentTypes', p.establishmentType),
      status: f.label('personStatuses', p.status),
      inactive: p.status !== 'active',
    })),
  };
}

export function unitView(d: Data<'unit'>, f: Formatter) {
  const u = d.unit;
  return {
    name: u.name,
    aliases: u.aliasNames,
    kind: f.label('unitKinds', u.kind),
    rank: u.rank === 'none' ? f.label('unitRanks', 'none') : f.label('unitRanks', u.rank),
    featured: u.featured,
    department: u.departmentName,
    established: f.date(u.establishedOn),
    establishedDocNo: u.establishedDocNo,
    abolished: u.abolishedOn ? f.date(u.abolishedOn) : null,
    asOf: f.date(d.asOf),
    crumbs: breadcrumbs(d.path),
    posts: d.posts.map((p) => postRow(p, f)),
    filled: d.posts.filter((p) => p.holder).length,
    total: d.posts.length,
  };
}

export function postView(d: Data<'post'>, f: Formatter) {
  const p = d.post;
  return {
    name: p.name,
    unit: d.unit ? { name: d.unit.name, href: paths.unit(d.unit.id) } : null,
    category: f.label('postCategories', p.category),
    leadershipKind: p.leadershipKind ? f.label('leadershipKinds', p.leadershipKind) : '',
    types: p.establishmentTypes.map((t) => f.label('establishmentTypes', t)),
    crossType: p.crossType,
    opened: f.date(p.openedOn),
    closed: p.closedOn ? f.date(p.closedOn) : null,
    docNo: p.docNo,
    crumbs: breadcrumbs(d.path),
    history: d.history.map((h) => ({
      name: h.personName,
      href: paths.person(h.personId),
      kind: f.label('assignmentKinds', h.kind),
      period: f.period(h.validFrom, h.validTo),
      current: h.current,
    })),
  };
}
