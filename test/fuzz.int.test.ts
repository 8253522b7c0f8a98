/**
 * The fuzz test, driven by the app's own OpenAPI document plus the routes hidden from it: every
 * operation gets at least 200 malformed requests (generated from its schema with fast-check: wrong
 * types, huge and odd strings, lone surrogates, impossible dates, full card and resident ID numbers in
 * every string field, deeply nested JSON, wrong content types, empty and non-JSON bodies, path tricks),
 * sent as the roles that reach its handler (test/access-policy.ts) and now and then as anyone else.
 * No answer may be a 5xx; every error answer is RFC 9457 problem+json with type, title, status, detail
 * and code; and afterwards the statement gate still works. A second part sends over a real socket
 * what inject cannot: bad percent-encoding, a 20 KB address, 100 KB of headers, broken HTTP.
 *
 * FLOWGUARD_FUZZ_SEED repeats a run; FLOWGUARD_FUZZ_RUNS raises the count per operation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { engines } from './engines.ts';
import { startTestApp, type TestApp } from './app-harness.ts';
import { C, E, MOBILE, PASSWORD, T } from './bank-fixture.ts';
import { mayReach } from './access-policy.ts';
import { fillPath, listOperations, ROLES, sessionFor, type Credentials, type Operation, type Role } from './operations.ts';
import { bodyFor, NESTED_POLICY, pathValue, queryFor, type FuzzBody, type KnownValues } from './fuzz-inputs.ts';
import { loadDefaultPolicyText } from '../src/access/policy-files.ts';
import { createSession } from '../src/identity/sessions.ts';

const RUNS = Math.max(200, Number(process.env.FLOWGUARD_FUZZ_RUNS ?? 200));
const SEED = Number(process.env.FLOWGUARD_FUZZ_SEED ?? Date.now() % 2 ** 31);
const PERIOD = { from: '2026-08-01', to: '2026-10-31' };
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** The console's pages answer 503 in plain text, on purpose, when web/ has not been built. */
const CONSOLE_BUILT = existsSync(new URL('../web/dist/index.html', import.meta.url));
const PAGE = /^GET \/(console|portal|assets)?(\/\*)?$/;

/** Authorization headers that are wrong in shape rather than merely unknown. */
const BAD_AUTH = ['Bearer', 'Bearer ', 'Basic YWRtaW46YWRtaW4=', `Bearer ${'a'.repeat(5_000)}`, 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.', 'bearer  x', 'Bearer x y', 'Bearer %00'];

type Caller = { role: Role } | { authorization: string };

interface FuzzRequest { caller: Caller; path: string; query: string; body: FuzzBody; method: string }

interface Failure { operation: string; problem: string; reproduction: string }

/** Why an answer breaks the contract, or null when it keeps it. */
function contractBreach(op: Operation, status: number, contentType: string, body: string, head = false): string | null {
  if (PAGE.test(op.key) && status === 503 && !CONSOLE_BUILT) return null;
  if (status >= 500) return `answered ${status}${codeOf(body) ? ` ${codeOf(body)}` : ''}`;
  if (status < 400) return null;
  if (!contentType.startsWith('application/problem+json')) return `error ${status} is ${contentType || 'without a content type'}, not application/problem+json`;
  if (head) return null; // HEAD answers carry the headers only
  let problem: Record<string, unknown>;
  try {
    problem = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return `error ${status} is not JSON`;
  }
  const missing = ['type', 'title', 'status', 'detail', 'code'].filter((k) => problem[k] === undefined || problem[k] === '');
  if (missing.length) return `error ${status} lacks ${missing.join(', ')}`;
  if (problem.status !== status) return `error ${status} says status ${String(problem.status)}`;
  return null;
}

function codeOf(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { code?: string }).code;
  } catch {
    return undefined;
  }
}

