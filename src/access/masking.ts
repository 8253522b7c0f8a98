/**
 * Display masking (信息屏蔽). Everything identifying is masked unless the request's purpose unlocked it
 * and the decision allowed it. Rules are configuration: JR/T 0171's exact patterns are not confirmed,
 * so the default follows common practice (cards: first 6 and last 4 visible).
 */
import type { UnmaskableField } from './purposes.ts';

export interface MaskRule { keepStart: number; keepEnd: number }
export type MaskingRules = Record<UnmaskableField, MaskRule>;

export const DEFAULT_MASKING: MaskingRules = {
  card_number: { keepStart: 6, keepEnd: 4 },
  counterparty_account: { keepStart: 6, keepEnd: 4 },
  id_number: { keepStart: 1, keepEnd: 1 },
  mobile: { keepStart: 3, keepEnd: 4 },
  customer_name: { keepStart: 1, keepEnd: 0 },
  counterparty_name: { keepStart: 1, keepEnd: 0 },
};

/**
 * Masks by code point (names can hold characters outside the BMP such as 𠮷) and keeps separators
 * such as the middle dot, so the shape stays recognisable. Whatever the rule, at least four characters
 * of a long value, and at least half of a short one (under 8), stay hidden.
 */
export function maskValue(value: string, rule: MaskRule): string {
  const chars = [...value];
  const visible = Math.min(rule.keepStart + rule.keepEnd, chars.length >= 8 ? chars.length - 4 : Math.floor(chars.length / 2));
  const start = Math.min(rule.keepStart, visible);
  const end = Math.min(rule.keepEnd, visible - start);
  return chars
    .map((c, i) => (i < start || i >= chars.length - end || c === '·' || c === ' ' ? c : '*'))
    .join('');
}

export class Masker {
  constructor(
    private readonly rules: MaskingRules,
    private readonly unmasked: ReadonlySet<UnmaskableField>,
  ) {}

  field(field: UnmaskableField, value: string | null): string | null {
    if (value === null) return null;
    return this.unmasked.has(field) ? value : maskValue(value, this.rules[field]);
  }
}
