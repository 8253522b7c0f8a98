/**
 * "The entry is committed before the first byte of the response leaves" (issue 2, The record), shown
 * the hard way: a real `flowguard serve --demo` child process is SIGKILLed in the middle of a burst of
 * statement reads, restarted on the same database, and every statement a client received in full must
 * have its committed `statement.viewed` entry — same request, same watermark. Entries for statements
 * the server released but the client never received are allowed (committed, then killed before sending).
 *
 * A killed process cannot reveal a missing fsync (the operating system still holds its writes), so the
 * test also asserts the commit durability settings: synchronous=FULL on SQLite, synchronous_commit=on on
 * PostgreSQL.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { engines } from './engines.ts';
import { openStore } from '../src/store/database.ts';
import { parseEntry } from '../src/audit/record.ts';
import { startDemoServer, type DemoServer } from './demo-server.ts';

const PASSWORD = 'demo-only-flowguard';
/** 张伟, whose open counter-visit ticket is assigned to teller.sh01 in the demo bank. */
const CUSTOMER = 'C0000001';
/**
 * Crash-restart cycles per engine: each kills the server once this share of the statements the burst
 * can release has arrived, so the kill lands early, midway and late in a burst.
 */
const KILL_AT = [0.1, 0.3, 0.5];
const CONCURRENCY = 24;
/**
 * The demo clock is real time, and outside office hours (Asia/Shanghai, Mon–Fri 08:00–20:00) a
 * teller's request waits for manager.sh01. Every other cycle runs the server in a zone 12 hours
 * behind Shanghai, so on a weekday one of the two zones is off-hours and both paths get exercised:
 * a reusable allowed request, and many single-use approved requests.
 */
const ZONES = ['Asia/Shanghai', 'Etc/GMT+4'];

type Served = DemoServer;

function serve(dbUrl: string, dir: string, timeZone: string): Promise<Served> {
  return startDemoServer(dbUrl, { FLOWGUARD_TIME_ZONE: timeZone, FLOWGUARD_LOG_KEY_FILE: join(dir, 'log-signing.key'), FLOWGUARD_DEMO_PASSWORD: PASSWORD });
}

async function call(base: string, method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; json: any }> {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null };
}

async function login(base: string, username: string): Promise<string> {
  const r = await call(base, 'POST', '/api/v1/sessions', undefined, { username, password: PASSWORD });
  if (r.status !== 201) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json.token;
}

/**
 * Readable requests for the burst: one allowed request read many times (allowed requests are
 * reusable until they expire), or — off hours — many approved ones (each approval is single use), read
 * twice each so that some reads race for the same approval.
 */
async function prepareReads(base: string): Promise<{ path: 'allowed' | 'approved'; targets: string[]; releasable: number }> {
  const teller = await login(base, 'teller.sh01');
  const tickets = await call(base, 'GET', `/api/v1/my/tickets?customerId=${CUSTOMER}`, teller);
  expect(tickets.status).toBe(200);
  const reference = tickets.json[0].id as string;
  const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
  const body = { customerId: CUSTOMER, period: { from: day(90), to: day(1) }, purpose: 'service_ticket', reference, output: 'view' };
  const warning = (await call(base, 'GET', '/api/v1/legal-warning', teller)).json.version as string;
  const acknowledge = async (id: string) => expect((await call(base, 'POST', `/api/v1/statement-requests/${id}/acknowledgement`, teller, { version: warning })).status).toBe(201);

  const first = await call(base, 'POST', '/api/v1/statement-requests', teller, body);
  expect(first.status).toBe(201);
  if (first.json.status === 'allowed') {
    await acknowledge(first.json.id);
    return { path: 'allowed', targets: Array.from({ length: 240 }, () => first.json.id as string), releasable: 240 };
  }
  expect(first.json.status).toBe('pending_approval');
  const manager = await login(base, 'manager.sh01');
  const ids = [first.json.id as string];
  while (ids.length < 30) {
    const r = await call(base, 'POST', '/api/v1/statement-requests', teller, body);
    expect(r.json.status).toBe('pending_approval');
    ids.push(r.json.id);
  }
  for (const id of ids) {
    const a = await call(base, 'POST', `/api/v1/approvals/${id}`, manager, { verdict: 'approved', comment: '已核实工单，同意查询' });
    expect(a.json.status).toBe('approved');
    await acknowledge(id);
  }
  return { path: 'approved', targets: ids.flatMap((id) => [id, id]), releasable: ids.length };
}

interface Received { requestId: string; watermark: string }

