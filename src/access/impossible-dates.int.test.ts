/**
 * Issue 9, item 7: every date a person types is a real calendar day in a sane range, on every
 * endpoint that takes one, refused with a message naming the bad date.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../test/engines.ts';
import { portalLogin, startTestApp, type TestApp } from '../../test/app-harness.ts';
import { C, E, MOBILE, T } from '../../test/bank-fixture.ts';

const good = { customerId: C.retail, period: { from: '2026-08-01', to: '2026-10-31' }, purpose: 'service_ticket', reference: T.retailVisit, output: 'view' };

describe.each(engines)('impossible dates on $name', (engine) => {
  let t: TestApp;
  let teller: string;
  beforeAll(async () => {
    t = await startTestApp(engine);
    teller = await t.login('teller');
  });
  afterAll(async () => t.close());

  it.each([
    [{ from: '2025-02-30', to: '2025-03-31' }, /"2025-02-30" is not a day: February 2025 has days 01–28/],
    [{ from: '2025-02-31', to: '2025-02-28' }, /"2025-02-31" is not a day/],
    [{ from: '0000-01-01', to: '0000-02-01' }, /before 1990-01-01/],
    [{ from: '1970-01-01', to: '1970-02-01' }, /before 1990-01-01/],
    [{ from: '2099-01-01', to: '2099-02-01' }, /starts in the future/],
    [{ from: '2026-11-01', to: '2026-12-31' }, /"2026-12-31" is after today \(2026-11-25/],
  ])('a statement request for %j is refused with 422 invalid_period and stores nothing', async (period, detail) => {
    const r = await t.as(teller).post('/api/v1/statement-requests', { ...good, period });
    expect(r.statusCode, r.body).toBe(422);
    expect(r.json()).toMatchObject({ code: 'invalid_period', detail: expect.stringMatching(detail) });
    expect(await t.store.db.selectFrom('statement_requests').select('id').execute()).toEqual([]);
  });

  it('the portal refuses an impossible date instead of echoing it', async () => {
    const customer = await portalLogin(t, MOBILE.retail);
    const r = await t.as(customer).get('/api/v1/portal/statement?accountId=A-RETAIL&from=2025-02-01&to=2025-02-30');
    expect(r.statusCode, r.body).toBe(422);
    expect(r.json()).toMatchObject({ code: 'invalid_period', detail: expect.stringMatching(/end "2025-02-30" is not a day/) });
    expect(r.body).not.toMatch(/"to":"2025-02-30"/);
    expect((await t.as(customer).get('/api/v1/portal/statement?accountId=A-RETAIL&from=2024-02-29&to=2024-03-31')).statusCode).toBe(200);
  });

  it.each([
    [{ completedOn: '2025-02-30', validUntil: '2026-02-28' }, /completedOn "2025-02-30" is not a day/],
    [{ completedOn: '2026-12-01', validUntil: '2027-12-01' }, /completedOn "2026-12-01" is after today/],
    [{ completedOn: '0000-01-01', validUntil: '2026-12-01' }, /before 1990-01-01/],
    [{ completedOn: '2026-01-10', validUntil: '2026-13-01' }, /validUntil "2026-13-01" has no month 13/],
    [{ completedOn: '2026-01-10', validUntil: '2026-01-09' }, /validUntil "2026-01-09" is before completedOn \(2026-01-10\)/],
    [{ completedOn: '2026-01-10', validUntil: '9999-12-31' }, /after 2099-12-31/],
  ])('a training record %j is refused with 400 and nothing is imported', async (dates, detail) => {
    const admin = await t.login('admin');
    const r = await t.as(admin).post('/api/v1/training-records', { records: [{ employeeId: E.teller, kind: 'training', ...dates }] });
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json()).toMatchObject({ code: 'invalid_request', detail: expect.stringMatching(detail) });
  });

  it('the audit record\'s time filters take a real day or UTC time, and refuse others by name', async () => {
    const analyst = await t.login('analyst');
    for (const [query, detail] of [
      ['from=2025-02-30', /from "2025-02-30": 2025-02-30 is not a day/],
      ['to=2025-02-29T10:00:00Z', /to "2025-02-29T10:00:00Z": 2025-02-29 is not a day/],
      ['from=2026-11-25T24:00:00Z', /not a time of day/],
      ['from=yesterday', /is not a day or a UTC time/],
      ['from=0000-01-01', /before 1990-01-01/],
      ['from=2026-11-25&to=2026-11-24', /ends \(to 2026-11-24\) before it starts/],
    ] as const) {
      const r = await t.as(analyst).get(`/api/v1/oversight/audit-record?${query}`);
      expect(r.statusCode, `${query} ${r.body}`).toBe(400);
      expect(r.json().detail, query).toMatch(detail);
    }
    // A bare day is the whole (UTC) day: the entries written at 02:00 on the test clock's day are in it.
    const day = await t.as(analyst).get('/api/v1/oversight/audit-record?from=2026-11-25&to=2026-11-25');
    expect(day.statusCode).toBe(200);
    expect(day.json().length).toBeGreaterThan(0);
    expect((await t.as(analyst).get('/api/v1/oversight/audit-record?to=2026-11-24T23:59:59Z')).json()).toEqual([]);
    expect((await t.as(analyst).get('/api/v1/oversight/audit-record?from=2026-11-25T02:00Z')).json().length).toBeGreaterThan(0);
    expect((await t.as(analyst).get(`/api/v1/oversight/audit-record?before=${2 ** 60}`)).statusCode).toBe(400);
  });
});
