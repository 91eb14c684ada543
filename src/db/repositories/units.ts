import type { Knex } from 'knex';
import type { UnitDecisionKind, UnitKind, UnitRank } from '../tables.js';

export interface CountySettings {
  unitLimit: number;
  featuredUnitLimit: number;
  unitDeputyThresholds: number[];
  /** Movement kinds the township only files for the record (备案). */
  filingOnlyKinds: string[];
  /** How long a quota-use approval (用编核准) holds its place. */
  quotaApprovalMonths: number;
  /** The longest secondment (借调) the county allows. */
  secondmentMaxMonths: number;
}

export const DEFAULT_COUNTY_SETTINGS: CountySettings = {
  unitLimit: 11,
  featuredUnitLimit: 2,
  unitDeputyThresholds: [4, 8],
  filingOnlyKinds: ['internal', 'exit'],
  quotaApprovalMonths: 6,
  secondmentMaxMonths: 12,
};

export async function countySettings(db: Knex, countyId: number): Promise<CountySettings> {
  const row = await db('county_settings').where({ county_id: countyId }).first();
  if (!row) return DEFAULT_COUNTY_SETTINGS;
  return {
    unitLimit: row.unit_limit,
    featuredUnitLimit: row.featured_unit_limit,
    unitDeputyThresholds: row.unit_deputy_thresholds,
    filingOnlyKinds: row.filing_only_kinds,
    quotaApprovalMonths: row.quota_approval_months,
    secondmentMaxMonths: row.secondment_max_months,
  };
}

/** Every county's own settings (counties without a row use the defaults), with when they last changed. */
export async function allCountySettings(
  db: Knex,
): Promise<Map<number, CountySettings & { updatedAt: Date }>> {
  const rows = await db('county_settings').select('*');
  return new Map(
    rows.map((row) => [
      row.county_id,
      {
        unitLimit: row.unit_limit,
        featuredUnitLimit: row.featured_unit_limit,
        unitDeputyThresholds: row.unit_deputy_thresholds,
        filingOnlyKinds: row.filing_only_kinds,
        quotaApprovalMonths: row.quota_approval_months,
        secondmentMaxMonths: row.secondment_max_months,
        updatedAt: row.updated_at,
      },
    ]),
  );
}

/** Writes a county's settings (insert or replace); the caller holds the county's row lock. */
export async function saveCountySettings(
  trx: Knex.Transaction,
  countyId: number,
  s: CountySettings,
): Promise<void> {
  await trx('county_settings')
    .insert({
      county_id: countyId,
      unit_limit: s.unitLimit,
      featured_unit_limit: s.featuredUnitLimit,
      unit_deputy_thresholds: s.unitDeputyThresholds,
      filing_only_kinds: s.filingOnlyKinds,
      quota_approval_months: s.quotaApprovalMonths,
      secondment_max_months: s.secondmentMaxMonths,
      updated_at: trx.fn.now(),
    })
    .onConflict('county_id')
    .merge();
}

export async function insertUnitDecision(
  trx: Knex.Transaction,
  d: {
    townshipId: number;
    kind: UnitDecisionKind;
    effectiveOn: string;
    docNo: string;
    summary: string;
    correctsId?: number | null;
  },
): Promise<number> {
  const [row] = await trx('unit_decisions')
    .insert({
      township_id: d.townshipId,
      kind: d.kind,
      effective_on: d.effectiveOn,
      doc_no: d.docNo,
      summary: d.summary,
      corrects_id: d.correctsId ?? null,
    })
    .returning('id');
  return (row as { id: number }).id;
}

export async function insertUnit(
  trx: Knex.Transaction,
  u: {
    townshipId: number;
    kind: UnitKind;
    departmentId: number | null;
    establishedOn: string;
    docNo: string;
    decisionId: number;
  },
): Promise<number> {
  const [row] = await trx('units')
    .insert({
      township_id: u.townshipId,
      kind: u.kind,
      department_id: u.departmentId,
      established_on: u.establishedOn,
      established_doc_no: u.docNo,
      established_decision_id: u.decisionId,
      sort_order: trx.raw('(SELECT coalesce(max(sort_order), 0) + 1 FROM units WHERE township_id = ?)', [
        u.townshipId,
      ]),
    })
    .returning('id');
  return (row as { id: number }).id;
}

export async function abolishUnit(
  trx: Knex.Transaction,
  unitId: number,
  on: string,
  docNo: string,
  decisionId: number,
): Promise<void> {
  await trx('units')
    .where({ id: unitId })
    .update({ abolished_on: on, abolished_doc_no: docNo, abolished_decision_id: decisionId });
}

export interface UnitVersion {
  id: number;
  unitId: number;
  validFrom: string;
  validTo: string | null;
  name: string;
  aliasNames: string[];
  rank: UnitRank;
  featured: boolean;
}

