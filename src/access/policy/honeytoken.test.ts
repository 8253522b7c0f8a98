/**
 * A honeytoken customer looks like any customer to the requester: same outcome, same words, same
 * deciding policies. Only the silent flag differs (product.md, "Rules that cut across every capability").
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadPolicyEngine, type DecisionFacts } from './index.ts';
import { facts } from './facts.arbitrary.ts';

const engine = loadPolicyEngine();

function withHoneytoken(f: DecisionFacts, isHoneytoken: boolean): DecisionFacts {
  return { ...f, customer: { ...f.customer, isHoneytoken } };
}

describe('honeytoken indistinguishability', () => {
  it('decides a honeytoken exactly like the same customer without the marker', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const plain = engine.decide(withHoneytoken(f, false));
        const token = engine.decide(withHoneytoken(f, true));
        expect(token.outcome).toBe(plain.outcome);
        expect(token.requesterReason).toEqual(plain.requesterReason);
        expect(token.policyIds).toEqual(plain.policyIds);
        expect(token.fullReason).toEqual(plain.fullReason);
      }),
      { numRuns: 500 },
    );
  });

  it('raises honeytoken_access if and only if the customer is a honeytoken', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const decision = engine.decide(f);
        expect(decision.flags.includes('honeytoken_access')).toBe(f.customer.isHoneytoken);
        const others = engine.decide(withHoneytoken(f, !f.customer.isHoneytoken)).flags.filter((x) => x !== 'honeytoken_access');
        expect(decision.flags.filter((x) => x !== 'honeytoken_access')).toEqual(others);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the honeytoken marker out of reach of deciding policies', () => {
    const text = `${engine.policies.map((p) => p.text).join('\n')}
@id("peek") @outcome("deny") @reason_zh("x") @reason_en("x") @requester_zh("x") @requester_en("x")
forbid (principal, action == Action::"read_statement", resource) when { context.watch.honeytoken };`;
    expect(() => loadPolicyEngine({ policyText: text })).toThrow(/watch/);
  });
});
