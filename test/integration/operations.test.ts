import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { verifyPassword } from '../../src/auth/passwords.js';
import { openDatabase } from '../../src/db/database.js';
import { createAdministrator } from '../../src/services/admin/createAdministrator.js';
import { countRows } from '../support/factories.js';
import { signIn } from '../support/http.js';
import { backend, getWorld, type TestWorld } from '../support/world.js';

const run = promisify(execFile);
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Operations from docs/operations.md: the first administrator from the console, backup and restore. */
describe('operations: the first administrator from the command line', () => {
  let world: TestWorld;
  before(async function () {
    this.timeout(180_000);
    world = await getWorld();
  });

  it('creates an administrator under the password policy, hashed, with one audit entry, who can sign in', async () => {
    const knex = world.db.knex;
    const username = `root${process.pid}`;
    expect(await createAdministrator(knex, { username, displayName: '', password: 'short' })).to.deep.equal({
      ok: false,
      problem: 'too_short',
    });
    expect(
      await createAdministrator(knex, {
        username: 'bad name!',
        displayName: '',
        password: 'a-long-enough-secret',
      }),
    ).to.deep.equal({ ok: false, problem: 'username_invalid' });
    const created = await createAdministrator(knex, {
      username,
      displayName: '系统管理员',
      password: 'a-long-enough-secret',
    });
    if (!created.ok) throw new Error(created.problem);
    const user = (await knex('users').where({ id: created.id }).first()) as { password_hash: string };
    expect(user.password_hash).to.match(/^\$argon2id\$/);
    expect(await verifyPassword(user.password_hash, 'a-long-enough-secret')).to.equal(true);
    expect(await knex('user_roles').where({ user_id: created.id }).select('role', 'region_id')).to.deep.equal(
      [{ role: 'admin', region_id: null }],
    );
    expect(
      await countRows(knex, 'audit_log', { action: 'user.created', entity_id: String(created.id) }),
    ).to.equal(1);
    expect(
      await createAdministrator(knex, {
        username: username.toUpperCase(),
        displayName: '',
        password: 'another-secret-1',
      }),
    ).to.deep.equal({ ok: false, problem: 'username_taken' });
    const agent = await signIn(world.app, username, 'a-long-enough-secret');
    expect((await agent.get('/admin/users')).status).to.equal(200);
  });
});

describe('operations: backup and restore with pg_dump (PostgreSQL)', () => {
  let world: TestWorld;
  let dir: string;
  const restoredName = `gangwei_restore_${process.pid}`;
  const urlOf = (name: string) => {
    const u = new URL(serverUrl);
    u.pathname = `/${name}`;
    return u.toString();
  };

  before(async function () {
    if (backend !== 'pg') this.skip();
    this.timeout(180_000);
    world = await getWorld();
    dir = mkdtempSync(path.join(tmpdir(), 'gangwei-backup-'));
  });

  after(async function () {
    if (backend !== 'pg') return;
    this.timeout(30_000);
    rmSync(dir, { recursive: true, force: true });
    const admin = await openDatabase({ kind: 'pg', url: serverUrl, poolMax: 1 });
    await admin.knex.raw(`DROP DATABASE IF EXISTS ${restoredName} WITH (FORCE)`);
    await admin.close();
  });

  it('scripts/backup.sh and scripts/restore.sh round-trip the database, audit protection included', async function () {
    this.timeout(180_000);
    const knex = world.db.knex;
    const name = ((await knex.raw('SELECT current_database() AS n')) as { rows: Array<{ n: string }> })
      .rows[0]?.n as string;
    const file = path.join(dir, 'gangwei.dump');
    const backup = await run('scripts/backup.sh', [file], {
      env: { ...process.env, DATABASE_URL: urlOf(name) },
    });
    expect(backup.stdout.trim()).to.equal(file);

    const admin = await openDatabase({ kind: 'pg', url: serverUrl, poolMax: 1 });
    await admin.knex.raw(`CREATE DATABASE ${restoredName}`);
    await admin.close();
    const env = { ...process.env, DATABASE_URL: urlOf(restoredName) };
    await run('scripts/restore.sh', [file], { env });

    const restored = await openDatabase({ kind: 'pg', url: urlOf(restoredName), poolMax: 2 });
    try {
      for (const table of [
        'people',
        'assignments',
        'quota_decisions',
        'movement_requests',
        'audit_log',
        'knex_migrations',
      ])
        expect(await countRows(restored.knex, table), table).to.equal(await countRows(knex, table));
      // The audit log's triggers came back with it.
      const refused = await restored
        .knex('audit_log')
        .delete()
        .catch((e: { code?: string }) => e);
      expect((refused as { code?: string }).code).to.equal('42501');
    } finally {
      await restored.close();
    }
    // A second restore over the now non-empty database is refused, leaving it as it was.
    const again = await run('scripts/restore.sh', [file], { env }).catch((e: { code?: number }) => e);
    expect((again as { code?: number }).code).to.equal(3);
  });
});
