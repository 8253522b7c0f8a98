import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../test/engines.ts';
import { startTestApp, type TestApp } from '../../test/app-harness.ts';
import { C, T } from '../../test/bank-fixture.ts';

const PERIOD = { from: '2026-08-01', to: '2026-10-31' };
const good = { customerId: C.retail, period: PERIOD, purpose: 'service_ticket', reference: T.retailVisit, output: 'view' };

describe.each(engines)('bad input on $name', (engine) => {
  let t: TestApp;
  let teller: string;
  beforeAll(async () => {
    t = await startTestApp(engine);
    teller = await t.login('teller');
  });
  afterAll(async () => t.close());

  async function counts() {
    const requests = await t.store.db.selectFrom('statement_requests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const refused = await t.store.db.selectFrom('audit_entries').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'statement.refused').executeTakeFirstOrThrow();
    const other = await t.store.db.selectFrom('audit_entries').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'request.refused').executeTakeFirstOrThrow();
    return { requests: Number(requests.n), refused: Number(refused.n), otherRefused: Number(other.n) };
  }

  const post = (payload: string, contentType = 'application/json') =>
    t.app.inject({ method: 'POST', url: '/api/v1/statement-requests', headers: { authorization: `Bearer ${teller}`, 'content-type': contentType }, payload });

  it.each([
    ['malformed JSON', '{"customerId": "C-RETAIL",', 400, 'invalid_json'],
    ['a body that is not an object', '[1,2,3]', 400, 'invalid_request'],
    ['a missing purpose', JSON.stringify({ ...good, purpose: undefined }), 400, 'invalid_request'],
    ['an unknown field', JSON.stringify({ ...good, extra: 1 }), 400, 'invalid_request'],
    ['an oversized body', JSON.stringify({ ...good, reference: 'x'.repeat(100_000) }), 413, 'body_too_large'],
  ])('%s is refused with problem+json and stores nothing', async (_name, payload, status, code) => {
    const before = await counts();
    const r = await post(payload);
    expect(r.statusCode).toBe(status);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json()).toMatchObject({ status, code, type: expect.stringContaining(code.replaceAll('_', '-')), detail: expect.any(String) });
    expect(r.body).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    const after = await counts();
    expect(after.requests).toBe(before.requests);
    expect(after.otherRefused).toBe(before.otherRefused + 1);
  });

  it.each([
    ['an unknown purpose', { ...good, purpose: 'curiosity' }, 'unknown_purpose', /use one of: customer_present/],
    ["another customer's reference", { ...good, customerId: C.vip }, 'invalid_reference', /does not belong to this customer/],
    ['a period over 5 years', { ...good, period: { from: '2019-01-01', to: '2026-10-31' } }, 'invalid_period', /at most/],
    ['a period that ends before it starts', { ...good, period: { from: '2026-10-01', to: '2026-09-01' } }, 'invalid_period', /before it starts/],
    ['a field the purpose cannot unmask', { ...good, unmask: ['id_number'] }, 'unknown_field', /cannot unmask/],
    ["another customer's account", { ...good, accountIds: ['A-VIP'] }, 'unknown_account', /not one of this customer's accounts/],
    ['a short break-glass justification', { ...good, breakGlass: { justification: 'urgent' } }, 'invalid_request', /justification/],
  ])('%s is refused as 4xx, leaves no request, and the attempt is recorded', async (_name, body, code, detail) => {
    const before = await counts();
    const r = await t.as(teller).post('/api/v1/statement-requests', body);
    expect(r.statusCode).toBeGreaterThanOrEqual(400);
    expect(r.statusCode).toBeLessThan(500);
    expect(r.json().code).toBe(code);
    expect(r.json().detail).toMatch(detail);
    const after = await counts();
    expect(after.requests).toBe(before.requests);
    expect(after.refused + after.otherRefused).toBe(before.refused + before.otherRefused + 1);
  });

  it('accepts names with apostrophes, middle dots, rare characters and SQL metacharacters as data', async () => {
    const hits = (await t.as(teller).get(`/api/v1/customers?q=${encodeURIComponent("O'Brien")}`)).json();
    expect(hits.map((h: { id: string }) => h.id)).toEqual([C.retail]);
    const sql = (await t.as(teller).get(`/api/v1/customers?q=${encodeURIComponent('; DROP TABLE customers;--')}`)).json();
    expect(sql.map((h: { id: string }) => h.id)).toEqual([C.judicial]);
    const rare = (await t.as(teller).get(`/api/v1/customers?q=${encodeURIComponent('𠮷野')}`)).json();
    expect(rare.map((h: { id: string }) => h.id)).toEqual([C.target]);
    expect(rare[0].name).toBe('𠮷**');
    const dot = (await t.as(teller).get(`/api/v1/customers?q=${encodeURIComponent('买买提·艾力')}`)).json();
    expect(dot.map((h: { id: string }) => h.id)).toEqual([C.aml]);
  });

  it('an unauthenticated request is refused with 401 problem+json', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/statement-requests', payload: good });
    expect(r.statusCode).toBe(401);
    expect(r.headers['content-type']).toContain('application/problem+json');
  });

  it('an unknown route answers 404 problem+json', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(r.statusCode).toBe(404);
    expect(r.json().code).toBe('not_found');
  });
});
