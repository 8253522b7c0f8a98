/**
 * Removes identity rows that have run out and can no longer be used: sessions past their expiry,
 * throttle counts whose window and lock have both passed, and sign-in delays whose window is over
 * (locks stay until released), and rate-limit counts whose window has ended. Without it the tables grow with every
 * sign-in or request for as long as the bank runs Flowguard. Verification codes stay: a statement request names
 * its code as the reference that justified it.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { purgeExpiredSessions } from './sessions.ts';
import { purgeSpentDelays } from './login-delays.ts';
import { purgeSpentCounts } from './throttle.ts';
import { purgeSpentRateLimitCounts } from './rate-limit-counts.ts';

export interface Purged {
  sessions: number;
  throttleCounts: number;
  loginDelays: number;
  rateLimitCounts: number;
}

/** Each rule lives with the table it keeps: sessions.ts, throttle.ts, login-delays.ts and rate-limit-counts.ts. */
export async function purgeExpiredIdentityRows(db: Kysely<Database>, now: Date): Promise<Purged> {
  return {
    sessions: await purgeExpiredSessions(db, now),
    throttleCounts: await purgeSpentCounts(db, now),
    loginDelays: await purgeSpentDelays(db, now),
    rateLimitCounts: await purgeSpentRateLimitCounts(db, now),
  };
}

/** Runs the purge now and then every `everyMs`; the timer does not keep the process alive. */
export function schedulePurge(db: Kysely<Database>, now: () => Date, onPurged: (purged: Purged) => void, onError: (error: unknown) => void, everyMs = 15 * 60_000): { stop(): void } {
  const run = () => { purgeExpiredIdentityRows(db, now()).then(onPurged, onError); };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
