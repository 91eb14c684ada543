import type { Request } from 'express';
import type { PersonHit } from '../../db/repositories/personSearch.js';
import { monthInputValue } from '../../domain/dateInput.js';
import { maskIdNumber } from '../../domain/idNumber.js';
import { impactUntil } from '../../domain/personRecord.js';
import { paths } from '../../paths.js';
import type { PeopleService } from '../../services/people/peopleService.js';
import { breadcrumbs } from '../directory/viewModels.js';
import type { Formatter } from '../format.js';

type Data<K extends keyof PeopleService> = Awaited<ReturnType<PeopleService[K]>>;
type Record_ = Data<'record'>;

interface Tag {
  text: string;
  css: string;
}

interface TimelineRow {
  period: string;
  what: string;
  detail: string;
  reason: string;
  docNo: string;
  tags: Tag[];
  superseded: boolean;
  closeHref: string | null;
  correctHref: string | null;
}

function stateTags(
  row: { state: string; validFrom: string; correctsId: number | null },
  f: Formatter,
  req: Request,
): Tag[] {
  const tags: Tag[] = [];
  if (row.state === 'current') tags.push({ text: req.t('people.state.current'), css: 'tag tag--vacant' });
  if (row.state === 'future')
    tags.push({ text: req.t('people.state.future', { date: f.date(row.validFrom) }), css: 'tag tag--info' });
  if (row.state === 'superseded') tags.push({ text: req.t('people.state.superseded'), css: 'tag tag--full' });
  if (row.correctsId !== null) tags.push({ text: req.t('people.state.correction'), css: 'tag tag--warn' });
  return tags;
}

function actions(
  personId: number,
  kind: string,
  row: { id: number; state: string; validTo: string | null },
  writable: boolean,
) {
  const live = writable && row.state !== 'superseded';
  return {
    closeHref: live && row.validTo === null ? paths.people.entryClose(personId, kind, row.id) : null,
    correctHref: live ? paths.people.entryCorrect(personId, kind, row.id) : null,
  };
}

