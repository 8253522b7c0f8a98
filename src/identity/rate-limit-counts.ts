/**
 * Request counts for the rate limiter in `rate_limit_counts`, so every node of a bank spends one
 * budget: in memory each node would allow the full limit on its own. Fixed windows, as the plugin's
 * own memory store counts them: the first hit of a key opens a window of `windowMs`, later hits add
 * to it, and the first hit after the window ended opens a new one. A node claims hits in blocks
 * (src/server/rate-limit-store.ts); a block is counted whole when claimed. Keys are stored as
 * SHA-256 digests: they hold client addresses and customer IDs.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { sha256Hex } from './tokens.ts';

/** A key's count after a claim: `hits` includes the claim; the window ends at `windowEnd` (ms since the epoch). */
export interface Claimed { hits: number; windowEnd: number }

/**
 * Adds `claim` hits to the key's count in one upsert and returns the new count, so two nodes
 * claiming for the same key at once are both counted, on both engines (the row lock, or SQLite's
 * single writer, orders them). A window that has ended starts again from this claim.
 */
export async function claimHits(db: Kysely<Database>, key: string, claim: number, windowMs: number, now: Date): Promise<Claimed> {
  const at = now.toISOString();
  const windowEnd = new Date(now.getTime() + windowMs).toISOString();
  const ended = sql<boolean>`rate_limit_counts.window_end <= ${at}`;
  const row = await db.insertInto('rate_limit_counts')
    .values({ key: storedKey(key), window_end: windowEnd, hits: claim })
    .onConflict((oc) => oc.column('key').doUpdateSet({
      hits: sql<number>`case when ${ended} then ${claim} else rate_limit_counts.hits + ${claim} end`,
      window_end: sql<string>`case when ${ended} then ${windowEnd} else rate_limit_counts.window_end end`,
    }))
    .returning(['hits', 'window_end'])
    .executeTakeFirstOrThrow();
  return { hits: Number(row.hits), windowEnd: Date.parse(row.window_end) };
}

/** The key's count in its open window without adding to it (0 when no window is open). */
export async function readHits(db: Kysely<Database>, key: string, now: Date): Promise<Claimed | null> {
  const row = await db.selectFrom('rate_limit_counts').select(['hits', 'window_end'])
    .where('key', '=', storedKey(key)).where('window_end', '>', now.toISOString()).executeTakeFirst();
  return row ? { hits: Number(row.hits), windowEnd: Date.parse(row.window_end) } : null;
}

/** Deletes counts whose window has ended: the next hit of such a key opens a new window anyway. */
export async function purgeSpentRateLimitCounts(db: Kysely<Database>, now: Date): Promise<number> {
  const result = await db.deleteFrom('rate_limit_counts').where('window_end', '<=', now.toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}

function storedKey(key: string): string {
  return sha256Hex(key);
}
