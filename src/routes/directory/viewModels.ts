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

export function personView(d: Data<'person'>, f: Formatter, options: { showFullIdNumber: boolean }) {
  const p = d.person;
  const status = d.status?.status ?? null;
  return {
    id: p.id,
    name: p.name,
    crumbs: breadcrumbs(d.path),
    asOf: f.date(d.asOf),
    idNumber: options.showFullIdNumber ? p.idNumber : maskIdNumber(p.idNumber),
    idNumberMasked: !options.showFullIdNumber,
    facts: [
      ['person.gender', f.label('genders', p.gender)],
      ['person.birth', f.monthWithAge(p.birthDate, d.asOf)],
      ['person.ethnicity', p.ethnicity],
      ['person.nativePlace', p.nativePlace],
      ['person.birthPlace', p.birthPlace],
      ['person.politicalStatus', f.label('politicalStatuses', p.politicalStatus)],
      ['person.partyJoined', f.month(p.partyJoinedOn)],
      ['person.workStarted', f.month(p.workStartedOn)],
      ['person.health', p.health],
      ['person.professionalTitle', p.professionalTitle],
      ['person.expertise', p.expertise],
    ].map(([key, value]) => ({ key: key as string, value: value || '—' })),
    status: f.label('personStatuses', status),
    inactive: status !== null && status !== 'active',
    currentAssignments: d.currentAssignments.map((a) => ({
      kind: f.label('assignmentKinds', a.kind),
      township: a.townshipName,
      unit: a.unitName,
      post: a.postName,
      href: paths.post(a.postId),
      since: f.month(a.validFrom),
      until: a.validTo ? f.month(a.validTo) : '',
    })),
    currentGrades: d.currentGrades.map((g) => ({
      ladder: f.label('ladders', g.ladder),
      name: f.name(g.nameZh, g.nameEn),
      since: f.month(g.validFrom),
      probationUntil: g.probationUntil ? f.date(g.probationUntil) : null,
    })),
    slot: d.currentSlot
      ? {
          type: f.label('establishmentTypes', d.currentSlot.establishmentType),
          holder: d.currentSlot.holderName,
          since: f.month(d.currentSlot.validFrom),
        }
      : null,
    assignments: d.assignments.map((a) => ({
      period: f.period(a.validFrom, a.validTo),
      kind: f.label('assignmentKinds', a.kind),
      text: [a.townshipName, a.unitName, a.postName].filter(Boolean).join(' '),
      reason: a.reason,
      docNo: a.docNo ?? '',
    })),
    grades: d.grades.map((g) => ({
      period: f.period(g.validFrom, g.validTo),
      ladder: f.label('ladders', g.ladder),
      name: f.name(g.nameZh, g.nameEn),
      legacyTitle: g.legacyTitle ?? '',
      docNo: g.docNo ?? '',
    })),
    slots: d.quotaSlots.map((s) => ({
      period: f.period(s.validFrom, s.validTo),
      type: f.label('establishmentTypes', s.establishmentType),
      holder: s.holderName,
      docNo: s.docNo ?? '',
    })),
    assessments: d.assessments.map((a) => ({ year: a.year, result: f.label('assessmentResults', a.result) })),
    sanctions: d.sanctions.map((s) => ({
      name: f.name(s.nameZh, s.nameEn),
      decided: f.date(s.decidedOn),
      closed: s.closedOn ? f.date(s.closedOn) : '',
      docNo: s.docNo ?? '',
    })),
    educations: d.educations.map((e) => ({
      mode: f.label('educationModes', e.mode),
      level: f.label('educationLevels', e.level),
      degree: f.label('degrees', e.degree),
      school: [e.school, e.major].filter(Boolean).join(' '),
      graduated: f.month(e.graduatedOn),
    })),
    family: d.family.map((m) => ({
      relation: f.label('relations', m.relation),
      name: m.name,
      age: m.birthDate ? f.age(m.birthDate, d.asOf) : '',
      politicalStatus: f.label('politicalStatuses', m.politicalStatus),
      work: m.workUnitAndPost,
    })),
  };
}
