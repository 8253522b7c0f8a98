/**
 * SIGKILL during appends at full speed, repeatedly: after each restart every acknowledged entry is
 * there, the log verifies as it was left (tiles, bundles, checkpoint and state committed together,
 * none torn), and integrating the rest verifies too.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { engines } from '../../../test/engines.ts';
import { openStore } from '../../store/database.ts';
import { parseVerifierKey } from '../tlog/index.ts';
import { verifyLog } from './verify-log.ts';
import { testIntegrator, testSigner } from './test-support/log-fixture.ts';

const ROUNDS: Record<string, number> = { sqlite: 20, postgres: 4 };

/** Runs the writer until it has acknowledged something and `ms` more have passed, then SIGKILLs it. */
function killDuringAppends(url: string, signerKey: string, ms: number): Promise<number[]> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [resolve('bin/run-ts.mjs'), resolve('src/audit/log/test-support/crash-writer.ts'), url, signerKey], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let armed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!armed && /^\d+$/m.test(out)) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), ms);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); });
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') return fail(new Error(`writer exited on its own: ${err}`));
      // The last line may be cut by the kill: only whole lines are acknowledgements.
      const lines = out.split('\n').slice(0, -1).filter((l) => /^\d+$/.test(l));
      done(lines.map(Number));
    });
  });
}

describe.each(engines)('crash during appends on $name', (engine) => {
  it('keeps every acknowledged entry and a log that verifies, kill after kill', async () => {
    const url = await engine.freshUrl();
    const signer = testSigner();
    const verifiers = [parseVerifierKey(signer.verifierKey)];
    let acknowledged = 0;
    for (let round = 0; round < ROUNDS[engine.name]!; round++) {
      const acked = await killDuringAppends(url, signer.signerKey, 30 + ((round * 53) % 250));
      expect(acked.length).toBeGreaterThan(0);
      acknowledged += acked.length;
      const store = await openStore(url);
      try {
        const present = new Set((await store.db.selectFrom('audit_entries').select('seq').where('seq', 'in', acked).execute()).map((r) => Number(r.seq)));
        expect(acked.filter((seq) => !present.has(seq)), `round ${round}: acknowledged but lost`).toEqual([]);
        const asLeft = await verifyLog(store, { verifiers, origin: signer.name });
        expect(asLeft.problems, `round ${round}, as left by the kill`).toEqual([]);
        await testIntegrator(store, signer).drain();
        const after = await verifyLog(store, { verifiers, origin: signer.name });
        expect(after.problems, `round ${round}, after integrating`).toEqual([]);
        const stored = await store.db.selectFrom('audit_entries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
        expect(after.checked.entries).toBe(Number(stored.n));
      } finally {
        await store.close();
      }
    }
    // A floor that says the kills landed among many appends, not a throughput target (bench/ measures
    // that): on a loaded CI machine with version-2 entries (actor commitments and their openings)
    // PostgreSQL acknowledged 960 in these rounds where 1,000 had been the floor.
    expect(acknowledged).toBeGreaterThan(300);
  }, 120_000);
});
