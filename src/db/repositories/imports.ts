import type { Knex } from 'knex';
import type { ImportJobRow } from '../tables.js';
import { personTownshipsQuery } from './scope.js';
import { joinUnitVersionOn } from './unitVersions.js';

/**
 * Roster imports: the job rows, and the set-based look-ups and inserts the import runs per batch of rows
 * (a fixed number of queries per batch, never one per row).
 */

export type ImportState = ImportJobRow['state'];

export interface ImportProblem {
  sheet: string;
  row: number;
  column: number | null;
  field: string | null;
  key: string;
  vars?: Record<string, string | number>;
}

export interface ImportJob {
  id: number;
  townshipId: number;
  createdBy: number;
  layout: 'template' | 'roster';
  state: ImportState;
  fileName: string;
  fileSha256: string;
  mapping: Array<string | null> | null;
  rowsTotal: number;
  rowsDone: number;
  counts: Record<string, unknown>;
  problems: ImportProblem[];
  failure: string | null;
  createdAt: Date;
  updatedAt: Date;
  committedAt: Date | null;
}

const jobColumns = [
  'id',
  'township_id',
  'created_by',
  'layout',
  'state',
  'file_name',
  'file_sha256',
  'mapping',
  'rows_total',
  'rows_done',
  'counts',
  'problems',
  'failure',
  'created_at',
  'updated_at',
  'committed_at',
] as const;

const json = <T>(v: unknown, fallback: T): T =>
  v === null || v === undefined ? fallback : ((typeof v === 'string' ? JSON.parse(v) : v) as T);

function toJob(r: Omit<ImportJobRow, 'file' | 'township_kind' | 'plan'>): ImportJob {
  return {
    id: r.id,
    townshipId: r.township_id,
    createdBy: r.created_by,
    layout: r.layout,
    state: r.state,
    fileName: r.file_name,
    fileSha256: r.file_sha256,
    mapping: json<Array<string | null> | null>(r.mapping, null),
    rowsTotal: r.rows_total,
    rowsDone: r.rows_done,
    counts: json<Record<string, unknown>>(r.counts, {}),
    problems: json<ImportProblem[]>(r.problems, []),
    failure: r.failure,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    committedAt: r.committed_at,
  };
}

export async function insertJob(
  db: Knex,
  job: {
    townshipId: number;
    createdBy: number;
    layout: 'template' | 'roster';
    state: ImportState;
    fileName: string;
    file: Buffer;
    fileSha256: string;
    mapping: Array<string | null> | null;
  },
): Promise<number> {
  const [row] = await db('import_jobs')
    .insert({
      township_id: job.townshipId,
      created_by: job.createdBy,
      layout: job.layout,
      state: job.state,
      file_name: job.fileName,
      file: job.file,
      file_sha256: job.fileSha256,
      mapping: job.mapping === null ? null : JSON.stringify(job.mapping),
    })
    .returning('id');
  return (row as { id: number }).id;
}

export async function findJob(db: Knex, id: number): Promise<ImportJob | undefined> {
  const row = await db('import_jobs')
    .where({ id })
    .first(...jobColumns);
  return row ? toJob(row as Omit<ImportJobRow, 'file' | 'township_kind' | 'plan'>) : undefined;
}

export async function lockJob(trx: Knex.Transaction, id: number): Promise<ImportJob | undefined> {
  const row = await trx('import_jobs')
    .where({ id })
    .forUpdate()
    .first(...jobColumns);
  return row ? toJob(row as Omit<ImportJobRow, 'file' | 'township_kind' | 'plan'>) : undefined;
}

export async function jobFile(db: Knex, id: number): Promise<Buffer | undefined> {
  const row = await db('import_jobs').where({ id }).first('file');
  // pg returns a Buffer, PGlite a Uint8Array.
  return row?.file ? Buffer.from(row.file) : undefined;
}

