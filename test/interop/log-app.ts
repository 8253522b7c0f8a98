/**
 * The real Flowguard server for the interoperability tests: the app on a fresh SQLite database with
 * the test bank, listening on 127.0.0.1, its log integrator signing with a fresh key (and, if given,
 * publishing through the witnesses). Entries are appended through real HTTP requests: each customer
 * search is recorded in the audit log.
 */
import { startTestApp, type TestApp } from '../app-harness.ts';
import { engines } from '../engines.ts';
import type { CheckpointPublisher } from '../../src/audit/log/checkpoint-publisher.ts';
import type { Integrator } from '../../src/audit/log/integrator.ts';
import type { CheckpointSigner } from '../../src/audit/log/checkpoint-signer.ts';
import { testIntegrator, testSigner } from '../../src/audit/log/test-support/log-fixture.ts';

export interface LogApp {
  readonly app: TestApp;
  /** The log prefix, e.g. http://127.0.0.1:1234/log */
  readonly logUrl: string;
  readonly origin: string;
  readonly verifierKey: string;
  readonly integrator: Integrator;
  /** Appends `count` audit entries through real requests (customer searches by a teller). */
  append(count: number): Promise<void>;
  /** Integrates everything committed and publishes the checkpoint; returns the tree size. */
  integrate(): Promise<number>;
  close(): Promise<void>;
}

export const LOG_ORIGIN = 'flowguard.test/interop-log';

export async function startLogApp(options: { publisher?: CheckpointPublisher; signer?: CheckpointSigner } = {}): Promise<LogApp> {
  const sqlite = engines.find((e) => e.name === 'sqlite')!;
  const app = await startTestApp(sqlite);
  const signer = options.signer ?? testSigner(LOG_ORIGIN);
  const integrator = testIntegrator(app.store, signer, options.publisher ? { publisher: options.publisher } : {});
  const address = await app.app.listen({ port: 0, host: '127.0.0.1' });
  const token = await app.login('teller');
  return {
    app,
    logUrl: `${address}/log`,
    origin: LOG_ORIGIN,
    verifierKey: signer.verifierKey,
    integrator,
    async append(count) {
      const search = async (i: number) => {
        const r = await fetch(`${address}/api/v1/customers?q=${encodeURIComponent(`search ${i}`)}`, { headers: { authorization: `Bearer ${token}` } });
        if (r.status !== 200) throw new Error(`search ${i}: ${r.status} ${await r.text()}`);
      };
      // A few requests in flight at a time, as tellers would send them.
      for (let i = 0; i < count; i += 8) await Promise.all(Array.from({ length: Math.min(8, count - i) }, (_, k) => search(i + k)));
    },
    async integrate() {
      return (await integrator.drain()).size;
    },
    close: () => app.close(),
  };
}
