/**
 * The demo world (domain guide section 12): 示范市 with 3 counties and 15 townships built on the seed
 * report's template, about 40 people per township with 5–15 years of history, and one account per role.
 *
 * Deterministic (same anchor date and seed, same rows), idempotent (nothing is written when 示范市 exists)
 * and written in one transaction. Reference data (seeds/reference.ts) must be seeded first.
 */

import type { Knex } from 'knex';
import { hashPassword } from '../../src/auth/passwords.js';
import { CITY } from './catalog.js';
import { type DemoPlan, type DemoRole, planDemoWorld } from './plan.js';

export { DEFAULT_SEED, planDemoWorld } from './plan.js';

export const DEMO_PASSWORD = 'gangwei-demo';

export interface DemoOptions {
  /** 'YYYY-MM-DD', the anchor date; all history is generated relative to it. */
  today: string;
  /** Default 20261129. */
  randomSeed?: number;
}

export interface DemoAccount {
  username: string;
  role: DemoRole;
  /** e.g. '示范县' or '示范县 城关镇' or the person's name. */
  scopeLabel: string;
}

export interface DemoSummary {
  /** false when the world already existed and nothing was written. */
  created: boolean;
  cities: number;
  counties: number;
  townships: number;
  people: number;
  accounts: DemoAccount[];
}

/** The demo accounts, in the order the summary lists them. */
export const DEMO_USERNAMES = [
  'admin',
  'bianban',
  'zuzhibu',
  'officer',
  'staff',
  'zuzhibu2',
  'officer2',
  'officer3',
];

/** Rows per INSERT: well under PostgreSQL's 65,535 parameters for the widest table here. */
const CHUNK = 500;

export async function seedDemo(knex: Knex, options: DemoOptions): Promise<DemoSummary> {
  return knex.transaction(async (trx) => {
    const existing = await findCity(trx);
    if (existing !== undefined) return { created: false, ...(await readSummary(trx, existing)) };
    await assertReferenceData(trx);
    // Hash once (argon2 runs off the main thread) while the world is planned.
    const passwordHash = hashPassword(DEMO_PASSWORD);
    passwordHash.catch(() => {});
    const plan = planDemoWorld(options);
    const cityId = await insertPlan(trx, plan, await passwordHash);
    return { created: true, ...(await readSummary(trx, cityId)) };
  });
}

async function findCity(trx: Knex.Transaction): Promise<number | undefined> {
  const row = await trx('regions')
    .where('kind', 'city')
    .andWhere((q) => q.where('code', CITY.code).orWhere('name', CITY.name))
    .first('id');
  return row ? Number(row.id) : undefined;
}

async function assertReferenceData(trx: Knex.Transaction): Promise<void> {
  // One query at a time: a transaction is one connection.
  const grades = await trx('grade_levels')
    .whereIn('code', ['clerk_2', 'township_deputy', 'mgmt_8', 'pro_12', 'skilled_general'])
    .count({ n: '*' });
  const kinds = await trx('leadership_kinds')
    .whereIn('code', ['party_secretary', 'poverty_office_deputy', 'unit_head'])
    .count({ n: '*' });
  const sanctions = await trx('sanction_kinds')
    .whereIn('code', ['gov_demerit', 'investigation'])
    .count({ n: '*' });
  if (Number(grades[0]?.n) < 5 || Number(kinds[0]?.n) < 3 || Number(sanctions[0]?.n) < 2) {
    throw new Error('seedDemo: reference data is missing; run seedReference (seeds/reference.ts) first');
  }
}

type Row = Record<string, unknown>;

async function insertAll(trx: Knex.Transaction, table: string, rows: Row[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await trx(table).insert(rows.slice(i, i + CHUNK));
}

async function insertReturning<R>(
  trx: Knex.Transaction,
  table: string,
  rows: Row[],
  columns: string[],
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    out.push(
      ...((await trx(table)
        .insert(rows.slice(i, i + CHUNK))
        .returning(columns)) as R[]),
    );
  }
  return out;
}

function lookup<K>(map: Map<K, number>, key: K, what: string): number {
  const id = map.get(key);
  if (id === undefined) throw new Error(`seedDemo: no id for ${what} ${String(key)}`);
  return id;
}

const history = (r: { validFrom: string; validTo: string | null; reason: string; docNo: string | null }) => ({
  valid_from: r.validFrom,
  valid_to: r.validTo,
  reason: r.reason,
  doc_no: r.docNo,
});