/** The preview's stored plan (compressed), if the job has one. */
export async function jobPlan(db: Knex, id: number): Promise<Buffer | null> {
  const row = await db('import_jobs').where({ id }).first('plan');
  return row?.plan ? Buffer.from(row.plan) : null;
}

export async function recentJobs(db: Knex, townshipIds: readonly number[] | 'all', limit = 20) {
  const q = db('import_jobs as j')
    .join('regions as t', 't.id', 'j.township_id')
    .leftJoin('users as u', 'u.id', 'j.created_by')
    .orderBy('j.id', 'desc')
    .limit(limit)
    .select(
      'j.id',
      'j.township_id',
      't.name as township_name',
      'j.state',
      'j.file_name',
      'j.rows_total',
      'j.created_at',
      'u.display_name as created_by_name',
    );
  if (townshipIds !== 'all') q.whereIn('j.township_id', [...townshipIds]);
  const rows = await q;
  return rows.map((r: Record<string, unknown>) => ({
    id: r.id as number,
    townshipId: r.township_id as number,
    townshipName: r.township_name as string,
    state: r.state as ImportState,
    fileName: r.file_name as string,
    rowsTotal: r.rows_total as number,
    createdAt: r.created_at as Date,
    createdByName: (r.created_by_name as string | null) ?? '',
  }));
}

export async function updateJob(
  db: Knex,
  id: number,
  patch: Partial<{
    state: ImportState;
    mapping: Array<string | null> | null;
    rowsTotal: number;
    rowsDone: number;
    counts: Record<string, unknown>;
    problems: ImportProblem[];
    failure: string | null;
    committed: boolean;
    plan: Buffer | null;
  }>,
  onlyFrom?: readonly ImportState[],
): Promise<boolean> {
  const row: Record<string, unknown> = { updated_at: db.fn.now() };
  if (patch.state !== undefined) row.state = patch.state;
  if (patch.mapping !== undefined)
    row.mapping = patch.mapping === null ? null : JSON.stringify(patch.mapping);
  if (patch.rowsTotal !== undefined) row.rows_total = patch.rowsTotal;
  if (patch.rowsDone !== undefined) row.rows_done = patch.rowsDone;
  if (patch.counts !== undefined) row.counts = JSON.stringify(patch.counts);
  if (patch.problems !== undefined) row.problems = JSON.stringify(patch.problems);
  if (patch.failure !== undefined) row.failure = patch.failure === null ? null : patch.failure.slice(0, 500);
  if (patch.committed) row.committed_at = db.fn.now();
  if (patch.plan !== undefined) row.plan = patch.plan;
  const q = db('import_jobs').where({ id });
  if (onlyFrom) q.whereIn('state', [...onlyFrom]);
  return (await q.update(row)) > 0;
}

// Look-ups for validation (one query per batch) ------------------------------------------------------------

export type ExistingPerson = Omit<import('./people.js').Person, 'hasPhoto'> & { townshipIds: number[] };

export async function peopleByIdNumbers(
  db: Knex,
  idNumbers: readonly string[],
  asOf: string,
): Promise<Map<string, ExistingPerson>> {
  const out = new Map<string, ExistingPerson>();
  if (idNumbers.length === 0) return out;
  const rows = await db('people').whereIn('id_number', [...idNumbers]);
  const ids = rows.map((r) => r.id);
  const places =
    ids.length === 0
      ? []
      : await db
          .from(personTownshipsQuery(db, asOf, { personIds: ids }).as('pt'))
          .whereIn('pt.person_id', ids)
          .select('pt.person_id', 'pt.township_id');
  const townships = new Map<number, number[]>();
  for (const p of places as Array<{ person_id: number; township_id: number }>) {
    const list = townships.get(p.person_id) ?? [];
    list.push(p.township_id);
    townships.set(p.person_id, list);
  }
  for (const r of rows)
    out.set(r.id_number, {
      id: r.id,
      idNumber: r.id_number,
      name: r.name,
      gender: r.gender,
      birthDate: r.birth_date,
      ethnicity: r.ethnicity,
      nativePlace: r.native_place,
      birthPlace: r.birth_place,
      politicalStatus: r.political_status,
      partyJoinedOn: r.party_joined_on,
      workStartedOn: r.work_started_on,
      health: r.health,
      professionalTitle: r.professional_title,
      expertise: r.expertise,
      townshipIds: (townships.get(r.id) ?? []).sort((x, y) => x - y),
    });
  return out;
}

