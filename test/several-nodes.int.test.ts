/**
 * Two Flowguard nodes on one database (issue 10 item 9): two apps over two stores opened on the same
 * PostgreSQL database (or the same SQLite file), as two servers behind a load balancer would run. A
 * masking or policy change applied on one is in force on the other within seconds, and a rate limit
 * of N a minute is N across both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openStore, type Store } from '../src/store/database.ts';
import { loadConfig } from '../src/config.ts';
import { loadSettings, watchSettings } from '../src/access/settings.ts';
import { demoBankSource } from '../src/bank/statement-source.ts';
import { outboxSms } from '../src/notify/sms.ts';
import { buildApp } from '../src/server/app.ts';
import type { AppContext } from '../src/server/context.ts';
import { loadDefaultPolicyText } from '../src/access/policy-files.ts';
import { C, OFFICE_HOURS, PASSWORD, T, seedTestBank } from './bank-fixture.ts';
import { engines } from './engines.ts';

const PERIOD = { from: '2026-08-01', to: '2026-10-31' };
/** The poll interval the nodes run with here; the default is 2 s (FLOWGUARD_SETTINGS_POLL_MS). */
const POLL_MS = 200;
/** How long a change may take to reach the other node in these tests. */
const WITHIN_MS = 3000;

interface Node { ctx: AppContext; app: FastifyInstance; stopWatch(): void }

/** What the nodes' settings polls reported: nothing, in these tests. */
const pollErrors: unknown[] = [];

async function startNode(store: Store, clock: { now: Date }, rateLimitMax: number): Promise<Node> {
  const config = loadConfig({}, { secureCookies: false });
  const settings = await loadSettings(store.db);
  const ctx: AppContext = { store, config, settings, source: demoBankSource(store.db), sms: outboxSms, now: () => new Date(clock.now) };
  const app = await buildApp(ctx, { logger: false, rateLimitMax });
  const watch = watchSettings(settings, POLL_MS, (error) => pollErrors.push(error));
  return { ctx, app, stopWatch: watch.stop };
}

async function login(node: Node, username: string): Promise<string> {
  const r = await node.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { username, password: PASSWORD } });
  if (r.statusCode !== 201) throw new Error(`login ${username}: ${r.statusCode} ${r.body}`);
  return r.json().token as string;
}

function as(node: Node, token: string) {
  const headers = { authorization: `Bearer ${token}` };
  return {
    get: (url: string) => node.app.inject({ method: 'GET', url, headers }),
    post: (url: string, payload: object) => node.app.inject({ method: 'POST', url, headers, payload }),
  };
}

/** Asks until `read` answers `expected` or the time is up; returns the last answer. */
async function eventually<V>(read: () => Promise<V>, expected: V): Promise<{ value: V; afterMs: number }> {
  const start = Date.now();
  let value = await read();
  while (value !== expected && Date.now() - start < WITHIN_MS) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return { value, afterMs: Date.now() - start };
}

