/**
 * Establishment family: quota holders and accounts (townships and county departments), units with their
 * versions and establishing decision, posts on the seed report's standard township (domain guide section 3)
 * with more staff posts per unit at larger scales, leadership slot accounts, decisions and totals, and (after
 * the people family has placed everyone) the quota decisions, each at least the most people ever counted
 * against the account in its period, so quota is never over.
 */

import { LEADER_SEATS, UNIT_TEMPLATE } from '../../seeds/demo/catalog.js';
import { leadershipKinds } from '../../seeds/reference.js';
import { iso, YEAR } from './days.js';
import type { Category, EstablishmentType, Post, World } from './world.js';

const TYPES: EstablishmentType[] = ['administrative', 'civil_service_institutional', 'institutional'];
/** Team seats left out: the temporary poverty office deputy and the concurrent-only 政法委员 need no seat. */
const SKIPPED_KINDS = new Set(['poverty_office_deputy', 'political_legal_member']);
const KIND = new Map(leadershipKinds.map((k) => [k[0] as string, { counted: k[3] as boolean }]));

/** Staff posts per template post, so that about 88% of the people a township has are in a post now. */
export function staffMultiplier(peoplePerTownship: number): number {
  const teamAndHeads = LEADER_SEATS.filter((s) => !SKIPPED_KINDS.has(s.kind)).length + UNIT_TEMPLATE.length;
  const staff = UNIT_TEMPLATE.reduce((n, u) => n + u.staff.length, 0);
  return Math.max(1, Math.round((0.88 * peoplePerTownship - teamAndHeads) / staff));
}

/** The day units, posts and the first decisions start: before anyone's history. */
export const structureDay = (w: World) => w.today - 16 * YEAR;

export function generateEstablishment(w: World): void {
  const s = w.sink;
  const holders = s.table(
    'quota_holders',
    ['id', 'township_id', 'department_id'],
    ['regions', 'county_departments'],
  );
  const accounts = s.table('quota_accounts', ['id', 'holder_id', 'establishment_type'], ['quota_holders']);
  const unitDecisions = s.table(
    'unit_decisions',
    ['id', 'township_id', 'kind', 'effective_on', 'doc_no', 'summary'],
    ['regions'],
  );
  const units = s.table(
    'units',
    [
      'id',
      'township_id',
      'kind',
      'department_id',
      'established_on',
      'established_doc_no',
      'sort_order',
      'established_decision_id',
    ],
    ['regions', 'county_departments', 'unit_decisions'],
  );
  const versions = s.table(
    'unit_versions',
    ['id', 'unit_id', 'township_id', 'decision_id', 'valid_from', 'name', 'alias_names', 'rank', 'featured'],
    ['units'],
  );
  const posts = s.table(
    'posts',
    [
      'id',
      'township_id',
      'unit_id',
      'name',
      'category',
      'leadership_kind',
      'establishment_types',
      'grade_low',
      'grade_high',
      'opened_on',
      'doc_no',
      'sort_order',
    ],
    ['units'],
  );
  const slotAccounts = s.table('leadership_slot_accounts', ['id', 'township_id', 'kind_code'], ['regions']);
  const slotDecisions = s.table(
    'leadership_slot_decisions',
    ['id', 'account_id', 'slot_count', 'rank', 'counted', 'effective_from', 'doc_no', 'change_summary'],
    ['leadership_slot_accounts'],
  );
  const totals = s.table(
    'leadership_total_decisions',
    ['id', 'township_id', 'total', 'effective_from', 'doc_no', 'change_summary'],
    ['regions'],
  );

  const from = iso(structureDay(w));
  const fromYear = from.slice(0, 4);
  const multiplier = staffMultiplier(w.scale.peoplePerTownship);
  const team = LEADER_SEATS.filter((seat) => !SKIPPED_KINDS.has(seat.kind));

  for (const county of w.counties) {
    for (const d of county.departments) {
      d.holderId = holders.id();
      holders.add([d.holderId, null, d.id]);
      const type: EstablishmentType = d.code === 'cz' ? 'civil_service_institutional' : 'administrative';
      const accountId = accounts.id();
      accounts.add([accountId, d.holderId, type]);
      d.accounts.set(type, accountId);
    }
    const docEstablishment = `${county.abbr}编发〔${fromYear}〕1号`;
    const docLeadership = `${county.abbr}组发〔${fromYear}〕2号`;

    for (const t of county.townships) {
      t.holderId = holders.id();
      holders.add([t.holderId, t.id, null]);
      for (const type of TYPES) {
        const id = accounts.id();
        accounts.add([id, t.holderId, type]);
        t.accounts.set(type, id);
      }
      const town = t.kind === 'town';
      let sort = 10;
      const addPost = (
        unitId: number | null,
        name: string,
        category: Category,
        leadershipKind: string | null,
        types: EstablishmentType[],
        accountId: number,
        group: string,
        role: Post['role'],
        grade: [string | null, string | null],
      ) => {
        const p: Post = {
          id: posts.id(),
          township: t,
          unitId,
          name,
          category,
          leadershipKind,
          types,
          accountId,
          group,
          role,
          gradeLow: grade[0],
          gradeHigh: grade[1],
          occupancy: [],
        };
        posts.add([
          p.id,
          t.id,
          unitId,
          name,
          category,
          leadershipKind,
          types,
          grade[0],
          grade[1],
          from,
          docEstablishment,
          sort,
        ]);
        sort += 10;
        t.posts.push(p);
        return p;
      };

      // The leadership team (unit_id NULL) and its slots: one seat per slot, so L1 and L2 hold by construction.
      const slotCounts = new Map<string, { count: number; rank: string }>();
      for (const seat of team) {
        const chief = seat.level === 3;
        addPost(
          null,
          town ? seat.town : seat.subdistrict,
          'leadership',
          seat.kind,
          ['administrative'],
          t.accounts.get('administrative') as number,
          chief ? 'team-chief' : 'team-deputy',
          chief ? 'chief' : 'deputy',
          chief ? ['township_chief', 'township_chief'] : ['township_deputy', 'township_deputy'],
        );
        const c = slotCounts.get(seat.kind) ?? { count: 0, rank: chief ? 'section_chief' : 'deputy_section' };
        c.count++;
        slotCounts.set(seat.kind, c);
      }
      let counted = 0;
      for (const [kind, c] of slotCounts) {
        const accountId = slotAccounts.id();
        slotAccounts.add([accountId, t.id, kind]);
        const isCounted = KIND.get(kind)?.counted ?? true;
        if (isCounted) counted += c.count;
        slotDecisions.add([
          slotDecisions.id(),
          accountId,
          c.count,
          c.rank,
          isCounted,
          from,
          docLeadership,
          `${c.count}名`,
        ]);
      }
      totals.add([totals.id(), t.id, counted, from, docLeadership, `领导职数${counted}名`]);

      // Units: one establishing decision for the township's whole structure.
      const decisionId = unitDecisions.id();
      unitDecisions.add([decisionId, t.id, 'establish', from, docEstablishment, '乡镇机构设置']);
      UNIT_TEMPLATE.forEach((def, u) => {
        const unitId = units.id();
        const department = def.department ? county.departments.find((d) => d.code === def.department) : null;
        units.add([
          unitId,
          t.id,
          def.kind,
          department?.id ?? null,
          from,
          docEstablishment,
          (u + 1) * 10,
          decisionId,
        ]);
        versions.add([versions.id(), unitId, t.id, decisionId, from, def.name, def.aliases, def.rank, false]);
        const typesOf = (types: EstablishmentType[] | 'finance'): EstablishmentType[] =>
          types === 'finance' ? ['civil_service_institutional'] : types;
        const accountFor = (type: EstablishmentType) =>
          (department ? department.accounts.get(type) : t.accounts.get(type)) as number;
        const headTypes = typesOf(def.head.types);
        const headType = headTypes[0] as EstablishmentType;
        const ladderGroup = (category: Category, type: EstablishmentType) =>
          `${department ? `d${def.code}` : 't'}:${type}:${category === 'professional' ? 'pro' : category === 'management' ? 'mgmt' : 'cs'}`;
        addPost(
          unitId,
          def.head.name,
          'leadership',
          'unit_head',
          headTypes,
          accountFor(headType),
          ladderGroup(headType === 'institutional' ? 'management' : 'civil_service', headType),
          'head',
          [null, null],
        );
        for (let m = 0; m < multiplier; m++) {
          for (const staff of def.staff) {
            const types = typesOf(staff.types);
            const type = types[0] as EstablishmentType;
            const category: Category = staff.category === 'finance' ? 'civil_service' : staff.category;
            addPost(
              unitId,
              staff.name,
              category,
              null,
              types,
              accountFor(type),
              ladderGroup(category, type),
              'staff',
              [null, null],
            );
          }
        }
      });
    }
  }
}

