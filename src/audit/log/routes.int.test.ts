import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../../test/engines.ts';
import { startTestApp, type TestApp } from '../../../test/app-harness.ts';
import { C, MOBILE, T } from '../../../test/bank-fixture.ts';
import { latestSmsTo } from '../../notify/sms.ts';
import {
  checkCommitment, decodeEntryBundle, entryBundlePath, entryCommitment, leafHash, openCheckpoint, parseVerifierKey,
  tileHashReader, tilePath, tilesForSize, treeHash, verifyConsistency, verifyInclusion, verifyProofFile, type Checkpoint,
} from '../tlog/index.ts';
import type { Integrator } from './integrator.ts';
import { pseudonymKey, pseudonymOf } from '../actor-pseudonyms.ts';
import { appendSamples, testIntegrator, testSigner } from './test-support/log-fixture.ts';

const PERIOD = { from: '2026-08-01', to: '2026-10-31' };

async function portalLogin(t: TestApp, mobile: string): Promise<string> {
  expect((await t.app.inject({ method: 'POST', url: '/api/v1/portal/codes', payload: { mobile } })).statusCode).toBe(202);
  const code = /\d{6}/.exec((await latestSmsTo(t.store.db, mobile)) ?? '')![0];
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/portal/sessions', payload: { mobile, code } });
  expect(r.statusCode).toBe(201);
  return r.json().token;
}

