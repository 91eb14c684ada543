/**
 * The roster workbook's layout (issue 7, import): the sheets county systems exchange (B01 units, A01 people,
 * A02 posts held, A03 ranks, A04 education, A05 awards and sanctions, A06 assessments), their columns, and the
 * header guessing of a plain single-sheet roster (花名册). Pure: no I/O, no exceljs.
 */

export const SHEET_CODES = ['B01', 'A01', 'A02', 'A03', 'A04', 'A05', 'A06'] as const;
export type SheetCode = (typeof SHEET_CODES)[number];

export interface ColumnSpec {
  /** The field key: the people forms' schema key where there is one. */
  field: string;
  /** The header written in the template. */
  header: string;
  /** Other headers that mean the same column (matched after normalising). */
  synonyms: readonly string[];
  required?: boolean;
  /** The drop-down list the template attaches to the column (a named list of the codes sheet). */
  list?: ListName;
  width?: number;
}

export type ListName =
  | 'genders'
  | 'ethnicities'
  | 'politicalStatuses'
  | 'establishmentTypes'
  | 'grades'
  | 'educationModes'
  | 'educationLevels'
  | 'degrees'
  | 'a05Categories'
  | 'sanctionKinds'
  | 'assessmentResults'
  | 'unitKinds';

export interface SheetSpec {
  code: SheetCode;
  /** The sheet's title in the template (the tab is named `${code}${title}`). */
  title: string;
  columns: readonly ColumnSpec[];
}

const ID: ColumnSpec = {
  field: 'idNumber',
  header: '公民身份号码',
  synonyms: ['身份证号', '身份证号码', '身份证', '证件号码', 'ID number', 'idNumber'],
  required: true,
  width: 22,
};
const NAME: ColumnSpec = { field: 'name', header: '姓名', synonyms: ['名字', 'name'], width: 10 };
const DOC_NO: ColumnSpec = {
  field: 'docNo',
  header: '文号',
  synonyms: ['批准文号', '任职文号', 'docNo'],
  width: 20,
};

