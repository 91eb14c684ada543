import type { Knex } from 'knex';
import { appendAudit } from '../../db/repositories/audit.js';
import { claimKey, recordResult } from '../../db/repositories/idempotency.js';
import * as leadership from '../../db/repositories/leadership.js';
import * as posts from '../../db/repositories/posts.js';
import * as quota from '../../db/repositories/quota.js';
import * as regions from '../../db/repositories/regions.js';
import * as units from '../../db/repositories/units.js';
import type { PostCategory } from '../../db/tables.js';
import {
  checkLeaderRoom,
  checkPlacementType,
  checkPostTypes,
  checkRankFits,
  checkRoom,
  type EstablishmentType,
  type Rank,
  type UnitKindOrTeam,
  unitLeaderLimits,
  type Verdict,
} from '../../domain/quota.js';
import { NotFoundError } from '../../errors.js';
import { assertCan, assertTownshipVisible, canManageTownship, type RequestContext } from '../access.js';
import { constraintRefusal, refuse, type WriteResult, writeTransaction } from './results.js';

export interface PostFields {
  name: string;
  category: PostCategory;
  leadershipKind: string | null;
  establishmentTypes: EstablishmentType[];
  gradeLow: string | null;
  gradeHigh: string | null;
}

export interface PlacementInput {
  postId: number;
  personId: number;
  validFrom: string;
  docNo: string;
  reason: string;
  /** The establishment type of a new quota slot, for a person who holds none in this holder yet. */
  establishmentType: EstablishmentType | null;
  formKey: string;
}

const verdictRefusal = (field: string, v: Verdict) => (v.ok ? null : refuse(field, v.code, v.vars));

/**
 * The township officer keeps the township's posts (create, edit, close) and places people in vacant posts
 * for corrections of record. Every check that guards an invariant runs under row locks in the transaction
 * that writes: the quota account (Q2), the leadership slot accounts (L1, L2), the post itself.
 */
