/**
 * Fixtures for identity's integration tests: a real store with a branch, three employees and two
 * customers, and a small Fastify app with only the identity plugin (the full app composes routes
 * other capabilities own). The clock is a variable so tests can move time.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../config.ts';
import { outboxSms } from '../notify/sms.ts';
import { parseEntry } from '../audit/record.ts';
import type { AppContext } from '../server/context.ts';
import { loggerOptions } from '../server/logging.ts';
import { sendProblem, toFlowguardError } from '../server/problem.ts';
import { openStore, type Store } from '../store/database.ts';
import { requireCustomer, requireRole, requireStaff } from './authenticate.ts';
import { hashPassword } from './passwords.ts';
import { identityRoutes } from './routes.ts';

export const PASSWORDS = { alice: 'correct horse battery staple', bob: 'Tr0ub4dor&3-manager', carol: 'still-knows-her-password' };
export const CUSTOMER_MOBILE = '13812341234';
export const OTHER_CUSTOMER_MOBILE = '13987654321';
export const UNKNOWN_MOBILE = '13700001111';
export const START = new Date('2026-11-02T01:00:00.000Z');

export interface IdentityTestApp {
  app: FastifyInstance;
  ctx: AppContext;
  store: Store;
  clock: { now: Date };
  /** Every server log line, to check that no secret reaches the logs. */
  logs: string[];
  close(): Promise<void>;
}

let passwordHashes: Promise<Record<keyof typeof PASSWORDS, string>> | undefined;

function hashedPasswords() {
  passwordHashes ??= (async () => ({
    alice: await hashPassword(PASSWORDS.alice),
    bob: await hashPassword(PASSWORDS.bob),
    carol: await hashPassword(PASSWORDS.carol),
  }))();
  return passwordHashes;
}

/** Inserts the branch, employees (alice teller, bob branch manager, carol who left) and customers. */
export async function seedIdentityFixtures(store: Store): Promise<void> {
  const db = store.db;
  const hashes = await hashedPasswords();
  const at = START.toISOString();
  await db.insertInto('branches').values({ id: 'BR-001', code: '0101', name: '北京朝阳支行', city: '北京' }).execute();
  const employee = (id: string, username: keyof typeof PASSWORDS, role: 'teller' | 'branch_manager', status: 'active' | 'left', pseudonym: string) => ({
    id, username, display_name: username, pseudonym, branch_id: 'BR-001', bank_role: role, status, password_hash: hashes[username], created_at: at,
  });
  await db.insertInto('employees').values([
    employee('E-ALICE', 'alice', 'teller', 'active', '柜员-A1'),
    employee('E-BOB', 'bob', 'branch_manager', 'active', '行长-B2'),
    employee('E-CAROL', 'carol', 'teller', 'left', '柜员-C3'),
  ]).execute();
  await db.insertInto('employee_roles').values([
    { employee_id: 'E-ALICE', role: 'requester' },
    { employee_id: 'E-BOB', role: 'approver' },
    { employee_id: 'E-BOB', role: 'requester' },
    { employee_id: 'E-CAROL', role: 'requester' },
  ]).execute();
  const customer = (id: string, mobile: string) => ({
    id, name: `客户${id}`, id_number: `ID-${id}`, mobile, address: '北京市朝阳区', branch_id: 'BR-001', segment: 'retail' as const,
    relationship_manager_id: null, is_public_figure: 0 as const, is_honeytoken: 0 as const, employee_id: null, created_at: at,
  });
  await db.insertInto('customers').values([customer('C-001', CUSTOMER_MOBILE), customer('C-002', OTHER_CUSTOMER_MOBILE)]).execute();
}

const unused = (what: string) => (): never => {
  throw new Error(`identity tests do not use ${what}`);
};

/** Opens a fresh store at `url`, seeds it and builds the app with identity and a few guarded test routes. */
export async function buildIdentityTestApp(url: string, overrides: Partial<Config> = {}): Promise<IdentityTestApp> {
  const store = await openStore(url);
  await seedIdentityFixtures(store);
  const clock = { now: START };
  const config = loadConfig({}, { dbUrl: url, secureCookies: true, oidc: null, ...overrides });
  const ctx: AppContext = {
    store,
    config,
    settings: { policy: unused('policy'), purposes: unused('purposes'), masking: unused('masking'), reload: async () => {}, refresh: async () => false },
    source: { accounts: unused('source'), rows: unused('source') },
    sms: outboxSms,
    now: () => clock.now,
  };
  const logs: string[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { logs.push(String(chunk)); done(); } });
  const logger = { ...(loggerOptions() as object), level: 'debug', stream };
  const app = Fastify({ logger, ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } } });
  await app.register(cookie);
  app.setErrorHandler((error, request, reply) => sendProblem(reply, request, toFlowguardError(error)));
  await app.register(identityRoutes, { ctx });
  app.get('/test/staff', async (request) => ({ employeeId: requireStaff(request).employeeId }));
  app.post('/test/staff', async (request) => ({ employeeId: requireStaff(request).employeeId }));
  app.get('/test/approver', async (request) => ({ employeeId: requireRole(request, 'approver', 'administrator').employeeId }));
  app.get('/test/customer', async (request) => ({ customerId: requireCustomer(request).customerId }));
  await app.ready();
  return { app, ctx, store, clock, logs, close: async () => { await app.close(); await store.close(); } };
}

/** The audit entries as documents, with their raw text (for checks that a secret is absent). */
export async function auditEntries(store: Store) {
  const rows = await store.db.selectFrom('audit_entries').select(['entry', 'actor_id', 'customer_id']).orderBy('seq').execute();
  return rows.map((r) => ({ ...parseEntry(r.entry), text: r.entry.toString('utf8'), actorId: r.actor_id, customerId: r.customer_id }));
}

/** The six-digit code in the newest SMS to a number. */
export async function latestCodeTo(store: Store, mobile: string): Promise<string | null> {
  const row = await store.db.selectFrom('outbox').select('body').where('recipient', '=', mobile).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row ? (/验证码为([0-9]{6})/.exec(row.body)?.[1] ?? null) : null;
}
