import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { z } from 'zod';
import {
  type CurrentRecords,
  currentRecords,
  type ExistingPerson,
  educationKey,
  type ImportProblem,
  peopleByIdNumbers,
  quotaAccountsFor,
  type TownshipPost,
  townshipPosts,
  townshipUnitNames,
} from '../../db/repositories/imports.js';
import type { PersonFields } from '../../db/repositories/personRecords.js';
import { type UsageRow, usage } from '../../db/repositories/quota.js';
import type { EstablishmentType } from '../../db/tables.js';
import { parseIdNumber } from '../../domain/idNumber.js';
import { ROSTER_TARGETS, type SheetCode } from '../../domain/importLayout.js';
import { type NameKeys, nameKeys } from '../../domain/personName.js';
import { typeFitsPost } from '../../domain/personRecord.js';
import {
  assessmentSchema,
  createPersonSchema,
  educationSchema,
  entrySchemas,
  personSchema,
  sanctionSchema,
} from '../../routes/people/schemas.js';
import { fieldsOf, type PersonInput } from '../people/recordService.js';
import type { Lookups } from './lookups.js';
import { columnsByHeader, type ReadSheet } from './workbook.js';

/**
 * Every row of an uploaded roster checked with the people forms' own zod schemas, then against the file
 * (duplicates) and the database (people by ID number, posts, quota after import) with set-based look-ups per
 * batch. The result is a plan of the writes and the problems per sheet, row and cell; the commit runs the same
 * function again inside its transaction, under the quota accounts' locks.
 */

/** One row of one exchange table (a roster row feeds several), with where each field came from. */
export interface ImportRecord {
  code: SheetCode;
  sheet: string;
  row: number;
  values: Record<string, string>;
  cols: Record<string, number>;
}

export type Change = 'create' | 'update' | 'unchanged';

export interface PlannedPerson {
  idNumber: string;
  existingId: number | null;
  change: Change;
  fields: PersonFields;
  before: ExistingPerson | null;
  sheet: string;
  row: number;
}

export interface PlannedPlacement {
  idNumber: string;
  postId: number;
  accountId: number;
  establishmentType: EstablishmentType;
  validFrom: string;
  docNo: string | null;
  /** The person has no status in force yet: an 'active' one starts with the post (like the create form). */
  addStatus: boolean;
}

export interface ImportPlan {
  people: PlannedPerson[];
  placements: PlannedPlacement[];
  grades: Array<{
    idNumber: string;
    ladder: string;
    gradeCode: string;
    legacyTitle: string | null;
    validFrom: string;
    docNo: string | null;
  }>;
  educations: Array<{
    idNumber: string;
    mode: string;
    level: string;
    degree: string | null;
    school: string;
    major: string;
    startedOn: string | null;
    graduatedOn: string | null;
  }>;
  sanctions: Array<{
    idNumber: string;
    kindCode: string;
    decidedOn: string;
    closedOn: string | null;
    reason: string;
    docNo: string | null;
  }>;
  assessments: Array<{ idNumber: string; year: number; result: string; docNo: string | null }>;
  /** ID number → the person id of people already on the roster. */
  existingIds: Map<string, number>;
}

export interface QuotaLine {
  accountId: number;
  establishmentType: string;
  approved: number;
  occupied: number;
  reserved: number;
  adding: number;
}

export interface ImportCounts {
  rows: Partial<Record<SheetCode, number>>;
  people: Record<Change, number>;
  placements: { added: number; unchanged: number };
  grades: { added: number; unchanged: number };
  educations: { added: number; unchanged: number };
  sanctions: { added: number; unchanged: number };
  assessments: { added: number; unchanged: number };
  awardsSkipped: number;
  ignoredSheets: string[];
  quota: QuotaLine[];
  problems: number;
}

export interface ValidationResult {
  plan: ImportPlan;
  counts: ImportCounts;
  problems: ImportProblem[];
  rowsTotal: number;
}

/** At most this many problems are kept (the count says how many there were). */
export const MAX_PROBLEMS = 5000;
const BATCH = 500;
/** People looked up per query (a few large look-ups cost less than many small ones: 10,000 people 2.5 → 1.3 s). */
const LOOKUP_BATCH = 2000;

const P = (key: string) => `imports.problems.${key}`;

