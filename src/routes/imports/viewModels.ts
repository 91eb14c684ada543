import type { Request } from 'express';
import type { ImportJob, ImportProblem } from '../../db/repositories/imports.js';
import { columnLetter, ROSTER_TARGETS } from '../../domain/importLayout.js';
import { paths } from '../../paths.js';
import type { ImportCounts } from '../../services/imports/validate.js';
import { translatedVars } from '../formFlow.js';

type JobWithLive = ImportJob & {
  townshipName: string;
  live: { done: number; total: number; phase: string } | null;
};

/** A problem in the reader's language; establishment types and the like translated. */
export function problemMessage(req: Request, p: ImportProblem): string {
  return req.t(p.key, translatedVars(req, p.vars ?? {}));
}

export function problemJson(req: Request, p: ImportProblem) {
  const column = p.column === null ? null : columnLetter(p.column);
  return {
    sheet: p.sheet,
    row: p.row,
    column,
    cell: column && p.row > 0 ? `${column}${p.row}` : null,
    field: p.field,
    code: p.key.split('.').pop() as string,
    message: problemMessage(req, p),
  };
}

export function progressOf(job: JobWithLive) {
  const total = job.live?.total || job.rowsTotal;
  const done = job.live ? job.live.done : job.rowsDone;
  return { phase: job.live?.phase ?? null, done, total };
}

/** The job as the API and the page's progress script read it. */
export function jobJson(req: Request, job: JobWithLive) {
  const counts = job.counts as Partial<ImportCounts> & Record<string, unknown>;
  return {
    id: job.id,
    townshipId: job.townshipId,
    state: job.state,
    layout: job.layout,
    fileName: job.fileName,
    progress: progressOf(job),
    counts: job.state === 'mapping' ? null : summaryCounts(counts),
    mapping: job.layout === 'roster' ? job.mapping : null,
    problems: job.problems.map((p) => problemJson(req, p)),
    problemCount: typeof counts.problems === 'number' ? counts.problems : job.problems.length,
    failure: job.failure,
    committedAt: job.committedAt ? job.committedAt.toISOString() : null,
  };
}

function summaryCounts(c: Partial<ImportCounts>) {
  return {
    rows: c.rows ?? {},
    people: c.people ?? { create: 0, update: 0, unchanged: 0 },
    placements: c.placements ?? { added: 0, unchanged: 0 },
    grades: c.grades ?? { added: 0, unchanged: 0 },
    educations: c.educations ?? { added: 0, unchanged: 0 },
    sanctions: c.sanctions ?? { added: 0, unchanged: 0 },
    assessments: c.assessments ?? { added: 0, unchanged: 0 },
    awardsSkipped: c.awardsSkipped ?? 0,
    ignoredSheets: c.ignoredSheets ?? [],
    quota: (c.quota ?? []).map((q) => ({
      establishmentType: q.establishmentType,
      approved: q.approved,
      occupied: q.occupied,
      reserved: q.reserved,
      adding: q.adding,
      after: q.occupied + q.reserved + q.adding,
    })),
  };
}

/** The job page: one panel per state. */
export function jobView(req: Request, job: JobWithLive) {
  const counts = job.counts as Partial<ImportCounts> & Record<string, unknown>;
  const working = job.state === 'validating' || job.state === 'committing';
  const progress = progressOf(job);
  const summary = job.state === 'mapping' ? null : summaryCounts(counts);
  const kinds = ['placements', 'grades', 'educations', 'sanctions', 'assessments'] as const;
  return {
    id: job.id,
    state: job.state,
    stateLabel: req.t(`imports.states.${job.state}`),
    fileName: job.fileName,
    townshipName: job.townshipName,
    working,
    pollUrl: paths.api.import(job.id),
    progress: {
      done: progress.done,
      total: progress.total,
      known: progress.total > 0,
      text: req.t(
        working && job.state === 'committing' ? 'imports.progress.writing' : 'imports.progress.checking',
        {
          done: progress.done,
          total: progress.total,
        },
      ),
    },
    summary: summary && {
      records: [
        {
          label: req.t('imports.summary.people'),
          added: summary.people.create,
          updated: summary.people.update,
          unchanged: summary.people.unchanged,
        },
        ...kinds.map((k) => ({
          label: req.t(`imports.summary.${k}`),
          added: summary[k].added,
          updated: '—',
          unchanged: summary[k].unchanged,
        })),
      ],
      awardsSkipped: summary.awardsSkipped,
      ignoredSheets: summary.ignoredSheets.join('、'),
      quota: summary.quota.map((q) => ({
        ...q,
        typeLabel: req.t(`establishmentTypes.${q.establishmentType}`),
        over: q.after > q.approved,
      })),
    },
    problems: job.problems.map((p) => problemJson(req, p)),
    problemCount: typeof counts.problems === 'number' ? counts.problems : job.problems.length,
    problemsCut: typeof counts.problems === 'number' && counts.problems > job.problems.length,
    markedHref: paths.imports.marked(job.id),
    commitAction: paths.imports.commit(job.id),
    mappingAction: paths.imports.mapping(job.id),
    againHref: paths.imports.index(job.townshipId),
    peopleHref: paths.townshipPeople(job.townshipId),
    failure: job.failure,
    canRemap: job.layout === 'roster' && ['mapping', 'ready', 'invalid'].includes(job.state),
  };
}

/** The mapping form: one row per roster column with its header, a sample and the chosen target. */
export function mappingView(req: Request, job: ImportJob, chosen?: ReadonlyArray<string | null>) {
  const counts = job.counts as { headers?: string[]; sample?: string[][] };
  const headers = counts.headers ?? [];
  const sample = counts.sample ?? [];
  const mapping = chosen ?? job.mapping ?? [];
  const options = ROSTER_TARGETS.map((t) => ({
    key: t.key,
    label: `${req.t(`imports.sheets.${t.sheet}`)}：${req.t(`imports.fields.${t.sheet}.${t.field}`)}`,
  }));
  const columns: Array<Record<string, unknown>> = [];
  headers.forEach((header, col) => {
    if (col === 0 || !header) return;
    const current = mapping[col] ?? null;
    columns.push({
      col,
      name: `col${col}`,
      letter: columnLetter(col),
      header,
      sample: sample
        .map((r) => r[col] ?? '')
        .filter((v) => v !== '')
        .slice(0, 2)
        .join('；'),
      options: options.map((o) => ({ ...o, selected: o.key === current })),
      skipSelected: current === null,
    });
  });
  return { columns };
}
