/**
 * Promotion cases family: selection cases (选拔任用) in every state, consistent with the history the people family
 * wrote. Every appointment to a deputy seat of a township's team in the last five years went through a case:
 * confirmed after its year of probation, still appointed (in probation) when it is under a year old, reverted when
 * the person left the seat within the year. Seats of the team vacant today get an open case each, in turn in every
 * open state (motion … objection) or withdrawn, with nominees and their votes, candidates and the steps taken.
 * Rank promotions (职级晋升) are not generated.
 */

import { at9, iso, YEAR, yearOf } from './days.js';
import type { Person, Post, World } from './world.js';

const OPEN_STATES = [
  'motion',
  'recommendation',
  'candidates',
  'inspection',
  'decided',
  'publicity',
  'objection',
  'withdrawn',
] as const;
type CaseState = (typeof OPEN_STATES)[number] | 'appointed' | 'confirmed' | 'reverted';

/** The steps that lead to a state: action, from, to, side. */
const PATH: Array<[string, string | null, CaseState, 'township' | 'county']> = [
  ['open', null, 'motion', 'township'],
  ['recommend', 'motion', 'recommendation', 'township'],
  ['fix_candidates', 'recommendation', 'candidates', 'county'],
  ['inspect', 'candidates', 'inspection', 'county'],
  ['decide', 'inspection', 'decided', 'county'],
  ['start_publicity', 'decided', 'publicity', 'county'],
];

