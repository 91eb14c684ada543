import type { Locale } from '../domain/dates.js';

export const ROLES = [
  'admin',
  'establishment_officer',
  'county_reviewer',
  'township_officer',
  'staff',
] as const;
export type Role = (typeof ROLES)[number];

export interface RoleGrant {
  role: Role;
  /** The county (reviewer, establishment officer) or township (officer) the role applies to. */
  regionId: number | null;
  /** The person a staff account is linked to. */
  personId: number | null;
}

/** The signed-in user as every layer below the routes sees them. */
export interface Principal {
  userId: number;
  username: string;
  displayName: string;
  locale: Locale;
  grants: RoleGrant[];
  /** How the request was authenticated. */
  via: 'session' | 'token';
}

export function hasRole(principal: Principal, role: Role): boolean {
  return principal.grants.some((g) => g.role === role);
}

/**
 * What a principal may see, resolved once per request. Township ids include every township of the
 * counties in scope; ancestors (the county and city of a township in scope) are visible for navigation only.
 */
export interface Scope {
  all: boolean;
  cityIds: ReadonlySet<number>;
  countyIds: ReadonlySet<number>;
  townshipIds: ReadonlySet<number>;
  /** People visible by a staff grant (themselves). */
  personIds: ReadonlySet<number>;
  /** Counties whose whole content is in scope (reviewer, establishment officer). */
  fullCountyIds: ReadonlySet<number>;
  /**
   * The change-log key of the scope's counties (overviewChanges.countiesKey; every county for an
   * administrator), read in the same statement as the scope at the start of the request; absent when the
   * scope was built without it.
   */
  countiesKey?: string;
}

export const EMPTY_SCOPE: Scope = {
  all: false,
  cityIds: new Set(),
  countyIds: new Set(),
  townshipIds: new Set(),
  personIds: new Set(),
  fullCountyIds: new Set(),
};

/** Where a role lands after sign-in. */
export type HomeTarget =
  | { kind: 'users' }
  | { kind: 'county'; id: number }
  | { kind: 'township'; id: number }
  /** Staff land on their career path (我的职业路径). */
  | { kind: 'career'; id: number }
  | { kind: 'account' };

const HOME_ORDER: Role[] = ['admin', 'county_reviewer', 'establishment_officer', 'township_officer', 'staff'];

export function homeFor(principal: Principal): HomeTarget {
  for (const role of HOME_ORDER) {
    const grant = principal.grants.find((g) => g.role === role);
    if (!grant) continue;
    if (role === 'admin') return { kind: 'users' };
    if (role === 'staff' && grant.personId) return { kind: 'career', id: grant.personId };
    if (role === 'township_officer' && grant.regionId) return { kind: 'township', id: grant.regionId };
    if (grant.regionId) return { kind: 'county', id: grant.regionId };
  }
  return { kind: 'account' };
}

/** Officers of a township or county may see full ID numbers on the record page; staff see their own. */
export function canSeeFullIdNumbers(principal: Principal): boolean {
  return principal.grants.some((g) => g.role !== 'staff');
}
