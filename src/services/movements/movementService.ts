import type { Knex } from 'knex';
import type { Principal, Scope } from '../../auth/principal.js';
import { appendAudit } from '../../db/repositories/audit.js';
import { claimKey, recordResult } from '../../db/repositories/idempotency.js';
import * as mv from '../../db/repositories/movements.js';
import * as posts from '../../db/repositories/posts.js';
import * as quota from '../../db/repositories/quota.js';
import * as regions from '../../db/repositories/regions.js';
import { isPersonInScope } from '../../db/repositories/scope.js';
import * as units from '../../db/repositories/units.js';
import type { EstablishmentType } from '../../db/tables.js';
import type { Clock } from '../../domain/clock.js';
import { addMonths, earlierDate, laterDate } from '../../domain/dates.js';
import {
  type Approver,
  addsToQuota,
  approvalChain,
  DECIDED_STATES,
  type MovementAction,
  type MovementKind,
  type MovementState,
  type SubKind,
  transition,
} from '../../domain/movements.js';
import { checkPlacementType, checkRoom, type Verdict } from '../../domain/quota.js';
import { NotFoundError } from '../../errors.js';
import { assertCan, type RequestContext } from '../access.js';
import { refuse, type WriteResult } from '../establishment/results.js';

export interface MovementInput {
  kind: MovementKind;
  subKind: SubKind | null;
  personId: number;
  toPostId: number | null;
  toEstablishmentType: EstablishmentType | null;
  effectiveOn: string;
  plannedUntil: string | null;
  reason: string;
  docNo: string | null;
  correctsId: number | null;
  formKey: string;
}

export interface DecisionInput {
  action: MovementAction;
  comment: string;
  docNo: string | null;
  version: number;
  formKey?: string;
}

type Refusal = ReturnType<typeof refuse>;

/** Thrown inside a transaction to roll everything back and answer with a refusal. */
class Rollback extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.code);
  }
}
const rethrowRefusal = (err: unknown): Refusal => {
  if (err instanceof Rollback) return err.refusal;
  const e = err as { code?: string; constraint?: string };
  if (e.code === '23P01' && e.constraint === 'assignments_one_holder_per_post_excl')
    return refuse('toPostId', 'post_not_vacant');
  if (e.code === '23P01' && e.constraint === 'assignments_one_primary_per_person_excl')
    return refuse('effectiveOn', 'person_has_post');
  if (e.code === '23505' && e.constraint === 'movement_requests_one_pending_per_person_key')
    return refuse('personId', 'movement_pending');
  throw err;
};
const fail = (v: Verdict, field: string): void => {
  if (!v.ok) throw new Rollback(refuse(field, v.code, v.vars));
};

const EXIT_STATUS: Record<string, string> = {
  retirement: 'retired',
  transfer_out: 'transferred_out',
  resignation: 'resigned',
  dismissal: 'dismissed',
  death: 'deceased',
};

/**
 * Movements (调配) and their approval chain. Every decision re-checks what guards the invariants — the
 * destination's quota (Q2), establishment type (Q3), the post being vacant, one primary post per person — under
 * row locks, in the transaction that writes the dated history rows. Approval of a movement effective later
 * reserves its place (quota_reservations) until the effective date, when the new slot takes over: what is in
 * force on a day is what the dated rows say, with no nightly job.
 */
