/**
 * The statement source: where statements come from. Flowguard never owns a bank's ledger; it reads
 * it through this interface, on behalf of the statement gate (src/access/statement-gate.ts), the only
 * caller. Adapters: the embedded demo bank (below), the bank's statement service over HTTPS
 * (sources/http-source.ts) and a read-only view in the bank's PostgreSQL (sources/sql-source.ts),
 * chosen by FLOWGUARD_SOURCE (sources/open-source.ts). One contract suite
 * (sources/statement-source.contract.ts) holds every adapter to the same answers.
 *
 * The contract, for every adapter:
 * - `accounts(customerId)`: the customer's accounts ordered by id (code-point order); an unknown customer has none ([]).
 *   Every account returned belongs to that customer.
 * - `rows(accountId, from, to)`: the rows posted in the half-open period [from, to), where from and
 *   to are ISO-8601 UTC instants or dates (a date is its 00:00 UTC), ordered by posting time and,
 *   within one instant, by the ledger's stable transaction id: the same question always gets the same
 *   rows in the same order. `postedAt` is `YYYY-MM-DDTHH:mm:ss.sssZ`; money is integer cents (fen);
 *   `balanceCents` is the balance after the row, `currency` an ISO 4217 code.
 *   `openingBalanceCents` is the balance just before the period: the first row's balance less its
 *   amount (an account migrated with a balance has no row for it), or with no row in the period the
 *   balance after the last row before it, 0 when there is none.
 * - Failures are a SourceError, never anything else: `unknown_account` (rows of an account the
 *   source does not know), `source_unavailable` (timeout, connection refused, the system answering
 *   5xx — after bounded retries; callers get 503), `source_invalid_response` (an answer that breaks
 *   this contract or its schema; callers get 502). Messages never quote the bank's data.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { FlowguardError } from '../errors.ts';
import { maskFullMobileNumbers, maskFullNumbers } from '../privacy/full-numbers.ts';

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
  /** Releases connections (HTTP agents, database pools); the source answers nothing afterwards. */
  close?(): Promise<void>;
}

/** The ways a source can fail; each is a code of the error table (src/errors.ts). */
export type SourceErrorCode = 'source_unavailable' | 'source_invalid_response' | 'unknown_account';

/**
 * A statement source's failure. The message is for the employee or customer who asked (no host
 * names, no credentials, none of the bank's data); `cause` carries what operators need in the log.
 */
export class SourceError extends FlowguardError {
  declare readonly code: SourceErrorCode;
  constructor(code: SourceErrorCode, message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(code, message, options?.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: options.retryAfterSeconds }, options);
  }
}

/** How long a caller refused with `source_unavailable` is told to wait before asking again. */
export const SOURCE_RETRY_AFTER_SECONDS = 30;

export function sourceUnavailable(what: string, cause: unknown): SourceError {
  return new SourceError('source_unavailable', `The bank's statement system is not answering (${what}); try again in a minute. If it keeps failing, tell the Flowguard operators.`, { cause: maskedCause(cause), retryAfterSeconds: SOURCE_RETRY_AFTER_SECONDS });
}

export function sourceInvalidResponse(what: string, cause?: unknown): SourceError {
  return new SourceError('source_invalid_response', `The bank's statement system answered in a form Flowguard cannot read (${what}); nothing was shown. Tell the Flowguard operators.`, { cause: maskedCause(cause) });
}

/**
 * The cause as the server log will print it: a driver's message can quote a value it choked on
 * (PostgreSQL: invalid input syntax for type bigint: "6217…"), so full numbers are masked and the
 * stack, which repeats the message, is dropped.
 */
function maskedCause(cause: unknown): Error | undefined {
  if (cause === undefined) return undefined;
  const original = cause instanceof Error ? cause : new Error(String(cause));
  const masked = Object.assign(new Error(maskFullMobileNumbers(maskFullNumbers(original.message))), { code: (original as NodeJS.ErrnoException).code });
  masked.name = original.name;
  masked.stack = `${masked.name}: ${masked.message}`;
  return masked;
}

export function unknownAccount(accountId: string): SourceError {
  return new SourceError('unknown_account', `The bank's statement system does not know account ${accountId}.`);
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
      // Only an empty period asks whether the account exists: rows found prove it, at no extra query.
      if (!first && !(await db.selectFrom('accounts').select('id').where('id', '=', accountId).executeTakeFirst())) throw unknownAccount(accountId);
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
