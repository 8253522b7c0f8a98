/**
 * A bank's statement service as src/bank/sources/README.md describes it, over the demo bank's
 * tables, for the HTTP adapter's tests: node:http or node:https (mutual TLS when given a CA), paged,
 * with faults that can be queued one per request (slow, 500, malformed JSON, a schema mismatch…).
 * It is written from the README, not from the adapter, so the two can disagree and the tests see it.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import type { Database } from '../../../store/schema.ts';

export type Fault = 'slow' | 'status500' | 'status503' | 'status400' | 'malformed' | 'schema' | 'foreign-account' | 'outside-period' | 'html';

export interface StatementService {
  /** The base URL, with a path prefix as a real deployment might have. */
  readonly url: string;
  /** Requests received, faulty ones included. */
  requests: number;
  /** Consumed one per request, first to last; an empty queue serves the data. */
  readonly faults: Fault[];
  close(): Promise<void>;
}

export interface StatementServiceOptions {
  /** Rows per page; the adapter follows `nextCursor`. */
  pageSize?: number;
  /** The Authorization header every request must carry. */
  authorization?: string;
  /** How long a 'slow' fault holds the answer. */
  slowMs?: number;
  /** Serve HTTPS with this certificate; a `ca` here demands a client certificate it signed. */
  tls?: { cert: Buffer; key: Buffer; ca?: Buffer };
}

const PREFIX = '/statements/v1';

export async function startStatementService(db: Kysely<Database>, options: StatementServiceOptions = {}): Promise<StatementService> {
  const faults: Fault[] = [];
  const state = { requests: 0 };
  const handler = (request: http.IncomingMessage, response: http.ServerResponse) => {
    state.requests += 1;
    const fault = faults.shift();
    serve(db, options, fault, request).then(
      ({ status, body, type }) => {
        const send = () => {
          if (response.destroyed) return;
          response.writeHead(status, { 'content-type': type ?? 'application/json; charset=utf-8' });
          response.end(body);
        };
        if (fault === 'slow') setTimeout(send, options.slowMs ?? 1000);
        else send();
      },
      () => {
        response.writeHead(500).end();
      },
    );
  };
  const server = options.tls
    ? https.createServer({ cert: options.tls.cert, key: options.tls.key, ...(options.tls.ca ? { ca: options.tls.ca, requestCert: true, rejectUnauthorized: true } : {}) }, handler)
    : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}${PREFIX}`,
    get requests() {
      return state.requests;
    },
    set requests(n) {
      state.requests = n;
    },
    faults,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

interface Answer { status: number; body: string; type?: string }

const json = (status: number, value: unknown): Answer => ({ status, body: JSON.stringify(value) });

async function serve(db: Kysely<Database>, options: StatementServiceOptions, fault: Fault | undefined, request: http.IncomingMessage): Promise<Answer> {
  if (options.authorization && request.headers.authorization !== options.authorization) return json(401, { error: 'unauthorized' });
  if (fault === 'status500') return json(500, { error: 'internal' });
  if (fault === 'status503') return json(503, { error: 'maintenance' });
  if (fault === 'status400') return json(400, { error: 'bad request' });
  if (fault === 'malformed') return { status: 200, body: '{"accounts": [ {"id": "A-1",' };
  if (fault === 'html') return { status: 200, body: '<html>login</html>', type: 'text/html' };
  const url = new URL(request.url ?? '/', 'http://service');
  const path = url.pathname.startsWith(`${PREFIX}/`) ? url.pathname.slice(PREFIX.length) : null;
  const accountsPath = path && /^\/customers\/([^/]+)\/accounts$/.exec(path);
  if (request.method === 'GET' && accountsPath) {
    const customerId = decodeURIComponent(accountsPath[1]!);
    const customer = await db.selectFrom('customers').select('id').where('id', '=', customerId).executeTakeFirst();
    if (!customer) return json(404, { error: 'no such customer' });
    const accounts = await db.selectFrom('accounts').selectAll().where('customer_id', '=', customerId).orderBy('id').execute();
    return json(200, {
      accounts: accounts.map((a) => ({ id: a.id, customerId: fault === 'foreign-account' ? 'C-SOMEONE-ELSE' : a.customer_id, cardNumber: a.card_number, kind: a.kind, currency: a.currency })),
    });
  }
  const rowsPath = path && /^\/accounts\/([^/]+)\/transactions$/.exec(path);
  if (request.method === 'GET' && rowsPath) {
    const accountId = decodeURIComponent(rowsPath[1]!);
    const from = url.searchParams.get('from') ?? '';
    const to = url.searchParams.get('to') ?? '';
    if (!from || !to) return json(400, { error: 'from and to are required' });
    const account = await db.selectFrom('accounts').select('id').where('id', '=', accountId).executeTakeFirst();
    if (!account) return json(404, { error: 'no such account' });
    const all = await db.selectFrom('transactions').selectAll().where('account_id', '=', accountId).orderBy('posted_at').orderBy('id').execute();
    const [start, end] = [Date.parse(from), Date.parse(to)];
    const before = all.filter((t) => Date.parse(t.posted_at) < start).at(-1);
    const inPeriod = all.filter((t) => Date.parse(t.posted_at) >= start && Date.parse(t.posted_at) < end);
    const offset = Number(url.searchParams.get('cursor') ?? 0);
    const pageSize = options.pageSize ?? 1000;
    const page = inPeriod.slice(offset, offset + pageSize);
    const transactions = page.map((t) => ({
      id: String(t.id),
      postedAt: t.posted_at,
      amountCents: fault === 'schema' ? String(t.amount_cents) : t.amount_cents,
      balanceCents: t.balance_cents,
      currency: t.currency,
      description: t.description,
      channel: t.channel,
      counterpartyName: t.counterparty_name,
      counterpartyAccount: t.counterparty_account,
      category: t.category,
    }));
    if (fault === 'outside-period' && transactions[0]) transactions[0].postedAt = new Date(end + 1000).toISOString();
    const next = offset + pageSize < inPeriod.length ? String(offset + pageSize) : null;
    const first = inPeriod[0];
    const openingBalanceCents = first ? first.balance_cents - first.amount_cents : (before?.balance_cents ?? 0);
    return json(200, { accountId, openingBalanceCents, transactions, nextCursor: next });
  }
  return json(404, { error: 'no such endpoint' });
}
