/**
 * Gateway benchmark (issue 2, `bench/gateway`): what every control costs on the statement path.
 *
 * Run: node bin/run-ts.mjs bench/gateway.ts [--db url] [--seconds N] [--concurrency N]
 *      (also --customers N --days N for the bank's size, --statements N, --iterations N, and
 *      --decision-only to skip the HTTP rounds and time the decision path alone)
 *
 * One run, one server, one database. A demo bank is seeded into a temporary SQLite file (or into the
 * empty PostgreSQL database `--db postgres://…` names), the real app listens on 127.0.0.1, and the
 * teller teller.sh01 holds an allowed, acknowledged 3-month `view` request for each of `--statements`
 * ordinary retail customers of her branch. Two variants are driven over HTTP with the same clients:
 *
 * - controlled: `GET /api/v1/statement-requests/:id/statement` — session and principal lookup, the
 *   gate's checks, rows through the source, masking, watermark, and the `statement.viewed` entry
 *   committed before the response;
 * - baseline: `GET /bench/raw/:id`, registered on the same app instance by this file only — the same
 *   customer, accounts and rows read through the same `demoBankSource`, returned unmasked, with no
 *   authentication, no decision and no record. The id resolves to (customer, accounts, period) from a
 *   map built at setup, because reading the request row is itself one of the gate's checks.
 *
 * Both pass the app's own plumbing (security headers, rate limiter, auth hook, metrics). The load
 * runs in a worker thread (its own event loop, so the clients do not share the server's), with
 * `--concurrency` keep-alive clients using Node's fetch, in rounds of A B | B A | … so slow drift
 * (page cache, WAL growth, CPU frequency) falls on both variants alike. On SQLite, 40 durable
 * commits are timed on the same disk before each controlled round: every view waits for one, so
 * their latency is printed beside the figures it moves.
 *
 * The decision path is then timed directly: `gatherFacts` (inside a transaction, as in a request)
 * and `PolicyEngine.decide()`, with Cedar's own share from `decision.cedarMicros`, for the same
 * requests as allowed and, asking for an unmasked field, as needing approval.
 *
 * Targets (issue 2): controlled/baseline throughput ≥ 0.5; decision p99 (facts + Cedar) < 1 ms.
 */
import { sql } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { AddressInfo } from 'node:net';
import { sqliteDriver } from '../src/store/dialect/sqlite.ts';
import { openStore, type Store } from '../src/store/database.ts';
import { loadConfig } from '../src/config.ts';
import { loadSettings } from '../src/access/settings.ts';
import { demoBankSource } from '../src/bank/statement-source.ts';
import { outboxSms } from '../src/notify/sms.ts';
import { buildApp } from '../src/server/app.ts';
import { GroupCommitter } from '../src/audit/log/group-commit.ts';
import type { AppContext } from '../src/server/context.ts';
import { DEMO, NAMED_EMPLOYEES, seedDemoBank } from '../src/bank/index.ts';
import { demoPassword } from '../src/cli/demo.ts';
import { hashPassword } from '../src/identity/passwords.ts';
import { gatherFacts, type RequestShape } from '../src/access/facts.ts';
import { checkReference, type ReferenceFacts } from '../src/access/references.ts';
import { loadStaffPrincipal } from '../src/identity/principal.ts';
import type { CustomerTable } from '../src/store/schema.ts';

/** Wednesday 2026-11-25 10:00 in Shanghai: office hours, so an ordinary request is allowed outright. */
const OFFICE_HOURS = '2026-11-25T02:00:00.000Z';
/** A 3-month statement: the 91 days up to the day before the clock. */
const PERIOD = { from: '2026-08-26', to: '2026-11-24' };
const PERIOD_DAYS = 91;
const TELLER = DEMO.employees.tellerSh01;
const TELLER_USERNAME = NAMED_EMPLOYEES.find((e) => e.id === TELLER)!.username;
const ROUNDS = 4;
const WARMUP_SECONDS = 2;
const DECISION_WARMUP = 5_000;
const DECISION_BATCH = 500;
/** Durable commits timed before each controlled round (SQLite only). */
const COMMIT_PROBES = 40;