// Reading the sheets into records ---------------------------------------------------------------------------

export function recordsOf(
  sheets: readonly ReadSheet[],
  layout: 'template' | 'roster',
  mapping: ReadonlyArray<string | null> | null,
): { records: ImportRecord[]; problems: ImportProblem[]; ignoredSheets: string[] } {
  const records: ImportRecord[] = [];
  const problems: ImportProblem[] = [];
  const ignoredSheets: string[] = [];
  if (layout === 'roster') {
    const sheet = sheets[0];
    if (!sheet) return { records, problems, ignoredSheets };
    const targets = (mapping ?? []).map((key, col) => ({
      col,
      target: ROSTER_TARGETS.find((t) => t.key === key),
    }));
    for (const r of sheet.rows) {
      const bySheet = new Map<SheetCode, ImportRecord>();
      const rec = (code: SheetCode) => {
        let x = bySheet.get(code);
        if (!x) {
          x = { code, sheet: sheet.name, row: r.row, values: {}, cols: {} };
          bySheet.set(code, x);
        }
        return x;
      };
      for (const { col, target } of targets) {
        if (!target) continue;
        const value = r.values[col] ?? '';
        const x = rec(target.sheet);
        x.values[target.field] = value;
        x.cols[target.field] = col;
      }
      const person = rec('A01');
      for (const [code, x] of bySheet) {
        if (code === 'A01') continue;
        if (!Object.values(x.values).some((v) => v !== '')) {
          bySheet.delete(code);
          continue;
        }
        for (const f of ['idNumber', 'name']) {
          x.values[f] = person.values[f] ?? '';
          if (person.cols[f] !== undefined) x.cols[f] = person.cols[f] as number;
        }
        if (code === 'A04') x.values.mode = x.values.mode ?? '全日制教育';
      }
      records.push(...bySheet.values());
    }
    return { records, problems, ignoredSheets };
  }
  for (const sheet of sheets) {
    if (!sheet.code) {
      if (sheet.rows.length > 0 || sheet.headers.length > 0) ignoredSheets.push(sheet.name);
      continue;
    }
    if (sheet.rows.length === 0) continue;
    const { fields, missing } = columnsByHeader(sheet.code, sheet.headers);
    for (const c of missing)
      problems.push({
        sheet: sheet.name,
        row: 1,
        column: null,
        field: c.field,
        key: P('columnMissing'),
        vars: { column: c.header },
      });
    if (missing.length > 0) continue;
    for (const r of sheet.rows) {
      const values: Record<string, string> = {};
      const cols: Record<string, number> = {};
      for (const [field, col] of fields) {
        values[field] = r.values[col] ?? '';
        cols[field] = col;
      }
      records.push({ code: sheet.code, sheet: sheet.name, row: r.row, values, cols });
    }
  }
  return { records, problems, ignoredSheets };
}

// Checking -------------------------------------------------------------------------------------------------

interface Ctx {
  townshipId: number;
  today: string;
  lookups: Lookups;
  problems: ImportProblem[];
  problemCount: number;
}

function addProblem(
  ctx: Ctx,
  rec: ImportRecord,
  field: string | null,
  key: string,
  vars?: Record<string, string | number>,
) {
  ctx.problemCount += 1;
  if (ctx.problems.length >= MAX_PROBLEMS) return;
  ctx.problems.push({
    sheet: rec.sheet,
    row: rec.row,
    column: field !== null ? (rec.cols[field] ?? null) : null,
    field,
    key,
    ...(vars ? { vars } : {}),
  });
}

/** zod issues as problems on their fields' cells (fields already reported skipped). */
function schemaProblems(
  ctx: Ctx,
  rec: ImportRecord,
  error: z.ZodError,
  skip: ReadonlySet<string>,
  rename: Record<string, string> = {},
) {
  const seen = new Set<string>();
  for (const issue of error.issues) {
    const path = String(issue.path[0] ?? '');
    const field = rename[path] ?? path;
    if (skip.has(field)) continue;
    const sig = `${field}|${issue.message}`;
    if (seen.has(sig)) continue;
    seen.add(sig);
    addProblem(ctx, rec, field || null, issue.message);
  }
}