/**
 * Quota decisions: one from the structure day and one from the county's reform day, each approving at least
 * the most people ever counted on the account in its period (a sweep over entries and exits), plus a margin
 * so a few places stay vacant.
 */
export function generateQuotaDecisions(w: World): void {
  const decisions = w.sink.table(
    'quota_decisions',
    ['id', 'account_id', 'approved_count', 'effective_from', 'doc_no', 'change_summary'],
    ['quota_accounts'],
  );
  const rng = w.rng.fork('quota');
  const start = structureDay(w);
  // account id → events [day, +1/-1]
  const events = new Map<number, Array<[number, number]>>();
  for (const p of w.people) {
    let list = events.get(p.accountId);
    if (!list) {
      list = [];
      events.set(p.accountId, list);
    }
    list.push([p.reservedFromDay ?? p.entryDay, 1]);
    if (p.exitDay !== null) list.push([p.exitDay, -1]);
  }
  const countyOfAccount = new Map<number, { abbr: string; reformDay: number }>();
  for (const c of w.counties) {
    for (const t of c.townships) for (const id of t.accounts.values()) countyOfAccount.set(id, c);
    for (const d of c.departments) for (const id of d.accounts.values()) countyOfAccount.set(id, c);
  }
  for (const [accountId, county] of countyOfAccount) {
    const list = (events.get(accountId) ?? []).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let now = 0;
    let maxBefore = 0;
    let maxAfter = 0;
    for (const [d, delta] of list) {
      now += delta;
      if (d < county.reformDay) maxBefore = Math.max(maxBefore, now);
      else maxAfter = Math.max(maxAfter, now);
    }
    // Whoever is counted on the reform day counts after it too.
    let atReform = 0;
    for (const [d, delta] of list) if (d < county.reformDay) atReform += delta;
    maxAfter = Math.max(maxAfter, atReform);
    const first = maxBefore + rng.int(0, 2);
    const second = maxAfter + rng.int(1, 3);
    const year = iso(county.reformDay).slice(0, 4);
    decisions.add([
      decisions.id(),
      accountId,
      first,
      iso(start),
      `${county.abbr}编发〔${iso(start).slice(0, 4)}〕1号`,
      `核定${first}名`,
    ]);
    decisions.add([
      decisions.id(),
      accountId,
      second,
      iso(county.reformDay),
      `${county.abbr}编发〔${year}〕8号`,
      `调整为${second}名`,
    ]);
  }
}
