import type { Knex } from 'knex';
import { hashPassword } from '../../src/auth/passwords.js';
import type { Role } from '../../src/auth/principal.js';
import type { EstablishmentType, PostCategory, UnitRank } from '../../src/db/tables.js';
import { makeIdNumber } from '../../src/domain/idNumber.js';
import { nameKeys } from '../../src/domain/personName.js';

let counter = 0;

/** A new account (unique username) with one role; for tests that change accounts without touching the demo ones. */
export async function createUser(
  knex: Knex,
  options: { role: Role; regionId?: number; personId?: number; password?: string; prefix?: string },
): Promise<{ id: number; username: string; password: string }> {
  counter += 1;
  const username = `${options.prefix ?? 't'}-${process.pid}-${counter}`.toLowerCase();
  const password = options.password ?? 'correct-horse-battery-9';
  const [user] = await knex('users')
    .insert({ username, display_name: `测试用户${counter}`, password_hash: await hashPassword(password) })
    .returning('id');
  const id = (user as { id: number }).id;
  const regionKind =
    options.role === 'township_officer'
      ? 'township'
      : options.role === 'admin' || options.role === 'staff'
        ? null
        : 'county';
  await knex('user_roles').insert({
    user_id: id,
    role: options.role,
    region_id: options.regionId ?? null,
    region_kind: regionKind,
    person_id: options.personId ?? null,
  });
  return { id, username, password };
}

/** Demo ids looked up by account, so tests don't hard-code generated ids. */
export async function demoScopes(knex: Knex) {
  const grant = async (username: string) => {
    const row = await knex('user_roles as ur')
      .join('users as u', 'u.id', 'ur.user_id')
      .where('u.username', username)
      .first('ur.region_id', 'ur.person_id');
    if (!row) throw new Error(`demo account ${username} missing`);
    return row as { region_id: number | null; person_id: number | null };
  };
  const county = (await grant('zuzhibu')).region_id as number;
  const county2 = (await grant('zuzhibu2')).region_id as number;
  const township = (await grant('officer')).region_id as number;
  const township2 = (await grant('officer2')).region_id as number;
  const township3 = (await grant('officer3')).region_id as number;
  const staffPerson = (await grant('staff')).person_id as number;
  const city = (await knex('regions').where({ id: county }).first('parent_id'))?.parent_id as number;
  return { city, county, county2, township, township2, township3, staffPerson };
}

/** Rows in a table matching a filter (a number on both backends). */
export async function countRows(
  knex: Knex,
  table: string,
  where: Record<string, unknown> = {},
): Promise<number> {
  const row = await knex(table).where(where).count<{ n: number | string }[]>('* as n').first();
  return Number(row?.n ?? 0);
}

let townshipCounter = 0;

/** A unit of a township with its first version (name and rank), established on `from`; returns its id. */
async function insertUnit(
  knex: Knex,
  u: {
    townshipId: number;
    kind: 'office' | 'station' | 'dispatched';
    departmentId?: number;
    name: string;
    rank: UnitRank;
    from: string;
  },
): Promise<number> {
  const [row] = await knex('units')
    .insert({
      township_id: u.townshipId,
      kind: u.kind,
      department_id: u.departmentId ?? null,
      established_on: u.from,
    })
    .returning('id');
  const id = (row as { id: number }).id;
  await knex('unit_versions').insert({
    unit_id: id,
    township_id: u.townshipId,
    valid_from: u.from,
    name: u.name,
    rank: u.rank,
  });
  return id;
}

/**
 * A small township of its own inside a demo county, so write tests never disturb the demo world:
 * a quota holder with the given approved counts (from 2020-01-01), one office and one station with
 * `postsPerUnit` open posts each, leadership team posts for deputy mayors, and an officer account.
 */
