/**
 * Issue 9, item 1: one administrator must not be able to take the statement gate down — neither by
 * a policy text that makes Cedar overflow its stack, nor by leaving behind an engine that traps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../test/engines.ts';
import { startTestApp, type TestApp } from '../../test/app-harness.ts';
import { C, T } from '../../test/bank-fixture.ts';
import { unguardedCedarForTests } from './policy/cedar-runtime.ts';

const PERIOD = { from: '2026-08-01', to: '2026-10-31' };

/** The attack as found: ~650 bytes, a `when` condition nesting 300 parentheses. */
function deepPolicy(levels: number): string {
  return `@id("deep")\n@outcome("allow")\n@reason_zh("x")\n@reason_en("x")\n@requester_zh("x")\n@requester_en("x")\npermit (principal, action == Action::"read_statement", resource)\nwhen { ${'('.repeat(levels)}true${')'.repeat(levels)} };\n`;
}

describe.each(engines)('the statement gate under a hostile policy text on $name', (engine) => {
  let t: TestApp;
  let admin: string;
  let teller: string;
  const ask = () => t.as(teller).post('/api/v1/statement-requests', { customerId: C.retail, period: PERIOD, purpose: 'service_ticket', reference: T.retailVisit, output: 'view' });
  beforeAll(async () => {
    t = await startTestApp(engine);
    admin = await t.login('admin');
    teller = await t.login('teller');
  });
  afterAll(async () => t.close());

  it('refuses a 300-parenthesis policy with 422 invalid_policy, naming the line and the limit, and the gate keeps working', async () => {
    const text = deepPolicy(300);
    expect(Buffer.byteLength(text)).toBeLessThan(800);
    const validated = await t.as(admin).post('/api/v1/admin/policy-set/validation', { text });
    expect(validated.statusCode).toBe(422);
    expect(validated.headers['content-type']).toContain('application/problem+json');
    expect(validated.json().code).toBe('invalid_policy');
    expect(validated.json().detail).toMatch(/line 8\b.*limit/);

    const proposed = await t.as(admin).post('/api/v1/admin/changes', { kind: 'policy_set', key: 'default', body: text });
    expect(proposed.statusCode).toBe(422);
    expect(proposed.json().code).toBe('invalid_policy');
    expect(proposed.json().detail).toMatch(/line 8\b.*limit/);

    for (let i = 0; i < 3; i++) expect((await ask()).statusCode).toBe(201);
    const health = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
  });

  // Defence in depth: break Cedar past the bounds, the way an unguarded call would. From the event
  // loop's shallow stack its own stack overflows first ("memory access out of bounds") and stays
  // corrupt; under a deep JavaScript stack V8's may overflow first and leave it usable, so retry
  // until a trivial call fails too.
  async function breakCedar(): Promise<void> {
    const trivial = 'permit (principal, action, resource);';
    for (let i = 0; i < 5; i++) {
      await new Promise<void>((done) => setImmediate(() => {
        try {
          unguardedCedarForTests().policyToJson(deepPolicy(300));
        } catch {
          // expected: the trap
        }
        done();
      }));
      try {
        unguardedCedarForTests().policyToJson(trivial);
      } catch {
        return;
      }
    }
    throw new Error('could not break Cedar');
  }

  it('after Cedar traps, the failing decision answers 503 problem+json and the next ones work again, without a restart', async () => {
    await breakCedar();
    const failed = await ask();
    expect(failed.statusCode).toBe(503);
    expect(failed.headers['content-type']).toContain('application/problem+json');
    expect(failed.json()).toMatchObject({ code: 'policy_engine_unavailable', status: 503 });
    expect(failed.body).not.toMatch(/memory|RuntimeError|wasm/i);
    const again = await ask();
    expect(again.statusCode).toBe(201);
    expect(again.json().status).toBe('allowed');
    // The refused attempt left no request behind.
    const rows = await t.store.db.selectFrom('statement_requests').select('id').where('customer_id', '=', C.retail).execute();
    expect(rows.map((r) => r.id)).not.toContain(failed.json().id);
  });

  it('healthz reports a broken engine with 503 problem+json until it is rebuilt', async () => {
    await breakCedar();
    const broken = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(broken.statusCode).toBe(503);
    expect(broken.headers['content-type']).toContain('application/problem+json');
    expect(broken.json().code).toBe('policy_engine_unavailable');
    const mended = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(mended.statusCode).toBe(200);
    expect(mended.json()).toEqual({ status: 'ok' });
    expect((await ask()).statusCode).toBe(201);
  });
});
