import type { Knex } from 'knex';
import type {
  AssessmentRecord,
  AssessmentResult,
  EducationLevel,
  EducationRecord,
  EligibilityInput,
  EligibilityRules,
  FamilyRecord,
  GradeLevelInfo,
  GradeSpell,
  Ladder,
  Level,
  PromotionRule,
  SanctionRecord,
} from '../../domain/eligibility/index.js';
import type { PromotionRuleRow } from '../tables.js';
import { idRange, loadEligibilityInputsFolded } from './eligibilityBulk.js';
import { personTownshipsQuery } from './scope.js';

/**
 * What the eligibility engine needs, loaded set-based: a fixed handful of queries whatever the number of
 * people (ids are passed as one array parameter, `= any(?)`, so a whole city fits in one statement).
 * Rows superseded by corrections are left out; snake_case stops here.
 */

/** An input being filled in, one query at a time. */
interface Draft extends EligibilityInput {
  grades: GradeSpell[];
  assessments: AssessmentRecord[];
  sanctions: SanctionRecord[];
  educations: EducationRecord[];
  family: FamilyRecord[];
}

/**
 * The reference data the engine applies: every grade, every sanction kind with its impact period, and
 * the promotion_rules and county_sanction_periods versions in force by the date (national and every
 * county's; the engine picks the latest in force for the person's county). Four queries.
 */
export async function loadEligibilityRules(db: Knex, asOf: string): Promise<EligibilityRules> {
  const grades = await db('grade_levels').select('code', 'ladder', 'step', 'level_equivalent');
  const kinds = await db('sanction_kinds').select('code', 'impact_months');
  const rules = (await db('promotion_rules')
    .where('effective_from', '<=', asOf)
    .orderBy([{ column: 'target' }, { column: 'effective_from' }, { column: 'id' }])
    .select(
      'county_id',
      'target',
      'min_months',
      'counted_grades',
      'min_education',
      'education_blocks',
      'party_member_required',
      'effective_from',
      'source',
    )) as Array<Omit<PromotionRuleRow, 'id' | 'county_kind'>>;
  const periods = await db('county_sanction_periods')
    .where('effective_from', '<=', asOf)
    .orderBy([{ column: 'county_id' }, { column: 'kind_code' }, { column: 'effective_from' }])
    .select('county_id', 'kind_code', 'impact_months', 'effective_from', 'source');
  return toEligibilityRules({ grades, kinds, rules, periods });
}

/** The rule rows as read from the database (by loadEligibilityRules and the career page's one-statement loader). */
export interface EligibilityRuleRows {
  grades: ReadonlyArray<{
    code: string;
    ladder: GradeLevelInfo['ladder'];
    step: number;
    level_equivalent: string | null;
  }>;
  kinds: ReadonlyArray<{ code: string; impact_months: number | null }>;
  rules: ReadonlyArray<Omit<PromotionRuleRow, 'id' | 'county_kind'>>;
  periods: ReadonlyArray<{
    county_id: number;
    kind_code: string;
    impact_months: number;
    effective_from: string;
    source: string;
  }>;
}

/** The rule rows as the engine takes them. */
export function toEligibilityRules(rows: EligibilityRuleRows): EligibilityRules {
  const { grades, kinds, rules, periods } = rows;
  return {
    grades: grades.map(
      (g): GradeLevelInfo => ({
        code: g.code,
        ladder: g.ladder,
        step: g.step,
        levelEquivalent: g.level_equivalent as Level | null,
      }),
    ),
    sanctionKinds: kinds.map((k) => ({ code: k.code, impactMonths: k.impact_months })),
    sanctionPeriods: periods.map((p) => ({
      countyId: p.county_id,
      kindCode: p.kind_code,
      impactMonths: p.impact_months,
      effectiveFrom: p.effective_from,
      source: p.source,
    })),
    promotionRules: rules.map(
      (r): PromotionRule => ({
        countyId: r.county_id,
        target: r.target,
        minMonths: r.min_months,
        countedGrades: r.counted_grades,
        minEducation: r.min_education as EducationLevel | null,
        educationBlocks: r.education_blocks,
        partyMemberRequired: r.party_member_required,
        effectiveFrom: r.effective_from,
        source: r.source,
      }),
    ),
  };
}

