import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadPolicyEngine } from './index.ts';
import { facts } from './facts.arbitrary.ts';
import { findHiddenWords } from './requester-wording.ts';

const engine = loadPolicyEngine();

describe('requester wording', () => {
  it('never reveals why a customer is special, whatever the facts', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const { requesterReason } = engine.decide(f);
        expect([...findHiddenWords(requesterReason.zh), ...findHiddenWords(requesterReason.en)]).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('matches hidden words regardless of case', () => {
    expect(findHiddenWords('A Vip customer')).toEqual(['vip']);
    expect(findHiddenWords('需要您所在支行负责人审批')).toEqual([]);
  });
});
