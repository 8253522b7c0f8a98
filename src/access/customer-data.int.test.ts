/**
 * Customer data through the accessor only, and the release pipeline's promise over HTTP: every
 * output's bytes come after its entry is committed (a failing append leaves no bytes and a
 * problem), the CSV opens as UTF-8 with a BOM and the bank's local dates, and each deliberate
 * direct read (portal accounts, a customer's access history, access reports, post-reviews) is recorded.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { engines } from '../../test/engines.ts';
import { portalLogin, startTestApp, type TestApp } from '../../test/app-harness.ts';
import { C, MOBILE, T } from '../../test/bank-fixture.ts';
import { localDateTime } from './local-time.ts';
import { customerData, routeContext } from './customer-data.ts';

/** Actions whose append fails, as a full disk or a lost database connection would make it. */
const recordFault = vi.hoisted(() => ({ failing: new Set<string>() }));

vi.mock('../audit/record.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../audit/record.ts')>();
  const refuse = (action: string) => recordFault.failing.has(action);
  return {
    ...real,
    appendAuditEntry: ((db, event, now) => (refuse(event.action) ? Promise.reject(new Error('the record is unavailable')) : real.appendAuditEntry(db, event, now))) as typeof real.appendAuditEntry,
    // Shared commits (repeat views) build their entries here.
    buildEntry: ((event, createdAt, key) => {
      if (refuse(event.action)) throw new Error('the record is unavailable');
      return real.buildEntry(event, createdAt, key);
    }) as typeof real.buildEntry,
  };
});

const PERIOD = { from: '2026-08-01', to: '2026-10-31' };

async function entries(t: TestApp, action: string) {
  return t.store.db.selectFrom('audit_entries').select(['seq', 'customer_id', 'request_id']).where('action', '=', action).orderBy('seq').execute();
}

describe.each(engines)('customer data through the gate on $name', (engine) => {
  let t: TestApp;
  let teller: string;
  let analyst: string;

  beforeAll(async () => {
    t = await startTestApp(engine);
    teller = await t.login('teller');
    analyst = await t.login('analyst');
  });
  afterAll(async () => {
    recordFault.failing.clear();
    await t.close();
  });

  async function acknowledgedRequest(output: 'view' | 'csv' | 'print'): Promise<string> {
    const r = await t.as(teller).post('/api/v1/statement-requests', { customerId: C.retail, period: PERIOD, purpose: 'service_ticket', reference: T.retailVisit, output });
    expect(r.json()).toMatchObject({ status: 'allowed' });
    const id = r.json().id as string;
    expect((await t.as(teller).post(`/api/v1/statement-requests/${id}/acknowledgement`, { version: r.json().legalWarning.version })).statusCode).toBe(201);
    return id;
  }

  it.each(['csv', 'view', 'print'] as const)('a %s release whose entry cannot be committed sends no statement bytes, only a problem', async (output) => {
    const id = await acknowledgedRequest(output);
    recordFault.failing.add(output === 'view' ? 'statement.viewed' : 'statement.exported');
    try {
      const r = await t.as(teller).get(`/api/v1/statement-requests/${id}/statement`);
      expect(r.statusCode).toBe(500);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.headers['content-disposition']).toBeUndefined();
      expect(r.body).not.toMatch(/\uFEFF|水印|Watermark|621700|accounts/);
    } finally {
      recordFault.failing.clear();
    }
    expect((await entries(t, output === 'view' ? 'statement.viewed' : 'statement.exported')).filter((e) => e.request_id === id)).toEqual([]);
    // Once the record takes entries again, the same request releases, recorded.
    expect((await t.as(teller).get(`/api/v1/statement-requests/${id}/statement`)).statusCode).toBe(200);
    expect((await entries(t, output === 'view' ? 'statement.viewed' : 'statement.exported')).filter((e) => e.request_id === id)).toHaveLength(1);
  });

  it("a customer's own statement whose entry cannot be committed is not sent", async () => {
    const token = await portalLogin(t, MOBILE.retail);
    const accounts = (await t.as(token).get('/api/v1/portal/accounts')).json() as Array<{ id: string }>;
    recordFault.failing.add('portal.statement_viewed');
    try {
      const r = await t.as(token).get(`/api/v1/portal/statement?accountId=${accounts[0]!.id}&from=${PERIOD.from}&to=${PERIOD.to}`);
      expect(r.statusCode).toBe(500);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.body).not.toMatch(/rows|watermark|621700/);
    } finally {
      recordFault.failing.clear();
    }
  });

  it('the CSV opens as UTF-8 with a BOM, rows dated on the bank clock, amounts with two decimals', async () => {
    const id = await acknowledgedRequest('csv');
    const r = await t.as(teller).get(`/api/v1/statement-requests/${id}/statement`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['content-disposition']).toBe(`attachment; filename="statement-${id}.csv"`);
    expect(r.headers['cache-control']).toBe('no-store');
    const bytes = r.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder('utf-8', { fatal: true }).decode(bytes).split('\r\n');
    const [account] = await t.ctx.source.accounts(C.retail);
    const { rows } = await t.ctx.source.rows(account!.id, PERIOD.from, '2026-11-01');
    const timeZone = t.ctx.config.timeZone;
    const first = rows[0]!;
    const local = localDateTime(new Date(first.postedAt), timeZone);
    const cells = lines[1]!.split(',');
    expect(cells.slice(2, 4)).toEqual([local.date, local.time]);
    expect(cells[7]).toBe(`${first.amountCents < 0 ? '-' : ''}${Math.floor(Math.abs(first.amountCents) / 100)}.${String(Math.abs(first.amountCents) % 100).padStart(2, '0')}`);
    expect(lines.slice(1, -2).every((l) => /,-?\d+\.\d{2},-?\d+\.\d{2},/.test(l))).toBe(true);
  });

  it("portal accounts and a customer's access history, reports and post-reviews are each recorded", async () => {
    const token = await portalLogin(t, MOBILE.retail);
    const accounts = await t.as(token).get('/api/v1/portal/accounts');
    expect(accounts.statusCode).toBe(200);
    expect(accounts.json()[0].cardNumber).toMatch(/\*/);
    expect((await entries(t, 'portal.accounts_viewed')).at(-1)).toMatchObject({ customer_id: C.retail });

    expect((await t.as(analyst).get(`/api/v1/customers/${C.retail}/access-history`)).statusCode).toBe(200);
    expect((await entries(t, 'customer.access_history_viewed')).at(-1)).toMatchObject({ customer_id: C.retail });

    expect((await t.as(analyst).get('/api/v1/access-reports')).statusCode).toBe(200);
    expect(await entries(t, 'access_reports.listed')).toHaveLength(1);

    expect((await t.as(analyst).get('/api/v1/post-reviews')).statusCode).toBe(200);
    expect(await entries(t, 'post_reviews.listed')).toHaveLength(1);
  });

  it("the context routes get refuses the statement source; the accessor built from it reads", async () => {
    const routeCtx = routeContext(t.ctx);
    await expect(routeCtx.source.accounts(C.retail)).rejects.toThrow(/customerData/);
    await expect(routeCtx.source.rows('A', '2026-01-01', '2026-02-01')).rejects.toThrow(/customerData/);
    expect(routeCtx.store).toBe(t.ctx.store);
    const customer = { kind: 'customer' as const, customerId: C.retail, via: 'bearer' as const };
    expect((await customerData(routeCtx, customer, 'trace-accounts').ownAccounts()).length).toBeGreaterThan(0);
  });
});
