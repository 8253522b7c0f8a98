import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../../test/engines.ts';
import { portalLogin, startTestApp, type TestApp } from '../../../test/app-harness.ts';
import { C, MOBILE } from '../../../test/bank-fixture.ts';
import { parseEntry } from '../record.ts';
import { closeRefusalTallies } from '../refusal-tally.ts';
import { CUSTOMER_LOG_MISSES_PER_WINDOW } from './entry-reveal.ts';
import { appendSamples, testIntegrator, testSigner } from './test-support/log-fixture.ts';

const PROBES = 200;

describe.each(engines)('a customer probing log indexes on $name', (engine) => {
  let t: TestApp;
  let customer: string;
  let own: number;
  let others: number[];
  beforeAll(async () => {
    t = await startTestApp(engine);
    customer = await portalLogin(t, MOBILE.retail);
    await appendSamples(t.store, 40);
    await testIntegrator(t.store, testSigner()).drain();
    const leaves = await t.store.db.selectFrom('log_leaves as l').innerJoin('audit_entries as e', 'e.seq', 'l.seq')
      .select(['l.log_index', 'e.customer_id', 'e.action']).orderBy('l.log_index').execute();
    own = Number(leaves.find((l) => l.customer_id === C.retail && l.action === 'portal.login')!.log_index);
    others = leaves.filter((l) => l.customer_id !== C.retail).map((l) => Number(l.log_index));
  }, 60_000);
  afterAll(async () => t?.close());

  const read = (index: number) => t.as(customer).get(`/api/v1/log/entries/${index}`);
  const tallyOf = async (customerId: string) => {
    const rows = await t.store.db.selectFrom('audit_entries').select(['entry', 'action']).where('actor_id', '=', customerId).where('action', 'in', ['log.entry_refused', 'request.refused']).orderBy('seq').execute();
    return rows.map((r) => ({ action: r.action, ...(parseEntry(r.entry).detail as { refusals: number; windowTotal?: number }) }));
  };

  it(`answers 404 for ${CUSTOMER_LOG_MISSES_PER_WINDOW} misses, then 429 with Retry-After; records the probe as a count`, async () => {
    expect((await read(own)).statusCode).toBe(200);
    // Entries of others and indexes past the end of the log, as a prober would try them.
    const probes = Array.from({ length: PROBES }, (_, i) => (i % 2 === 0 ? others[i % others.length]! : 1_000_000 + i));
    const statuses: number[] = [];
    for (const index of probes) {
      const r = await read(index);
      statuses.push(r.statusCode);
      expect(r.headers['content-type']).toContain('application/problem+json');
      if (r.statusCode === 429) {
        expect(r.json().code).toBe('rate_limited');
        expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
        expect(Number(r.headers['retry-after'])).toBeLessThanOrEqual(600);
      }
    }
    expect(statuses.slice(0, CUSTOMER_LOG_MISSES_PER_WINDOW)).toEqual(Array(CUSTOMER_LOG_MISSES_PER_WINDOW).fill(404));
    expect(new Set(statuses.slice(CUSTOMER_LOG_MISSES_PER_WINDOW))).toEqual(new Set([429]));
    // Once limited, every read of the window is refused: a 200 next to a 429 would still answer the probe.
    expect((await read(own)).statusCode).toBe(429);

    const during = await tallyOf(C.retail);
    expect(during).toEqual([expect.objectContaining({ action: 'log.entry_refused', refusals: 1 })]);

    t.clock.now = new Date(t.clock.now.getTime() + 11 * 60_000);
    await closeRefusalTallies(t.store.db, t.ctx.now(), 'ended');
    const after = await tallyOf(C.retail);
    expect(after.length).toBeLessThanOrEqual(3);
    expect(after.every((e) => e.action === 'log.entry_refused')).toBe(true);
    expect(after.reduce((n, e) => n + e.refusals, 0)).toBe(PROBES + 1);

    // The next window starts afresh: their own entry reads again.
    expect((await read(own)).statusCode).toBe(200);
  });

  it('leaves staff log readers unlimited', async () => {
    const auditor = await t.login('auditor');
    for (let i = 0; i < CUSTOMER_LOG_MISSES_PER_WINDOW + 5; i++) {
      expect((await t.as(auditor).get(`/api/v1/log/entries/${2_000_000 + i}`)).statusCode).toBe(404);
    }
    expect((await t.as(auditor).get(`/api/v1/log/entries/${others[0]}`)).statusCode).toBe(200);
  });
});
