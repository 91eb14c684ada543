import type { Knex } from 'knex';
import type { Scope } from '../../auth/principal.js';
import type { TownshipSeats } from '../../domain/career.js';
import type {
  AssessmentResult,
  EducationLevel,
  EligibilityInput,
  EligibilityRules,
  Level,
} from '../../domain/eligibility/index.js';
import { preparedRows } from '../prepared.js';
import { queryTemplate } from '../queryTemplate.js';
import type { PersonRow, RegionRow } from '../tables.js';
import {
  assembleSeats,
  homeTownshipSql,
  type OpenPostRow,
  openPostsQuery,
  type ReferenceNames,
  toReferenceNames,
} from './careers.js';
import { type EligibilityRuleRows, toEligibilityRules } from './eligibilityInputs.js';
import {
  assembleSlots,
  type SlotDecisionInForce,
  type SlotHolder,
  slotDecisionsQuery,
  slotHoldersQuery,
  type TotalRow,
  totalsQuery,
} from './leadership.js';
import { countyWeightSql, everyCountyWeightSql } from './overviewChanges.js';
import {
  type AssessmentLine,
  type AssignmentLine,
  assignmentTimelineQuery,
  type GradeLine,
  gradeTimelineQuery,
  toAssessment,
  toAssignmentLine,
  toGradeLine,
} from './personHistory.js';
import { type PersonDetails, personDetailColumns, toPersonDetails } from './personRecords.js';
import { type Region, toRegion } from './regions.js';
import { personCountiesByDepartmentQuery, personTownshipsQuery } from './scope.js';

/**
 * The career page of one person in two statements, each a handful of index reads (the page used to send
 * some twenty-five): the person's record (scope, details, histories, the engine's input and the township
 * they belong to), then the reference data with the seats of that township. Every table group comes back
 * as one JSON array, so a long history costs rows in a column, not round trips. The JSON twin
 * (GET /api/v1/people/:id/eligibility) uses the same two statements, without the seats.
 *
 * The engine's input here is exactly what loadEligibilityInput gives for the person (a test holds them
 * equal): the grades and assessments in force are taken from the timelines the page reads anyway, so
 * nothing is read twice.
 *
 * The record's statement is a prepared statement on PostgreSQL (its text depends only on the scope's shape,
 * every value is bound), so each connection plans it once; the reference data is cached by the career service
 * under a key of the change log that the record's statement reads too (CareerRecord.changes).
 */

export interface CareerRecord {
  person: PersonDetails;
  /** The township the person belongs to on the date asked about (homeTownshipOf), null if none. */
  homeTownshipId: number | null;
  /** That township's county, null if none. */
  homeCountyId: number | null;
  /** Every assignment, grade and assessment, corrected rows included, latest first (the timelines). */
  assignments: AssignmentLine[];
  grades: GradeLine[];
  assessments: AssessmentLine[];
  /** What the eligibility engine needs on the date asked about. */
  input: EligibilityInput;
  /**
   * The change log's weights (overview_changes, see overviewChanges.countyKey) read in the record's statement:
   * of the home township's county, of the county whose rules apply (input.countyId), and of the every-county
   * rows; 0 for a county that is null. The key of the reference data, read before it is loaded.
   */
  changes: { homeCounty: number; county: number; everyCounty: number };
}

/** `(select json_agg(r order by …) from (query) r)`: the rows of a query as one JSON array ([] for none). */
function jsonRows(db: Knex, query: Knex.QueryBuilder, order: string): Knex.Raw {
  return db.raw(`(select coalesce(json_agg(r order by ${order}), '[]'::json) from ? as r)`, [query]);
}

/** A timestamp from a JSON row (timestamps come as strings there) as the driver would give it. */
const timestampOf = (value: unknown): Date | null => (value === null ? null : new Date(value as string));

/**
 * Whether the person (`people as person`) is readable in the scope on the date, as isPersonInScope decides
 * it (their own record, a township of the scope they belong to, or a dispatched unit of a county of the
 * scope), built from the same membership queries.
 */
function inScopeSql(db: Knex, shape: RecordShape, v: RecordValues): Knex.Raw {
  if (shape.all) return db.raw('true');
  const any: Knex.Raw[] = [];
  if (shape.own) any.push(db.raw('true'));
  if (shape.townships)
    any.push(
      db.raw('exists ?', [
        db
          .from(personTownshipsQuery(db, v.today, { personIds: [v.personId] }).as('pt'))
          .whereRaw('pt.person_id = person.id')
          .whereRaw('pt.township_id = any(?::int[])', [v.townshipIds])
          .select(db.raw('1')),
      ]),
    );
  if (shape.counties)
    any.push(
      db.raw('exists ?', [
        db
          .from(personCountiesByDepartmentQuery(db, v.today).as('pc'))
          .where('pc.person_id', v.personId)
          .whereRaw('pc.county_id = any(?::int[])', [v.countyIds])
          .select(db.raw('1')),
      ]),
    );
  if (any.length === 0) return db.raw('false');
  return db.raw(any.map(() => '?').join(' or '), any);
}

