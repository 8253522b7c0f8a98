/**
 * The statement source over the bank's statement service: JSON over HTTPS, optionally with mutual
 * TLS and an Authorization header. Both endpoints are GETs, so a timeout, a refused connection or a
 * 5xx answer is retried with backoff (retry.ts) before the caller is told `source_unavailable`.
 *
 * The service the bank provides (src/bank/sources/README.md has the full description):
 *
 *   GET {base}/customers/{customerId}/accounts
 *     200 { "accounts": [ { "id", "customerId", "cardNumber", "kind", "currency" } ] }
 *     404 the customer is unknown (Flowguard reads: no accounts)
 *   GET {base}/accounts/{accountId}/transactions?from=…&to=…[&cursor=…]
 *     200 { "accountId", "openingBalanceCents", "transactions": [ { "id", "postedAt", "amountCents",
 *           "balanceCents", "currency", "description", "channel", "counterpartyName",
 *           "counterpartyAccount", "category" } ], "nextCursor": string | null (optional) }
 *     404 the account is unknown (unknown_account)
 *
 * Answers are checked against the schemas below (typebox) and the contract (contract-checks.ts);
 * nothing from a body ever reaches a message or the log, so no card number can leak through one.
 */
import http from 'node:http';
import https from 'node:https';
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { FlowguardError } from '../../errors.ts';
import { sourceInvalidResponse, sourceUnavailable, unknownAccount, type SourceAccount, type StatementRow, type StatementSource } from '../statement-source.ts';
import { canonicalInstant, checkAccounts, checkRows } from './contract-checks.ts';
import { DEFAULT_RETRY_POLICY, withRetries, type RetryPolicy } from './retry.ts';

export interface HttpSourceOptions {
  /** The service's base URL: https://…, or http:// on a loopback address (tests, a local sidecar). */
  baseUrl: string;
  /** The Authorization header's value, e.g. "Bearer …" (from FLOWGUARD_SOURCE_AUTHORIZATION). */
  authorization?: string;
  /** PEM: the CA that signed the service's certificate (replaces the system CAs), and the client certificate and key for mutual TLS. */
  tls?: { ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer };
  /** Per attempt, from sending the request to the last byte of the answer. */
  timeoutMs?: number;
  retry?: RetryPolicy;
}

export const DEFAULT_SOURCE_TIMEOUT_MS = 10_000;
/** Five years of a busy account is a few MB; an answer beyond this is not a statement page. */
const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
/** Pages of one period; a service that keeps handing out cursors is looping. */
const MAX_PAGES = 1000;

const Id = Type.String({ minLength: 1, maxLength: 128 });
const Text = (maxLength: number) => Type.String({ maxLength });
const Cents = Type.Integer({ minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER });
const Currency = Type.String({ pattern: '^[A-Z]{3}$' });

const AccountSchema = Type.Object({
  id: Id,
  customerId: Id,
  cardNumber: Type.String({ pattern: '^[0-9]{12,19}$' }),
  kind: Type.String({ minLength: 1, maxLength: 32 }),
  currency: Currency,
});
const AccountsSchema = Type.Object({ accounts: Type.Array(AccountSchema, { maxItems: 10_000 }) });

const TransactionSchema = Type.Object({
  id: Id,
  postedAt: Type.String({ minLength: 20, maxLength: 40 }),
  amountCents: Cents,
  balanceCents: Cents,
  currency: Currency,
  description: Text(1000),
  channel: Text(64),
  counterpartyName: Type.Union([Text(400), Type.Null()]),
  counterpartyAccount: Type.Union([Text(64), Type.Null()]),
  category: Text(64),
});
const TransactionsSchema = Type.Object({
  accountId: Id,
  openingBalanceCents: Cents,
  transactions: Type.Array(TransactionSchema, { maxItems: 100_000 }),
  nextCursor: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 1024 }), Type.Null()])),
});

const accountsAnswer = Compile(AccountsSchema);
const transactionsAnswer = Compile(TransactionsSchema);

/** A failure worth another attempt; the message says which, in words safe to show. */
class Transient extends Error {}

/** Network errors a repeat may not meet: the service restarting, a connection dropped on the way. */
const TRANSIENT_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** HTTP statuses that say "not now" rather than "not this" (RFC 9110 §15.6, §15.5.9; RFC 6585 §4). */
const TRANSIENT_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

