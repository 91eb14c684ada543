import type { Knex } from 'knex';
import { type DemoSummary, seedDemo } from '../../seeds/demo/index.js';
import { seedDemoMovements } from '../../seeds/demo/movements.js';
import { seedDemoPromotionCases } from '../../seeds/demo/promotionCases.js';
import { seedDemoPromotions } from '../../seeds/demo/promotions.js';
import { seedReference } from '../../seeds/reference.js';
import { migrateLatest } from './migrate.js';

export interface PrepareOptions {
  /** Seed the demo world (idempotent: nothing is written when it exists). */
  demo: boolean;
  /** The demo world's anchor date. */
  today: string;
}

export interface PrepareResult {
  migrations: string[];
  demo: DemoSummary | null;
}

/** Migrations, then reference data (every start: rules as data stay current), then the demo world if asked. */
export async function prepareDatabase(knex: Knex, options: PrepareOptions): Promise<PrepareResult> {
  const migrations = await migrateLatest(knex);
  await seedReference(knex);
  const demo = options.demo ? await seedDemo(knex, { today: options.today }) : null;
  // Movement requests go through the movement service, after the world they move people in exists.
  if (demo?.created) await seedDemoMovements(knex, options.today);
  // Rank quota pools and rank promotions go through the rank promotion service likewise.
  if (demo?.created) await seedDemoPromotions(knex, options.today);
  // Selection cases likewise go through the case service, on the dates each step would have happened.
  if (demo?.created) await seedDemoPromotionCases(knex, options.today);
  return { migrations, demo };
}

/** True when no account exists yet: a new database. */
export async function isEmpty(knex: Knex): Promise<boolean> {
  const hasUsers = await knex.schema.hasTable('users');
  if (!hasUsers) return true;
  return (await knex('users').first('id')) === undefined;
}

/**
 * Whether to seed the demo world: always with DEMO_DATA=always; with `auto` (the default) only on the embedded
 * database outside production, when it is new or already holds the demo world; never in production otherwise.
 */
export async function demoWanted(
  config: { demoData: 'auto' | 'always' | 'never'; production: boolean },
  backend: 'pg' | 'pglite',
  newOrDemo: () => Promise<boolean>,
): Promise<boolean> {
  if (config.demoData === 'always') return true;
  if (config.demoData === 'never' || config.production || backend !== 'pglite') return false;
  return newOrDemo();
}
