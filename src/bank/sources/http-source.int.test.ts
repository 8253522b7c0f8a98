/**
 * The HTTP adapter against a real statement service (node:http and node:https with mutual TLS),
 * serving the contract bank: the contract suite, then faults one by one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { engines } from '../../../test/engines.ts';
import { C, MOBILE } from '../../../test/bank-fixture.ts';
import { portalLogin, startTestApp } from '../../../test/app-harness.ts';
import { openStore, type Store } from '../../store/database.ts';
import type { StatementSource } from '../statement-source.ts';
import { assertTransportAllowed, httpStatementSource, type HttpSourceOptions } from './http-source.ts';
import { openStatementSource } from './open-statement-source.ts';
import { loadSourceConfig } from './source-config.ts';
import { seedContractBank, TIES_ACCOUNT, type Ledger } from './test-support/contract-bank.ts';
import { describeStatementSourceContract, sourceErrorOf } from './test-support/statement-source-contract.ts';
import { startStatementService, type StatementService } from './test-support/statement-service.ts';
import { hasOpenssl, makeTestCertificates } from './test-support/test-certificates.ts';

const AUTHORIZATION = 'Bearer test-only-statement-service-token';
const FAST_RETRY = { retries: 2, baseDelayMs: 5, maxDelayMs: 20 };

async function contractBank(engine: (typeof engines)[number]): Promise<{ store: Store; ledger: Ledger }> {
  const store = await openStore(await engine.freshUrl());
  return { store, ledger: await seedContractBank(store) };
}

for (const engine of engines) {
  describeStatementSourceContract(`HTTP service (paged, with an Authorization header) on ${engine.name}`, async () => {
    const { store, ledger } = await contractBank(engine);
    const service = await startStatementService(store.db, { pageSize: 7, authorization: AUTHORIZATION });
    const source = httpStatementSource({ baseUrl: service.url, authorization: AUTHORIZATION, retry: FAST_RETRY });
    return { source, ledger, close: async () => { await source.close?.(); await service.close(); await store.close(); } };
  });
}

describe.skipIf(!hasOpenssl())('over mutual TLS', () => {
  const certs = hasOpenssl() ? makeTestCertificates() : null!;

  describeStatementSourceContract('HTTPS service with mutual TLS, configured by FLOWGUARD_SOURCE_*', async () => {
    const { store, ledger } = await contractBank(engines[0]!);
    const service = await startStatementService(store.db, { tls: { cert: certs.server.cert, key: certs.server.key, ca: certs.ca } });
    // Through the configuration a bank writes: the PEM files by path.
    const config = loadSourceConfig({
      FLOWGUARD_SOURCE: 'http', FLOWGUARD_SOURCE_URL: service.url, FLOWGUARD_SOURCE_CA: certs.paths.ca,
      FLOWGUARD_SOURCE_CERT: certs.paths.clientCert, FLOWGUARD_SOURCE_KEY: certs.paths.clientKey,
    });
    const source = openStatementSource(config, store.db);
    return { source, ledger, close: async () => { await source.close?.(); await service.close(); await store.close(); } };
  });

  describe('refusals', () => {
    let store: Store;
    let service: StatementService;
    beforeAll(async () => {
      ({ store } = await contractBank(engines[0]!));
      service = await startStatementService(store.db, { tls: { cert: certs.server.cert, key: certs.server.key, ca: certs.ca } });
    });
    afterAll(async () => { await service.close(); await store.close(); });

    it('without a client certificate the service refuses the connection: source_unavailable', async () => {
      const source = httpStatementSource({ baseUrl: service.url, tls: { ca: certs.ca }, retry: FAST_RETRY });
      expect((await sourceErrorOf(source.accounts(C.retail))).code).toBe('source_unavailable');
      await source.close?.();
    });

    it('a server certificate from a CA not configured is refused, not retried: source_unavailable', async () => {
      const before = service.requests;
      const source = httpStatementSource({ baseUrl: service.url, tls: { ca: certs.otherCa, cert: certs.client.cert, key: certs.client.key }, retry: FAST_RETRY });
      const error = await sourceErrorOf(source.accounts(C.retail));
      expect(error.code).toBe('source_unavailable');
      expect(service.requests).toBe(before);
      await source.close?.();
    });
  });
});

describe('faults of the statement service', () => {
  let store: Store;
  let service: StatementService;
  const sources: StatementSource[] = [];
  const open = (options: Partial<HttpSourceOptions> = {}) => {
    const source = httpStatementSource({ baseUrl: service.url, retry: FAST_RETRY, timeoutMs: 2000, ...options });
    sources.push(source);
    return source;
  };
  beforeAll(async () => {
    ({ store } = await contractBank(engines[0]!));
    service = await startStatementService(store.db, { slowMs: 600 });
  });
  afterAll(async () => {
    for (const s of sources) await s.close?.();
    await service.close();
    await store.close();
  });
  const fresh = () => {
    service.faults.length = 0;
    service.requests = 0;
  };

  it('a 500 then an answer: retried, and the answer is used', async () => {
    fresh();
    service.faults.push('status500');
    expect((await open().accounts(C.retail)).map((a) => a.id)).toEqual(['A-RETAIL', TIES_ACCOUNT]);
    expect(service.requests).toBe(2);
  });

  it('503 on every attempt: source_unavailable after the bounded retries, with Retry-After', async () => {
    fresh();
    service.faults.push('status503', 'status503', 'status503', 'status503');
    const error = await sourceErrorOf(open().rows('A-RETAIL', '2026-08-01', '2026-09-01'));
    expect(error.code).toBe('source_unavailable');
    expect(error.status).toBe(503);
    expect(error.details.retryAfterSeconds).toBeGreaterThan(0);
    expect(error.message).toMatch(/HTTP 503, 3 attempts/);
    expect(service.requests).toBe(3);
  });

  it('too slow: each attempt times out, then source_unavailable', async () => {
    fresh();
    service.faults.push('slow', 'slow');
    const started = Date.now();
    const error = await sourceErrorOf(open({ timeoutMs: 150, retry: { ...FAST_RETRY, retries: 1 } }).accounts(C.retail));
    expect(error.code).toBe('source_unavailable');
    expect(error.message).toMatch(/no answer within 150 ms, 2 attempts/);
    expect(Date.now() - started).toBeLessThan(600);
    expect(service.requests).toBe(2);
  });

  it('slow once, then quick: the retry answers', async () => {
    fresh();
    service.faults.push('slow');
    expect(await open({ timeoutMs: 150 }).accounts(C.target)).toHaveLength(1);
  });

  it('nobody listening: connection refused, retried, source_unavailable', async () => {
    const port = await closedPort();
    const error = await sourceErrorOf(open({ baseUrl: `http://127.0.0.1:${port}/` }).accounts(C.retail));
    expect(error.code).toBe('source_unavailable');
    expect(error.message).toMatch(/connection refused, 3 attempts/);
  });

  for (const [fault, why] of [
    ['malformed', /not valid JSON/],
    ['html', /not JSON \(Content-Type\)/],
    ['schema', /does not match the documented schema at \/transactions\[0\]\/amountCents/],
    ['outside-period', /row #1 was posted outside the period/],
    ['status400', /HTTP 400/],
  ] as const) {
    it(`${fault}: source_invalid_response (502), not retried, naming the rule and never the data`, async () => {
      fresh();
      service.faults.push(fault);
      const error = await sourceErrorOf(open().rows('A-TARGET', '2026-09-01', '2026-10-01'));
      expect(error.code).toBe('source_invalid_response');
      expect(error.status).toBe(502);
      expect(error.message).toMatch(why);
      expect(error.message).not.toMatch(/\d{12,}/);
      expect(service.requests).toBe(1);
    });
  }

  it('an account of another customer in the answer: source_invalid_response', async () => {
    fresh();
    service.faults.push('foreign-account');
    expect((await sourceErrorOf(open().accounts(C.retail))).code).toBe('source_invalid_response');
  });

  it('credentials refused (401): source_unavailable at once, not retried', async () => {
    const guarded = await startStatementService(store.db, { authorization: AUTHORIZATION });
    try {
      const error = await sourceErrorOf(httpStatementSource({ baseUrl: guarded.url, authorization: 'Bearer wrong', retry: FAST_RETRY }).accounts(C.retail));
      expect(error.code).toBe('source_unavailable');
      expect(guarded.requests).toBe(1);
    } finally {
      await guarded.close();
    }
  });

  it('statements never cross the network in clear: plain http only to a loopback address', () => {
    expect(() => assertTransportAllowed(new URL('http://core-banking.example/'))).toThrow(/https/);
    expect(() => httpStatementSource({ baseUrl: 'http://10.0.0.8/statements' })).toThrow(/https/);
    expect(() => assertTransportAllowed(new URL('https://core-banking.example/'))).not.toThrow();
    expect(() => assertTransportAllowed(new URL('http://127.0.0.1:9000/'))).not.toThrow();
  });
});

describe('configuration', () => {
  it('chooses the demo bank unless told otherwise, and refuses what cannot work', () => {
    expect(loadSourceConfig({}).kind).toBe('demo');
    expect(() => loadSourceConfig({ FLOWGUARD_SOURCE: 'ftp' })).toThrow(/FLOWGUARD_SOURCE must be one of demo, http, sql/);
    expect(() => loadSourceConfig({ FLOWGUARD_SOURCE: 'http' })).toThrow(/FLOWGUARD_SOURCE_URL/);
    expect(() => loadSourceConfig({ FLOWGUARD_SOURCE: 'sql', FLOWGUARD_SOURCE_URL: 'https://x' })).toThrow(/postgres/);
    expect(() => loadSourceConfig({ FLOWGUARD_SOURCE: 'http', FLOWGUARD_SOURCE_URL: 'https://x', FLOWGUARD_SOURCE_CERT: '/c.pem' })).toThrow(/go together/);
    expect(() => loadSourceConfig({ FLOWGUARD_SOURCE_RETRIES: '50' })).toThrow(/from 0 to 5/);
    expect(loadSourceConfig({ FLOWGUARD_SOURCE: 'http', FLOWGUARD_SOURCE_URL: 'https://x', FLOWGUARD_SOURCE_TIMEOUT_MS: '2500' })).toMatchObject({ kind: 'http', timeoutMs: 2500, retries: 2 });
  });

  it('a TLS file that cannot be read stops the start, naming the variable', async () => {
    const config = loadSourceConfig({ FLOWGUARD_SOURCE: 'http', FLOWGUARD_SOURCE_URL: 'https://x', FLOWGUARD_SOURCE_CA: '/nonexistent/ca.pem' });
    expect(() => openStatementSource(config, null!)).toThrow(/FLOWGUARD_SOURCE_CA names \/nonexistent\/ca.pem/);
  });
});

for (const engine of engines) {
  describe(`the bank's system down, seen through the API on ${engine.name}`, () => {
    it('a customer reading their accounts gets 503 problem+json source_unavailable with Retry-After', async () => {
      const t = await startTestApp(engine);
      const source = httpStatementSource({ baseUrl: `http://127.0.0.1:${await closedPort()}/`, retry: FAST_RETRY });
      try {
        t.ctx.source = source;
        const token = await portalLogin(t, MOBILE.retail);
        const r = await t.as(token).get('/api/v1/portal/accounts');
        expect(r.statusCode).toBe(503);
        expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(r.headers['retry-after']).toBe('30');
        expect(r.json()).toMatchObject({ code: 'source_unavailable', status: 503, type: 'https://flowguard.dev/problems/source-unavailable' });
        expect(r.json().detail).toMatch(/try again in a minute/);
        expect(r.body).not.toMatch(/127\.0\.0\.1/);
      } finally {
        await source.close?.();
        await t.close();
      }
    });
  });
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
