/**
 * The policy decision engine: loads and validates the Cedar policy set once, preparses it inside
 * Cedar, and answers each statement request with allow / deny / needs_approval, the policy IDs
 * that decided, neutral and full reasons, and silent flags.
 *
 * @example
 * const engine = loadPolicyEngine();            // policies/*.cedar + policies/flowguard.cedarschema
 * const decision = engine.decide(facts);
 * if (decision.outcome === 'needs_approval') … // later: engine.decide({ ...facts, request: { ...facts.request, approved: true } })
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context, Response } from '@cedar-policy/cedar-wasm/nodejs';
import { FlowguardError } from '../../errors.ts';
import { CedarFailure, callCedar, cedarGeneration, probeCedar } from './cedar-runtime.ts';
import { AnswerMemo, contextKey } from './answer-memo.ts';
import { narrowFor, toCedarRequest, withApproval, type CedarRequest } from './cedar-request.ts';
import type { Decision, DecisionFacts, EngineHealth, LoadedPolicyEngine, PolicyInfo, PolicySource } from './decision.ts';
import { NO_NEED_TO_KNOW, evaluationFailed, reasonsFrom, type Reasons } from './decision-reasons.ts';
import type { PolicyCatalog } from './policy-catalog.ts';
import { PolicyError } from './policy-error.ts';
import { SCHEMA_FILE, readPolicyFiles, readText } from './policy-files.ts';
import { preparseSets, type PreparsedSet, type PreparsedSets } from './preparsed-sets.ts';
import { checkPolicySet } from './validate-policy-set.ts';

/** The default policy set shipped with Flowguard (editable by the bank under maker-checker). */
export const DEFAULT_POLICY_DIR = fileURLToPath(new URL('../../../policies/', import.meta.url));
export { SCHEMA_FILE };

export interface LoadPolicyOptions {
  /** Policy text; default: every *.cedar file in policyDir, in name order. */
  policyText?: string;
  /** Schema text; default: policyDir/flowguard.cedarschema. */
  schemaText?: string;
  policyDir?: string;
}

/**
 * Loads, validates and preparses a policy set. Call again to reload: engines already handed out
 * keep deciding with the set they were built from.
 * @throws PolicyError `invalid_policy` or `schema_violation`, listing every problem found.
 */
export function loadPolicyEngine(opts: LoadPolicyOptions = {}): LoadedPolicyEngine {
  const dir = opts.policyDir ?? DEFAULT_POLICY_DIR;
  const policyText = opts.policyText ?? readPolicyFiles(dir);
  const schemaText = opts.schemaText ?? readText(join(dir, SCHEMA_FILE));
  const check = checkPolicySet(policyText, schemaText);
  if (!check.ok) throw new PolicyError(check.code, check.errors);

  // Cedar keeps preparsed sets by name for the life of its instance; naming them by content lets a
  // reload of the same text reuse its entries and keeps versions from overwriting each other.
  const name = `flowguard-${createHash('sha256').update(policyText).update('\0').update(schemaText).digest('hex').slice(0, 24)}`;
  try {
    return new CedarPolicyEngine(check.catalog, preparseSets(name, check.catalog), { policyText, schemaText });
  } catch (e) {
    if (e instanceof CedarFailure) throw new PolicyError('invalid_policy', [`${e.message} while preparsing this policy set (the engine was restarted)`], { cause: e });
    throw e;
  }
}

/** The engine over sets already preparsed; loadPolicyEngine builds it (tests build it directly). */
export class CedarPolicyEngine implements LoadedPolicyEngine {
  readonly policyIds: string[];
  readonly policies: readonly PolicyInfo[];
  readonly source: PolicySource;
  readonly #catalog: PolicyCatalog;
  readonly #order: ReadonlyMap<string, number>;
  /** Replaced when Cedar's instance is (cedar-runtime.ts): the same set, preparsed into the new one. */
  #sets: PreparsedSets;
  /** Per set: Cedar's answers by context, for a set whose answer depends on the context alone. */
  readonly #memos: ReadonlyMap<string, AnswerMemo>;

