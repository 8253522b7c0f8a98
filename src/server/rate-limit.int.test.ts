import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { engines } from '../../test/engines.ts';
import { startTestApp, type TestApp } from '../../test/app-harness.ts';
import { buildApp } from './app.ts';
import { closeRefusalTallies } from '../audit/refusal-tally.ts';
import { parseEntry } from '../audit/record.ts';

const LIMIT = 5;
const N = 500;

describe.each(engines)('rate-limit refusals on $name', (engine) => {
  let t: TestApp;
  let limited: FastifyInstance;
  beforeAll(async () => {
    t = await startTestApp(engine);
    // The same bank and database, behind a limiter with a budget small enough to run out in a test.
    limited = await buildApp(t.ctx, { logger: false, rateLimitMax: LIMIT });
  });
  afterAll(async () => {
    await limited?.close();
    await t?.close();
  });

  const get = (token: string, url = '/api/v1/me') => limited.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const entriesOf = async (action: string, employeeId: string) => {
    const rows = await t.store.db.selectFrom('audit_entries').select('entry').where('action', '=', action).where('actor_id', '=', employeeId).orderBy('seq').execute();
    return rows.map((r) => parseEntry(r.entry).detail as { refusals: number; windowTotal?: number; first?: boolean; route?: string });
  };

  it('spends each signed-in employee\'s own budget, not their shared address\'s', async () => {
    const [teller, teller2] = [await t.login('teller'), await t.login('teller2')];
    for (let i = 0; i < LIMIT; i++) expect((await get(teller)).statusCode).toBe(200);
    expect((await get(teller)).statusCode).toBe(429);
    // Same address (inject's 127.0.0.1), another employee: their budget is untouched.
    expect((await get(teller2)).statusCode).toBe(200);
  });

  it(`records ${N} refusals of one employee as at most three entries whose counts add up to ${N}`, async () => {
    const manager = await t.login('manager');
    const me = (await get(manager)).json().employeeId as string;
    for (let i = 1; i < LIMIT; i++) expect((await get(manager)).statusCode).toBe(200);
    for (let i = 0; i < N; i++) {
      const r = await get(manager);
      expect(r.statusCode).toBe(429);
      if (i === 0) {
        expect(r.headers['content-type']).toContain('application/problem+json');
        expect(r.json().code).toBe('rate_limited');
        expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    // As the flood runs, the record holds one entry saying it started.
    const during = await entriesOf('request.rate_limited', me);
    expect(during).toEqual([expect.objectContaining({ refusals: 1, first: true, route: '/api/v1/me' })]);
    expect(await entriesOf('request.refused', me)).toEqual([]);

    // The window ends; housekeeping records the rest of its count.
    t.clock.now = new Date(t.clock.now.getTime() + 11 * 60_000);
    await closeRefusalTallies(t.store.db, t.ctx.now(), 'ended');
    const after = await entriesOf('request.rate_limited', me);
    expect(after.length).toBeLessThanOrEqual(3);
    expect(after.reduce((n, e) => n + e.refusals, 0)).toBe(N);
    expect(after.at(-1)).toMatchObject({ windowTotal: N });
  });

  it('still records every other refusal as one entry each', async () => {
    const rm = await t.login('rm');
    const employeeId = (await t.as(rm).get('/api/v1/me')).json().employeeId as string;
    const before = (await entriesOf('request.refused', employeeId)).length;
    for (let i = 0; i < 3; i++) expect((await t.as(rm).get('/api/v1/log/entries/0')).statusCode).toBe(403);
    const refused = await entriesOf('request.refused', employeeId);
    expect(refused.length - before).toBe(3);
  });
});