export function createPostsService(deps: { knex: Knex }) {
  const { knex } = deps;

  async function unitContext(trx: Knex, townshipId: number, unitId: number | null, on: string) {
    if (unitId === null)
      return { kind: 'leadership_team' as UnitKindOrTeam, rank: 'section_chief' as Rank, unit: null };
    const unit = await units.findUnitRow(trx, unitId);
    if (!unit || unit.township_id !== townshipId) return null;
    if (unit.established_on > on || (unit.abolished_on && unit.abolished_on <= on)) return null;
    const [version] = await units.versionsFrom(trx, unitId, on);
    return { kind: unit.kind as UnitKindOrTeam, rank: (version?.rank ?? 'none') as Rank, unit };
  }

  async function checkFields(trx: Knex, fields: PostFields, unitKind: UnitKindOrTeam, crossType: boolean) {
    if ((fields.category === 'leadership') !== (fields.leadershipKind !== null)) {
      return refuse(
        'leadershipKind',
        fields.category === 'leadership' ? 'leadership_kind_required' : 'leadership_kind_not_leadership',
      );
    }
    if (fields.leadershipKind) {
      const kind = await leadership.findLeadershipKind(trx, fields.leadershipKind);
      if (!kind || (kind.scope === 'township') !== (unitKind === 'leadership_team')) {
        return refuse('leadershipKind', 'leadership_kind_wrong_place');
      }
    }
    const typeCheck = verdictRefusal(
      'establishmentTypes',
      checkPostTypes(unitKind, fields.establishmentTypes, crossType),
    );
    if (typeCheck) return typeCheck;
    if (fields.gradeLow && fields.gradeHigh) {
      const grades = await posts.gradesByCode(trx, [fields.gradeLow, fields.gradeHigh]);
      const low = grades.find((g) => g.code === fields.gradeLow);
      const high = grades.find((g) => g.code === fields.gradeHigh);
      if (!low || !high || low.ladder !== high.ladder || low.step > high.step)
        return refuse('gradeHigh', 'grade_band_invalid');
    }
    return null;
  }

  return {
    async createPost(
      ctx: RequestContext,
      input: PostFields & {
        townshipId: number;
        unitId: number | null;
        openedOn: string;
        docNo: string | null;
        formKey: string;
      },
    ): Promise<WriteResult<{ postId: number }>> {
      assertTownshipVisible(ctx.scope, input.townshipId);
      assertCan(canManageTownship(ctx.principal, input.townshipId));
      return writeTransaction(knex, async (trx) => {
        const earlier = await claimKey(trx, input.formKey, ctx.principal.userId, 'post_create');
        if (earlier)
          return { ok: true, value: earlier.result as { postId: number }, replayed: true } as const;
        const where = await unitContext(trx, input.townshipId, input.unitId, input.openedOn);
        if (!where) return refuse('unitId', 'unit_not_open');
        const problem = await checkFields(trx, input, where.kind, false);
        if (problem) return problem;
        const postId = await posts.insertPost(trx, input);
        await appendAudit(trx, ctx.actor, {
          action: 'post.created',
          entityType: 'post',
          entityId: postId,
          after: { ...input, formKey: undefined },
        });
        await recordResult(trx, input.formKey, { postId });
        return { ok: true, value: { postId } } as const;
      });
    },

    async updatePost(
      ctx: RequestContext,
      postId: number,
      fields: PostFields,
      today: string,
    ): Promise<WriteResult<{ postId: number }>> {
      const existing = await posts.findPostRow(knex, postId);
      if (!existing) throw new NotFoundError('post');
      assertTownshipVisible(ctx.scope, existing.township_id, 'post');
      assertCan(canManageTownship(ctx.principal, existing.township_id));
      return writeTransaction(knex, async (trx) => {
        const post = await posts.lockPost(trx, postId);
        const on = post.opened_on > today ? post.opened_on : today;
        const where = await unitContext(trx, post.township_id, post.unit_id, on);
        if (!where) return refuse('name', 'post_not_open');
        const problem = await checkFields(trx, fields, where.kind, post.cross_type);
        if (problem) return problem;
        // A holder must still fit the post's types after the change.
        for (const h of await posts.holdersFrom(trx, postId, on)) {
          const slot = await posts.slotOn(trx, h.person_id, [h.valid_from, on].sort()[1] as string);
          if (slot) {
            const fit = verdictRefusal(
              'establishmentTypes',
              checkPlacementType(fields.establishmentTypes, post.cross_type, slot.establishment_type),
            );
            if (fit)
              return refuse('establishmentTypes', 'holder_type_excluded', { type: slot.establishment_type });
          }
        }
        await posts.updatePost(trx, postId, fields);
        await appendAudit(trx, ctx.actor, {
          action: 'post.updated',
          entityType: 'post',
          entityId: postId,
          before: {
            name: post.name,
            category: post.category,
            leadershipKind: post.leadership_kind,
            establishmentTypes: post.establishment_types,
            gradeLow: post.grade_low,
            gradeHigh: post.grade_high,
          },
          after: fields,
        });
        return { ok: true, value: { postId } } as const;
      });
    },

    async closePost(ctx: RequestContext, postId: number, input: { closedOn: string; docNo: string | null }) {
      const existing = await posts.findPostRow(knex, postId);
      if (!existing) throw new NotFoundError('post');
      assertTownshipVisible(ctx.scope, existing.township_id, 'post');
      assertCan(canManageTownship(ctx.principal, existing.township_id));
      return writeTransaction(knex, async (trx): Promise<WriteResult<{ postId: number }>> => {
        const post = await posts.lockPost(trx, postId);
        // A double submit of the same closure is answered like the first.
        if (post.closed_on === input.closedOn) return { ok: true, value: { postId } };
        if (post.closed_on) return refuse('closedOn', 'post_already_closed');
        if (input.closedOn <= post.opened_on) return refuse('closedOn', 'close_before_open');
        if ((await posts.holdersFrom(trx, postId, input.closedOn)).length > 0)
          return refuse('closedOn', 'post_held');
        await posts.closePost(trx, postId, input.closedOn, input.docNo);
        await appendAudit(trx, ctx.actor, {
          action: 'post.closed',
          entityType: 'post',
          entityId: postId,
          before: { closedOn: null },
          after: input,
        });
        return { ok: true, value: { postId } };
      });
    },

    /**
     * Places a person in a vacant post from a date (a correction of record inside the township). Ends their
     * current primary assignment there; gives them a quota slot in the post's holder if they have none (Q2
     * under the account's lock); refuses mixing types (Q3) unless the post is a recorded cross-type post;
     * for leadership seats checks the slot kind and the township total (L1, L2) under lock and the unit's
     * rank (L3). Another township's person is a cross-township movement, not a placement.
     */
    async place(ctx: RequestContext, input: PlacementInput): Promise<WriteResult<{ assignmentId: number }>> {
      const existing = await posts.findPostRow(knex, input.postId);
      if (!existing) throw new NotFoundError('post');
      assertTownshipVisible(ctx.scope, existing.township_id, 'post');
      assertCan(canManageTownship(ctx.principal, existing.township_id));
      const townshipId = existing.township_id;
      const township = await regions.findRegion(knex, townshipId, 'township');
      const settings = await units.countySettings(knex, township?.parentId as number);
      return writeTransaction(knex, async (trx): Promise<WriteResult<{ assignmentId: number }>> => {
        const earlier = await claimKey(trx, input.formKey, ctx.principal.userId, 'placement');
        if (earlier) return { ok: true, value: earlier.result as { assignmentId: number }, replayed: true };
        const on = input.validFrom;
        await posts.lockPost(trx, input.postId);
        const post = await posts.postWithUnit(trx, input.postId, on);
        if (!post) throw new NotFoundError('post');
        if (post.opened_on > on || (post.closed_on && post.closed_on <= on))
          return refuse('validFrom', 'post_not_open');
        if ((await posts.holdersFrom(trx, post.id, on)).length > 0)
          return refuse('postId', 'post_not_vacant');
        const person = await posts.findPersonName(trx, input.personId);
        if (!person) return refuse('personId', 'person_not_found');

        // Where the quota slot must be: the township's holder, or the department's for a dispatched unit.
        const holder = await quota.holderFor(
          trx,
          post.unit_kind === 'dispatched' && post.department_id
            ? { departmentId: post.department_id }
            : { townshipId },
        );
        if (!holder) return refuse('postId', 'no_quota_holder');
        const slot = await posts.slotOn(trx, input.personId, on);
        let personType: EstablishmentType;
        let newSlotAccount: number | null = null;
        if (slot) {
          if (slot.holder_id !== holder.id) return refuse('personId', 'other_holder');
          personType = slot.establishment_type;
        } else {
          if (!input.establishmentType) return refuse('establishmentType', 'establishment_type_required');
          personType = input.establishmentType;
          newSlotAccount = await quota.ensureAccount(trx, holder.id, personType);
        }
        const typeFit = verdictRefusal(
          'personId',
          checkPlacementType(post.establishment_types, post.cross_type, personType),
        );
        if (typeFit) return typeFit;

        if (newSlotAccount !== null) {
          await quota.lockAccount(trx, newSlotAccount);
          const [usage] = await quota.usage(trx, { accountIds: [newSlotAccount] }, on);
          const room = verdictRefusal(
            'establishmentType',
            checkRoom(holder.name, personType, usage ?? { approved: 0, occupied: 0, reserved: 0 }),
          );
          if (room) return room;
        }

        if (post.leadership_kind) {
          const leaderRank = await posts.leadershipRankOn(trx, input.personId, on);
          const unitRank = (post.unit_id === null ? 'section_chief' : (post.unit_rank ?? 'none')) as Rank;
          const rankFit = verdictRefusal('postId', checkRankFits(unitRank, leaderRank));
          if (rankFit) return rankFit;
          if (post.unit_id === null) {
            await leadership.lockTownshipSlots(trx, townshipId);
            const slots = await leadership.slotsOfTownship(trx, townshipId, on);
            const slotRow = slots.find((s) => s.kind === post.leadership_kind);
            const total = await leadership.totalOn(trx, townshipId, on);
            const leaders = await posts.leadersOn(trx, townshipId, on);
            const countedPeople = new Set(
              leaders.filter((l) => l.counted && l.kind === 'primary').map((l) => l.person_id),
            );
            const room = verdictRefusal(
              'postId',
              checkLeaderRoom(
                {
                  kind: post.leadership_kind,
                  approved: slotRow?.approved ?? 0,
                  filled: slotRow?.holders.length ?? 0,
                  counted: Boolean(post.counted),
                },
                {
                  approved: total?.total ?? 0,
                  countedFilled: countedPeople.has(input.personId)
                    ? countedPeople.size - 1
                    : countedPeople.size,
                },
              ),
            );
            if (room) return room;
          } else {
            await units.lockUnit(trx, post.unit_id);
            const current = await posts.unitLeadersOn(trx, post.unit_id, on);
            const limits = unitLeaderLimits(current.staff, settings.unitDeputyThresholds);
            const head = post.leadership_kind === 'unit_head';
            if (head ? current.heads + 1 > limits.heads : current.deputies + 1 > limits.deputies) {
              return refuse('postId', 'unit_leaders_full', {
                allowed: head ? limits.heads : limits.deputies,
                staff: current.staff,
              });
            }
          }
        }

        const previous = await posts.primaryOn(trx, input.personId, on);
        if (previous) {
          if (previous.valid_from >= on) return refuse('validFrom', 'before_current_post');
          await posts.endAssignment(trx, previous.id, on);
        }
        if (newSlotAccount !== null) {
          await posts.insertSlot(trx, {
            personId: input.personId,
            accountId: newSlotAccount,
            validFrom: on,
            reason: input.reason,
            docNo: input.docNo,
          });
        }
        const assignmentId = await posts.insertAssignment(trx, {
          personId: input.personId,
          postId: input.postId,
          kind: 'primary',
          validFrom: on,
          reason: input.reason,
          docNo: input.docNo,
        });
        await appendAudit(trx, ctx.actor, {
          action: 'placement.recorded',
          entityType: 'assignment',
          entityId: assignmentId,
          before: previous
            ? { postId: previous.post_id, validFrom: previous.valid_from, validTo: previous.valid_to }
            : null,
          after: {
            person: person.name,
            postId: input.postId,
            post: post.name,
            validFrom: on,
            docNo: input.docNo,
            reason: input.reason,
            newQuotaSlot: newSlotAccount !== null ? { holder: holder.name, type: personType } : null,
          },
        });
        await recordResult(trx, input.formKey, { assignmentId });
        return { ok: true, value: { assignmentId } };
      }).catch((err: unknown) => {
        const refusal = constraintRefusal(err, {
          assignments_one_holder_per_post_excl: ['postId', 'post_not_vacant'],
          assignments_one_primary_per_person_excl: ['validFrom', 'person_has_post'],
          quota_slots_one_per_person_excl: ['personId', 'person_has_slot'],
        });
        if (refusal) return refusal;
        throw err;
      });
    },
  };
}

export type PostsService = ReturnType<typeof createPostsService>;
