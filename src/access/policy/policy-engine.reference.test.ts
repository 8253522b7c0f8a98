/**
 * The engine's shortcuts — each set handed only what it reads, the monitor flags remembered by
 * context, one call answering for the permits too — must not change a single decision. The
 * reference below is the plain algorithm: every attribute handed to Cedar, every question asked.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { preparsePolicySet, statefulIsAuthorized, type Context } from '@cedar-policy/cedar-wasm/nodejs';
import { toCedarRequest, withApproval, type CedarRequest } from './cedar-request.ts';
import { NO_NEED_TO_KNOW, evaluationFailed, reasonsFrom } from './decision-reasons.ts';
import { facts } from './facts.arbitrary.ts';
import { DEFAULT_POLICY_DIR, loadPolicyEngine, type Decision, type DecisionFacts, type PolicyEngine, type PolicyInfo } from './index.ts';
import { readPolicyCatalog } from './policy-catalog.ts';
import { CedarPolicyEngine } from './policy-engine.ts';
import { readPolicyFiles, readPolicyFolder } from './policy-files.ts';
import { preparseSets } from './preparsed-sets.ts';

const NOTES = '@reason_zh("原因") @reason_en("reason")';
const REQUESTER = '@requester_zh("原因") @requester_en("reason")';
/**
 * The default set plus policies that read what the default set does not, so narrowing has work to
 * do, and a permit that reads `approved`, so the engine must ask the permits again as if approved.
 */
const EXTENDED = `${readPolicyFiles(DEFAULT_POLICY_DIR)}
@id("flag-long-period") @flag("long_period") @severity("low") ${NOTES}
permit (principal, action == Action::"monitor", resource) when { context.request.periodDays > 366 && principal.status != "left" };
@id("ntk-back-office-complaint-approved") ${NOTES} ${REQUESTER}
permit (principal, action == Action::"read_statement", resource)
when { principal.bankRole == "back_office" && context.request.purpose == "complaint" && context.request.approved };
@id("approval-rm-abroad") @outcome("approval") ${NOTES} ${REQUESTER}
forbid (principal, action == Action::"read_statement", resource)
when { resource has relationshipManager && resource.relationshipManager != principal && context.clock.weekday == 7 }
unless { context.request.approved };`;

type Verdict = Omit<Decision, 'cedarMicros'>;

/** The engine's algorithm without its shortcuts: full requests, each question asked of Cedar. */
function referenceEngine(text: string, name: string) {
  const engine = loadPolicyEngine({ policyText: text });
  const byId = new Map(engine.policies.map((p) => [p.id, p]));
  const sets = {
    decide: engine.policies.filter((p) => p.action === 'read_statement'),
    permits: engine.policies.filter((p) => p.action === 'read_statement' && p.effect === 'permit'),
    monitor: engine.policies.filter((p) => p.action === 'monitor'),
  };
  for (const [set, policies] of Object.entries(sets)) {
    const answer = preparsePolicySet(`${name}/${set}`, { staticPolicies: Object.fromEntries(policies.map((p) => [p.id, p.text])) });
    if (answer.type === 'failure') throw new Error(answer.errors.map((e) => e.message).join('; '));
  }
  const ask = (set: keyof typeof sets, request: CedarRequest, action: string, context: Context) => {
    const answer = statefulIsAuthorized({
      principal: request.principal, action: { type: 'Action', id: action }, resource: request.resource,
      context, entities: request.entities, preparsedPolicySetId: `${name}/${set}`,
    });
    if (answer.type === 'failure') throw new Error(answer.errors.map((e) => e.message).join('; '));
    return answer.response;
  };
  const order = (ids: string[]): PolicyInfo[] => engine.policies.filter((p) => ids.includes(p.id)).map((p) => byId.get(p.id)!);

  function outcome(request: CedarRequest, approved: boolean): Omit<Verdict, 'flags'> {
    const verdict = (o: Decision['outcome'], policies: PolicyInfo[], reasons: ReturnType<typeof reasonsFrom>) => ({ outcome: o, policyIds: policies.map((p) => p.id), ...reasons });
    const failed = (errors: Array<{ policyId: string; error: { message: string } }>) => ({
      outcome: 'deny' as const,
      policyIds: order(errors.map((e) => e.policyId)).map((p) => p.id),
      ...evaluationFailed(errors.map((e) => `${e.policyId}: ${e.error.message}`)),
    });
    const first = ask('decide', request, 'read_statement', request.decideContext);
    if (first.diagnostics.errors.length > 0) return failed(first.diagnostics.errors);
    const deciding = order(first.diagnostics.reason);
    if (first.decision === 'allow') return verdict('allow', deciding, reasonsFrom(deciding, approved));
    const refusing = deciding.filter((p) => p.outcome !== 'approval');
    if (refusing.length > 0) return verdict('deny', refusing, reasonsFrom(refusing, false));
    if (deciding.length === 0) return verdict('deny', [], NO_NEED_TO_KNOW);
    const ifApproved = ask('permits', request, 'read_statement', withApproval(request.decideContext));
    if (ifApproved.diagnostics.errors.length > 0) return failed(ifApproved.diagnostics.errors);
    if (ifApproved.decision === 'allow') return verdict('needs_approval', deciding, reasonsFrom(deciding, false));
    return verdict('deny', [], NO_NEED_TO_KNOW);
  }

  return (f: DecisionFacts): Verdict => {
    const request = toCedarRequest(f);
    const answer = ask('monitor', request, 'monitor', request.monitorContext);
    const flags = answer.decision === 'allow' ? order(answer.diagnostics.reason).map((p) => p.flag ?? p.id) : [];
    if (answer.diagnostics.errors.length > 0) flags.push('monitor_policy_error');
    return { ...outcome(request, f.request.approved === true), flags: [...new Set(flags)] };
  };
}

/** The engine as loadPolicyEngine builds it, or with the forbids asked as written (the fallback). */
function engineFor(text: string, askAsPermits: boolean, name: string): PolicyEngine {
  if (askAsPermits) return loadPolicyEngine({ policyText: text });
  const read = readPolicyCatalog(text);
  if (!read.ok) throw new Error(read.errors.join('\n'));
  return new CedarPolicyEngine(read.catalog, preparseSets(name, read.catalog, { askAsPermits: false }), { policyText: text, schemaText: readPolicyFolder(DEFAULT_POLICY_DIR).schemaText });
}

describe.each([
  ['the default policy set', 'default', readPolicyFiles(DEFAULT_POLICY_DIR), true],
  ['the default set with policies reading more', 'extended', EXTENDED, true],
  ['the default set, forbids asked as written', 'default', readPolicyFiles(DEFAULT_POLICY_DIR), false],
  ['the extended set, forbids asked as written', 'extended', EXTENDED, false],
] as const)('the engine against the plain algorithm, %s', (_label, name, text, askAsPermits) => {
  const engine = engineFor(text, askAsPermits, `engine-test-as-written-${name}`);
  const reference = referenceEngine(text, `engine-test-reference-${name}`);

  it('gives the same outcome, policy IDs, reasons and flags for any facts', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const { cedarMicros, ...decision } = engine.decide(f);
        expect(cedarMicros).toBeGreaterThanOrEqual(0);
        expect(decision).toEqual(reference(f));
      }),
      { numRuns: 1000 },
    );
  });
});
