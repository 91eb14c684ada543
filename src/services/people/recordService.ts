import type { Knex } from 'knex';
import type { Scope } from '../../auth/principal.js';
import { type Actor, appendAudit } from '../../db/repositories/audit.js';
import * as history from '../../db/repositories/personHistory.js';
import * as records from '../../db/repositories/personRecords.js';
import { type PeopleFilter, searchPeople } from '../../db/repositories/personSearch.js';
import * as quota from '../../db/repositories/quota.js';
import * as regions from '../../db/repositories/regions.js';
import { isPersonInScope } from '../../db/repositories/scope.js';
import type { EstablishmentType } from '../../db/tables.js';
import type { Clock } from '../../domain/clock.js';
import type { DatePrecision } from '../../domain/dateInput.js';
import { maskIdNumber } from '../../domain/idNumber.js';
import { type NameKeys, nameKeys } from '../../domain/personName.js';
import { entryVerdict, historyState, type Problem, typeFitsPost } from '../../domain/personRecord.js';
import { checkPhoto } from '../../domain/photo.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { assertReadable, assertWritable, canWrite, townshipWritable } from './access.js';
import { asResult, conflict, invalid, RejectedWrite, type WriteResult } from './problems.js';

/** The appointment-form fields as the form hands them over (validated and normalised by its schema). */
export interface PersonInput {
  idNumber: string;
  name: string;
  gender: 'male' | 'female';
  birthDate: string;
  birthPrecision: DatePrecision;
  ethnicity: string;
  nativePlace: string;
  birthPlace: string;
  politicalStatus: string;
  partyJoinedOn: string | null;
  workStartedOn: string | null;
  health: string;
  professionalTitle: string;
  expertise: string;
}

export interface FirstAssignmentInput {
  postId: number;
  establishmentType: EstablishmentType;
  validFrom: string;
  reason: string;
  docNo: string | null;
}

export interface CreateInput {
  townshipId: number;
  person: PersonInput;
  first: FirstAssignmentInput | null;
  /** A random token of the form page: a double submit finds the record the first submit created. */
  formToken: string | null;
}

/** What the audit log keeps of a person: the fields, with the ID number masked (it is stored once). */
export function snapshot(p: records.PersonFields | records.PersonDetails): Record<string, unknown> {
  const { namePinyin: _p, nameInitials: _i, surnameStrokes: _s, ...rest } = p as records.PersonFields;
  const out: Record<string, unknown> = { ...rest, idNumber: maskIdNumber(p.idNumber) };
  for (const key of ['id', 'hasPhoto', 'registeredTownshipId', 'version']) delete out[key];
  return out;
}

export function changedOnly(before: Record<string, unknown>, after: Record<string, unknown>) {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return { before: b, after: a };
}

/**
 * The stored fields of a validated person form, with the name's search keys derived (`keysOf` lets a bulk
 * caller derive them once per distinct name).
 */
export function fieldsOf(
  input: PersonInput,
  keysOf: (name: string) => NameKeys = nameKeys,
): records.PersonFields {
  const keys = keysOf(input.name);
  return {
    idNumber: input.idNumber,
    name: input.name,
    namePinyin: keys.pinyin,
    nameInitials: keys.initials,
    surnameStrokes: keys.surnameStrokes,
    gender: input.gender,
    birthDate: input.birthDate,
    ethnicity: input.ethnicity,
    nativePlace: input.nativePlace,
    birthPlace: input.birthPlace,
    politicalStatus: input.politicalStatus,
    partyJoinedOn: input.partyJoinedOn,
    workStartedOn: input.workStartedOn,
    health: input.health,
    professionalTitle: input.professionalTitle,
    expertise: input.expertise,
  };
}

/**
 * The forms edit party membership and first work as months; a stored date in the same month keeps its day,
 * so saving a record unchanged (or a PATCH of other fields) neither truncates it nor writes an audit entry.
 */
function keepStoredDays(
  fields: records.PersonFields,
  current: Pick<records.PersonFields, 'partyJoinedOn' | 'workStartedOn'>,
): records.PersonFields {
  const out = { ...fields };
  for (const k of ['partyJoinedOn', 'workStartedOn'] as const) {
    const stored = current[k];
    const next = out[k];
    if (stored && next && stored.slice(0, 7) === next.slice(0, 7)) out[k] = stored;
  }
  return out;
}

