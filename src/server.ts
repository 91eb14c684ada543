import { pino } from 'pino';
import { demoWorldExists } from '../seeds/demo/index.js';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createServices } from './container.js';
import { demoWanted, isEmpty, prepareDatabase } from './db/bootstrap.js';
import { DatabaseInUseError, openDatabase } from './db/database.js';
import { systemClock } from './domain/clock.js';

/** The only module with side effects: config → database (migrated) → services → app → listen. */
async function main() {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel, base: { service: 'gangwei' } });
  const db = await openDatabase(config.database);
  logger.info({ database: db.description }, 'database opened');

  // The demo world goes into a new embedded database (or anywhere with DEMO_DATA=always); on later starts its
  // accounts are listed again. Seeding is idempotent, so "always" never duplicates it.
  const demo = await demoWanted(
    config,
    db.backend,
    async () => (await isEmpty(db.knex)) || demoWorldExists(db.knex),
  );
  const prepared = await prepareDatabase(db.knex, { demo, today: systemClock.today() });
  if (prepared.migrations.length > 0) logger.info({ migrations: prepared.migrations }, 'migrations applied');

  const services = createServices({ db, config, clock: systemClock, logger });
  const { app, close } = createApp(services);
  // The daily inbox digest, only when an SMTP server is configured (the day is claimed in the database, so
  // several instances send it once).
  const digest = services.digest.schedule();
  if (services.digest.enabled) logger.info({ hour: config.mail?.digestHour }, 'inbox digest scheduled');
  const server = app.listen(config.port, config.host, () => {
    const url = `http://localhost:${config.port}`;
    logger.info({ url, backend: db.backend }, 'Gangwei is listening');
    if (prepared.demo) printDemoAccounts(url, prepared.demo);
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close(async () => {
      digest.stop();
      close();
      await db.close();
      process.exit(0);
    });
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

function printDemoAccounts(
  url: string,
  demo: NonNullable<Awaited<ReturnType<typeof prepareDatabase>>['demo']>,
) {
  const lines = [
    '',
    `  Gangwei 岗位通 — ${url}`,
    `  Demo world: ${demo.counties} counties, ${demo.townships} townships, ${demo.people} people${demo.created ? ' (created now)' : ''}`,
    '  Demo accounts (password: gangwei-demo):',
    ...demo.accounts.map((a) => `    ${a.username.padEnd(10)} ${a.role.padEnd(22)} ${a.scopeLabel}`),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DatabaseInUseError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`Gangwei failed to start: ${(err as Error).stack ?? String(err)}\n`);
  }
  process.exit(1);
});
