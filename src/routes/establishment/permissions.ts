import type { Request } from 'express';
import { canDecideForCounty, canManageTownship } from '../../services/access.js';
import { principalOf } from '../actor.js';

/** What the signed-in user may change here: pages show the matching actions only (services check again). */
export const can = {
  manageTownship: (req: Request, townshipId: number) => canManageTownship(principalOf(req), townshipId),
  decideForCounty: (req: Request, countyId: number) => canDecideForCounty(principalOf(req), countyId),
};