/** What decides the career record statement's text: which parts of the scope check it has. */
interface RecordShape {
  all: boolean;
  own: boolean;
  townships: boolean;
  counties: boolean;
}
/** Its parameters (queryTemplate): every value the statement binds besides the builder's constants. */
type RecordValues = {
  personId: number;
  asOf: string;
  today: string;
  townshipIds: number[];
  countyIds: number[];
};

/**
 * The county whose rules apply to the person (`people as person`) on the date, as the engine's loader
 * decides it: the holder of the latest quota slot by then (a township's county or a county department's),
 * else the township of the latest assignment.
 */
function countySql(db: Knex, asOf: string): Knex.Raw {
  // The holder's county through scalar look-ups rather than outer joins: the same answer, less to plan.
  const bySlot = db('quota_slots as s')
    .join('quota_accounts as qa', 'qa.id', 's.account_id')
    .join('quota_holders as qh', 'qh.id', 'qa.holder_id')
    .whereRaw('s.person_id = person.id')
    .whereNull('s.superseded_at')
    .where('s.valid_from', '<=', asOf)
    .orderBy([
      { column: 's.valid_from', order: 'desc' },
      { column: 's.id', order: 'desc' },
    ])
    .limit(1)
    .select(
      db.raw(
        `coalesce((select t.parent_id from regions t where t.id = qh.township_id),
          (select d.county_id from county_departments d where d.id = qh.department_id))`,
      ),
    );
  const byPost = db('assignments as a')
    .join('posts as po', 'po.id', 'a.post_id')
    .join('regions as t', 't.id', 'po.township_id')
    .whereRaw('a.person_id = person.id')
    .whereNull('a.superseded_at')
    .where('a.valid_from', '<=', asOf)
    .orderByRaw("a.valid_from desc, (a.kind = 'primary') desc, a.id desc")
    .limit(1)
    .select('t.parent_id');
  return db.raw('coalesce(?, ?)', [bySlot, byPost]);
}

type RecordRow = PersonRow & {
  in_scope: boolean;
  home_township_id: number | null;
  home_county_id: number | null;
  home_county_weight: number;
  county_weight: number;
  every_county_weight: number;
  county_id: number | null;
  assignments: Array<Record<string, unknown>>;
  grades: Array<Record<string, unknown>>;
  assessments: Array<Record<string, unknown>>;
  sanctions: Array<{ kind_code: string; decided_on: string; closed_on: string | null }>;
  educations: Array<{ level: EducationLevel; graduated_on: string | null }>;
  family: Array<{ relation: string; emigrated: boolean }>;
};

/**
 * One person's record for the career page, in one statement; undefined when there is no such person or the
 * scope may not read it on `today` (the caller answers 404 either way). `asOf` is the date assessed. The
 * statement's text must not depend on the person or the dates (a prepared statement): every value is bound,
 * lists as one array.
 */
