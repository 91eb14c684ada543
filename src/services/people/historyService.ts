import type { Knex } from 'knex';
import type { Scope } from '../../auth/principal.js';
import { type Actor, appendAudit } from '../../db/repositories/audit.js';
import { rosterOfTownship } from '../../db/repositories/people.js';
import * as history from '../../db/repositories/personHistory.js';
import * as records from '../../db/repositories/personRecords.js';
import * as quota from '../../db/repositories/quota.js';
import * as regions from '../../db/repositories/regions.js';
import type { AssignmentKind, EstablishmentType, Ladder } from '../../db/tables.js';
import type { Clock } from '../../domain/clock.js';
import {
  type AssessmentResult,
  checkPeriod,
  entryVerdict,
  type Problem,
  resultsFor,
} from '../../domain/personRecord.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { assertWritable, townshipWritable } from './access.js';
import { asResult, conflict, invalid, RejectedWrite, type WriteResult } from './problems.js';

export type { HistoryKind } from '../../db/repositories/personHistory.js';

export type EntryValuesInput =
  | { kind: 'assignments'; postId: number; assignmentKind: AssignmentKind; plannedUntil: string | null }
  | { kind: 'grades'; gradeCode: string; legacyTitle: string | null; probationUntil: string | null }
  | { kind: 'slots'; accountId: number }
  | { kind: 'statuses'; status: string };

export interface EntryInput {
  validFrom: string;
  validTo: string | null;
  reason: string;
  docNo: string | null;
  /** End the open entry this one follows (same ladder, the primary post, the slot, the status) on validFrom. */
  closePrevious: boolean;
  values: EntryValuesInput;
}

export interface SanctionInput {
  kindCode: string;
  decidedOn: string;
  closedOn: string | null;
  reason: string;
  docNo: string | null;
}

