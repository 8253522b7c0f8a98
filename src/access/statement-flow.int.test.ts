import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../test/engines.ts';
import { startTestApp, type TestApp } from '../../test/app-harness.ts';
import { C, CANARY, E, MOBILE, T } from '../../test/bank-fixture.ts';
import { parseEntry } from '../audit/record.ts';
import { latestSmsTo } from '../notify/sms.ts';

const PERIOD = { from: '2026-08-01', to: '2026-10-31' };
const HIDDEN_WORDS = /VIP|贵宾|relative|亲属|employee|员工|honeytoken|诱饵|decoy|public figure|名人/i;

async function actions(t: TestApp, requestId: string) {
  const rows = await t.store.db.selectFrom('audit_entries').select(['action', 'entry']).where('request_id', '=', requestId).orderBy('seq').execute();
  return rows.map((r) => r.action);
}

describe.each(engines)('statement requests on $name', (engine) => {
  let t: TestApp;
  let teller: string;
  let manager: string;
  beforeAll(async () => {
    t = await startTestApp(engine);
    teller = await t.login('teller');
    manager = await t.login('manager');
  });
  afterAll(async () => t.close());

  it('an allowed request releases a masked, watermarked statement only after the warning is acknowledged', async () => {
    const r = await t.as(teller).post('/api/v1/statement-requests', { customerId: C.retail, period: PERIOD, purpose: 'service_ticket', reference: T.retailVisit, output: 'view' });
    expect(r.statusCode).toBe(201);
    const decision = r.json();
    expect(decision).toMatchObject({ status: 'allowed', outcome: 'allow' });
    expect(decision.legalWarning.zh).toContain('法律风险警示');

    const early = await t.as(teller).get(`/api/v1/statement-requests/${decision.id}/statement`);
    expect(early.statusCode).toBe(428);
    expect(early.headers['content-type']).toContain('application/problem+json');

    expect((await t.as(teller).post(`/api/v1/statement-requests/${decision.id}/acknowledgement`, { version: decision.legalWarning.version })).statusCode).toBe(201);
    const s = await t.as(teller).get(`/api/v1/statement-requests/${decision.id}/statement`);
    expect(s.statusCode).toBe(200);
    const view = s.json();
    expect(view.accounts[0].cardNumber).toMatch(/^621700\*+\d{4}$/);
    expect(view.customer.name).toBe('欧*·******* *');
    expect(view.customer.idNumber).toMatch(/^3\*{16}.$/);
    expect(view.watermark).toMatchObject({ employeeId: E.teller, displayName: '王小明', requestId: decision.id });
    const rows = view.accounts[0].rows;
    expect(rows.length).toBe(90);
    for (let i = 1; i < rows.length; i++) expect(rows[i].balanceCents).toBe(rows[i - 1].balanceCents + rows[i].amountCents);
    expect(await actions(t, decision.id)).toEqual(['statement.requested', 'statement.release_refused', 'legal_warning.acknowledged', 'statement.viewed']);
  });

  it('a VIP request waits for the branch manager, who sees the real reason; the requester never does', async () => {
    const r = (await t.as(teller).post('/api/v1/statement-requests', { customerId: C.vip, period: PERIOD, purpose: 'service_ticket', reference: T.vipVisit, output: 'view' })).json();
    expect(r.status).toBe('pending_approval');
    expect(`${r.reason.zh} ${r.reason.en}`).not.toMatch(HIDDEN_WORDS);
    const mine = (await t.as(teller).get(`/api/v1/statement-requests/${r.id}`)).json();
    expect(JSON.stringify(mine.reason)).not.toMatch(HIDDEN_WORDS);
    expect(Object.keys(mine)).not.toContain('policyIds');

    const inbox = (await t.as(manager).get('/api/v1/approvals')).json();
    const item = inbox.find((i: { id: string }) => i.id === r.id);
    expect(item.policyIds.length).toBeGreaterThan(0);
    expect(`${item.reason.en}`).toMatch(/VIP|private|segment|special/i);

    const blocked = await t.as(teller).get(`/api/v1/statement-requests/${r.id}/statement`);
    expect(blocked.statusCode).toBe(403);

    expect((await t.as(manager).post(`/api/v1/approvals/${r.id}`, { verdict: 'approved', comment: '客户本人在场' })).statusCode).toBe(200);
    const again = await t.as(manager).post(`/api/v1/approvals/${r.id}`, { verdict: 'approved', comment: 'twice' });
    expect(again.statusCode).toBe(409);

    const ack = await t.as(teller).post(`/api/v1/statement-requests/${r.id}/acknowledgement`, { version: t.ctx.config.legalWarning.version });
    expect(ack.statusCode).toBe(201);
    expect((await t.as(teller).get(`/api/v1/statement-requests/${r.id}/statement`)).statusCode).toBe(200);
    const reuse = await t.as(teller).get(`/api/v1/statement-requests/${r.id}/statement`);
    expect(reuse.statusCode).toBe(403);
    expect(reuse.json().detail).toMatch(/single use/);
  });

  it('nobody approves their own request, and the attempt is recorded', async () => {
    const manager2 = manager;
    const r = (await t.as(manager2).post('/api/v1/statement-requests', { customerId: C.vip, period: PERIOD, purpose: 'internal_audit', reference: T.vipVisit, output: 'view' }));
    // The manager cannot use a counter-visit ticket for internal audit: refused as bad input.
    expect(r.statusCode).toBe(422);
    const own = (await t.as(teller).post('/api/v1/statement-requests', { customerId: C.relative, period: PERIOD, purpose: 'service_ticket', reference: T.relativeVisit, output: 'view' })).json();
    expect(own.status).toBe('pending_approval');
    // The teller holds no approver role; the manager is another person: only the teller's self-approval is tested here.
    const self = await t.as(teller).post(`/api/v1/approvals/${own.id}`, { verdict: 'approved', comment: 'me' });
    expect(self.statusCode).toBe(403);
    expect(self.json().code).toBe('self_approval');
    const refused = await t.store.db.selectFrom('audit_entries').select('entry').where('action', '=', 'approval.refused').where('request_id', '=', own.id).execute();
    expect(refused).toHaveLength(1);
    expect(parseEntry(refused[0]!.entry).detail).toMatchObject({ error: 'self_approval' });
  });

  it('an approval that is not used in time expires', async () => {
    const r = (await t.as(teller).post('/api/v1/statement-requests', { customerId: C.vip, period: PERIOD, purpose: 'service_ticket', reference: T.vipVisit, output: 'view' })).json();
    await t.as(manager).post(`/api/v1/approvals/${r.id}`, { verdict: 'approved', comment: 'ok' });
    await t.as(teller).post(`/api/v1/statement-requests/${r.id}/acknowledgement`, { version: t.ctx.config.legalWarning.version });
    const saved = t.clock.now;
    t.clock.now = new Date(saved.getTime() + 13 * 3_600_000);
    try {
      const late = await t.as(await t.login('teller')).get(`/api/v1/statement-requests/${r.id}/statement`);
      expect(late.statusCode).toBe(403);
      expect(late.json().detail).toMatch(/expired/);
    } finally {
      t.clock.now = saved;
    }
  });

  it('break-glass releases at once and always leaves a post-review item', async () => {
    const r = (await t.as(teller).post('/api/v1/statement-requests', {
      customerId: C.vip, period: PERIOD, purpose: 'service_ticket', reference: T.vipVisit, output: 'view',
      breakGlass: { justification: '客户在柜台突发紧急情况，需立即核实可疑交易，审批人不在岗。' },
    })).json();
    expect(r).toMatchObject({ status: 'allowed', breakGlass: true });
    const reviews = await t.store.db.selectFrom('post_reviews').selectAll().where('request_id', '=', r.id).execute();
    expect(reviews).toHaveLength(1);
    expect(await actions(t, r.id)).toContain('break_glass.used');
    const analyst = await t.login('analyst');
    const list = (await t.as(analyst).get('/api/v1/post-reviews')).json();
    expect(list.map((x: { requestId: string }) => x.requestId)).toContain(r.id);
  });

  it('a customer present at the counter is verified by the code sent to their phone', async () => {
    const sent = (await t.as(teller).post(`/api/v1/customers/${C.retail}/counter-codes`)).json();
    expect(sent.sentTo).toBe('138****8001');
    const sms = await latestSmsTo(t.store.db, MOBILE.retail);
    const code = /验证码(\d{6})/.exec(sms ?? '')![1]!;
    const wrong = (await t.as(teller).post('/api/v1/statement-requests', { customerId: C.retail, period: PERIOD, purpose: 'customer_present', reference: sent.codeId, code: code === '000000' ? '000001' : '000000', output: 'view' })).json();
    expect(wrong.status).not.toBe('allowed');
    const right = (await t.as(teller).post('/api/v1/statement-requests', { customerId: C.retail, period: PERIOD, purpose: 'customer_present', reference: sent.codeId, code, output: 'view' })).json();
    expect(right.status).toBe('allowed');
    const reused = (await t.as(teller).post('/api/v1/statement-requests', { customerId: C.retail, period: PERIOD, purpose: 'customer_present', reference: sent.codeId, code, output: 'view' })).json();
    expect(reused.status).not.toBe('allowed');
  });

  it('a judicial request needs a second person and is withheld from the customer, with the withholding recorded', async () => {
    const back = await t.login('compliance');
    const r = (await t.as(back).post('/api/v1/statement-requests', { customerId: C.judicial, period: PERIOD, purpose: 'judicial_request', reference: T.judicialDoc, output: 'view' })).json();
    expect(r.status).toBe('pending_approval');
    expect(await actions(t, r.id)).toContain('history.withheld');
    const staffView = (await t.as(await t.login('analyst')).get(`/api/v1/customers/${C.judicial}/access-history`)).json();
    expect(staffView.some((i: { withheld: boolean }) => i.withheld)).toBe(true);
  });

  it('a lapsed training refuses the request with a neutral reason', async () => {
    const lapsed = await t.login('lapsed');
    const r = (await t.as(lapsed).post('/api/v1/statement-requests', { customerId: C.retail, period: PERIOD, purpose: 'service_ticket', reference: T.lapsedVisit, output: 'view' })).json();
    expect(r.status).toBe('denied');
    expect(r.reason.en).toMatch(/training/i);
  });

  it('never returns the canary to an employee with no allowed request for that customer', async () => {
    const other = await t.login('teller.bj');
    const r = await t.as(other).post('/api/v1/statement-requests', { customerId: C.target, period: PERIOD, purpose: 'complaint', reference: T.targetComplaint, output: 'view' });
    expect(r.body).not.toContain(CANARY);
    const id = r.json().id;
    const s = await t.as(other).get(`/api/v1/statement-requests/${id}/statement`);
    expect(s.statusCode).toBeGreaterThanOrEqual(400);
    expect(s.body).not.toContain(CANARY);
  });

  it('refuses a release when training lapsed after the decision', async () => {
    const r = (await t.as(teller).post('/api/v1/statement-requests', { customerId: C.retail, period: PERIOD, purpose: 'service_ticket', reference: T.retailVisit, output: 'view' })).json();
    expect(r.status).toBe('allowed');
    await t.as(teller).post(`/api/v1/statement-requests/${r.id}/acknowledgement`, { version: t.ctx.config.legalWarning.version });
    await t.store.db.updateTable('training_records').set({ valid_until: '2026-01-01T00:00:00.000Z' }).where('employee_id', '=', E.teller).where('kind', '=', 'training').execute();
    try {
      const s = await t.as(teller).get(`/api/v1/statement-requests/${r.id}/statement`);
      expect(s.statusCode).toBe(403);
      expect(s.json().detail).toMatch(/training/);
    } finally {
      await t.store.db.updateTable('training_records').set({ valid_until: '2027-01-10T23:59:59.999Z' }).where('employee_id', '=', E.teller).where('kind', '=', 'training').execute();
    }
  });
});
