import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkJsonChangeBody, type JsonChangeKind } from './change-bodies.ts';
import { DEFAULT_PURPOSES, UNMASKABLE_FIELDS } from './purposes.ts';
import { MASKING_STANDARD, maskValue, maskingRulesInForce, type MaskingRules } from './masking.ts';
import { FlowguardError } from '../errors.ts';

function refusal(kind: JsonChangeKind, key: string, body: string): FlowguardError | null {
  try {
    checkJsonChangeBody(kind, key, body);
    return null;
  } catch (e) {
    if (e instanceof FlowguardError) return e;
    throw e;
  }
}

describe('change bodies', () => {
  it('accepts every default purpose as a body for its own key', () => {
    for (const p of DEFAULT_PURPOSES) expect(refusal('purpose', p.id, JSON.stringify(p)), p.id).toBeNull();
  });

  it('answers any JSON, or text that is not JSON, with acceptance or a coded 422 — never a stray error', () => {
    fc.assert(
      fc.property(fc.constantFrom<JsonChangeKind>('purpose', 'masking_rules', 'role_grant'), fc.oneof(fc.json(), fc.string(), fc.jsonValue().map((v) => JSON.stringify({ roles: v, card_number: v, id: 'x', label: v }))), (kind, body) => {
        const e = refusal(kind, kind === 'masking_rules' ? 'default' : 'x', body);
        return e === null || (e.code === 'invalid_change' && e.status === 422 && e.message.length > 30);
      }),
      { numRuns: 3000 },
    );
  });

  it('for any masking rule it accepts and any value, the masked value shows no more than the standard', () => {
    const count = fc.oneof(fc.integer({ min: -3, max: 12 }), fc.constantFrom(99, -5, 1e300, 2.5));
    const body = fc.dictionary(fc.constantFrom(...UNMASKABLE_FIELDS), fc.record({ keepStart: count, keepEnd: count }), { maxKeys: 3 });
    fc.assert(
      fc.property(body, fc.stringMatching(/^[0-9A-Za-z张欧𠮷]{1,30}$/), (rules, value) => {
        fc.pre(refusal('masking_rules', 'default', JSON.stringify(rules)) === null);
        const inForce: MaskingRules = maskingRulesInForce(rules);
        return UNMASKABLE_FIELDS.every((field) => {
          const chars = [...value];
          const masked = [...maskValue(value, inForce[field], field)];
          const shown = chars.flatMap((c, i) => (masked[i] === c ? [i] : []));
          const { keepStart, keepEnd } = MASKING_STANDARD[field];
          return shown.every((i) => i < keepStart || i >= chars.length - keepEnd);
        });
      }),
      { numRuns: 2000 },
    );
  });
});
