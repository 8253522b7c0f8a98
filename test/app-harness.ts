/**
 * A real Flowguard app on a real database (SQLite or PostgreSQL) with the test bank, driven through
 * `inject()`. The clock is a variable so tests can move time past expiries.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { openStore, type Store } from '../src/store/database.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { loadSettings } from '../src/access/settings.ts';
import { demoBankSource } from '../src/bank/statement-source.ts';
import { outboxSms } from '../src/notify/sms.ts';
import { buildApp } from '../src/server/app.ts';
import { GroupCommitter } from '../src/audit/log/group-commit.ts';
import type { AppContext } from '../src/server/context.ts';
import { OFFICE_HOURS, PASSWORD, seedTestBank } from './bank-fixture.ts';
import type { TestEngine } from './engines.ts';
import { latestSmsTo } from '../src/notify/sms.ts';

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  store: Store;
  clock: { now: Date };
  /** Logs in a test-bank employee and returns a bearer token. */
  login(username: string): Promise<string>;
  as(token: string): Caller;
  close(): Promise<void>;
}

export interface Caller {
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
}

export async function startTestApp(engine: TestEngine, overrides: Partial<Config> = {}): Promise<TestApp> {
  const store = await openStore(await engine.freshUrl());
  await seedTestBank(store);
  const clock = { now: new Date(OFFICE_HOURS) };
  const config = loadConfig({}, { secureCookies: false, ...overrides });
  const settings = await loadSettings(store.db);
  const now = () => new Date(clock.now);
  const ctx: AppContext = { store, config, settings, source: demoBankSource(store.db), sms: outboxSms, now, recorder: new GroupCommitter(store.db, { now }) };
  const app = await buildApp(ctx, { logger: false, rateLimitMax: 100_000 });
  const as = (token: string): Caller => ({
    get: (url) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } }),
    post: (url, body) => app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { payload: body as object }) }),
  });
  return {
    app,
    ctx,
    store,
    clock,
    as,
    async login(username) {
      const r = await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { username, password: PASSWORD } });
      if (r.statusCode !== 201) throw new Error(`login ${username}: ${r.statusCode} ${r.body}`);
      return r.json().token as string;
    },
    async close() {
      await app.close();
      await store.close();
    },
  };
}

/** Logs a customer into the portal with the one-time code the outbox received; returns a bearer token. */
export async function portalLogin(t: Pick<TestApp, 'app' | 'store'>, mobile: string): Promise<string> {
  const sent = await t.app.inject({ method: 'POST', url: '/api/v1/portal/codes', payload: { mobile } });
  if (sent.statusCode !== 202) throw new Error(`portal code for ${mobile}: ${sent.statusCode} ${sent.body}`);
  const code = /\d{6}/.exec((await latestSmsTo(t.store.db, mobile)) ?? '')?.[0];
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/portal/sessions', payload: { mobile, code } });
  if (r.statusCode !== 201) throw new Error(`portal login for ${mobile}: ${r.statusCode} ${r.body}`);
  return r.json().token as string;
}
