/**
 * Progressive sign-in delays in `login_delays` (the scheme is described in ./README.md). Each failure
 * counted against a key earns a delay before the key's next attempt is even checked: a few attempts
 * are free, then 1 s, 2 s, 4 s … up to 15 minutes. An attempt inside the delay is refused without
 * being checked or counted, so guessing slows to a crawl while a person who mistyped waits seconds.
 * A key whose policy has `lockAfter` is locked at that many failures, and stays locked until it is
 * cleared (the owner signing in from a trusted device, or an administrator's release); nothing else
 * ends a lock, so it cannot simply be waited out by a guesser.
 *
 * Keys are SHA-256 digests of what the client named (people type passwords into the username
 * field; mobiles and addresses are personal information), and unknown names are counted exactly
 * like known ones, so neither a delay nor a lock tells whether an account exists.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, LoginDelayTable } from '../store/schema.ts';
import { sha256Hex } from './tokens.ts';

export interface DelayPolicy {
  /** Failures in a window that earn no delay (typing mistakes). */
  freeFailures: number;
  /** The delay after the first failure beyond the free ones; each further failure doubles it. */
  firstDelayMs: number;
  /** The longest delay: 15 minutes, the lock duration OWASP's Authentication Cheat Sheet cites. */
  maxDelayMs: number;
  /** A window that started this long ago is over: the next failure counts from one again. */
  windowMs: number;
  /** Failures in a window that lock the key until it is cleared; null: never locked. */
  lockAfter: number | null;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * One staff account, from clients that are not a trusted device of it. Five free failures, then
 * doubling delays: reaching the lock at 20 takes a guesser about 90 minutes of waiting.
 */
export const ACCOUNT: DelayPolicy = { freeFailures: 5, firstDelayMs: SECOND, maxDelayMs: 15 * MINUTE, windowMs: 24 * HOUR, lockAfter: 20 };

/** One trusted device cookie: the owner's own small budget, never a lock. */
export const DEVICE: DelayPolicy = { freeFailures: 5, firstDelayMs: SECOND, maxDelayMs: 15 * MINUTE, windowMs: 24 * HOUR, lockAfter: null };

/**
 * One client address, for staff sign-ins from untrusted clients. Generous: a branch behind one NAT
 * address with 30 tellers each mistyping twice stays far below 100 an hour. Trusted devices never
 * see it, so it can slow a guesser spraying names but never hold up a whole branch.
 */
export const STAFF_ADDRESS: DelayPolicy = { freeFailures: 100, firstDelayMs: SECOND, maxDelayMs: 15 * MINUTE, windowMs: HOUR, lockAfter: null };

/** One client address, for portal code checks (mobile carriers put many customers behind one address). */
export const PORTAL_ADDRESS: DelayPolicy = { freeFailures: 100, firstDelayMs: SECOND, maxDelayMs: 15 * MINUTE, windowMs: HOUR, lockAfter: null };

/** One client address, for portal code sends: every send counts (an SMS costs money and can pester). */
export const SMS_ADDRESS: DelayPolicy = { freeFailures: 30, firstDelayMs: SECOND, maxDelayMs: 15 * MINUTE, windowMs: HOUR, lockAfter: null };

/** Every policy keys are counted under: the purge must keep counts for the longest window of them. */
const POLICIES: readonly DelayPolicy[] = [ACCOUNT, DEVICE, STAFF_ADDRESS, PORTAL_ADDRESS, SMS_ADDRESS];

/** What is counted: a staff account, a trusted device, a staff client address, a portal address. */
export type DelayScope = 'login-user' | 'login-device' | 'login-ip' | 'portal-ip' | 'sms-ip';

export interface DelayKey { key: string; policy: DelayPolicy }

/** Why an attempt is not checked now: a delay still running (with the seconds left), or a lock. */
export type Hold = { reason: 'delayed'; retryAfterSeconds: number } | { reason: 'locked' };

type Db = Kysely<Database> | Transaction<Database>;

/** The stored key for a scope and value; names are case-folded so "Alice" and "alice" share a count. */
export function delayKey(scope: DelayScope, value: string, policy: DelayPolicy): DelayKey {
  return { key: `${scope}:${sha256Hex(value.trim().toLowerCase())}`, policy };
}

