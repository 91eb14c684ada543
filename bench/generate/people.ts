/**
 * People family: everyone a township had in ten years and their history, built so every invariant holds by
 * construction. Each post keeps the periods it is held ([from, to)), so one holder per post; each person's
 * primary assignments follow each other, so one primary post per person; each person holds one quota slot
 * for their whole time in the township, on the account of the post group they stay in (same holder, same
 * establishment type, same ladder), which the quota decisions then cover (establishment.ts).
 *
 * Phase 1: most posts get a current holder, whose earlier posts are found backwards among the free posts of
 * the same group (team chiefs come from the deputies, deputies from the administrative posts). Phase 2:
 * people who held a post before and left (retired, transferred out, resigned) until the township has its
 * number of people. Then the rows: people, assignments, grades, quota slots, statuses, educations,
 * assessments and sanctions.
 */

import { ETHNICITIES, IN_SERVICE_MAJORS, MAJORS, SCHOOLS } from '../../seeds/demo/catalog.js';
import { makeName, nameKeys } from '../../seeds/demo/names.js';
import type { Rng } from '../../seeds/demo/random.js';
import { makeIdNumber } from '../../src/domain/idNumber.js';
import { iso, isoOrNull, jan1, YEAR, yearOf } from './days.js';
import { structureDay } from './establishment.js';
import type { EstablishmentType, Person, Post, Township, World } from './world.js';

const LADDERS: Record<string, { ladder: string; codes: string[] }> = {
  cs: {
    ladder: 'civil_service_rank',
    codes: ['clerk_2', 'clerk_1', 'principal_4', 'principal_3', 'principal_2', 'principal_1'],
  },
  mgmt: { ladder: 'management_level', codes: ['mgmt_10', 'mgmt_9', 'mgmt_8', 'mgmt_7', 'mgmt_6'] },
  pro: { ladder: 'professional', codes: ['pro_13', 'pro_12', 'pro_11', 'pro_10', 'pro_9', 'pro_8'] },
};
const SANCTIONS = ['gov_warning', 'gov_demerit', 'party_warning', 'admonition', 'org_adjustment'];

const isFree = (post: Post, from: number, to: number | null): boolean =>
  post.occupancy.every(([a, b]) => (to !== null && to <= a) || (b !== null && b <= from));

const trackOf = (post: Post): 'cs' | 'mgmt' | 'pro' =>
  post.group.startsWith('team') ? 'cs' : (post.group.split(':')[2] as 'cs' | 'mgmt' | 'pro');

/** Posts a person could have held before this one. */
function feeders(t: Township, post: Post): Post[] {
  if (post.role === 'chief') return t.posts.filter((p) => p.group === 'team-deputy');
  if (post.role === 'deputy') return t.posts.filter((p) => p.group === 't:administrative:cs');
  return t.posts.filter((p) => p.group === post.group && p.role === 'staff' && p !== post);
}