describe.each(engines)('two nodes on one $name database', (engine) => {
  const clock = { now: new Date(OFFICE_HOURS) };
  const stores: Store[] = [];
  const nodes: Node[] = [];
  let a: Node;
  let b: Node;

  beforeAll(async () => {
    const url = await engine.freshUrl();
    stores.push(await openStore(url));
    await seedTestBank(stores[0]!);
    stores.push(await openStore(url));
    nodes.push(await startNode(stores[0]!, clock, 100_000), await startNode(stores[1]!, clock, 100_000));
    [a, b] = nodes as [Node, Node];
  });
  afterAll(async () => {
    for (const node of nodes) { node.stopWatch(); await node.app.close(); }
    for (const store of stores) await store.close();
  });

  async function applyOnA(kind: string, key: string, body: string): Promise<void> {
    const proposed = await as(a, await login(a, 'admin')).post('/api/v1/admin/changes', { kind, key, body });
    expect(proposed.statusCode).toBe(201);
    const applied = await as(a, await login(a, 'admin2')).post(`/api/v1/admin/changes/${proposed.json().id}`, { verdict: 'applied' });
    expect(applied.statusCode).toBe(200);
  }

  it('a masking change applied on node A is in force on node B within seconds', async () => {
    const tellerOnB = as(b, await login(b, 'teller'));
    const mobileOnB = async () => (await tellerOnB.get(`/api/v1/customers?q=${C.retail}`)).json()[0].mobile as string;
    expect(await mobileOnB()).toBe('138****8001');

    await applyOnA('masking_rules', 'default', JSON.stringify({ mobile: { keepStart: 3, keepEnd: 2 } }));
    const seen = await eventually(mobileOnB, '138******01');
    expect(seen.value).toBe('138******01');
    expect(seen.afterMs).toBeLessThanOrEqual(WITHIN_MS);
  });

  it('a policy change applied on node A changes the decisions node B makes within seconds', async () => {
    const tellerOnB = as(b, await login(b, 'teller'));
    const askOnB = async () => (await tellerOnB.post('/api/v1/statement-requests', { customerId: C.vip, period: PERIOD, purpose: 'service_ticket', reference: T.vipVisit, output: 'view' })).json().status as string;
    expect(await askOnB()).toBe('pending_approval');

    const withoutVipRule = loadDefaultPolicyText().replace(/@id\("approval-vip"\)[\s\S]*?unless \{[^}]*\};/, '');
    expect(withoutVipRule).not.toContain('approval-vip');
    await applyOnA('policy_set', 'default', withoutVipRule);
    const seen = await eventually(askOnB, 'allowed');
    expect(seen.value).toBe('allowed');
    expect(pollErrors).toEqual([]);
  });

  describe('a rate limit of N a minute', () => {
    const LIMIT = 5;
    const limited: Node[] = [];
    beforeAll(async () => {
      limited.push(await startNode(stores[0]!, clock, LIMIT), await startNode(stores[1]!, clock, LIMIT));
    });
    afterAll(async () => {
      for (const node of limited) { node.stopWatch(); await node.app.close(); }
    });
    const health = (node: Node, remoteAddress: string) => node.app.inject({ method: 'GET', url: '/healthz', remoteAddress });

    it('is spent across both nodes: N requests split between A and B, the next is 429 on either', async () => {
      const [limitedA, limitedB] = limited as [Node, Node];
      const statuses: number[] = [];
      for (let i = 0; i < LIMIT; i++) statuses.push((await health(i % 2 === 0 ? limitedA : limitedB, '192.0.2.10')).statusCode);
      expect(statuses).toEqual(Array(LIMIT).fill(200));

      const overOnA = await health(limitedA, '192.0.2.10');
      expect(overOnA.statusCode).toBe(429);
      expect(overOnA.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(overOnA.json().code).toBe('rate_limited');
      expect((await health(limitedB, '192.0.2.10')).statusCode).toBe(429);
      // Another client's budget is its own.
      expect((await health(limitedB, '192.0.2.11')).statusCode).toBe(200);
    });

    it('opens a new window once the minute is over', async () => {
      const [limitedA] = limited as [Node, Node];
      for (let i = 0; i < LIMIT; i++) await health(limitedA, '192.0.2.20');
      expect((await health(limitedA, '192.0.2.20')).statusCode).toBe(429);
      clock.now = new Date(clock.now.getTime() + 60_000);
      expect((await health(limitedA, '192.0.2.20')).statusCode).toBe(200);
    });

    // Concurrent writes from two connections in one process would wait on each other's SQLite lock
    // with the event loop blocked; two processes on one file, or PostgreSQL, do not.
    it.runIf(engine.name === 'postgres')('counts concurrent requests on both nodes exactly: N of 3N pass', async () => {
      const [limitedA, limitedB] = limited as [Node, Node];
      const all = await Promise.all(Array.from({ length: 3 * LIMIT }, (_, i) => health(i % 2 === 0 ? limitedA : limitedB, '192.0.2.30')));
      const codes = all.map((r) => r.statusCode);
      expect(codes.filter((c) => c === 200)).toHaveLength(LIMIT);
      expect(codes.filter((c) => c === 429)).toHaveLength(2 * LIMIT);
    });
  });
});
