import type { Knex } from 'knex';
import type {
  AssessmentRecord,
  AssessmentResult,
  EducationLevel,
  EducationRecord,
  EligibilityInput,
  FamilyRecord,
  GradeSpell,
  Ladder,
  SanctionRecord,
} from '../../domain/eligibility/index.js';
import { loadEligibilityInputs } from './eligibilityInputs.js';

/**
 * The eligibility inputs of many people for batch work (a county's report, the whole province): all of a
 * person's histories come as one row, each folded into one text value (records separated by U+001E, fields
 * by U+001F, dates as ISO text, null as an empty field, an assessment as one number), so PostgreSQL neither
 * builds JSON nor sorts inside each aggregate, and this process decodes one row per person instead of one
 * per history row, without JSON.parse or an array per record. The same inputs as loadEligibilityInputs
 * (eligibilityInputs.ts): rows superseded by corrections left out, the same county resolution, each list in
 * the same order (an integration test compares them person by person).
 *
 * Every aggregate carries its row count and every record its field count is checked: a separator inside a
 * value (only a legacy title is free text) can't go unnoticed; such a person is read again the plain way.
 */

const RS = '\x1e';
const FS = '\x1f';

/**
 * Assessment results travel as `year × 10 + position in this list` (1-based): a number per record and no
 * string to make. A result missing from the list (one added to the CHECK later) gives no number, which the
 * counts catch, and those people are read the plain way.
 */
const ASSESSMENT_RESULTS: readonly AssessmentResult[] = [
  'excellent',
  'competent',
  'basically_competent',
  'incompetent',
  'ungraded',
  'qualified',
  'basically_qualified',
  'unqualified',
];

/** Filter on a person id column: its SQL and bindings. */
export type PersonFilter = (column: string) => readonly [string, readonly Knex.RawBinding[]];

/** Everyone with an id in [fromId, toId). */
export const idRange =
  (fromId: number, toId: number): PersonFilter =>
  (column) => [`${column} >= ? and ${column} < ?`, [fromId, toId]];

/** Everyone in a list of ids. */
export const idList =
  (ids: readonly number[]): PersonFilter =>
  (column) => [`${column} = any(?::int[])`, [[...ids]]];

/** A nullable text value as a field: null is empty, a value is prefixed with '='. */
const nullableText = (column: string) => `case when ${column} is null then '' else '=' || ${column} end`;
/** A nullable date (or boolean) as a field: null is empty. */
const nullable = (column: string) => `coalesce(${column}::text, '')`;

interface PersonRow {
  id: number;
  political_status: string;
  party_joined_on: string | null;
}

interface HistoryRow {
  person_id: number;
  g: string | null;
  g_n: number;
  a: string | null;
  a_n: number;
  s: string | null;
  s_n: number;
  e: string | null;
  e_n: number;
  f: string | null;
  f_n: number;
}

interface Row {
  person: PersonRow;
  history: HistoryRow | undefined;
  countyId: number | null;
}

/** The three lists, each sorted by person id, as one row per person (people without a row are left out). */
function mergeByPerson(
  people: readonly PersonRow[],
  slots: ReadonlyArray<{ person_id: number; county_id: number | null }>,
  histories: readonly HistoryRow[],
): Row[] {
  const out: Row[] = new Array(people.length);
  let si = 0;
  let hi = 0;
  for (let i = 0; i < people.length; i++) {
    const person = people[i] as PersonRow;
    while (si < slots.length && (slots[si] as { person_id: number }).person_id < person.id) si++;
    while (hi < histories.length && (histories[hi] as HistoryRow).person_id < person.id) hi++;
    const slot = slots[si];
    const h = histories[hi];
    out[i] = {
      person,
      history: h !== undefined && h.person_id === person.id ? h : undefined,
      countyId: slot !== undefined && slot.person_id === person.id ? slot.county_id : null,
    };
  }
  return out;
}