export interface CurrentRecords {
  primaryPost: Map<number, number>;
  hasSlot: Set<number>;
  hasStatus: Set<number>;
  /** person → ladder → grade code in force. */
  grades: Map<number, Map<string, string>>;
  /** person → `mode|level|school|major`. */
  educations: Map<number, Set<string>>;
  /** person → `kind|decidedOn`. */
  sanctions: Map<number, Set<string>>;
  /** person → year → result. */
  assessments: Map<number, Map<number, string>>;
}

const inForce = (q: Knex.QueryBuilder, asOf: string) =>
  q
    .whereNull('superseded_at')
    .andWhere('valid_from', '<=', asOf)
    .andWhere((w) => w.whereNull('valid_to').orWhere('valid_to', '>', asOf));

export const educationKey = (e: { mode: string; level: string; school: string; major: string }) =>
  `${e.mode}|${e.level}|${e.school}|${e.major}`;

/**
 * Knex queries run one after the other (they start when awaited): inside a transaction they share one client,
 * which must not be sent a query while another is running.
 */
export async function inSequence<T extends readonly unknown[]>(
  queries: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const out: unknown[] = [];
  for (const q of queries) out.push(await q);
  return out as { -readonly [K in keyof T]: Awaited<T[K]> };
}

/** What the people of a batch already have, in seven queries whatever the batch's size. */
export async function currentRecords(
  db: Knex,
  personIds: readonly number[],
  asOf: string,
): Promise<CurrentRecords> {
  const ids = [...personIds];
  const out: CurrentRecords = {
    primaryPost: new Map(),
    hasSlot: new Set(),
    hasStatus: new Set(),
    grades: new Map(),
    educations: new Map(),
    sanctions: new Map(),
    assessments: new Map(),
  };
  if (ids.length === 0) return out;
  const [assignments, slots, statuses, grades, educations, sanctions, assessments] = await inSequence([
    inForce(db('assignments').whereIn('person_id', ids).andWhere('kind', 'primary'), asOf).select(
      'person_id',
      'post_id',
    ),
    // Any slot not ended by the date (a future-dated one too): a second would overlap it.
    db('quota_slots')
      .whereIn('person_id', ids)
      .whereNull('superseded_at')
      .andWhere((w) => w.whereNull('valid_to').orWhere('valid_to', '>', asOf))
      .select('person_id'),
    db('person_statuses')
      .whereIn('person_id', ids)
      .whereNull('superseded_at')
      .andWhere((w) => w.whereNull('valid_to').orWhere('valid_to', '>', asOf))
      .select('person_id'),
    inForce(db('grades').whereIn('person_id', ids), asOf).select('person_id', 'ladder', 'grade_code'),
    db('educations').whereIn('person_id', ids).select('person_id', 'mode', 'level', 'school', 'major'),
    db('sanctions')
      .whereIn('person_id', ids)
      .whereNull('superseded_at')
      .select('person_id', 'kind_code', 'decided_on'),
    db('assessments')
      .whereIn('person_id', ids)
      .whereNull('superseded_at')
      .select('person_id', 'year', 'result'),
  ]);
  for (const a of assignments) out.primaryPost.set(a.person_id, a.post_id);
  for (const s of slots) out.hasSlot.add(s.person_id);
  for (const s of statuses) out.hasStatus.add(s.person_id);
  for (const g of grades) {
    const m = out.grades.get(g.person_id) ?? new Map<string, string>();
    m.set(g.ladder, g.grade_code);
    out.grades.set(g.person_id, m);
  }
  for (const e of educations) {
    const s = out.educations.get(e.person_id) ?? new Set<string>();
    s.add(educationKey(e));
    out.educations.set(e.person_id, s);
  }
  for (const s of sanctions) {
    const set = out.sanctions.get(s.person_id) ?? new Set<string>();
    set.add(`${s.kind_code}|${s.decided_on}`);
    out.sanctions.set(s.person_id, set);
  }
  for (const a of assessments) {
    const m = out.assessments.get(a.person_id) ?? new Map<number, string>();
    m.set(a.year, a.result);
    out.assessments.set(a.person_id, m);
  }
  return out;
}

