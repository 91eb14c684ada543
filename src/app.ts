import express, { type Express, type RequestHandler } from 'express';
import type { Services } from './container.js';
import { apiRateLimit } from './middleware/apiRateLimit.js';
import { requireAuth, setUpPassport } from './middleware/auth.js';
import { setUpCsrf } from './middleware/csrf.js';
import { errorHandler, notFoundHandler } from './middleware/errors.js';
import { setUpLocale } from './middleware/locale.js';
import { setUpLocals } from './middleware/locals.js';
import { setUpRequestContext } from './middleware/requestContext.js';
import { setUpSecurityHeaders } from './middleware/security.js';
import { setUpSession } from './middleware/session.js';
import { paths } from './paths.js';
import { publicDir } from './projectFiles.js';
import { accountRouter } from './routes/account/router.js';
import { countySettingsRouter } from './routes/admin/countySettingsRouter.js';
import { adminRouter } from './routes/admin/router.js';
import { apiAreas, coreApiRouter } from './routes/api/index.js';
import { openApiDocument } from './routes/api/openapi.js';
import { authRouter } from './routes/auth/router.js';
import { bySegment } from './routes/bySegment.js';
import { calendarRouter } from './routes/calendar/router.js';
import { careerRouter } from './routes/careers/router.js';
import { rulesRouter } from './routes/careers/rulesRouter.js';
import { directoryRouter } from './routes/directory/router.js';
import { decisionRouter } from './routes/establishment/decisionRoutes.js';
import { postRouter } from './routes/establishment/postRoutes.js';
import { establishmentRouter } from './routes/establishment/router.js';
import { unitRouter } from './routes/establishment/unitRoutes.js';
import { healthRouter } from './routes/health/router.js';
import { setUpImportBodies } from './routes/imports/bodies.js';
import { importsRouter } from './routes/imports/router.js';
import { inboxBadge, inboxRouter } from './routes/inbox/router.js';
import { movementRouter } from './routes/movements/router.js';
import { setUpPeopleBodies } from './routes/people/bodies.js';
import { peopleRouter } from './routes/people/router.js';
import { promotionCaseRouter } from './routes/promotionCases/router.js';
import { promotionsRouter } from './routes/promotions/router.js';
import { reportsRouter } from './routes/reports/router.js';
import { setUpResumeBodies } from './routes/resume/bodies.js';
import { resumeRouter } from './routes/resume/router.js';
import { setUpViews } from './views/setup.js';

export interface GangweiApp {
  app: Express;
  /** Stops timers the app owns (the session store's cleanup); the database is closed by its owner. */
  close(): void;
}

/**
 * Builds the Express app from services. No I/O at import; the middleware order reads as a security checklist.
 */
export function createApp(services: Services): GangweiApp {
  const { config } = services;
  const app = express();
  app.disable('x-powered-by');
  // No ETag computed over every page and JSON answer (a SHA-1 of the whole body on each response): the pages are
  // personal and rendered on every request, so a 304 saved only the transfer. Static files (serve-static) and
  // the photo (its version) set their own.
  app.set('etag', false);
  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy);
  setUpViews(app, { cache: config.production });

  // 1. Request id and logging.
  app.use(setUpRequestContext(services.logger));
  // 2. Security headers (CSP without 'unsafe-inline').
  app.use(setUpSecurityHeaders({ production: config.production }));
  // 3. Static files and the health check: no session, no auth.
  app.use('/public', express.static(publicDir, { maxAge: config.production ? '1d' : 0, index: false }));
  app.use(bySegment(healthRouter(services)));
  app.get(paths.api.openapi(), (_req, res) => {
    res.json(openApiDocument);
  });
  const markApi: RequestHandler = (req, _res, next) => {
    req.isApi = req.path.startsWith('/api/');
    next();
  };
  app.use(markApi);
  // 4. Bodies: small, and only the two encodings forms and scripts use (plus the photo upload, the bulk
  // assessment sheet and the .lrmx import, each on its one route).
  setUpPeopleBodies(app);
  setUpResumeBodies(app);
  setUpImportBodies(app);
  app.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 200 }));
  app.use(express.json({ limit: '1mb' }));
  // Any other content type leaves no body: routes read an empty one (a refusal), never `undefined` (a 500).
  app.use((req, _res, next) => {
    if (req.body === undefined) req.body = {};
    next();
  });
  // 5. Session (database store), then passport and the principal (session or bearer token).
  const session = setUpSession(services.sessionKnex, config.session, services.auth.readSession);
  app.use(session.middleware);
  const passport = setUpPassport(services);
  app.use(...passport.handlers);
  // 6. Language, then CSRF on every state-changing request, then what every page needs.
  app.use(setUpLocale);
  const csrf = setUpCsrf();
  app.use(csrf.protect);
  app.use(setUpLocals(csrf.token));
  // 7. Routes: public ones, then everything behind sign-in.
  app.use(bySegment(authRouter(services, passport.authenticateLocal)));
  const api = express.Router();
  api.use(requireAuth(services));
  api.use(apiRateLimit(services));
  api.use(bySegment(coreApiRouter(services)));
  for (const area of apiAreas) api.use(bySegment(area.router(services)));
  app.use(paths.api.root(), api);
  const signedIn = express.Router();
  signedIn.use(requireAuth(services));
  signedIn.use(inboxBadge(services));
  // Each router entered only by the requests its routes can match (by first path segment: see bySegment).
  for (const router of [
    accountRouter,
    inboxRouter,
    adminRouter,
    countySettingsRouter,
    calendarRouter,
    establishmentRouter,
    decisionRouter,
    unitRouter,
    postRouter,
    movementRouter,
    promotionCaseRouter,
    directoryRouter,
    resumeRouter,
    peopleRouter,
    careerRouter,
    rulesRouter,
    promotionsRouter,
    reportsRouter,
    importsRouter,
  ])
    signedIn.use(bySegment(router(services)));
  app.use(signedIn);
  // 8. Not found, then the one error handler.
  app.use(notFoundHandler);
  app.use(errorHandler);
  return { app, close: session.close };
}
