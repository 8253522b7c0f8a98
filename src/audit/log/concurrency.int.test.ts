/**
 * Several writers commit audit entries out of seq order (a slow transaction holds a low seq while
 * later ones commit), some roll back (leaving gaps forever), and two integrators race: the log must
 * hold every committed entry exactly once, in seq order, and nothing else.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { engines } from '../../../test/engines.ts';
import { openStore, type Store } from '../../store/database.ts';
import { parseVerifierKey } from '../tlog/index.ts';
import { appendAuditEntry } from '../record.ts';
import { verifyLog } from './verify-log.ts';
import { naiveFence, sampleEvent, testIntegrator, testSigner } from './test-support/log-fixture.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class Rollback extends Error {}

describe.each(engines)('concurrent writers and integrators on $name', (engine) => {
  const stores: Store[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  /** Runs the scenario; `naive` integrates up to the highest visible seq, as a fence-less integrator would. */
  async function scenario(naive: boolean) {
    const url = await engine.freshUrl();
    // PostgreSQL: three pools, as three gateway instances. SQLite: one connection per process (a second
    // one in the same thread would wait for the lock synchronously, with the holder unable to finish).
    for (let i = 0; i < (engine.name === 'postgres' ? 3 : 1); i++) stores.push(await openStore(url));
    const at = (i: number) => stores[i % stores.length]!;
    const signer = testSigner();
    const committed: Array<{ seq: number; at: number }> = [];
    let rolledBack = 0;
    let writing = true;

    const writer = async (store: Store, w: number) => {
      for (let i = 0; i < 40; i++) {
        try {
          const seq = await store.db.transaction().execute(async (tx) => {
            const { seq } = await appendAuditEntry(tx, sampleEvent(w * 1000 + i));
            if ((w * 7 + i) % 6 === 0) throw new Rollback();
            // Hold the seq while other writers commit later ones.
            await sleep((w * 13 + i * 7) % 5 === 0 ? 40 : (i * w) % 4);
            return seq;
          });
          committed.push({ seq, at: performance.now() });
        } catch (error) {
          if (!(error instanceof Rollback)) throw error;
          rolledBack++;
        }
      }
    };
    const steps = { integrated: 0 };
    const integratorLoop = async (store: Store) => {
      const integrator = testIntegrator(store, signer, { maxBatch: 25, ...(naive ? { fence: naiveFence(store) } : {}) });
      while (writing) {
        if ((await integrator.step()).status === 'integrated') steps.integrated++;
        await sleep(3);
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(at(w), w));
    const integrators = [integratorLoop(at(1)), integratorLoop(at(2))];
    await Promise.all(writers);
    writing = false;
    await Promise.all(integrators);
    await testIntegrator(stores[0]!, signer).drain();

    return { committed, rolledBack, steps, signer };
  }

  it('never skips, doubles or reorders an entry', async () => {
    const { committed, rolledBack, steps, signer } = await scenario(false);
    expect(rolledBack).toBeGreaterThan(20);
    expect(steps.integrated).toBeGreaterThan(3);
    if (engine.name === 'postgres') {
      // The scenario is real: some entry committed after a higher seq had committed.
      const inversions = committed.filter((a) => committed.some((b) => b.seq > a.seq && b.at < a.at)).length;
      expect(inversions).toBeGreaterThan(0);
    }
    const leaves = await stores[0]!.db.selectFrom('log_leaves').select(['log_index', 'seq']).orderBy('log_index').execute();
    const seqs = leaves.map((l) => Number(l.seq));
    expect(leaves.map((l) => Number(l.log_index))).toEqual(seqs.map((_, i) => i));
    expect(seqs).toEqual([...committed.map((c) => c.seq)].sort((a, b) => a - b));
    const report = await verifyLog(stores[0]!, { verifiers: [parseVerifierKey(signer.verifierKey)], origin: signer.name });
    expect(report.problems).toEqual([]);
    expect(report.checked.entries).toBe(committed.length);
  }, 120_000);

  it.runIf(engine.name === 'postgres')('control: integrating up to the highest visible seq skips entries, and verify names them', async () => {
    const { committed, signer } = await scenario(true);
    const logged = await stores[0]!.db.selectFrom('log_leaves').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(logged.n)).toBeLessThan(committed.length);
    const report = await verifyLog(stores[0]!, { verifiers: [parseVerifierKey(signer.verifierKey)], origin: signer.name });
    expect(report.problems.map((p) => p.code)).toContain('entry_unlogged');
  }, 120_000);
});
