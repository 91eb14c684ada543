import type { Request } from 'express';
import type { EducationFields, FamilyFields } from '../../db/repositories/personRecords.js';
import type { ResumeLineFields } from '../../db/repositories/resume.js';
import { parseDateInput } from '../../domain/dateInput.js';
import { LRMX_FIELDS, type LrmxField, type LrmxRecord } from '../../domain/lrmx.js';
import { checkPhoto } from '../../domain/photo.js';
import { cadrePeriod } from '../../domain/resume.js';
import type { ImportPlan } from '../../services/resume/lrmxPlan.js';
import type { ResumeService } from '../../services/resume/resumeService.js';
import { zhLabel } from '../../services/resume/resumeService.js';
import { type FieldError, parseForm } from '../forms.js';
import { educationSchema, familySchema, personSchema } from '../people/schemas.js';

/**
 * Turns a parsed .lrmx file into an import plan and its field-by-field preview, against the record with the
 * same ID number in scope (or none: a new person). The policy (docs/architecture.md "The .lrmx exchange"):
 * - an empty element never erases a recorded value (kept);
 * - person fields go through the person form's checks (ID number, birth month and gender agree …);
 * - 学历学位: each mode's four elements together change the highest education of that mode (the row the
 *   export writes), or add one;
 * - family members are matched by relation and name: changed ones are updated, new ones added, recorded
 *   ones missing from the file kept;
 * - 简历: its lines before the recorded history (all of them for a new person) replace the free-text lines;
 *   lines inside the history (generated from it) and nested （其间…） lines are not imported;
 * - 现任职务, 奖惩情况, 年度考核结果 come from the records and are shown, not imported; the per-case entries
 *   (拟任, 拟免, 任免理由, 呈报单位, dates, 填表人) are the form's, not the person's.
 */

type Target = Awaited<ReturnType<ResumeService['importTarget']>>;
type UpdateTarget = Extract<Target, { kind: 'update' }>;

export type RowState = 'same' | 'changed' | 'new' | 'kept' | 'info';

export interface PreviewRow {
  field: string;
  current: string;
  file: string;
  state: RowState;
}

export interface ImportPreview {
  plan: ImportPlan | null;
  rows: PreviewRow[];
  family: PreviewRow[];
  problems: FieldError[];
  /** Message keys with their numbers, e.g. lines of the resume not imported. */
  notes: Array<{ key: string; vars: Record<string, string | number> }>;
}

const PERSON_TAGS: Record<string, LrmxField> = {
  name: 'XingMing',
  idNumber: 'ShenFenZheng',
  gender: 'XingBie',
  birthDate: 'ChuShengNianYue',
  ethnicity: 'MinZu',
  nativePlace: 'JiGuan',
  birthPlace: 'ChuShengDi',
  politicalStatus: 'RuDangShiJian',
  partyJoinedOn: 'RuDangShiJian',
  workStartedOn: 'CanJiaGongZuoShiJian',
  health: 'JianKangZhuangKuang',
  professionalTitle: 'ZhuanYeJiShuZhiWu',
  expertise: 'ShuXiZhuanYeYouHeZhuanChang',
};

const MONTH_FIELDS: readonly LrmxField[] = ['ChuShengNianYue', 'RuDangShiJian', 'CanJiaGongZuoShiJian'];
const INFO_FIELDS: readonly LrmxField[] = [
  'XianRenZhiWu',
  'JiangChengQingKuang',
  'NianDuKaoHeJieGuo',
  'NiRenZhiWu',
  'NiMianZhiWu',
  'RenMianLiYou',
  'ChengBaoDanWei',
  'JiSuanNianLingShiJian',
  'TianBiaoShiJian',
  'TianBiaoRen',
  'Version',
];
const EDUCATION_PREFIX = { full_time: 'QuanRiZhiJiaoYu_', in_service: 'ZaiZhiJiaoYu_' } as const;
const EDUCATION_PARTS = ['XueLi', 'XueWei', 'XueLi_BiYeYuanXiaoXi', 'XueWei_BiYeYuanXiaoXi'] as const;

/** `198506` from what a cadre may write (`1985.06`, `1985-06`, `198506`, `1985年6月`), or the text as is. */
function normalMonth(value: string): string {
  const parsed = parseDateInput(value.replace(/（预备党员）|\(预备党员\)/, ''));
  return parsed ? parsed.iso.slice(0, 7).replace('-', '') : value;
}

