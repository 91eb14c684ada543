import type { Knex } from 'knex';
import type { Principal } from '../../auth/principal.js';
import { appendAudit } from '../../db/repositories/audit.js';
import { loadEligibilityInput, loadEligibilityRules } from '../../db/repositories/eligibilityInputs.js';
import { claimKey, recordResult } from '../../db/repositories/idempotency.js';
import * as leadership from '../../db/repositories/leadership.js';
import * as posts from '../../db/repositories/posts.js';
import * as cases from '../../db/repositories/promotionCases.js';
import * as units from '../../db/repositories/units.js';
import type { Clock } from '../../domain/clock.js';
import { addDays } from '../../domain/dates.js';
import { assessEligibility } from '../../domain/eligibility/index.js';
import {
  availableActions,
  avoidanceConflicts,
  CASE_STATES,
  type CaseAction,
  type CaseSide,
  type CaseState,
  caseTransition,
  probationEnd,
  TARGET_GRADES,
  type TargetLevel,
} from '../../domain/promotionCase.js';
import { checkLeaderRoom, checkRankFits, type Rank, unitLeaderLimits } from '../../domain/quota.js';
import { NotFoundError } from '../../errors.js';
import { paths } from '../../paths.js';
import type { RequestContext } from '../access.js';
import type { CalendarService } from '../calendar/calendarService.js';
import { constraintRefusal, refuse, type WriteResult, writeTransaction } from '../establishment/results.js';
import { INBOX_HORIZON_DAYS, type InboxEntry, type InboxProvider } from '../inbox/inboxService.js';

/** Steps taken for the township (the others, withdraw by a county reviewer included, for the county). */
const TOWNSHIP_STEPS: readonly CaseAction[] = ['recommend', 'fix_candidates', 'opinion'];

/** Working days of the 任前公示 [law: at least 5]. */
export const PUBLICITY_WORKING_DAYS = 5;

export interface OpenCaseInput {
  postId: number;
  reason: string;
  proposedRemoval: string;
  comment: string;
  docNo: string | null;
  formKey: string;
}

export interface StepInput {
  action: CaseAction;
  version: number;
  comment: string;
  docNo: string | null;
  attachments: string[];
  formKey: string;
  /** The step's date where it matters (appointment, confirmation, reversion, opinion); default today. */
  on: string | null;
  nominees?: Array<{ personId: number; votes: number }>;
  participants?: number | null;
  candidateIds?: number[];
  members?: number;
  present?: number;
  inFavour?: number;
  appointeeId?: number;
  startOn?: string;
  outcome?: 'cleared' | 'upheld';
  opinionText?: string;
}

const isAdmin = (p: Principal) => p.grants.some((g) => g.role === 'admin');

/** The sides a user acts for on a case: township officer of its township, county reviewer of its county. */
export function sidesOf(principal: Principal, c: { townshipId: number; countyId: number }): CaseSide[] {
  if (isAdmin(principal)) return ['township', 'county'];
  const sides: CaseSide[] = [];
  if (principal.grants.some((g) => g.role === 'township_officer' && g.regionId === c.townshipId))
    sides.push('township');
  if (principal.grants.some((g) => g.role === 'county_reviewer' && g.regionId === c.countyId))
    sides.push('county');
  return sides;
}

/** Which townships' cases a user sees: null = all; staff none (they see their own on the career page). */
function visibleTownships(ctx: RequestContext): number[] | null {
  if (ctx.scope.all) return null;
  if (
    !ctx.principal.grants.some(
      (g) =>
        g.role === 'township_officer' || g.role === 'county_reviewer' || g.role === 'establishment_officer',
    )
  )
    return [];
  return [...ctx.scope.townshipIds];
}

const FULL_OPEN: readonly CaseState[] = [
  'motion',
  'recommendation',
  'candidates',
  'inspection',
  'decided',
  'publicity',
  'objection',
];

