import type { Knex } from 'knex';
import type { Scope } from '../../auth/principal.js';
import {
  type CareerRecord,
  type CareerReference,
  loadCareerRecord,
  loadCareerReference,
} from '../../db/repositories/careerInputs.js';
import * as careers from '../../db/repositories/careers.js';
import {
  loadEligibilityInputsForTownships,
  loadEligibilityRules,
} from '../../db/repositories/eligibilityInputs.js';
import { rosterOfTownship } from '../../db/repositories/people.js';
import * as regions from '../../db/repositories/regions.js';
import {
  compareTargets,
  currentGradeTenure,
  HORIZONS,
  type Horizon,
  horizonOf,
  type SeatsAtLevel,
  seatsAtLevel,
  type TownshipSeats,
} from '../../domain/career.js';
import type { Clock } from '../../domain/clock.js';
import {
  assessEligibility,
  type EligibilityResult,
  type EligibilityRules,
  type GradeLevelInfo,
} from '../../domain/eligibility/index.js';
import { NotFoundError } from '../../errors.js';
import { assertTownshipVisible } from '../access.js';
import { ValidatedCache } from '../validatedCache.js';

/** One next step of one person: the engine's answer, the target grade, and the seats at its level. */
export interface TargetAnswer {
  result: EligibilityResult;
  target: GradeLevelInfo;
  /** null when the person's township can't be told. */
  seats: SeatsAtLevel | null;
}

export interface ListEntry {
  personId: number;
  name: string;
  postName: string | null;
  unitName: string | null;
  result: EligibilityResult;
}

export interface TargetGroup {
  target: GradeLevelInfo;
  seats: SeatsAtLevel;
  horizons: Record<Horizon, ListEntry[]>;
}

/**
 * Reference entries kept per instance (township, county and date): one takes ~18 KB of memory at province scale,
 * so 500 (a third of a province's townships on one date, those in use) take ~9 MB, well inside the instance's
 * 256 MB heap cap next to the establishment pages' cache.
 */
const REFERENCE_ENTRIES = 500;

/**
 * The career path (我的职业路径) and the township eligibility list: reads only. Scope is checked on the
 * business date (today); the date asked about (`asOf`, possibly in the future) only moves the assessment.
 */
