/**
 * Issue 9 item 10 / issue 10 item 1: the entries a customer or a log reader may fetch carry no
 * employee name or ID; the commitments open with the stored openings, which only a recorded reveal
 * releases and shredding deletes; version-1 entries still verify and reach customers redacted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import canonicalize from 'canonicalize';
import { engines } from '../../../test/engines.ts';
import { portalLogin, startTestApp, type TestApp } from '../../../test/app-harness.ts';
import { C, E, MOBILE, T } from '../../../test/bank-fixture.ts';
import { leafHash, openCheckpoint, parseVerifierKey, verifyInclusion } from '../tlog/index.ts';
import { opensCommitment } from '../actor-pseudonyms.ts';
import { parseEntry } from '../record.ts';
import { testIntegrator, testSigner } from './test-support/log-fixture.ts';
import { shredExpiredEntries } from './retention.ts';
import { verifyLog } from './verify-log.ts';

const PERIOD = { from: '2026-08-01', to: '2026-10-31' };

/** The value at a JSON Pointer. */
function at(doc: unknown, pointer: string): unknown {
  return pointer.split('/').slice(1).reduce<unknown>((node, token) => (node as Record<string, unknown>)?.[token], doc);
}

/** Every `{ pseudonym, commitment }` in a document, with its JSON Pointer. */
function commitments(doc: unknown, path = ''): Array<{ path: string; commitment: string }> {
  if (Array.isArray(doc)) return doc.flatMap((v, i) => commitments(v, `${path}/${i}`));
  if (typeof doc !== 'object' || doc === null) return [];
  const own = typeof (doc as { commitment?: unknown }).commitment === 'string' ? [{ path, commitment: (doc as { commitment: string }).commitment }] : [];
  return [...own, ...Object.entries(doc).flatMap(([k, v]) => commitments(v, `${path}/${k}`))];
}

