import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { createApp, type GangweiApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { createServices, type Services } from '../../src/container.js';
import { prepareDatabase } from '../../src/db/bootstrap.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { fixedClock } from '../../src/domain/clock.js';

/** The business date every test runs on; the demo world is anchored to it. */
export const TEST_TODAY = '2026-11-15';

export const backend = (process.env.TEST_BACKEND ?? 'pglite') as 'pglite' | 'pg';
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestWorld {
  db: Database;
  services: Services;
  app: GangweiApp['app'];
  config: Config;
}

let world: TestWorld | undefined;
let closeApp: (() => void) | undefined;
let dropDatabase: (() => Promise<void>) | undefined;

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    // The suite signs in the same demo users many times a minute; the rate-limit test builds its own app.
    API_RATE_LIMIT: '1000000',
    SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
    LOGIN_MAX_FAILURES_PER_ADDRESS: '1000',
    ...overrides,
  });
}

/** A new empty database on the backend under test (PGlite in memory, or a fresh database on the server). */
export async function createEmptyDatabase(): Promise<{ db: Database; drop: () => Promise<void> }> {
  if (backend === 'pglite') {
    const db = await openDatabase({ kind: 'pglite', memory: true });
    return { db, drop: () => db.close() };
  }
  const name = `gangwei_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = await openDatabase({ kind: 'pg', url: serverUrl, poolMax: 1 });
  await admin.knex.raw(`CREATE DATABASE ${name}`);
  await admin.close();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ kind: 'pg', url: url.toString(), poolMax: 10 });
  return {
    db,
    drop: async () => {
      await db.close();
      const again = await openDatabase({ kind: 'pg', url: serverUrl, poolMax: 1 });
      await again.knex.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.close();
    },
  };
}

/** Builds services and the app around a database, with the fixed test clock. */
export function buildApp(db: Database, config: Config = testConfig()) {
  const services = createServices({
    db,
    config,
    clock: fixedClock(TEST_TODAY),
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  });
  const built = createApp(services);
  return { services, ...built };
}

/** One migrated database with the demo world, shared by every test file of the run. */
export async function getWorld(): Promise<TestWorld> {
  if (world) return world;
  const { db, drop } = await createEmptyDatabase();
  dropDatabase = drop;
  await prepareDatabase(db.knex, { demo: true, today: TEST_TODAY });
  const config = testConfig();
  const { services, app, close } = buildApp(db, config);
  closeApp = close;
  world = { db, services, app, config };
  return world;
}

export async function closeWorld(): Promise<void> {
  closeApp?.();
  await dropDatabase?.();
  world = undefined;
}
