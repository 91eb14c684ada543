/**
 * Creates an administrator account from the command line (the first one on a new production database):
 *   npm run admin:create -- --username root [--name 系统管理员]
 * The password is read from ADMIN_PASSWORD or, when unset, asked for on the terminal (not echoed). The database
 * is DATABASE_URL (PostgreSQL) or the embedded PGlite in PGLITE_DIR, as for the server; migrations are applied.
 */
import { createInterface } from 'node:readline';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrateLatest } from '../src/db/migrate.js';
import { createAdministrator } from '../src/services/admin/createAdministrator.js';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function askPassword(): Promise<string> {
  if (!process.stdin.isTTY) throw new Error('set ADMIN_PASSWORD or run in a terminal');
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
  process.stdout.write('Password (at least 10 characters): ');
  out._writeToOutput = () => {};
  const password = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stdout.write('\n');
  return password;
}

async function main() {
  const username = option('username');
  if (!username) {
    console.error('usage: npm run admin:create -- --username <name> [--name <display name>]');
    process.exitCode = 2;
    return;
  }
  const config = loadConfig();
  const password = process.env.ADMIN_PASSWORD ?? (await askPassword());
  const db = await openDatabase(config.database);
  try {
    await migrateLatest(db.knex);
    const result = await createAdministrator(db.knex, {
      username,
      displayName: option('name') ?? '',
      password,
    });
    if (!result.ok) {
      console.error(`Not created: ${result.problem}`);
      process.exitCode = 1;
    } else console.log(`Administrator ${username} created (user ${result.id}). Sign in at /login.`);
  } finally {
    await db.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