export function createCareerService(deps: { knex: Knex; clock: Clock }) {
  const { knex, clock } = deps;

  /**
   * The career page's reference data (rules, names, the home township and its seats), cached per township,
   * county whose rules apply, and date, and validated on every request like the county overview: its key is
   * the change log's total weight of the township's county, of the rules' county and of the every-county rows
   * (each table loadCareerReference reads logs its writes there), read by the record's statement, which runs
   * before the reference's (see overviewChanges.countyKey for why that order keeps the cache correct). The
   * counties are in the key too, so a township moved to another county never meets its old entry. The cached
   * value is frozen: callers read it, never change it.
   */
  const references = new ValidatedCache<CareerReference>(REFERENCE_ENTRIES);
  const referenceOf = (record: CareerRecord, asOf: string, withTownship: boolean) => {
    const townshipId = withTownship ? record.homeTownshipId : null;
    const { countyId } = record.input;
    const { changes } = record;
    const slot = `${townshipId ?? '-'}|${countyId ?? '-'}|${asOf}`;
    const key = [
      townshipId === null ? '-' : `${record.homeCountyId}:${changes.homeCounty}`,
      `${countyId}:${changes.county}`,
      changes.everyCounty,
    ].join('|');
    return references.get(slot, key, () => loadCareerReference(knex, asOf, { townshipId, countyId }));
  };

  const targetsOf = (rules: EligibilityRules) => new Map(rules.grades.map((g) => [g.code, g]));

  const answer = (
    results: readonly EligibilityResult[],
    rules: EligibilityRules,
    seats: TownshipSeats | null,
  ): TargetAnswer[] => {
    const grades = targetsOf(rules);
    return results
      .flatMap((result) => {
        const target = grades.get(result.target);
        if (!target) return [];
        return [{ result, target, seats: seats ? seatsAtLevel(target, rules.grades, seats) : null }];
      })
      .sort((a, b) => compareTargets(a.target, b.target));
  };

  return {
    /** How the reference cache is doing (for tests and operations). */
    referenceCache: () => ({ hits: references.hits, misses: references.misses, size: references.size }),

    /**
     * Everything the career page shows for a person in scope, assessed on a date: the person's record in one
     * statement, then the reference data with the seats of their township from the cache, or in a second
     * statement when it has changed (or was not read yet on this instance).
     */
    async careerPath(scope: Scope, personId: number, asOf: string) {
      const today = clock.today();
      const record = await loadCareerRecord(knex, scope, personId, { asOf, today });
      if (!record) throw new NotFoundError('person');
      const { input } = record;
      const { rules, names, township, seats } = await referenceOf(record, asOf, true);
      return {
        person: record.person,
        asOf,
        today,
        township,
        // Corrected rows are left out; future-dated decisions stay (shown as not yet in force).
        assignments: record.assignments.filter((a) => a.supersededAt === null),
        grades: record.grades.filter((g) => g.supersededAt === null),
        assessments: record.assessments.filter((a) => a.supersededAt === null),
        tenure: currentGradeTenure(input.grades, asOf),
        answers: answer(assessEligibility(input, rules, asOf), rules, seats),
        names,
      };
    },

    /** The engine's answers for one person in scope (the JSON twin), from the career page's loaders. */
    async personEligibility(scope: Scope, personId: number, asOf: string) {
      const record = await loadCareerRecord(knex, scope, personId, { asOf, today: clock.today() });
      if (!record) throw new NotFoundError('person');
      const { rules, names } = await referenceOf(record, asOf, false);
      return { results: assessEligibility(record.input, rules, asOf), names };
    },

    /**
     * Everyone in service in a township, per target: eligible now, within 6 months, within 12 months, or
     * not within a year (or no date can be given). Set-based: a fixed number of queries whatever the size of
     * the township; people in surname-stroke order (the roster's).
     */
    async townshipEligibility(scope: Scope, townshipId: number, asOf: string, onlyTarget: string | null) {
      const township = await regions.findRegion(knex, townshipId, 'township');
      if (!township) throw new NotFoundError('township');
      assertTownshipVisible(scope, townshipId);
      const [rules, inputs, roster, seats, names, path] = await Promise.all([
        loadEligibilityRules(knex, asOf),
        loadEligibilityInputsForTownships(knex, [townshipId], asOf),
        rosterOfTownship(knex, townshipId, asOf),
        careers.townshipSeats(knex, townshipId, asOf),
        careers.referenceNames(knex),
        regions.regionPath(knex, townshipId),
      ]);
      const grades = targetsOf(rules);
      const groups = new Map<string, TargetGroup>();
      const allTargets = new Map<string, GradeLevelInfo>();
      for (const p of roster) {
        if (p.status !== null && p.status !== 'active') continue;
        const input = inputs.get(p.id);
        if (!input) continue;
        for (const result of assessEligibility(input, rules, asOf)) {
          const target = grades.get(result.target);
          if (!target) continue;
          allTargets.set(target.code, target);
          if (onlyTarget !== null && target.code !== onlyTarget) continue;
          let group = groups.get(target.code);
          if (!group) {
            group = {
              target,
              seats: seatsAtLevel(target, rules.grades, seats),
              horizons: Object.fromEntries(HORIZONS.map((h) => [h, []])) as unknown as Record<
                Horizon,
                ListEntry[]
              >,
            };
            groups.set(target.code, group);
          }
          group.horizons[horizonOf(result, asOf)].push({
            personId: p.id,
            name: p.name,
            postName: p.postName,
            unitName: p.unitName,
            result,
          });
        }
      }
      return {
        township,
        path,
        asOf,
        target: onlyTarget,
        targets: [...allTargets.values()].sort(compareTargets),
        groups: [...groups.values()].sort((a, b) => compareTargets(a.target, b.target)),
        names,
      };
    },
  };
}

export type CareerService = ReturnType<typeof createCareerService>;
