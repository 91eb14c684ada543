/**
 * `npm run bench:generate -- --scale county|province|nation [--database-url URL] [--seed N] [--today YYYY-MM-DD]`
 *
 * (Re)creates a PostgreSQL database, runs the app's migrations, loads the reference data the way the app does
 * (seeds/reference.ts), then generates a world family by family (one module each: regions, establishment,
 * people, users, movements, promotion cases) and loads it with COPY FROM STDIN, every index, constraint and
 * trigger in place. Deterministic: the same scale, seed and anchor date give the same rows.
 */

import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { seedReference } from '../../seeds/reference.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateLatest } from '../../src/db/migrate.js';
import { systemClock } from '../../src/domain/clock.js';
import { checkInvariants, type InvariantReport } from '../invariants.js';
import { day } from './days.js';
import { generateEstablishment, generateQuotaDecisions } from './establishment.js';
import { generateMovements } from './movements.js';
import { generatePeople } from './people.js';
import { generatePromotions } from './promotions.js';
import { generateRegions } from './regions.js';
import { parseScale } from './scale.js';
import { load, Sink } from './sink.js';
import { generateUsers } from './users.js';
import { newWorld } from './world.js';

export const DEFAULT_BENCH_URL = 'postgres://postgres@127.0.0.1:5432/gangwei_bench';
export const DEFAULT_BENCH_SEED = 20261129;

export interface GenerateOptions {
  scale: string;
  databaseUrl: string;
  seed: number;
  today: string;
  log?: (line: string) => void;
  /** Check the invariants after loading (a few seconds at province scale). Default true. */
  check?: boolean;
}

export interface GenerateSummary {
  scale: string;
  seed: number;
  today: string;
  database: string;
  seconds: { total: number; generate: number; load: number; analyze: number; check: number };
  rows: Record<string, number>;
  historyRows: number;
  movementStates: Record<string, number>;
  promotions: string;
  invariants: InvariantReport | null;
  accounts: Array<{ username: string; role: string; scope: string }>;
}

async function recreateDatabase(url: string): Promise<void> {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`database name '${name}' must be a plain identifier`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}

export async function generate(options: GenerateOptions): Promise<GenerateSummary> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const scale = parseScale(options.scale);
  const t0 = performance.now();
  const elapsed = () => `[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)}s]`;
  const say = (s: string) => log(`${elapsed()} ${s}`);

  say(
    `scale ${scale.name}: ${scale.cities * scale.countiesPerCity} counties, about ${Math.round(scale.cities * scale.countiesPerCity * scale.townshipsPerCounty)} townships, ${scale.peoplePerTownship} people each; seed ${options.seed}, today ${options.today}`,
  );
  await recreateDatabase(options.databaseUrl);
  const db = await openDatabase({ kind: 'pg', url: options.databaseUrl, poolMax: 2 });
  await migrateLatest(db.knex);
  await seedReference(db.knex);
  say(`database ${db.description} created, migrated, reference data loaded`);

  const sink = new Sink();
  const w = newWorld(scale, day(options.today), options.seed, sink);
  const tg = performance.now();
  generateRegions(w);
  generateEstablishment(w);
  say(`regions and establishment: ${w.townships.length} townships, ${sink.get('posts').size} posts`);
  generatePeople(w);
  generateQuotaDecisions(w);
  say(
    `people: ${w.people.length} people, ${sink.get('assignments').size + sink.get('grades').size + sink.get('quota_slots').size + sink.get('person_statuses').size} history rows, ${sink.get('assessments').size} assessments`,
  );
  await generateUsers(w);
  const movementStates = generateMovements(w);
  const promotions = generatePromotions(w);
  say(
    `users ${sink.get('users').size}, movement requests ${sink.get('movement_requests').size} (${Object.entries(
      movementStates,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}); promotion cases ${sink.get('promotion_cases').size} (${promotions.reason})`,
  );
  const generateSeconds = (performance.now() - tg) / 1000;

  const rows: Record<string, number> = {};
  for (const t of sink.all()) rows[t.name] = t.size;
  const total = sink.rowCount();
  const historyRows = [
    'assignments',
    'grades',
    'quota_slots',
    'person_statuses',
    'educations',
    'assessments',
    'sanctions',
  ]
    .map((name) => rows[name] ?? 0)
    .reduce((a, b) => a + b, 0);

  const tl = performance.now();
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
  let loaded = 0;
  await load(pool, sink, 2, (table, ms) => {
    loaded += rows[table.name] ?? 0;
    say(
      `  COPY ${table.name.padEnd(28)} ${String(rows[table.name]).padStart(9)} rows in ${(ms / 1000).toFixed(1)}s  (${Math.round((100 * loaded) / total)}% of ${total})`,
    );
  });
  const loadSeconds = (performance.now() - tl) / 1000;

  const ta = performance.now();
  // Two tables at a time, as the load ran.
  const tables = Object.keys(rows);
  const queue = [...tables];
  await Promise.all(
    [0, 1].map(async () => {
      const client = await pool.connect();
      try {
        for (let name = queue.shift(); name; name = queue.shift())
          await client.query(`VACUUM ANALYZE ${name}`);
      } finally {
        client.release();
      }
    }),
  );
  await pool.end();
  const analyzeSeconds = (performance.now() - ta) / 1000;
  say(`VACUUM ANALYZE done`);

  let invariants: InvariantReport | null = null;
  const tc = performance.now();
  if (options.check !== false) {
    invariants = await checkInvariants(db.knex);
    say(
      `invariants: ${Object.entries(invariants)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
  }
  const checkSeconds = (performance.now() - tc) / 1000;
  await db.close();
  const summary: GenerateSummary = {
    scale: scale.name,
    seed: options.seed,
    today: options.today,
    database: db.description,
    seconds: {
      total: (performance.now() - t0) / 1000,
      generate: generateSeconds,
      load: loadSeconds,
      analyze: analyzeSeconds,
      check: checkSeconds,
    },
    rows,
    historyRows,
    movementStates,
    promotions: promotions.reason,
    invariants,
    accounts: w.accounts,
  };
  say(`done: ${total} rows (${historyRows} history rows) in ${summary.seconds.total.toFixed(1)}s`);
  return summary;
}

function parseArgs(argv: string[]): GenerateOptions {
  const get = (flag: string) => {
    const i = argv.indexOf(flag);
    if (i >= 0) return argv[i + 1];
    const eq = argv.find((a) => a.startsWith(`${flag}=`));
    return eq?.slice(flag.length + 1);
  };
  const today = get('--today') ?? systemClock.today();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error(`--today must be YYYY-MM-DD, not '${today}'`);
  const seed = Number(get('--seed') ?? DEFAULT_BENCH_SEED);
  if (!Number.isSafeInteger(seed)) throw new Error('--seed must be an integer');
  return {
    scale: get('--scale') ?? 'county',
    databaseUrl: get('--database-url') ?? process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_URL,
    seed,
    today,
    check: !argv.includes('--no-check'),
  };
}

const isMain =
  process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, '/bench/'));
if (isMain) {
  const options = parseArgs(process.argv.slice(2));
  generate(options)
    .then(async (summary) => {
      const fs = await import('node:fs');
      fs.mkdirSync('bench/results', { recursive: true });
      fs.writeFileSync(
        `bench/results/generate-${summary.scale}.json`,
        `${JSON.stringify(summary, null, 2)}\n`,
      );
      process.stderr.write(`summary written to bench/results/generate-${summary.scale}.json\n`);
    })
    .catch((err: unknown) => {
      process.stderr.write(`bench:generate failed: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    });
}
