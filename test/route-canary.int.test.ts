/**
 * Over every registered route, random sequences of requests by random callers with random ids never
 * return the canary transaction of a customer to anyone without an allowed request for that customer;
 * and whatever happens, approvals are never self-approved, reused or used after expiry, and every
 * break-glass release leaves a review item.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { engines } from './engines.ts';
import { startTestApp, type TestApp } from './app-harness.ts';
import { C, CANARY, CANARY_RETAIL, OFFICE_HOURS, T } from './bank-fixture.ts';
import { parseEntry } from '../src/audit/record.ts';

const USERS = ['teller', 'teller2', 'rm', 'backoffice', 'manager', 'teller.bj', 'manager.bj', 'analyst', 'investigator', 'auditor', 'admin', 'admin2', 'compliance', 'lapsed'];
const PERIOD = { from: '2026-08-01', to: '2026-10-31' };
const JUSTIFICATION = '紧急情况：客户在柜台，审批人不在岗，需要立即核实交易。';

describe.each(engines)('every route, random callers, on $name', (engine) => {
  let t: TestApp;
  let tokens: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp(engine);
    tokens = {};
    for (const u of USERS) tokens[u] = await t.login(u);
    const code = await t.app.inject({ method: 'POST', url: '/api/v1/portal/codes', payload: { mobile: '13800138001' } });
    expect(code.statusCode).toBe(202);
  });
  afterAll(async () => t.close());

  it('never leaks the canary and keeps the approval invariants', async () => {
    const routes = t.app.registeredRoutes.filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/docs'));
    expect(routes.length).toBeGreaterThan(20);
    const requestIds: string[] = [];
    // Request ids are drawn mostly from those the run created, newest first, so releases get tried.
    const ids = () =>
      fc.oneof(
        { weight: 1, arbitrary: fc.constantFrom(...Object.values(C), 'A-TARGET', 'A-RETAIL', '1', '0', "x' OR '1'='1").map((fixed) => ({ fixed })) },
        { weight: 3, arbitrary: fc.nat(4).map((recent) => ({ recent })) },
      );
    // Resolved when the step runs, so a step can name a request created earlier in the same sequence.
    const resolveId = (id: { fixed: string } | { recent: number }) => ('fixed' in id ? id.fixed : requestIds[requestIds.length - 1 - id.recent] ?? 'SR-none');
    const gateRoutes = routes.filter((r) => r.url.startsWith('/api/v1/statement-requests') || r.url.startsWith('/api/v1/approvals'));
    expect(gateRoutes.length).toBeGreaterThanOrEqual(5);
    // Customer and reference mostly fit each other, so requests get decided rather than refused as input.
    const fits: Array<[string, string, string]> = [
      [C.target, T.targetComplaint, 'complaint'], [C.target, T.targetComplaint, 'complaint'], [C.target, T.targetComplaint, 'complaint'],
      [C.retail, T.retailVisit, 'service_ticket'], [C.vip, T.vipVisit, 'service_ticket'], [C.honeytoken, T.honeyVisit, 'service_ticket'],
      [C.relative, T.relativeVisit, 'service_ticket'], [C.judicial, T.judicialDoc, 'judicial_request'], [C.aml, T.aml, 'aml_investigation'],
    ];
    const statementBodies = fc.record({
        fit: fc.constantFrom(...fits),
        otherPurpose: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('service_ticket', 'customer_present', 'internal_audit', 'loan_review') }),
        period: fc.constant(PERIOD),
        output: fc.constantFrom('view', 'csv', 'print', 'pdf'),
      }).map(({ fit, otherPurpose, ...b }) => ({ ...b, customerId: fit[0], reference: fit[1], purpose: otherPurpose ?? fit[2] })).chain((b) => fc.option(fc.constant({ justification: JUSTIFICATION }), { nil: undefined }).map((bg) => (bg ? { ...b, breakGlass: bg } : b)));
    const bodies = fc.oneof(
      statementBodies,
      fc.record({ verdict: fc.constantFrom('approved', 'rejected'), comment: fc.string() }),
      fc.record({ version: fc.constant(t.ctx.config.legalWarning.version) }),
      fc.record({ kind: fc.constantFrom('masking_rules', 'role_grant'), key: fc.constantFrom('default', 'E-TELLER'), body: fc.constant('{"roles":["approver"]}') }),
      fc.anything(),
    );
    const step = fc.record({
      route: fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...routes) }, { weight: 2, arbitrary: fc.constantFrom(...gateRoutes) }),
      caller: fc.oneof({ weight: 3, arbitrary: fc.constantFrom('teller', 'manager', 'compliance') }, { weight: 1, arbitrary: fc.constantFrom(...USERS, 'anonymous') }),
      id: ids(),
      body: bodies,
      statementBody: statementBodies,
      fitting: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      q: fc.constantFrom(C.target, '𠮷野', CANARY, '13800138008'),
      advanceHours: fc.constantFrom(0, 0, 0, 0, 0, 0, 0, 0, 1, 13),
    });

    // Most bodies fit their route, so sequences get deep (request → acknowledge → approve → release).
    const bodyFor = (s: { route: { method: string; url: string }; body: unknown; statementBody: unknown; fitting: boolean }) => {
      if (s.route.url === '/api/v1/statement-requests') return s.statementBody;
      if (!s.fitting) return s.body;
      if (s.route.url.endsWith('/acknowledgement')) return { version: t.ctx.config.legalWarning.version };
      if (s.route.url.startsWith('/api/v1/approvals/')) return { verdict: 'approved', comment: 'ok' };
      return s.body;
    };
    let calls = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 20 }), async (steps) => {
        for (const s of steps) {
          t.clock.now = new Date(t.clock.now.getTime() + s.advanceHours * 3_600_000);
          if (s.advanceHours > 6) for (const u of USERS) tokens[u] = await t.login(u);
          const url = s.route.url.replace(/:[a-zA-Z]+/g, () => encodeURIComponent(resolveId(s.id))) + (s.route.url.endsWith('/customers') ? `?q=${encodeURIComponent(s.q)}` : '');
          const headers: Record<string, string> = s.caller === 'anonymous' ? {} : { authorization: `Bearer ${tokens[s.caller]}` };
          const r = await t.app.inject({ method: s.route.method as 'GET', url, headers, ...(s.route.method === 'GET' || s.route.method === 'DELETE' ? {} : { payload: bodyFor(s) as object }) });
          calls += 1;
          if (r.statusCode === 201 && typeof r.json()?.id === 'string' && r.json().id.startsWith('SR-')) requestIds.push(r.json().id);
          expect(r.statusCode).toBeLessThan(500);
          for (const [canary, customerId] of [[CANARY, C.target], [CANARY_RETAIL, C.retail]] as const) {
            if (!r.body.includes(canary)) continue;
            const employeeId = s.caller === 'anonymous' ? '' : ((await t.store.db.selectFrom('employees').select('id').where('username', '=', s.caller).executeTakeFirst())?.id ?? '');
            const allowed = await t.store.db.selectFrom('statement_requests').select('id').where('employee_id', '=', employeeId).where('customer_id', '=', customerId).where('status', 'in', ['allowed', 'approved', 'released']).execute();
            expect(allowed, `${customerId}'s canary returned to ${s.caller} by ${s.route.method} ${url}`).not.toHaveLength(0);
          }
        }
      }),
      { numRuns: 120 },
    );
    expect(calls).toBeGreaterThan(100);

    const db = t.store.db;
    const approvals = await db.selectFrom('approvals as a').innerJoin('statement_requests as r', 'r.id', 'a.request_id').select(['a.approver_id', 'r.employee_id', 'a.request_id']).execute();
    for (const a of approvals) expect(a.approver_id).not.toBe(a.employee_id);
    expect(new Set(approvals.map((a) => a.request_id)).size).toBe(approvals.length);
    const releases = await db.selectFrom('audit_entries').select(['entry', 'request_id']).where('action', 'in', ['statement.viewed', 'statement.exported']).execute();
    const perRequest = new Map<string, number>();
    for (const rel of releases) {
      const req = await db.selectFrom('statement_requests').selectAll().where('id', '=', rel.request_id!).executeTakeFirstOrThrow();
      const when = parseEntry(rel.entry).time;
      expect(req.expires_at === null || when < req.expires_at).toBe(true);
      perRequest.set(req.id, (perRequest.get(req.id) ?? 0) + 1);
      if (req.break_glass === 1 || (await db.selectFrom('approvals').select('id').where('request_id', '=', req.id).executeTakeFirst())) {
        expect(perRequest.get(req.id)).toBe(1);
      }
    }
    const glass = await db.selectFrom('statement_requests').select('id').where('break_glass', '=', 1).execute();
    for (const g of glass) expect(await db.selectFrom('post_reviews').select('id').where('request_id', '=', g.id).executeTakeFirst()).toBeDefined();
  }, 240_000);

  it("never serves one employee's released request to another caller, on any route", async () => {
    const routes = t.app.registeredRoutes.filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/docs') && r.url.includes(':'));
    t.clock.now = new Date(OFFICE_HOURS.getTime() + 7 * 86_400_000); // a week later, same weekday and hour
    for (const u of USERS) tokens[u] = await t.login(u);
    const owner = tokens.teller!;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), fc.constantFrom(...USERS.filter((u) => u !== 'teller'), 'anonymous'), fc.boolean(), async (route, caller, fitting) => {
        // A request the owner may read right now: allowed and acknowledged.
        const r = (await t.as(owner).post('/api/v1/statement-requests', { customerId: C.retail, period: PERIOD, purpose: 'service_ticket', reference: T.retailVisit, output: 'view' })).json();
        expect(r.status).toBe('allowed');
        await t.as(owner).post(`/api/v1/statement-requests/${r.id}/acknowledgement`, { version: t.ctx.config.legalWarning.version });
        const headers: Record<string, string> = caller === 'anonymous' ? {} : { authorization: `Bearer ${tokens[caller]}` };
        const url = route.url.replace(/:[a-zA-Z]+/g, r.id);
        const payload = fitting ? { version: t.ctx.config.legalWarning.version, verdict: 'approved', comment: 'x' } : {};
        const res = await t.app.inject({ method: route.method as 'GET', url, headers, ...(route.method === 'GET' ? {} : { payload }) });
        expect(res.body.includes(CANARY_RETAIL), `${caller} read ${route.method} ${url}`).toBe(false);
      }),
      { numRuns: 80 },
    );
  }, 120_000);
});
