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
    // The grant is keyed by the employee it grants to; its entries name the employee only by pseudonym.
    const rows = await t.store.db.selectFrom('audit_entries').select('entry').where('action', 'in', ['config.change_proposed', 'config.change_applied']).execute();
    const entries = rows.map((r) => r.entry.toString('utf8')).filter((text) => JSON.parse(text).detail.changeId === id);
    expect(entries).toHaveLength(2);
    for (const text of entries) {
      expect(text).not.toContain(E.teller2);
      expect(JSON.parse(text).detail.key).toMatchObject({ pseudonym: expect.stringMatching(/^P-/), commitment: expect.any(String) });
    }
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

  describe('change bodies are checked when proposed (issue 9 item 6)', () => {
    const propose = (kind: string, key: string, body: string) => t.as(admin).post('/api/v1/admin/changes', { kind, key, body });
    const refusals = async () => Number((await t.store.db.selectFrom('audit_entries').select((eb) => eb.fn.countAll().as('n')).where('action', '=', 'config.change_refused').executeTakeFirstOrThrow()).n);

    it.each([
      ['role_grant', E.teller2],
      ['masking_rules', 'default'],
      ['purpose', 'complaint'],
    ])('a %s body of null is refused with 422 naming the body, and the refusal is recorded', async (kind, key) => {
      const before = await refusals();
      const r = await propose(kind, key, 'null');
      expect(r.statusCode).toBe(422);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(r.json()).toMatchObject({ code: 'invalid_change', detail: expect.stringMatching(/the body must be a JSON object/) });
      expect(await refusals()).toBe(before + 1);
    });

    it('a role grant for an employee who does not exist is refused when proposed, and nothing is stored', async () => {
      const r = await propose('role_grant', 'E-NOBODY', JSON.stringify({ roles: ['approver'] }));
      expect(r.statusCode).toBe(422);
      expect(r.json().detail).toMatch(/no employee "E-NOBODY"/);
      expect(await t.store.db.selectFrom('change_proposals').select('id').where('key', '=', 'E-NOBODY').execute()).toEqual([]);
    });

    it.each([
      [JSON.stringify({ roles: ['approver', 'approver'] }), /"roles" names an item twice/],
      [JSON.stringify({ roles: ['root'] }), /"roles\[0\]" must be one of approver/],
      [JSON.stringify({ roles: 'admin' }), /"roles" must be a list/],
      [JSON.stringify({ roles: [], also: 1 }), /unknown field "also"/],
      [JSON.stringify({}), /needs "roles"/],
    ])('a malformed role grant %s is refused naming the field', async (body, message) => {
      const r = await propose('role_grant', E.teller2, body);
      expect(r.statusCode).toBe(422);
      expect(r.json().detail).toMatch(message);
    });

    it.each([99, -5, 1e300, 2.5])('a masking rule with keepStart %s is refused, naming the field and the bound', async (keepStart) => {
      const r = await propose('masking_rules', 'default', JSON.stringify({ card_number: { keepStart, keepEnd: 4 } }));
      expect(r.statusCode).toBe(422);
      expect(r.json().detail).toMatch(/"card_number\.keepStart"/);
    });

    it('masking rules for an unknown field, or under another key, are refused', async () => {
      expect((await propose('masking_rules', 'default', JSON.stringify({ shoe_size: { keepStart: 1, keepEnd: 1 } }))).json().detail).toMatch(/unknown field "shoe_size"/);
      expect((await propose('masking_rules', 'other', JSON.stringify({}))).json().detail).toMatch(/key "default"/);
    });

    it('a purpose is checked whole: its reference kind, ticket kinds, unlockable fields and history rule', async () => {
      const complaint = { id: 'complaint', label: { zh: '投诉处理', en: 'Complaint handling' }, referenceKind: 'ticket', ticketKinds: ['complaint'], assignedToRequester: true, unlocks: ['counterparty_name'], customerHistory: { mode: 'show' } };
      const bad: Array<[Record<string, unknown>, RegExp]> = [
        [{ referenceKind: 'hunch' }, /"referenceKind" must be one of counter_code/],
        [{ ticketKinds: [] }, /name the ticket kinds/],
        [{ referenceKind: 'counter_code' }, /"ticketKinds" must be empty/],
        [{ unlocks: ['password'] }, /"unlocks\[0\]"/],
        [{ customerHistory: { mode: 'withhold' } }, /customerHistory\.days/],
        [{ id: 'loan_review' }, /must equal the key "complaint"/],
        [{ label: { zh: '投诉' } }, /"label" needs "en"/],
      ];
      for (const [change, message] of bad) {
        const r = await propose('purpose', 'complaint', JSON.stringify({ ...complaint, ...change }));
        expect(r.statusCode, JSON.stringify(change)).toBe(422);
        expect(r.json().detail).toMatch(message);
      }
      const ok = await propose('purpose', 'complaint', JSON.stringify({ ...complaint, unlocks: ['counterparty_name', 'counterparty_account'] }));
      expect(ok.statusCode).toBe(201);
      expect((await t.as(admin2).post(`/api/v1/admin/changes/${ok.json().id}`, { verdict: 'applied' })).statusCode).toBe(200);
    });

    it('applying re-checks a change stored before bodies were checked: 422, never 500, and the change stays pending', async () => {
      const stored = [
        ['role_grant', 'E-NOBODY', JSON.stringify({ roles: ['admin'] })],
        ['role_grant', E.teller2, JSON.stringify({ roles: ['approver', 'approver'] })],
        ['masking_rules', 'default', JSON.stringify({ card_number: { keepStart: 99, keepEnd: 99 } })],
        ['purpose', 'complaint', 'null'],
      ] as const;
      for (const [i, [kind, key, body]] of stored.entries()) {
        const id = `CH-legacy-${i}`;
        await t.store.db.insertInto('change_proposals').values({ id, kind, key, body, proposer_id: E.admin, status: 'pending', checker_id: null, created_at: t.clock.now.toISOString(), decided_at: null }).execute();
        const r = await t.as(admin2).post(`/api/v1/admin/changes/${id}`, { verdict: 'applied' });
        expect(r.statusCode, `${kind} ${body}`).toBe(422);
        expect(r.json().code).toBe('invalid_change');
        expect((await t.store.db.selectFrom('change_proposals').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('pending');
        expect((await t.as(admin2).post(`/api/v1/admin/changes/${id}`, { verdict: 'rejected' })).statusCode).toBe(200);
      }
    });

    it('a masking row stored before rules were checked cannot unmask: statements and searches show at most the standard', async () => {
      const teller = await t.login('teller');
      await t.store.db.insertInto('config_items')
        .values({ kind: 'masking_rules', key: 'default', body: JSON.stringify({ card_number: { keepStart: 99, keepEnd: 1e300 }, mobile: { keepStart: -5, keepEnd: 99 } }), version: 1, updated_at: t.clock.now.toISOString() })
        .onConflict((oc) => oc.columns(['kind', 'key']).doUpdateSet({ body: (eb) => eb.ref('excluded.body') }))
        .execute();
      await t.ctx.settings.reload();
      try {
        const found = (await t.as(teller).get(`/api/v1/customers?q=${C.retail}`)).json()[0];
        expect(found.accounts[0].cardNumber).toMatch(/^[0-9]{6}\*+[0-9]{4}$/);
        expect(found.mobile).toBe('*******8001');
      } finally {
        await t.store.db.deleteFrom('config_items').where('kind', '=', 'masking_rules').execute();
        await t.ctx.settings.reload();
      }
    });
  });
});
