import { beforeAll, describe, expect, it } from 'vitest';
import { loadPolicyEngine, type LoadedPolicyEngine } from './index.ts';
import { TABLE, factsFor } from './decision-table.fixture.ts';
import { WORDS_HIDDEN_FROM_REQUESTER, findHiddenWords } from './requester-wording.ts';

let engine: LoadedPolicyEngine;
beforeAll(() => {
  engine = loadPolicyEngine();
});

describe('decision table (policies/flowguard.cedar)', () => {
  it('has at least 40 rows with unique names', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(40);
    expect(new Set(TABLE.map((r) => r.name)).size).toBe(TABLE.length);
  });

  it.each(TABLE)('$name → $outcome', (row) => {
    const decision = engine.decide(factsFor(row.given));
    expect({ outcome: decision.outcome, policyIds: decision.policyIds, flags: [...decision.flags].sort() }).toEqual({
      outcome: row.outcome,
      policyIds: row.policyIds,
      flags: [...(row.flags ?? [])].sort(),
    });
  });

  it('exercises every policy in the default set', () => {
    const seen = new Set<string>();
    for (const row of TABLE) {
      const decision = engine.decide(factsFor(row.given));
      decision.policyIds.forEach((id) => seen.add(id));
    }
    const flagged = new Set(TABLE.flatMap((r) => r.flags ?? []));
    const unseen = engine.policies.filter((p) => (p.flag ? !flagged.has(p.flag) : !seen.has(p.id)));
    expect(unseen.map((p) => p.id)).toEqual([]);
  });
});

describe('reasons', () => {
  it.each(TABLE)('$name: full reason names the deciding policies', (row) => {
    const decision = engine.decide(factsFor(row.given));
    for (const id of decision.policyIds) {
      expect(engine.policyIds).toContain(id);
      expect(decision.fullReason.zh).toContain(id);
      expect(decision.fullReason.en).toContain(id);
    }
    expect(decision.fullReason.zh.length).toBeGreaterThan(0);
    expect(decision.fullReason.en.length).toBeGreaterThan(0);
  });

  it.each(TABLE)('$name: requester reason says nothing about why the customer is special', (row) => {
    const { requesterReason } = engine.decide(factsFor(row.given));
    expect(requesterReason.zh.length).toBeGreaterThan(0);
    expect(requesterReason.en.length).toBeGreaterThan(0);
    expect(findHiddenWords(requesterReason.zh)).toEqual([]);
    expect(findHiddenWords(requesterReason.en)).toEqual([]);
    // Policy IDs themselves can tell (approval-vip), so they stay out of requester text too.
    for (const id of engine.policyIds) {
      expect(requesterReason.en).not.toContain(id);
    }
  });

  it('checks the words the brief lists', () => {
    for (const word of ['VIP', '贵宾', 'public figure', '名人', 'relative', '亲属', 'employee', '员工', 'honeytoken', 'decoy', '诱饵']) {
      expect(findHiddenWords(`x ${word} y`)).toContain(word.toLowerCase());
    }
    expect(WORDS_HIDDEN_FROM_REQUESTER.length).toBeGreaterThanOrEqual(11);
  });

  it('gives the same requester text for every special-customer rule', () => {
    const texts = ['vip', 'public', 'employee', 'relative'].map((kind) => {
      const given = {
        vip: { customer: { segment: 'vip' as const } },
        public: { customer: { isPublicFigure: true } },
        employee: { customer: { isEmployee: true } },
        relative: { relationship: { sameSurnameAndAddress: true } },
      }[kind]!;
      return engine.decide(factsFor(given)).requesterReason;
    });
    expect(new Set(texts.map((t) => JSON.stringify(t))).size).toBe(1);
    expect(texts[0]!.en).toBe("needs your branch manager's approval");
  });

  it('reports time spent in Cedar', () => {
    const decision = engine.decide(factsFor({}));
    expect(decision.cedarMicros).toBeGreaterThan(0);
  });
});
