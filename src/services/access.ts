import type { Principal, Scope } from '../auth/principal.js';
import type { Actor } from '../db/repositories/audit.js';
import { ForbiddenError, NotFoundError } from '../errors.js';

/** Who is asking: what they may see (scope), who they are (principal), how their writes are audited (actor). */
export interface RequestContext {
  principal: Principal;
  scope: Scope;
  actor: Actor;
}

export function townshipVisible(scope: Scope, townshipId: number): boolean {
  return scope.all || scope.townshipIds.has(townshipId);
}

export function countyVisible(scope: Scope, countyId: number): boolean {
  return scope.all || scope.countyIds.has(countyId);
}

/**
 * The county a request's scope key covers when it covers exactly one (a township officer's county, a county's
 * reviewers and establishment officers): the scope's `countiesKey` is then that county's change-log key, the
 * same value overviewChanges.countyKey reads, and every township of the scope lies in that county. Undefined
 * for administrators, several counties, or a scope built without its key.
 */
export function singleCountyOf(scope: Scope): number | undefined {
  if (scope.all || scope.countiesKey === undefined || scope.countyIds.size !== 1) return undefined;
  for (const id of scope.countyIds) return id;
  return undefined;
}

/** Outside the scope: not found (never "forbidden", which would reveal that it exists). */
export function assertTownshipVisible(scope: Scope, townshipId: number, what = 'township'): void {
  if (!townshipVisible(scope, townshipId)) throw new NotFoundError(what);
}

const isAdmin = (p: Principal) => p.grants.some((g) => g.role === 'admin');

/** Township officers keep their township's posts; admins anywhere. */
export function canManageTownship(principal: Principal, townshipId: number): boolean {
  return (
    isAdmin(principal) ||
    principal.grants.some((g) => g.role === 'township_officer' && g.regionId === townshipId)
  );
}

/** The establishment office (编办) of the county records quota, slot and unit decisions; admins anywhere. */
export function canDecideForCounty(principal: Principal, countyId: number): boolean {
  return (
    isAdmin(principal) ||
    principal.grants.some((g) => g.role === 'establishment_officer' && g.regionId === countyId)
  );
}

/** Visible but not yours to change: 403 (the record's existence is no secret to this user). */
export function assertCan(allowed: boolean): void {
  if (!allowed) throw new ForbiddenError();
}
