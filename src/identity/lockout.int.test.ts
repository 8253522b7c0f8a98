/**
 * Issue 9, item 9: failed sign-ins must not become a weapon. A colleague guessing at an account from
 * elsewhere cannot keep its owner out of a browser the owner has used, a busy branch behind one
 * address is never held up as a whole, and a lock ends by the owner's trusted device or by another
 * administrator's recorded release.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { engines } from '../../test/engines.ts';
import { startTestApp } from '../../test/app-harness.ts';
import { E } from '../../test/bank-fixture.ts';
import { closeRefusalTallies } from '../audit/refusal-tally.ts';
import { auditEntries, buildIdentityTestApp, PASSWORDS, type IdentityTestApp } from './test-fixtures.ts';

interface DeviceCookie { name: string; value: string }

const ALICE_DESK = '10.1.1.1';
const ATTACKER = '10.66.6.6';
const ELSEWHERE = '10.2.2.2';
const MINUTE = 60_000;

function login(t: IdentityTestApp, username: string, password: string, remoteAddress: string, device?: DeviceCookie) {
  return t.app.inject({
    method: 'POST', url: '/api/v1/sessions', payload: { username, password }, remoteAddress,
    ...(device ? { cookies: { [device.name]: device.value } } : {}),
  });
}

function deviceCookieOf(res: { statusCode: number; cookies: Array<{ name: string; value: string }> }): DeviceCookie {
  const cookie = res.cookies.find((c) => c.name.startsWith('fg_device_'));
  if (res.statusCode !== 201 || !cookie) throw new Error(`sign-in gave ${res.statusCode} and no device cookie`);
  return { name: cookie.name, value: cookie.value };
}

const later = (t: IdentityTestApp, ms: number) => { t.clock.now = new Date(t.clock.now.getTime() + ms); };

/** Bob administers; the fixtures give him no admin role of his own. */
async function makeBobAdmin(t: IdentityTestApp): Promise<string> {
  await t.store.db.insertInto('employee_roles').values({ employee_id: 'E-BOB', role: 'admin' }).execute();
  return (await login(t, 'bob', PASSWORDS.bob, '10.9.0.1')).json().token as string;
}

const release = (t: IdentityTestApp, token: string, employeeId: string) =>
  t.app.inject({ method: 'POST', url: `/api/v1/admin/employees/${employeeId}/login-release`, headers: { authorization: `Bearer ${token}` } });