interface Options { db: string | null; seconds: number; concurrency: number; customers: number; days: number; statements: number; iterations: number; decisionOnly: boolean }

function parseOptions(): Options {
  try {
    const { values } = parseArgs({
      strict: true,
      options: {
        db: { type: 'string' },
        seconds: { type: 'string', default: '20' },
        concurrency: { type: 'string', default: '8' },
        customers: { type: 'string', default: '1000' },
        days: { type: 'string', default: '365' },
        statements: { type: 'string', default: '20' },
        iterations: { type: 'string', default: '10000' },
        'decision-only': { type: 'boolean', default: false },
      },
    });
    const int = (name: string, v: string, min: number) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got "${v}"`);
      return n;
    };
    return {
      db: values.db ?? null,
      seconds: int('seconds', values.seconds, ROUNDS),
      concurrency: int('concurrency', values.concurrency, 1),
      customers: int('customers', values.customers, 200),
      days: int('days', values.days, PERIOD_DAYS + 1),
      statements: int('statements', values.statements, 1),
      iterations: int('iterations', values.iterations, 100),
      decisionOnly: values['decision-only'],
    };
  } catch (error) {
    console.error(`bench/gateway: ${(error as Error).message}. Usage: node bin/run-ts.mjs bench/gateway.ts [--db url] [--seconds N] [--concurrency N] [--customers N] [--statements N] [--iterations N] [--decision-only]`);
    process.exit(2);
  }
}

/** Ordinary retail customers of the teller's branch: no VIP, employee, relative, honeytoken or public figure. */
async function pickCustomers(store: Store, count: number): Promise<CustomerTable[]> {
  const db = store.db;
  const teller = await db.selectFrom('customers').select('address').where('employee_id', '=', TELLER).executeTakeFirst();
  const related = (await db.selectFrom('customer_relations').select('customer_id').where('employee_id', '=', TELLER).execute()).map((r) => r.customer_id);
  let q = db
    .selectFrom('customers')
    .selectAll()
    .where('branch_id', '=', DEMO.branches.SH01)
    .where('segment', '=', 'retail')
    .where('is_honeytoken', '=', 0)
    .where('is_public_figure', '=', 0)
    .where('employee_id', 'is', null);
  if (related.length > 0) q = q.where('id', 'not in', related);
  if (teller) q = q.where('address', '!=', teller.address);
  const rows = await q.orderBy('id').limit(count).execute();
  if (rows.length < count) throw new Error(`only ${rows.length} ordinary SH01 retail customers in this bank; pass a larger --customers or a smaller --statements`);
  if (rows[0]!.id !== DEMO.customers.retail) throw new Error(`expected the tour customer ${DEMO.customers.retail} first`);
  return rows;
}

interface Plan { requestId: string; customerId: string; accountIds: string[]; rows: number }

type Variant = 'controlled' | 'baseline';

interface RoundResult { count: number; errors: number; elapsedMs: number; bytes: number; latencies: number[]; firstError: string | null }

/**
 * The load generator, as plain JavaScript run in a worker thread: `concurrency` loops, each awaiting
 * one fetch (body read to the end) at a time on Node's keep-alive pool, for `seconds`.
 */
const LOAD_WORKER = `
const { parentPort } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
parentPort.on('message', async ({ urls, headers, seconds, concurrency }) => {
  const latencies = [];
  let count = 0, errors = 0, bytes = 0, next = 0, firstError = null;
  const started = performance.now();
  const end = started + seconds * 1000;
  async function client() {
    while (performance.now() < end) {
      const url = urls[next++ % urls.length];
      const t0 = performance.now();
      try {
        const res = await fetch(url, { headers });
        const body = await res.arrayBuffer();
        if (res.status !== 200) { errors++; firstError ??= res.status + ' ' + Buffer.from(body).toString('utf8').slice(0, 300); continue; }
        bytes += body.byteLength;
      } catch (e) { errors++; firstError ??= String(e); continue; }
      latencies.push(performance.now() - t0);
      count++;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, client));
  parentPort.postMessage({ count, errors, bytes, elapsedMs: performance.now() - started, latencies, firstError });
});
`;

function runInWorker(worker: Worker, job: { urls: string[]; headers: Record<string, string>; seconds: number; concurrency: number }): Promise<RoundResult> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    worker.once('error', onError);
    worker.once('message', (m: RoundResult) => {
      worker.off('error', onError);
      resolve(m);
    });
    worker.postMessage(job);
  });
}

function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))]!;
}

function summarise(rounds: RoundResult[]) {
  const latencies = Float64Array.from(rounds.flatMap((r) => r.latencies)).sort();
  const count = rounds.reduce((n, r) => n + r.count, 0);
  const seconds = rounds.reduce((n, r) => n + r.elapsedMs, 0) / 1000;
  return {
    requests: count,
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    rps: count / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    bytesPerResponse: Math.round(rounds.reduce((n, r) => n + r.bytes, 0) / Math.max(1, count)),
    perRoundRps: rounds.map((r) => Math.round(r.count / (r.elapsedMs / 1000))),
  };
}

async function main() {
  const opts = parseOptions();
  const loadBefore = loadavg()[0]!;
  const tempDir = opts.db === null ? mkdtempSync(join(tmpdir(), 'fg-bench-gateway-')) : null;
  const dbUrl = opts.db ?? `sqlite:${join(tempDir!, 'flowguard.db')}`;
  const store = await openStore(dbUrl);
  let worker: Worker | null = null;
  let app: Awaited<ReturnType<typeof buildApp>> | null = null;
  try {
    const seedStarted = performance.now();
    const passwordHash = await hashPassword(demoPassword());
    const seeded = await seedDemoBank(store, { seed: 1, customers: opts.customers, days: opts.days, passwordHash, asOf: OFFICE_HOURS });
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    // A bulk load leaves PostgreSQL's autovacuum to analyse half a million new rows, which it would
    // do in the middle of the measurement; a running bank's tables are not freshly loaded.
    if (store.engine.name === 'postgres') await sql`vacuum analyze`.execute(store.db);
    const clock = new Date(OFFICE_HOURS);
    // A long release TTL: each allowed request is released over and over for the whole run.
    const config = loadConfig({}, { secureCookies: false, releaseTtlMinutes: 24 * 60 });
    const settings = await loadSettings(store.db);
    const source = demoBankSource(store.db);
    const now = () => new Date(clock);
    const ctx: AppContext = { store, config, settings, source, sms: outboxSms, now, recorder: new GroupCommitter(store.db, { now }) };
    app = await buildApp(ctx, { logger: false, rateLimitMax: 1_000_000_000 });

    const plans = new Map<string, Plan>();
    registerBaseline(app, store, source, plans);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

    const customers = await pickCustomers(store, opts.statements);
    const token = await login(base);
    const auth = { authorization: `Bearer ${token}` };
    await openTickets(store, customers);
    for (const customer of customers) {
      const plan = await requestStatement(base, auth, store, customer.id);
      plans.set(plan.requestId, plan);
    }
    const requestIds = [...plans.keys()];
    const sanity = await checkSameStatement(base, auth, plans);

    let http: Awaited<ReturnType<typeof runRounds>> | null = null;
    if (!opts.decisionOnly) {
      worker = new Worker(LOAD_WORKER, { eval: true });
      http = await runRounds(worker, base, auth, requestIds, store, opts);
      await worker.terminate();
      worker = null;
    }
    const decision = {
      allow: await benchDecision(ctx, customers, opts.iterations, 'allow'),
      needsApproval: await benchDecision(ctx, customers, opts.iterations, 'needs_approval'),
    };
    // Other work on the machine moves every figure here; the 1-minute load average says how much.
    const load = { before: Number(loadBefore.toFixed(2)), after: Number(loadavg()[0]!.toFixed(2)) };

    const ms = (x: number) => x.toFixed(2).padStart(8);
    const us = (x: number) => x.toFixed(0).padStart(6);
    console.log(`bench/gateway — Node ${process.version}, ${cpus().length} CPUs, ${store.engine.name} (${opts.db === null ? 'temporary file' : store.location})`);
    console.log(`1-minute load average ${load.before} before, ${load.after} after (other processes on the machine skew every figure)`);
    console.log(`demo bank: ${opts.customers} customers × ${opts.days} days, ${seeded.totalRows} rows, seeded in ${seedSeconds.toFixed(1)} s`);
    console.log(`${opts.statements} customers, 3-month view (${PERIOD.from}..${PERIOD.to}), ${sanity.rowsPerStatement.toFixed(1)} rows a statement on average`);
    if (http) {
      const { controlled, baseline, ratio, commits, perRound } = http;
      console.log(`${opts.concurrency} keep-alive clients in a worker; ${ROUNDS} rounds × ${perRound} s per variant, alternating order, after ${WARMUP_SECONDS} s warm-up each`);
      console.log('');
      console.log('variant       requests      req/s    p50 ms   p99 ms   bytes/resp   req/s per round');
      for (const [name, s] of [['controlled', controlled], ['baseline', baseline]] as const) {
        console.log(`${name.padEnd(12)} ${String(s.requests).padStart(9)} ${s.rps.toFixed(0).padStart(10)} ${ms(s.p50Ms)} ${ms(s.p99Ms)} ${String(s.bytesPerResponse).padStart(12)}   ${s.perRoundRps.join(' ')}`);
      }
      console.log(`ratio (controlled / baseline throughput): ${ratio.toFixed(2)}   target ≥ 0.5: ${ratio >= 0.5 ? 'met' : 'MISSED'}`);
      if (commits) {
        console.log(`durable commit on this disk (WAL, synchronous=FULL; ${COMMIT_PROBES} before each controlled round): p50 ${(commits.p50 / 1000).toFixed(2)} ms, p99 ${(commits.p99 / 1000).toFixed(2)} ms; p50 per round ${commits.p50PerRound.map((x) => (x / 1000).toFixed(2)).join(' ')} ms`);
      }
    }
    for (const [path, d] of [['allow', decision.allow], ['needs_approval', decision.needsApproval]] as const) {
      console.log('');
      console.log(`decision path, ${path.padEnd(14)} × ${opts.iterations} (after ${DECISION_WARMUP} warm-up)   p50 µs   p99 µs   mean µs`);
      for (const [name, s] of [['gatherFacts', d.facts], ['decide()', d.decide], ['  of which Cedar', d.cedar], ['facts + decide', d.total]] as const) {
        console.log(`  ${name.padEnd(52)} ${us(s.p50)}   ${us(s.p99)}   ${us(s.mean)}`);
      }
      console.log(`Cedar's share: ${(100 * d.cedarShareOfTotal).toFixed(1)}% of facts + decide, ${(100 * d.cedarShareOfDecide).toFixed(1)}% of decide()`);
      console.log(`decision p99 target < 1000 µs: ${d.total.p99 < 1000 ? 'met' : 'MISSED'}`);
    }
    const json = (d: typeof decision.allow) => ({
      factsMicros: d.facts,
      decideMicros: d.decide,
      cedarMicros: d.cedar,
      totalMicros: d.total,
      cedarShareOfTotal: Number(d.cedarShareOfTotal.toFixed(3)),
      cedarShareOfDecide: Number(d.cedarShareOfDecide.toFixed(3)),
    });
    console.log(JSON.stringify({
      bench: 'gateway',
      node: process.version,
      cpus: cpus().length,
      loadAverage: load,
      engine: store.engine.name,
      customers: opts.customers,
      days: opts.days,
      statements: opts.statements,
      rowsPerStatement: Number(sanity.rowsPerStatement.toFixed(1)),
      concurrency: opts.concurrency,
      secondsPerVariant: http ? opts.seconds : 0,
      controlled: http?.controlled ?? null,
      baseline: http?.baseline ?? null,
      ratio: http ? Number(http.ratio.toFixed(3)) : null,
      durableCommitMicros: http?.commits ?? null,
      decision: { iterations: opts.iterations, ...json(decision.allow), needsApproval: json(decision.needsApproval) },
    }));
  } finally {
    if (worker) await worker.terminate();
    if (app) await app.close();
    await store.close();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

/** Rounds of A B | B A | … over HTTP, with durable commits probed before each controlled round on SQLite. */
async function runRounds(worker: Worker, base: string, auth: Record<string, string>, requestIds: string[], store: Store, opts: Options) {
  const job = (variant: Variant, seconds: number) => runInWorker(worker, {
    urls: requestIds.map((id) => (variant === 'controlled' ? `${base}/api/v1/statement-requests/${id}/statement` : `${base}/bench/raw/${id}`)),
    headers: variant === 'controlled' ? auth : {},
    seconds,
    concurrency: opts.concurrency,
  });
  await job('controlled', WARMUP_SECONDS);
  await job('baseline', WARMUP_SECONDS);
  const results: Record<Variant, RoundResult[]> = { controlled: [], baseline: [] };
  const perRound = opts.seconds / ROUNDS;
  const commitProbes: number[][] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order: Variant[] = round % 2 === 0 ? ['controlled', 'baseline'] : ['baseline', 'controlled'];
    for (const variant of order) {
      if (variant === 'controlled' && store.engine.name === 'sqlite') commitProbes.push(probeDurableCommits(dirname(store.location), COMMIT_PROBES));
      const r = await job(variant, perRound);
      if (r.errors > 0) throw new Error(`${variant}: ${r.errors} failed requests in round ${round + 1}; first: ${r.firstError}`);
      results[variant].push(r);
    }
  }
  const controlled = summarise(results.controlled);
  const baseline = summarise(results.baseline);
  const commits = commitProbes.length === 0 ? null : {
    ...stat(commitProbes.flat().map((x) => x * 1000)),
    p50PerRound: commitProbes.map((probe) => stat(probe.map((x) => x * 1000)).p50),
  };
  return { controlled, baseline, ratio: controlled.rps / baseline.rps, commits, perRound };
}

