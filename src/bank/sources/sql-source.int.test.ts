/**
 * The SQL adapter against a real PostgreSQL: the contract bank seeded into a fresh database, the
 * documented views created over its tables in a schema of their own (named through the URL's
 * search_path, as a bank would), then the contract suite and the failures a bank's database can have.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createServer } from 'node:net';
import { engines } from '../../../test/engines.ts';
import { C } from '../../../test/bank-fixture.ts';
import { openStore, type Store } from '../../store/database.ts';
import { openReadOnlyPool, sqlStatementSource } from './sql-source.ts';
import { openStatementSource } from './open-statement-source.ts';
import { loadSourceConfig } from './source-config.ts';
import { seedContractBank, type Ledger } from './test-support/contract-bank.ts';
import { describeStatementSourceContract, sourceErrorOf } from './test-support/statement-source-contract.ts';

const FAST_RETRY = { retries: 1, baseDelayMs: 5, maxDelayMs: 20 };
const postgres = engines.find((e) => e.name === 'postgres');

/** The documented views over the demo bank's tables, in `schema`; `columns` can break them on purpose. */
async function createViews(store: Store, schema: string, columns: { amount?: string; postedAt?: string; from?: string } = {}): Promise<void> {
  await sql.raw(`create schema ${schema}`).execute(store.db);
  await sql.raw(`create view ${schema}.statement_accounts as select id as account_id, customer_id, card_number, kind, currency from public.accounts${columns.from ?? ''}`).execute(store.db);
  await sql.raw(`create view ${schema}.statement_transactions as
    select id as transaction_id, account_id, ${columns.postedAt ?? 'posted_at::timestamptz'} as posted_at, ${columns.amount ?? 'amount_cents'} as amount_cents, balance_cents,
      currency, description, channel, counterparty_name, counterparty_account, category
    from public.transactions`).execute(store.db);
}

function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

describe.skipIf(!postgres)('SQL adapter over views in the bank\'s PostgreSQL', () => {
  let store: Store;
  let url: string;
  let ledger: Ledger;
  beforeAll(async () => {
    url = await postgres!.freshUrl();
    store = await openStore(url);
    ledger = await seedContractBank(store);
    await createViews(store, 'bank_views');
    await createViews(store, 'slow_views', { from: ', pg_sleep(0.5)' });
    await createViews(store, 'bad_views', { amount: `'12.50'::text` });
    await createViews(store, 'naive_views', { postedAt: 'posted_at' });
    await sql.raw('create schema empty_views').execute(store.db);
  }, 60_000);
  afterAll(async () => store?.close());

  describeStatementSourceContract('SQL views, configured by FLOWGUARD_SOURCE=sql', async () => {
    const source = openStatementSource(loadSourceConfig({ FLOWGUARD_SOURCE: 'sql', FLOWGUARD_SOURCE_URL: withSearchPath(url, 'bank_views') }), store.db);
    return { source, ledger, close: async () => source.close?.() };
  });

  it('its sessions are read-only: a write through its pool is refused by the server', async () => {
    const pool = openReadOnlyPool({ url: withSearchPath(url, 'bank_views') });
    try {
      const error = await pool.query('create table public.intruder (id int)').then(() => null, (e: { code?: string }) => e);
      expect(error?.code).toBe('25006'); // read_only_sql_transaction
      const path = await pool.query<{ search_path: string }>('show search_path');
      expect(path.rows[0]!.search_path).toBe('bank_views');
    } finally {
      await pool.end();
    }
  });

  it('nobody listening: source_unavailable after the retries', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const source = sqlStatementSource({ url: `postgres://postgres@127.0.0.1:${port}/postgres`, retry: FAST_RETRY, timeoutMs: 1000 });
    try {
      const error = await sourceErrorOf(source.accounts(C.retail));
      expect(error.code).toBe('source_unavailable');
      expect(error.message).toMatch(/no connection, 2 attempts/);
    } finally {
      await source.close?.();
    }
  });

  it('a query past the time limit is cancelled by the server, retried, then source_unavailable', async () => {
    const source = sqlStatementSource({ url: withSearchPath(url, 'slow_views'), retry: FAST_RETRY, timeoutMs: 150 });
    try {
      const error = await sourceErrorOf(source.accounts(C.retail));
      expect(error.code).toBe('source_unavailable');
      expect(error.message).toMatch(/ran past the time limit, 2 attempts/);
    } finally {
      await source.close?.();
    }
  });

  for (const [schema, why] of [
    ['empty_views', /do not have the documented shape \(database error 42P01\)/],
    ['bad_views', /amount_cents or balance_cents of row #1 is not an integer/],
    ['naive_views', /do not have the documented shape \(database error 42883\)/],
  ] as const) {
    it(`views of another shape (${schema}): source_invalid_response`, async () => {
      const source = sqlStatementSource({ url: withSearchPath(url, schema), retry: FAST_RETRY });
      try {
        const error = await sourceErrorOf(source.rows('A-RETAIL', '2026-08-01', '2026-09-01'));
        expect(error.code).toBe('source_invalid_response');
        expect(error.status).toBe(502);
        expect(error.message).toMatch(why);
      } finally {
        await source.close?.();
      }
    });
  }
});
