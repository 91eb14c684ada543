import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { ImportPlan, ValidationResult } from './validate.js';

/**
 * The preview's verdict kept with a ready job (gzip-compressed JSON, a few hundred KB for 10,000 people): the
 * date it was checked on, the digest of the database rows it read, the ID numbers it looked up, and the result.
 * The commit writes it as it is when the date and the digest still match under its locks.
 */
export interface StoredPlan {
  today: string;
  digest: string;
  idNumbers: string[];
  result: ValidationResult;
}

const VERSION = 1;
const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export async function storePlan(stored: StoredPlan): Promise<Buffer> {
  const { plan, ...rest } = stored.result;
  const json = JSON.stringify({
    v: VERSION,
    today: stored.today,
    digest: stored.digest,
    idNumbers: stored.idNumbers,
    result: { ...rest, plan: { ...plan, existingIds: [...plan.existingIds] } },
  });
  return gzipAsync(json, { level: 1 });
}

/** The stored plan, or null when there is none or it was written by another version of this code. */
export async function loadPlan(blob: Buffer | null): Promise<StoredPlan | null> {
  if (!blob) return null;
  try {
    const raw = JSON.parse((await gunzipAsync(blob)).toString('utf8'));
    if (raw?.v !== VERSION) return null;
    const plan = raw.result.plan as Omit<ImportPlan, 'existingIds'> & {
      existingIds: Array<[string, number]>;
    };
    return {
      today: raw.today,
      digest: raw.digest,
      idNumbers: raw.idNumbers,
      result: { ...raw.result, plan: { ...plan, existingIds: new Map(plan.existingIds) } },
    };
  } catch {
    return null;
  }
}