export const SHEETS: readonly SheetSpec[] = [
  {
    code: 'B01',
    title: '单位',
    columns: [
      {
        field: 'unitName',
        header: '单位名称',
        synonyms: ['单位', '机构名称', '内设机构'],
        required: true,
        width: 24,
      },
      { field: 'unitKind', header: '单位类别', synonyms: ['机构类别', '类别'], list: 'unitKinds', width: 12 },
    ],
  },
  {
    code: 'A01',
    title: '人员基本信息',
    columns: [
      { ...NAME, required: true },
      ID,
      { field: 'gender', header: '性别', synonyms: ['gender'], required: true, list: 'genders', width: 6 },
      {
        field: 'birthDate',
        header: '出生年月',
        synonyms: ['出生日期', '出生年月日', '生日', 'birthDate'],
        required: true,
        width: 10,
      },
      {
        field: 'ethnicity',
        header: '民族',
        synonyms: ['ethnicity'],
        required: true,
        list: 'ethnicities',
        width: 8,
      },
      { field: 'nativePlace', header: '籍贯', synonyms: ['nativePlace'], width: 12 },
      { field: 'birthPlace', header: '出生地', synonyms: ['birthPlace'], width: 12 },
      {
        field: 'politicalStatus',
        header: '政治面貌',
        synonyms: ['党派', 'politicalStatus'],
        required: true,
        list: 'politicalStatuses',
        width: 12,
      },
      { field: 'partyJoinedOn', header: '入党时间', synonyms: ['入党年月', '入党日期'], width: 10 },
      {
        field: 'workStartedOn',
        header: '参加工作时间',
        synonyms: ['参工时间', '工作时间', '参加工作年月'],
        width: 12,
      },
      { field: 'health', header: '健康状况', synonyms: ['健康'], width: 8 },
      { field: 'professionalTitle', header: '专业技术职务', synonyms: ['职称', '专业技术职称'], width: 14 },
      { field: 'expertise', header: '熟悉专业有何专长', synonyms: ['专长', '特长'], width: 16 },
    ],
  },
  {
    code: 'A02',
    title: '任职',
    columns: [
      ID,
      NAME,
      {
        field: 'unitName',
        header: '单位',
        synonyms: ['所在单位', '工作单位', '单位名称', '机构'],
        width: 20,
      },
      {
        field: 'postName',
        header: '岗位',
        synonyms: ['岗位名称', '职务', '现任职务', '现任岗位'],
        required: true,
        width: 16,
      },
      {
        field: 'establishmentType',
        header: '编制类型',
        synonyms: ['编制', '编制性质', '占用编制', '编制类别'],
        required: true,
        list: 'establishmentTypes',
        width: 14,
      },
      {
        field: 'validFrom',
        header: '任职时间',
        synonyms: ['任现职时间', '到岗时间', '起始日期', '开始日期'],
        required: true,
        width: 12,
      },
      DOC_NO,
    ],
  },
  {
    code: 'A03',
    title: '职级',
    columns: [
      ID,
      NAME,
      {
        field: 'grade',
        header: '职级（等级）',
        synonyms: ['职级', '等级', '职务层次', '岗位等级', '现职级'],
        required: true,
        list: 'grades',
        width: 16,
      },
      {
        field: 'validFrom',
        header: '任职级时间',
        synonyms: ['职级时间', '起始日期', '任职时间'],
        required: true,
        width: 12,
      },
      { field: 'legacyTitle', header: '原职务名称', synonyms: ['套转前职务'], width: 12 },
      DOC_NO,
    ],
  },
  {
    code: 'A04',
    title: '学历学位',
    columns: [
      ID,
      NAME,
      {
        field: 'mode',
        header: '教育类别',
        synonyms: ['教育形式', '学习形式'],
        required: true,
        list: 'educationModes',
        width: 12,
      },
      {
        field: 'level',
        header: '学历',
        synonyms: ['最高学历', '文化程度'],
        required: true,
        list: 'educationLevels',
        width: 12,
      },
      { field: 'degree', header: '学位', synonyms: ['最高学位'], list: 'degrees', width: 8 },
      { field: 'school', header: '毕业院校', synonyms: ['毕业学校', '院校'], width: 20 },
      { field: 'major', header: '专业', synonyms: ['所学专业'], width: 14 },
      { field: 'startedOn', header: '入学时间', synonyms: ['入学年月'], width: 10 },
      { field: 'graduatedOn', header: '毕业时间', synonyms: ['毕业年月'], width: 10 },
    ],
  },
  {
    code: 'A05',
    title: '奖惩',
    columns: [
      ID,
      NAME,
      {
        field: 'category',
        header: '奖惩类别',
        synonyms: ['类别'],
        required: true,
        list: 'a05Categories',
        width: 10,
      },
      {
        field: 'kind',
        header: '奖惩名称',
        synonyms: ['名称', '处分类别', '处分种类'],
        required: true,
        list: 'sanctionKinds',
        width: 16,
      },
      {
        field: 'decidedOn',
        header: '批准日期',
        synonyms: ['决定日期', '奖惩日期'],
        required: true,
        width: 12,
      },
      { field: 'closedOn', header: '解除日期', synonyms: ['结案日期', '撤销日期'], width: 12 },
      { field: 'reason', header: '奖惩原因', synonyms: ['原因', '事由'], width: 20 },
      DOC_NO,
    ],
  },
  {
    code: 'A06',
    title: '年度考核',
    columns: [
      ID,
      NAME,
      { field: 'year', header: '考核年度', synonyms: ['年度'], required: true, width: 8 },
      {
        field: 'result',
        header: '考核结果',
        synonyms: ['考核等次', '结果'],
        required: true,
        list: 'assessmentResults',
        width: 10,
      },
      DOC_NO,
    ],
  },
];

export function sheetSpec(code: SheetCode): SheetSpec {
  return SHEETS.find((s) => s.code === code) as SheetSpec;
}

/** The tab name of a template sheet, e.g. `A01人员基本信息`. */
export function sheetTabName(spec: SheetSpec): string {
  return `${spec.code}${spec.title}`;
}

/** A worksheet's code when its name starts with one (`A01`, `A01人员基本信息`, `a01-people`). */
export function sheetCodeOf(name: string): SheetCode | null {
  const m = /^\s*([AB]\d{2})/i.exec(name);
  const code = m?.[1]?.toUpperCase();
  return (SHEET_CODES as readonly string[]).includes(code ?? '') ? (code as SheetCode) : null;
}

/** Headers compared without spaces, asterisks, brackets' kind or case: `*出生年月（yyyy.mm）` → `出生年月`. */
export function normaliseHeader(header: string): string {
  return header
    .replace(/[（(][^）)]*[）)]$/u, '')
    .replace(/[\s*＊:：]/gu, '')
    .toLowerCase();
}

/** The column of a template sheet a header names, or null. */
export function columnForHeader(spec: SheetSpec, header: string): ColumnSpec | null {
  const h = normaliseHeader(header);
  if (h === '') return null;
  return (
    spec.columns.find(
      (c) => normaliseHeader(c.header) === h || c.synonyms.some((s) => normaliseHeader(s) === h),
    ) ?? null
  );
}

