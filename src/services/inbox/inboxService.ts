import type { Knex } from 'knex';
import type { Principal, Scope } from '../../auth/principal.js';
import * as inbox from '../../db/repositories/inbox.js';
import * as mv from '../../db/repositories/movements.js';
import * as changes from '../../db/repositories/overviewChanges.js';
import * as quota from '../../db/repositories/quota.js';
import * as regions from '../../db/repositories/regions.js';
import type { EstablishmentType } from '../../db/tables.js';
import type { Clock } from '../../domain/clock.js';
import { addDays } from '../../domain/dates.js';
import { secondmentOverdue } from '../../domain/movements.js';
import type { RequestContext } from '../access.js';
import type { createMovementService } from '../movements/movementService.js';
import { ValidatedCache } from '../validatedCache.js';

/** How far ahead the inbox warns: temporary slots to write off, probation ending, publicity ending. */
export const INBOX_HORIZON_DAYS = 30;

export interface OverdueSecondment {
  assignmentId: number;
  personId: number;
  name: string;
  homeTownship: string | null;
  destination: string;
  postName: string;
  since: string;
  plannedUntil: string;
}

export interface QuotaOver {
  holderName: string;
  townshipId: number | null;
  /** The county of a department holder (its page lists the departments' quota). */
  countyId: number | null;
  establishmentType: EstablishmentType;
  approved: number;
  occupied: number;
  reserved: number;
}

/** One thing to act on in a section another area adds: a message (i18n key and values), a link, a date. */
export interface InboxEntry {
  href: string;
  messageKey: string;
  vars: Record<string, string | number>;
  /** The date that matters (publicity ends, probation ends), shown as cadres write it. */
  due: string | null;
  /** Past its date: shown first and marked. */
  overdue: boolean;
}

/**
 * A section another area adds to the inbox (promotions: publicity and probation ending, cases waiting for
 * approval). `count` must be cheap: it runs on every page for the header.
 */
export interface InboxProvider {
  key: string;
  headingKey: string;
  count(ctx: RequestContext, today: string): Promise<number>;
  items(ctx: RequestContext, today: string): Promise<InboxEntry[]>;
}

const isStaffOnly = (p: Principal) => p.grants.every((g) => g.role === 'staff');

/** The townships whose matters this user follows: their scope's townships (admin: all). */
const followedTownships = (scope: Scope): readonly number[] | 'all' =>
  scope.all ? 'all' : [...scope.townshipIds];

/**
 * One inbox per user (domain guide section 11): requests waiting for their decision, requests returned to
 * them, overdue secondments (在编不在岗), temporary leadership slots to write off, quota over, plus the sections
 * other areas register. Everything is read from the dated rows on the day, so an item disappears as soon as
 * it is handled. Staff have no inbox.
 */
