import type { Request } from 'express';
import type { ResumeLineFields } from '../../db/repositories/resume.js';
import type { AppointmentForm } from '../../domain/appointmentForm.js';
import { formatDate } from '../../domain/dates.js';
import { LRMX_FIELDS } from '../../domain/lrmx.js';
import {
  cadreMonth,
  cadrePeriod,
  isoMonth,
  nestedText,
  type Resume,
  type ResumeWarning,
} from '../../domain/resume.js';
import { paths } from '../../paths.js';
import type { ResumeService } from '../../services/resume/resumeService.js';
import type { FieldError } from '../forms.js';
import type { FormView } from '../people/fields.js';
import { fieldBuilder } from '../people/fields.js';
import type { ImportPreview, PreviewRow } from './lrmxPlan.js';
import type { AppointmentCase } from './schemas.js';

type ResumeData = Awaited<ReturnType<ResumeService['resume']>>;

/** A warning in words: which lines, which months, how long. */
export function warningText(req: Request, w: ResumeWarning): string {
  const vars = {
    a: w.lines[0],
    b: w.lines[1],
    from: cadreMonth(w.from),
    to: w.to === null ? '' : cadreMonth(w.to),
    months: w.months ?? 0,
  };
  if (w.kind === 'gap') return req.t('resume.warnings.gap', vars);
  return req.t(w.months === null ? 'resume.warnings.overlapOpen' : 'resume.warnings.overlap', vars);
}

export function resumeLinesView(resume: Resume) {
  return resume.lines.map((l, i) => ({
    number: i + 1,
    period: cadrePeriod(l.from, l.to),
    text: l.text,
    free: l.source === 'free',
    nested: l.nested.map((n) => nestedText(n)),
  }));
}

/** The resume page: the generated 简历, its warnings, and (for writers) the free-text lines to edit. */
export function resumeView(d: ResumeData, req: Request) {
  const id = d.person.id;
  return {
    id,
    name: d.person.name,
    crumbs: [{ label: d.person.name, href: paths.person(id) }],
    asOf: formatDate(d.asOf, req.locale),
    lines: resumeLinesView(d.resume),
    warnings: d.resume.warnings.map((w) => warningText(req, w)),
    text: d.resume.text,
    writable: d.writable,
    historyStart: d.historyStart
      ? cadreMonth(Number(d.historyStart.slice(0, 4)) * 12 + Number(d.historyStart.slice(5, 7)) - 1)
      : '',
    freeLines: d.freeLines.map((l) => ({
      period: `${cadreMonth(monthOf(l.fromMonth))}--${l.toMonth ? cadreMonth(monthOf(l.toMonth)) : ''}`,
      text: l.text,
      editHref: paths.resume.line(id, l.id),
      removeHref: paths.resume.lineRemove(id, l.id),
    })),
    links: {
      record: paths.person(id),
      addLine: paths.resume.lineNew(id),
      appointmentForm: paths.resume.appointmentForm(id),
      exportLrmx: paths.resume.exportLrmx(id),
    },
  };
}

const monthOf = (iso: string) => Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7)) - 1;

/** The JSON of GET /api/v1/people/{id}/resume. */
export function resumeJson(resume: Resume, req: Request) {
  return {
    lines: resume.lines.map((l) => ({
      from: isoMonth(l.from),
      to: l.to === null ? null : isoMonth(l.to),
      text: l.text,
      source: l.source,
      nested: l.nested.map((n) => ({
        kind: n.kind,
        from: isoMonth(n.from),
        to: n.to === null ? null : isoMonth(n.to),
        text: n.text,
      })),
    })),
    text: resume.text,
    warnings: resume.warnings.map((w) => ({
      kind: w.kind,
      from: isoMonth(w.from),
      to: w.to === null ? null : isoMonth(w.to),
      months: w.months,
      lines: w.lines,
      message: warningText(req, w),
    })),
  };
}

export const RESUME_LINE_FIELDS = ['fromMonth', 'toMonth', 'text'] as const;

export function resumeLineValues(l: ResumeLineFields): Record<string, string> {
  return {
    fromMonth: l.fromMonth.slice(0, 7),
    toMonth: l.toMonth ? l.toMonth.slice(0, 7) : '',
    text: l.text,
  };
}