async function insertPlan(trx: Knex.Transaction, plan: DemoPlan, passwordHash: string): Promise<number> {
  // Regions, level by level (each needs its parent's id).
  const regionIds = new Map<string, number>();
  for (const kind of ['city', 'county', 'township'] as const) {
    const rows = plan.regions
      .filter((r) => r.kind === kind)
      .map((r) => ({
        kind: r.kind,
        parent_id: r.parentCode ? lookup(regionIds, r.parentCode, 'region') : null,
        parent_kind: r.kind === 'city' ? null : r.kind === 'county' ? 'city' : 'county',
        name: r.name,
        code: r.code,
        township_kind: r.townshipKind,
        sort_order: r.sortOrder,
      }));
    for (const r of await insertReturning<{ id: number; code: string }>(trx, 'regions', rows, [
      'id',
      'code',
    ])) {
      regionIds.set(r.code, r.id);
    }
  }

  const departmentIds = new Map<string, number>();
  const departmentKeyByName = new Map(
    plan.departments.map((d) => [`${lookup(regionIds, d.countyCode, 'county')}|${d.name}`, d.key]),
  );
  const departments = await insertReturning<{ id: number; county_id: number; name: string }>(
    trx,
    'county_departments',
    plan.departments.map((d) => ({ county_id: lookup(regionIds, d.countyCode, 'county'), name: d.name })),
    ['id', 'county_id', 'name'],
  );
  for (const d of departments)
    departmentIds.set(departmentKeyByName.get(`${d.county_id}|${d.name}`) ?? '', d.id);

  // Quota holders, accounts, decisions.
  const holderIds = new Map<string, number>();
  const holderKeyByOwner = new Map(
    plan.holders.map((h) => [
      h.townshipCode
        ? `t${lookup(regionIds, h.townshipCode, 'township')}`
        : `d${lookup(departmentIds, h.departmentKey ?? '', 'department')}`,
      h.key,
    ]),
  );
  const holders = await insertReturning<{
    id: number;
    township_id: number | null;
    department_id: number | null;
  }>(
    trx,
    'quota_holders',
    plan.holders.map((h) => ({
      township_id: h.townshipCode ? lookup(regionIds, h.townshipCode, 'township') : null,
      department_id: h.departmentKey ? lookup(departmentIds, h.departmentKey, 'department') : null,
    })),
    ['id', 'township_id', 'department_id'],
  );
  for (const h of holders) {
    const owner = h.township_id !== null ? `t${h.township_id}` : `d${h.department_id}`;
    holderIds.set(holderKeyByOwner.get(owner) ?? '', h.id);
  }
  const accountIds = new Map<string, number>();
  const accountKeyByPair = new Map(
    plan.accounts.map((a) => [`${lookup(holderIds, a.holderKey, 'holder')}|${a.type}`, a.key]),
  );
  const accounts = await insertReturning<{ id: number; holder_id: number; establishment_type: string }>(
    trx,
    'quota_accounts',
    plan.accounts.map((a) => ({
      holder_id: lookup(holderIds, a.holderKey, 'holder'),
      establishment_type: a.type,
    })),
    ['id', 'holder_id', 'establishment_type'],
  );
  for (const a of accounts)
    accountIds.set(accountKeyByPair.get(`${a.holder_id}|${a.establishment_type}`) ?? '', a.id);
  await insertAll(
    trx,
    'quota_decisions',
    plan.quotaDecisions.map((d) => ({
      account_id: lookup(accountIds, d.accountKey, 'quota account'),
      approved_count: d.approved,
      effective_from: d.effectiveFrom,
      doc_no: d.docNo,
      change_summary: d.changeSummary,
    })),
  );

  // Units and posts, keyed by (township, sort_order), which the plan keeps unique per township.
  const unitIds = new Map<string, number>();
  const unitKeyBySort = new Map(
    plan.units.map((u) => [`${lookup(regionIds, u.townshipCode, 'township')}|${u.sortOrder}`, u.key]),
  );
  // Unit decisions: one 设立 decision per township and document (the 2019 reform, the dispatched units), one
  // 撤销 decision per abolition document; each unit's attributes are its first version.
  const decisionKey = (townshipId: number, kind: string, on: string, docNo: string | null) =>
    `${townshipId}|${kind}|${on}|${docNo ?? ''}`;
  const decisionRows = new Map<string, Record<string, unknown>>();
  for (const u of plan.units) {
    const townshipId = lookup(regionIds, u.townshipCode, 'township');
    const add = (kind: 'establish' | 'abolish', on: string, docNo: string | null) => {
      const key = decisionKey(townshipId, kind, on, docNo);
      if (!decisionRows.has(key)) {
        decisionRows.set(key, {
          township_id: townshipId,
          kind,
          effective_on: on,
          doc_no: docNo ?? '（历史沿革）',
          summary: kind === 'establish' ? '设立机构' : '撤销机构',
        });
      }
    };
    add('establish', u.establishedOn, u.establishedDocNo);
    if (u.abolishedOn) add('abolish', u.abolishedOn, u.abolishedDocNo);
  }
  const decisions = await insertReturning<{
    id: number;
    township_id: number;
    kind: string;
    effective_on: string;
    doc_no: string;
  }>(
    trx,
    'unit_decisions',
    [...decisionRows.values()],
    ['id', 'township_id', 'kind', 'effective_on', 'doc_no'],
  );
  const decisionIds = new Map(
    decisions.map((d) => [
      decisionKey(d.township_id, d.kind, d.effective_on, d.doc_no === '（历史沿革）' ? null : d.doc_no),
      d.id,
    ]),
  );
  const units = await insertReturning<{ id: number; township_id: number; sort_order: number }>(
    trx,
    'units',
    plan.units.map((u) => {
      const townshipId = lookup(regionIds, u.townshipCode, 'township');
      return {
        township_id: townshipId,
        kind: u.kind,
        department_id: u.departmentKey ? lookup(departmentIds, u.departmentKey, 'department') : null,
        established_on: u.establishedOn,
        established_doc_no: u.establishedDocNo,
        established_decision_id: decisionIds.get(
          decisionKey(townshipId, 'establish', u.establishedOn, u.establishedDocNo),
        ),
        abolished_on: u.abolishedOn,
        abolished_doc_no: u.abolishedDocNo,
        abolished_decision_id: u.abolishedOn
          ? decisionIds.get(decisionKey(townshipId, 'abolish', u.abolishedOn, u.abolishedDocNo))
          : null,
        sort_order: u.sortOrder,
      };
    }),
    ['id', 'township_id', 'sort_order'],
  );
  for (const u of units) unitIds.set(unitKeyBySort.get(`${u.township_id}|${u.sort_order}`) ?? '', u.id);
  await insertAll(
    trx,
    'unit_versions',
    plan.units.map((u) => {
      const townshipId = lookup(regionIds, u.townshipCode, 'township');
      return {
        unit_id: lookup(unitIds, u.key, 'unit'),
        township_id: townshipId,
        decision_id: decisionIds.get(
          decisionKey(townshipId, 'establish', u.establishedOn, u.establishedDocNo),
        ),
        valid_from: u.establishedOn,
        valid_to: u.abolishedOn,
        name: u.name,
        alias_names: u.aliasNames,
        rank: u.rank,
        featured: u.featured,
      };
    }),
  );

  const postIds = new Map<string, number>();
  const postKeyBySort = new Map(
    plan.posts.map((p) => [`${lookup(regionIds, p.townshipCode, 'township')}|${p.sortOrder}`, p.key]),
  );
  const posts = await insertReturning<{ id: number; township_id: number; sort_order: number }>(
    trx,
    'posts',
    plan.posts.map((p) => ({
      township_id: lookup(regionIds, p.townshipCode, 'township'),
      unit_id: p.unitKey ? lookup(unitIds, p.unitKey, 'unit') : null,
      name: p.name,
      category: p.category,
      leadership_kind: p.leadershipKind,
      establishment_types: p.establishmentTypes,
      grade_low: p.gradeLow,
      grade_high: p.gradeHigh,
      cross_type: p.crossType,
      opened_on: p.openedOn,
      closed_on: p.closedOn,
      doc_no: p.docNo,
      sort_order: p.sortOrder,
    })),
    ['id', 'township_id', 'sort_order'],
  );
  for (const p of posts) postIds.set(postKeyBySort.get(`${p.township_id}|${p.sort_order}`) ?? '', p.id);

  // Leadership slots.
  const slotAccountIds = new Map<string, number>();
  const slotAccounts = await insertReturning<{ id: number; township_id: number; kind_code: string }>(
    trx,
    'leadership_slot_accounts',
    plan.leadershipAccounts.map((a) => ({
      township_id: lookup(regionIds, a.townshipCode, 'township'),
      kind_code: a.kind,
    })),
    ['id', 'township_id', 'kind_code'],
  );
  const townshipCodeById = new Map([...regionIds].map(([code, id]) => [id, code]));
  for (const a of slotAccounts)
    slotAccountIds.set(`${townshipCodeById.get(a.township_id)}:${a.kind_code}`, a.id);
  await insertAll(
    trx,
    'leadership_slot_decisions',
    plan.leadershipDecisions.map((d) => ({
      account_id: lookup(slotAccountIds, d.accountKey, 'leadership slot account'),
      slot_count: d.slotCount,
      rank: d.rank,
      counted: d.counted,
      concurrent_only: d.concurrentOnly,
      temporary: d.temporary,
      write_off_on: d.writeOffOn,
      effective_from: d.effectiveFrom,
      doc_no: d.docNo,
      change_summary: d.changeSummary,
    })),
  );
  await insertAll(
    trx,
    'leadership_total_decisions',
    plan.leadershipTotals.map((d) => ({
      township_id: lookup(regionIds, d.townshipCode, 'township'),
      total: d.total,
      effective_from: d.effectiveFrom,
      doc_no: d.docNo,
      change_summary: d.changeSummary,
    })),
  );

  // People and their history.
  const personIds = new Map<string, number>();
  const people = await insertReturning<{ id: number; id_number: string }>(
    trx,
    'people',
    plan.people.map((p) => ({
      id_number: p.idNumber,
      name: p.name,
      name_pinyin: p.namePinyin,
      name_initials: p.nameInitials,
      surname_strokes: p.surnameStrokes,
      gender: p.gender,
      birth_date: p.birthDate,
      ethnicity: p.ethnicity,
      native_place: p.nativePlace,
      birth_place: p.birthPlace,
      political_status: p.politicalStatus,
      party_joined_on: p.partyJoinedOn,
      work_started_on: p.workStartedOn,
      professional_title: p.professionalTitle,
      expertise: p.expertise,
    })),
    ['id', 'id_number'],
  );
  for (const p of people) personIds.set(p.id_number, p.id);
  const person = (key: string) => lookup(personIds, key, 'person');

  await insertAll(
    trx,
    'person_statuses',
    plan.statuses.map((s) => ({ person_id: person(s.personKey), status: s.status, ...history(s) })),
  );
  await insertAll(
    trx,
    'quota_slots',
    plan.slots.map((s) => ({
      person_id: person(s.personKey),
      account_id: lookup(accountIds, s.accountKey, 'quota account'),
      ...history(s),
    })),
  );
  await insertAll(
    trx,
    'assignments',
    plan.assignments.map((a) => ({
      person_id: person(a.personKey),
      post_id: lookup(postIds, a.postKey, 'post'),
      kind: a.kind,
      planned_until: a.plannedUntil,
      ...history(a),
    })),
  );
  await insertAll(
    trx,
    'grades',
    plan.grades.map((g) => ({
      person_id: person(g.personKey),
      ladder: g.ladder,
      grade_code: g.gradeCode,
      legacy_title: g.legacyTitle,
      probation_until: g.probationUntil,
      ...history(g),
    })),
  );
  await insertAll(
    trx,
    'educations',
    plan.educations.map((e) => ({
      person_id: person(e.personKey),
      mode: e.mode,
      level: e.level,
      degree: e.degree,
      school: e.school,
      major: e.major,
      started_on: e.startedOn,
      graduated_on: e.graduatedOn,
    })),
  );
  await insertAll(
    trx,
    'family_members',
    plan.families.map((f) => ({
      person_id: person(f.personKey),
      relation: f.relation,
      name: f.name,
      birth_date: f.birthDate,
      political_status: f.politicalStatus,
      work_unit_and_post: f.workUnitAndPost,
      emigrated: f.emigrated,
      related_person_id: f.relatedPersonKey ? person(f.relatedPersonKey) : null,
      sort_order: f.sortOrder,
    })),
  );
  await insertAll(
    trx,
    'resume_lines',
    plan.resumeLines.map((r) => ({
      person_id: person(r.personKey),
      from_month: r.fromMonth,
      to_month: r.toMonth,
      text: r.text,
    })),
  );
  await insertAll(
    trx,
    'assessments',
    plan.assessments.map((a) => ({
      person_id: person(a.personKey),
      year: a.year,
      result: a.result,
      doc_no: a.docNo,
    })),
  );
  await insertAll(
    trx,
    'sanctions',
    plan.sanctions.map((s) => ({
      person_id: person(s.personKey),
      kind_code: s.kindCode,
      decided_on: s.decidedOn,
      closed_on: s.closedOn,
      reason: s.reason,
      doc_no: s.docNo,
    })),
  );

  // Accounts: one password hash for all of them.
  const users = await insertReturning<{ id: number; username: string }>(
    trx,
    'users',
    plan.users.map((u) => ({
      username: u.username,
      display_name: u.displayName,
      password_hash: passwordHash,
      locale: 'zh-CN',
    })),
    ['id', 'username'],
  );
  const userIds = new Map(users.map((u) => [u.username, u.id]));
  await insertAll(
    trx,
    'user_roles',
    plan.users.map((u) => ({
      user_id: lookup(userIds, u.username, 'user'),
      role: u.role,
      region_id: u.regionCode ? lookup(regionIds, u.regionCode, 'region') : null,
      region_kind: u.regionKind,
      person_id: u.personKey ? person(u.personKey) : null,
    })),
  );

  return lookup(regionIds, plan.regions.find((r) => r.kind === 'city')?.code ?? '', 'city');
}

