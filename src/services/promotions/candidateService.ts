import type { Knex } from 'knex';
import type { Scope } from '../../auth/principal.js';
import * as careers from '../../db/repositories/careers.js';
import {
  loadEligibilityInputsForTownships,
  loadEligibilityRules,
} from '../../db/repositories/eligibilityInputs.js';
import { slotsOfTownships } from '../../db/repositories/leadership.js';
import { rosterOfTownship } from '../../db/repositories/people.js';
import * as repo from '../../db/repositories/promotions.js';
import * as regions from '../../db/repositories/regions.js';
import {
  type AvoidanceConflict,
  avoidanceConflicts,
  type CandidateEntry,
  classifyCandidates,
  type FamilyLink,
  parseSeatKey,
  postSeatKey,
  type Seat,
  type SeatLeader,
  type SeatRank,
  seatTarget,
  slotSeatKey,
} from '../../domain/candidates.js';
import { compareTargets, HORIZONS, type Horizon, horizonOf } from '../../domain/career.js';
import type { Clock } from '../../domain/clock.js';
import {
  assessEligibility,
  type EligibilityInput,
  type EligibilityResult,
  type EligibilityRules,
  type GradeLevelInfo,
} from '../../domain/eligibility/index.js';
import { NotFoundError } from '../../errors.js';
import { assertTownshipVisible, countyVisible } from '../access.js';

export interface CandidatePerson {
  personId: number;
  name: string;
  townshipId: number;
  postName: string | null;
  unitName: string | null;
}

export type SeatCounts = Record<Horizon, number>;

const RANKS: readonly SeatRank[] = ['deputy_section', 'section_chief'];

/**
 * Candidates for vacant 副科/正科 seats and for the next rank (section 8): the vacant seats of townships, and for
 * a seat the people in scope per horizon with the engine's explanation and the avoidance check. Set-based: the
 * engine runs once over everyone concerned (a fixed number of queries whatever the number of people).
 */
