/**
 * The source adapter: where statements come from. In the demo it is the embedded bank's tables; a
 * gateway deployment implements the same interface over the core banking system (SQL or HTTP).
 * Only the statement gate (src/access/statement-gate.ts) may call it.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';

export interface StatementRow {
  postedAt: string;
  amountCents: number;
  balanceCents: number;
  currency: string;
  description: string;
  channel: string;
  counterpartyName: string | null;
  counterpartyAccount: string | null;
  category: string;
}

export interface SourceAccount { id: string; customerId: string; cardNumber: string; kind: string; currency: string }

export interface StatementSource {
  accounts(customerId: string): Promise<SourceAccount[]>;
  /** Rows with posted_at in [from, to) in time order, with the balance before the first row. */
  rows(accountId: string, from: string, to: string): Promise<{ openingBalanceCents: number; rows: StatementRow[] }>;
}

export function demoBankSource(db: Kysely<Database>): StatementSource {
  return {
    async accounts(customerId) {
      const rows = await db.selectFrom('accounts').select(['id', 'customer_id', 'card_number', 'kind', 'currency']).where('customer_id', '=', customerId).orderBy('id').execute();
      return rows.map((r) => ({ id: r.id, customerId: r.customer_id, cardNumber: r.card_number, kind: r.kind, currency: r.currency }));
    },
    async rows(accountId, from, to) {
      const rows = await db
        .selectFrom('transactions')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('posted_at', '>=', from)
        .where('posted_at', '<', to)
        .orderBy('posted_at')
        .orderBy('id')
        .execute();
      const first = rows[0];
      const openingBalanceCents = first ? first.balance_cents - first.amount_cents : await balanceBefore(db, accountId, from);
      return {
        openingBalanceCents,
        rows: rows.map((r) => ({
          postedAt: r.posted_at,
          amountCents: r.amount_cents,
          balanceCents: r.balance_cents,
          currency: r.currency,
          description: r.description,
          channel: r.channel,
          counterpartyName: r.counterparty_name,
          counterpartyAccount: r.counterparty_account,
          category: r.category,
        })),
      };
    },
  };
}

async function balanceBefore(db: Kysely<Database>, accountId: string, before: string): Promise<number> {
  const last = await db
    .selectFrom('transactions')
    .select('balance_cents')
    .where('account_id', '=', accountId)
    .where('posted_at', '<', before)
    .orderBy('posted_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return last?.balance_cents ?? 0;
}
