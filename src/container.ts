import type { Logger } from 'pino';
import type { Principal, Scope } from './auth/principal.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import * as rateLimits from './db/repositories/rateLimits.js';
import { resolveScope } from './db/repositories/scope.js';
import { listUsers } from './db/repositories/users.js';
import type { Clock } from './domain/clock.js';
import { NotFoundError } from './errors.js';
import { createCountySettingsService } from './services/admin/countySettingsService.js';
import { createAuthService } from './services/auth/authService.js';
import { createCalendarService } from './services/calendar/calendarService.js';
import { createCareerService } from './services/careers/careerService.js';
import { createRulesService } from './services/careers/rulesService.js';
import { createDirectoryService } from './services/directory/directoryService.js';
import { createEstablishmentDecisions } from './services/establishment/decisions.js';
import { createEstablishmentReads } from './services/establishment/establishmentReads.js';
import { createPostsService } from './services/establishment/postsService.js';
import { createImportService } from './services/imports/importService.js';
import { createDigestService } from './services/inbox/digestService.js';
import { createInboxService } from './services/inbox/inboxService.js';
import { createMovementService } from './services/movements/movementService.js';
import { createPeopleService } from './services/people/peopleService.js';
import { createPromotionCaseService } from './services/promotionCases/caseService.js';
import { createCandidateService } from './services/promotions/candidateService.js';
import { createRankPromotionService } from './services/promotions/rankPromotionService.js';
import { createReportService } from './services/reports/reportService.js';
import { createResumeService } from './services/resume/resumeService.js';

/**
 * The composition root: database → repositories (functions of the knex handle) → services.
 * Only server.ts and test support call it; nothing else builds services or touches the knex instance.
 */
export function createServices(deps: { db: Database; config: Config; clock: Clock; logger: Logger }) {
  const { db, config, clock, logger } = deps;
  const knex = db.knex;
  const movements = createMovementService({ knex, clock });
  const inbox = createInboxService({ knex, clock, movements });
  const establishmentReads = createEstablishmentReads({ knex, clock });
  const calendar = createCalendarService({ knex, clock });
  const promotionCases = createPromotionCaseService({ knex, clock, calendar });
  for (const provider of promotionCases.inboxProviders) inbox.register(provider);
  const rankPromotions = createRankPromotionService({
    knex,
    clock,
    workingDays: {
      publicityEnd: async (start, days, db) => (await calendar.workingDays.periodEnd(start, days, db)).date,
    },
  });
  inbox.register({
    key: 'rank-promotions',
    headingKey: 'promotions.inbox.heading',
    count: async (ctx) => (await rankPromotions.waitingFor(ctx.principal, ctx.scope)).length,
    items: async (ctx) =>
      (await rankPromotions.waitingFor(ctx.principal, ctx.scope)).map((p) => ({
        href: `/rank-promotions/${p.id}`,
        messageKey: `promotions.inbox.${p.state}`,
        vars: { name: p.personName, township: p.townshipName ?? '' },
        due: p.state === 'in_publicity' ? p.publicityEnd : null,
        overdue: false,
      })),
  });
  return {
    config,
    clock,
    logger,
    database: { backend: db.backend, description: db.description },
    auth: createAuthService({ knex, config }),
    directory: createDirectoryService({ knex, clock, establishment: establishmentReads }),
    /** The official calendar: `calendar.workingDays.addWorkingDays(from, n)`, `periodEnd`, `isWorkingDay`. */
    calendar,
    establishment: {
      reads: establishmentReads,
      decisions: createEstablishmentDecisions({ knex }),
      posts: createPostsService({ knex }),
    },
    people: createPeopleService({ knex, clock }),
    movements,
    /** Selection cases (选拔任用) for 副科/正科 leadership seats. */
    promotionCases,
    inbox,
    digest: createDigestService({ knex, clock, config, logger, inbox }),
    resume: createResumeService({ knex, clock }),
    careers: {
      paths: createCareerService({ knex, clock }),
      rules: createRulesService({ knex, clock }),
    },
    /** API rate-limit counters (shared by every app instance through the database). */
    rateLimits: {
      hit: (key: string, windowMs: number) => rateLimits.hit(knex, key, windowMs),
      current: (key: string) => rateLimits.current(knex, key),
      unhit: (key: string) => rateLimits.unhit(knex, key),
      reset: (key: string) => rateLimits.reset(knex, key),
      sweep: () => rateLimits.sweep(knex),
    },
    promotions: {
      candidates: createCandidateService({ knex, clock }),
      ranks: rankPromotions,
    },
    imports: createImportService({ knex, clock, logger }),
    reports: createReportService({ knex, clock, establishment: establishmentReads }),
    access: {
      scopeFor: (principal: Principal): Promise<Scope> => resolveScope(knex, principal.grants),
    },
    admin: {
      async users(principal: Principal) {
        if (!principal.grants.some((g) => g.role === 'admin')) throw new NotFoundError('page');
        return listUsers(knex);
      },
      countySettings: createCountySettingsService({ knex }),
    },
    health: {
      async check(): Promise<{ ok: boolean; backend: string; error?: string }> {
        // A load balancer must hear back quickly: a database that doesn't answer within 2 s is unreachable
        // (the pool would otherwise keep retrying until its acquire timeout).
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            knex.raw('select 1'),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error('database did not answer within 2 s')), 2000);
            }),
          ]);
          return { ok: true, backend: db.backend };
        } catch (err) {
          return { ok: false, backend: db.backend, error: (err as Error).message };
        } finally {
          clearTimeout(timer);
        }
      },
    },
    /** Knex handle for the session store only (it must share PGlite's single connection). */
    sessionKnex: knex,
  };
}

export type Services = ReturnType<typeof createServices>;
