/**
 * What the families share while they generate: the scale, the anchor date, the random streams, the sink
 * and the ids of what earlier families made. Ids are assigned here (identity columns accept them), so rows
 * can refer to each other before anything is loaded.
 */

import { Rng } from '../../seeds/demo/random.js';
import type { Scale } from './scale.js';
import type { Sink } from './sink.js';

export type EstablishmentType = 'administrative' | 'civil_service_institutional' | 'institutional' | 'worker';
export type Category = 'leadership' | 'civil_service' | 'management' | 'professional' | 'skilled';

export interface City {
  id: number;
  name: string;
}

export interface Department {
  id: number;
  code: 'sf' | 'sc' | 'cz';
  holderId: number;
  accounts: Map<EstablishmentType, number>;
}

export interface County {
  id: number;
  index: number;
  name: string;
  code: string;
  abbr: string;
  townships: Township[];
  departments: Department[];
  /** The day the county's current quota decisions took effect (its 2019-style reform). */
  reformDay: number;
  establishmentOfficerUserId: number;
  reviewerUserId: number;
}

export interface Township {
  id: number;
  index: number;
  county: County;
  name: string;
  code: string;
  kind: 'town' | 'subdistrict';
  holderId: number;
  accounts: Map<EstablishmentType, number>;
  posts: Post[];
  people: Person[];
  officerUserId: number;
}

export interface Post {
  id: number;
  township: Township;
  unitId: number | null;
  name: string;
  category: Category;
  leadershipKind: string | null;
  types: EstablishmentType[];
  /** The quota account a holder of this post occupies (the township's, or the department's). */
  accountId: number;
  /** Posts in one group feed each other in careers: same holder, same establishment type, same ladder. */
  group: string;
  /** chief (正科 team seat), deputy (副科 team seat), head (unit head), staff. */
  role: 'chief' | 'deputy' | 'head' | 'staff';
  gradeLow: string | null;
  gradeHigh: string | null;
  /** Periods [from, to) in which someone holds it (to = null: open). */
  occupancy: Array<[number, number | null]>;
}

export interface Person {
  id: number;
  township: Township;
  name: string;
  gender: 'male' | 'female';
  birthDay: number;
  /** Day they entered the township's establishment (first assignment and quota slot). */
  entryDay: number;
  /** Day they left (retired, transferred out ...), null while in service. */
  exitDay: number | null;
  exitStatus: 'retired' | 'transferred_out' | 'resigned' | 'deceased' | null;
  type: EstablishmentType;
  accountId: number;
  /** Primary assignments in order: [post, from, to]. */
  segments: Array<{ post: Post; from: number; to: number | null }>;
  /** When an entry was approved before the first day (用编核准): the account counts them from then. */
  reservedFromDay: number | null;
  ladder: string;
  political: 'cpc_member' | 'cpc_probationary' | 'youth_league' | 'democratic_party' | 'non_party' | 'masses';
  /** The first appointment to a deputy seat of the township's team, when there was one (for selection cases). */
  deputyAppointment?: { assignmentId: number; gradeId: number; post: Post; from: number; to: number | null };
}

export interface World {
  scale: Scale;
  today: number;
  seed: number;
  rng: Rng;
  sink: Sink;
  cities: City[];
  counties: County[];
  townships: Township[];
  people: Person[];
  adminUserId: number;
  /** Accounts created for each role, with the password every benchmark account has. */
  accounts: Array<{ username: string; role: string; scope: string }>;
}

export function newWorld(scale: Scale, today: number, seed: number, sink: Sink): World {
  return {
    scale,
    today,
    seed,
    rng: new Rng(seed),
    sink,
    cities: [],
    counties: [],
    townships: [],
    people: [],
    adminUserId: 0,
    accounts: [],
  };
}

/** Characters for place names: two of them make a name unique inside a parent up to 1,600 places. */
const PLACE_A = [...'东西南北青白金石云松柳桃杏龙凤平安宁清河山川湖溪泉林峰岭源阳华兴隆福寿康永长新丰和'];
const PLACE_B = [...'城关桥门口岗湾坪坝塘庄集店铺寨屯沟洼坡台营口滩洲港埠渡头堡园田岩谷'];

export function placeName(index: number): string {
  const a = PLACE_A[index % PLACE_A.length] as string;
  const b = PLACE_B[Math.floor(index / PLACE_A.length) % PLACE_B.length] as string;
  const round = Math.floor(index / (PLACE_A.length * PLACE_B.length));
  return round === 0 ? a + b : `${a}${b}${round + 1}`;
}