/** A drop-down column's value as its code; an unknown non-empty value is reported and returns ''. */
function coded(
  ctx: Ctx,
  rec: ImportRecord,
  field: string,
  list: Map<string, string>,
  bad: Set<string>,
): string {
  const raw = (rec.values[field] ?? '').trim();
  if (raw === '') return '';
  const code = list.get(raw.toLowerCase().replace(/\s/g, ''));
  if (code !== undefined) return code;
  addProblem(ctx, rec, field, P('notInList'), { value: raw.slice(0, 40) });
  bad.add(field);
  return '';
}

const canonicalId = (raw: string | undefined) => (raw ?? '').trim().toUpperCase();

/** At most this many distinct rows' verdicts are remembered per schema. */
const REMEMBERED = 20000;

/**
 * A schema's safeParse remembered by the row's values other than the person's (ID number and name), for the
 * record schemas that read neither: many rows of a sheet share their date, grade, result or document number, and
 * such a schema is a pure function of the values it reads (the object schema drops the others). A schema that
 * reads the ID number or the name is parsed row by row. The verdicts are shared between rows, never changed.
 */
function rememberedParse<T>(schema: {
  safeParse: (input: unknown) => T;
}): (input: Record<string, unknown>) => T {
  let inner: unknown = schema;
  while (inner !== null && typeof inner === 'object' && !('shape' in inner) && 'in' in inner)
    inner = (inner as { in: unknown }).in;
  const shape = (inner as { shape?: Record<string, unknown> } | null)?.shape;
  if (!shape || 'idNumber' in shape || 'name' in shape) return (input) => schema.safeParse(input);
  const verdicts = new Map<string, T>();
  return (input) => {
    const { idNumber: _id, name: _name, ...values } = input;
    const key = JSON.stringify(values);
    let verdict = verdicts.get(key);
    if (verdict === undefined) {
      verdict = schema.safeParse(input);
      if (verdicts.size < REMEMBERED) verdicts.set(key, verdict);
    }
    return verdict;
  };
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function personInput(v: z.infer<ReturnType<typeof personSchema>>): PersonInput {
  return v as PersonInput;
}

const personFieldKeys = [
  'name',
  'gender',
  'birthDate',
  'ethnicity',
  'nativePlace',
  'birthPlace',
  'politicalStatus',
  'partyJoinedOn',
  'workStartedOn',
  'health',
  'professionalTitle',
  'expertise',
] as const;

function samePerson(a: PersonFields, b: ExistingPerson): boolean {
  return personFieldKeys.every((k) => (a[k] ?? null) === (b[k] ?? null));
}

// What the check reads from the database ----------------------------------------------------------------------

/**
 * Every database row the check depends on. The check is a pure function of the file, this state, the date and
 * the look-ups, so a commit that finds the same state (same digest) under its locks can write the preview's plan.
 */
export interface DbState {
  /** ID number → the person of that ID number (townships sorted). */
  existing: Map<string, ExistingPerson>;
  /** What this township's people among them already have. */
  current: CurrentRecords;
  posts: TownshipPost[];
  unitNames: Set<string>;
  accounts: QuotaAccount[];
  /** Approved, occupied and reserved of every account above. */
  usage: UsageRow[];
}

type QuotaAccount = Awaited<ReturnType<typeof quotaAccountsFor>>[number];

/** The ID numbers of well-formed shape a file names (any sheet), sorted: the people the check looks up. */
export function idNumbersOf(records: readonly ImportRecord[]): string[] {
  const ids = new Set<string>();
  for (const r of records) {
    const v = canonicalId(r.values.idNumber);
    if (/^\d{17}[\dX]$/.test(v)) ids.add(v);
  }
  return [...ids].sort();
}

/** The township's part of the state: posts, quota accounts (locked by `lock` when given), units, usage. */
export type TownshipState = Pick<DbState, 'posts' | 'unitNames' | 'accounts' | 'usage'>;

/**
 * The township's part of the state (it does not depend on the file, so it can load while the file is read).
 * `lock` runs once the quota accounts are known and before their usage is counted: the commit locks them there.
 */
export async function loadTownshipState(
  db: Knex,
  townshipId: number,
  today: string,
  lock?: (accountIds: number[]) => Promise<void>,
): Promise<TownshipState> {
  const posts = await townshipPosts(db, townshipId, today);
  const departmentIds = [...new Set(posts.map((p) => p.departmentId).filter((d): d is number => d !== null))];
  const accounts = await quotaAccountsFor(db, townshipId, departmentIds);
  accounts.sort((a, b) => a.id - b.id);
  await lock?.(accounts.map((a) => a.id));
  const unitNames = await townshipUnitNames(db, townshipId, today);
  const usageRows =
    accounts.length > 0 ? await usage(db, { accountIds: accounts.map((a) => a.id) }, today) : [];
  usageRows.sort((a, b) => a.accountId - b.accountId);
  return { posts, unitNames, accounts, usage: usageRows };
}

/** The people of the file's ID numbers and what this township's people among them have (set-based, per 500). */
export async function loadPeopleState(
  db: Knex,
  townshipId: number,
  today: string,
  idNumbers: readonly string[],
): Promise<Pick<DbState, 'existing' | 'current'>> {
  const existing = new Map<string, ExistingPerson>();
  for (let i = 0; i < idNumbers.length; i += LOOKUP_BATCH) {
    const found = await peopleByIdNumbers(db, idNumbers.slice(i, i + LOOKUP_BATCH), today);
    for (const [k, v] of found) existing.set(k, v);
    await yieldToEventLoop();
  }
  const current: CurrentRecords = {
    primaryPost: new Map(),
    hasSlot: new Set(),
    hasStatus: new Set(),
    grades: new Map(),
    educations: new Map(),
    sanctions: new Map(),
    assessments: new Map(),
  };
  const ourIds = [...existing.values()].filter((p) => p.townshipIds.includes(townshipId)).map((p) => p.id);
  for (let i = 0; i < ourIds.length; i += LOOKUP_BATCH) {
    const part = await currentRecords(db, ourIds.slice(i, i + LOOKUP_BATCH), today);
    for (const [k, v] of part.primaryPost) current.primaryPost.set(k, v);
    for (const v of part.hasSlot) current.hasSlot.add(v);
    for (const v of part.hasStatus) current.hasStatus.add(v);
    for (const [k, v] of part.grades) current.grades.set(k, v);
    for (const [k, v] of part.educations) current.educations.set(k, v);
    for (const [k, v] of part.sanctions) current.sanctions.set(k, v);
    for (const [k, v] of part.assessments) current.assessments.set(k, v);
    await yieldToEventLoop();
  }
  return { existing, current };
}

/**
 * Maps and sets as sorted entries, so the same rows read in another order give the same digest. Arrays and
 * objects with nothing to convert inside are kept as they are (JSON.stringify writes them the same either way).
 */
function canonical(value: unknown): unknown {
  if (value instanceof Map)
    return [...value.entries()]
      .map(([k, v]) => [k, canonical(v)] as const)
      .sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : String(a[0]) > String(b[0]) ? 1 : 0));
  if (value instanceof Set) return [...value].sort();
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      const c = canonical(v);
      if (out === null && c !== v) out = value.slice(0, i);
      out?.push(c);
    }
    return out ?? value;
  }
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    let changed = false;
    for (const e of entries) {
      const c = canonical(e[1]);
      if (c !== e[1]) {
        e[1] = c;
        changed = true;
      }
    }
    return changed ? Object.fromEntries(entries) : value;
  }
  return value;
}