export function generatePeople(w: World): void {
  const start = structureDay(w);
  const idNumbers = new Set<string>();
  let nextId = 1;
  for (const t of w.townships) {
    const rng = w.rng.fork(`people:${t.code}`);
    const names = new Set<string>();
    const feederCache = new Map<Post, Post[]>();
    const feedersOf = (p: Post) => {
      let f = feederCache.get(p);
      if (!f) {
        f = feeders(t, p);
        feederCache.set(p, f);
      }
      return f;
    };
    const newPerson = (post: Post, from: number, to: number | null): Person => {
      post.occupancy.push([from, to]);
      const p: Person = {
        id: nextId++,
        township: t,
        name: '',
        gender: rng.chance(0.62) ? 'male' : 'female',
        birthDay: 0,
        entryDay: from,
        exitDay: to,
        exitStatus: null,
        type: post.types[0] as EstablishmentType,
        accountId: post.accountId,
        segments: [{ post, from, to }],
        reservedFromDay: null,
        ladder: trackOf(post),
        political: 'cpc_member',
      };
      t.people.push(p);
      return p;
    };
    /** Earlier posts, backwards from the first segment, down to a planned entry day. */
    const fillEarlier = (p: Person, plannedEntry: number) => {
      let cursor = (p.segments[0] as Person['segments'][number]).from;
      while (cursor - plannedEntry > YEAR) {
        const from = Math.max(plannedEntry, cursor - rng.int(360, 3 * YEAR));
        const first = (p.segments[0] as Person['segments'][number]).post;
        const options = feedersOf(first);
        let found: Post | null = null;
        for (let attempt = 0; attempt < 6 && options.length > 0; attempt++) {
          const candidate = rng.pick(options);
          if (isFree(candidate, from, cursor)) {
            found = candidate;
            break;
          }
        }
        if (!found) break;
        found.occupancy.push([from, cursor]);
        p.segments.unshift({ post: found, from, to: cursor });
        cursor = from;
      }
      p.entryDay = cursor;
    };

    // Phase 1: current holders.
    for (const post of rng.shuffle(t.posts)) {
      if (!rng.chance(0.9)) continue;
      // Earlier careers may already have used this post: the current holder starts after them.
      const taken = post.occupancy.reduce((m, [, b]) => Math.max(m, b ?? Number.POSITIVE_INFINITY), start);
      const current = Math.max(taken, w.today - rng.int(20, 6 * YEAR));
      if (current > w.today - 20) continue;
      const p = newPerson(post, current, null);
      fillEarlier(p, Math.max(start + 30, current - rng.int(0, 10 * YEAR)));
    }
    // Phase 2: people who left, in the time before each post's first holder (or its vacancy now).
    const target = w.scale.peoplePerTownship;
    for (let attempt = 0; t.people.length < target && attempt < target * 20; attempt++) {
      const post = rng.pick(t.posts);
      const firstFrom = post.occupancy.reduce((m, [a]) => Math.min(m, a), Number.POSITIVE_INFINITY);
      const leftOn = Number.isFinite(firstFrom) ? firstFrom : w.today - rng.int(20, 2 * YEAR);
      const from = Math.max(start + 30, leftOn - rng.int(YEAR, 7 * YEAR));
      if (leftOn - from < 180 || !isFree(post, from, leftOn)) continue;
      const p = newPerson(post, from, leftOn);
      fillEarlier(p, Math.max(start + 30, from - rng.int(0, 4 * YEAR)));
      p.exitStatus = rng.weighted([
        ['retired', 55],
        ['transferred_out', 35],
        ['resigned', 8],
        ['deceased', 2],
      ] as const);
    }
    for (const p of t.people) {
      describe(w, rng, p, names, idNumbers);
      w.people.push(p);
    }
  }
  emitPeople(w);
}

function describe(w: World, rng: Rng, p: Person, names: Set<string>, idNumbers: Set<string>): void {
  // Age: those who retired were about 60 on leaving; everyone else is 22–35 on entry and under 60 today.
  if (p.exitStatus === 'retired' && p.exitDay !== null) {
    p.birthDay = p.exitDay - 60 * YEAR - rng.int(0, 200);
  } else {
    p.birthDay = Math.max(p.entryDay - rng.int(22 * YEAR, 36 * YEAR), w.today - 58 * YEAR - rng.int(0, 300));
  }
  p.name = makeName(rng, p.gender, yearOf(p.birthDay), names);
  let seq = rng.int(0, 998);
  let id = makeIdNumber(p.township.county.code, iso(p.birthDay), seq, p.gender);
  while (idNumbers.has(id)) {
    seq = (seq + 2) % 1000;
    id = makeIdNumber(p.township.county.code, iso(p.birthDay), seq, p.gender);
  }
  idNumbers.add(id);
  (p as Person & { idNumber: string }).idNumber = id;
  const leader = p.segments.some((s) => s.post.role !== 'staff');
  p.political = leader
    ? 'cpc_member'
    : rng.weighted([
        ['cpc_member', 60],
        ['cpc_probationary', 3],
        ['masses', 17],
        ['youth_league', 10],
        ['non_party', 7],
        ['democratic_party', 3],
      ] as const);
  // An approved entry in the last three years reserved its place 45 days ahead (用编核准).
  const firstPost = p.segments[0]?.post;
  if (p.entryDay > w.today - 3 * YEAR && firstPost && rng.chance(0.5)) p.reservedFromDay = p.entryDay - 45;
}

