import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engines } from '../../test/engines.ts';
import { auditEntries, buildIdentityTestApp, CUSTOMER_MOBILE, latestCodeTo, OTHER_CUSTOMER_MOBILE, UNKNOWN_MOBILE, type IdentityTestApp } from './test-fixtures.ts';

const comparable = (body: string) => {
  const { requestId: _r, ...rest } = JSON.parse(body) as Record<string, unknown>;
  return rest;
};

describe.each(engines)('customer portal login on $name', (engine) => {
  let t: IdentityTestApp;
  // Three tries per code, fewer than the five failures that lock the number, so both limits show.
  beforeEach(async () => { t = await buildIdentityTestApp(await engine.freshUrl(), { codeMaxAttempts: 3 }); });
  afterEach(async () => { await t.close(); });

  const requestCode = (mobile: string, remoteAddress = '10.2.2.2') =>
    t.app.inject({ method: 'POST', url: '/api/v1/portal/codes', payload: { mobile }, remoteAddress });
  const signIn = (mobile: string, code: string, remoteAddress = '10.2.2.2') =>
    t.app.inject({ method: 'POST', url: '/api/v1/portal/sessions', payload: { mobile, code }, remoteAddress });
  const wrongCode = (code: string) => (code === '000000' ? '000001' : '000000');

  describe('asking for a code', () => {
    it('answers the same 202 for a customer and an unknown number, and only the customer gets an SMS', async () => {
      const known = await requestCode(CUSTOMER_MOBILE);
      const unknown = await requestCode(UNKNOWN_MOBILE);
      expect(known.statusCode).toBe(202);
      expect(unknown.statusCode).toBe(202);
      expect(known.json()).toEqual({ sent: true, expiresInSeconds: 300 });
      expect(unknown.body).toBe(known.body);
      const outbox = await t.store.db.selectFrom('outbox').selectAll().execute();
      expect(outbox).toHaveLength(1);
      expect(outbox[0]).toMatchObject({ channel: 'sms', recipient: CUSTOMER_MOBILE });
      expect(outbox[0]!.body).toMatch(/^【流水卫士】您的登录验证码为[0-9]{6}，5分钟内有效。请勿告知他人。$/);
    });

    it('stores the code hashed, for the customer, with no employee', async () => {
      await requestCode(CUSTOMER_MOBILE);
      const code = await latestCodeTo(t.store, CUSTOMER_MOBILE);
      const rows = await t.store.db.selectFrom('verification_codes').selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ customer_id: 'C-001', employee_id: null, attempts: 0, used_at: null, expires_at: '2026-11-02T01:05:00.000Z' });
      expect(rows[0]!.code_hash).not.toContain(code!);
    });

    it('records portal.code_sent with a masked number, the customer only when known', async () => {
      await requestCode(CUSTOMER_MOBILE);
      await requestCode(UNKNOWN_MOBILE);
      const code = await latestCodeTo(t.store, CUSTOMER_MOBILE);
      const [known, unknown] = await auditEntries(t.store);
      expect(known).toMatchObject({ action: 'portal.code_sent', actor: { kind: 'anonymous', id: null }, customer: 'C-001', detail: { mobile: '138****1234', delivered: true } });
      expect(unknown).toMatchObject({ action: 'portal.code_sent', customer: null, detail: { mobile: '137****1111', delivered: false } });
      for (const e of [known, unknown]) {
        expect(e!.text).not.toContain(CUSTOMER_MOBILE);
        expect(e!.text).not.toContain(UNKNOWN_MOBILE);
        expect(e!.text).not.toContain(code!);
      }
    });

    it('is throttled per number alike for customers and unknown numbers', async () => {
      for (const mobile of [CUSTOMER_MOBILE, UNKNOWN_MOBILE]) {
        for (let i = 0; i < 5; i++) expect((await requestCode(mobile)).statusCode).toBe(202);
      }
      const known = await requestCode(CUSTOMER_MOBILE);
      const unknown = await requestCode(UNKNOWN_MOBILE);
      expect(known.statusCode).toBe(429);
      expect(comparable(known.body)).toEqual(comparable(unknown.body));
    });

    it('slows an address down with growing delays instead of locking it: many customers share a carrier address', async () => {
      const numbers = Array.from({ length: 31 }, (_, i) => `139000000${String(i).padStart(2, '0')}`);
      for (const mobile of numbers) expect((await requestCode(mobile, '10.4.4.4')).statusCode).toBe(202);
      const held = await requestCode(CUSTOMER_MOBILE, '10.4.4.4');
      expect(held.statusCode).toBe(429);
      expect(held.headers['retry-after']).toBe('1');
      expect(held.json()).toMatchObject({ code: 'too_many_attempts', retryAfterSeconds: 1 });
      expect((await requestCode(CUSTOMER_MOBILE, '10.4.4.5')).statusCode).toBe(202);
      t.clock.now = new Date(t.clock.now.getTime() + 1000);
      expect((await requestCode(OTHER_CUSTOMER_MOBILE, '10.4.4.4')).statusCode).toBe(202);
      expect((await auditEntries(t.store)).find((e) => e.action === 'portal.code_refused')).toMatchObject({ detail: { hold: 'delayed', mobile: '138****1234' } });
    });

    it('refuses what is not a mainland mobile number', async () => {
      expect((await requestCode('+8613812341234')).statusCode).toBe(400);
      expect((await requestCode('1381234123')).statusCode).toBe(400);
    });
  });

  describe('signing in with the code', () => {
    it('gives a customer session with a strict cookie, and records portal.login', async () => {
      await requestCode(CUSTOMER_MOBILE);
      const code = (await latestCodeTo(t.store, CUSTOMER_MOBILE))!;
      const res = await signIn(CUSTOMER_MOBILE, code);
      expect(res.statusCode).toBe(201);
      const { token, csrfToken, expiresAt } = res.json();
      expect(expiresAt).toBe('2026-11-02T09:00:00.000Z');
      expect(res.cookies.find((c) => c.name === 'fg_session')).toMatchObject({ value: token, httpOnly: true, sameSite: 'Strict', secure: true, path: '/' });
      const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
      expect(me.json()).toEqual({ kind: 'customer', customerId: 'C-001', via: 'bearer' });
      expect((await t.app.inject({ method: 'GET', url: '/test/customer', cookies: { fg_session: token } })).json()).toEqual({ customerId: 'C-001' });
      expect((await t.app.inject({ method: 'GET', url: '/test/staff', cookies: { fg_session: token } })).statusCode).toBe(403);
      const entries = await auditEntries(t.store);
      expect(entries.at(-1)).toMatchObject({ action: 'portal.login', actor: { kind: 'customer', id: 'C-001' }, customer: 'C-001' });
      for (const e of entries) for (const secret of [code, token, csrfToken, CUSTOMER_MOBILE]) expect(e.text).not.toContain(secret);
    });

    it('answers the same 422 for a wrong code and for a number that is no customer', async () => {
      await requestCode(CUSTOMER_MOBILE);
      const code = (await latestCodeTo(t.store, CUSTOMER_MOBILE))!;
      const wrong = await signIn(CUSTOMER_MOBILE, wrongCode(code));
      const unknown = await signIn(UNKNOWN_MOBILE, '123456');
      const noCode = await signIn(OTHER_CUSTOMER_MOBILE, '123456');
      for (const res of [wrong, unknown, noCode]) expect(res.statusCode).toBe(422);
      expect(comparable(wrong.body)).toEqual(comparable(unknown.body));
      expect(comparable(noCode.body)).toEqual(comparable(unknown.body));
      expect(comparable(wrong.body)).toMatchObject({ code: 'code_invalid' });
      const failures = (await auditEntries(t.store)).filter((e) => e.action === 'login.failed');
      expect(failures).toHaveLength(3);
      expect(failures[1]).toMatchObject({ actor: { kind: 'anonymous', id: null }, customer: null, detail: { mobile: '137****1111' } });
    });

    it('accepts each code once', async () => {
      await requestCode(CUSTOMER_MOBILE);
      const code = (await latestCodeTo(t.store, CUSTOMER_MOBILE))!;
      expect((await signIn(CUSTOMER_MOBILE, code)).statusCode).toBe(201);
      expect((await signIn(CUSTOMER_MOBILE, code)).statusCode).toBe(422);
    });

    it('refuses a code after its five minutes', async () => {
      await requestCode(CUSTOMER_MOBILE);
      const code = (await latestCodeTo(t.store, CUSTOMER_MOBILE))!;
      t.clock.now = new Date(t.clock.now.getTime() + 300_000);
      expect((await signIn(CUSTOMER_MOBILE, code)).statusCode).toBe(422);
    });

    it('kills a code after codeMaxAttempts wrong tries, even for the right digits', async () => {
      await requestCode(CUSTOMER_MOBILE);
      const code = (await latestCodeTo(t.store, CUSTOMER_MOBILE))!;
      for (let i = 0; i < 3; i++) expect((await signIn(CUSTOMER_MOBILE, wrongCode(code))).statusCode).toBe(422);
      expect((await signIn(CUSTOMER_MOBILE, code)).statusCode).toBe(422);
    });

    it('lets a new code replace the old one', async () => {
      await requestCode(CUSTOMER_MOBILE);
      const first = (await latestCodeTo(t.store, CUSTOMER_MOBILE))!;
      await requestCode(CUSTOMER_MOBILE);
      const second = (await latestCodeTo(t.store, CUSTOMER_MOBILE))!;
      const live = await t.store.db.selectFrom('verification_codes').select('id').where('expires_at', '>', t.clock.now.toISOString()).execute();
      expect(live).toHaveLength(1);
      // One chance in a million the two codes are equal; then the old one cannot be told apart.
      if (first !== second) expect((await signIn(CUSTOMER_MOBILE, first)).statusCode).toBe(422);
      expect((await signIn(CUSTOMER_MOBILE, second)).statusCode).toBe(201);
    });

    it('lets a customer in from an address where others mistyped their codes many times', async () => {
      for (let i = 0; i < 40; i++) expect((await signIn(`137000020${String(i).padStart(2, '0')}`, '999999', '10.5.5.5')).statusCode).toBe(422);
      await requestCode(CUSTOMER_MOBILE, '10.5.5.5');
      const code = (await latestCodeTo(t.store, CUSTOMER_MOBILE))!;
      expect((await signIn(CUSTOMER_MOBILE, code, '10.5.5.5')).statusCode).toBe(201);
    });

    it('delays an address after 100 failed code checks, for a growing time', async () => {
      for (let i = 0; i < 101; i++) await signIn(`1370000${String(i).padStart(4, '0')}`, '999999', '10.6.6.6');
      const held = await signIn(UNKNOWN_MOBILE, '123456', '10.6.6.6');
      expect(held.statusCode).toBe(429);
      expect(held.headers['retry-after']).toBe('1');
      expect((await auditEntries(t.store)).at(-1)).toMatchObject({ action: 'login.failed', detail: { reason: 'delayed' } });
      t.clock.now = new Date(t.clock.now.getTime() + 1000);
      expect((await signIn(UNKNOWN_MOBILE, '123456', '10.6.6.6')).statusCode).toBe(422);
      expect((await signIn(UNKNOWN_MOBILE, '123456', '10.6.6.6')).headers['retry-after']).toBe('2');
    });

    it('locks a number after 5 failures, whether or not it is a customer', async () => {
      for (const mobile of [CUSTOMER_MOBILE, UNKNOWN_MOBILE]) {
        for (let i = 0; i < 5; i++) expect((await signIn(mobile, '999999')).statusCode).toBe(422);
      }
      await requestCode(CUSTOMER_MOBILE, '10.3.3.3');
      const code = (await latestCodeTo(t.store, CUSTOMER_MOBILE))!;
      const known = await signIn(CUSTOMER_MOBILE, code, '10.3.3.3');
      const unknown = await signIn(UNKNOWN_MOBILE, '123456', '10.3.3.3');
      expect(known.statusCode).toBe(429);
      expect(comparable(known.body)).toEqual(comparable(unknown.body));
    });
  });
});
