import type { Knex } from 'knex';
import type { RegionRow } from '../tables.js';
import { type Region, toRegion } from './regions.js';

/** The total weight of the log rows matching a condition, as an SQL expression (0 when none match). */
export const weightSql = (where: string | null = null): string =>
  `(SELECT coalesce(sum(weight), 0) FROM overview_changes${where === null ? '' : ` WHERE ${where}`})`;

/**
 * The two halves of countyKey as SQL expressions, for a statement that reads the key together with other data
 * (the career page reads its reference data's key with the person's record, in one round trip; every request
 * reads its scope's key with the user):
 * `countyWeightSql(expr)` is the total weight of the rows of the county `expr` evaluates to (0 when NULL),
 * `everyCountyWeightSql` that of the NULL rows. The argument below holds unchanged: every subquery of a
 * statement reads the same snapshot, and that statement must start before the statements of the computation
 * cached under the key (the career page sends the reference data's statement after the record's).
 */
export const countyWeightSql = (county: string): string => weightSql(`county_id = ${county}`);
export const everyCountyWeightSql = weightSql('county_id IS NULL');

/** A county's weight and its number of log rows (for compactWhenLong), as a row source `c(county, county_rows)`. */
const countyWeightAndRows = (county: string) =>
  `(SELECT coalesce(sum(weight), 0) AS county, count(*) AS county_rows
    FROM overview_changes WHERE county_id = ${county}) c`;

/**
 * The county overview's validity key: the total weight of the county's rows and of the every-county (NULL)
 * rows in overview_changes, which triggers append to in the same transaction as every write to the
 * overview's figures (migration 20261129800000).
 *
 * Why equal keys mean equal figures, even when transactions commit out of id order:
 * - Each write's log rows commit atomically with the write, so a snapshot sees a write iff it sees its rows.
 * - The total weight counts the logged writes a snapshot sees. Compaction deletes rows and inserts one row
 *   carrying exactly their total weight in one statement, so it never changes the total; rows are never
 *   updated. Ids play no part: a write with a smaller id that commits after one with a larger id still adds
 *   its weight (a max(id) key would miss it).
 * - Snapshots only grow: a later snapshot sees every write an earlier one saw. So two snapshots with the same
 *   key for a county saw the same writes to its figures, and the figures are the same.
 *
 * The key is read in its own statement before the figures are computed (READ COMMITTED, the queries in
 * parallel on the pool): every statement of the computation starts later, so it sees at least the writes the
 * key counts, possibly more. Figures stored under a key may therefore be newer than the key, never older:
 * a reader that gets them read the same key, so none of the writes it can see is missing from them (at worst
 * it sees a write that committed just after its key was read, as if it had come a moment later). A write that
 * commits after the key was read adds weight, so a reader that sees it reads a different key and recomputes.
 * This holds across app instances: each reads the key from the database on every request.
 */
export async function countyKey(db: Knex, countyId: number): Promise<string> {
  const result = await db.raw(
    `SELECT c.county, c.county_rows, ${everyCountyWeightSql} AS every FROM ${countyWeightAndRows('?')}`,
    [countyId],
  );
  const row = (result.rows as Weights[])[0];
  compactWhenLong(db, row);
  return keyOf(row);
}

/** A county with more log rows than this is folded soon after a key read notices (see compactWhenLong). */
export const COMPACT_ABOVE_ROWS = 200;
const COMPACT_AT_MOST_EVERY_MS = 60_000;
let lastCompaction = 0;

/**
 * Every key read sums its county's rows, so a county written to often (a busy approval day) would make every
 * read of its pages slower until a compaction: when a key read sees more than COMPACT_ABOVE_ROWS rows, the
 * log is folded in the background (at most once a minute per instance; compaction keeps every key, and running
 * it on several instances at once is harmless, see compact).
 */
function compactWhenLong(db: Knex, row: Weights | undefined): void {
  compactWhenLongLog(db, Number(row?.county_rows ?? 0), 1);
}

/**
 * The same for a read that counted the log rows of several counties at once (a request's scope, read with its
 * user: a reader whose pages are all cached never reads a county key on its own, so their session read is
 * where a long log is noticed): folded when there are more than COMPACT_ABOVE_ROWS rows per county on average.
 */
