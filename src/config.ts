import path from 'node:path';
import { z } from 'zod';

/** Every environment variable the app reads, parsed once. Fails fast with a message naming the variable. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  PGLITE_DIR: z.string().default('./data/pglite'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(120),
  TRUST_PROXY: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `auto` (default): seed the demo world on a new embedded database outside production. */
  DEMO_DATA: z.enum(['auto', 'always', 'never']).default('auto'),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(20),
  LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
  /** API requests per user (or per address when anonymous) in each window; 429 beyond. */
  API_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
  API_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** The daily inbox digest by e-mail: off unless an SMTP server is configured. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().default('Gangwei 岗位通 <noreply@localhost>'),
  DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(7),
  /** The address people open the app at, for links in e-mails. */
  PUBLIC_URL: z.string().url().optional(),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  production: boolean;
  port: number;
  host: string;
  database: { kind: 'pg'; url: string } | { kind: 'pglite'; dir: string };
  session: { secret: string; idleMinutes: number; secureCookie: boolean };
  /** Express `trust proxy`: a number of hops, true/false, or addresses and subnets (`loopback, 10.0.0.0/8`). */
  trustProxy: boolean | number | string | undefined;
  logLevel: Env['LOG_LEVEL'];
  demoData: Env['DEMO_DATA'];
  loginThrottle: { perAccount: number; perAddress: number; windowMinutes: number };
  apiRateLimit: { limit: number; windowSeconds: number };
  /** null: no e-mail at all (the default). */
  mail: { smtpUrl: string; from: string; digestHour: number } | null;
  publicUrl: string;
}

const DEV_SESSION_SECRET = 'gangwei-development-secret-not-for-production-use';

export class ConfigError extends Error {}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  const production = env.NODE_ENV === 'production';
  if (production && !env.SESSION_SECRET) {
    throw new ConfigError('Invalid environment:\n  SESSION_SECRET: required when NODE_ENV=production');
  }
  return {
    env: env.NODE_ENV,
    production,
    port: env.PORT,
    host: env.HOST,
    database: env.DATABASE_URL
      ? { kind: 'pg', url: env.DATABASE_URL }
      : { kind: 'pglite', dir: path.resolve(env.PGLITE_DIR) },
    session: {
      secret: env.SESSION_SECRET ?? DEV_SESSION_SECRET,
      idleMinutes: env.SESSION_IDLE_MINUTES,
      secureCookie: production,
    },
    trustProxy: trustProxyValue(env.TRUST_PROXY),
    logLevel: env.LOG_LEVEL,
    demoData: env.DEMO_DATA,
    loginThrottle: {
      perAccount: env.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      perAddress: env.LOGIN_MAX_FAILURES_PER_ADDRESS,
      windowMinutes: env.LOGIN_WINDOW_MINUTES,
    },
    apiRateLimit: { limit: env.API_RATE_LIMIT, windowSeconds: env.API_RATE_WINDOW_SECONDS },
    mail: env.SMTP_URL ? { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM, digestHour: env.DIGEST_HOUR } : null,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
  };
}

/**
 * TRUST_PROXY as Express reads it: `1` means one proxy hop (a number — as a string Express would read it as an
 * address and trust nothing), `true`/`false` as booleans, anything else a list of addresses or subnets.
 */
export function trustProxyValue(raw: string | undefined): boolean | number | string | undefined {
  const v = raw?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Number(v);
  if (v === 'true') return true;
  if (v === 'false') return false;
  return v;
}