// The plain roster (花名册) ------------------------------------------------------------------------------

/** What a roster column can be mapped to: a column of one of the template sheets (`A01.name`). */
export interface RosterTarget {
  key: string;
  sheet: SheetCode;
  field: string;
  header: string;
}

/**
 * The targets of a roster column: the person (A01), the post held (A02), the rank (A03) and the highest
 * full-time education (A04). The ID number and name feed every sheet at once.
 */
export const ROSTER_TARGETS: readonly RosterTarget[] = [
  ...sheetSpec('A01').columns.map((c) => ({
    key: `A01.${c.field}`,
    sheet: 'A01' as const,
    field: c.field,
    header: c.header,
  })),
  ...sheetSpec('A02')
    .columns.filter((c) => !['idNumber', 'name'].includes(c.field))
    .map((c) => ({ key: `A02.${c.field}`, sheet: 'A02' as const, field: c.field, header: c.header })),
  { key: 'A03.grade', sheet: 'A03', field: 'grade', header: '职级（等级）' },
  { key: 'A03.validFrom', sheet: 'A03', field: 'validFrom', header: '任职级时间' },
  { key: 'A04.level', sheet: 'A04', field: 'level', header: '学历' },
  { key: 'A04.degree', sheet: 'A04', field: 'degree', header: '学位' },
  { key: 'A04.school', sheet: 'A04', field: 'school', header: '毕业院校' },
  { key: 'A04.major', sheet: 'A04', field: 'major', header: '专业' },
];

/** The synonyms of a roster target (its template column's), with the roster's own habits added. */
function rosterSynonyms(target: RosterTarget): string[] {
  const spec = sheetSpec(target.sheet).columns.find((c) => c.field === target.field);
  const own = [target.header, ...(spec ? [spec.header, ...spec.synonyms] : [])];
  if (target.key === 'A03.validFrom') return ['任职级时间', '职级时间', '任现职级时间'];
  if (target.key === 'A02.validFrom') return ['任职时间', '任现职时间', '到岗时间'];
  if (target.key === 'A02.docNo') return ['文号', '任职文号'];
  return own;
}

/**
 * Guesses the target of each roster column from its header: an exact (normalised) match first, then a header
 * that contains a synonym (`现任职务名称` → post); each target is used once, left to right. Null: not imported.
 */
export function guessRosterMapping(headers: readonly string[]): Array<string | null> {
  const used = new Set<string>();
  const exact = headers.map((header) => {
    const h = normaliseHeader(header);
    if (h === '') return null;
    const hit = ROSTER_TARGETS.find(
      (t) => !used.has(t.key) && rosterSynonyms(t).some((s) => normaliseHeader(s) === h),
    );
    if (hit) used.add(hit.key);
    return hit?.key ?? null;
  });
  return exact.map((key, i) => {
    if (key) return key;
    const h = normaliseHeader(headers[i] ?? '');
    if (h.length < 2) return null;
    const hit = ROSTER_TARGETS.find(
      (t) =>
        !used.has(t.key) &&
        rosterSynonyms(t).some((s) => {
          const n = normaliseHeader(s);
          return n.length >= 2 && h.includes(n);
        }),
    );
    if (hit) used.add(hit.key);
    return hit?.key ?? null;
  });
}

/** Targets a mapping must include (a person can't be read without them). */
export const ROSTER_REQUIRED = ['A01.name', 'A01.idNumber'] as const;

/** Checks a confirmed mapping: the required targets present, no target twice. Returns problem keys. */
export function checkRosterMapping(
  mapping: readonly (string | null)[],
): Array<{ key: string; target?: string }> {
  const problems: Array<{ key: string; target?: string }> = [];
  const seen = new Set<string>();
  for (const key of mapping) {
    if (key === null) continue;
    if (!ROSTER_TARGETS.some((t) => t.key === key)) problems.push({ key: 'mappingUnknown', target: key });
    else if (seen.has(key)) problems.push({ key: 'mappingTwice', target: key });
    seen.add(key);
  }
  for (const key of ROSTER_REQUIRED)
    if (!seen.has(key)) problems.push({ key: 'mappingMissing', target: key });
  return problems;
}

/** Column letters as Excel shows them (1 → A, 27 → AA). */
export function columnLetter(n: number): string {
  let s = '';
  let c = n;
  while (c > 0) {
    const r = (c - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    c = Math.floor((c - 1) / 26);
  }
  return s;
}