/** The delay that `failures` counted failures earn before the next attempt: 0, then doubling, capped. */
export function delayAfter(failures: number, policy: DelayPolicy): number {
  const beyond = failures - policy.freeFailures;
  if (beyond <= 0) return 0;
  // 2 ** 1100 is Infinity, which the cap turns into the cap: no overflow however long a run.
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (beyond - 1));
}

/** The hold a stored count puts on the next attempt at `now`, or null when it may be checked. */
export function holdOf(row: LoginDelayTable | undefined, policy: DelayPolicy, now: Date): Hold | null {
  if (!row) return null;
  if (row.locked_at !== null) return { reason: 'locked' };
  if (Date.parse(row.window_start) <= now.getTime() - policy.windowMs) return null;
  const until = Date.parse(row.last_failure_at) + delayAfter(row.failures, policy);
  const left = until - now.getTime();
  return left > 0 ? { reason: 'delayed', retryAfterSeconds: Math.ceil(left / SECOND) } : null;
}

/** The strongest hold over the keys: any lock, else the longest delay; null when none holds. */
export async function holdOn(db: Db, keys: DelayKey[], now: Date): Promise<Hold | null> {
  if (keys.length === 0) return null;
  const rows = await db.selectFrom('login_delays').selectAll().where('key', 'in', keys.map((k) => k.key)).execute();
  const holds = keys.map((k) => holdOf(rows.find((r) => r.key === k.key), k.policy, now)).filter((h): h is Hold => h !== null);
  const locked = holds.find((h) => h.reason === 'locked');
  if (locked) return locked;
  return holds.reduce<Hold | null>((longest, h) => (longest === null || retryAfter(h) > retryAfter(longest) ? h : longest), null);
}

/**
 * Counts one failure against each key (for the SMS address, one send). One upsert per key, so
 * concurrent failures are all counted on both engines.
 */
export async function countFailure(db: Db, keys: DelayKey[], now: Date): Promise<void> {
  for (const { key, policy } of keys) await countOne(db, key, policy, now);
}

/** Forgets the failures of the keys, and any lock they hold. */
export async function clearDelays(db: Db, keys: DelayKey[]): Promise<void> {
  if (keys.length === 0) return;
  await db.deleteFrom('login_delays').where('key', 'in', keys.map((k) => k.key)).execute();
}

/**
 * Deletes counts that can no longer matter: their window is over under every policy (a count in an
 * ended window holds nothing back and restarts at the next failure) and they hold no lock.
 */
export async function purgeSpentDelays(db: Db, now: Date): Promise<number> {
  const longestWindowMs = Math.max(...POLICIES.map((p) => p.windowMs));
  const result = await db.deleteFrom('login_delays')
    .where('window_start', '<=', new Date(now.getTime() - longestWindowMs).toISOString())
    .where('locked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

function retryAfter(hold: Hold): number {
  return hold.reason === 'delayed' ? hold.retryAfterSeconds : Infinity;
}

async function countOne(db: Db, key: string, policy: DelayPolicy, now: Date): Promise<void> {
  const at = now.toISOString();
  const cutoff = new Date(now.getTime() - policy.windowMs).toISOString();
  const stale = sql<boolean>`(login_delays.window_start <= ${cutoff})`;
  const failures = sql<number>`case when ${stale} then 1 else login_delays.failures + 1 end`;
  // A lock, once set, stays until the key is cleared; a window that ends does not end it.
  const lockedAt = policy.lockAfter === null
    ? sql<string | null>`login_delays.locked_at`
    : sql<string | null>`case when login_delays.locked_at is not null then login_delays.locked_at when ${failures} >= ${policy.lockAfter} then ${at} else null end`;
  await db
    .insertInto('login_delays')
    .values({ key, failures: 1, window_start: at, last_failure_at: at, locked_at: policy.lockAfter !== null && policy.lockAfter <= 1 ? at : null })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures,
        window_start: sql<string>`case when ${stale} then ${at} else login_delays.window_start end`,
        last_failure_at: at,
        locked_at: lockedAt,
      }),
    )
    .execute();
}