export function compactWhenLongLog(db: Knex, rows: number, counties: number): void {
  if (!(rows > COMPACT_ABOVE_ROWS * Math.max(1, counties))) return;
  // Never inside a caller's transaction: the compaction would become part of it.
  if ((db as Knex.Transaction).isTransaction) return;
  const now = Date.now();
  if (now - lastCompaction < COMPACT_AT_MOST_EVERY_MS) return;
  lastCompaction = now;
  void compact(db, COMPACT_ABOVE_ROWS / 2).catch(() => {});
}

/** For tests: lets the next long key read compact at once. */
export function allowCompactionNow(): void {
  lastCompaction = 0;
}

interface Weights {
  county: string | number | null;
  county_rows?: string | number | null;
  every: string | number | null;
}

/**
 * The key as the sum of the county's and the NULL rows' weights: the same number countiesKey reads for the
 * county alone and a request's scope carries for a scope of that one county (scope.scopeColumns), so a page
 * may check its cache with the scope's key and skip its own key read. A sum is as good a key as the pair:
 * each half only grows, so equal sums in two snapshots mean equal halves (see countiesKey).
 */
const keyOf = (row: Weights | undefined) => (BigInt(row?.county ?? 0) + BigInt(row?.every ?? 0)).toString();

/**
 * A township and its county's key (the same value as `countyKey(db, township.parentId)`) read in one
 * statement, i.e. in one snapshot: the township row is exactly as the key's writes left it, and a cached
 * page of the township can be checked with a single round trip. Like countyKey, it must run in its own
 * statement before the page's data is read (the argument above holds unchanged: this statement plays the
 * key's part). Undefined when no township has that id.
 */
export async function townshipWithCountyKey(
  db: Knex,
  townshipId: number,
): Promise<{ township: Region; countyKey: string } | undefined> {
  const result = await db.raw(
    `SELECT r.*, c.county, c.county_rows, ${everyCountyWeightSql} AS every
     FROM regions r CROSS JOIN LATERAL ${countyWeightAndRows('r.parent_id')}
     WHERE r.id = ? AND r.kind = 'township'`,
    [townshipId],
  );
  const row = (result.rows as Array<RegionRow & Weights>)[0];
  compactWhenLong(db, row);
  return row ? { township: toRegion(row), countyKey: keyOf(row) } : undefined;
}

/**
 * The same key for a reader whose data spans several counties ('all': every county), e.g. the inbox count of
 * a township officer (their county) or an administrator (all). Each county's total only grows, by at least one
 * per logged write, so the sum over the counties is equal for two snapshots only if every county's is.
 */
export async function countiesKey(db: Knex, countyIds: readonly number[] | 'all'): Promise<string> {
  const result =
    countyIds === 'all'
      ? await db.raw(`SELECT ${weightSql()} AS total`)
      : await db.raw(`SELECT ${weightSql('county_id = ANY(?::int[])')} + ${everyCountyWeightSql} AS total`, [
          [...countyIds],
        ]);
  return String((result.rows as Array<{ total: string | number }>)[0]?.total ?? 0);
}

/**
 * Folds the rows of each county (and the NULL rows) that has at least `minRows` of them into one row with
 * their total weight. One statement per county: the DELETE and the INSERT commit together, and only rows the
 * DELETE actually removed are counted (a concurrent compaction's rows are skipped), so every key stays
 * exactly as it was. Rows a writer has not committed yet are not seen, not deleted, and count when they
 * commit. Writers are never blocked: they only insert. Returns the number of rows removed.
 */
export async function compact(db: Knex, minRows: number): Promise<number> {
  const groups = (await db('overview_changes')
    .groupBy('county_id')
    .havingRaw('count(*) >= ?', [Math.max(2, minRows)])
    .select('county_id')) as Array<{ county_id: number | null }>;
  let removed = 0;
  for (const g of groups) {
    const result = await db.raw(
      `WITH gone AS (
         DELETE FROM overview_changes WHERE county_id IS NOT DISTINCT FROM ?::integer RETURNING weight
       )
       INSERT INTO overview_changes (county_id, weight)
       SELECT ?::integer, sum(weight) FROM gone HAVING count(*) > 0
       RETURNING (SELECT count(*) FROM gone) AS n`,
      [g.county_id, g.county_id],
    );
    removed += Number((result.rows as Array<{ n: string | number }>)[0]?.n ?? 0);
  }
  return removed;
}
