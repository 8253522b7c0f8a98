import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../test/engines.ts';
import { portalLogin, startTestApp, type TestApp } from '../../test/app-harness.ts';
import { C, E, MOBILE, T } from '../../test/bank-fixture.ts';
import { pseudonymKey, pseudonymOf } from '../audit/actor-pseudonyms.ts';

const PERIOD = { from: '2026-08-01', to: '2026-10-31' };

describe.each(engines)('customer access history on $name', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(async () => t.close());

  it('shows the customer who looked, when and why, but withholds judicial and AML accesses (no tipping-off)', async () => {
    const teller = await t.login('teller');
    const ordinary = (await t.as(teller).post('/api/v1/statement-requests', { customerId: C.retail, period: PERIOD, purpose: 'service_ticket', reference: T.retailVisit, output: 'view' })).json();
    await t.as(teller).post(`/api/v1/statement-requests/${ordinary.id}/acknowledgement`, { version: t.ctx.config.legalWarning.version });
    expect((await t.as(teller).get(`/api/v1/statement-requests/${ordinary.id}/statement`)).statusCode).toBe(200);

    const compliance = await t.login('compliance');
    // A judicial request for the same customer: the document belongs to C.judicial, so file one for C.retail first.
    await t.store.db.insertInto('service_tickets').values({ id: 'T-RETAIL-COURT', customer_id: C.retail, assigned_employee_id: null, kind: 'judicial_assistance', status: 'open', document_number: '沪公(经)协查字〔2026〕123号', opened_at: '2026-11-01T00:00:00.000Z', closed_at: null }).execute();
    const judicial = (await t.as(compliance).post('/api/v1/statement-requests', { customerId: C.retail, period: PERIOD, purpose: 'judicial_request', reference: '沪公(经)协查字〔2026〕123号', output: 'view' })).json();
    expect(judicial.status).toBe('pending_approval');
    const investigator = await t.login('investigator');
    await t.store.db.insertInto('service_tickets').values({ id: 'T-RETAIL-AML', customer_id: C.retail, assigned_employee_id: null, kind: 'aml_case', status: 'open', document_number: null, opened_at: '2026-11-01T00:00:00.000Z', closed_at: null }).execute();
    const aml = (await t.as(investigator).post('/api/v1/statement-requests', { customerId: C.retail, period: PERIOD, purpose: 'aml_investigation', reference: 'T-RETAIL-AML', output: 'view' })).json();
    expect(aml.status).toBe('allowed');

    const customer = await portalLogin(t, MOBILE.retail);
    const history = (await t.as(customer).get('/api/v1/portal/history')).json();
    expect(history.map((h: { kind: string; purpose: string }) => `${h.kind}:${h.purpose}`)).toEqual(['view:service_ticket', 'request:service_ticket']);
    expect(history[0]).toMatchObject({ employee: { pseudonym: pseudonymOf(pseudonymKey(), E.teller), branchId: 'SH01', role: 'teller' }, output: 'view', referenceKind: 'ticket' });
    expect(JSON.stringify(history)).not.toContain('王小明');
    expect(JSON.stringify(history)).not.toMatch(/judicial|aml|协查/);

    const withheld = await t.store.db.selectFrom('audit_entries').select('request_id').where('action', '=', 'history.withheld').where('customer_id', '=', C.retail).execute();
    expect(withheld.map((w) => w.request_id).sort()).toEqual([judicial.id, aml.id].sort());
  });

  it("lets the customer report an access they don't recognise, and only their own", async () => {
    const customer = await portalLogin(t, MOBILE.retail);
    const [first] = (await t.as(customer).get('/api/v1/portal/history')).json();
    const r = await t.as(customer).post(`/api/v1/portal/history/${first.seq}/report`, { comment: '我不认识这次查询' });
    expect(r.statusCode).toBe(201);
    const reports = await t.store.db.selectFrom('access_reports').selectAll().where('customer_id', '=', C.retail).execute();
    expect(reports).toHaveLength(1);

    const stranger = await portalLogin(t, MOBILE.target);
    const other = await t.as(stranger).post(`/api/v1/portal/history/${first.seq}/report`, { comment: 'not mine' });
    expect(other.statusCode).toBe(404);
    const analyst = await t.login('analyst');
    expect((await t.as(analyst).get('/api/v1/access-reports')).json()).toHaveLength(1);
  });

  it('a staff member cannot read the portal and a customer cannot read staff routes', async () => {
    const teller = await t.login('teller');
    expect((await t.as(teller).get('/api/v1/portal/history')).statusCode).toBe(403);
    const customer = await portalLogin(t, MOBILE.retail);
    expect((await t.as(customer).get(`/api/v1/customers?q=${C.retail}`)).statusCode).toBe(403);
    expect((await t.as(customer).get(`/api/v1/customers/${C.retail}/access-history`)).statusCode).toBe(403);
  });

  it('texts the customer on every release once access notifications are on, but never for a withheld AML access', async () => {
    const customer = await portalLogin(t, MOBILE.retail);
    const put = await t.app.inject({ method: 'PUT', url: '/api/v1/portal/access-notifications', headers: { authorization: `Bearer ${customer}` }, payload: { enabled: true } });
    expect(put.json()).toEqual({ enabled: true });
    expect((await t.as(customer).get('/api/v1/portal/access-notifications')).json()).toEqual({ enabled: true });
    // "alerts" is detection's word now (issue 10): the old path is gone, the change is recorded under the new name.
    expect((await t.as(customer).get('/api/v1/portal/alerts')).statusCode).toBe(404);
    const recorded = await t.store.db.selectFrom('audit_entries').select('action').where('customer_id', '=', C.retail).where('action', 'like', 'portal.%_changed').execute();
    expect(recorded.map((r) => r.action)).toEqual(['portal.access_notifications_changed']);
    const smsCount = async () => (await t.store.db.selectFrom('outbox').select('body').where('recipient', '=', MOBILE.retail).where('body', 'like', '%被%查阅%').execute()).length;
    const before = await smsCount();

    const investigator = await t.login('investigator');
    const aml = (await t.as(investigator).post('/api/v1/statement-requests', { customerId: C.retail, period: PERIOD, purpose: 'aml_investigation', reference: 'T-RETAIL-AML', output: 'view' })).json();
    await t.as(investigator).post(`/api/v1/statement-requests/${aml.id}/acknowledgement`, { version: t.ctx.config.legalWarning.version });
    expect((await t.as(investigator).get(`/api/v1/statement-requests/${aml.id}/statement`)).statusCode).toBe(200);
    expect(await smsCount()).toBe(before);

    const teller = await t.login('teller');
    const ordinary = (await t.as(teller).post('/api/v1/statement-requests', { customerId: C.retail, period: PERIOD, purpose: 'service_ticket', reference: T.retailVisit, output: 'view' })).json();
    await t.as(teller).post(`/api/v1/statement-requests/${ordinary.id}/acknowledgement`, { version: t.ctx.config.legalWarning.version });
    await t.as(teller).get(`/api/v1/statement-requests/${ordinary.id}/statement`);
    expect(await smsCount()).toBe(before + 1);
    const history = (await t.as(customer).get('/api/v1/portal/history')).json();
    expect(history.some((h: { purpose: string }) => h.purpose === 'aml_investigation')).toBe(false);
  });

  it('lets the customer read their own statement, masked and recorded, and no one else\'s', async () => {
    const customer = await portalLogin(t, MOBILE.retail);
    const accounts = (await t.as(customer).get('/api/v1/portal/accounts')).json();
    expect(accounts).toEqual([{ id: 'A-RETAIL', cardNumber: expect.stringMatching(/^621700\*+\d{4}$/), kind: 'debit', currency: 'CNY' }]);
    const s = await t.as(customer).get('/api/v1/portal/statement?accountId=A-RETAIL&from=2026-08-01&to=2026-10-31');
    expect(s.statusCode).toBe(200);
    const view = s.json();
    expect(view.accounts[0].rows).toHaveLength(90);
    expect(view.customer.idNumber).toMatch(/^3\*+.$/);
    const recorded = await t.store.db.selectFrom('audit_entries').select('customer_id').where('action', '=', 'portal.statement_viewed').execute();
    expect(recorded).toEqual([{ customer_id: C.retail }]);
    expect((await t.as(customer).get('/api/v1/portal/statement?accountId=A-TARGET&from=2026-08-01&to=2026-10-31')).statusCode).toBe(404);
    expect((await t.as(customer).get('/api/v1/portal/statement?accountId=A-RETAIL&from=2020-01-01&to=2026-10-31')).statusCode).toBe(422);
    const teller = await t.login('teller');
    expect((await t.as(teller).get('/api/v1/portal/statement?accountId=A-RETAIL&from=2026-08-01&to=2026-10-31')).statusCode).toBe(403);
  });
});
