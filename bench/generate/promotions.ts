/**
 * Promotion cases family: PENDING. The promotions area (promotion cases and their states) is being built on
 * another branch and its tables are not on main yet. When it is merged, this module fills promotion cases in
 * every state for the people the eligibility engine finds eligible, like the other families.
 */

import type { World } from './world.js';

export function generatePromotions(_w: World): { generated: false; reason: string } {
  return { generated: false, reason: 'not generated yet: the promotions area is not merged' };
}
