/**
 * Bounded retries with exponential backoff and full jitter, for reads that are safe to repeat (the
 * statement source only reads). Jitter spreads the retries of many gateways after an outage of the
 * bank's system instead of returning them in step (AWS Architecture Blog, "Exponential Backoff And
 * Jitter", 2015).
 */

export interface RetryPolicy {
  /** Retries after the first attempt: 2 means at most 3 attempts. */
  retries: number;
  /** The first backoff's ceiling; each later one doubles, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 2, baseDelayMs: 200, maxDelayMs: 2000 };

/** The wait before retry number `retry` (0-based): uniform in [0, min(max, base · 2^retry)]. */
export function backoffMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry));
}

/**
 * Runs `attempt` until it succeeds, fails with an error `isTransient` rejects, or the retries are
 * spent; the last error is thrown as it was.
 */
export async function withRetries<T>(policy: RetryPolicy, isTransient: (error: unknown) => boolean, attempt: (n: number) => Promise<T>): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (n >= policy.retries || !isTransient(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, backoffMs(policy, n)));
    }
  }
}
