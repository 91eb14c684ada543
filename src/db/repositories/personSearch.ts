import type { Knex } from 'knex';
import type { Scope } from '../../auth/principal.js';
import type { EstablishmentType } from '../tables.js';
import { personCountiesByDepartmentQuery, personTownshipsQuery } from './scope.js';
import { joinUnitVersionOn } from './unitVersions.js';

export type PeopleOrder = 'strokes' | 'pinyin';

export interface PeopleFilter {
  /** Name, full pinyin or initials, ID number (full or its last digits), unit or post name. */
  q: string;
  townshipId: number | null;
  order: PeopleOrder;
  page: number;
  pageSize: number;
}

export interface PersonHit {
  id: number;
  name: string;
  gender: 'male' | 'female';
  birthDate: string;
  idNumber: string;
  townshipName: string | null;
  unitName: string | null;
  postName: string | null;
  establishmentType: EstablishmentType | null;
  status: string | null;
}

/** Person ids in the scope on a date (optionally in one township only), as a subquery. */
function idsInScope(db: Knex, scope: Scope, asOf: string, townshipId: number | null): Knex.QueryBuilder {
  const townships = townshipId === null ? null : [townshipId];
  if (scope.all) {
    if (townships === null) return db('people').select('id as person_id');
    return db
      .from(personTownshipsQuery(db, asOf, { townshipIds: townships }).as('pt'))
      .whereIn('pt.township_id', townships)
      .select('pt.person_id');
  }
  const inTownships = (townships ?? [...scope.townshipIds]).filter((id) => scope.townshipIds.has(id));
  const parts: Knex.QueryBuilder[] = [
    db
      .from(personTownshipsQuery(db, asOf, { townshipIds: inTownships }).as('pt'))
      .whereIn('pt.township_id', inTownships)
      .select('pt.person_id'),
  ];
  if (townships === null && scope.fullCountyIds.size > 0)
    parts.push(
      db
        .from(personCountiesByDepartmentQuery(db, asOf).as('pc'))
        .whereIn('pc.county_id', [...scope.fullCountyIds])
        .select('pc.person_id'),
    );
  if (townships === null && scope.personIds.size > 0)
    parts.push(
      db('people')
        .whereIn('id', [...scope.personIds])
        .select('id as person_id'),
    );
  return db.union(parts, true);
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function searchPeople(
  db: Knex,
  scope: Scope,
  filter: PeopleFilter,
  asOf: string,
): Promise<{ items: PersonHit[]; total: number }> {
  const inForce = (q: Knex.QueryBuilder, alias: string) =>
    q
      .whereNull(`${alias}.superseded_at`)
      .andWhere(`${alias}.valid_from`, '<=', asOf)
      .andWhere((w) => w.whereNull(`${alias}.valid_to`).orWhere(`${alias}.valid_to`, '>', asOf));
  const current = inForce(
    joinUnitVersionOn(
      db('assignments as a')
        .join('posts as p', 'p.id', 'a.post_id')
        .join('regions as t', 't.id', 'p.township_id'),
      'p.unit_id',
      { date: asOf },
      'u',
    ).where('a.kind', 'primary'),
    'a',
  ).select('a.person_id', 'p.name as post_name', 'u.name as unit_name', 't.name as township_name');
  const slot = inForce(
    db('quota_slots as s')
      .join('quota_accounts as qa', 'qa.id', 's.account_id')
      .join('quota_holders as qh', 'qh.id', 'qa.holder_id')
      .leftJoin('regions as ht', 'ht.id', 'qh.township_id'),
    's',
  ).select('s.person_id', 'qa.establishment_type', 'ht.name as holder_township');
  const status = inForce(db('person_statuses as st'), 'st').select('st.person_id', 'st.status');

  const base = db('people as pe')
    .whereIn('pe.id', idsInScope(db, scope, asOf, filter.townshipId))
    .leftJoin(current.as('cur'), 'cur.person_id', 'pe.id')
    .leftJoin(slot.as('slot'), 'slot.person_id', 'pe.id')
    .leftJoin(status.as('stat'), 'stat.person_id', 'pe.id')
    .leftJoin('regions as rt', 'rt.id', 'pe.registered_township_id');

  const q = filter.q.trim();
  if (q !== '') {
    const compact = q.replace(/\s+/g, '');
    if (/^\d{1,17}[\dXx]?$/.test(compact)) {
      const digits = compact.toUpperCase();
      if (digits.length === 18) base.where('pe.id_number', digits);
      else base.whereRaw(`pe.id_number LIKE ? ESCAPE '\\'`, [`%${escapeLike(digits)}`]);
    } else if (/^[a-zA-Z]+$/.test(compact)) {
      const letters = `${escapeLike(compact.toLowerCase())}%`;
      base.where((w) =>
        w
          .whereRaw(`pe.name_pinyin LIKE ? ESCAPE '\\'`, [letters])
          .orWhereRaw(`pe.name_initials LIKE ? ESCAPE '\\'`, [letters]),
      );
    } else {
      const text = `%${escapeLike(q)}%`;
      base.where((w) =>
        w
          .whereRaw(`pe.name LIKE ? ESCAPE '\\'`, [text])
          .orWhereRaw(`cur.unit_name LIKE ? ESCAPE '\\'`, [text])
          .orWhereRaw(`cur.post_name LIKE ? ESCAPE '\\'`, [text]),
      );
    }
  }

  const countRow = await base.clone().count<{ n: number | string }[]>('pe.id as n').first();
  const total = Number(countRow?.n ?? 0);
  const order =
    filter.order === 'pinyin'
      ? [{ column: 'pe.name_pinyin' }, { column: 'pe.id' }]
      : [{ column: 'pe.surname_strokes' }, { column: 'pe.name_pinyin' }, { column: 'pe.id' }];
  const rows = await base
    .select(
      'pe.id',
      'pe.name',
      'pe.gender',
      'pe.birth_date',
      'pe.id_number',
      db.raw('coalesce(cur.township_name, slot.holder_township, rt.name) as township_name'),
      'cur.unit_name',
      'cur.post_name',
      'slot.establishment_type',
      'stat.status',
    )
    .orderBy(order)
    .limit(filter.pageSize)
    .offset((filter.page - 1) * filter.pageSize);
  return {
    total,
    items: rows.map((r: Record<string, unknown>) => ({
      id: r.id as number,
      name: r.name as string,
      gender: r.gender as 'male' | 'female',
      birthDate: r.birth_date as string,
      idNumber: r.id_number as string,
      townshipName: r.township_name as string | null,
      unitName: r.unit_name as string | null,
      postName: r.post_name as string | null,
      establishmentType: r.establishment_type as EstablishmentType | null,
      status: r.status as string | null,
    })),
  };
}