/** The no-controls route: same source, same rows, unmasked; no auth, no decision, no record. */
function registerBaseline(app: Awaited<ReturnType<typeof buildApp>>, store: Store, source: AppContext['source'], plans: Map<string, Plan>): void {
  app.get('/bench/raw/:requestId', { schema: { hide: true } }, async (req, reply) => {
    const plan = plans.get((req.params as { requestId: string }).requestId);
    if (!plan) return reply.code(404).send({ error: 'unknown request' });
    const customer = await store.db.selectFrom('customers').selectAll().where('id', '=', plan.customerId).executeTakeFirstOrThrow();
    const accounts = (await source.accounts(customer.id)).filter((a) => plan.accountIds.includes(a.id));
    const toExclusive = new Date(Date.parse(PERIOD.to) + 86_400_000).toISOString().slice(0, 10);
    const withRows = await Promise.all(accounts.map(async (account) => ({ account, ...(await source.rows(account.id, PERIOD.from, toExclusive)) })));
    return {
      requestId: plan.requestId,
      period: PERIOD,
      customer: { id: customer.id, name: customer.name, idNumber: customer.id_number, mobile: customer.mobile },
      accounts: withRows.map(({ account, openingBalanceCents, rows }) => ({
        id: account.id,
        cardNumber: account.cardNumber,
        currency: account.currency,
        openingBalanceCents,
        closingBalanceCents: rows.at(-1)?.balanceCents ?? openingBalanceCents,
        rows,
      })),
    };
  });
}

