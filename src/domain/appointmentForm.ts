/**
 * The 干部任免审批表 (appointment form) as strings, from the same records the resume reads: what the print view
 * shows and what the .lrmx export writes. Pure: labels come from the caller (the form is always in Chinese).
 */
import { ageOn, monthIndex } from './dates.js';
import { cadreMonth, type Resume } from './resume.js';

export interface FormPerson {
  name: string;
  idNumber: string;
  gender: 'male' | 'female';
  birthDate: string;
  ethnicity: string;
  nativePlace: string;
  birthPlace: string;
  politicalStatus: string;
  partyJoinedOn: string | null;
  workStartedOn: string | null;
  health: string;
  professionalTitle: string;
  expertise: string;
}

export interface FormEducation {
  mode: 'full_time' | 'in_service';
  level: string;
  degree: string | null;
  school: string;
  major: string;
  graduatedOn: string | null;
}

export interface FormFamilyMember {
  relation: string;
  name: string;
  birthDate: string | null;
  politicalStatus: string | null;
  workUnitAndPost: string;
}

export interface FormAssessment {
  year: number;
  result: string;
}

export interface FormSanction {
  category: string;
  nameZh: string;
  decidedOn: string;
  docNo: string | null;
}

/** Per-case entries: typed on the small form, or passed by a promotion case. */
export interface FormCase {
  proposedPost: string;
  proposedRemoval: string;
  reason: string;
  reportingUnit: string;
  filledBy: string;
}

export interface FormInput {
  /** The form's date: ages are counted to it (计算年龄时间) and it is the date filled in (填表时间). */
  date: string;
  person: FormPerson;
  educations: readonly FormEducation[];
  family: readonly FormFamilyMember[];
  assessments: readonly FormAssessment[];
  sanctions: readonly FormSanction[];
  resume: Resume;
  currentPost: string;
  case: FormCase;
  /** Chinese label of a code (`politicalStatuses`, `relations`, `educationLevels`, `degrees`, `assessmentResults`). */
  label: (group: string, code: string) => string;
}

export interface EducationBlock {
  /** 学历 (e.g. 大学本科) and 学位 (e.g. 学士). */
  education: string;
  degree: string;
  /** 毕业院校系及专业 of the education and of the degree. */
  educationSchool: string;
  degreeSchool: string;
}

export interface AppointmentForm {
  name: string;
  gender: string;
  birthMonth: string;
  age: number;
  /** `1985.06（41岁）` */
  birthWithAge: string;
  ethnicity: string;
  nativePlace: string;
  birthPlace: string;
  partyJoined: string;
  workStarted: string;
  health: string;
  professionalTitle: string;
  expertise: string;
  fullTime: EducationBlock;
  inService: EducationBlock;
  currentPost: string;
  proposedPost: string;
  proposedRemoval: string;
  resume: Resume;
  rewardsAndSanctions: string;
  assessments: string;
  reason: string;
  family: Array<{
    relation: string;
    name: string;
    age: string;
    /** `198506` (the .lrmx month) */
    birthMonth: string;
    politicalStatus: string;
    work: string;
  }>;
  reportingUnit: string;
  /** 计算年龄时间 and 填表时间, `2026.11.15` */
  ageDate: string;
  filledOn: string;
  filledBy: string;
  idNumber: string;
}

const LEVEL_ORDER = [
  'doctorate',
  'master',
  'bachelor',
  'college',
  'secondary_vocational',
  'high_school',
  'below',
];
const DEGREE_ORDER = ['doctor', 'master', 'bachelor'];

/** `示范大学法学专业`; the school alone when no major is recorded. */
export function schoolAndMajor(school: string, major: string): string {
  const m = major.trim();
  if (m === '') return school.trim();
  return `${school.trim()}${m.endsWith('专业') ? m : `${m}专业`}`;
}

function educationBlock(rows: readonly FormEducation[], label: FormInput['label']): EducationBlock {
  const byLevel = [...rows].sort((a, b) => LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level));
  const byDegree = rows
    .filter((r) => r.degree !== null)
    .sort((a, b) => DEGREE_ORDER.indexOf(a.degree as string) - DEGREE_ORDER.indexOf(b.degree as string));
  const top = byLevel[0];
  const degreeRow = byDegree[0];
  return {
    education: top ? label('educationLevels', top.level) : '',
    degree: degreeRow?.degree ? label('degrees', degreeRow.degree) : '',
    educationSchool: top ? schoolAndMajor(top.school, top.major) : '',
    degreeSchool: degreeRow ? schoolAndMajor(degreeRow.school, degreeRow.major) : '',
  };
}

