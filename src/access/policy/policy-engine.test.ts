import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_DIR, PolicyError, loadPolicyEngine } from './index.ts';
import { factsFor } from './decision-table.fixture.ts';

const NOTES = '@reason_zh("原因") @reason_en("reason") @requester_zh("原因") @requester_en("reason")';
const permitAll = `@id("everyone") ${NOTES} permit (principal, action == Action::"read_statement", resource);`;

function thrown(fn: () => unknown): PolicyError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PolicyError) return e;
    throw e;
  }
  throw new Error('expected a PolicyError');
}

describe('loadPolicyEngine', () => {
  it('loads the default set with every policy ID in file order', () => {
    const engine = loadPolicyEngine();
    expect(engine.policyIds[0]).toBe('ntk-same-branch');
    expect(engine.policyIds.at(-1)).toBe('flag-related-party');
    expect(engine.policyIds).toHaveLength(29);
  });

  it('throws schema_violation naming the unknown attribute', () => {
    const text = `${permitAll}\n@id("bad") @outcome("deny") ${NOTES}
forbid (principal, action == Action::"read_statement", resource) when { resource.nickname == "x" };`;
    const error = thrown(() => loadPolicyEngine({ policyText: text }));
    expect(error.code).toBe('schema_violation');
    expect(error.message).toMatch(/nickname/);
  });

  it('throws invalid_policy for text that does not parse', () => {
    const error = thrown(() => loadPolicyEngine({ policyText: 'permit (' }));
    expect(error.code).toBe('invalid_policy');
    expect(error.errors.length).toBeGreaterThan(0);
  });

  it('throws invalid_policy for a missing folder', () => {
    expect(thrown(() => loadPolicyEngine({ policyDir: '/nonexistent/flowguard' })).code).toBe('invalid_policy');
  });

  it('reloads: a new engine decides with the new set, the old one keeps its own', () => {
    const before = loadPolicyEngine();
    const dir = mkdtempSync(join(tmpdir(), 'flowguard-policies-'));
    writeFileSync(join(dir, 'flowguard.cedarschema'), readSchema());
    writeFileSync(join(dir, 'only.cedar'), permitAll);
    const after = loadPolicyEngine({ policyDir: dir });
    const offHours = factsFor({ context: { localHour: 23 } });
    expect(after.decide(offHours).outcome).toBe('allow');
    expect(after.decide(offHours).policyIds).toEqual(['everyone']);
    expect(before.decide(offHours).outcome).toBe('needs_approval');
  });
});

describe('decide', () => {
  it('fails closed when a deciding policy errors at run time', () => {
    // Validates, but overflows a 64-bit Long once the count is 2 or more: Cedar would skip it.
    const text = `${permitAll}\n@id("overflow") @outcome("deny") ${NOTES}
forbid (principal, action == Action::"read_statement", resource)
when { principal.distinctCustomersToday * 9223372036854775807 > 0 };`;
    const engine = loadPolicyEngine({ policyText: text });
    expect(engine.decide(factsFor({ employee: { distinctCustomersToday: 0 } })).outcome).toBe('allow');
    const decision = engine.decide(factsFor({ employee: { distinctCustomersToday: 5 } }));
    expect(decision.outcome).toBe('deny');
    expect(decision.policyIds).toEqual(['overflow']);
    expect(decision.fullReason.en).toMatch(/overflow/);
  });

  it('refuses facts that do not fit the schema with a plain message', () => {
    const error = thrown(() => loadPolicyEngine().decide(factsFor({ context: { localHour: 8.5 } })));
    expect(error.code).toBe('schema_violation');
    expect(error.errors).toEqual(['decision facts: context.localHour must be a whole number, got 8.5']);
  });

  it('names no policy on the default deny, and says so', () => {
    const decision = loadPolicyEngine().decide(factsFor({ employee: { branchId: 'BR77' } }));
    expect(decision).toMatchObject({ outcome: 'deny', policyIds: [] });
    expect(decision.fullReason.en).toMatch(/no need-to-know permit matched/);
  });

  it('works without any monitor policy', () => {
    const decision = loadPolicyEngine({ policyText: permitAll }).decide(factsFor({ customer: { isHoneytoken: true } }));
    expect(decision).toMatchObject({ outcome: 'allow', flags: [] });
  });
});

function readSchema(): string {
  return readFileSync(join(DEFAULT_POLICY_DIR, 'flowguard.cedarschema'), 'utf8');
}
