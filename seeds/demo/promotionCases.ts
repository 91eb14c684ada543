import type { Knex } from 'knex';
import {
  loadEligibilityInputsForTownships,
  loadEligibilityRules,
} from '../../src/db/repositories/eligibilityInputs.js';
import * as leadership from '../../src/db/repositories/leadership.js';
import * as posts from '../../src/db/repositories/posts.js';
import { fixedClock } from '../../src/domain/clock.js';
import { addDays } from '../../src/domain/dates.js';
import { assessEligibility } from '../../src/domain/eligibility/index.js';
import { type CaseState, TARGET_GRADES, type TargetLevel } from '../../src/domain/promotionCase.js';
import { checkLeaderRoom } from '../../src/domain/quota.js';
import type { RequestContext } from '../../src/services/access.js';
import { createCalendarService } from '../../src/services/calendar/calendarService.js';
import { createPromotionCaseService, type StepInput } from '../../src/services/promotionCases/caseService.js';
import { demoContext } from './context.js';

type Goal = Exclude<CaseState, 'objection'> | 'objection';

/**
 * Selection cases (选拔任用) in every state (domain guide section 12), made through the case service as the demo
 * accounts would, each walked on the dates it would have happened (a fixed clock per step), relative to the
 * demo's today: one in publicity now, one paused by an objection, one appointed whose probation ends within
 * 30 days, one reverted, one confirmed, and the earlier stages. Seats are vacant leadership seats of the demo
 * county's townships; candidates are people the eligibility engine finds eligible on the day. A scenario that
 * finds no seat or candidate is skipped (the demo world is generated): nothing half-done is left but a
 * withdrawn case.
 */
