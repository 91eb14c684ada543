/**
 * The demo world as plain rows, computed without a database: a pure, deterministic function of the anchor
 * date and the random seed. Rows refer to each other by natural keys (region codes, ID numbers, post
 * keys); `index.ts` inserts them and maps the keys to generated ids.
 *
 * How a career is built: every seat (post) open at the anchor date is filled or left vacant; each filled
 * seat gets a person whose current assignment starts some time before the anchor (phase A). A few people
 * who retired or left are given a last seat that someone else took over later (phase A2). Then each
 * person's earlier career is filled backwards from the current seat with seats that were free at the time
 * and not above the later one (phase B). Seats whose unit replaced a pre-2019 body have a twin post in the
 * legacy unit; an assignment that spans the 2019 reform date is split in two (人随编走).
 */

import { makeIdNumber } from '../../src/domain/idNumber.js';
import { gradeLevels } from '../reference.js';
import {
  CITY,
  COUNTIES,
  type CountyDef,
  DEPARTMENTS,
  type DepartmentCode,
  type EstablishmentType,
  ETHNICITIES,
  FAMILY_WORK,
  IN_SERVICE_MAJORS,
  LEADER_SEATS,
  LEGACY_UNITS,
  MAJORS,
  type PostCategory,
  PRIOR_BUREAUS,
  PRIOR_CHIEF_JOBS,
  PRIOR_DEPUTY_JOBS,
  PRIOR_INSTITUTION_JOBS,
  PRIOR_JOBS,
  PRIOR_STOCK_JOBS,
  PRIOR_TOWNS,
  SANCTION_STORIES,
  SCHOOLS,
  type TownshipDef,
  UNIT_MAJOR,
  UNIT_TEMPLATE,
  type UnitDef,
  type UnitKind,
  type UnitRank,
  VILLAGES,
} from './catalog.js';
import {
  addDays,
  addMonths,
  addYears,
  ageOn,
  firstOfMonth,
  isIsoDate,
  maxDate,
  minDate,
  monthsBetween,
  randomDate,
  yearOf,
  ymd,
} from './dates.js';
import { makeName, type NameKeys, nameKeys, surnameOf } from './names.js';
import { hashString, Rng } from './random.js';

export const DEFAULT_SEED = 20261129;

/** Bodies before the 2019 township reform were set up in an earlier (fictional) round. */
export const LEGACY_DATE = '2005-10-18';
/** 职务与职级并行: old titles (科员, 副主任科员 …) converted to the new ranks. */
export const CONVERSION_DATE = '2019-06-01';
/** The temporary 脱贫攻坚 slot is written off (核销) when the task ends. */
export const POVERTY_WRITE_OFF = '2021-06-30';
/** The earliest anchor date: the reform history (2016, 2017, 2019, 2021) must lie in the past. */
export const EARLIEST_ANCHOR = '2023-01-01';

// ---------------------------------------------------------------------------------------------------------
// Output rows

export interface RegionRow {
  code: string;
  kind: 'city' | 'county' | 'township';
  name: string;
  parentCode: string | null;
  townshipKind: 'town' | 'subdistrict' | null;
  sortOrder: number;
}
export interface DepartmentRow {
  key: string;
  countyCode: string;
  name: string;
}
export interface HolderRow {
  key: string;
  townshipCode: string | null;
  departmentKey: string | null;
}
export interface AccountRow {
  key: string;
  holderKey: string;
  type: EstablishmentType;
}
export interface QuotaDecisionRow {
  accountKey: string;
  approved: number;
  effectiveFrom: string;
  docNo: string;
  changeSummary: string;
}
export interface UnitRow {
  key: string;
  townshipCode: string;
  kind: UnitKind;
  name: string;
  aliasNames: string[];
  rank: UnitRank;
  featured: boolean;
  departmentKey: string | null;
  establishedOn: string;
  establishedDocNo: string;
  abolishedOn: string | null;
  abolishedDocNo: string | null;
  sortOrder: number;
}
export interface PostRow {
  key: string;
  townshipCode: string;
  unitKey: string | null;
  name: string;
  category: PostCategory;
  leadershipKind: string | null;
  establishmentTypes: EstablishmentType[];
  gradeLow: string | null;
  gradeHigh: string | null;
  crossType: boolean;
  openedOn: string;
  closedOn: string | null;
  docNo: string;
  sortOrder: number;
}
export interface LeadershipAccountRow {
  key: string;
  townshipCode: string;
  kind: string;
}
export interface LeadershipDecisionRow {
  accountKey: string;
  slotCount: number;
  rank: 'section_chief' | 'deputy_section';
  counted: boolean;
  concurrentOnly: boolean;
  temporary: boolean;
  writeOffOn: string | null;
  effectiveFrom: string;
  docNo: string;
  changeSummary: string;
}
export interface LeadershipTotalRow {
  townshipCode: string;
  total: number;
  effectiveFrom: string;
  docNo: string;
  changeSummary: string;
}
export interface PersonRow {
  key: string;
  idNumber: string;
  name: string;
  namePinyin: string;
  nameInitials: string;
  surnameStrokes: number;
  gender: 'male' | 'female';
  birthDate: string;
  ethnicity: string;
  nativePlace: string;
  birthPlace: string;
  politicalStatus: PoliticalStatus;
  partyJoinedOn: string | null;
  workStartedOn: string;
  professionalTitle: string;
  expertise: string;
}
interface HistoryFields {
  validFrom: string;
  validTo: string | null;
  reason: string;
  docNo: string | null;
}
export interface AssignmentRow extends HistoryFields {
  personKey: string;
  postKey: string;
  kind: 'primary' | 'concurrent' | 'secondment';
  plannedUntil: string | null;
}
export interface GradeRow extends HistoryFields {
  personKey: string;
  ladder: string;
  gradeCode: string;
  legacyTitle: string | null;
  probationUntil: string | null;
}
export interface SlotRow extends HistoryFields {
  personKey: string;
  accountKey: string;
}
export interface StatusRow extends HistoryFields {
  personKey: string;
  status: 'active' | 'retired' | 'transferred_out';
}
export interface EducationRow {
  personKey: string;
  mode: 'full_time' | 'in_service';
  level: EducationLevel;
  degree: 'master' | 'bachelor' | null;
  school: string;
  major: string;
  startedOn: string;
  graduatedOn: string;
}
export interface FamilyRow {
  personKey: string;
  relation: string;
  name: string;
  birthDate: string;
  politicalStatus: PoliticalStatus;
  workUnitAndPost: string;
  emigrated: boolean;
  relatedPersonKey: string | null;
  sortOrder: number;
}
export interface ResumeRow {
  personKey: string;
  fromMonth: string;
  toMonth: string;
  text: string;
}
export interface AssessmentRow {
  personKey: string;
  year: number;
  result: AssessmentResult;
  docNo: string;
}
export interface SanctionRow {
  personKey: string;
  kindCode: string;
  decidedOn: string;
  closedOn: string | null;
  reason: string;
  docNo: string;
}
export type DemoRole = 'admin' | 'establishment_officer' | 'county_reviewer' | 'township_officer' | 'staff';
export interface UserRow {
  username: string;
  displayName: string;
  role: DemoRole;
  regionCode: string | null;
  regionKind: 'county' | 'township' | null;
  personKey: string | null;
}

export interface DemoFacts {
  overQuota: {
    townshipCode: string;
    township: string;
    type: EstablishmentType;
    approved: number;
    occupied: number;
  };
  full: Array<{ townshipCode: string; township: string; type: EstablishmentType; approved: number }>;
  secondments: Array<{
    personKey: string;
    from: string;
    plannedUntil: string;
    to: string | null;
    home: string;
    destination: string;
  }>;
  movers: Array<{ personKey: string; from: string; to: string; on: string }>;
  staffPersonKey: string;
  /** People whose earlier career could not be placed and whose record starts later than planned. */
  shortenedRecords: number;
}

export interface DemoPlan {
  anchor: string;
  seed: number;
  regions: RegionRow[];
  departments: DepartmentRow[];
  holders: HolderRow[];
  accounts: AccountRow[];
  quotaDecisions: QuotaDecisionRow[];
  units: UnitRow[];
  posts: PostRow[];
  leadershipAccounts: LeadershipAccountRow[];
  leadershipDecisions: LeadershipDecisionRow[];
  leadershipTotals: LeadershipTotalRow[];
  people: PersonRow[];
  assignments: AssignmentRow[];
  grades: GradeRow[];
  slots: SlotRow[];
  statuses: StatusRow[];
  educations: EducationRow[];
  families: FamilyRow[];
  resumeLines: ResumeRow[];
  assessments: AssessmentRow[];
  sanctions: SanctionRow[];
  users: UserRow[];
  facts: DemoFacts;
}

type PoliticalStatus =
  | 'cpc_member'
  | 'cpc_probationary'
  | 'youth_league'
  | 'democratic_party'
  | 'non_party'
  | 'masses';
type EducationLevel = 'master' | 'bachelor' | 'college' | 'secondary_vocational';
type AssessmentResult =
  | 'excellent'
  | 'competent'
  | 'basically_competent'
  | 'incompetent'
  | 'ungraded'
  | 'qualified'
  | 'basically_qualified';
type Track = 'cs' | 'mgmt' | 'pro' | 'skilled';
type Role = 'chief' | 'deputy' | 'head' | 'staff';

// ---------------------------------------------------------------------------------------------------------
// Internal model

interface CountyDates {
  quota2016: string;
  lead2016: string;
  pov2017: string;
  reform2019: string;
  lead2021: string;
  featured2022: string;
}

interface CountyDocs {
  legacy: string;
  quota2016: string;
  lead2016: string;
  pov2017: string;
  reform2019: string;
  lead2021: string;
  conversion: string;
}

interface CountyCtx {
  def: CountyDef;
  idx: number;
  dates: CountyDates;
  docs: CountyDocs;
  townships: TownshipCtx[];
  idCounter: number;
}

interface TownshipCtx {
  def: TownshipDef;
  idx: number;
  idxInCounty: number;
  county: CountyCtx;
  seats: Seat[];
  holderKey: string;
  names: Set<string>;
}

interface Interval {
  from: string;
  to: string | null;
}

interface Seat {
  key: string;
  twinKey: string;
  township: TownshipCtx;
  unit: UnitDef | null;
  unitKey: string | null;
  unitName: string;
  legacyUnitKey: string | null;
  legacyUnitName: string | null;
  name: string;
  category: PostCategory;
  leadershipKind: string | null;
  types: EstablishmentType[];
  crossType: boolean;
  /** Start of the seat's lineage (the legacy twin's opening when it has one). */
  opensOn: string;
  closesOn: string | null;
  /** The reform date on which the legacy twin closes and this post opens. */
  splitOn: string | null;
  docNo: string;
  level: 0 | 1 | 2 | 3;
  isHead: boolean;
  isLeaderTeam: boolean;
  department: DepartmentCode | null;
  gradeLow: string | null;
  gradeHigh: string | null;
  sort: number;
  occupancy: Interval[];
  /** A staff post of a pre-2019 body that the reform abolished (written only if somebody held it). */
  extra?: boolean;
}

interface Segment {
  seat: Seat;
  from: string;
  to: string | null;
  /** Secondments only: the planned end (the actual end is `to`, null until the person returns). */
  plannedUntil?: string;
  reason: string;
  docNo: string | null;
}

interface PriorCareer {
  lines: Array<{ from: string; to: string; text: string }>;
  /** A leadership job before the record (乡科级副职 or 正职), which counts for the leadership level. */
  senior: { from: string; level: 2 | 3; text: string } | null;
}

interface Education {
  level: EducationLevel;
  gradAge: number;
}

interface Person {
  key: string;
  seq: number;
  name: string;
  keys: NameKeys;
  gender: 'male' | 'female';
  birth: string;
  education: Education;
  workStart: string;
  recordStart: string;
  /** Exit date (retired or transferred out); null = in service at the anchor. */
  end: string | null;
  exit: 'retired' | 'transferred_out' | null;
  type: EstablishmentType;
  track: Track;
  department: DepartmentCode | null;
  county: CountyCtx;
  home: TownshipCtx;
  role: Role;
  segments: Segment[];
  concurrent: Segment[];
  secondments: Segment[];
  moverFrom: TownshipCtx | null;
  moveDate: string | null;
  majorGroup: string;
  ethnicity: string;
  nativePlace: string;
  birthPlace: string;
  political: PoliticalStatus;
  partyJoined: string | null;
}

const TYPE_ZH: Record<EstablishmentType, string> = {
  administrative: '行政编制',
  civil_service_institutional: '参公事业编制',
  institutional: '事业编制',
  worker: '工勤编制',
};

const CS_CODES = ['clerk_2', 'clerk_1', 'principal_4', 'principal_3', 'principal_2', 'principal_1'] as const;
const OLD_TITLES: Record<number, string> = { 0: '办事员', 1: '科员', 2: '副主任科员', 4: '主任科员' };
const GRADE_NAME = new Map(gradeLevels.map((g) => [g.code, g.name_zh]));
const gradeName = (code: string): string => GRADE_NAME.get(code) ?? code;

/** Document numbers: 示编发〔2016〕12号, one counter per prefix and year. */
class DocNumbers {
  private readonly counters = new Map<string, number>();

  next(prefix: string, year: number): string {
    const key = `${prefix}|${year}`;
    const n = (this.counters.get(key) ?? 1 + (hashString(key) % 9)) + 1;
    this.counters.set(key, n);
    return `${prefix}〔${year}〕${n}号`;
  }
}

