/**
 * Removes identity rows that have run out and can no longer be used: sessions past their expiry and
 * throttle counts whose window and lock have both passed. Without it both tables grow with every
 * sign-in for as long as the bank runs Flowguard. Verification codes stay: a statement request names
 * its code as the reference that justified it.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { PER_ADDRESS, PER_NAME } from './throttle.ts';

export interface Purged {
  sessions: number;
  throttleCounts: number;
}

/** The longest throttle window: a count younger than this may still lead to a lock. */
const LONGEST_WINDOW_MS = Math.max(PER_NAME.windowMs, PER_ADDRESS.windowMs);

export async function purgeExpiredIdentityRows(db: Kysely<Database>, now: Date): Promise<Purged> {
  const at = now.toISOString();
  const windowStart = new Date(now.getTime() - LONGEST_WINDOW_MS).toISOString();
  const sessions = await db.deleteFrom('sessions').where('expires_at', '<=', at).executeTakeFirst();
  const throttleCounts = await db.deleteFrom('login_throttle')
    .where('window_start', '<=', windowStart)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', at)]))
    .executeTakeFirst();
  return { sessions: Number(sessions.numDeletedRows), throttleCounts: Number(throttleCounts.numDeletedRows) };
}

/** Runs the purge now and then every `everyMs`; the timer does not keep the process alive. */
export function schedulePurge(db: Kysely<Database>, now: () => Date, onPurged: (purged: Purged) => void, onError: (error: unknown) => void, everyMs = 15 * 60_000): { stop(): void } {
  const run = () => { purgeExpiredIdentityRows(db, now()).then(onPurged, onError); };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
