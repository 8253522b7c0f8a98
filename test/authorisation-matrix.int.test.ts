/**
 * The authorisation matrix: every role × every operation of the app (from its OpenAPI document and
 * registered routes), against the intended policy written down once in test/access-policy.ts. A role
 * not in the table must get 401, 403 or 404 — never an answer from the handler; a role in it must be
 * let through. An operation the table does not know fails the suite, so a new endpoint cannot ship
 * without someone deciding who may call it. Requests are well-formed and name things that exist (a
 * real request, entry, change, pseudonym), so a 404 cannot hide an allow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { engines } from './engines.ts';
import { startTestApp, type TestApp } from './app-harness.ts';
import { C, E, MOBILE, PASSWORD, T } from './bank-fixture.ts';
import { MAY_REACH, mayReach } from './access-policy.ts';
import { fillPath, listOperations, ROLES, sessionFor, type Operation, type Role } from './operations.ts';
import { loadDefaultPolicyText } from '../src/access/policy-files.ts';
import { createSession } from '../src/identity/sessions.ts';

const PERIOD = { from: '2026-08-01', to: '2026-10-31' };
/** Codes a guard answers with when it turns a caller away (not the handler's own 403s, such as self_approval). */
const GUARD_CODES = new Set(['unauthenticated', 'forbidden', 'not_an_approver', 'csrf_mismatch']);
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface Fitting { url: string; body?: unknown }
type Transport = 'bearer' | 'cookie' | 'cookie-without-csrf';

