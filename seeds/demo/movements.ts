import type { Knex } from 'knex';
import { usage } from '../../src/db/repositories/quota.js';
import { fixedClock } from '../../src/domain/clock.js';
import { addDays } from '../../src/domain/dates.js';
import { makeIdNumber } from '../../src/domain/idNumber.js';
import type { MovementAction } from '../../src/domain/movements.js';
import type { RequestContext } from '../../src/services/access.js';
import { createMovementService, type MovementInput } from '../../src/services/movements/movementService.js';
import { demoContext } from './context.js';

/**
 * Movement requests of every kind in every state (domain guide section 12), made through the movement
 * service as the demo accounts would, so that every request's history rows, reservations and actions are
 * exactly what the app writes. Runs once, right after the demo world is created.
 */
export async function seedDemoMovements(knex: Knex, today: string): Promise<number> {
  if ((await knex('movement_requests').first('id')) !== undefined) return 0;
  const svc = createMovementService({ knex, clock: fixedClock(today) });
  const ctx = (username: string) => demoContext(knex, username);
  const officer = await ctx('officer');
  const officer2 = await ctx('officer2');
  const reviewer = await ctx('zuzhibu');
  const bianban = await ctx('bianban');
  const admin = await ctx('admin');
  const t1 = officer.principal.grants[0]?.regionId as number;
  const t2 = officer2.principal.grants[0]?.regionId as number;
  const county = reviewer.principal.grants[0]?.regionId as number;
  const others = await knex('regions')
    .where({ parent_id: county, kind: 'township' })
    .whereNotIn('id', [t1, t2])
    .orderBy('sort_order')
    .select('id');
  const t3 = others[0]?.id as number;
  const t4 = others[1]?.id as number;

  const used = new Set<number>();
  /** A person of the township in an office post with an administrative slot, not used yet. */
  const personIn = async (
    townshipId: number,
    unitKind: 'office' | 'station' | 'dispatched' = 'office',
    types: string[] = unitKind === 'station' ? ['institutional'] : ['administrative'],
  ) => {
    const row = await knex('assignments as a')
      .join('posts as p', 'p.id', 'a.post_id')
      .join('units as u', 'u.id', 'p.unit_id')
      .join('quota_slots as s', 's.person_id', 'a.person_id')
      .join('quota_accounts as qa', 'qa.id', 's.account_id')
      .where({ 'p.township_id': townshipId, 'a.kind': 'primary', 'u.kind': unitKind })
      .whereIn('qa.establishment_type', types)
      .whereNull('a.superseded_at')
      .whereNull('a.valid_to')
      .whereNull('s.valid_to')
      .whereNull('s.superseded_at')
      .whereNull('p.leadership_kind')
      .whereNotIn('a.person_id', [...used, 0])
      .whereNotExists(
        knex('assignments as c').whereRaw(
          "c.person_id = a.person_id AND c.kind <> 'primary' AND c.superseded_at IS NULL AND (c.valid_to IS NULL OR c.valid_to > ?)",
          [today],
        ),
      )
      .orderBy('a.person_id')
      .first('a.person_id', 'a.post_id', 'qa.establishment_type');
    if (!row) throw new Error(`demo movements: nobody to move in township ${townshipId}`);
    used.add(row.person_id);
    return {
      id: row.person_id as number,
      postId: row.post_id as number,
      type: row.establishment_type as string,
    };
  };
  const takenPosts = new Set<number>();
  /** A vacant post of a township taking the type, not used yet. */
  const vacantPost = async (townshipId: number, type: string, unitKind?: string) => {
    const q = knex('posts as p')
      .leftJoin('units as u', 'u.id', 'p.unit_id')
      .where('p.township_id', townshipId)
      .whereNull('p.closed_on')
      .whereNull('p.leadership_kind')
      .whereRaw('? = ANY(p.establishment_types)', [type])
      .whereNotExists(
        knex('assignments as a').whereRaw(
          'a.post_id = p.id AND a.superseded_at IS NULL AND (a.valid_to IS NULL OR a.valid_to > ?)',
          [today],
        ),
      )
      .whereNotIn('p.id', [...takenPosts, 0])
      .orderBy('p.id');
    if (unitKind) q.where('u.kind', unitKind);
    const row = await q.first('p.id');
    if (!row) throw new Error(`demo movements: no vacant ${type} post in township ${townshipId}`);
    takenPosts.add(row.id);
    return row.id as number;
  };
  /** The first township of the county (after the two demo officers') with a vacant post of the type. */
  const somewhereVacant = async (type: string, unitKind?: string) => {
    for (const t of others.map((o) => o.id as number)) {
      const [u] = (await usage(knex, { townshipIds: [t] }, today)).filter(
        (x) => x.establishmentType === type,
      );
      if (!u || u.occupied + u.reserved + 1 > u.approved) continue;
      try {
        return { townshipId: t, postId: await vacantPost(t, type, unitKind) };
      } catch {
        // try the next township
      }
    }
    throw new Error(`demo movements: no vacant ${type} post in the county`);
  };
  const input = (over: Partial<MovementInput>): MovementInput => ({
    kind: 'internal',
    subKind: null,
    personId: 0,
    toPostId: null,
    toEstablishmentType: null,
    effectiveOn: today,
    plannedUntil: null,
    reason: '工作需要',
    docNo: null,
    correctsId: null,
    formKey: crypto.randomUUID(),
    ...over,
  });
  const must = <T>(r: { ok: true; value: T } | { ok: false; code: string }): T => {
    if (!r.ok) throw new Error(`demo movements: ${r.code}`);
    return r.value;
  };
  const decide = async (
    who: RequestContext,
    id: number,
    action: MovementAction,
    comment = '',
    docNo: string | null = null,
  ) => {
    const row = await knex('movement_requests').where({ id }).first('version');
    return must(await svc.decide(who, id, { action, comment, docNo, version: row.version }));
  };
  let count = 0;
  const file = async (who: RequestContext, m: Partial<MovementInput>) => {
    count += 1;
    return must(await svc.create(who, input(m))).id;
  };

  // 镇内调配, filed two months ago (备案).
  {
    const p = await personIn(t1);
    await file(officer, {
      kind: 'internal',
      personId: p.id,
      toPostId: await vacantPost(t1, p.type, 'office'),
      effectiveOn: addDays(today, -60),
      reason: '岗位调整',
      docNo: '城组〔2026〕5号',
    });
  }
  // 跨乡镇调动, approved and in effect.
  {
    const p = await personIn(t1);
    const id = await file(officer, {
      kind: 'cross_township',
      personId: p.id,
      toPostId: await vacantPost(t2, p.type),
      effectiveOn: addDays(today, -30),
      reason: '交流任职',
      docNo: '城组〔2026〕6号',
    });
    await decide(reviewer, id, 'approve', '同意调动', '示组干〔2026〕41号');
  }
  // 跨乡镇调动, approved, effective on the first of next year (reserved until then).
  {
    const p = await personIn(t2);
    const id = await file(officer2, {
      kind: 'cross_township',
      personId: p.id,
      toPostId: await vacantPost(t1, p.type),
      effectiveOn: `${Number(today.slice(0, 4)) + 1}-01-01`,
      reason: '交流任职',
      docNo: '青组〔2026〕3号',
    });
    await decide(reviewer, id, 'approve', '同意，明年初到岗', '示组干〔2026〕42号');
  }
  // Waiting in the county inbox.
  {
    const p = await personIn(t3);
    await file(admin, {
      kind: 'cross_township',
      personId: p.id,
      toPostId: await vacantPost(t1, p.type),
      effectiveOn: addDays(today, 30),
      reason: '加强一线力量',
      docNo: '示组〔2026〕8号',
    });
  }
  // Returned for changes, rejected, withdrawn.
  {
    const p = await personIn(t2);
    const id = await file(officer2, {
      kind: 'secondment',
      personId: p.id,
      toPostId: await vacantPost(t3, p.type),
      effectiveOn: addDays(today, 14),
      plannedUntil: addDays(today, 14 + 180),
      reason: '借调参与项目建设',
    });
    await decide(reviewer, id, 'return', '请补充借调期间的工作安排和派出单位意见');
  }
  {
    const p = await personIn(t4);
    const id = await file(admin, {
      kind: 'cross_township',
      personId: p.id,
      toPostId: await vacantPost(t3, p.type),
      effectiveOn: addDays(today, 20),
      reason: '个人申请',
    });
    await decide(reviewer, id, 'reject', '该同志任现职不满一年，暂不调动');
  }
  {
    const p = await personIn(t3);
    const id = await file(admin, {
      kind: 'cross_township',
      personId: p.id,
      toPostId: await vacantPost(t4, p.type),
      effectiveOn: addDays(today, 20),
      reason: '工作需要',
    });
    await decide(admin, id, 'withdraw', '情况有变，撤回');
  }
  // A secondment approved and running.
  {
    const p = await personIn(t2);
    // To a dispatched unit (司法所): the township party committee's written opinion comes first.
    const id = await file(officer2, {
      kind: 'secondment',
      personId: p.id,
      toPostId: await vacantPost(t1, p.type, 'dispatched'),
      effectiveOn: addDays(today, -45),
      plannedUntil: addDays(today, 120),
      reason: '借调至城关镇司法所协助人民调解工作',
    });
    must(
      await svc.recordOpinion(officer2, id, {
        givenOn: addDays(today, -50),
        docNo: '青党〔2026〕9号',
        text: '经镇党委会议研究，同意借调。',
      }),
    );
    await decide(reviewer, id, 'approve', '同意借调', '示组干〔2026〕43号');
  }
  // Entry: one waiting for the establishment office (用编核准), one past it and waiting for the county.
  for (const [stage, name] of [
    [0, '新录用人员甲'],
    [1, '新录用人员乙'],
  ] as const) {
    const where = await somewhereVacant('administrative', 'office');
    const birthDate = `1998-0${stage + 1}-15`;
    const [row] = await knex('people')
      .insert({
        id_number: makeIdNumber('990101', birthDate, 901 + stage * 2, 'male'),
        name,
        gender: 'male',
        birth_date: birthDate,
        political_status: 'youth_league',
        registered_township_id: where.townshipId,
      })
      .returning('id');
    const personId = (row as { id: number }).id;
    const id = await file(admin, {
      kind: 'entry',
      subKind: 'recruitment',
      personId,
      toPostId: where.postId,
      toEstablishmentType: 'administrative',
      effectiveOn: addDays(today, 40),
      reason: '2026年度公务员考试录用',
      docNo: '示人社〔2026〕12号',
    });
    if (stage === 1) await decide(bianban, id, 'approve', '同意使用行政编制1名', '示编核〔2026〕7号');
  }
  // Exit: a retirement filed for next spring.
  {
    const p = await personIn(t2, 'station');
    await file(officer2, {
      kind: 'exit',
      subKind: 'retirement',
      personId: p.id,
      effectiveOn: addDays(today, 100),
      reason: '到龄退休',
      docNo: '青人〔2026〕2号',
    });
  }
  // Type change waiting for the establishment office.
  {
    const p = await personIn(t2, 'station');
    await file(officer2, {
      kind: 'type_change',
      personId: p.id,
      toEstablishmentType: p.type === 'institutional' ? 'civil_service_institutional' : 'institutional',
      effectiveOn: addDays(today, 60),
      reason: '参照公务员法管理转任',
    });
  }
  // A batch: two people swap posts inside the township under one 文号 (each post is vacated and filled inside
  // the batch); the county's filing-only rule makes it need no approval, so it is filed when submitted.
  {
    const a = await personIn(t1, 'office', ['civil_service_institutional', 'administrative']);
    const b = await personIn(t1, 'office', [a.type]);
    const members = [
      input({
        kind: 'internal',
        personId: a.id,
        toPostId: b.postId,
        effectiveOn: addDays(today, 21),
        reason: '干部轮岗',
      }),
      input({
        kind: 'internal',
        personId: b.id,
        toPostId: a.postId,
        effectiveOn: addDays(today, 21),
        reason: '干部轮岗',
      }),
    ];
    const batch = must(
      await svc.createBatch(officer, {
        title: '2026年第二批干部轮岗交流',
        docNo: '城组〔2026〕12号',
        members,
        formKey: crypto.randomUUID(),
      }),
    );
    must(await svc.decideBatch(officer, batch.batchId, { action: 'submit', comment: '', docNo: null }));
    count += members.length;
  }
  // A cross-type placement (同岗不同编): an institutional station worker in an office post, approved by the county.
  {
    const where = await somewhereVacant('administrative', 'office');
    const p = await personIn(where.townshipId, 'station');
    const id = await file(admin, {
      kind: 'cross_type',
      personId: p.id,
      toPostId: where.postId,
      effectiveOn: addDays(today, -10),
      reason: '综合文字工作需要，跨编制使用',
    });
    await decide(reviewer, id, 'approve', '同意跨编制使用，纳入同岗不同编统计', '示组干〔2026〕44号');
  }
  // A batch still being drafted (not submitted yet).
  {
    const a = await personIn(t2);
    const b = await personIn(t2);
    const members = [
      input({
        kind: 'cross_township',
        personId: a.id,
        toPostId: await vacantPost(t3, a.type),
        effectiveOn: addDays(today, 45),
        reason: '干部交流',
      }),
      input({
        kind: 'cross_township',
        personId: b.id,
        toPostId: await vacantPost(t3, b.type),
        effectiveOn: addDays(today, 45),
        reason: '干部交流',
      }),
    ];
    must(
      await svc.createBatch(officer2, {
        title: '2027年首批干部交流（草稿）',
        docNo: '青组〔2026〕15号',
        members,
        formKey: crypto.randomUUID(),
      }),
    );
    count += members.length;
  }
  return count;
}