/** Reads the targets with CONCURRENCY clients and SIGKILLs the server once `killAfter` statements arrived. */
async function burstAndKill(served: Served, token: string, targets: string[], killAfter: number) {
  const received: Received[] = [];
  let cut = 0;
  let next = 0;
  const client = async () => {
    while (next < targets.length) {
      const id = targets[next++]!;
      try {
        const r = await fetch(`${served.base}/api/v1/statement-requests/${id}/statement`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(15_000) });
        const text = await r.text();
        if (r.status !== 200) continue; // a single-use approval read twice: the loser gets 409
        const view = JSON.parse(text);
        received.push({ requestId: view.requestId, watermark: view.watermark.time });
        if (received.length === killAfter) served.proc.kill('SIGKILL');
      } catch {
        cut++; // connection refused or reset by the kill, or a body cut short: not received
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
  await served.exited;
  return { received, cut };
}

/** Every received statement has a committed statement.viewed entry with its request and watermark. */
async function assertEveryReceivedStatementRecorded(dbUrl: string, received: Received[]) {
  const store = await openStore(dbUrl);
  try {
    const ids = [...new Set(received.map((r) => r.requestId))];
    const rows = await store.db.selectFrom('audit_entries').select(['request_id', 'entry']).where('action', '=', 'statement.viewed').where('request_id', 'in', ids).execute();
    const recorded = new Map<string, number>();
    for (const row of rows) {
      const entry = parseEntry(Buffer.from(row.entry));
      expect(entry.action).toBe('statement.viewed');
      expect(entry.request).toBe(row.request_id);
      // The entry keeps the watermark's time, not its text (the text names the employee).
      if (entry.action !== 'statement.viewed' || typeof entry.detail.watermark === 'string') throw new Error('a statement.viewed entry of version 2 expected');
      const key = `${row.request_id} | ${entry.detail.watermark.time}`;
      recorded.set(key, (recorded.get(key) ?? 0) + 1);
    }
    // Several reads of one request may share a millisecond: compare counts.
    const wanted = new Map<string, number>();
    for (const r of received) wanted.set(`${r.requestId} | ${r.watermark}`, (wanted.get(`${r.requestId} | ${r.watermark}`) ?? 0) + 1);
    const missing = [...wanted].filter(([key, n]) => (recorded.get(key) ?? 0) < n).map(([key, n]) => `${key}: received ${n}, recorded ${recorded.get(key) ?? 0}`);
    expect(missing).toEqual([]);
  } finally {
    await store.close();
  }
}

/**
 * The durability settings of a connection opened the way the server opens its own: `serve` calls
 * openStore(config.dbUrl), and openStore sets them on every connection it makes (the SQLite pragma
 * in dialect/sqlite.ts, the PostgreSQL startup option in dialect/postgres.ts). The settings are per
 * connection and another process cannot read them, so the test opens the same URL through the same
 * function rather than asking the server. Neither answer comes for free: on a database already in
 * WAL mode this build of SQLite defaults to NORMAL (SQLITE_DEFAULT_WAL_SYNCHRONOUS=1), and on
 * PostgreSQL the test first turns synchronous_commit off as the database's default, so only the
 * store's own setting can make the answer "on".
 */
async function assertDurableCommits(dbUrl: string, engine: 'sqlite' | 'postgres') {
  const store = await openStore(dbUrl);
  try {
    const settings = await store.durability();
    if (engine === 'sqlite') expect(settings).toMatchObject({ synchronous: 'full', journal_mode: 'wal' });
    else expect(settings).toMatchObject({ synchronous_commit: 'on' });
  } finally {
    await store.close();
  }
}

async function weakenPostgresDefault(dbUrl: string) {
  const name = new URL(dbUrl).pathname.slice(1);
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    await client.query(`alter database ${client.escapeIdentifier(name)} set synchronous_commit = off`);
  } finally {
    await client.end();
  }
}

describe.each(engines)('SIGKILL during a burst of statement reads, on $name', (engine) => {
  let served: Served | undefined;
  afterAll(async () => {
    if (served && served.proc.exitCode === null && served.proc.signalCode === null) {
      served.proc.kill('SIGTERM');
      await served.exited;
    }
  });

  it('after each restart every statement a client received has its committed entry', async () => {
    const dbUrl = await engine.freshUrl();
    const dir = mkdtempSync(join(tmpdir(), 'fg-crash-'));
    if (engine.name === 'postgres') await weakenPostgresDefault(dbUrl);
    await assertDurableCommits(dbUrl, engine.name);

    served = await serve(dbUrl, dir, ZONES[0]!);
    for (const [cycle, share] of KILL_AT.entries()) {
      const { targets, releasable } = await prepareReads(served.base);
      const killAfter = Math.ceil(share * releasable);
      const token = await login(served.base, 'teller.sh01');
      const { received, cut } = await burstAndKill(served, token, targets, killAfter);
      expect(served.proc.signalCode).toBe('SIGKILL');
      expect(received.length).toBeGreaterThanOrEqual(killAfter);
      expect(cut).toBeGreaterThan(0); // the kill landed mid-burst: some reads never completed

      served = await serve(dbUrl, dir, ZONES[(cycle + 1) % ZONES.length]!);
      await assertEveryReceivedStatementRecorded(dbUrl, received);
    }
    await assertDurableCommits(dbUrl, engine.name);
  }, 85_000);
});
