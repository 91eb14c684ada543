/**
 * The static shape of the demo world: regions, the seed report's unit template (domain guide section 3),
 * the leadership team (section 5) and the word lists used to fill in people. Everything here is fictional;
 * area codes start with 99 so no real place is implied.
 */

export type EstablishmentType = 'administrative' | 'civil_service_institutional' | 'institutional' | 'worker';
export type PostCategory = 'leadership' | 'civil_service' | 'management' | 'professional' | 'skilled';
export type UnitKind = 'office' | 'station' | 'dispatched';
export type UnitRank = 'section_chief' | 'deputy_section' | 'stock' | 'none';
export type DepartmentCode = 'sf' | 'sc' | 'cz';

export const CITY = { name: '示范市', code: '990000' } as const;

export interface CountyDef {
  name: string;
  code: string;
  /** The short form used in document numbers: 示编发〔2016〕12号. */
  abbr: string;
  /** Establishment type of the 财政所 staff, which counties decide differently. */
  financeType: 'civil_service_institutional' | 'institutional';
  /** Day offsets so the counties' decisions don't all fall on one date. */
  dayShift: number;
  townships: TownshipDef[];
}

export interface TownshipDef {
  name: string;
  code: string;
  kind: 'town' | 'subdistrict';
  /** The short form in township document numbers: 城党发〔2022〕3号. */
  abbr: string;
  featured?: { name: string; staff: Array<[string, PostCategory]> };
  /** Has a worker (工勤) quota and a driver post. */
  worker: boolean;
}

export const COUNTIES: CountyDef[] = [
  {
    name: '示范县',
    code: '990100',
    abbr: '示',
    financeType: 'civil_service_institutional',
    dayShift: 0,
    townships: [
      { name: '城关镇', code: '990100100', kind: 'town', abbr: '城', worker: true },
      {
        name: '青石镇',
        code: '990100101',
        kind: 'town',
        abbr: '青',
        worker: false,
        featured: {
          name: '文旅发展中心',
          staff: [
            ['文旅专干', 'management'],
            ['旅游策划员', 'professional'],
          ],
        },
      },
      { name: '柳河镇', code: '990100102', kind: 'town', abbr: '柳', worker: true },
      { name: '白沙镇', code: '990100103', kind: 'town', abbr: '白', worker: false },
      { name: '松林镇', code: '990100104', kind: 'town', abbr: '松', worker: false },
    ],
  },
  {
    name: '东岭县',
    code: '990200',
    abbr: '东',
    financeType: 'institutional',
    dayShift: 3,
    townships: [
      { name: '岭南镇', code: '990200100', kind: 'town', abbr: '岭', worker: true },
      { name: '石门镇', code: '990200101', kind: 'town', abbr: '石', worker: false },
      { name: '桃源镇', code: '990200102', kind: 'town', abbr: '桃', worker: false },
      { name: '云溪镇', code: '990200103', kind: 'town', abbr: '云', worker: true },
      { name: '双桥镇', code: '990200104', kind: 'town', abbr: '双', worker: false },
    ],
  },
  {
    name: '西河区',
    code: '990300',
    abbr: '西',
    financeType: 'institutional',
    dayShift: 6,
    townships: [
      { name: '河西街道', code: '990300001', kind: 'subdistrict', abbr: '河', worker: true },
      { name: '新华街道', code: '990300002', kind: 'subdistrict', abbr: '新', worker: false },
      {
        name: '金山镇',
        code: '990300100',
        kind: 'town',
        abbr: '金',
        worker: true,
        featured: {
          name: '电商服务中心',
          staff: [
            ['电商运营专干', 'management'],
            ['农产品营销员', 'professional'],
          ],
        },
      },
      { name: '龙潭镇', code: '990300101', kind: 'town', abbr: '龙', worker: false },
      { name: '杏花镇', code: '990300102', kind: 'town', abbr: '杏', worker: false },
    ],
  },
];

export interface DepartmentDef {
  code: DepartmentCode;
  /** The county department's name without the county prefix. */
  name: string;
  unitName: string;
}

export const DEPARTMENTS: DepartmentDef[] = [
  { code: 'sf', name: '司法局', unitName: '司法所' },
  { code: 'sc', name: '市场监督管理局', unitName: '市场监管所' },
  { code: 'cz', name: '财政局', unitName: '财政所' },
];

/** Establishment types a staff post admits; 'finance' = the county's 财政所 type. */
export type PostTypes = EstablishmentType[] | 'finance';

export interface StaffPostDef {
  name: string;
  /** 'finance' = management or civil_service after the county's finance type. */
  category: PostCategory | 'finance';
  types: PostTypes;
}