/** The career record statement (see loadCareerRecord), built by knex once per shape (queryTemplate). */
const careerRecordStatement = queryTemplate<RecordValues, RecordShape>(
  (db, v, shape) => {
    const record = db('people as person')
      .where('person.id', v.personId)
      .limit(1)
      .select(
        ...personDetailColumns.map((c) => `person.${c}`),
        db.raw('? as in_scope', [inScopeSql(db, shape, v)]),
        db.raw('? as home_township_id', [homeTownshipSql(db, v.asOf, 'person')]),
        db.raw('? as county_id', [countySql(db, v.asOf)]),
        db.raw('? as assignments', [
          jsonRows(
            db,
            assignmentTimelineQuery(db).whereRaw('a.person_id = person.id'),
            'r.valid_from desc, r.id desc',
          ),
        ]),
        db.raw('? as grades', [
          jsonRows(
            db,
            gradeTimelineQuery(db).whereRaw('g.person_id = person.id'),
            'r.valid_from desc, r.id desc',
          ),
        ]),
        db.raw('? as assessments', [
          jsonRows(
            db,
            db('assessments as x').whereRaw('x.person_id = person.id').select('x.*'),
            'r.year desc, r.id desc',
          ),
        ]),
        db.raw('? as sanctions', [
          jsonRows(
            db,
            db('sanctions as x')
              .whereRaw('x.person_id = person.id')
              .whereNull('x.superseded_at')
              .select('x.id', 'x.kind_code', 'x.decided_on', 'x.closed_on'),
            'r.decided_on, r.id',
          ),
        ]),
        db.raw('? as educations', [
          jsonRows(
            db,
            db('educations as x')
              .whereRaw('x.person_id = person.id')
              .select('x.id', 'x.level', 'x.graduated_on'),
            'r.id',
          ),
        ]),
        // Only the relations the emigration rule looks at (spouse, children).
        db.raw('? as family', [
          jsonRows(
            db,
            db('family_members as x')
              .whereRaw('x.person_id = person.id')
              .whereIn('x.relation', ['spouse', 'son', 'daughter'])
              .select('x.id', 'x.relation', 'x.emigrated'),
            'r.id',
          ),
        ]),
      );
    // The home township's county and the change log's weights, from the record's row (LIMIT 1 keeps the record a
    // subquery evaluated once: its columns are not copied into the outer expressions).
    return db
      .from(record.as('rec'))
      .joinRaw(
        `LEFT JOIN LATERAL (SELECT t.parent_id AS home_county_id FROM regions t
          WHERE t.id = rec.home_township_id AND t.kind = 'township') hc ON true`,
      )
      .select(
        'rec.*',
        'hc.home_county_id',
        db.raw(`${countyWeightSql('hc.home_county_id')} as home_county_weight`),
        db.raw(`${countyWeightSql('rec.county_id')} as county_weight`),
        db.raw(`${everyCountyWeightSql} as every_county_weight`),
      );
  },
  {
    personId: -918_273,
    asOf: '1901-02-03',
    today: '1902-03-04',
    townshipIds: [-918_274],
    countyIds: [-918_275],
  },
);

export async function loadCareerRecord(
  db: Knex,
  scope: Scope,
  personId: number,
  dates: { asOf: string; today: string },
): Promise<CareerRecord | undefined> {
  const { asOf, today } = dates;
  const shape: RecordShape = {
    all: scope.all,
    own: !scope.all && scope.personIds.has(personId),
    townships: !scope.all && scope.townshipIds.size > 0,
    counties: !scope.all && scope.fullCountyIds.size > 0,
  };
  const query = careerRecordStatement(db, shape, {
    personId,
    asOf,
    today,
    townshipIds: [...scope.townshipIds],
    countyIds: [...scope.fullCountyIds],
  });
  const [row] = await preparedRows<RecordRow>(db, 'career_record', query);
  if (!row?.in_scope) return undefined;
  const withTimestamp = (r: Record<string, unknown>) => ({
    ...r,
    superseded_at: timestampOf(r.superseded_at),
  });
  const assignments = row.assignments.map((r) => toAssignmentLine(withTimestamp(r)));
  const grades = row.grades.map((r) => toGradeLine(withTimestamp(r)));
  const assessments = row.assessments.map((r) => toAssessment(withTimestamp(r)));
  // The timelines are latest first; the engine reads the rows in force oldest first.
  const current = <T extends { supersededAt: Date | null }>(lines: readonly T[]) =>
    lines.filter((l) => l.supersededAt === null).reverse();
  return {
    person: toPersonDetails(row),
    homeTownshipId: row.home_township_id,
    homeCountyId: row.home_county_id,
    assignments,
    grades,
    assessments,
    input: {
      countyId: row.county_id,
      politicalStatus: row.political_status,
      partyJoinedOn: row.party_joined_on,
      grades: current(grades).map((g) => ({
        ladder: g.ladder,
        gradeCode: g.gradeCode,
        validFrom: g.validFrom,
        validTo: g.validTo,
        probationUntil: g.probationUntil,
        legacyTitle: g.legacyTitle,
      })),
      assessments: current(assessments).map((a) => ({ year: a.year, result: a.result as AssessmentResult })),
      sanctions: row.sanctions.map((s) => ({
        kindCode: s.kind_code,
        decidedOn: s.decided_on,
        closedOn: s.closed_on,
      })),
      educations: row.educations.map((e) => ({ level: e.level, graduatedOn: e.graduated_on })),
      family: row.family.map((f) => ({ relation: f.relation, emigrated: f.emigrated })),
    },
    changes: {
      homeCounty: Number(row.home_county_weight),
      county: Number(row.county_weight),
      everyCounty: Number(row.every_county_weight),
    },
  };
}

