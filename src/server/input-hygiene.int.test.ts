/**
 * Issue 9, item 4: a personal number typed where it does not belong is refused with 422 and the
 * refusal is recorded with the number masked; text that is not well-formed Unicode is refused with
 * 400. Neither ever answers 500, on any route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../test/engines.ts';
import { portalLogin, startTestApp, type TestApp } from '../../test/app-harness.ts';
import { C, MOBILE, T, TYPED_CARD, TYPED_ID } from '../../test/bank-fixture.ts';
import { findFullNumbers } from '../privacy/full-numbers.ts';

const CARD = TYPED_CARD;
const ID = TYPED_ID;
const PERIOD = { from: '2026-08-01', to: '2026-10-31' };
const good = { customerId: C.retail, period: PERIOD, purpose: 'service_ticket', reference: T.retailVisit, output: 'view' };

describe.each(engines)('typed personal numbers and malformed text on $name', (engine) => {
  let t: TestApp;
  let teller: string;
  beforeAll(async () => {
    t = await startTestApp(engine);
    teller = await t.login('teller');
  });
  afterAll(async () => t.close());

  async function refusedEntries(): Promise<Array<Record<string, unknown>>> {
    const rows = await t.store.db.selectFrom('audit_entries').select('entry').where('action', '=', 'request.refused').orderBy('seq').execute();
    return rows.map((r) => JSON.parse(r.entry.toString('utf8')));
  }

  it.each([
    ['a card number as customerId', { ...good, customerId: CARD }, 'customerId', 'card'],
    ['a resident ID as customerId', { ...good, customerId: ID }, 'customerId', 'resident_id'],
    ['a mobile as customerId', { ...good, customerId: MOBILE.retail }, 'customerId', 'mobile'],
    ['a card number in accountIds', { ...good, accountIds: ['A-RETAIL', CARD] }, 'accountIds[1]', 'card'],
    ['a resident ID inside the reference', { ...good, reference: `工单 ${ID}` }, 'reference', 'resident_id'],
    ['a card number deep in a break-glass justification', { ...good, breakGlass: { justification: `客户急需核实交易，卡号${CARD}，支行负责人外出。` } }, 'breakGlass.justification', 'card'],
  ])('%s is refused with 422, recorded masked, and nothing is stored', async (_name, body, field, kind) => {
    const before = (await refusedEntries()).length;
    const r = await t.as(teller).post('/api/v1/statement-requests', body);
    expect(r.statusCode, r.body).toBe(422);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json()).toMatchObject({ code: 'personal_number_in_field', field, kind });
    expect(r.json().detail).toContain(field);
    expect(findFullNumbers(r.body)).toEqual([]);
    expect(r.body).not.toContain(MOBILE.retail);
    const entries = await refusedEntries();
    expect(entries).toHaveLength(before + 1);
    const entry = entries.at(-1)!;
    expect(entry.detail).toMatchObject({ error: 'personal_number_in_field', field, kind, route: '/api/v1/statement-requests' });
    const text = JSON.stringify(entry);
    expect(findFullNumbers(text)).toEqual([]);
    expect(text).not.toContain(MOBILE.retail);
    expect(String((entry.detail as { masked: string }).masked)).toMatch(/[…*]/);
    const stored = await t.store.db.selectFrom('statement_requests').select('id').execute();
    expect(stored).toEqual([]);
  });

  it('a card number as the audit record\'s "before" is refused with 422, not 500', async () => {
    const analyst = await t.login('analyst');
    const r = await t.as(analyst).get(`/api/v1/oversight/audit-record?before=${CARD}`);
    expect(r.statusCode, r.body).toBe(422);
    expect(r.json()).toMatchObject({ code: 'personal_number_in_field', field: 'before' });
  });

  it('a number in a path parameter is refused too', async () => {
    const r = await t.as(teller).get(`/api/v1/statement-requests/${ID}`);
    expect(r.statusCode, r.body).toBe(422);
    expect(r.json()).toMatchObject({ code: 'personal_number_in_field', field: 'id', kind: 'resident_id' });
    expect(findFullNumbers(r.body)).toEqual([]);
  });

  it('a mobile in a path is refused and not echoed in the problem\'s instance', async () => {
    const analyst = await t.login('analyst');
    const r = await t.as(analyst).get(`/api/v1/customers/${MOBILE.retail}/access-history`);
    expect(r.statusCode, r.body).toBe(422);
    expect(r.json()).toMatchObject({ code: 'personal_number_in_field', field: 'id', kind: 'mobile', instance: '/api/v1/customers/138****8001/access-history' });
    expect(r.body).not.toContain(MOBILE.retail);
  });

  it('the fields meant for a mobile take one: portal sign-in and the customer search', async () => {
    expect((await t.as(teller).get(`/api/v1/customers?q=${MOBILE.retail}`)).json().map((h: { id: string }) => h.id)).toEqual([C.retail]);
    await portalLogin(t, MOBILE.retail);
    // ...but not a card number, which the search does not look for.
    const r = await t.as(teller).get(`/api/v1/customers?q=${CARD}`);
    expect(r.statusCode).toBe(422);
    expect(r.json().detail).toMatch(/customer number/);
  });

  it('a staff username that is an ID number is a wrong login, not a refusal (credentials are never kept)', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { username: ID, password: CARD } });
    expect(r.statusCode).toBe(401);
  });

  it('an anonymous caller is refused the same way (nothing recorded for nobody, nothing echoed)', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/portal/codes', payload: { mobile: CARD } });
    expect(r.statusCode).toBe(422);
    expect(findFullNumbers(r.body)).toEqual([]);
  });

  it('a customer typing their card number into a report is asked to leave it out', async () => {
    const customer = await portalLogin(t, MOBILE.retail);
    const r = await t.as(customer).post('/api/v1/portal/history/1/report', { comment: `不是我，卡号 ${CARD}` });
    expect(r.statusCode).toBe(422);
    expect(r.json().field).toBe('comment');
  });

  it.each([
    ['customerId', { ...good, customerId: '\uD800' }],
    ['purpose', { ...good, purpose: 'service\uDC00ticket' }],
    ['reference', { ...good, reference: `${T.retailVisit}\uD83D` }],
    ['accountIds[0]', { ...good, accountIds: ['\uDFFF'] }],
    ['a key', { ...good, ['\uD800']: 1 }],
  ])('a lone surrogate in %s answers 400 problem+json, never 500', async (field, body) => {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/statement-requests', headers: { authorization: `Bearer ${teller}`, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    expect(r.statusCode, r.body).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json().code).toBe('invalid_request');
    expect(r.json().detail).toMatch(/Unicode/);
  });

  it('a surrogate escaped into a path answers 400 problem+json; in a query it arrives as U+FFFD, never 500', async () => {
    const path = await t.as(teller).get('/api/v1/statement-requests/%ED%A0%80');
    expect(path.statusCode, path.body).toBe(400);
    expect(path.headers['content-type']).toContain('application/problem+json');
    const query = await t.as(teller).get('/api/v1/customers?q=%ED%A0%80%ED%A0%80');
    expect(query.statusCode, query.body).toBe(200);
    expect(query.json()).toEqual([]);
  });

  it.each([
    ['a query', (t2: TestApp, tok: string) => t2.as(tok).get('/api/v1/my/tickets?customerId=%00')],
    ['a path', (t2: TestApp, tok: string) => t2.as(tok).get('/api/v1/statement-requests/C-RETAIL%00')],
    ['a body', (t2: TestApp, tok: string) => t2.as(tok).post('/api/v1/statement-requests', { ...good, customerId: '\u0000' })],
  ])('a NUL character in %s answers 400 problem+json (PostgreSQL cannot store one: it was a 500 there)', async (_part, send) => {
    const r = await send(t, teller);
    expect(r.statusCode, r.body).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json().detail).toMatch(/NUL/);
  });

  it.each(['Infinity', '1e309', '1e20', '-Infinity'])('%s as an integer path parameter answers 400, not 500', async (n) => {
    const analyst = await t.login('analyst');
    for (const url of [`/api/v1/log/entries/${n}`, `/api/v1/oversight/audit-record/${n}`]) {
      const r = await t.as(analyst).get(url);
      expect(r.statusCode, `${url}: ${r.body}`).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('a body nested 10,000 deep answers 400 problem+json, on routes with a body schema and without', async () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    for (const url of ['/api/v1/statement-requests', `/api/v1/customers/${C.retail}/counter-codes`]) {
      const r = await t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${teller}`, 'content-type': 'application/json' }, payload: deep });
      expect(r.statusCode, `${url}: ${r.body}`).toBe(400);
      expect(r.json().detail).toMatch(/levels deep/);
    }
  });
});