export interface UnitDef {
  code: string;
  kind: UnitKind;
  name: string;
  aliases: string[];
  rank: UnitRank;
  /** The body it replaced in the 2019 reform (a legacy unit code), if any. */
  legacy: string | null;
  department: DepartmentCode | null;
  head: { name: string; types: PostTypes };
  staff: StaffPostDef[];
}

const ADMIN: EstablishmentType[] = ['administrative'];
const ADMIN_OR_CSI: EstablishmentType[] = ['administrative', 'civil_service_institutional'];
const CSI: EstablishmentType[] = ['civil_service_institutional'];
const INST: EstablishmentType[] = ['institutional'];

const cs = (name: string, types: EstablishmentType[] = ADMIN): StaffPostDef => ({
  name,
  category: 'civil_service',
  types,
});
const mg = (name: string): StaffPostDef => ({ name, category: 'management', types: INST });
const pr = (name: string): StaffPostDef => ({ name, category: 'professional', types: INST });

/** The seed report's standard township: 4 offices, 5 stations, 3 dispatched units. */
export const UNIT_TEMPLATE: UnitDef[] = [
  {
    code: 'dzzh',
    kind: 'office',
    name: '党政综合办公室',
    aliases: ['审计所'],
    rank: 'stock',
    legacy: 'dzb',
    department: null,
    head: { name: '主任', types: ADMIN },
    staff: [cs('文秘', ADMIN_OR_CSI), cs('人事干事'), cs('财务审计干事', ADMIN_OR_CSI)],
  },
  {
    code: 'rd',
    kind: 'office',
    name: '人大主席团办公室',
    aliases: [],
    rank: 'none',
    legacy: 'dzb',
    department: null,
    head: { name: '主任', types: ADMIN },
    staff: [cs('干事')],
  },
  {
    code: 'jjfz',
    kind: 'office',
    name: '经济发展办公室',
    aliases: ['自然资源所', '生态环境所'],
    rank: 'stock',
    legacy: 'jjjs',
    department: null,
    head: { name: '主任', types: ADMIN },
    staff: [cs('规划建设干事', ADMIN_OR_CSI), cs('自然资源干事'), cs('生态环境干事')],
  },
  {
    code: 'shzl',
    kind: 'office',
    name: '社会治理办公室',
    aliases: [],
    rank: 'stock',
    legacy: 'shsw',
    department: null,
    head: { name: '主任', types: ADMIN },
    staff: [cs('综治维稳干事'), cs('应急管理干事', ADMIN_OR_CSI)],
  },
  {
    code: 'nyzh',
    kind: 'station',
    name: '农业综合服务站',
    aliases: [],
    rank: 'deputy_section',
    legacy: 'nyfw',
    department: null,
    head: { name: '站长', types: INST },
    staff: [pr('农技员'), pr('畜牧兽医员'), mg('农经管理员')],
  },
  {
    code: 'shbz',
    kind: 'station',
    name: '社会保障服务站',
    aliases: ['民政办公室', '退役军人服务站'],
    rank: 'stock',
    legacy: 'shsy',
    department: null,
    head: { name: '站长', types: INST },
    staff: [mg('社保经办员'), mg('民政专干'), mg('退役军人服务专干')],
  },
  {
    code: 'ggsy',
    kind: 'station',
    name: '公共事业服务站',
    aliases: ['文化站'],
    rank: 'stock',
    legacy: 'whgb',
    department: null,
    head: { name: '站长', types: INST },
    staff: [pr('文化专干'), mg('广播电视管理员')],
  },
  {
    code: 'bmfw',
    kind: 'station',
    name: '便民服务中心',
    aliases: [],
    rank: 'stock',
    legacy: 'shsy',
    department: null,
    head: { name: '主任', types: INST },
    staff: [mg('综合窗口受理员'), mg('综合窗口受理员')],
  },
  {
    code: 'zhzf',
    kind: 'station',
    name: '综合执法办公室',
    aliases: [],
    rank: 'deputy_section',
    legacy: 'zfzd',
    department: null,
    head: { name: '主任', types: CSI },
    staff: [cs('执法队员', CSI), cs('执法队员', CSI), cs('执法队员', CSI)],
  },
  {
    code: 'sfs',
    kind: 'dispatched',
    name: '司法所',
    aliases: [],
    rank: 'deputy_section',
    legacy: null,
    department: 'sf',
    head: { name: '所长', types: ADMIN },
    staff: [cs('司法助理员'), cs('司法助理员')],
  },
  {
    code: 'scjg',
    kind: 'dispatched',
    name: '市场监管所',
    aliases: [],
    rank: 'deputy_section',
    legacy: null,
    department: 'sc',
    head: { name: '所长', types: ADMIN },
    staff: [cs('市场监管员'), cs('市场监管员')],
  },
  {
    code: 'czs',
    kind: 'dispatched',
    name: '财政所',
    aliases: [],
    rank: 'deputy_section',
    legacy: null,
    department: 'cz',
    head: { name: '所长', types: 'finance' },
    staff: [
      { name: '会计', category: 'finance', types: 'finance' },
      { name: '财政专管员', category: 'finance', types: 'finance' },
    ],
  },
];

