import type { Request } from 'express';
import type { Principal, Scope } from '../auth/principal.js';
import type { Actor } from '../db/repositories/audit.js';

/** The signed-in principal of a request behind requireAuth. */
export function principalOf(req: Request): Principal {
  if (!req.principal) throw new Error('principalOf called on a request without a principal');
  return req.principal;
}

/** The scope requireAuth resolved for the request. */
export function scopeOf(req: Request): Scope {
  if (!req.scope) throw new Error('scopeOf called before requireAuth');
  return req.scope;
}

/** The audit actor of a signed-in request. */
export function actorOf(req: Request): Actor {
  const principal = principalOf(req);
  return { userId: principal.userId, username: principal.username, requestId: String(req.id) };
}

/** Everything a service needs to know about who asks. */
export function contextOf(req: Request): { principal: Principal; scope: Scope; actor: Actor } {
  return { principal: principalOf(req), scope: scopeOf(req), actor: actorOf(req) };
}