/** A digest of the state: equal digests, equal verdicts. */
export function stateDigest(state: DbState): string {
  const hash = createHash('sha256');
  for (const part of [
    state.existing,
    state.current.primaryPost,
    state.current.hasSlot,
    state.current.hasStatus,
    state.current.grades,
    state.current.educations,
    state.current.sanctions,
    state.current.assessments,
    state.posts,
    state.unitNames,
    state.accounts,
    state.usage,
  ])
    hash.update(JSON.stringify(canonical(part))).update('\u0000');
  return hash.digest('hex');
}

export async function validateImport(options: {
  state: DbState;
  townshipId: number;
  today: string;
  lookups: Lookups;
  records: ImportRecord[];
  initialProblems: ImportProblem[];
  ignoredSheets: string[];
  onProgress?: (done: number, total: number) => Promise<void>;
}): Promise<ValidationResult> {
  const { townshipId, today, lookups, records } = options;
  const ctx: Ctx = {
    townshipId,
    today,
    lookups,
    problems: [...options.initialProblems],
    problemCount: options.initialProblems.length,
  };
  const total = records.length;
  const counts: ImportCounts = {
    rows: {},
    people: { create: 0, update: 0, unchanged: 0 },
    placements: { added: 0, unchanged: 0 },
    grades: { added: 0, unchanged: 0 },
    educations: { added: 0, unchanged: 0 },
    sanctions: { added: 0, unchanged: 0 },
    assessments: { added: 0, unchanged: 0 },
    awardsSkipped: 0,
    ignoredSheets: options.ignoredSheets,
    quota: [],
    problems: 0,
  };
  for (const r of records) counts.rows[r.code] = (counts.rows[r.code] ?? 0) + 1;

  // The people of the file (A01 first: the other sheets refer to them).
  const a01 = records.filter((r) => r.code === 'A01');
  const fileIds = new Map<string, { row: number; sheet: string }>();
  const validA01 = new Map<string, { rec: ImportRecord; fields: PersonFields }>();
  const firstRowOfId = new Map<string, number>();
  for (const rec of a01) {
    const id = canonicalId(rec.values.idNumber);
    if (id !== '') {
      const first = firstRowOfId.get(id);
      if (first !== undefined) {
        addProblem(ctx, rec, 'idNumber', P('duplicateInFile'), { row: first });
        continue;
      }
      firstRowOfId.set(id, rec.row);
      fileIds.set(id, { row: rec.row, sheet: rec.sheet });
    }
  }

  const { existing, current, posts, unitNames, accounts } = options.state;
  const ours = (p: ExistingPerson) => p.townshipIds.includes(townshipId);
  const plan: ImportPlan = {
    people: [],
    placements: [],
    grades: [],
    educations: [],
    sanctions: [],
    assessments: [],
    existingIds: new Map([...existing.values()].filter(ours).map((p) => [p.idNumber, p.id])),
  };
  // The name keys (pinyin, initials, surname strokes) once per distinct name of the file.
  const keysByName = new Map<string, NameKeys>();
  const keysOf = (name: string): NameKeys => {
    let keys = keysByName.get(name);
    if (!keys) {
      keys = nameKeys(name);
      keysByName.set(name, keys);
    }
    return keys;
  };
  const pSchema = personSchema(today);
  const parseCreate = rememberedParse(createPersonSchema(today));
  const parseAssessment = rememberedParse(assessmentSchema(today));
  const parseSanction = rememberedParse(sanctionSchema);
  const parseEducation = rememberedParse(educationSchema);
  const parseGrade = rememberedParse(entrySchemas.grades);
  const claimedPosts = new Set<number>();
  const placedInFile = new Map<string, number>();
  const gradeInFile = new Map<string, number>();
  const assessmentInFile = new Map<string, number>();
  const sanctionInFile = new Set<string>();
  const educationInFile = new Set<string>();
  const placementRecs: Array<{ rec: ImportRecord; placement: PlannedPlacement }> = [];

  /** The person a row of A02–A06 is about: in the file's A01, or on this township's roster. */
  function personOf(rec: ImportRecord): { idNumber: string; existingId: number | null } | null {
    const id = canonicalId(rec.values.idNumber);
    if (id === '') {
      addProblem(ctx, rec, 'idNumber', 'people.errors.idNumberRequired');
      return null;
    }
    const parsed = parseIdNumber(id, today);
    if (!parsed.ok) {
      addProblem(ctx, rec, 'idNumber', P('idNumberInvalid'));
      return null;
    }
    const known = existing.get(id);
    if (validA01.has(id)) return { idNumber: id, existingId: known && ours(known) ? known.id : null };
    if (fileIds.has(id)) {
      addProblem(ctx, rec, 'idNumber', P('personRowInvalid'), { row: fileIds.get(id)?.row ?? 0 });
      return null;
    }
    if (known && ours(known)) return { idNumber: id, existingId: known.id };
    addProblem(ctx, rec, 'idNumber', known ? P('personElsewhere') : P('personUnknown'));
    return null;
  }

  // Posts by name, and by unit and name (a township can have 10,000 posts: no scan per row).
  const postsByName = new Map<string, TownshipPost[]>();
  const postsByUnitAndName = new Map<string, TownshipPost[]>();
  for (const p of posts) {
    for (const [map, key] of [
      [postsByName, p.name],
      [postsByUnitAndName, `${p.unitName ?? ''}\u0000${p.name}`],
    ] as const) {
      const list = map.get(key) ?? [];
      list.push(p);
      map.set(key, list);
    }
  }
  const findPost = (unitName: string, postName: string): TownshipPost[] =>
    (unitName === '' ? postsByName.get(postName) : postsByUnitAndName.get(`${unitName}\u0000${postName}`)) ??
    [];

  let done = 0;
  const tick = async () => {
    done += 1;
    if (done % BATCH === 0) {
      await options.onProgress?.(done, total);
      await yieldToEventLoop();
    }
  };

  // A01 ---------------------------------------------------------------------------------------------
  for (const rec of a01) {
    await tick();
    const bad = new Set<string>();
    const gender = coded(ctx, rec, 'gender', lookups.genders, bad);
    const politicalStatus = coded(ctx, rec, 'politicalStatus', lookups.politicalStatuses, bad);
    const parsed = pSchema.safeParse({ ...rec.values, gender, politicalStatus });
    if (!parsed.success) {
      schemaProblems(ctx, rec, parsed.error, bad);
      continue;
    }
    if (bad.size > 0) continue;
    const id = parsed.data.idNumber;
    if (firstRowOfId.get(id) !== rec.row) continue;
    const fields = fieldsOf(personInput(parsed.data), keysOf);
    const known = existing.get(id);
    if (known && !ours(known)) {
      addProblem(ctx, rec, 'idNumber', P('personElsewhere'));
      continue;
    }
    validA01.set(id, { rec, fields });
    const change: Change = !known ? 'create' : samePerson(fields, known) ? 'unchanged' : 'update';
    counts.people[change] += 1;
    plan.people.push({
      idNumber: id,
      existingId: known?.id ?? null,
      change,
      fields,
      before: known ?? null,
      sheet: rec.sheet,
      row: rec.row,
    });
  }

  const others = records.filter((r) => r.code !== 'A01');
  for (const rec of others) {
    await tick();
    if (rec.code === 'B01') {
      const name = (rec.values.unitName ?? '').trim();
      if (name === '') addProblem(ctx, rec, 'unitName', P('unitRequired'));
      else if (!unitNames.has(name)) addProblem(ctx, rec, 'unitName', P('unitUnknown'), { unit: name });
      continue;
    }
    if (rec.code === 'A05') {
      const bad = new Set<string>();
      const category = coded(ctx, rec, 'category', lookups.a05Categories, bad);
      if (category === 'award') {
        counts.awardsSkipped += 1;
        continue;
      }
      const person = personOf(rec);
      const kindCode = coded(ctx, rec, 'kind', lookups.sanctionKinds, bad);
      const parsed = parseSanction({ ...rec.values, kindCode });
      if (!parsed.success) schemaProblems(ctx, rec, parsed.error, bad, { kindCode: 'kind' });
      if (!parsed.success || !person || bad.size > 0) continue;
      const key = `${person.idNumber}|${parsed.data.kindCode}|${parsed.data.decidedOn}`;
      if (sanctionInFile.has(key)) {
        addProblem(ctx, rec, 'kind', P('duplicateRow'));
        continue;
      }
      sanctionInFile.add(key);
      const have =
        person.existingId !== null &&
        current.sanctions.get(person.existingId)?.has(`${parsed.data.kindCode}|${parsed.data.decidedOn}`);
      if (have) counts.sanctions.unchanged += 1;
      else {
        counts.sanctions.added += 1;
        plan.sanctions.push({ idNumber: person.idNumber, ...parsed.data });
      }
      continue;
    }
    if (rec.code === 'A06') {
      const bad = new Set<string>();
      const person = personOf(rec);
      const result = coded(ctx, rec, 'result', lookups.assessmentResults, bad);
      const parsed = parseAssessment({ ...rec.values, result });
      if (!parsed.success) schemaProblems(ctx, rec, parsed.error, bad);
      if (!parsed.success || !person || bad.size > 0) continue;
      const key = `${person.idNumber}|${parsed.data.year}`;
      const first = assessmentInFile.get(key);
      if (first !== undefined) {
        addProblem(ctx, rec, 'year', P('duplicateYear'), { row: first });
        continue;
      }
      assessmentInFile.set(key, rec.row);
      const recorded =
        person.existingId !== null
          ? current.assessments.get(person.existingId)?.get(parsed.data.year)
          : undefined;
      if (recorded === parsed.data.result) counts.assessments.unchanged += 1;
      else if (recorded !== undefined) addProblem(ctx, rec, 'result', P('assessmentDiffers'));
      else {
        counts.assessments.added += 1;
        plan.assessments.push({ idNumber: person.idNumber, ...parsed.data });
      }
      continue;
    }
    if (rec.code === 'A04') {
      const bad = new Set<string>();
      const person = personOf(rec);
      const mode = coded(ctx, rec, 'mode', lookups.educationModes, bad);
      const level = coded(ctx, rec, 'level', lookups.educationLevels, bad);
      const degree = coded(ctx, rec, 'degree', lookups.degrees, bad);
      const parsed = parseEducation({ ...rec.values, mode, level, degree });
      if (!parsed.success) schemaProblems(ctx, rec, parsed.error, bad);
      if (!parsed.success || !person || bad.size > 0) continue;
      const key = educationKey(parsed.data);
      if (educationInFile.has(`${person.idNumber}|${key}`)) {
        addProblem(ctx, rec, 'level', P('duplicateRow'));
        continue;
      }
      educationInFile.add(`${person.idNumber}|${key}`);
      if (person.existingId !== null && current.educations.get(person.existingId)?.has(key))
        counts.educations.unchanged += 1;
      else {
        counts.educations.added += 1;
        plan.educations.push({ idNumber: person.idNumber, ...parsed.data });
      }
      continue;
    }
    if (rec.code === 'A03') {
      const bad = new Set<string>();
      const person = personOf(rec);
      const gradeCode = coded(ctx, rec, 'grade', lookups.grades, bad);
      const parsed = parseGrade({
        ...rec.values,
        gradeCode,
        validTo: '',
        reason: '',
        probationUntil: '',
      });
      if (!parsed.success) schemaProblems(ctx, rec, parsed.error, bad, { gradeCode: 'grade' });
      if (!parsed.success || !person || bad.size > 0) continue;
      const ladder = lookups.gradeLadders.get(gradeCode) as string;
      const key = `${person.idNumber}|${ladder}`;
      const first = gradeInFile.get(key);
      if (first !== undefined) {
        addProblem(ctx, rec, 'grade', P('duplicateGrade'), { row: first });
        continue;
      }
      gradeInFile.set(key, rec.row);
      if (parsed.data.validFrom > today) {
        addProblem(ctx, rec, 'validFrom', 'people.errors.monthFuture');
        continue;
      }
      const recorded =
        person.existingId !== null ? current.grades.get(person.existingId)?.get(ladder) : undefined;
      if (recorded === gradeCode) counts.grades.unchanged += 1;
      else if (recorded !== undefined) addProblem(ctx, rec, 'grade', P('gradeDiffers'));
      else {
        counts.grades.added += 1;
        plan.grades.push({
          idNumber: person.idNumber,
          ladder,
          gradeCode,
          legacyTitle: parsed.data.values.legacyTitle,
          validFrom: parsed.data.validFrom,
          docNo: parsed.data.docNo,
        });
      }
      continue;
    }
    if (rec.code === 'A02') {
      const bad = new Set<string>();
      const person = personOf(rec);
      const type = coded(ctx, rec, 'establishmentType', lookups.establishmentTypes, bad);
      const unitName = (rec.values.unitName ?? '').trim();
      const postName = (rec.values.postName ?? '').trim();
      let candidates: TownshipPost[] = [];
      if (postName === '') {
        addProblem(ctx, rec, 'postName', 'people.errors.postRequired');
        bad.add('postName');
      } else {
        candidates = findPost(unitName, postName);
        if (candidates.length === 0) {
          addProblem(
            ctx,
            rec,
            unitName !== '' && !unitNames.has(unitName) ? 'unitName' : 'postName',
            unitName !== '' && !unitNames.has(unitName) ? P('unitUnknown') : P('postUnknown'),
            { unit: unitName, post: postName },
          );
          bad.add('postName');
        }
      }
      // The create form's own checks of the first post: type chosen, date given and not too far ahead.
      const parsed = parseCreate({
        townshipId: String(townshipId),
        postId: '1',
        establishmentType: type === '' ? (bad.has('establishmentType') ? 'administrative' : '') : type,
        validFrom: rec.values.validFrom ?? '',
        reason: '',
        docNo: rec.values.docNo ?? '',
        formToken: '',
      });
      if (!parsed.success) schemaProblems(ctx, rec, parsed.error, bad, { postId: 'postName' });
      if (!parsed.success || !parsed.data.first || !person || bad.size > 0) continue;
      const first = parsed.data.first;
      const placedRow = placedInFile.get(person.idNumber);
      if (placedRow !== undefined) {
        addProblem(ctx, rec, 'postName', P('duplicatePlacement'), { row: placedRow });
        continue;
      }
      placedInFile.set(person.idNumber, rec.row);
      const holding = person.existingId !== null ? current.primaryPost.get(person.existingId) : undefined;
      if (holding !== undefined) {
        if (candidates.some((c) => c.id === holding)) counts.placements.unchanged += 1;
        else addProblem(ctx, rec, 'postName', P('placedElsewhere'));
        continue;
      }
      if (person.existingId !== null && current.hasSlot.has(person.existingId)) {
        addProblem(ctx, rec, 'establishmentType', 'people.errors.slotOverlap');
        continue;
      }
      const open = candidates.filter((c) => c.heldBy === null && !claimedPosts.has(c.id));
      const post = open.find((c) => typeFitsPost(first.establishmentType, c)) ?? open[0];
      if (!post) {
        addProblem(ctx, rec, 'postName', 'people.errors.postTaken');
        continue;
      }
      if (first.validFrom < post.openedOn) {
        addProblem(ctx, rec, 'validFrom', 'people.errors.postClosed');
        continue;
      }
      if (!typeFitsPost(first.establishmentType, post)) {
        addProblem(ctx, rec, 'establishmentType', 'people.errors.typeNotForPost');
        continue;
      }
      const holder =
        post.unitKind === 'dispatched' && post.departmentId !== null
          ? { departmentId: post.departmentId }
          : { townshipId };
      const account = accounts.find(
        (a) =>
          a.type === first.establishmentType &&
          ('departmentId' in holder ? a.departmentId === holder.departmentId : a.townshipId === townshipId),
      );
      if (!account) {
        addProblem(ctx, rec, 'establishmentType', P('noQuotaAccount'), { type: first.establishmentType });
        continue;
      }
      claimedPosts.add(post.id);
      const placement: PlannedPlacement = {
        idNumber: person.idNumber,
        postId: post.id,
        accountId: account.id,
        establishmentType: first.establishmentType,
        validFrom: first.validFrom,
        docNo: first.docNo,
        addStatus: person.existingId === null || !current.hasStatus.has(person.existingId),
      };
      placementRecs.push({ rec, placement });
    }
  }

  // Quota after import, per account (township and type): the rows past the vacancy are refused.
  const accountIds = [...new Set(placementRecs.map((p) => p.placement.accountId))];
  for (const accountId of accountIds) {
    const u = options.state.usage.find((r) => r.accountId === accountId);
    const approved = u?.approved ?? 0;
    const occupied = u?.occupied ?? 0;
    const reserved = u?.reserved ?? 0;
    const mine = placementRecs.filter((p) => p.placement.accountId === accountId);
    const type = mine[0]?.placement.establishmentType ?? '';
    counts.quota.push({
      accountId,
      establishmentType: type,
      approved,
      occupied,
      reserved,
      adding: mine.length,
    });
    const vacancy = Math.max(0, approved - occupied - reserved);
    mine.forEach((p, i) => {
      if (i < vacancy) return;
      addProblem(ctx, p.rec, 'establishmentType', P('quotaAfterImport'), {
        type,
        approved,
        occupied: occupied + reserved,
        adding: mine.length,
        over: occupied + reserved + mine.length - approved,
      });
    });
  }
  for (const p of placementRecs) plan.placements.push(p.placement);
  counts.placements.added = plan.placements.length;
  counts.problems = ctx.problemCount;
  await options.onProgress?.(total, total);
  ctx.problems.sort((a, b) =>
    a.sheet === b.sheet ? a.row - b.row || (a.column ?? 0) - (b.column ?? 0) : a.sheet < b.sheet ? -1 : 1,
  );
  return { plan, counts, problems: ctx.problems, rowsTotal: total };
}