export interface CareerReference {
  /**
   * The rules the engine applies on the date to people of the county asked about: loadEligibilityRules'
   * without the promotion rules and sanction periods of other counties, which the engine would not pick.
   */
  rules: EligibilityRules;
  names: ReferenceNames;
  /** The township asked about (null when none was, or it is not a township). */
  township: Region | null;
  /** Its seats on the date (null when no township was asked about). */
  seats: TownshipSeats | null;
}

type Named = { name_zh: string; name_en: string };
type ReferenceRow = Omit<EligibilityRuleRows, 'grades' | 'kinds'> & {
  grades: ReadonlyArray<EligibilityRuleRows['grades'][number] & Named & { level_equivalent: Level | null }>;
  kinds: ReadonlyArray<EligibilityRuleRows['kinds'][number] & Named>;
  township?: RegionRow | null;
  decisions?: SlotDecisionInForce[];
  holders?: SlotHolder[];
  totals?: TotalRow[];
  posts?: OpenPostRow[];
};

/**
 * The reference data of the career page in one statement: grades and sanction kinds (for the engine and
 * for names), the promotion rules and sanction periods by the date of the county whose rules apply to the
 * person (`countyId`, with the national defaults; null: the national defaults only), and, when a township is
 * given, that township and its seats on the date (townshipSeats). The career service caches the result per
 * township, county and date, validated by the change log (every table read here is logged): only the rules of
 * that one county are read, so the county's key and the NULL rows' cover everything in it.
 */
export async function loadCareerReference(
  db: Knex,
  asOf: string,
  of: { townshipId: number | null; countyId: number | null },
): Promise<CareerReference> {
  const { townshipId, countyId } = of;
  const columns: Knex.Raw[] = [
    db.raw('? as grades', [
      jsonRows(
        db,
        db('grade_levels').select('code', 'ladder', 'step', 'level_equivalent', 'name_zh', 'name_en'),
        'r.ladder, r.step',
      ),
    ]),
    db.raw('? as kinds', [
      jsonRows(
        db,
        db('sanction_kinds').select('code', 'impact_months', 'name_zh', 'name_en', 'sort_order'),
        'r.sort_order',
      ),
    ]),
    db.raw('? as rules', [
      jsonRows(
        db,
        db('promotion_rules')
          .where('effective_from', '<=', asOf)
          .whereRaw('(county_id IS NULL OR county_id = ?::integer)', [countyId])
          .select(
            'id',
            'county_id',
            'target',
            'min_months',
            'counted_grades',
            'min_education',
            'education_blocks',
            'party_member_required',
            'effective_from',
            'source',
          ),
        'r.target, r.effective_from, r.id',
      ),
    ]),
    db.raw('? as periods', [
      jsonRows(
        db,
        db('county_sanction_periods')
          .where('effective_from', '<=', asOf)
          .whereRaw('county_id = ?::integer', [countyId])
          .select('county_id', 'kind_code', 'impact_months', 'effective_from', 'source'),
        'r.county_id, r.kind_code, r.effective_from',
      ),
    ]),
  ];
  if (townshipId !== null) {
    const ids = [townshipId];
    columns.push(
      db.raw('(select row_to_json(r) from regions r where r.id = ? and r.kind = ?) as township', [
        townshipId,
        'township',
      ]),
      db.raw('? as decisions', [jsonRows(db, slotDecisionsQuery(db, ids, asOf), 'r.account_id')]),
      db.raw('? as holders', [
        jsonRows(db, slotHoldersQuery(db, ids, asOf), 'r.valid_from, r.assignment_id'),
      ]),
      db.raw('? as totals', [jsonRows(db, totalsQuery(db, ids, asOf), 'r.township_id')]),
      db.raw('? as posts', [
        jsonRows(db, openPostsQuery(db, ids, asOf), 'r.township_id, r.sort_order, r.id'),
      ]),
    );
  }
  const row = (await db.first(...columns)) as ReferenceRow;
  const rules: EligibilityRules = toEligibilityRules(row);
  const names = toReferenceNames(row.grades, row.kinds);
  if (townshipId === null) return { rules, names, township: null, seats: null };
  const ids = [townshipId];
  const slots = assembleSlots(ids, row.decisions ?? [], row.holders ?? [], asOf);
  const totals = new Map((row.totals ?? []).map((t) => [t.township_id, { total: t.total }]));
  const seats = assembleSeats(ids, slots, totals, row.posts ?? []).get(townshipId) as TownshipSeats;
  return { rules, names, township: row.township ? toRegion(row.township) : null, seats };
}