const overlaps = (a: Interval, from: string, to: string | null): boolean =>
  a.from < (to ?? '9999-12-31') && from < (a.to ?? '9999-12-31');

function isFree(seat: Seat, from: string, to: string | null): boolean {
  return !seat.occupancy.some((o) => overlaps(o, from, to));
}

function isOpenDuring(seat: Seat, from: string, to: string | null): boolean {
  if (seat.opensOn > from) return false;
  if (seat.closesOn === null) return true;
  return to !== null && to <= seat.closesOn;
}

function reserve(seat: Seat, from: string, to: string | null): void {
  if (!isFree(seat, from, to)) {
    throw new Error(`demo plan: seat ${seat.key} ${seat.name} is taken in [${from}, ${to})`);
  }
  seat.occupancy.push({ from, to });
}

function release(seat: Seat, from: string): void {
  const i = seat.occupancy.findIndex((o) => o.from === from);
  if (i >= 0) seat.occupancy.splice(i, 1);
}

// ---------------------------------------------------------------------------------------------------------
// The planner

export interface PlanOptions {
  today: string;
  randomSeed?: number;
}

export function planDemoWorld(options: PlanOptions): DemoPlan {
  const T = options.today;
  if (!isIsoDate(T)) throw new Error(`seedDemo: today must be a date 'YYYY-MM-DD', got '${T}'`);
  if (T < EARLIEST_ANCHOR || T > '2099-12-31') {
    throw new Error(`seedDemo: today must lie between ${EARLIEST_ANCHOR} and 2099-12-31, got '${T}'`);
  }
  const seed = options.randomSeed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed)) throw new Error(`seedDemo: randomSeed must be an integer, got ${seed}`);
  return new Planner(T, seed).run();
}

class Planner {
  private readonly root: Rng;
  private readonly docs = new DocNumbers();
  private readonly counties: CountyCtx[] = [];
  private readonly townships: TownshipCtx[] = [];
  private readonly people: Person[] = [];
  private readonly idNumbers = new Set<string>();
  private readonly plan: DemoPlan;
  private shortened = 0;

  constructor(
    private readonly T: string,
    seed: number,
  ) {
    this.root = new Rng(seed);
    this.plan = {
      anchor: T,
      seed,
      regions: [],
      departments: [],
      holders: [],
      accounts: [],
      quotaDecisions: [],
      units: [],
      posts: [],
      leadershipAccounts: [],
      leadershipDecisions: [],
      leadershipTotals: [],
      people: [],
      assignments: [],
      grades: [],
      slots: [],
      statuses: [],
      educations: [],
      families: [],
      resumeLines: [],
      assessments: [],
      sanctions: [],
      users: [],
      facts: {
        overQuota: { townshipCode: '', township: '', type: 'administrative', approved: 0, occupied: 0 },
        full: [],
        secondments: [],
        movers: [],
        staffPersonKey: '',
        shortenedRecords: 0,
      },
    };
  }

  run(): DemoPlan {
    this.buildStructure();
    this.phaseCurrentHolders();
    this.phaseExits();
    this.phaseEarlierCareers();
    this.addConcurrentPosts();
    this.addSecondments();
    this.emitStructureRows();
    this.emitPeople();
    this.emitQuotaDecisions();
    this.emitUsers();
    this.plan.facts.shortenedRecords = this.shortened;
    return this.plan;
  }

  // ----- structure ---------------------------------------------------------------------------------------

  private buildStructure(): void {
    const rng = this.root.fork('structure');
    COUNTIES.forEach((def, idx) => {
      const s = def.dayShift;
      const dates: CountyDates = {
        quota2016: ymd(2016, 4, 12 + s),
        lead2016: ymd(2016, 9, 20 + s),
        pov2017: ymd(2017, 3, 6 + s),
        reform2019: ymd(2019, 3, 15 + s),
        lead2021: ymd(2021, 7, 12 + s),
        featured2022: ymd(2022, 4, 8 + s),
      };
      const a = def.abbr;
      const docs: CountyDocs = {
        legacy: this.docs.next(`${a}编发`, 2005),
        quota2016: this.docs.next(`${a}编发`, 2016),
        lead2016: this.docs.next(`${a}组发`, 2016),
        pov2017: this.docs.next(`${a}组发`, 2017),
        reform2019: this.docs.next(`${a}编发`, 2019),
        lead2021: this.docs.next(`${a}组发`, 2021),
        conversion: this.docs.next(`${a}组通`, 2019),
      };
      const county: CountyCtx = { def, idx, dates, docs, townships: [], idCounter: rng.int(3, 40) };
      this.counties.push(county);
      def.townships.forEach((tdef, idxInCounty) => {
        const t: TownshipCtx = {
          def: tdef,
          idx: this.townships.length,
          idxInCounty,
          county,
          seats: [],
          holderKey: `t:${tdef.code}`,
          names: new Set(),
        };
        county.townships.push(t);
        this.townships.push(t);
        this.buildSeats(t);
      });
    });
  }

  private financeCategory(county: CountyCtx): PostCategory {
    return county.def.financeType === 'institutional' ? 'management' : 'civil_service';
  }

  private buildSeats(t: TownshipCtx): void {
    const { county } = t;
    const { dates, docs } = county;
    let sort = 10;
    const nextSort = () => {
      const s = sort;
      sort += 10;
      return s;
    };
    const town = t.def.kind === 'town';
    for (const def of LEADER_SEATS) {
      const opensOn =
        def.since === 'legacy'
          ? LEGACY_DATE
          : def.since === '2016'
            ? dates.lead2016
            : def.since === '2017'
              ? dates.pov2017
              : dates.lead2021;
      const docNo =
        def.since === 'legacy'
          ? docs.legacy
          : def.since === '2016'
            ? docs.lead2016
            : def.since === '2017'
              ? docs.pov2017
              : docs.lead2021;
      const sortOrder = nextSort();
      const grade = def.level === 3 ? 'township_chief' : 'township_deputy';
      t.seats.push({
        key: `${t.def.code}#${sortOrder}`,
        twinKey: '',
        township: t,
        unit: null,
        unitKey: null,
        unitName: town ? '镇领导班子' : '街道领导班子',
        legacyUnitKey: null,
        legacyUnitName: null,
        name: town ? def.town : def.subdistrict,
        category: 'leadership',
        leadershipKind: def.kind,
        types: ['administrative'],
        crossType: false,
        opensOn,
        closesOn: def.kind === 'poverty_office_deputy' ? POVERTY_WRITE_OFF : null,
        splitOn: null,
        docNo,
        level: def.level,
        isHead: false,
        isLeaderTeam: true,
        department: null,
        gradeLow: grade,
        gradeHigh: grade,
        sort: sortOrder,
        occupancy: [],
      });
    }
    const units: UnitDef[] = [...UNIT_TEMPLATE];
    if (t.def.featured) {
      units.splice(9, 0, {
        code: 'featured',
        kind: 'station',
        name: t.def.featured.name,
        aliases: [],
        rank: 'stock',
        legacy: null,
        department: null,
        head: { name: '主任', types: ['institutional'] },
        staff: t.def.featured.staff.map(([name, category]) => ({ name, category, types: ['institutional'] })),
      });
    }
    for (const unit of units) {
      const financeType = county.def.financeType;
      const resolveTypes = (types: EstablishmentType[] | 'finance'): EstablishmentType[] =>
        types === 'finance' ? [financeType] : [...types];
      const opensOn = unit.legacy
        ? LEGACY_DATE
        : unit.kind === 'dispatched'
          ? LEGACY_DATE
          : dates.featured2022;
      const splitOn = unit.legacy ? dates.reform2019 : null;
      const docNo = unit.legacy
        ? docs.reform2019
        : unit.kind === 'dispatched'
          ? docs.legacy
          : this.featuredDoc(county);
      const unitKey = `${t.def.code}:${unit.code}`;
      const legacyUnitKey = unit.legacy ? `${t.def.code}:L:${unit.legacy}` : null;
      const base = {
        township: t,
        unit,
        unitKey,
        unitName: unit.name,
        legacyUnitKey,
        legacyUnitName: LEGACY_UNITS.find((u) => u.code === unit.legacy)?.name ?? null,
        crossType: false,
        opensOn,
        closesOn: null,
        splitOn,
        docNo,
        isLeaderTeam: false,
        department: unit.department,
      };
      const headTypes = resolveTypes(unit.head.types);
      const headInst = headTypes[0] === 'institutional';
      const headLevel = unit.rank === 'deputy_section' ? 2 : 1;
      const headSort = nextSort();
      t.seats.push({
        ...base,
        key: `${t.def.code}#${headSort}`,
        twinKey: unit.legacy ? `${t.def.code}#${headSort + 5000}` : '',
        name: unit.head.name,
        category: 'leadership',
        leadershipKind: 'unit_head',
        types: headTypes,
        level: headLevel,
        isHead: true,
        gradeLow: headLevel === 2 ? (headInst ? 'mgmt_8' : 'township_deputy') : null,
        gradeHigh: headLevel === 2 ? (headInst ? 'mgmt_7' : 'township_deputy') : null,
        sort: headSort,
        occupancy: [],
      });
      const staff = [...unit.staff];
      if (unit.code === 'bmfw' && t.def.worker)
        staff.push({ name: '驾驶员', category: 'skilled', types: ['worker'] });
      for (const post of staff) {
        const category = post.category === 'finance' ? this.financeCategory(county) : post.category;
        const s = nextSort();
        const [low, high] =
          category === 'civil_service'
            ? ['clerk_2', 'principal_1']
            : category === 'management'
              ? ['mgmt_10', 'mgmt_8']
              : category === 'professional'
                ? ['pro_13', 'pro_8']
                : ['skilled_general', 'skilled_3'];
        t.seats.push({
          ...base,
          key: `${t.def.code}#${s}`,
          twinKey: unit.legacy ? `${t.def.code}#${s + 5000}` : '',
          name: post.name,
          category,
          leadershipKind: null,
          types: resolveTypes(post.types),
          level: 0,
          isHead: false,
          gradeLow: low ?? null,
          gradeHigh: high ?? null,
          sort: s,
          occupancy: [],
        });
      }
    }
    // 同岗不同编: in the first two townships of each county, one office seat admits institutional staff and
    // one service-centre seat admits administrative staff, approved as cross-type posts.
    if (t.idxInCounty === 0) {
      const seat = t.seats.find((s) => s.unit?.code === 'shzl' && s.name === '应急管理干事');
      if (seat) {
        seat.types = ['administrative', 'institutional'];
        seat.crossType = true;
      }
    }
    if (t.idxInCounty === 1) {
      const seat = t.seats.find((s) => s.unit?.code === 'bmfw' && s.name === '综合窗口受理员');
      if (seat) {
        seat.types = ['institutional', 'administrative'];
        seat.crossType = true;
      }
    }
    // The pre-2019 bodies had more staff posts than the template keeps; the reform abolished them (精简).
    const extras: Array<[string, string, PostCategory, EstablishmentType[]]> = [
      ['dzb', '干事', 'civil_service', ['administrative', 'civil_service_institutional']],
      ['dzb', '干事', 'civil_service', ['administrative']],
      ['dzb', '干事', 'civil_service', ['administrative']],
      ['jjjs', '干事', 'civil_service', ['administrative', 'civil_service_institutional']],
      ['jjjs', '干事', 'civil_service', ['administrative']],
      ['shsw', '干事', 'civil_service', ['administrative']],
      ['shsw', '干事', 'civil_service', ['administrative']],
      ['zfzd', '队员', 'civil_service', ['civil_service_institutional']],
      ['zfzd', '队员', 'civil_service', ['civil_service_institutional']],
      ['shsy', '管理员', 'management', ['institutional']],
      ['shsy', '管理员', 'management', ['institutional']],
      ['shsy', '管理员', 'management', ['institutional']],
      ['nyfw', '管理员', 'management', ['institutional']],
      ['whgb', '管理员', 'management', ['institutional']],
      ['nyfw', '技术员', 'professional', ['institutional']],
      ['whgb', '技术员', 'professional', ['institutional']],
    ];
    extras.forEach(([legacy, name, category, types], i) => {
      const sortOrder = 8000 + i * 10;
      t.seats.push({
        key: `${t.def.code}#${sortOrder}`,
        twinKey: '',
        township: t,
        unit: null,
        unitKey: `${t.def.code}:L:${legacy}`,
        unitName: LEGACY_UNITS.find((u) => u.code === legacy)?.name ?? '',
        legacyUnitKey: null,
        legacyUnitName: null,
        name,
        category,
        leadershipKind: null,
        types,
        crossType: false,
        opensOn: LEGACY_DATE,
        closesOn: dates.reform2019,
        splitOn: null,
        docNo: docs.legacy,
        level: 0,
        isHead: false,
        isLeaderTeam: false,
        department: null,
        gradeLow: null,
        gradeHigh: null,
        sort: sortOrder,
        occupancy: [],
        extra: true,
      });
    });
  }

  private readonly featuredDocs = new Map<number, string>();
  private featuredDoc(county: CountyCtx): string {
    let doc = this.featuredDocs.get(county.idx);
    if (!doc) {
      doc = this.docs.next(`${county.def.abbr}编发`, 2022);
      this.featuredDocs.set(county.idx, doc);
    }
    return doc;
  }