describe.each(engines)('authorisation matrix on $name', (engine) => {
  let t: TestApp;
  let ops: Operation[];
  let releasedRequest: string;
  let seq: number;
  let postReview: string;

  /** A request for every operation that a permitted caller's handler would act on. */
  const FITTING: Record<string, () => Promise<Fitting>> = {
    'POST /api/v1/sessions': async () => ({ url: '/api/v1/sessions', body: { username: 'teller2', password: PASSWORD } }),
    'POST /api/v1/portal/codes': async () => ({ url: '/api/v1/portal/codes', body: { mobile: MOBILE.target } }),
    'POST /api/v1/portal/sessions': async () => ({ url: '/api/v1/portal/sessions', body: { mobile: MOBILE.target, code: '000000' } }),
    'POST /api/v1/admin/employees/:id/login-release': async () => ({ url: `/api/v1/admin/employees/${E.teller2}/login-release` }),
    'GET /api/v1/customers': async () => ({ url: `/api/v1/customers?q=${encodeURIComponent('欧阳')}` }),
    'POST /api/v1/customers/:id/counter-codes': async () => ({ url: `/api/v1/customers/${C.retail}/counter-codes` }),
    'GET /api/v1/my/tickets': async () => ({ url: `/api/v1/my/tickets?customerId=${C.retail}` }),
    'POST /api/v1/statement-requests': async () => ({ url: '/api/v1/statement-requests', body: { customerId: C.retail, period: PERIOD, purpose: 'service_ticket', reference: T.retailVisit, output: 'view' } }),
    'GET /api/v1/statement-requests/:id': async () => ({ url: `/api/v1/statement-requests/${releasedRequest}` }),
    'POST /api/v1/statement-requests/:id/acknowledgement': async () => ({ url: `/api/v1/statement-requests/${releasedRequest}/acknowledgement`, body: { version: t.ctx.config.legalWarning.version } }),
    'GET /api/v1/statement-requests/:id/statement': async () => ({ url: `/api/v1/statement-requests/${releasedRequest}/statement` }),
    // A fresh VIP request of the Shanghai teller waits for approval each time it is decided.
    'POST /api/v1/approvals/:id': async () => ({ url: `/api/v1/approvals/${await pendingRequest()}`, body: { verdict: 'rejected', comment: 'matrix' } }),
    'POST /api/v1/admin/changes': async () => ({ url: '/api/v1/admin/changes', body: { kind: 'role_grant', key: E.teller2, body: '{"roles":[]}' } }),
    // Another administrator's proposal, which an administrator may decide.
    'POST /api/v1/admin/changes/:id': async () => ({ url: `/api/v1/admin/changes/${await proposalByAdmin2()}`, body: { verdict: 'rejected' } }),
    'POST /api/v1/admin/policy-set/validation': async () => ({ url: '/api/v1/admin/policy-set/validation', body: { text: loadDefaultPolicyText() } }),
    'POST /api/v1/training-records': async () => ({ url: '/api/v1/training-records', body: { records: [{ employeeId: E.teller2, kind: 'training', completedOn: '2026-11-01', validUntil: '2027-11-01' }] } }),
    'GET /api/v1/portal/statement': async () => ({ url: `/api/v1/portal/statement?accountId=A-RETAIL&from=${PERIOD.from}&to=${PERIOD.to}` }),
    'PUT /api/v1/portal/access-notifications': async () => ({ url: '/api/v1/portal/access-notifications', body: { enabled: true } }),
    'POST /api/v1/portal/history/:seq/report': async () => ({ url: `/api/v1/portal/history/${seq}/report`, body: { comment: 'matrix' } }),
    'GET /api/v1/customers/:id/access-history': async () => ({ url: `/api/v1/customers/${C.retail}/access-history` }),
    // The teller's break-glass review, which the first permitted caller closes (the others get 409, past the guard).
    'POST /api/v1/post-reviews/:id': async () => ({ url: `/api/v1/post-reviews/${postReview}`, body: { outcome: 'justified', comment: 'authorisation matrix review' } }),
    'GET /log/tile/*': async () => ({ url: '/log/tile/0/000' }),
    'GET /api/v1/log/consistency': async () => ({ url: '/api/v1/log/consistency?from=1' }),
    'GET /api/v1/log/entries/:index': async () => ({ url: '/api/v1/log/entries/0' }),
    'GET /api/v1/log/entries/:index/proof': async () => ({ url: '/api/v1/log/entries/0/proof' }),
    'GET /api/v1/oversight/audit-record/:seq': async () => ({ url: `/api/v1/oversight/audit-record/${seq}` }),
    'POST /api/v1/oversight/audit-record/:seq/openings': async () => ({ url: `/api/v1/oversight/audit-record/${seq}/openings`, body: { reason: 'authorisation matrix' } }),
    'POST /api/v1/oversight/employees/:pseudonym/reveal': async () => ({ url: '/api/v1/oversight/employees/P-TELLER/reveal', body: { reason: 'authorisation matrix' } }),
  };

  async function pendingRequest(): Promise<string> {
    const teller = await sessionFor(t, 'teller');
    const r = await t.as(teller.token).post('/api/v1/statement-requests', { customerId: C.vip, period: PERIOD, purpose: 'service_ticket', reference: T.vipVisit, output: 'view' });
    expect(r.json().status, r.body).toBe('pending_approval');
    return r.json().id as string;
  }

  async function proposalByAdmin2(): Promise<string> {
    const s = await createSession(t.store.db, { kind: 'staff', employeeId: E.admin2 }, 1, t.clock.now);
    const r = await t.as(s.token).post('/api/v1/admin/changes', { kind: 'role_grant', key: E.teller2, body: '{"roles":[]}' });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as string;
  }

  /** The fitting request, or for a simple operation its path with no parameters and no body. */
  async function fitting(op: Operation): Promise<Fitting> {
    const make = FITTING[op.key];
    if (make) return make();
    return { url: fillPath(op.path, () => ({ text: 'x' })) };
  }

  async function send(op: Operation, role: Role, request: Fitting, transport: Transport = 'bearer'): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = {};
    if (role !== 'anonymous') {
      const s = await sessionFor(t, role);
      if (transport === 'bearer') headers.authorization = `Bearer ${s.token}`;
      else headers.cookie = `fg_session=${s.token}`;
      if (transport === 'cookie') headers['x-csrf-token'] = s.csrfToken;
    }
    return t.app.inject({ method: op.method as 'GET', url: request.url, headers, ...(request.body === undefined ? {} : { payload: request.body as object }) });
  }

  /** The guard let the caller through: the answer is the handler's, not a refusal of the caller. */
  function letThrough(r: LightMyRequestResponse): boolean {
    if (r.statusCode === 401) return false;
    if (r.statusCode !== 403) return true;
    const code = String(r.headers['content-type'] ?? '').includes('json') ? (r.json() as { code?: string }).code : undefined;
    return code === undefined || !GUARD_CODES.has(code);
  }

  beforeAll(async () => {
    t = await startTestApp(engine);
    ops = await listOperations(t.app);
    const teller = await sessionFor(t, 'teller');
    const r = await t.as(teller.token).post('/api/v1/statement-requests', { customerId: C.retail, period: PERIOD, purpose: 'service_ticket', reference: T.retailVisit, output: 'view' });
    expect(r.json().status, r.body).toBe('allowed');
    releasedRequest = r.json().id;
    await t.as(teller.token).post(`/api/v1/statement-requests/${releasedRequest}/acknowledgement`, { version: t.ctx.config.legalWarning.version });
    const entry = await t.store.db.selectFrom('audit_entries').select('seq').where('customer_id', '=', C.retail).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    const glass = await t.as(teller.token).post('/api/v1/statement-requests', { customerId: C.vip, period: PERIOD, purpose: 'service_ticket', reference: T.vipVisit, output: 'view', breakGlass: { justification: '客户在柜台突发紧急情况，审批人不在岗，需立即核实。' } });
    expect(glass.json().breakGlass, glass.body).toBe(true);
    postReview = (await t.store.db.selectFrom('post_reviews').select('id').where('request_id', '=', glass.json().id).executeTakeFirstOrThrow()).id;
    seq = Number(entry.seq);
  }, 60_000);
  afterAll(async () => t.close());

  it('knows every operation the app answers, and nothing it does not', () => {
    const keys = ops.map((o) => o.key);
    expect(keys.length).toBeGreaterThan(40);
    expect(keys.filter((k) => mayReach(k) === undefined), 'operations missing from test/access-policy.ts: decide who may call them').toEqual([]);
    expect(Object.keys(MAY_REACH).filter((k) => !keys.includes(k)), 'entries of test/access-policy.ts for operations that no longer exist').toEqual([]);
  });

  it('every role × every operation: no unexpected allow, and everyone listed is let through', async () => {
    const unexpected: string[] = [];
    const refused: string[] = [];
    let n = 0;
    for (const op of ops) {
      const allowed = mayReach(op.key) ?? [];
      for (const role of ROLES) {
        const request = await fitting(op);
        const r = await send(op, role, request);
        n += 1;
        const summary = `${role} ${op.method} ${request.url} → ${r.statusCode} ${r.body.slice(0, 160)}`;
        if (allowed.includes(role)) {
          if (!letThrough(r)) refused.push(summary);
        } else if (![401, 403, 404].includes(r.statusCode)) {
          // A 400 here usually means the operation needs a fitting request in FITTING above.
          unexpected.push(summary);
        } else if (role === 'anonymous' && r.statusCode !== 401) {
          unexpected.push(`${summary} (anonymous callers are asked to sign in: 401)`);
        }
      }
    }
    console.log(`authorisation matrix (${engine.name}): ${ops.length} operations × ${ROLES.length} roles = ${n} requests; ${unexpected.length} unexpected allows, ${refused.length} wrong refusals`);
    expect(unexpected, 'roles let through that the policy table does not allow').toEqual([]);
    expect(refused, 'roles the policy table allows but the server turned away').toEqual([]);
  }, 240_000);

  it('whatever the request and however the caller authenticates, a role not in the table gets no answer from the handler', async () => {
    const seed = Number(process.env.FLOWGUARD_MATRIX_SEED ?? Date.now() % 2 ** 31);
    console.log(`authorisation matrix property (${engine.name}): seed ${seed} (FLOWGUARD_MATRIX_SEED=${seed} repeats it)`);
    const pick = fc.record({
      op: fc.constantFrom(...ops),
      role: fc.constantFrom(...ROLES),
      transport: fc.constantFrom<Transport>('bearer', 'cookie', 'cookie-without-csrf'),
      fit: fc.boolean(),
      body: fc.oneof(fc.constant(undefined), fc.constant({}), fc.object({ maxDepth: 2 })),
    });
    await fc.assert(
      fc.asyncProperty(pick, async ({ op, role, transport, fit, body }) => {
        const allowed = mayReach(op.key) ?? [];
        const request = fit ? await fitting(op) : { url: fillPath(op.path, () => ({ text: 'C-RETAIL' })), body: UNSAFE.has(op.method) ? body : undefined };
        const r = await send(op, role, request, transport);
        const summary = `${role} via ${transport}: ${op.method} ${request.url} ${JSON.stringify(request.body) ?? ''} → ${r.statusCode} ${r.body.slice(0, 200)}`;
        expect(r.statusCode, summary).toBeLessThan(500);
        const everyone = allowed.includes('anonymous');
        // A cookie alone never authorises a change: without the CSRF token the caller is nobody or refused.
        const effectiveRole: Role = transport === 'cookie-without-csrf' && UNSAFE.has(op.method) ? 'anonymous' : role;
        if (!allowed.includes(effectiveRole) && !everyone) {
          expect(r.statusCode, `unexpected allow: ${summary}`).toBeGreaterThanOrEqual(400);
          if (fit) expect([401, 403, 404], `unexpected answer: ${summary}`).toContain(r.statusCode);
        } else if (fit && allowed.includes(effectiveRole) && transport !== 'cookie-without-csrf') {
          expect(letThrough(r), `wrongly refused: ${summary}`).toBe(true);
        }
      }),
      { numRuns: 300, seed },
    );
  }, 240_000);
});