async function login(base: string): Promise<string> {
  const r = await fetch(`${base}/api/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: TELLER_USERNAME, password: demoPassword() }) });
  if (r.status !== 201) throw new Error(`login ${TELLER_USERNAME}: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { token: string }).token;
}

/** The tour customer has an open counter-visit ticket for the teller; give the others one too. */
async function openTickets(store: Store, customers: CustomerTable[]): Promise<void> {
  for (const customer of customers) {
    const open = await store.db.selectFrom('service_tickets').select('id').where('customer_id', '=', customer.id).where('assigned_employee_id', '=', TELLER)
      .where('status', '=', 'open').where('kind', 'in', ['counter_visit', 'call']).executeTakeFirst();
    if (open) continue;
    await store.db.insertInto('service_tickets').values({
      id: `T-BENCH-${customer.id}`, customer_id: customer.id, assigned_employee_id: TELLER, kind: 'counter_visit', status: 'open',
      document_number: null, opened_at: new Date(Date.parse(OFFICE_HOURS) - 3_600_000).toISOString(), closed_at: null,
    }).execute();
  }
}

/** Request, read the decision (must be allowed), acknowledge the warning — as a teller would. */
async function requestStatement(base: string, auth: Record<string, string>, store: Store, customerId: string): Promise<Plan> {
  const json = { ...auth, 'content-type': 'application/json' };
  const tickets = (await (await fetch(`${base}/api/v1/my/tickets?customerId=${customerId}`, { headers: auth })).json()) as Array<{ id: string }>;
  if (!tickets[0]) throw new Error(`no open ticket of ${customerId} for ${TELLER_USERNAME}`);
  const r = await fetch(`${base}/api/v1/statement-requests`, {
    method: 'POST', headers: json,
    body: JSON.stringify({ customerId, period: PERIOD, purpose: 'service_ticket', reference: tickets[0].id, output: 'view' }),
  });
  const decision = (await r.json()) as { id: string; status: string; reason: { en: string }; legalWarning: { version: string } | null };
  if (r.status !== 201 || decision.status !== 'allowed') throw new Error(`request for ${customerId}: ${r.status} ${JSON.stringify(decision)}`);
  const ack = await fetch(`${base}/api/v1/statement-requests/${decision.id}/acknowledgement`, { method: 'POST', headers: json, body: JSON.stringify({ version: decision.legalWarning!.version }) });
  if (ack.status !== 201) throw new Error(`acknowledgement ${decision.id}: ${ack.status} ${await ack.text()}`);
  const row = await store.db.selectFrom('statement_requests').select(['account_ids']).where('id', '=', decision.id).executeTakeFirstOrThrow();
  return { requestId: decision.id, customerId, accountIds: JSON.parse(row.account_ids) as string[], rows: 0 };
}