describe.each(engines)('fuzz on $name', (engine) => {
  let t: TestApp;
  let ops: Operation[];
  const sessions = new Map<Role, Credentials>();
  let known: KnownValues;

  /** The role's session; a fresh one, not kept, for a request that may end it (sign-out). */
  async function credentials(role: Exclude<Role, 'anonymous'>, fresh: boolean): Promise<Credentials> {
    if (fresh) return sessionFor(t, role);
    if (!sessions.has(role)) sessions.set(role, await sessionFor(t, role));
    return sessions.get(role)!;
  }

  beforeAll(async () => {
    t = await startTestApp(engine);
    ops = await listOperations(t.app);
    const teller = await sessionFor(t, 'teller');
    const sr = (await t.as(teller.token).post('/api/v1/statement-requests', { customerId: C.retail, period: PERIOD, purpose: 'service_ticket', reference: T.retailVisit, output: 'view' })).json();
    const pending = (await t.as(teller.token).post('/api/v1/statement-requests', { customerId: C.vip, period: PERIOD, purpose: 'service_ticket', reference: T.vipVisit, output: 'view' })).json();
    const admin2 = await createSession(t.store.db, { kind: 'staff', employeeId: E.admin2 }, 1, t.clock.now);
    const change = (await t.as(admin2.token).post('/api/v1/admin/changes', { kind: 'role_grant', key: E.teller2, body: '{"roles":[]}' })).json();
    known = {
      id: [C.retail, C.vip, sr.id, pending.id, change.id, E.teller2],
      customerId: [C.retail, C.vip, C.target],
      accountIds: ['A-RETAIL', 'A-VIP'],
      accountId: ['A-RETAIL'],
      reference: [T.retailVisit, T.vipVisit, T.judicialDoc],
      purpose: ['service_ticket', 'customer_present', 'judicial_request', 'internal_audit'],
      from: [PERIOD.from, '2026-11-01T00:00:00Z'],
      to: [PERIOD.to, '2026-11-30T00:00:00Z'],
      version: [t.ctx.config.legalWarning.version],
      username: ['teller2', 'admin', 'nobody'],
      password: [PASSWORD, 'wrong'],
      mobile: [MOBILE.retail, MOBILE.target],
      code: ['123456'],
      text: [loadDefaultPolicyText(), NESTED_POLICY],
      key: [E.teller2, 'default', 'service_ticket', 'E-NOBODY'],
      body: [NESTED_POLICY, '{"roles":["approver"]}', '{"card_number":{"keepStart":99,"keepEnd":4}}', 'null', '{"id":"service_ticket","label":{"zh":"x","en":"x"}}'],
      employeeId: [E.teller2, 'E-NOBODY'],
      completedOn: ['2026-11-01'],
      validUntil: ['2027-11-01'],
      comment: ['ok', '核实'],
      reason: ['checking an alert'],
      justification: ['紧急情况：客户在柜台，审批人不在岗，需要立即核实交易。'],
      pseudonym: ['P-TELLER', 'P-NOBODY'],
      seq: ['1', '2', '999999'],
      index: ['0', '1'],
      action: ['statement.requested'],
      requestId: [sr.id],
      q: ['欧阳', '13800138001', C.retail],
      hours: ['24'],
      before: ['10'],
      limit: ['5'],
      '*': ['0/000', 'entries/000', '0/000.p/1', 'index.html', 'x', 'index.js'],
    };
  }, 60_000);
  afterAll(async () => t.close());

  function requestArb(op: Operation): fc.Arbitrary<FuzzRequest> {
    const reach = (mayReach(op.key) ?? ['anonymous']).filter((r) => r !== 'anonymous' || mayReach(op.key)?.length === ROLES.length);
    const reachers: Role[] = reach.length ? [...reach] : ['anonymous'];
    const caller: fc.Arbitrary<Caller> = fc.oneof(
      { weight: 16, arbitrary: fc.constantFrom(...reachers).map((role) => ({ role })) },
      { weight: 2, arbitrary: fc.constantFrom(...ROLES).map((role) => ({ role })) },
      { weight: 1, arbitrary: fc.constantFrom(...BAD_AUTH).map((authorization) => ({ authorization })) },
    );
    const pathParams = op.parameters.filter((p) => p.in === 'path').map((p) => p.name);
    const values = fc.tuple(...pathParams.map((name) => pathValue(known[name] ?? known.id!).map((v) => (name === '*' && (known['*'] ?? []).includes(v.text) ? { ...v, raw: true } : v))));
    const path = values.map((vs) => fillPath(op.path, (name) => vs[pathParams.indexOf(name)] ?? { text: 'x' }));
    // Now and then the wrong method: HEAD on a GET, or a GET route sent a body.
    const method = op.method === 'GET' ? fc.oneof({ weight: 12, arbitrary: fc.constant('GET') }, { weight: 1, arbitrary: fc.constant('HEAD') }) : fc.constant(op.method);
    const body = UNSAFE.has(op.method) ? bodyFor(op, known) : fc.oneof({ weight: 8, arbitrary: fc.constant<FuzzBody>({}) }, { weight: 1, arbitrary: bodyFor(op, known) });
    return fc.record({ caller, path, query: queryFor(op, known), body, method });
  }

  async function send(op: Operation, r: FuzzRequest) {
    const headers: Record<string, string> = {};
    if ('authorization' in r.caller) headers.authorization = r.caller.authorization;
    else if (r.caller.role !== 'anonymous') {
      const logout = op.key === 'DELETE /api/v1/sessions/current';
      headers.authorization = `Bearer ${(await credentials(r.caller.role, logout)).token}`;
    }
    if (r.body.contentType !== undefined) headers['content-type'] = r.body.contentType;
    const url = r.query ? `${r.path}?${r.query}` : r.path;
    return t.app.inject({ method: r.method as 'GET', url, headers, ...(r.body.payload === undefined ? {} : { payload: r.body.payload }) });
  }

  function reproduction(r: FuzzRequest): string {
    const who = 'role' in r.caller ? r.caller.role : `Authorization: ${r.caller.authorization.slice(0, 60)}`;
    const url = r.query ? `${r.path}?${r.query}` : r.path;
    const payload = r.body.payload === undefined ? '' : ` ${r.body.contentType ?? '(no content-type)'} ${JSON.stringify(r.body.payload.length > 300 ? `${r.body.payload.slice(0, 300)}…(${r.body.payload.length} chars)` : r.body.payload)}`;
    return `${who}: ${r.method} ${url.length > 300 ? `${url.slice(0, 300)}…(${url.length} chars)` : url}${payload}`;
  }

  it(`sends ${RUNS} malformed requests to every operation: no 5xx, every error problem+json, and the gate still works`, async () => {
    console.log(`fuzz (${engine.name}): seed ${SEED} (FLOWGUARD_FUZZ_SEED=${SEED} repeats it), ${RUNS} requests per operation`);
    const byStatus = new Map<number, number>();
    const failures = new Map<string, Failure>();
    let requests = 0;
    let unsendable = 0;
    const perOperation: string[] = [];
    for (const [i, op] of ops.entries()) {
      const started = Date.now();
      const answered = new Map<number, number>();
      for (const r of fc.sample(requestArb(op), { numRuns: RUNS, seed: SEED + i })) {
        let res;
        try {
          res = await send(op, r);
        } catch (error) {
          // inject refuses some headers before the server sees them (a real client could not send them either).
          if (error instanceof TypeError || (error as { code?: string }).code === 'ERR_INVALID_CHAR') { unsendable += 1; continue; }
          throw error;
        }
        requests += 1;
        byStatus.set(res.statusCode, (byStatus.get(res.statusCode) ?? 0) + 1);
        answered.set(res.statusCode, (answered.get(res.statusCode) ?? 0) + 1);
        const breach = contractBreach(op, res.statusCode, String(res.headers['content-type'] ?? ''), res.body, r.method === 'HEAD');
        if (!breach) continue;
        // One entry per operation and kind of breach, with the shortest request that shows it.
        const key = `${op.key} | ${breach}`;
        const repro = reproduction(r);
        const seen = failures.get(key);
        if (!seen || repro.length < seen.reproduction.length) failures.set(key, { operation: op.key, problem: `${breach}${codeOf(res.body) ? '' : ` — ${res.body.slice(0, 120)}`}`, reproduction: repro });
      }
      perOperation.push(`  ${op.key}: ${[...answered.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')} (${Date.now() - started} ms)`);
    }
    if (process.env.FLOWGUARD_FUZZ_VERBOSE) console.log(perOperation.join('\n'));
    const statuses = [...byStatus.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`).join(', ');
    console.log(`fuzz (${engine.name}): ${ops.length} operations (${ops.filter((o) => o.documented).length} documented, ${ops.filter((o) => !o.documented).length} hidden), ${requests} requests${unsendable ? ` (${unsendable} unsendable)` : ''}; by status: ${statuses}`);
    if (failures.size) console.log(`fuzz (${engine.name}): ${failures.size} breaches, shortest reproductions:\n${[...failures.values()].map((f) => `  ${f.operation}: ${f.problem}\n    ${f.reproduction}`).join('\n')}`);

    // The statement gate after all that: a normal request is decided, acknowledged and released.
    const teller = await sessionFor(t, 'teller');
    const decision = await t.as(teller.token).post('/api/v1/statement-requests', { customerId: C.retail, period: PERIOD, purpose: 'service_ticket', reference: T.retailVisit, output: 'view' });
    expect(decision.statusCode, decision.body).toBe(201);
    expect(decision.json().status).toBe('allowed');
    const ack = await t.as(teller.token).post(`/api/v1/statement-requests/${decision.json().id}/acknowledgement`, { version: t.ctx.config.legalWarning.version });
    expect(ack.statusCode, ack.body).toBe(201);
    const statement = await t.as(teller.token).get(`/api/v1/statement-requests/${decision.json().id}/statement`);
    expect(statement.statusCode, statement.body).toBe(200);
    expect(statement.json().accounts[0].rows.length).toBeGreaterThan(0);
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);

    expect(requests).toBeGreaterThanOrEqual(ops.length * RUNS * 0.95);
    expect([...failures.values()].map((f) => `${f.operation}: ${f.problem} ← ${f.reproduction}`)).toEqual([]);
  }, 600_000);

  it('over a real socket: bad percent-encoding, a 20 KB address, 100 KB of headers and broken HTTP get problem+json, never 5xx', async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.app.server.address() as AddressInfo;
    const viewer = await sessionFor(t, 'security_analyst');
    const auth = `Authorization: Bearer ${viewer.token}\r\n`;
    const cases: Array<[string, string]> = [
      ['bad percent-encoding in the path', `GET /api/v1/statement-requests/%zz HTTP/1.1\r\nHost: x\r\n${auth}\r\n`],
      ['a lone percent sign', 'GET /api/v1/% HTTP/1.1\r\nHost: x\r\n\r\n'],
      ['an encoded lone surrogate in the path', `GET /api/v1/customers/%ED%A0%80/access-history HTTP/1.1\r\nHost: x\r\n${auth}\r\n`],
      ['bad percent-encoding in the query', `GET /api/v1/oversight/audit-record?customerId=%zz HTTP/1.1\r\nHost: x\r\n${auth}\r\n`],
      ['a NUL in the path', 'GET /api/v1/me%00 HTTP/1.1\r\nHost: x\r\n\r\n'],
      ['dot segments', 'GET /api/v1/statement-requests/../../../healthz HTTP/1.1\r\nHost: x\r\n\r\n'],
      ['encoded dot segments', 'GET /log/tile/%2e%2e/%2e%2e/%2e%2e/package.json HTTP/1.1\r\nHost: x\r\n\r\n'],
      ['a path parameter of 5,000 characters', `GET /api/v1/statement-requests/${'a'.repeat(5_000)} HTTP/1.1\r\nHost: x\r\n${auth}\r\n`],
      ['a 20 KB address', `GET /api/v1/customers?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n${auth}\r\n`],
      ['100 KB of headers', `GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`],
      ['a control character in a header', 'GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0001b\r\n\r\n'],
      ['raw non-ASCII bytes in the path', 'GET /api/v1/customers/客户 HTTP/1.1\r\nHost: x\r\n\r\n'],
      ['an unknown method', 'BREW /healthz HTTP/1.1\r\nHost: x\r\n\r\n'],
      ['an absolute-form target', 'GET http://evil.example/healthz HTTP/1.1\r\nHost: x\r\n\r\n'],
      ['no Host header', 'GET /healthz HTTP/1.1\r\n\r\n'],
      ['Content-Length with Transfer-Encoding', 'POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
      ['a bad chunk', 'POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n'],
      ['a garbage request line', 'HELLO\r\n\r\n'],
      ['an invalid Content-Length', 'POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n{}'],
    ];
    const breaches: string[] = [];
    const seen: string[] = [];
    for (const [name, raw] of cases) {
      const answer = await rawRequest(port, raw);
      seen.push(`${name}: ${answer ? answer.status : 'connection closed without an answer'}`);
      if (!answer) continue;
      const breach = contractBreach({ key: 'socket' } as Operation, answer.status, answer.contentType, answer.body);
      if (breach) breaches.push(`${name}: ${breach} — ${answer.body.slice(0, 120)}`);
    }
    console.log(`fuzz over a socket (${engine.name}):\n  ${seen.join('\n  ')}`);
    expect(breaches).toEqual([]);
  }, 60_000);
});

/** Sends raw bytes and reads the answer until the server closes or two seconds pass. */
function rawRequest(port: number, raw: string): Promise<{ status: number; contentType: string; body: string } | null> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = () => {
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1];
      if (!status) return resolve(null);
      const [head, ...rest] = text.split('\r\n\r\n');
      const contentType = /\r\ncontent-type: *([^\r]*)/i.exec(head ?? '')?.[1] ?? '';
      const body = Buffer.from(rest.join('\r\n\r\n'), 'latin1').toString('utf8');
      resolve({ status: Number(status), contentType, body: /transfer-encoding: *chunked/i.test(head ?? '') ? dechunk(body) : body });
    };
    socket.setTimeout(2_000, done);
    socket.on('data', (d) => {
      chunks.push(d);
      // A complete answer with a length ends the wait (a kept-alive connection would not close).
      const text = Buffer.concat(chunks).toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end))?.[1];
      if (end >= 0 && length !== undefined && Buffer.byteLength(text, 'latin1') - end - 4 >= Number(length)) done();
      if (end >= 0 && /transfer-encoding: *chunked/i.test(text.slice(0, end)) && text.endsWith('0\r\n\r\n')) done();
    });
    socket.on('end', done);
    socket.on('error', done);
    socket.write(raw, 'utf8');
  });
}

function dechunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const m = /^([0-9a-f]+)\r\n/i.exec(rest);
    if (!m) return out || body;
    const n = parseInt(m[1]!, 16);
    if (n === 0) return out;
    out += rest.slice(m[0].length, m[0].length + n);
    rest = rest.slice(m[0].length + n + 2);
  }
}