/** The engine's input for one person, or undefined if there is no such person. */
export async function loadEligibilityInput(
  db: Knex,
  personId: number,
  asOf: string,
): Promise<EligibilityInput | undefined> {
  return (await loadEligibilityInputs(db, [personId], asOf)).get(personId);
}

/** Everyone belonging to the townships on the date (see personTownshipsQuery), by person id. */
export async function loadEligibilityInputsForTownships(
  db: Knex,
  townshipIds: readonly number[],
  asOf: string,
): Promise<Map<number, EligibilityInput>> {
  if (townshipIds.length === 0) return new Map();
  const members = await db
    .from(personTownshipsQuery(db, asOf, { townshipIds }).as('pt'))
    .whereRaw('pt.township_id = any(?::int[])', [[...townshipIds]])
    .distinct('pt.person_id')
    .orderBy('pt.person_id');
  return loadEligibilityInputs(
    db,
    members.map((m: { person_id: number }) => m.person_id),
    asOf,
  );
}

/**
 * The engine's input for many people at once, by person id (people that don't exist are left out).
 * Eight queries whatever the number of people.
 */
export async function loadEligibilityInputs(
  db: Knex,
  personIds: readonly number[],
  asOf: string,
): Promise<Map<number, EligibilityInput>> {
  if (personIds.length === 0) return new Map();
  const ids = [...new Set(personIds)];
  return loadInputs(db, (column) => [`${column} = any(?::int[])`, [ids]], asOf);
}

/**
 * The inputs of everyone with an id in [fromId, toId): the whole province read as consecutive id
 * ranges, each table walked along its person index, with no id list sent (at province scale a list of
 * 10,000 ids per statement and a membership query per batch cost more than the rows themselves). For batch
 * work — the pipeline over every person — not for pages, which ask about one township. Each person's
 * histories folded into one row (see eligibilityBulk.ts), the same inputs as above.
 */
export async function loadEligibilityInputsInRange(
  db: Knex,
  fromId: number,
  toId: number,
  asOf: string,
): Promise<Map<number, EligibilityInput>> {
  return loadEligibilityInputsFolded(db, idRange(fromId, toId), asOf);
}

/** A grade spell as the JSON aggregate carries it (dates as ISO strings, as the driver gives them). */
type GradeTuple = [Ladder, string, string, string | null, string | null, string | null];

type PersonFilter = (column: string) => readonly [string, readonly Knex.RawBinding[]];

