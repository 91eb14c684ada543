import type { Knex } from 'knex';
import type { Scope } from '../../auth/principal.js';
import { type Actor, appendAudit } from '../../db/repositories/audit.js';
import * as historyRepo from '../../db/repositories/personHistory.js';
import * as records from '../../db/repositories/personRecords.js';
import * as repo from '../../db/repositories/resume.js';
import { isPersonInScope } from '../../db/repositories/scope.js';
import type { Ladder, PostCategory } from '../../db/tables.js';
import { type AppointmentForm, buildAppointmentForm, type FormCase } from '../../domain/appointmentForm.js';
import type { Clock } from '../../domain/clock.js';
import { monthIndex } from '../../domain/dates.js';
import { maskIdNumber } from '../../domain/idNumber.js';
import { buildLrmx } from '../../domain/lrmx.js';
import { buildResume, type Resume, type ResumeLadder } from '../../domain/resume.js';
import { NotFoundError } from '../../errors.js';
import { translator } from '../../i18n.js';
import { assertReadable, assertWritable, canWrite, townshipWritable } from '../people/access.js';
import { asResult, conflict, RejectedWrite, type WriteResult } from '../people/problems.js';
import { changedOnly, fieldsOf, snapshot } from '../people/recordService.js';
import { formToLrmx } from './lrmxExport.js';
import type { ImportPlan } from './lrmxPlan.js';

/**
 * The resume (简历), its free-text lines, the appointment form (干部任免审批表) and the .lrmx exchange, all from
 * the same loaders. Reads are scoped (outside: 404); writes take the person's row lock, run in one transaction
 * and append one audit entry.
 */

const LADDER_OF_CATEGORY: Record<PostCategory, ResumeLadder | null> = {
  leadership: null,
  civil_service: 'civil_service_rank',
  management: 'management_level',
  professional: 'professional',
  skilled: 'skilled',
};

const zh = translator('zh-CN');
/** Chinese labels of codes: the appointment form and the .lrmx file are in Chinese whatever the page language. */
export const zhLabel = (group: string, code: string): string => String(zh(`${group}.${code}`));