  // ----- people ------------------------------------------------------------------------------------------

  private roleOf(seat: Seat): Role {
    if (seat.isLeaderTeam) return seat.level === 3 ? 'chief' : 'deputy';
    return seat.isHead ? 'head' : 'staff';
  }

  private trackOf(type: EstablishmentType, seat: Seat): Track {
    if (type === 'administrative' || type === 'civil_service_institutional') return 'cs';
    if (type === 'worker') return 'skilled';
    return seat.category === 'professional' ? 'pro' : 'mgmt';
  }

  private educationFor(rng: Rng, birthYear: number, role: Role): Education {
    const young = birthYear >= 1986;
    const middle = birthYear >= 1975;
    const leaderBoost = role === 'chief' || role === 'deputy' ? 0.15 : 0;
    const r = rng.next() - leaderBoost;
    let level: EducationLevel;
    if (young) level = r < 0.12 ? 'master' : r < 0.85 ? 'bachelor' : 'college';
    else if (middle) level = r < 0.05 ? 'master' : r < 0.62 ? 'bachelor' : 'college';
    else level = r < 0.22 ? 'bachelor' : r < 0.7 ? 'college' : 'secondary_vocational';
    const gradAge =
      level === 'master'
        ? rng.int(25, 26)
        : level === 'bachelor'
          ? rng.int(22, 23)
          : level === 'college'
            ? rng.int(20, 21)
            : rng.int(18, 19);
    return { level, gradAge };
  }

  /**
   * A new person for a seat. `workStartBy`: the latest acceptable start of work (so there is room for the
   * career the caller has in mind); `birth` fixes the birth date (retirees).
   */
  private createPerson(
    rng: Rng,
    t: TownshipCtx,
    seat: Seat,
    opts: {
      type?: EstablishmentType;
      workStartBy: string;
      birth?: string;
      gender?: 'male' | 'female';
      compoundSurname?: boolean;
    },
  ): Person {
    const role = this.roleOf(seat);
    const T = this.T;
    const type =
      opts.type ??
      (seat.crossType
        ? (seat.types[1] as EstablishmentType)
        : seat.types.length > 1 && rng.chance(0.2)
          ? (seat.types[1] as EstablishmentType)
          : (seat.types[0] as EstablishmentType));
    let gender: 'male' | 'female' =
      opts.gender ?? (rng.chance(role === 'chief' || role === 'deputy' ? 0.8 : 0.55) ? 'male' : 'female');
    const [roleMin, roleMax] =
      role === 'chief' ? [40, 54] : role === 'deputy' ? [31, 50] : role === 'head' ? [30, 56] : [26, 57];
    let birth = opts.birth ?? '';
    let education: Education = { level: 'bachelor', gradAge: 22 };
    let workStart = '';
    for (let attempt = 0; ; attempt++) {
      if (!opts.birth) {
        const maxAge = Math.min(roleMax, gender === 'male' ? 59 : 54);
        const minAge = Math.min(maxAge, roleMin + Math.floor(attempt / 3) * 2);
        const age = rng.int(minAge, maxAge);
        birth = addDays(addYears(T, -age - 1), rng.int(1, 364));
      }
      education = this.educationFor(rng, yearOf(birth), role);
      workStart = ymd(yearOf(birth) + education.gradAge, rng.int(7, 9), rng.int(1, 28));
      if (workStart <= opts.workStartBy) break;
      if (attempt > 12 && gender === 'female' && !opts.gender) gender = 'male';
      if (attempt > 40) {
        // A retiree's birth is fixed: lower the schooling instead.
        education = { level: 'secondary_vocational', gradAge: 18 };
        workStart = ymd(yearOf(birth) + 18, 8, rng.int(1, 28));
        break;
      }
    }
    const fifteenYearsAgo = addYears(T, -15);
    let recordStart: string;
    if (workStart >= fifteenYearsAgo) {
      recordStart = workStart;
      if (rng.chance(0.12)) {
        const later = addMonths(workStart, rng.int(12, 36));
        if (later <= opts.workStartBy) recordStart = later;
      }
    } else {
      recordStart = addDays(addYears(T, -rng.int(9, 15)), rng.int(0, 300));
      if (recordStart > opts.workStartBy)
        recordStart = maxDate(workStart, addDays(opts.workStartBy, -rng.int(0, 400)));
    }
    const county = t.county;
    const seq = this.people.length;
    const idNumber = this.newIdNumber(county, birth, gender);
    const name = makeName(rng, gender, yearOf(birth), t.names, { compound: opts.compoundSurname ?? false });
    const major = UNIT_MAJOR[seat.unit?.code ?? 'dzzh'] ?? 'office';
    const majorGroup = type === 'worker' ? 'worker' : seat.isLeaderTeam ? 'office' : major;
    const political = this.politicalFor(rng, role, birth, type);
    const partyJoined =
      political === 'cpc_member'
        ? randomDate(
            rng,
            maxDate(addYears(birth, 19), addYears(workStart, -3)),
            minDate(addYears(T, -1), addYears(workStart, 8)),
          )
        : political === 'cpc_probationary'
          ? randomDate(rng, addMonths(T, -11), addMonths(T, -1))
          : null;
    const otherCounties = COUNTIES.filter((c) => c.code !== county.def.code);
    const native = rng.chance(0.72) ? county.def : rng.pick(otherCounties);
    const nativePlace = `${CITY.name}${native.name}`;
    const birthPlace = rng.chance(0.85) ? nativePlace : `${CITY.name}${rng.pick(COUNTIES).name}`;
    const person: Person = {
      key: idNumber,
      seq,
      name,
      keys: nameKeys(name),
      gender,
      birth,
      education,
      workStart,
      recordStart,
      end: null,
      exit: null,
      type,
      track: this.trackOf(type, seat),
      department: seat.department,
      county,
      home: t,
      role,
      segments: [],
      concurrent: [],
      secondments: [],
      moverFrom: null,
      moveDate: null,
      majorGroup,
      ethnicity: rng.weighted(ETHNICITIES),
      nativePlace,
      birthPlace,
      political,
      partyJoined,
    };
    this.people.push(person);
    return person;
  }

  private politicalFor(rng: Rng, role: Role, birth: string, type: EstablishmentType): PoliticalStatus {
    if (role === 'chief' || role === 'deputy') return 'cpc_member';
    const age = ageOn(birth, this.T);
    const r = rng.next();
    const memberShare = role === 'head' ? 0.9 : type === 'institutional' || type === 'worker' ? 0.55 : 0.72;
    if (r < memberShare) return 'cpc_member';
    if (r < memberShare + 0.03) return 'cpc_probationary';
    if (age <= 28 && r < memberShare + 0.15) return 'youth_league';
    if (r < memberShare + 0.17) return 'democratic_party';
    return rng.chance(0.5) ? 'non_party' : 'masses';
  }

  private newIdNumber(county: CountyCtx, birth: string, gender: 'male' | 'female'): string {
    const seq = county.idCounter * 2 + (gender === 'male' ? 1 : 0);
    county.idCounter += 1;
    const id = makeIdNumber(county.def.code, birth, seq, gender);
    if (this.idNumbers.has(id)) throw new Error(`demo plan: duplicate ID number ${id}`);
    this.idNumbers.add(id);
    return id;
  }

  // ----- phase A: who sits where at the anchor date ------------------------------------------------------

  private phaseCurrentHolders(): void {
    const T = this.T;
    // Two cross-township transfers (跨乡镇调动): into 城关镇 from 松林镇, into 石门镇 from 岭南镇.
    const moves = new Map<TownshipCtx, TownshipCtx>();
    const c0 = this.counties[0]!;
    const c1 = this.counties[1]!;
    moves.set(c0.townships[0]!, c0.townships[4]!);
    moves.set(c1.townships[1]!, c1.townships[0]!);
    const compoundAt = new Set([0, 4, 8, 12]);

    for (const t of this.townships) {
      const rng = this.root.fork(`current:${t.def.code}`);
      const { dates } = t.county;
      const vacantLeaders = new Set<Seat>();
      const deputyMayors = t.seats.filter((s) => s.leadershipKind === 'deputy_mayor');
      if (rng.chance(0.35)) vacantLeaders.add(deputyMayors[1]!);
      if (rng.chance(0.15)) vacantLeaders.add(t.seats.find((s) => s.leadershipKind === 'propaganda_member')!);
      if (rng.chance(0.1))
        vacantLeaders.add(t.seats.find((s) => s.leadershipKind === 'discipline_secretary')!);

      const filled: Seat[] = [];
      for (const seat of t.seats) {
        if (seat.closesOn !== null || seat.leadershipKind === 'political_legal_member') continue;
        let fill: boolean;
        if (seat.isLeaderTeam) fill = !vacantLeaders.has(seat);
        else if (seat.crossType) fill = true;
        else if (seat.isHead) fill = rng.chance(0.9);
        else if (seat.department) fill = rng.chance(0.8);
        else fill = rng.chance(0.74);
        if (fill) filled.push(seat);
      }
      const origin = moves.get(t);
      const moverSeat = origin
        ? rng.pick(
            filled.filter(
              (s) =>
                s.level === 0 &&
                !s.department &&
                !s.crossType &&
                s.category === 'civil_service' &&
                s.types.includes('administrative'),
            ),
          )
        : null;
      // The poverty-office deputy of 2017–2021 is one of today's deputy leaders, appointed on the write-off.
      const povertyCandidates = filled.filter(
        (s) =>
          s.isLeaderTeam &&
          s.level === 2 &&
          s.opensOn <= POVERTY_WRITE_OFF &&
          s.leadershipKind !== 'armed_forces_head',
      );
      const povertySeat = povertyCandidates.length > 0 ? rng.pick(povertyCandidates) : null;

      filled.forEach((seat, i) => {
        const prng = this.root.fork(`person:${t.def.code}:${seat.sort}`);
        const role = this.roleOf(seat);
        const compound = compoundAt.has(t.idx) && i === 6;
        if (seat === moverSeat && origin) {
          const moveDate = randomDate(prng, addYears(T, -4), addYears(T, -1));
          const p = this.createPerson(prng, t, seat, {
            type: 'administrative',
            workStartBy: addYears(moveDate, -4),
            compoundSurname: compound,
          });
          if (p.recordStart > addYears(moveDate, -3))
            p.recordStart = maxDate(p.workStart, addYears(moveDate, -3));
          p.moverFrom = origin;
          p.moveDate = moveDate;
          this.startCurrent(p, seat, moveDate);
          return;
        }
        if (seat === povertySeat) {
          const p = this.createPerson(prng, t, seat, {
            workStartBy: addYears(dates.pov2017, -3),
            compoundSurname: compound,
          });
          p.recordStart = minDate(p.recordStart, maxDate(p.workStart, addYears(dates.pov2017, -2)));
          const povSeat = t.seats.find((s) => s.leadershipKind === 'poverty_office_deputy')!;
          const povFrom = addDays(dates.pov2017, prng.int(10, 60));
          this.startCurrent(p, seat, POVERTY_WRITE_OFF);
          p.segments.unshift({
            seat: povSeat,
            from: povFrom,
            to: POVERTY_WRITE_OFF,
            reason: '',
            docNo: null,
          });
          reserve(povSeat, povFrom, POVERTY_WRITE_OFF);
          return;
        }
        const workStartBy =
          role === 'chief' || role === 'deputy'
            ? addYears(T, -8)
            : role === 'head'
              ? addYears(T, -6)
              : addYears(T, -5);
        const p = this.createPerson(prng, t, seat, { workStartBy, compoundSurname: compound });
        let start: string;
        if (role === 'chief' || role === 'deputy') {
          const r = prng.next();
          start =
            r < 0.45
              ? dates.lead2021
              : r < 0.85
                ? randomDate(prng, dates.lead2021, addDays(T, -45))
                : randomDate(prng, dates.lead2016, dates.lead2021);
          start = maxDate(maxDate(start, seat.opensOn), addYears(p.workStart, 5));
          // Leaders mostly came from a county body or another township: the record here starts with their
          // arrival a few years before the current appointment (or with it), never less than 5 years ago.
          const arrival = prng.chance(0.45)
            ? start
            : addDays(addYears(start, -prng.int(2, 6)), -prng.int(0, 300));
          p.recordStart = maxDate(p.workStart, minDate(arrival, addDays(addYears(T, -5), -prng.int(0, 200))));
        } else {
          // A new recruit starts in a staff seat, so a head who "stayed" must have arrived from elsewhere.
          const stayed =
            prng.chance(role === 'head' ? 0.25 : 0.4) && !(role === 'head' && p.recordStart === p.workStart);
          const earliest = addYears(p.recordStart, role === 'head' ? 2 : 1);
          const latest = addMonths(T, -2);
          start = stayed || earliest >= latest ? p.recordStart : randomDate(prng, earliest, latest);
          start = maxDate(start, seat.opensOn);
        }
        this.startCurrent(p, seat, start);
      });
    }
  }

  private startCurrent(p: Person, seat: Seat, from: string): void {
    p.segments.push({ seat, from, to: null, reason: '', docNo: null });
    reserve(seat, from, null);
  }

  // ----- phase A2: people who retired or left -------------------------------------------------------------