  constructor(catalog: PolicyCatalog, sets: PreparsedSets, source: PolicySource) {
    this.source = source;
    this.#catalog = catalog;
    this.#sets = sets;
    this.policies = catalog.policies;
    this.policyIds = catalog.policies.map((p) => p.id);
    this.#order = new Map(this.policyIds.map((id, i) => [id, i]));
    this.#memos = new Map([sets.decide, sets.permits, sets.monitor].flatMap((set) => (set ? [[set.id, new AnswerMemo()] as const] : [])));
  }

  /**
   * @throws FlowguardError `policy_engine_unavailable` (503) if Cedar fails while deciding: nothing is
   * decided, so nothing can be released; the engine is rebuilt for the next request.
   */
  decide(facts: DecisionFacts): Decision {
    const request = toCedarRequest(facts);
    const clock = { nanos: 0n };
    try {
      this.#prepared();
      const verdict = this.#decideOutcome(request, facts.request.approved === true, clock);
      const flags = this.#raiseFlags(request, clock);
      return { ...verdict, flags, cedarMicros: Number(clock.nanos / 100n) / 10 };
    } catch (e) {
      if (!(e instanceof CedarFailure)) throw e;
      throw new FlowguardError('policy_engine_unavailable', 'The policy engine failed while deciding this request and is being restarted; nothing was decided or released. Try again in a moment.', {}, { cause: e });
    }
  }

  /**
   * Whether the engine can decide: Cedar answers, and this engine's sets are preparsed in its
   * current instance (preparsing them again if the instance was replaced).
   */
  health(): EngineHealth {
    const probe = probeCedar();
    if (!probe.ok) return probe;
    try {
      this.#prepared();
      return { ok: true };
    } catch (e) {
      return { ok: false, reason: e instanceof Error ? e.message : String(e) };
    }
  }

  /** After Cedar's instance was replaced, the last good set this engine was built from goes into the new one. */
  #prepared(): void {
    if (this.#sets.generation !== cedarGeneration()) this.#sets = this.#sets.again();
  }

  /**
   * Any refusing forbid → deny; only approval forbids → needs_approval, provided a permit would
   * then allow it; no permit → Cedar's default deny. The decide set normally asks every policy as a
   * permit (preparsed-sets.ts), so one call names the matching permits and forbids alike.
   */
  #decideOutcome(request: CedarRequest, approved: boolean, clock: { nanos: bigint }): Omit<Decision, 'flags' | 'cedarMicros'> {
    const { decide } = this.#sets;
    const first = this.#ask(decide, request, 'read_statement', request.decideContext, clock);
    if (first.diagnostics.errors.length > 0) return this.#failClosed(first);
    const named = this.#policies(first.diagnostics.reason);
    // Asked as written, Cedar names the permits on allow and the forbids on deny; on deny, which
    // permits matched is unknown (null).
    const permits = decide.asPermits ? named.filter((p) => p.effect === 'permit') : first.decision === 'allow' ? named : null;
    const forbids = decide.asPermits || first.decision === 'deny' ? named.filter((p) => p.effect === 'forbid') : [];
    // Cedar's rule: allow when a permit matches and no forbid does.
    if (permits !== null && permits.length > 0 && forbids.length === 0) return verdict('allow', permits, reasonsFrom(permits, approved));

    const refusing = forbids.filter((p) => p.outcome !== 'approval');
    if (refusing.length > 0) return verdict('deny', refusing, reasonsFrom(refusing, false));
    if (forbids.length === 0) return verdict('deny', [], NO_NEED_TO_KNOW);

