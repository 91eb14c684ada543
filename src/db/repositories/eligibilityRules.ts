import type { Knex } from 'knex';
import type { CountySanctionPeriod, EducationLevel, PromotionRule } from '../../domain/eligibility/index.js';

/**
 * The promotion rules and sanction impact periods as versions (rules as data): national defaults
 * (county_id NULL, from seeds/reference) and each county's own versions. A version is never edited: a
 * change is a new row with its effective date.
 */

export interface PromotionRuleVersion extends PromotionRule {
  id: number;
  countyName: string | null;
}

export interface SanctionPeriodVersion extends CountySanctionPeriod {
  id: number;
  countyName: string;
  createdAt: Date;
}

/** Every version, national first, then by county, target and date. */
export async function promotionRuleVersions(db: Knex): Promise<PromotionRuleVersion[]> {
  const rows = await db('promotion_rules as r')
    .leftJoin('regions as c', 'c.id', 'r.county_id')
    .orderByRaw('r.county_id nulls first, r.target, r.effective_from, r.id')
    .select('r.*', 'c.name as county_name');
  return rows.map((r: Record<string, unknown>) => ({
    id: r.id as number,
    countyId: r.county_id as number | null,
    countyName: (r.county_name as string | null) ?? null,
    target: r.target as string,
    minMonths: r.min_months as number,
    countedGrades: r.counted_grades as string[],
    minEducation: r.min_education as EducationLevel | null,
    educationBlocks: r.education_blocks as boolean,
    partyMemberRequired: r.party_member_required as boolean,
    effectiveFrom: r.effective_from as string,
    source: r.source as string,
  }));
}

export async function sanctionPeriodVersions(db: Knex): Promise<SanctionPeriodVersion[]> {
  const rows = await db('county_sanction_periods as p')
    .join('regions as c', 'c.id', 'p.county_id')
    .join('sanction_kinds as k', 'k.code', 'p.kind_code')
    .orderBy([
      { column: 'c.sort_order' },
      { column: 'c.id' },
      { column: 'k.sort_order' },
      { column: 'p.effective_from' },
      { column: 'p.id' },
    ])
    .select('p.*', 'c.name as county_name');
  return rows.map((r: Record<string, unknown>) => ({
    id: r.id as number,
    countyId: r.county_id as number,
    countyName: r.county_name as string,
    kindCode: r.kind_code as string,
    impactMonths: r.impact_months as number,
    effectiveFrom: r.effective_from as string,
    source: r.source as string,
    createdAt: r.created_at as Date,
  }));
}

export interface PromotionRuleInput {
  countyId: number;
  target: string;
  minMonths: number;
  countedGrades: string[];
  minEducation: EducationLevel | null;
  educationBlocks: boolean;
  partyMemberRequired: boolean;
  effectiveFrom: string;
  source: string;
}

export async function insertPromotionRule(trx: Knex.Transaction, r: PromotionRuleInput): Promise<number> {
  const [row] = await trx('promotion_rules')
    .insert({
      county_id: r.countyId,
      target: r.target,
      min_months: r.minMonths,
      counted_grades: r.countedGrades,
      min_education: r.minEducation,
      education_blocks: r.educationBlocks,
      party_member_required: r.partyMemberRequired,
      effective_from: r.effectiveFrom,
      source: r.source,
    })
    .returning('id');
  return (row as { id: number }).id;
}

export interface SanctionPeriodInput {
  countyId: number;
  kindCode: string;
  impactMonths: number;
  effectiveFrom: string;
  source: string;
}

export async function insertSanctionPeriod(trx: Knex.Transaction, p: SanctionPeriodInput): Promise<number> {
  const [row] = await trx('county_sanction_periods')
    .insert({
      county_id: p.countyId,
      kind_code: p.kindCode,
      impact_months: p.impactMonths,
      effective_from: p.effectiveFrom,
      source: p.source,
    })
    .returning('id');
  return (row as { id: number }).id;
}

/** Serialises rule writes for one county (two admins recording versions at once). */
export async function lockCounty(trx: Knex.Transaction, countyId: number): Promise<boolean> {
  const row = await trx('regions').where({ id: countyId, kind: 'county' }).forUpdate().first('id');
  return row !== undefined;
}
