/** Quota usage rules (domain guide section 4). Pure: numbers in, verdicts out. */

export const ESTABLISHMENT_TYPES = [
  'administrative',
  'civil_service_institutional',
  'institutional',
  'worker',
] as const;
export type EstablishmentType = (typeof ESTABLISHMENT_TYPES)[number];

export type UsageStatus = 'vacant' | 'full' | 'over';

export interface Usage {
  approved: number;
  occupied: number;
  reserved: number;
}

export interface AssessedUsage extends Usage {
  vacant: number;
  over: number;
  status: UsageStatus;
}

/** 空编 when places are free, 满编 when exactly used, 超编 when occupied + reserved exceed approved. */
export function assessUsage(u: Usage): AssessedUsage {
  const used = u.occupied + u.reserved;
  const vacant = Math.max(0, u.approved - used);
  const over = Math.max(0, used - u.approved);
  const status: UsageStatus = over > 0 ? 'over' : vacant > 0 ? 'vacant' : 'full';
  return { ...u, vacant, over, status };
}

/**
 * Totals across types without letting a vacancy of one type hide an excess of another: vacant and over
 * are summed per type, and the status is the worst one.
 */
export function totalUsage(parts: readonly Usage[]): AssessedUsage {
  const assessed = parts.map(assessUsage);
  const sum = (f: (a: AssessedUsage) => number) => assessed.reduce((s, a) => s + f(a), 0);
  const over = sum((a) => a.over);
  const vacant = sum((a) => a.vacant);
  return {
    approved: sum((a) => a.approved),
    occupied: sum((a) => a.occupied),
    reserved: sum((a) => a.reserved),
    vacant,
    over,
    status: over > 0 ? 'over' : vacant > 0 ? 'vacant' : 'full',
  };
}

/** A rule's answer: fine, or refused with a code (the message key under `refusals.`) and the numbers to show. */
export type Verdict = { ok: true } | { ok: false; code: string; vars: Record<string, string | number> };

export const OK: Verdict = { ok: true };

/**
 * Q2: occupied + reserved + adding ≤ approved for the holder and type. The refusal names the numbers
 * ("城关镇 行政编制 核定19名，实有19名，在途0名，无空编").
 */
export function checkRoom(holderName: string, type: EstablishmentType, usage: Usage, adding = 1): Verdict {
  if (usage.occupied + usage.reserved + adding <= usage.approved) return OK;
  return {
    ok: false,
    code: usage.occupied + usage.reserved > usage.approved ? 'quota_over' : 'quota_full',
    vars: {
      holder: holderName,
      type,
      approved: usage.approved,
      occupied: usage.occupied,
      reserved: usage.reserved,
    },
  };
}

export type UnitKindOrTeam = 'office' | 'station' | 'dispatched' | 'leadership_team';

/**
 * Q3: which establishment types a body's posts take without being a recorded cross-type post.
 * Offices and the leadership team: administrative and 参公; stations: institutional and worker;
 * dispatched units: whatever their department's quota is.
 */
export function typesForUnit(kind: UnitKindOrTeam): readonly EstablishmentType[] {
  switch (kind) {
    case 'office':
    case 'leadership_team':
      return ['administrative', 'civil_service_institutional'];
    case 'station':
      return ['institutional', 'worker'];
    case 'dispatched':
      return ESTABLISHMENT_TYPES;
  }
}

/** A post's types must suit its unit unless it is a recorded cross-type post (不得混编混岗). */
export function checkPostTypes(
  kind: UnitKindOrTeam,
  postTypes: readonly EstablishmentType[],
  crossType: boolean,
): Verdict {
  if (crossType) return OK;
  const allowed = typesForUnit(kind);
  const wrong = postTypes.filter((t) => !allowed.includes(t));
  return wrong.length === 0
    ? OK
    : { ok: false, code: 'post_type_mismatch', vars: { type: wrong[0] as string, unitKind: kind } };
}

/** A person's establishment type must be one the post takes, unless the post is a recorded cross-type post. */
export function checkPlacementType(
  postTypes: readonly EstablishmentType[],
  crossType: boolean,
  personType: EstablishmentType,
): Verdict {
  if (crossType || postTypes.includes(personType)) return OK;
  return { ok: false, code: 'person_type_mismatch', vars: { type: personType } };
}

const RANK_ORDER = { none: 0, stock: 1, deputy_section: 2, section_chief: 3 } as const;
export type Rank = keyof typeof RANK_ORDER;

/** L3: no leader above the unit's 规格 (超规格配备). The township leadership team is 正科级. */
export function checkRankFits(unitRank: Rank, leaderRank: Rank | null): Verdict {
  if (leaderRank === null || RANK_ORDER[leaderRank] <= RANK_ORDER[unitRank]) return OK;
  return { ok: false, code: 'above_unit_rank', vars: { unitRank, leaderRank } };
}

export interface SlotUsage {
  kind: string;
  approved: number;
  filled: number;
  counted: boolean;
}

/**
 * L1: leaders of a kind ≤ its approved count; L2: counted leaders ≤ the township total.
 * `countedFilled` is the township's counted leaders before this appointment.
 */
export function checkLeaderRoom(
  slot: SlotUsage,
  total: { approved: number; countedFilled: number },
): Verdict {
  if (slot.filled + 1 > slot.approved) {
    return {
      ok: false,
      code: 'slot_full',
      vars: { kind: slot.kind, approved: slot.approved, filled: slot.filled },
    };
  }
  if (slot.counted && total.countedFilled + 1 > total.approved) {
    return {
      ok: false,
      code: 'leadership_total_full',
      vars: { approved: total.approved, filled: total.countedFilled },
    };
  }
  return OK;
}

/**
 * Unit leadership where the unit's decision is silent [local]: one head; deputies by staff size, one per
 * threshold reached (defaults 4 and 8: ≤3 → 1 head; 4–7 → 1 head + 1 deputy; ≥8 → 1 head + 2 deputies).
 */
export function unitLeaderLimits(
  staff: number,
  deputyThresholds: readonly number[] = [4, 8],
): { heads: number; deputies: number } {
  return { heads: 1, deputies: deputyThresholds.filter((t) => staff >= t).length };
}
