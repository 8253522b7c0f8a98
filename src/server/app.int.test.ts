import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../test/engines.ts';
import { startTestApp, type TestApp } from '../../test/app-harness.ts';
import { buildApp } from './app.ts';

describe('the server shell', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engines[0]!);
  });
  afterAll(async () => t.close());

  it('publishes OpenAPI 3.1 with every API route, and Swagger UI at /docs', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(spec.openapi).toBe('3.1.0');
    const documented = new Set(Object.keys(spec.paths));
    const apiRoutes = t.app.registeredRoutes.filter((r) => r.url.startsWith('/api/'));
    expect(apiRoutes.length).toBeGreaterThan(20);
    for (const r of apiRoutes) expect(documented, r.url).toContain(r.url.replace(/:([a-zA-Z]+)/g, '{$1}'));
    const docs = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });

  it('answers health and Prometheus metrics', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    await t.app.inject({ method: 'GET', url: '/api/v1/purposes' });
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toMatch(/flowguard_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/purposes",status="401"\} \d+/);
  });

  it('sends security headers', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(r.headers['strict-transport-security']).toContain('max-age=');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
  });

  it('rate-limits a client that sends too many requests, with problem+json', async () => {
    const app = await buildApp(t.ctx, { logger: false, rateLimitMax: 5 });
    // Counts live in the database both apps share: a client address of its own, so the other
    // tests' requests from 127.0.0.1 have not spent this client's budget.
    const health = () => app.inject({ method: 'GET', url: '/healthz', remoteAddress: '192.0.2.50' });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 7; i++) codes.push((await health()).statusCode);
      expect(codes).toEqual([200, 200, 200, 200, 200, 429, 429]);
      const limited = await health();
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['content-type']).toContain('application/problem+json');
      expect(limited.json().code).toBe('rate_limited');
    } finally {
      await app.close();
    }
  });
});
