/**
 * Users family: one account per role and place, all with the same password (hashed once, argon2id as the
 * app does): `admin`; per county `bianban<n>` (编办) and `zuzhibu<n>` (县委组织部), n from 1; per township
 * `officer<n>` and `staff<n>` (a person in service there), n from 1 across the whole world.
 */

import { hashPassword } from '../../src/auth/passwords.js';
import type { World } from './world.js';

export const BENCH_PASSWORD = 'gangwei-demo';

export async function generateUsers(w: World): Promise<void> {
  const users = w.sink.table('users', ['id', 'username', 'display_name', 'password_hash']);
  const roles = w.sink.table(
    'user_roles',
    ['id', 'user_id', 'role', 'region_id', 'region_kind', 'person_id'],
    ['users', 'regions', 'people'],
  );
  const hash = await hashPassword(BENCH_PASSWORD);
  const add = (
    username: string,
    display: string,
    role: string,
    regionId: number | null,
    kind: string | null,
    personId: number | null,
  ) => {
    const id = users.id();
    users.add([id, username, display, hash]);
    roles.add([roles.id(), id, role, regionId, kind, personId]);
    return id;
  };
  w.adminUserId = add('admin', '系统管理员', 'admin', null, null, null);
  w.accounts.push({ username: 'admin', role: 'admin', scope: 'everything' });
  for (const c of w.counties) {
    const n = c.index + 1;
    c.establishmentOfficerUserId = add(
      `bianban${n}`,
      `${c.name}编办`,
      'establishment_officer',
      c.id,
      'county',
      null,
    );
    c.reviewerUserId = add(`zuzhibu${n}`, `${c.name}委组织部`, 'county_reviewer', c.id, 'county', null);
  }
  w.accounts.push({ username: 'bianban1 … bianbanN', role: 'establishment_officer', scope: 'county n' });
  w.accounts.push({ username: 'zuzhibu1 … zuzhibuN', role: 'county_reviewer', scope: 'county n' });
  for (const t of w.townships) {
    const n = t.index + 1;
    t.officerUserId = add(`officer${n}`, `${t.name}组织人事`, 'township_officer', t.id, 'township', null);
    const person = t.people.find((p) => p.exitDay === null);
    if (person) add(`staff${n}`, person.name, 'staff', null, null, person.id);
  }
  w.accounts.push({ username: 'officer1 … officerN', role: 'township_officer', scope: 'township n' });
  w.accounts.push({ username: 'staff1 … staffN', role: 'staff', scope: 'a person in township n' });
}
