/**
 * Remembers Cedar's answers for a set whose answer depends on the narrowed context alone (narrowFor's
 * `contextOnly`). The default monitor set reads five booleans, so a few dozen answers cover every
 * request and the second Cedar call of an allowed request is nearly always saved. Cedar's evaluation
 * is a pure function of the policy set and the request, and the key is the exact narrowed context,
 * so a remembered answer is the one Cedar would give again.
 */
import type { CedarValueJson, Context, Response } from '@cedar-policy/cedar-wasm/nodejs';

/** Enough for every combination the default monitor set can see (2^5) many times over. */
const CAPACITY = 1024;

export class AnswerMemo {
  readonly #answers = new Map<string, Response>();

  get(key: string): Response | undefined {
    return this.#answers.get(key);
  }

  remember(key: string, answer: Response): void {
    // A set that reads free text (a purpose, say) could see unboundedly many contexts; start over.
    if (this.#answers.size >= CAPACITY) this.#answers.clear();
    this.#answers.set(key, answer);
  }
}

/**
 * A key that differs whenever the context does: its JSON, provided it holds only booleans, strings,
 * whole numbers, sets and records. Anything else (a fraction, NaN, undefined) gets no key and is
 * always asked of Cedar, which may refuse it.
 */
export function contextKey(context: Context): string | null {
  return Object.values(context).every(isPlainValue) ? JSON.stringify(context) : null;
}

function isPlainValue(value: CedarValueJson): boolean {
  switch (typeof value) {
    case 'boolean':
    case 'string':
      return true;
    case 'number':
      return Number.isSafeInteger(value) && !Object.is(value, -0);
    case 'object':
      if (value === null) return false;
      if (Array.isArray(value)) return value.every(isPlainValue);
      return Object.getPrototypeOf(value) === Object.prototype && Object.values(value).every(isPlainValue);
    default:
      return false;
  }
}