/** The pre-2019 bodies the template units replaced (abolished on the reform date). */
export const LEGACY_UNITS: Array<{ code: string; kind: UnitKind; name: string }> = [
  { code: 'dzb', kind: 'office', name: '党政办公室' },
  { code: 'jjjs', kind: 'office', name: '经济建设办公室' },
  { code: 'shsw', kind: 'office', name: '社会事务办公室' },
  { code: 'nyfw', kind: 'station', name: '农业服务中心' },
  { code: 'shsy', kind: 'station', name: '社会事业服务中心' },
  { code: 'whgb', kind: 'station', name: '文化广播服务站' },
  { code: 'zfzd', kind: 'station', name: '综合执法中队' },
];

export type LeadershipKind =
  | 'party_secretary'
  | 'people_congress_chair'
  | 'mayor'
  | 'deputy_secretary'
  | 'discipline_secretary'
  | 'organization_member'
  | 'propaganda_member'
  | 'deputy_mayor'
  | 'armed_forces_head'
  | 'poverty_office_deputy'
  | 'political_legal_member';

export interface LeaderSeatDef {
  kind: LeadershipKind;
  town: string;
  subdistrict: string;
  /** 3 = 正科 (section chief), 2 = 副科. */
  level: 2 | 3;
  /** When the seat came to exist: 'legacy' (long before), '2016', '2017' (temporary), '2021'. */
  since: 'legacy' | '2016' | '2017' | '2021';
}

export const LEADER_SEATS: LeaderSeatDef[] = [
  { kind: 'party_secretary', town: '党委书记', subdistrict: '党工委书记', level: 3, since: 'legacy' },
  { kind: 'people_congress_chair', town: '人大主席', subdistrict: '人大工委主任', level: 3, since: 'legacy' },
  {
    kind: 'mayor',
    town: '党委副书记、镇长',
    subdistrict: '党工委副书记、办事处主任',
    level: 3,
    since: 'legacy',
  },
  { kind: 'deputy_secretary', town: '党委副书记', subdistrict: '党工委副书记', level: 2, since: 'legacy' },
  {
    kind: 'discipline_secretary',
    town: '党委委员、纪委书记',
    subdistrict: '党工委委员、纪工委书记',
    level: 2,
    since: 'legacy',
  },
  {
    kind: 'organization_member',
    town: '党委委员、组织委员',
    subdistrict: '党工委委员、组织委员',
    level: 2,
    since: '2016',
  },
  { kind: 'deputy_mayor', town: '副镇长', subdistrict: '办事处副主任', level: 2, since: 'legacy' },
  { kind: 'deputy_mayor', town: '副镇长', subdistrict: '办事处副主任', level: 2, since: 'legacy' },
  {
    kind: 'armed_forces_head',
    town: '党委委员、人武部长',
    subdistrict: '党工委委员、武装部长',
    level: 2,
    since: 'legacy',
  },
  {
    kind: 'poverty_office_deputy',
    town: '脱贫攻坚指挥部办公室专职副主任',
    subdistrict: '脱贫攻坚指挥部办公室专职副主任',
    level: 2,
    since: '2017',
  },
  {
    kind: 'propaganda_member',
    town: '党委委员、宣传统战委员',
    subdistrict: '党工委委员、宣传统战委员',
    level: 2,
    since: '2021',
  },
  {
    kind: 'political_legal_member',
    town: '党委委员、政法委员',
    subdistrict: '党工委委员、政法委员',
    level: 2,
    since: '2021',
  },
];

export const ETHNICITIES: ReadonlyArray<readonly [string, number]> = [
  ['汉族', 92],
  ['回族', 2],
  ['满族', 1.5],
  ['土家族', 1.2],
  ['蒙古族', 1],
  ['苗族', 1],
  ['壮族', 0.8],
  ['彝族', 0.5],
];

export const SCHOOLS = {
  university: ['示范大学', '示范理工大学', '示范师范学院', '西河财经学院', '东岭学院'],
  agriculture: ['示范农业大学', '东岭农业职业技术学院'],
  college: ['示范职业技术学院', '东岭农业职业技术学院', '示范市广播电视大学', '西河财经职业学院'],
  secondary: ['示范县农业学校', '示范市财经学校', '示范县职业中专'],
  inService: ['中共示范市委党校', '示范大学（函授）', '示范市广播电视大学（开放教育）'],
};