/**
 * Runs a statement with enough sort memory for a range's history rows (~40,000 rows, ~5 MB to sort): with
 * PostgreSQL's default work_mem (4 MB) the sort spills to disk ("external merge"), which EXPLAIN ANALYZE at
 * province scale shows costing about a quarter of the statement. SET LOCAL lasts to the end of the
 * transaction: no other statement of the pool's connection is affected. Inside a caller's transaction the
 * setting stays for the rest of it (harmless: it only lets sorts use more memory).
 */
async function withSortMemory<T>(db: Knex, run: (q: Knex) => Promise<T>): Promise<T> {
  const inTransaction = (db as Knex.Transaction).isTransaction === true;
  const body = async (trx: Knex) => {
    await trx.raw("SET LOCAL work_mem = '16MB'");
    return run(trx);
  };
  return inTransaction ? body(db) : db.transaction((trx) => body(trx));
}

/**
 * The inputs of the people the filter selects, by person id in id order. Four statements: the people, the
 * county of their latest quota slot and their folded histories (sent together), then (always sent, usually
 * empty) the county of the latest assignment for those without a slot.
 */
export async function loadEligibilityInputsFolded(
  db: Knex,
  forIds: PersonFilter,
  asOf: string,
): Promise<Map<number, EligibilityInput>> {
  const [pWhere, pBind] = forIds('p.id');
  const [sWhere, sBind] = forIds('s.person_id');
  const [rWhere, rBind] = forIds('person_id');
  const live = `${rWhere} and superseded_at is null`;
  // No join between sets of people, so no plan can go quadratic when the statistics are missing or wrong
  // (PGlite has no autovacuum): three statements, each a scan and a sort, merged here by person id.
  const peopleSql = `select p.id, p.political_status, p.party_joined_on from people p where ${pWhere} order by p.id`;
  const slotSql = `
    select distinct on (s.person_id) s.person_id, coalesce(t.parent_id, d.county_id) as county_id
      from quota_slots s
      join quota_accounts qa on qa.id = s.account_id
      join quota_holders qh on qh.id = qa.holder_id
      left join regions t on t.id = qh.township_id
      left join county_departments d on d.id = qh.department_id
     where ${sWhere} and s.superseded_at is null and s.valid_from <= ?
     order by s.person_id, s.valid_from desc, s.id desc`;
  // Every history row of the people, tagged with its kind (k) and its order within its list (od, oi), sorted
  // in a subquery and folded per person and kind: the aggregate sees the rows in the subquery's order (a
  // subquery with ORDER BY is never merged into the outer query, and grouping on its leading key needs no new
  // sort; PostgreSQL documents this as the way to feed an aggregate in order, and an ORDER BY inside each
  // aggregate would sort each person's rows again, which on PostgreSQL 15 costs more than the rest).
  const histSql = `
    select person_id,
           string_agg(v, chr(30)) filter (where k = 1) as g, (count(*) filter (where k = 1))::int as g_n,
           string_agg(v, chr(30)) filter (where k = 2) as a, (count(*) filter (where k = 2))::int as a_n,
           string_agg(v, chr(30)) filter (where k = 3) as s, (count(*) filter (where k = 3))::int as s_n,
           string_agg(v, chr(30)) filter (where k = 4) as e, (count(*) filter (where k = 4))::int as e_n,
           string_agg(v, chr(30)) filter (where k = 5) as f, (count(*) filter (where k = 5))::int as f_n
      from (
        select person_id, 1 as k, valid_from as od, id as oi,
               concat_ws(chr(31), ladder, grade_code, valid_from::text, ${nullable('valid_to')},
                         ${nullable('probation_until')}, ${nullableText('legacy_title')}) as v
          from grades where ${live}
        union all
        select person_id, 2, null::date, year, (year * 10 + array_position(?::text[], result))::text
          from assessments where ${live}
        union all
        select person_id, 3, decided_on, id, concat_ws(chr(31), kind_code, decided_on::text, ${nullable('closed_on')})
          from sanctions where ${live}
        union all
        select person_id, 4, null::date, id, concat_ws(chr(31), level, ${nullable('graduated_on')})
          from educations where ${rWhere}
        union all
        select person_id, 5, null::date, id, concat_ws(chr(31), relation, emigrated::text)
          from family_members where ${rWhere} and relation in ('spouse', 'son', 'daughter')
        order by person_id, k, od, oi
      ) h
     group by person_id
     order by person_id`;
  const [people, slots, histories] = await Promise.all([
    db.raw(peopleSql, pBind as Knex.RawBinding[]),
    db.raw(slotSql, [...sBind, asOf] as Knex.RawBinding[]),
    withSortMemory(db, (q) =>
      q.raw(histSql, [
        ...rBind,
        [...ASSESSMENT_RESULTS],
        ...rBind,
        ...rBind,
        ...rBind,
        ...rBind,
      ] as Knex.RawBinding[]),
    ),
  ]);
  const rows = mergeByPerson(
    people.rows as PersonRow[],
    slots.rows as Array<{ person_id: number; county_id: number | null }>,
    histories.rows as HistoryRow[],
  );

  // The fallback county, only for the few without a quota slot: the township of their latest assignment.
  const withoutSlot: number[] = [];
  for (const r of rows) if (r.countyId === null) withoutSlot.push(r.person.id);
  const byPost = await db('assignments as a')
    .join('posts as po', 'po.id', 'a.post_id')
    .join('regions as t', 't.id', 'po.township_id')
    .whereRaw('a.person_id = any(?::int[])', [withoutSlot])
    .whereNull('a.superseded_at')
    .where('a.valid_from', '<=', asOf)
    .distinctOn('a.person_id')
    .orderByRaw("a.person_id, a.valid_from desc, (a.kind = 'primary') desc, a.id desc")
    .select('a.person_id', 't.parent_id as county_id');
  const postCounty = new Map<number, number>();
  for (const r of byPost as Array<{ person_id: number; county_id: number }>)
    postCounty.set(r.person_id, r.county_id);

  const out = new Map<number, EligibilityInput>();
  const odd: number[] = [];
  const intern = interner();
  for (const { person, history, countyId } of rows) {
    const input = decodePerson(person, history, countyId ?? postCounty.get(person.id) ?? null, intern);
    if (input) out.set(person.id, input);
    else odd.push(person.id);
  }
  if (odd.length > 0) {
    // A separator inside a value: those people read the plain way.
    const plain = await loadEligibilityInputs(db, odd, asOf);
    for (const id of odd) {
      const input = plain.get(id);
      if (input) out.set(id, input);
    }
    // Keep id order.
    return new Map([...out].sort((x, y) => x[0] - y[0]));
  }
  return out;
}

