/**
 * Issue 9, item 3: counter codes only from counter staff, and only a few per customer and per
 * employee in any 10 minutes, counted inside the sending transaction so concurrent requests cannot
 * pass the limit on either engine. Every send and every refusal is in the record.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { engines } from '../../test/engines.ts';
import { startTestApp, type TestApp } from '../../test/app-harness.ts';
import { C, E, OFFICE_HOURS } from '../../test/bank-fixture.ts';
import { COUNTER_CODE_LIMITS } from './counter-codes.ts';

const MINUTE = 60_000;
const send = (t: TestApp, token: string, customerId: string) => t.as(token).post(`/api/v1/customers/${customerId}/counter-codes`);

describe.each(engines)('counter codes on $name', (engine) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestApp(engine);
    for (const u of ['teller', 'teller2', 'rm', 'manager', 'teller.bj', 'manager.bj', 'backoffice', 'admin', 'auditor', 'analyst']) tokens[u] = await t.login(u);
  });
  afterAll(async () => t.close());
  // Each test starts with no codes sent and half an hour after the last (sessions last 8 hours).
  let slot = 0;
  beforeEach(async () => {
    await t.store.db.deleteFrom('verification_codes').execute();
    t.clock.now = new Date(OFFICE_HOURS.getTime() + slot++ * 30 * MINUTE);
  });

  const entries = (action: string) =>
    t.store.db.selectFrom('audit_entries').select(['actor_id', 'customer_id']).where('action', '=', action).orderBy('seq').execute();

  it.each(['teller', 'rm', 'manager', 'teller.bj', 'manager.bj'])('%s (counter staff, any branch) may send a code', async (user) => {
    const r = await send(t, tokens[user]!, C.retail);
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().sentTo).toBe('138****8001');
  });

  it.each(['backoffice', 'admin', 'auditor', 'analyst'])('%s (not counter staff) is refused with 403 problem+json, and the refusal is recorded', async (user) => {
    const before = (await entries('customer.code_refused')).length;
    const r = await send(t, tokens[user]!, C.retail);
    expect(r.statusCode).toBe(403);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.json()).toMatchObject({ code: 'forbidden', detail: expect.stringMatching(/tellers, relationship managers and branch managers/) });
    const refused = await entries('customer.code_refused');
    expect(refused).toHaveLength(before + 1);
    expect(refused.at(-1)).toEqual({ actor_id: expect.stringMatching(/^E-/), customer_id: C.retail });
    expect(await t.store.db.selectFrom('verification_codes').select('id').execute()).toEqual([]);
  });

  it(`refuses a ${COUNTER_CODE_LIMITS.perCustomer + 1}th code to one customer within 10 minutes, with Retry-After, then allows it once the window has rolled`, async () => {
    const start = t.clock.now.getTime();
    const senders = ['teller', 'teller2', 'rm', 'manager', 'teller.bj', 'manager.bj'];
    for (const [i, user] of senders.entries()) {
      t.clock.now = new Date(start + i * MINUTE);
      expect((await send(t, tokens[user]!, C.vip)).statusCode).toBe(201);
    }
    t.clock.now = new Date(start + 7 * MINUTE);
    const before = (await entries('customer.code_refused')).length;
    const refused = await send(t, tokens.teller!, C.vip);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json()).toMatchObject({ code: 'rate_limited', limit: 'customer', retryAfterSeconds: 3 * 60 });
    expect(refused.headers['retry-after']).toBe('180');
    expect(refused.json().detail).toMatch(/This customer has been sent 6 counter codes/);
    expect(await entries('customer.code_refused')).toHaveLength(before + 1);
    // Another customer is unaffected; the first code leaves the window 10 minutes after it was sent.
    expect((await send(t, tokens.teller!, C.retail)).statusCode).toBe(201);
    t.clock.now = new Date(start + 10 * MINUTE + 1);
    expect((await send(t, tokens.teller2!, C.vip)).statusCode).toBe(201);
    expect((await send(t, tokens.rm!, C.vip)).statusCode).toBe(429);
  });

  it(`refuses a ${COUNTER_CODE_LIMITS.perEmployee + 1}th code from one employee within 10 minutes, whoever the customers are`, async () => {
    const start = t.clock.now.getTime();
    for (const [i, customer] of [C.retail, C.vip, C.relative, C.aml].entries()) {
      t.clock.now = new Date(start + i * MINUTE);
      expect((await send(t, tokens.teller!, customer)).statusCode).toBe(201);
    }
    t.clock.now = new Date(start + 4 * MINUTE);
    const refused = await send(t, tokens.teller!, C.target);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'rate_limited', limit: 'employee', retryAfterSeconds: 6 * 60 });
    expect(refused.json().detail).toMatch(/You have sent 4 counter codes/);
    expect((await send(t, tokens.teller2!, C.target)).statusCode).toBe(201);
  });

  it('12 concurrent requests for one customer send exactly 6 codes; 12 concurrent from one teller send exactly 4', async () => {
    const senders = ['teller', 'teller2', 'rm', 'manager', 'teller.bj', 'manager.bj'];
    const [sentBefore, refusedBefore] = [(await entries('customer.code_sent')).length, (await entries('customer.code_refused')).length];
    const toOne = await Promise.all(Array.from({ length: 12 }, (_, i) => send(t, tokens[senders[i % 6]!]!, C.judicial)));
    expect(toOne.map((r) => r.statusCode).sort()).toEqual([...Array(6).fill(201), ...Array(6).fill(429)]);
    expect(await t.store.db.selectFrom('verification_codes').select('id').where('customer_id', '=', C.judicial).execute()).toHaveLength(6);

    t.clock.now = new Date(t.clock.now.getTime() + 11 * MINUTE);
    const customers = [C.retail, C.vip, C.relative, C.aml, C.target, C.employee];
    const fromOne = await Promise.all(Array.from({ length: 12 }, (_, i) => send(t, tokens['teller.bj']!, customers[i % 6]!)));
    expect(fromOne.map((r) => r.statusCode).sort()).toEqual([...Array(4).fill(201), ...Array(8).fill(429)]);
    const sent = await t.store.db.selectFrom('verification_codes').select('id').where('employee_id', '=', E.tellerBj).where('created_at', '>', new Date(t.clock.now.getTime() - 10 * MINUTE).toISOString()).execute();
    expect(sent).toHaveLength(4);
    // Every send and every refusal is in the record.
    expect((await entries('customer.code_sent')).length - sentBefore).toBe(6 + 4);
    expect((await entries('customer.code_refused')).length - refusedBefore).toBe(6 + 8);
  });

  it('portal sign-in codes do not count against the counter limit', async () => {
    for (let i = 0; i < 8; i++) {
      await t.store.db.insertInto('verification_codes').values({ id: `PC-${i}`, customer_id: C.retail, employee_id: null, code_hash: 'x', attempts: 0, expires_at: t.clock.now.toISOString(), used_at: null, created_at: t.clock.now.toISOString() }).execute();
    }
    expect((await send(t, tokens.teller!, C.retail)).statusCode).toBe(201);
  });
});
