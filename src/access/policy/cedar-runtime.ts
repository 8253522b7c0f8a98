/**
 * The Cedar-wasm instance every policy call goes through, and its replacement when a call fails.
 *
 * Cedar answers a bad policy or request with a value (`{ type: 'failure' }`); it throws only when
 * the wasm itself fails — a trap such as "memory access out of bounds" once its stack overflowed —
 * and the instance may then stay corrupt: the trap leaves its stack pointer where it was, so every
 * later call traps too (issue 9, item 1). @cedar-policy/cedar-wasm/nodejs is CommonJS and
 * instantiates its wasm when it is required, so dropping it from require's cache and requiring it
 * again yields a fresh, independent instance (0.1–0.3 s to compile). Preparsed policy sets live
 * inside an instance: each engine sees the new generation and preparses its own set again.
 *
 * @example
 * const parts = callCedar((cedar) => cedar.policySetTextToParts(text)); // throws CedarFailure if the wasm fails
 */
import { createRequire } from 'node:module';
import type * as CedarWasm from '@cedar-policy/cedar-wasm/nodejs';

export type Cedar = typeof CedarWasm;

/** The wasm failed (or could not be started); the call's answer is unknown. */
export class CedarFailure extends Error {
  override readonly name = 'CedarFailure';
  constructor(cause: unknown) {
    super(`the Cedar engine failed: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`, { cause });
  }
}

const require = createRequire(import.meta.url);
const MODULE = require.resolve('@cedar-policy/cedar-wasm/nodejs');
/** After a rebuild that failed, callers are refused this long before the next try, so a flood of requests does not recompile the wasm for each one. */
const REBUILD_PAUSE_MS = 1_000;
const PROBE_POLICY = 'permit (principal, action, resource);';

const state: { instance: Cedar | null; generation: number; failure: CedarFailure | null; lastRebuild: number } = {
  instance: null,
  generation: 0,
  failure: null,
  lastRebuild: -Infinity,
};

/**
 * Runs `call` on the current instance. A throw out of it is the wasm failing: the instance is
 * replaced at once and the call refused.
 * @throws CedarFailure
 */
export function callCedar<T>(call: (cedar: Cedar) => T): T {
  const cedar = current();
  try {
    return call(cedar);
  } catch (error) {
    const failure = new CedarFailure(error);
    state.failure = failure;
    state.instance = null;
    try {
      rebuild();
    } catch {
      // Still broken: the next caller tries again after the pause.
    }
    throw failure;
  }
}

/** Which instance is current; a preparsed set belongs to the generation it was made in. */
export function cedarGeneration(): number {
  current();
  return state.generation;
}

/**
 * Asks the instance something trivial. A failing instance is replaced, but the answer still says
 * it failed: whoever watches health should learn that the engine broke, not only that it was mended.
 */
export function probeCedar(): { ok: true } | { ok: false; reason: string } {
  try {
    const answer = callCedar((cedar) => cedar.policyToJson(PROBE_POLICY));
    return answer.type === 'success' ? { ok: true } : { ok: false, reason: 'the Cedar engine cannot parse a trivial policy' };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * Tests only: the current instance without the guard, so a test can break it the way an unguarded
 * call would, and see that the runtime recovers.
 */
export function unguardedCedarForTests(): Cedar {
  return current();
}

function current(): Cedar {
  if (state.instance) return state.instance;
  if (state.failure && Date.now() - state.lastRebuild < REBUILD_PAUSE_MS) throw state.failure;
  return rebuild();
}

function rebuild(): Cedar {
  state.lastRebuild = Date.now();
  try {
    delete require.cache[MODULE];
    const fresh = require(MODULE) as Cedar;
    state.instance = fresh;
    state.generation++;
    state.failure = null;
    return fresh;
  } catch (error) {
    state.failure = new CedarFailure(error);
    throw state.failure;
  }
}