/** Counts and accounts as they are in the database (also when the world existed before). */
async function readSummary(trx: Knex.Transaction, cityId: number): Promise<Omit<DemoSummary, 'created'>> {
  const counties = await trx('regions').where({ parent_id: cityId, kind: 'county' }).select('id');
  const countyIds = counties.map((c) => Number(c.id));
  const [townships] = await trx('regions')
    .whereIn('parent_id', countyIds)
    .andWhere('kind', 'township')
    .count({ n: '*' });
  const [people] = await trx('quota_slots as qs')
    .join('quota_accounts as qa', 'qa.id', 'qs.account_id')
    .join('quota_holders as qh', 'qh.id', 'qa.holder_id')
    .leftJoin('regions as t', 't.id', 'qh.township_id')
    .leftJoin('county_departments as d', 'd.id', 'qh.department_id')
    .where((q) => q.whereIn('t.parent_id', countyIds).orWhereIn('d.county_id', countyIds))
    .countDistinct({ n: 'qs.person_id' });
  const roles = (await trx('users as u')
    .join('user_roles as ur', 'ur.user_id', 'u.id')
    .leftJoin('regions as r', 'r.id', 'ur.region_id')
    .leftJoin('regions as pr', 'pr.id', 'r.parent_id')
    .leftJoin('people as p', 'p.id', 'ur.person_id')
    .whereIn('u.username', DEMO_USERNAMES)
    .orderBy('ur.id')
    .select(
      'u.username',
      'ur.role',
      'r.kind as region_kind',
      'r.name as region_name',
      'pr.name as parent_name',
      'p.name as person_name',
    )) as Array<{
    username: string;
    role: DemoRole;
    region_kind: string | null;
    region_name: string | null;
    parent_name: string | null;
    person_name: string | null;
  }>;
  const accounts: DemoAccount[] = roles
    .map((r) => ({
      username: r.username,
      role: r.role,
      scopeLabel:
        r.role === 'admin'
          ? '全部地区'
          : r.role === 'staff'
            ? (r.person_name ?? '')
            : r.region_kind === 'township'
              ? `${r.parent_name ?? ''} ${r.region_name ?? ''}`
              : (r.region_name ?? ''),
    }))
    .sort((a, b) => DEMO_USERNAMES.indexOf(a.username) - DEMO_USERNAMES.indexOf(b.username));
  return {
    cities: 1,
    counties: countyIds.length,
    townships: Number(townships?.n ?? 0),
    people: Number(people?.n ?? 0),
    accounts,
  };
}

/** True when the demo city is in the database (so a restart can list the demo accounts again). */
export async function demoWorldExists(knex: Knex): Promise<boolean> {
  if (!(await knex.schema.hasTable('regions'))) return false;
  const row = await knex('regions')
    .where('kind', 'city')
    .andWhere((q) => q.where('code', CITY.code).orWhere('name', CITY.name))
    .first('id');
  return row !== undefined;
}