/** Majors by the kind of work a post does. */
export const MAJORS: Record<string, string[]> = {
  office: ['汉语言文学', '行政管理', '法学', '公共事业管理', '计算机科学与技术', '新闻学', '思想政治教育'],
  economy: ['城乡规划', '土地资源管理', '环境工程', '经济学', '工程管理'],
  society: ['法学', '社会工作', '行政管理', '安全工程'],
  agriculture: ['农学', '园艺', '动物医学', '农林经济管理', '植物保护'],
  welfare: ['社会工作', '劳动与社会保障', '公共事业管理'],
  culture: ['文化产业管理', '广播电视编导', '音乐学', '旅游管理'],
  service: ['计算机应用技术', '电子商务', '行政管理', '市场营销'],
  enforcement: ['法学', '交通运输', '城市管理', '安全工程'],
  justice: ['法学', '法律事务'],
  market: ['食品质量与安全', '市场营销', '药学', '法学'],
  finance: ['会计学', '财务管理', '财政学', '审计学'],
  worker: ['汽车运用与维修'],
};

export const UNIT_MAJOR: Record<string, string> = {
  dzzh: 'office',
  rd: 'office',
  jjfz: 'economy',
  shzl: 'society',
  nyzh: 'agriculture',
  shbz: 'welfare',
  ggsy: 'culture',
  bmfw: 'service',
  zhzf: 'enforcement',
  sfs: 'justice',
  scjg: 'market',
  czs: 'finance',
  featured: 'service',
};

export const IN_SERVICE_MAJORS = ['经济管理', '法律', '行政管理', '公共管理', '党政管理'];

/** Free-text jobs before a person's record in the township starts ({county}, {town}, {village}, {bureau}). */
export const PRIOR_JOBS = [
  '{county}{village}村党支部书记助理（大学生村官）',
  '{county}{bureau}干部',
  '{county}{bureau}工作人员',
  '{county}{town}乡人民政府干部',
];
export const PRIOR_INSTITUTION_JOBS = [
  '{county}第二中学教师',
  '{county}人民医院办公室干事',
  '{county}{town}乡农业服务中心技术员',
  '{county}{bureau}所属事业单位工作人员',
];
export const PRIOR_STOCK_JOBS = [
  '{county}{bureau}办公室副主任',
  '{county}{town}乡党政办公室主任',
  '{county}{bureau}股长',
];
export const PRIOR_DEPUTY_JOBS = [
  '{county}{town}乡人民政府副乡长',
  '{county}{town}乡党委委员、组织委员',
  '{county}{bureau}副局长',
  '共青团{county}委员会副书记',
  '{county}{town}乡党委委员、纪委书记',
];
export const PRIOR_CHIEF_JOBS = [
  '{county}{town}乡党委副书记、乡长',
  '{county}{bureau}局长',
  '{county}{town}乡党委书记',
  '{county}{bureau}党组书记、局长',
];
export const PRIOR_TOWNS = ['青山', '马坊', '新集', '北塘', '安平', '长岭'];
export const PRIOR_BUREAUS = [
  '农业农村局',
  '发展和改革局',
  '交通运输局',
  '自然资源局',
  '民政局',
  '人力资源和社会保障局',
  '水利局',
];

export const VILLAGES = ['杨柳', '石桥', '东坡', '南坪', '枣园', '河湾', '新庄', '王家'];

export const FAMILY_WORK = {
  spouse: [
    '示范县第一小学教师',
    '示范县人民医院护士',
    '示范县实验中学教师',
    '示范县农业农村局干部',
    '示范市某建材公司职员',
    '个体经营',
    '示范县农商银行职员',
    '示范县妇幼保健院医生',
    '务农',
  ],
  parent: ['务农', '退休', '示范县供销社退休职工', '个体经营'],
};

export const SANCTION_STORIES: Array<{
  kind: string;
  monthsAgo: number;
  reason: string;
  doc: 'gov' | 'party' | 'org';
}> = [
  { kind: 'gov_demerit', monthsAgo: 5, reason: '在农村低保资格审核中把关不严，造成不良影响', doc: 'gov' },
  {
    kind: 'party_warning',
    monthsAgo: 8,
    reason: '违反中央八项规定精神，违规接受管理服务对象宴请',
    doc: 'party',
  },
  { kind: 'gov_warning', monthsAgo: 2, reason: '工作作风不实，在防汛值守期间擅离岗位', doc: 'gov' },
  { kind: 'admonition', monthsAgo: 26, reason: '落实安全生产监管责任不到位，被约谈后仍整改不力', doc: 'org' },
  { kind: 'investigation', monthsAgo: 1, reason: '涉嫌违反廉洁纪律，县纪委监委立案审查调查', doc: 'party' },
];
