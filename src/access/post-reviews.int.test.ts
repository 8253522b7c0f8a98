import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../test/engines.ts';
import { startTestApp, type TestApp } from '../../test/app-harness.ts';
import { C, E, T } from '../../test/bank-fixture.ts';
import { parseEntry } from '../audit/record.ts';
import { pseudonymKey, pseudonymOf } from '../audit/actor-pseudonyms.ts';

const PERIOD = { from: '2026-08-01', to: '2026-10-31' };
const COMMENT = '已核实：客户来电记录与工单一致，紧急情况属实。';

describe.each(engines)('break-glass post-reviews on $name', (engine) => {
  let t: TestApp;
  let teller: string;
  let analyst: string;
  let requestId: string;
  let reviewId: string;

  beforeAll(async () => {
    t = await startTestApp(engine);
    teller = await t.login('teller');
    analyst = await t.login('analyst');
    const r = (await t.as(teller).post('/api/v1/statement-requests', {
      customerId: C.vip, period: PERIOD, purpose: 'service_ticket', reference: T.vipVisit, output: 'view',
      breakGlass: { justification: '客户在柜台突发紧急情况，需立即核实可疑交易，审批人不在岗。' },
    })).json();
    expect(r).toMatchObject({ status: 'allowed', breakGlass: true });
    requestId = r.id;
    reviewId = (await t.store.db.selectFrom('post_reviews').select('id').where('request_id', '=', requestId).executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => t.close());

  const close = (token: string, id: string, body: unknown) => t.app.inject({ method: 'POST', url: `/api/v1/post-reviews/${id}`, headers: { authorization: `Bearer ${token}` }, payload: body as object });

  it('lists an open review with the employee under a pseudonym, never the ID', async () => {
    const r = await t.as(analyst).get('/api/v1/post-reviews');
    expect(r.statusCode).toBe(200);
    expect(r.json().find((x: { id: string }) => x.id === reviewId)).toMatchObject({
      requestId, status: 'open', outcome: null, reviewer: null, closedAt: null, employee: pseudonymOf(pseudonymKey(), E.teller),
    });
    expect(r.body).not.toContain(E.teller);
  });

  it('is refused to the teller and the auditor (403), and to a blank or short comment (400)', async () => {
    expect((await close(teller, reviewId, { outcome: 'justified', comment: COMMENT })).statusCode).toBe(403);
    expect((await close(await t.login('auditor'), reviewId, { outcome: 'justified', comment: COMMENT })).statusCode).toBe(403);
    expect((await close(analyst, reviewId, { outcome: 'justified', comment: 'ok' })).statusCode).toBe(400);
    const blank = await close(analyst, reviewId, { outcome: 'justified', comment: `${' '.repeat(12)}ok` });
    expect([blank.statusCode, blank.json().code]).toEqual([400, 'invalid_request']);
    expect((await close(analyst, reviewId, { outcome: 'maybe', comment: COMMENT })).statusCode).toBe(400);
    expect((await close(analyst, 'PR-nope', { outcome: 'justified', comment: COMMENT })).statusCode).toBe(404);
  });

  it('closes once with outcome and comment, recorded as post_review.closed in the same act; a second close is 409', async () => {
    const r = await close(analyst, reviewId, { outcome: 'not_justified', comment: COMMENT });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ id: reviewId, status: 'closed', outcome: 'not_justified', comment: COMMENT, reviewer: pseudonymOf(pseudonymKey(), E.analyst) });
    const entries = await t.store.db.selectFrom('audit_entries').select(['entry', 'actor_id']).where('action', '=', 'post_review.closed').where('request_id', '=', requestId).execute();
    expect(entries).toHaveLength(1);
    expect(entries[0]!.actor_id).toBe(E.analyst);
    const entry = parseEntry(Buffer.from(entries[0]!.entry));
    expect(entry.detail).toMatchObject({ reviewId, outcome: 'not_justified', comment: COMMENT, requester: { pseudonym: pseudonymOf(pseudonymKey(), E.teller) } });
    expect(Buffer.from(entries[0]!.entry).toString('utf8')).not.toContain(E.teller);

    const again = await close(await t.login('compliance'), reviewId, { outcome: 'justified', comment: COMMENT });
    expect([again.statusCode, again.json().code]).toEqual([409, 'post_review_closed']);
    const listed = (await t.as(analyst).get('/api/v1/post-reviews')).json().find((x: { id: string }) => x.id === reviewId);
    expect(listed).toMatchObject({ status: 'closed', outcome: 'not_justified' });
  });

  it('refuses the employee who used break-glass (403 self_review), and writes no closing', async () => {
    // An analyst who broke the glass themselves: their review is someone else's to close.
    await t.store.db.insertInto('post_reviews').values({ id: 'PR-SELF', request_id: requestId, employee_id: E.analyst, status: 'open', created_at: t.clock.now.toISOString() }).execute();
    const r = await close(analyst, 'PR-SELF', { outcome: 'justified', comment: COMMENT });
    expect([r.statusCode, r.json().code]).toEqual([403, 'self_review']);
    const row = await t.store.db.selectFrom('post_reviews').selectAll().where('id', '=', 'PR-SELF').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'open', outcome: null, reviewer_id: null });
    expect((await close(await t.login('compliance'), 'PR-SELF', { outcome: 'justified', comment: COMMENT })).statusCode).toBe(200);
  });
});
