/**
 * The bank every adapter's contract run reads: the integration-test bank (test/bank-fixture.ts) plus
 * one account whose rows were booked out of time order and share an instant, so "ordered by time,
 * then by the ledger's id" is visible. `ledger` keeps every account and row in memory; `expected`
 * answers the contract's questions from it, independently of any adapter.
 */
import type { Store } from '../../../store/database.ts';
import { isLuhnValid } from '../../../privacy/full-numbers.ts';
import { seedTestBank, C } from '../../../../test/bank-fixture.ts';
import type { SourceAccount, StatementRow } from '../../statement-source.ts';
import { periodBoundMs } from '../contract-checks.ts';

/** A USD account of C.retail; rows 3, 1, 3, 2, 3, 4 in booking (id) order, by instant label. */
export const TIES_ACCOUNT = 'A-RETAIL-USD';
const TIE_INSTANTS = ['2026-08-10T02:00:00.000Z', '2026-08-05T02:00:00.000Z', '2026-08-10T02:00:00.000Z', '2026-08-07T02:00:00.000Z', '2026-08-10T02:00:00.000Z', '2026-08-20T02:00:00.000Z'];
/** A customer of the bank with no account at all. */
export const NO_ACCOUNTS_CUSTOMER = C.aml;

export interface LedgerRow extends StatementRow { id: number; accountId: string }
export interface Ledger { accounts: SourceAccount[]; rows: LedgerRow[] }

function luhnCard(prefix: string): string {
  for (let d = 0; d < 10; d++) if (isLuhnValid(`${prefix}${d}`)) return `${prefix}${d}`;
  throw new Error('unreachable');
}

export async function seedContractBank(store: Store): Promise<Ledger> {
  await seedTestBank(store);
  const db = store.db;
  await db.deleteFrom('transactions').where('account_id', '=', `A-${NO_ACCOUNTS_CUSTOMER.slice(2)}`).execute();
  await db.deleteFrom('accounts').where('customer_id', '=', NO_ACCOUNTS_CUSTOMER).execute();
  await db.insertInto('accounts').values({ id: TIES_ACCOUNT, customer_id: C.retail, card_number: luhnCard('622848765432101234'), kind: 'savings', currency: 'USD', branch_id: 'SH01', opened_on: '2020-01-01' }).execute();
  // Balances follow time order (ties by booking order), as a ledger's do.
  const amounts = [-300, 10_000, -500, 2_000, -700, 4_000];
  const order = TIE_INSTANTS.map((at, i) => ({ at, i })).sort((a, b) => a.at.localeCompare(b.at) || a.i - b.i);
  const balance = new Map<number, number>();
  let running = 50_000;
  for (const { i } of order) balance.set(i, (running += amounts[i]!));
  for (const [i, at] of TIE_INSTANTS.entries()) {
    await db.insertInto('transactions').values({
      account_id: TIES_ACCOUNT, posted_at: at, amount_cents: amounts[i]!, balance_cents: balance.get(i)!, currency: 'USD',
      description: `tie ${i}`, channel: '柜面', counterparty_name: i % 2 ? null : 'ACME Ltd.', counterparty_account: null, category: 'other',
    }).execute();
  }
  return readLedger(store);
}

async function readLedger(store: Store): Promise<Ledger> {
  const accounts = await store.db.selectFrom('accounts').selectAll().execute();
  const rows = await store.db.selectFrom('transactions').selectAll().execute();
  return {
    accounts: accounts.map((a) => ({ id: a.id, customerId: a.customer_id, cardNumber: a.card_number, kind: a.kind, currency: a.currency })),
    rows: rows.map((r) => ({
      id: Number(r.id), accountId: r.account_id, postedAt: r.posted_at, amountCents: Number(r.amount_cents), balanceCents: Number(r.balance_cents), currency: r.currency,
      description: r.description, channel: r.channel, counterpartyName: r.counterparty_name, counterpartyAccount: r.counterparty_account, category: r.category,
    })),
  };
}

/** What the contract says `accounts(customerId)` answers. */
export function expectedAccounts(ledger: Ledger, customerId: string): SourceAccount[] {
  return ledger.accounts.filter((a) => a.customerId === customerId).sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

/** What the contract says `rows(accountId, from, to)` answers. */
export function expectedRows(ledger: Ledger, accountId: string, from: string, to: string): { openingBalanceCents: number; rows: StatementRow[] } {
  const [start, end] = [periodBoundMs(from), periodBoundMs(to)];
  const all = ledger.rows.filter((r) => r.accountId === accountId).sort((a, b) => Date.parse(a.postedAt) - Date.parse(b.postedAt) || a.id - b.id);
  const before = all.filter((r) => Date.parse(r.postedAt) < start).at(-1);
  const strip = ({ id: _id, accountId: _account, ...row }: LedgerRow): StatementRow => row;
  const rows = all.filter((r) => Date.parse(r.postedAt) >= start && Date.parse(r.postedAt) < end);
  const openingBalanceCents = rows[0] ? rows[0].balanceCents - rows[0].amountCents : (before?.balanceCents ?? 0);
  return { openingBalanceCents, rows: rows.map(strip) };
}