interface StatementBody { customer: { name: string | null }; accounts: Array<{ cardNumber: string | null; rows: unknown[] }> }

/** Both routes must return the same statement: same accounts, same rows; masked through the gate only. */
async function checkSameStatement(base: string, auth: Record<string, string>, plans: Map<string, Plan>): Promise<{ rowsPerStatement: number }> {
  let rows = 0;
  for (const plan of plans.values()) {
    const gated = (await (await fetch(`${base}/api/v1/statement-requests/${plan.requestId}/statement`, { headers: auth })).json()) as StatementBody;
    const raw = (await (await fetch(`${base}/bench/raw/${plan.requestId}`)).json()) as StatementBody;
    const count = (s: StatementBody) => s.accounts.reduce((n, a) => n + a.rows.length, 0);
    if (count(gated) !== count(raw) || gated.accounts.length !== raw.accounts.length || count(raw) === 0) {
      throw new Error(`${plan.requestId}: gated ${count(gated)} rows, raw ${count(raw)} rows`);
    }
    if (!gated.customer.name?.includes('*') || raw.customer.name?.includes('*') || gated.accounts[0]!.cardNumber === raw.accounts[0]!.cardNumber) {
      throw new Error(`${plan.requestId}: the gated statement is not masked, or the raw one is`);
    }
    plan.rows = count(raw);
    rows += plan.rows;
  }
  return { rowsPerStatement: rows / plans.size };
}

