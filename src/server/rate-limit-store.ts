/**
 * The rate limiter's store, backed by our database (src/identity/rate-limit-counts.ts) instead of the
 * plugin's per-process memory, so a limit of N a minute is N across every node. Every request is
 * counted, so concurrent requests are gathered: while one batch commits, the next fills up, and a
 * whole batch costs one commit (the pattern of src/audit/log/group-commit.ts).
 */
import type { Kysely } from 'kysely';
import type { FastifyRateLimitOptions, FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Database } from '../store/schema.ts';
import { countHits, readHits, type Hit, type HitCount } from '../identity/rate-limit-counts.ts';

/** Hits per batch: bounds one transaction's length under a flood. */
const MAX_BATCH = 500;

type Callback = (error: Error | null, result?: HitCount) => void;

interface Pending { hit: Hit; callback: Callback }

/** Gathers concurrent hits into batches that commit together. */
export class HitBatcher {
  readonly #queue: Pending[] = [];
  #flushing = false;

  constructor(private readonly db: Kysely<Database>, private readonly now: () => Date) {}

  count(hit: Hit, callback: Callback): void {
    this.#queue.push({ hit, callback });
    if (!this.#flushing) void this.#flush();
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, MAX_BATCH);
      try {
        const counts = await countHits(this.db, batch.map((p) => p.hit), this.now());
        batch.forEach((p, i) => p.callback(null, counts[i]));
      } catch (error) {
        for (const p of batch) p.callback(error instanceof Error ? error : new Error(String(error)));
      }
    }
    this.#flushing = false;
  }
}

/**
 * A store class for `@fastify/rate-limit`'s `store` option (the plugin constructs it itself). A route
 * with its own limit gets a child that counts under the route's name, as the memory store keeps a
 * separate count per such route.
 */
export function databaseRateLimitStore(db: Kysely<Database>, now: () => Date): FastifyRateLimitStoreCtor {
  const batcher = new HitBatcher(db, now);
  class DatabaseRateLimitStore implements FastifyRateLimitStore {
    readonly #scope: string;
    constructor(_options: FastifyRateLimitOptions, scope = 'app') {
      this.#scope = scope;
    }

    incr(key: string, callback: Callback, timeWindow: number): void {
      batcher.count({ key: `${this.#scope}|${key}`, windowMs: timeWindow }, callback);
    }

    /** The plugin's non-mutating peek (`{ increment: false }`). */
    read(key: string, callback: Callback): void {
      readHits(db, `${this.#scope}|${key}`, now()).then((count) => callback(null, count), (error: Error) => callback(error));
    }

    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      const route = (routeOptions as { routeInfo?: { method?: unknown; url?: unknown } }).routeInfo;
      return new DatabaseRateLimitStore(routeOptions as FastifyRateLimitOptions, `${String(route?.method ?? 'route')} ${String(route?.url ?? '')}`);
    }
  }
  return DatabaseRateLimitStore;
}
