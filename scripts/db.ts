/**
 * Database commands, run from code so migration names never carry a file extension:
 *   npm run db:migrate            apply pending migrations
 *   npm run db:rollback [-- --all] undo the last batch (or everything)
 *   npm run db:status             list applied and pending migrations
 *   npm run db:make -- verb_object create migrations/<timestamp>_verb_object.ts
 *   npm run db:seed [-- --demo]   reference data; with --demo also the demo world
 * The database is DATABASE_URL (PostgreSQL) or the embedded PGlite in PGLITE_DIR, as for the server.
 */
import fs from 'node:fs';
import path from 'node:path';
import { seedReference } from '../seeds/reference.js';
import { loadConfig } from '../src/config.js';
import { prepareDatabase } from '../src/db/bootstrap.js';
import { openDatabase } from '../src/db/database.js';
import { migrateLatest, migrateRollback, migrationStatus, migrationsDir } from '../src/db/migrate.js';
import { systemClock } from '../src/domain/clock.js';

const [command, ...args] = process.argv.slice(2);

async function main() {
  if (command === 'make') return make(args[0]);
  const config = loadConfig();
  const db = await openDatabase(config.database);
  try {
    switch (command) {
      case 'migrate': {
        const applied = await migrateLatest(db.knex);
        console.log(applied.length ? `Applied:\n  ${applied.join('\n  ')}` : 'Already up to date.');
        break;
      }
      case 'rollback': {
        const undone = await migrateRollback(db.knex, args.includes('--all'));
        console.log(undone.length ? `Rolled back:\n  ${undone.join('\n  ')}` : 'Nothing to roll back.');
        break;
      }
      case 'status': {
        const { done, pending } = await migrationStatus(db.knex);
        console.log(
          `Applied (${done.length}):\n  ${done.join('\n  ')}\nPending (${pending.length}):\n  ${pending.join('\n  ')}`,
        );
        break;
      }
      case 'seed': {
        if (args.includes('--demo')) {
          const { demo } = await prepareDatabase(db.knex, { demo: true, today: systemClock.today() });
          console.log(demo?.created ? 'Demo world created.' : 'Demo world already present: nothing written.');
          for (const a of demo?.accounts ?? [])
            console.log(`  ${a.username.padEnd(10)} ${a.role.padEnd(22)} ${a.scopeLabel}`);
        } else {
          await migrateLatest(db.knex);
          await seedReference(db.knex);
          console.log('Reference data seeded.');
        }
        break;
      }
      default:
        console.error(
          'Usage: tsx scripts/db.ts migrate|rollback [--all]|status|make <verb_object>|seed [--demo]',
        );
        process.exitCode = 2;
    }
  } finally {
    await db.close();
  }
}

function make(name: string | undefined) {
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    console.error('Give the migration a snake_case name, e.g. npm run db:make -- add_post_notes');
    process.exitCode = 2;
    return;
  }
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const file = path.join(migrationsDir, `${stamp}_${name}.ts`);
  fs.writeFileSync(
    file,
    `import type { Knex } from 'knex';
import { runStatements } from '../src/db/statements.js';

export async function up(knex: Knex): Promise<void> {
  await runStatements(knex, []);
}

export async function down(knex: Knex): Promise<void> {
  await runStatements(knex, []);
}
`,
  );
  console.log(`Created ${path.relative(process.cwd(), file)}`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
