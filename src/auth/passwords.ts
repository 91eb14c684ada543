import os from 'node:os';
import { hash, verify } from '@node-rs/argon2';
import pLimit from 'p-limit';

/** argon2id with OWASP's recommended minimum cost (19 MiB, 2 iterations). */
// algorithm 2 = Algorithm.Argon2id (a const enum, which verbatimModuleSyntax can't import).
const options = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Hashes computed at once: at most one per core (up to 4). Each takes 19 MiB while it runs, so a burst of
 * sign-ins (or a flood of wrong passwords) cannot grow the server's memory past that, and hashing is CPU-bound:
 * more at once than cores would not finish them sooner. The rest wait their turn (measured: the benchmark's
 * sign-in phase, 10 clients, was the server's peak RSS with the libuv pool's 4 hashes at once).
 */
export const HASHES_AT_ONCE = Math.max(1, Math.min(4, os.availableParallelism()));
const limit = pLimit(HASHES_AT_ONCE);

/** Hashes running and waiting (for tests and diagnostics). */
export const hashing = () => ({ running: limit.activeCount, waiting: limit.pendingCount });

export function hashPassword(password: string): Promise<string> {
  return limit(() => hash(password, options));
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await limit(() => verify(passwordHash, password));
  } catch {
    return false;
  }
}

/** A hash of nothing, verified against when the account doesn't exist, so timing doesn't reveal usernames. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('gangwei-no-such-account');
  return dummyHash;
}