/** The record page: the appointment-form facts, what is in force, and the whole timeline. */
export function recordView(d: Record_, f: Formatter, req: Request, options: { showFullIdNumber: boolean }) {
  const p = d.person;
  const status = d.status?.status ?? null;
  const id = p.id;
  const w = d.writable;
  const section = (kind: string, headingKey: string, rows: TimelineRow[]) => ({
    kind,
    id: `${kind}-heading`,
    heading: req.t(headingKey),
    addHref: w ? paths.people.entryNew(id, kind) : null,
    addLabel: req.t(`people.add.${kind}`),
    rows,
  });
  return {
    id,
    name: p.name,
    crumbs: breadcrumbs(d.path),
    asOf: f.date(d.asOf),
    idNumber: options.showFullIdNumber ? p.idNumber : maskIdNumber(p.idNumber),
    idNumberMasked: !options.showFullIdNumber,
    photo: p.hasPhoto
      ? { src: paths.people.photo(id, p.version), alt: req.t('people.photo.alt', { name: p.name }) }
      : null,
    writable: w,
    /** The resume, the appointment form and the .lrmx file: for everyone who may read the record. */
    documents: {
      resume: paths.resume.page(id),
      appointmentForm: paths.resume.appointmentForm(id),
      exportLrmx: paths.resume.exportLrmx(id),
    },
    careerHref: paths.careers.person(id),
    links: w
      ? {
          edit: paths.people.edit(id),
          photo: paths.people.photoEdit(id),
          educationNew: paths.people.educationNew(id),
          familyNew: paths.people.familyNew(id),
          assessmentNew: paths.people.assessmentNew(id),
          sanctionNew: paths.people.sanctionNew(id),
        }
      : null,
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
    timeline: [
      section(
        'assignments',
        'person.assignments',
        d.assignments.map((a) => ({
          period: f.period(a.validFrom, a.validTo),
          what: [a.townshipName, a.unitName, a.postName].filter(Boolean).join(' '),
          detail:
            f.label('assignmentKinds', a.kind) +
            (a.plannedUntil ? req.t('people.plannedUntil', { date: f.date(a.plannedUntil) }) : ''),
          reason: a.reason,
          docNo: a.docNo ?? '',
          tags: stateTags(a, f, req),
          superseded: a.state === 'superseded',
          ...actions(id, 'assignments', a, w),
        })),
      ),
      section(
        'grades',
        'person.gradeHistory',
        d.grades.map((g) => ({
          period: f.period(g.validFrom, g.validTo),
          what: f.name(g.nameZh, g.nameEn),
          detail: [
            f.label('ladders', g.ladder),
            g.legacyTitle ? req.t('people.legacyTitle', { title: g.legacyTitle }) : '',
            g.probationUntil ? req.t('person.probationUntil', { date: f.date(g.probationUntil) }) : '',
          ]
            .filter(Boolean)
            .join(' · '),
          reason: g.reason,
          docNo: g.docNo ?? '',
          tags: stateTags(g, f, req),
          superseded: g.state === 'superseded',
          ...actions(id, 'grades', g, w),
        })),
      ),
      section(
        'slots',
        'person.slotHistory',
        d.slots.map((s) => ({
          period: f.period(s.validFrom, s.validTo),
          what: s.holderName,
          detail: f.label('establishmentTypes', s.establishmentType),
          reason: s.reason,
          docNo: s.docNo ?? '',
          tags: stateTags(s, f, req),
          superseded: s.state === 'superseded',
          ...actions(id, 'slots', s, w),
        })),
      ),
      section(
        'statuses',
        'people.statusHistory',
        d.statuses.map((s) => ({
          period: f.period(s.validFrom, s.validTo),
          what: f.label('personStatuses', s.status),
          detail: '',
          reason: s.reason,
          docNo: s.docNo ?? '',
          tags: stateTags(s, f, req),
          superseded: s.state === 'superseded',
          ...actions(id, 'statuses', s, w),
        })),
      ),
    ],
    assessments: d.assessments.map((a) => ({
      year: a.year,
      result: f.label('assessmentResults', a.result),
      docNo: a.docNo ?? '',
      superseded: a.supersededAt !== null,
      tags: [
        ...(a.supersededAt ? [{ text: req.t('people.state.superseded'), css: 'tag tag--full' }] : []),
        ...(a.correctsId !== null ? [{ text: req.t('people.state.correction'), css: 'tag tag--warn' }] : []),
      ],
      correctHref: w && !a.supersededAt ? paths.people.assessmentNew(id, a.year) : null,
    })),
    sanctions: d.sanctions.map((s) => {
      const until = impactUntil(s);
      return {
        name: f.name(s.nameZh, s.nameEn),
        decided: f.date(s.decidedOn),
        impact:
          s.impactMonths === null
            ? s.closedOn
              ? req.t('people.sanction.closedOn', { date: f.date(s.closedOn) })
              : req.t('people.sanction.untilClosed')
            : req.t('people.sanction.impactUntil', { date: f.month(until) }),
        inForce: !s.supersededAt && (until === null || until > d.asOf) && s.decidedOn <= d.asOf,
        reason: s.reason,
        docNo: s.docNo ?? '',
        superseded: s.supersededAt !== null,
        tags: [
          ...(s.supersededAt ? [{ text: req.t('people.state.superseded'), css: 'tag tag--full' }] : []),
          ...(s.correctsId !== null
            ? [{ text: req.t('people.state.correction'), css: 'tag tag--warn' }]
            : []),
        ],
        correctHref: w && !s.supersededAt ? paths.people.sanctionCorrect(id, s.id) : null,
        closeHref:
          w && !s.supersededAt && s.impactMonths === null && s.closedOn === null
            ? paths.people.sanctionClose(id, s.id)
            : null,
      };
    }),
    educations: d.educations.map((e) => ({
      mode: f.label('educationModes', e.mode),
      level: f.label('educationLevels', e.level),
      degree: f.label('degrees', e.degree),
      school: [e.school, e.major].filter(Boolean).join(' '),
      period: e.startedOn || e.graduatedOn ? `${f.month(e.startedOn)}--${f.month(e.graduatedOn)}` : '',
      editHref: w ? paths.people.education(id, e.id) : null,
      removeHref: w ? paths.people.educationRemove(id, e.id) : null,
      label: [f.label('educationModes', e.mode), f.label('educationLevels', e.level), e.school].join(' '),
    })),
    family: d.family.map((m) => ({
      relation: f.label('relations', m.relation),
      name: m.name,
      age: m.birthDate ? f.age(m.birthDate, d.asOf) : '',
      politicalStatus: f.label('politicalStatuses', m.politicalStatus),
      work: m.workUnitAndPost,
      emigrated: m.emigrated,
      editHref: w ? paths.people.familyMember(id, m.id) : null,
      removeHref: w ? paths.people.familyRemove(id, m.id) : null,
    })),
  };
}

