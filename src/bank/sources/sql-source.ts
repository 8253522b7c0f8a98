/**
 * The statement source over two views in the bank's PostgreSQL, on a connection of its own that is
 * read-only twice over: the bank grants Flowguard's role SELECT on the views only (README.md in this
 * folder), and every session here starts with default_transaction_read_only on, so even a role
 * granted too much cannot write through Flowguard.
 *
 * The views (column names and types are the contract; the bank maps its ledger onto them):
 *
 *   statement_accounts(account_id text, customer_id text, card_number text, kind text, currency text)
 *   statement_transactions(transaction_id <any orderable type, unique>, account_id text,
 *     posted_at timestamptz, amount_cents bigint, balance_cents bigint, currency text,
 *     description text, channel text, counterparty_name text null, counterparty_account text null,
 *     category text)
 *
 * An index on statement_transactions' underlying table by (account_id, posted_at) keeps a period's
 * read to one range scan.
 */
import pg from 'pg';
import { sourceInvalidResponse, sourceUnavailable, unknownAccount, type SourceAccount, type StatementRow, type StatementSource } from '../statement-source.ts';
import { canonicalInstant, cents, checkAccounts, checkRows, periodBoundMs } from './contract-checks.ts';
import { DEFAULT_RETRY_POLICY, withRetries, type RetryPolicy } from './retry.ts';
import { FlowguardError } from '../../errors.ts';

export interface SqlSourceOptions {
  /** postgres://user@host:port/db of the bank's database; `?options=-c search_path=…` names the views' schema. */
  url: string;
  /** PEM: the CA of the database server's certificate and a client certificate and key (verify-full TLS). */
  tls?: { ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer };
  /** Per attempt: connecting, and each statement (statement_timeout). */
  timeoutMs?: number;
  retry?: RetryPolicy;
}

const DEFAULT_TIMEOUT_MS = 10_000;

const ACCOUNTS = `select account_id, customer_id, card_number, kind, currency from statement_accounts where customer_id = $1 order by account_id`;
const ROWS = `select transaction_id, posted_at, amount_cents, balance_cents, currency, description, channel, counterparty_name, counterparty_account, category
  from statement_transactions where account_id = $1 and posted_at >= $2::timestamptz and posted_at < $3::timestamptz order by posted_at, transaction_id`;
const BALANCE_BEFORE = `select balance_cents from statement_transactions where account_id = $1 and posted_at < $2::timestamptz order by posted_at desc, transaction_id desc limit 1`;
const ACCOUNT_EXISTS = `select 1 as known from statement_accounts where account_id = $1`;

/**
 * A pool whose every session is read-only, in UTC (a date bound means 00:00 UTC, as in the contract),
 * and bounded in time. Options already in the URL (a search_path) are kept.
 */
export function openReadOnlyPool(options: Pick<SqlSourceOptions, 'url' | 'tls' | 'timeoutMs'>): pg.Pool {
  const url = new URL(options.url);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const given = url.searchParams.get('options') ?? '';
  url.searchParams.delete('options');
  const session = `${given} -c default_transaction_read_only=on -c timezone=UTC -c statement_timeout=${timeoutMs}`.trim();
  const tls = options.tls;
  return new pg.Pool({
    connectionString: url.toString(),
    options: session,
    application_name: 'flowguard-statement-source',
    connectionTimeoutMillis: timeoutMs,
    max: 8,
    ...(tls && (tls.ca || tls.cert) ? { ssl: { rejectUnauthorized: true, ...tls } } : {}),
  });
}