/**
 * 年度考核结果 of the three years before the form's year, runs of the same result joined:
 * "2022年、2023年年度考核称职，2024年年度考核优秀。" Years without a result are left out.
 */
export function assessmentSummary(
  assessments: readonly FormAssessment[],
  formYear: number,
  label: FormInput['label'],
): string {
  const years = [formYear - 3, formYear - 2, formYear - 1];
  const runs: Array<{ years: number[]; result: string }> = [];
  for (const year of years) {
    const a = assessments.find((x) => x.year === year);
    if (!a) continue;
    const last = runs.at(-1);
    if (last && last.result === a.result) last.years.push(year);
    else runs.push({ years: [year], result: a.result });
  }
  if (runs.length === 0) return '';
  return `${runs
    .map((r) => `${r.years.map((y) => `${y}年`).join('、')}年度考核${label('assessmentResults', r.result)}`)
    .join('，')}。`;
}

/** 奖惩情况: "无" when none; sanctions (not open investigations) oldest first. */
export function sanctionSummary(sanctions: readonly FormSanction[], date: string): string {
  const listed = sanctions
    .filter((s) => s.category !== 'investigation' && s.decidedOn <= date)
    .sort((a, b) => (a.decidedOn < b.decidedOn ? -1 : a.decidedOn > b.decidedOn ? 1 : 0));
  if (listed.length === 0) return '无';
  return listed
    .map(
      (s) =>
        `${cadreMonth(monthIndex(s.decidedOn))} 受到${s.nameZh.replace('·', '')}${s.docNo ? `（${s.docNo}）` : ''}`,
    )
    .join('；')
    .concat('。');
}

const cadreDate = (iso: string) => iso.replaceAll('-', '.');
const month = (iso: string | null) => (iso ? cadreMonth(monthIndex(iso)) : '');

export function buildAppointmentForm(input: FormInput): AppointmentForm {
  const { person: p, label, date } = input;
  const age = ageOn(p.birthDate, date);
  const birthMonth = month(p.birthDate);
  return {
    name: p.name,
    gender: p.gender === 'male' ? '男' : '女',
    birthMonth,
    age,
    birthWithAge: `${birthMonth}（${age}岁）`,
    ethnicity: p.ethnicity,
    nativePlace: p.nativePlace,
    birthPlace: p.birthPlace,
    partyJoined: p.partyJoinedOn
      ? `${month(p.partyJoinedOn)}${p.politicalStatus === 'cpc_probationary' ? '（预备党员）' : ''}`
      : '',
    workStarted: month(p.workStartedOn),
    health: p.health,
    professionalTitle: p.professionalTitle,
    expertise: p.expertise,
    fullTime: educationBlock(
      input.educations.filter((e) => e.mode === 'full_time'),
      label,
    ),
    inService: educationBlock(
      input.educations.filter(
        (e) => e.mode === 'in_service' && (e.graduatedOn === null || e.graduatedOn <= date),
      ),
      label,
    ),
    currentPost: input.currentPost,
    proposedPost: input.case.proposedPost,
    proposedRemoval: input.case.proposedRemoval,
    resume: input.resume,
    rewardsAndSanctions: sanctionSummary(input.sanctions, date),
    assessments: assessmentSummary(input.assessments, Number(date.slice(0, 4)), label),
    reason: input.case.reason,
    family: input.family.map((f) => ({
      relation: label('relations', f.relation),
      name: f.name,
      age: f.birthDate ? String(ageOn(f.birthDate, date)) : '',
      birthMonth: f.birthDate ? f.birthDate.slice(0, 7).replace('-', '') : '',
      politicalStatus: f.politicalStatus ? label('politicalStatuses', f.politicalStatus) : '',
      work: f.workUnitAndPost,
    })),
    reportingUnit: input.case.reportingUnit,
    ageDate: cadreDate(date),
    filledOn: cadreDate(date),
    filledBy: input.case.filledBy,
    idNumber: p.idNumber,
  };
}
