import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../test/engines.ts';
import { startTestApp, type TestApp } from '../../test/app-harness.ts';
import { C, E, T } from '../../test/bank-fixture.ts';
import { parseEntry } from '../audit/record.ts';
import { pseudonymKey, pseudonymOf } from '../audit/actor-pseudonyms.ts';

const PERIOD = { from: '2026-08-01', to: '2026-10-31' };

describe.each(engines)('silent flags on $name', (engine) => {
  let t: TestApp;
  let teller: string;
  let analyst: string;
  let decoyRequest: string;
  let decoyAnswer: string;

  beforeAll(async () => {
    t = await startTestApp(engine);
    teller = await t.login('teller');
    analyst = await t.login('analyst');
    const decoy = await t.as(teller).post('/api/v1/statement-requests', { customerId: C.honeytoken, period: PERIOD, purpose: 'service_ticket', reference: T.honeyVisit, output: 'view' });
    decoyAnswer = decoy.body;
    decoyRequest = decoy.json().id;
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    const glass = await t.as(teller).post('/api/v1/statement-requests', {
      customerId: C.vip, period: PERIOD, purpose: 'service_ticket', reference: T.vipVisit, output: 'view',
      breakGlass: { justification: '客户在柜台突发紧急情况，需立即核实可疑交易，审批人不在岗。' },
    });
    expect(glass.json().breakGlass).toBe(true);
  });
  afterAll(async () => t.close());

  it('shows oversight each flag with its request, the employee under a pseudonym, the customer, kind and time', async () => {
    const r = await t.as(analyst).get('/api/v1/flags');
    expect(r.statusCode, r.body).toBe(200);
    const flags = r.json() as Array<Record<string, unknown>>;
    expect(flags.map((f) => f.kind)).toEqual(['break_glass_used', 'honeytoken_access']);
    expect(flags[1]).toEqual({
      id: expect.stringMatching(/^FL-/), kind: 'honeytoken_access', severity: 'critical', requestId: decoyRequest,
      employee: pseudonymOf(pseudonymKey(), E.teller), customerId: C.honeytoken, createdAt: expect.any(String),
    });
    expect(r.body).not.toContain(E.teller);
  });

  it('filters by kind and by since, and refuses a since that is not a time', async () => {
    const honey = (await t.as(analyst).get('/api/v1/flags?kind=honeytoken_access')).json();
    expect(honey.map((f: { requestId: string }) => f.requestId)).toEqual([decoyRequest]);
    const all = (await t.as(analyst).get('/api/v1/flags')).json() as Array<{ kind: string; createdAt: string }>;
    const since = all[0]!.createdAt;
    expect((await t.as(analyst).get(`/api/v1/flags?since=${encodeURIComponent(since)}`)).json().map((f: { kind: string }) => f.kind)).toEqual(['break_glass_used']);
    expect((await t.as(analyst).get('/api/v1/flags?since=2999-01-01')).statusCode).toBe(400);
    expect((await t.as(analyst).get('/api/v1/flags?since=2026-02-30')).statusCode).toBe(400);
    expect((await t.as(analyst).get('/api/v1/flags?limit=1')).json()).toHaveLength(1);
  });

  it('records every reading with its filter and count', async () => {
    const before = await t.store.db.selectFrom('audit_entries').select('seq').where('action', '=', 'flags.listed').execute();
    await t.as(analyst).get('/api/v1/flags?kind=honeytoken_access');
    const after = await t.store.db.selectFrom('audit_entries').select(['entry', 'actor_id']).where('action', '=', 'flags.listed').orderBy('seq').execute();
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)!.actor_id).toBe(E.analyst);
    expect(parseEntry(Buffer.from(after.at(-1)!.entry)).detail).toEqual({ filter: { kind: 'honeytoken_access', since: null }, results: 1 });
  });

  it('is never shown to the requester: the teller is refused, and the answer to the request says nothing of it', async () => {
    const r = await t.as(teller).get('/api/v1/flags');
    expect([r.statusCode, r.json().code]).toEqual([403, 'forbidden']);
    expect(decoyAnswer).not.toMatch(/honeytoken|flag/i);
    expect((await t.as(teller).get(`/api/v1/statement-requests/${decoyRequest}`)).body).not.toMatch(/honeytoken|flag/i);
    for (const role of ['investigator', 'compliance', 'auditor']) {
      expect((await t.as(await t.login(role)).get('/api/v1/flags')).statusCode, role).toBe(200);
    }
  });
});