export function sqlStatementSource(options: SqlSourceOptions): StatementSource {
  const pool = openReadOnlyPool(options);
  // An idle connection the server drops must not bring the process down; the next query reconnects.
  pool.on('error', () => {});
  const retry = options.retry ?? DEFAULT_RETRY_POLICY;
  const query = async (text: string, values: unknown[]): Promise<Record<string, unknown>[]> => {
    try {
      return await withRetries(retry, isTransient, async () => (await pool.query(text, values)).rows);
    } catch (error) {
      throw classify(error, retry);
    }
  };

  return {
    async accounts(customerId) {
      const rows = await query(ACCOUNTS, [customerId]);
      return checkAccounts(customerId, rows.map(toAccount));
    },
    async rows(accountId, from, to) {
      const [start, end] = [utcBound(from), utcBound(to)];
      const found = (await query(ROWS, [accountId, start, end])).map(toRow);
      checkRows(from, to, found);
      const first = found[0];
      if (first) return { openingBalanceCents: first.balanceCents - first.amountCents, rows: found };
      if ((await query(ACCOUNT_EXISTS, [accountId])).length === 0) throw unknownAccount(accountId);
      const before = (await query(BALANCE_BEFORE, [accountId, start]))[0];
      const opening = before ? cents(before.balance_cents) : 0;
      if (opening === null) throw sourceInvalidResponse('balance_cents before the period is not an integer');
      return { openingBalanceCents: opening, rows: [] };
    },
    async close() {
      await pool.end();
    },
  };
}

function utcBound(bound: string): string {
  const ms = periodBoundMs(bound);
  if (!Number.isFinite(ms)) throw new RangeError(`"${bound}" is not a date or an ISO-8601 instant`);
  return new Date(ms).toISOString();
}

function text(row: Record<string, unknown>, column: string, index: number, nullable = false): string {
  const v = row[column];
  if (typeof v === 'string' || (nullable && v === null)) return v as string;
  throw sourceInvalidResponse(`${column} of row #${index + 1} is not ${nullable ? 'text or null' : 'text'}`);
}

function toAccount(row: Record<string, unknown>, i: number): SourceAccount {
  return { id: text(row, 'account_id', i), customerId: text(row, 'customer_id', i), cardNumber: text(row, 'card_number', i), kind: text(row, 'kind', i), currency: text(row, 'currency', i) };
}

function toRow(row: Record<string, unknown>, i: number): StatementRow {
  const postedAt = row.posted_at instanceof Date || typeof row.posted_at === 'string' ? canonicalInstant(row.posted_at) : null;
  if (!postedAt) throw sourceInvalidResponse(`posted_at of row #${i + 1} is not a timestamptz`);
  const amountCents = cents(row.amount_cents);
  const balanceCents = cents(row.balance_cents);
  if (amountCents === null || balanceCents === null) throw sourceInvalidResponse(`amount_cents or balance_cents of row #${i + 1} is not an integer`);
  return {
    postedAt,
    amountCents,
    balanceCents,
    currency: text(row, 'currency', i),
    description: text(row, 'description', i),
    channel: text(row, 'channel', i),
    counterpartyName: text(row, 'counterparty_name', i, true),
    counterpartyAccount: text(row, 'counterparty_account', i, true),
    category: text(row, 'category', i),
  };
}

/** PostgreSQL's SQLSTATE of an error, when the server sent one (connection failures have none). */
function sqlState(error: unknown): string | null {
  return error instanceof pg.DatabaseError && typeof error.code === 'string' ? error.code : null;
}

/**
 * Worth another attempt: no connection (no SQLSTATE), a connection lost (class 08), the server out
 * of resources (53) or shutting down (57P01–57P03), a statement timeout (57014), a serialization
 * failure or deadlock (40001, 40P01). PostgreSQL 17, Appendix A.
 */
function isTransient(error: unknown): boolean {
  const state = sqlState(error);
  if (state === null) return !(error instanceof FlowguardError) && !(error instanceof RangeError);
  return state.startsWith('08') || state.startsWith('53') || ['57P01', '57P02', '57P03', '57014', '40001', '40P01'].includes(state);
}

/** Views missing or of another shape (42P01, 42703, 42883, 42804) and bad data (class 22) are the bank's view breaking the contract. */
function classify(error: unknown, retry: RetryPolicy): unknown {
  if (error instanceof FlowguardError || error instanceof RangeError) return error;
  const state = sqlState(error);
  if (isTransient(error)) {
    const what = state === '57014' ? 'a query ran past the time limit' : state === null ? 'no connection' : `database error ${state}`;
    return sourceUnavailable(`${what}, ${retry.retries + 1} attempts`, error);
  }
  if (state && (['42P01', '42703', '42883', '42804'].includes(state) || state.startsWith('22'))) {
    return sourceInvalidResponse(`the views do not have the documented shape (database error ${state})`, error);
  }
  return sourceUnavailable(`database error ${state ?? 'unknown'}`, error);
}