/** Codes by their Chinese labels, with the other words cadres use. */
function reverse(group: string, codes: readonly string[], aliases: Record<string, string> = {}) {
  const map = new Map<string, string>(Object.entries(aliases));
  for (const code of codes) map.set(zhLabel(group, code), code);
  return (text: string) => map.get(text.trim()) ?? null;
}

const LEVELS = ['doctorate', 'master', 'bachelor', 'college', 'secondary_vocational', 'high_school', 'below'];
const levelOf = reverse('educationLevels', LEVELS, {
  博士: 'doctorate',
  研究生: 'master',
  硕士: 'master',
  大学: 'bachelor',
  本科: 'bachelor',
  大专: 'college',
  专科: 'college',
  中专: 'secondary_vocational',
  中技: 'secondary_vocational',
  初中: 'below',
});
const RELATIONS = [
  'spouse',
  'father',
  'mother',
  'son',
  'daughter',
  'elder_brother',
  'younger_brother',
  'elder_sister',
  'younger_sister',
  'father_in_law',
  'mother_in_law',
  'son_in_law',
  'daughter_in_law',
  'grandfather',
  'grandmother',
  'grandson',
  'granddaughter',
  'other',
];
const relationOf = reverse('relations', RELATIONS, {
  妻子: 'spouse',
  丈夫: 'spouse',
  爱人: 'spouse',
  长子: 'son',
  次子: 'son',
  长女: 'daughter',
  次女: 'daughter',
  岳父: 'father_in_law',
  公公: 'father_in_law',
  岳母: 'mother_in_law',
  婆婆: 'mother_in_law',
  祖父: 'grandfather',
  外祖父: 'grandfather',
  祖母: 'grandmother',
  外祖母: 'grandmother',
});
const POLITICAL = [
  'cpc_member',
  'cpc_probationary',
  'youth_league',
  'democratic_party',
  'non_party',
  'masses',
];
const politicalOf = (text: string): string | null | undefined => {
  const t = text.trim();
  if (t === '') return null;
  const code = reverse('politicalStatuses', POLITICAL, {
    党员: 'cpc_member',
    预备党员: 'cpc_probationary',
    团员: 'youth_league',
    无党派: 'non_party',
  })(t);
  if (code) return code;
  if (/民革|民盟|民建|民进|农工|致公|九三|台盟/.test(t)) return 'democratic_party';
  return undefined;
};

function degreeOf(text: string): string | null | undefined {
  const t = text.trim();
  if (t === '') return null;
  if (t.includes('博士')) return 'doctor';
  if (t.includes('硕士')) return 'master';
  if (t.includes('学士')) return 'bachelor';
  return undefined;
}

/** `示范大学法学专业` → school 示范大学, major 法学; the whole text as the school when it can't be split. */
export function splitSchool(text: string): { school: string; major: string } {
  const m = /^(.*?(?:大学|学院|党校|学校|中学|中专|技校))(.+?)(?:专业)?$/.exec(text.trim());
  if (m?.[1] && m[2]) return { school: m[1], major: m[2] };
  return { school: text.trim(), major: '' };
}

interface JianLiLine extends ResumeLineFields {
  from: number;
  to: number | null;
}

/** The main lines of a 简历 text; nested （其间…） lines are counted and left out, other lines continue the text. */
export function parseJianLi(text: string): { lines: JianLiLine[]; nested: number; bad: string[] } {
  const lines: JianLiLine[] = [];
  let nested = 0;
  const bad: string[] = [];
  const LINE =
    /^(\d{4})\s*[.\-年/]\s*(\d{1,2})\s*月?\s*(?:--|—+|－+|-|~|～|至)\s*(?:(\d{4})\s*[.\-年/]\s*(\d{1,2})\s*月?)?\s*(.*)$/;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    if (/^[（(]其间/.test(line)) {
      nested += 1;
      continue;
    }
    const m = LINE.exec(line);
    if (!m) {
      const last = lines.at(-1);
      if (last) last.text += line;
      else bad.push(line);
      continue;
    }
    const fromMonth = parseDateInput(`${m[1]}.${m[2]}`);
    const toMonth = m[3] ? parseDateInput(`${m[3]}.${m[4]}`) : null;
    if (!fromMonth || (m[3] && !toMonth)) {
      bad.push(line);
      continue;
    }
    const from = Number(m[1]) * 12 + Number(m[2]) - 1;
    const to = toMonth ? Number(m[3]) * 12 + Number(m[4]) - 1 : null;
    lines.push({
      from,
      to,
      fromMonth: fromMonth.iso,
      toMonth: toMonth?.iso ?? null,
      text: (m[5] ?? '').trim(),
    });
  }
  return { lines, nested, bad };
}