/**
 * Reads a folded history record by record, field by field, without splitting it into arrays: `field(i)` is
 * the i-th field of the current record. `complete(n)` tells whether the text was exactly `n` records of
 * `fields` fields each, i.e. no separator inside a value.
 */
class Folded {
  private ok = true;
  private pos = 0;
  private records = 0;
  private readonly bounds: number[];
  constructor(
    private readonly text: string,
    private readonly fields: number,
  ) {
    this.bounds = new Array(fields + 1).fill(0);
  }

  /** Moves to the next record; false at the end of the text or at a record with too few fields. */
  next(): boolean {
    const { text } = this;
    if (this.pos > text.length) return false;
    let end = text.indexOf(RS, this.pos);
    if (end < 0) end = text.length;
    const b = this.bounds;
    b[0] = this.pos;
    let at = this.pos;
    for (let i = 1; i < this.fields; i++) {
      const sep = text.indexOf(FS, at);
      if (sep < 0 || sep >= end) {
        this.ok = false;
        return false;
      }
      b[i] = sep + 1;
      at = sep + 1;
    }
    b[this.fields] = end + 1;
    this.pos = end + 1;
    this.records++;
    return true;
  }

  /** Read to the end, `n` records were read, and the text has no field separator more than they need. */
  complete(n: number): boolean {
    if (!this.ok || this.pos <= this.text.length || this.records !== n) return false;
    let separators = 0;
    for (let at = this.text.indexOf(FS); at >= 0; at = this.text.indexOf(FS, at + 1)) separators++;
    return separators === n * (this.fields - 1);
  }

