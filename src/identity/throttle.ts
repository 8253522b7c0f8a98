/**
 * Fixed-window limits in `login_throttle` for a customer's mobile number: code checks and code sends
 * (an SMS costs money and can pester someone). Staff sign-ins and client addresses earn growing
 * delays instead (login-delays.ts, ./README.md). Unknown numbers are counted exactly like known
 * ones, so a lock says nothing about whether a number is a customer's. Keys are stored as SHA-256
 * digests: mobiles are personal information.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../store/schema.ts';
import { sha256Hex } from './tokens.ts';

export interface ThrottlePolicy {
  /** Failures within the window that lock the key. */
  maxFailures: number;
  windowMs: number;
  /** How long a lock lasts; at least the window, so an expired lock always starts a new window. */
  lockMs: number;
}

const FIFTEEN_MINUTES = 15 * 60_000;

/** One mobile: 5 failures (or sends) in 15 minutes lock it for 15 minutes (OWASP Authentication Cheat Sheet, account lockout). */
export const PER_NAME: ThrottlePolicy = { maxFailures: 5, windowMs: FIFTEEN_MINUTES, lockMs: FIFTEEN_MINUTES };

/** Every policy keys are counted under: the purge must keep counts for the longest window of them. */
const POLICIES: readonly ThrottlePolicy[] = [PER_NAME];

/** What is being throttled: portal code checks or portal code sends, per mobile number. */
export type ThrottleScope = 'portal-mobile' | 'sms-mobile';

export interface ThrottleKey { key: string; policy: ThrottlePolicy }

type Db = Kysely<Database> | Transaction<Database>;

/** The stored key for a scope and value; names are case-folded so "Alice" and "alice" share a count. */
export function throttleKey(scope: ThrottleScope, value: string, policy: ThrottlePolicy): ThrottleKey {
  return { key: `${scope}:${sha256Hex(value.trim().toLowerCase())}`, policy };
}

/** True when any of the keys is locked at `now`. */
export async function isLocked(db: Db, keys: ThrottleKey[], now: Date): Promise<boolean> {
  const row = await db
    .selectFrom('login_throttle')
    .select('key')
    .where('key', 'in', keys.map((k) => k.key))
    .where('locked_until', '>', now.toISOString())
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Counts one failure (or, for SMS scopes, one send) against each key, locking a key that reaches its
 * policy's limit. One upsert per key, so concurrent failures are all counted on both engines.
 */
export async function recordFailure(db: Db, keys: ThrottleKey[], now: Date): Promise<void> {
  for (const { key, policy } of keys) await countFailure(db, key, policy, now);
}

/** Forgets the failures of the keys (after a successful portal login). */
export async function clearFailures(db: Db, keys: ThrottleKey[]): Promise<void> {
  if (keys.length === 0) return;
  await db.deleteFrom('login_throttle').where('key', 'in', keys.map((k) => k.key)).execute();
}

/**
 * Deletes counts that can no longer matter: their window has run out under every policy and they
 * hold no lock in force. (A count in a run-out window restarts at the next failure anyway.)
 */
export async function purgeSpentCounts(db: Db, now: Date): Promise<number> {
  const longestWindowMs = Math.max(...POLICIES.map((p) => p.windowMs));
  const at = now.toISOString();
  const result = await db.deleteFrom('login_throttle')
    .where('window_start', '<=', new Date(now.getTime() - longestWindowMs).toISOString())
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', at)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

async function countFailure(db: Db, key: string, policy: ThrottlePolicy, now: Date): Promise<void> {
  const at = now.toISOString();
  const cutoff = new Date(now.getTime() - policy.windowMs).toISOString();
  const lockUntil = new Date(now.getTime() + policy.lockMs).toISOString();
  // A window that has run out (or ended in a lock that has expired) starts again from this failure.
  const stale = sql<boolean>`(login_throttle.window_start <= ${cutoff} or (login_throttle.locked_until is not null and login_throttle.locked_until <= ${at}))`;
  const failures = sql<number>`case when ${stale} then 1 else login_throttle.failures + 1 end`;
  await db
    .insertInto('login_throttle')
    .values({ key, failures: 1, window_start: at, locked_until: policy.maxFailures <= 1 ? lockUntil : null })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures,
        window_start: sql<string>`case when ${stale} then ${at} else login_throttle.window_start end`,
        locked_until: sql<string | null>`case when ${failures} >= ${policy.maxFailures} then ${lockUntil} when ${stale} then null else login_throttle.locked_until end`,
      }),
    )
    .execute();
}