  private phaseExits(): void {
    const T = this.T;
    const rng = this.root.fork('exits');
    const order = rng.shuffle(this.townships);
    const retireIn = new Set(order.slice(0, 9));
    const leaveIn = new Set(order.slice(9, 11));
    for (const t of this.townships) {
      const kind = retireIn.has(t) ? 'retired' : leaveIn.has(t) ? 'transferred_out' : null;
      if (!kind) continue;
      const prng = this.root.fork(`exit:${t.def.code}`);
      const gender: 'male' | 'female' =
        kind === 'retired' ? (prng.chance(0.4) ? 'male' : 'female') : prng.chance(0.5) ? 'male' : 'female';
      let birth: string | undefined;
      let exitOn: string;
      if (kind === 'retired') {
        const retireAge = gender === 'male' ? 60 : 55;
        const span = gender === 'male' ? 1 : 5;
        birth = randomDate(prng, addYears(T, -retireAge - span), addMonths(addYears(T, -retireAge), -2));
        exitOn = firstOfMonth(addMonths(addYears(birth, retireAge), 1));
      } else {
        exitOn = randomDate(prng, addYears(T, -3), addMonths(T, -2));
      }
      const candidates = t.seats.filter(
        (s) =>
          !s.isLeaderTeam &&
          s.category !== 'skilled' &&
          !s.crossType &&
          isOpenDuring(s, addYears(exitOn, -1), exitOn) &&
          isFree(s, addYears(exitOn, -1), exitOn),
      );
      if (candidates.length === 0) continue;
      const seat = prng.pick(candidates);
      const p = this.createPerson(prng, t, seat, {
        workStartBy: addYears(exitOn, -6),
        gender,
        ...(birth ? { birth } : {}),
      });
      p.end = exitOn;
      p.exit = kind;
      const lastEnd = seat.occupancy
        .filter((o) => o.to !== null && o.to <= exitOn)
        .reduce((acc, o) => maxDate(acc, o.to as string), seat.opensOn);
      const from = maxDate(
        p.recordStart,
        randomDate(prng, maxDate(lastEnd, addYears(exitOn, -9)), addYears(exitOn, -1)),
      );
      p.segments.push({ seat, from, to: exitOn, reason: '', docNo: null });
      reserve(seat, from, exitOn);
    }
  }

  // ----- phase B: earlier careers --------------------------------------------------------------------------

  private poolFor(p: Person, township: TownshipCtx): Seat[] {
    const compatible = (s: Seat): boolean => {
      if (!s.types.includes(p.type)) return false;
      if (s.leadershipKind === 'political_legal_member' || s.leadershipKind === 'poverty_office_deputy')
        return false;
      if (s.isLeaderTeam) return p.type === 'administrative';
      switch (p.track) {
        case 'cs':
          return s.category === 'civil_service' || s.isHead;
        // Institutional staff may have rotated between management and professional seats (same type).
        case 'mgmt':
        case 'pro':
          return (
            s.category === 'management' || s.category === 'professional' || (p.track === 'mgmt' && s.isHead)
          );
        case 'skilled':
          return s.category === 'skilled';
      }
    };
    if (p.department) {
      return p.county.townships.flatMap((t) =>
        t.seats.filter((s) => s.department === p.department && compatible(s)),
      );
    }
    return township.seats.filter((s) => !s.department && compatible(s));
  }

  private phaseEarlierCareers(): void {
    const rng = this.root.fork('earlier');
    // Staff first: they can only use staff seats. Leaders and heads can also move laterally, and when
    // nothing is free they simply arrived from elsewhere (a county body, another township).
    const rank = (p: Person) => ({ staff: 0, head: 1, deputy: 2, chief: 3 })[p.role];
    const order = [...this.people].sort(
      (a, b) =>
        Number(b.moverFrom !== null) - Number(a.moverFrom !== null) || rank(a) - rank(b) || a.seq - b.seq,
    );
    for (const p of order) this.fillEarlier(rng.fork(`p${p.seq}`), p);
  }

  private fillEarlier(rng: Rng, p: Person): void {
    const first = p.segments[0]!;
    const until = first.from;
    const span = monthsBetween(p.recordStart, until);
    if (span <= 0) {
      p.recordStart = until;
      return;
    }
    const township = p.moverFrom ?? p.home;
    const pool = this.poolFor(p, township);
    // A short stretch: the first seat simply started earlier, if it was free.
    if (
      span < 12 &&
      !(p.recordStart === p.workStart && first.seat.level > 0) &&
      this.tryExtendBack(first, p.recordStart)
    ) {
      return;
    }
    const maxPieces = Math.max(1, 3 - p.segments.length);
    const pieces = span < 36 ? 1 : Math.min(maxPieces, rng.int(1, 1 + Math.floor(span / 60)));
    // Cut [recordStart, until) into pieces of random relative length, at least 10 months each.
    const weights = Array.from({ length: pieces }, () => 0.6 + rng.next() * 0.8);
    const total = weights.reduce((a, b) => a + b, 0);
    const cuts: string[] = [p.recordStart];
    let acc = 0;
    for (let i = 0; i < pieces - 1; i++) {
      acc += weights[i]!;
      const months = Math.max(10, Math.round((span * acc) / total));
      const cut = addDays(addMonths(p.recordStart, months), rng.int(0, 20));
      if (cut < addMonths(until, -10) && cut > cuts[cuts.length - 1]!) cuts.push(cut);
    }
    cuts.push(until);
    let later: Segment = first;
    for (let i = cuts.length - 2; i >= 0; i--) {
      const from = cuts[i]!;
      const to = cuts[i + 1]!;
      const newRecruit = i === 0 && from === p.workStart;
      const candidates = pool.filter(
        (s) =>
          s !== later.seat &&
          !(s.unitKey === later.seat.unitKey && s.name === later.seat.name) &&
          s.level <= later.seat.level &&
          (!newRecruit || s.level === 0) &&
          isOpenDuring(s, from, to) &&
          isFree(s, from, to),
      );
      if (candidates.length > 0) {
        const seat = rng.weighted(
          candidates.map((s) => {
            // Lateral moves (副镇长 → 组织委员, one station head → another) and the step below are likely.
            let w = 1;
            if (s.unitKey !== null && s.unitKey === later.seat.unitKey) w *= 3;
            if (s.level === later.seat.level) w *= 4;
            if (later.seat.level > 0 && s.level === later.seat.level - 1) w *= 3;
            return [s, w] as const;
          }),
        );
        const seg: Segment = { seat, from, to, reason: '', docNo: null };
        reserve(seat, from, to);
        p.segments.unshift(seg);
        later = seg;
        continue;
      }
      if (!(newRecruit && later.seat.level > 0) && this.tryExtendBack(later, from)) continue;
      // No seat was free for the whole stretch: take the one free for the longest tail of it and go on
      // with what is left, as long as the cap on posts allows.
      const tail = this.longestFreeTail(pool, later.seat, from, to, newRecruit);
      if (tail && (p.segments.length < 3 || (p.segments.length < 4 && to > addYears(this.T, -5)))) {
        const seg: Segment = { seat: tail.seat, from: tail.from, to, reason: '', docNo: null };
        reserve(tail.seat, tail.from, to);
        p.segments.unshift(seg);
        later = seg;
        if (tail.from > from) {
          cuts.splice(i + 1, 0, tail.from);
          i += 1;
        }
        continue;
      }
      // Nothing at all: the record starts later (the time before goes to a free-text resume line).
      p.recordStart = to;
      this.shortened += 1;
      break;
    }
  }

  /** The seat free on the longest stretch [x, to) with from <= x <= to - 6 months. */
  private longestFreeTail(
    pool: Seat[],
    later: Seat,
    from: string,
    to: string,
    newRecruit: boolean,
  ): { seat: Seat; from: string } | null {
    let best: { seat: Seat; from: string } | null = null;
    const latestStart = addMonths(to, -6);
    for (const s of pool) {
      if (s === later || s.level > later.level || (newRecruit && s.level > 0)) continue;
      if (s.unitKey === later.unitKey && s.name === later.name) continue;
      if (!isOpenDuring(s, maxDate(from, s.opensOn), to)) continue;
      let x = maxDate(from, s.opensOn);
      for (const o of s.occupancy) if (o.from < to && (o.to === null || o.to > x)) x = maxDate(x, o.to ?? to);
      if (x > latestStart || !isFree(s, x, to)) continue;
      if (!best || x < best.from) best = { seat: s, from: x };
    }
    return best;
  }

  /** Moves the start of `seg` back to `from` if its seat was free and open then. */
  private tryExtendBack(seg: Segment, from: string): boolean {
    const seat = seg.seat;
    if (!isOpenDuring(seat, from, seg.from) || !isFree(seat, from, seg.from)) return false;
    release(seat, seg.from);
    seg.from = from;
    reserve(seat, seg.from, seg.to);
    return true;
  }

  // ----- concurrent posts and secondments ----------------------------------------------------------------

  private currentHolder(t: TownshipCtx, kind: string): Person | undefined {
    return this.people.find(
      (p) =>
        p.end === null && p.home === t && p.segments[p.segments.length - 1]?.seat.leadershipKind === kind,
    );
  }

  private addConcurrentPosts(): void {
    const rng = this.root.fork('concurrent');
    for (const t of this.townships) {
      const seat = t.seats.find((s) => s.leadershipKind === 'political_legal_member')!;
      const holder = this.currentHolder(t, 'deputy_secretary') ?? this.currentHolder(t, 'deputy_mayor');
      if (holder) {
        const from = maxDate(seat.opensOn, holder.segments[holder.segments.length - 1]!.from);
        reserve(seat, from, null);
        holder.concurrent.push({ seat, from, to: null, reason: `兼任${seat.name}`, docNo: null });
      }
      // In a few townships a deputy leader also heads a unit whose head seat is vacant (兼任机构负责人).
      if (t.idx % 3 === 1) {
        const dm = this.currentHolder(t, 'deputy_mayor') ?? this.currentHolder(t, 'organization_member');
        const heads = t.seats.filter(
          (s) => s.isHead && !s.department && s.closesOn === null && isFree(s, addMonths(this.T, -1), null),
        );
        if (dm && heads.length > 0) {
          const head = rng.pick(heads);
          const lastEnd = head.occupancy.reduce((a, o) => maxDate(a, o.to ?? a), head.opensOn);
          const from = maxDate(
            maxDate(
              lastEnd,
              maxDate(head.splitOn ?? head.opensOn, dm.segments[dm.segments.length - 1]!.from),
            ),
            addMonths(this.T, -rng.int(8, 30)),
          );
          if (from < this.T && isFree(head, from, null)) {
            reserve(head, from, null);
            dm.concurrent.push({
              seat: head,
              from,
              to: null,
              reason: `兼任${head.unitName}${head.name}`,
              docNo: null,
            });
          }
        }
      }
    }
  }

  /**
   * 借调: three secondments to a vacant seat in another township of the county, each with a planned end
   * (planned_until): one ending within two weeks, one overdue (planned end nine days ago, no return
   * recorded, so valid_to stays open: 在编不在岗) and one running for months.
   */
  private addSecondments(): void {
    const T = this.T;
    const c0 = this.counties[0]!;
    const c1 = this.counties[1]!;
    // [home, destination, from, planned end, returned?]: only a returned secondment has an actual end.
    const plans: Array<[TownshipCtx, TownshipCtx, string, string, boolean]> = [
      [c0.townships[0]!, c0.townships[1]!, addMonths(T, -7), addDays(T, 9), false],
      [c1.townships[0]!, c1.townships[2]!, addMonths(T, -13), addDays(T, -9), false],
      [c0.townships[2]!, c0.townships[0]!, addMonths(T, -4), addMonths(T, 8), false],
    ];
    const rng = this.root.fork('secondments');
    const used = new Set<Person>();
    const usedSeats = new Set<Seat>();
    for (const [home, preferred, from, plannedUntil, returned] of plans) {
      const to = returned ? plannedUntil : null;
      const people = rng
        .shuffle(
          this.people.filter(
            (p) =>
              p.end === null &&
              p.home === home &&
              p.role === 'staff' &&
              !p.department &&
              !p.moverFrom &&
              !used.has(p) &&
              p.segments[p.segments.length - 1]!.from <= addMonths(from, -6),
          ),
        )
        .sort((a, b) => Number(b.track === 'cs') - Number(a.track === 'cs'));
      const destinations = [preferred, ...home.county.townships.filter((t) => t !== home && t !== preferred)];
      let done = false;
      for (const dest of destinations) {
        for (const p of people) {
          const seats = dest.seats.filter(
            (s) =>
              s.level === 0 &&
              !s.department &&
              !s.crossType &&
              !usedSeats.has(s) &&
              s.types.includes(p.type) &&
              isOpenDuring(s, from, to) &&
              isFree(s, from, to),
          );
          if (seats.length === 0) continue;
          const seat = rng.pick(seats);
          reserve(seat, from, to);
          usedSeats.add(seat);
          p.secondments.push({
            seat,
            from,
            to,
            plannedUntil,
            reason: `借调至${dest.def.name}${seat.unitName}工作`,
            docNo: this.docs.next(`${home.county.def.abbr}组干`, yearOf(from)),
          });
          used.add(p);
          this.plan.facts.secondments.push({
            personKey: p.key,
            from,
            plannedUntil,
            to,
            home: home.def.name,
            destination: dest.def.name,
          });
          done = true;
          break;
        }
        if (done) break;
      }
      if (!done) throw new Error(`demo plan: no secondment found from ${home.def.name}`);
    }
  }

  // ----- rows: structure ----------------------------------------------------------------------------------

