import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../test/engines.ts';
import { startTestApp, type TestApp } from '../../test/app-harness.ts';
import { C, E, T } from '../../test/bank-fixture.ts';

const PERIOD = { from: '2026-08-01', to: '2026-10-31' };

describe.each(engines)('honeytoken customers on $name', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(async () => t.close());

  it('answer exactly like an ordinary customer and silently raise a critical flag', async () => {
    const teller = await t.login('teller');
    const ask = async (customerId: string, reference: string) =>
      (await t.as(teller).post('/api/v1/statement-requests', { customerId, period: PERIOD, purpose: 'service_ticket', reference, output: 'view' })).json();
    const ordinary = await ask(C.retail, T.retailVisit);
    const decoy = await ask(C.honeytoken, T.honeyVisit);
    const strip = ({ id: _id, expiresAt: _e, ...rest }: Record<string, unknown>) => rest;
    expect(strip(decoy)).toEqual(strip(ordinary));
    const flags = await t.store.db.selectFrom('flags').selectAll().execute();
    expect(flags).toEqual([expect.objectContaining({ kind: 'honeytoken_access', severity: 'critical', employee_id: E.teller, customer_id: C.honeytoken, request_id: decoy.id })]);
    const search = (await t.as(teller).get(`/api/v1/customers?q=${C.honeytoken}`)).json();
    expect(Object.keys(search[0]).sort()).toEqual(Object.keys((await t.as(teller).get(`/api/v1/customers?q=${C.retail}`)).json()[0]).sort());
  });
});
