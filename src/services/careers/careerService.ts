import type { Knex } from 'knex';
import type { Scope } from '../../auth/principal.js';
import { loadCareerRecord, loadCareerReference } from '../../db/repositories/careerInputs.js';
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
 * The career path (我的职业路径) and the township eligibility list: reads only. Scope is checked on the
 * business date (today); the date asked about (`asOf`, possibly in the future) only moves the assessment.
 */
export function createCareerService(deps: { knex: Knex; clock: Clock }) {
  const { knex, clock } = deps;

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
    /**
     * Everything the career page shows for a person in scope, assessed on a date: two statements (the
     * person's record, then the reference data with the seats of their township).
     */
    async careerPath(scope: Scope, personId: number, asOf: string) {
      const today = clock.today();
      const record = await loadCareerRecord(knex, scope, personId, { asOf, today });
      if (!record) throw new NotFoundError('person');
      const { input } = record;
      const { rules, names, township, seats } = await loadCareerReference(knex, asOf, record.homeTownshipId);
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
      const { rules, names } = await loadCareerReference(knex, asOf, null);
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