  private emitStructureRows(): void {
    const plan = this.plan;
    plan.regions.push({
      code: CITY.code,
      kind: 'city',
      name: CITY.name,
      parentCode: null,
      townshipKind: null,
      sortOrder: 10,
    });
    for (const c of this.counties) {
      const cd = c.def;
      plan.regions.push({
        code: cd.code,
        kind: 'county',
        name: cd.name,
        parentCode: CITY.code,
        townshipKind: null,
        sortOrder: (c.idx + 1) * 10,
      });
      for (const dep of DEPARTMENTS) {
        const key = `${cd.code}:${dep.code}`;
        plan.departments.push({ key, countyCode: cd.code, name: `${cd.name}${dep.name}` });
        plan.holders.push({ key: `d:${key}`, townshipCode: null, departmentKey: key });
        const type = dep.code === 'cz' ? cd.financeType : 'administrative';
        plan.accounts.push({ key: `d:${key}|${type}`, holderKey: `d:${key}`, type });
      }
    }
    for (const t of this.townships) {
      const td = t.def;
      const { dates, docs } = t.county;
      plan.regions.push({
        code: td.code,
        kind: 'township',
        name: td.name,
        parentCode: t.county.def.code,
        townshipKind: td.kind,
        sortOrder: (t.idxInCounty + 1) * 10,
      });
      plan.holders.push({ key: t.holderKey, townshipCode: td.code, departmentKey: null });
      const types: EstablishmentType[] = ['administrative', 'civil_service_institutional', 'institutional'];
      if (td.worker) types.push('worker');
      for (const type of types)
        plan.accounts.push({ key: `${t.holderKey}|${type}`, holderKey: t.holderKey, type });

      // Units: the legacy bodies (abolished by the 2019 reform), the template and the featured unit.
      LEGACY_UNITS.forEach((lu, i) => {
        plan.units.push({
          key: `${td.code}:L:${lu.code}`,
          townshipCode: td.code,
          kind: lu.kind,
          name: lu.name,
          aliasNames: [],
          rank: lu.kind === 'office' ? 'stock' : 'none',
          featured: false,
          departmentKey: null,
          establishedOn: LEGACY_DATE,
          establishedDocNo: docs.legacy,
          abolishedOn: dates.reform2019,
          abolishedDocNo: docs.reform2019,
          sortOrder: 500 + i * 10,
        });
      });
      const unitsSeen = new Set<string>();
      for (const seat of t.seats) {
        if (!seat.unit || !seat.unitKey || unitsSeen.has(seat.unitKey)) continue;
        unitsSeen.add(seat.unitKey);
        const u = seat.unit;
        plan.units.push({
          key: seat.unitKey,
          townshipCode: td.code,
          kind: u.kind,
          name: u.name,
          aliasNames: u.aliases,
          rank: u.rank,
          featured: u.code === 'featured',
          departmentKey: u.department ? `${t.county.def.code}:${u.department}` : null,
          establishedOn: seat.splitOn ?? seat.opensOn,
          establishedDocNo: seat.docNo,
          abolishedOn: null,
          abolishedDocNo: null,
          sortOrder: unitsSeen.size * 10,
        });
      }

      // Posts, and the legacy twins that somebody actually held.
      for (const seat of t.seats) {
        if (seat.extra && seat.occupancy.length === 0) continue;
        plan.posts.push({
          key: seat.key,
          townshipCode: td.code,
          unitKey: seat.unitKey,
          name: seat.name,
          category: seat.category,
          leadershipKind: seat.leadershipKind,
          establishmentTypes: seat.types,
          gradeLow: seat.gradeLow,
          gradeHigh: seat.gradeHigh,
          crossType: seat.crossType,
          openedOn: seat.splitOn ?? seat.opensOn,
          closedOn: seat.closesOn,
          docNo: seat.docNo,
          sortOrder: seat.sort,
        });
        if (seat.splitOn && seat.occupancy.some((o) => o.from < (seat.splitOn as string))) {
          plan.posts.push({
            key: seat.twinKey,
            townshipCode: td.code,
            unitKey: seat.legacyUnitKey,
            name: seat.name,
            category: seat.category,
            leadershipKind: seat.leadershipKind,
            establishmentTypes: seat.types,
            gradeLow: seat.gradeLow,
            gradeHigh: seat.gradeHigh,
            crossType: seat.crossType,
            openedOn: LEGACY_DATE,
            closedOn: seat.splitOn,
            docNo: docs.legacy,
            sortOrder: seat.sort + 5000,
          });
        }
      }

      // Leadership slots, replaying the seed report's history (domain guide section 5).
      const town = td.kind === 'town';
      const party = town ? '党委' : '党工委';
      const govTitle = town ? '镇长' : '办事处主任';
      const deputyGov = town ? '副镇长' : '办事处副主任';
      const slot = (
        kind: string,
        count: number,
        rank: 'section_chief' | 'deputy_section',
        counted: boolean,
        from: string,
        docNo: string,
        summary: string,
        extra: Partial<Pick<LeadershipDecisionRow, 'concurrentOnly' | 'temporary' | 'writeOffOn'>> = {},
      ) => {
        const accountKey = `${td.code}:${kind}`;
        if (!plan.leadershipAccounts.some((a) => a.key === accountKey)) {
          plan.leadershipAccounts.push({ key: accountKey, townshipCode: td.code, kind });
        }
        plan.leadershipDecisions.push({
          accountKey,
          slotCount: count,
          rank,
          counted,
          concurrentOnly: extra.concurrentOnly ?? false,
          temporary: extra.temporary ?? false,
          writeOffOn: extra.writeOffOn ?? null,
          effectiveFrom: from,
          docNo,
          changeSummary: summary,
        });
      };
      const l16 = dates.lead2016;
      slot('party_secretary', 1, 'section_chief', true, l16, docs.lead2016, `${party}书记1名（正科级）`);
      slot(
        'people_congress_chair',
        1,
        'section_chief',
        true,
        l16,
        docs.lead2016,
        `${town ? '人大主席' : '人大工委主任'}1名（正科级）`,
      );
      slot('mayor', 1, 'section_chief', true, l16, docs.lead2016, `${party}副书记兼${govTitle}1名（正科级）`);
      slot('deputy_secretary', 1, 'deputy_section', true, l16, docs.lead2016, `${party}副书记1名（副科级）`);
      slot(
        'discipline_secretary',
        1,
        'deputy_section',
        true,
        l16,
        docs.lead2016,
        `${town ? '纪委书记' : '纪工委书记'}1名（副科级）`,
      );
      slot(
        'organization_member',
        1,
        'deputy_section',
        true,
        l16,
        docs.lead2016,
        `换届单设${party}组织委员1名（副科级）`,
      );
      slot('deputy_mayor', 2, 'deputy_section', true, l16, docs.lead2016, `${deputyGov}2名（副科级）`);
      slot(
        'armed_forces_head',
        1,
        'deputy_section',
        false,
        l16,
        docs.lead2016,
        `人武部长1名，为${deputyGov}级职务，职数不在8名之内`,
      );
      slot(
        'poverty_office_deputy',
        1,
        'deputy_section',
        true,
        dates.pov2017,
        docs.pov2017,
        '为脱贫攻坚指挥部办公室设专职副主任领导职数1名（副科级），脱贫攻坚任务完成后核销',
        { temporary: true, writeOffOn: POVERTY_WRITE_OFF },
      );
      slot(
        'political_legal_member',
        1,
        'deputy_section',
        false,
        dates.lead2021,
        docs.lead2021,
        `换届设政法委员，由${party}班子成员兼任，不单独占用职数`,
        { concurrentOnly: true },
      );
      slot(
        'propaganda_member',
        1,
        'deputy_section',
        true,
        dates.lead2021,
        docs.lead2021,
        `换届单独设置宣传统战委员1名（副科级）`,
      );
      plan.leadershipTotals.push({
        townshipCode: td.code,
        total: 9,
        effectiveFrom: l16,
        docNo: docs.lead2016,
        changeSummary: `${town ? '乡镇' : '街道'}领导班子换届，领导职数统一按9名核定`,
      });
      plan.leadershipTotals.push({
        townshipCode: td.code,
        total: 9,
        effectiveFrom: dates.lead2021,
        docNo: docs.lead2021,
        changeSummary: '换届：脱贫攻坚专职副主任职数已核销，单设宣传统战委员，领导职数仍为9名',
      });
    }
  }

  // ----- rows: people and their history ------------------------------------------------------------------

  private emitPeople(): void {
    const plan = this.plan;
    for (const p of this.people) {
      p.segments.sort((a, b) => (a.from < b.from ? -1 : 1));
      if (p.exit) p.segments[p.segments.length - 1]!.to = p.end;
      this.describeSegments(p);
    }
    const grades = new Map<Person, GradeRow[]>();
    const assessments = new Map<Person, AssessmentRow[]>();
    for (const p of this.people) {
      grades.set(p, this.gradesFor(p));
      assessments.set(p, this.assessmentsFor(p));
    }
    const staffPerson = this.chooseStaffPerson(grades, assessments);
    this.plan.facts.staffPersonKey = staffPerson.key;
    const sanctioned = this.addSanctions(staffPerson, assessments);
    this.addIncompetent(staffPerson, sanctioned, grades, assessments);
    const families = this.familiesFor(staffPerson);

    for (const p of this.people) {
      plan.people.push({
        key: p.key,
        idNumber: p.key,
        name: p.name,
        namePinyin: p.keys.pinyin,
        nameInitials: p.keys.initials,
        surnameStrokes: p.keys.surnameStrokes,
        gender: p.gender,
        birthDate: p.birth,
        ethnicity: p.ethnicity,
        nativePlace: p.nativePlace,
        birthPlace: p.birthPlace,
        politicalStatus: p.political,
        partyJoinedOn: p.partyJoined,
        workStartedOn: p.workStart,
        professionalTitle: this.professionalTitle(p, grades.get(p) ?? []),
        expertise: this.expertiseFor(p),
      });
      this.emitAssignments(p);
      plan.grades.push(...(grades.get(p) ?? []));
      plan.assessments.push(...(assessments.get(p) ?? []));
      this.emitSlotsAndStatuses(p);
      this.emitEducationAndResume(p);
      plan.families.push(...(families.get(p) ?? []));
      if (p.moverFrom && p.moveDate) {
        plan.facts.movers.push({
          personKey: p.key,
          from: p.moverFrom.def.name,
          to: p.home.def.name,
          on: p.moveDate,
        });
      }
    }
  }

  private describeSegments(p: Person): void {
    const abbr = p.county.def.abbr;
    p.segments.forEach((seg, i) => {
      const y = yearOf(seg.from);
      const t = seg.seat.township;
      const prev = p.segments[i - 1];
      const beforeReform = seg.seat.splitOn !== null && seg.from < seg.seat.splitOn;
      const unitName = beforeReform ? (seg.seat.legacyUnitName ?? seg.seat.unitName) : seg.seat.unitName;
      const where = seg.seat.isLeaderTeam ? seg.seat.name : `${unitName}${seg.seat.name}`;
      if (i === 0) {
        if (p.recordStart === p.workStart) {
          const recruit = p.type === 'administrative' || p.type === 'civil_service_institutional';
          seg.reason = recruit
            ? `考试录用，分配至${t.def.name}${where}`
            : `公开招聘，聘用至${t.def.name}${where}`;
          seg.docNo = this.docs.next(recruit ? `${abbr}公录` : `${abbr}人社聘`, y);
        } else {
          seg.reason = `调入${t.def.name}，任${where}`;
          seg.docNo = this.docs.next(`${abbr}组干`, y);
        }
      } else if (prev && prev.seat.township !== t && !p.department) {
        seg.reason = `由${prev.seat.township.def.name}调入${t.def.name}，任${where}`;
        seg.docNo = this.docs.next(`${abbr}组干`, y);
      } else if (seg.seat.isLeaderTeam) {
        seg.reason = `任${seg.seat.name}`;
        seg.docNo = this.docs.next(`${abbr}组干`, y);
      } else if (seg.seat.department) {
        seg.reason = `${seg.seat.isHead ? '任' : '调整至'}${t.def.name}${where}（已书面征求镇党委意见）`;
        seg.docNo = this.docs.next(`${abbr}组干`, y);
      } else if (seg.seat.isHead) {
        seg.reason = `任${where}`;
        seg.docNo = this.docs.next(`${t.def.abbr}党发`, y);
      } else {
        seg.reason = `镇内调整，到${unitName}工作`;
        seg.docNo = this.docs.next(`${t.def.abbr}党发`, y);
      }
    });
    for (const c of p.concurrent) c.docNo = this.docs.next(`${abbr}组干`, yearOf(c.from));
  }

  private emitAssignments(p: Person): void {
    const out = this.plan.assignments;
    const push = (seg: Segment, kind: AssignmentRow['kind']) => {
      const s = seg.seat;
      const split = s.splitOn;
      if (split && seg.from < split && (seg.to === null || seg.to > split)) {
        out.push({
          personKey: p.key,
          postKey: s.twinKey,
          kind,
          validFrom: seg.from,
          validTo: split,
          plannedUntil: seg.plannedUntil ?? null,
          reason: seg.reason,
          docNo: seg.docNo,
        });
        out.push({
          personKey: p.key,
          postKey: s.key,
          kind,
          validFrom: split,
          validTo: seg.to,
          plannedUntil: seg.plannedUntil ?? null,
          reason: `镇机构改革，随职能划转至${s.unitName}`,
          docNo: s.township.county.docs.reform2019,
        });
      } else {
        const postKey = split && seg.from < split ? s.twinKey : s.key;
        out.push({
          personKey: p.key,
          postKey,
          kind,
          validFrom: seg.from,
          validTo: seg.to,
          plannedUntil: seg.plannedUntil ?? null,
          reason: seg.reason,
          docNo: seg.docNo,
        });
      }
    };
    for (const seg of p.segments) push(seg, 'primary');
    for (const seg of p.concurrent) push(seg, 'concurrent');
    for (const seg of p.secondments) push(seg, 'secondment');
  }

