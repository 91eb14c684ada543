import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Scope } from '../../auth/principal.js';
import { type Actor, appendAudit } from '../../db/repositories/audit.js';
import * as repo from '../../db/repositories/imports.js';
import { townshipNames, updatePerson } from '../../db/repositories/personRecords.js';
import type { Clock } from '../../domain/clock.js';
import { checkRosterMapping, guessRosterMapping } from '../../domain/importLayout.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors.js';
import { changedOnly, snapshot } from '../people/recordService.js';
import { type Lookups, loadLookups } from './lookups.js';
import { loadPlan, storePlan } from './storedPlan.js';
import {
  type DbState,
  type ImportPlan,
  idNumbersOf,
  loadPeopleState,
  loadTownshipState,
  recordsOf,
  stateDigest,
  type ValidationResult,
  validateImport,
} from './validate.js';
import {
  type CellMark,
  markedWorkbook,
  type ReadSheet,
  readWorkbook,
  templateWorkbook,
  UnreadableWorkbook,
} from './workbook.js';

/**
 * Roster import (issue 7): upload → job → validation in the background (streamed read, batches, progress) →
 * preview → commit in one transaction (re-validated under the quota locks) or nothing. Jobs are scoped like
 * people: a township officer's township, a county role's county; staff none.
 */

export const IMPORT_MAX_BYTES = 10 * 1024 * 1024;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export type UploadResult =
  | { ok: true; jobId: number }
  | { ok: false; field: 'file' | 'townshipId'; key: string; vars?: Record<string, string | number> };

export type CommitResult =
  | { ok: true; job: repo.ImportJob }
  | { ok: false; code: 'not_ready' | 'invalid' | 'failed'; job: repo.ImportJob };

/** A refusal found inside the commit's transaction: thrown so everything written rolls back. */
class CommitRefused extends Error {
  constructor(readonly result: ValidationResult) {
    super('import no longer valid');
  }
}

/** The stored fields of a person already on the roster, for the audit's before/after. */
function fieldsOfExisting(p: repo.ExistingPerson) {
  const { townshipIds: _t, id: _i, ...fields } = p;
  return { ...fields, namePinyin: '', nameInitials: '', surnameStrokes: 0 };
}

const XLSX_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

export interface ImportHooks {
  /** Called inside the commit's transaction after every row is written (tests inject a fault here). */
  afterWrites?: (trx: Knex.Transaction) => Promise<void>;
}