async function loadInputs(
  db: Knex,
  forIds: PersonFilter,
  asOf: string,
): Promise<Map<number, EligibilityInput>> {
  const out = new Map<number, Draft>();

  // The county whose rules apply: the holder of the latest quota slot by the date (a township's county,
  // or the county department's), else the township of the latest assignment. Set-based (DISTINCT ON per
  // person over the people asked about), not a correlated look-up per person.
  const slotCounty = db('quota_slots as s')
    .join('quota_accounts as qa', 'qa.id', 's.account_id')
    .join('quota_holders as qh', 'qh.id', 'qa.holder_id')
    .leftJoin('regions as t', 't.id', 'qh.township_id')
    .leftJoin('county_departments as d', 'd.id', 'qh.department_id')
    .whereRaw(...forIds('s.person_id'))
    .whereNull('s.superseded_at')
    .where('s.valid_from', '<=', asOf)
    .distinctOn('s.person_id')
    .orderBy([
      { column: 's.person_id' },
      { column: 's.valid_from', order: 'desc' },
      { column: 's.id', order: 'desc' },
    ])
    .select('s.person_id', db.raw('coalesce(t.parent_id, d.county_id) as county_id'));
  const people = (await db('people as p')
    .whereRaw(...forIds('p.id'))
    .leftJoin(slotCounty.as('sc'), 'sc.person_id', 'p.id')
    .orderBy('p.id')
    .select('p.id', 'p.political_status', 'p.party_joined_on', 'sc.county_id')) as Array<{
    id: number;
    political_status: string;
    party_joined_on: string | null;
    county_id: number | null;
  }>;
  // The fallback, only for the few without a quota slot: the township of their latest assignment.
  const withoutSlot = people.filter((p) => p.county_id === null).map((p) => p.id);
  // Always sent (empty or not) so that a load costs the same number of statements whatever the data.
  {
    const byPost = await db('assignments as a')
      .join('posts as po', 'po.id', 'a.post_id')
      .join('regions as t', 't.id', 'po.township_id')
      .whereRaw('a.person_id = any(?::int[])', [withoutSlot])
      .whereNull('a.superseded_at')
      .where('a.valid_from', '<=', asOf)
      .distinctOn('a.person_id')
      .orderByRaw("a.person_id, a.valid_from desc, (a.kind = 'primary') desc, a.id desc")
      .select('a.person_id', 't.parent_id as county_id');
    const county = new Map(
      byPost.map((r: { person_id: number; county_id: number }) => [r.person_id, r.county_id]),
    );
    for (const p of people) if (p.county_id === null) p.county_id = county.get(p.id) ?? null;
  }
  for (const p of people as Array<{
    id: number;
    political_status: string;
    party_joined_on: string | null;
    county_id: number | null;
  }>) {
    out.set(p.id, {
      countyId: p.county_id,
      politicalStatus: p.political_status,
      partyJoinedOn: p.party_joined_on,
      grades: [],
      assessments: [],
      sanctions: [],
      educations: [],
      family: [],
    });
  }
  if (out.size === 0) return out;
  const of = (personId: number) => out.get(personId);

  // The two long histories come one row per person with the spells as a JSON array (in order): at province
  // scale that is 150,000 rows to decode instead of a million, which is most of the loading time.
  const grades = await db('grades')
    .whereRaw(...forIds('person_id'))
    .whereNull('superseded_at')
    .groupBy('person_id')
    .select(
      'person_id',
      db.raw(
        `json_agg(json_build_array(ladder, grade_code, valid_from, valid_to, probation_until, legacy_title)
           ORDER BY valid_from, id) AS spells`,
      ),
    );
  for (const g of grades as unknown as Array<{ person_id: number; spells: GradeTuple[] }>) {
    const draft = of(g.person_id);
    if (!draft) continue;
    for (const [ladder, gradeCode, validFrom, validTo, probationUntil, legacyTitle] of g.spells)
      draft.grades.push({ ladder, gradeCode, validFrom, validTo, probationUntil, legacyTitle });
  }

  const assessments = await db('assessments')
    .whereRaw(...forIds('person_id'))
    .whereNull('superseded_at')
    .groupBy('person_id')
    .select('person_id', db.raw('json_agg(json_build_array(year, result) ORDER BY year) AS years'));
  for (const a of assessments as unknown as Array<{
    person_id: number;
    years: Array<[number, AssessmentResult]>;
  }>) {
    const draft = of(a.person_id);
    if (!draft) continue;
    for (const [year, result] of a.years) draft.assessments.push({ year, result });
  }

  const sanctions = await db('sanctions')
    .whereRaw(...forIds('person_id'))
    .whereNull('superseded_at')
    .orderBy([{ column: 'person_id' }, { column: 'decided_on' }, { column: 'id' }])
    .select('person_id', 'kind_code', 'decided_on', 'closed_on');
  for (const s of sanctions) {
    of(s.person_id)?.sanctions.push({
      kindCode: s.kind_code,
      decidedOn: s.decided_on,
      closedOn: s.closed_on,
    });
  }

  const educations = await db('educations')
    .whereRaw(...forIds('person_id'))
    .orderBy([{ column: 'person_id' }, { column: 'id' }])
    .select('person_id', 'level', 'graduated_on');
  for (const e of educations) {
    of(e.person_id)?.educations.push({
      level: e.level as EducationLevel,
      graduatedOn: e.graduated_on,
    });
  }

  // Only the relations the emigration rule looks at (spouse, children).
  const family = await db('family_members')
    .whereRaw(...forIds('person_id'))
    .whereIn('relation', ['spouse', 'son', 'daughter'])
    .orderBy([{ column: 'person_id' }, { column: 'id' }])
    .select('person_id', 'relation', 'emigrated');
  for (const f of family) {
    of(f.person_id)?.family.push({
      relation: f.relation,
      emigrated: f.emigrated,
    });
  }
  return out;
}
