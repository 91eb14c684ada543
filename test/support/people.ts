import { expect } from 'chai';
import type { Knex } from 'knex';
import { countRows, freshIdNumber } from './factories.js';
import { type Agent, csrfFrom, signIn } from './http.js';
import type { TestWorld } from './world.js';

/** Helpers of the people tests: forms with their CSRF token, valid appointment-form fields, row counts. */

/** One row, loosely typed for assertions (undefined fails the test with a clear message). */
export async function rowOf(knex: Knex, table: string, where: Record<string, unknown>) {
  const row = await knex(table).where(where).orderBy('id', 'desc').first();
  if (!row) throw new Error(`no ${table} row matching ${JSON.stringify(where)}`);
  // biome-ignore lint/suspicious/noExplicitAny: assertions read arbitrary columns
  return row as Record<string, any>;
}

/** Rows that a refused form must leave untouched. */
export async function snapshotCounts(
  knex: Knex,
): Promise<Record<'people' | 'writes', number> & Record<string, number>> {
  const tables = [
    'people',
    'educations',
    'family_members',
    'assignments',
    'grades',
    'quota_slots',
    'person_statuses',
    'assessments',
    'sanctions',
  ];
  const counts: Record<string, number> = {};
  for (const t of tables) counts[t] = await countRows(knex, t);
  counts.writes = Number(
    (
      await knex('audit_log')
        .whereNot('action', 'person.id_number_viewed')
        .whereNot('action', 'like', 'auth.%')
        .count<{ n: number }[]>('* as n')
        .first()
    )?.n ?? 0,
  );
  return counts as Record<'people' | 'writes', number> & Record<string, number>;
}

export async function signInAs(
  world: TestWorld,
  user: { username: string; password: string },
): Promise<Agent> {
  return signIn(world.app, user.username, user.password);
}

/** Posts a form with the CSRF token of the page it came from. */
export async function submit(agent: Agent, formPage: string, action: string, fields: Record<string, string>) {
  const page = await agent.get(formPage);
  expect(page.status, `GET ${formPage}`).to.equal(200);
  return agent
    .post(action)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), ...fields });
}

export const personFields = (overrides: Record<string, string> = {}) => {
  const idNumber = overrides.idNumber ?? freshIdNumber('1992-03-08', 'female');
  return {
    name: '欧阳晓梅',
    idNumber,
    gender: 'female',
    birthDate: '1992.03',
    ethnicity: '汉族',
    nativePlace: '河北石家庄',
    birthPlace: '河北石家庄',
    politicalStatus: 'cpc_member',
    partyJoinedOn: '2014.06',
    workStartedOn: '2014.07',
    health: '健康',
    professionalTitle: '',
    expertise: '文字综合',
    ...overrides,
  };
};
