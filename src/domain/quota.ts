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