/**
 * Times single-row durable commits in a scratch SQLite file beside the database (WAL,
 * synchronous=FULL, as the store opens it): each statement view waits for one such commit, and on
 * a shared disk its latency moves the controlled variant more than anything else.
 */
function probeDurableCommits(dir: string, count: number): number[] {
  const probeDir = mkdtempSync(join(dir, 'fsync-probe-'));
  const db = new (sqliteDriver())(join(probeDir, 'probe.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('create table probe (b blob)');
    const insert = db.prepare('insert into probe (b) values (?)');
    const entry = Buffer.alloc(1024);
    const millis: number[] = [];
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      insert.run(entry);
      millis.push(performance.now() - started);
    }
    return millis;
  } finally {
    db.close();
    rmSync(probeDir, { recursive: true, force: true });
  }
}

interface Stat { p50: number; p99: number; mean: number }

function stat(samples: number[]): Stat {
  const sorted = Float64Array.from(samples).sort();
  const mean = samples.reduce((s, x) => s + x, 0) / samples.length;
  const round = (x: number) => Number(x.toFixed(1));
  return { p50: round(percentile(sorted, 0.5)), p99: round(percentile(sorted, 0.99)), mean: round(mean) };
}

/**
 * The decision as `submitStatementRequest` makes it: facts gathered inside a transaction, then one
 * `decide()`, which asks Cedar once (the monitor flags' answer for these facts is remembered after
 * the first). Asking for an unmasked field holds the same requests for approval. The reference
 * check is not part of the target.
 */