  field(i: number): string {
    return this.text.slice(this.bounds[i] as number, (this.bounds[i + 1] as number) - 1);
  }

  /** The field as a non-negative integer, or -1 if it isn't one. */
  integer(i: number): number {
    const from = this.bounds[i] as number;
    const to = (this.bounds[i + 1] as number) - 1;
    if (to <= from) return -1;
    let v = 0;
    for (let k = from; k < to; k++) {
      const d = this.text.charCodeAt(k) - 48;
      if (d < 0 || d > 9) return -1;
      v = v * 10 + d;
    }
    return v;
  }
}

const orNull = (s: string): string | null => (s === '' ? null : s);

/**
 * One string object per distinct code: the engine compares codes and looks them up in sets and maps, which
 * is much quicker on the same (internalised) string than on a fresh copy of it for every record.
 */
function interner(): (s: string) => string {
  const seen = new Map<string, string>();
  return (s) => {
    const hit = seen.get(s);
    if (hit !== undefined) return hit;
    seen.set(s, s);
    return s;
  };
}

const NO_HISTORY: HistoryRow = {
  person_id: 0,
  g: null,
  g_n: 0,
  a: null,
  a_n: 0,
  s: null,
  s_n: 0,
  e: null,
  e_n: 0,
  f: null,
  f_n: 0,
};

function decodePerson(
  person: PersonRow,
  h: HistoryRow | undefined,
  countyId: number | null,
  intern: (s: string) => string,
): EligibilityInput | undefined {
  const r = h ?? NO_HISTORY;
  const grades: GradeSpell[] = [];
  if (r.g !== null) {
    const g = new Folded(r.g, 6);
    while (g.next()) {
      const title = g.field(5);
      grades.push({
        ladder: intern(g.field(0)) as Ladder,
        gradeCode: intern(g.field(1)),
        validFrom: g.field(2),
        validTo: orNull(g.field(3)),
        probationUntil: orNull(g.field(4)),
        legacyTitle: title === '' ? null : title.slice(1),
      });
    }
    if (!g.complete(r.g_n)) return undefined;
  }
  const assessments: AssessmentRecord[] = [];
  if (r.a !== null) {
    const a = new Folded(r.a, 1);
    while (a.next()) {
      const v = a.integer(0);
      const result = ASSESSMENT_RESULTS[(v % 10) - 1];
      if (v < 0 || result === undefined) return undefined;
      assessments.push({ year: Math.floor(v / 10), result });
    }
    if (!a.complete(r.a_n)) return undefined;
  }
  const sanctions: SanctionRecord[] = [];
  if (r.s !== null) {
    const x = new Folded(r.s, 3);
    while (x.next())
      sanctions.push({ kindCode: intern(x.field(0)), decidedOn: x.field(1), closedOn: orNull(x.field(2)) });
    if (!x.complete(r.s_n)) return undefined;
  }
  const educations: EducationRecord[] = [];
  if (r.e !== null) {
    const x = new Folded(r.e, 2);
    while (x.next())
      educations.push({ level: intern(x.field(0)) as EducationLevel, graduatedOn: orNull(x.field(1)) });
    if (!x.complete(r.e_n)) return undefined;
  }
  const family: FamilyRecord[] = [];
  if (r.f !== null) {
    const x = new Folded(r.f, 2);
    while (x.next()) family.push({ relation: intern(x.field(0)), emigrated: x.field(1) === 'true' });
    if (!x.complete(r.f_n)) return undefined;
  }
  return {
    countyId,
    politicalStatus: person.political_status,
    partyJoinedOn: person.party_joined_on,
    grades,
    assessments,
    sanctions,
    educations,
    family,
  };
}
