import type { Router } from 'express';
import type { Services } from '../../container.js';
import { adminApiArea } from '../admin/apiRouter.js';
import { calendarApiArea } from '../calendar/apiRouter.js';
import { careerApiArea } from '../careers/apiRouter.js';
import { establishmentApiRouter } from '../establishment/apiRouter.js';
import { establishmentPaths, establishmentSchemas } from '../establishment/openapi.js';
import { importsApiArea } from '../imports/apiRouter.js';
import { inboxApiArea } from '../inbox/apiRouter.js';
import { movementApiRouter } from '../movements/apiRouter.js';
import { movementPaths, movementSchemas } from '../movements/openapi.js';
import { peopleApiArea } from '../people/apiRouter.js';
import { promotionCaseApiArea } from '../promotionCases/apiRouter.js';
import { promotionApiArea } from '../promotions/apiRouter.js';
import { reportsApiArea } from '../reports/apiRouter.js';
import { resumeApiArea } from '../resume/apiRouter.js';
import type { PathItems, Schemas } from './openapiParts.js';
import { apiRouter } from './router.js';

/**
 * Every API area: its router (mounted under /api/v1 behind requireAuth) and its OpenAPI paths and schemas.
 * A new capability adds one entry here; a test checks that the routers' routes and the documented paths agree.
 */
export interface ApiArea {
  name: string;
  router: (services: Services) => Router;
  paths: PathItems;
  schemas: Schemas;
}

export const apiAreas: ApiArea[] = [
  {
    name: 'establishment',
    router: establishmentApiRouter,
    paths: establishmentPaths,
    schemas: establishmentSchemas,
  },
  peopleApiArea,
  resumeApiArea,
  { name: 'movements', router: movementApiRouter, paths: movementPaths, schemas: movementSchemas },
  careerApiArea,
  inboxApiArea,
  adminApiArea,
  reportsApiArea,
  calendarApiArea,
  promotionCaseApiArea,
  importsApiArea,
  promotionApiArea,
];

/** The directory reads (me, cities … posts) are described in openapi.ts itself. */
export const coreApiRouter = apiRouter;