describe.each(engines)('entries name no employee on $name', (engine) => {
  let t: TestApp;
  const signer = testSigner();
  const verifier = parseVerifierKey(signer.verifierKey);
  let names: string[];
  let v1Seq: number;
  let approvalSeq: number;
  let customer: string;

  /** Throws with the offending name when `text` holds an employee's name or ID. */
  const expectNoEmployee = (text: string, where: string) => {
    const found = names.filter((n) => text.includes(n));
    expect(found, where).toEqual([]);
  };

  beforeAll(async () => {
    t = await startTestApp(engine);
    const teller = await t.login('teller');
    const manager = await t.login('manager');
    const ok = (await t.as(teller).post('/api/v1/statement-requests', { customerId: C.retail, period: PERIOD, purpose: 'service_ticket', reference: T.retailVisit, output: 'view' })).json();
    await t.as(teller).post(`/api/v1/statement-requests/${ok.id}/acknowledgement`, { version: t.ctx.config.legalWarning.version });
    expect((await t.as(teller).get(`/api/v1/statement-requests/${ok.id}/statement`)).statusCode).toBe(200);
    const vip = (await t.as(teller).post('/api/v1/statement-requests', { customerId: C.vip, period: PERIOD, purpose: 'service_ticket', reference: T.vipVisit, output: 'view' })).json();
    expect((await t.as(manager).post(`/api/v1/approvals/${vip.id}`, { verdict: 'approved', comment: '客户本人在场' })).statusCode).toBe(200);
    const admin = await t.login('admin');
    const change = (await t.as(admin).post('/api/v1/admin/changes', { kind: 'masking_rules', key: 'default', body: JSON.stringify({ mobile: { keepStart: 3, keepEnd: 2 } }) })).json();
    await t.as(await t.login('admin2')).post(`/api/v1/admin/changes/${change.id}`, { verdict: 'applied' });

    // An entry as version 1 wrote it: the employee's ID and the watermark text with the name.
    const time = new Date(t.clock.now).toISOString();
    const v1 = canonicalize({
      v: 1, time, action: 'statement.viewed',
      actor: { kind: 'staff', id: E.teller, pseudonym: 'P-TELLER', branchId: 'SH01', bankRole: 'teller' },
      customer: C.retail, request: ok.id,
      detail: { purpose: 'service_ticket', output: 'view', requester: E.teller, watermark: `王小明 ${E.teller} ${time.slice(0, 16)}` },
      trace: null,
    })!;
    v1Seq = Number((await t.store.db.insertInto('audit_entries').values({ entry: Buffer.from(v1), salt: randomBytes(32), action: 'statement.viewed', actor_id: E.teller, customer_id: C.retail, request_id: ok.id, created_at: time }).returning('seq').executeTakeFirstOrThrow()).seq);
    approvalSeq = Number((await t.store.db.selectFrom('audit_entries').select('seq').where('action', '=', 'approval.granted').executeTakeFirstOrThrow()).seq);

    customer = await portalLogin(t, MOBILE.retail);
    await t.as(customer).get('/api/v1/portal/history');
    await t.ctx.recorder?.flush();
    await testIntegrator(t.store, signer).drain();
    const employees = await t.store.db.selectFrom('employees').select(['id', 'display_name']).execute();
    names = employees.flatMap((e) => [e.id, e.display_name]);
  }, 120_000);
  afterAll(async () => t?.close());

  it('every entry a customer may fetch holds no employee name or ID; version 1 comes redacted, still in the log', async () => {
    const mine = await t.store.db.selectFrom('log_leaves as l').innerJoin('audit_entries as e', 'e.seq', 'l.seq')
      .select(['l.log_index', 'e.seq']).where('e.customer_id', '=', C.retail).orderBy('l.log_index').execute();
    let read = 0;
    for (const row of mine) {
      const r = await t.as(customer).get(`/api/v1/log/entries/${row.log_index}`);
      if (r.statusCode === 404) continue;
      expect(r.statusCode).toBe(200);
      read++;
      const body = r.json();
      expectNoEmployee(JSON.stringify(body.entry.parsed), `parsed ${row.log_index}`);
      if (body.entry.base64 !== null) expectNoEmployee(Buffer.from(body.entry.base64, 'base64').toString('utf8'), `bytes ${row.log_index}`);
      if (Number(row.seq) === v1Seq) {
        expect(body.entry).toMatchObject({ base64: null, version: 1, redacted: true });
        expect(body.salt).toBeNull();
        expect(body.entry.parsed.actor).toMatchObject({ kind: 'staff', pseudonym: 'P-TELLER' });
      } else {
        expect(body.entry.version).toBe(2);
      }
      // The leaf and its proof are given either way: the entry is in the signed log.
      const opened = openCheckpoint(body.checkpoint, [verifier], { origin: signer.name }).checkpoint;
      verifyInclusion(leafHash(Buffer.from(body.leaf, 'ascii')), Number(row.log_index), opened.size, body.proof.map((p: string) => Buffer.from(p, 'base64')), opened.root);
    }
    // The request, the view (version 2 and the old one) and the customer's own acts.
    expect(read).toBeGreaterThanOrEqual(4);
  });

  it('every entry a log reader fetches holds no employee name or ID (version 1: none in parsed, bytes kept to verify)', async () => {
    const auditor = await t.login('auditor');
    const size = Number((await t.store.db.selectFrom('log_leaves').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    for (let index = 0; index < size; index++) {
      const body = (await t.as(auditor).get(`/api/v1/log/entries/${index}`)).json();
      expectNoEmployee(JSON.stringify(body.entry.parsed), `parsed ${index}`);
      expect(body.entry.base64).not.toBeNull();
      if (body.entry.version >= 2) expectNoEmployee(Buffer.from(body.entry.base64, 'base64').toString('utf8'), `bytes ${index}`);
    }
  });

  it("each item of the customer's history carries the logIndex of its entry", async () => {
    const history = (await t.as(customer).get('/api/v1/portal/history')).json();
    expect(history.length).toBeGreaterThan(0);
    for (const item of history) {
      expect(item.logIndex).toEqual(expect.any(Number));
      const body = (await t.as(customer).get(`/api/v1/log/entries/${item.logIndex}`)).json();
      expect(body.seq).toBe(item.seq);
    }
  });

  it('every commitment opens with its stored opening, and only the recorded reveal releases it', async () => {
    const rows = await t.store.db.selectFrom('audit_entries').select(['seq', 'entry']).orderBy('seq').execute();
    let checked = 0;
    for (const row of rows) {
      const doc = parseEntry(row.entry);
      if (doc.v < 2) continue;
      const shown = commitments(doc);
      const openings = await t.store.db.selectFrom('entry_openings').select(['path', 'employee_id', 'nonce']).where('seq', '=', Number(row.seq)).execute();
      expect(openings.map((o) => o.path).sort()).toEqual(shown.map((s) => s.path).sort());
      for (const o of openings) {
        expect(opensCommitment((at(doc, o.path) as { commitment: string }).commitment, o.employee_id, Buffer.from(o.nonce))).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);

    const analyst = await t.login('analyst');
    expect((await t.as(await t.login('teller')).post(`/api/v1/oversight/audit-record/${approvalSeq}/openings`, { reason: '核查审批' })).statusCode).toBe(403);
    expect((await t.as(analyst).post(`/api/v1/oversight/audit-record/${approvalSeq}/openings`, { reason: '' })).statusCode).toBe(400);
    const r = await t.as(analyst).post(`/api/v1/oversight/audit-record/${approvalSeq}/openings`, { reason: '核查审批人' });
    expect(r.statusCode).toBe(200);
    const byPath = Object.fromEntries(r.json().openings.map((o: { path: string }) => [o.path, o]));
    expect(byPath['/actor']).toMatchObject({ employeeId: E.manager, displayName: '周建国', opens: true });
    expect(byPath['/detail/requester']).toMatchObject({ employeeId: E.teller, opens: true });
    const reveal = await t.store.db.selectFrom('audit_entries').select('entry').where('action', '=', 'employee.revealed').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    const recorded = parseEntry(reveal.entry);
    expect(recorded.detail).toMatchObject({ seq: approvalSeq, paths: ['/actor', '/detail/requester'], reason: '核查审批人' });
    expectNoEmployee(reveal.entry.toString('utf8'), 'the reveal entry');
    expect((await t.as(analyst).post('/api/v1/oversight/audit-record/999999/openings', { reason: '核查审批人' })).statusCode).toBe(404);
  });

  it('the log with a version-1 entry verifies; shredding deletes the openings with the entries', async () => {
    expect((await verifyLog(t.store, { verifiers: [verifier], origin: signer.name })).problems).toEqual([]);
    const integrated = (await t.store.db.selectFrom('log_leaves').select('seq').execute()).map((r) => Number(r.seq));
    const before = await t.store.db.selectFrom('entry_openings').select('seq').where('seq', 'in', integrated).execute();
    expect(before.length).toBeGreaterThan(0);
    const { shredded } = await shredExpiredEntries(t.store.db, { before: new Date('2100-01-01T00:00:00Z'), now: new Date(t.clock.now) });
    expect(shredded).toBe(integrated.length);
    expect(await t.store.db.selectFrom('entry_openings').select('seq').where('seq', 'in', integrated).execute()).toEqual([]);
    expect((await t.store.db.selectFrom('audit_entries').select('seq').where('seq', 'in', integrated).execute())).toEqual([]);
    await testIntegrator(t.store, signer).drain();
    expect((await verifyLog(t.store, { verifiers: [verifier], origin: signer.name })).problems).toEqual([]);
  });
});