describe.each(engines)('lockout that cannot be aimed at a colleague, on $name', (engine) => {
  let t: IdentityTestApp;
  beforeEach(async () => { t = await buildIdentityTestApp(await engine.freshUrl()); });
  afterEach(async () => { await t.close(); });

  /** The attacker fails `times` times against alice, waiting out each delay; returns the waits asked for. */
  async function attack(times: number): Promise<Array<number | 'locked'>> {
    const waits: Array<number | 'locked'> = [];
    for (let i = 0; i < times; i++) {
      const res = await login(t, 'alice', `guess-${i}`, ATTACKER);
      if (res.statusCode === 429) {
        const retry = res.headers['retry-after'];
        if (retry === undefined) { waits.push('locked'); continue; }
        waits.push(Number(retry));
        later(t, Number(retry) * 1000);
        i--;
        continue;
      }
      expect(res.statusCode).toBe(401);
    }
    return waits;
  }

  it('the attacker earns delays that double up to 15 minutes, then a lock; answers inside a delay are not checked', async () => {
    const waits = await attack(100);
    expect(waits.slice(0, 14)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900]);
    // 5 free failures, 14 delayed ones, the 20th locks: every further guess is refused unchecked.
    expect(waits.slice(14)).toEqual(Array(80).fill('locked'));
    const row = await t.store.db.selectFrom('login_delays').select(['failures', 'locked_at']).where('key', 'like', 'login-user:%').executeTakeFirstOrThrow();
    expect(row.failures).toBe(20);
    expect(row.locked_at).not.toBeNull();
    // Checked attempts are one entry each; the 94 refused unchecked are counted, not written one by one.
    await closeRefusalTallies(t.store.db, t.clock.now, 'all');
    const failed = (await auditEntries(t.store)).flatMap((e) => (e.action === 'login.failed' ? [e.detail] : []));
    expect(failed.filter((d) => 'reason' in d && d.reason === 'invalid_credentials' && !('tally' in d))).toHaveLength(20);
    const heldBack = failed.flatMap((d) => ('tally' in d && d.tally === 'sign-in-held-back' ? [d] : []));
    expect(heldBack.reduce((n, d) => n + d.refusals, 0)).toBe(94);
    expect(heldBack.flatMap((d) => ('first' in d ? [d.reason] : []))).toContain('locked');
    expect(heldBack.length).toBeLessThanOrEqual(20);
  }, 60_000);

  it('100 failures by an attacker do not stop alice signing in from her trusted device, even from his address; that clears the lock', async () => {
    const device = deviceCookieOf(await login(t, 'alice', PASSWORDS.alice, ALICE_DESK));
    await attack(100);
    const untrusted = await login(t, 'alice', PASSWORDS.alice, ELSEWHERE);
    expect(untrusted.statusCode).toBe(429);
    expect(untrusted.json().detail).toMatch(/locked/);
    expect(untrusted.headers['retry-after']).toBeUndefined();

    expect((await login(t, 'alice', PASSWORDS.alice, ATTACKER, device)).statusCode).toBe(201);
    expect((await login(t, 'alice', PASSWORDS.alice, ELSEWHERE)).statusCode).toBe(201);
    const succeeded = (await auditEntries(t.store)).filter((e) => e.action === 'login.succeeded');
    expect(succeeded.at(-2)).toMatchObject({ detail: { trustedDevice: true, lockCleared: true } });
  }, 60_000);

  it("a trusted device's own failures earn it delays of its own, and never touch the account's", async () => {
    const device = deviceCookieOf(await login(t, 'alice', PASSWORDS.alice, ALICE_DESK));
    for (let i = 0; i < 6; i++) expect((await login(t, 'alice', 'typo', ALICE_DESK, device)).statusCode).toBe(401);
    const held = await login(t, 'alice', PASSWORDS.alice, ALICE_DESK, device);
    expect(held.statusCode).toBe(429);
    expect(held.headers['retry-after']).toBe('1');
    expect((await login(t, 'alice', PASSWORDS.alice, ELSEWHERE)).statusCode).toBe(201);
  });

  it('a device cookie proves nothing for another username, after tampering, or under another secret', async () => {
    const bobsDevice = deviceCookieOf(await login(t, 'bob', PASSWORDS.bob, ATTACKER));
    const aliceDevice = deviceCookieOf(await login(t, 'alice', PASSWORDS.alice, ALICE_DESK));
    for (let i = 0; i < 6; i++) await login(t, 'alice', 'guess', ATTACKER);
    const forged = [
      { name: aliceDevice.name, value: bobsDevice.value },
      { name: aliceDevice.name, value: aliceDevice.value.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) },
      { name: aliceDevice.name, value: aliceDevice.value.replace(/^v1\.[0-9]+/, 'v1.1') },
    ];
    for (const cookie of forged) expect((await login(t, 'alice', PASSWORDS.alice, ATTACKER, cookie)).statusCode).toBe(429);
    t.ctx.config.deviceSecret = 'another-secret-of-at-least-32-characters';
    expect((await login(t, 'alice', PASSWORDS.alice, ALICE_DESK, aliceDevice)).statusCode).toBe(429);
  });

  it('30 tellers behind one branch address, each mistyping twice, all still sign in', async () => {
    const hash = (await t.store.db.selectFrom('employees').select('password_hash').where('id', '=', 'E-ALICE').executeTakeFirstOrThrow()).password_hash;
    const tellers = Array.from({ length: 30 }, (_, i) => `teller${String(i).padStart(2, '0')}`);
    await t.store.db.insertInto('employees').values(tellers.map((username, i) => ({
      id: `E-T${i}`, username, display_name: username, pseudonym: `柜员-T${i}`, branch_id: 'BR-001', bank_role: 'teller' as const,
      status: 'active' as const, password_hash: hash, created_at: t.clock.now.toISOString(),
    }))).execute();
    const branch = '10.30.0.1';
    for (let round = 0; round < 2; round++) {
      for (const username of tellers) expect((await login(t, username, 'typo', branch)).statusCode).toBe(401);
    }
    for (const username of tellers) expect((await login(t, username, PASSWORDS.alice, branch)).statusCode).toBe(201);
  }, 60_000);

  describe("an administrator's release", () => {
    it('lets a locked-out employee in from any browser again, and is recorded', async () => {
      const admin = await makeBobAdmin(t);
      await attack(20);
      expect((await login(t, 'alice', PASSWORDS.alice, ELSEWHERE)).statusCode).toBe(429);
      const res = await release(t, admin, 'E-ALICE');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ employeeId: 'E-ALICE', was: 'locked', failures: 20 });
      expect((await login(t, 'alice', PASSWORDS.alice, ELSEWHERE)).statusCode).toBe(201);
      const released = (await auditEntries(t.store)).find((e) => e.action === 'login.released');
      // The employee released is named as any actor is (no name; the record's own pseudonymisation).
      expect(released).toMatchObject({
        actorId: 'E-BOB',
        actor: { kind: 'staff', branchId: 'BR-001', bankRole: 'branch_manager' },
        detail: { employee: { kind: 'staff', branchId: 'BR-001', bankRole: 'teller' }, was: 'locked', failures: 20 },
      });
    }, 60_000);

    it('cannot be applied to oneself, needs the admin role, and names an existing employee', async () => {
      const admin = await makeBobAdmin(t);
      const self = await release(t, admin, 'E-BOB');
      expect(self.statusCode).toBe(403);
      expect(self.json()).toMatchObject({ code: 'self_release' });
      expect(self.headers['content-type']).toMatch(/^application\/problem\+json/);
      const alice = (await login(t, 'alice', PASSWORDS.alice, ALICE_DESK)).json().token as string;
      expect((await release(t, alice, 'E-BOB')).json()).toMatchObject({ status: 403, code: 'forbidden' });
      expect((await release(t, admin, 'E-NOBODY')).json()).toMatchObject({ status: 404, code: 'not_found' });
      expect((await auditEntries(t.store)).filter((e) => e.action === 'login.released')).toEqual([]);
    });
  });
});