  private holderKeyOf(p: Person, seg: Segment): string {
    if (p.department) return `d:${p.county.def.code}:${p.department}`;
    return seg.seat.township.holderKey;
  }

  private emitSlotsAndStatuses(p: Person): void {
    const abbr = p.county.def.abbr;
    const slots: SlotRow[] = [];
    for (const seg of p.segments) {
      const accountKey = `${this.holderKeyOf(p, seg)}|${p.type}`;
      const last = slots[slots.length - 1];
      if (last && last.accountKey === accountKey) {
        last.validTo = seg.to;
        continue;
      }
      if (last) last.validTo = seg.from;
      const first = slots.length === 0;
      const reason = first
        ? p.recordStart === p.workStart
          ? p.type === 'administrative' || p.type === 'civil_service_institutional'
            ? '考试录用进编'
            : '公开招聘进编'
          : '调入进编'
        : `跨乡镇调动，编制随人调整至${seg.seat.township.def.name}`;
      slots.push({
        personKey: p.key,
        accountKey,
        validFrom: seg.from,
        validTo: seg.to,
        reason,
        docNo: this.docs.next(`${abbr}编用`, yearOf(seg.from)),
      });
    }
    this.plan.slots.push(...slots);
    this.plan.statuses.push({
      personKey: p.key,
      status: 'active',
      validFrom: p.workStart,
      validTo: p.end,
      reason: '参加工作',
      docNo: null,
    });
    if (p.exit && p.end) {
      this.plan.statuses.push({
        personKey: p.key,
        status: p.exit,
        validFrom: p.end,
        validTo: null,
        reason: p.exit === 'retired' ? '到龄退休' : `调出至${p.county.def.name}农业农村局`,
        docNo: this.docs.next(p.exit === 'retired' ? `${abbr}人社退` : `${abbr}组干`, yearOf(p.end)),
      });
    }
  }

  // ----- grades ------------------------------------------------------------------------------------------

  private gradesFor(p: Person): GradeRow[] {
    const rng = this.root.fork(`grades:${p.seq}`);
    const rows: GradeRow[] = [];
    const steps: Array<{ code: string; from: string; legacy?: string }> = [];
    const end = p.end ?? this.T;
    const ladder =
      p.track === 'cs'
        ? 'civil_service_rank'
        : p.track === 'mgmt'
          ? 'management_level'
          : p.track === 'pro'
            ? 'professional'
            : 'skilled';
    const firstHead = p.segments.find((s) => s.seat.isHead || s.seat.isLeaderTeam);
    const deputyHead = p.segments.find((s) => s.seat.level >= 2);

    if (p.track === 'cs') {
      const graduate = p.education.level === 'bachelor' || p.education.level === 'master';
      let idx = graduate ? 1 : 0;
      let d = p.workStart;
      const age = ageOn(p.birth, this.T);
      let cap = p.role === 'chief' ? 5 : p.role === 'deputy' || p.role === 'head' ? 4 : 3;
      if (age >= 45 && rng.chance(0.4)) cap += 1;
      steps.push({ code: CS_CODES[idx]!, from: d });
      for (let guard = 0; guard < 10; guard++) {
        let next: number;
        let nd: string;
        if (d < CONVERSION_DATE) {
          if (idx === 0) [next, nd] = [1, addMonths(d, rng.int(12, 24))];
          else if (idx === 1) [next, nd] = [2, addMonths(d, rng.int(36, 66))];
          else if (idx === 2 && cap >= 4) [next, nd] = [4, addMonths(d, rng.int(48, 78))];
          else if (idx === 2)
            [next, nd] = [3, maxDate(addMonths(CONVERSION_DATE, rng.int(6, 36)), addMonths(d, 24))];
          else [next, nd] = [idx + 1, maxDate(CONVERSION_DATE, addMonths(d, rng.int(24, 48)))];
          if (nd >= CONVERSION_DATE && idx !== 4) {
            // Fell after the 2019 conversion: the new ladder moves one rank at a time.
            next = idx + 1;
            nd = maxDate(nd, addMonths(d, 24));
          }
        } else {
          [next, nd] = [idx + 1, addMonths(d, rng.int(24, 54))];
        }
        if (rng.chance(0.1)) nd = addMonths(nd, rng.int(6, 24));
        if (next > cap || next >= CS_CODES.length || nd >= end) break;
        steps.push({ code: CS_CODES[next]!, from: nd });
        idx = next;
        d = nd;
      }
      for (const s of steps) {
        if (s.from < CONVERSION_DATE)
          s.legacy = OLD_TITLES[CS_CODES.indexOf(s.code as (typeof CS_CODES)[number])];
      }
    } else if (p.track === 'mgmt') {
      const graduate = p.education.level === 'bachelor' || p.education.level === 'master';
      let level = graduate ? 9 : 10;
      steps.push({ code: `mgmt_${level}`, from: p.workStart });
      let since = p.workStart;
      if (level === 10) {
        const nd = addMonths(since, rng.int(36, 60));
        if (nd < end) {
          level = 9;
          since = nd;
          steps.push({ code: 'mgmt_9', from: nd });
        }
      }
      if (level === 9 && firstHead && (deputyHead || rng.chance(0.4))) {
        const nd = maxDate(firstHead.from, addMonths(since, deputyHead ? 36 : 96));
        if (nd < end) {
          level = 8;
          since = nd;
          steps.push({ code: 'mgmt_8', from: nd });
        }
      }
      if (level === 8 && deputyHead && rng.chance(0.3)) {
        const nd = addMonths(since, rng.int(60, 84));
        if (nd < end) steps.push({ code: 'mgmt_7', from: nd });
      }
    } else if (p.track === 'pro') {
      let level = p.education.level === 'bachelor' || p.education.level === 'master' ? 12 : 13;
      let d = addMonths(p.workStart, 12);
      steps.push({ code: `pro_${level}`, from: p.workStart });
      const floor = p.education.level === 'master' ? 8 : 9;
      for (;;) {
        d = addMonths(d, rng.int(36, 60));
        if (d >= end || level - 1 < floor) break;
        level -= 1;
        steps.push({ code: `pro_${level}`, from: d });
      }
    } else {
      const ladderCodes = ['skilled_general', 'skilled_5', 'skilled_4', 'skilled_3'];
      let d = p.workStart;
      steps.push({ code: ladderCodes[0]!, from: d });
      for (let i = 1; i < ladderCodes.length; i++) {
        d = addMonths(d, rng.int(36, 72));
        if (d >= end) break;
        steps.push({ code: ladderCodes[i]!, from: d });
      }
    }

    // Keep the step that covers the record start (with its real date) and everything after.
    let firstKept = 0;
    for (let i = 0; i < steps.length; i++) if (steps[i]!.from <= p.recordStart) firstKept = i;
    const kept = steps.slice(firstKept);
    const abbr = p.county.def.abbr;
    kept.forEach((s, i) => {
      const to = kept[i + 1]?.from ?? p.end;
      const isFirstEver = firstKept === 0 && i === 0;
      const probation = isFirstEver && p.track === 'cs' ? addYears(p.workStart, 1) : null;
      const reason = isFirstEver
        ? p.track === 'cs'
          ? '新录用公务员，试用期一年'
          : '聘用定级'
        : s.legacy
          ? `晋升${s.legacy}`
          : `晋升${gradeName(s.code)}`;
      const docNo = this.docs.next(p.track === 'cs' ? `${abbr}组干` : `${abbr}人社聘`, yearOf(s.from));
      if (s.legacy && to !== null && to > CONVERSION_DATE) {
        rows.push(
          this.gradeRow(p, ladder, s.code, s.legacy, probation, s.from, CONVERSION_DATE, reason, docNo),
        );
        rows.push(
          this.gradeRow(
            p,
            ladder,
            s.code,
            null,
            null,
            CONVERSION_DATE,
            to,
            `职务与职级并行套转（原${s.legacy}）`,
            p.county.docs.conversion,
          ),
        );
      } else if (s.legacy && to === null) {
        rows.push(
          this.gradeRow(p, ladder, s.code, s.legacy, probation, s.from, CONVERSION_DATE, reason, docNo),
        );
        rows.push(
          this.gradeRow(
            p,
            ladder,
            s.code,
            null,
            null,
            CONVERSION_DATE,
            null,
            `职务与职级并行套转（原${s.legacy}）`,
            p.county.docs.conversion,
          ),
        );
      } else {
        rows.push(this.gradeRow(p, ladder, s.code, s.legacy ?? null, probation, s.from, to, reason, docNo));
      }
    });

    // 职务层次: 乡科级副职 from the first 副科 seat, 乡科级正职 from the first 正科 seat (civil servants),
    // or from a leadership job held elsewhere before the record starts.
    if (p.track === 'cs') {
      const senior = this.priorCareer(p).senior;
      const deputySeg = p.segments.find(
        (s) => s.seat.level === 2 && !p.segments.some((c) => c.seat.level === 3 && c.from <= s.from),
      );
      const chiefSeg = p.segments.find((s) => s.seat.level === 3);
      const abbr = p.county.def.abbr;
      const deputy =
        senior?.level === 2
          ? {
              from: senior.from,
              reason: `任${senior.text}`,
              docNo: this.docs.next(`${abbr}组干`, yearOf(senior.from)),
            }
          : deputySeg
            ? {
                from: deputySeg.from,
                reason: deputySeg.reason || `任${deputySeg.seat.name}`,
                docNo: deputySeg.docNo,
              }
            : null;
      const chief =
        senior?.level === 3
          ? {
              from: senior.from,
              reason: `任${senior.text}`,
              docNo: this.docs.next(`${abbr}组干`, yearOf(senior.from)),
            }
          : chiefSeg
            ? {
                from: chiefSeg.from,
                reason: chiefSeg.reason || `任${chiefSeg.seat.name}`,
                docNo: chiefSeg.docNo,
              }
            : null;
      if (deputy && (!chief || deputy.from < chief.from)) {
        rows.push(
          this.gradeRow(
            p,
            'leadership_level',
            'township_deputy',
            null,
            addYears(deputy.from, 1),
            deputy.from,
            chief ? chief.from : p.end,
            deputy.reason,
            deputy.docNo,
          ),
        );
      }
      if (chief) {
        rows.push(
          this.gradeRow(
            p,
            'leadership_level',
            'township_chief',
            null,
            addYears(chief.from, 1),
            chief.from,
            p.end,
            chief.reason,
            chief.docNo,
          ),
        );
      }
    }
    return rows;
  }

  private gradeRow(
    p: Person,
    ladder: string,
    gradeCode: string,
    legacyTitle: string | null,
    probationUntil: string | null,
    validFrom: string,
    validTo: string | null,
    reason: string,
    docNo: string | null,
  ): GradeRow {
    return {
      personKey: p.key,
      ladder,
      gradeCode,
      legacyTitle,
      probationUntil,
      validFrom,
      validTo,
      reason,
      docNo,
    };
  }

  private professionalTitle(p: Person, grades: GradeRow[]): string {
    if (p.track !== 'pro') return '';
    const current = grades.filter((g) => g.ladder === 'professional').at(-1);
    if (!current) return '';
    const level = Number(current.gradeCode.slice(4));
    const seatName = p.segments.at(-1)?.seat.name ?? '';
    const titles: Array<[string, [string, string, string]]> = [
      ['农技', ['农业技术员', '助理农艺师', '农艺师']],
      ['兽医', ['兽医技术员', '助理兽医师', '兽医师']],
      ['文化', ['群众文化管理员', '助理馆员', '馆员']],
    ];
    const [junior, assistant, middle] = titles.find(([k]) => seatName.includes(k))?.[1] ?? [
      '经济员',
      '助理经济师',
      '经济师',
    ];
    return level >= 13 ? junior : level >= 11 ? assistant : middle;
  }

  private expertiseFor(p: Person): string {
    const byGroup: Record<string, string> = {
      office: '文稿写作、基层党建',
      economy: '项目建设、自然资源管理',
      society: '矛盾纠纷调解、应急管理',
      agriculture: '农业技术推广',
      welfare: '社会保障、民政服务',
      culture: '群众文化活动组织',
      service: '政务服务、信息化',
      enforcement: '综合行政执法',
      justice: '法律事务、人民调解',
      market: '市场监管、食品安全',
      finance: '财务管理、预算会计',
      worker: '车辆驾驶与维护',
    };
    return p.seq % 3 === 0 ? '' : (byGroup[p.majorGroup] ?? '');
  }

  // ----- assessments, sanctions ----------------------------------------------------------------------------

  private readonly assessmentDocs = new Map<string, string>();
  private assessmentDoc(county: CountyCtx, year: number): string {
    const key = `${county.def.code}:${year}`;
    let doc = this.assessmentDocs.get(key);
    if (!doc) {
      doc = this.docs.next(`${county.def.abbr}组通`, year + 1);
      this.assessmentDocs.set(key, doc);
    }
    return doc;
  }

