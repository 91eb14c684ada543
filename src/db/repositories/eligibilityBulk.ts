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
 * The eligibility inputs of many people in one statement: one row per person, each history folded into one
 * text value (records separated by U+001E, fields by U+001F, dates as ISO text, null as an empty field), so
 * PostgreSQL neither builds JSON nor sorts inside each aggregate (the rows come sorted from the person index
 * in a subquery) and the driver decodes one row per person instead of one per history row. The same inputs
 * as loadEligibilityInputs (eligibilityInputs.ts): rows superseded by corrections left out, the same county
 * resolution, each list in the same order.
 *
 * Every aggregate carries its row count and every record its field count is checked: a separator inside a
 * value (only a legacy title is free text) can't go unnoticed; such a person is read again the plain way.
 */

const RS = '\x1e';
const FS = '\x1f';

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

/**
 * One history folded per person: `select person_id, string_agg(v, RS), count(*) from (<rows in order>)
 * group by person_id`. The aggregate sees the rows in the subquery's order (person, then the list's own
 * order): a subquery with ORDER BY is never merged into the outer query, and grouping on the leading sort
 * key needs no new sort (PostgreSQL documents this as the way to feed an aggregate in order; the ORDER BY
 * inside the aggregate would sort each person's rows again, which on PostgreSQL 15 costs more than the
 * rest of the query).
 */
function folded(
  table: string,
  fields: readonly string[],
  where: string,
  order: string,
  alias: string,
): string {
  return `left join (
      select person_id, string_agg(v, chr(30)) as ${alias}, count(*)::int as ${alias}_n
        from (select person_id, concat_ws(chr(31), ${fields.join(', ')}) as v
                from ${table} where ${where} order by person_id, ${order}) r
       group by person_id
    ) ${alias} on ${alias}.person_id = p.id`;
}

/** A nullable text value as a field: null is empty, a value is prefixed with '='. */
const nullableText = (column: string) => `case when ${column} is null then '' else '=' || ${column} end`;
/** A nullable date (or boolean) as a field: null is empty. */
const nullable = (column: string) => `coalesce(${column}::text, '')`;

interface Row {
  id: number;
  political_status: string;
  party_joined_on: string | null;
  county_id: number | null;
  g: string | null;
  g_n: number | null;
  a: string | null;
  a_n: number | null;
  s: string | null;
  s_n: number | null;
  e: string | null;
  e_n: number | null;
  f: string | null;
  f_n: number | null;
}

/**
 * The inputs of the people the filter selects, by person id in id order. Two statements: the people with
 * their folded histories and the county of their latest quota slot, then (always sent, usually empty) the
 * county of the latest assignment for those without a slot.
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
  const sql = `
    select p.id, p.political_status, p.party_joined_on, sc.county_id,
           g.g, g.g_n, a.a, a.a_n, s.s, s.s_n, e.e, e.e_n, f.f, f.f_n
      from people p
      left join (
        select distinct on (s.person_id) s.person_id, coalesce(t.parent_id, d.county_id) as county_id
          from quota_slots s
          join quota_accounts qa on qa.id = s.account_id
          join quota_holders qh on qh.id = qa.holder_id
          left join regions t on t.id = qh.township_id
          left join county_departments d on d.id = qh.department_id
         where ${sWhere} and s.superseded_at is null and s.valid_from <= ?
         order by s.person_id, s.valid_from desc, s.id desc
      ) sc on sc.person_id = p.id
      ${folded(
        'grades',
        [
          'ladder',
          'grade_code',
          'valid_from::text',
          nullable('valid_to'),
          nullable('probation_until'),
          nullableText('legacy_title'),
        ],
        live,
        'valid_from, id',
        'g',
      )}
      ${folded('assessments', ['year::text', 'result'], live, 'year', 'a')}
      ${folded('sanctions', ['kind_code', 'decided_on::text', nullable('closed_on')], live, 'decided_on, id', 's')}
      ${folded('educations', ['level', nullable('graduated_on')], rWhere, 'id', 'e')}
      ${folded(
        'family_members',
        ['relation', 'emigrated::text'],
        `${rWhere} and relation in ('spouse', 'son', 'daughter')`,
        'id',
        'f',
      )}
     where ${pWhere}
     order by p.id`;
  const bindings = [
    ...sBind,
    asOf,
    ...rBind,
    ...rBind,
    ...rBind,
    ...rBind,
    ...rBind,
    ...pBind,
  ] as Knex.RawBinding[];
  const rows = (await db.raw(sql, bindings)).rows as Row[];

  // The fallback county, only for the few without a quota slot: the township of their latest assignment.
  const withoutSlot: number[] = [];
  for (const r of rows) if (r.county_id === null) withoutSlot.push(r.id);
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
  for (const r of rows) {
    const input = decodePerson(r, r.county_id ?? postCounty.get(r.id) ?? null, intern);
    if (input) out.set(r.id, input);
    else odd.push(r.id);
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

/** The records of a folded history, each split into its fields; undefined if the counts don't match. */
function records(text: string | null, n: number | null, fields: number): string[][] | undefined {
  if (text === null) return [];
  const recs = text.split(RS);
  if (recs.length !== n) return undefined;
  const out: string[][] = new Array(recs.length);
  for (let i = 0; i < recs.length; i++) {
    const f = (recs[i] as string).split(FS);
    if (f.length !== fields) return undefined;
    out[i] = f;
  }
  return out;
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

function decodePerson(
  r: Row,
  countyId: number | null,
  intern: (s: string) => string,
): EligibilityInput | undefined {
  const g = records(r.g, r.g_n, 6);
  const a = records(r.a, r.a_n, 2);
  const s = records(r.s, r.s_n, 3);
  const e = records(r.e, r.e_n, 2);
  const f = records(r.f, r.f_n, 2);
  if (!g || !a || !s || !e || !f) return undefined;
  const grades: GradeSpell[] = new Array(g.length);
  for (let i = 0; i < g.length; i++) {
    const x = g[i] as string[];
    const title = x[5] as string;
    grades[i] = {
      ladder: intern(x[0] as string) as Ladder,
      gradeCode: intern(x[1] as string),
      validFrom: x[2] as string,
      validTo: orNull(x[3] as string),
      probationUntil: orNull(x[4] as string),
      legacyTitle: title === '' ? null : title.slice(1),
    };
  }
  const assessments: AssessmentRecord[] = new Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string[];
    assessments[i] = { year: Number(x[0]), result: intern(x[1] as string) as AssessmentResult };
  }
  const sanctions: SanctionRecord[] = new Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const x = s[i] as string[];
    sanctions[i] = {
      kindCode: intern(x[0] as string),
      decidedOn: x[1] as string,
      closedOn: orNull(x[2] as string),
    };
  }
  const educations: EducationRecord[] = new Array(e.length);
  for (let i = 0; i < e.length; i++) {
    const x = e[i] as string[];
    educations[i] = { level: intern(x[0] as string) as EducationLevel, graduatedOn: orNull(x[1] as string) };
  }
  const family: FamilyRecord[] = new Array(f.length);
  for (let i = 0; i < f.length; i++) {
    const x = f[i] as string[];
    family[i] = { relation: intern(x[0] as string), emigrated: x[1] === 'true' };
  }
  return {
    countyId,
    politicalStatus: r.political_status,
    partyJoinedOn: r.party_joined_on,
    grades,
    assessments,
    sanctions,
    educations,
    family,
  };
}