export interface TownshipPost {
  id: number;
  name: string;
  unitId: number | null;
  unitName: string | null;
  unitKind: string | null;
  departmentId: number | null;
  establishmentTypes: string[];
  crossType: boolean;
  openedOn: string;
  closedOn: string | null;
  /** Someone holds it on the date or later (a future-dated assignment too). */
  heldBy: number | null;
}

/**
 * The township's posts open on the date, with the unit's name on the date and who holds each. Set-based: the
 * units' names are looked up once per unit and the holders in one pass (a township can have 10,000 posts).
 */
export async function townshipPosts(db: Knex, townshipId: number, asOf: string): Promise<TownshipPost[]> {
  // A post's unit is in the post's township (posts_unit_fkey).
  const units = joinUnitVersionOn(db('units as u').where('u.township_id', townshipId), 'u.id', { date: asOf })
    .select('u.id', 'u.kind', 'u.department_id', 'uv.name as unit_name')
    .as('u');
  // The first holder on the date or later (a future-dated assignment too); a post's periods never overlap.
  const holders = db('assignments as a')
    .join('posts as hp', 'hp.id', 'a.post_id')
    .where('hp.township_id', townshipId)
    .whereNull('a.superseded_at')
    .andWhere((w) => w.whereNull('a.valid_to').orWhere('a.valid_to', '>', asOf))
    .distinctOn('a.post_id')
    .select('a.post_id', 'a.person_id')
    .orderBy([{ column: 'a.post_id' }, { column: 'a.valid_from' }])
    .as('h');
  const rows = await db('posts as p')
    .leftJoin(units, 'u.id', 'p.unit_id')
    .leftJoin(holders, 'h.post_id', 'p.id')
    .where('p.township_id', townshipId)
    .andWhere((w) => w.whereNull('p.closed_on').orWhere('p.closed_on', '>', asOf))
    .select(
      'p.id',
      'p.name',
      'p.unit_id',
      'u.unit_name',
      'u.kind as unit_kind',
      'u.department_id',
      'p.establishment_types',
      'p.cross_type',
      'p.opened_on',
      'p.closed_on',
      'h.person_id as held_by',
    )
    .orderBy([{ column: 'p.sort_order' }, { column: 'p.id' }]);
  return rows.map((r: Record<string, unknown>) => ({
    id: r.id as number,
    name: r.name as string,
    unitId: r.unit_id as number | null,
    unitName: r.unit_name as string | null,
    unitKind: r.unit_kind as string | null,
    departmentId: r.department_id as number | null,
    establishmentTypes: r.establishment_types as string[],
    crossType: r.cross_type as boolean,
    openedOn: r.opened_on as string,
    closedOn: r.closed_on as string | null,
    heldBy: (r.held_by as number | null) ?? null,
  }));
}

/** The township's units as named on the date (current names and aliases). */
export async function townshipUnitNames(db: Knex, townshipId: number, asOf: string): Promise<Set<string>> {
  const rows = await db('unit_versions')
    .where({ township_id: townshipId })
    .whereNull('superseded_at')
    .andWhere('valid_from', '<=', asOf)
    .andWhere((w) => w.whereNull('valid_to').orWhere('valid_to', '>', asOf))
    .select('name', 'alias_names');
  const names = new Set<string>();
  for (const r of rows) {
    names.add(r.name);
    for (const a of (r.alias_names as string[]) ?? []) names.add(a);
  }
  return names;
}