export function createHistoryService(deps: { knex: Knex; clock: Clock }) {
  const { knex, clock } = deps;

  /** Townships whose posts and quota accounts a writer may use. */
  const townshipsOf = (scope: Scope): readonly number[] | 'all' =>
    scope.all ? 'all' : [...scope.townshipIds];

  async function accountAllowed(scope: Scope, account: records.AccountChoice): Promise<boolean> {
    if (scope.all) return true;
    if (account.townshipId !== null) return scope.townshipIds.has(account.townshipId);
    const allowed = await records.accountChoices(knex, [...scope.townshipIds]);
    return allowed.some((a) => a.id === account.id);
  }

  /** Turns form values into stored values, checking that posts, accounts and grades exist and are the writer's. */
  async function resolveValues(scope: Scope, input: EntryInput): Promise<history.EntryValues> {
    const v = input.values;
    switch (v.kind) {
      case 'assignments': {
        const post = await records.findPost(knex, v.postId);
        if (!post || !townshipWritable(scope, post.townshipId))
          throw new RejectedWrite(invalid({ field: 'postId', key: 'postRequired' }));
        if (input.validFrom < post.openedOn || (post.closedOn !== null && input.validFrom >= post.closedOn))
          throw new RejectedWrite(invalid({ field: 'postId', key: 'postClosed' }));
        return {
          kind: 'assignments',
          postId: post.id,
          assignmentKind: v.assignmentKind,
          plannedUntil: v.plannedUntil,
        };
      }
      case 'grades': {
        const level = (await records.gradeLevels(knex)).find((g) => g.code === v.gradeCode);
        if (!level) throw new RejectedWrite(invalid({ field: 'gradeCode', key: 'gradeRequired' }));
        return {
          kind: 'grades',
          ladder: level.ladder as Ladder,
          gradeCode: level.code,
          legacyTitle: v.legacyTitle,
          probationUntil: v.probationUntil,
        };
      }
      case 'slots': {
        const account = await records.findAccount(knex, v.accountId);
        if (!account || !(await accountAllowed(scope, account)))
          throw new RejectedWrite(invalid({ field: 'accountId', key: 'accountRequired' }));
        return { kind: 'slots', accountId: account.id };
      }
      case 'statuses':
        return { kind: 'statuses', status: v.status };
    }
  }

  function periodProblems(input: EntryInput): Problem[] {
    const problems = checkPeriod(input.validFrom, input.validTo);
    const v = input.values;
    if (v.kind === 'assignments' && v.plannedUntil !== null && v.plannedUntil <= input.validFrom)
      problems.push({ field: 'plannedUntil', key: 'plannedBeforeStart' });
    if (v.kind === 'grades' && v.probationUntil !== null && v.probationUntil <= input.validFrom)
      problems.push({ field: 'probationUntil', key: 'probationBeforeStart' });
    return problems;
  }

  /** Q2 on the date the slot starts, under a lock on the account. */
  async function checkVacancy(trx: Knex.Transaction, accountId: number, on: string): Promise<void> {
    await quota.lockAccount(trx, accountId);
    const [usage] = await quota.usage(trx, { accountIds: [accountId] }, on);
    const { approved = 0, occupied = 0, reserved = 0 } = usage ?? {};
    if (!entryVerdict({ approved, occupied, reserved }).ok) {
      const account = await records.findAccount(trx, accountId);
      throw new RejectedWrite(
        conflict({
          field: 'accountId',
          key: 'noVacancyIn',
          vars: {
            holder: account?.holderName ?? '',
            type: account?.establishmentType ?? '',
            approved,
            occupied,
          },
        }),
      );
    }
  }

  const auditValues = (values: history.EntryValues) => {
    const { kind: _k, ...rest } = values;
    return rest;
  };

  return {
    /** What the history forms offer: posts, quota accounts and grades of the writer's townships. */
    async entryOptions(scope: Scope, personId: number) {
      await assertWritable(knex, scope, personId, clock.today());
      const [posts, accounts, grades] = await Promise.all([
        records.postChoices(knex, townshipsOf(scope), clock.today()),
        records.accountChoices(knex, townshipsOf(scope)),
        records.gradeLevels(knex),
      ]);
      return { posts, accounts, grades, today: clock.today() };
    },

    async entry(scope: Scope, personId: number, kind: history.HistoryKind, entryId: number) {
      await assertWritable(knex, scope, personId, clock.today());
      const entry = await history.findEntry(knex, kind, personId, entryId);
      if (!entry) throw new NotFoundError('entry');
      return entry;
    },

    /**
     * Adds an entry, or (with correctsId) records a correction: the old entry is superseded and the new one
     * cites it, in one transaction, so the exclusion constraints hold over what is in force.
     */
    async addEntry(
      actor: Actor,
      scope: Scope,
      personId: number,
      input: EntryInput,
      correctsId: number | null = null,
    ): Promise<WriteResult<{ id: number; replayed: boolean }>> {
      await assertWritable(knex, scope, personId, clock.today());
      const problems = periodProblems(input);
      if (problems.length > 0) return invalid(...problems);
      return asResult(async () => {
        const values = await resolveValues(scope, input);
        const base = {
          validFrom: input.validFrom,
          validTo: input.validTo,
          reason: input.reason,
          docNo: input.docNo,
        };
        return knex.transaction(async (trx) => {
          if (!(await records.lockPerson(trx, personId))) throw new NotFoundError('person');
          let corrected: history.StoredEntry | undefined;
          if (correctsId !== null) {
            corrected = await history.findEntry(trx, values.kind, personId, correctsId);
            if (!corrected) throw new NotFoundError('entry');
            if (corrected.supersededAt) {
              // A double submit of the same correction finds the entry that replaced it.
              const replacement = await trx(
                values.kind === 'slots'
                  ? 'quota_slots'
                  : values.kind === 'statuses'
                    ? 'person_statuses'
                    : values.kind,
              )
                .where({ corrects_id: correctsId })
                .first('id');
              if (replacement) return { id: replacement.id as number, replayed: true };
              throw new RejectedWrite(conflict({ field: 'validFrom', key: 'alreadyCorrected' }));
            }
            await history.supersedeEntry(trx, values.kind, correctsId);
          } else {
            const same = await history.findIdenticalEntry(trx, personId, base, values);
            if (same !== undefined) return { id: same, replayed: true };
          }
          const closed: number[] = [];
          if (input.closePrevious && correctsId === null) {
            for (const id of await history.openPredecessors(trx, personId, values, input.validFrom)) {
              await history.closeEntry(trx, values.kind, id, input.validFrom);
              closed.push(id);
            }
          }
          if (values.kind === 'slots') await checkVacancy(trx, values.accountId, input.validFrom);
          const id = await history.insertEntry(trx, personId, { ...base, correctsId }, values);
          await appendAudit(trx, actor, {
            action: corrected ? 'person.history_corrected' : 'person.history_added',
            entityType: 'person',
            entityId: personId,
            before: corrected
              ? {
                  kind: values.kind,
                  entryId: corrected.id,
                  validFrom: corrected.validFrom,
                  validTo: corrected.validTo,
                  reason: corrected.reason,
                  docNo: corrected.docNo,
                  ...auditValues(corrected.values),
                }
              : undefined,
            after: { kind: values.kind, entryId: id, ...base, ...auditValues(values), closedEntries: closed },
          });
          return { id, replayed: false };
        });
      });
    },

    /** Ends an open entry: its valid_to is set once (closing, not overwriting). */
    async closeEntry(
      actor: Actor,
      scope: Scope,
      personId: number,
      kind: history.HistoryKind,
      entryId: number,
      validTo: string,
    ): Promise<WriteResult<{ id: number }>> {
      await assertWritable(knex, scope, personId, clock.today());
      return asResult(() =>
        knex.transaction(async (trx) => {
          if (!(await records.lockPerson(trx, personId))) throw new NotFoundError('person');
          const entry = await history.findEntry(trx, kind, personId, entryId);
          if (!entry) throw new NotFoundError('entry');
          if (entry.supersededAt)
            throw new RejectedWrite(conflict({ field: 'validTo', key: 'alreadyCorrected' }));
          if (entry.validTo !== null) {
            if (entry.validTo === validTo) return { id: entryId }; // a double submit
            throw new RejectedWrite(conflict({ field: 'validTo', key: 'alreadyEnded' }));
          }
          const problems = checkPeriod(entry.validFrom, validTo);
          if (problems.length > 0) throw new RejectedWrite(invalid(...problems));
          await history.closeEntry(trx, kind, entryId, validTo);
          await appendAudit(trx, actor, {
            action: 'person.history_closed',
            entityType: 'person',
            entityId: personId,
            before: { kind, entryId, validTo: null },
            after: { kind, entryId, validTo },
          });
          return { id: entryId };
        }),
      );
    },

    // Assessments -----------------------------------------------------------------------------------------

    /** The results the person's establishment type allows (by their quota slot in force at the year's end). */
    async assessmentOptions(scope: Scope, personId: number, year: number) {
      await assertWritable(knex, scope, personId, clock.today());
      const type = await slotTypeOn(personId, yearEnd(year));
      const current = (await history.currentAssessments(knex, [personId], [year]))[0] ?? null;
      return { results: resultsFor(type), current, type };
    },

    async recordAssessment(
      actor: Actor,
      scope: Scope,
      personId: number,
      input: { year: number; result: AssessmentResult; docNo: string | null },
    ): Promise<WriteResult<{ id: number; replayed: boolean }>> {
      await assertWritable(knex, scope, personId, clock.today());
      const allowed = resultsFor(await slotTypeOn(personId, yearEnd(input.year)));
      if (!allowed.includes(input.result)) return invalid({ field: 'result', key: 'resultNotForType' });
      return asResult(() =>
        knex.transaction(async (trx) => {
          if (!(await records.lockPerson(trx, personId))) throw new NotFoundError('person');
          const written = await writeAssessment(trx, actor, personId, input, null);
          return written ?? { id: 0, replayed: true };
        }),
      );
    },

    /**
     * One page for a whole township and year: everyone on the roster at the year's end (or today), with this
     * year's result if recorded, else last year's as the suggestion.
     */
    assessmentSheet,

    /**
     * Saves the sheet in one transaction: any bad row and nothing is saved. Unchanged rows write nothing; each
     * changed row gets its own audit entry (so every person's audit trail is complete), marked with the batch.
     */
    async saveAssessmentSheet(
      actor: Actor,
      scope: Scope,
      townshipId: number,
      year: number,
      docNo: string | null,
      submitted: ReadonlyMap<number, string>,
    ): Promise<WriteResult<{ changed: number }>> {
      const sheet = await assessmentSheet(scope, townshipId, year);
      const problems: Problem[] = [];
      const writes: Array<{ personId: number; result: AssessmentResult }> = [];
      for (const row of sheet.rows) {
        const value = submitted.get(row.personId) ?? '';
        if (value === '') continue;
        if (!(row.allowed as readonly string[]).includes(value)) {
          problems.push({
            field: `result-${row.personId}`,
            key: 'resultNotForTypeOf',
            vars: { name: row.name },
          });
          continue;
        }
        writes.push({ personId: row.personId, result: value as AssessmentResult });
      }
      if (problems.length > 0) return invalid(...problems);
      return asResult(() =>
        knex.transaction(async (trx) => {
          let changed = 0;
          for (const w of writes) {
            if (!(await records.lockPerson(trx, w.personId))) throw new NotFoundError('person');
            const written = await writeAssessment(
              trx,
              actor,
              w.personId,
              { year, result: w.result, docNo },
              {
                townshipId,
                year,
              },
            );
            if (written && !written.replayed) changed += 1;
          }
          return { changed };
        }),
      );
    },

    // Sanctions -------------------------------------------------------------------------------------------

    async sanctionKinds() {
      return records.sanctionKinds(knex);
    },

    async sanction(scope: Scope, personId: number, sanctionId: number) {
      await assertWritable(knex, scope, personId, clock.today());
      const row = await history.findSanction(knex, personId, sanctionId);
      if (!row) throw new NotFoundError('sanction');
      return row;
    },

    async recordSanction(
      actor: Actor,
      scope: Scope,
      personId: number,
      input: SanctionInput,
      correctsId: number | null = null,
    ): Promise<WriteResult<{ id: number; replayed: boolean }>> {
      await assertWritable(knex, scope, personId, clock.today());
      const kind = (await records.sanctionKinds(knex)).find((k) => k.code === input.kindCode);
      if (!kind) return invalid({ field: 'kindCode', key: 'sanctionKindRequired' });
      if (input.closedOn !== null && input.closedOn < input.decidedOn)
        return invalid({ field: 'closedOn', key: 'closedBeforeDecided' });
      return asResult(() =>
        knex.transaction(async (trx) => {
          if (!(await records.lockPerson(trx, personId))) throw new NotFoundError('person');
          let before: Awaited<ReturnType<typeof history.findSanction>>;
          if (correctsId !== null) {
            before = await history.findSanction(trx, personId, correctsId);
            if (!before) throw new NotFoundError('sanction');
            if (!(await history.supersedeSanction(trx, correctsId))) {
              const replacement = await trx('sanctions').where({ corrects_id: correctsId }).first('id');
              if (replacement) return { id: replacement.id, replayed: true };
              throw new RejectedWrite(conflict({ field: 'kindCode', key: 'alreadyCorrected' }));
            }
          } else {
            const same = await history.findSameSanction(trx, personId, input);
            if (same !== undefined) return { id: same, replayed: true };
          }
          const id = await history.insertSanction(trx, personId, input, correctsId);
          await appendAudit(trx, actor, {
            action: before ? 'person.sanction_corrected' : 'person.sanction_recorded',
            entityType: 'person',
            entityId: personId,
            before: before ? { sanctionId: before.id, ...before, supersededAt: undefined } : undefined,
            after: { sanctionId: id, ...input },
          });
          return { id, replayed: false };
        }),
      );
    },

    async closeSanction(
      actor: Actor,
      scope: Scope,
      personId: number,
      sanctionId: number,
      closedOn: string,
    ): Promise<WriteResult<{ id: number }>> {
      await assertWritable(knex, scope, personId, clock.today());
      return asResult(() =>
        knex.transaction(async (trx) => {
          if (!(await records.lockPerson(trx, personId))) throw new NotFoundError('person');
          const row = await history.findSanction(trx, personId, sanctionId);
          if (!row) throw new NotFoundError('sanction');
          if (row.closedOn !== null) {
            if (row.closedOn === closedOn) return { id: sanctionId };
            throw new RejectedWrite(conflict({ field: 'closedOn', key: 'alreadyEnded' }));
          }
          if (row.supersededAt) throw new ConflictError('people.errors.alreadyCorrected');
          if (closedOn < row.decidedOn)
            throw new RejectedWrite(invalid({ field: 'closedOn', key: 'closedBeforeDecided' }));
          await history.closeSanction(trx, sanctionId, closedOn);
          await appendAudit(trx, actor, {
            action: 'person.sanction_closed',
            entityType: 'person',
            entityId: personId,
            before: { sanctionId, closedOn: null },
            after: { sanctionId, closedOn },
          });
          return { id: sanctionId };
        }),
      );
    },
  };

  async function assessmentSheet(scope: Scope, townshipId: number, year: number) {
    if (!townshipWritable(scope, townshipId)) throw new NotFoundError('township');
    const township = await regions.findRegion(knex, townshipId, 'township');
    if (!township) throw new NotFoundError('township');
    const asOf = [yearEnd(year), clock.today()].sort()[0] as string;
    const roster = (await rosterOfTownship(knex, townshipId, asOf)).filter(
      (p) => p.status === null || p.status === 'active',
    );
    const results = await history.currentAssessments(
      knex,
      roster.map((p) => p.id),
      [year, year - 1],
    );
    const rows = roster.map((p) => {
      const current = results.find((r) => r.personId === p.id && r.year === year) ?? null;
      const last = results.find((r) => r.personId === p.id && r.year === year - 1) ?? null;
      const allowed = resultsFor(p.establishmentType);
      const suggestion =
        current?.result ??
        (last && (allowed as readonly string[]).includes(last.result) ? last.result : null);
      return {
        personId: p.id,
        name: p.name,
        unitName: p.unitName,
        postName: p.postName,
        establishmentType: p.establishmentType,
        allowed,
        current: current?.result ?? null,
        lastYear: last?.result ?? null,
        suggestion,
      };
    });
    return { township, year, asOf, rows };
  }

  function yearEnd(year: number): string {
    return `${year}-12-31`;
  }

  async function slotTypeOn(personId: number, on: string): Promise<EstablishmentType | null> {
    const slots = await history.slotTimeline(knex, personId);
    const inForce = slots.find(
      (s) => !s.supersededAt && s.validFrom <= on && (s.validTo === null || s.validTo > on),
    );
    const latest = inForce ?? slots.find((s) => !s.supersededAt && s.validFrom <= on);
    return latest?.establishmentType ?? null;
  }

  /** Records one result; a different result for a recorded year is a correction. Null when nothing changed. */
  async function writeAssessment(
    trx: Knex.Transaction,
    actor: Actor,
    personId: number,
    input: { year: number; result: string; docNo: string | null },
    batch: { townshipId: number; year: number } | null,
  ): Promise<{ id: number; replayed: boolean } | null> {
    const current = (await history.currentAssessments(trx, [personId], [input.year]))[0];
    if (current && current.result === input.result && (batch !== null || current.docNo === input.docNo))
      return { id: current.id, replayed: true };
    if (current) await history.supersedeAssessment(trx, current.id);
    const id = await history.insertAssessment(trx, {
      personId,
      year: input.year,
      result: input.result,
      docNo: input.docNo,
      correctsId: current?.id ?? null,
    });
    await appendAudit(trx, actor, {
      action: current ? 'person.assessment_corrected' : 'person.assessment_recorded',
      entityType: 'person',
      entityId: personId,
      before: current
        ? { assessmentId: current.id, year: current.year, result: current.result, docNo: current.docNo }
        : undefined,
      after: { assessmentId: id, ...input, ...(batch ? { batch } : {}) },
    });
    return { id, replayed: false };
  }
}

export type HistoryService = ReturnType<typeof createHistoryService>;
