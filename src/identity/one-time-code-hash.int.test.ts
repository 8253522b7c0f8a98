/**
 * Issue 10 item 8: one hash for every one-time code in `verification_codes`. A counter code and a
 * portal code written now are both stored as oneTimeCodeHash(id, code), and each path verifies its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../test/engines.ts';
import { portalLogin, startTestApp, type TestApp } from '../../test/app-harness.ts';
import { C, MOBILE } from '../../test/bank-fixture.ts';
import { latestSmsTo } from '../notify/sms.ts';
import { oneTimeCodeHash } from './one-time-code-hash.ts';

const PERIOD = { from: '2026-08-01', to: '2026-10-31' };

describe.each(engines)('one-time code hash on $name', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(async () => t.close());

  const storedHash = async (id: string) => (await t.store.db.selectFrom('verification_codes').select('code_hash').where('id', '=', id).executeTakeFirstOrThrow()).code_hash;

  it('a counter code is stored with the one hash and verifies at the counter', async () => {
    const teller = await t.login('teller');
    const sent = (await t.as(teller).post(`/api/v1/customers/${C.retail}/counter-codes`)).json();
    const code = /验证码(\d{6})/.exec((await latestSmsTo(t.store.db, MOBILE.retail)) ?? '')![1]!;
    expect(await storedHash(sent.codeId)).toBe(oneTimeCodeHash(sent.codeId, code));
    const r = (await t.as(teller).post('/api/v1/statement-requests', { customerId: C.retail, period: PERIOD, purpose: 'customer_present', reference: sent.codeId, code, output: 'view' })).json();
    expect(r.status).toBe('allowed');
  });

  it('a portal code is stored with the same hash and signs the customer in', async () => {
    const token = await portalLogin(t, MOBILE.target);
    expect(token).toBeTruthy();
    const row = await t.store.db.selectFrom('verification_codes').select(['id', 'code_hash']).where('customer_id', '=', C.target).where('employee_id', 'is', null).executeTakeFirstOrThrow();
    const code = /\d{6}/.exec((await latestSmsTo(t.store.db, MOBILE.target)) ?? '')![0];
    expect(row.code_hash).toBe(oneTimeCodeHash(row.id, code));
  });
});