export async function createTestTownship(
  knex: Knex,
  options: {
    countyId: number;
    approved?: Partial<
      Record<'administrative' | 'civil_service_institutional' | 'institutional' | 'worker', number>
    >;
    postsPerUnit?: number;
    deputyMayorSlots?: number;
  },
) {
  townshipCounter += 1;
  const name = `测试镇${process.pid}${townshipCounter}`;
  return knex.transaction(async (trx) => {
    const [t] = await trx('regions')
      .insert({
        kind: 'township',
        parent_id: options.countyId,
        parent_kind: 'county',
        name,
        township_kind: 'town',
      })
      .returning('id');
    const townshipId = (t as { id: number }).id;
    const [h] = await trx('quota_holders').insert({ township_id: townshipId }).returning('id');
    const holderId = (h as { id: number }).id;
    const accounts: Record<string, number> = {};
    for (const [type, count] of Object.entries(options.approved ?? { administrative: 3, institutional: 3 })) {
      const [a] = await trx('quota_accounts')
        .insert({ holder_id: holderId, establishment_type: type as 'administrative' })
        .returning('id');
      accounts[type] = (a as { id: number }).id;
      await trx('quota_decisions').insert({
        account_id: accounts[type],
        approved_count: count,
        effective_from: '2020-01-01',
        doc_no: `测编〔2020〕${townshipCounter}号`,
      });
    }
    const [d] = await trx('unit_decisions')
      .insert({
        township_id: townshipId,
        kind: 'establish',
        effective_on: '2020-01-01',
        doc_no: '测编〔2020〕1号',
      })
      .returning('id');
    const decisionId = (d as { id: number }).id;
    const unit = async (kind: 'office' | 'station', unitName: string, sort: number) => {
      const [u] = await trx('units')
        .insert({
          township_id: townshipId,
          kind,
          established_on: '2020-01-01',
          established_decision_id: decisionId,
          sort_order: sort,
        })
        .returning('id');
      const id = (u as { id: number }).id;
      await trx('unit_versions').insert({
        unit_id: id,
        township_id: townshipId,
        decision_id: decisionId,
        valid_from: '2020-01-01',
        name: unitName,
        rank: 'stock',
      });
      return id;
    };
    const officeId = await unit('office', '党政综合办公室', 1);
    const stationId = await unit('station', '农业综合服务站', 2);
    const posts = { office: [] as number[], station: [] as number[], deputyMayor: [] as number[] };
    for (let i = 0; i < (options.postsPerUnit ?? 4); i++) {
      const [o] = await trx('posts')
        .insert({
          township_id: townshipId,
          unit_id: officeId,
          name: `科员${i + 1}`,
          category: 'civil_service',
          establishment_types: ['administrative'],
          opened_on: '2020-01-01',
          sort_order: i,
        })
        .returning('id');
      posts.office.push((o as { id: number }).id);
      const [s] = await trx('posts')
        .insert({
          township_id: townshipId,
          unit_id: stationId,
          name: `站员${i + 1}`,
          category: 'management',
          establishment_types: ['institutional'],
          opened_on: '2020-01-01',
          sort_order: 100 + i,
        })
        .returning('id');
      posts.station.push((s as { id: number }).id);
    }
    for (let i = 0; i < 3; i++) {
      const [p] = await trx('posts')
        .insert({
          township_id: townshipId,
          name: '副镇长',
          category: 'leadership',
          leadership_kind: 'deputy_mayor',
          establishment_types: ['administrative'],
          opened_on: '2020-01-01',
          sort_order: 200 + i,
        })
        .returning('id');
      posts.deputyMayor.push((p as { id: number }).id);
    }
    const [la] = await trx('leadership_slot_accounts')
      .insert({ township_id: townshipId, kind_code: 'deputy_mayor' })
      .returning('id');
    await trx('leadership_slot_decisions').insert({
      account_id: (la as { id: number }).id,
      slot_count: options.deputyMayorSlots ?? 2,
      rank: 'deputy_section',
      counted: true,
      effective_from: '2020-01-01',
      doc_no: '测组〔2020〕1号',
    });
    await trx('leadership_total_decisions').insert({
      township_id: townshipId,
      total: 9,
      effective_from: '2020-01-01',
      doc_no: '测组〔2020〕2号',
    });
    return { townshipId, name, holderId, accounts, officeId, stationId, posts };
  });
}

let personCounter = 0;

/** A person with a valid, unique ID number and nothing else (no post, no slot). */
export async function createPerson(knex: Knex, name = '测试人员'): Promise<number> {
  personCounter += 1;
  const n = personCounter;
  const birthDate = `19${80 + (n % 20)}-0${1 + (n % 9)}-1${n % 10}`;
  const idNumber = makeIdNumber('990999', birthDate, (process.pid * 7 + n * 13) % 1000, 'male');
  return knex.transaction(async (trx) => {
    const [p] = await trx('people')
      .insert({
        id_number: idNumber,
        name: `${name}${n}`,
        gender: 'male',
        birth_date: birthDate,
        political_status: 'masses',
      })
      .returning('id');
    const id = (p as { id: number }).id;
    await trx('person_statuses').insert({ person_id: id, status: 'active', valid_from: '2015-01-01' });
    return id;
  });
}

/**
 * A township of its own (in a city and county of its own, so no demo aggregate changes), with quota and posts:
 * administrative quota approved 2 and institutional 1 since 2000; an office with two administrative posts
 * and a station with one institutional post; and its own township officer.
 */