async function benchDecision(ctx: AppContext, customers: CustomerTable[], iterations: number, expected: 'allow' | 'needs_approval') {
  const db = ctx.store.db;
  const staff = await loadStaffPrincipal(db, TELLER, 'bearer');
  if (!staff) throw new Error('teller not found');
  const purpose = ctx.settings.purposes().get('service_ticket')!;
  const now = ctx.now();
  const inputs: Array<{ customer: CustomerTable; shape: RequestShape; ref: ReferenceFacts }> = [];
  for (const customer of customers) {
    const ticket = await db.selectFrom('service_tickets').select('id').where('customer_id', '=', customer.id).where('assigned_employee_id', '=', TELLER).where('status', '=', 'open').executeTakeFirstOrThrow();
    const accountCount = (await db.selectFrom('accounts').select('id').where('customer_id', '=', customer.id).execute()).length;
    const ref = await db.transaction().execute((tx) => checkReference(tx, purpose, { customerId: customer.id, employeeId: TELLER, reference: ticket.id }, now, ctx.config.codeMaxAttempts));
    const unmaskedFields = expected === 'allow' ? [] : ['counterparty_name'];
    inputs.push({ customer, ref, shape: { purpose: purpose.id, output: 'view', unmaskedFields, accountCount, periodDays: PERIOD_DAYS, breakGlass: false } });
  }
  const engine = ctx.settings.policy();
  const facts: number[] = [];
  const decide: number[] = [];
  const cedar: number[] = [];
  const total: number[] = [];
  for (let done = -DECISION_WARMUP; done < iterations; done += DECISION_BATCH) {
    await db.transaction().execute(async (tx) => {
      for (let i = 0; i < DECISION_BATCH; i++) {
        const { customer, shape, ref } = inputs[(done + i + DECISION_WARMUP) % inputs.length]!;
        const t0 = performance.now();
        const f = await gatherFacts(tx, staff, customer, shape, ref, now, ctx.config.timeZone);
        const t1 = performance.now();
        const d = engine.decide(f);
        const t2 = performance.now();
        if (d.outcome !== expected) throw new Error(`decision for ${customer.id}: ${d.outcome} ${d.policyIds.join(',')}`);
        if (done + i < 0) continue;
        facts.push((t1 - t0) * 1000);
        decide.push((t2 - t1) * 1000);
        cedar.push(d.cedarMicros);
        total.push((t2 - t0) * 1000);
      }
    });
  }
  const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
  return {
    facts: stat(facts),
    decide: stat(decide),
    cedar: stat(cedar),
    total: stat(total),
    cedarShareOfTotal: sum(cedar) / sum(total),
    cedarShareOfDecide: sum(cedar) / sum(decide),
  };
}

await main();
