/**
 * The rate limiter's store, backed by our database (src/identity/rate-limit-counts.ts) instead of the
 * plugin's per-process memory, so a limit of N a minute is N across every node.
 *
 * Writing every request would put a durable commit (an fsync on SQLite) in front of every answer, so
 * a node claims hits for a key in blocks and spends them locally: the first hit of a window claims 1,
 * each further claim in the same window twice the last, up to 1/16 of the limit and never more than
 * 32. A busy key costs one write per 32 requests; a small limit (under 32 a minute) is claimed one hit
 * at a time and so counted exactly. A block is counted whole when claimed, so hits a node claimed and
 * did not use are spent: clients are refused at most (nodes × block) requests early, never late.
 */
import type { Kysely } from 'kysely';
import type { FastifyRateLimitOptions, FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Database } from '../store/schema.ts';
import { claimHits, readHits } from '../identity/rate-limit-counts.ts';

/** The most hits one claim takes. */
const MAX_BLOCK = 32;
/** A node's block is at most this fraction of the limit, so unused claims cost clients little. */
const BLOCK_SHARE = 16;
/** Above this many keys, quotas whose window has ended are dropped from memory. */
const SWEEP_ABOVE = 10_000;

/** What the plugin needs to decide: the key's count including this request, and the window's time left. */
export interface HitCount { current: number; ttl: number }

/** The largest block a node claims for a limit of `max`. */
export function blockCap(max: number): number {
  return Math.max(1, Math.min(MAX_BLOCK, Math.floor(max / BLOCK_SHARE)));
}

/** The hits this node holds for one key: numbers `next`…`last` of the window are its to hand out. */
interface Quota { windowEnd: number; next: number; last: number; block: number; spent: boolean; claiming: Promise<void> | null }

/** This node's claimed blocks, per key. */
export class RateLimitQuotas {
  readonly #quotas = new Map<string, Quota>();

  constructor(private readonly db: Kysely<Database>, private readonly now: () => Date) {}

  /** Counts one hit of `key` against a limit of `max` per `windowMs`. */
  async take(key: string, windowMs: number, max: number): Promise<HitCount> {
    // A block just claimed is used even if its window is already over (a zero-length window), so a
    // request never claims twice.
    let claimed = false;
    for (;;) {
      const at = this.now().getTime();
      let quota = this.#quotas.get(key);
      if (quota && !quota.claiming && !claimed && quota.windowEnd <= at) {
        this.#quotas.delete(key);
        quota = undefined;
      }
      if (quota?.claiming) {
        await quota.claiming;
        continue;
      }
      if (quota?.spent) return { current: max + 1, ttl: Math.max(0, quota.windowEnd - at) };
      if (quota && quota.next <= quota.last) return { current: quota.next++, ttl: Math.max(0, quota.windowEnd - at) };
      await this.#claim(key, quota, windowMs, max);
      claimed = true;
    }
  }

  #claim(key: string, held: Quota | undefined, windowMs: number, max: number): Promise<void> {
    const block = held ? Math.min(held.block * 2, blockCap(max)) : 1;
    const quota: Quota = held ?? { windowEnd: 0, next: 1, last: 0, block, spent: false, claiming: null };
    if (!held) this.#sweep();
    this.#quotas.set(key, quota);
    quota.claiming = claimHits(this.db, key, block, windowMs, this.now())
      .then(({ hits, windowEnd }) => {
        const first = hits - block + 1;
        Object.assign(quota, { windowEnd, block, next: first, last: Math.min(hits, max), spent: first > max });
      })
      .finally(() => { quota.claiming = null; });
    return quota.claiming;
  }

  #sweep(): void {
    if (this.#quotas.size < SWEEP_ABOVE) return;
    const at = this.now().getTime();
    for (const [key, quota] of this.#quotas) if (!quota.claiming && quota.windowEnd <= at) this.#quotas.delete(key);
  }
}

type Callback = (error: Error | null, result?: HitCount) => void;

/**
 * A store class for `@fastify/rate-limit`'s `store` option (the plugin constructs it itself). A route
 * with its own limit gets a child that counts under the route's name, as the memory store keeps a
 * separate count per such route.
 */
export function databaseRateLimitStore(db: Kysely<Database>, now: () => Date): FastifyRateLimitStoreCtor {
  const quotas = new RateLimitQuotas(db, now);
  class DatabaseRateLimitStore implements FastifyRateLimitStore {
    readonly #scope: string;
    constructor(_options: FastifyRateLimitOptions, scope = 'app') {
      this.#scope = scope;
    }

    incr(key: string, callback: Callback, timeWindow: number, max: number): void {
      quotas.take(`${this.#scope}|${key}`, timeWindow, max).then((count) => callback(null, count), (error: unknown) => callback(asError(error)));
    }

    /** The plugin's non-mutating peek (`{ increment: false }`): the count across nodes, claimed blocks included. */
    read(key: string, callback: Callback): void {
      const at = now();
      readHits(db, `${this.#scope}|${key}`, at).then(
        (count) => callback(null, count ? { current: count.hits, ttl: count.windowEnd - at.getTime() } : { current: 0, ttl: 0 }),
        (error: unknown) => callback(asError(error)),
      );
    }

    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      const route = (routeOptions as { routeInfo?: { method?: unknown; url?: unknown } }).routeInfo;
      return new DatabaseRateLimitStore(routeOptions as FastifyRateLimitOptions, `${String(route?.method ?? 'route')} ${String(route?.url ?? '')}`);
    }
  }
  return DatabaseRateLimitStore;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