export function generatePromotions(w: World): {
  generated: true;
  reason: string;
  states: Record<string, number>;
} {
  const cases = w.sink.table(
    'promotion_cases',
    [
      'id',
      'county_id',
      'township_id',
      'post_id',
      'target_level',
      'state',
      'version',
      'reason',
      'appointee_person_id',
      'publicity_starts_on',
      'publicity_ends_on',
      'appointed_on',
      'appointment_doc_no',
      'probation_until',
      'assignment_id',
      'grade_id',
      'closed_on',
      'proposer_user_id',
      'created_at',
      'updated_at',
    ],
    ['regions', 'posts', 'people', 'users', 'assignments', 'grades'],
  );
  const steps = w.sink.table(
    'promotion_case_steps',
    [
      'id',
      'case_id',
      'action',
      'from_state',
      'to_state',
      'actor_user_id',
      'side',
      'acted_at',
      'acted_on',
      'comment',
    ],
    ['promotion_cases', 'users'],
  );
  const people = w.sink.table(
    'promotion_case_people',
    ['case_id', 'person_id', 'votes', 'candidate'],
    ['promotion_cases', 'people'],
  );
  const rng = w.rng.fork('promotions');
  const states: Record<string, number> = {};
  const appointeesInProcess = new Set<number>();

  const add = (
    t: World['townships'][number],
    post: Post,
    state: CaseState,
    opened: number,
    appointee: Person | null,
    nominees: Person[],
    dates: {
      publicity?: [number, number];
      appointed?: { day: number; assignmentId: number; gradeId: number };
      closed?: number;
    },
  ) => {
    const id = cases.id();
    const county = t.county;
    // The steps up to the state, one every few days from the motion on.
    const upTo: typeof PATH = [];
    for (const step of PATH) {
      upTo.push(step);
      if (step[2] === state) break;
    }
    if (state === 'withdrawn') upTo.splice(1);
    const last =
      dates.appointed?.day ?? dates.closed ?? dates.publicity?.[0] ?? opened + 7 * (upTo.length - 1);
    let day = opened;
    let version = 1;
    for (const [action, from, to, side] of upTo) {
      const actor = side === 'township' ? t.officerUserId : county.reviewerUserId;
      const on = to === 'publicity' && dates.publicity ? dates.publicity[0] : Math.min(day, last);
      steps.add([steps.id(), id, action, from, to, actor, side, at9(on), iso(on), '']);
      day += 7;
      if (action !== 'open') version++;
    }
    const later: Array<[string, string, CaseState]> = [];
    if (state === 'objection') later.push(['object', 'publicity', 'objection']);
    if (state === 'appointed' || state === 'confirmed' || state === 'reverted')
      later.push(['appoint', 'publicity', 'appointed']);
    if (state === 'confirmed') later.push(['confirm', 'appointed', 'confirmed']);
    if (state === 'reverted') later.push(['revert', 'appointed', 'reverted']);
    if (state === 'withdrawn') later.push(['withdraw', 'motion', 'withdrawn']);
    for (const [action, from, to] of later) {
      const on =
        action === 'appoint'
          ? (dates.appointed?.day ?? last)
          : action === 'withdraw' || action === 'revert'
            ? (dates.closed ?? last)
            : action === 'confirm'
              ? (dates.appointed?.day ?? last) + YEAR
              : Math.min(w.today, (dates.publicity?.[0] ?? last) + 2);
      const side = action === 'withdraw' ? 'township' : 'county';
      steps.add([
        steps.id(),
        id,
        action,
        from,
        to,
        side === 'township' ? t.officerUserId : county.reviewerUserId,
        side,
        at9(on),
        iso(on),
        action === 'object' ? '收到署名反映，核查中' : '',
      ]);
      version++;
    }
    if (state !== 'motion' && state !== 'withdrawn') {
      nominees.forEach((n, i) => {
        const candidate = state !== 'recommendation' && i < 2;
        people.add([id, n.id, rng.int(8, 40), candidate]);
      });
    }
    const appointed = dates.appointed;
    cases.add([
      id,
      county.id,
      t.id,
      post.id,
      'deputy_section',
      state,
      version,
      '班子职数空缺，拟选配副职',
      appointee?.id ?? null,
      dates.publicity ? iso(dates.publicity[0]) : null,
      dates.publicity ? iso(dates.publicity[1]) : null,
      appointed ? iso(appointed.day) : null,
      appointed ? `${county.abbr}组干〔${yearOf(appointed.day)}〕${rng.int(1, 90)}号` : null,
      appointed ? iso(appointed.day + YEAR) : null,
      appointed?.assignmentId ?? null,
      appointed?.gradeId ?? null,
      dates.closed !== undefined ? iso(dates.closed) : null,
      t.officerUserId,
      at9(opened),
      at9(Math.max(opened, last)),
    ]);
    states[state] = (states[state] ?? 0) + 1;
  };

  let turn = 0;
  for (const t of w.townships) {
    const inService = t.people.filter((p) => p.exitDay === null && p.entryDay < w.today - 5 * YEAR);
    const nomineesOf = (appointee: Person | null) => {
      const picked = new Set<Person>(appointee ? [appointee] : []);
      for (let i = 0; i < 6 && picked.size < 3 && inService.length > 0; i++) picked.add(rng.pick(inService));
      return [...picked];
    };
    // Appointments of the last five years: each went through a case.
    for (const p of t.people) {
      const a = p.deputyAppointment;
      if (!a || a.from <= w.today - 5 * YEAR || a.from > w.today) continue;
      const reverted = a.to !== null && a.to < a.from + YEAR;
      const state: CaseState = reverted ? 'reverted' : a.from + YEAR > w.today ? 'appointed' : 'confirmed';
      const publicityEnd = a.from - 3;
      add(t, a.post, state, a.from - 60, p, nomineesOf(p), {
        publicity: [publicityEnd - 6, publicityEnd],
        appointed: { day: a.from, assignmentId: a.assignmentId, gradeId: a.gradeId },
        ...(reverted ? { closed: a.to as number } : {}),
      });
    }
    // Seats of the team vacant today: one open case each, the states in turn.
    const vacant = t.posts.filter(
      (post) =>
        post.role === 'deputy' &&
        post.unitId === null &&
        post.occupancy.every(([from, to]) => from > w.today || (to !== null && to <= w.today)),
    );
    for (const post of vacant) {
      const state = OPEN_STATES[turn++ % OPEN_STATES.length] as (typeof OPEN_STATES)[number];
      const needsAppointee = state === 'decided' || state === 'publicity' || state === 'objection';
      const free = inService.filter((p) => !appointeesInProcess.has(p.id));
      const appointee = needsAppointee && free.length > 0 ? rng.pick(free) : null;
      if (needsAppointee && !appointee) continue;
      if (appointee) appointeesInProcess.add(appointee.id);
      const opened = w.today - rng.int(20, 90);
      const publicity: [number, number] | undefined =
        state === 'publicity'
          ? [w.today - 2, w.today + 4]
          : state === 'objection'
            ? [w.today - 12, w.today - 5]
            : undefined;
      add(t, post, state, opened, appointee, nomineesOf(appointee), {
        ...(publicity ? { publicity } : {}),
        ...(state === 'withdrawn' ? { closed: Math.min(w.today, opened + 10) } : {}),
      });
    }
  }
  return {
    generated: true,
    reason: Object.entries(states)
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
    states,
  };
}
