/**
 * The invariants every generated world and every benchmark run must keep, as set-based SQL: each query counts
 * breaks, so a healthy database answers zero everywhere. Quota and leadership counts are checked on every day
 * a count can rise (a slot, reservation, assignment or decision starting), not only today.
 */

import type { Knex } from 'knex';

export const INVARIANTS: Record<string, string> = {
  // Q2: occupied + reserved never above the approved quota, on any day a count rises or a decision starts.
  quota_over_approved: `
    WITH events AS (
      SELECT account_id, valid_from AS d, 1 AS delta FROM quota_slots WHERE superseded_at IS NULL
      UNION ALL SELECT account_id, valid_to, -1 FROM quota_slots WHERE superseded_at IS NULL AND valid_to IS NOT NULL
      UNION ALL SELECT account_id, reserved_on, 1 FROM quota_reservations
      UNION ALL SELECT account_id, least(released_on, expires_on), -1 FROM quota_reservations
        WHERE coalesce(released_on, expires_on) IS NOT NULL
      UNION ALL SELECT account_id, effective_from, 0 FROM quota_decisions
    ),
    per_day AS (SELECT account_id, d, sum(delta) AS delta FROM events GROUP BY account_id, d),
    running AS (
      SELECT account_id, d, sum(delta) OVER (PARTITION BY account_id ORDER BY d) AS used FROM per_day
    ),
    -- Each decision in effect from its date until the next one; a corrected decision no longer counts.
    approved AS (
      SELECT account_id, approved_count, effective_from AS from_d,
        lead(effective_from) OVER (PARTITION BY account_id ORDER BY effective_from, id) AS to_d
      FROM quota_decisions qd WHERE NOT EXISTS (SELECT 1 FROM quota_decisions c WHERE c.corrects_id = qd.id)
    )
    SELECT count(*)::int AS n FROM running r
    LEFT JOIN approved a ON a.account_id = r.account_id AND r.d >= a.from_d AND (a.to_d IS NULL OR r.d < a.to_d)
    WHERE r.used > coalesce(a.approved_count, 0)`,
  // One primary post per person at any time (sorted by start, nothing may begin before an earlier one ends).
  two_primary_posts: `
    SELECT count(*)::int AS n FROM (
      SELECT valid_from, max(coalesce(valid_to, 'infinity'::date)) OVER (
        PARTITION BY person_id ORDER BY valid_from, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before_end
      FROM assignments WHERE kind = 'primary' AND superseded_at IS NULL) x
    WHERE before_end > valid_from`,
  // One holder per post at any time.
  two_holders_per_post: `
    SELECT count(*)::int AS n FROM (
      SELECT valid_from, max(coalesce(valid_to, 'infinity'::date)) OVER (
        PARTITION BY post_id ORDER BY valid_from, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before_end
      FROM assignments WHERE superseded_at IS NULL) x
    WHERE before_end > valid_from`,
  // One quota slot per person at any time.
  two_quota_slots: `
    SELECT count(*)::int AS n FROM (
      SELECT valid_from, max(coalesce(valid_to, 'infinity'::date)) OVER (
        PARTITION BY person_id ORDER BY valid_from, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before_end
      FROM quota_slots WHERE superseded_at IS NULL) x
    WHERE before_end > valid_from`,
  // L1: team seats of a kind held on a day never above that kind's slots in effect (the same sweep as quota).
  leadership_over_slots: `
    WITH team AS (
      SELECT p.township_id, p.leadership_kind AS kind, a.valid_from, a.valid_to
      FROM assignments a JOIN posts p ON p.id = a.post_id
      WHERE p.unit_id IS NULL AND p.category = 'leadership' AND a.superseded_at IS NULL
    ),
    events AS (
      SELECT township_id, kind, valid_from AS d, 1 AS delta FROM team
      UNION ALL SELECT township_id, kind, valid_to, -1 FROM team WHERE valid_to IS NOT NULL
      UNION ALL SELECT sa.township_id, sa.kind_code, sd.effective_from, 0
        FROM leadership_slot_decisions sd JOIN leadership_slot_accounts sa ON sa.id = sd.account_id
    ),
    per_day AS (SELECT township_id, kind, d, sum(delta) AS delta FROM events GROUP BY township_id, kind, d),
    running AS (
      SELECT township_id, kind, d, sum(delta) OVER (PARTITION BY township_id, kind ORDER BY d) AS held FROM per_day
    ),
    slots AS (
      SELECT sa.township_id, sa.kind_code AS kind, sd.slot_count, sd.effective_from AS from_d,
        lead(sd.effective_from) OVER (PARTITION BY sd.account_id ORDER BY sd.effective_from, sd.id) AS to_d
      FROM leadership_slot_decisions sd JOIN leadership_slot_accounts sa ON sa.id = sd.account_id
      WHERE NOT EXISTS (SELECT 1 FROM leadership_slot_decisions c WHERE c.corrects_id = sd.id)
    )
    SELECT count(*)::int AS n FROM running r
    LEFT JOIN slots s ON s.township_id = r.township_id AND s.kind = r.kind
      AND r.d >= s.from_d AND (s.to_d IS NULL OR r.d < s.to_d)
    WHERE r.held > coalesce(s.slot_count, 0)`,
  // One pending movement request per person.
  two_pending_requests: `
    SELECT count(*)::int AS n FROM (
      SELECT person_id FROM movement_requests WHERE state IN ('submitted', 'returned')
      GROUP BY person_id HAVING count(*) > 1) x`,
};

export type InvariantReport = Record<string, number>;

export async function checkInvariants(knex: Knex): Promise<InvariantReport> {
  const out: InvariantReport = {};
  for (const [name, sql] of Object.entries(INVARIANTS)) {
    const r = await knex.raw(sql);
    out[name] = Number(r.rows[0].n);
  }
  return out;
}

export const totalBreaks = (r: InvariantReport): number => Object.values(r).reduce((a, b) => a + b, 0);
