import type { Knex } from 'knex';

/** Who did it and in which request: passed from the route to every service write. */
export interface Actor {
  userId: number;
  username: string;
  requestId: string;
}

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | number | null;
  before?: unknown;
  after?: unknown;
}

/** Appends one entry; call it inside the same transaction as the change it records. */
export async function appendAudit(
  trx: Knex.Transaction,
  actor: Actor | null,
  entry: AuditEntry,
): Promise<void> {
  await trx('audit_log').insert({
    actor_user_id: actor?.userId ?? null,
    actor_username: actor?.username ?? null,
    request_id: actor?.requestId ?? null,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId === null ? null : String(entry.entityId),
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
  });
}

export interface AuditRecord {
  id: number;
  occurredAt: Date;
  actorUsername: string | null;
  requestId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}

export async function auditFor(db: Knex, entityType: string, entityId: string): Promise<AuditRecord[]> {
  const rows = await db('audit_log').where({ entity_type: entityType, entity_id: entityId }).orderBy('id');
  return rows.map((r) => ({
    id: Number(r.id),
    occurredAt: r.occurred_at,
    actorUsername: r.actor_username,
    requestId: r.request_id,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    before: r.before,
    after: r.after,
  }));
}