export function createInboxService(deps: {
  knex: Knex;
  clock: Clock;
  movements: ReturnType<typeof createMovementService>;
}) {
  const { knex, clock, movements } = deps;
  const providers: InboxProvider[] = [];
  /**
   * The header's count per user, valid while nothing in the user's counties changed (the change log kept by
   * triggers on every table the inbox reads: overview_changes, see overviewChanges.countiesKey) on the same
   * day with the same grants. A hit costs one index read instead of a query per section; any write that could
   * add or remove an item (by anyone, on any app instance) changes the key, so the count is never stale.
   */
  const counts = new ValidatedCache<number>(2000);

  async function overdueSecondments(scope: Scope, today: string): Promise<OverdueSecondment[]> {
    const rows = await mv.secondments(knex, followedTownships(scope), today, { overdueOnly: true });
    return rows
      .filter((r: Record<string, unknown>) =>
        r.planned_until
          ? secondmentOverdue(
              { plannedUntil: r.planned_until as string, validTo: (r.valid_to as string | null) ?? null },
              today,
            )
          : false,
      )
      .map((r: Record<string, unknown>) => ({
        assignmentId: r.id as number,
        personId: r.person_id as number,
        name: r.name as string,
        homeTownship: (r.home_name as string | null) ?? null,
        destination: r.destination as string,
        postName: r.post_name as string,
        since: r.valid_from as string,
        plannedUntil: r.planned_until as string,
      }));
  }

  async function temporarySlots(scope: Scope, today: string) {
    return inbox.temporarySlotsDue(knex, followedTownships(scope), today, addDays(today, INBOX_HORIZON_DAYS));
  }

  async function quotaOver(scope: Scope, today: string): Promise<QuotaOver[]> {
    const [townships, departments] = await Promise.all([
      scope.all ? inbox.townshipsOfCounties(knex, 'all') : [...scope.townshipIds],
      regions.departmentsOfCounties(knex, scope.all ? 'all' : [...scope.fullCountyIds]),
    ]);
    if (townships.length === 0 && departments.length === 0) return [];
    const rows = (
      await quota.usage(knex, { townshipIds: townships, departmentIds: departments.map((d) => d.id) }, today)
    ).filter((u) => u.occupied + u.reserved > u.approved);
    const names = await inbox.townshipNames(
      knex,
      rows.flatMap((r) => (r.townshipId ? [r.townshipId] : [])),
    );
    const departmentName = new Map(departments.map((d) => [d.id, d.name]));
    const departmentCounty = new Map(departments.map((d) => [d.id, d.countyId]));
    return rows.map((r) => ({
      holderName: r.townshipId
        ? (names.get(r.townshipId) ?? '')
        : (departmentName.get(r.departmentId as number) ?? ''),
      townshipId: r.townshipId,
      countyId: r.departmentId ? (departmentCounty.get(r.departmentId) ?? null) : null,
      establishmentType: r.establishmentType,
      approved: r.approved,
      occupied: r.occupied,
      reserved: r.reserved,
    }));
  }

  return {
    /** Registers another area's section (called once, in the composition root). */
    register(provider: InboxProvider): void {
      providers.push(provider);
    },

    /** Everything in the user's inbox, section by section. */
    async sections(ctx: RequestContext) {
      const today = clock.today();
      if (isStaffOnly(ctx.principal)) return null;
      const [awaiting, returned, secondments, slots, over, extra] = await Promise.all([
        movements.inbox(ctx),
        movements.returnedToMe(ctx),
        overdueSecondments(ctx.scope, today),
        temporarySlots(ctx.scope, today),
        quotaOver(ctx.scope, today),
        Promise.all(
          providers.map(async (p) => ({
            key: p.key,
            headingKey: p.headingKey,
            items: await p.items(ctx, today),
          })),
        ),
      ]);
      return {
        today,
        awaiting: awaiting.items,
        returned: returned.items,
        secondments,
        slots,
        over,
        extra,
      };
    },

    /** The number of things to act on, for the header (cheap counts; 0 for staff). */
    async count(ctx: RequestContext): Promise<number> {
      if (isStaffOnly(ctx.principal)) return 0;
      const today = clock.today();
      // The key is read before the sections (each statement after it sees at least the writes it counts).
      const counties = ctx.scope.all ? 'all' : [...ctx.scope.countyIds].sort((a, b) => a - b);
      // Read with the scope at the start of the request when it came from the principal's statement.
      const changed = ctx.scope.countiesKey ?? (await changes.countiesKey(knex, counties));
      const grants = ctx.principal.grants.map((g) => `${g.role}:${g.regionId}:${g.personId}`).join(',');
      const key = `${today}|${grants}|${counties === 'all' ? 'all' : counties.join(',')}|${changed}`;
      return counts.get(String(ctx.principal.userId), key, () => this.countNow(ctx, today));
    },

    /** The count computed from the sections' cheap counts (what `count` caches). */
    async countNow(ctx: RequestContext, today: string): Promise<number> {
      const counts = await Promise.all([
        movements.inbox(ctx, { countOnly: true }).then((r) => r.total),
        movements.returnedToMe(ctx, { countOnly: true }).then((r) => r.total),
        overdueSecondments(ctx.scope, today).then((r) => r.length),
        temporarySlots(ctx.scope, today).then((r) => r.length),
        quotaOver(ctx.scope, today).then((r) => r.length),
        ...providers.map((p) => p.count(ctx, today)),
      ]);
      return counts.reduce((a, b) => a + b, 0);
    },
  };
}
