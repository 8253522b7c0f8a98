/**
 * The statement source contract as one suite: every adapter must give the same accounts, the same
 * rows in the same order and the same opening balance as the ledger says (contract-bank.ts), and
 * fail the same way. Each adapter's test file calls `describeStatementSourceContract` with a way to
 * open it over a freshly seeded contract bank.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SourceError, type StatementSource } from '../../statement-source.ts';
import { C } from '../../../../test/bank-fixture.ts';
import { expectedAccounts, expectedRows, NO_ACCOUNTS_CUSTOMER, TIES_ACCOUNT, type Ledger } from './contract-bank.ts';

export interface ContractSubject {
  source: StatementSource;
  ledger: Ledger;
  close(): Promise<void>;
}

/** The first and last instants of the test bank's rows, and a margin either side. */
const SPAN = { from: Date.parse('2026-07-01T00:00:00.000Z'), to: Date.parse('2026-11-30T00:00:00.000Z') };

/** Resolves to the SourceError `promise` rejects with; fails the test when it resolves or throws anything else. */
export async function sourceErrorOf(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error, 'expected a SourceError').toBeInstanceOf(SourceError);
  return error as SourceError;
}

export function describeStatementSourceContract(name: string, open: () => Promise<ContractSubject>): void {
  describe(`statement source contract: ${name}`, () => {
    let subject: ContractSubject;
    let source: StatementSource;
    let ledger: Ledger;
    beforeAll(async () => {
      subject = await open();
      ({ source, ledger } = subject);
    }, 60_000);
    afterAll(async () => subject?.close());

    it('lists a customer\'s accounts in id order, and none for a customer without any or unknown', async () => {
      const retail = await source.accounts(C.retail);
      expect(retail).toEqual(expectedAccounts(ledger, C.retail));
      expect(retail.map((a) => a.id)).toEqual(['A-RETAIL', TIES_ACCOUNT]);
      expect(await source.accounts(C.target)).toEqual(expectedAccounts(ledger, C.target));
      expect(await source.accounts(NO_ACCOUNTS_CUSTOMER)).toEqual([]);
      expect(await source.accounts('C-NOBODY')).toEqual([]);
    });

    it('orders rows by time, then by the ledger\'s id within one instant', async () => {
      const got = await source.rows(TIES_ACCOUNT, '2026-08-01', '2026-09-01');
      expect(got).toEqual(expectedRows(ledger, TIES_ACCOUNT, '2026-08-01', '2026-09-01'));
      expect(got.rows.map((r) => r.description)).toEqual(['tie 1', 'tie 3', 'tie 0', 'tie 2', 'tie 4', 'tie 5']);
      expect(got.openingBalanceCents).toBe(50_000); // the first row's balance less its amount
    });

    it('reads the period half-open: a row at `from` is in, a row at `to` is out', async () => {
      const at = '2026-08-10T02:00:00.000Z';
      const from = await source.rows(TIES_ACCOUNT, at, '2026-08-20T02:00:00.000Z');
      expect(from.rows.map((r) => r.description)).toEqual(['tie 0', 'tie 2', 'tie 4']);
      expect(from).toEqual(expectedRows(ledger, TIES_ACCOUNT, at, '2026-08-20T02:00:00.000Z'));
      const to = await source.rows(TIES_ACCOUNT, '2026-08-05T02:00:00.000Z', at);
      expect(to.rows.map((r) => r.description)).toEqual(['tie 1', 'tie 3']);
    });

    it('opens an empty period with the balance before it: 0 before the first row, the last balance after the last', async () => {
      expect(await source.rows('A-RETAIL', '2026-01-01', '2026-02-01')).toEqual({ openingBalanceCents: 0, rows: [] });
      const after = await source.rows('A-RETAIL', '2027-01-01', '2027-02-01');
      expect(after).toEqual(expectedRows(ledger, 'A-RETAIL', '2027-01-01', '2027-02-01'));
      expect(after.openingBalanceCents).not.toBe(0);
    });

    it('gives a month of statement with every field, exactly as the ledger has it', async () => {
      const got = await source.rows('A-TARGET', '2026-09-01', '2026-10-01');
      expect(got.rows).toHaveLength(30);
      expect(got).toEqual(expectedRows(ledger, 'A-TARGET', '2026-09-01', '2026-10-01'));
    });

    it('refuses rows of an account it does not know with unknown_account', async () => {
      expect((await sourceErrorOf(source.rows('A-NOBODY', '2026-08-01', '2026-09-01'))).code).toBe('unknown_account');
    });

    it('answers any period as the ledger does (property)', async () => {
      const instant = fc.integer({ min: SPAN.from, max: SPAN.to }).map((ms) => new Date(ms - (ms % 3_600_000)).toISOString());
      const period = fc.tuple(instant, instant).map(([a, b]): [string, string] => (a <= b ? [a, b] : [b, a]));
      const account = fc.constantFrom('A-RETAIL', TIES_ACCOUNT, 'A-VIP', 'A-TARGET');
      await fc.assert(fc.asyncProperty(account, period, fc.boolean(), async (id, [from, to], asDates) => {
        const [f, t] = asDates ? [from.slice(0, 10), to.slice(0, 10)] : [from, to];
        expect(await source.rows(id, f, t)).toEqual(expectedRows(ledger, id, f, t));
      }), { numRuns: 25 });
    });
  });
}
