import type { Knex } from 'knex';
import type { AssessmentResult, Ladder } from '../../src/domain/eligibility/index.js';
import type { createOwnTownship } from './factories.js';
import { createRegisteredPerson } from './factories.js';

type OwnTownship = Awaited<ReturnType<typeof createOwnTownship>>;

/**
 * A person of a test township with a career to assess: an administrative quota slot in the township and an
 * active status from `since`, one open grade from `since`, a bachelor's degree, and the given assessments,
 * sanctions and (optionally) a post. Rows are written directly: the eligibility tests are about reading them.
 */
export async function createCareerPerson(
  knex: Knex,
  t: OwnTownship,
  options: {
    name: string;
    grade: string;
    ladder?: Ladder;
    since: string;
    assessments?: Record<number, AssessmentResult>;
    sanctions?: Array<{ kind: string; decidedOn: string }>;
    postId?: number;
  },
): Promise<number> {
  const { id } = await createRegisteredPerson(knex, { townshipId: t.townshipId, name: options.name });
  await knex('people')
    .where({ id })
    .update({ political_status: 'cpc_member', party_joined_on: '2012-07-01' });
  await knex('quota_slots').insert({
    person_id: id,
    account_id: t.accounts.administrative,
    valid_from: options.since,
  });
  await knex('person_statuses').insert({ person_id: id, status: 'active', valid_from: options.since });
  await knex('grades').insert({
    person_id: id,
    ladder: options.ladder ?? 'civil_service_rank',
    grade_code: options.grade,
    valid_from: options.since,
    doc_no: `测组〔${options.since.slice(0, 4)}〕${id}号`,
  });
  if (options.postId)
    await knex('assignments').insert({
      person_id: id,
      post_id: options.postId,
      kind: 'primary',
      valid_from: options.since,
      doc_no: `测任〔${options.since.slice(0, 4)}〕${id}号`,
    });
  await knex('educations').insert({
    person_id: id,
    mode: 'full_time',
    level: 'bachelor',
    school: '测试大学',
    major: '行政管理',
    graduated_on: '2012-07-01',
  });
  for (const [year, result] of Object.entries(options.assessments ?? {}))
    await knex('assessments').insert({ person_id: id, year: Number(year), result });
  for (const s of options.sanctions ?? [])
    await knex('sanctions').insert({
      person_id: id,
      kind_code: s.kind,
      decided_on: s.decidedOn,
      reason: '测试',
    });
  return id;
}
