import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../test/engines.ts';
import { startTestApp, type TestApp } from '../../test/app-harness.ts';
import { C, E, T } from '../../test/bank-fixture.ts';
import { loadDefaultPolicyText } from './policy-files.ts';

const PERIOD = { from: '2026-08-01', to: '2026-10-31' };

describe.each(engines)('maker-checker and training on $name', (engine) => {
  let t: TestApp;
  let admin: string;
  let admin2: string;
  beforeAll(async () => {
    t = await startTestApp(engine);
    admin = await t.login('admin');
    admin2 = await t.login('admin2');
  });
  afterAll(async () => t.close());

  it('a masking change takes effect only after a second administrator approves it', async () => {
    const teller = await t.login('teller');
    const before = (await t.as(teller).get(`/api/v1/customers?q=${C.retail}`)).json()[0];
    expect(before.mobile).toBe('138****8001');
    const proposed = await t.as(admin).post('/api/v1/admin/changes', { kind: 'masking_rules', key: 'default', body: JSON.stringify({ mobile: { keepStart: 3, keepEnd: 2 } }) });
    expect(proposed.statusCode).toBe(201);
    const id = proposed.json().id;
    expect((await t.as(teller).get(`/api/v1/customers?q=${C.retail}`)).json()[0].mobile).toBe('138****8001');

    const self = await t.as(admin).post(`/api/v1/admin/changes/${id}`, { verdict: 'applied' });
    expect(self.statusCode).toBe(403);
    expect(self.json().code).toBe('same_administrator');
    expect((await t.as(admin2).post(`/api/v1/admin/changes/${id}`, { verdict: 'applied' })).statusCode).toBe(200);
    expect((await t.as(teller).get(`/api/v1/customers?q=${C.retail}`)).json()[0].mobile).toBe('138******01');
    expect((await t.as(admin2).post(`/api/v1/admin/changes/${id}`, { verdict: 'applied' })).statusCode).toBe(409);

    const acts = await t.store.db.selectFrom('audit_entries').select(['action', 'actor_id']).where('action', 'like', 'config.%').orderBy('seq').execute();
    expect(acts).toEqual([
      { action: 'config.change_proposed', actor_id: E.admin },
      { action: 'config.change_refused', actor_id: E.admin },
      { action: 'config.change_applied', actor_id: E.admin2 },
      { action: 'config.change_refused', actor_id: E.admin2 },
    ]);
  });

  it('a policy change that removes the VIP rule changes decisions only once approved', async () => {
    const teller = await t.login('teller');
    const ask = async () => (await t.as(teller).post('/api/v1/statement-requests', { customerId: C.vip, period: PERIOD, purpose: 'service_ticket', reference: T.vipVisit, output: 'view' })).json().status;
    expect(await ask()).toBe('pending_approval');
    const text = loadDefaultPolicyText().replace(/@id\("approval-vip"\)[\s\S]*?unless \{[^}]*\};/, '');
    expect(text).not.toContain('approval-vip');
    const id = (await t.as(admin).post('/api/v1/admin/changes', { kind: 'policy_set', key: 'default', body: text })).json().id;
    expect(await ask()).toBe('pending_approval');
    await t.as(admin2).post(`/api/v1/admin/changes/${id}`, { verdict: 'applied' });
    expect(await ask()).toBe('allowed');
  });

  it('an invalid policy set is refused when proposed, naming the problem', async () => {
    const body = loadDefaultPolicyText().replace('!principal.trainingValid', '!principal.noSuchAttribute');
    const r = await t.as(admin).post('/api/v1/admin/changes', { kind: 'policy_set', key: 'default', body });
    expect(r.statusCode).toBe(422);
    expect(r.json().detail).toMatch(/noSuchAttribute|attribute/);
  });

  it('a teller cannot propose changes', async () => {
    const r = await t.as(await t.login('teller')).post('/api/v1/admin/changes', { kind: 'masking_rules', key: 'default', body: '{}' });
    expect(r.statusCode).toBe(403);
  });

  it('a role grant makes a teller an approver after the second administrator approves', async () => {
    const id = (await t.as(admin).post('/api/v1/admin/changes', { kind: 'role_grant', key: E.teller2, body: JSON.stringify({ roles: ['approver'] }) })).json().id;
    await t.as(admin2).post(`/api/v1/admin/changes/${id}`, { verdict: 'applied' });
    const roles = await t.store.db.selectFrom('employee_roles').select('role').where('employee_id', '=', E.teller2).execute();
    expect(roles.map((r) => r.role)).toEqual(['approver']);
  });

  it('a training import is all or nothing, and a renewed training lets the employee work again', async () => {
    const lapsed = await t.login('lapsed');
    const ask = async () => (await t.as(lapsed).post('/api/v1/statement-requests', { customerId: C.retail, period: PERIOD, purpose: 'service_ticket', reference: T.lapsedVisit, output: 'view' })).json().status;
    expect(await ask()).toBe('denied');
    const bad = await t.as(admin).post('/api/v1/training-records', { records: [
      { employeeId: E.lapsed, kind: 'training', completedOn: '2026-11-20', validUntil: '2027-11-20' },
      { employeeId: 'E-NOBODY', kind: 'training', completedOn: '2026-11-20', validUntil: '2027-11-20' },
    ] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/Record 2.*nothing was imported/);
    expect(await ask()).toBe('denied');
    const ok = await t.as(admin).post('/api/v1/training-records', { records: [{ employeeId: E.lapsed, kind: 'training', completedOn: '2026-11-20', validUntil: '2027-11-20' }] });
    expect(ok.statusCode).toBe(201);
    expect(await ask()).toBe('allowed');
    const status = (await t.as(admin).get('/api/v1/training-status')).json();
    expect(status.find((b: { branchId: string }) => b.branchId === 'SH01')).toMatchObject({ trainingValid: expect.any(Number) });
  });
});
