/**
 * Records the SQL a page sends: the page is rendered by the app built in this process (same code, same
 * database) with knex's query events recorded. Used by `npm run bench` (the floor) and `npm run bench:profile`.
 */

import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/database.js';
import { systemClock } from '../src/domain/clock.js';
import { BENCH_PASSWORD } from './generate/users.js';

export interface Recorded {
  sql: string;
  bindings: unknown[];
  ms: number;
}

export interface RecordedPage {
  queries: Recorded[];
  /** Wall time of the request as the client saw it (the second, warm, rendering). */
  ms: number;
  status: number;
  bytes: number;
}

export const PROXY = { 'x-forwarded-proto': 'https' };

export function cookiesOf(res: Response, jar: Map<string, string>): void {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const i = (pair ?? '').indexOf('=');
    if (i > 0) jar.set((pair as string).slice(0, i), (pair as string).slice(i + 1));
  }
}
export const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

/** Renders each path twice as its user (signed in once per user) and keeps the second rendering's queries. */
export async function recordQueries(
  databaseUrl: string,
  paths: Array<{ path: string; user: string }>,
  options: { port: number; repeat?: number },
): Promise<Map<string, RecordedPage>> {
  process.env.NODE_ENV = 'production';
  process.env.DATABASE_URL = databaseUrl;
  process.env.SESSION_SECRET = 'benchmark-session-secret-0123456789abcdef';
  process.env.TRUST_PROXY = 'loopback';
  process.env.LOG_LEVEL = 'silent';
  process.env.API_RATE_LIMIT = '100000000';
  const { loadConfig } = await import('../src/config.js');
  const { createServices } = await import('../src/container.js');
  const { createApp } = await import('../src/app.js');
  const { pino } = await import('pino');
  const config = loadConfig();
  const db = await openDatabase(config.database);
  const services = createServices({ db, config, clock: systemClock, logger: pino({ level: 'silent' }) });
  const { app, close } = createApp(services);
  const server = app.listen(options.port, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${options.port}`;
  let current: Recorded[] | null = null;
  const started = new Map<string, number>();
  db.knex.on('query', (q: { __knexQueryUid: string; sql: string; bindings: unknown[] }) => {
    started.set(q.__knexQueryUid, performance.now());
    current?.push({ sql: q.sql, bindings: q.bindings ?? [], ms: 0 });
  });
  db.knex.on('query-response', (_r: unknown, q: { __knexQueryUid: string; sql: string }) => {
    const s = started.get(q.__knexQueryUid);
    const rec = current?.find((x) => x.sql === q.sql && x.ms === 0);
    if (rec && s !== undefined) rec.ms = performance.now() - s;
  });
  const out = new Map<string, RecordedPage>();
  const sessions = new Map<string, string>();
  try {
    for (const { path, user } of paths) {
      let cookie = sessions.get(user);
      if (!cookie) {
        const jar = new Map<string, string>();
        const form = await fetch(`${base}/login`, { headers: PROXY });
        cookiesOf(form, jar);
        const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
        const res = await fetch(`${base}/login`, {
          method: 'POST',
          redirect: 'manual',
          headers: {
            ...PROXY,
            cookie: cookieHeader(jar),
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({ _csrf: token, username: user, password: BENCH_PASSWORD }).toString(),
        });
        cookiesOf(res, jar);
        cookie = cookieHeader(jar);
        sessions.set(user, cookie);
      }
      // At least twice: the last time, with warm caches, is the one kept.
      for (let i = 0; i < Math.max(2, options.repeat ?? 2); i++) {
        current = [];
        const t = performance.now();
        const res = await fetch(`${base}${path}`, { headers: { ...PROXY, cookie } });
        const bytes = (await res.arrayBuffer()).byteLength;
        const ms = performance.now() - t;
        if (res.status !== 200) throw new Error(`${path} as ${user}: ${res.status}`);
        out.set(path, { queries: current, ms, status: res.status, bytes });
        current = null;
      }
    }
  } finally {
    await new Promise((r) => server.close(r));
    close();
    await db.close();
  }
  return out;
}
