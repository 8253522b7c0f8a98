import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pseudonymKey, pseudonymOf } from '../audit/actor-pseudonyms.ts';
import { engines } from '../../test/engines.ts';
import { auditEntries, buildIdentityTestApp, PASSWORDS, type IdentityTestApp } from './test-fixtures.ts';

interface DeviceCookie { name: string; value: string }

const login = (t: IdentityTestApp, username: string, password: string, remoteAddress = '10.1.1.1', device?: DeviceCookie) =>
  t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { username, password }, remoteAddress, ...(device ? { cookies: { [device.name]: device.value } } : {}) });

/** The device cookie a sign-in set. */
const deviceCookieOf = (res: { cookies: Array<{ name: string; value: string }> }): DeviceCookie => {
  const cookie = res.cookies.find((c) => c.name.startsWith('fg_device_'));
  if (!cookie) throw new Error('no device cookie was set');
  return { name: cookie.name, value: cookie.value };
};

/** A problem body without the parts that differ per request. */
const comparable = (body: string) => {
  const { requestId: _r, ...rest } = JSON.parse(body) as Record<string, unknown>;
  return rest;
};

describe.each(engines)('staff login on $name', (engine) => {
  let t: IdentityTestApp;
  beforeEach(async () => { t = await buildIdentityTestApp(await engine.freshUrl()); });
  afterEach(async () => { await t.close(); });

  describe('with the right password', () => {
    it('answers 201 with a token, a CSRF token and the employee, and sets a strict session cookie', async () => {
      const res = await login(t, 'bob', PASSWORDS.bob);
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body).toMatchObject({
        expiresAt: '2026-11-02T09:00:00.000Z',
        employee: { id: 'E-BOB', displayName: 'bob', pseudonym: '行长-B2', branchId: 'BR-001', bankRole: 'branch_manager', roles: ['approver', 'requester'] },
      });
      expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(res.headers['cache-control']).toBe('no-store');
      const cookie = res.cookies.find((c) => c.name === 'fg_session');
      expect(cookie).toMatchObject({ value: body.token, httpOnly: true, sameSite: 'Strict', secure: true, path: '/' });
      expect(String(res.headers['set-cookie'])).toMatch(/HttpOnly/);
    });

    it('records login.succeeded with the employee as actor and no secret', async () => {
      const res = await login(t, 'alice', PASSWORDS.alice);
      const [entry] = await auditEntries(t.store);
      expect(entry).toMatchObject({ action: 'login.succeeded', actor: { kind: 'staff', pseudonym: pseudonymOf(pseudonymKey(), 'E-ALICE') }, actorId: 'E-ALICE' });
      expect(entry!.text).not.toContain(PASSWORDS.alice);
      expect(entry!.text).not.toContain(res.json().token);
      expect(entry!.text).not.toContain(res.json().csrfToken);
    });

    it('clears the failures counted against the name', async () => {
      for (let i = 0; i < 4; i++) await login(t, 'alice', 'wrong');
      expect((await login(t, 'alice', PASSWORDS.alice)).statusCode).toBe(201);
      for (let i = 0; i < 4; i++) expect((await login(t, 'alice', 'wrong')).statusCode).toBe(401);
    });
  });

  describe('refusals that must not tell accounts apart', () => {
    it('gives the same 401 body for a wrong password, an unknown user and an employee who left', async () => {
      const wrong = await login(t, 'alice', 'not her password');
      const unknown = await login(t, 'mallory', 'anything');
      const left = await login(t, 'carol', PASSWORDS.carol);
      for (const res of [wrong, unknown, left]) {
        expect(res.statusCode).toBe(401);
        expect(res.headers['set-cookie']).toBeUndefined();
      }
      expect(comparable(wrong.body)).toEqual(comparable(unknown.body));
      expect(comparable(left.body)).toEqual(comparable(unknown.body));
      expect(comparable(unknown.body)).toMatchObject({ code: 'invalid_credentials', status: 401 });
    });

    it('records failures: known employees by id, unknown names as anonymous without the name', async () => {
      await login(t, 'alice', 'not her password');
      await login(t, 'mallory-the-unknown', 'guess-1');
      await login(t, 'carol', PASSWORDS.carol);
      const [wrong, unknown, left] = await auditEntries(t.store);
      expect(wrong).toMatchObject({ action: 'login.failed', actor: { kind: 'staff', pseudonym: pseudonymOf(pseudonymKey(), 'E-ALICE') }, actorId: 'E-ALICE', detail: { usernameKnown: true, reason: 'invalid_credentials' } });
      expect(unknown).toMatchObject({ action: 'login.failed', actor: { kind: 'anonymous', id: null }, detail: { usernameKnown: false } });
      expect(left).toMatchObject({ action: 'login.failed', actorId: 'E-CAROL', detail: { reason: 'employee_left' } });
      expect(unknown!.text).not.toContain('mallory');
      for (const e of [wrong, unknown, left]) expect(e!.text).not.toMatch(/not her password|guess-1|still-knows/);
    });
  });

  describe('throttling', () => {
    it('delays a known and an unknown name alike after 5 free failures, with the same 429 body and Retry-After', async () => {
      for (const name of ['alice', 'nobody-here']) {
        for (let i = 0; i < 6; i++) expect((await login(t, name, `wrong-${i}`)).statusCode).toBe(401);
      }
      const known = await login(t, 'alice', PASSWORDS.alice);
      const unknown = await login(t, 'nobody-here', 'whatever');
      for (const res of [known, unknown]) {
        expect(res.statusCode).toBe(429);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.headers['retry-after']).toBe('1');
      }
      expect(comparable(known.body)).toEqual(comparable(unknown.body));
      expect(comparable(known.body)).toMatchObject({ code: 'too_many_attempts', retryAfterSeconds: 1 });
      const last = (await auditEntries(t.store)).at(-1);
      expect(last).toMatchObject({ action: 'login.failed', detail: { reason: 'delayed', usernameKnown: false } });
    });

    it('does not check or count an attempt inside the delay, and lets the next one through when it has passed', async () => {
      for (let i = 0; i < 6; i++) await login(t, 'alice', 'wrong');
      for (let i = 0; i < 10; i++) expect((await login(t, 'alice', 'wrong')).statusCode).toBe(429);
      t.clock.now = new Date(t.clock.now.getTime() + 1000);
      expect((await login(t, 'alice', PASSWORDS.alice)).statusCode).toBe(201);
      const row = await t.store.db.selectFrom('login_delays').select('failures').execute();
      expect(row).toEqual([{ failures: 6 }]);
    });

    it('delays a client address that tries many names, but not other addresses or a trusted device', async () => {
      const device = deviceCookieOf(await login(t, 'bob', PASSWORDS.bob, '10.9.9.9'));
      for (let i = 0; i < 101; i++) expect((await login(t, `user-${i}`, 'x', '10.9.9.9')).statusCode).toBe(401);
      expect((await login(t, 'alice', PASSWORDS.alice, '10.9.9.9')).statusCode).toBe(429);
      expect((await login(t, 'alice', PASSWORDS.alice, '10.9.9.10')).statusCode).toBe(201);
      expect((await login(t, 'bob', PASSWORDS.bob, '10.9.9.9', device)).statusCode).toBe(201);
    });
  });

  describe('device cookie', () => {
    it('is set on sign-in: httpOnly, strict, secure, only for the sign-in path, for 180 days', async () => {
      const res = await login(t, 'alice', PASSWORDS.alice);
      const cookie = res.cookies.find((c) => c.name.startsWith('fg_device_'));
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: true, path: '/api/v1/sessions', maxAge: 180 * 24 * 3600 });
      expect(cookie!.value).toMatch(/^v1\.[0-9]+\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
      expect(cookie!.name).not.toMatch(/alice/i);
    });

    it('is named per user, so two tellers on one browser keep their own', async () => {
      const a = deviceCookieOf(await login(t, 'alice', PASSWORDS.alice));
      const b = deviceCookieOf(await login(t, 'bob', PASSWORDS.bob));
      expect(a.name).not.toBe(b.name);
    });

    it('is recorded as a trusted device on sign-in', async () => {
      const device = deviceCookieOf(await login(t, 'alice', PASSWORDS.alice));
      await login(t, 'alice', PASSWORDS.alice, '10.1.1.1', device);
      const [first, second] = await auditEntries(t.store);
      expect(first).toMatchObject({ action: 'login.succeeded', detail: { trustedDevice: false } });
      expect(second).toMatchObject({ action: 'login.succeeded', detail: { trustedDevice: true } });
      expect(second!.text).not.toContain(device.value);
    });
  });

  it('rejects a body without a password as invalid_request, not as a login failure', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { username: 'alice' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('invalid_request');
  });

  it('keeps passwords and tokens out of the server logs', async () => {
    const ok = await login(t, 'alice', PASSWORDS.alice);
    await login(t, 'alice', 'typo-password');
    await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${ok.json().token}` } });
    const logs = t.logs.join('\n');
    expect(logs).toContain('request completed');
    for (const secret of [PASSWORDS.alice, 'typo-password', ok.json().token, ok.json().csrfToken]) expect(logs).not.toContain(secret);
  });
});

describe.each(engines)('sessions over HTTP on $name', (engine) => {
  let t: IdentityTestApp;
  let token: string;
  let csrfToken: string;
  beforeEach(async () => {
    t = await buildIdentityTestApp(await engine.freshUrl());
    ({ token, csrfToken } = (await login(t, 'alice', PASSWORDS.alice)).json());
  });
  afterEach(async () => { await t.close(); });

  const bearer = () => ({ authorization: `Bearer ${token}` });
  const cookies = () => ({ fg_session: token });

  it('authenticate by bearer token and by cookie, and say so in /me', async () => {
    const byBearer = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer() });
    expect(byBearer.json()).toMatchObject({ kind: 'staff', employeeId: 'E-ALICE', username: 'alice', roles: ['requester'], status: 'active', via: 'bearer' });
    const byCookie = await t.app.inject({ method: 'GET', url: '/api/v1/me', cookies: cookies() });
    expect(byCookie.json()).toMatchObject({ kind: 'staff', via: 'cookie' });
  });

  it('answer 401 to nobody, and the guards tell staff, roles and customers apart', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/test/staff' })).json()).toMatchObject({ status: 401, code: 'unauthenticated' });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/test/staff', headers: bearer() })).json()).toEqual({ employeeId: 'E-ALICE' });
    expect((await t.app.inject({ method: 'GET', url: '/test/approver', headers: bearer() })).json()).toMatchObject({ status: 403, code: 'forbidden' });
    expect((await t.app.inject({ method: 'GET', url: '/test/customer', headers: bearer() })).json()).toMatchObject({ status: 403, code: 'forbidden' });
    const bob = (await login(t, 'bob', PASSWORDS.bob)).json().token;
    expect((await t.app.inject({ method: 'GET', url: '/test/approver', headers: { authorization: `Bearer ${bob}` } })).statusCode).toBe(200);
  });

  describe('CSRF', () => {
    it('is required for an unsafe request authenticated by the cookie', async () => {
      const none = await t.app.inject({ method: 'POST', url: '/test/staff', cookies: cookies() });
      expect(none.statusCode).toBe(403);
      expect(none.json().code).toBe('csrf_mismatch');
      const wrong = await t.app.inject({ method: 'POST', url: '/test/staff', cookies: cookies(), headers: { 'x-csrf-token': `${csrfToken}x` } });
      expect(wrong.json().code).toBe('csrf_mismatch');
      const right = await t.app.inject({ method: 'POST', url: '/test/staff', cookies: cookies(), headers: { 'x-csrf-token': csrfToken } });
      expect(right.statusCode).toBe(200);
    });

    it('is not required for safe methods or for bearer tokens (browsers do not attach those by themselves)', async () => {
      expect((await t.app.inject({ method: 'GET', url: '/test/staff', cookies: cookies() })).statusCode).toBe(200);
      expect((await t.app.inject({ method: 'POST', url: '/test/staff', headers: bearer() })).statusCode).toBe(200);
    });

    it('does not stand in the way of a new login while a session cookie is held', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', cookies: cookies(), payload: { username: 'bob', password: PASSWORDS.bob } });
      expect(res.statusCode).toBe(201);
    });
  });

  describe('ending', () => {
    it('logout revokes the session, clears the cookie and is recorded', async () => {
      const res = await t.app.inject({ method: 'DELETE', url: '/api/v1/sessions/current', headers: bearer() });
      expect(res.statusCode).toBe(204);
      expect(res.cookies.find((c) => c.name === 'fg_session')?.value).toBe('');
      expect((await t.app.inject({ method: 'GET', url: '/test/staff', headers: bearer() })).statusCode).toBe(401);
      expect((await auditEntries(t.store)).at(-1)).toMatchObject({ action: 'logout', actor: { kind: 'staff' }, actorId: 'E-ALICE' });
    });

    it('logout by cookie needs the CSRF token (no forced logout from another site)', async () => {
      const res = await t.app.inject({ method: 'DELETE', url: '/api/v1/sessions/current', cookies: cookies() });
      expect(res.json().code).toBe('csrf_mismatch');
      const ok = await t.app.inject({ method: 'DELETE', url: '/api/v1/sessions/current', cookies: cookies(), headers: { 'x-csrf-token': csrfToken } });
      expect(ok.statusCode).toBe(204);
    });

    it('logout without a session is 401', async () => {
      expect((await t.app.inject({ method: 'DELETE', url: '/api/v1/sessions/current' })).statusCode).toBe(401);
    });

    it('an expired session no longer authenticates', async () => {
      t.clock.now = new Date(t.clock.now.getTime() + 8 * 3_600_000);
      expect((await t.app.inject({ method: 'GET', url: '/test/staff', headers: bearer() })).statusCode).toBe(401);
      expect((await t.app.inject({ method: 'GET', url: '/test/staff', cookies: cookies() })).statusCode).toBe(401);
    });

    it('an employee who leaves loses their open sessions at once', async () => {
      await t.store.db.updateTable('employees').set({ status: 'left' }).where('id', '=', 'E-ALICE').execute();
      expect((await t.app.inject({ method: 'GET', url: '/test/staff', headers: bearer() })).statusCode).toBe(401);
    });

    it('a wrong bearer token does not fall back to the cookie', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/test/staff', cookies: cookies(), headers: { authorization: 'Bearer nope' } });
      expect(res.statusCode).toBe(401);
    });
  });
});