function emitPeople(w: World): void {
  const s = w.sink;
  const people = s.table(
    'people',
    [
      'id',
      'id_number',
      'name',
      'name_pinyin',
      'name_initials',
      'surname_strokes',
      'gender',
      'birth_date',
      'ethnicity',
      'native_place',
      'birth_place',
      'political_status',
      'party_joined_on',
      'work_started_on',
      'registered_township_id',
    ],
    ['regions'],
  );
  const history = ['valid_from', 'valid_to', 'reason', 'doc_no'];
  const assignments = s.table(
    'assignments',
    ['id', 'person_id', 'post_id', 'kind', ...history],
    ['people', 'posts'],
  );
  const grades = s.table('grades', ['id', 'person_id', 'ladder', 'grade_code', ...history], ['people']);
  const slots = s.table(
    'quota_slots',
    ['id', 'person_id', 'account_id', ...history],
    ['people', 'quota_accounts'],
  );
  const statuses = s.table('person_statuses', ['id', 'person_id', 'status', ...history], ['people']);
  const educations = s.table(
    'educations',
    ['id', 'person_id', 'mode', 'level', 'degree', 'school', 'major', 'started_on', 'graduated_on'],
    ['people'],
  );
  const assessments = s.table('assessments', ['id', 'person_id', 'year', 'result', 'doc_no'], ['people']);
  const sanctions = s.table(
    'sanctions',
    ['id', 'person_id', 'kind_code', 'decided_on', 'closed_on', 'reason', 'doc_no'],
    ['people'],
  );
  const keysCache = new Map<string, ReturnType<typeof nameKeys>>();
  const todayYear = yearOf(w.today);
  const firstAssessedYear = todayYear - 10;

  for (const p of w.people) {
    const rng = w.rng.fork(`rows:${p.id}`);
    const t = p.township;
    const abbr = t.county.abbr;
    let k = keysCache.get(p.name);
    if (!k) {
      k = nameKeys(p.name);
      keysCache.set(p.name, k);
    }
    const workStarted = Math.min(p.entryDay, p.birthDay + rng.int(20 * YEAR, 24 * YEAR));
    const party = p.political === 'cpc_member' || p.political === 'cpc_probationary';
    people.add([
      p.id,
      (p as Person & { idNumber: string }).idNumber,
      p.name,
      k.pinyin,
      k.initials,
      k.surnameStrokes,
      p.gender,
      iso(p.birthDay),
      rng.weighted(ETHNICITIES),
      `${t.county.name}`,
      `${t.county.name}${t.name}`,
      p.political,
      party ? iso(Math.min(p.birthDay + rng.int(19 * YEAR, 30 * YEAR), w.today - 30)) : null,
      iso(Math.max(workStarted, p.birthDay + 18 * YEAR)),
      t.id,
    ]);

    // Assignments: the primary posts in order.
    const assignmentIds = new Map<(typeof p.segments)[number], number>();
    for (const seg of p.segments) {
      const assignmentId = assignments.id();
      assignmentIds.set(seg, assignmentId);
      assignments.add([
        assignmentId,
        p.id,
        seg.post.id,
        'primary',
        iso(seg.from),
        isoOrNull(seg.to),
        seg === p.segments[0] ? '录用' : '工作调整',
        `${t.name.slice(0, 1)}党发〔${yearOf(seg.from)}〕${rng.int(1, 60)}号`,
      ]);
    }

    // Grades: a step every 2–3½ years on the person's ladder; the team's leadership level beside it.
    const ladder = LADDERS[p.ladder] as (typeof LADDERS)[string];
    const ageAtEntry = (p.entryDay - p.birthDay) / YEAR;
    let step = ageAtEntry > 30 ? rng.int(1, 2) : 0;
    let from = p.entryDay;
    while (true) {
      const next = from + rng.int(2 * YEAR, Math.round(3.5 * YEAR));
      const end = p.exitDay ?? null;
      const last = step >= ladder.codes.length - 1 || next >= (end ?? w.today);
      grades.add([
        grades.id(),
        p.id,
        ladder.ladder,
        ladder.codes[step] as string,
        iso(from),
        last ? isoOrNull(end) : iso(next),
        step === 0 ? '录用定级' : '晋升',
        `${abbr}人发〔${yearOf(from)}〕${rng.int(1, 90)}号`,
      ]);
      if (last) break;
      from = next;
      step++;
    }
    const teamSegments = p.segments.filter((sg) => sg.post.role === 'chief' || sg.post.role === 'deputy');
    if (teamSegments.length > 0) {
      const firstDeputy = teamSegments.find((sg) => sg.post.role === 'deputy');
      const firstChief = teamSegments.find((sg) => sg.post.role === 'chief');
      const end = p.exitDay ?? null;
      if (firstDeputy && (!firstChief || firstDeputy.from < firstChief.from)) {
        const gradeId = grades.id();
        p.deputyAppointment = {
          assignmentId: assignmentIds.get(firstDeputy) as number,
          gradeId,
          post: firstDeputy.post,
          from: firstDeputy.from,
          to: firstDeputy.to,
        };
        grades.add([
          gradeId,
          p.id,
          'leadership_level',
          'township_deputy',
          iso(firstDeputy.from),
          firstChief ? iso(firstChief.from) : isoOrNull(end),
          '任职',
          `${abbr}组干〔${yearOf(firstDeputy.from)}〕${rng.int(1, 90)}号`,
        ]);
      }
      if (firstChief) {
        grades.add([
          grades.id(),
          p.id,
          'leadership_level',
          'township_chief',
          iso(firstChief.from),
          isoOrNull(end),
          '任职',
          `${abbr}组干〔${yearOf(firstChief.from)}〕${rng.int(1, 90)}号`,
        ]);
      }
    }

    slots.add([slots.id(), p.id, p.accountId, iso(p.entryDay), isoOrNull(p.exitDay), '录用', null]);
    statuses.add([statuses.id(), p.id, 'active', iso(p.entryDay), isoOrNull(p.exitDay), '', null]);
    if (p.exitDay !== null && p.exitStatus) {
      statuses.add([statuses.id(), p.id, p.exitStatus, iso(p.exitDay), null, '', null]);
    }

    // Education: a full-time degree, and for a quarter an in-service one.
    const level = rng.weighted([
      ['bachelor', 55],
      ['college', 30],
      ['master', 8],
      ['secondary_vocational', 7],
    ] as const);
    const graduated = p.birthDay + (level === 'master' ? 25 : level === 'bachelor' ? 22 : 21) * YEAR + 180;
    const years = level === 'master' ? 3 : level === 'bachelor' ? 4 : 3;
    educations.add([
      educations.id(),
      p.id,
      'full_time',
      level,
      level === 'master' ? 'master' : level === 'bachelor' ? 'bachelor' : null,
      level === 'college' || level === 'secondary_vocational'
        ? rng.pick(SCHOOLS.college)
        : rng.pick(SCHOOLS.university),
      rng.pick(MAJORS.office as string[]),
      iso(graduated - years * YEAR),
      iso(graduated),
    ]);
    if (rng.chance(0.25)) {
      const inStart = Math.max(p.entryDay + YEAR, graduated + 2 * YEAR);
      if (inStart + 3 * YEAR < w.today) {
        educations.add([
          educations.id(),
          p.id,
          'in_service',
          level === 'bachelor' || level === 'master' ? 'master' : 'bachelor',
          null,
          rng.pick(SCHOOLS.university),
          rng.pick(IN_SERVICE_MAJORS),
          iso(inStart),
          iso(inStart + 3 * YEAR),
        ]);
      }
    }

    // Assessments: one a year while in service for most of it.
    const civil = p.type !== 'institutional';
    for (let y = Math.max(firstAssessedYear, yearOf(p.entryDay)); y < todayYear; y++) {
      const yearStart = jan1(y);
      const yearEnd = jan1(y + 1);
      if (p.exitDay !== null && p.exitDay < yearEnd) break;
      const result =
        p.entryDay > yearStart + 180
          ? civil
            ? 'ungraded'
            : 'qualified'
          : rng.weighted(
              civil
                ? ([
                    ['excellent', 15],
                    ['competent', 82],
                    ['basically_competent', 2],
                    ['ungraded', 1],
                  ] as const)
                : ([
                    ['excellent', 15],
                    ['qualified', 83],
                    ['basically_qualified', 2],
                  ] as const),
            );
      assessments.add([assessments.id(), p.id, y, result, `${abbr}考〔${y + 1}〕${(t.index % 90) + 1}号`]);
    }

    // Sanctions: a few people, and a few open investigations among those in service.
    if (rng.chance(0.02)) {
      const end = p.exitDay ?? w.today;
      const decided = p.entryDay + rng.int(0, Math.max(0, end - p.entryDay - 1));
      sanctions.add([
        sanctions.id(),
        p.id,
        rng.pick(SANCTIONS),
        iso(decided),
        null,
        '违反工作纪律',
        `${abbr}纪发〔${yearOf(decided)}〕${rng.int(1, 40)}号`,
      ]);
    }
    if (p.exitDay === null && rng.chance(0.003)) {
      sanctions.add([
        sanctions.id(),
        p.id,
        'investigation',
        iso(w.today - rng.int(10, 200)),
        null,
        '立案审查',
        null,
      ]);
    }
  }
}