describe.each(engines)('nobody else can deny a trusted device, on $name', (engine) => {
  let t: IdentityTestApp;
  let aliceDevice: DeviceCookie;
  let bobDevice: DeviceCookie;
  beforeAll(async () => {
    t = await buildIdentityTestApp(await engine.freshUrl());
    aliceDevice = deviceCookieOf(await login(t, 'alice', PASSWORDS.alice, ALICE_DESK));
    bobDevice = deviceCookieOf(await login(t, 'bob', PASSWORDS.bob, ATTACKER));
  });
  afterAll(async () => { await t.close(); });

  it('whatever others try, from wherever, alice signs in from her trusted device with her password', async () => {
    // Others: any username (alice's above all), wrong or right-for-someone-else passwords, from the
    // attacker's, another or alice's own address, with no cookie, bob's own cookie, bob's cookie
    // under alice's cookie name, or a forged one; with time passing or not between tries.
    const cookieFor = (kind: string): DeviceCookie | undefined => {
      switch (kind) {
        case 'bobs': return bobDevice;
        case 'bobs-as-alices': return { name: aliceDevice.name, value: bobDevice.value };
        case 'forged': return { name: aliceDevice.name, value: `v1.${Math.floor(t.clock.now.getTime() / 1000)}.AAAAAAAAAAAAAAAAAAAAAA.${'A'.repeat(43)}` };
        default: return undefined;
      }
    };
    const attempt = fc.record({
      username: fc.oneof({ weight: 4, arbitrary: fc.constant('alice') }, { weight: 1, arbitrary: fc.constantFrom('bob', 'Alice', ' alice ', 'nobody') }),
      password: fc.oneof(fc.constant(PASSWORDS.bob), fc.string({ minLength: 1, maxLength: 12 })),
      address: fc.constantFrom(ATTACKER, ELSEWHERE, ALICE_DESK),
      cookie: fc.constantFrom('none', 'bobs', 'bobs-as-alices', 'forged'),
      waitMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 20 * MINUTE })),
    });
    await fc.assert(fc.asyncProperty(fc.array(attempt, { maxLength: 30 }), async (attempts) => {
      for (const a of attempts) {
        later(t, a.waitMs);
        const res = await login(t, a.username, a.password, a.address, cookieFor(a.cookie));
        expect([201, 401, 429]).toContain(res.statusCode);
      }
      const mine = await login(t, 'alice', PASSWORDS.alice, ALICE_DESK, aliceDevice);
      expect(mine.statusCode).toBe(201);
    }), { numRuns: 25 });
  }, 300_000);
});

describe.each(engines)('login release in the whole app, on $name', (engine) => {
  it('an administrator releases a teller; releasing oneself is refused and the refusal recorded', async () => {
    const t = await startTestApp(engine);
    try {
      for (let i = 0; i < 3; i++) {
        await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { username: 'teller', password: `wrong-${i}` }, remoteAddress: ATTACKER });
      }
      const admin = t.as(await t.login('admin'));
      const released = await admin.post(`/api/v1/admin/employees/${E.teller}/login-release`);
      expect(released.statusCode).toBe(200);
      expect(released.json()).toEqual({ employeeId: E.teller, was: 'free', failures: 3 });
      const self = await admin.post(`/api/v1/admin/employees/${E.admin}/login-release`);
      expect(self.statusCode).toBe(403);
      expect(self.json()).toMatchObject({ code: 'self_release' });
      expect((await t.as(await t.login('teller')).post(`/api/v1/admin/employees/${E.admin}/login-release`)).statusCode).toBe(403);
      const rows = await t.store.db.selectFrom('audit_entries').select(['action', 'actor_id']).where('action', 'in', ['login.released', 'request.refused']).orderBy('seq').execute();
      expect(rows).toEqual([
        { action: 'login.released', actor_id: E.admin },
        { action: 'request.refused', actor_id: E.admin },
        { action: 'request.refused', actor_id: E.teller },
      ]);
    } finally {
      await t.close();
    }
  });
});