export async function createOwnTownship(knex: Knex) {
  counter += 1;
  const tag = `${process.pid}-${counter}`;
  const [city] = await knex('regions')
    .insert({ kind: 'city', name: `测试市${tag}` })
    .returning('id');
  const cityId = (city as { id: number }).id;
  const [county] = await knex('regions')
    .insert({ kind: 'county', parent_id: cityId, parent_kind: 'city', name: `测试县${tag}` })
    .returning('id');
  const countyId = (county as { id: number }).id;
  const [township] = await knex('regions')
    .insert({
      kind: 'township',
      parent_id: countyId,
      parent_kind: 'county',
      name: `测试镇${tag}`,
      township_kind: 'town',
    })
    .returning('id');
  const townshipId = (township as { id: number }).id;
  const [holder] = await knex('quota_holders').insert({ township_id: townshipId }).returning('id');
  const holderId = (holder as { id: number }).id;
  const accounts: Record<string, number> = {};
  for (const [type, approved] of [
    ['administrative', 2],
    ['institutional', 1],
  ] as const) {
    const [acc] = await knex('quota_accounts')
      .insert({ holder_id: holderId, establishment_type: type })
      .returning('id');
    accounts[type] = (acc as { id: number }).id;
    await knex('quota_decisions').insert({
      account_id: accounts[type],
      approved_count: approved,
      effective_from: '2000-01-01',
      doc_no: `测编〔2000〕${counter}号`,
    });
  }
  const unit = (kind: 'office' | 'station', name: string) =>
    insertUnit(knex, { townshipId, kind, name, rank: 'deputy_section', from: '2000-01-01' });
  const office = await unit('office', '党政综合办公室');
  const station = await unit('station', '农业综合服务站');
  const post = async (
    unitId: number,
    name: string,
    category: PostCategory,
    types: EstablishmentType[],
    sort: number,
  ) => {
    const [row] = await knex('posts')
      .insert({
        township_id: townshipId,
        unit_id: unitId,
        name,
        category,
        establishment_types: types,
        opened_on: '2000-01-01',
        sort_order: sort,
      })
      .returning('id');
    return (row as { id: number }).id;
  };
  const posts = {
    clerkA: await post(office, '综合文字岗', 'civil_service', ['administrative'], 1),
    clerkB: await post(office, '组织人事岗', 'civil_service', ['administrative'], 2),
    station: await post(station, '农技推广岗', 'management', ['institutional'], 3),
  };
  const officer = await createUser(knex, { role: 'township_officer', regionId: townshipId, prefix: 'off' });
  return { cityId, countyId, townshipId, accounts, posts, officer };
}

/**
 * A county department (its quota held by the department when `approved` is given: that many administrative
 * places), with helpers to give it a dispatched unit (派驻机构) in a township and a post in such a unit.
 */
export async function createCountyDepartment(
  knex: Knex,
  countyId: number,
  options: { approved?: number } = {},
) {
  const [dep] = await knex('county_departments')
    .insert({ county_id: countyId, name: `测试局${process.pid}${Date.now()}${Math.random()}` })
    .returning('id');
  const departmentId = (dep as { id: number }).id;
  let accountId = 0;
  if (options.approved !== undefined) {
    const [holder] = await knex('quota_holders').insert({ department_id: departmentId }).returning('id');
    const [account] = await knex('quota_accounts')
      .insert({ holder_id: (holder as { id: number }).id, establishment_type: 'administrative' })
      .returning('id');
    accountId = (account as { id: number }).id;
    await knex('quota_decisions').insert({
      account_id: accountId,
      approved_count: options.approved,
      effective_from: '2020-01-01',
      doc_no: '测编〔2020〕99号',
    });
  }
  /** The department's dispatched unit 司法所 in the township, from 2020; returns the unit. */
  const unitIn = (townshipId: number, rank: 'stock' | 'deputy_section' = 'stock'): Promise<number> =>
    insertUnit(knex, {
      townshipId,
      kind: 'dispatched',
      departmentId,
      name: '司法所',
      rank,
      from: '2020-01-01',
    });
  /** A dispatched unit of the department in the township with one administrative post; returns the post. */
  const postIn = async (townshipId: number): Promise<number> => {
    const [post] = await knex('posts')
      .insert({
        township_id: townshipId,
        unit_id: await unitIn(townshipId),
        name: '司法助理员',
        category: 'civil_service',
        establishment_types: ['administrative'],
        opened_on: '2020-01-01',
      })
      .returning('id');
    return (post as { id: number }).id;
  };
  return { departmentId, accountId, unitIn, postIn };
}

let idSequence = 0;

/** A valid ID number nobody else has (area code 990000 is not a real one). */
export function freshIdNumber(birthDate = '1990-05-17', gender: 'male' | 'female' = 'male'): string {
  idSequence += 1;
  const area = `99${String((process.pid + idSequence * 7) % 10000).padStart(4, '0')}`;
  return makeIdNumber(area, birthDate, idSequence * 2, gender);
}

/** A person recorded directly (no history), kept by the township. */
export async function createRegisteredPerson(
  knex: Knex,
  options: {
    townshipId: number;
    name?: string;
    birthDate?: string;
    gender?: 'male' | 'female';
    idNumber?: string;
  },
): Promise<{ id: number; idNumber: string; name: string }> {
  const gender = options.gender ?? 'male';
  const birthDate = options.birthDate ?? '1990-05-17';
  const idNumber = options.idNumber ?? freshIdNumber(birthDate, gender);
  const name = options.name ?? '测试人';
  const keys = nameKeys(name);
  const [row] = await knex('people')
    .insert({
      id_number: idNumber,
      name,
      name_pinyin: keys.pinyin,
      name_initials: keys.initials,
      surname_strokes: keys.surnameStrokes,
      gender,
      birth_date: birthDate,
      political_status: 'masses',
      registered_township_id: options.townshipId,
    })
    .returning('id');
  return { id: (row as { id: number }).id, idNumber, name };
}