const lineList = (lines: readonly { fromMonth: string; toMonth: string | null; text: string }[]) =>
  lines
    .map((l) => {
      const f = Number(l.fromMonth.slice(0, 4)) * 12 + Number(l.fromMonth.slice(5, 7)) - 1;
      const t = l.toMonth ? Number(l.toMonth.slice(0, 4)) * 12 + Number(l.toMonth.slice(5, 7)) - 1 : null;
      return `${cadrePeriod(f, t)}  ${l.text}`;
    })
    .join('\n');

function photoLabel(req: Request, bytes: Buffer | null): string {
  return bytes ? req.t('lrmx.photoPresent', { kb: Math.max(1, Math.round(bytes.length / 1024)) }) : '';
}

function familyText(item: Record<string, string>): string {
  return [item.ChengWei, item.XingMing, item.ChuShengRiQi, item.ZhengZhiMianMao, item.GongZuoDanWeiJiZhiWu]
    .filter((x) => x)
    .join(' ');
}

export function planImport(
  req: Request,
  record: LrmxRecord,
  target: Exclude<Target, { kind: 'taken' }>,
  options: { today: string; townshipId: number | null },
): ImportPreview {
  const problems: FieldError[] = [];
  const notes: ImportPreview['notes'] = [];
  const problem = (field: string, key: string, vars: Record<string, unknown> = {}) =>
    problems.push({ field, href: '#preview', text: `${req.t(`lrmx.fields.${field}`)}：${req.t(key, vars)}` });
  const update = target.kind === 'update' ? (target as UpdateTarget) : null;
  const file = { ...record.fields };
  for (const f of MONTH_FIELDS) if (file[f] !== '') file[f] = normalMonth(file[f]);
  const current = update?.current.fields;
  const value = (f: LrmxField) => (file[f] !== '' ? file[f] : (current?.[f] ?? ''));
  const rows: PreviewRow[] = [];
  const stateOf = (f: LrmxField): RowState => {
    if (!current) return file[f] === '' ? 'same' : 'new';
    if (file[f] === '') return current[f] === '' ? 'same' : 'kept';
    return file[f] === current[f] ? 'same' : 'changed';
  };

  // Person fields, checked as the person form checks them.
  const party = value('RuDangShiJian');
  const currentStatus = update?.person.politicalStatus ?? null;
  const politicalStatus = party
    ? currentStatus === 'cpc_member' || currentStatus === 'cpc_probationary'
      ? currentStatus
      : /预备/.test(record.fields.RuDangShiJian)
        ? 'cpc_probationary'
        : 'cpc_member'
    : (currentStatus ?? 'masses');
  const gender = value('XingBie');
  const personValues = {
    name: value('XingMing'),
    idNumber: value('ShenFenZheng'),
    gender: gender === '男' ? 'male' : gender === '女' ? 'female' : '',
    birthDate: value('ChuShengNianYue'),
    ethnicity: value('MinZu'),
    nativePlace: value('JiGuan'),
    birthPlace: value('ChuShengDi'),
    politicalStatus,
    partyJoinedOn: party,
    workStartedOn: value('CanJiaGongZuoShiJian'),
    health: value('JianKangZhuangKuang'),
    professionalTitle: value('ZhuanYeJiShuZhiWu'),
    expertise: value('ShuXiZhuanYeYouHeZhuanChang'),
  };
  const person = parseForm(personSchema(options.today), personValues, req);
  if (!person.ok)
    for (const e of person.errors)
      problems.push({
        ...e,
        href: '#preview',
        text: `${req.t(`lrmx.fields.${PERSON_TAGS[e.field] ?? e.field}`)}：${e.text}`,
      });

  for (const f of LRMX_FIELDS) {
    if (f === 'JianLi' || f === 'ZhaoPian' || f.includes('JiaoYu_')) continue;
    const info = INFO_FIELDS.includes(f);
    rows.push({
      field: f,
      current: current?.[f] ?? '',
      file: record.fields[f],
      state: info ? 'info' : stateOf(f),
    });
  }

  // 学历学位, each mode as one group.
  const educations: ImportPlan['educations'] = [];
  for (const mode of ['full_time', 'in_service'] as const) {
    const prefix = EDUCATION_PREFIX[mode];
    const tags = EDUCATION_PARTS.map((p) => `${prefix}${p}` as LrmxField);
    for (const t of tags)
      rows.push({ field: t, current: current?.[t] ?? '', file: record.fields[t], state: stateOf(t) });
    const changed = tags.some((t) => stateOf(t) === 'changed' || stateOf(t) === 'new');
    if (!changed) continue;
    const [xueLi, xueWei, liSchool, weiSchool] = tags.map((t) => value(t)) as [
      string,
      string,
      string,
      string,
    ];
    const level = levelOf(xueLi);
    const degree = degreeOf(xueWei);
    if (!level) problem(tags[0] as string, 'lrmx.problems.educationLevel', { value: xueLi });
    if (degree === undefined) problem(tags[1] as string, 'lrmx.problems.degree', { value: xueWei });
    if (!level || degree === undefined) continue;
    const { school, major } = splitSchool(liSchool || weiSchool);
    const existing = (update?.educations ?? [])
      .filter(
        (e) =>
          e.mode === mode &&
          (mode === 'full_time' || e.graduatedOn === null || e.graduatedOn <= options.today),
      )
      .sort((a, b) => LEVELS.indexOf(a.level) - LEVELS.indexOf(b.level))[0];
    const parsed = parseForm(
      educationSchema,
      {
        mode,
        level,
        degree: degree ?? '',
        school,
        major,
        startedOn: existing?.startedOn ?? '',
        graduatedOn: existing?.graduatedOn ?? '',
      },
      req,
    );
    if (!parsed.ok) {
      for (const e of parsed.errors) problem(tags[2] as string, 'lrmx.problems.asForm', { message: e.text });
      continue;
    }
    educations.push({ rowId: existing?.id ?? null, fields: parsed.data as EducationFields });
  }

  // Family members, matched by relation and name.
  const family: PreviewRow[] = [];
  const familyPlan: ImportPlan['family'] = [];
  const recorded = update?.family ?? [];
  const matched = new Set<number>();
  record.family.forEach((item, i) => {
    const relation = relationOf(item.ChengWei) ?? 'other';
    const political = politicalOf(item.ZhengZhiMianMao);
    const where = `JiaTingChengYuan`;
    if (political === undefined) {
      problem(where, 'lrmx.problems.political', { n: i + 1, value: item.ZhengZhiMianMao });
      return;
    }
    const existing = recorded.find((m) => m.relation === relation && m.name === item.XingMing.trim());
    const parsed = parseForm(
      familySchema(options.today),
      {
        relation,
        name: item.XingMing,
        birthDate: item.ChuShengRiQi,
        politicalStatus: political ?? '',
        workUnitAndPost: item.GongZuoDanWeiJiZhiWu,
        emigrated: existing?.emigrated ? 'yes' : '',
      },
      req,
    );
    if (!parsed.ok) {
      for (const e of parsed.errors) problem(where, 'lrmx.problems.family', { n: i + 1, message: e.text });
      return;
    }
    const fields = parsed.data as FamilyFields;
    const currentItem = existing ? update?.current.family[recorded.indexOf(existing)] : undefined;
    if (existing) {
      matched.add(existing.id);
      const same =
        existing.birthDate?.slice(0, 7) === fields.birthDate?.slice(0, 7) &&
        existing.politicalStatus === fields.politicalStatus &&
        existing.workUnitAndPost === fields.workUnitAndPost;
      family.push({
        field: 'JiaTingChengYuan',
        current: currentItem ? familyText(currentItem) : '',
        file: familyText(item),
        state: same ? 'same' : 'changed',
      });
      if (!same)
        familyPlan.push({ rowId: existing.id, fields: { ...fields, emigrated: existing.emigrated } });
    } else {
      family.push({ field: 'JiaTingChengYuan', current: '', file: familyText(item), state: 'new' });
      familyPlan.push({ rowId: null, fields });
    }
  });
  recorded.forEach((m, idx) => {
    if (matched.has(m.id)) return;
    const item = update?.current.family[idx];
    family.push({
      field: 'JiaTingChengYuan',
      current: item ? familyText(item) : m.name,
      file: '',
      state: 'kept',
    });
  });

  // 简历: the lines before the recorded history become the free-text lines.
  const jianLi = parseJianLi(record.fields.JianLi);
  const start = update?.historyStartMonth ?? null;
  const before = jianLi.lines.filter((l) => start === null || l.from < start);
  const skipped = jianLi.lines.length - before.length;
  if (skipped > 0) notes.push({ key: 'lrmx.notes.historyLines', vars: { count: skipped } });
  if (jianLi.nested > 0) notes.push({ key: 'lrmx.notes.nestedLines', vars: { count: jianLi.nested } });
  for (const b of jianLi.bad) problem('JianLi', 'lrmx.problems.resumeLine', { line: b.slice(0, 60) });
  for (const l of before) {
    if (l.text === '' || l.text.length > 200)
      problem('JianLi', 'lrmx.problems.resumeText', { line: lineList([l]) });
    else if (l.to !== null && l.to < l.from)
      problem('JianLi', 'lrmx.problems.resumePeriod', { line: lineList([l]) });
  }
  const importable = before.map(({ fromMonth, toMonth, text }) => ({ fromMonth, toMonth, text }));
  const currentLines = (update?.freeLines ?? []).map(({ fromMonth, toMonth, text }) => ({
    fromMonth,
    toMonth,
    text,
  }));
  const key = (ls: ResumeLineFields[]) =>
    JSON.stringify([...ls].sort((a, b) => (a.fromMonth + a.text < b.fromMonth + b.text ? -1 : 1)));
  const linesChanged =
    record.fields.JianLi !== '' &&
    key(importable) !== key(currentLines) &&
    (importable.length > 0 || !!update);
  rows.push({
    field: 'JianLi',
    current: lineList(currentLines),
    file: lineList(importable),
    state:
      record.fields.JianLi === ''
        ? currentLines.length
          ? 'kept'
          : 'same'
        : linesChanged
          ? update
            ? 'changed'
            : 'new'
          : 'same',
  });

  // 照片
  let photo: ImportPlan['photo'] = null;
  let photoState: RowState = 'same';
  const fileBytes = record.fields.ZhaoPian
    ? Buffer.from(record.fields.ZhaoPian.replace(/\s+/g, ''), 'base64')
    : null;
  if (fileBytes) {
    const checked = checkPhoto(fileBytes);
    if (!checked.ok) problem('ZhaoPian', `people.errors.photo.${checked.problem}`);
    else if (!update?.photo?.equals(fileBytes)) {
      photo = { bytes: fileBytes, mime: checked.type };
      photoState = update ? 'changed' : 'new';
    }
  } else if (update?.photo) photoState = 'kept';
  rows.push({
    field: 'ZhaoPian',
    current: photoLabel(req, update?.photo ?? null),
    file: photoLabel(req, fileBytes),
    state: photoState,
  });

  if (!update && options.townshipId === null) problem('townshipId', 'lrmx.problems.township');
  const personChanged = rows.some(
    (r) =>
      !r.field.includes('JiaoYu_') &&
      r.field !== 'JianLi' &&
      r.field !== 'ZhaoPian' &&
      (r.state === 'changed' || r.state === 'new'),
  );
  const changed =
    !update ||
    personChanged ||
    educations.length > 0 ||
    familyPlan.length > 0 ||
    linesChanged ||
    photo !== null;
  if (problems.length > 0 || !person.ok) return { plan: null, rows, family, problems, notes };
  const common = {
    person: person.data,
    educations,
    family: familyPlan,
    resumeLines: linesChanged ? importable : null,
    photo,
    fileVersion: record.fields.Version,
    changed,
  };
  const plan: ImportPlan = update
    ? { ...common, target: 'update', personId: update.person.id, version: update.person.version }
    : { ...common, target: 'new', townshipId: options.townshipId };
  return { plan, rows, family, problems, notes };
}