export function httpStatementSource(options: HttpSourceOptions): StatementSource {
  const base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  assertTransportAllowed(base);
  const timeoutMs = options.timeoutMs ?? DEFAULT_SOURCE_TIMEOUT_MS;
  const retry = options.retry ?? DEFAULT_RETRY_POLICY;
  const agent = base.protocol === 'https:'
    ? new https.Agent({ keepAlive: true, maxSockets: 16, ...(options.tls ?? {}) })
    : new http.Agent({ keepAlive: true, maxSockets: 16 });
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'flowguard-statement-source/1' };
  if (options.authorization) headers.authorization = options.authorization;

  /** One GET, retried while it fails in a way that may pass; 404 is an answer, not a failure. */
  const get = (url: URL): Promise<unknown | 404> =>
    withRetries(retry, (e) => e instanceof Transient, () => getOnce(url, agent, headers, timeoutMs)).catch((error: unknown) => {
      if (error instanceof Transient) throw sourceUnavailable(`${error.message}, ${retry.retries + 1} attempts`, error);
      throw error;
    });

  return {
    async accounts(customerId) {
      const body = await get(new URL(`customers/${encodeURIComponent(customerId)}/accounts`, base));
      if (body === 404) return [];
      if (!accountsAnswer.Check(body)) throw schemaMismatch('the accounts answer', accountsAnswer.Errors(body));
      return checkAccounts(customerId, body.accounts.map((a): SourceAccount => ({ id: a.id, customerId: a.customerId, cardNumber: a.cardNumber, kind: a.kind, currency: a.currency })));
    },
    async rows(accountId, from, to) {
      const rows: StatementRow[] = [];
      const ids = new Set<string>();
      let openingBalanceCents: number | undefined;
      let cursor: string | null | undefined;
      for (let page = 0; page === 0 || cursor; page++) {
        if (page >= MAX_PAGES) throw sourceInvalidResponse(`more than ${MAX_PAGES} pages for one period`);
        const url = new URL(`accounts/${encodeURIComponent(accountId)}/transactions`, base);
        url.searchParams.set('from', from);
        url.searchParams.set('to', to);
        if (cursor) url.searchParams.set('cursor', cursor);
        const body = await get(url);
        if (body === 404) throw unknownAccount(accountId);
        if (!transactionsAnswer.Check(body)) throw schemaMismatch('the transactions answer', transactionsAnswer.Errors(body));
        if (body.accountId !== accountId) throw sourceInvalidResponse('the transactions answer is for another account than the one asked for');
        openingBalanceCents ??= body.openingBalanceCents;
        for (const t of body.transactions) {
          if (ids.has(t.id)) throw sourceInvalidResponse(`row #${rows.length + 1} repeats a transaction id`);
          ids.add(t.id);
          rows.push(toRow(t, rows.length));
        }
        cursor = body.nextCursor;
      }
      checkRows(from, to, rows);
      return { openingBalanceCents: openingBalanceCents ?? 0, rows };
    },
    async close() {
      agent.destroy();
    },
  };
}

function toRow(t: Static<typeof TransactionSchema>, index: number): StatementRow {
  const postedAt = canonicalInstant(t.postedAt);
  if (!postedAt) throw sourceInvalidResponse(`row #${index + 1} has a postedAt that is not an ISO-8601 instant with an offset`);
  return {
    postedAt,
    amountCents: t.amountCents,
    balanceCents: t.balanceCents,
    currency: t.currency,
    description: t.description,
    channel: t.channel,
    counterpartyName: t.counterpartyName,
    counterpartyAccount: t.counterpartyAccount,
    category: t.category,
  };
}

/** Names the first field that broke the schema, never its value (it may be a card number). */
function schemaMismatch(what: string, errors: ReadonlyArray<{ instancePath: string; message: string }>) {
  const first = errors[0];
  const where = first?.instancePath ? `at ${first.instancePath.replace(/\/\d+(?=\/|$)/g, (m) => `[${m.slice(1)}]`)}` : 'at its top level';
  return sourceInvalidResponse(`${what} does not match the documented schema ${where}`);
}

/**
 * Statements cross the network only encrypted: plain HTTP is refused except to this machine
 * (a sidecar that terminates TLS, or a test server).
 */
export function assertTransportAllowed(base: URL): void {
  if (base.protocol === 'https:') return;
  const loopback = base.hostname === 'localhost' || base.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(base.hostname);
  if (base.protocol === 'http:' && loopback) return;
  throw new Error(`The statement service URL must be https:// (plain http:// only to a loopback address); got ${base.protocol}//${base.hostname}.`);
}

/** One attempt: the parsed JSON body, 404, or an error (Transient when another attempt may succeed). */
function getOnce(url: URL, agent: http.Agent, headers: Record<string, string>, timeoutMs: number): Promise<unknown | 404> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(url, { method: 'GET', agent, headers });
    const timer = setTimeout(() => request.destroy(new Transient(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const fail = (error: unknown) => {
      clearTimeout(timer);
      reject(classify(error));
    };
    request.on('error', fail);
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      response.on('error', fail);
      if (status !== 200) {
        response.resume();
        if (status === 404) {
          clearTimeout(timer);
          resolve(404);
        } else fail(statusError(status));
        return;
      }
      if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(response.headers['content-type'] ?? '')) {
        response.resume();
        fail(sourceInvalidResponse('the answer is not JSON (Content-Type)'));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) request.destroy(sourceInvalidResponse(`the answer is larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB`));
        else chunks.push(chunk);
      });
      response.on('end', () => {
        clearTimeout(timer);
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          reject(sourceInvalidResponse('the answer is not valid JSON'));
        }
      });
    });
    request.end();
  });
}

function statusError(status: number): Error {
  if (TRANSIENT_STATUSES.has(status)) return new Transient(`HTTP ${status}`);
  if (status === 401 || status === 403) return sourceUnavailable(`it refused Flowguard's credentials, HTTP ${status}`, new Error(`HTTP ${status}`));
  return sourceInvalidResponse(`HTTP ${status}`);
}

/** Our own errors pass as they are; network errors become Transient or, when a retry cannot help (TLS), unavailable. */
function classify(error: unknown): unknown {
  if (error instanceof Transient || error instanceof FlowguardError) return error;
  const code = (error as NodeJS.ErrnoException)?.code ?? '';
  if (TRANSIENT_NETWORK_CODES.has(code)) return new Transient(code === 'ECONNREFUSED' ? 'connection refused' : `connection failed (${code})`);
  return sourceUnavailable(code ? `connection failed (${code})` : 'connection failed', error);
}