/**
 * Selection cases (选拔任用) for 副科/正科 leadership seats. Every step: the case row locked, the form's version
 * compared (a stale form is a 409 `stale_version`), the pure state machine asked, the step and its record
 * written, the case moved on with its version one up, one audit entry — one transaction. Appointment re-checks
 * the seat (vacant, L1–L3) under the township's leadership locks and writes the assignment and the grade.
 */
export function createPromotionCaseService(deps: { knex: Knex; clock: Clock; calendar: CalendarService }) {
  const { knex, clock, calendar } = deps;

  async function visibleCase(ctx: RequestContext, id: number, db: Knex = knex) {
    const c = await cases.findCase(db, id);
    const townships = visibleTownships(ctx);
    if (!c || (townships !== null && !townships.includes(c.townshipId))) throw new NotFoundError('case');
    return c;
  }

  /** The eligibility engine's verdict for a person and the seat's level on a date (blocks, or null). */
  async function eligibilityRefusal(
    db: Knex,
    personId: number,
    name: string,
    level: TargetLevel,
    on: string,
    field: string,
  ) {
    const [input, rules] = await Promise.all([
      loadEligibilityInput(db, personId, on),
      loadEligibilityRules(db, on),
    ]);
    if (!input) return refuse(field, 'person_not_found');
    const result = assessEligibility(input, rules, on).find((r) => r.target === TARGET_GRADES[level]);
    if (!result) return refuse(field, 'candidate_target_unreachable', { name });
    if (!result.eligible)
      return refuse(field, 'candidate_blocked', { name, reason: result.blocks[0]?.code ?? '' });
    return null;
  }

  async function avoidanceRefusal(
    db: Knex,
    c: cases.PromotionCase,
    personId: number,
    name: string,
    on: string,
    field: string,
  ) {
    const relatives = await cases.relativesOf(db, personId);
    if (relatives.length === 0) return null;
    const leaders = new Set((await posts.leadersOn(db, c.townshipId, on)).map((l) => l.person_id));
    const unitMembers = c.unitId ? await cases.unitMembersOn(db, c.unitId, on) : new Set<number>();
    const [conflict] = avoidanceConflicts(
      relatives,
      { unitMembers, townshipLeaders: leaders },
      c.unitId === null,
    );
    return conflict ? refuse(field, 'candidate_avoidance', { name, relation: conflict.relation }) : null;
  }

  /** The cases in the user's scope in the given states (a small table, read on the day). */
  async function inScope(ctx: RequestContext, states: readonly CaseState[]) {
    const townships = visibleTownships(ctx);
    if (townships !== null && townships.length === 0) return [];
    return cases.listCases(knex, { townshipIds: townships, states });
  }

  const entry = (
    c: cases.PromotionCase,
    messageKey: string,
    due: string | null,
    today: string,
  ): InboxEntry => ({
    href: paths.promotionCases.case(c.id),
    messageKey,
    vars: {
      township: c.townshipName,
      seat: c.unitName ? `${c.unitName}${c.postName}` : c.postName,
      name: c.appointeeName ?? '',
    },
    due,
    overdue: due !== null && due < today,
  });

  /** Inbox sections: cases waiting for the user's side, publicity ending this week, probation ending, overdue confirmations. */
  const inboxProviders: InboxProvider[] = [
    {
      key: 'promotion_cases_waiting',
      headingKey: 'promotionCases.inbox.waiting',
      count: async (ctx, today) => (await waiting(ctx, today)).length,
      items: async (ctx, today) =>
        (await waiting(ctx, today)).map((c) => entry(c, 'promotionCases.inbox.waitingItem', null, today)),
    },
    {
      key: 'promotion_publicity_ending',
      headingKey: 'promotionCases.inbox.publicityEnding',
      count: async (ctx, today) => (await publicityEnding(ctx, today)).length,
      items: async (ctx, today) =>
        (await publicityEnding(ctx, today)).map((c) =>
          entry(c, 'promotionCases.inbox.publicityItem', c.publicityEndsOn, today),
        ),
    },
    {
      key: 'promotion_probation_ending',
      headingKey: 'promotionCases.inbox.probationEnding',
      count: async (ctx, today) => (await probation(ctx, today, false)).length,
      items: async (ctx, today) =>
        (await probation(ctx, today, false)).map((c) =>
          entry(c, 'promotionCases.inbox.probationItem', c.probationUntil, today),
        ),
    },
    {
      key: 'promotion_confirmation_overdue',
      headingKey: 'promotionCases.inbox.confirmationOverdue',
      count: async (ctx, today) => (await probation(ctx, today, true)).length,
      items: async (ctx, today) =>
        (await probation(ctx, today, true)).map((c) =>
          entry(c, 'promotionCases.inbox.overdueItem', c.probationUntil, today),
        ),
    },
  ];

  /**
   * The open cases the inbox sections read, loaded once per request (keyed by the request's scope object) and
   * shared by the four sections and the header count: one query instead of four on every page.
   */
  const openCasesOfRequest = new WeakMap<object, Promise<cases.PromotionCase[]>>();
  const INBOX_STATES: readonly CaseState[] = [
    'motion',
    'recommendation',
    'candidates',
    'inspection',
    'decided',
    'publicity',
    'objection',
    'appointed',
  ];
  async function openCases(ctx: RequestContext, states: readonly CaseState[]) {
    let all = openCasesOfRequest.get(ctx.scope);
    if (!all) {
      all = inScope(ctx, INBOX_STATES);
      openCasesOfRequest.set(ctx.scope, all);
    }
    return (await all).filter((c) => states.includes(c.state));
  }

  async function waiting(ctx: RequestContext, today: string) {
    const list = await openCases(ctx, [
      'motion',
      'recommendation',
      'candidates',
      'inspection',
      'decided',
      'publicity',
      'objection',
    ]);
    return list.filter((c) => {
      const sides = sidesOf(ctx.principal, c);
      const township = c.state === 'motion' || c.state === 'recommendation';
      const county =
        c.state === 'candidates' ||
        c.state === 'inspection' ||
        c.state === 'decided' ||
        c.state === 'objection' ||
        (c.state === 'publicity' && c.publicityEndsOn !== null && c.publicityEndsOn < today);
      return (township && sides.includes('township')) || (county && sides.includes('county'));
    });
  }

  /** In publicity, ending within the week (the inbox and the county dashboard). */
  const publicityEndsThisWeek = (c: cases.PromotionCase, today: string) =>
    c.state === 'publicity' &&
    c.publicityEndsOn !== null &&
    c.publicityEndsOn >= today &&
    c.publicityEndsOn <= addDays(today, 6);
  /** Appointed, probation ending within the inbox horizon and not over yet. */
  const probationEndingSoon = (c: cases.PromotionCase, today: string) =>
    c.state === 'appointed' &&
    c.probationUntil !== null &&
    c.probationUntil >= today &&
    c.probationUntil <= addDays(today, INBOX_HORIZON_DAYS);
  /** Appointed, probation over and not yet confirmed. */
  const confirmationOverdue = (c: cases.PromotionCase, today: string) =>
    c.state === 'appointed' && c.probationUntil !== null && c.probationUntil < today;

  async function publicityEnding(ctx: RequestContext, today: string) {
    return (await openCases(ctx, ['publicity'])).filter((c) => publicityEndsThisWeek(c, today));
  }

  /** Probation ending within 30 days (not yet over), or over and not yet confirmed (overdue). */
  async function probation(ctx: RequestContext, today: string, overdue: boolean) {
    return (await openCases(ctx, ['appointed'])).filter((c) =>
      overdue ? confirmationOverdue(c, today) : probationEndingSoon(c, today),
    );
  }

  return {
    sidesOf,
    inboxProviders,

    /**
     * The county dashboard's selection-case sections: cases by state, publicity ending this week, probation
     * ending within 30 days, confirmations overdue — for the county's townships in the user's scope.
     */
    async countySummary(ctx: RequestContext, countyId: number, today: string) {
      const all = (await inScope(ctx, [...CASE_STATES])).filter((c) => c.countyId === countyId);
      const byState = CASE_STATES.map((state) => ({
        state,
        count: all.filter((c) => c.state === state).length,
      }));
      return {
        byState,
        publicityThisWeek: all.filter((c) => publicityEndsThisWeek(c, today)),
        probationEnding: all.filter((c) => probationEndingSoon(c, today)),
        overdueConfirmations: all.filter((c) => confirmationOverdue(c, today)),
      };
    },

    async list(ctx: RequestContext, filter: { states?: CaseState[]; townshipId?: number | null }) {
      let townships = visibleTownships(ctx);
      if (filter.townshipId) {
        if (townships !== null && !townships.includes(filter.townshipId)) throw new NotFoundError('township');
        townships = [filter.townshipId];
      }
      return cases.listCases(knex, {
        townshipIds: townships,
        ...(filter.states ? { states: filter.states } : {}),
      });
    },

    /** The case with its timeline, people, opinion and the actions the user may take now. */
    async get(ctx: RequestContext, id: number) {
      const c = await visibleCase(ctx, id);
      const [steps, people, opinion] = await Promise.all([
        cases.steps(knex, id),
        cases.people(knex, id),
        cases.opinion(knex, id),
      ]);
      const sides = sidesOf(ctx.principal, c);
      const actions = availableActions(
        {
          state: c.state,
          dispatched: c.dispatched,
          hasPartyOpinion: opinion !== null,
          publicityEndsOn: c.publicityEndsOn,
          probationUntil: c.probationUntil,
        },
        sides,
      );
      return { case: c, steps, people, opinion, sides, actions };
    },

    /** Seats of a township a case may open on (vacant today, no open case), and the people to nominate. */
    async seatsFor(ctx: RequestContext, townshipId: number) {
      const townships = visibleTownships(ctx);
      if (townships !== null && !townships.includes(townshipId)) throw new NotFoundError('township');
      const today = clock.today();
      const seats = await cases.seatsOfTownship(knex, townshipId, today);
      const open = new Set(
        (await cases.listCases(knex, { townshipIds: [townshipId], states: FULL_OPEN })).map((c) => c.postId),
      );
      const out = [];
      for (const s of seats) {
        const level = (s.unit_id === null ? s.leader_rank : s.unit_rank) as string | null;
        if (level !== 'deputy_section' && level !== 'section_chief') continue;
        if (open.has(s.id)) continue;
        if ((await posts.holdersFrom(knex, s.id, today)).length > 0) continue;
        out.push({ ...s, level: level as TargetLevel });
      }
      return out;
    },

    async townshipPeople(ctx: RequestContext, townshipId: number) {
      const townships = visibleTownships(ctx);
      if (townships !== null && !townships.includes(townshipId)) throw new NotFoundError('township');
      return cases.townshipPeople(knex, townshipId, clock.today());
    },

    /** 动议: the township officer opens a case for a vacant seat of their township. */
    async open(ctx: RequestContext, input: OpenCaseInput): Promise<WriteResult<{ id: number }>> {
      const today = clock.today();
      const post = await posts.postWithUnit(knex, input.postId, today);
      const townships = visibleTownships(ctx);
      if (!post || (townships !== null && !townships.includes(post.township_id)))
        throw new NotFoundError('post');
      const township = await knex('regions').where({ id: post.township_id }).first('parent_id');
      const countyId = township?.parent_id as number;
      if (!sidesOf(ctx.principal, { townshipId: post.township_id, countyId }).includes('township'))
        return refuse('postId', 'not_your_side');
      const level =
        post.unit_id === null
          ? post.leader_rank
          : post.leadership_kind === 'unit_head'
            ? post.unit_rank
            : null;
      if (!post.leadership_kind || (level !== 'deputy_section' && level !== 'section_chief'))
        return refuse('postId', 'seat_not_leadership');
      try {
        return await writeTransaction(knex, async (trx) => {
          const earlier = await claimKey(trx, input.formKey, ctx.principal.userId, 'promotion_case');
          if (earlier) return { ok: true, value: earlier.result as { id: number }, replayed: true };
          await posts.lockPost(trx, post.id);
          if ((await posts.holdersFrom(trx, post.id, today)).length > 0)
            return refuse('postId', 'post_not_vacant');
          const id = await cases.insertCase(trx, {
            countyId,
            townshipId: post.township_id,
            postId: post.id,
            targetLevel: level,
            dispatched: post.unit_kind === 'dispatched',
            reason: input.reason,
            proposedRemoval: input.proposedRemoval,
            proposerUserId: ctx.principal.userId,
          });
          await cases.insertStep(trx, {
            caseId: id,
            action: 'open',
            fromState: null,
            toState: 'motion',
            actorUserId: ctx.principal.userId,
            side: 'township',
            actedOn: today,
            comment: input.comment,
            docNo: input.docNo,
            attachments: [],
            details: {},
          });
          await appendAudit(trx, ctx.actor, {
            action: 'promotion_case.opened',
            entityType: 'promotion_case',
            entityId: id,
            after: { postId: post.id, post: post.name, level, reason: input.reason, docNo: input.docNo },
          });
          await recordResult(trx, input.formKey, { id });
          return { ok: true, value: { id } };
        });
      } catch (err) {
        const refusal = constraintRefusal(err, {
          promotion_cases_one_open_per_post_key: ['postId', 'case_open_for_seat'],
        });
        if (refusal) return refusal;
        throw err;
      }
    },

    /** One step of the procedure (see domain/promotionCase.ts). */
    async step(
      ctx: RequestContext,
      id: number,
      input: StepInput,
    ): Promise<WriteResult<{ id: number; state: CaseState }>> {
      await visibleCase(ctx, id);
      const today = clock.today();
      try {
        return await writeTransaction(knex, async (trx) => {
          const earlier = await claimKey(trx, input.formKey, ctx.principal.userId, 'promotion_case_step');
          if (earlier)
            return { ok: true, value: earlier.result as { id: number; state: CaseState }, replayed: true };
          await cases.lockCase(trx, id);
          const c = (await cases.findCase(trx, id)) as cases.PromotionCase;
          if (c.version !== input.version) return refuse('version', 'stale_version', { version: c.version });
          const sides = sidesOf(ctx.principal, c);
          const opinion = await cases.opinion(trx, id);
          const on = input.on ?? today;
          const verdict = caseTransition(
            {
              state: c.state,
              dispatched: c.dispatched,
              hasPartyOpinion: opinion !== null,
              publicityEndsOn: c.publicityEndsOn,
              probationUntil: c.probationUntil,
            },
            input.action,
            {
              sides,
              on,
              ...(input.members !== undefined
                ? {
                    vote: {
                      members: input.members,
                      present: input.present ?? 0,
                      inFavour: input.inFavour ?? 0,
                    },
                  }
                : {}),
              ...(input.outcome ? { resolve: { outcome: input.outcome } } : {}),
            },
          );
          if (!verdict.ok) return refuse(verdict.field ?? 'action', verdict.code, verdict.vars);
          const side: CaseSide = TOWNSHIP_STEPS.includes(input.action)
            ? 'township'
            : sides.includes('county')
              ? 'county'
              : 'township';
          const patch: Record<string, unknown> = { state: verdict.state };
          const details: Record<string, unknown> = {};
          const people = await cases.people(trx, id);

          switch (input.action) {
            case 'recommend': {
              const nominees = (input.nominees ?? []).filter((n) => n.votes > 0);
              if (nominees.length === 0) return refuse('nominees', 'nominees_required');
              const members = new Set(
                (await cases.townshipPeople(trx, c.townshipId, today)).map((p) => p.id),
              );
              if (nominees.some((n) => !members.has(n.personId)))
                return refuse('nominees', 'nominee_outside');
              if (input.participants && nominees.some((n) => n.votes > (input.participants ?? 0)))
                return refuse('participants', 'votes_above_participants', {
                  participants: input.participants,
                });
              await cases.setNominees(trx, id, nominees);
              details.participants = input.participants ?? null;
              details.votes = nominees;
              break;
            }
            case 'fix_candidates': {
              const ids = [...new Set(input.candidateIds ?? [])];
              if (ids.length === 0) return refuse('candidateIds', 'candidates_required');
              const names = new Map(people.map((p) => [p.personId, p.name]));
              for (const pid of ids) {
                const name = names.get(pid);
                if (!name) return refuse('candidateIds', 'candidate_not_nominee');
                const blocked =
                  (await eligibilityRefusal(trx, pid, name, c.targetLevel, today, 'candidateIds')) ??
                  (await avoidanceRefusal(trx, c, pid, name, today, 'candidateIds'));
                if (blocked) return blocked;
              }
              await cases.setCandidates(trx, id, ids);
              details.candidates = ids;
              break;
            }
            case 'inspect':
              if (!input.comment.trim()) return refuse('comment', 'inspection_notes_required');
              break;
            case 'decide': {
              const appointee = people.find((p) => p.personId === input.appointeeId && p.candidate);
              if (!appointee) return refuse('appointeeId', 'appointee_not_candidate');
              const blocked = await eligibilityRefusal(
                trx,
                appointee.personId,
                appointee.name,
                c.targetLevel,
                today,
                'appointeeId',
              );
              if (blocked) return blocked;
              patch.appointee_person_id = appointee.personId;
              details.vote = { members: input.members, present: input.present, inFavour: input.inFavour };
              details.appointee = appointee.name;
              break;
            }
            case 'start_publicity': {
              const start = input.startOn ?? today;
              if (start < today) return refuse('startOn', 'publicity_start_past');
              const end = await calendar.workingDays.periodEnd(start, PUBLICITY_WORKING_DAYS, trx);
              patch.publicity_starts_on = start;
              patch.publicity_ends_on = end.date;
              details.startsOn = start;
              details.endsOn = end.date;
              details.provisional = end.provisional;
              break;
            }
            case 'object':
              if (!input.comment.trim()) return refuse('comment', 'objection_text_required');
              break;
            case 'resolve':
              if (!input.comment.trim()) return refuse('comment', 'resolution_text_required');
              details.outcome = input.outcome;
              if (verdict.state === 'withdrawn') patch.closed_on = today;
              break;
            case 'appoint': {
              if (!input.docNo) return refuse('docNo', 'doc_no_required');
              const seat = await appointIntoSeat(trx, c, on, input.docNo);
              if (!seat.ok) return seat;
              Object.assign(patch, {
                appointed_on: on,
                appointment_doc_no: input.docNo,
                probation_until: seat.value.probationUntil,
                assignment_id: seat.value.assignmentId,
                grade_id: seat.value.gradeId,
              });
              Object.assign(details, seat.value.details);
              break;
            }
            case 'confirm':
              if (!input.docNo) return refuse('docNo', 'doc_no_required');
              patch.closed_on = on;
              break;
            case 'revert': {
              if (!input.docNo) return refuse('docNo', 'doc_no_required');
              if (!input.comment.trim()) return refuse('comment', 'reasons_required');
              if (!c.appointedOn || on <= c.appointedOn) return refuse('on', 'revert_before_appointment');
              Object.assign(details, await revertSeat(trx, c, on, input.docNo));
              patch.closed_on = on;
              break;
            }
            case 'return':
            case 'withdraw':
              if (!input.comment.trim()) return refuse('comment', 'reasons_required');
              if (input.action === 'withdraw') patch.closed_on = today;
              break;
            case 'opinion': {
              if (!input.docNo) return refuse('docNo', 'doc_no_required');
              if (!input.opinionText?.trim()) return refuse('opinionText', 'opinion_text_required');
              await cases.insertOpinion(trx, {
                caseId: id,
                givenOn: on,
                docNo: input.docNo,
                text: input.opinionText,
                userId: ctx.principal.userId,
              });
              break;
            }
          }

          await cases.updateCase(trx, id, patch);
          await cases.insertStep(trx, {
            caseId: id,
            action: input.action,
            fromState: c.state,
            toState: verdict.state,
            actorUserId: ctx.principal.userId,
            side,
            actedOn:
              input.action === 'appoint' ||
              input.action === 'confirm' ||
              input.action === 'revert' ||
              input.action === 'opinion'
                ? on
                : today,
            comment: input.comment,
            docNo: input.docNo,
            attachments: input.attachments,
            details,
          });
          await appendAudit(trx, ctx.actor, {
            action: `promotion_case.${input.action}`,
            entityType: 'promotion_case',
            entityId: id,
            before: { state: c.state, version: c.version },
            after: { state: verdict.state, version: c.version + 1, docNo: input.docNo, ...details },
          });
          const value = { id, state: verdict.state };
          await recordResult(trx, input.formKey, value);
          return { ok: true, value };
        });
      } catch (err) {
        const refusal = constraintRefusal(err, {
          assignments_one_holder_per_post_excl: ['action', 'post_not_vacant'],
          assignments_one_primary_per_person_excl: ['on', 'person_has_post'],
          grades_one_per_ladder_excl: ['on', 'grade_overlap'],
          promotion_cases_one_open_per_appointee_key: ['appointeeId', 'appointee_in_other_case'],
          promotion_case_opinions_case_key: ['opinionText', 'opinion_exists'],
        });
        if (refusal) return refusal;
        throw err;
      }
    },
  };

  /**
   * 任职: the seat checked again under lock — the post vacant, no leader above the unit's rank (L3), the
   * kind's approved count (L1) and the township total (L2) for township seats, the unit's head limit for unit
   * seats — then the assignment (the previous primary post ends) and the leadership grade with its probation.
   */
  async function appointIntoSeat(trx: Knex.Transaction, c: cases.PromotionCase, on: string, docNo: string) {
    const personId = c.appointeePersonId as number;
    await trx('regions').where({ id: c.townshipId }).forUpdate().first('id');
    await leadership.lockTownshipSlots(trx, c.townshipId);
    await posts.lockPost(trx, c.postId);
    const post = await posts.postWithUnit(trx, c.postId, on);
    if (!post || post.opened_on > on || (post.closed_on && post.closed_on <= on))
      return refuse('on', 'post_not_open');
    if ((await posts.holdersFrom(trx, post.id, on)).length > 0) return refuse('action', 'post_not_vacant');
    const unitRank = (post.unit_id === null ? 'section_chief' : (post.unit_rank ?? 'none')) as Rank;
    const rankFit = checkRankFits(unitRank, c.targetLevel);
    if (!rankFit.ok) return refuse('action', rankFit.code, rankFit.vars);
    if (post.unit_id === null && post.leadership_kind) {
      const slots = await leadership.slotsOfTownship(trx, c.townshipId, on);
      const slot = slots.find((s) => s.kind === post.leadership_kind);
      const total = await leadership.totalOn(trx, c.townshipId, on);
      const leaders = await posts.leadersOn(trx, c.townshipId, on);
      const counted = new Set(
        leaders.filter((l) => l.counted && l.kind === 'primary').map((l) => l.person_id),
      );
      const room = checkLeaderRoom(
        {
          kind: post.leadership_kind,
          approved: slot?.approved ?? 0,
          filled: slot?.holders.length ?? 0,
          counted: Boolean(post.counted),
        },
        {
          approved: total?.total ?? 0,
          countedFilled: counted.has(personId) ? counted.size - 1 : counted.size,
        },
      );
      if (!room.ok) return refuse('action', room.code, room.vars);
    } else if (post.unit_id !== null) {
      await units.lockUnit(trx, post.unit_id);
      const township = await trx('regions').where({ id: c.townshipId }).first('parent_id');
      const settings = await units.countySettings(trx, township?.parent_id as number);
      const current = await posts.unitLeadersOn(trx, post.unit_id, on);
      const limits = unitLeaderLimits(current.staff, settings.unitDeputyThresholds);
      if (current.heads + 1 > limits.heads)
        return refuse('action', 'unit_leaders_full', { allowed: limits.heads, staff: current.staff });
    }
    const previous = await posts.primaryOn(trx, personId, on);
    if (previous) {
      if (previous.valid_from >= on) return refuse('on', 'before_current_post');
      await posts.endAssignment(trx, previous.id, on);
    }
    const previousGrade = await cases.leadershipGradeOn(trx, personId, on);
    if (previousGrade) {
      if (previousGrade.valid_from >= on) return refuse('on', 'grade_overlap');
      await cases.endGrade(trx, previousGrade.id, on);
    }
    const reason = `选拔任用（案件${c.id}）`;
    const assignmentId = await posts.insertAssignment(trx, {
      personId,
      postId: c.postId,
      kind: 'primary',
      validFrom: on,
      reason,
      docNo,
    });
    const probationUntil = probationEnd(on);
    const gradeId = await cases.insertGrade(trx, {
      personId,
      gradeCode: TARGET_GRADES[c.targetLevel],
      validFrom: on,
      // The grade row's probation_until is the first day after probation (its CHECK wants it after valid_from).
      probationUntil: addDays(probationUntil, 1),
      reason,
      docNo,
    });
    return {
      ok: true as const,
      value: {
        assignmentId,
        gradeId,
        probationUntil,
        details: {
          previousAssignmentId: previous?.id ?? null,
          previousPostId: previous?.post_id ?? null,
          previousGradeId: previousGrade?.id ?? null,
          previousGradeCode: previousGrade?.grade_code ?? null,
          probationUntil,
        },
      },
    };
  }

  /** 试用不合格: the assignment and the grade end; the previous level (and post, if still vacant) come back. */
  async function revertSeat(trx: Knex.Transaction, c: cases.PromotionCase, on: string, docNo: string) {
    const personId = c.appointeePersonId as number;
    const appointStep = (await cases.steps(trx, c.id)).find((s) => s.action === 'appoint');
    const d = (appointStep?.details ?? {}) as {
      previousPostId?: number | null;
      previousGradeCode?: string | null;
    };
    await posts.endAssignment(trx, c.assignmentId as number, on);
    await cases.endGrade(trx, c.gradeId as number, on);
    const reason = `试用期不合格，恢复原职级（案件${c.id}）`;
    let restoredGrade: string | null = null;
    if (d.previousGradeCode) {
      await cases.insertGrade(trx, {
        personId,
        gradeCode: d.previousGradeCode,
        validFrom: on,
        probationUntil: null,
        reason,
        docNo,
      });
      restoredGrade = d.previousGradeCode;
    }
    let restoredPostId: number | null = null;
    if (d.previousPostId) {
      await posts.lockPost(trx, d.previousPostId);
      const prev = await posts.postWithUnit(trx, d.previousPostId, on);
      const open = prev && prev.opened_on <= on && (!prev.closed_on || prev.closed_on > on);
      if (open && (await posts.holdersFrom(trx, d.previousPostId, on)).length === 0) {
        await posts.insertAssignment(trx, {
          personId,
          postId: d.previousPostId,
          kind: 'primary',
          validFrom: on,
          reason,
          docNo,
        });
        restoredPostId = d.previousPostId;
      }
    }
    return { restoredGrade, restoredPostId };
  }
}

export type PromotionCaseService = ReturnType<typeof createPromotionCaseService>;
