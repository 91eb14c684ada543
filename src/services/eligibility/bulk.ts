import { performance } from 'node:perf_hooks';
import type { Knex } from 'knex';
import {
  idList,
  idRange,
  loadEligibilityInputsFolded,
  type PersonFilter,
} from '../../db/repositories/eligibilityBulk.js';
import {
  assessEligibility,
  type EligibilityInput,
  type EligibilityResult,
  type EligibilityRules,
} from '../../domain/eligibility/index.js';

/**
 * The eligibility engine over many people: a county's report, the whole province. People are read in
 * batches (consecutive id ranges, or chunks of an id list) with their histories folded into one row each
 * (eligibilityBulk.ts); while the engine runs over one batch the next ones are already being read, so
 * PostgreSQL works on one core while this process computes on the other. Each person's results are handed
 * to `each` as they are computed and not kept, so memory stays that of a few batches whatever the number
 * of people.
 */

export interface BulkOptions {
  /** People per batch (ids per range, or ids per chunk of a list). */
  batch?: number;
  /** Batches requested ahead of the one being assessed. */
  ahead?: number;
}

export interface BulkStats {
  people: number;
  results: number;
  /** Time outside the engine: waiting for batches not read yet, taking in the rows of those being read. */
  waitMs: number;
  /** Time spent in the engine. */
  engineMs: number;
}

export type EachPerson = (personId: number, results: EligibilityResult[], input: EligibilityInput) => void;

const DEFAULT_BATCH = 5_000;
const DEFAULT_AHEAD = 2;
/** People assessed between two turns of the event loop. */
const YIELD_EVERY = 1_000;

/** Everyone with an id in [fromId, toId), by consecutive id ranges (no id list sent). */
export function assessIdRange(
  knex: Knex,
  rules: EligibilityRules,
  asOf: string,
  fromId: number,
  toId: number,
  each: EachPerson,
  options: BulkOptions = {},
): Promise<BulkStats> {
  const step = options.batch ?? DEFAULT_BATCH;
  const batches: PersonFilter[] = [];
  for (let lo = fromId; lo < toId; lo += step) batches.push(idRange(lo, Math.min(lo + step, toId)));
  return assessBatches(knex, rules, asOf, batches, each, options);
}

/** Everyone in the people table. */
export async function assessEveryone(
  knex: Knex,
  rules: EligibilityRules,
  asOf: string,
  each: EachPerson,
  options: BulkOptions = {},
): Promise<BulkStats> {
  const [bounds] = (await knex('people').min('id as lo').max('id as hi')) as Array<{
    lo: number | null;
    hi: number | null;
  }>;
  if (!bounds || bounds.lo === null || bounds.hi === null)
    return { people: 0, results: 0, waitMs: 0, engineMs: 0 };
  return assessIdRange(knex, rules, asOf, bounds.lo, bounds.hi + 1, each, options);
}

/** The people of a list (ids that don't exist are left out), in chunks of nearby ids. */
export function assessPeople(
  knex: Knex,
  rules: EligibilityRules,
  asOf: string,
  personIds: readonly number[],
  each: EachPerson,
  options: BulkOptions = {},
): Promise<BulkStats> {
  const step = options.batch ?? DEFAULT_BATCH;
  const ids = [...new Set(personIds)].sort((a, b) => a - b);
  const batches: PersonFilter[] = [];
  for (let i = 0; i < ids.length; i += step) batches.push(idList(ids.slice(i, i + step)));
  return assessBatches(knex, rules, asOf, batches, each, options);
}

async function assessBatches(
  knex: Knex,
  rules: EligibilityRules,
  asOf: string,
  batches: readonly PersonFilter[],
  each: EachPerson,
  options: BulkOptions,
): Promise<BulkStats> {
  const ahead = Math.max(0, options.ahead ?? DEFAULT_AHEAD);
  const stats: BulkStats = { people: 0, results: 0, waitMs: 0, engineMs: 0 };
  const pending: Array<Promise<Map<number, EligibilityInput>>> = [];
  let next = 0;
  const request = () => {
    const p = loadEligibilityInputsFolded(knex, batches[next++] as PersonFilter, asOf);
    // A batch that fails while an earlier one is assessed is reported when its turn comes, not as an
    // unhandled rejection.
    p.catch(() => {});
    pending.push(p);
  };
  try {
    for (;;) {
      if (pending.length === 0 && next < batches.length) request();
      const current = pending.shift();
      if (!current) break;
      // While the engine runs over this batch, `ahead` more are being read.
      while (next < batches.length && pending.length < ahead) request();
      const w0 = performance.now();
      const inputs = await current;
      stats.waitMs += performance.now() - w0;
      let e0 = performance.now();
      let since = 0;
      for (const [personId, input] of inputs) {
        const results = assessEligibility(input, rules, asOf);
        stats.people++;
        stats.results += results.length;
        each(personId, results, input);
        if (++since === YIELD_EVERY) {
          // Let the rows of the batches being read arrive (PostgreSQL stalls on a full socket) and the
          // server answer other requests; that time counts as reading.
          since = 0;
          const y0 = performance.now();
          stats.engineMs += y0 - e0;
          await new Promise<void>((resolve) => setImmediate(resolve));
          e0 = performance.now();
          stats.waitMs += e0 - y0;
        }
      }
      stats.engineMs += performance.now() - e0;
    }
  } finally {
    // On an error, let the batches already requested finish before the caller releases the connection.
    await Promise.allSettled(pending);
  }
  return stats;
}
