/**
 * `npx tsx bench/eligibilityProfile.ts [--runs N] [--batch N] [--ahead N] [--queries]`
 *
 * The eligibility measurement of `npm run bench` (every person of the benchmark database, by id range),
 * then where its time goes: each range loaded on its own (no overlap), the time of each statement as the
 * driver sees it, and the pure engine. For finding what to change; the figure that counts is the bench's.
 * Run with `node --cpu-prof --import tsx bench/eligibilityProfile.ts` for a CPU profile.
 */

import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/database.js';
import {
  loadEligibilityInputsInRange,
  loadEligibilityRules,
} from '../src/db/repositories/eligibilityInputs.js';
import { systemClock } from '../src/domain/clock.js';
import { assessEligibility } from '../src/domain/eligibility/index.js';
import { assessEveryone } from '../src/services/eligibility/bulk.js';
import { DEFAULT_BENCH_URL } from './generate/index.js';

const argv = process.argv.slice(2);
const runs = argv.includes('--runs') ? Number(argv[argv.indexOf('--runs') + 1]) : 1;
const perQuery = argv.includes('--queries');
const option = (name: string) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : undefined);
const batch = option('--batch');
const ahead = option('--ahead');
const url = process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_URL;
const db = await openDatabase({ kind: 'pg', url, poolMax: 4 });
const knex = db.knex;
const asOf = systemClock.today();
const max = Number((await knex.raw('SELECT max(id) AS max FROM people')).rows[0].max);
const STEP = 10_000;
const out = (s: string) => process.stdout.write(`${s}\n`);

// CPU time, which the other processes on the machine don't inflate as they do wall time: this process's,
// and that of the PostgreSQL backends serving the pool (when PostgreSQL runs on this machine).
const backends = new Set<number>();
async function poolBackends() {
  const rows = await Promise.all(
    [0, 1, 2, 3].map(() => knex.raw('SELECT pg_backend_pid() AS pid, pg_sleep(0.05)')),
  );
  for (const r of rows) backends.add(Number(r.rows[0].pid));
}
function backendCpuMs(): number {
  let ms = 0;
  for (const pid of backends) {
    try {
      const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ms += (Number(f[11]) + Number(f[12])) * 10;
    } catch {
      // Not on this machine, or the connection was closed.
    }
  }
  return ms;
}
async function cpu<T>(label: string, run: () => Promise<T>): Promise<T> {
  await poolBackends();
  const n0 = process.cpuUsage();
  const p0 = backendCpuMs();
  const result = await run();
  const n = process.cpuUsage(n0);
  out(
    `  ${label} CPU: node ${((n.user + n.system) / 1e6).toFixed(2)} s, postgres ${((backendCpuMs() - p0) / 1000).toFixed(2)} s`,
  );
  return result;
}

/** As bench/run.ts eligibility(): the app's bulk path over everyone. */
async function benchLike() {
  const started = performance.now();
  const rules = await loadEligibilityRules(knex, asOf);
  let results = 0;
  const stats = await assessEveryone(
    knex,
    rules,
    asOf,
    (_, r) => {
      results += r.length;
    },
    { batch, ahead },
  );
  const ms = performance.now() - started;
  out(
    `bench-like: ${stats.people} people, ${results} results in ${(ms / 1000).toFixed(2)} s ` +
      `(waiting for inputs ${(stats.waitMs / 1000).toFixed(2)} s, engine ${(stats.engineMs / 1000).toFixed(2)} s)`,
  );
}

/** Each range loaded alone, then the engine over it: the cost of each part without overlap. */
async function sequential() {
  const rules = await loadEligibilityRules(knex, asOf);
  const sql = new Map<string, number>();
  const started = new Map<string, number>();
  const onQuery = (q: { __knexQueryUid: string }) => started.set(q.__knexQueryUid, performance.now());
  const onResponse = (_: unknown, q: { __knexQueryUid: string; sql: string }) => {
    const t = started.get(q.__knexQueryUid);
    if (t === undefined) return;
    const key = q.sql.replace(/\s+/g, ' ').slice(0, 70);
    sql.set(key, (sql.get(key) ?? 0) + performance.now() - t);
  };
  if (perQuery) knex.on('query', onQuery).on('query-response', onResponse);
  let loadMs = 0;
  let engineMs = 0;
  for (let lo = 1; lo <= max; lo += STEP) {
    const l0 = performance.now();
    const inputs = await loadEligibilityInputsInRange(knex, lo, lo + STEP, asOf);
    loadMs += performance.now() - l0;
    const e0 = performance.now();
    for (const input of inputs.values()) assessEligibility(input, rules, asOf);
    engineMs += performance.now() - e0;
  }
  if (perQuery) knex.removeListener('query', onQuery).removeListener('query-response', onResponse);
  out(`sequential: load ${(loadMs / 1000).toFixed(2)} s, engine ${(engineMs / 1000).toFixed(2)} s`);
  for (const [q, ms] of [...sql].sort((a, b) => b[1] - a[1]))
    out(`  ${(ms / 1000).toFixed(2).padStart(6)} s  ${q}`);
}

for (let i = 0; i < runs; i++) await cpu('bench-like', benchLike);
if (!argv.includes('--bench-only')) await cpu('sequential', sequential);
await db.close();