/** Quota accounts of the township and of the county departments its dispatched units belong to. */
export async function quotaAccountsFor(
  db: Knex,
  townshipId: number,
  departmentIds: readonly number[],
): Promise<Array<{ id: number; townshipId: number | null; departmentId: number | null; type: string }>> {
  const rows = await db('quota_accounts as qa')
    .join('quota_holders as qh', 'qh.id', 'qa.holder_id')
    .where((w) => {
      w.where('qh.township_id', townshipId);
      if (departmentIds.length > 0) w.orWhereIn('qh.department_id', [...departmentIds]);
    })
    .select('qa.id', 'qh.township_id', 'qh.department_id', 'qa.establishment_type');
  return rows.map((r: Record<string, unknown>) => ({
    id: r.id as number,
    townshipId: r.township_id as number | null,
    departmentId: r.department_id as number | null,
    type: r.establishment_type as string,
  }));
}

/** Locks the accounts (in id order, so two imports never deadlock) for the quota check under the write. */
export async function lockAccounts(trx: Knex.Transaction, accountIds: readonly number[]): Promise<void> {
  if (accountIds.length === 0) return;
  await trx('quota_accounts')
    .whereIn('id', [...accountIds])
    .orderBy('id')
    .forUpdate()
    .select('id');
}

// Set-based writes ------------------------------------------------------------------------------------------

/** Rows per statement: one JSON parameter each, so the size is bounded by memory, not by bind parameters. */
const CHUNK = 2500;

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Many rows in a few statements: each chunk goes as one JSON array expanded by json_populate_recordset into the
 * table's own column types (no per-row round trip, no thousands of bind parameters to build and parse). Every
 * row has the first row's keys; jsonb columns take objects as they are (not JSON text).
 */
export async function insertMany(
  trx: Knex.Transaction,
  table: string,
  rows: Array<Record<string, unknown>>,
  returning?: string[],
): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  const first = rows[0];
  if (!first) return out;
  const columns = Object.keys(first).map(ident).join(', ');
  const sql = `INSERT INTO ${ident(table)} (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::${ident(
    table,
  )}, ?::json)${returning ? ` RETURNING ${returning.map(ident).join(', ')}` : ''}`;
  // Each chunk's JSON is built while the server inserts the one before.
  let json = JSON.stringify(rows.slice(0, CHUNK));
  for (let i = 0; i < rows.length; i += CHUNK) {
    const running = trx.raw(sql, [json]).then((r) => r as { rows?: Array<Record<string, unknown>> });
    running.catch(() => {});
    if (i + CHUNK < rows.length) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      json = JSON.stringify(rows.slice(i + CHUNK, i + 2 * CHUNK));
    }
    const result = await running;
    if (returning) out.push(...(result.rows ?? []));
  }
  return out;
}

/** People rows as the people repository writes them (one definition, in personRecords.ts). */
export { personRow } from './personRecords.js';

/** Audit entries of one write appended together (the same transaction; the import's per-person trail). */
export async function appendAuditMany(
  trx: Knex.Transaction,
  actor: { userId: number; username: string; requestId: string },
  entries: Array<{
    action: string;
    entityType: string;
    entityId: number | string;
    before?: unknown;
    after?: unknown;
  }>,
): Promise<void> {
  await insertMany(
    trx,
    'audit_log',
    entries.map((e) => ({
      actor_user_id: actor.userId,
      actor_username: actor.username,
      request_id: actor.requestId,
      action: e.action,
      entity_type: e.entityType,
      entity_id: String(e.entityId),
      before: e.before === undefined ? null : e.before,
      after: e.after === undefined ? null : e.after,
    })),
  );
}
