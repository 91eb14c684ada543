/**
 * Movements family: movement requests in every state with their actions, consistent with the history the
 * people family wrote. Moves inside a township in the last two years are filed internal moves (the default
 * filing-only kind); entries approved ahead of the first day (用编核准) are approved entry requests whose quota
 * reservation ran from approval to the first day; recent exits are filed exits; and a few people in service per
 * township have a cross-township request that is a draft, submitted (at the 编办 or the 组织部), returned,
 * rejected or withdrawn, none of which changes history.
 */

import { at9, iso, YEAR, yearOf } from './days.js';
import type { Person, World } from './world.js';

const EXIT_SUB_KIND = {
  retired: 'retirement',
  transferred_out: 'transfer_out',
  resigned: 'resignation',
  deceased: 'death',
} as const;
const CHAIN = ['establishment_officer', 'county_reviewer'];

export function generateMovements(w: World): Record<string, number> {
  const requests = w.sink.table(
    'movement_requests',
    [
      'id',
      'county_id',
      'from_township_id',
      'to_township_id',
      'kind',
      'sub_kind',
      'person_id',
      'to_post_id',
      'to_establishment_type',
      'effective_on',
      'reason',
      'doc_no',
      'state',
      'chain',
      'stage',
      'version',
      'proposer_user_id',
      'reservation_id',
      'submitted_at',
      'decided_at',
      'created_at',
    ],
    ['people', 'posts', 'users', 'quota_reservations', 'regions'],
  );
  const actions = w.sink.table(
    'movement_actions',
    [
      'id',
      'request_id',
      'action',
      'actor_user_id',
      'actor_role',
      'acted_at',
      'comment',
      'doc_no',
      'from_state',
      'to_state',
    ],
    ['movement_requests', 'users'],
  );
  const reservations = w.sink.table(
    'quota_reservations',
    ['id', 'account_id', 'reserved_on', 'expires_on', 'released_on', 'reason', 'doc_no'],
    ['quota_accounts'],
  );
  const states: Record<string, number> = {};
  const count = (s: string) => {
    states[s] = (states[s] ?? 0) + 1;
  };
  const rng = w.rng.fork('movements');
  const action = (
    requestId: number,
    name: string,
    userId: number,
    role: string,
    day: number,
    from: string | null,
    to: string | null,
    comment = '',
    docNo: string | null = null,
  ) => actions.add([actions.id(), requestId, name, userId, role, at9(day), comment, docNo, from, to]);

  for (const t of w.townships) {
    const c = t.county;
    const officer = t.officerUserId;
    const pending = new Set<Person>();
    for (const p of t.people) {
      // Filed internal moves.
      for (const seg of p.segments.slice(1)) {
        if (seg.from <= w.today - 2 * YEAR) continue;
        const id = requests.id();
        const day = seg.from - 7;
        requests.add([
          id,
          c.id,
          t.id,
          t.id,
          'internal',
          null,
          p.id,
          seg.post.id,
          null,
          iso(seg.from),
          '工作需要',
          null,
          'filed',
          [],
          0,
          2,
          officer,
          null,
          at9(day),
          at9(day),
          at9(day),
        ]);
        action(id, 'submit', officer, 'proposer', day, 'draft', 'filed');
        count('filed');
      }
      // Approved entries with their reservation, released on the first day.
      if (p.reservedFromDay !== null) {
        const first = p.segments[0] as Person['segments'][number];
        const resId = reservations.id();
        const docNo = `${c.abbr}编用〔${yearOf(p.reservedFromDay)}〕${rng.int(1, 99)}号`;
        reservations.add([
          resId,
          p.accountId,
          iso(p.reservedFromDay),
          iso(p.reservedFromDay + 180),
          iso(p.entryDay),
          '用编核准',
          docNo,
        ]);
        const id = requests.id();
        const submitted = p.reservedFromDay - 10;
        requests.add([
          id,
          c.id,
          null,
          t.id,
          'entry',
          'recruitment',
          p.id,
          first.post.id,
          p.type,
          iso(p.entryDay),
          '公开招录',
          docNo,
          'approved',
          CHAIN,
          2,
          4,
          officer,
          resId,
          at9(submitted),
          at9(p.reservedFromDay),
          at9(submitted),
        ]);
        action(id, 'submit', officer, 'proposer', submitted, 'draft', 'submitted');
        action(
          id,
          'approve',
          c.establishmentOfficerUserId,
          'establishment_officer',
          submitted + 5,
          'submitted',
          'submitted',
        );
        action(
          id,
          'approve',
          c.reviewerUserId,
          'county_reviewer',
          p.reservedFromDay,
          'submitted',
          'approved',
          '',
          docNo,
        );
        count('approved');
      }
      // Filed exits.
      if (p.exitDay !== null && p.exitStatus && p.exitDay > w.today - 3 * YEAR) {
        const id = requests.id();
        const day = p.exitDay - 20;
        requests.add([
          id,
          c.id,
          t.id,
          null,
          'exit',
          EXIT_SUB_KIND[p.exitStatus],
          p.id,
          null,
          null,
          iso(p.exitDay),
          '按规定办理',
          null,
          'filed',
          [],
          0,
          2,
          officer,
          null,
          at9(day),
          at9(day),
          at9(day),
        ]);
        action(id, 'submit', officer, 'proposer', day, 'draft', 'filed');
        count('filed');
      }
    }
    // A few cross-township requests in the states that change nothing.
    const destination = c.townships[(c.townships.indexOf(t) + 1) % c.townships.length];
    if (!destination || destination === t) continue;
    const inService = t.people.filter((p) => p.exitDay === null);
    const plan = [
      ['submitted', 0],
      ['submitted', 0],
      ['submitted', 1],
      ['returned', 0],
      ['draft', 0],
      ['rejected', 1],
      ['withdrawn', 0],
    ] as const;
    for (const [state, stage] of plan) {
      const p = rng.pick(inService);
      if (pending.has(p)) continue;
      pending.add(p);
      const post = rng.pick(destination.posts);
      const id = requests.id();
      const created = w.today - rng.int(2, 40);
      const submitted = state === 'draft' ? null : created;
      const decided = state === 'rejected' || state === 'withdrawn' ? created + 1 : null;
      requests.add([
        id,
        c.id,
        t.id,
        destination.id,
        'cross_township',
        null,
        p.id,
        post.id,
        null,
        iso(w.today + rng.int(20, 60)),
        '工作需要',
        null,
        state,
        CHAIN,
        stage,
        1 + stage + (state === 'draft' ? 0 : 1),
        officer,
        null,
        submitted === null ? null : at9(submitted),
        decided === null ? null : at9(decided),
        at9(created),
      ]);
      action(id, 'create', officer, 'proposer', created, null, 'draft');
      if (state !== 'draft') action(id, 'submit', officer, 'proposer', created, 'draft', 'submitted');
      if (stage === 1)
        action(
          id,
          'approve',
          c.establishmentOfficerUserId,
          'establishment_officer',
          created + 1,
          'submitted',
          'submitted',
        );
      if (state === 'returned')
        action(
          id,
          'return',
          c.establishmentOfficerUserId,
          'establishment_officer',
          created + 1,
          'submitted',
          'returned',
          '请补充材料',
        );
      if (state === 'rejected')
        action(
          id,
          'reject',
          c.reviewerUserId,
          'county_reviewer',
          created + 1,
          'submitted',
          'rejected',
          '暂不调整',
        );
      if (state === 'withdrawn')
        action(id, 'withdraw', officer, 'proposer', created + 1, 'submitted', 'withdrawn');
      count(state);
    }
  }
  return states;
}