/** The search page: the form with its values, the results (ID numbers masked) and the pages. */
export function searchView(
  d: Data<'list'>,
  f: Formatter,
  req: Request,
  filter: { q: string; township: number | null; order: 'strokes' | 'pinyin'; page: number; pageSize: number },
) {
  const pages = Math.max(1, Math.ceil(d.total / filter.pageSize));
  const query = (page: number, order = filter.order) =>
    new URLSearchParams({
      ...(filter.q ? { q: filter.q } : {}),
      ...(filter.township ? { township: String(filter.township) } : {}),
      order,
      page: String(page),
    }).toString();
  return {
    q: filter.q,
    total: f.number(d.total),
    townships: [
      { value: '', label: req.t('people.search.allTownships'), selected: filter.township === null },
      ...d.townships.map((t) => ({ value: String(t.id), label: t.name, selected: t.id === filter.township })),
    ],
    showTownships: d.townships.length > 1,
    orders: (['strokes', 'pinyin'] as const).map((o) => ({
      value: o,
      label: req.t(`people.search.order.${o}`),
      selected: o === filter.order,
      id: o === 'strokes' ? 'order' : `order-${o}`,
    })),
    people: d.items.map((p: PersonHit) => ({
      name: p.name,
      href: paths.person(p.id),
      gender: f.label('genders', p.gender),
      birth: f.month(p.birthDate),
      idNumber: maskIdNumber(p.idNumber),
      township: p.townshipName ?? '',
      post: [p.unitName, p.postName].filter(Boolean).join(' '),
      type: f.label('establishmentTypes', p.establishmentType),
      status: f.label('personStatuses', p.status),
      inactive: p.status !== null && p.status !== 'active',
    })),
    page: filter.page,
    pages,
    prevHref: filter.page > 1 ? paths.people.list(query(filter.page - 1)) : null,
    nextHref: filter.page < pages ? paths.people.list(query(filter.page + 1)) : null,
    newHref: d.townships.length > 0 ? paths.people.new(filter.township ?? undefined) : null,
    importHref: d.townships.length > 0 ? paths.resume.importLrmx() : null,
    /** The bulk assessment page of the chosen township (or of the only one). */
    sheet: (() => {
      const chosen =
        d.townships.find((t) => t.id === filter.township) ??
        (d.townships.length === 1 ? d.townships[0] : undefined);
      return chosen
        ? {
            href: paths.people.townshipAssessments(chosen.id),
            label: req.t('people.search.sheet', { township: chosen.name }),
          }
        : null;
    })(),
  };
}

/** The person's fields as the form shows them (months as `2019-07`). */
export function personValues(p: Data<'details'>): Record<string, string> {
  return {
    name: p.name,
    idNumber: p.idNumber,
    gender: p.gender,
    birthDate: monthInputValue(p.birthDate),
    ethnicity: p.ethnicity,
    nativePlace: p.nativePlace,
    birthPlace: p.birthPlace,
    politicalStatus: p.politicalStatus,
    partyJoinedOn: monthInputValue(p.partyJoinedOn),
    workStartedOn: monthInputValue(p.workStartedOn),
    health: p.health,
    professionalTitle: p.professionalTitle,
    expertise: p.expertise,
  };
}

/** The bulk assessment page: one row per person, the select pre-filled. */
export function sheetView(
  d: Data<'assessmentSheet'>,
  req: Request,
  f: Formatter,
  values: Map<number, string> | null,
  errors: Map<string, string>,
) {
  return {
    township: d.township.name,
    townshipHref: paths.township(d.township.id),
    year: d.year,
    action: paths.people.townshipAssessments(d.township.id),
    asOf: f.date(d.asOf),
    rows: d.rows.map((r) => {
      const field = `result-${r.personId}`;
      const value = values ? (values.get(r.personId) ?? '') : (r.suggestion ?? '');
      return {
        id: field,
        name: r.name,
        href: paths.person(r.personId),
        post: [r.unitName, r.postName].filter(Boolean).join(' '),
        type: f.label('establishmentTypes', r.establishmentType),
        lastYear: f.label('assessmentResults', r.lastYear),
        recorded: r.current ? f.label('assessmentResults', r.current) : '',
        error: errors.get(field) ?? '',
        options: [
          { value: '', label: req.t('people.assessment.notRecorded'), selected: value === '' },
          ...r.allowed.map((code) => ({
            value: code,
            label: req.t(`assessmentResults.${code}`),
            selected: code === value,
          })),
        ],
      };
    }),
    years: [0, 1, 2].map((n) => ({
      year: d.year - n,
      href: paths.people.townshipAssessments(d.township.id, d.year - n),
      current: n === 0,
    })),
  };
}