/** The version in force on a date (or the next one starting after it, for future-dated decisions). */
export async function versionsFrom(trx: Knex, unitId: number, on: string): Promise<UnitVersion[]> {
  const rows = await trx('unit_versions')
    .where({ unit_id: unitId })
    .whereNull('superseded_at')
    .andWhere((q) => q.whereNull('valid_to').orWhere('valid_to', '>', on))
    .orderBy('valid_from');
  return rows.map((r) => ({
    id: r.id,
    unitId: r.unit_id,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    name: r.name,
    aliasNames: r.alias_names,
    rank: r.rank,
    featured: r.featured,
  }));
}

export async function insertVersion(
  trx: Knex.Transaction,
  v: {
    unitId: number;
    townshipId: number;
    decisionId: number;
    validFrom: string;
    validTo: string | null;
    name: string;
    aliasNames: string[];
    rank: UnitRank;
    featured: boolean;
  },
): Promise<void> {
  await trx('unit_versions').insert({
    unit_id: v.unitId,
    township_id: v.townshipId,
    decision_id: v.decisionId,
    valid_from: v.validFrom,
    valid_to: v.validTo,
    name: v.name,
    alias_names: v.aliasNames,
    rank: v.rank,
    featured: v.featured,
  });
}

/** Ends a version on a date (the next version starts then). */
export async function endVersion(trx: Knex.Transaction, versionId: number, on: string): Promise<void> {
  await trx('unit_versions').where({ id: versionId }).update({ valid_to: on });
}

/** Removes a future version that a later decision replaces (it never was in force): marked superseded. */
export async function supersedeVersion(trx: Knex.Transaction, versionId: number): Promise<void> {
  await trx('unit_versions').where({ id: versionId }).update({ superseded_at: trx.fn.now() });
}

export interface UnitDecisionEntry {
  id: number;
  kind: UnitDecisionKind;
  effectiveOn: string;
  docNo: string;
  summary: string;
  correctsId: number | null;
  createdAt: Date;
}

export async function unitDecisions(db: Knex, townshipId: number): Promise<UnitDecisionEntry[]> {
  const rows = await db('unit_decisions')
    .where({ township_id: townshipId })
    .orderBy([
      { column: 'effective_on', order: 'desc' },
      { column: 'id', order: 'desc' },
    ]);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    effectiveOn: r.effective_on,
    docNo: r.doc_no,
    summary: r.summary,
    correctsId: r.corrects_id,
    createdAt: r.created_at,
  }));
}

/** Units in force on a date that count against the unit limit (offices and stations), and featured ones. */
export async function unitCountsOn(db: Knex, townshipId: number, on: string) {
  const rows = await db('units as u')
    .joinRaw(
      `JOIN LATERAL (SELECT v.featured FROM unit_versions v WHERE v.unit_id = u.id AND v.superseded_at IS NULL
        AND v.valid_from <= ? AND (v.valid_to IS NULL OR v.valid_to > ?) ORDER BY v.valid_from DESC LIMIT 1) v ON true`,
      [on, on],
    )
    .where('u.township_id', townshipId)
    .whereNot('u.kind', 'dispatched')
    .andWhere('u.established_on', '<=', on)
    .andWhere((q) => q.whereNull('u.abolished_on').orWhere('u.abolished_on', '>', on))
    .select('v.featured');
  return { units: rows.length, featured: rows.filter((r: { featured: boolean }) => r.featured).length };
}

export async function findUnitRow(db: Knex, id: number) {
  return db('units').where({ id }).first();
}

/** Locks units for a reorganisation, in id order. */
export async function lockUnits(trx: Knex.Transaction, ids: number[]) {
  return trx('units').whereIn('id', ids).orderBy('id').forUpdate().select('*');
}

export async function lockUnit(trx: Knex.Transaction, id: number): Promise<void> {
  await trx('units').where({ id }).forNoKeyUpdate().first('id');
}

/** Versions made by decisions in a township (for the decision history), with the unit's kind. */
export async function versionsByDecision(db: Knex, townshipId: number) {
  const rows = await db('unit_versions as v')
    .join('units as u', 'u.id', 'v.unit_id')
    .where('v.township_id', townshipId)
    .whereNotNull('v.decision_id')
    .select(
      'v.decision_id',
      'v.unit_id',
      'v.name',
      'v.rank',
      'v.alias_names',
      'v.featured',
      'v.superseded_at',
      'u.kind',
    );
  return rows.map((v: Record<string, unknown>) => ({
    decisionId: v.decision_id as number,
    unitId: v.unit_id as number,
    name: v.name as string,
    rank: v.rank as string,
    aliasNames: v.alias_names as string[],
    featured: v.featured as boolean,
    superseded: v.superseded_at !== null,
  }));
}