export function createCandidateService(deps: { knex: Knex; clock: Clock }) {
  // The date asked about is a parameter of every read; the clock stays for future defaults.
  const { knex } = deps;

  /** Vacant seats of townships on a date, set-based: a fixed number of queries whatever the number of townships. */
  async function seatsOf(townshipIds: readonly number[], asOf: string) {
    const [party, slots, seatsBy] = await Promise.all([
      repo.partyPostKinds(knex),
      slotsOfTownships(knex, townshipIds, asOf),
      careers.townshipsSeats(knex, townshipIds, asOf),
    ]);
    const seats = townshipIds.map(
      (id) => seatsBy.get(id) as Awaited<ReturnType<typeof careers.townshipSeats>>,
    );
    const unitIds = seats.flatMap((s) => s.posts.map((p) => p.unitId).filter((u): u is number => u !== null));
    const [kinds, leadersByUnit] = await Promise.all([
      repo.unitKinds(knex, unitIds),
      repo.unitLeaders(knex, unitIds, asOf),
    ]);
    const out = new Map<number, { seats: Seat[]; totalFull: boolean; principals: SeatLeader[] }>();
    townshipIds.forEach((townshipId, i) => {
      const s = seats[i]!;
      const list: Seat[] = [];
      for (const slot of s.slots) {
        if (!RANKS.includes(slot.rank as SeatRank)) continue;
        list.push({
          key: slotSeatKey(slot.kind),
          kind: 'slot',
          rank: slot.rank as SeatRank,
          leadershipKind: slot.kind,
          nameZh: slot.nameZh,
          nameEn: slot.nameEn,
          vacant: slot.vacant,
          partyPost: party.has(slot.kind),
          postId: null,
          unitId: null,
          unitName: null,
          unitKind: null,
        });
      }
      for (const post of s.posts) {
        if (post.leadershipKind !== 'unit_head' || !RANKS.includes(post.unitRank as SeatRank)) continue;
        list.push({
          key: postSeatKey(post.postId),
          kind: 'unit_head',
          rank: post.unitRank as SeatRank,
          leadershipKind: 'unit_head',
          nameZh: post.name,
          nameEn: post.name,
          vacant: 1,
          partyPost: false,
          postId: post.postId,
          unitId: post.unitId,
          unitName: post.unitName,
          unitKind: post.unitId === null ? null : (kinds.get(post.unitId) ?? null),
        });
      }
      const principals = (slots.get(townshipId) ?? [])
        .filter((x) => x.rank === 'section_chief')
        .flatMap((x) => x.holders.map((h) => ({ personId: h.personId, name: h.name, role: x.kind })));
      out.set(townshipId, { seats: list, totalFull: s.totalFull, principals });
    });
    return { byTownship: out, leadersByUnit };
  }

  /** The engine over everyone of the townships (once), in service on the date; the party-post variant lazily. */
  async function engineOver(townshipIds: readonly number[], asOf: string) {
    const [rules, inputs, members, names] = await Promise.all([
      loadEligibilityRules(knex, asOf),
      loadEligibilityInputsForTownships(knex, townshipIds, asOf),
      repo.membersOfTownships(knex, townshipIds, asOf),
      careers.referenceNames(knex),
    ]);
    const active = await repo.activePeople(
      knex,
      members.map((m) => m.personId),
      asOf,
    );
    const seen = new Set<number>();
    const people = members.filter((m) => {
      if (!active.has(m.personId) || seen.has(m.personId) || !inputs.has(m.personId)) return false;
      seen.add(m.personId);
      return true;
    });
    const cache = new Map<string, Map<number, EligibilityResult[]>>();
    const results = (partyPost: boolean) => {
      const key = partyPost ? 'party' : 'plain';
      let hit = cache.get(key);
      if (!hit) {
        hit = new Map();
        for (const p of people)
          hit.set(
            p.personId,
            assessEligibility(inputs.get(p.personId) as EligibilityInput, rules, asOf, { partyPost }),
          );
        cache.set(key, hit);
      }
      return hit;
    };
    const resultFor = (personId: number, target: string, partyPost = false) =>
      results(partyPost)
        .get(personId)
        ?.find((r) => r.target === target);
    return { rules, people, names, resultFor };
  }

  /** The townships whose people are "in scope" for a seat of a township: the county's for county roles. */
  async function poolTownships(scope: Scope, townshipId: number): Promise<number[]> {
    const township = await regions.findRegion(knex, townshipId, 'township');
    if (!township) throw new NotFoundError('township');
    const countyId = township.parentId as number;
    if (scope.all || scope.fullCountyIds.has(countyId))
      return (await regions.childRegions(knex, countyId)).map((t) => t.id);
    return [townshipId];
  }

  const countsOf = (entries: ReadonlyArray<CandidateEntry<unknown>>, asOf: string): SeatCounts => {
    const h = classifyCandidates(entries, asOf);
    return Object.fromEntries(HORIZONS.map((k) => [k, h[k].length])) as SeatCounts;
  };

  function seatEntries(
    seat: Seat,
    engine: Awaited<ReturnType<typeof engineOver>>,
    leaders: readonly SeatLeader[],
    links: readonly FamilyLink[],
  ): Array<CandidateEntry<(typeof engine.people)[number]>> {
    const target = seatTarget(seat.rank, engine.rules.grades);
    if (!target) return [];
    const out: Array<CandidateEntry<(typeof engine.people)[number]>> = [];
    for (const p of engine.people) {
      const result = engine.resultFor(p.personId, target.code, seat.partyPost);
      if (!result) continue;
      out.push({ person: p, result, avoidance: avoidanceConflicts(p.personId, links, leaders) });
    }
    return out;
  }

  const leadersOf = (
    seat: Seat,
    principals: readonly SeatLeader[],
    byUnit: ReadonlyMap<number, SeatLeader[]>,
  ): SeatLeader[] => [...principals, ...(seat.unitId === null ? [] : (byUnit.get(seat.unitId) ?? []))];

  return {
    /** Grade and sanction names in both languages, for messages. */
    referenceNames: () => careers.referenceNames(knex),

    /** The vacant seats of a township, each with how many candidates are eligible now / within 6 / 12 months. */
    async townshipVacancies(scope: Scope, townshipId: number, asOf: string) {
      const township = await regions.findRegion(knex, townshipId, 'township');
      if (!township) throw new NotFoundError('township');
      assertTownshipVisible(scope, townshipId);
      const pool = await poolTownships(scope, townshipId);
      const [{ byTownship, leadersByUnit }, engine, path] = await Promise.all([
        seatsOf([townshipId], asOf),
        engineOver(pool, asOf),
        regions.regionPath(knex, townshipId),
      ]);
      const t = byTownship.get(townshipId)!;
      const allLeaders = t.seats.flatMap((s) => leadersOf(s, t.principals, leadersByUnit));
      const links = await repo.familyLinksOf(
        knex,
        allLeaders.map((l) => l.personId),
      );
      return {
        township,
        path,
        asOf,
        totalFull: t.totalFull,
        seats: t.seats.map((seat) => ({
          seat,
          target: seatTarget(seat.rank, engine.rules.grades)?.code ?? null,
          counts: countsOf(
            seatEntries(seat, engine, leadersOf(seat, t.principals, leadersByUnit), links),
            asOf,
          ),
        })),
      };
    },

    /** One vacant seat with its candidates per horizon, their explanations and avoidance conflicts. */
    async seatCandidates(scope: Scope, townshipId: number, seatKey: string, asOf: string) {
      const township = await regions.findRegion(knex, townshipId, 'township');
      if (!township) throw new NotFoundError('township');
      assertTownshipVisible(scope, townshipId);
      if (!parseSeatKey(seatKey)) throw new NotFoundError('seat');
      const pool = await poolTownships(scope, townshipId);
      const [{ byTownship, leadersByUnit }, engine, path, roster] = await Promise.all([
        seatsOf([townshipId], asOf),
        engineOver(pool, asOf),
        regions.regionPath(knex, townshipId),
        rosterOfTownship(knex, townshipId, asOf),
      ]);
      const t = byTownship.get(townshipId)!;
      const seat = t.seats.find((s) => s.key === seatKey);
      if (!seat) throw new NotFoundError('seat');
      const leaders = leadersOf(seat, t.principals, leadersByUnit);
      const links = await repo.familyLinksOf(
        knex,
        leaders.map((l) => l.personId),
      );
      const posts = new Map(roster.map((r) => [r.id, r]));
      const townshipNames = new Map((await regions.findRegions(knex, pool)).map((r) => [r.id, r.name]));
      const entries = seatEntries(seat, engine, leaders, links).map((e) => ({
        ...e,
        person: {
          ...e.person,
          townshipName: townshipNames.get(e.person.townshipId) ?? '',
          postName: posts.get(e.person.personId)?.postName ?? null,
          unitName: posts.get(e.person.personId)?.unitName ?? null,
        },
      }));
      return {
        township,
        path,
        asOf,
        seat,
        totalFull: t.totalFull,
        target: seatTarget(seat.rank, engine.rules.grades) ?? null,
        leaders,
        horizons: classifyCandidates(entries, asOf),
        names: engine.names,
        countyWide: pool.length > 1,
      };
    },

    /**
     * Candidates for a target grade in a township (the API's `target` = a grade code): per horizon, over the
     * people in scope. Leadership targets carry no avoidance here (that needs a seat: pass its key instead).
     */
    async targetCandidates(scope: Scope, townshipId: number, target: string, asOf: string) {
      const township = await regions.findRegion(knex, townshipId, 'township');
      if (!township) throw new NotFoundError('township');
      assertTownshipVisible(scope, townshipId);
      const pool = await poolTownships(scope, townshipId);
      const engine = await engineOver(pool, asOf);
      const entries: Array<CandidateEntry<(typeof engine.people)[number]>> = [];
      for (const p of engine.people) {
        const result = engine.resultFor(p.personId, target);
        if (result) entries.push({ person: p, result, avoidance: [] as AvoidanceConflict[] });
      }
      return { township, asOf, target, horizons: classifyCandidates(entries, asOf), names: engine.names };
    },

    /**
     * The people the plan form offers for a target rank: everyone in scope (a township officer's townships, a
     * county's for county roles; the administrator names the county) whom the engine finds eligible for it on
     * the date, without an open rank promotion, in surname-stroke order. One engine run.
     */
    async eligibleFor(scope: Scope, target: string, asOf: string, countyId: number | null) {
      let townshipIds: number[];
      if (scope.all) {
        if (countyId === null) return { people: [], countyNeeded: true };
        townshipIds = (await regions.childRegions(knex, countyId)).map((t) => t.id);
      } else {
        townshipIds = [...scope.townshipIds];
        if (countyId !== null) {
          const inCounty = new Set((await regions.childRegions(knex, countyId)).map((t) => t.id));
          townshipIds = townshipIds.filter((id) => inCounty.has(id));
        }
      }
      if (townshipIds.length === 0) return { people: [], countyNeeded: false };
      const [engine, open, names] = await Promise.all([
        engineOver(townshipIds, asOf),
        knex('rank_promotions')
          .whereIn('state', ['planned', 'recommended', 'reviewed', 'in_publicity', 'approved'])
          .whereRaw('township_id = any(?::int[])', [townshipIds])
          .pluck('person_id'),
        regions.findRegions(knex, townshipIds),
      ]);
      const busy = new Set<number>(open as number[]);
      const townshipName = new Map(names.map((r) => [r.id, r.name]));
      return {
        countyNeeded: false,
        people: engine.people
          .filter((p) => !busy.has(p.personId) && engine.resultFor(p.personId, target)?.eligible === true)
          .map((p) => ({
            personId: p.personId,
            name: p.name,
            township: townshipName.get(p.townshipId) ?? '',
          })),
      };
    },

    /**
     * The county view: vacant 副科/正科 seats per township with candidate counts, and per rank target (next civil
     * service rank, 八级/七级 management levels) how many are eligible now / within 6 / 12 months. One engine run.
     */
    async countyOverview(scope: Scope, countyId: number, asOf: string) {
      const county = await regions.findRegion(knex, countyId, 'county');
      if (!county || !countyVisible(scope, countyId)) throw new NotFoundError('county');
      const townships = (await regions.childRegions(knex, countyId)).filter(
        (t) => scope.all || scope.townshipIds.has(t.id),
      );
      if (townships.length === 0) throw new NotFoundError('county');
      const ids = townships.map((t) => t.id);
      const countyWide = scope.all || scope.fullCountyIds.has(countyId);
      const [{ byTownship, leadersByUnit }, engine] = await Promise.all([
        seatsOf(ids, asOf),
        engineOver(ids, asOf),
      ]);
      const allLeaders = [...byTownship.values()].flatMap((t) =>
        t.seats.flatMap((s) => leadersOf(s, t.principals, leadersByUnit)),
      );
      const links = await repo.familyLinksOf(
        knex,
        allLeaders.map((l) => l.personId),
      );
      const engineFor = (townshipId: number) =>
        countyWide ? engine : { ...engine, people: engine.people.filter((p) => p.townshipId === townshipId) };
      const perTownship = townships.map((township) => {
        const t = byTownship.get(township.id)!;
        return {
          township,
          totalFull: t.totalFull,
          seats: t.seats.map((seat) => ({
            seat,
            counts: countsOf(
              seatEntries(seat, engineFor(township.id), leadersOf(seat, t.principals, leadersByUnit), links),
              asOf,
            ),
          })),
        };
      });
      // Rank and management-level targets: civil-service ranks and the 八级/七级 management levels.
      const rankTargets = new Map<string, { target: GradeLevelInfo; counts: SeatCounts }>();
      const grades = new Map(engine.rules.grades.map((g) => [g.code, g]));
      for (const p of engine.people) {
        for (const r of assessTargets(engine, p.personId)) {
          const g = grades.get(r.target);
          if (!g || !isRankTarget(g)) continue;
          let entry = rankTargets.get(g.code);
          if (!entry) {
            entry = { target: g, counts: { now: 0, within6: 0, within12: 0, blocked: 0 } };
            rankTargets.set(g.code, entry);
          }
          entry.counts[horizonOf(r, asOf)] += 1;
        }
      }
      return {
        county,
        asOf,
        townships: perTownship,
        rankTargets: [...rankTargets.values()].sort((a, b) => compareTargets(a.target, b.target)),
      };
    },
  };

  function assessTargets(
    engine: Awaited<ReturnType<typeof engineOver>>,
    personId: number,
  ): EligibilityResult[] {
    const out: EligibilityResult[] = [];
    for (const g of engine.rules.grades) {
      if (!isRankTarget(g)) continue;
      const r = engine.resultFor(personId, g.code);
      if (r) out.push(r);
    }
    return out;
  }
}

/** Targets of rank promotion candidates: civil-service ranks, and 八级/七级 management levels. */
export function isRankTarget(g: Pick<GradeLevelInfo, 'ladder' | 'code'>): boolean {
  return g.ladder === 'civil_service_rank' || g.code === 'mgmt_8' || g.code === 'mgmt_7';
}

export type CandidateService = ReturnType<typeof createCandidateService>;
export type { EligibilityRules };