    // No refusing rule matched, and approval cannot change a refusing rule (the loader makes every
    // approval rule, and only those, depend on `approved`): the permits decide, as if approved. If
    // no permit reads `approved`, those that just matched are the answer; otherwise ask Cedar.
    let wouldAllow: boolean;
    if (permits !== null && !this.#sets.permitsReadApproved) {
      wouldAllow = permits.length > 0;
    } else {
      const ifApproved = this.#ask(this.#sets.permits, request, 'read_statement', withApproval(request.decideContext), clock);
      if (ifApproved.diagnostics.errors.length > 0) return this.#failClosed(ifApproved);
      wouldAllow = ifApproved.decision === 'allow';
    }
    return wouldAllow ? verdict('needs_approval', forbids, reasonsFrom(forbids, false)) : verdict('deny', [], NO_NEED_TO_KNOW);
  }

  /** Silent flags: the monitor permits that match. They never change the outcome. */
  #raiseFlags(request: CedarRequest, clock: { nanos: bigint }): string[] {
    if (this.#sets.monitor === null) return [];
    const answer = this.#ask(this.#sets.monitor, request, 'monitor', request.monitorContext, clock);
    const flags = answer.decision === 'allow' ? this.#policies(answer.diagnostics.reason).map((p) => p.flag ?? p.id) : [];
    // A flag policy that cannot run must not pass unnoticed: it may be the honeytoken alarm.
    if (answer.diagnostics.errors.length > 0) flags.push('monitor_policy_error');
    return [...new Set(flags)];
  }

  /** Asks one preparsed set, handing it only what its policies read (narrowFor). */
  #ask(set: PreparsedSet, request: CedarRequest, action: string, context: Context, clock: { nanos: bigint }): Response {
    const narrowed = narrowFor(set.reads, request.entities, context);
    // The default monitor set reads five booleans of the context and nothing else: its answer for a
    // context seen before is known (answer-memo.ts), so a decision usually asks Cedar once.
    const key = narrowed.contextOnly ? contextKey(narrowed.context) : null;
    const memo = this.#memos.get(set.id);
    const remembered = key === null ? undefined : memo?.get(key);
    if (remembered) return remembered;
    const started = process.hrtime.bigint();
    const answer = callCedar((cedar) => cedar.statefulIsAuthorized({
      principal: request.principal,
      action: { type: 'Action', id: action },
      resource: request.resource,
      context: narrowed.context,
      entities: narrowed.entities,
      preparsedPolicySetId: set.id,
      // Facts are typed at compile time and the policies were validated against the schema at load;
      // checking each request against the schema again would cost ~60 µs a call. A fact that is
      // missing at run time makes its policies error, and errors fail closed (#failClosed).
    }));
    clock.nanos += process.hrtime.bigint() - started;
    if (answer.type === 'failure') {
      throw new PolicyError('schema_violation', answer.errors.map((e) => `decision facts: ${e.message}`));
    }
    if (key !== null) memo?.remember(key, answer.response);
    return answer.response;
  }

  /** Cedar skips a policy that errors; a skipped forbid could let a request through, so refuse. */
  #failClosed(response: Response): Omit<Decision, 'flags' | 'cedarMicros'> {
    const ids = [...new Set(response.diagnostics.errors.map((e) => e.policyId))];
    const messages = response.diagnostics.errors.map((e) => `${e.policyId}: ${e.error.message}`);
    return { outcome: 'deny', policyIds: this.#sorted(ids), ...evaluationFailed(messages) };
  }

  #policies(ids: string[]): PolicyInfo[] {
    return this.#sorted(ids).flatMap((id) => this.#catalog.byId.get(id) ?? []);
  }

  #sorted(ids: string[]): string[] {
    return [...ids].sort((a, b) => (this.#order.get(a) ?? 0) - (this.#order.get(b) ?? 0));
  }
}

function verdict(outcome: Decision['outcome'], policies: PolicyInfo[], reasons: Reasons): Omit<Decision, 'flags' | 'cedarMicros'> {
  return { outcome, policyIds: policies.map((p) => p.id), ...reasons };
}