export function createMovementService(deps: { knex: Knex; clock: Clock }) {
  const { knex, clock } = deps;

  const isAdmin = (p: Principal) => p.grants.some((g) => g.role === 'admin');

  /** The approver roles a user holds for a county. */
  function approverRoles(p: Principal, countyId: number): Approver[] {
    if (isAdmin(p)) return ['establishment_officer', 'county_reviewer'];
    return p.grants
      .filter(
        (g) =>
          (g.role === 'establishment_officer' || g.role === 'county_reviewer') && g.regionId === countyId,
      )
      .map((g) => g.role as Approver);
  }

  const proposesFor = (p: Principal, townshipIds: Array<number | null>) =>
    isAdmin(p) || p.grants.some((g) => g.role === 'township_officer' && townshipIds.includes(g.regionId));

  function visible(scope: Scope, m: mv.MovementRow): boolean {
    if (scope.all || scope.fullCountyIds.has(m.countyId)) return true;
    return [m.fromTownshipId, m.toTownshipId].some((t) => t !== null && scope.townshipIds.has(t));
  }

  async function visibleMovement(scope: Scope, id: number) {
    const m = await mv.findMovement(knex, id);
    if (!m || !visible(scope, m)) throw new NotFoundError('movement');
    return m;
  }

  /** Where the person is on a date: primary post's township and unit kind, quota slot's holder and type. */
  async function whereIs(db: Knex, personId: number, on: string) {
    const primary = await posts.primaryOn(db, personId, on);
    const post = primary ? await posts.postWithUnit(db, primary.post_id, on) : undefined;
    const slot = await posts.slotOn(db, personId, on);
    return { primary, post, slot };
  }

  /** Validates a request against the records as they are and resolves its townships and county. */
  async function validate(ctx: RequestContext, input: MovementInput) {
    const today = clock.today();
    const on = input.effectiveOn;
    if (
      !(await isPersonInScope(knex, ctx.scope, input.personId, today)) &&
      !(await isPersonInScope(knex, ctx.scope, input.personId, on))
    ) {
      return { refusal: refuse('personId', 'person_not_in_scope') };
    }
    const here = await whereIs(knex, input.personId, earlierDate(on, today));
    const fromTownshipId = here.post?.township_id ?? null;
    const toPost = input.toPostId ? await posts.postWithUnit(knex, input.toPostId, on) : undefined;
    if (input.toPostId && !toPost) return { refusal: refuse('toPostId', 'post_not_found') };
    if (toPost && (toPost.opened_on > on || (toPost.closed_on && toPost.closed_on <= on))) {
      return { refusal: refuse('toPostId', 'post_not_open') };
    }
    if (
      toPost?.leadership_kind &&
      input.kind !== 'secondment' &&
      input.kind !== 'exit' &&
      input.kind !== 'type_change'
    ) {
      return { refusal: refuse('toPostId', 'leadership_post_needs_selection') };
    }
    const toTownshipId =
      toPost?.township_id ?? (input.kind === 'exit' || input.kind === 'type_change' ? fromTownshipId : null);
    const anchor = toTownshipId ?? fromTownshipId;
    if (!anchor) return { refusal: refuse('personId', 'person_without_post') };
    const anchorRegion = await regions.findRegion(knex, anchor, 'township');
    const countyId = anchorRegion?.parentId as number;
    if (fromTownshipId && toTownshipId) {
      const from = await regions.findRegion(knex, fromTownshipId, 'township');
      if (from?.parentId !== countyId) return { refusal: refuse('toPostId', 'other_county') };
    }
    const personType = here.slot?.establishment_type ?? null;
    switch (input.kind) {
      case 'internal':
      case 'cross_type':
        if (!here.slot || !here.primary) return { refusal: refuse('personId', 'person_without_post') };
        if (toTownshipId !== fromTownshipId) return { refusal: refuse('toPostId', 'not_same_township') };
        if (toPost?.id === here.primary.post_id) return { refusal: refuse('toPostId', 'same_post') };
        if (
          input.kind === 'internal' &&
          personType &&
          !checkPlacementType(toPost?.establishment_types ?? [], Boolean(toPost?.cross_type), personType).ok
        ) {
          return { refusal: refuse('toPostId', 'person_type_mismatch_use_cross_type', { type: personType }) };
        }
        if (
          input.kind === 'cross_type' &&
          personType &&
          checkPlacementType(toPost?.establishment_types ?? [], Boolean(toPost?.cross_type), personType).ok
        ) {
          return { refusal: refuse('toPostId', 'not_cross_type') };
        }
        break;
      case 'cross_township':
        if (!here.slot || !here.primary) return { refusal: refuse('personId', 'person_without_post') };
        if (toTownshipId === fromTownshipId) return { refusal: refuse('toPostId', 'same_township') };
        if (
          personType &&
          !checkPlacementType(toPost?.establishment_types ?? [], Boolean(toPost?.cross_type), personType).ok
        ) {
          return { refusal: refuse('toPostId', 'person_type_mismatch', { type: personType }) };
        }
        break;
      case 'secondment': {
        if (!here.primary) return { refusal: refuse('personId', 'person_without_post') };
        if (toPost?.id === here.primary.post_id) return { refusal: refuse('toPostId', 'same_post') };
        const settings = await units.countySettings(knex, countyId);
        if (input.plannedUntil && input.plannedUntil > addMonths(on, settings.secondmentMaxMonths)) {
          return {
            refusal: refuse('plannedUntil', 'secondment_too_long', { months: settings.secondmentMaxMonths }),
          };
        }
        break;
      }
      case 'entry':
        if (here.slot) return { refusal: refuse('personId', 'already_has_slot') };
        if (
          !checkPlacementType(
            toPost?.establishment_types ?? [],
            Boolean(toPost?.cross_type),
            input.toEstablishmentType as EstablishmentType,
          ).ok
        ) {
          return {
            refusal: refuse('toEstablishmentType', 'person_type_mismatch', {
              type: input.toEstablishmentType as string,
            }),
          };
        }
        break;
      case 'exit':
        if (!here.slot && !here.primary) return { refusal: refuse('personId', 'person_without_post') };
        break;
      case 'type_change':
        if (!here.slot) return { refusal: refuse('personId', 'person_without_post') };
        if (here.slot.establishment_type === input.toEstablishmentType)
          return { refusal: refuse('toEstablishmentType', 'same_type') };
        break;
    }
    if (!proposesFor(ctx.principal, [fromTownshipId, toTownshipId])) return { forbidden: true as const };
    return { fromTownshipId, toTownshipId, countyId, here, toPost };
  }

  /**
   * The holder, establishment type and (when it exists) account a movement adds its person to, or null when it
   * adds to none: one statement (`mv.destinationsOf`, the same rule the inbox applies to a page of requests).
   */
  async function destinationOf(db: Knex, m: mv.MovementRow): Promise<mv.DestinationOfRequest | null> {
    if (!addsToQuota(m.kind)) return null;
    const found = await mv.destinationsOf(db, [
      {
        id: m.id,
        kind: m.kind,
        personId: m.personId,
        toPostId: m.toPostId,
        toEstablishmentType: m.toEstablishmentType,
        slotDate: earlierDate(m.effectiveOn, clock.today()),
      },
    ]);
    return found.get(m.id) ?? null;
  }

  /** The destination's account, created on first use inside the writer's transaction so that it can be locked. */
  async function destinationAccount(
    trx: Knex.Transaction,
    m: mv.MovementRow,
  ): Promise<{ accountId: number; holderName: string; type: EstablishmentType; holdsPlace: boolean } | null> {
    const dest = await destinationOf(trx, m);
    if (!dest) return null;
    const accountId = dest.accountId ?? (await quota.ensureAccount(trx, dest.holderId, dest.type));
    return { accountId, holderName: dest.holderName, type: dest.type, holdsPlace: dest.holdsPlace };
  }

  /** For pages: the destination and its usage on the effective date, without writing anything. */
  async function destinationUsage(m: mv.MovementRow) {
    const dest = await destinationOf(knex, m);
    if (!dest) return null;
    const accountId = dest.accountId;
    const usage = accountId
      ? (await quota.usage(knex, { accountIds: [accountId] }, m.effectiveOn))[0]
      : undefined;
    return {
      holderName: dest.holderName,
      type: dest.type,
      usage: usage ?? { approved: 0, occupied: 0, reserved: 0 },
    };
  }

  /**
   * destinationUsage for a page of requests (the inbox): every destination and its existing account in one
   * statement (`mv.destinationsOf`), and usage in one query per effective date for all accounts, instead of a
   * dozen round trips per request.
   */
  async function destinationUsages(items: readonly mv.MovementRow[]) {
    const today = clock.today();
    const found = await mv.destinationsOf(
      knex,
      items.map((m) => ({
        id: m.id,
        kind: m.kind,
        personId: m.personId,
        toPostId: m.toPostId,
        toEstablishmentType: m.toEstablishmentType,
        slotDate: earlierDate(m.effectiveOn, today),
      })),
    );
    const dests = items.map((m) => found.get(m.id) ?? null);
    const accountIds = new Map<string, number | undefined>(
      dests.flatMap((d) => (d ? [[`${d.holderId}:${d.type}`, d.accountId ?? undefined] as const] : [])),
    );
    const pairs = new Map<string, { accountId: number; on: string }>();
    items.forEach((m, i) => {
      const d = dests[i];
      const id = d ? accountIds.get(`${d.holderId}:${d.type}`) : undefined;
      if (id !== undefined) pairs.set(`${id}:${m.effectiveOn}`, { accountId: id, on: m.effectiveOn });
    });
    const usageOn = await quota.usageAt(knex, [...pairs.values()]);
    return items.map((m, i) => {
      const d = dests[i];
      if (!d) return null;
      const id = accountIds.get(`${d.holderId}:${d.type}`);
      const usage = id !== undefined ? usageOn.get(`${id}:${m.effectiveOn}`) : undefined;
      return {
        holderName: d.holderName,
        type: d.type,
        usage: usage ?? { approved: 0, occupied: 0, reserved: 0 },
      };
    });
  }

  /** Q2 for one more person on the dates that matter (today if the movement is later, and its effective date). */
  async function checkQuota(
    trx: Knex.Transaction,
    dest: { accountId: number; holderName: string; type: EstablishmentType },
    on: string,
    excludeReservation: number | null,
  ) {
    const today = clock.today();
    const dates = on > today ? [today, on] : [on];
    const own = excludeReservation !== null ? await mv.findReservation(trx, excludeReservation) : undefined;
    const check = async () => {
      // Both dates in one statement.
      const usages = await quota.usageAt(
        trx,
        dates.map((date) => ({ accountId: dest.accountId, on: date })),
      );
      for (const date of dates) {
        const u = usages.get(`${dest.accountId}:${date}`) ?? { approved: 0, occupied: 0, reserved: 0 };
        const mine = own && reservationLive(own, date) ? 1 : 0;
        fail(checkRoom(dest.holderName, dest.type, { ...u, reserved: u.reserved - mine }), 'toPostId');
      }
    };
    // An account seen full (as committed) is refused without waiting for its lock, as true a refusal as one
    // made under the lock a moment earlier: decisions racing for the last place then queue only while there is
    // room. An account with room is locked and counted again; only that count lets the caller write.
    await check();
    await quota.lockAccount(trx, dest.accountId);
    await check();
  }

  const reservationLive = (
    r: { reserved_on: string; released_on: string | null; expires_on: string | null },
    on: string,
  ) =>
    r.reserved_on <= on &&
    (r.released_on === null || r.released_on > on) &&
    (r.expires_on === null || r.expires_on > on);

  /** Phase 1 of applying: end what the person leaves on the effective date. */
  async function leave(trx: Knex.Transaction, m: mv.MovementRow) {
    const on = m.effectiveOn;
    if (
      m.kind === 'internal' ||
      m.kind === 'cross_township' ||
      m.kind === 'cross_type' ||
      (m.kind === 'type_change' && m.toPostId)
    ) {
      const primary = await posts.primaryOn(trx, m.personId, on);
      if (primary) await mv.endOrSupersede(trx, 'assignments', primary, on);
    }
    if (m.kind === 'cross_township' || m.kind === 'type_change') {
      const slot = await posts.slotOn(trx, m.personId, on);
      if (slot) await mv.endOrSupersede(trx, 'quota_slots', slot, on);
    }
    if (m.kind === 'exit') {
      for (const a of await mv.assignmentsFrom(trx, m.personId, on))
        await mv.endOrSupersede(trx, 'assignments', a, on);
      for (const s of await mv.slotsFrom(trx, m.personId, on))
        await mv.endOrSupersede(trx, 'quota_slots', s, on);
      for (const s of await mv.statusesFrom(trx, m.personId, on))
        await mv.endOrSupersede(trx, 'person_statuses', s, on);
      await mv.insertStatus(trx, {
        personId: m.personId,
        status: EXIT_STATUS[m.subKind as string] ?? 'transferred_out',
        validFrom: on,
        reason: m.reason,
        docNo: m.docNo,
      });
    }
  }

  /**
   * Phase 2: checks under locks, then the new rows from the effective date. `dest` was resolved before anyone
   * left (the person's type comes from the slot they had). Returns the reservation made, if any.
   */
  async function join(
    trx: Knex.Transaction,
    m: mv.MovementRow,
    dest: Awaited<ReturnType<typeof destinationAccount>>,
    checked: { lockedPosts: ReadonlySet<number>; quotaChecked: boolean },
  ): Promise<number | null> {
    const on = m.effectiveOn;
    const today = clock.today();
    let reservationId: number | null = null;
    if (m.toPostId && m.kind !== 'exit') {
      if (!checked.lockedPosts.has(m.toPostId)) await posts.lockPost(trx, m.toPostId);
      const holders = await posts.holdersFrom(trx, m.toPostId, on);
      if (holders.some((h) => h.person_id !== m.personId))
        throw new Rollback(refuse('toPostId', 'post_not_vacant'));
    }
    if (dest) {
      if (m.kind === 'entry' && m.reservationId) {
        const r = await mv.findReservation(trx, m.reservationId);
        if (!r || (r.expires_on !== null && r.expires_on <= today))
          throw new Rollback(refuse('effectiveOn', 'quota_approval_lapsed'));
        if (r.expires_on !== null && r.expires_on < on)
          throw new Rollback(refuse('effectiveOn', 'effective_after_lapse'));
        await quota.lockAccount(trx, dest.accountId);
        await mv.releaseReservation(trx, m.reservationId, laterDate(on, r.reserved_on));
      } else {
        if (!checked.quotaChecked) await checkQuota(trx, dest, on, m.reservationId);
        if (m.reservationId) await mv.releaseReservation(trx, m.reservationId, laterDate(on, today));
        if (on > today) {
          reservationId = await mv.insertReservation(trx, {
            accountId: dest.accountId,
            reservedOn: today,
            expiresOn: null,
            releasedOn: on,
            reason: `调配 #${m.id}`,
            docNo: m.docNo,
          });
        }
      }
      await posts.insertSlot(trx, {
        personId: m.personId,
        accountId: dest.accountId,
        validFrom: on,
        reason: m.reason,
        docNo: m.docNo,
      });
    }
    if (m.kind === 'entry') {
      const statuses = await mv.statusesFrom(trx, m.personId, on);
      if (!statuses.some((s) => s.status === 'active' && s.valid_from <= on)) {
        for (const s of statuses) await mv.endOrSupersede(trx, 'person_statuses', s, on);
        await mv.insertStatus(trx, {
          personId: m.personId,
          status: 'active',
          validFrom: on,
          reason: m.reason,
          docNo: m.docNo,
        });
      }
    }
    if (m.toPostId && m.kind !== 'exit') {
      if (m.kind === 'cross_type') await mv.setPostCrossType(trx, m.toPostId);
      await posts.insertAssignment(trx, {
        personId: m.personId,
        postId: m.toPostId,
        kind: m.kind === 'secondment' ? 'secondment' : 'primary',
        validFrom: on,
        plannedUntil: m.plannedUntil,
        reason: m.reason,
        docNo: m.docNo,
      });
    }
    return reservationId;
  }

  /** Movements of dispatched-unit staff need the township party committee's written opinion before the county approves. */
  const opinionNeed = (db: Knex, m: mv.MovementRow) =>
    mv.partyOpinionNeed(db, {
      requestId: m.id,
      personId: m.personId,
      from: earlierDate(m.effectiveOn, clock.today()),
      toPostId: m.toPostId,
    });

  /** The establishment office's quota-use approval (用编核准) or type-change approval: a reservation under Q2. */
  async function reserveForFirstStage(trx: Knex.Transaction, m: mv.MovementRow): Promise<number | null> {
    const dest = await destinationAccount(trx, m);
    if (!dest) return null;
    await checkQuota(trx, dest, m.effectiveOn, null);
    const settings = await units.countySettings(trx, m.countyId);
    const today = clock.today();
    return mv.insertReservation(trx, {
      accountId: dest.accountId,
      reservedOn: today,
      expiresOn: m.kind === 'entry' ? addMonths(today, settings.quotaApprovalMonths) : null,
      releasedOn: null,
      reason: m.kind === 'entry' ? `用编核准 #${m.id}` : `转任 #${m.id}`,
      docNo: null,
    });
  }

  /**
   * One request's step inside a transaction that holds its row lock: the pure transition, then the effects in
   * the order the immutable-when-decided row allows (history rows and reservations first, the state last).
   */
  async function step(ctx: RequestContext, m: mv.MovementRow, input: DecisionInput) {
    const roles = approverRoles(ctx.principal, m.countyId);
    const forProposer =
      proposesFor(ctx.principal, [m.fromTownshipId, m.toTownshipId]) ||
      ctx.principal.userId === m.proposerUserId;
    const t = transition(
      { state: m.state, stage: m.stage, chain: m.chain, proposerUserId: m.proposerUserId },
      input.action,
      {
        userId: ctx.principal.userId,
        roles,
        forProposer,
      },
    );
    if (!t.ok) throw new Rollback(refuse('action', t.code));
    return t;
  }

  async function effects(
    trx: Knex.Transaction,
    members: Array<{
      m: mv.MovementRow;
      t: Extract<ReturnType<typeof transition>, { ok: true }>;
      input: DecisionInput;
    }>,
  ): Promise<Map<number, number | null | undefined>> {
    const today = clock.today();
    const reservations = new Map<number, number | null | undefined>();
    const applying = members.filter(({ t }) => t.final && (t.state === 'approved' || t.state === 'filed'));
    // A destination post held by someone this step does not move cannot be filled. A post seen held (committed)
    // by such a holder is refused first, before any other read and before its lock is even asked for: the
    // refusal is as true as one made under the lock a moment earlier, and the many decisions racing for one
    // vacancy end here, in two statements after the request's own lock, once it is filled. A post seen vacant is
    // locked and read again below. Holders who move in this step are left to the check in join, after everyone
    // has left.
    const movers = new Set(applying.map(({ m }) => m.personId));
    const refuseIfTaken = async (postId: number, on: string) => {
      const holders = await posts.holdersFrom(trx, postId, on);
      if (holders.some((h) => !movers.has(h.person_id)))
        throw new Rollback(refuse('toPostId', 'post_not_vacant'));
    };
    // Each post moved into, once, on the date of its first request.
    const postsMovedInto = new Map<number, string>();
    for (const { m } of applying)
      if (m.toPostId && m.kind !== 'exit' && !postsMovedInto.has(m.toPostId))
        postsMovedInto.set(m.toPostId, m.effectiveOn);
    for (const [postId, on] of postsMovedInto) await refuseIfTaken(postId, on);
    for (const { m, t, input } of members) {
      if (
        input.action === 'approve' &&
        t.actingRole === 'county_reviewer' &&
        (await opinionNeed(trx, m).then((o) => o.needed && !o.recorded))
      ) {
        throw new Rollback(refuse('action', 'party_opinion_required'));
      }
      if (input.action === 'approve' && !t.final && t.actingRole === 'establishment_officer') {
        reservations.set(m.id, await reserveForFirstStage(trx, m));
      }
      if ((t.state === 'returned' || t.state === 'rejected' || t.state === 'withdrawn') && m.reservationId) {
        await mv.releaseReservation(trx, m.reservationId, today);
        reservations.set(m.id, null);
      }
    }
    // Everyone leaves first, then everyone joins: a post vacated inside a batch may be filled inside it.
    const destinations = new Map<number, Awaited<ReturnType<typeof destinationAccount>>>();
    for (const { m } of applying) destinations.set(m.id, await destinationAccount(trx, m));
    // The posts seen vacant above: locked and read again before anything is written.
    const lockedPosts = new Set<number>();
    for (const [postId, on] of postsMovedInto) {
      await posts.lockPost(trx, postId);
      lockedPosts.add(postId);
      await refuseIfTaken(postId, on);
    }
    // One request alone whose person has no place in the destination account yet: leaving changes nothing
    // there, so its quota is checked (under the account's lock) before anything is written, not in join.
    const quotaChecked = new Set<number>();
    const [single] = applying;
    const singleDest = single && applying.length === 1 ? destinations.get(single.m.id) : null;
    if (
      single &&
      singleDest &&
      !singleDest.holdsPlace &&
      !(single.m.kind === 'entry' && single.m.reservationId)
    ) {
      await checkQuota(trx, singleDest, single.m.effectiveOn, single.m.reservationId);
      quotaChecked.add(single.m.id);
    }
    for (const { m } of applying) await leave(trx, m);
    for (const { m } of applying) {
      const made = await join(trx, m, destinations.get(m.id) ?? null, {
        lockedPosts,
        quotaChecked: quotaChecked.has(m.id),
      });
      if (made !== null) reservations.set(m.id, made);
    }
    return reservations;
  }

  async function record(
    trx: Knex.Transaction,
    ctx: RequestContext,
    m: mv.MovementRow,
    t: Extract<ReturnType<typeof transition>, { ok: true }>,
    input: DecisionInput,
    reservationId: number | null | undefined,
    chain?: readonly Approver[],
  ): Promise<number> {
    const version = await mv.setState(trx, m.id, {
      state: t.state,
      stage: t.stage,
      decided: t.final,
      ...(input.action === 'submit' ? { submitted: true } : {}),
      ...(chain ? { chain } : {}),
      ...(reservationId !== undefined ? { reservationId } : {}),
    });
    await mv.insertAction(trx, {
      requestId: m.id,
      action: input.action,
      actorUserId: ctx.principal.userId,
      actorRole: t.actingRole,
      comment: input.comment,
      docNo: input.docNo,
      fromState: m.state,
      toState: t.state,
    });
    await appendAudit(trx, ctx.actor, {
      action: `movement.${input.action}`,
      entityType: 'movement_request',
      entityId: m.id,
      before: { state: m.state, stage: m.stage, version: m.version },
      after: { state: t.state, stage: t.stage, comment: input.comment, docNo: input.docNo, reservationId },
    });
    return version;
  }

  /**
   * Resolves the chain on submission (the county's configuration at that moment). A batch moves as one: every
   * member gets the most demanding chain of the batch (the establishment office if any member touches the quota
   * that way, then the county).
   */
  async function withChain(
    trx: Knex.Transaction,
    m: mv.MovementRow,
    action: MovementAction,
    batchKinds?: MovementKind[],
  ) {
    if (action !== 'submit') return { m, chain: undefined };
    const settings = await units.countySettings(trx, m.countyId);
    const chains = (batchKinds ?? [m.kind]).map((k) => approvalChain(k, settings.filingOnlyKinds));
    const chain = (['establishment_officer', 'county_reviewer'] as const).filter((r) =>
      chains.some((c) => c.includes(r)),
    );
    return { m: { ...m, chain, stage: 0 }, chain };
  }

  return {
    approverRoles,
    visibleMovement,

    /** Creates a request; with `submit` it is submitted at once (or filed, for kinds the county only files). */
    async create(
      ctx: RequestContext,
      input: MovementInput,
      options: { submit: boolean; batchId?: number | null } = { submit: true },
    ): Promise<WriteResult<{ id: number; state: MovementState }>> {
      const checked = await validate(ctx, input);
      if ('forbidden' in checked) return assertCan(false) as never;
      if ('refusal' in checked && checked.refusal) return checked.refusal;
      const { fromTownshipId, toTownshipId, countyId } = checked as Exclude<
        typeof checked,
        { refusal: Refusal } | { forbidden: true }
      >;
      return knex
        .transaction(async (trx) => {
          const earlier = await claimKey(trx, input.formKey, ctx.principal.userId, 'movement');
          if (earlier)
            return {
              ok: true as const,
              value: earlier.result as { id: number; state: MovementState },
              replayed: true,
            };
          const id = await mv.insertMovement(trx, {
            ...input,
            countyId,
            fromTownshipId,
            toTownshipId,
            batchId: options.batchId ?? null,
            proposerUserId: ctx.principal.userId,
          });
          await mv.insertAction(trx, {
            requestId: id,
            action: 'create',
            actorUserId: ctx.principal.userId,
            actorRole: 'proposer',
            comment: input.reason,
            docNo: input.docNo,
            fromState: null,
            toState: 'draft',
          });
          let state: MovementState = 'draft';
          if (options.submit) {
            const draft = (await mv.findMovement(trx, id)) as mv.MovementRow;
            const input2: DecisionInput = {
              action: 'submit',
              comment: '',
              docNo: input.docNo,
              version: draft.version,
            };
            const { m, chain } = await withChain(trx, draft, 'submit');
            const t = await step(ctx, m, input2);
            const reservations = await effects(trx, [{ m, t, input: input2 }]);
            await record(trx, ctx, m, t, input2, reservations.get(id), chain);
            state = t.state;
          }
          await appendAudit(trx, ctx.actor, {
            action: 'movement.created',
            entityType: 'movement_request',
            entityId: id,
            after: { ...input, formKey: undefined, countyId, fromTownshipId, toTownshipId, state },
          });
          const value = { id, state };
          await recordResult(trx, input.formKey, value);
          return { ok: true as const, value };
        })
        .catch(rethrowRefusal);
    },

    /** Submit, withdraw, approve, return or reject one request; stale versions are refused. */
    async decide(
      ctx: RequestContext,
      id: number,
      input: DecisionInput,
    ): Promise<WriteResult<{ id: number; state: MovementState; version: number }>> {
      return knex
        .transaction(async (trx) => {
          // Out of scope answers exactly as missing; checked on the locked row (one read, not two).
          const locked = await mv.lockMovement(trx, id);
          if (!locked || !visible(ctx.scope, locked)) throw new NotFoundError('movement');
          if (locked.version !== input.version) {
            throw new Rollback(
              refuse('version', DECIDED_STATES.includes(locked.state) ? 'already_decided' : 'stale_version'),
            );
          }
          if (locked.batchId && ['approve', 'return', 'reject'].includes(input.action))
            throw new Rollback(refuse('action', 'decide_the_batch'));
          const { m, chain } = await withChain(trx, locked, input.action);
          const t = await step(ctx, m, input);
          const reservations = await effects(trx, [{ m, t, input }]);
          const version = await record(trx, ctx, m, t, input, reservations.get(id), chain);
          return { ok: true as const, value: { id, state: t.state, version } };
        })
        .catch(rethrowRefusal);
    },

    /** A batch (one 文号): every member takes the same step in one transaction, all or nothing. */
    async decideBatch(
      ctx: RequestContext,
      batchId: number,
      input: Omit<DecisionInput, 'version'>,
    ): Promise<WriteResult<{ batchId: number; state: MovementState }>> {
      const batch = await mv.findBatch(knex, batchId);
      if (!batch) throw new NotFoundError('batch');
      const members = await mv.batchMembers(knex, batchId);
      if (members.length === 0 || !members.every((m) => visible(ctx.scope, m)))
        throw new NotFoundError('batch');
      return knex
        .transaction(async (trx) => {
          const locked = await mv.lockBatchMembers(trx, batchId);
          const steps = [];
          const kinds = locked.map((r) => r.kind);
          for (const row of locked) {
            const { m, chain } = await withChain(trx, row, input.action, kinds);
            const memberInput = { ...input, version: row.version };
            steps.push({ m, chain, input: memberInput, t: await step(ctx, m, memberInput) });
          }
          const states = new Set(steps.map((s) => s.t.state));
          if (states.size !== 1) throw new Rollback(refuse('action', 'batch_out_of_step'));
          const reservations = await effects(trx, steps);
          for (const s of steps) await record(trx, ctx, s.m, s.t, s.input, reservations.get(s.m.id), s.chain);
          return { ok: true as const, value: { batchId, state: [...states][0] as MovementState } };
        })
        .catch(rethrowRefusal);
    },

    /** Creates a batch of draft requests under one 文号; it is submitted and decided as a whole. */
    async createBatch(
      ctx: RequestContext,
      input: { title: string; docNo: string; members: MovementInput[]; formKey: string },
    ): Promise<WriteResult<{ batchId: number }>> {
      if (input.members.length === 0) return refuse('members', 'batch_empty');
      type Checked = Exclude<
        Awaited<ReturnType<typeof validate>>,
        { refusal: Refusal } | { forbidden: true }
      >;
      const checked: Array<{ member: MovementInput; c: Checked }> = [];
      for (const [i, member] of input.members.entries()) {
        const c = await validate(ctx, member);
        if ('forbidden' in c) return assertCan(false) as never;
        if ('refusal' in c && c.refusal) return { ...c.refusal, field: `members.${i}.${c.refusal.field}` };
        checked.push({ member, c: c as Checked });
      }
      const counties = new Set(checked.map((x) => x.c.countyId));
      if (counties.size !== 1) return refuse('members', 'batch_one_county');
      const countyId = [...counties][0] as number;
      return knex
        .transaction(async (trx) => {
          const earlier = await claimKey(trx, input.formKey, ctx.principal.userId, 'movement_batch');
          if (earlier)
            return { ok: true as const, value: earlier.result as { batchId: number }, replayed: true };
          const batchId = await mv.insertBatch(trx, {
            countyId,
            title: input.title,
            docNo: input.docNo,
            proposerUserId: ctx.principal.userId,
          });
          for (const { member, c } of checked) {
            const id = await mv.insertMovement(trx, {
              ...member,
              docNo: member.docNo ?? input.docNo,
              countyId,
              fromTownshipId: c.fromTownshipId,
              toTownshipId: c.toTownshipId,
              batchId,
              proposerUserId: ctx.principal.userId,
            });
            await mv.insertAction(trx, {
              requestId: id,
              action: 'create',
              actorUserId: ctx.principal.userId,
              actorRole: 'proposer',
              comment: member.reason,
              docNo: input.docNo,
              fromState: null,
              toState: 'draft',
            });
          }
          await appendAudit(trx, ctx.actor, {
            action: 'movement_batch.created',
            entityType: 'movement_batch',
            entityId: batchId,
            after: { title: input.title, docNo: input.docNo, members: input.members.length },
          });
          await recordResult(trx, input.formKey, { batchId });
          return { ok: true as const, value: { batchId } };
        })
        .catch(rethrowRefusal);
    },

    /** The township party committee's written opinion on a dispatched-unit movement (书面征求镇党委意见). */
    async recordOpinion(
      ctx: RequestContext,
      id: number,
      input: { givenOn: string; docNo: string; text: string },
    ): Promise<WriteResult<{ id: number }>> {
      const m = await visibleMovement(ctx.scope, id);
      assertCan(proposesFor(ctx.principal, [m.fromTownshipId, m.toTownshipId]));
      if (DECIDED_STATES.includes(m.state)) return refuse('givenOn', 'already_decided');
      return knex
        .transaction(async (trx) => {
          await mv.lockMovement(trx, id);
          if (await mv.opinionOf(trx, id)) return refuse('givenOn', 'opinion_recorded');
          await mv.insertOpinion(trx, { requestId: id, ...input, recordedBy: ctx.principal.userId });
          await mv.insertAction(trx, {
            requestId: id,
            action: 'opinion',
            actorUserId: ctx.principal.userId,
            actorRole: 'proposer',
            comment: input.text,
            docNo: input.docNo,
            fromState: m.state,
            toState: m.state,
          });
          await appendAudit(trx, ctx.actor, {
            action: 'movement.opinion_recorded',
            entityType: 'movement_request',
            entityId: id,
            after: input,
          });
          return { ok: true as const, value: { id } };
        })
        .catch(rethrowRefusal);
    },

    /** Records the end of an approved secondment (the person came back): its assignment ends that day. */
    async endSecondment(
      ctx: RequestContext,
      id: number,
      input: { endedOn: string },
    ): Promise<WriteResult<{ id: number }>> {
      const m = await visibleMovement(ctx.scope, id);
      assertCan(proposesFor(ctx.principal, [m.fromTownshipId, m.toTownshipId]));
      if (m.kind !== 'secondment' || m.state !== 'approved')
        return refuse('endedOn', 'not_a_running_secondment');
      return knex.transaction(async (trx) => {
        const running = (await mv.assignmentsFrom(trx, m.personId, m.effectiveOn)).find(
          (a) => a.kind === 'secondment' && a.post_id === m.toPostId && a.valid_from === m.effectiveOn,
        );
        if (!running || running.valid_to !== null) return refuse('endedOn', 'not_a_running_secondment');
        if (input.endedOn <= running.valid_from) return refuse('endedOn', 'end_before_start');
        await mv.endSecondment(trx, running.id, input.endedOn);
        await mv.insertAction(trx, {
          requestId: id,
          action: 'end_secondment',
          actorUserId: ctx.principal.userId,
          actorRole: 'proposer',
          comment: '',
          docNo: null,
          fromState: m.state,
          toState: m.state,
        });
        await appendAudit(trx, ctx.actor, {
          action: 'movement.secondment_ended',
          entityType: 'assignment',
          entityId: running.id,
          before: { validTo: null },
          after: { validTo: input.endedOn },
        });
        return { ok: true as const, value: { id } };
      });
    },

    async detail(scope: Scope, id: number) {
      const m = await visibleMovement(scope, id);
      const item = (await mv.listMovements(knex, { ids: [id] })).items[0] as mv.MovementListItem;
      const [actions, opinion, batch, dest] = await Promise.all([
        mv.actionsOf(knex, id),
        mv.opinionOf(knex, id),
        m.batchId ? mv.findBatch(knex, m.batchId) : Promise.resolve(undefined),
        destinationUsage(m),
      ]);
      const secondment =
        m.kind === 'secondment' && m.state === 'approved'
          ? ((await mv.assignmentsFrom(knex, m.personId, m.effectiveOn)).find(
              (a) => a.kind === 'secondment' && a.post_id === m.toPostId && a.valid_from === m.effectiveOn,
            ) ?? null)
          : null;
      return {
        movement: item,
        actions,
        opinion,
        batch: batch ?? null,
        batchMembers: m.batchId ? (await mv.listMovements(knex, { batchId: m.batchId })).items : [],
        destination: dest,
        needsOpinion: (await opinionNeed(knex, m)).needed,
        secondment: secondment
          ? {
              validTo: secondment.valid_to as string | null,
              plannedUntil: secondment.planned_until as string | null,
            }
          : null,
        today: clock.today(),
      };
    },

    async batch(scope: Scope, batchId: number) {
      const batch = await mv.findBatch(knex, batchId);
      if (!batch) throw new NotFoundError('batch');
      const { items } = await mv.listMovements(knex, { batchId });
      if (items.length === 0 || !items.every((m) => visible(scope, m))) throw new NotFoundError('batch');
      return { batch, members: items };
    },

    /** Choices for the request form: people of the township and open posts of the county, vacant or not. */
    async formChoices(scope: Scope, townshipId: number, on: string) {
      const township = await regions.findRegion(knex, townshipId, 'township');
      if (!township || !(scope.all || scope.townshipIds.has(townshipId))) throw new NotFoundError('township');
      const [people, countyTownships] = await Promise.all([
        mv.peopleOfTownship(knex, townshipId, on),
        regions.childRegions(knex, township.parentId as number),
      ]);
      const openPosts = await mv.openPostsOfTownships(
        knex,
        countyTownships.map((t) => t.id),
        on,
      );
      return { township, people, posts: openPosts, countyId: township.parentId as number };
    },

    /** The counties and townships a user may filter lists by: those in scope, townships under their county. */
    async scopeRegions(scope: Scope) {
      const [counties, townships] = await Promise.all([
        regions.listRegions(knex, 'county'),
        regions.listRegions(knex, 'township'),
      ]);
      const visibleTownships = townships.filter((t) => scope.all || scope.townshipIds.has(t.id));
      const countyIds = new Set(visibleTownships.map((t) => t.parentId));
      return {
        counties: counties.filter((c) => countyIds.has(c.id)),
        townships: visibleTownships,
      };
    },

    async list(scope: Scope, filter: Omit<mv.MovementFilter, 'countyIds' | 'townshipIds' | 'awaiting'>) {
      const scoped: mv.MovementFilter = { ...filter, order: filter.order ?? 'newest' };
      if (!scope.all) {
        // County roles see their counties' requests; township officers those from or to their townships.
        const counties = [...scope.fullCountyIds];
        const townships = [...scope.townshipIds];
        if (counties.length > 0) scoped.countyIds = counties;
        else if (townships.length > 0) scoped.townshipIds = townships;
        else return { items: [], total: 0 };
      }
      return mv.listMovements(knex, scoped);
    },

    /** What waits for this user: submitted requests whose next approver is one of their roles, oldest first. */
    /**
     * What waits for this user's approval: submitted requests whose next approver is one of their roles,
     * oldest first, each with the destination's quota (enriched) unless only the count is wanted.
     */
    async inbox(ctx: RequestContext, options: { countOnly?: boolean } = {}) {
      const counties = ctx.principal.grants.some((g) => g.role === 'admin')
        ? (await regions.listRegions(knex, 'county')).map((c) => c.id)
        : [
            ...new Set(
              ctx.principal.grants
                .filter((g) => g.role === 'county_reviewer' || g.role === 'establishment_officer')
                .map((g) => g.regionId as number),
            ),
          ];
      const roles = [...new Set(counties.flatMap((c) => approverRoles(ctx.principal, c)))];
      if (counties.length === 0 || roles.length === 0) return { items: [], total: 0 };
      const { items, total } = await mv.listMovements(knex, {
        awaiting: { countyIds: counties, roles },
        order: 'oldest',
        limit: options.countOnly ? 0 : 500,
      });
      const destinations = await destinationUsages(items);
      return { items: items.map((item, i) => ({ ...item, destination: destinations[i] })), total };
    },

    /** Requests returned for changes to the townships this user files for (township officers), oldest first. */
    async returnedToMe(ctx: RequestContext, options: { countOnly?: boolean } = {}) {
      const townships = ctx.principal.grants
        .filter((g) => g.role === 'township_officer')
        .map((g) => g.regionId as number);
      if (townships.length === 0) return { items: [], total: 0 };
      return mv.listMovements(knex, {
        townshipIds: townships,
        states: ['returned'],
        order: 'oldest',
        limit: options.countOnly ? 0 : 500,
      });
    },
  };
}

export type MovementService = ReturnType<typeof createMovementService>;