export function createRecordService(deps: { knex: Knex; clock: Clock }) {
  const { knex, clock } = deps;

  function regionVisible(scope: Scope, r: regions.Region): boolean {
    if (scope.all) return true;
    if (r.kind === 'city') return scope.cityIds.has(r.id);
    if (r.kind === 'county') return scope.countyIds.has(r.id);
    return scope.townshipIds.has(r.id);
  }

  async function pathOf(scope: Scope, townshipId: number) {
    const path = await regions.regionPath(knex, townshipId);
    return path.map((r) => ({ ...r, linked: regionVisible(scope, r) }));
  }

  /** The duplicate-ID problem: naming the holder only when the user may see them. */
  async function duplicateProblem(scope: Scope, holder: { id: number; name: string }): Promise<Problem> {
    if (await isPersonInScope(knex, scope, holder.id, clock.today()))
      return { field: 'idNumber', key: 'idNumberTakenBy', vars: { name: holder.name }, person: holder };
    return { field: 'idNumber', key: 'idNumberTaken' };
  }

  /** A person created by the same user from the same form page (a double submit). */
  async function createdFromForm(actor: Actor, formToken: string | null): Promise<number | null> {
    if (!formToken) return null;
    const row = await knex('audit_log')
      .where({ action: 'person.created', actor_user_id: actor.userId })
      .whereRaw(`after->>'formToken' = ?`, [formToken])
      .first('entity_id');
    return row?.entity_id ? Number(row.entity_id) : null;
  }

  function writableTownships(scope: Scope): readonly number[] | 'all' {
    return scope.all ? 'all' : [...scope.townshipIds];
  }

  /** Places a new person: the primary post, the quota slot of its establishment type (Q2 under a lock), active. */
  async function placeFirst(
    trx: Knex.Transaction,
    personId: number,
    townshipId: number,
    first: FirstAssignmentInput,
  ): Promise<Record<string, unknown>> {
    const post = await records.findPost(trx, first.postId);
    if (!post || post.townshipId !== townshipId)
      throw new RejectedWrite(invalid({ field: 'postId', key: 'postRequired' }));
    if (first.validFrom < post.openedOn || (post.closedOn !== null && first.validFrom >= post.closedOn))
      throw new RejectedWrite(invalid({ field: 'postId', key: 'postClosed' }));
    if (!typeFitsPost(first.establishmentType, post))
      throw new RejectedWrite(invalid({ field: 'establishmentType', key: 'typeNotForPost' }));
    // Dispatched units' own staff sit in their county department's quota (Q1, Q4).
    const holder =
      post.unitKind === 'dispatched' && post.departmentId !== null
        ? { departmentId: post.departmentId }
        : { townshipId };
    const accountId = await quota.quotaAccountOf(trx, holder, first.establishmentType);
    if (accountId === undefined)
      throw new RejectedWrite(
        conflict({
          field: 'establishmentType',
          key: 'noQuotaAccount',
          vars: { type: first.establishmentType },
        }),
      );
    // Q2 under the account's lock, counting reservations and ignoring corrected decisions.
    await quota.lockAccount(trx, accountId);
    const [usage] = await quota.usage(trx, { accountIds: [accountId] }, first.validFrom);
    const { approved = 0, occupied = 0, reserved = 0 } = usage ?? {};
    const verdict = entryVerdict({ approved, occupied, reserved });
    if (!verdict.ok)
      throw new RejectedWrite(
        conflict({
          field: 'establishmentType',
          key: 'noVacancy',
          vars: { type: first.establishmentType, approved, occupied },
        }),
      );
    const base = {
      validFrom: first.validFrom,
      validTo: null,
      reason: first.reason,
      docNo: first.docNo,
      correctsId: null,
    };
    const assignmentId = await history.insertEntry(trx, personId, base, {
      kind: 'assignments',
      postId: post.id,
      assignmentKind: 'primary',
      plannedUntil: null,
    });
    const slotId = await history.insertEntry(trx, personId, base, { kind: 'slots', accountId });
    const statusId = await history.insertEntry(trx, personId, base, { kind: 'statuses', status: 'active' });
    return { ...first, assignmentId, slotId, statusId, accountId };
  }

  return {
    async list(scope: Scope, filter: PeopleFilter) {
      const asOf = clock.today();
      const [result, townships] = await Promise.all([
        searchPeople(knex, scope, filter, asOf),
        records.townshipNames(knex, writableTownships(scope)),
      ]);
      return { ...result, asOf, townships };
    },

    /** Townships the user may create people in, and the open posts of the chosen one (vacant first). */
    async createOptions(scope: Scope, townshipId: number | null) {
      const townships = await records.townshipNames(knex, writableTownships(scope));
      const chosen =
        townships.find((t) => t.id === townshipId) ?? (townships.length === 1 ? townships[0] : undefined);
      const posts = chosen ? await records.postChoices(knex, [chosen.id], clock.today()) : [];
      return { townships, township: chosen ?? null, posts, today: clock.today() };
    },

    async create(
      actor: Actor,
      scope: Scope,
      input: CreateInput,
    ): Promise<WriteResult<{ id: number; replayed: boolean }>> {
      if (
        !townshipWritable(scope, input.townshipId) ||
        !(await regions.findRegion(knex, input.townshipId, 'township'))
      )
        return invalid({ field: 'townshipId', key: 'townshipRequired' });
      const replay = async (): Promise<WriteResult<{ id: number; replayed: boolean }> | null> => {
        const holder = await records.findByIdNumber(knex, input.person.idNumber);
        if (!holder) return null;
        if ((await createdFromForm(actor, input.formToken)) === holder.id)
          return { ok: true, value: { id: holder.id, replayed: true } };
        return conflict(await duplicateProblem(scope, holder));
      };
      const early = await replay();
      if (early) return early;
      const result = await asResult(() =>
        knex.transaction(async (trx) => {
          const fields = fieldsOf(input.person);
          const id = await records.insertPerson(trx, fields, input.townshipId);
          const placed = input.first ? await placeFirst(trx, id, input.townshipId, input.first) : null;
          await appendAudit(trx, actor, {
            action: 'person.created',
            entityType: 'person',
            entityId: id,
            after: {
              ...snapshot(fields),
              townshipId: input.townshipId,
              first: placed,
              formToken: input.formToken,
            },
          });
          return { id, replayed: false };
        }),
      );
      if (!result.ok && result.problems.some((p) => p.key === 'idNumberTaken'))
        return (await replay()) ?? result;
      return result;
    },

    /** The record for its edit form (writers only). */
    async details(scope: Scope, id: number) {
      await assertWritable(knex, scope, id, clock.today());
      const person = await records.personDetails(knex, id);
      if (!person) throw new NotFoundError('person');
      return person;
    },

    async update(
      actor: Actor,
      scope: Scope,
      id: number,
      input: PersonInput,
      version: string | null,
    ): Promise<WriteResult<{ id: number }>> {
      await assertWritable(knex, scope, id, clock.today());
      const holder = await records.findByIdNumber(knex, input.idNumber);
      if (holder && holder.id !== id) return conflict(await duplicateProblem(scope, holder));
      const result = await asResult(() =>
        knex.transaction(async (trx) => {
          const current = await records.lockPerson(trx, id);
          if (!current) throw new NotFoundError('person');
          if (version !== null && version !== current.version) throw new ConflictError('people.errors.stale');
          const fields = keepStoredDays(fieldsOf(input), current);
          await records.updatePerson(trx, id, fields);
          const diff = changedOnly(snapshot(current), snapshot(fields));
          if (Object.keys(diff.after).length > 0)
            await appendAudit(trx, actor, {
              action: 'person.updated',
              entityType: 'person',
              entityId: id,
              ...diff,
            });
          return { id };
        }),
      );
      if (!result.ok && result.problems.some((p) => p.key === 'idNumberTaken')) {
        const again = await records.findByIdNumber(knex, input.idNumber);
        if (again && again.id !== id) return conflict(await duplicateProblem(scope, again));
      }
      return result;
    },

    async photo(scope: Scope, id: number) {
      await assertReadable(knex, scope, id, clock.today());
      const photo = await records.photoOf(knex, id);
      if (!photo) throw new NotFoundError('photo');
      return photo;
    },

    async setPhoto(
      actor: Actor,
      scope: Scope,
      id: number,
      bytes: Buffer | null,
    ): Promise<WriteResult<{ id: number }>> {
      await assertWritable(knex, scope, id, clock.today());
      const checked = checkPhoto(bytes);
      if (!checked.ok) return invalid({ field: 'photo', key: `photo.${checked.problem}` });
      return asResult(() =>
        knex.transaction(async (trx) => {
          const current = await records.lockPerson(trx, id);
          if (!current) throw new NotFoundError('person');
          await records.setPhoto(trx, id, { bytes: bytes as Buffer, mime: checked.type });
          await appendAudit(trx, actor, {
            action: 'person.photo_changed',
            entityType: 'person',
            entityId: id,
            before: { hasPhoto: current.hasPhoto },
            after: { hasPhoto: true, type: checked.type, bytes: (bytes as Buffer).length },
          });
          return { id };
        }),
      );
    },

    async removePhoto(actor: Actor, scope: Scope, id: number): Promise<void> {
      await assertWritable(knex, scope, id, clock.today());
      await knex.transaction(async (trx) => {
        const current = await records.lockPerson(trx, id);
        if (!current) throw new NotFoundError('person');
        if (!current.hasPhoto) return;
        await records.setPhoto(trx, id, null);
        await appendAudit(trx, actor, {
          action: 'person.photo_removed',
          entityType: 'person',
          entityId: id,
          before: { hasPhoto: true },
          after: { hasPhoto: false },
        });
      });
    },

    // Education and family: plain rows (not effective-dated), each change audited.

    async education(scope: Scope, personId: number, rowId: number) {
      await assertWritable(knex, scope, personId, clock.today());
      const row = await records.findEducation(knex, personId, rowId);
      if (!row) throw new NotFoundError('education');
      return row;
    },

    async saveEducation(
      actor: Actor,
      scope: Scope,
      personId: number,
      rowId: number | null,
      fields: records.EducationFields,
    ): Promise<WriteResult<{ id: number; replayed: boolean }>> {
      await assertWritable(knex, scope, personId, clock.today());
      return asResult(() =>
        knex.transaction(async (trx) => {
          if (!(await records.lockPerson(trx, personId))) throw new NotFoundError('person');
          if (rowId === null) {
            const same = await records.findSameEducation(trx, personId, fields);
            if (same !== undefined) return { id: same, replayed: true };
            const id = await records.insertEducation(trx, personId, fields);
            await appendAudit(trx, actor, {
              action: 'person.education_added',
              entityType: 'person',
              entityId: personId,
              after: { educationId: id, ...fields },
            });
            return { id, replayed: false };
          }
          const before = await records.findEducation(trx, personId, rowId);
          if (!before) throw new NotFoundError('education');
          await records.updateEducation(trx, rowId, fields);
          const { id: _id, ...old } = before;
          const diff = changedOnly(old, { ...fields });
          if (Object.keys(diff.after).length > 0)
            await appendAudit(trx, actor, {
              action: 'person.education_updated',
              entityType: 'person',
              entityId: personId,
              before: { educationId: rowId, ...diff.before },
              after: { educationId: rowId, ...diff.after },
            });
          return { id: rowId, replayed: false };
        }),
      );
    },

    async removeEducation(actor: Actor, scope: Scope, personId: number, rowId: number): Promise<void> {
      await assertWritable(knex, scope, personId, clock.today());
      await knex.transaction(async (trx) => {
        if (!(await records.lockPerson(trx, personId))) throw new NotFoundError('person');
        const before = await records.findEducation(trx, personId, rowId);
        if (!before) return; // removed already (a double submit)
        await records.deleteEducation(trx, rowId);
        await appendAudit(trx, actor, {
          action: 'person.education_removed',
          entityType: 'person',
          entityId: personId,
          before: { educationId: rowId, ...before },
        });
      });
    },

    async familyMember(scope: Scope, personId: number, rowId: number) {
      await assertWritable(knex, scope, personId, clock.today());
      const row = await records.findFamilyMember(knex, personId, rowId);
      if (!row) throw new NotFoundError('family member');
      return row;
    },

    async saveFamilyMember(
      actor: Actor,
      scope: Scope,
      personId: number,
      rowId: number | null,
      fields: records.FamilyFields,
    ): Promise<WriteResult<{ id: number; replayed: boolean }>> {
      await assertWritable(knex, scope, personId, clock.today());
      return asResult(() =>
        knex.transaction(async (trx) => {
          if (!(await records.lockPerson(trx, personId))) throw new NotFoundError('person');
          if (rowId === null) {
            const same = await records.findSameFamilyMember(trx, personId, fields);
            if (same !== undefined) return { id: same, replayed: true };
            const id = await records.insertFamilyMember(trx, personId, fields);
            await appendAudit(trx, actor, {
              action: 'person.family_added',
              entityType: 'person',
              entityId: personId,
              after: { familyMemberId: id, ...fields },
            });
            return { id, replayed: false };
          }
          const before = await records.findFamilyMember(trx, personId, rowId);
          if (!before) throw new NotFoundError('family member');
          await records.updateFamilyMember(trx, rowId, fields);
          const { id: _id, sortOrder: _s, ...old } = before;
          const diff = changedOnly(old, { ...fields });
          if (Object.keys(diff.after).length > 0)
            await appendAudit(trx, actor, {
              action: 'person.family_updated',
              entityType: 'person',
              entityId: personId,
              before: { familyMemberId: rowId, ...diff.before },
              after: { familyMemberId: rowId, ...diff.after },
            });
          return { id: rowId, replayed: false };
        }),
      );
    },

    async removeFamilyMember(actor: Actor, scope: Scope, personId: number, rowId: number): Promise<void> {
      await assertWritable(knex, scope, personId, clock.today());
      await knex.transaction(async (trx) => {
        if (!(await records.lockPerson(trx, personId))) throw new NotFoundError('person');
        const before = await records.findFamilyMember(trx, personId, rowId);
        if (!before) return;
        await records.deleteFamilyMember(trx, rowId);
        await appendAudit(trx, actor, {
          action: 'person.family_removed',
          entityType: 'person',
          entityId: personId,
          before: { familyMemberId: rowId, ...before },
        });
      });
    },

    /** Every view of a full ID number is audited (domain guide section 6). */
    async recordIdNumberView(actor: Actor, personId: number): Promise<void> {
      await knex.transaction(async (trx) => {
        await appendAudit(trx, actor, {
          action: 'person.id_number_viewed',
          entityType: 'person',
          entityId: personId,
        });
      });
    },

    /** The whole record with its timeline, corrected entries included. */
    async record(scope: Scope, id: number) {
      const asOf = clock.today();
      await assertReadable(knex, scope, id, asOf);
      const person = await records.personDetails(knex, id);
      if (!person) throw new NotFoundError('person');
      const [assignments, grades, slots, statuses, assessments, sanctions, educations, family, writable] =
        await Promise.all([
          history.assignmentTimeline(knex, id),
          history.gradeTimeline(knex, id),
          history.slotTimeline(knex, id),
          history.statusTimeline(knex, id),
          history.assessmentTimeline(knex, id),
          history.sanctionTimeline(knex, id),
          records.educationsWithIds(knex, id),
          records.familyWithIds(knex, id),
          canWrite(knex, scope, id, asOf),
        ]);
      const withState = <T extends { validFrom: string; validTo: string | null; supersededAt: Date | null }>(
        rows: T[],
      ) => rows.map((r) => ({ ...r, state: historyState(r, asOf) }));
      const a = withState(assignments);
      const g = withState(grades);
      const sl = withState(slots);
      const st = withState(statuses);
      const current = <T extends { state: string }>(rows: T[]) => rows.filter((r) => r.state === 'current');
      const primary = current(a).find((x) => x.kind === 'primary');
      const currentSlot = current(sl)[0] ?? null;
      const homeTownshipId =
        primary?.townshipId ??
        currentSlot?.holderTownshipId ??
        sl.find((s) => s.state !== 'superseded' && s.holderTownshipId !== null)?.holderTownshipId ??
        person.registeredTownshipId;
      return {
        person,
        asOf,
        writable,
        assignments: a,
        grades: g,
        slots: sl,
        statuses: st,
        currentAssignments: current(a),
        currentGrades: current(g),
        currentSlot,
        status: current(st)[0] ?? null,
        assessments,
        sanctions,
        educations,
        family,
        path: homeTownshipId ? await pathOf(scope, homeTownshipId) : [],
      };
    },
  };
}

export type RecordService = ReturnType<typeof createRecordService>;
