import type { Principal, Scope } from '../auth/principal.js';
import type { SessionWithPrincipal } from '../db/repositories/users.js';
import type { Locale } from '../domain/dates.js';
import type { Translate } from '../i18n.js';

declare global {
  namespace Express {
    interface User {
      id: number;
    }
    interface Request {
      /** Set for signed-in requests (session or bearer token). */
      principal?: Principal;
      /** The session's user as the session store read it with the session (one statement; see session.ts). */
      sessionPrincipal?: Pick<SessionWithPrincipal, 'userId' | 'loaded'>;
      /** Resolved lazily by requireAuth for signed-in requests. */
      scope?: Scope;
      locale: Locale;
      t: Translate;
      /** True for /api/v1 requests: errors answer JSON. */
      isApi?: boolean;
    }
  }
}

declare module 'express-session' {
  interface SessionData {
    locale?: string;
    createdAt?: number;
    flash?: { kind: 'success' | 'info'; key: string; vars?: Record<string, string> };
  }
}
