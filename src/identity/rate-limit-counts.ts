/**
 * Request counts for the rate limiter in `rate_limit_counts`, so every node of a bank spends one
 * budget: in memory each node would allow the full limit on its own. Fixed windows, as the plugin's
 * own memory store counts them: the first request of a key opens a window of `windowMs`, each later
 * one adds a hit, and the first request after the window ended opens a new one. Keys are stored as
 * SHA-256 digests: they hold client addresses and customer IDs.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { sha256Hex } from './tokens.ts';

/** One request to count against a key whose window lasts `windowMs`. */
export interface Hit { key: string; windowMs: number }

/** The key's count in its current window, this request included, and the milliseconds the window has left. */
export interface HitCount { current: number; ttl: number }

/**
 * Counts the hits, in order, in one transaction: concurrent requests gathered by the caller share one
 * commit. Each hit is one upsert returning the new count, so two nodes counting the same key at once
 * are both counted on both engines (the row lock, or SQLite's single writer, orders them).
 */
export async function countHits(db: Kysely<Database>, hits: readonly Hit[], now: Date): Promise<HitCount[]> {
  if (hits.length === 1) return [await countHit(db, storedKey(hits[0]!.key), hits[0]!.windowMs, now)];
  // Rows are locked in key order, so two nodes' batches over the same keys cannot deadlock on
  // PostgreSQL; hits of one key keep their order (the sort is stable).
  const order = hits.map((hit, i) => ({ i, key: storedKey(hit.key), windowMs: hit.windowMs })).sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  return db.transaction().execute(async (tx) => {
    const counts: HitCount[] = new Array(hits.length);
    for (const { i, key, windowMs } of order) counts[i] = await countHit(tx, key, windowMs, now);
    return counts;
  });
}

/** The key's count without counting a request (0 when no window is open). */
export async function readHits(db: Kysely<Database>, key: string, now: Date): Promise<HitCount> {
  const row = await db.selectFrom('rate_limit_counts').select(['hits', 'window_end'])
    .where('key', '=', storedKey(key)).where('window_end', '>', now.toISOString()).executeTakeFirst();
  return row ? { current: Number(row.hits), ttl: ttlOf(row.window_end, now) } : { current: 0, ttl: 0 };
}

/** Deletes counts whose window has ended: the next request of such a key opens a new window anyway. */
export async function purgeSpentRateLimitCounts(db: Kysely<Database>, now: Date): Promise<number> {
  const result = await db.deleteFrom('rate_limit_counts').where('window_end', '<=', now.toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}

async function countHit(db: Kysely<Database>, key: string, windowMs: number, now: Date): Promise<HitCount> {
  const at = now.toISOString();
  const windowEnd = new Date(now.getTime() + windowMs).toISOString();
  const ended = sql<boolean>`rate_limit_counts.window_end <= ${at}`;
  const row = await db.insertInto('rate_limit_counts')
    .values({ key, window_end: windowEnd, hits: 1 })
    .onConflict((oc) => oc.column('key').doUpdateSet({
      hits: sql<number>`case when ${ended} then 1 else rate_limit_counts.hits + 1 end`,
      window_end: sql<string>`case when ${ended} then ${windowEnd} else rate_limit_counts.window_end end`,
    }))
    .returning(['hits', 'window_end'])
    .executeTakeFirstOrThrow();
  return { current: Number(row.hits), ttl: ttlOf(row.window_end, now) };
}

function storedKey(key: string): string {
  return sha256Hex(key);
}

function ttlOf(windowEnd: string, now: Date): number {
  return Math.max(0, Date.parse(windowEnd) - now.getTime());
}
