/**
 * How the county reports group people (pure: values in, groups out). The bands are the ones county
 * organisation departments file workforce statistics in.
 */
import { ageOn } from '../../domain/dates.js';
import { EDUCATION_LEVELS } from '../../domain/eligibility/index.js';

export const AGE_BANDS = ['upTo30', '31to35', '36to40', '41to45', '46to50', '51to55', 'from56'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** 30岁及以下, 31–35, 36–40, 41–45, 46–50, 51–55, 56岁及以上 (whole years on the date). */
export function ageBand(birthDate: string, on: string): AgeBand {
  const age = ageOn(birthDate, on);
  if (age <= 30) return 'upTo30';
  if (age <= 35) return '31to35';
  if (age <= 40) return '36to40';
  if (age <= 45) return '41to45';
  if (age <= 50) return '46to50';
  if (age <= 55) return '51to55';
  return 'from56';
}

export const EDUCATION_GROUPS = [
  'postgraduate',
  'bachelor',
  'college',
  'secondaryOrBelow',
  'unknown',
] as const;
export type EducationGroup = (typeof EDUCATION_GROUPS)[number];

/** The highest education completed (full-time or in service): 研究生, 大学本科, 大学专科, 中专及以下, or not recorded. */
export function educationGroup(levels: readonly string[]): EducationGroup {
  const known = levels
    .map((l) => EDUCATION_LEVELS.indexOf(l as (typeof EDUCATION_LEVELS)[number]))
    .filter((i) => i >= 0);
  if (known.length === 0) return 'unknown';
  // EDUCATION_LEVELS lists the highest first.
  const highest = EDUCATION_LEVELS[Math.min(...known)];
  switch (highest) {
    case 'doctorate':
    case 'master':
      return 'postgraduate';
    case 'bachelor':
      return 'bachelor';
    case 'college':
      return 'college';
    default:
      return 'secondaryOrBelow';
  }
}

export const GENDERS = ['male', 'female'] as const;
export const ETHNICITY_GROUPS = ['han', 'minority', 'unknown'] as const;
export type EthnicityGroup = (typeof ETHNICITY_GROUPS)[number];

/** 汉族 / 少数民族 (any other recorded ethnicity) / not recorded. */
export function ethnicityGroup(ethnicity: string): EthnicityGroup {
  const e = ethnicity.trim();
  if (e === '') return 'unknown';
  return e === '汉族' || e === '汉' ? 'han' : 'minority';
}

export const PARTY_GROUPS = ['member', 'nonMember'] as const;
export type PartyGroup = (typeof PARTY_GROUPS)[number];

/** 中共党员 (full or probationary, joined by the date when the date is known) / everyone else. */
export function partyGroup(politicalStatus: string, joinedOn: string | null, on: string): PartyGroup {
  const member = politicalStatus === 'cpc_member' || politicalStatus === 'cpc_probationary';
  return member && (joinedOn === null || joinedOn <= on) ? 'member' : 'nonMember';
}

export const DIMENSIONS = ['age', 'education', 'gender', 'ethnicity', 'party'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const CATEGORIES: Record<Dimension, readonly string[]> = {
  age: AGE_BANDS,
  education: EDUCATION_GROUPS,
  gender: GENDERS,
  ethnicity: ETHNICITY_GROUPS,
  party: PARTY_GROUPS,
};

export interface Person {
  gender: 'male' | 'female';
  birthDate: string;
  ethnicity: string;
  politicalStatus: string;
  partyJoinedOn: string | null;
  educationLevels: readonly string[];
}

/** The person's category in each dimension on the date. */
export function categoriesOf(p: Person, on: string): Record<Dimension, string> {
  return {
    age: ageBand(p.birthDate, on),
    education: educationGroup(p.educationLevels),
    gender: p.gender,
    ethnicity: ethnicityGroup(p.ethnicity),
    party: partyGroup(p.politicalStatus, p.partyJoinedOn, on),
  };
}

/** Counts per category of one dimension, in the dimension's order, with the total. */
export interface Distribution {
  total: number;
  counts: number[];
}

/** Counts people per category of every dimension. */
export function distribution(people: readonly Person[], on: string): Record<Dimension, Distribution> {
  const out = Object.fromEntries(
    DIMENSIONS.map((d) => [d, { total: people.length, counts: CATEGORIES[d].map(() => 0) }]),
  ) as Record<Dimension, Distribution>;
  for (const p of people) {
    const cats = categoriesOf(p, on);
    for (const d of DIMENSIONS) {
      const i = CATEGORIES[d].indexOf(cats[d]);
      if (i >= 0) (out[d].counts[i] as number) += 1;
    }
  }
  return out;
}

/** A share in per cent with one decimal (0 when there is nobody). */
export function share(count: number, total: number): number {
  return total === 0 ? 0 : Math.round((count / total) * 1000) / 10;
}