  private assessmentsFor(p: Person): AssessmentRow[] {
    const rng = this.root.fork(`assess:${p.seq}`);
    const civil = p.type === 'administrative' || p.type === 'civil_service_institutional';
    // The assessment record follows a person (档案): it covers years worked elsewhere before arriving.
    const firstYear = Math.max(yearOf(p.workStart) + 1, yearOf(this.T) - 15);
    const lastYear = Math.min(yearOf(this.T) - 1, p.end ? yearOf(p.end) - 1 : 9999);
    const rows: AssessmentRow[] = [];
    for (let year = firstYear; year <= lastYear; year++) {
      let result: AssessmentResult;
      if (year === yearOf(p.workStart) + 1) result = 'ungraded';
      else {
        const r = rng.next();
        result =
          r < 0.15
            ? 'excellent'
            : r < 0.165
              ? civil
                ? 'basically_competent'
                : 'basically_qualified'
              : civil
                ? 'competent'
                : 'qualified';
      }
      rows.push({ personKey: p.key, year, result, docNo: this.assessmentDoc(p.county, year) });
    }
    return rows;
  }

  /** The `staff` account's person: a civil servant in the first township with a long, varied record. */
  private chooseStaffPerson(
    grades: Map<Person, GradeRow[]>,
    assessments: Map<Person, AssessmentRow[]>,
  ): Person {
    const first = this.townships[0]!;
    const secondees = new Set(this.plan.facts.secondments.map((s) => s.personKey));
    let best: Person | undefined;
    let bestScore = -1;
    for (const p of this.people) {
      if (p.home !== first || p.end !== null || p.track !== 'cs' || p.type !== 'administrative') continue;
      if (p.role === 'chief' || p.role === 'deputy' || p.department || p.moverFrom || secondees.has(p.key))
        continue;
      const g = grades.get(p) ?? [];
      const a = assessments.get(p) ?? [];
      if (a.length < 5) continue;
      const rankSteps = g.filter((x) => x.ladder === 'civil_service_rank').length;
      const score =
        p.segments.length * 2 +
        Math.min(rankSteps, 5) * 1.5 +
        (g.some((x) => x.legacyTitle) ? 3 : 0) +
        (a.some((x) => x.result === 'excellent') ? 2 : 0) +
        Math.min(a.length, 10) / 2 +
        (p.role === 'staff' ? 2 : 0);
      if (score > bestScore) {
        bestScore = score;
        best = p;
      }
    }
    if (!best) throw new Error('demo plan: no suitable person for the staff account');
    return best;
  }

  private addSanctions(staffPerson: Person, assessments: Map<Person, AssessmentRow[]>): Set<Person> {
    const rng = this.root.fork('sanctions');
    const T = this.T;
    const places = [0, 6, 13, 3, 9].map((i) => this.townships[i]!);
    const secondees = new Set(this.plan.facts.secondments.map((s) => s.personKey));
    const chosen = new Set<Person>();
    SANCTION_STORIES.forEach((story, i) => {
      const t = places[i]!;
      const wantRole: Role[] = story.kind === 'investigation' ? ['deputy'] : ['staff', 'head'];
      const decidedOn = addDays(addMonths(T, -story.monthsAgo), -rng.int(0, 20));
      const candidates = this.people.filter(
        (p) =>
          p.home === t &&
          p.end === null &&
          p !== staffPerson &&
          !chosen.has(p) &&
          !secondees.has(p.key) &&
          wantRole.includes(p.role) &&
          p.recordStart < addYears(decidedOn, -2) &&
          (story.kind.startsWith('party') ? p.political === 'cpc_member' : true),
      );
      if (candidates.length === 0) return;
      const p = rng.pick(candidates);
      chosen.add(p);
      const prefix =
        story.doc === 'gov'
          ? `${p.county.def.abbr}监处`
          : story.doc === 'party'
            ? `${p.county.def.abbr}纪处`
            : `${p.county.def.abbr}组通`;
      this.plan.sanctions.push({
        personKey: p.key,
        kindCode: story.kind,
        decidedOn,
        closedOn: null,
        reason: story.reason,
        docNo: this.docs.next(prefix, yearOf(decidedOn)),
      });
      // 受处分当年：警告不得评为优秀，记过及以上不得评为称职以上。
      const row = (assessments.get(p) ?? []).find((a) => a.year === yearOf(decidedOn));
      if (row && row.result !== 'ungraded') {
        const civil = p.type === 'administrative' || p.type === 'civil_service_institutional';
        if (story.kind === 'gov_demerit') row.result = civil ? 'basically_competent' : 'basically_qualified';
        else if (row.result === 'excellent') row.result = civil ? 'competent' : 'qualified';
      }
    });
    return chosen;
  }

  /** One 不称职 in the world, with the demotion the rules require the following spring. */
  private addIncompetent(
    staffPerson: Person,
    sanctioned: Set<Person>,
    grades: Map<Person, GradeRow[]>,
    assessments: Map<Person, AssessmentRow[]>,
  ): void {
    const year = yearOf(this.T) - 3;
    const demotedOn = ymd(year + 1, 3, 20);
    const candidates = this.people.filter((p) => {
      if (p === staffPerson || sanctioned.has(p) || p.end !== null || p.track !== 'cs' || p.role !== 'staff')
        return false;
      if (p.home.county.idx !== 1) return false;
      const rank = (grades.get(p) ?? []).filter((g) => g.ladder === 'civil_service_rank');
      const last = rank.at(-1);
      return (
        last !== undefined &&
        last.validTo === null &&
        last.validFrom < addYears(demotedOn, -1) &&
        CS_CODES.indexOf(last.gradeCode as (typeof CS_CODES)[number]) >= 1 &&
        (assessments.get(p) ?? []).some((a) => a.year === year && a.result !== 'ungraded')
      );
    });
    const p = candidates[0];
    if (!p) return;
    const row = (assessments.get(p) ?? []).find((a) => a.year === year)!;
    row.result = 'incompetent';
    for (const a of assessments.get(p) ?? [])
      if (a.year === year + 1 && a.result === 'excellent') a.result = 'competent';
    const rank = (grades.get(p) ?? []).filter((g) => g.ladder === 'civil_service_rank');
    const last = rank.at(-1)!;
    last.validTo = demotedOn;
    const lower = CS_CODES[CS_CODES.indexOf(last.gradeCode as (typeof CS_CODES)[number]) - 1]!;
    grades
      .get(p)!
      .push(
        this.gradeRow(
          p,
          'civil_service_rank',
          lower,
          null,
          null,
          demotedOn,
          null,
          `${year}年度考核不称职，降低一个职级层次任职`,
          this.docs.next(`${p.county.def.abbr}组干`, year + 1),
        ),
      );
  }

  // ----- education, resume, family ------------------------------------------------------------------------

  private readonly priorCareers = new Map<Person, PriorCareer>();

  /**
   * Work before the record in the township starts, as free-text resume lines at a level that leads to the
   * first seat held here: a leader who arrives as 组织委员 was, say, 副乡长 elsewhere, and that counts
   * as 乡科级副职 from then on.
   */
  private priorCareer(p: Person): PriorCareer {
    const cached = this.priorCareers.get(p);
    if (cached) return cached;
    const result: PriorCareer = { lines: [], senior: null };
    this.priorCareers.set(p, result);
    if (p.recordStart <= p.workStart) return result;
    const rng = this.root.fork(`prior:${p.seq}`);
    const fill = (text: string) =>
      text
        .replace('{county}', p.county.def.name)
        .replace('{village}', rng.pick(VILLAGES))
        .replace('{town}', rng.pick(PRIOR_TOWNS))
        .replace('{bureau}', rng.pick(PRIOR_BUREAUS));
    const workMonth = firstOfMonth(p.workStart);
    const start = firstOfMonth(p.recordStart);
    const level = p.segments[0]?.seat.level ?? 0;
    const seniorLevel = p.track === 'cs' && level >= 2 ? (level as 2 | 3) : null;
    const seniorFrom = firstOfMonth(addYears(p.recordStart, -rng.int(3, 6)));
    if (seniorLevel && seniorFrom > addMonths(workMonth, 24)) {
      const text = fill(rng.pick(seniorLevel === 3 ? PRIOR_CHIEF_JOBS : PRIOR_DEPUTY_JOBS));
      result.lines.push({ from: workMonth, to: seniorFrom, text: fill(rng.pick(PRIOR_JOBS)) });
      result.lines.push({ from: seniorFrom, to: start, text });
      result.senior = { from: seniorFrom, level: seniorLevel, text };
    } else {
      result.lines.push({
        from: workMonth,
        to: start,
        text: fill(
          rng.pick(level >= 1 ? PRIOR_STOCK_JOBS : p.track === 'cs' ? PRIOR_JOBS : PRIOR_INSTITUTION_JOBS),
        ),
      });
    }
    return result;
  }

  private emitEducationAndResume(p: Person): void {
    const rng = this.root.fork(`edu:${p.seq}`);
    const gradYear = yearOf(p.workStart);
    const majors = MAJORS[p.majorGroup] ?? MAJORS.office!;
    const major = rng.pick(majors);
    const workMonth = firstOfMonth(p.workStart);
    const eduRows: EducationRow[] = [];
    const resume: ResumeRow[] = [];
    const level = p.education.level;
    const universityPool = p.majorGroup === 'agriculture' ? SCHOOLS.agriculture : SCHOOLS.university;
    if (level === 'master') {
      const bStart = ymd(gradYear - 7, 9, 1);
      const mStart = ymd(gradYear - 3, 9, 1);
      const bSchool = rng.pick(universityPool);
      const mSchool = rng.pick(SCHOOLS.university);
      eduRows.push({
        personKey: p.key,
        mode: 'full_time',
        level: 'bachelor',
        degree: 'bachelor',
        school: bSchool,
        major,
        startedOn: bStart,
        graduatedOn: ymd(gradYear - 3, 7, 1),
      });
      eduRows.push({
        personKey: p.key,
        mode: 'full_time',
        level: 'master',
        degree: 'master',
        school: mSchool,
        major,
        startedOn: mStart,
        graduatedOn: ymd(gradYear, 7, 1),
      });
      resume.push({
        personKey: p.key,
        fromMonth: bStart,
        toMonth: mStart,
        text: `${bSchool}${major}专业学习`,
      });
      resume.push({
        personKey: p.key,
        fromMonth: mStart,
        toMonth: workMonth,
        text: `${mSchool}${major}专业研究生学习`,
      });
    } else {
      const years = level === 'bachelor' ? 4 : 3;
      const school =
        level === 'bachelor'
          ? rng.pick(universityPool)
          : level === 'college'
            ? rng.pick(SCHOOLS.college)
            : rng.pick(SCHOOLS.secondary);
      const start = ymd(gradYear - years, 9, 1);
      eduRows.push({
        personKey: p.key,
        mode: 'full_time',
        level,
        degree: level === 'bachelor' ? 'bachelor' : null,
        school,
        major,
        startedOn: start,
        graduatedOn: ymd(gradYear, 7, 1),
      });
      resume.push({
        personKey: p.key,
        fromMonth: start,
        toMonth: workMonth,
        text: `${school}${major}专业学习`,
      });
    }
    // In-service study: most without a degree upgrade; some graduates take a part-time master's.
    const end = p.end ?? this.T;
    const upgrade =
      level === 'college' || level === 'secondary_vocational' ? 0.6 : level === 'bachelor' ? 0.12 : 0;
    if (rng.chance(upgrade) && monthsBetween(p.workStart, end) > 60) {
      const start = ymd(yearOf(p.workStart) + rng.int(2, 5), 3, 1);
      const graduated = addYears(start, level === 'bachelor' ? 3 : 2);
      if (graduated < end) {
        const masters = level === 'bachelor';
        eduRows.push({
          personKey: p.key,
          mode: 'in_service',
          level: masters ? 'master' : level === 'college' ? 'bachelor' : 'college',
          degree: masters ? 'master' : level === 'college' ? 'bachelor' : null,
          school: masters ? '示范大学' : rng.pick(SCHOOLS.inService),
          major: masters ? '公共管理（MPA）' : rng.pick(IN_SERVICE_MAJORS),
          startedOn: start,
          graduatedOn: graduated,
        });
      }
    }
    for (const line of this.priorCareer(p).lines) {
      resume.push({ personKey: p.key, fromMonth: line.from, toMonth: line.to, text: line.text });
    }
    this.plan.educations.push(...eduRows);
    this.plan.resumeLines.push(...resume);
  }

