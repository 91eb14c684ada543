import fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Knex } from 'knex';

/** migrations/ beside src/ (from tsx) or beside dist/src/ (compiled): the same relative place. */
export const migrationsDir = fileURLToPath(new URL('../../migrations/', import.meta.url));

const MIGRATION_FILE = /^(\d{14}_[a-z0-9_]+)\.(ts|js)$/;

/**
 * Records migration names without their extension, so a database migrated from tsx (.ts files)
 * is the same database to the compiled app (.js files) and the reverse.
 */
export class GangweiMigrationSource implements Knex.MigrationSource<string> {
  constructor(private readonly dir: string = migrationsDir) {}

  async getMigrations(): Promise<string[]> {
    const names = new Set<string>();
    for (const file of fs.readdirSync(this.dir)) {
      const m = MIGRATION_FILE.exec(file);
      if (m?.[1]) names.add(m[1]);
    }
    return [...names].sort();
  }

  getMigrationName(name: string): string {
    return name;
  }

  async getMigration(name: string): Promise<Knex.Migration> {
    const file = ['.ts', '.js'].map((ext) => `${this.dir}${name}${ext}`).find((f) => fs.existsSync(f));
    if (!file) throw new Error(`Migration file for ${name} not found in ${this.dir}`);
    return (await import(pathToFileURL(file).href)) as Knex.Migration;
  }
}

const migrationConfig = (): Knex.MigratorConfig => ({
  migrationSource: new GangweiMigrationSource(),
  tableName: 'knex_migrations',
});

export async function migrateLatest(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest(migrationConfig())) as [number, string[]];
  return applied;
}

export async function migrateRollback(knex: Knex, all = false): Promise<string[]> {
  const [, rolledBack] = (await knex.migrate.rollback(migrationConfig(), all)) as [number, string[]];
  return rolledBack;
}

export async function migrationStatus(knex: Knex): Promise<{ done: string[]; pending: string[] }> {
  const [done, pending] = (await knex.migrate.list(migrationConfig())) as [
    Array<{ name: string }>,
    Array<string | { file: string }>,
  ];
  return {
    done: done.map((d) => d.name),
    pending: pending.map((p) => (typeof p === 'string' ? p : p.file)),
  };
}