describe.each(engines)('the log over HTTP on $name', (engine) => {
  let t: TestApp;
  let integrator: Integrator;
  const signer = testSigner();
  const verifier = parseVerifierKey(signer.verifierKey);
  let auditor: string;
  let customer: string;
  const ids = { viewed: '', judicial: '', aml: '' };

  async function checkpoint(): Promise<Checkpoint> {
    const r = await t.app.inject({ method: 'GET', url: '/log/checkpoint' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(r.headers['cache-control']).toBe('public, max-age=2');
    return openCheckpoint(r.body, [verifier], { origin: signer.name }).checkpoint;
  }

  beforeAll(async () => {
    t = await startTestApp(engine);
    integrator = testIntegrator(t.store, signer);
    expect((await t.app.inject({ method: 'GET', url: '/log/checkpoint' })).statusCode).toBe(404);
    // Real activity through the app: a released statement, a withheld judicial and AML access, logins.
    const teller = await t.login('teller');
    const viewed = (await t.as(teller).post('/api/v1/statement-requests', { customerId: C.retail, period: PERIOD, purpose: 'service_ticket', reference: T.retailVisit, output: 'view' })).json();
    await t.as(teller).post(`/api/v1/statement-requests/${viewed.id}/acknowledgement`, { version: t.ctx.config.legalWarning.version });
    expect((await t.as(teller).get(`/api/v1/statement-requests/${viewed.id}/statement`)).statusCode).toBe(200);
    ids.viewed = viewed.id;
    await t.store.db.insertInto('service_tickets').values({ id: 'T-RETAIL-COURT', customer_id: C.retail, assigned_employee_id: null, kind: 'judicial_assistance', status: 'open', document_number: '沪公(经)协查字〔2026〕123号', opened_at: '2026-11-01T00:00:00.000Z', closed_at: null }).execute();
    ids.judicial = (await t.as(await t.login('compliance')).post('/api/v1/statement-requests', { customerId: C.retail, period: PERIOD, purpose: 'judicial_request', reference: '沪公(经)协查字〔2026〕123号', output: 'view' })).json().id;
    await t.store.db.insertInto('service_tickets').values({ id: 'T-RETAIL-AML', customer_id: C.retail, assigned_employee_id: null, kind: 'aml_case', status: 'open', document_number: null, opened_at: '2026-11-01T00:00:00.000Z', closed_at: null }).execute();
    ids.aml = (await t.as(await t.login('investigator')).post('/api/v1/statement-requests', { customerId: C.retail, period: PERIOD, purpose: 'aml_investigation', reference: 'T-RETAIL-AML', output: 'view' })).json().id;
    await t.as(teller).post('/api/v1/statement-requests', { customerId: C.vip, period: PERIOD, purpose: 'service_ticket', reference: T.vipVisit, output: 'view' });
    customer = await portalLogin(t, MOBILE.retail);
    auditor = await t.login('auditor');
    // Enough entries for full tiles and bundles.
    await appendSamples(t.store, 300);
    await integrator.drain();
  }, 120_000);
  afterAll(async () => t?.close());

  it('serves every entry with its salt and an inclusion proof that verifies against the signed checkpoint', async () => {
    const cp = await checkpoint();
    const rows = await t.store.db.selectFrom('log_leaves as l').innerJoin('audit_entries as e', 'e.seq', 'l.seq')
      .select(['l.log_index', 'e.entry', 'e.salt']).where('l.log_index', '<', Number(cp.size)).orderBy('l.log_index').execute();
    expect(rows.length).toBe(Number(cp.size));
    for (const row of rows) {
      const r = await t.as(auditor).get(`/api/v1/log/entries/${row.log_index}`);
      expect(r.statusCode).toBe(200);
      const body = r.json();
      const entry = Buffer.from(body.entry.base64, 'base64');
      expect(entry.equals(row.entry)).toBe(true);
      expect(body.entry.parsed).toEqual(JSON.parse(row.entry.toString('utf8')));
      const leaf = Buffer.from(body.leaf, 'ascii');
      checkCommitment(leaf, Buffer.from(body.salt, 'base64'), entry);
      const opened = openCheckpoint(body.checkpoint, [verifier], { origin: signer.name }).checkpoint;
      verifyInclusion(leafHash(leaf), row.log_index, opened.size, body.proof.map((p: string) => Buffer.from(p, 'base64')), opened.root);
    }
    const reads = await t.store.db.selectFrom('audit_entries').select('entry').where('action', '=', 'log.entry_read').execute();
    expect(reads.length).toBe(rows.length);
    const read = JSON.parse(reads[0]!.entry.toString());
    expect(read).toMatchObject({ actor: { kind: 'staff', pseudonym: pseudonymOf(pseudonymKey(), 'E-AUDITOR') }, detail: { index: 0, format: 'json' } });
    expect(read.actor).not.toHaveProperty('id');
  });

  it('gives any entry as a tlog-proof file that verifies offline', async () => {
    const row = await t.store.db.selectFrom('log_leaves as l').innerJoin('audit_entries as e', 'e.seq', 'l.seq').select(['e.entry', 'e.salt']).where('l.log_index', '=', 5).executeTakeFirstOrThrow();
    const r = await t.as(auditor).get('/api/v1/log/entries/5/proof');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(r.body.startsWith('c2sp.org/tlog-proof@v1\nindex 5\n')).toBe(true);
    const verified = verifyProofFile(r.body, entryCommitment(row.salt, row.entry), [verifier], { origin: signer.name });
    expect(verified.index).toBe(5n);
  });

  it('serves tiles and bundles that rebuild the checkpoint root, with immutable caching for full ones', async () => {
    const cp = await checkpoint();
    const tiles = new Map<string, Buffer>();
    let full = 0;
    for (const ref of tilesForSize(cp.size)) {
      const r = await t.app.inject({ method: 'GET', url: `/log/${tilePath(ref.level, ref.n, ref.width)}` });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe('application/octet-stream');
      expect(r.headers['cache-control']).toBe(ref.width === 256 ? 'public, max-age=31536000, immutable' : 'public, max-age=60');
      full += ref.width === 256 ? 1 : 0;
      tiles.set(`${ref.level}/${ref.n}`, r.rawPayload);
      if (ref.level === 0) {
        const b = await t.app.inject({ method: 'GET', url: `/log/${entryBundlePath(ref.n, ref.width)}` });
        expect(b.statusCode).toBe(200);
        decodeEntryBundle(b.rawPayload, ref.width).forEach((leaf, k) => {
          expect(leaf.toString('ascii')).toMatch(/^fg-entry\/v1 [A-Za-z0-9+/]{43}=$/);
          expect(leafHash(leaf).equals(r.rawPayload.subarray(k * 32, k * 32 + 32))).toBe(true);
        });
      }
    }
    expect(full).toBeGreaterThan(0);
    const root = treeHash(cp.size, tileHashReader((level, n) => tiles.get(`${level}/${n}`)!));
    expect(root.equals(cp.root)).toBe(true);
  });

  it('answers 404 problem+json for tiles that do not exist or are misspelt', async () => {
    const cp = await checkpoint();
    for (const url of ['/log/tile/0/999', `/log/${tilePath(0, cp.size / 256n, Math.min(255, Number(cp.size % 256n) + 1))}`, '/log/tile/0/0', '/log/tile/entries/x001/000', '/log/tile/64/000', '/log/tile/0/000.p/256']) {
      const r = await t.app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(404);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('proves consistency between checkpoints, publicly', async () => {
    const before = await checkpoint();
    await appendSamples(t.store, 40);
    await integrator.step();
    const after = await checkpoint();
    expect(after.size).toBeGreaterThan(before.size);
    const r = await t.app.inject({ method: 'GET', url: `/api/v1/log/consistency?from=${before.size}&to=${after.size}` });
    expect(r.statusCode).toBe(200);
    verifyConsistency(before.size, after.size, r.json().proof.map((p: string) => Buffer.from(p, 'base64')), before.root, after.root);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/log/consistency?from=${before.size}` })).json().to).toBe(Number(after.size));
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/log/consistency?from=5&to=3` })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/log/consistency?from=1&to=${after.size + 1000n}` })).statusCode).toBe(400);
  });

  it('lets only log-reading roles read any entry; a customer reads only what their history shows', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/log/entries/0' })).statusCode).toBe(401);
    expect((await t.as(await t.login('teller')).get('/api/v1/log/entries/0')).statusCode).toBe(403);
    for (const role of ['analyst', 'investigator', 'compliance']) expect((await t.as(await t.login(role)).get('/api/v1/log/entries/0')).statusCode).toBe(200);

    const indexOf = async (where: { action: string; request?: string; customer?: string }) => {
      let q = t.store.db.selectFrom('log_leaves as l').innerJoin('audit_entries as e', 'e.seq', 'l.seq').select('l.log_index').where('e.action', '=', where.action);
      if (where.request) q = q.where('e.request_id', '=', where.request);
      if (where.customer) q = q.where('e.customer_id', '=', where.customer);
      return Number((await q.orderBy('l.log_index').executeTakeFirstOrThrow()).log_index);
    };
    const viewed = await indexOf({ action: 'statement.viewed', request: ids.viewed });
    const ownLogin = await indexOf({ action: 'portal.login', customer: C.retail });
    const judicial = await indexOf({ action: 'statement.requested', request: ids.judicial });
    const aml = await indexOf({ action: 'statement.requested', request: ids.aml });
    const withheld = await indexOf({ action: 'history.withheld', customer: C.retail });
    const vip = await indexOf({ action: 'statement.requested', customer: C.vip });
    for (const index of [viewed, ownLogin]) {
      const r = await t.as(customer).get(`/api/v1/log/entries/${index}`);
      expect(r.statusCode, `own entry ${index}`).toBe(200);
      expect(r.json().entry.parsed.customer).toBe(C.retail);
    }
    for (const index of [judicial, aml, withheld, vip, 0]) {
      const r = await t.as(customer).get(`/api/v1/log/entries/${index}`);
      expect(r.statusCode, `entry ${index}`).toBe(404);
      expect(r.body).not.toMatch(/judicial|aml|协查/i);
    }
    const big = await t.as(auditor).get('/api/v1/log/entries/99999999');
    expect(big.statusCode).toBe(404);
    const reads = await t.store.db.selectFrom('audit_entries').select('entry').where('action', '=', 'log.entry_read').where('customer_id', '=', C.retail).execute();
    expect(reads.some((r) => JSON.parse(r.entry.toString()).actor.kind === 'customer')).toBe(true);
  });

  it('reveals no customer, employee or reference in any public tile, bundle or checkpoint', async () => {
    await integrator.drain();
    const cp = await checkpoint();
    const db = t.store.db;
    const secrets = [
      ...(await db.selectFrom('customers').select(['id', 'name', 'id_number', 'mobile', 'address']).execute()).flatMap((c) => [c.id, c.name, c.id_number, c.mobile, c.address]),
      ...(await db.selectFrom('employees').select(['id', 'display_name', 'pseudonym']).execute()).flatMap((e) => [e.id, e.display_name, e.pseudonym]),
      ...(await db.selectFrom('service_tickets').select(['id', 'document_number']).execute()).flatMap((s) => [s.id, s.document_number ?? '']),
      ...(await db.selectFrom('statement_requests').select('id').execute()).map((r) => r.id),
      ...(await db.selectFrom('accounts').select(['id', 'card_number']).execute()).flatMap((a) => [a.id, a.card_number]),
    ].filter((s) => Buffer.byteLength(s) >= 5);
    expect(secrets.length).toBeGreaterThan(50);
    const published: Buffer[] = [Buffer.from((await t.app.inject({ method: 'GET', url: '/log/checkpoint' })).body)];
    for (const ref of tilesForSize(cp.size)) {
      published.push((await t.app.inject({ method: 'GET', url: `/log/${tilePath(ref.level, ref.n, ref.width)}` })).rawPayload);
      if (ref.level === 0) published.push((await t.app.inject({ method: 'GET', url: `/log/${entryBundlePath(ref.n, ref.width)}` })).rawPayload);
    }
    // The entries themselves do name them: the check is meaningful.
    const entries = Buffer.concat((await db.selectFrom('audit_entries').select('entry').execute()).map((e) => e.entry));
    expect(secrets.filter((s) => entries.includes(Buffer.from(s))).length).toBeGreaterThan(10);
    for (const data of published) {
      for (const secret of secrets) expect(data.includes(Buffer.from(secret)), secret).toBe(false);
    }
  });
});