  private familiesFor(staffPerson: Person): Map<Person, FamilyRow[]> {
    const rng = this.root.fork('family');
    const T = this.T;
    const out = new Map<Person, FamilyRow[]>();
    const taken = new Set<string>();
    const active = this.people.filter((p) => p.end === null);
    // Two couples on the roster (回避 examples): related_person_id links them.
    const couples: Array<[Person, Person]> = [];
    const inCouple = new Set<Person>();
    for (const t of [this.townships[0]!, this.townships[12]!]) {
      const men = active.filter(
        (p) => p.home === t && p.gender === 'male' && ageOn(p.birth, T) >= 30 && p !== staffPerson,
      );
      const women = active.filter(
        (p) => p.home === t && p.gender === 'female' && ageOn(p.birth, T) >= 28 && p !== staffPerson,
      );
      for (const m of men) {
        const w = women.find((x) => !inCouple.has(x) && Math.abs(ageOn(x.birth, T) - ageOn(m.birth, T)) <= 4);
        if (w && !inCouple.has(m)) {
          couples.push([m, w]);
          inCouple.add(m);
          inCouple.add(w);
          break;
        }
      }
    }
    // Emigrated relatives (裸官 block): the spouse of one person, the only child of another.
    const emigratedSpouse = rng.pick(
      active.filter(
        (p) =>
          p.home === this.townships[1] && p.role !== 'chief' && !inCouple.has(p) && ageOn(p.birth, T) >= 35,
      ),
    );
    const emigratedChild = rng.pick(
      active.filter((p) => p.home === this.townships[5] && !inCouple.has(p) && ageOn(p.birth, T) >= 52),
    );
    const politicalOf = (age: number): PoliticalStatus =>
      age < 14
        ? 'masses'
        : age <= 28 && rng.chance(0.6)
          ? 'youth_league'
          : rng.chance(0.35)
            ? 'cpc_member'
            : 'masses';
    const childWork = (birth: string): string => {
      const age = ageOn(birth, T);
      if (age < 6) return '学龄前';
      if (age < 12) return `${CITY.name}实验小学学生`;
      if (age < 18) return `${CITY.name}第一中学学生`;
      if (age < 23) return `${rng.pick(SCHOOLS.university)}学生`;
      return rng.pick(['示范市某科技公司职员', '示范县第二小学教师', '示范市中心医院医生', '自由职业']);
    };

    const coupleOf = new Map<Person, Person>();
    for (const [m, w] of couples) {
      coupleOf.set(m, w);
      coupleOf.set(w, m);
    }
    const childrenOfCouple = new Map<Person, FamilyRow[]>();

    for (const p of this.people) {
      const rows: FamilyRow[] = [];
      const age = ageOn(p.birth, T);
      const push = (row: Omit<FamilyRow, 'personKey' | 'sortOrder'>) =>
        rows.push({ ...row, personKey: p.key, sortOrder: (rows.length + 1) * 10 });
      const partner = coupleOf.get(p);
      const spouseSurname = rng.weighted([
        ['王', 7],
        ['李', 7],
        ['张', 7],
        ['刘', 5],
        ['陈', 5],
        ['杨', 3],
        ['赵', 2],
        ['黄', 2],
        ['周', 2],
        ['吴', 2],
        ['孙', 2],
        ['何', 1],
      ] as const);
      let spouseName: string | null = null;
      if (partner) {
        spouseName = partner.name;
        const unit = partner.segments.at(-1)?.seat;
        push({
          relation: 'spouse',
          name: partner.name,
          birthDate: partner.birth,
          politicalStatus: partner.political,
          workUnitAndPost: unit
            ? `${unit.township.def.name}${unit.isLeaderTeam ? '' : unit.unitName}${unit.name}`
            : '',
          emigrated: false,
          relatedPersonKey: partner.key,
        });
      } else if (
        p === emigratedSpouse ||
        p === emigratedChild ||
        p === staffPerson ||
        (age >= 27 && rng.chance(0.85))
      ) {
        const sg = p.gender === 'male' ? 'female' : 'male';
        const sb = addDays(p.birth, rng.int(-4 * 365, 3 * 365));
        spouseName = makeName(rng, sg, yearOf(sb), taken, { surname: spouseSurname });
        const emigrated = p === emigratedSpouse;
        push({
          relation: 'spouse',
          name: spouseName,
          birthDate: sb,
          politicalStatus: politicalOf(ageOn(sb, T)),
          workUnitAndPost: emigrated ? '移居加拿大，现在多伦多某公司任职' : rng.pick(FAMILY_WORK.spouse),
          emigrated,
          relatedPersonKey: null,
        });
      }
      const sharedChildren = partner ? childrenOfCouple.get(partner) : undefined;
      if (sharedChildren) {
        for (const c of sharedChildren) push({ ...c, relation: c.relation, relatedPersonKey: null });
      } else if (spouseName && age >= 30) {
        const onlyChild = p === emigratedChild;
        const count = onlyChild
          ? 1
          : p === staffPerson
            ? 1
            : rng.weighted([
                [0, 1],
                [1, 5],
                [2, 3],
              ] as const);
        const surname = surnameOf(p.gender === 'male' ? p.name : spouseName);
        const kids: FamilyRow[] = [];
        for (let i = 0; i < count; i++) {
          const cg = rng.chance(0.5) ? 'male' : 'female';
          const cb = onlyChild
            ? addDays(p.birth, rng.int(25 * 365, 27 * 365))
            : minDate(addDays(p.birth, rng.int(25 * 365, 34 * 365) + i * 800), addYears(T, -1));
          const emigrated = onlyChild;
          const row: Omit<FamilyRow, 'personKey' | 'sortOrder'> = {
            relation: cg === 'male' ? 'son' : 'daughter',
            name: makeName(rng, cg, yearOf(cb), taken, { surname }),
            birthDate: cb,
            politicalStatus: politicalOf(ageOn(cb, T)),
            workUnitAndPost: emigrated ? '定居澳大利亚，悉尼某会计师事务所职员' : childWork(cb),
            emigrated,
            relatedPersonKey: null,
          };
          push(row);
          kids.push({ ...row, personKey: p.key, sortOrder: 0 });
        }
        if (partner) childrenOfCouple.set(p, kids);
      }
      if (age < 50 && rows.length < 4) {
        const surname = surnameOf(p.name);
        if (rng.chance(0.45)) {
          const fb = addDays(p.birth, -rng.int(24 * 365, 32 * 365));
          push({
            relation: 'father',
            name: makeName(rng, 'male', yearOf(fb), taken, { surname }),
            birthDate: fb,
            politicalStatus: rng.chance(0.4) ? 'cpc_member' : 'masses',
            workUnitAndPost: rng.pick(FAMILY_WORK.parent),
            emigrated: false,
            relatedPersonKey: null,
          });
        }
        if (rows.length < 4 && rng.chance(0.4)) {
          const mb = addDays(p.birth, -rng.int(22 * 365, 30 * 365));
          push({
            relation: 'mother',
            name: makeName(rng, 'female', yearOf(mb), taken),
            birthDate: mb,
            politicalStatus: 'masses',
            workUnitAndPost: rng.pick(FAMILY_WORK.parent),
            emigrated: false,
            relatedPersonKey: null,
          });
        }
      }
      out.set(p, rows.slice(0, 4));
    }
    return out;
  }

  // ----- quota decisions ----------------------------------------------------------------------------------

  private emitQuotaDecisions(): void {
    const T = this.T;
    const plan = this.plan;
    const rng = this.root.fork('quota');
    const slotsByAccount = new Map<string, SlotRow[]>();
    for (const s of plan.slots) {
      const list = slotsByAccount.get(s.accountKey) ?? [];
      list.push(s);
      slotsByAccount.set(s.accountKey, list);
    }
    const occAt = (key: string, d: string) =>
      (slotsByAccount.get(key) ?? []).filter((s) => s.validFrom <= d && (s.validTo === null || s.validTo > d))
        .length;
    const maxOcc = (key: string, from: string, to: string) => {
      let max = occAt(key, from);
      for (const s of slotsByAccount.get(key) ?? []) {
        if (s.validFrom >= from && s.validFrom <= to) max = Math.max(max, occAt(key, s.validFrom));
      }
      return max;
    };
    const lastStart = (key: string) =>
      (slotsByAccount.get(key) ?? []).reduce((acc, s) => maxDate(acc, s.validFrom), '0000-01-01');

    // Exactly one township over quota (超编) for one type: a recent decision cut the number below occupancy.
    const overPrefs = [2, 3, 1, 6, 7, 11].map((i) => this.townships[i]!);
    let over: { t: TownshipCtx; key: string; on: string } | null = null;
    for (const t of overPrefs) {
      const key = `${t.holderKey}|administrative`;
      const on = maxDate(
        maxDate(addDays(T, -140), addDays(lastStart(key), 1)),
        addYears(t.county.dates.reform2019, 1),
      );
      if (occAt(key, T) >= 3 && on <= addDays(T, -30)) {
        over = { t, key, on };
        break;
      }
    }
    if (!over) throw new Error('demo plan: found no township to put over quota');

    // At least two townships exactly full (满编) for a type: occupancy never above today's since 2019.
    const fullPrefs: Array<[number, EstablishmentType]> = [
      [0, 'institutional'],
      [3, 'administrative'],
      [10, 'civil_service_institutional'],
      [5, 'institutional'],
      [8, 'administrative'],
      [14, 'institutional'],
    ];
    const full = new Set<string>();
    const fullTownships = new Set<TownshipCtx>();
    for (const [i, type] of fullPrefs) {
      const t = this.townships[i]!;
      const key = `${t.holderKey}|${type}`;
      if (t === over.t || fullTownships.has(t)) continue;
      const occ = occAt(key, T);
      if (occ >= 1 && maxOcc(key, t.county.dates.reform2019, T) === occ) {
        full.add(key);
        fullTownships.add(t);
      }
      if (full.size === 3) break;
    }
    if (full.size < 2) throw new Error('demo plan: found fewer than two accounts to show as full');

    for (const account of plan.accounts) {
      const holder = plan.holders.find((h) => h.key === account.holderKey)!;
      const county = holder.townshipCode
        ? this.townships.find((t) => t.def.code === holder.townshipCode)!.county
        : this.counties.find((c) => holder.departmentKey?.startsWith(c.def.code))!;
      const { dates, docs } = county;
      const key = account.key;
      const zh = TYPE_ZH[account.type];
      const a1 = Math.max(1, maxOcc(key, dates.quota2016, dates.reform2019) + rng.int(0, 2));
      plan.quotaDecisions.push({
        accountKey: key,
        approved: a1,
        effectiveFrom: dates.quota2016,
        docNo: docs.quota2016,
        changeSummary: `2016年镇机构改革核定${zh}${a1}名`,
      });
      const vacancy = full.has(key)
        ? 0
        : over.key === key
          ? rng.int(0, 1)
          : account.type === 'worker'
            ? 1
            : rng.int(1, 3);
      const a2 = Math.max(1, maxOcc(key, dates.reform2019, T) + vacancy);
      plan.quotaDecisions.push({
        accountKey: key,
        approved: a2,
        effectiveFrom: dates.reform2019,
        docNo: docs.reform2019,
        changeSummary:
          a2 === a1
            ? `2019年机构改革重新核定${zh}，维持${a2}名`
            : `2019年机构改革重新核定${zh}，由${a1}名调整为${a2}名`,
      });
      if (key === over.key) {
        const occ = occAt(key, T);
        const a3 = occ - rng.int(1, 2);
        plan.quotaDecisions.push({
          accountKey: key,
          approved: a3,
          effectiveFrom: over.on,
          docNo: this.docs.next(`${county.def.abbr}编发`, yearOf(over.on)),
          changeSummary: `核减${zh}${a2 - a3}名（县域编制统筹调剂）；现超编${occ - a3}名，超编期间只出不进，逐步消化`,
        });
        plan.facts.overQuota = {
          townshipCode: over.t.def.code,
          township: over.t.def.name,
          type: account.type,
          approved: a3,
          occupied: occ,
        };
      }
      if (full.has(key)) {
        const t = this.townships.find((x) => x.holderKey === account.holderKey)!;
        plan.facts.full.push({
          townshipCode: t.def.code,
          township: t.def.name,
          type: account.type,
          approved: a2,
        });
      }
    }
  }

  // ----- accounts -------------------------------------------------------------------------------------------

  private emitUsers(): void {
    const c0 = this.counties[0]!;
    const c1 = this.counties[1]!;
    const staffPerson = this.people.find((p) => p.key === this.plan.facts.staffPersonKey)!;
    this.plan.users.push(
      {
        username: 'admin',
        displayName: '系统管理员',
        role: 'admin',
        regionCode: null,
        regionKind: null,
        personKey: null,
      },
      {
        username: 'bianban',
        displayName: `${c0.def.name}委编办`,
        role: 'establishment_officer',
        regionCode: c0.def.code,
        regionKind: 'county',
        personKey: null,
      },
      {
        username: 'zuzhibu',
        displayName: `${c0.def.name}委组织部干部科`,
        role: 'county_reviewer',
        regionCode: c0.def.code,
        regionKind: 'county',
        personKey: null,
      },
      {
        username: 'officer',
        displayName: `${c0.townships[0]!.def.name}党政综合办公室人事干事`,
        role: 'township_officer',
        regionCode: c0.townships[0]!.def.code,
        regionKind: 'township',
        personKey: null,
      },
      {
        username: 'staff',
        displayName: staffPerson.name,
        role: 'staff',
        regionCode: null,
        regionKind: null,
        personKey: staffPerson.key,
      },
      {
        username: 'zuzhibu2',
        displayName: `${c1.def.name}委组织部干部科`,
        role: 'county_reviewer',
        regionCode: c1.def.code,
        regionKind: 'county',
        personKey: null,
      },
      {
        username: 'officer2',
        displayName: `${c0.townships[1]!.def.name}党政综合办公室人事干事`,
        role: 'township_officer',
        regionCode: c0.townships[1]!.def.code,
        regionKind: 'township',
        personKey: null,
      },
      {
        username: 'officer3',
        displayName: `${c1.townships[0]!.def.name}党政综合办公室人事干事`,
        role: 'township_officer',
        regionCode: c1.townships[0]!.def.code,
        regionKind: 'township',
        personKey: null,
      },
    );
  }
}