export function createResumeService(deps: { knex: Knex; clock: Clock }) {
  const { knex, clock } = deps;

  /** The resume of a person as of a date, from the same loaders everything here uses. */
  async function resumeOf(db: Knex, personId: number, asOf: string): Promise<Resume> {
    const [assignments, grades, educations, lines] = await Promise.all([
      repo.namedAssignments(db, personId),
      repo.namedGrades(db, personId),
      records.educationsWithIds(db, personId),
      repo.resumeLinesOf(db, personId),
    ]);
    return buildResume({
      asOf,
      freeLines: lines,
      assignments: assignments.map((a) => ({
        kind: a.kind,
        validFrom: a.validFrom,
        validTo: a.validTo,
        place: `${a.countyName ?? ''}${a.townshipName}`,
        unitName: a.unitName,
        postName: a.postName,
        leadership: a.category === 'leadership',
        gradeLadder: LADDER_OF_CATEGORY[a.category] ?? null,
      })),
      grades: grades
        .filter((g): g is typeof g & { ladder: Ladder } => g.ladder !== 'leadership_level')
        .map((g) => ({
          ladder: g.ladder,
          title: g.legacyTitle ?? g.nameZh,
          validFrom: g.validFrom,
          validTo: g.validTo,
        })),
      studies: educations
        .filter((e) => e.mode === 'in_service' && e.startedOn !== null)
        .map((e) => ({
          school: e.school,
          major: e.major,
          degree: e.degree,
          startedOn: e.startedOn as string,
          graduatedOn: e.graduatedOn,
        })),
    });
  }

  /** 现任职务: the running main line of the history, with running concurrent posts. */
  function currentPostOf(resume: Resume): string {
    const current = [...resume.lines].reverse().find((l) => l.to === null && l.source === 'history');
    if (!current) return '';
    const concurrent = current.nested
      .filter((n) => n.kind === 'concurrent' && n.to === null)
      .map((n) => n.text.replace(/^兼任/, ''));
    return concurrent.length > 0 ? `${current.text}，兼任${concurrent.join('、')}` : current.text;
  }

  /** The reporting unit by default: the party committee of the township the person belongs to. */
  async function defaultReportingUnit(db: Knex, personId: number, asOf: string): Promise<string> {
    const row = await db('assignments as a')
      .join('posts as p', 'p.id', 'a.post_id')
      .where('a.person_id', personId)
      .whereNull('a.superseded_at')
      .andWhere('a.kind', 'primary')
      .andWhere('a.valid_from', '<=', asOf)
      .orderBy('a.valid_from', 'desc')
      .first('p.township_id');
    const registered = await records.personDetails(db, personId);
    const townshipId = row?.township_id ?? registered?.registeredTownshipId ?? null;
    if (!townshipId) return '';
    const t = await repo.townshipWithCounty(db, townshipId);
    return t ? `中共${t.countyName ?? ''}${t.name}委员会` : '';
  }

  async function formOf(db: Knex, personId: number, date: string, formCase: Partial<FormCase>) {
    const person = await records.personDetails(db, personId);
    if (!person) throw new NotFoundError('person');
    const [resume, educations, family, assessments, sanctions, reportingUnit] = await Promise.all([
      resumeOf(db, personId, date),
      records.educationsWithIds(db, personId),
      records.familyWithIds(db, personId),
      historyRepo.assessmentTimeline(db, personId),
      historyRepo.sanctionTimeline(db, personId),
      defaultReportingUnit(db, personId, date),
    ]);
    const form = buildAppointmentForm({
      date,
      person,
      educations,
      family,
      assessments: assessments.filter((a) => a.supersededAt === null),
      sanctions: sanctions.filter((s) => s.supersededAt === null),
      resume,
      currentPost: currentPostOf(resume),
      case: {
        proposedPost: formCase.proposedPost ?? '',
        proposedRemoval: formCase.proposedRemoval ?? '',
        reason: formCase.reason ?? '',
        reportingUnit: formCase.reportingUnit || reportingUnit,
        filledBy: formCase.filledBy ?? '',
      },
      label: zhLabel,
    });
    return { person, form };
  }

  return {
    async resume(scope: Scope, personId: number) {
      const asOf = clock.today();
      await assertReadable(knex, scope, personId, asOf);
      const person = await records.personDetails(knex, personId);
      if (!person) throw new NotFoundError('person');
      const [resume, freeLines, writable, start] = await Promise.all([
        resumeOf(knex, personId, asOf),
        repo.resumeLinesOf(knex, personId),
        canWrite(knex, scope, personId, asOf),
        repo.historyStart(knex, personId),
      ]);
      return {
        person: { id: person.id, name: person.name },
        asOf,
        resume,
        freeLines,
        writable,
        historyStart: start,
      };
    },

    async resumeLine(scope: Scope, personId: number, rowId: number) {
      await assertWritable(knex, scope, personId, clock.today());
      const row = await repo.findResumeLine(knex, personId, rowId);
      if (!row) throw new NotFoundError('resume line');
      return row;
    },

    /** Adds (rowId null) or changes a free-text line; a double submit of the same new line writes nothing. */
    async saveResumeLine(
      actor: Actor,
      scope: Scope,
      personId: number,
      rowId: number | null,
      fields: repo.ResumeLineFields,
    ): Promise<WriteResult<{ id: number; replayed: boolean }>> {
      await assertWritable(knex, scope, personId, clock.today());
      return asResult(() =>
        knex.transaction(async (trx) => {
          if (!(await records.lockPerson(trx, personId))) throw new NotFoundError('person');
          if (rowId === null) {
            const same = await repo.findSameResumeLine(trx, personId, fields);
            if (same !== undefined) return { id: same, replayed: true };
            const id = await repo.insertResumeLine(trx, personId, fields);
            await appendAudit(trx, actor, {
              action: 'person.resume_line_added',
              entityType: 'person',
              entityId: personId,
              after: { resumeLineId: id, ...fields },
            });
            return { id, replayed: false };
          }
          const before = await repo.findResumeLine(trx, personId, rowId);
          if (!before) throw new NotFoundError('resume line');
          const { id: _id, ...old } = before;
          const diff = changedOnly(old, { ...fields });
          if (Object.keys(diff.after).length > 0) {
            await repo.updateResumeLine(trx, rowId, fields);
            await appendAudit(trx, actor, {
              action: 'person.resume_line_updated',
              entityType: 'person',
              entityId: personId,
              before: { resumeLineId: rowId, ...diff.before },
              after: { resumeLineId: rowId, ...diff.after },
            });
          }
          return { id: rowId, replayed: false };
        }),
      );
    },

    async removeResumeLine(actor: Actor, scope: Scope, personId: number, rowId: number): Promise<void> {
      await assertWritable(knex, scope, personId, clock.today());
      await knex.transaction(async (trx) => {
        if (!(await records.lockPerson(trx, personId))) throw new NotFoundError('person');
        const before = await repo.findResumeLine(trx, personId, rowId);
        if (!before) return; // removed already (a double submit)
        await repo.deleteResumeLine(trx, rowId);
        await appendAudit(trx, actor, {
          action: 'person.resume_line_removed',
          entityType: 'person',
          entityId: personId,
          before: { resumeLineId: rowId, ...before },
        });
      });
    },

    /** The appointment form's data as of a date (default today), with the case's entries. */
    async appointmentForm(
      scope: Scope,
      personId: number,
      options: { date?: string | null; case?: Partial<FormCase> } = {},
    ): Promise<{ personId: number; hasPhoto: boolean; photoVersion: string; form: AppointmentForm }> {
      await assertReadable(knex, scope, personId, clock.today());
      const { person, form } = await formOf(
        knex,
        personId,
        options.date ?? clock.today(),
        options.case ?? {},
      );
      return { personId, hasPhoto: person.hasPhoto, photoVersion: person.version, form };
    },

    /** The .lrmx file of a person (full ID number: the export is audited as a full view of it). */
    async exportLrmx(
      actor: Actor,
      scope: Scope,
      personId: number,
      options: { case?: Partial<FormCase> } = {},
    ): Promise<{ xml: string; name: string }> {
      const today = clock.today();
      await assertReadable(knex, scope, personId, today);
      const { person, form } = await formOf(knex, personId, today, options.case ?? {});
      const photo = await repo.photoBytes(knex, personId);
      const xml = buildLrmx(formToLrmx(form, { photo, date: today }));
      await knex.transaction(async (trx) => {
        await appendAudit(trx, actor, {
          action: 'person.id_number_viewed',
          entityType: 'person',
          entityId: personId,
          after: { via: 'lrmx_export' },
        });
      });
      return { xml, name: person.name };
    },

    /** Townships the caller may import new people into. */
    async importTownships(scope: Scope) {
      return records.townshipNames(knex, scope.all ? 'all' : [...scope.townshipIds]);
    },

    /**
     * What an import of this ID number would do: create a person, update the one in scope that has it (with
     * its current values as an .lrmx record, for the field-by-field comparison), or nothing when someone
     * outside the caller's write scope has it.
     */
    async importTarget(scope: Scope, idNumber: string) {
      const today = clock.today();
      const holder = await records.findByIdNumber(knex, idNumber);
      if (!holder) return { kind: 'new' as const };
      const writeScope = { ...scope, personIds: new Set<number>() };
      if (!(await isPersonInScope(knex, writeScope, holder.id, today))) return { kind: 'taken' as const };
      const { person, form } = await formOf(knex, holder.id, today, {});
      const [photo, educations, family, freeLines, start] = await Promise.all([
        repo.photoBytes(knex, holder.id),
        records.educationsWithIds(knex, holder.id),
        records.familyWithIds(knex, holder.id),
        repo.resumeLinesOf(knex, holder.id),
        repo.historyStart(knex, holder.id),
      ]);
      return {
        kind: 'update' as const,
        person,
        form,
        current: formToLrmx(form, { photo, date: today }),
        photo,
        educations,
        family,
        freeLines,
        historyStartMonth: start ? monthIndex(start) : null,
      };
    },

    /**
     * Applies a previewed import in one transaction with one audit entry: a new person in the chosen township,
     * or the changed parts of the record (fields, the highest education of each mode, family members matched
     * by relation and name, the free-text resume lines before the history, the photo).
     */
    async applyImport(
      actor: Actor,
      scope: Scope,
      plan: ImportPlan,
    ): Promise<WriteResult<{ id: number; created: boolean }>> {
      const today = clock.today();
      if (plan.target === 'new') {
        if (plan.townshipId === null || !townshipWritable(scope, plan.townshipId))
          return conflict({ field: 'townshipId', key: 'townshipRequired' });
      } else {
        await assertWritable(knex, scope, plan.personId, today);
        if (!plan.changed) return { ok: true, value: { id: plan.personId, created: false } };
      }
      return asResult(() =>
        knex.transaction(async (trx) => {
          const holder = await records.findByIdNumber(trx, plan.person.idNumber);
          let personId: number;
          let before: Record<string, unknown> = {};
          let after: Record<string, unknown>;
          const fields = fieldsOf(plan.person);
          if (plan.target === 'new') {
            if (holder) throw new RejectedWrite(conflict({ field: 'file', key: 'importStale' }));
            personId = await records.insertPerson(trx, fields, plan.townshipId);
            after = snapshot(fields);
          } else {
            personId = plan.personId;
            const current = await records.lockPerson(trx, personId);
            if (!current) throw new NotFoundError('person');
            if (!holder || holder.id !== personId || current.version !== plan.version)
              throw new RejectedWrite(conflict({ field: 'file', key: 'importStale' }));
            const diff = changedOnly(snapshot(current), snapshot(fields));
            if (Object.keys(diff.after).length > 0) await records.updatePerson(trx, personId, fields);
            before = diff.before;
            after = diff.after;
          }
          for (const e of plan.educations) {
            if (e.rowId === null) await records.insertEducation(trx, personId, e.fields);
            else await records.updateEducation(trx, e.rowId, e.fields);
          }
          for (const f of plan.family) {
            if (f.rowId === null) await records.insertFamilyMember(trx, personId, f.fields);
            else await records.updateFamilyMember(trx, f.rowId, f.fields);
          }
          if (plan.resumeLines !== null) {
            await repo.deleteResumeLinesOf(trx, personId);
            for (const line of plan.resumeLines) await repo.insertResumeLine(trx, personId, line);
          }
          if (plan.photo) await records.setPhoto(trx, personId, plan.photo);
          else if (plan.target === 'update') await records.touchPerson(trx, personId);
          await appendAudit(trx, actor, {
            action: plan.target === 'new' ? 'person.lrmx_created' : 'person.lrmx_updated',
            entityType: 'person',
            entityId: personId,
            before: plan.target === 'new' ? undefined : before,
            after: {
              ...after,
              ...(plan.target === 'new' ? { townshipId: plan.townshipId } : {}),
              educations: plan.educations.map((e) => ({ educationId: e.rowId, ...e.fields })),
              family: plan.family.map((f) => ({ familyMemberId: f.rowId, ...f.fields })),
              resumeLines: plan.resumeLines,
              photo: plan.photo ? { type: plan.photo.mime, bytes: plan.photo.bytes.length } : undefined,
              fileVersion: plan.fileVersion,
              idNumber: maskIdNumber(plan.person.idNumber),
            },
          });
          return { id: personId, created: plan.target === 'new' };
        }),
      );
    },
  };
}

export type ResumeService = ReturnType<typeof createResumeService>;