export function resumeLineForm(
  req: Request,
  person: { id: number; name: string },
  rowId: number | null,
  values: Record<string, string>,
  errors: readonly FieldError[],
): FormView {
  const field = fieldBuilder(req, values, errors);
  const heading = req.t(rowId ? 'resume.lineForm.editHeading' : 'resume.lineForm.addHeading');
  return {
    title: `${errors.length > 0 ? req.t('errors.prefix') : ''}${heading} - ${person.name}`,
    heading,
    subheading: person.name,
    intro: req.t('resume.lineForm.intro'),
    action: rowId ? paths.resume.line(person.id, rowId) : paths.resume.lines(person.id),
    multipart: false,
    hidden: [],
    groups: [
      {
        legend: '',
        fields: [
          field({
            name: 'fromMonth',
            label: 'resume.lineForm.from',
            hint: 'resume.lineForm.monthHint',
            maxlength: 10,
          }),
          field({
            name: 'toMonth',
            label: 'resume.lineForm.to',
            hint: 'resume.lineForm.toHint',
            optional: true,
            maxlength: 10,
          }),
          field({
            name: 'text',
            kind: 'textarea',
            label: 'resume.lineForm.text',
            hint: 'resume.lineForm.textHint',
            maxlength: 200,
          }),
        ],
      },
    ],
    submit: req.t('resume.lineForm.save'),
    cancelHref: paths.resume.page(person.id),
    crumbs: [
      { label: person.name, href: paths.person(person.id) },
      { label: req.t('resume.title'), href: paths.resume.page(person.id) },
    ],
  };
}

/** Family rows of the form: at least seven (the printed table's rows), blank ones after the recorded. */
const FAMILY_ROWS = 7;

/**
 * The appointment form's print view. The form itself is in Chinese whatever the page's language (it is an
 * official form); the small form of per-case entries above it is translated.
 */
export function appointmentFormView(
  d: { personId: number; hasPhoto: boolean; photoVersion: string; form: AppointmentForm },
  req: Request,
  entries: AppointmentCase,
) {
  const f = d.form;
  const lines = resumeLinesView(f.resume);
  const rowCount = lines.reduce((n, l) => n + 1 + l.nested.length, 0);
  const family = [...f.family];
  while (family.length < FAMILY_ROWS)
    family.push({ relation: '', name: '', age: '', birthMonth: '', politicalStatus: '', work: '' });
  return {
    form: f,
    photo: d.hasPhoto ? paths.people.photo(d.personId, d.photoVersion) : null,
    photoAlt: req.t('people.photo.alt', { name: f.name }),
    resumeLines: lines,
    /** Long resumes are set smaller so the form stays on its two pages. */
    resumeSize: rowCount > 30 ? 'af-resume--smallest' : rowCount > 22 ? 'af-resume--small' : '',
    family,
    familyRowspan: family.length + 1,
    back: paths.person(d.personId),
    action: paths.resume.appointmentForm(d.personId),
    entries: {
      proposedPost: entries.proposedPost,
      proposedRemoval: entries.proposedRemoval,
      reason: entries.reason,
      reportingUnit: entries.reportingUnit || f.reportingUnit,
      filledBy: entries.filledBy,
      date: entries.date ?? '',
    },
  };
}

const STATE_CSS: Record<PreviewRow['state'], string> = {
  same: '',
  changed: 'tag tag--warn',
  new: 'tag tag--vacant',
  kept: 'tag tag--full',
  info: 'tag tag--info',
};

/** The field-by-field preview of an import: current and file values side by side, changes marked. */
export function importPreviewView(
  req: Request,
  preview: ImportPreview,
  options: { target: 'new' | 'update'; personName: string; personHref: string | null; townshipName: string },
) {
  const row = (r: PreviewRow) => ({
    label: req.t(`lrmx.fields.${r.field}`),
    tag: r.field,
    current: r.current,
    file: r.file,
    state: r.state === 'same' ? '' : req.t(`lrmx.states.${r.state}`),
    css: STATE_CSS[r.state],
    changed: r.state === 'changed' || r.state === 'new',
    multiline: r.field === 'JianLi',
  });
  const order = new Map<string, number>(LRMX_FIELDS.map((f, i) => [f, i]));
  const rows = [...preview.rows].sort((a, b) => (order.get(a.field) ?? 0) - (order.get(b.field) ?? 0));
  const changes =
    rows.filter((r) => r.state === 'changed' || r.state === 'new').length +
    preview.family.filter((r) => r.state === 'changed' || r.state === 'new').length;
  return {
    heading:
      options.target === 'new'
        ? req.t('lrmx.preview.newHeading', { name: options.personName })
        : req.t('lrmx.preview.updateHeading', { name: options.personName }),
    intro:
      options.target === 'new'
        ? req.t('lrmx.preview.newIntro', { township: options.townshipName })
        : changes === 0
          ? req.t('lrmx.preview.noChanges')
          : req.t('lrmx.preview.changes', { count: changes }),
    personHref: options.personHref,
    rows: rows.map(row),
    family: preview.family.map(row),
    notes: preview.notes.map((n) => req.t(n.key, n.vars)),
    canConfirm: preview.plan?.changed === true,
    changes,
  };
}
