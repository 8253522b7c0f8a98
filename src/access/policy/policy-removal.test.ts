/**
 * Every default policy earns its place: take it out of the set and at least one row of the decision
 * table changes outcome (for the silent-flag policies, which never change an outcome: its flag goes).
 */
import { describe, expect, it } from 'vitest';
import { loadPolicyEngine, type LoadedPolicyEngine } from './index.ts';
import { TABLE, factsFor } from './decision-table.fixture.ts';

const full = loadPolicyEngine();

function without(id: string): LoadedPolicyEngine {
  const text = full.policies.filter((p) => p.id !== id).map((p) => p.text).join('\n\n');
  return loadPolicyEngine({ policyText: text });
}

describe('removing a policy', () => {
  it.each(full.policies.filter((p) => p.action === 'read_statement').map((p) => p.id))('%s: some row changes outcome', (id) => {
    const reduced = without(id);
    expect(reduced.policyIds).not.toContain(id);
    const changed = TABLE.filter((row) => {
      const facts = factsFor(row.given);
      return full.decide(facts).outcome !== reduced.decide(facts).outcome;
    });
    expect(changed.map((r) => r.name).length).toBeGreaterThan(0);
  });

  it.each(full.policies.filter((p) => p.action === 'monitor').map((p) => p.id))('%s: some row loses its flag, no outcome changes', (id) => {
    const reduced = without(id);
    let flagLost = false;
    for (const row of TABLE) {
      const facts = factsFor(row.given);
      const before = full.decide(facts);
      const after = reduced.decide(facts);
      expect(after.outcome).toBe(before.outcome);
      if (after.flags.length < before.flags.length) flagLost = true;
    }
    expect(flagLost).toBe(true);
  });
});