export function createImportService(deps: { knex: Knex; clock: Clock; logger: Logger }) {
  const { knex, clock, logger } = deps;
  const running = new Map<number, Promise<void>>();
  /** Live progress of the jobs this process is working on (the commit's writes are invisible until done). */
  const progress = new Map<
    number,
    { done: number; total: number; phase: 'reading' | 'checking' | 'writing' }
  >();
  const hooks: ImportHooks = {};
  let lookupsCache: Lookups | null = null;
  const lookups = async (db: Knex = knex) => {
    if (!lookupsCache) lookupsCache = await loadLookups(db);
    return lookupsCache;
  };

  function writableTownships(scope: Scope): readonly number[] | 'all' {
    return scope.all ? 'all' : [...scope.townshipIds];
  }

  async function townships(scope: Scope) {
    return townshipNames(knex, writableTownships(scope));
  }

  async function jobInScope(scope: Scope, id: number): Promise<repo.ImportJob> {
    const job = await repo.findJob(knex, id);
    if (!job || !(scope.all || scope.townshipIds.has(job.townshipId))) throw new NotFoundError('import');
    return job;
  }

  function run(jobId: number, work: () => Promise<void>): Promise<void> {
    const p = (async () => {
      // Outside the request: the response goes first, then the work runs between other requests.
      await new Promise<void>((resolve) => setImmediate(resolve));
      try {
        await work();
      } catch (err) {
        logger.error({ err, jobId }, 'import job failed');
        await repo
          .updateJob(knex, jobId, { state: 'failed', failure: (err as Error).message ?? 'error' })
          .catch(() => {});
      } finally {
        progress.delete(jobId);
        running.delete(jobId);
      }
    })();
    running.set(jobId, p);
    return p;
  }

  async function readJobFile(jobId: number, db: Knex = knex): Promise<ReadSheet[]> {
    const file = await repo.jobFile(db, jobId);
    if (!file) throw new NotFoundError('import');
    progress.set(jobId, { done: 0, total: 0, phase: 'reading' });
    return readWorkbook(file, async (n) => {
      progress.set(jobId, { done: n, total: 0, phase: 'reading' });
      await new Promise<void>((resolve) => setImmediate(resolve));
    });
  }

  /** A job's file as records (the sheets as read are dropped here: only the records go on). */
  async function recordsOfJob(jobId: number, job: repo.ImportJob, db: Knex = knex) {
    const sheets = await readJobFile(jobId, db);
    const rosterSheets =
      job.layout === 'roster' ? sheets.filter((s) => s.rows.length > 0).slice(0, 1) : sheets;
    return recordsOf(rosterSheets, job.layout, job.mapping);
  }

  async function check(
    jobId: number,
    job: repo.ImportJob,
    read: ReturnType<typeof recordsOf>,
    state: DbState,
    db: Knex,
  ): Promise<ValidationResult> {
    const phase = db === knex ? 'checking' : 'writing';
    return validateImport({
      state,
      townshipId: job.townshipId,
      today: clock.today(),
      lookups: await lookups(db),
      records: read.records,
      initialProblems: read.problems,
      ignoredSheets: read.ignoredSheets,
      onProgress: async (done, total) => {
        progress.set(jobId, { done, total, phase });
      },
    });
  }

  /** Reads and checks a job's file (outside any transaction): ready, invalid, or waiting for a mapping. */
  async function validateJob(jobId: number): Promise<void> {
    const job = await repo.findJob(knex, jobId);
    if (!job) return;
    const started = performance.now();
    const today = clock.today();
    // The township's posts, quota and units don't depend on the file: they load while it is read (a file that
    // turns out unreadable or a plain roster waiting for its mapping leaves them unused).
    const township = loadTownshipState(knex, job.townshipId, today);
    township.catch(() => {});
    let sheets: ReadSheet[];
    try {
      sheets = await readJobFile(jobId);
    } catch (err) {
      if (!(err instanceof UnreadableWorkbook)) throw err;
      await repo.updateJob(knex, jobId, {
        state: 'invalid',
        problems: [{ sheet: '', row: 0, column: null, field: null, key: 'imports.problems.unreadable' }],
        counts: { problems: 1 },
        plan: null,
      });
      return;
    }
    const templateSheets = sheets.filter((s) => s.code !== null);
    if (job.layout === 'template' && templateSheets.length === 0) {
      // No exchange-table sheet: a plain roster (花名册) on the first sheet, whose columns the officer maps.
      const first = sheets.find((s) => s.rows.length > 0) ?? sheets[0];
      const headers = first?.headers ?? [];
      await repo.updateJob(knex, jobId, {
        state: 'mapping',
        mapping: guessRosterMapping(headers).map((v, i) => (i === 0 ? null : v)),
        rowsTotal: first?.rows.length ?? 0,
        counts: {
          sheet: first?.name ?? '',
          headers,
          sample: (first?.rows ?? []).slice(0, 3).map((r) => r.values),
        },
        plan: null,
      });
      await knex('import_jobs').where({ id: jobId }).update({ layout: 'roster' });
      return;
    }
    const rosterSheets =
      job.layout === 'roster' ? sheets.filter((s) => s.rows.length > 0).slice(0, 1) : sheets;
    const read = recordsOf(rosterSheets, job.layout, job.mapping);
    for (const sheet of sheets) sheet.rows = [];
    const readMs = performance.now() - started;
    const idNumbers = idNumbersOf(read.records);
    const ofTownship = await township;
    const state: DbState = {
      ...(await loadPeopleState(knex, job.townshipId, today, idNumbers)),
      ...ofTownship,
    };
    const loadedAt = performance.now();
    const result = await check(jobId, job, read, state, knex);
    const ready = result.problems.length === 0;
    const plan = ready ? await storePlan({ today, digest: stateDigest(state), idNumbers, result }) : null;
    await repo.updateJob(knex, jobId, {
      state: ready ? 'ready' : 'invalid',
      rowsTotal: result.rowsTotal,
      rowsDone: result.rowsTotal,
      counts: { ...result.counts },
      problems: result.problems,
      plan,
    });
    logger.info(
      {
        jobId,
        rows: result.rowsTotal,
        readMs: Math.round(readMs),
        loadMs: Math.round(loadedAt - started - readMs),
        checkMs: Math.round(performance.now() - loadedAt),
      },
      'import checked',
    );
  }

  /** The writes of a valid plan, set-based, inside the commit's transaction. Returns the per-person trail. */
  async function write(trx: Knex.Transaction, job: repo.ImportJob, plan: ImportPlan) {
    const reason = `名册导入（第${job.id}号）`;
    const ids = new Map(plan.existingIds);
    const created = plan.people.filter((p) => p.change === 'create');
    const inserted = await repo.insertMany(
      trx,
      'people',
      created.map((p) => ({ ...repo.personRow(p.fields), registered_township_id: job.townshipId })),
      ['id', 'id_number'],
    );
    for (const r of inserted) ids.set(r.id_number as string, r.id as number);
    for (const p of plan.people.filter((x) => x.change === 'update'))
      await updatePerson(trx, p.existingId as number, { ...p.fields, idNumber: p.idNumber });
    const idOf = (idNumber: string) => {
      const id = ids.get(idNumber);
      if (id === undefined) throw new Error(`no person for a planned row`);
      return id;
    };
    const history = (p: { idNumber: string; validFrom: string; docNo: string | null }) => ({
      person_id: idOf(p.idNumber),
      valid_from: p.validFrom,
      reason,
      doc_no: p.docNo,
    });
    // The records' inserts go out one after the other on the transaction's connection; the audit entries are
    // built meanwhile (the server works while this process does).
    const inserts = insertRecords();
    inserts.catch(() => {});
    await yieldToEventLoop();
    try {
      return await auditEntries();
    } finally {
      await inserts;
    }

    async function insertRecords() {
      await repo.insertMany(
        trx,
        'assignments',
        plan.placements.map((p) => ({ ...history(p), post_id: p.postId, kind: 'primary' })),
      );
      await repo.insertMany(
        trx,
        'quota_slots',
        plan.placements.map((p) => ({ ...history(p), account_id: p.accountId })),
      );
      await repo.insertMany(
        trx,
        'person_statuses',
        plan.placements.filter((p) => p.addStatus).map((p) => ({ ...history(p), status: 'active' })),
      );
      await repo.insertMany(
        trx,
        'grades',
        plan.grades.map((g) => ({
          ...history(g),
          ladder: g.ladder,
          grade_code: g.gradeCode,
          legacy_title: g.legacyTitle,
        })),
      );
      await repo.insertMany(
        trx,
        'educations',
        plan.educations.map((e) => ({
          person_id: idOf(e.idNumber),
          mode: e.mode,
          level: e.level,
          degree: e.degree,
          school: e.school,
          major: e.major,
          started_on: e.startedOn,
          graduated_on: e.graduatedOn,
        })),
      );
      await repo.insertMany(
        trx,
        'sanctions',
        plan.sanctions.map((s) => ({
          person_id: idOf(s.idNumber),
          kind_code: s.kindCode,
          decided_on: s.decidedOn,
          closed_on: s.closedOn,
          reason: s.reason,
          doc_no: s.docNo,
        })),
      );
      await repo.insertMany(
        trx,
        'assessments',
        plan.assessments.map((a) => ({
          person_id: idOf(a.idNumber),
          year: a.year,
          result: a.result,
          doc_no: a.docNo,
        })),
      );
    }

    /** One audit entry per person the import touched (like the people forms); the import's own comes after. */
    async function auditEntries() {
      const added = new Map<string, Record<string, number>>();
      const bump = (idNumber: string, what: string) => {
        const m = added.get(idNumber) ?? {};
        m[what] = (m[what] ?? 0) + 1;
        added.set(idNumber, m);
      };
      for (const p of plan.placements) bump(p.idNumber, 'placements');
      for (const g of plan.grades) bump(g.idNumber, 'grades');
      for (const e of plan.educations) bump(e.idNumber, 'educations');
      for (const s of plan.sanctions) bump(s.idNumber, 'sanctions');
      for (const a of plan.assessments) bump(a.idNumber, 'assessments');
      const entries: Parameters<typeof repo.appendAuditMany>[2] = [];
      const planned = new Map(plan.people.map((p) => [p.idNumber, p]));
      let built = 0;
      for (const p of plan.people) {
        // Other requests (and the inserts' next statements) get their turn every 1,000 people.
        if (++built % 1000 === 0) await yieldToEventLoop();
        if (p.change === 'create')
          entries.push({
            action: 'person.imported',
            entityType: 'person',
            entityId: idOf(p.idNumber),
            after: {
              ...snapshot(p.fields),
              townshipId: job.townshipId,
              importJobId: job.id,
              added: added.get(p.idNumber) ?? {},
            },
          });
        else if (p.change === 'update' || added.has(p.idNumber)) {
          const diff = p.before
            ? changedOnly(snapshot(fieldsOfExisting(p.before)), snapshot(p.fields))
            : { before: {}, after: {} };
          entries.push({
            action: 'person.import_updated',
            entityType: 'person',
            entityId: idOf(p.idNumber),
            before: diff.before,
            after: { ...diff.after, importJobId: job.id, added: added.get(p.idNumber) ?? {} },
          });
        }
      }
      for (const [idNumber, what] of added) {
        if (planned.has(idNumber)) continue;
        entries.push({
          action: 'person.import_updated',
          entityType: 'person',
          entityId: idOf(idNumber),
          before: {},
          after: { importJobId: job.id, added: what },
        });
      }
      return entries;
    }
  }

  async function commitJob(actor: Actor, jobId: number): Promise<void> {
    let refused: ValidationResult | null = null;
    try {
      await knex.transaction(async (trx) => {
        const job = await repo.lockJob(trx, jobId);
        if (job?.state !== 'committing') return;
        progress.set(jobId, { done: 0, total: job.rowsTotal, phase: 'writing' });
        const started = performance.now();
        const today = clock.today();
        // The preview's plan stands if nothing it read has changed: the same date and the same database rows,
        // read again here set-based, after the quota accounts are locked (so the counts hold until the commit).
        const blob = await repo.jobPlan(trx, jobId);
        // The township's part of the state (quota accounts locked) loads while the stored plan is unpacked; the
        // transaction's connection then runs nothing else until it is done.
        const township = loadTownshipState(trx, job.townshipId, today, (ids) => repo.lockAccounts(trx, ids));
        township.catch(() => {});
        const stored = await loadPlan(blob);
        const ofTownship = await township;
        const stateOf = async (idNumbers: readonly string[]): Promise<DbState> => ({
          ...(await loadPeopleState(trx, job.townshipId, today, idNumbers)),
          ...ofTownship,
        });
        let result: ValidationResult;
        let replanned = false;
        if (stored && stored.today === today) {
          const state = await stateOf(stored.idNumbers);
          if (stateDigest(state) === stored.digest) result = stored.result;
          else {
            // Something changed since the preview: the whole file is checked again against what is there now.
            replanned = true;
            const read = await recordsOfJob(jobId, job, trx);
            result = await check(jobId, job, read, state, trx);
          }
        } else {
          replanned = true;
          const read = await recordsOfJob(jobId, job, trx);
          const state = await stateOf(idNumbersOf(read.records));
          result = await check(jobId, job, read, state, trx);
        }
        const checkedMs = performance.now() - started;
        if (result.problems.length > 0) throw new CommitRefused(result);
        const entries = await write(trx, job, result.plan);
        const { quota: _q, ...counts } = result.counts;
        await appendAudit(trx, actor, {
          action: 'import.committed',
          entityType: 'import_job',
          entityId: job.id,
          after: { townshipId: job.townshipId, fileName: job.fileName, fileSha256: job.fileSha256, counts },
        });
        await repo.appendAuditMany(trx, actor, entries);
        await hooks.afterWrites?.(trx);
        await repo.updateJob(trx, jobId, {
          state: 'committed',
          committed: true,
          counts: { ...result.counts },
          problems: [],
          plan: null,
        });
        logger.info(
          {
            jobId,
            replanned,
            checkMs: Math.round(checkedMs),
            writeMs: Math.round(performance.now() - started - checkedMs),
          },
          'import committed',
        );
      });
    } catch (err) {
      if (!(err instanceof CommitRefused)) {
        logger.error({ err, jobId }, 'import commit failed; nothing was written');
        await repo.updateJob(knex, jobId, { state: 'failed', failure: 'commit_failed' });
        return;
      }
      refused = err.result;
    }
    if (refused)
      await repo.updateJob(knex, jobId, {
        state: 'invalid',
        counts: { ...refused.counts },
        problems: refused.problems,
        plan: null,
      });
  }

  return {
    hooks,
    townships,

    /** The template workbook: instructions, the exchange sheets with drop-downs, the codes sheet. */
    async template(instructions: string[]): Promise<Buffer> {
      return templateWorkbook({ instructions, lists: (await lookups()).lists });
    },

    async upload(
      actor: Actor,
      scope: Scope,
      input: {
        townshipId: number | null;
        fileName: string;
        file: Buffer | null;
        mapping?: Array<string | null> | null;
      },
    ): Promise<UploadResult> {
      const allowed = await townships(scope);
      if (allowed.length === 0) throw new ForbiddenError('imports');
      const township =
        allowed.find((t) => t.id === input.townshipId) ?? (allowed.length === 1 ? allowed[0] : undefined);
      if (!township) return { ok: false, field: 'townshipId', key: 'imports.problems.township' };
      if (!input.file || input.file.length === 0)
        return { ok: false, field: 'file', key: 'imports.problems.noFile' };
      if (!/\.xlsx$/i.test(input.fileName) || !input.file.subarray(0, 4).equals(XLSX_MAGIC))
        return { ok: false, field: 'file', key: 'imports.problems.notXlsx' };
      if (input.file.length > IMPORT_MAX_BYTES)
        return {
          ok: false,
          field: 'file',
          key: 'imports.problems.tooLarge',
          vars: { mb: IMPORT_MAX_BYTES / 1048576 },
        };
      const jobId = await repo.insertJob(knex, {
        townshipId: township.id,
        createdBy: actor.userId,
        layout: input.mapping ? 'roster' : 'template',
        state: 'validating',
        fileName: input.fileName.slice(-255),
        file: input.file,
        fileSha256: createHash('sha256').update(input.file).digest('hex'),
        mapping: input.mapping ?? null,
      });
      void run(jobId, () => validateJob(jobId));
      return { ok: true, jobId };
    },

    /** The officer's confirmed column mapping of a plain roster; validation starts again with it. */
    async setMapping(scope: Scope, id: number, mapping: Array<string | null>) {
      const job = await jobInScope(scope, id);
      if (!['mapping', 'ready', 'invalid'].includes(job.state) || job.layout !== 'roster')
        return { ok: false as const, problems: [{ key: 'notMappable' }] };
      const problems = checkRosterMapping(mapping);
      if (problems.length > 0) return { ok: false as const, problems };
      await repo.updateJob(knex, id, { state: 'validating', mapping, rowsDone: 0 }, [
        'mapping',
        'ready',
        'invalid',
      ]);
      void run(id, () => validateJob(id));
      return { ok: true as const };
    },

    async job(scope: Scope, id: number) {
      const job = await jobInScope(scope, id);
      const live = progress.get(id);
      const township = (await townshipNames(knex, [job.townshipId]))[0];
      return { ...job, townshipName: township?.name ?? '', live: live ?? null };
    },

    async recent(scope: Scope) {
      return repo.recentJobs(knex, writableTownships(scope));
    },

    /** Starts the commit of a ready job (in the background); the page polls, the API awaits `settled`. */
    async commit(actor: Actor, scope: Scope, id: number): Promise<{ ok: boolean; state: string }> {
      const job = await jobInScope(scope, id);
      if (job.state !== 'ready') return { ok: false, state: job.state };
      let started = false;
      try {
        started = await repo.updateJob(knex, id, { state: 'committing' }, ['ready']);
      } catch (err) {
        // Another import of the township is committing (one at a time, by a partial unique index).
        if ((err as { code?: string }).code !== '23505') throw err;
      }
      if (!started) return { ok: false, state: (await repo.findJob(knex, id))?.state ?? job.state };
      void run(id, () => commitJob(actor, id));
      return { ok: true, state: 'committing' };
    },

    /** Waits for a job's background work in this process (API calls and tests). */
    async settled(id: number): Promise<void> {
      await running.get(id);
    },

    /** The uploaded workbook with every problem's cell filled red and given a note (messages translated). */
    async marked(
      scope: Scope,
      id: number,
      message: (p: repo.ImportProblem) => string,
    ): Promise<{ file: Buffer; name: string }> {
      const job = await jobInScope(scope, id);
      const file = await repo.jobFile(knex, id);
      if (!file) throw new NotFoundError('import');
      const marks: CellMark[] = job.problems
        .filter((p) => p.sheet !== '' && p.row > 0)
        .map((p) => ({ sheet: p.sheet, row: p.row, column: p.column, message: message(p) }));
      // A file that can't be read back (a job that failed on an unreadable upload) has nothing to mark: a 409
      // with the same message the upload showed, not a 500.
      const marked = await markedWorkbook(file, marks).catch(() => {
        throw new ConflictError('imports.problems.unreadable');
      });
      return { file: marked, name: job.fileName.replace(/\.xlsx$/i, '') };
    },
  };
}

export type ImportService = ReturnType<typeof createImportService>;
