/**
 * Sends today's inbox digest now (for deployments that prefer cron to the server's own schedule):
 *   SMTP_URL=smtp://mail.example:25 npm run inbox:digest
 * Like the scheduled run it claims the day first, so it never sends twice in a day whichever runs first.
 * The database is DATABASE_URL (PostgreSQL) or the embedded PGlite in PGLITE_DIR, as for the server.
 */
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { createServices } from '../src/container.js';
import { openDatabase } from '../src/db/database.js';
import { migrateLatest } from '../src/db/migrate.js';
import { systemClock } from '../src/domain/clock.js';

async function main() {
  const config = loadConfig();
  if (!config.mail) {
    console.error('SMTP_URL is not set: the digest is off.');
    process.exitCode = 2;
    return;
  }
  const logger = pino({ level: config.logLevel, base: { service: 'gangwei-digest' } });
  const db = await openDatabase(config.database);
  try {
    await migrateLatest(db.knex);
    const services = createServices({ db, config, clock: systemClock, logger });
    const result = await services.digest.sendDaily();
    console.log(
      result.claimed
        ? `Digest sent: ${result.sent} messages, ${result.failed} failed.`
        : 'Today’s digest was already sent (or is being sent) by another run.',
    );
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  console.error(`Digest failed: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
