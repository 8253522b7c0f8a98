import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dayParts, monthsOf, parseDay } from './calendar.ts';
import { CHANNELS } from './merchants.ts';
import { createRandom } from './prng.ts';
import {
  LINES_PER_MONTH, createFinancialProfile, generateTransactions, openingPosition,
  type AccountKind, type Segment, type StatementAccount, type TransactionRecord,
} from './transactions.ts';

const YEAR = { from: parseDay('2025-11-27'), to: parseDay('2026-11-27') };

function statement(seed: number, kind: AccountKind, segment: Segment, primary: boolean, period = YEAR): TransactionRecord[] {
  return statementOf(seed, kind, segment, primary, period).lines;
}

function statementOf(seed: number, kind: AccountKind, segment: Segment, primary: boolean, period = YEAR): { account: StatementAccount; lines: TransactionRecord[] } {
  const r = createRandom(seed);
  const profile = createFinancialProfile(r, segment, '上海', '张伟', r.int(18, 85));
  const position = openingPosition(r, kind, segment);
  const account: StatementAccount = {
    id: 'A00000011', kind, currency: 'CNY', cardNumber: '6217000000000000000', openingBalanceCents: position.balanceCents,
    creditLimitCents: position.limitCents, primary, ownDebitCard: primary ? null : '6217000000000000001', ownCreditCard: primary ? '6259680000000000' : null,
  };
  return { account, lines: generateTransactions(r, account, profile, period) };
}

const accounts = fc.record({
  seed: fc.integer(),
  kind: fc.constantFrom<AccountKind>('debit', 'savings', 'credit'),
  segment: fc.constantFrom<Segment>('retail', 'private', 'vip'),
  primary: fc.boolean(),
}).map((a) => ({ ...a, primary: a.kind === 'debit' && a.primary }));

function monthKey(iso: string): string {
  const { year, month } = dayParts(Math.floor((Date.parse(iso) + 8 * 3600_000) / 86_400_000));
  return `${year}-${month}`;
}

describe('generateTransactions', () => {
  it('keeps a consistent running balance, in time order', () => {
    fc.assert(fc.property(accounts, ({ seed, kind, segment, primary }) => {
      const lines = statement(seed, kind, segment, primary);
      for (let i = 1; i < lines.length; i++) {
        const [prev, cur] = [lines[i - 1]!, lines[i]!];
        if (cur.balance_cents !== prev.balance_cents + cur.amount_cents) return false;
        if (cur.posted_at < prev.posted_at) return false;
      }
      return lines.every((l) => Number.isSafeInteger(l.amount_cents) && Number.isSafeInteger(l.balance_cents) && l.amount_cents !== 0);
    }), { numRuns: 60 });
  });

  it('never lets a debit or savings account go below zero, nor a card past its limit', () => {
    fc.assert(fc.property(accounts, ({ seed, kind, segment, primary }) => {
      const { account, lines } = statementOf(seed, kind, segment, primary);
      const floor = kind === 'credit' ? -account.creditLimitCents : 0;
      expect(account.openingBalanceCents).toBeGreaterThanOrEqual(floor);
      return lines.every((l) => l.balance_cents >= floor);
    }), { numRuns: 80 });
  });

  it('posts 20–40 lines in every full month of a 365-day period, covering 12 months or more', () => {
    fc.assert(fc.property(accounts, ({ seed, kind, segment, primary }) => {
      const lines = statement(seed, kind, segment, primary);
      const perMonth = new Map<string, number>();
      for (const l of lines) perMonth.set(monthKey(l.posted_at), (perMonth.get(monthKey(l.posted_at)) ?? 0) + 1);
      const slices = monthsOf(YEAR.from, YEAR.to);
      const full = slices.filter((s) => s.to - s.from === s.length);
      expect(full.length).toBeGreaterThanOrEqual(11);
      expect(perMonth.size).toBeGreaterThanOrEqual(12);
      for (const s of full) {
        const n = perMonth.get(`${s.year}-${s.month}`) ?? 0;
        expect(n).toBeGreaterThanOrEqual(LINES_PER_MONTH.min);
        expect(n).toBeLessThanOrEqual(LINES_PER_MONTH.max);
      }
      // A full year's worth in total: at least twelve months of twenty.
      expect(lines.length).toBeGreaterThanOrEqual(12 * LINES_PER_MONTH.min);
    }), { numRuns: 40 });
  });

  it('stays inside the period', () => {
    const period = { from: parseDay('2026-03-15'), to: parseDay('2026-04-02') };
    const lines = statement(1, 'debit', 'retail', true, period);
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) {
      const day = Math.floor((Date.parse(l.posted_at) + 8 * 3600_000) / 86_400_000);
      expect(day).toBeGreaterThanOrEqual(period.from);
      expect(day).toBeLessThan(period.to);
    }
  });

  it('pays salary, bills, merchants and quarterly interest on a salary account', () => {
    const lines = statement(7, 'debit', 'retail', true);
    const descriptions = new Set(lines.map((l) => l.description));
    const categories = new Set(lines.map((l) => l.category));
    expect([...descriptions].some((d) => d === '代发工资' || d === '养老金')).toBe(true);
    for (const c of ['salary', 'utilities', 'telecom', 'interest']) expect(categories.has(c as never)).toBe(true);
    const interest = lines.filter((l) => l.description === '结息');
    expect(interest).toHaveLength(4);
    for (const l of interest) expect(l.amount_cents).toBeGreaterThan(0);
    expect(lines.every((l) => (CHANNELS as readonly string[]).includes(l.channel))).toBe(true);
    expect(lines.every((l) => /[\u4e00-\u9fff]/.test(l.description))).toBe(true);
    const salary = lines.find((l) => l.category === 'salary')!;
    expect(salary.counterparty_name).toBeTruthy();
    expect(salary.counterparty_account).toMatch(/^\d{16,20}$/);
  });

  it('is deterministic', () => {
    expect(statement(99, 'savings', 'vip', false)).toEqual(statement(99, 'savings', 'vip', false));
    expect(statement(99, 'savings', 'vip', false)).not.toEqual(statement(100, 'savings', 'vip', false));
  });
});