export async function seedDemoPromotionCases(knex: Knex, today: string): Promise<number> {
  if ((await knex('promotion_cases').first('id')) !== undefined) return 0;
  const ctx = (username: string) => demoContext(knex, username);
  const officer = await ctx('officer');
  const officer2 = await ctx('officer2');
  const reviewer = await ctx('zuzhibu');
  const admin = await ctx('admin');
  const county = reviewer.principal.grants[0]?.regionId as number;
  const t1 = officer.principal.grants[0]?.regionId as number;
  const t2 = officer2.principal.grants[0]?.regionId as number;
  // The demo county's townships first, then the others (seats are few: each case needs its own).
  const rest = await knex('regions as t')
    .join('regions as c', 'c.id', 't.parent_id')
    .where('t.kind', 'township')
    .whereNotIn('t.id', [t1, t2])
    .orderByRaw('(c.id = ?) DESC', [county])
    .orderBy([{ column: 'c.sort_order' }, { column: 't.sort_order' }, { column: 't.id' }])
    .select('t.id', 't.parent_id');
  const townships = [t1, t2, ...rest.map((r) => r.id as number)];
  const countyOf = new Map<number, number>([
    [t1, county],
    [t2, county],
    ...rest.map((r) => [r.id, r.parent_id] as [number, number]),
  ]);
  const reviewers = new Map<number, RequestContext>([[county, reviewer]]);
  for (const r of await knex('user_roles as ur')
    .join('users as u', 'u.id', 'ur.user_id')
    .where('ur.role', 'county_reviewer')
    .select('u.username', 'ur.region_id'))
    if (!reviewers.has(r.region_id)) reviewers.set(r.region_id, await ctx(r.username));
  const townshipSide = (t: number) => (t === t1 ? officer : t === t2 ? officer2 : admin);
  const countySide = (t: number) => reviewers.get(countyOf.get(t) as number) ?? admin;

  const usedSeats = new Set<number>();
  const usedPeople = new Set<number>();
  const serviceOn = (date: string) =>
    createPromotionCaseService({
      knex,
      clock: fixedClock(date),
      calendar: createCalendarService({ knex, clock: fixedClock(date) }),
    });

  /** Room for one more leader in the seat on a date (L1, L2 for township seats; the head limit for units). */
  async function seatRoom(postId: number, on: string): Promise<boolean> {
    const post = await posts.postWithUnit(knex, postId, on);
    if (!post?.leadership_kind) return false;
    if (post.unit_id !== null) return (await posts.unitLeadersOn(knex, post.unit_id, on)).heads === 0;
    const slots = await leadership.slotsOfTownship(knex, post.township_id, on);
    const slot = slots.find((x) => x.kind === post.leadership_kind);
    const total = await leadership.totalOn(knex, post.township_id, on);
    const leaders = await posts.leadersOn(knex, post.township_id, on);
    const counted = new Set(leaders.filter((l) => l.counted && l.kind === 'primary').map((l) => l.person_id));
    return checkLeaderRoom(
      {
        kind: post.leadership_kind,
        approved: slot?.approved ?? 0,
        filled: slot?.holders.length ?? 0,
        counted: Boolean(post.counted),
      },
      { approved: total?.total ?? 0, countedFilled: counted.size },
    ).ok;
  }

  /** Vacant deputy-level seats today (and from `from`), with people eligible for them on `from`. */
  async function options(from: string, appointOn: string | null) {
    const out: Array<{ townshipId: number; postId: number; level: TargetLevel; people: number[] }> = [];
    const rules = await loadEligibilityRules(knex, from);
    for (const townshipId of townships) {
      // Appointments fill seats: keep the demo officers' townships' vacancies for the candidates pages.
      if (appointOn !== null && (townshipId === t1 || townshipId === t2)) continue;
      const seats = (await serviceOn(today).seatsFor(admin, townshipId)).filter((s) => !usedSeats.has(s.id));
      if (seats.length === 0) continue;
      const inputs = await loadEligibilityInputsForTownships(knex, [townshipId], from);
      for (const seat of seats) {
        if ((await posts.holdersFrom(knex, seat.id, from)).length > 0) continue;
        if (!(await seatRoom(seat.id, appointOn ?? today))) continue;
        const people: number[] = [];
        for (const [personId, input] of inputs) {
          if (usedPeople.has(personId)) continue;
          const r = assessEligibility(input, rules, from).find((x) => x.target === TARGET_GRADES[seat.level]);
          if (!r?.eligible) continue;
          // Their current primary post began before `from` (an appointment then must not cut later history).
          const primary = await posts.primaryOn(knex, personId, today);
          if (!primary || primary.valid_from >= from) continue;
          const atFrom = await posts.primaryOn(knex, personId, from);
          if (!atFrom || atFrom.id !== primary.id) continue;
          people.push(personId);
          if (people.length >= 2) break;
        }
        if (people.length) out.push({ townshipId, postId: seat.id, level: seat.level, people });
      }
    }
    return out;
  }

  const step = (action: StepInput['action'], version: number, over: Partial<StepInput> = {}): StepInput => ({
    action,
    version,
    comment: '',
    docNo: null,
    attachments: [],
    formKey: crypto.randomUUID(),
    on: null,
    ...over,
  });
  const versionOf = async (id: number) =>
    (await knex('promotion_cases').where({ id }).first('version')).version as number;

  /**
   * One case walked to `goal`: the motion on `start`, then a step every few days; publicity from `pubStart`;
   * appointment on `appointOn`; then confirmation or reversion on `closeOn`. Returns the case id, or null.
   */
  async function walk(
    goal: Goal,
    dates: { start: string; pubStart?: string; appointOn?: string; closeOn?: string },
  ) {
    for (const o of await options(dates.start, dates.appointOn ?? null)) {
      const tSide = townshipSide(o.townshipId);
      const reviewer = countySide(o.townshipId);
      const [first, second] = o.people as [number, number | undefined];
      const opened = await serviceOn(dates.start).open(tSide, {
        postId: o.postId,
        reason: '工作需要，补齐配强领导班子',
        proposedRemoval: '',
        comment: '经镇党委会议研究，启动选拔任用工作',
        docNo: null,
        formKey: crypto.randomUUID(),
      });
      if (!opened.ok) continue;
      const id = opened.value.id;
      usedSeats.add(o.postId);
      const run = async (date: string, side: RequestContext, input: Omit<StepInput, 'version'>) => {
        const r = await serviceOn(date).step(side, id, {
          ...input,
          version: await versionOf(id),
        } as StepInput);
        return r.ok;
      };
      const day = (n: number) => addDays(dates.start, n);
      const steps: Array<[Goal, () => Promise<boolean>]> = [
        [
          'recommendation',
          () =>
            run(
              day(2),
              tSide,
              step('recommend', 0, {
                participants: 46,
                nominees: [
                  { personId: first, votes: 38 },
                  ...(second ? [{ personId: second, votes: 21 }] : []),
                ],
                comment: '全镇干部大会推荐',
                attachments: ['民主推荐票汇总表'],
              }),
            ),
        ],
        [
          'candidates',
          () =>
            run(
              day(4),
              tSide,
              step('fix_candidates', 0, { candidateIds: [first], comment: '镇党委会议研究确定' }),
            ),
        ],
        [
          'inspection',
          () =>
            run(
              day(7),
              reviewer,
              step('inspect', 0, {
                comment: '考察组个别谈话23人，考察对象政治素质好，工作实绩突出。',
                attachments: ['考察材料', '个别谈话记录'],
              }),
            ),
        ],
        ...(o.townshipId &&
        (
          await knex('posts as p')
            .join('units as u', 'u.id', 'p.unit_id')
            .where('p.id', o.postId)
            .first('u.kind')
        )?.kind === 'dispatched'
          ? ([
              [
                'inspection',
                () =>
                  run(
                    day(8),
                    tSide,
                    step('opinion', 0, {
                      on: day(8),
                      docNo: `镇党委〔${day(8).slice(0, 4)}〕${id}号`,
                      opinionText: '同意该同志任职。',
                    }),
                  ),
              ],
            ] as Array<[Goal, () => Promise<boolean>]>)
          : []),
        [
          'decided',
          () =>
            run(
              day(10),
              reviewer,
              step('decide', 0, {
                appointeeId: first,
                members: 11,
                present: 10,
                inFavour: 9,
                docNo: `县委常委会纪要〔${day(10).slice(0, 4)}〕${id}号`,
              }),
            ),
        ],
        [
          'publicity',
          () =>
            run(
              dates.pubStart ?? day(11),
              reviewer,
              step('start_publicity', 0, {
                startOn: dates.pubStart ?? day(11),
                comment: '在县委组织部网站和镇政务公开栏公示',
              }),
            ),
        ],
        [
          'objection',
          () =>
            run(
              dates.pubStart ?? day(11),
              reviewer,
              step('object', 0, { comment: '收到匿名来信，反映该同志工作作风问题。' }),
            ),
        ],
        [
          'appointed',
          () =>
            run(
              dates.appointOn ?? day(20),
              reviewer,
              step('appoint', 0, {
                on: dates.appointOn ?? day(20),
                docNo: `县委组任〔${(dates.appointOn ?? day(20)).slice(0, 4)}〕${id}号`,
              }),
            ),
        ],
        [
          'confirmed',
          () =>
            run(
              dates.closeOn ?? today,
              reviewer,
              step('confirm', 0, {
                on: dates.closeOn ?? today,
                docNo: `县委组任〔${(dates.closeOn ?? today).slice(0, 4)}〕${id + 100}号`,
                comment: '试用期考核称职',
              }),
            ),
        ],
        [
          'reverted',
          () =>
            run(
              dates.closeOn ?? today,
              reviewer,
              step('revert', 0, {
                on: dates.closeOn ?? today,
                docNo: `县委组免〔${(dates.closeOn ?? today).slice(0, 4)}〕${id}号`,
                comment: '试用期考核不合格',
              }),
            ),
        ],
      ];
      const order: Goal[] = [
        'recommendation',
        'candidates',
        'inspection',
        'decided',
        'publicity',
        'objection',
        'appointed',
        'confirmed',
        'reverted',
      ];
      const path = steps.filter(([g]) => {
        if (goal === 'motion') return false;
        if (g === 'objection') return goal === 'objection';
        if (goal === 'objection') return order.indexOf(g) <= order.indexOf('publicity');
        if (g === 'confirmed') return goal === 'confirmed';
        if (g === 'reverted') return goal === 'reverted';
        if (goal === 'confirmed' || goal === 'reverted')
          return order.indexOf(g) <= order.indexOf('appointed');
        if (goal === 'withdrawn') return order.indexOf(g) <= order.indexOf('candidates');
        return order.indexOf(g) <= order.indexOf(goal);
      });
      let ok = true;
      for (const [, go] of path) {
        ok = await go();
        if (!ok) break;
      }
      if (ok && goal === 'withdrawn')
        ok = await run(day(5), tSide, step('withdraw', 0, { comment: '岗位职责调整，暂缓选拔' }));
      if (ok) {
        usedPeople.add(first);
        if (goal !== 'withdrawn') return id;
        usedSeats.delete(o.postId);
        return id;
      }
      // A step the generated world refused: withdraw if still possible (before the decision), or end the
      // publicity through an upheld objection (after it), and try the next seat.
      const state = (await knex('promotion_cases').where({ id }).first('state')).state as CaseState;
      const on = dates.appointOn ?? today;
      if (state === 'publicity') {
        await serviceOn(on).step(
          reviewer,
          id,
          step('object', await versionOf(id), { comment: '收到反映，需核实' }),
        );
        await serviceOn(on).step(
          reviewer,
          id,
          step('resolve', await versionOf(id), {
            outcome: 'upheld',
            comment: '经核实，反映属实，终止任用程序',
          }),
        );
      } else
        await serviceOn(today).step(
          reviewer,
          id,
          step('withdraw', await versionOf(id), { comment: '条件不具备，撤回' }),
        );
    }
    return null;
  }

  const made: Array<number | null> = [];
  const back = (days: number) => addDays(today, -days);
  // Past appointments first (they need seats vacant for a long time).
  made.push(
    await walk('confirmed', {
      start: back(420),
      pubStart: back(405),
      appointOn: back(395),
      closeOn: back(20),
    }),
  );
  made.push(await walk('appointed', { start: back(380), pubStart: back(364), appointOn: back(345) })); // probation ends in ~20 days
  made.push(
    await walk('reverted', {
      start: back(260),
      pubStart: back(248),
      appointOn: back(238),
      closeOn: back(30),
    }),
  );
  made.push(await walk('publicity', { start: back(16), pubStart: back(2) }));
  made.push(await walk('objection', { start: back(20), pubStart: back(4) }));
  made.push(await walk('decided', { start: back(14) }));
  made.push(await walk('inspection', { start: back(10) }));
  made.push(await walk('candidates', { start: back(6) }));
  made.push(await walk('recommendation', { start: back(4) }));
  made.push(await walk('motion', { start: back(1) }));
  made.push(await walk('withdrawn', { start: back(30) }));
  return made.filter((x) => x !== null).length;
}
